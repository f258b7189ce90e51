"""The map: a dash-leaflet canvas map whose geometry is fetched once by URL.

The small areas, boundary lines and place names are static GeoJSON files (see
``geometry_url``); the page and its callbacks carry only what changes: each area's colour
class (the areas layer's ``hideout``, read by ``assets/map.js``), the searched place and the
nearby points. With no basemap the map needs nothing from outside this server.
"""

from __future__ import annotations

import dash_leaflet as dl
from dash import dcc, html

import service
from config import tile_source
from geodata import mapdata, registry
from geodata.profile import RADII_KM
from geodata.registry import LEVEL_LABELS, LEVELS
from geodata.sources import SOURCES

from . import ids
from .controls import option

ASSET_KINDS = {
    "sport": ("Sports sites", "#1b7837"),
    "library": ("Libraries", "#2166ac"),
    "warm_space": ("Warm spaces", "#b35806"),
    "school": ("Schools", "#762a83"),
}
# Raster tiles for EXPLORER_BASEMAP by name; anything else starting https:// is taken as a
# {z}/{x}/{y} template. 'none' (the default) draws no tiles at all.
GEOMETRY_PATH = "/geo"
ATTRIBUTION = "Boundaries: ONS (OGL v3.0)"
# Panes stack the layers: areas, then lines and names, then the place and points on top.
# Each pane has its own canvas, so repainting the areas never covers what lies above them.
PANES = {"areas": 400, "lines": 410, "place": 450, "points": 460}


def geometry_url(layer: str, version: str) -> str:
    """The static file of one geometry layer; its name carries the data version, so it is cached for ever."""
    return f"{GEOMETRY_PATH}/{layer}.{version}.json"


def basemap_layer(basemap: str) -> list:
    source = tile_source(basemap)
    return [dl.TileLayer(url=source[0], attribution=source[1], maxZoom=18)] if source else []


def hideout(layer: dict, key: str, keep: str | None) -> dict:
    """What the areas' style function reads (assets/map.js): a class per area and their colours."""
    return {
        "key": key,
        "cls": layer["cls"],
        "colours": layer["colours"],
        "labels": layer["labels"],
        "values": layer["values"],
        "unit": layer["unit"],
        "label": layer["label"],
        "keep": keep,
    }


def map_panel(first: dict, version: str, basemap: str, page: str) -> html.Div:
    """The map, painted at first with ``first`` (a hideout) so the page needs no callback to draw."""
    return html.Div(
        [
            dcc.Store(id=ids.map_part(ids.MAP_COLOURS, page)),  # written by each switch; the first are the hideout
            dcc.Store(id=ids.map_part(ids.MAP_SHOWN, page), data=first["key"]),
            map_container(first, version, basemap),
        ]
    )


def map_container(first: dict, version: str, basemap: str) -> dl.MapContainer:
    return dl.MapContainer(
        id=ids.MAP,
        bounds=mapdata.bounds(),
        trackViewport=False,
        preferCanvas=True,
        zoomSnap=0.25,
        minZoom=8,
        maxZoom=17,
        scrollWheelZoom=True,
        keyboard=True,
        className="map",
        style={"minHeight": "300px"},  # its height is the stylesheet's (.map), by screen size
        children=[
            *basemap_layer(basemap),
            dl.Pane(
                name="areas",
                style={"zIndex": PANES["areas"]},
                children=dl.GeoJSON(
                    id=ids.map_areas(),
                    url=geometry_url("lsoa21", version),
                    hideout=first,
                    pane="areas",
                    style={"variable": "explorer.areaStyle"},
                    onEachFeature={"variable": "explorer.areaTooltip"},
                    hoverStyle={"arrow": {"weight": 3, "color": "#0b0c0c"}},
                    attribution=ATTRIBUTION,
                ),
            ),
            dl.Pane(
                name="lines",
                style={"zIndex": PANES["lines"], "pointerEvents": "none"},
                children=[
                    dl.GeoJSON(
                        url=geometry_url("wards", version),
                        pane="lines",
                        interactive=False,
                        style={"color": "#737373", "weight": 0.7, "opacity": 0.9},
                    ),
                    dl.GeoJSON(
                        url=geometry_url("boroughs", version),
                        pane="lines",
                        interactive=False,
                        style={"color": "#252525", "weight": 2},
                    ),
                    dl.GeoJSON(
                        url=geometry_url("labels", version),
                        pane="lines",
                        interactive=False,
                        pointToLayer={"variable": "explorer.placeName"},
                    ),
                ],
            ),
            dl.Pane(name="place", style={"zIndex": PANES["place"]}, children=dl.LayerGroup(id=ids.MAP_PLACE)),
            dl.Pane(name="points", style={"zIndex": PANES["points"]}, children=dl.LayerGroup(id=ids.MAP_ASSETS)),
        ],
    )


def place_layers(place: dict | None, outline: list) -> list:
    """The searched postcode's marker, its small area's outline and the surrounding-area circle."""
    if place is None:
        return []
    centre = [place["lat"], place["lon"]]
    layers = [dl.Polyline(positions=outline, color="#0b0c0c", weight=3, interactive=False, pane="place")]
    if place.get("radius"):
        layers.append(
            dl.Circle(
                center=centre,
                radius=float(place["radius"]) * 1000,
                color="#1d70b8",
                weight=2,
                fill=False,
                interactive=False,
                pane="place",
            )
        )
    layers.append(
        dl.CircleMarker(
            center=centre,
            radius=8,
            color="#ffffff",
            weight=2,
            fillColor="#1d70b8",
            fillOpacity=1,
            pane="place",
            children=dl.Tooltip(str(place.get("label", ""))[:60]),
        )
    )
    return layers


