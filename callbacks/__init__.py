"""Callbacks: thin functions that unpack inputs, call services/geodata and layouts, return.

Importing this package registers them with Dash.
"""

from . import area, mapview, plan, router, state  # noqa: F401
