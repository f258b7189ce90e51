"""The explorer without a browser: layout functions, callbacks called directly, and the app
through Flask's test client."""

from __future__ import annotations

import gzip
import json
from contextvars import copy_context

import pytest
from dash import Patch, no_update
from dash._callback_context import context_value
from dash._utils import AttributeDict

import service
from app import app
from callbacks import area, mapview, priorities, state
from callbacks.urlstate import clean, default_state, parse_query, to_query
from geodata import load as geodata_load
from geodata import registry
from geodata.profile import RADII_KM
from layouts import ids, indicator_groups, page
from layouts import mapview as mapview_layout
from layouts.profile import profile_panel
from web.callback_guard import output_specs

LAYER = {"indicator": "violence_with_injury_rate", "view": "values", "w": [1, 1, 1, 1], "borough": None, "ward": None}


def run_callback(func, triggered: list[tuple[str, object]], *args, outputs_list=None, **kwargs):
    """Call a Dash callback function as Dash would, with ``ctx.triggered`` set."""

    def go():
        context_value.set(
            AttributeDict(
                triggered_inputs=[{"prop_id": p, "value": v} for p, v in triggered],
                outputs_list=outputs_list or [],
            )
        )
        return func(*args, **kwargs)

    with app.server.test_request_context():
        return copy_context().run(go)


def patch_ops(patch: Patch) -> list[dict]:
    return patch.to_plotly_json()["operations"]


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
    }
    assert parse_query(to_query(s)) == s
    assert clean({"postcode": "B1 1AA", "lsoa": "E01009417"})["lsoa"] is None  # postcode wins


# ---------------------------------------------------------------- layouts


def test_indicator_picker_groups_every_mappable_indicator_once_and_no_borough_figures():
    listed = [i.id for _, inds in indicator_groups() for i in inds]
    assert sorted(listed) == sorted(i.id for i in registry.mappable())
    assert len(listed) == len(set(listed))
    assert all(registry.get(i).geography != "borough" for i in listed)
    titles = [t for t, _ in indicator_groups()]
    assert titles[0].startswith("Violence")
    assert any("Individual" in t and "risk" in t for t in titles)


def test_page_has_labelled_search_and_every_component_id():
    layout = json.dumps(page({"EXPLORER_BASEMAP": "none"}, "v1").to_plotly_json(), cls=_Encoder)
    for cid in (
        ids.SEARCH_INPUT,
        ids.SEARCH_BUTTON,
        ids.SEARCH_MESSAGE,
        ids.MAP,
        ids.MAP_AREAS,
        ids.PROFILE,
        ids.STATE,
    ):
        assert f'"{cid}"' in layout
    assert '"htmlFor": "search-input"' in layout
    assert '"aria-live": "polite"' in layout


def test_the_page_carries_no_geometry_only_versioned_urls_to_it():
    layout = json.dumps(page({"EXPLORER_BASEMAP": "none"}, "abc123").to_plotly_json(), cls=_Encoder)
    assert '"coordinates"' not in layout and "TileLayer" not in layout  # no tiles by default
    for layer in ("lsoa21", "wards", "boroughs", "labels"):
        assert f"/geo/{layer}.abc123.json" in layout
    assert len(layout) < 200_000  # the hideout (colour classes) is ~15 KB; the rest is text and controls


def test_first_paint_colours_every_area_from_the_default_layer():
    hide = page({"EXPLORER_BASEMAP": "none"}, "v1")  # the hideout is in the page: no callback before paint
    areas = next(c for c in hide._traverse() if getattr(c, "id", None) == ids.MAP_AREAS)
    assert len(areas.hideout["cls"]) == 1719 and areas.hideout["key"].startswith("violence_with_injury_rate|values|")
    assert max(c for c in areas.hideout["cls"] if c is not None) == len(areas.hideout["colours"]) - 1


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


def test_profile_panel_shows_four_levels_violence_caveat_and_sources():
    prof = service.postcode_profile("B15 2TT", 1.0)
    text = json.dumps([c.to_plotly_json() for c in profile_panel(prof)], cls=_Encoder)
    for heading in (
        "Individual",
        "Relationships (family and peers)",
        "Community",
        "Society",
        "Violence in this area",
        "What this does and does not mean",
        "Risk factors",
        "Protective factors",
    ):
        assert heading in text
    assert "Open Government Licence v3.0" in text
    assert "Birmingham figure (borough-wide" in text
    assert "/api/v1/postcodes/B15%202TT/profile.pdf?radius_km=1" in text


