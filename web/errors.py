"""Errors as one sentence: JSON for the JSON paths, a small HTML page elsewhere.

No response carries a stack trace or internals: an unexpected error is logged with its
traceback and answered with :data:`MESSAGES` [500].
"""

from __future__ import annotations

import json
import logging
import re

from dash.exceptions import DependencyException, InvalidResourceError
from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger("explorer.errors")

JSON_PREFIXES = ("/_dash-", "/api/", "/healthz")

MESSAGES = {
    400: "The request is malformed.",
    404: "There is no such page.",
    405: "That method is not allowed at this address: pages are read with GET.",
    413: "The request is too large.",
    429: "Too many requests. Please slow down and try again in a minute.",
    500: "Something went wrong on our side. Please try again later.",
}


def wants_json() -> bool:
    return request.path.startswith(JSON_PREFIXES)


def slug(name: str | None) -> str:
    return re.sub(r"\W+", "_", (name or "error").lower()).strip("_")


def error_response(status: int, error: str, message: str, **extra: object) -> Response:
    """The one JSON error body: ``{"status", "error", "message"}`` and any extra fields."""
    body = json.dumps({"status": status, "error": error, "message": message, **extra}, separators=(",", ":"))
    return Response(body, status=status, mimetype="application/json")


def html_error(
    status: int, message: str, *, title: str | None = None, heading: str | None = None, more: str = ""
) -> Response:
    """A small HTML page: ``heading`` (the status by default), the message, ``more`` (HTML the
    caller made safe) and a link home."""
    body = (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{title or status}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        f"<body><main><h1>{heading or status}</h1><p>{message}</p>{more}"
        '<p><a href="/">Back to the explorer</a></p></main></body></html>'
    )
    return Response(body, status=status, mimetype="text/html")


def http_error(exc: HTTPException) -> Response | HTTPException:
    """A Werkzeug HTTP error (404, 405, 413, ...) in this app's style: one JSON sentence on the
    JSON paths, the small page elsewhere; a 405 says which methods the address takes."""
    if exc.code is None or exc.code < 400:
        return exc
    if wants_json():
        resp = error_response(exc.code, slug(exc.name), MESSAGES.get(exc.code, "The request failed."))
    else:
        resp = html_error(exc.code, MESSAGES.get(exc.code, exc.name))
    methods = getattr(exc, "valid_methods", None)
    if exc.code == 405 and methods:
        resp.headers["Allow"] = ", ".join(methods)
    return resp


def install(server: Flask) -> None:
    server.register_error_handler(HTTPException, http_error)

    @server.errorhandler(DependencyException)
    @server.errorhandler(InvalidResourceError)
    def _no_such_resource(exc: Exception):  # type: ignore[no-untyped-def]
        # A script path no component registered: a client's mistake. Dash's own messages list the
        # registered paths, so they are not passed on.
        log.info("no such resource: %s", request.path[:200])
        return (
            error_response(404, "not_found", "There is no such file.")
            if wants_json()
            else html_error(404, "There is no such file.")
        )

    @server.errorhandler(Exception)
    def _unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error on %s %s", request.method, request.path[:200])
        if wants_json():
            return error_response(500, "internal_error", MESSAGES[500])
        return html_error(500, MESSAGES[500])
