"""Security headers, limits, error handling and health checks (issue 6)."""

from __future__ import annotations

from flask import Flask


def init_app(server: Flask, cfg: dict) -> None:
    """Attach headers, limits, error handlers and /healthz to the Flask server."""
