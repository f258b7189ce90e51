"""The explorer without a browser: layout functions, callbacks called directly (as Dash calls
them, on a given page), and the app through Flask's test client."""

from __future__ import annotations

import gzip
import json
from contextvars import copy_context
from urllib.parse import parse_qsl, urlencode

import pytest
from dash import ALL, html, no_update
from dash._callback_context import context_value
from dash._grouping import map_grouping
from dash._utils import AttributeDict
from dash.dependencies import Wildcard
from serving import SEARCH_OUTPUT, callback_body, search_values

import service
from app import app
from callbacks import area, mapview, plan, state
from callbacks.router import render
from geodata import load as geodata_load
from geodata import registry
from geodata.profile import RADII_KM
from geodata.registry import LEVELS
from layouts import ids, layer_key, shell
from layouts import mapview as mapview_layout
from layouts.mapview import indicator_groups
from layouts.pages import Site, by_name, pages, title_of
from service.urlstate import MAX_COMPARE, clean, default_state, layer_of, parse_query, read_query, to_query
from web.callback_guard import output_specs

LAYER = {"indicator": "violence_with_injury_rate", "view": "values", "w": [1, 1, 1, 1], "borough": None, "ward": None}
SITE = app.server.config["EXPLORER_SITE"]
app.server.test_client().get("/_dash-layout")  # Dash moves the registered callbacks into app.callback_map


class _Encoder(json.JSONEncoder):
    def default(self, o):
        if hasattr(o, "to_plotly_json"):
            return o.to_plotly_json()
        return str(o)


def text_of(value: object) -> str:
    return json.dumps(value, cls=_Encoder)


# ---------------------------------------------------------------- calling callbacks as Dash does


def pid(cid: object, prop: str) -> str:
    """A prop id as Dash writes it in ``ctx.triggered`` (sorted compact JSON for a dict id)."""
    return (json.dumps(cid, sort_keys=True, separators=(",", ":")) if isinstance(cid, dict) else str(cid)) + "." + prop


def components(tree: object) -> list:
    return [c for c in tree._traverse() if getattr(c, "id", None) is not None]  # type: ignore[attr-defined]


def page_tree(name: str, s: dict | None = None) -> html.Div:
    """What the renderer holds on a page: the shell with the page drawn into it for a state."""
    return html.Div([shell(), html.Div(render(by_name(name), s or default_state(), SITE))])


def _fits(pattern: dict, cid: object) -> bool:
    """A concrete id fits a pattern id (wildcards as dash.ALL or as Dash writes them, ["ALL"])."""
    return (
        isinstance(cid, dict)
        and set(cid) == set(pattern)
        and all(isinstance(v, (list, Wildcard)) or cid[k] == v for k, v in pattern.items())
    )


def _many(spec_id: str) -> bool:
    return spec_id.startswith("{") and any(isinstance(v, list) and v != ["MATCH"] for v in json.loads(spec_id).values())


def entry_of(func) -> tuple[str, dict]:
    return next(
        (k, cb) for k, cb in app.callback_map.items() if "callback" in cb and cb["callback"].__wrapped__ is func
    )


def outputs_on(key: str, name: str) -> list:
    """The callback's outputs as Dash lists them on a page: each pattern output's components there."""
    on_page = [c.id for c in components(page_tree(name))]
    out = []
    for spec in output_specs(key):
        cid, prop = spec["id"], spec["property"].split("@")[0]
        if cid.startswith("{"):
            found = [{"id": c, "property": prop} for c in on_page if _fits(json.loads(cid), c)]
            out.append(found if _many(cid) else found[0])
        else:
            out.append({"id": cid, "property": prop})
    return out if key.startswith("..") else out[0]


def run_callback(func, triggered: list[tuple[str, object]], *args, page="area", outputs_list=None, **kwargs):
    """Call a Dash callback function as Dash would on ``page``: ``ctx.triggered``, and
    ``ctx.outputs_list`` and ``ctx.outputs_grouping`` listing the page's components."""
    key, cb = entry_of(func)
    outputs = outputs_list if outputs_list is not None else outputs_on(key, page)
    flat = outputs if key.startswith("..") else [outputs]

    def go():
        context_value.set(
            AttributeDict(
                triggered_inputs=[{"prop_id": p, "value": v} for p, v in triggered],
                outputs_list=outputs,
                outputs_grouping=map_grouping(lambda i: flat[i], cb["outputs_indices"]),
            )
        )
        return func(*args, **kwargs)

    with app.server.test_request_context():
        return copy_context().run(go)


_UNSET = object()


def held(name: str, shown: dict) -> tuple[list, list]:
    """The page's own stores (page_state, map_layer) as they hold the state ``shown``."""
    tree = components(page_tree(name))
    parts = [state._json(state.PAGE_PARTS[c.id["page"]](shown)) for c in tree if _fits(ids.page_state(ALL), c.id)]
    layers = [layer_of(shown, c.id["page"]) for c in tree if _fits(ids.map_layer(ALL), c.id)]
    return parts, layers


def update(search, triggered, page="area", shown=None, stored=_UNSET, **kwargs):
    """update_state on ``page`` with the URL at ``search``; the page shows the state of ``shown``
    (default: what ``search`` says), and its stores hold it."""
    now = parse_query(search if shown is None else shown)
    parts, layers = held(page, now)
    kwargs.setdefault("parts_now", parts)
    kwargs.setdefault("layers_now", layers)
    return run_callback(
        state.update_state,
        triggered,
        search,
        page=page,
        stored=now if stored is _UNSET else stored,
        pathname=by_name(page).path,
        **kwargs,
    )


def unchanged(value: object) -> bool:
    """no_update, or a pattern output's list of them."""
    return value is no_update or (isinstance(value, list) and all(v is no_update for v in value))


# ---------------------------------------------------------------- URL state


