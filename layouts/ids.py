"""Every component id in the app, in one place."""

URL = "url"
STATE = "view-state"  # {"postcode", "lsoa", "indicator", "radius"}: what the URL says
CHOICES = "choices"  # {"indicator", "view", "borough", "ward", "sort", "w"}: the controls' and planners' input
AREA = "area-key"  # {"postcode", "lsoa", "radius"}: changes only when the profiled area does
PLACE = "place-store"  # the resolved place and its surrounding LSOAs, for the map overlays

SEARCH_FORM = "search-form"
SEARCH_INPUT = "search-input"
SEARCH_BUTTON = "search-button"
SEARCH_MESSAGE = "search-message"

INDICATOR = "indicator"  # store: the indicator the map shows
INDICATOR_MENU = "indicator-menu"  # <details> holding the indicator buttons
INDICATOR_CURRENT = "indicator-current"
LAYERS = "layers"  # store: the point layers switched on


# Pattern-matching ids; each also accepts dash.ALL in place of its value.
def indicator_option(indicator_id) -> dict:
    return {"type": "indicator-option", "id": indicator_id}


def radius_option(km) -> dict:
    return {"type": "radius-option", "km": f"{km:g}" if isinstance(km, (int, float)) else km}


def layer_option(kind) -> dict:
    return {"type": "layer-option", "kind": kind}


MAP = "map"  # the Leaflet map
MAP_AREAS = "map-areas"  # its small-area layer (GeoJSON); hideout = the first colours
MAP_COLOURS = "map-colours"  # store: the colours now asked for (assets/map.js restyles the areas)
MAP_SHOWN = "map-shown"  # store: the key of the colours the areas were restyled with
MAP_PLACE = "map-place"  # marker, outline and circle of the searched place
MAP_ASSETS = "map-assets"  # the nearby strengths switched on
LEGEND = "map-legend"
MAP_TABLE = "map-table"

PROFILE = "profile-body"
NEARBY = "nearby"
DOWNLOADS = "downloads"


def view_option(view) -> dict:
    return {"type": "view-option", "view": view}


def borough_option(code) -> dict:
    return {"type": "borough-option", "code": code}


PRIORITIES = "priorities"
METHODS_OPEN = "methods-open"  # <details>: methods and sources, drawn when opened
METHODS_BODY = "methods-body"
PRIORITIES_OPEN = "priorities-open"  # <details>: the planners' section is computed only when open
COUNTS = "priority-counts"
RANKED = "priority-ranked"
WARD_INPUT = "ward-filter"
WARD_LIST = "ward-list"
WEIGHT_INPUTS = ("weight-individual", "weight-relationships", "weight-community", "weight-society")
WEIGHTS_APPLY = "weights-apply"
CSV_BUTTON = "ranked-csv-button"
CSV_DOWNLOAD = "ranked-csv-download"
COMPARE_INPUT = "compare-input"
COMPARE_BUTTON = "compare-button"
COMPARE_RESULT = "compare-result"
WARD_MESSAGE = "ward-message"
QUADRANT_BOX = "quadrant-box"  # holds the chart only in the quadrant view, so Plotly loads only then
QUADRANT_WARDS = "quadrant-wards"
POLICE_STATUS = "police-status"


def sort_option(sort) -> dict:
    return {"type": "sort-option", "sort": sort}


def quadrant_chart(n) -> dict:
    """The risk-versus-violence chart; a pattern id, as it exists only in the quadrant view."""
    return {"type": "quadrant-chart", "n": n}


# Components a callback puts on the page later; the callback request check accepts them too.
CREATED_BY_CALLBACKS = (quadrant_chart(0),)
