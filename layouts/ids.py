"""Every component id in the app, in one place."""

URL = "url"
STATE = "view-state"  # {"postcode", "lsoa", "indicator", "radius"}: what the URL says
PLACE = "place-store"  # the resolved place and its surrounding LSOAs, for the map overlays

SEARCH_FORM = "search-form"
SEARCH_INPUT = "search-input"
SEARCH_BUTTON = "search-button"
SEARCH_MESSAGE = "search-message"

INDICATOR = "indicator-picker"
RADIUS = "radius-picker"
LAYERS = "layer-toggle"

MAP = "map"
LEGEND = "map-legend"
MAP_TABLE = "map-table"

PROFILE = "profile-body"
NEARBY = "nearby"
DOWNLOADS = "downloads"