@pytest.mark.parametrize(
    "query, expected",
    [
        (
            "?postcode=b15+2tt&indicator=imd_decile&radius=2",
            {**default_state(), "postcode": "B15 2TT", "indicator": "imd_decile", "radius": 2.0},
        ),
        (
            "?indicator=risk_index&view=hotspots&borough=E08000026&w=1,0,2,1",
            {
                **default_state(),
                "indicator": "risk_index",
                "view": "hotspots",
                "borough": "E08000026",
                "w": (1.0, 0.0, 2.0, 1.0),
            },
        ),
        ("?view=nonsense&w=9,9,9,9&ward=<script>", default_state()),
        ("?lsoa=E01009417", {**default_state(), "lsoa": "E01009417"}),
        ("", default_state()),
        (None, default_state()),
        ("?indicator=not_an_indicator&radius=7", default_state()),
        ("?indicator=permanent_exclusion_rate", default_state()),  # borough-wide: never on the map
        ("?lsoa=DROP TABLE", default_state()),
        ("?postcode=" + "A" * 500, default_state()),
        ("?radius=abc&radius=1", default_state()),
        (
            "?sort=low&compare=b15+2tt;E08000026",
            {**default_state(), "sort": "low", "compare": ("B15 2TT", "E08000026")},
        ),
        ("?compare=B1;B2;B3;B4;B5", {**default_state(), "compare": ("B1", "B2", "B3", "B4")}),
    ],
)
def test_parse_query_accepts_good_state_and_defaults_the_rest(query, expected):
    assert parse_query(query) == expected


def test_query_round_trip():
    s = {
        **default_state(),
        "postcode": "CV1 2",
        "indicator": "loneliness_pct",
        "radius": 0.5,
        "view": "quadrants",
        "ward": "E05011134",
        "w": (0.0, 1.0, 1.0, 3.0),
        "sort": "high",
        "compare": ("B15 2TT", "E08000026"),
    }
    assert parse_query(to_query(s)) == s
    assert parse_query(to_query({**s, "ward": None, "borough": "E08000026", "lsoa": "E01009417"}))["borough"]
    assert clean({"postcode": "B1 1AA", "lsoa": "E01009417"})["lsoa"] is None  # postcode wins


GOOD_LINK = (
    "?postcode=B15+2TT&indicator=imd_decile&radius=2&view=hotspots&ward=E05011134&w=0,1,2,1&sort=low"
    "&compare=B15+2TT;E08000026"
)


@pytest.mark.parametrize(
    "query, words",
    [
        ("?indicator=no_such_measure", "measure “no_such_measure”"),
        ("?radius=7", "radius “7”"),
        ("?view=sideways", "map view “sideways”"),
        ("?borough=E08000099", "borough “E08000099”"),
        ("?ward=Atlantis", "ward “Atlantis”"),
        ("?w=9,9,9,9", "index weights"),
        ("?w=0,0,0,0", "index weights"),
        ("?sort=sideways", "table order “sideways”"),
        ("?postcode=" + "B" * 40, "postcode is too long"),
        ("?lsoa=DROP+TABLE", "“DROP TABLE” in the link is not a small-area code"),
        ("?compare=B1;B2;B3;B4;B5", f"more than {MAX_COMPARE} places"),
    ],
)
def test_read_query_says_which_part_of_a_link_cannot_be_honoured(query, words):
    s, notes = read_query(query)
    assert len(notes) == 1 and words in notes[0], notes
    # in a link that is otherwise good, only that part is said, and the rest still holds
    bad = dict(parse_qsl(query[1:]))
    mixed = {**dict(parse_qsl(GOOD_LINK[1:])), **bad}
    if "lsoa" in bad:
        del mixed["postcode"]  # else the postcode wins and the small area is never read
    s, notes = read_query("?" + urlencode(mixed))
    assert len(notes) == 1 and words in notes[0], notes
    good = parse_query(GOOD_LINK)
    assert all(s[k] == good[k] for k in ("indicator", "radius", "view", "w", "sort") if k not in bad)


def test_a_good_link_gives_no_sentence():
    s, notes = read_query(GOOD_LINK)
    assert notes == [] and s["ward"] == "E05011134" and s["compare"] == ("B15 2TT", "E08000026")
    assert read_query("") == (default_state(), []) and read_query(None) == (default_state(), [])


def test_a_link_not_honoured_is_said_and_a_choice_clears_the_sentence():
    out = update("?radius=7&view=sideways", [(pid(ids.URL, "search"), "?radius=7&view=sideways")], stored=None)
    said = " ".join(p.children for p in out["notice"])
    assert "radius “7”" in said and "map view “sideways”" in said and out["notice"][0].className.endswith("error")
    plain = update("?indicator=imd_decile", [(pid(ids.URL, "search"), "?indicator=imd_decile")], stored=None)
    assert plain["notice"] == ""
    choice = update("?radius=7", [(pid(ids.radius_option(2), "n_clicks"), 1)])
    assert choice["notice"] == "" and "radius=2" in choice["url"]


# ---------------------------------------------------------------- pages and layouts

FULL_STATES = [
    parse_query(GOOD_LINK),
    parse_query("?lsoa=E01009417&indicator=risk_index&radius=0.5&view=quadrants&borough=E08000026&w=1,0,3,0.5"),
]
PRESSED_BY = {"indicator-option": ("id", "indicator"), "view-option": ("view", "view"), "sort-option": ("sort", "sort")}


@pytest.mark.parametrize("name", [p.name for p in pages()])
@pytest.mark.parametrize("s", [default_state(), *FULL_STATES], ids=["default", "full-ward", "full-borough"])
def test_every_page_renders_for_the_default_and_a_full_state(name, s):
    page = by_name(name)
    drawn = render(page, s, SITE)
    tree = html.Div(drawn)
    text = text_of(drawn)
    assert '"page-heading"' in text
    comps = {pid(c.id, ""): c for c in components(tree)}
    if name in state.PAGE_PARTS:  # the page's own store, marked fresh for update_state
        store = comps[pid(ids.page_state(name), "")]
        assert store.data == {**state.PAGE_PARTS[name](s), "fresh": True}
    else:
        assert not any(_fits(ids.page_state(ALL), c.id) for c in comps.values())
    # the controls the page draws show the state's choices from the start
    for c in comps.values():
        if isinstance(c.id, dict) and c.id["type"] in PRESSED_BY:
            key, part = PRESSED_BY[c.id["type"]]
            assert getattr(c, "aria-pressed") == str(c.id[key] == s[part]).lower(), c.id
        if isinstance(c.id, dict) and c.id["type"] == "borough-option":
            assert getattr(c, "aria-pressed") == str(c.id["code"] == (s["borough"] or "all")).lower(), c.id
        if isinstance(c.id, dict) and c.id["type"] == "radius-option":
            assert getattr(c, "aria-pressed") == str(float(c.id["km"]) == s["radius"]).lower(), c.id
        if isinstance(c.id, dict) and c.id["type"] == "map-layer":
            assert c.data == layer_of(s, c.id["page"])
        if isinstance(c.id, dict) and c.id["type"] == "weight":
            assert c.value == dict(zip(LEVELS, s["w"]))[c.id["level"]]
        if isinstance(c.id, dict) and c.id["type"] == "ward-filter":
            assert c.value == (service.ward_label(s["ward"]) if s["ward"] else "")
        if isinstance(c.id, dict) and c.id["type"] == "compare-input":
            assert c.value == "; ".join(s["compare"])
    if name == "methods":
        assert "Every indicator" in text and "violence_with_injury_rate" in text
    if name == "plan":  # the ward box suggests every ward
        wards = comps[pid(ids.WARD_LIST, "")].children
        assert len(wards) == 192 and "Edgbaston (Birmingham)" in [o.value for o in wards]