# ---------------------------------------------------------------- callbacks


def test_search_for_a_postcode_writes_the_url_and_state():
    shown = {**LAYER, "indicator": "imd_decile", "w": [1.0, 1.0, 1.0, 1.0]}
    out = run_callback(
        state.update_state,
        [(f"{ids.SEARCH_INPUT}.n_submit", 1)],
        "?indicator=imd_decile&radius=2",
        typed="b15 2tt",
        shown=shown,
    )
    assert out["url"] == "?postcode=B15+2TT&indicator=imd_decile&radius=2"
    assert out["state"]["postcode"] == "B15 2TT" and out["state"]["radius"] == 2.0
    assert out["layer"] is no_update  # unchanged measure: nothing sent to the map
    assert "Edgbaston" in out["message"].children


@pytest.mark.parametrize(
    "typed, words",
    [
        ("hello", "is not a UK postcode"),
        ("B99 9ZZ", "could not find"),
        ("B60 1AA", "Bromsgrove"),
        ("", "Type a postcode"),
        (None, "Type a postcode"),
        ("x" * 10_000, "is not a UK postcode"),
    ],
)
def test_bad_search_input_shows_a_sentence_and_clears_the_area(typed, words):
    out = run_callback(
        state.update_state,
        [(f"{ids.SEARCH_BUTTON}.n_clicks", 1)],
        "?postcode=B15+2TT&indicator=imd_decile",
        typed=typed,
        shown=LAYER,
    )
    assert words in out["message"].children and "message--error" in out["message"].className
    # no stale profile or marker under the message; the measure stays
    assert out["url"] == "?indicator=imd_decile&radius=1" and out["state"]["postcode"] is None
    assert out["area"] == {"postcode": None, "lsoa": None, "radius": 1.0}
    assert out["typed"] is no_update
    again = run_callback(
        state.update_state, [(f"{ids.SEARCH_BUTTON}.n_clicks", 2)], "?indicator=imd_decile", typed=typed, shown=LAYER
    )
    assert again["url"] is no_update and again["area"] is no_update  # nothing to clear: only the message


def test_opening_a_shared_url_sets_state_and_controls():
    out = run_callback(
        state.update_state, [], "?postcode=CV1+2&indicator=loneliness_pct&radius=0.5&view=hotspots", shown=LAYER
    )
    assert out["url"] is no_update
    assert out["state"] == {
        **default_state(),
        "postcode": "CV1 2",
        "indicator": "loneliness_pct",
        "radius": 0.5,
        "view": "hotspots",
    }
    assert out["layer"] == {
        "indicator": "loneliness_pct",
        "view": "hotspots",
        "w": [1.0, 1.0, 1.0, 1.0],
        "borough": None,
        "ward": None,
    }
    assert out["typed"] == "CV1 2"


def test_a_search_writes_only_the_area_so_controls_and_planners_do_not_run():
    """update_controls and update_priorities take the choices store; a search must leave it alone."""
    out = run_callback(
        state.update_state,
        [(f"{ids.SEARCH_BUTTON}.n_clicks", 1)],
        "?indicator=imd_decile&view=hotspots",
        typed="B15 2TT",
        shown={**LAYER, "indicator": "imd_decile", "view": "hotspots"},
    )
    assert out["area"] == {"postcode": "B15 2TT", "lsoa": None, "radius": 1.0}
    assert out["choices"] is no_update and out["layer"] is no_update
    switch = run_callback(
        state.update_state,
        [('{"id":"gp_minutes","type":"indicator-option"}.n_clicks', 1)],
        "?postcode=B15+2TT",
        shown=LAYER,
    )
    assert switch["choices"]["indicator"] == "gp_minutes" and switch["area"] is no_update


def test_the_area_callback_presses_the_radius_shown():
    *_, radii = area.update_area({"postcode": "B15 2TT", "radius": 2})
    assert radii == [str(km == 2.0).lower() for km in RADII_KM] and radii.count("true") == 1


