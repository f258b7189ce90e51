"""Methods and sources, drawn the first time a reader opens them."""

from __future__ import annotations

from dash import Input, Output, callback, no_update

from layouts import ids
from layouts.methods import methods_body


@callback(Output(ids.METHODS_BODY, "children"), Input(ids.METHODS_OPEN, "open"), prevent_initial_call=True)
def show_methods(is_open):
    return methods_body() if is_open is True else no_update
