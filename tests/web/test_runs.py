"""Link and grade from the app (issue 18): the runs page, its JSON, one at a time."""

from __future__ import annotations

import csv
import json
import threading
from pathlib import Path
from typing import Any

import pytest

from aban.errors import LinkageError
from aban.ingest.importer import import_file
from aban.linkage.register import link_workspace
from aban.store.db import transaction
from aban.store.integrity import verify_register
from aban.store.retractions import retract_records
from aban.store.workspace import now, open_workspace
from aban.web.runs import RunStatus, failure, stage_of
from tests.conftest import PASSPHRASE
from tests.store.fake_linker import FakeLinker
from tests.web.conftest import page_csrf, signed_in
from tests.web.seed import CANARIES, ROLE_USERS


class Gate(FakeLinker):
    """The fake linker, held inside its call until the test opens the gate."""

    def __init__(self) -> None:
        super().__init__()
        self.entered, self.gate = threading.Event(), threading.Event()

    def __call__(self, records: Any, **kw: Any) -> Any:
        kw["progress"]("training the model")
        self.entered.set()
        assert self.gate.wait(30)
        return super().__call__(records, **kw)


def start(client: Any) -> Any:
    return client.post("/runs", data={"csrf": page_csrf(client), "action": "start"})


def audit_head(path: Path) -> tuple[str, str, dict[str, Any]]:
    with open_workspace(path, PASSPHRASE) as ws:
        digest, actor, detail = ws.conn.execute(
            "select hash, actor, detail from audit where action = 'link' "
            "order by seq desc limit 1"
        ).fetchone()
        (head,) = ws.conn.execute(
            "select hash from audit order by seq desc limit 1"
        ).fetchone()
    return head, actor, json.loads(detail)


def test_an_analyst_links_and_grades_from_the_app(app: Any, web_path: Path) -> None:
    app.state.web.runs.linker = FakeLinker()
    client = signed_in(app, "analyst")
    assert "No run since the app started." in client.get("/runs").text
    response = start(client)
    assert (response.status_code, response.headers["location"]) == (303, "/runs")
    status = app.state.web.runs.wait(30)
    assert (status.state, status.stage, status.error) == ("done", "done", None)
    assert status.started_by == ROLE_USERS["analyst"]
    head, actor, detail = audit_head(web_path)
    assert actor == ROLE_USERS["analyst"] and detail["persons"] == 6
    result = status.result
    assert result is not None and result["head"] == head
    assert (result["records"], result["persons"], result["decisions"]) == (7, 6, 0)
    page = client.get("/runs").text
    assert "The run is done." in page and head in page
    assert '<td id="result-persons">6</td>' in page
    api = client.get("/api/runs").json()
    assert api["ok"] is True and api["run"]["state"] == "done"
    assert api["run"]["result"]["grades"]["minimum"] == result["grades"]["minimum"]
    assert [v for v in CANARIES.values() if v in page + json.dumps(api)] == []
    with open_workspace(web_path, PASSPHRASE) as ws:  # the run's rows are sealed
        report = verify_register(ws.conn, head)
    assert report.ok, report


def test_the_persian_runs_page(app: Any) -> None:
    app.state.web.runs.linker = FakeLinker()
    client = signed_in(app, "analyst")
    start(client)
    app.state.web.runs.wait(30)
    page = client.get("/runs?lang=fa").text
    assert 'dir="rtl"' in page and "اجرا پایان یافت." in page
    assert '<td id="result-persons">۶</td>' in page


def test_a_second_start_says_who_started_the_run_going(app: Any) -> None:
    gate = Gate()
    app.state.web.runs.linker = gate
    first = signed_in(app, "analyst")
    assert start(first).status_code == 303
    assert gate.entered.wait(30)
    going = first.get("/api/runs").json()["run"]
    assert (going["state"], going["stage"]) == ("running", "training")
    assert "training the model" in first.get("/runs").text
    second = signed_in(app, "admin")
    busy = start(second)
    assert busy.status_code == 409
    assert "A run is already going; wait for it to end. Started by <b><bdi>anna" in (
        busy.text
    )
    assert going["started_at"][:10] in busy.text
    gate.gate.set()
    status = app.state.web.runs.wait(30)
    assert status.state == "done" and status.number == 1
    assert start(second).status_code == 303
    assert app.state.web.runs.wait(30).started_by == ROLE_USERS["admin"]


