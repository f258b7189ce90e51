"""The West Midlands postcode risk-factor explorer: app factory and entry point.

Development: ``python app.py``. Production: ``gunicorn --workers 2 app:server``.
"""

from __future__ import annotations

import gzip
import logging

from dash import Dash, html
from flask import Response, abort, request

import geodata
import service
import web
from config import settings
from geodata import mapdata
from service.cache import SIMPLE_ITEMS

log = logging.getLogger("explorer")

# Dash's default page wraps its scripts in a <footer>, a second "contentinfo" landmark, and
# sets no language; this one does neither. It asks for the map's geometry at once, while the
# scripts load, instead of after the first render.
INDEX = """<!DOCTYPE html>
<html lang="en-GB">
<head>{%metas%}<title>{%title%}</title>{%favicon%}{%css%}{preload}</head>
<body>{%app_entry%}{%config%}{%scripts%}{%renderer%}</body>
</html>"""


def create_app(overrides: dict | None = None) -> Dash:
    cfg = settings(overrides)
    logging.basicConfig(
        level=cfg["EXPLORER_LOG_LEVEL"].upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    data = geodata.load(cfg["EXPLORER_DATA_DIR"] or None)  # fails fast, naming a bad file

    app = Dash(
        __name__,
        title="West Midlands postcode risk-factor explorer",
        update_title=None,
        compress=True,
        serve_locally=True,
        suppress_callback_exceptions=True,  # each page brings its own components
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {
                "name": "description",
                "content": "Risk and protective factors for violence around any "
                "West Midlands postcode, from official open data.",
            },
        ],
    )
    server = app.server
    server.config["EXPLORER"] = cfg
    backend = cfg["EXPLORER_CACHE"].lower()
    cache_cfg = {"CACHE_KEY_PREFIX": f"wm-{data.version}-"}
    if backend == "redis":
        cache_cfg.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=cfg["EXPLORER_REDIS_URL"])
    elif backend == "null":
        cache_cfg.update(CACHE_TYPE="NullCache")
    else:
        cache_cfg.update(CACHE_TYPE="SimpleCache", CACHE_THRESHOLD=SIMPLE_ITEMS)
    service.cache.init_app(server, config=cache_cfg)
    service.areas.warm(data)  # before gunicorn forks the workers, so they share it

    import callbacks  # noqa: F401  (registers the callbacks)
    from callbacks.router import render
    from layouts import ids, shell
    from layouts.pages import Site, pages, register
    from service.urlstate import default_state

    site = Site(data.version, cfg["EXPLORER_BASEMAP"])
    server.config["EXPLORER_SITE"] = site
    register()
    app.layout = shell()
    # Every page's components: the callback request check (web/callback_guard.py) accepts what
    # any page holds. The browser is not sent them (suppress_callback_exceptions), as they would
    # add 36 KB to every first load; tests/test_app.py checks each callback against the pages.
    app.validation_layout = html.Div([app.layout, *[html.Div(render(p, default_state(), site)) for p in pages()]])
    serve_pages(app)
    serve_geometry(app, data)

    # The callbacks that cost more than a page update, each limited on its own as well (web/limits.py).
    costs = {ids.COMPARE_RESULT: "compare", ids.COUNTS: "weights", ids.CSV_DOWNLOAD: "weights"}
    web.init_app(app, cfg, created_by_callbacks=ids.created_by_callbacks(), callback_costs=costs)
    log.info("explorer ready: data version %s, basemap %s, cache %s", data.version, cfg["EXPLORER_BASEMAP"], backend)
    return app


def serve_pages(app: Dash) -> None:
    """Each page's own title in the HTML, and a 404 page listing the pages for any other path."""
    from layouts.pages import page_at, pages, title_of

    index = app.interpolate_index

    def interpolate_index(**kwargs: str) -> str:
        kwargs["title"] = title_of(page_at(request.path))
        return index(**kwargs)

    app.interpolate_index = interpolate_index  # type: ignore[method-assign]

    @app.server.before_request
    def _unknown_page() -> Response | None:
        rule = request.url_rule.rule if request.url_rule else None
        if request.method != "GET" or rule not in ("/", "/<path:path>") or page_at(request.path):
            return None
        if web.errors.wants_json():  # /api/..., /_dash-...: a JSON answer, as those paths give
            return web.errors.error_response(404, "not_found", "There is no such address. The API is at /api/v1/.")
        links = "".join(f'<li><a href="{p.path}">{p.nav}</a>: {p.description}</li>' for p in pages())
        return web.errors.html_error(
            404,
            "The explorer's pages are:",
            title=title_of(None),
            heading="There is no page at this address",
            more=f"<ul>{links}</ul>",
        )


def serve_geometry(app: Dash, data) -> None:
    """The map's GeoJSON files at versioned URLs, gzipped once here and cached by browsers for a
    year; the page's head asks for them at once."""
    from layouts.mapview import GEOMETRY_PATH, geometry_url

    files = {
        geometry_url(layer, data.version): gzip.compress(mapdata.geometry_json(layer, data), 9, mtime=0)
        for layer in mapdata.GEOMETRY_LAYERS
    }
    app.index_string = INDEX.replace(
        "{preload}", "".join(f'<link rel="preload" href="{url}" as="fetch" crossorigin="anonymous">' for url in files)
    )

    @app.server.route(GEOMETRY_PATH + "/<name>")
    def geometry(name: str) -> Response:
        body = files.get(f"{GEOMETRY_PATH}/{name}")
        if body is None:
            abort(404)
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            resp = Response(body, mimetype="application/geo+json")
            resp.headers["Content-Encoding"] = "gzip"
        else:
            resp = Response(gzip.decompress(body), mimetype="application/geo+json")
        resp.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        resp.headers["Vary"] = "Accept-Encoding"
        return resp


try:
    app = create_app()
except geodata.DataError as exc:  # one sentence naming the file and the fix, no traceback
    raise SystemExit(f"Cannot start: {exc}") from None
server = app.server

if __name__ == "__main__":
    cfg = settings()
    app.run(host=cfg["EXPLORER_HOST"], port=int(cfg["EXPLORER_PORT"]), debug=cfg["EXPLORER_DEBUG"] == "1")
