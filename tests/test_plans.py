"""A plan on paper: the borough's or ward's plan as PDF and XLSX, from the API and the Plan page.

Every figure checked is the service layer's for the same choices (what the Plan page shows),
so a plan can never disagree with the page.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

import service
from geodata.profile import METHOD_NOTES
from layouts.plan import plan_links
from service.urlstate import clean

WOLVERHAMPTON, EDGBASTON = "E08000031", "E05011134"
CHOICES = "indicator=risk_index&view=hotspots&w=2,1,1,0.5&sort=ward"


@pytest.fixture(scope="module")
def client(explorer, no_rate_limit):
    return explorer.server.test_client()


def _pdf_text(body: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)


def test_a_borough_plan_as_pdf_has_the_map_counts_ranked_list_methods_and_sources(client):
    resp = client.get(f"/api/v1/plans/borough/{WOLVERHAMPTON}/plan.pdf?{CHOICES}")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert f"plan_borough_{WOLVERHAMPTON}_risk_index.pdf" in resp.headers["Content-Disposition"]
    text = " ".join(_pdf_text(resp.data).split())
    assert "Plan for Wolverhampton" in text and "Hot and cold spots" in text
    ranked = service.ranked_rows("risk_index", WOLVERHAMPTON, None, (2.0, 1.0, 1.0, 0.5), limit=60, sort="ward")
    first = ranked["rows"][0]
    assert first["ward"] in text and f"{first['range'][0]}–{first['range'][1]}" in text  # rank ranges
    assert "Rank range" in text and "Method notes" in text and METHOD_NOTES[0][:40] in text
    assert "Open Government Licence" in text and "Contains OS data" in text
    assert "The first 60 of 161 are listed" in text


def test_a_ward_plan_as_xlsx_holds_every_row_and_neutralises_text(client, monkeypatch):
    resp = client.get(f"/api/v1/plans/ward/{EDGBASTON}/plan.xlsx?indicator=imd_decile")
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.data))
    assert wb.sheetnames[0] == "Plan" and {"Methods", "Sources"} <= set(wb.sheetnames)
    ranked = service.ranked_rows("imd_decile", None, EDGBASTON, limit=10_000)
    table = wb[wb.sheetnames[-3]]
    every = list(table.iter_rows(values_only=True))
    rows = every[[r[0] for r in every].index("Rank") + 1 :]
    assert [r[1] for r in rows] == [r["name"] for r in ranked["rows"]]
    assert [r[4] for r in rows] == [r["value"] for r in ranked["rows"]]  # numbers stay numbers

    from exports.plan import render_plan_xlsx

    doc = service.plan_document("imd_decile", "values", ward=EDGBASTON)
    doc["tables"][-1]["rows"][0][1] = "=HYPERLINK(1)"
    wb = load_workbook(io.BytesIO(render_plan_xlsx(doc)))
    names = [r[1] for r in wb[wb.sheetnames[-3]].iter_rows(values_only=True)]
    assert "'=HYPERLINK(1)" in names and "=HYPERLINK(1)" not in names


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        (f"/api/v1/plans/borough/{WOLVERHAMPTON}/plan.docx", 404, "pdf or xlsx"),
        ("/api/v1/plans/lsoa/E01009146/plan.pdf", 404, "a borough or a ward"),
        ("/api/v1/plans/borough/E08999999/plan.pdf", 404, "no borough E08999999"),
        ("/api/v1/plans/ward/nonsense/plan.pdf", 400, "letter and eight digits"),
        (f"/api/v1/plans/borough/{WOLVERHAMPTON}/plan.pdf?w=9,9,9,9", 400, "weights cannot be used"),
        (f"/api/v1/plans/borough/{WOLVERHAMPTON}/plan.pdf?view=nope", 400, "map view"),
        (f"/api/v1/plans/borough/{WOLVERHAMPTON}/plan.pdf?indicator=nope", 400, "does not have"),
        (f"/api/v1/plans/borough/{WOLVERHAMPTON}/plan.pdf?radius_km=3", 400, "not 'radius_km'"),
        (f"/api/v1/plans/borough/{WOLVERHAMPTON}/plan.pdf?" + "&".join(["w=1"] * 30), 400, "more parts"),
    ],
)
def test_bad_plan_requests_get_a_sentence(client, url, status, words):
    resp = client.get(url)
    assert resp.status_code == status and resp.mimetype == "application/json"
    assert words in resp.get_json()["message"]


def test_the_plan_page_links_to_the_plan_of_its_borough_or_ward():
    links = plan_links(clean({"indicator": "risk_index", "view": "hotspots", "ward": EDGBASTON, "w": [2, 1, 1, 0.5]}))
    hrefs = [a.href for a in links.children if hasattr(a, "href")]
    assert hrefs == [
        f"/api/v1/plans/ward/{EDGBASTON}/plan.{fmt}?indicator=risk_index&view=hotspots&w=2%2C1%2C1%2C0.5"
        for fmt in ("pdf", "xlsx")
    ]
    whole = plan_links(clean({"indicator": "risk_index"}))
    assert not [a for a in whole.children if hasattr(a, "href")] and "Choose a borough or a ward" in str(whole)


# ============================================================================ spatial priorities and change


def test_high_risk_low_protection_beside_violence_hot_spots():
    from geodata import registry

    v = service.priority_view("priority_20")
    pr = service.high_risk_low_protection(20)
    hot = [c == "hot" for c in service.hotspot_layer(registry.DEFAULT_INDICATOR)["class"]]
    assert len(v["cls"]) == 1719 and v["labels"][0].endswith("in a violence hot spot")
    both = [f and h for f, h in zip(pr["flag"], hot, strict=True)]
    assert [c == 0 for c in v["cls"]] == both and [c in (0, 1) for c in v["cls"]] == pr["flag"]
    assert sum(pr["flag"]) < sum(service.high_risk_low_protection(30)["flag"])  # the threshold matters


def test_the_plan_page_shows_priority_wards_most_concern_first():
    from callbacks import plan

    counts, _, _, wards, _ = plan.update_priorities({"view": "priority_20", "borough": WOLVERHAMPTON})
    assert "High risk, low protection (top 20%) by borough" in str(counts)
    body = wards.children[1].children.children[2].children
    rows = [[c.children for c in tr.children] for tr in body]
    assert {r[1] for r in rows} == {"Wolverhampton"} and len(rows) == 20  # its 20 wards, no other
    concern = [(int(r[2]), int(r[3]), int(r[4])) for r in rows]
    assert concern == sorted(concern, reverse=True)  # in a hot spot first, then high risk only, then hot only
    by_ward = service.priority_counts("priority_20", "ward")
    assert sum(sum(r[2:]) for r in by_ward["rows"]) == 1719


def test_bivariate_cluster_views_colour_every_area():
    for view in ("clusters_risk", "clusters_protective"):
        layer = service.map_layer("risk_index", view)
        assert len(layer["cls"]) == 1719 and len(layer["labels"]) == len(layer["colours"]) == 5
        assert "Moran" in layer["note"] and "false discovery rate" in layer["note"]
    assert service.priority_view("clusters_protective")["labels"][0].startswith("Low protection, high violence")


def test_change_over_time_for_a_borough():
    from callbacks import plan

    change, graph = plan.update_change({"domain": "imd", "series": "fsm_primary_pct"}, {"borough": WOLVERHAMPTON})
    text = str(change)
    assert "of the 161 small areas in Wolverhampton" in text and "methods changed" in text
    names = [t.name for t in graph.figure.data]
    assert len(names) == 9 and "England" in names and "Wolverhampton" in names
    assert max(t.line.width for t in graph.figure.data if t.name == "Wolverhampton") == 4


def test_a_priority_plan_lists_the_wards_most_concern_first():
    doc = service.plan_document("risk_index", "priority_20", borough=WOLVERHAMPTON)
    titles = [t["title"] for t in doc["tables"]]
    assert "High risk, low protection (top 20%) by ward, most concern first" in titles
    wards = doc["tables"][titles.index("High risk, low protection (top 20%) by ward, most concern first")]
    assert len(wards["rows"]) == 20 and wards["rows"][0][0] == "East Park"
    assert len(doc["map"]["codes"]) == 161 and set(doc["map"]["classes"]) <= {0, 1, 2, 3}
