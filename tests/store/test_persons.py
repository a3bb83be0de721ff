"""Persons from clusters: canonical values with provenance, stable ids, decisions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aban.errors import LinkageError
from aban.linkage.persons import assign_person_ids
from aban.linkage.register import link_workspace, records_frame, review_queue
from aban.store.db import transaction
from aban.store.links import add_decision, decisions
from aban.store.persons import load_records
from aban.store.records import record_keys
from aban.store.runs import run_details
from aban.store.sources import set_source
from aban.store.status import register_status
from aban.store.workspace import Workspace
from aban.vocab.canonical import canonical_values, display_name
from aban.vocab.sources import Source
from tests.store.fake_linker import FakeLinker, import_rows


def rec(source: str, record_id: str, **fields: Any) -> dict[str, Any]:
    return {"source": source, "record_id": record_id, **fields}


# Canonical values -------------------------------------------------------------


def test_majority_of_independent_sources_beats_more_records_in_one_group() -> None:
    sources = {
        "a1": Source("a1", group="ngo-a", reliability="A"),
        "a2": Source("a2", group="ngo-a", reliability="A"),
        "a3": Source("a3", group="ngo-a", reliability="A"),
        "b": Source("b", group="media-b", reliability="D"),
        "c": Source("c", group=None, reliability="E"),
    }
    records = [
        rec("a1", "1", age=23),
        rec("a2", "2", age=23),
        rec("a3", "3", age=23),
        rec("b", "4", age=24),
        rec("c", "5", age=24),
    ]
    age = canonical_values(records, sources)["fields"]["age"]
    assert age["value"] == 24
    assert age["independent_sources"] == 2
    assert (age["source"], age["record_id"]) == ("b", "4")
    assert age["records"] == [["b", "4"], ["c", "5"]]
    assert age["conflicts"] == [
        {"value": 23, "records": [["a1", "1"], ["a2", "2"], ["a3", "3"]]}
    ]


def test_the_alleged_force_is_one_value_in_either_script() -> None:
    sources = {"fa": Source("fa", reliability="B")}
    records = [
        rec("fa", "1", alleged_force="سپاه", alleged_force_norm="irgc"),
        rec("en", "2", alleged_force="IRGC", alleged_force_norm="irgc"),
        rec("x", "3", alleged_force="IRGC and Basij", alleged_force_norm="irgc;basij"),
    ]
    force = canonical_values(records, sources)["fields"]["alleged_force"]
    assert (force["value"], force["independent_sources"]) == ("سپاه", 2)
    assert force["variants"] == ["IRGC"]
    assert force["conflicts"] == [{"value": "IRGC and Basij", "records": [["x", "3"]]}]


def test_a_place_the_gazetteer_reads_as_one_is_no_conflict() -> None:
    """Issue 17: "Karaj" and "کرج", "Mahshahr" and "Bandar-e Mahshahr" are one
    place each; "Karaj" and "Tehran" still conflict."""
    sources = {"fa": Source("fa", reliability="B")}
    records = [
        rec("fa", "1", city="کرج", city_norm="کرج"),
        rec("en", "2", city="Karaj", city_norm="karaj"),
        rec("x", "3", city="Tehran", city_norm="tehran"),
        rec("y", "4", province="Mahshahr", city="Mahshahr", city_norm="mahshahr"),
    ]
    city = canonical_values(records[:3], sources)["fields"]["city"]
    assert (city["value"], city["independent_sources"]) == ("کرج", 2)
    assert city["variants"] == ["Karaj"]
    assert city["conflicts"] == [{"value": "Tehran", "records": [["x", "3"]]}]
    port = [rec("a", "5", city="Bandar-e Mahshahr", city_norm="bandar e mahshahr")]
    city = canonical_values([*port, records[3]], sources)["fields"]["city"]
    assert (city["conflicts"], city["variants"]) == ([], ["Mahshahr"])


def test_reliability_breaks_a_tie_and_gives_the_provenance() -> None:
    sources = {
        "low": Source("low", reliability="D"),
        "high": Source("high", reliability="B"),
        "none": Source("none"),
    }
    records = [
        rec("low", "l1", city="Shiraz", city_norm="shiraz"),
        rec("high", "h1", city="Tehran", city_norm="tehran"),
        rec("none", "n1", city="SHIRAZ", city_norm="shiraz"),
        rec("high", "h2", city="Tehran", city_norm="tehran"),
    ]
    # Shiraz: two independent sources; Tehran: one source, however many records.
    city = canonical_values(records, sources)["fields"]["city"]
    assert city["value"] == "Shiraz"
    assert (city["source"], city["record_id"]) == ("low", "l1")
    assert city["variants"] == ["SHIRAZ"]
    assert city["conflicts"] == [
        {"value": "Tehran", "records": [["high", "h1"], ["high", "h2"]]}
    ]
    # Between single sources, the more reliable one wins.
    tie = canonical_values(records[:2], sources)["fields"]["city"]
    assert (tie["value"], tie["source"], tie["record_id"]) == ("Tehran", "high", "h1")
    assert tie["conflicts"] == [{"value": "Shiraz", "records": [["low", "l1"]]}]


def test_names_are_kept_in_each_script() -> None:
    records = [
        rec("fa", "1", full_name="علی کریمی", full_name_norm="علی کریمی"),
        rec("en", "2", full_name="Ali Karimi", full_name_norm="ali karimi"),
        rec("en2", "3", full_name="Ali Karimy", full_name_norm="ali karimy"),
    ]
    canonical = canonical_values(records, {})
    full = canonical["names"]["full_name"]
    assert set(full) == {"persian", "latin"}
    assert full["persian"]["value"] == "علی کریمی"
    assert full["persian"]["conflicts"] == []
    assert full["latin"]["value"] == "Ali Karimi"  # tie: earliest record
    assert full["latin"]["conflicts"] == [
        {"value": "Ali Karimy", "records": [["en2", "3"]]}
    ]
    assert display_name(canonical, "persian") == "علی کریمی"
    assert display_name(canonical, "latin") == "Ali Karimi"


def test_display_name_from_given_and_family() -> None:
    canonical = canonical_values(
        [rec("s", "1", given_name="Sara", family_name="Jafari")], {}
    )
    assert display_name(canonical) == "Sara Jafari"
    assert display_name(canonical_values([rec("s", "1", age=3)], {})) is None


def test_protected_fields_never_enter_canonical_values() -> None:
    records = [
        rec(
            "s",
            "1",
            given_name="Sara",
            informant="Witness Person",
            contact="+00 000",
            notes_private="private note",
        )
    ]
    text = json.dumps(canonical_values(records, {}), ensure_ascii=False)
    for secret in ("Witness Person", "+00 000", "private note"):
        assert secret not in text


# Stable person ids ----------------------------------------------------------


def test_ids_survive_an_unchanged_clustering_with_new_labels() -> None:
    old = {"P000001": {1, 2}, "P000002": {3}}
    new = {"x": [3], "y": [1, 2], "z": [4]}
    result = assign_person_ids(old, new, next_number=3)
    assert result.ids == {"y": "P000001", "x": "P000002", "z": "P000003"}
    assert result.kept == {"P000001", "P000002"}
    assert result.retired == {}
    assert result.next_number == 4


def test_merge_keeps_the_larger_person_and_retires_the_other() -> None:
    old = {"P000001": {1, 2, 3}, "P000002": {4}}
    result = assign_person_ids(old, {"m": [1, 2, 3, 4]}, next_number=3)
    assert result.ids == {"m": "P000001"}
    assert result.retired == {"P000002": "m"}
    assert result.next_number == 3


def test_split_leaves_the_id_on_the_bigger_half_and_never_reuses_numbers() -> None:
    old = {"P000007": {1, 2, 3}}
    result = assign_person_ids(old, {"a": [1], "b": [2, 3]}, next_number=9)
    assert result.ids == {"b": "P000007", "a": "P000009"}
    even = assign_person_ids({"P000001": {1, 2}}, {"a": [2], "b": [1]}, 2)
    assert even.ids == {"b": "P000001", "a": "P000002"}  # tie: smallest record


def test_a_person_scattered_without_a_majority_home_is_retired() -> None:
    old = {"P000001": {1, 2, 3}}
    new = {"a": [1, 10], "b": [2, 11], "c": [3, 12]}
    result = assign_person_ids(old, new, next_number=2)
    assert result.kept == frozenset()
    assert sorted(result.ids.values()) == ["P000002", "P000003", "P000004"]
    assert result.retired == {"P000001": "a"}


# Linking a register -------------------------------------------------------------

NGO = [
    {
        "record_id": "n1",
        "given_name": "Ali",
        "family_name": "Karimi",
        "sex": "m",
        "age": "23",
        "city": "Shiraz",
        "status": "killed",
        "informant": "Hidden Name",
    },
    {"record_id": "n2", "full_name": "Reza", "sex": "m", "age": "31", "city": "Tehran"},
    {"record_id": "n3", "sex": "f", "age": "17", "city": "Karaj"},
]
MEDIA = [
    {
        "record_id": "m1",
        "full_name": "Ali Karimi",
        "sex": "m",
        "age": "24",
        "city": "Shiraz",
        "status": "killed",
    },
    {
        "record_id": "m2",
        "full_name": "Hamid Karimi",
        "sex": "m",
        "age": "40",
        "city": "Shiraz",
    },
    {"record_id": "m3", "status": "killed", "date_of_death": "2019-11-16"},
]


@pytest.fixture
def linked(workspace: Workspace, tmp_path: Path) -> Workspace:
    import_rows(workspace, tmp_path, "ngo", NGO)
    import_rows(workspace, tmp_path, "media", MEDIA)
    with transaction(workspace.conn):
        set_source(workspace.conn, "ngo", group="ngo", reliability="B")
        set_source(workspace.conn, "media", group="media", reliability="D")
    link_workspace(workspace, linker=FakeLinker())
    return workspace


def persons_of(ws: Workspace) -> dict[str, list[str]]:
    rows = ws.conn.execute(
        "select p.person_id, r.record_id from persons p "
        "join person_records pr on pr.person_id = p.id "
        "join records r on r.id = pr.record_id order by r.id"
    )
    found: dict[str, list[str]] = {}
    for pid, rid in rows:
        found.setdefault(pid, []).append(rid)
    return found


def canonical_of(ws: Workspace, record_id: str) -> dict[str, Any]:
    (text,) = ws.conn.execute(
        "select p.canonical from persons p join person_records pr "
        "on pr.person_id = p.id join records r on r.id = pr.record_id "
        "where r.record_id = ?",
        (record_id,),
    ).fetchone()
    result: dict[str, Any] = json.loads(text)
    return result


def test_link_makes_persons_with_provenance_and_levels(linked: Workspace) -> None:
    assert persons_of(linked) == {
        "P000001": ["n1", "m1"],
        "P000002": ["n2"],
        "P000003": ["n3"],
        "P000004": ["m2"],
        "P000005": ["m3"],
    }
    age = canonical_of(linked, "n1")["fields"]["age"]
    # One source each: the more reliable ngo (B) wins over media (D).
    assert (age["value"], age["source"], age["record_id"]) == (23, "ngo", "n1")
    assert age["conflicts"] == [{"value": 24, "records": [["media", "m1"]]}]
    status = register_status(linked.conn).to_dict()
    assert status["persons"] == 5
    assert status["persons_by_identification"] == {
        "full_name": 2,
        "partial_name": 1,
        "descriptors_only": 1,
        "unidentified": 1,
    }


def test_link_stores_the_run_pairs_and_an_audit_entry_without_names(
    linked: Workspace,
) -> None:
    run = run_details(linked.conn, 1)
    assert run["kind"] == "link"
    assert run["model"] == {"fake": True}
    assert run["settings"]["threshold"] == 0.9
    assert run["settings"]["engine"] == "duckdb"
    assert len(run["settings"]["input_sha256"]) == 64
    assert run["counts"]["persons"] == 5
    pairs = linked.conn.execute(
        "select match_probability from scored_pairs order by 1"
    ).fetchall()
    assert pairs == [(0.5,), (0.5,), (0.97,)]
    (action, detail) = linked.conn.execute(
        "select action, detail from audit order by seq desc limit 1"
    ).fetchone()
    assert action == "link"
    assert json.loads(detail)["persons"] == 5
    for name in ("Ali", "Karimi", "Shiraz", "Hidden"):
        assert name not in detail


def test_relink_keeps_ids_and_numbers_new_persons_after_the_last(
    linked: Workspace, tmp_path: Path
) -> None:
    before = persons_of(linked)
    import_rows(
        linked,
        tmp_path,
        "family",
        [
            {"record_id": "f1", "full_name": "Reza", "city": "Tehran"},
            {"record_id": "f2", "full_name": "Nima Saberi", "city": "Ahvaz"},
        ],
    )
    summary = link_workspace(linked, linker=FakeLinker())
    after = persons_of(linked)
    assert after["P000002"] == ["n2", "f1"]
    assert after["P000006"] == ["f2"]
    for pid in ("P000001", "P000003", "P000004", "P000005"):
        assert after[pid] == before[pid]
    assert (summary.kept, summary.created, summary.retired) == (5, 1, 0)


def test_grade_and_consent_stay_with_a_kept_id(linked: Workspace) -> None:
    linked.conn.execute(
        "update persons set grade = 'corroborated', consent = 'public' "
        "where person_id = 'P000001'"
    )
    link_workspace(linked, linker=FakeLinker())
    row = linked.conn.execute(
        "select grade, consent from persons where person_id = 'P000001'"
    ).fetchone()
    assert row == ("corroborated", "public")


def decide(ws: Workspace, a: str, b: str, decision: str) -> None:
    ids = record_keys(ws.conn)
    with transaction(ws.conn):
        add_decision(
            ws.conn, ids[f"ngo\x1f{a}"], ids[f"media\x1f{b}"], decision, "t", "now"
        )


def test_decisions_are_passed_to_the_engine_and_respected(linked: Workspace) -> None:
    decide(linked, "n1", "m1", "non_match")
    decide(linked, "n2", "m2", "match")
    fake = FakeLinker()
    summary = link_workspace(linked, linker=fake)
    call = fake.calls[0]
    assert call["cannot_link"] == [("ngo\x1fn1", "media\x1fm1")]
    assert call["must_link"] == [("ngo\x1fn2", "media\x1fm2")]
    assert sorted(call["labels"]) == [
        ("ngo\x1fn1", "media\x1fm1", False),
        ("ngo\x1fn2", "media\x1fm2", True),
    ]
    after = persons_of(linked)
    assert after["P000001"] == ["n1"]
    assert ["n2", "m2"] in after.values()
    assert summary.decisions == 2


def test_the_latest_decision_on_a_pair_stands(linked: Workspace) -> None:
    decide(linked, "n1", "m1", "non_match")
    decide(linked, "n1", "m1", "match")
    assert list(decisions(linked.conn).values()) == ["match"]


def test_an_engine_that_breaks_a_decision_changes_nothing(linked: Workspace) -> None:
    decide(linked, "n1", "m1", "non_match")
    before = persons_of(linked)
    heads = linked.conn.execute("select count(*) from audit").fetchone()
    with pytest.raises(LinkageError) as err:
        link_workspace(linked, linker=FakeLinker(obey=False))
    assert str(err.value) == (
        "the linkage engine broke 1 reviewer decisions; nothing changed"
    )
    assert persons_of(linked) == before
    assert linked.conn.execute("select count(*) from audit").fetchone() == heads


def test_a_retired_person_hands_links_and_strictest_consent_on(
    linked: Workspace,
) -> None:
    linked.conn.execute(
        "update persons set consent = 'withheld' where person_id = 'P000004'"
    )
    linked.conn.execute(
        "update persons set consent = 'public' where person_id = 'P000001'"
    )
    (internal,) = linked.conn.execute(
        "select id from persons where person_id = 'P000004'"
    ).fetchone()
    linked.conn.execute("insert into detentions (person_id) values (?)", (internal,))
    decide(linked, "n1", "m2", "match")  # Hamid Karimi joins Ali Karimi
    summary = link_workspace(linked, linker=FakeLinker())
    assert summary.retired == 1
    assert persons_of(linked)["P000001"] == ["n1", "m1", "m2"]
    row = linked.conn.execute(
        "select p.person_id, p.consent from detentions d "
        "join persons p on p.id = d.person_id"
    ).fetchone()
    assert row == ("P000001", "withheld")
    assert "P000004" not in persons_of(linked)


def test_a_retired_persons_story_moves_to_its_successor(linked: Workspace) -> None:
    # The team's story (issue 17) follows the records, as consent does.
    (internal,) = linked.conn.execute(
        "select id from persons where person_id = 'P000004'"
    ).fetchone()
    linked.conn.execute(
        "insert into person_stories (person_id, biography_en, written_by, "
        "written_at) values (?, 'A story.', 't', 'now')",
        (internal,),
    )
    decide(linked, "n1", "m2", "match")  # Hamid Karimi joins Ali Karimi
    link_workspace(linked, linker=FakeLinker())
    row = linked.conn.execute(
        "select p.person_id, s.biography_en from person_stories s "
        "join persons p on p.id = s.person_id"
    ).fetchall()
    assert row == [("P000001", "A story.")]


def test_review_queue_is_the_undecided_band(linked: Workspace) -> None:
    queue = review_queue(linked.conn)
    assert [(q.pair.probability) for q in queue] == [0.5, 0.5]
    first = queue[0]
    with transaction(linked.conn):
        add_decision(linked.conn, first.record_b, first.record_a, "match", "t", "x")
    assert [q.record_a for q in review_queue(linked.conn)] == [queue[1].record_a]


def test_review_before_any_link_is_an_error(workspace: Workspace) -> None:
    with pytest.raises(LinkageError, match="no link run yet"):
        review_queue(workspace.conn)


def test_records_frame_is_text_without_protected_fields(linked: Workspace) -> None:
    frame = records_frame(load_records(linked.conn))
    assert "informant" not in frame.columns
    assert frame.loc[0, "key"] == "ngo\x1fn1"
    assert frame.loc[0, "age"] == "23"
    assert frame.loc[2, "full_name"] is None


def test_one_record_needs_no_engine(workspace: Workspace, tmp_path: Path) -> None:
    import_rows(workspace, tmp_path, "s", [{"record_id": "1", "full_name": "A B"}])
    summary = link_workspace(workspace, linker=FakeLinker(obey=False))
    assert (summary.records, summary.persons, summary.pairs) == (1, 1, 0)


def test_contradictory_decisions_are_counted_and_matches_win(
    linked: Workspace,
) -> None:
    ids = record_keys(linked.conn)
    n1, n2, m2 = ids["ngo\x1fn1"], ids["ngo\x1fn2"], ids["media\x1fm2"]
    with transaction(linked.conn):
        add_decision(linked.conn, n1, m2, "match", "t", "x")
        add_decision(linked.conn, m2, n2, "match", "t", "x")
        add_decision(linked.conn, n1, n2, "non_match", "t", "x")
    summary = link_workspace(linked, linker=FakeLinker())
    assert summary.contradictory_decisions == 1
    assert persons_of(linked)["P000001"] == ["n1", "n2", "m2"]


def test_an_empty_register_links_to_no_persons(workspace: Workspace) -> None:
    summary = link_workspace(workspace, linker=FakeLinker(obey=False))
    assert (summary.records, summary.persons, summary.to_review) == (0, 0, 0)
    assert (
        summary.head
        == workspace.conn.execute(
            "select hash from audit order by seq desc limit 1"
        ).fetchone()[0]
    )