def test_a_url_that_says_what_the_page_shows_sets_off_nothing():
    out = run_callback(state.update_state, [(f"{ids.URL}.search", "")], "", shown=LAYER)  # a plain visit
    assert all(v is no_update for v in out.values())
    shown = parse_query("?postcode=B15+2TT")
    out = run_callback(
        state.update_state, [(f"{ids.URL}.search", "?postcode=B15+2TT")], "?postcode=B15+2TT", shown=LAYER, stored=shown
    )
    assert all(v is no_update for v in out.values())
    back = run_callback(state.update_state, [(f"{ids.URL}.search", "")], "", shown=LAYER, stored=shown)
    assert back["state"] == default_state() and back["area"]["postcode"] is None  # back to the plain page


def test_clicking_an_lsoa_opens_its_profile():
    click = {"type": "Feature", "id": "E01009417", "properties": {"i": 3}, "latlng": {"lat": 52.5, "lng": -1.9}}
    out = run_callback(
        state.update_state, [(f"{ids.MAP_AREAS}.clickData", click)], "?postcode=B15+2TT", click=click, shown=LAYER
    )
    assert out["state"]["lsoa"] == "E01009417" and out["state"]["postcode"] is None
    assert "lsoa=E01009417" in out["url"]
    for junk in ({"id": 7}, {"latlng": [1, 2]}, "E01009417", {"id": "E01009417<script>"}):
        out = run_callback(
            state.update_state, [(f"{ids.MAP_AREAS}.clickData", junk)], "?postcode=B15+2TT", click=junk, shown=LAYER
        )
        assert all(v is no_update for v in out.values())


def test_filters_views_and_weights_go_into_the_url():
    trig = json.dumps(ids.borough_option("E08000026"), separators=(",", ":"))
    out = run_callback(state.update_state, [(trig + ".n_clicks", 1)], "?view=hotspots", shown=LAYER)
    assert "borough=E08000026" in out["url"] and "view=hotspots" in out["url"]
    out = run_callback(
        state.update_state,
        [(f"{ids.WEIGHTS_APPLY}.n_clicks", 1)],
        "?indicator=risk_index",
        weights=[0, 1, 2, 1],
        shown=LAYER,
    )
    assert "w=0%2C1%2C2%2C1" in out["url"]
    assert out["layer"] == {
        "indicator": "risk_index",
        "view": "values",
        "w": [0.0, 1.0, 2.0, 1.0],
        "borough": None,
        "ward": None,
    }
    out = run_callback(state.update_state, [(f"{ids.WARD_INPUT}.value", "Atlantis")], "", ward="Atlantis", shown=LAYER)
    assert out["url"] is no_update and "No ward called" in out["ward_message"].children
    out = run_callback(
        state.update_state,
        [(f"{ids.WARD_INPUT}.value", "Edgbaston (Birmingham)")],
        "",
        ward="Edgbaston (Birmingham)",
        shown=LAYER,
    )
    assert "ward=E05011134" in out["url"]


def test_area_callback_fills_profile_nearby_and_place():
    _prof, _near, place, msg = area.update_area({"postcode": "B15 2TT", "radius": 1})[:4]
    assert place["lat"] == pytest.approx(52.45328) and place["lsoa"] == "E01034937"
    assert "E01034937" in place["lsoas"] and place["radius"] == 1.0
    assert {a["kind"] for a in place["assets"]} <= {"sport", "library", "warm_space", "school"}
    assert "Edgbaston" in msg.children
    _, _, lsoa_place, _ = area.update_area({"lsoa": "E01009417"})[:4]
    assert lsoa_place["lsoa"] == "E01009417" and lsoa_place["radius"] is None


def test_area_callback_with_unplaceable_postcode_changes_nothing():
    prof, near, place, msg = area.update_area({"postcode": "B99 9ZZ"})[:4]
    assert "Your area" in json.dumps(prof, cls=_Encoder) and near is None and place is None  # nothing stale
    assert "could not find" in msg.children


