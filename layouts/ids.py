"""Every component id in the app, in one place.

The shell (header, stores, page container) is on every page; each page brings its own
components. A callback shared by pages takes a page's components through pattern-matching
ids (dash.ALL matches none on a page without them), because Dash fires no callback one of
whose plain-id inputs is missing from the page.
"""

import json


def dom_id(component_id: dict) -> str:
    """The id attribute Dash gives a pattern-id component (for a label's htmlFor)."""
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


# ---------------------------------------------------------------------------- the shell
URL = "url"
PAGE = "page"  # the page container: the router writes the page for the URL's path into it
PAGE_NAME = "page-name"  # store: {"name": ..., "title": ...} of the page shown
TITLE = "document-title"  # store: the title assets/explorer.js gave the document
PLAN_LINKS = "plan-links"
CHANGE_CHOICE = "change-choice"
CHANGE_BOX = "change-box"
SERIES_BOX = "series-box"
STATE = "view-state"  # the whole clean state the URL says (service/urlstate.py)
CHOICES = "choices"  # {"indicator", "view", "borough", "ward", "sort", "w"}: the controls' and planners' input
LAYERS = "layers"  # store: the point layers switched on
URL_NOTICE = "url-notice"  # sentences about parts of a link that could not be honoured

SEARCH_FORM = "search-form"
SEARCH_INPUT = "search-input"
SEARCH_BUTTON = "search-button"
SEARCH_MESSAGE = "search-message"


def page_state(page) -> dict:
    """A page's own store of the part of the state it draws from (callbacks/state.py PAGE_PARTS):
    written when that part changes, so a page's callbacks fire only on their page."""
    return {"type": "page-state", "page": page}


def map_layer(page) -> dict:
    """A map page's store of the layer its map shows (measure, view, filter, weights)."""
    return {"type": "map-layer", "page": page}


def nav_link(name) -> dict:
    return {"type": "nav-link", "page": name}


# ---------------------------------------------------------------------------- Your area
PLACE = "place-store"  # the resolved place and its surrounding LSOAs, for the map overlays
PROFILE = "profile-body"
NEARBY = "nearby"  # beside the map: strengths nearby and the downloads
AREA_MORE = "area-more"  # under the map: borough figures and recorded crime


# ---------------------------------------------------------------------------- the map (Your area and Plan)
MAP = "map"  # the Leaflet map
MAP_COLOURS = "map-colours"  # store: the colours now asked for (assets/map.js restyles the areas)
MAP_SHOWN = "map-shown"  # store: the key of the colours the areas were restyled with
# (with LEGEND, each is a pattern id {"type": ..., "page": ...} on the page's map: see map_part)
MAP_PLACE = "map-place"  # marker, outline and circle of the searched place
MAP_ASSETS = "map-assets"  # the nearby strengths switched on
LEGEND = "map-legend"
MAP_TABLE = "map-table"
INDICATOR_MENU = "indicator-menu"


def map_part(part: str, page) -> dict:
    """MAP_COLOURS, MAP_SHOWN or LEGEND of a page's map; dash.MATCH pairs them with its layer."""
    return {"type": part, "page": page}  # <details> holding the indicator buttons


def map_areas(n=0) -> dict:
    """The map's small-area layer (GeoJSON; its hideout holds the first colours): a pattern id,
    as its clicks feed the state callback on every page."""
    return {"type": "map-areas", "n": n}


def indicator_current(n=0) -> dict:
    return {"type": "indicator-current", "n": n}


# Pattern-matching ids; each also accepts dash.ALL in place of its value.
def indicator_option(indicator_id) -> dict:
    return {"type": "indicator-option", "id": indicator_id}


def radius_option(km) -> dict:
    return {"type": "radius-option", "km": f"{km:g}" if isinstance(km, (int, float)) else km}


def layer_option(kind) -> dict:
    return {"type": "layer-option", "kind": kind}


def view_option(view) -> dict:
    return {"type": "view-option", "view": view}


def borough_option(code) -> dict:
    return {"type": "borough-option", "code": code}


def sort_option(sort) -> dict:
    return {"type": "sort-option", "sort": sort}


def change_option(kind, value) -> dict:
    """A choice of the change section: kind "domain" (IoD) or "series" (LAIT indicator)."""
    return {"type": "change-option", "kind": kind, "value": value}


def ward_sort_option(sort) -> dict:
    return {"type": "ward-sort-option", "sort": sort}


# ---------------------------------------------------------------------------- Plan
COUNTS = "priority-counts"
RANKED = "priority-ranked"
WARD_LIST = "ward-list"
CSV_BUTTON = "ranked-csv-button"
CSV_DOWNLOAD = "ranked-csv-download"
QUADRANT_BOX = "quadrant-box"  # holds the chart only in the quadrant view, so Plotly loads only then
QUADRANT_WARDS = "quadrant-wards"
POLICE_STATUS = "police-status"


def ward_input(n=0) -> dict:
    return {"type": "ward-filter", "n": n}


def ward_message(n=0) -> dict:
    return {"type": "ward-message", "n": n}


def weights_message(n=0) -> dict:
    return {"type": "weights-message", "n": n}


def weight_input(level) -> dict:
    return {"type": "weight", "level": level}


def weights_apply(n=0) -> dict:
    return {"type": "weights-apply", "n": n}


def quadrant_chart(n) -> dict:
    """The risk-versus-violence chart; a pattern id, as it exists only in the quadrant view."""
    return {"type": "quadrant-chart", "n": n}


# ---------------------------------------------------------------------------- Compare, Download
def compare_input(n=0) -> dict:
    return {"type": "compare-input", "n": n}


def compare_button(n=0) -> dict:
    return {"type": "compare-button", "n": n}


COMPARE_RESULT = "compare-result"
DOWNLOADS = "downloads"


def factor(indicator_id) -> dict:
    """The button in the chart (or the borough figures) that opens a factor's card."""
    return {"type": "factor", "id": indicator_id}


FACTOR_CARD = "factor-card"  # where the chosen factor's card is drawn, under the chart


def created_by_callbacks() -> tuple:
    """Components a callback puts on the page later; the callback request check accepts them too."""
    from geodata.registry import INDICATORS
    from service.urlstate import WARD_SORTS

    return (
        quadrant_chart(0),
        FACTOR_CARD,
        *[factor(i.id) for i in INDICATORS],
        *[ward_sort_option(k) for k in WARD_SORTS],
    )
