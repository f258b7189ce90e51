"""The HTTP layer: security headers, request limits, errors, the health check and the JSON API.

- Every response carries security headers (:mod:`web.security`); HTML pages get a
  Content-Security-Policy built for this page.
- Behind ``EXPLORER_TRUSTED_PROXIES`` reverse proxies, the client address and scheme come
  from X-Forwarded-For/-Proto (so rate limits count per user); otherwise those headers are ignored.
- Request bodies are capped (``EXPLORER_MAX_BODY_BYTES``, 413); a callback request that does
  not fit a registered callback and the page gets 400 JSON before Dash sees it
  (:mod:`web.callback_guard`), so a 500 means a real fault.
- No response carries a stack trace or internals (:mod:`web.errors`).
- ``/healthz`` reports the data version and checks (:mod:`web.health`).
- The API (:mod:`web.api`) has its own per-address rate limit (Flask-Limiter, JSON 429).
"""

from __future__ import annotations

from collections.abc import Iterable

from dash import Dash
from werkzeug.middleware.proxy_fix import ProxyFix

from . import api, callback_guard, errors, health, limits, security


def init_app(
    app: Dash, cfg: dict, created_by_callbacks: Iterable[object] = (), callback_costs: dict[str, str] | None = None
) -> None:
    """Attach the API, headers, limits, error handlers and /healthz to the Dash app's server."""
    server = app.server
    api.init_app(server, cfg)
    proxies = int(cfg.get("EXPLORER_TRUSTED_PROXIES") or 0)
    if proxies > 0:  # the client's address and scheme from the proxies' headers, for rate limits and HSTS
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    server.debug = False  # only `python app.py` with EXPLORER_DEBUG=1 turns on debug (in app.run)
    server.config["MAX_CONTENT_LENGTH"] = int(cfg.get("EXPLORER_MAX_BODY_BYTES") or 65536)
    server.config["PROPAGATE_EXCEPTIONS"] = False
    page_csp = security.content_security_policy(list(app.csp_hashes()), cfg.get("EXPLORER_BASEMAP", "none"))
    security.install(server, page_csp)
    callback_guard.install_body_check(server)  # before anything reads a body
    limits.install(server, callback_costs)  # then the per-client cost limits, before any work
    callback_guard.install(app, created_by_callbacks)
    errors.install(server)
    checks = health.install(server, cfg)
    server.extensions["wm_hardening"] = {"csp": page_csp, "health": checks}
