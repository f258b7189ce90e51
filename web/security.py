"""Security headers for every response, and the Content-Security-Policy of the page.

HTML pages get a policy that allows exactly what the page needs: scripts from this server
plus the hash of Dash's one inline start-up script (no 'unsafe-inline' or 'unsafe-eval' for
scripts), inline styles (Dash and Plotly set style attributes and inject <style>
elements) and, only when a basemap is configured, its tile hosts. Leaflet needs no workers.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, request

from config import tile_source

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
# Non-HTML responses (JSON, scripts, files) need no permissions at all.
STRICT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def basemap_hosts(basemap: str) -> tuple[str, ...]:
    """Origins the browser must reach for the configured basemap's tiles; none for 'none'."""
    source = tile_source(basemap)
    if source is None:
        return ()
    parts = urlsplit(source[0])
    return (f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}",)


def content_security_policy(script_hashes: list[str], basemap: str) -> str:
    tiles = " ".join(basemap_hosts(basemap))
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_hashes]),
        "style-src": "'self' 'unsafe-inline'",  # Dash/Plotly style attributes and <style> elements
        "img-src": f"'self' data: blob: {tiles}".strip(),
        "font-src": "'self' data:",
        "connect-src": f"'self' {tiles}".strip(),
        "worker-src": "'none'",
        "child-src": "'none'",
        "frame-src": "'none'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{k} {v}" for k, v in directives.items())


def install(server: Flask, page_csp: str) -> None:
    """Every response gets the security headers; an error is never cached."""

    @server.after_request
    def _security_headers(resp: Response) -> Response:
        h = resp.headers
        html = resp.mimetype == "text/html"
        h.setdefault("Content-Security-Policy", page_csp if html else STRICT_CSP)
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        h.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:  # behind a TLS proxy that sets X-Forwarded-Proto (and ProxyFix)
            h.setdefault("Strict-Transport-Security", "max-age=31536000")
        if resp.status_code >= 400:
            h["Cache-Control"] = "no-store"
        return resp
