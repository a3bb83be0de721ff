"""The persons list and search, the person page and its JSON, in both languages."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from aban.detention.register import detention_cases
from aban.store.workspace import open_workspace
from aban.web.context import TEMPLATES
from aban.web.i18n import Words, choose_lang
from aban.web.messages import MESSAGES, TERMS
from aban.web.views.detention import person_cases
from tests.conftest import PASSPHRASE
from tests.web.conftest import signed_in


def test_the_person_page_shows_records_canonical_values_grade_evidence_detention(
    app: Any,
) -> None:
    client = signed_in(app, "analyst")
    response = client.get("/persons/P1")  # short ids are read too
    assert response.status_code == 200
    page = response.text
    assert "<h1><bdi>P000001</bdi>: <bdi>Ali Karimi</bdi></h1>" in page
    # records with their sources, linked to their record pages
    assert '<a href="/records/1">ngo k1</a>' in page
    assert '<a href="/records/7">Canary Family Source f1</a>' in page
    # canonical values with provenance, independent sources and conflicts
    assert "<td>ngo k1; Canary Family Source f1</td><td>2</td>" in page
    assert '<div class="conflict">detained ← Canary Family Source f1</div>' in page
    assert '<div class="conflict">2019-11-17 ← Canary Family Source f1</div>' in page
    # grade and reason (the seed graded the register)
    assert 'class="grade-contested">contested</td>' in page
    assert "contested/status" in page
    # evidence and the detention timeline
    assert "<td>video</td>" in page and "<td>15</td>" in page
    assert "<td>2019-11-20</td><td>held incommunicado</td><td>Prison A</td>" in page
    assert "<b>Current status:</b> held incommunicado since 2019-11-20" in page
    assert 'href="/detentions/new?person=P000001"' in page


def test_the_persian_page_runs_right_to_left_with_solar_hijri_dates(app: Any) -> None:
    client = signed_in(app, "viewer")
    page = client.get("/persons/P000001?lang=fa")
    assert '<html lang="fa" dir="rtl">' in page.text
    assert "۱۳۹۸/۰۸/۲۵" in page.text and "2019-11-16" not in page.text
    assert "تاریخ مرگ یا بازداشت" in page.text
    assert 'href="/persons/P000001?lang=en"' in page.text  # the switch back
    # the choice is kept in a cookie for the next pages
    assert '<html lang="fa" dir="rtl">' in client.get("/persons").text
    assert '<html lang="en" dir="ltr">' in client.get("/persons?lang=en").text
    assert '<html lang="en" dir="ltr">' in client.get("/").text


def test_the_list_searches_names_in_either_script_and_ids(app: Any) -> None:
    client = signed_in(app, "viewer")
    everyone = client.get("/api/persons").json()
    assert everyone["total"] == 6 and everyone["pages"] == 1
    assert [r["person_id"] for r in everyone["rows"]][:2] == ["P000001", "P000002"]
    assert everyone["rows"][0]["name"] == "Ali Karimi"
    assert client.get("/api/persons?q=BAHRAM").json()["total"] == 1
    assert client.get("/api/persons?q=karimi").json()["total"] == 6
    assert client.get("/api/persons?q=p2").json()["rows"][0]["person_id"] == "P000002"
    assert client.get("/api/persons?q=%25").json()["total"] == 0  # no wildcard
    contested = client.get("/api/persons?grade=contested").json()
    assert [r["person_id"] for r in contested["rows"]] == ["P000001"]
    page = client.get("/persons?q=cyrus").text
    assert '<a href="/persons/P000003">P000003</a>' in page
    assert "1 found" in page


def test_unknown_persons_and_records_are_404_in_one_json_shape(app: Any) -> None:
    client = signed_in(app, "viewer")
    for path in ("/api/persons/P999999", "/api/persons/nobody", "/api/records/999"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json() == {"ok": False, "error": "Not found.", "status": 404}
    page = client.get("/persons/P999999")
    assert page.status_code == 404 and "Not found." in page.text
    assert client.get("/nowhere").status_code == 404


def test_a_record_page_names_its_person(app: Any) -> None:
    client = signed_in(app, "analyst")
    page = client.get("/records/7").text
    assert '<a href="/persons/P000001">P000001</a>' in page
    assert "Canary Informant Qx" in page and "As the source wrote it" in page


def test_every_message_the_templates_use_exists() -> None:
    used = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"\bt\('([a-z_0-9]+)'\)", template.read_text("utf-8")))
    assert len(used) > 50
    assert used - set(MESSAGES) == set()


def test_every_message_and_term_is_in_both_languages() -> None:
    for table in (MESSAGES, TERMS):
        for key, (english, persian) in table.items():
            assert english.strip() and persian.strip(), key
    words = Words("fa")
    assert words.day("2019-11-16") == "۱۳۹۸/۰۸/۲۵"
    assert words.day("2019-11-16T10:00:00+00:00") == "۱۳۹۸/۰۸/۲۵"
    assert words.day("not a date") == "not a date"
    assert words.num(12345) == "۱۲٬۳۴۵"
    assert (
        Words("en").num(12345) == "12,345"
        and Words("en").day("2019-11-16") == "2019-11-16"
    )
    assert words.term("died_in_custody") == "جان‌باخته در بازداشت"
    assert Words("en").term("unknown_word") == "unknown word"
    assert choose_lang({"lang": "fa"}, {"aban_lang": "en"}) == "fa"
    assert choose_lang({"lang": "xx"}, {"aban_lang": "fa"}) == "fa"
    assert choose_lang({}, {}) == "en"


def test_the_person_page_reads_the_same_case_as_aban_detentions(
    web_path: Path,
) -> None:
    with open_workspace(web_path, PASSPHRASE) as ws:
        today = dt.date(2024, 1, 1)
        everyone = {c.key: c.to_dict() for c in detention_cases(ws.conn, today)}
        persons = ws.conn.execute("select id, person_id from persons").fetchall()
        for row_id, person_id in persons:
            mine = person_cases(ws.conn, row_id, today)
            assert mine == ([everyone[person_id]] if person_id in everyone else [])
    assert set(everyone) >= {"P000001"}
    assert everyone["P000001"]["alerts"] != []
