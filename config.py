"""Settings from environment variables, with defaults for development.

Every setting is declared once in SETTINGS (name, default, help); the README's table is
checked against it by a test. ``create_app(overrides)`` accepts a mapping for tests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("EXPLORER_DATA_DIR", "", "Folder of processed data (default: data/processed in the repo)."),
    Setting(
        "EXPLORER_BASEMAP",
        "none",
        "Map background: 'none' (no tiles, works offline), 'open-street-map', 'carto-positron', or an "
        "https:// raster tile template with {z}/{x}/{y} (tiles need internet in the user's browser).",
    ),
    Setting("EXPLORER_CACHE", "simple", "Cache backend: 'simple' (per process), 'redis' or 'null'."),
    Setting("EXPLORER_REDIS_URL", "redis://127.0.0.1:6379/0", "Redis URL for the cache and rate limits."),
    Setting(
        "EXPLORER_RATE_LIMIT",
        "120/minute",
        "API rate limit per client address; empty disables it and the cost limits of web/limits.py "
        "(exports, page updates, comparisons, weights).",
    ),
    Setting(
        "EXPLORER_TRUSTED_PROXIES",
        "0",
        "How many reverse proxies (nginx, a load balancer) stand in front of the app and set "
        "X-Forwarded-For/-Proto; 0 ignores those headers. Rate limits count per client address, so "
        "behind a proxy set this, or every user shares the proxy's address.",
    ),
    Setting(
        "EXPLORER_MAX_BODY_BYTES",
        "65536",
        "Largest request body accepted, in bytes; larger requests get 413. The app's biggest real "
        "callback request is about 8 KB.",
    ),
    Setting("EXPLORER_LOG_LEVEL", "INFO", "Log level: DEBUG, INFO, WARNING or ERROR."),
    Setting(
        "EXPLORER_DEBUG",
        "0",
        "1 turns on Dash debug mode for `python app.py` (development only); gunicorn never runs in debug mode.",
    ),
    Setting("EXPLORER_HOST", "127.0.0.1", "Address `python app.py` listens on."),
    Setting("EXPLORER_PORT", "8050", "Port `python app.py` listens on."),
)


# What EXPLORER_BASEMAP names: (tile URL template, attribution).
BASEMAPS = {
    "open-street-map": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "© <a href='https://www.openstreetmap.org/copyright'>OpenStreetMap</a> contributors",
    ),
    "carto-positron": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png",
        "© OpenStreetMap contributors © CARTO",
    ),
}


def tile_source(basemap: str) -> tuple[str, str] | None:
    """(URL template, attribution) of the configured basemap's tiles; None for no basemap."""
    basemap = (basemap or "").strip()
    if basemap in BASEMAPS:
        return BASEMAPS[basemap]
    if basemap.startswith("https://") and "{z}" in basemap:
        return basemap, "Map tiles: see the tile provider's terms"
    return None


def settings(overrides: dict | None = None) -> dict[str, str]:
    """Current settings: environment first, then defaults; overrides win (tests)."""
    out = {s.name: os.environ.get(s.name, s.default) for s in SETTINGS}
    out.update({k: str(v) for k, v in (overrides or {}).items()})
    return out
