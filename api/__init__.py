"""Public JSON API under /api/v1/ (filled in by issue 5)."""

from __future__ import annotations

from flask import Flask


def init_app(server: Flask, cfg: dict) -> None:
    """Register the API blueprint on the Flask server behind the Dash app."""