def test_indicator_switch_sends_only_colour_classes_not_geometry():
    layer = {**LAYER, "indicator": "imd_decile"}
    hide, legend = mapview.update_colours(layer)
    assert hide["key"].startswith("imd_decile|values|")
    assert len(hide["cls"]) == 1719 and set(hide["cls"]) == set(range(10))  # one class a decile
    wire = json.dumps(hide, separators=(",", ":"))
    assert '"coordinates"' not in wire and len(gzip.compress(wire.encode())) < 15_000
    legend_text = json.dumps(legend, cls=_Encoder)
    assert "Overall deprivation" in legend_text and '"1"' in legend_text and '"10"' in legend_text


def test_darker_is_always_worse():
    def darkness(hexes):
        return [sum(int(h[i : i + 2], 16) for i in (1, 3, 5)) for h in hexes]

    worse_high = service.map_layer("violence_with_injury_rate", "values")
    assert darkness(worse_high["colours"]) == sorted(darkness(worse_high["colours"]), reverse=True)
    better_high = service.map_layer("imd_decile", "values")  # decile 1 = most deprived = darkest
    assert darkness(better_high["colours"]) == sorted(darkness(better_high["colours"]))


def test_filter_fades_areas_outside_the_borough():
    hide, legend = mapview.update_colours({**LAYER, "borough": "E08000026"})
    assert hide["keep"] == "E08000026" and hide["key"].endswith("|E08000026|1,1,1,1")
    assert "outside Coventry are faded" in json.dumps(legend, cls=_Encoder)


def test_new_place_moves_map_and_draws_marker_circle_and_outline():
    _, _, place, _ = area.update_area({"postcode": "B15 2TT", "radius": 2})[:4]
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
    hide, legend = mapview.update_colours({**LAYER, "view": "hotspots"})
    assert set(hide["cls"]) <= set(range(7)) and 6 in hide["cls"] and 0 in hide["cls"]
    assert hide["labels"][0] == "Cold spot, 99%" and hide["colours"][6] == service.BAND_COLOURS[6]
    assert "false discovery rate" in json.dumps(legend, cls=_Encoder)


def test_priorities_show_counts_and_a_ranked_table_with_profile_links():
    assert priorities.update_priorities({"view": "hotspots"}, False) == (no_update,) * 4  # closed: nothing computed
    counts, ranked, chart, wards = priorities.update_priorities(
        {"indicator": "violence_with_injury_rate", "view": "hotspots", "borough": "E08000026"}, True
    )
    text = json.dumps(counts.to_plotly_json(), cls=_Encoder) + json.dumps(ranked.to_plotly_json(), cls=_Encoder)
    assert "Hot spots" in text and "Coventry" in text
    assert "?lsoa=E01" in text and "Birmingham" not in json.dumps(ranked.to_plotly_json(), cls=_Encoder)
    assert chart is None and wards == []


def test_quadrant_view_has_a_chart_ward_counts_and_sorting():
    _, ranked, graph, wards = priorities.update_priorities(
        {"indicator": "risk_index", "view": "quadrants", "borough": "E08000026", "sort": "low"}, True
    )
    chart = graph.figure
    n = sum(len(t.x) for t in chart.data)
    assert n == 203  # Coventry's small areas, one point each
    assert all(len(t.customdata) == len(t.x) for t in chart.data)
    ward_text = json.dumps(wards.to_plotly_json(), cls=_Encoder)
    assert "High risk, high violence" in ward_text and "Binley and Willenhall" in ward_text
    rows = ranked.children.children[2].children
    values = [float(r.children[4].children) for r in rows[:5]]
    assert values == sorted(values)  # lowest first


def test_ward_suggestions_are_sent_once_when_the_section_opens():
    assert priorities.fill_wards(False, None) is no_update
    options = priorities.fill_wards(True, None)
    assert len(options) == 192 and "Edgbaston (Birmingham)" in [o.value for o in options]
    assert priorities.fill_wards(True, options) is no_update


def test_compare_two_areas_and_reject_bad_requests():
    res = priorities.update_compare(1, None, "B15 2TT; E08000026", {})
    text = json.dumps([c.to_plotly_json() for c in res], cls=_Encoder)
    assert "within 1 km of B15 2TT" in text and "Coventry" in text and "Individual: risk factors" in text
    assert "two to four" in priorities.update_compare(1, None, "B15 2TT", {}).children
    assert "could not find" in priorities.update_compare(1, None, "B15 2TT; B99 9ZZ", {}).children