def asset_layers(assets: list[dict], shown: list[str]) -> list:
    """The nearby strengths switched on, as small coloured points with their names."""
    return [
        dl.CircleMarker(
            center=[a["lat"], a["lon"]],
            radius=5,
            color="#ffffff",
            weight=1,
            fillColor=ASSET_KINDS[a["kind"]][1],
            fillOpacity=1,
            pane="points",
            children=dl.Tooltip(f"{ASSET_KINDS[a['kind']][0]}: {a['name']}"[:120]),
        )
        for a in assets
        if a["kind"] in shown
    ]


def legend(title: list, layer: dict) -> list:
    """The colours the map uses, each with what it stands for, as text beside swatches."""
    items = [
        html.Li([html.Span(className="legend__swatch", style={"background": c}), label])
        for c, label in zip(layer["colours"], layer["labels"])
    ]
    if any(c is None for c in layer["cls"]):
        items.append(
            html.Li([html.Span(className="legend__swatch legend__swatch--missing"), "No data for this small area"])
        )
    return [html.P(title, className="legend__title"), html.Ul(items, className="legend__items")]


def legend_title(chosen: dict, info: dict) -> list:
    label = service.measure_label(chosen["indicator"])
    where = ""
    if chosen["ward"] or chosen["borough"]:
        name = service.ward_label(chosen["ward"]) if chosen["ward"] else service.borough_name(chosen["borough"])
        where = f" Areas outside {name} are faded."
    if chosen["view"] != "values":
        return [html.Strong(f"{service.VIEWS[chosen['view']]}: {label}. "), info["note"], where]
    if registry.exists(chosen["indicator"]):
        ind = registry.get(chosen["indicator"])
        shared = "; neighbourhood (MSOA) figures are shared by their small areas" if ind.geography == "msoa" else ""
        return [
            html.Strong(ind.label),
            f": {ind.unit}, {ind.period}. Darker is worse. Each colour holds about "
            f"as many small areas (LSOA 2021{shared}). Source: {SOURCES[ind.source].publisher}.{where}",
        ]
    return [
        html.Strong(label),
        ": 0 to 100, darker is more risk or less protection. Built from the small-area "
        f"indicators of that role the way the Indices of Deprivation are (see Methods).{where}",
    ]


# ---------------------------------------------------------------------------- the controls


def indicator_groups() -> list[tuple[str, list[registry.Indicator]]]:
    """Map-able indicators grouped: outcomes first, then each level's risk and protective factors."""
    groups = [("Violence and crime (outcomes)", [i for i in registry.mappable() if i.role == "outcome"])]
    for level in LEVELS:
        for role in ("risk", "protective"):
            inds = [i for i in registry.mappable() if i.level == level and i.role == role]
            if inds:
                groups.append((f"{LEVEL_LABELS[level]}: {role} factors", inds))
    return groups


def indicator_menu(chosen: str, with_indices: bool) -> html.Details:
    """The measure the map is coloured by: a menu of toggle buttons (assets/map.js closes it)."""
    groups = [(t, [(i.id, i.label) for i in inds]) for t, inds in indicator_groups()]
    if with_indices:
        groups += list(service.measure_options())
    return html.Details(
        id=ids.INDICATOR_MENU,
        className="control indicator-menu",
        open=False,
        children=[
            html.Summary(
                ["Colour the map by: ", html.Strong(service.measure_label(chosen), id=ids.indicator_current())]
            ),
            html.Div(
                className="indicator-menu__groups",
                children=[
                    html.Div(
                        role="group",
                        className="indicator-menu__group",
                        **{"aria-labelledby": f"ind-group-{n}"},
                        children=[
                            html.H3(title, id=f"ind-group-{n}", className="indicator-menu__title"),
                            *[option(label, ids.indicator_option(mid), mid == chosen) for mid, label in options],
                        ],
                    )
                    for n, (title, options) in enumerate(groups)
                ],
            ),
        ],
    )


def button_group(label: str, label_id: str, buttons: list) -> html.Div:
    return html.Div(
        className="control",
        role="group",
        **{"aria-labelledby": label_id},
        children=[html.Span(label, id=label_id, className="control__label"), *buttons],
    )


def view_options(view: str) -> html.Div:
    return button_group(
        "The map shows",
        "view-label",
        [option(label, ids.view_option(v), v == view) for v, label in service.VIEWS.items()],
    )


def radius_options(radius: float) -> html.Div:
    return button_group(
        "Surrounding area", "radius-label", [option(f"{r:g} km", ids.radius_option(r), r == radius) for r in RADII_KM]
    )


def layer_options() -> html.Div:
    return button_group(
        "Show nearby strengths on the map",
        "layers-label",
        [option(v[0], ids.layer_option(k), False) for k, v in ASSET_KINDS.items()],
    )


def map_section(layer: dict, site, page: str, controls: list, extra: list | None = None) -> html.Section:
    """The map painted with ``layer`` from the start, under its controls, with its legend and
    (``extra``) what follows it, such as the values as a table."""
    from . import layer_key

    info = service.map_layer(layer["indicator"], layer["view"], tuple(layer["w"]))
    first = hideout(info, layer_key(layer), layer["ward"] or layer["borough"])
    return html.Section(
        className="map-section",
        **{"aria-label": "Map and its controls"},
        children=[
            html.Div(controls, className="controls"),
            dcc.Store(id=ids.map_layer(page), data=layer),
            map_panel(first, site.version, site.basemap, page),
            html.Div(
                legend(legend_title(layer, info), info),
                id=ids.map_part(ids.LEGEND, page),
                className="legend",
                **{"aria-live": "polite"},
            ),
            *(extra or []),
        ],
    )
