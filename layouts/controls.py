"""Shared pieces: toggle buttons (every choice on every page is a native button with
aria-pressed, so it works by keyboard and reads out its state) and tables in a scroll box."""

from __future__ import annotations

from dash import html


def pressed(on: bool) -> dict:
    """aria-pressed for a toggle button."""
    return {"aria-pressed": "true" if on else "false"}


def option(label: object, id_: dict, on: bool) -> html.Button:
    """One choice of a group of toggle buttons; the callbacks set aria-pressed as choices change."""
    return html.Button(label, id=id_, n_clicks=0, type="button", className="option", **pressed(on))


def table_box(caption: str, head: list, rows: list, class_name: str = "values-table") -> html.Div:
    """A table with a caption and column headings, in a box that scrolls sideways on its own (a
    keyboard can reach and scroll it), so the page never does. A heading may be a ready
    ``html.Th`` (e.g. with ``aria-sort``)."""
    return html.Div(
        className="table-scroll",
        tabIndex="0",
        children=html.Table(
            className=class_name,
            children=[
                html.Caption(caption),
                html.Thead(html.Tr([h if isinstance(h, html.Th) else html.Th(h, scope="col") for h in head])),
                html.Tbody(rows),
            ],
        ),
    )