def test_ranked_csv_download():
    out = priorities.download_ranked(1, {"indicator": "imd_decile", "borough": "E08000031"})
    assert out["filename"] == "ranked_imd_decile.csv"
    lines = out["content"].splitlines()
    assert lines[0].startswith("lsoa21_code,") and len(lines) == 162  # header + Wolverhampton's 161


def test_layer_toggle_switches_one_layer():
    outputs = [[], [{"id": ids.layer_option(k)} for k in ("sport", "library", "warm_space", "school")]]
    layers, pressed = run_callback(
        state.update_layers,
        [(json.dumps(ids.layer_option("school")).replace(" ", "") + ".n_clicks", 1)],
        [0, 0, 0, 1],
        ["sport"],
        outputs_list=outputs,
    )
    assert layers == ["sport", "school"] and pressed == ["true", "false", "false", "true"]


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


def test_methods_are_drawn_only_when_opened():
    from callbacks import methods

    assert methods.show_methods(False) is no_update
    text = json.dumps(methods.show_methods(True), cls=_Encoder)
    assert "Every indicator" in text and "violence_with_injury_rate" in text


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


def test_search_through_the_dash_endpoint(client):
    body = {
        "output": f"..{ids.URL}.search...{ids.STATE}.data...{ids.INDICATOR}.data...{ids.SEARCH_INPUT}.value..."
        f"{ids.SEARCH_MESSAGE}.children@",
        "outputs": [],
        "inputs": [],
        "changedPropIds": [],
        "state": [],
    }
    deps = client.get("/_dash-dependencies").get_json()
    cb = next(d for d in deps if d["output"].startswith(f"..{ids.URL}.search"))
    body["output"] = cb["output"]
    body["outputs"] = [{**o, "property": o["property"].split("@")[0]} for o in output_specs(cb["output"])]
    values = {
        f"{ids.URL}.search": "",
        f"{ids.SEARCH_INPUT}.n_submit": 1,
        f"{ids.SEARCH_BUTTON}.n_clicks": 0,
        f"{ids.MAP_AREAS}.clickData": None,
    }
    inputs = []
    for i in cb["inputs"]:
        key = f"{i['id']}.{i['property']}" if isinstance(i["id"], str) else None
        inputs.append({"id": i["id"], "property": i["property"], "value": values.get(key)} if key else [])
    body["inputs"] = inputs
    states = {f"{ids.SEARCH_INPUT}.value": "hello", f"{ids.INDICATOR}.data": None}
    body["state"] = [
        {"id": st["id"], "property": st["property"], "value": states.get(f"{st['id']}.{st['property']}")}
        for st in cb["state"]
    ]
    body["changedPropIds"] = [f"{ids.SEARCH_INPUT}.n_submit"]
    r = client.post("/_dash-update-component", json=body)
    assert r.status_code == 200
    assert "is not a UK postcode" in r.get_data(as_text=True)


def test_no_server_error_for_junk_callback_requests(client):
    r = client.post("/_dash-update-component", data="not json", content_type="application/json")
    assert r.status_code < 500 or (r.status_code == 500 and b"Traceback" not in r.data)


class _Encoder(json.JSONEncoder):
    def default(self, o):
        if hasattr(o, "to_plotly_json"):
            return o.to_plotly_json()
        return str(o)


def test_profile_says_when_no_monthly_police_files_are_present_and_shows_them_when_they_are():
    from layouts.profile import trend_block

    none = trend_block(service.monthly_trend(("E01034937",)))
    assert "No monthly police" in none[1].children and "Indices of Deprivation 2025" in none[1].children
    shown = trend_block({"status": "Police.uk street-level crime for 2 months", "rows": [["2023-02", 7, 4.34]]})
    text = json.dumps([c.to_plotly_json() for c in shown], cls=_Encoder)
    assert "2023-02" in text and "4.34" in text


def test_level_weights_apply_to_the_all_levels_index_only():
    w = (0.0, 1.0, 1.0, 1.0)
    one_level = service.map_layer("risk_index_individual", "values", w)  # a zero weight must not empty it
    assert one_level["values"] == service.map_layer("risk_index_individual", "values")["values"]
    assert service.map_layer("risk_index", "values", w)["values"] != service.map_layer("risk_index", "values")["values"]
