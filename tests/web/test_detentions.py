"""The detentions page and a case's page (issue 18): cases by urgency with names,
filters, the dated history with its sources, alerts as of a date, and who may
open them."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from aban.detention.cases import NO_NAME
from aban.detention.register import import_detention_events
from aban.linkage.register import link_workspace
from aban.store.workspace import open_workspace
from tests.conftest import PASSPHRASE
from tests.store.fake_linker import FakeLinker
from tests.web.conftest import signed_in
from tests.web.seed import CANARIES, FAMILY, import_rows, open_app, person_of

AS_OF = "2020-02-01"
CASE_ROW = re.compile(r'<tr[^>]*data-case="([^"]+)"')
#: Two more detainees: one known in Persian only, sentenced to death in Tehran's
#: Evin prison; one in Latin letters only, released. Synthetic names.
ROWS = [
    {
        "record_id": "d1",
        "full_name": "سارا حسینی",
        "city": "تهران",
        "status": "detained",
        "date_of_death": "2019-11-18",
    },
    {
        "record_id": "d2",
        "given_name": "Reza",
        "family_name": "Tehrani",
        "city": "Tabriz",
        "status": "detained",
        "date_of_death": "2019-11-19",
    },
]
EVENTS = [
    {
        "record_id": "d1",
        "date": "2019-11-25",
        "status": "death sentence",
        "place": "زندان اوین",
        "source": "list_fa",
        "note": "",
    },
    {
        "record_id": "d2",
        "date": "2020-01-05",
        "status": "released",
        "place": "Tabriz",
        "source": "list_fa",
        "note": "",
    },
]


def add_detainees(path: Path, tmp: Path) -> Path:
    """Add the two detainees above to the register at ``path``, linked; ``path``."""
    with open_workspace(path, PASSPHRASE) as ws:
        import_rows(ws, tmp, "list_fa", ROWS)
        link_workspace(ws, linker=FakeLinker())
        events = tmp / "events.json"
        events.write_text(json.dumps(EVENTS), encoding="utf-8")
        result = import_detention_events(ws, events, today=dt.date(2024, 1, 1))
        assert result.events == 2, [i.render() for i in result.issues]
    return path


@pytest.fixture
def detained(web_path: Path, tmp_path: Path) -> Path:
    """The seeded register with the two detainees above, linked."""
    return add_detainees(web_path, tmp_path)


@pytest.fixture
def app(detained: Path) -> Any:
    db, web = open_app(detained)
    try:
        yield web
    finally:
        db.close()


def cases(text: str) -> list[str]:
    return CASE_ROW.findall(text)


def test_cases_come_by_urgency_with_names_and_days_since_news(
    app: Any, detained: Path
) -> None:
    sara, ali, reza = (person_of(detained, r) for r in ("d1", "f1", "d2"))
    page = signed_in(app, "reviewer").get(f"/detentions?as_of={AS_OF}&lang=en")
    assert page.status_code == 200
    assert cases(page.text) == [sara, ali, reza]
    text = page.text
    # A name no source wrote in Latin letters keeps its script, marked as Persian.
    assert '<bdi class="name" lang="fa">سارا حسینی</bdi>' in text
    assert '<bdi class="name">Ali Karimi</bdi>' in text
    assert '<bdi class="name">Reza Tehrani</bdi>' in text
    assert '<p id="case-count">3 / 3 cases</p>' in text
    row = text[text.index(f'data-case="{sara}"') :].split("</tr>")[0]
    assert "death sentence" in row and "<td>68</td>" in row  # days since news
    assert "(Sentence: death)" in row
    ali_row = text[text.index(f'data-case="{ali}"') :].split("</tr>")[0]
    assert "held incommunicado <small>(73 days)</small>" in ali_row
    assert "<td>Prison A</td>" in ali_row


def test_the_persian_page_shows_each_name_in_its_own_script(
    app: Any, detained: Path
) -> None:
    reza = person_of(detained, "d2")
    text = signed_in(app, "reviewer").get(f"/detentions?as_of={AS_OF}&lang=fa").text
    assert '<html lang="fa" dir="rtl">' in text
    assert '<bdi class="name">سارا حسینی</bdi>' in text
    assert '<bdi class="name" lang="en">Reza Tehrani</bdi>' in text
    assert '<p id="case-count">۳ / ۳ پرونده</p>' in text
    assert f'<a href="/detentions/{reza}?as_of={AS_OF}"><bdi>{reza}</bdi></a>' in text
    assert "<bdi>۱۳۹۸/۱۱/۱۲</bdi>" in text  # the as-of date, Solar Hijri


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=released", ["d2"]),
        ("urgency=death_sentence", ["d1"]),
        ("urgency=held_incommunicado", ["f1"]),
        ("urgency=any", ["d1", "f1"]),
        ("place=Tehran", ["d1"]),  # the city written تهران
        ("place=%D8%AA%D8%A8%D8%B1%DB%8C%D8%B2", ["d2"]),  # تبریز: Tabriz
        ("place=prison+a", ["f1"]),
        ("place=Mashhad", []),
        ("status=nonsense&urgency=nonsense", ["d1", "f1", "d2"]),  # ignored
    ],
)
def test_filters(app: Any, detained: Path, query: str, expected: list[str]) -> None:
    text = signed_in(app, "reviewer").get(f"/detentions?as_of={AS_OF}&{query}").text
    assert cases(text) == [person_of(detained, r) for r in expected]
    if not expected:
        assert "No case matches." in text


def test_alerts_as_of_a_date_in_either_calendar(app: Any, detained: Path) -> None:
    client = signed_in(app, "reviewer")
    sara = person_of(detained, "d1")
    for day in ("2019-11-21", "1398/08/30"):  # before the death sentence
        text = client.get(f"/detentions?as_of={day}&urgency=any").text
        assert sara not in cases(text)
        assert '<input name="as_of" value="2019-11-21"' in text
    # A date that is not one is ignored: today's cases.
    assert client.get("/detentions?as_of=2019-13-45").status_code == 200


def test_the_json_has_the_command_lines_keys_and_names(
    app: Any, detained: Path
) -> None:
    client = signed_in(app, "reviewer")
    data = client.get(f"/api/detentions?as_of={AS_OF}&urgency=any").json()
    assert data["ok"] is True
    assert data["counts"] == {"cases": 3, "matched": 2}
    assert data["alerts"]["death_sentence"] == 1
    first = data["cases"][0]
    assert first["name"] == "سارا حسینی"
    assert first["names"] == {"latin": None, "persian": "سارا حسینی"}
    assert first["alerts"][0] == {
        "kind": "death_sentence",
        "since": "2019-11-25",
        "days": 68,
    }
    assert first["days_since_news"] == 68
    cli_keys = set(NO_NAME.to_dict()) | {
        "case",
        "person_id",
        "records",
        "status",
        "status_since",
        "last_event",
        "arrest_date",
        "arrest_place",
        "facility",
        "whereabouts",
        "family_access",
        "lawyer_access",
        "sentence",
        "alerts",
        "conflicts",
    }
    assert cli_keys <= set(first)


def test_a_case_page_shows_the_dated_history_with_its_sources(
    app: Any, detained: Path
) -> None:
    ali = person_of(detained, "f1")
    client = signed_in(app, "reviewer")
    text = client.get(f"/detentions/{ali}?as_of={AS_OF}").text
    assert f"<h1>Detention case <bdi>{ali}</bdi>: " in text
    assert '<bdi class="name">Ali Karimi</bdi>' in text
    assert "held incommunicado since 2019-11-20" in text
    assert "2019-11-20 (73 days)" in text
    history = text[text.index('id="history"') :]
    assert FAMILY in history and CANARIES["event_note"] in history  # reviewers see
    assert "<td>Prison A</td>" in history
    assert f'<a href="/persons/{ali}">Person page</a>' in text
    early = client.get(f"/detentions/{ali}?as_of=2019-11-19&lang=fa").text
    assert "تا این تاریخ هشداری نیست." in early
    assert "Prison A" not in early  # the event after the as-of date is left out


def test_a_case_page_only_for_a_person_with_a_case(app: Any, detained: Path) -> None:
    client = signed_in(app, "reviewer")
    killed = person_of(detained, "k2")
    for person in (killed, "P999999", "nonsense"):
        assert client.get(f"/detentions/{person}").status_code == 404


def test_a_viewer_reaches_none_of_them_and_the_menu_says_so(
    app: Any, detained: Path
) -> None:
    viewer = signed_in(app, "viewer")
    ali = person_of(detained, "f1")
    for path in ("/detentions", f"/detentions/{ali}", "/api/detentions"):
        assert viewer.get(path).status_code == 403, path
    assert 'href="/detentions"' not in viewer.get("/").text
    assert 'href="/detentions"' in signed_in(app, "reviewer").get("/").text


def test_pages_keep_the_filters(
    app: Any, detained: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aban.web.views import detentions

    monkeypatch.setattr(detentions, "PAGE_SIZE", 1)
    client = signed_in(app, "reviewer")
    first = client.get(f"/detentions?as_of={AS_OF}&urgency=any").text
    assert cases(first) == [person_of(detained, "d1")]
    link = f'href="/detentions?as_of={AS_OF}&amp;urgency=any&amp;page=2"'
    assert f'<a rel="next" {link}>Next</a>' in first
    second = client.get(f"/detentions?as_of={AS_OF}&urgency=any&page=2").text
    assert cases(second) == [person_of(detained, "f1")]
    assert 'rel="next"' not in second
    beyond = client.get(f"/detentions?as_of={AS_OF}&urgency=any&page=9").text
    assert cases(beyond) == cases(second)  # clamped to the last page