def test_indicator_picker_groups_every_mappable_indicator_once_and_no_borough_figures():
    listed = [i.id for _, inds in indicator_groups() for i in inds]
    assert sorted(listed) == sorted(i.id for i in registry.mappable())
    assert len(listed) == len(set(listed))
    assert all(registry.get(i).geography != "borough" for i in listed)
    titles = [t for t, _ in indicator_groups()]
    assert titles[0].startswith("Violence")
    assert any("Individual" in t and "risk" in t for t in titles)


def test_shell_has_labelled_search_and_your_area_every_component_id():
    shell_text = text_of(shell())
    for cid in (ids.SEARCH_INPUT, ids.SEARCH_BUTTON, ids.SEARCH_MESSAGE, ids.STATE, ids.CHOICES, ids.PAGE, ids.URL):
        assert f'"{cid}"' in shell_text
    assert '"htmlFor": "search-input"' in shell_text
    assert '"aria-live": "polite"' in shell_text
    found = {pid(c.id, "") for c in components(page_tree("area"))}
    for cid in (
        ids.MAP,
        ids.map_areas(),
        ids.PROFILE,
        ids.PLACE,
        ids.LAYERS,
        ids.page_state("area"),
        ids.map_layer("area"),
    ):
        assert pid(cid, "") in found


def test_the_page_carries_no_geometry_only_versioned_urls_to_it():
    for name in ("area", "plan"):
        layout = text_of(render(by_name(name), default_state(), Site("abc123", "none")))
        assert '"coordinates"' not in layout and "TileLayer" not in layout  # no tiles by default
        for layer in ("lsoa21", "wards", "boroughs", "labels"):
            assert f"/geo/{layer}.abc123.json" in layout
        assert len(layout) < 200_000  # the hideout (colour classes) is ~15 KB; the rest is text and controls


def test_first_paint_colours_every_area_from_the_pages_layer():
    for name, s, key in (
        ("area", default_state(), "violence_with_injury_rate|values|"),
        ("plan", parse_query("?indicator=imd_decile&view=hotspots"), "imd_decile|hotspots|"),
        ("area", parse_query("?indicator=imd_decile&view=hotspots"), "imd_decile|values|"),  # Your area: values
    ):
        comps = components(html.Div(render(by_name(name), s, SITE)))  # the hideout is in the page: no callback
        areas = next(c for c in comps if c.id == ids.map_areas())
        assert len(areas.hideout["cls"]) == 1719 and areas.hideout["key"].startswith(key)
        assert max(c for c in areas.hideout["cls"] if c is not None) == len(areas.hideout["colours"]) - 1
        shown = next(c for c in comps if c.id == ids.map_part(ids.MAP_SHOWN, name))
        assert shown.data == areas.hideout["key"] == layer_key(layer_of(s, name))


