"""The naive map design, for bench/bench_map.py to measure beside the product.

    python bench/baseline_app.py --port 8051

One dcc.Graph holding a bare ``go.Choroplethmap`` of the 1,719 LSOAs (the geometry goes
inside the page's Dash layout), ``map_style="white-bg"`` so no tiles are fetched, Dash's
defaults otherwise (no compression), in a column as wide as the product's map. The indicator
menu has the product's ids and labels: a <details id="indicator-menu"> whose buttons send a
Patch of ``data[0].z``. Serves on 127.0.0.1 only; the page asks for nothing else.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import plotly.graph_objects as go
from dash import ALL, Dash, Input, Output, Patch, ctx, dcc, html

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import geodata  # noqa: E402
from geodata import mapdata, registry  # noqa: E402

CENTRE, ZOOM = {"lat": 52.50, "lon": -1.82}, 8.8  # the seven boroughs, as the old Plotly map opened
INDICATORS = (
    "violence_with_injury_rate",
    "imd_decile",
    "loneliness_pct",
    "idaci_decile",
    "gp_minutes",
    "household_churn",
)


def values(indicator_id: str) -> list[float | None]:
    return [None if math.isnan(v) else float(v) for v in geodata.load().values[indicator_id]]


def geometry() -> dict:
    """The product's LSOA polygons with ``id`` only: a bare choropleth needs no properties."""
    feats = mapdata.lsoa_geojson()["features"]
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "id": f["id"], "geometry": f["geometry"]} for f in feats],
    }


def figure(indicator_id: str) -> go.Figure:
    fig = go.Figure(
        go.Choroplethmap(
            geojson=geometry(),
            locations=mapdata.area_codes(),
            z=values(indicator_id),
            colorscale="YlOrRd",
            marker={"opacity": 0.85},
            showscale=False,
        )
    )  # no colour bar: the map fills the element, as the product's
    fig.update_layout(
        map={"style": "white-bg", "center": CENTRE, "zoom": ZOOM}, margin={"l": 0, "r": 0, "t": 0, "b": 0}
    )
    return fig


def create_app() -> Dash:
    app = Dash(__name__, title="Baseline map")
    app.layout = html.Div(
        [
            html.Details(
                id="indicator-menu",
                open=False,
                children=[
                    html.Summary("Colour the map by"),
                    *[
                        html.Button(
                            registry.get(i).label, id={"type": "indicator-option", "id": i}, n_clicks=0, type="button"
                        )
                        for i in INDICATORS
                    ],
                ],
            ),
            # About the product's map column (51% of the window), so both draw as many pixels.
            dcc.Graph(id="map", figure=figure(INDICATORS[0]), style={"height": "68vh", "width": "51vw"}),
        ]
    )

    @app.callback(
        Output("map", "figure"), Input({"type": "indicator-option", "id": ALL}, "n_clicks"), prevent_initial_call=True
    )
    def switch(_clicks):
        fig = Patch()
        fig["data"][0]["z"] = values(ctx.triggered_id["id"])
        return fig

    return app


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=8051)
    create_app().run(host="127.0.0.1", port=ap.parse_args().port)
