"""JSON bodies, the shared response cache, ETags and the data the API answers from."""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from urllib.parse import urlencode

from flask import Response, current_app, g, request

import geodata
import service

PREFIX = "/api/v1"
API_REVISION = "1"  # bump when a response's shape or an export's layout changes: it is part of every ETag

log = logging.getLogger("explorer.api")


def json_bytes(obj: object) -> bytes:
    try:
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:  # a NaN slipped through: JSON has no NaN, null is the honest value
        text = json.dumps(nan_to_none(obj), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8")


def nan_to_none(obj: object) -> object:
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: nan_to_none(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [nan_to_none(v) for v in obj]
    return obj


def cached(key: str, make: Callable[[], bytes]) -> bytes:
    """Bytes from the shared cache (keyed under the data version by the app), made once."""
    body = service.cache.get(key)
    if body is None:
        body = make()
        service.cache.set(key, body, timeout=service.TIMEOUT)
    return body


def cached_json(key: str, make: Callable[[], bytes], level: int = 6) -> Response:
    """A cached JSON body; gzip-compressed once and cached too when the client accepts gzip.

    Compressing a 50 KB profile on every request costs about a millisecond; here it is
    done once per body. (Flask-Compress leaves a response that already has an encoding alone.)
    A gzip client's miss stores only the compressed body (one round trip and a seventh of the
    bytes of storing both); ``level`` 1 for bodies made fresh often (a postcode's profile:
    0.2 ms and 9 KB, against 0.7 ms and 7 KB at 6).
    """
    if request.accept_encodings.quality("gzip") > 0:
        body = cached(f"{key}:gzip", lambda: gzip.compress(make(), compresslevel=level, mtime=0))
        resp = json_response(body)
        resp.headers["Content-Encoding"] = "gzip"
        resp.vary.add("Accept-Encoding")
        return resp
    return json_response(cached(key, make))


def respelt_json(key: str, make: Callable[[], bytes], canonical: str, typed: str) -> Response:
    """The cached body of a postcode's canonical spelling with its place's ``query`` set to what
    was typed: every spelling shares one cache entry, and the others are not cached."""
    old = b'"query":' + json.dumps(canonical, ensure_ascii=False).encode()
    new = b'"query":' + json.dumps(typed, ensure_ascii=False).encode()
    gz = request.accept_encodings.quality("gzip") > 0
    body = (gzip.decompress(service.cache.get(f"{key}:gzip") or b"") if gz else b"") or cached(key, make)
    body = body.replace(old, new, 1)
    if gz:
        resp = json_response(gzip.compress(body, compresslevel=1, mtime=0))
        resp.headers["Content-Encoding"] = "gzip"
        resp.vary.add("Accept-Encoding")
        return resp
    return json_response(body)


def json_response(body: bytes, status: int = 200) -> Response:
    return Response(body, status=status, mimetype="application/json")


def current_data() -> geodata.store.Data:
    return current_app.extensions["wm_api"]["data"]


def data_version() -> str:
    return current_app.extensions["wm_api"]["data_version"]


def current_etag() -> str:
    if "api_etag" not in g:
        query = urlencode(sorted(request.args.items(multi=True)))
        digest = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()[:20]
        g.api_etag = f"{data_version()}-{API_REVISION}-{digest}"
    return g.api_etag


class BytesLRU:
    """Rendered exports, most recently used kept, at most ``max_bytes`` in all (per process).

    Exports are kept here rather than in the shared cache: a PDF or a zip is 0.1-1 MB, and an
    unbounded crawl of postcodes must not fill Redis or the workers' memory.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str, make: Callable[[], bytes]) -> bytes:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
                return body
        body = make()  # outside the lock: another format may render meanwhile
        with self._lock:
            if key not in self._items and len(body) <= self.max_bytes:
                self._items[key] = body
                self._size += len(body)
                while self._size > self.max_bytes:
                    self._size -= len(self._items.popitem(last=False)[1])
        return body

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0


EXPORT_CACHE_BYTES = 64 * 1024 * 1024