@pytest.mark.parametrize(
    "basemap, url",
    [
        ("none", None),
        ("", None),
        ("white-bg", None),
        ("open-street-map", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
        ("https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org/{z}/{x}/{y}.png"),
        ("javascript:alert(1)", None),
    ],
)
def test_basemap_setting_adds_tiles_only_when_asked(basemap, url):
    layers = mapview_layout.basemap_layer(basemap)
    assert [t.url for t in layers] == ([url] if url else [])


def test_profile_shows_four_levels_violence_caveat_strengths_downloads_and_borough_figures():
    prof, nearby, more, *_ = area.update_area({"postcode": "B15 2TT", "radius": 1})
    text = text_of([prof, nearby, more])
    for heading in (
        "Individual",
        "Relationships (family and peers)",
        "Community",
        "Society",
        "Violence and crime here",
        "What this does and does not mean",
        "risk factors",
        "protective factors",
        "Strengths within 1 km",
        "Borough figures for Birmingham",
        "Recorded crime month by month",
    ):
        assert heading in text
    assert "/api/v1/postcodes/B15%202TT/profile.pdf?radius_km=1" in text
    assert f'"{ids.FACTOR_CARD}"' in text


def test_a_factor_card_opens_on_a_click_with_its_source_and_licence():
    part = {"postcode": "B15 2TT", "lsoa": None, "radius": 1.0}
    trig = pid(ids.factor("imd_decile"), "n_clicks")
    card = run_callback(area.show_factor, [(trig, 1)], [1], part)
    text = text_of(card)
    assert "Overall deprivation" in text and "Open Government Licence v3.0" in text
    assert run_callback(area.show_factor, [(trig, 0)], [0], part) is no_update  # the chart appearing
    assert run_callback(area.show_factor, [(trig, 1)], [1], {"postcode": None}) is no_update  # no place


# ---------------------------------------------------------------- update_state: the URL is the one source of truth


def test_search_for_a_postcode_writes_the_url_and_state():
    out = update("?indicator=imd_decile&radius=2", [(pid(ids.SEARCH_INPUT, "n_submit"), 1)], typed="b15 2tt")
    assert out["url"] == "?postcode=B15+2TT&indicator=imd_decile&radius=2"
    assert out["state"]["postcode"] == "B15 2TT" and out["state"]["radius"] == 2.0
    assert out["parts"] == [{"postcode": "B15 2TT", "lsoa": None, "radius": 2.0}]
    assert unchanged(out["layers"]) and out["choices"] is no_update  # unchanged measure: nothing sent to the map
    assert out["path"] is no_update  # on Your area it stays
    assert "Edgbaston" in out["message"].children


@pytest.mark.parametrize("name", ["plan", "compare", "methods"])
def test_a_search_on_a_page_that_shows_no_place_opens_your_area(name):
    out = update("?indicator=imd_decile", [(pid(ids.SEARCH_BUTTON, "n_clicks"), 1)], page=name, typed="B15 2TT")
    assert out["path"] == "/" and out["url"] == "?postcode=B15+2TT&indicator=imd_decile&radius=1"
    failed = update("?indicator=imd_decile", [(pid(ids.SEARCH_BUTTON, "n_clicks"), 1)], page=name, typed="HELLO")
    assert failed["path"] is no_update  # nothing found: the reader stays where they are


@pytest.mark.parametrize("name", ["area", "download"])
def test_a_search_on_a_page_that_shows_the_place_stays_there(name):
    out = update("", [(pid(ids.SEARCH_INPUT, "n_submit"), 1)], page=name, typed="B15 2TT")
    assert out["path"] is no_update and out["state"]["postcode"] == "B15 2TT"
    assert out["parts"] == [{"postcode": "B15 2TT", "lsoa": None, "radius": 1.0}]


@pytest.mark.parametrize(
    "typed, words",
    [
        ("hello", "is not a UK postcode"),
        ("HELLO", "is not a UK postcode"),
        ("EH1 1YZ", "could not find"),
        ("B99 9ZZ", "could not find"),
        ("B60 1AA", "Bromsgrove"),
        ("", "Type a postcode"),
        (None, "Type a postcode"),
        ("x" * 10_000, "is not a UK postcode"),
    ],
)
@pytest.mark.parametrize("before", ["?postcode=B15+2TT&indicator=imd_decile", "?lsoa=E01009417&indicator=imd_decile"])
def test_bad_search_input_shows_a_sentence_and_clears_the_place(typed, words, before):
    out = update(before, [(pid(ids.SEARCH_BUTTON, "n_clicks"), 1)], typed=typed)
    assert words in out["message"].children and "message--error" in out["message"].className
    # no stale profile or marker under the message; the measure stays
    assert out["url"] == "?indicator=imd_decile&radius=1"
    assert out["state"]["postcode"] is None and out["state"]["lsoa"] is None
    assert out["parts"] == [{"postcode": None, "lsoa": None, "radius": 1.0}]
    assert out["typed"] is no_update and out["choices"] is no_update and unchanged(out["layers"])
    again = update("?indicator=imd_decile", [(pid(ids.SEARCH_BUTTON, "n_clicks"), 2)], typed=typed)
    assert again["url"] is no_update and unchanged(again["parts"])  # nothing to clear: only the message
    assert words in again["message"].children


def test_opening_a_shared_url_sets_state_controls_and_each_pages_layer():
    link = "?postcode=CV1+2&indicator=loneliness_pct&radius=0.5&view=hotspots"
    expected = {
        **default_state(),
        "postcode": "CV1 2",
        "indicator": "loneliness_pct",
        "radius": 0.5,
        "view": "hotspots",
    }
    for name, layers in (
        ("plan", [{**LAYER, "indicator": "loneliness_pct", "view": "hotspots", "w": [1.0, 1.0, 1.0, 1.0]}]),
        ("area", [{**LAYER, "indicator": "loneliness_pct", "view": "values", "w": [1.0, 1.0, 1.0, 1.0]}]),
        ("methods", []),
    ):
        out = update(link, [], page=name, shown="", stored=None)  # the browser's back button, or a link opened
        assert out["url"] is no_update and out["path"] is no_update
        assert out["state"] == expected and out["typed"] == "CV1 2" and out["notice"] == ""
        assert out["layers"] == layers
        assert out["choices"] == state.choices_of(expected)
    area_part = update(link, [], page="area", shown="", stored=None)["parts"]
    assert area_part == [{"postcode": "CV1 2", "lsoa": None, "radius": 0.5}]


def test_a_search_writes_only_the_area_so_controls_and_planners_do_not_run():
    """update_controls and the Plan page take the choices; a search must leave them alone."""
    out = update("?indicator=imd_decile&view=hotspots", [(pid(ids.SEARCH_BUTTON, "n_clicks"), 1)], typed="B15 2TT")
    assert out["parts"] == [{"postcode": "B15 2TT", "lsoa": None, "radius": 1.0}]
    assert out["choices"] is no_update and unchanged(out["layers"])
    switch = update("?postcode=B15+2TT", [(pid(ids.indicator_option("gp_minutes"), "n_clicks"), 1)])
    assert switch["choices"]["indicator"] == "gp_minutes" and unchanged(switch["parts"])
    assert switch["layers"] == [{**LAYER, "indicator": "gp_minutes", "w": [1.0, 1.0, 1.0, 1.0]}]


# (page, a step its part does not depend on, a step it does): state.PAGE_PARTS parts are
# written only when they change, so each page's callbacks run only for what they show.
PART_STEPS = {
    "area": (
        (pid(ids.indicator_option("imd_decile"), "n_clicks"), {}),
        (pid(ids.radius_option(2), "n_clicks"), {}),
    ),
    "download": (
        (pid(ids.indicator_option("imd_decile"), "n_clicks"), {}),
        (pid(ids.SEARCH_INPUT, "n_submit"), {"typed": "CV1 2"}),
    ),
    "plan": (
        (pid(ids.SEARCH_INPUT, "n_submit"), {"typed": "CV1 2"}),
        (pid(ids.sort_option("low"), "n_clicks"), {}),
    ),
    "compare": (
        (pid(ids.indicator_option("imd_decile"), "n_clicks"), {}),
        (pid(ids.compare_button(), "n_clicks"), {"compare": ["B15 2TT; E08000026"]}),
    ),
}


def test_every_page_part_has_a_step_that_leaves_it_and_one_that_writes_it():
    assert set(PART_STEPS) == set(state.PAGE_PARTS)


@pytest.mark.parametrize("name", sorted(PART_STEPS))
def test_a_pages_part_is_written_only_when_it_changes(name):
    search = "?postcode=B15+2TT&indicator=risk_index"
    (same, same_kw), (new, new_kw) = PART_STEPS[name]
    left = update(search, [(same, 1)], page=name, **same_kw)
    assert left["url"] is not no_update and left["parts"] == [no_update], left["parts"]
    written = update(search, [(new, 1)], page=name, **new_kw)
    assert written["url"] is not no_update
    assert (
        written["parts"]
        == [state._json(state.PAGE_PARTS[name](written["state"]))]
        != held(name, parse_query(search))[0]
    )
    # the part as the store already holds it: nothing written, even as the URL changes
    stale = update(search, [(new, 1)], page=name, parts_now=written["parts"], **new_kw)
    assert stale["parts"] == [no_update]


def test_a_fresh_page_store_is_written_once_without_its_mark_as_the_page_appears():
    part = state._json(state.PAGE_PARTS["plan"](default_state()))
    appear = [(pid(ids.indicator_option("imd_decile"), "n_clicks"), 0)]  # controls mounting, not a click
    out = update("", appear, page="plan", parts_now=[{**part, "fresh": True}])
    assert out["parts"] == [part] and out["url"] is no_update and out["state"] is no_update
    again = update("", appear, page="plan", parts_now=[part])
    assert again["parts"] == [no_update]


def test_the_area_callback_presses_the_radius_shown():
    *_, radii = area.update_area({"postcode": "B15 2TT", "radius": 2})
    assert radii == [str(km == 2.0).lower() for km in RADII_KM] and radii.count("true") == 1


def test_a_url_that_says_what_the_page_shows_sets_off_nothing():
    for name in ("area", "plan", "methods"):
        out = update("", [(pid(ids.URL, "search"), "")], page=name, stored=None)  # a plain visit
        assert out["notice"] == "" and all(unchanged(v) for k, v in out.items() if k != "notice"), out
        out = update("?postcode=B15+2TT", [(pid(ids.URL, "search"), "?postcode=B15+2TT")], page=name)
        assert all(unchanged(v) for k, v in out.items() if k != "notice"), out
    back = update("", [(pid(ids.URL, "search"), "")], shown="?postcode=B15+2TT")
    assert back["state"] == default_state() and back["parts"] == [{"postcode": None, "lsoa": None, "radius": 1.0}]
    assert back["url"] is no_update  # the URL itself said it


def test_clicking_an_lsoa_opens_its_profile():
    click = {"type": "Feature", "id": "E01009417", "properties": {"i": 3}, "latlng": {"lat": 52.5, "lng": -1.9}}
    trig = [(pid(ids.map_areas(), "clickData"), click)]
    out = update("?postcode=B15+2TT", trig, click=[click])
    assert out["state"]["lsoa"] == "E01009417" and out["state"]["postcode"] is None
    assert "lsoa=E01009417" in out["url"] and out["path"] is no_update
    assert out["parts"] == [{"postcode": None, "lsoa": "E01009417", "radius": 1.0}]
    on_plan = update("?postcode=B15+2TT", trig, page="plan", click=[click])
    assert on_plan["path"] == "/" and "lsoa=E01009417" in on_plan["url"]  # Your area opens with it
    for junk in ({"id": 7}, {"latlng": [1, 2]}, "E01009417", {"id": "E01009417<script>"}, None):
        out = update("?postcode=B15+2TT", [(pid(ids.map_areas(), "clickData"), junk)], click=[junk])
        assert all(unchanged(v) for v in out.values()), junk


def test_a_point_of_the_quadrant_chart_opens_its_small_area():
    point = {"points": [{"curveNumber": 0, "customdata": "E01009417"}]}
    trig = [(pid(ids.quadrant_chart(0), "clickData"), point)]
    out = update("?view=quadrants", trig, page="plan", point=[point])
    assert out["path"] == "/" and "lsoa=E01009417" in out["url"] and "view=quadrants" in out["url"]
    junk = update("?view=quadrants", trig, page="plan", point=[{"points": [{}]}])
    assert all(unchanged(v) for v in junk.values())


def test_filters_views_and_weights_go_into_the_url():
    out = update("?view=hotspots", [(pid(ids.borough_option("E08000026"), "n_clicks"), 1)], page="plan")
    assert "borough=E08000026" in out["url"] and "view=hotspots" in out["url"]
    assert out["layers"] == [{**LAYER, "view": "hotspots", "borough": "E08000026", "w": [1.0, 1.0, 1.0, 1.0]}]
    assert out["choices"]["borough"] == "E08000026" and out["path"] is no_update
    every = update("?borough=E08000026", [(pid(ids.borough_option("all"), "n_clicks"), 1)], page="plan")
    assert "borough" not in every["url"]
    view = update("", [(pid(ids.view_option("quadrants"), "n_clicks"), 1)], page="plan")
    assert "view=quadrants" in view["url"] and view["layers"][0]["view"] == "quadrants"
    on_area = update("", [(pid(ids.view_option("quadrants"), "n_clicks"), 1)], page="area")
    assert unchanged(on_area["layers"])  # Your area's map always shows values

    apply = [(pid(ids.weights_apply(), "n_clicks"), 1)]
    out = update("?indicator=risk_index", apply, page="plan", weights=[0, 1, 2, 1])
    assert "w=0%2C1%2C2%2C1" in out["url"]
    assert out["layers"] == [
        {"indicator": "risk_index", "view": "values", "w": [0.0, 1.0, 2.0, 1.0], "borough": None, "ward": None}
    ]
    halves = update("?indicator=risk_index", apply, page="plan", weights=[1.5, 2.5, 0.5, 3])
    assert "w=1.5%2C2.5%2C0.5%2C3" in halves["url"] and halves["layers"][0]["w"] == [1.5, 2.5, 0.5, 3.0]
    assert halves["weights_message"] == [""]
    for bad in ([9, 9, 9, 9], [0, 0, 0, 0], ["x", 1, 1, 1], [1, 1], [1.25, 1, 1, 1], None):  # refused, with a sentence
        out = update("?indicator=risk_index", apply, page="plan", weights=bad)
        assert out["url"] is no_update and unchanged(out["layers"]), bad
        assert "Those weights cannot be used" in out["weights_message"][0].children and "Nothing was changed" in (
            out["weights_message"][0].children
        )
    assert parse_query("?w=1.5,2.5,0,1")["w"] == (1.5, 2.5, 0.0, 1.0)  # every value the box offers, from a link too

    ward = [(pid(ids.ward_input(), "value"), "x")]
    out = update("", ward, page="plan", ward=["Atlantis"])
    assert out["url"] is no_update and len(out["ward_message"]) == 1
    assert "No ward called “Atlantis”" in out["ward_message"][0].children
    out = update("?borough=E08000026", ward, page="plan", ward=["Edgbaston (Birmingham)"])
    assert "ward=E05011134" in out["url"] and "borough" not in out["url"] and out["ward_message"] == [""]
    assert out["layers"][0]["ward"] == "E05011134" and out["layers"][0]["borough"] is None
    out = update("?ward=E05011134", ward, page="plan", ward=[""])
    assert "ward" not in out["url"] and out["ward_message"] == [""]  # empty: every ward


def test_compare_goes_into_the_url():
    for trig in (pid(ids.compare_button(), "n_clicks"), pid(ids.compare_input(), "n_submit")):
        out = update("?radius=2", [(trig, 1)], page="compare", compare=["b15 2tt; E08000026"])
        assert out["url"] == "?indicator=violence_with_injury_rate&radius=2&compare=B15+2TT%3BE08000026"
        assert out["parts"] == [{"compare": ["B15 2TT", "E08000026"], "radius": 2.0}]
        assert out["path"] is no_update  # a comparison stays on Compare


def test_controls_show_the_choices_made():
    choices = state.choices_of(parse_query("?indicator=imd_decile&view=hotspots&borough=E08000026&sort=low&w=0,1,2,1"))
    key, _ = entry_of(state.update_controls)
    ind, view, borough, sort, current, ward, weights = run_callback(
        state.update_controls, [(pid(ids.CHOICES, "data"), choices)], choices, page="plan"
    )
    outs = outputs_on(key, "plan")
    for pressed, outputs, field, chosen in (
        (ind, outs[0], "id", "imd_decile"),
        (view, outs[1], "view", "hotspots"),
        (borough, outs[2], "code", "E08000026"),
        (sort, outs[3], "sort", "low"),
    ):
        assert len(pressed) == len(outputs) > 1 and pressed.count("true") == 1
        assert pressed == [str(o["id"][field] == chosen).lower() for o in outputs]
    assert current == [service.measure_label("imd_decile")] and ward == [""]
    assert weights == [dict(zip(LEVELS, (0.0, 1.0, 2.0, 1.0)))[o["id"]["level"]] for o in outs[6]] and len(weights) == 4
    with_ward = run_callback(state.update_controls, [], {**choices, "ward": "E05011134"}, page="plan")
    assert with_ward[5] == ["Edgbaston (Birmingham)"] and with_ward[2].count("true") == 1  # "All seven"
    on_area = run_callback(state.update_controls, [], choices, page="area")
    assert on_area[0].count("true") == 1 and on_area[1:4] == ([], [], []) and on_area[5:] == ([], [])


def test_area_callback_fills_profile_nearby_and_place():
    _prof, _near, _more, place, msg, _radii = area.update_area({"postcode": "B15 2TT", "radius": 1})
    assert place["lat"] == pytest.approx(52.45328) and place["lsoa"] == "E01034937"
    assert "E01034937" in place["lsoas"] and place["radius"] == 1.0
    assert {a["kind"] for a in place["assets"]} <= {"sport", "library", "warm_space", "school"}
    assert "Edgbaston" in msg.children
    lsoa_place = area.update_area({"lsoa": "E01009417"})[3]
    assert lsoa_place["lsoa"] == "E01009417" and lsoa_place["radius"] is None


def test_area_callback_with_unplaceable_postcode_changes_nothing():
    prof, near, more, place, msg, _ = area.update_area({"postcode": "B99 9ZZ"})
    assert "Your area" in text_of(prof) and near is None and more is None and place is None  # nothing stale
    assert "could not find" in msg.children
    prof, _, _, place, msg, _ = area.update_area({"postcode": None, "lsoa": None})
    assert place is None and msg is no_update  # a failed search's message stays


def test_downloads_follow_the_place():
    assert "/api/v1/postcodes/B15%202TT/" in text_of(area.update_downloads({"postcode": "B15 2TT", "radius": 1}))
    assert "E01009417" in text_of(area.update_downloads({"lsoa": "E01009417"}))
    none = text_of(area.update_downloads({}))
    assert "/api/v1/postcodes/" not in none


def test_indicator_switch_sends_only_colour_classes_not_geometry():
    layer = {**LAYER, "indicator": "imd_decile"}
    hide, legend = mapview.update_colours(layer, None)
    assert hide["key"].startswith("imd_decile|values|")
    assert len(hide["cls"]) == 1719 and set(hide["cls"]) == set(range(10))  # one class a decile
    wire = json.dumps(hide, separators=(",", ":"))
    assert '"coordinates"' not in wire and len(gzip.compress(wire.encode())) < 15_000
    legend_text = text_of(legend)
    assert "Overall deprivation" in legend_text and '"1"' in legend_text and '"10"' in legend_text
    # what the map was drawn with (a page just opened): nothing sent
    assert mapview.update_colours(layer, layer_key(layer_of(clean(layer)))) == (no_update, no_update)


def test_darker_is_always_worse():
    def darkness(hexes):
        return [sum(int(h[i : i + 2], 16) for i in (1, 3, 5)) for h in hexes]

    worse_high = service.map_layer("violence_with_injury_rate", "values")
    assert darkness(worse_high["colours"]) == sorted(darkness(worse_high["colours"]), reverse=True)
    better_high = service.map_layer("imd_decile", "values")  # decile 1 = most deprived = darkest
    assert darkness(better_high["colours"]) == sorted(darkness(better_high["colours"]))


def test_filter_fades_areas_outside_the_borough():
    hide, legend = mapview.update_colours({**LAYER, "borough": "E08000026"}, None)
    assert hide["keep"] == "E08000026" and hide["key"].endswith("|E08000026|1,1,1,1")
    assert "outside Coventry are faded" in text_of(legend)


def test_new_place_moves_map_and_draws_marker_circle_and_outline():
    place = area.update_area({"postcode": "B15 2TT", "radius": 2})[3]
    layers, points, view = run_callback(mapview.update_place, [(f"{ids.PLACE}.data", place)], place, ["library"])
    kinds = {type(c).__name__: c for c in layers}
    assert kinds["CircleMarker"].center == [place["lat"], place["lon"]]
    assert kinds["Circle"].radius == 2000
    assert len(kinds["Polyline"].positions[0]) > 4
    assert view["center"] == [place["lat"], place["lon"]] and view["zoom"] == 13
    assert points and all("Libraries" in p.children.children for p in points)
    layers, points, view = run_callback(mapview.update_place, [(f"{ids.LAYERS}.data", [])], place, [])
    assert layers is no_update and points == [] and view is no_update  # a layer toggle does not move the map
    layers, _, view = run_callback(mapview.update_place, [(f"{ids.PLACE}.data", None)], None, [])
    assert layers == [] and view is no_update  # a failed search: no stale marker


def test_hotspot_view_colours_areas_by_significance_band():
    hide, legend = mapview.update_colours({**LAYER, "view": "hotspots"}, None)
    assert set(hide["cls"]) <= set(range(7)) and 6 in hide["cls"] and 0 in hide["cls"]
    assert hide["labels"][0] == "Cold spot, 99%" and hide["colours"][6] == service.BAND_COLOURS[6]
    assert "false discovery rate" in text_of(legend)


def test_priorities_show_counts_and_a_ranked_table_with_profile_links():
    counts, ranked, chart, wards, _ = plan.update_priorities(
        {"indicator": "violence_with_injury_rate", "view": "hotspots", "borough": "E08000026"}
    )
    text = text_of(counts) + text_of(ranked)
    assert "Hot spots" in text and "Coventry" in text
    assert "?lsoa=E01" in text and "Birmingham" not in text_of(ranked)
    assert chart is None and wards == []


def _ranked_cells(ranked) -> list[list]:
    return [[td.children for td in tr.children] for tr in ranked.children.children[2].children]


def test_ranked_links_keep_every_choice_and_open_in_the_page():
    choices = {
        "indicator": "risk_index",
        "view": "hotspots",
        "borough": "E08000026",
        "sort": "ward",
        "w": [2, 1, 1, 0.5],
    }
    _, ranked, _, _, _ = plan.update_priorities(choices)
    link = _ranked_cells(ranked)[0][1]
    assert link.href.startswith("/?lsoa=E01") and getattr(link, "data-nav") == "1"  # no reload
    back = parse_query(link.href[1:])
    assert {k: back[k] for k in choices} == {**choices, "w": (2.0, 1.0, 1.0, 0.5)}


def test_the_ranked_table_sorts_by_every_column():
    heads = {"concern": 0, "high": 4, "low": 4, "area": 1, "ward": 2, "borough": 3}
    assert set(heads) == set(service.SORTS)
    for sort, column in heads.items():
        _, ranked, _, _, _ = plan.update_priorities({"indicator": "imd_decile", "borough": "E08000026", "sort": sort})
        th = ranked.children.children[1].children.children
        assert [getattr(h, "aria-sort", None) is not None for h in th] == [i == column for i in range(len(th))]
        cells = [r[column] for r in _ranked_cells(ranked)]
        keys = [c.children if hasattr(c, "children") else c for c in cells]
        keys = [float(k) if sort in ("concern", "high", "low") else k for k in keys]
        assert keys == sorted(keys, reverse=sort == "high"), sort
    _, every, _, _, _ = plan.update_priorities({"indicator": "imd_decile", "sort": "borough"})
    assert _ranked_cells(every)[0][3] == "Birmingham"


def test_quadrant_view_has_a_chart_ward_counts_and_sorting():
    _, ranked, graph, wards, _ = plan.update_priorities(
        {"indicator": "risk_index", "view": "quadrants", "borough": "E08000026", "sort": "low"}
    )
    assert graph.id == ids.quadrant_chart(0) and graph.id in ids.created_by_callbacks()
    chart = graph.figure
    n = sum(len(t.x) for t in chart.data)
    assert n == 203  # Coventry's small areas, one point each
    assert all(len(t.customdata) == len(t.x) for t in chart.data)
    ward_text = text_of(wards)
    assert "High risk, high violence" in ward_text and "Binley and Willenhall" in ward_text
    table = wards.children[1].children.children  # the table: caption, head, body
    concern = [int(tr.children[2].children) for tr in table[2].children]
    assert concern == sorted(concern, reverse=True)  # most "high risk, high violence" areas first
    *_, by_name, _ = plan.update_priorities({"view": "quadrants", "borough": "E08000026", "wsort": "ward"})
    names = [tr.children[0].children for tr in by_name.children[1].children.children[2].children]
    assert names == sorted(names) and len(names) == len(concern)
    trig = [(pid(ids.ward_sort_option("borough"), "n_clicks"), 1)]
    out = update("?view=quadrants", trig, page="plan")
    assert "wsort=borough" in out["url"] and out["parts"][0]["wsort"] == "borough"
    rows = ranked.children.children[2].children
    values = [float(r.children[4].children) for r in rows[:5]]
    assert values == sorted(values)  # lowest first


def test_compare_two_areas_and_reject_bad_requests():
    res = plan.update_compare({"compare": ["B15 2TT", "E08000026"], "radius": 1})
    text = text_of(res)
    assert "within 1 km of B15 2TT" in text and "Coventry" in text and "Individual: risk factors" in text
    assert "two to four" in plan.update_compare({"compare": ["B15 2TT"]}).children
    assert "could not find" in plan.update_compare({"compare": ["B15 2TT", "B99 9ZZ"]}).children
    assert "Type two to four" in plan.update_compare({}).children


def test_ranked_csv_download():
    assert plan.download_ranked(0, {}) is no_update
    out = plan.download_ranked(1, {"indicator": "imd_decile", "borough": "E08000031"})
    assert out["filename"] == "ranked_imd_decile.csv"
    lines = out["content"].splitlines()
    assert lines[0].startswith("lsoa21_code,") and len(lines) == 162  # header + Wolverhampton's 161


def test_layer_toggle_switches_one_layer():
    layers, pressed = run_callback(
        state.update_layers, [(pid(ids.layer_option("school"), "n_clicks"), 1)], [0, 0, 0, 1], ["sport"]
    )
    assert layers == ["sport", "school"] and pressed == ["true", "false", "false", "true"]
    layers, pressed = run_callback(
        state.update_layers, [(pid(ids.layer_option("sport"), "n_clicks"), 2)], [2, 0, 0, 1], layers
    )
    assert layers == ["school"] and pressed == ["false", "false", "false", "true"]


# ---------------------------------------------------------------- the callbacks against the pages


def _plain(spec_id: str) -> bool:
    """An id Dash needs on the page: a string id, or a dict id without wildcards."""
    return not spec_id.startswith("{") or not any(isinstance(v, list) for v in json.loads(spec_id).values())


def _spec_ids(cb: dict, key: str) -> dict[str, list[str]]:
    return {
        "output": [s["id"] for s in output_specs(key)],
        "input": [s["id"] for s in cb["inputs"]],
        "state": [s["id"] for s in cb.get("state", [])],
    }


def test_every_callback_id_is_on_some_page_or_made_by_a_callback():
    """What Dash's own validation would check, which the app turns off (suppress_callback_exceptions)."""
    known = {pid(c.id, "") for c in components(app.validation_layout)}
    known |= {pid(c, "") for c in ids.created_by_callbacks()}
    concrete = [json.loads(k[:-1]) for k in known if k.startswith("{")]
    missing = []
    for key, cb in app.callback_map.items():
        for kind, spec_ids in _spec_ids(cb, key).items():
            for sid in spec_ids:
                if _plain(sid):
                    ok = pid(json.loads(sid) if sid.startswith("{") else sid, "") in known
                else:  # a pattern id: at least one component fits it (else a typo matches nothing, silently)
                    ok = any(_fits(json.loads(sid), c) for c in concrete)
                if not ok:
                    missing.append(f"{kind} {sid} of {key[:80]}")
    assert not missing, missing


def test_each_callbacks_plain_ids_live_on_one_page():
    """Dash fires no callback one of whose plain-id outputs is missing from the page, nor one
    whose plain inputs are not there: each callback's plain ids are all on one page (with the shell)."""
    created = {pid(c, "") for c in ids.created_by_callbacks()}
    shell_ids = {pid(c.id, "") for c in components(shell())}
    on_page = {p.name: shell_ids | {pid(c.id, "") for c in components(page_tree(p.name))} | created for p in pages()}
    stray = []
    for key, cb in app.callback_map.items():
        every = [sid for spec_ids in _spec_ids(cb, key).values() for sid in spec_ids]
        outs = {pid(json.loads(s) if s.startswith("{") else s, "") for s in every if _plain(s)}
        if outs and not any(outs <= held for held in on_page.values()):
            stray.append(key[:120])
    assert not stray, stray


# ---------------------------------------------------------------- through Flask


@pytest.fixture(scope="module")
def client():
    return app.server.test_client()


def test_index_and_layout_are_served(client):
    r = client.get("/")
    assert r.status_code == 200 and b'lang="en-GB"' in r.data
    r = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers.get("Content-Encoding") == "gzip"
    assert len(r.data) < 400_000


@pytest.mark.parametrize("name", [p.name for p in pages()])
def test_each_page_is_served_with_its_own_title(client, name):
    page = by_name(name)
    for path in {page.path, page.path + "/" if page.path != "/" else "/", page.path + "?postcode=B15+2TT"}:
        r = client.get(path)
        assert r.status_code == 200, path
        body = r.get_data(as_text=True)
        assert f"<title>{title_of(page)}</title>" in body, path
        assert body.count("<title>") == 1


def test_plan_with_a_trailing_slash_is_plan(client):
    r = client.get("/plan/")
    assert r.status_code == 200 and f"<title>{title_of(by_name('plan'))}</title>" in r.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/no-such-page", "/plan/extra", "/methods.html"])
def test_an_unknown_path_answers_404_listing_every_page(client, path):
    r = client.get(path)
    assert r.status_code == 404 and r.mimetype == "text/html"
    body = r.get_data(as_text=True)
    assert f"<title>{title_of(None)}</title>" in body and "There is no page at this address" in body
    for p in pages():
        assert f'<a href="{p.path}">{p.nav}</a>' in body


def test_the_router_draws_the_page_for_the_path_with_its_store():
    from callbacks.router import route

    with app.server.test_request_context():
        children, name = route("/plan", "?view=hotspots")
        assert name == {"name": "plan", "title": title_of(by_name("plan"))}
        store = children[0]
        assert store.id == ids.page_state("plan") and store.data["view"] == "hotspots" and store.data["fresh"]
        children, name = route("/plan/", "")
        assert name["name"] == "plan"
        children, name = route("/no-such-page", "")
        assert name["name"] == "not-found" and "There is no page at this address" in text_of(children)
        children, name = route("/methods", "")
        assert name["name"] == "methods"
        assert not any(_fits(ids.page_state(ALL), c.id) for c in components(html.Div(children)))


def test_geometry_is_preloaded_and_served_long_cached(client):
    version = geodata_load().version
    page_html = client.get("/").get_data(as_text=True)
    assert f'<link rel="preload" href="/geo/lsoa21.{version}.json" as="fetch"' in page_html
    r = client.get(f"/geo/lsoa21.{version}.json", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["Content-Encoding"] == "gzip"
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    doc = json.loads(gzip.decompress(r.data))
    assert len(doc["features"]) == 1719 and doc["features"][0]["id"].startswith("E01")
    assert [f["properties"]["i"] for f in doc["features"]] == list(range(1719))
    plain = client.get(f"/geo/wards.{version}.json")
    assert "Content-Encoding" not in plain.headers and json.loads(plain.data)["type"] == "FeatureCollection"
    assert client.get("/geo/lsoa21.oldversion.json").status_code == 404


@pytest.mark.parametrize("name, typed, words", [("area", "hello", "is not a UK postcode"), ("plan", "B15 2TT", "/")])
def test_search_through_the_dash_endpoint(client, name, typed, words):
    deps = client.get("/_dash-dependencies").get_json()
    layout = json.loads(text_of(page_tree(name)))
    body = callback_body(
        deps, layout, SEARCH_OUTPUT, search_values(typed, by_name(name).path), [f"{ids.SEARCH_INPUT}.n_submit"]
    )
    assert any(isinstance(e, list) and e for e in body["inputs"])  # the page's own controls are listed
    r = client.post("/_dash-update-component", json=body)
    assert r.status_code == 200, r.data[:300]
    answer = r.get_json()["response"]
    if name == "area":  # nothing found, and no place to clear: only the message
        assert words in json.dumps(answer[ids.SEARCH_MESSAGE]) and ids.URL not in answer
    else:  # found on Plan: Your area opens with the place
        assert answer[ids.URL]["pathname"] == words and "postcode=B15+2TT" in answer[ids.URL]["search"]


def test_no_server_error_for_junk_callback_requests(client):
    r = client.post("/_dash-update-component", data="not json", content_type="application/json")
    assert r.status_code < 500 or (r.status_code == 500 and b"Traceback" not in r.data)


def test_profile_says_when_no_monthly_police_files_are_present_and_shows_them_when_they_are():
    from layouts.profile import trend_block

    none = trend_block(service.monthly_trend(("E01034937",)))  # under its heading in more_body
    assert "No monthly police" in none[0].children and "Indices of Deprivation 2025" in none[0].children
    shown = trend_block({"status": "Police.uk street-level crime for 2 months", "rows": [["2023-02", 7, 4.34]]})
    text = text_of(shown)
    assert "2023-02" in text and "4.34" in text


def test_level_weights_apply_to_the_all_levels_index_only():
    w = (0.0, 1.0, 1.0, 1.0)
    one_level = service.map_layer("risk_index_individual", "values", w)  # a zero weight must not empty it
    assert one_level["values"] == service.map_layer("risk_index_individual", "values")["values"]
    assert service.map_layer("risk_index", "values", w)["values"] != service.map_layer("risk_index", "values")["values"]
