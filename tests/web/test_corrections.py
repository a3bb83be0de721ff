"""Corrections in the app (issue 18): discount, restore, consent, merge and split.

Each goes through the command line's function (or, for merge and split, through
reviewers' link decisions), is audited with the signed-in user, and holds after
the next ``aban link`` (run here in-process with the fake linker).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aban.cli import cli
from aban.linkage import register
from aban.store.workspace import open_workspace
from aban.web.views.corrections import ACTIONS
from aban.workflow.link import link_and_grade
from tests.conftest import PASSPHRASE
from tests.store.fake_linker import FakeLinker
from tests.web.conftest import page_csrf, signed_in
from tests.web.seed import CANARIES, ROLE_USERS, person_of
from tests.web.test_fuzz import TEXT

ANNA = ROLE_USERS["analyst"]


def correct(client: Any, person: str, **data: str) -> Any:
    data["csrf"] = page_csrf(client)
    return client.post(f"/persons/{person}/corrections", data=data)


def row_of(path: Path, record_id: str) -> int:
    with open_workspace(path, PASSPHRASE) as ws:
        (found,) = ws.conn.execute(
            "select id from records where record_id = ?", (record_id,)
        ).fetchone()
    return int(found)


def last_audit(path: Path) -> tuple[str, str, dict[str, Any]]:
    with open_workspace(path, PASSPHRASE) as ws:
        action, actor, detail = ws.conn.execute(
            "select action, actor, detail from audit order by seq desc limit 1"
        ).fetchone()
    return action, actor, json.loads(detail)


def person_row(path: Path, person: str) -> tuple[str, str | None]:
    with open_workspace(path, PASSPHRASE) as ws:
        grade, consent = ws.conn.execute(
            "select grade, consent from persons where person_id = ?", (person,)
        ).fetchone()
    return grade, consent


def relink(path: Path) -> None:
    """Link and grade, as 'aban link' does."""
    with open_workspace(path, PASSPHRASE) as ws:
        link_and_grade(ws, linker=FakeLinker())


def test_discount_and_restore(app: Any, web_path: Path) -> None:
    client = signed_in(app, "analyst")
    person = person_of(web_path, "k2")
    response = correct(
        client, person, action="discount", reason="duplicate", note="seen twice"
    )
    assert response.headers["location"] == (
        f"/persons/{person}/corrections?done=discount"
    )
    assert person_row(web_path, person)[0] == "discounted"
    action, actor, detail = last_audit(web_path)
    assert (action, actor, detail["reason"]) == ("person-discount", ANNA, "duplicate")
    assert "seen twice" not in json.dumps(detail)
    page = client.get(response.headers["location"]).text
    assert "Person discounted." in page and 'id="restore"' in page
    relink(web_path)  # the decision holds the records: it survives re-linking
    assert person_row(web_path, person)[0] == "discounted"
    correct(client, person, action="restore")
    assert person_row(web_path, person)[0] != "discounted"
    assert last_audit(web_path)[:2] == ("person-restore", ANNA)


def test_consent(app: Any, web_path: Path) -> None:
    client = signed_in(app, "analyst")
    person = person_of(web_path, "k3")
    response = correct(client, person, action="consent", consent="withheld")
    assert response.status_code == 303
    assert person_row(web_path, person)[1] == "withheld"
    assert last_audit(web_path) == (
        "person-consent",
        ANNA,
        {"person": person, "consent": "withheld"},
    )
    page = client.get(f"/persons/{person}/corrections?done=consent&lang=fa").text
    assert "رضایت ذخیره شد." in page and 'dir="rtl"' in page


def test_a_merge_holds_after_aban_link(
    app: Any, web_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = signed_in(app, "analyst")
    first, second = person_of(web_path, "k4"), person_of(web_path, "k5")
    response = correct(client, first, action="merge", other=second.lower())
    assert response.headers["location"] == f"/persons/{first}/corrections?done=merge"
    action, actor, detail = last_audit(web_path)
    assert (action, actor) == ("person-merge", ANNA)
    assert detail["persons"] == [first, second] and len(detail["decisions"]) == 1
    with open_workspace(web_path, PASSPHRASE) as ws:
        stored = ws.conn.execute(
            "select decision, reviewer from link_decisions"
        ).fetchall()
    assert stored == [("match", ANNA)]
    # The command line, as a user runs it, links them into one person.
    linker = FakeLinker()
    monkeypatch.setattr(register, "_default_linker", lambda: linker)
    monkeypatch.setenv("ABAN_PASSPHRASE", PASSPHRASE)
    result = CliRunner().invoke(
        cli, ["-w", str(web_path), "link", "--threshold", "0.9", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["decisions"] == 1
    assert linker.calls[0]["must_link"] == [("ngo\x1fk4", "ngo\x1fk5")]
    assert person_of(web_path, "k4") == person_of(web_path, "k5") == first


def test_a_split_holds_after_aban_link(app: Any, web_path: Path) -> None:
    person = person_of(web_path, "f1")
    assert person_of(web_path, "k1") == person
    client = signed_in(app, "analyst")
    page = client.get(f"/persons/{person}/corrections").text
    record = row_of(web_path, "f1")
    assert f'<option value="{record}">' in page
    response = correct(client, person, action="split", record=str(record))
    assert response.status_code == 303
    assert last_audit(web_path)[:2] == ("person-split", ANNA)
    relink(web_path)
    assert person_of(web_path, "k1") != person_of(web_path, "f1")
    assert person_of(web_path, "k1") == person  # the id stays with the bigger half


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"action": "merge", "other": "P000999"},
            "no person P000999 in the register: check the id, or run "
            "&#39;aban link&#39; first",
        ),
        ({"action": "merge", "other": "{self}"}, "{self} and {self} are the same"),
        ({"action": "merge", "other": "Ali"}, "not a person id: person ids look"),
        ({"action": "split", "record": "1x"}, "choose one of the person"),
        ({"action": "split", "record": "999"}, "record 999 is not a live record of"),
        ({"action": "discount", "reason": "bored"}, "choose why the person is not"),
        ({"action": "consent", "consent": "maybe"}, "choose the consent the family"),
        ({"action": "restore"}, "is not discounted: nothing to undo"),
    ],
)
def test_refusals_are_one_line_and_change_nothing(
    app: Any, web_path: Path, data: dict[str, str], message: str
) -> None:
    client = signed_in(app, "analyst")
    person = person_of(web_path, "k6")
    data = {k: v.replace("{self}", person) for k, v in data.items()}
    before = last_audit(web_path)
    response = correct(client, person, **data)
    assert response.status_code == 400
    assert message.replace("{self}", person) in response.text
    assert last_audit(web_path) == before


def test_a_single_record_cannot_be_split(app: Any, web_path: Path) -> None:
    client = signed_in(app, "analyst")
    person = person_of(web_path, "k6")
    assert (
        "This person has one record: nothing to split."
        in client.get(f"/persons/{person}/corrections").text
    )
    response = correct(
        client, person, action="split", record=str(row_of(web_path, "k6"))
    )
    assert response.status_code == 400
    assert f"record {row_of(web_path, 'k6')} is the only record of {person}" in (
        response.text
    )


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_viewers_and_reviewers_cannot_correct(
    app: Any, web_path: Path, role: str
) -> None:
    client = signed_in(app, role)
    person = person_of(web_path, "k1")
    assert client.get(f"/persons/{person}/corrections").status_code == 403
    response = correct(client, person, action="consent", consent="public")
    assert response.status_code == 403
    assert person_row(web_path, person)[1] is None
    assert 'id="correct"' not in client.get(f"/persons/{person}").text


def test_the_page_shows_no_canary_to_an_analyst_beyond_source_names(
    app: Any, web_path: Path
) -> None:
    client = signed_in(app, "analyst")
    page = client.get(f"/persons/{person_of(web_path, 'f1')}/corrections").text
    leaked = [k for k, v in CANARIES.items() if v in page and k != "source"]
    assert leaked == []


def test_a_merge_again_stores_nothing_and_a_split_overrides_a_match(
    web_path: Path,
) -> None:
    from aban.linkage.merges import merge_persons, split_record
    from aban.store.links import decisions

    first, second = person_of(web_path, "k4"), person_of(web_path, "k5")
    with open_workspace(web_path, PASSPHRASE) as ws:
        merged = merge_persons(ws, first, second)
        again = merge_persons(ws, second, first)
        assert (len(merged.decisions), again.decisions) == (1, ())
        link_and_grade(ws, linker=FakeLinker())
        record = row_of(web_path, "k5")
        split = split_record(ws, person_of(web_path, "k4"), record)
        pair = (row_of(web_path, "k4"), record)
        assert decisions(ws.conn)[pair] == "non_match" and len(split.decisions) == 1
        link_and_grade(ws, linker=FakeLinker())
    assert person_of(web_path, "k4") != person_of(web_path, "k5")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    action=st.sampled_from(ACTIONS),
    person=TEXT,
    values=st.lists(TEXT, min_size=5, max_size=5),
)
def test_no_correction_input_causes_a_server_error(
    app: Any, action: str, person: str, values: list[str]
) -> None:
    client = signed_in(app, "analyst")
    names = ("reason", "note", "consent", "other", "record")
    data = {"action": action, **dict(zip(names, values, strict=True))}
    response = correct(client, quote(person, safe="") or "x", **data)
    assert response.status_code < 500
