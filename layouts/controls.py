"""Toggle buttons: every choice on every page is a native button with aria-pressed, so it works
by keyboard and reads out its state."""

from __future__ import annotations

from dash import html


def pressed(on: bool) -> dict:
    """aria-pressed for a toggle button."""
    return {"aria-pressed": "true" if on else "false"}


def option(label: object, id_: dict, on: bool) -> html.Button:
    """One choice of a group of toggle buttons; the callbacks set aria-pressed as choices change."""
    return html.Button(label, id=id_, n_clicks=0, type="button", className="option", **pressed(on))
