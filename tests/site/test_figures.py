"""The published figures: counted persons, vocabulary values, no small cell (issue 13).

``data/figures.json`` and the report count only the persons the publication counts
(in the toll, of a grade the policy lists), by values from vocabularies (the
gazetteer's places, body regions, forces, age bands, sex, dates); a place with
fewer persons than ``[publication] min_cell`` is not named (it is counted under
"other"), and a count below it shows as "fewer than N".
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from aban.analysis import REGIONS, age_bands
from aban.event import Event, Moment
from aban.grade.rules import load_rules
from aban.grade.scope import counted_persons
from aban.site import publish
from aban.site.figures import protect, published_figures
from aban.site.people import PersonRow
from aban.site.policy import PublicationPolicy
from aban.store.rows import persons_where
from aban.store.workspace import Workspace
from aban.text.forces import FORCE_SEPARATOR, FORCES
from aban.text.gazetteer import CITIES, PROVINCES
from tests.site.conftest import BUILD_TIME, add_policy

_ROWS = ("day", "province", "city", "age-band", "sex", "injury", "force")


def _figures(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "data" / "figures.json").read_text())
    return data


def _is_day(label: str) -> bool:
    try:
        dt.date.fromisoformat(label)
    except ValueError:
        return False
    return True


def _vocabulary(by: str, label: str) -> bool:
    if label in ("unknown", "other"):
        return True
    if by == "day":
        return _is_day(label)
    if by == "province":
        return label in {p.name_en for p in PROVINCES}
    if by == "city":
        return label in {c.name_en for c in CITIES}
    if by == "age-band":
        return label in age_bands()
    if by == "sex":
        return label in ("female", "male")
    if by == "injury":
        return label in (*REGIONS, "unrecognized")
    return all(k in (*FORCES, "unrecognized") for k in label.split(FORCE_SEPARATOR))


def _rows(figures: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    analysis = figures["analysis"]
    found = [
        (by, row) for by in _ROWS if by in analysis for row in analysis[by]["rows"]
    ]
    found += [("force", row) for row in analysis.get("force", {}).get("mentions", [])]
    return found


def test_figures_hold_vocabulary_values_and_no_small_count(
    open_register: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    publish(open_register, out, BUILD_TIME)
    figures = _figures(out)
    rows = _rows(figures)
    assert len(rows) > 50
    strange = [(by, r["label"]) for by, r in rows if not _vocabulary(by, r["label"])]
    assert strange == []
    assert all("discounted" not in row for _, row in rows)
    small = [(by, r["label"]) for by, r in rows if r["total"] in (1, 2)]
    assert small == []
    places = {r["label"] for by, r in rows if by in ("province", "city")}
    assert "other" in places
    # Suppressed counts are null in the figures and "fewer than 3" on the report.
    hidden = [r for _, r in rows if r["suppressed"]]
    assert hidden and all(r["total"] is None and r["counts"] is None for r in hidden)
    assert any(r["fewer_than"] == 3 for r in hidden)
    report = (out / "en" / "report.html").read_text("utf-8")
    assert "fewer than 3" in report
    assert "کمتر از ۳" in (out / "fa" / "report.html").read_text("utf-8")
    assert figures["policy"]["min_cell"] == 3


def test_a_larger_min_cell_names_fewer_places(
    open_register: Workspace, register: Path, tmp_path: Path
) -> None:
    publish(open_register, tmp_path / "three", BUILD_TIME)
    add_policy(register, "min_cell = 6\n")
    publish(open_register, tmp_path / "six", BUILD_TIME)
    three, six = (_figures(tmp_path / n)["analysis"] for n in ("three", "six"))

    def named(table: dict[str, Any]) -> list[dict[str, Any]]:
        return [r for r in table["rows"] if r["label"] not in ("other", "unknown")]

    for table, n in ((three["city"], 3), (six["city"], 6), (six["province"], 6)):
        # A named place counts at least n persons (or its count is not shown).
        assert all(r["total"] is None or r["total"] >= n for r in named(table))
        assert all(r["fewer_than"] is None for r in named(table))
        assert sum(r["total"] or 0 for r in table["rows"]) <= table["total"]["total"]
    assert 0 < len(named(six["city"])) < len(named(three["city"]))
    assert six["city"]["total"] == three["city"]["total"]
    report = (tmp_path / "six" / "en" / "report.html").read_text("utf-8")
    assert "fewer than 6" in report and "fewer than 3" not in report


def test_figures_count_only_the_persons_the_publication_counts(
    open_register: Workspace, tmp_path: Path
) -> None:
    """Discounted persons, grades the policy does not list and persons outside the
    toll are in no figure; withheld persons are counted (by vocabulary values)."""
    conn = open_register.conn
    counted = counted_persons(conn, load_rules(open_register.path))
    grades = ("confirmed", "corroborated", "single-source")
    killed = 0
    for person in persons_where(conn, select=("id", "grade", "canonical")):
        status = person["canonical"]["fields"].get("status", {}).get("value")
        ok = person["id"] in counted and person["grade"] in grades
        killed += ok and status == "killed"
    with_contested = conn.execute(
        "select count(*) from persons where grade = 'contested'"
    ).fetchone()[0]
    assert with_contested > 0
    out = tmp_path / "site"
    publish(open_register, out, BUILD_TIME)
    summary = _figures(out)["analysis"]["summary"]
    assert summary["killed"]["total"] == killed
    assert set(summary["killed"]["counts"]) == set(grades)
    assert "discounted" not in summary["killed"]
    soup = BeautifulSoup((out / "en" / "report.html").read_text("utf-8"), "html.parser")
    assert f"{killed:,} persons killed" in soup.get_text(" ")


def _person(
    n: int, grade: str = "confirmed", consent: str | None = None, **values: str
) -> PersonRow:
    fields = {"status": "killed", **values}
    canonical = {
        "fields": {k: {"value": v, "source": "a list"} for k, v in fields.items()},
        "names": {},
    }
    return (n, f"P{n:06d}", canonical, "full_name", grade, consent)


def _figures_of(
    rows: list[PersonRow], event: Event | None = None, **policy: Any
) -> dict[str, Any]:
    counted = {r[0] for r in rows if r[4] != "discounted"}
    return published_figures(rows, counted, PublicationPolicy(**policy), event, (18,))


def _table(figures: dict[str, Any], by: str) -> list[tuple[str, Any, Any]]:
    return [(r["label"], r["total"], r["fewer_than"]) for r in figures[by]["rows"]]


def test_protect_suppresses_small_counts_and_one_more_when_alone() -> None:
    assert protect([5, 1, 0, 7, 4], 3) == ["", "small", "", "", "complement"]
    assert protect([1, 2, 9], 3) == ["small", "small", ""]
    assert protect([4, 1, 9], 3, partition=False) == ["", "small", ""]
    assert protect([2, 0], 3) == ["small", ""]  # nothing else to hide
    assert protect([0, 3, 30], 3) == ["", "", ""]


def test_places_outside_the_gazetteer_or_under_min_cell_are_other() -> None:
    rows = [_person(n, city="Tehran") for n in range(1, 6)]
    rows += [_person(n, city="Isfahan") for n in range(6, 9)]
    rows += [_person(9, city="Deh-e Kuchak near the old mill", consent="withheld")]
    rows += [_person(10, "single-source", city="Karaj")]
    rows += [_person(11, "discounted", "public", city="Deh-e Kuchak")]
    rows += [_person(n, "contested", city="Ahvaz") for n in (12, 13, 14)]
    figures = _figures_of(rows)
    assert _table(figures, "city") == [
        ("Tehran", 5, None),
        ("Isfahan", None, None),  # suppressed, or "other" could be worked out
        ("other", None, 3),
        ("unknown", 0, None),
    ]
    assert "Deh-e" not in json.dumps(figures)
    assert figures["summary"]["killed"] == {
        "counts": {"confirmed": 9, "corroborated": 0, "single-source": 1},
        "total": 10,
    }
    wider = _figures_of(rows, grades=("confirmed", "single-source", "contested"))
    assert wider["summary"]["killed"]["total"] == 13
    assert "Ahvaz" in [label for label, _, _ in _table(wider, "city")]
    assert _table(_figures_of(rows, min_cell=6), "city") == [
        ("other", 10, None),
        ("unknown", 0, None),
    ]


def test_sums_of_rows_do_not_give_a_suppressed_row_away() -> None:
    shutdown = Moment("shutdown", "shutdown_began", dt.date(2019, 11, 16))
    event = Event(
        "event", dt.date(2019, 11, 15), dt.date(2019, 11, 18), (), (shutdown,)
    )
    rows = [
        _person(n, date_of_death="2019-11-16", injury_location="head")
        for n in range(1, 6)
    ]
    rows += [_person(n, injury_location="chest") for n in range(6, 9)]
    rows += [_person(9, date_of_death="2019-11-17", injury_location="legs")]
    rows += [_person(n, date_of_death="2019-11-18") for n in range(10, 14)]
    rows += [_person(n, alleged_force="IRGC") for n in range(14, 20)]
    rows += [_person(20, alleged_force="IRGC and Basij")]
    figures = _figures_of(rows, event)
    day = dict((label, total) for label, total, _ in _table(figures, "day"))
    assert day["2019-11-17"] is None and figures["day"]["within_48h"] is None
    injury = {label: total for label, total, _ in _table(figures, "injury")}
    assert injury["legs"] is None and figures["injury"]["head_torso"] is None
    force = {label: total for label, total, _ in _table(figures, "force")}
    assert force["irgc;basij"] is None
    mentions = {r["label"]: r for r in figures["force"]["mentions"]}
    assert mentions["irgc"]["total"] is None and mentions["irgc"]["suppressed"]
    assert mentions["basij"]["fewer_than"] == 3
    # Without a small row, the window and the share are there.
    rows = [r for r in rows if r[0] not in (9, 20)]
    figures = _figures_of(rows, event)
    assert figures["day"]["within_48h"]["total"] == 5
    assert figures["injury"]["head_torso"]["total"] == 8
    assert {r["total"] for r in figures["force"]["mentions"]} == {6, 0}


def test_values_outside_a_vocabulary_are_other() -> None:
    rows = [_person(n, sex="f", province="Fars") for n in range(1, 4)]
    rows += [_person(n, sex="x-unusual", province="Canaryland") for n in range(4, 7)]
    rows += [_person(n, status="arrested-somewhere") for n in range(7, 10)]
    figures = _figures_of(rows)
    assert ("other", 3, None) in _table(figures, "sex")
    assert ("other", 3, None) in _table(figures, "province")
    assert figures["summary"]["not_analysed"] == {"other": 3}
    assert "Canaryland" not in json.dumps(figures)
    assert "unusual" not in json.dumps(figures)
    assert "arrested" not in json.dumps(figures)
