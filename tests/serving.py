"""Real servers on loopback for the hardening tests: the app (gunicorn or ``python app.py``) and
redis-server, each on a free port, each stopped by its own process id.

Not a test module; imported by test_security, test_redis and test_startup.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from web.callback_guard import output_specs

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


# Debian's headless Chromium, as .ci/run installs it, with flags that keep it off the network.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return "Debian chromium is not installed (bash .ci/run installs it)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_env(**settings: str) -> dict[str, str]:
    """The test process's environment without any EXPLORER_* setting, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXPLORER_")}
    env.update(EXPLORER_LOG_LEVEL="WARNING", EXPLORER_BASEMAP="none")
    env.update(settings)
    return env


def get(
    port: int,
    path: str,
    timeout: float = 10.0,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict | None = None,
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def wait_http(port: int, proc: subprocess.Popen, timeout: float = 90.0, path: str = "/healthz") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode}")
        try:
            if get(port, path, timeout=5)[0] < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"no answer on port {port} within {timeout:.0f} s")


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 15.0) -> None:
    """Stop one process we started, by its id; kill it if it does not go."""
    if proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


@contextmanager
def app_server(env: dict[str, str], workers: int = 0, log_path: Path | None = None) -> Iterator[int]:
    """The app on a free loopback port: gunicorn with ``workers`` workers, or ``python app.py`` if 0."""
    port = free_port()
    if workers:
        cmd = [
            str(GUNICORN),
            "--config",
            str(ROOT / "gunicorn.conf.py"),  # the production settings: threaded workers, bounded stalls
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--graceful-timeout",
            "5",
            "app:server",
        ]
    else:
        cmd = [sys.executable, "app.py"]
        env = {**env, "EXPLORER_PORT": str(port), "EXPLORER_HOST": "127.0.0.1"}
    with open(log_path or os.devnull, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            try:
                wait_http(port, proc)
            except RuntimeError as exc:
                tail = Path(log_path).read_text(errors="replace")[-2000:] if log_path else ""
                raise RuntimeError(f"{exc}\n{tail}") from None
            yield port
        finally:
            stop(proc)


class RedisServer:
    """A throw-away redis-server on a free port: no persistence, loopback only."""

    def __init__(self, port: int | None = None, maxmemory: str | None = None) -> None:
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None
        self.maxmemory = maxmemory  # None: the production cap (service.cache.REDIS_ARGS)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> RedisServer:
        self.proc = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
                "--loglevel",
                "warning",
                *self.memory_args(),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.ping():
                return self
            time.sleep(0.05)
        self.kill()
        raise RuntimeError("redis-server did not start")

    def memory_args(self) -> list[str]:
        """As production runs it (the README's command): capped, least recently used keys evicted."""
        from service.cache import REDIS_ARGS

        args = list(REDIS_ARGS)
        if self.maxmemory:
            args[1] = self.maxmemory
        return args

    def client(self):  # type: ignore[no-untyped-def]
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1, socket_connect_timeout=1)

    def ping(self) -> bool:
        try:
            return bool(self.client().ping())
        except Exception:  # noqa: BLE001
            return False

    def keys(self, pattern: str = "*") -> list[str]:
        return sorted(k.decode() for k in self.client().keys(pattern))

    def kill(self) -> None:
        """Stop it abruptly, as a crash would."""
        if self.proc is not None:
            stop(self.proc, signal.SIGKILL)
            self.proc = None


# ---------------------------------------------------------------------------- a real callback request


def layout_components(layout: object) -> dict[str, dict]:
    """Every component in a /_dash-layout JSON tree: stringified id -> its props."""
    found: dict[str, dict] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            props = node.get("props")
            if "type" in node and isinstance(props, dict) and props.get("id") is not None:
                cid = props["id"]
                found[json.dumps(cid, sort_keys=True, separators=(",", ":")) if isinstance(cid, dict) else cid] = props
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(layout)
    return found


def callback_body(
    deps: list[dict], layout: object, output_prefix: str, values: dict[str, object], changed: list[str]
) -> dict:
    """The body the Dash renderer posts for the callback whose output starts ``output_prefix``:
    every input and state at its value in the page's layout unless ``values`` (keyed by the
    component's stringified id and property) says otherwise. A pattern id with ALL lists the
    layout's components it matches; a dict id without wildcards, or with MATCH, is one component."""
    comps = layout_components(layout)
    dep = next(d for d in deps if d["output"].startswith(output_prefix))

    def pattern_of(spec_id: object) -> dict | None:
        if isinstance(spec_id, dict):
            return spec_id
        return json.loads(spec_id) if str(spec_id).startswith("{") else None

    def many(spec_id: object) -> bool:
        pattern = pattern_of(spec_id)
        return pattern is not None and any(isinstance(v, list) and v != ["MATCH"] for v in pattern.values())

    def concrete(spec_id: object) -> list:
        pattern = pattern_of(spec_id)
        if pattern is None:
            return [spec_id]
        found = [json.loads(k) for k in comps if k.startswith("{") and _fits(pattern, json.loads(k))]
        return found if many(spec_id) else found[:1]

    def key(cid: object) -> str:
        return json.dumps(cid, sort_keys=True, separators=(",", ":")) if isinstance(cid, dict) else str(cid)

    def entry(spec: dict) -> object:
        items = [
            {
                "id": cid,
                "property": spec["property"],
                "value": values.get(f"{key(cid)}.{spec['property']}", comps.get(key(cid), {}).get(spec["property"])),
            }
            for cid in concrete(spec["id"])
        ]
        return items if many(spec["id"]) else items[0]

    output = dep["output"]
    outputs = []
    for spec in output_specs(output):
        cid, prop = spec["id"], spec["property"]
        comps_out = [{"id": c, "property": prop} for c in concrete(cid)]
        outputs.append(comps_out if many(cid) else comps_out[0])
    return {
        "output": output,
        "outputs": outputs if output.startswith("..") else outputs[0],
        "inputs": [entry(s) for s in dep["inputs"]],
        "state": [entry(s) for s in dep.get("state", [])],
        "changedPropIds": changed,
    }


def _fits(pattern: dict, cid: dict) -> bool:
    return set(pattern) == set(cid) and all(isinstance(v, (list, dict)) or cid[k] == v for k, v in pattern.items())


SEARCH_OUTPUT = "..url.pathname...url.search..."  # update_state's output key starts so


def search_values(typed: str, path: str = "/") -> dict[str, object]:
    """What the search's inputs hold when someone types ``typed`` on the page at ``path`` and presses Enter."""
    return {"search-input.n_submit": 1, "search-input.value": typed, "url.search": "", "url.pathname": path}


def search_body(port: int, typed: str) -> bytes:
    """A real 'type a postcode and press Enter' callback request, built from the running app: the
    shell's components (the layout Dash serves; a page's own are drawn later by the router)."""
    deps = json.loads(get(port, "/_dash-dependencies")[2])
    layout = json.loads(get(port, "/_dash-layout")[2])
    body = callback_body(deps, layout, SEARCH_OUTPUT, search_values(typed), ["search-input.n_submit"])
    return json.dumps(body).encode()