def test_a_failed_run_shows_one_line_and_changes_nothing(
    app: Any, web_path: Path
) -> None:
    def broken(records: Any, **_kw: Any) -> Any:
        raise LinkageError("the linkage engine failed: out of memory; nothing changed")

    app.state.web.runs.linker = broken
    client = signed_in(app, "analyst")
    before = audit_head(web_path)[0]
    start(client)
    status = app.state.web.runs.wait(30)
    assert (status.state, status.result) == ("failed", None)
    assert status.error == "the linkage engine failed: out of memory; nothing changed"
    page = client.get("/runs").text
    assert 'The run failed: <span dir="ltr">the linkage engine failed' in page
    assert audit_head(web_path)[0] == before


def test_an_unexpected_error_names_its_kind_not_its_data() -> None:
    err = KeyError(CANARIES["informant"])
    assert failure(err) == "the run stopped on an unexpected error (KeyError)"
    assert failure(LinkageError("one\ntwo")) == "one"


def test_progress_messages_name_stages() -> None:
    assert stage_of("preparing 7 records") == "preparing"
    assert stage_of("scoring again with the learned spellings") == "rescoring"
    assert stage_of("scoring candidate pairs") == "scoring"
    assert stage_of("clustering 15 scored pairs") == "clustering"
    assert stage_of("something new") == "linking"
    assert RunStatus().to_dict()["state"] == "idle"


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_viewers_and_reviewers_cannot_run(app: Any, role: str) -> None:
    client = signed_in(app, role)
    assert client.get("/runs").status_code == 403
    assert client.get("/api/runs").status_code == 403
    assert start(client).status_code == 403
    assert 'href="/runs"' not in client.get("/").text
    assert app.state.web.runs.status().state == "idle"


def test_the_review_queue_reloads_after_a_run(app: Any) -> None:
    app.state.web.runs.linker = FakeLinker()
    reviewer = signed_in(app, "reviewer")
    assert "data-pair=" in reviewer.get("/review").text
    before = app.state.web.queue.run_id
    start(signed_in(app, "analyst"))
    app.state.web.runs.wait(30)
    page = reviewer.get("/review").text
    assert app.state.web.queue.run_id != before and "data-pair=" in page
    assert "Decisions take effect at the next link run." in page


def _add_record(path: Path, tmp: Path) -> None:
    csv_path = tmp / "late.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerows([["record_id", "full_name"], ["late1", "Late Testi"]])
    with open_workspace(path, PASSPHRASE) as other:
        assert not import_file(other, csv_path, source="late").refused


def test_records_imported_while_linking_wait_for_the_next_run(
    web_path: Path, tmp_path: Path
) -> None:
    class Importing(FakeLinker):
        def __call__(self, records: Any, **kw: Any) -> Any:
            _add_record(web_path, tmp_path)  # a documenter, meanwhile
            return super().__call__(records, **kw)

    with open_workspace(web_path, PASSPHRASE) as ws:
        summary = link_workspace(ws, linker=Importing())
        unlinked = ws.conn.execute(
            "select count(*) from records where id not in "
            "(select record_id from person_records)"
        ).fetchone()
        again = link_workspace(ws, linker=FakeLinker())
    assert (summary.records, summary.persons, unlinked[0]) == (7, 6, 1)
    assert (again.records, again.persons) == (8, 7)


def test_a_record_retracted_while_linking_changes_nothing(web_path: Path) -> None:
    class Retracting(FakeLinker):
        def __call__(self, records: Any, **kw: Any) -> Any:
            with open_workspace(web_path, PASSPHRASE) as other:
                with transaction(other.conn):
                    retract_records(other.conn, [1], now())
            return super().__call__(records, **kw)

    with open_workspace(web_path, PASSPHRASE) as ws:
        with pytest.raises(LinkageError) as raised:
            link_workspace(ws, linker=Retracting())
    assert str(raised.value) == (
        "records were retracted or brought back while linking; nothing changed. "
        "Run 'aban link' again"
    )


def test_a_pair_shown_before_a_run_replaced_the_queue_can_be_decided(
    app: Any, web_path: Path
) -> None:
    from tests.web.test_review import decide, shown_pair, stored_decisions

    reviewer = signed_in(app, "reviewer")
    pair = shown_pair(reviewer)
    app.state.web.runs.linker = FakeLinker(score=lambda a, b: None)  # no pairs
    start(signed_in(app, "analyst"))
    assert app.state.web.runs.wait(30).state == "done"
    assert "No pair is waiting for review." in reviewer.get("/review").text
    response = decide(reviewer, pair, "non_match")
    assert response.headers["location"] == "/review?last=stored"
    assert [d[:3] for d in stored_decisions(web_path)] == [(*pair, "non_match")]
    assert decide(reviewer, pair, "match").headers["location"] == ("/review?last=taken")
    assert decide(reviewer, (pair[0], 999), "match").status_code == 409
