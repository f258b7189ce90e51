"""``/healthz``: the data manifest's version and a few cheap checks; 503 when one fails."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from flask import Flask, Response, current_app

import geodata
import service
from geodata import registry
from geodata.store import Data, sha256_file

log = logging.getLogger("explorer.health")

ARTIFACT_RECHECK_S = 60.0  # /healthz re-hashes the artifacts at most this often per process


def install(server: Flask, cfg: dict) -> HealthChecks:
    checks = HealthChecks(cfg)

    @server.route("/healthz", methods=["GET"])
    def healthz() -> Response:
        report = checks.run()
        status = 200 if report["status"] != "fail" else 503
        resp = Response(json.dumps(report, separators=(",", ":")), status=status, mimetype="application/json")
        resp.headers["Cache-Control"] = "no-store"
        return resp

    return checks


class HealthChecks:
    """What /healthz reports: the data version and a few cheap checks of the loaded data."""

    def __init__(self, cfg: dict) -> None:
        self.cfg = cfg
        self._artifacts: tuple[float, dict] | None = None

    def run(self) -> dict:
        data = geodata.load(self.cfg.get("EXPLORER_DATA_DIR") or None)
        checks = {
            "artifacts": self._check_artifacts(data),
            "indicators": _guard(_check_indicators, data),
            "postcodes": _guard(_check_postcodes, data),
            "cache": _guard(_check_cache, self.cfg),
        }
        failed = [k for k, v in checks.items() if not v["ok"]]
        degraded = [k for k, v in checks.items() if v.get("degraded")]
        return {
            "status": "fail" if failed else "degraded" if degraded else "ok",
            "data_version": data.version,
            "format_version": data.manifest.get("format_version"),
            "checks": checks,
        }

    def _check_artifacts(self, data: Data) -> dict:
        now = time.monotonic()
        if self._artifacts is None or now - self._artifacts[0] > ARTIFACT_RECHECK_S:
            self._artifacts = (now, _guard(_verify_artifacts, data))
        return self._artifacts[1]


def _guard(check: Any, arg: Any) -> dict:
    try:
        return check(arg)
    except Exception as exc:  # noqa: BLE001 - a failing check is reported, never raised
        log.warning("health check %s failed: %s: %s", check.__name__, type(exc).__name__, exc)
        return {"ok": False, "error": type(exc).__name__}


def _verify_artifacts(data: Data) -> dict:
    """Re-hash every artifact against the manifest the process started with (names only, no paths)."""
    bad = []
    artifacts = data.manifest["artifacts"]
    for rel, meta in sorted(artifacts.items()):
        path = data.folder / rel
        if not path.is_file():
            bad.append(f"{rel} is missing")
            continue
        if sha256_file(path) != meta["sha256"]:
            bad.append(f"{rel} does not match its checksum")
    out: dict = {"ok": not bad, "files": len(artifacts)}
    if bad:
        out["problems"] = bad
    return out


def _check_indicators(data: Data) -> dict:
    expected = data.manifest.get("indicators")
    empty = [
        i.id
        for i in registry.mappable()
        if i.id not in data.values or not (data.values[i.id] == data.values[i.id]).any()
    ]  # all NaN
    ok = expected == len(registry.INDICATORS) and not empty
    out: dict = {"ok": ok, "count": len(registry.INDICATORS), "manifest": expected}
    if empty:
        out["without_values"] = empty
    return out


def _check_postcodes(data: Data) -> dict:
    sample = str(data.postcodes.postcode.iloc[len(data.postcodes) // 2])
    place = geodata.lookup_postcode(sample, data)
    return {
        "ok": place.status in ("ok", "terminated") and len(data.postcode_index) == len(data.postcodes),
        "count": len(data.postcode_index),
        "outside_area": len(data.outside_index),
    }


def _check_cache(cfg: dict) -> dict:
    """A cache outage degrades (answers are computed), it does not fail the instance."""
    backend = current_app.extensions["cache"][service.cache]
    kind = cfg.get("EXPLORER_CACHE", "simple").lower()
    reachable = True
    if kind == "redis":
        client = getattr(getattr(backend, "backend", backend), "_write_client", None)
        try:
            reachable = bool(client is not None and client.ping())
        except Exception:  # noqa: BLE001 - unreachable is the answer
            reachable = False
    return {"ok": True, "backend": kind, "reachable": reachable, "degraded": not reachable}
