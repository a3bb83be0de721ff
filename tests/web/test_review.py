"""The review queue in the browser: pairs side by side, decisions as aban review's."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from aban.linkage.register import link_workspace, review_queue
from aban.store.workspace import create_workspace, open_workspace
from aban.web.queue import ReviewQueue
from tests.conftest import PASSPHRASE
from tests.store.fake_linker import FakeLinker
from tests.web.client import TestClient
from tests.web.conftest import page_csrf, signed_in
from tests.web.seed import ROLE_USERS, open_app

PAIR = re.compile(r'data-pair="(\d+)-(\d+)"')


def shown_pair(client: TestClient) -> tuple[int, int]:
    found = PAIR.search(client.get("/review").text)
    assert found, "no pair on the review page"
    return int(found.group(1)), int(found.group(2))


def decide(client: TestClient, pair: tuple[int, int], decision: str) -> Any:
    return client.post(
        "/review",
        data={
            "record_a": str(pair[0]),
            "record_b": str(pair[1]),
            "decision": decision,
            "csrf": page_csrf(client),
        },
    )


def stored_decisions(path: Path) -> list[tuple[int, int, str, str]]:
    with open_workspace(path, PASSPHRASE) as ws:
        return ws.conn.execute(
            "select record_a, record_b, decision, reviewer from link_decisions "
            "order by id"
        ).fetchall()


def test_the_page_shows_the_first_pair_of_the_queue_side_by_side(
    app: Any, web_path: Path
) -> None:
    with open_workspace(web_path, PASSPHRASE) as ws:
        first = review_queue(ws.conn)[0]
        queued = len(review_queue(ws.conn))
    client = signed_in(app, "reviewer")
    page = client.get("/review").text
    assert shown_pair(client) == (first.record_a, first.record_b)
    assert f'<span id="remaining">{queued}</span>' in page
    assert '<b id="probability">0.50</b>' in page
    for shown in (
        "Record A: ",
        "Record B: ",
        "Karimi",
        "Shiraz",
        "same spelling",
        "+2.5",
        'data-key="KeyM"',
        'data-key="KeyN"',
        'data-key="KeyS"',
        '<script src="/static/review.js" defer>',
    ):
        assert shown in page, shown
    assert "Canary Informant" not in page and "canary private note" not in page


def test_a_decision_is_stored_and_audited_as_aban_review_stores_it(
    app: Any, web_path: Path
) -> None:
    client = signed_in(app, "reviewer")
    pair = shown_pair(client)
    response = decide(client, pair, "match")
    assert response.status_code == 303
    assert response.headers["location"] == "/review?last=stored"
    assert stored_decisions(web_path) == [(*pair, "match", ROLE_USERS["reviewer"])]
    with open_workspace(web_path, PASSPHRASE) as ws:
        actor, action, detail = ws.conn.execute(
            "select actor, action, detail from audit order by seq desc limit 1"
        ).fetchone()
    assert (actor, action) == ("rosa", "link-decision")
    assert json.loads(detail)["records"] == list(pair)
    after = client.get("/review?last=stored")
    assert "Decision stored." in after.text
    assert shown_pair(client) != pair


def test_decisions_feed_the_next_link(app: Any, web_path: Path) -> None:
    client = signed_in(app, "reviewer")
    match = shown_pair(client)
    decide(client, match, "match")
    non_match = shown_pair(client)
    decide(client, non_match, "non_match")
    linker = FakeLinker()
    with open_workspace(web_path, PASSPHRASE) as ws:
        keys = {
            i: f"{s}\x1f{r}"
            for i, s, r in ws.conn.execute(
                "select r.id, s.name, r.record_id from records r "
                "join sources s on s.id = r.source_id"
            )
        }
        link_workspace(ws, linker=linker)
        same = ws.conn.execute(
            "select count(distinct person_id) from person_records "
            "where record_id in (?, ?)",
            match,
        ).fetchone()[0]
    assert linker.calls[0]["must_link"] == [(keys[match[0]], keys[match[1]])]
    assert linker.calls[0]["cannot_link"] == [(keys[non_match[0]], keys[non_match[1]])]
    assert same == 1


def test_skip_moves_on_without_storing(app: Any, web_path: Path) -> None:
    client = signed_in(app, "reviewer")
    first = shown_pair(client)
    response = decide(client, first, "skip")
    assert response.headers["location"] == "/review?last=skipped"
    assert shown_pair(client) != first
    assert stored_decisions(web_path) == []


def test_two_reviewers_see_different_pairs(app: Any) -> None:
    one, two = signed_in(app, "reviewer"), signed_in(app, "admin")
    assert shown_pair(one) != shown_pair(two)
    assert shown_pair(one) == shown_pair(one)  # the lease holds for its owner


def test_a_pair_decided_meanwhile_is_not_stored_twice(app: Any, web_path: Path) -> None:
    one, two = signed_in(app, "reviewer"), signed_in(app, "admin")
    pair = shown_pair(one)
    assert decide(one, pair, "match").headers["location"] == "/review?last=stored"
    again = decide(two, pair, "non_match")
    assert again.status_code == 303
    assert again.headers["location"] == "/review?last=taken"
    assert "not stored twice" in two.get(again.headers["location"]).text
    assert stored_decisions(web_path) == [(*pair, "match", "rosa")]


def test_a_decision_made_with_aban_review_meanwhile_is_respected(
    app: Any, web_path: Path
) -> None:
    client = signed_in(app, "reviewer")
    pair = shown_pair(client)
    with open_workspace(web_path, PASSPHRASE) as ws:
        from aban.store.links import add_decision

        ws.conn.execute("begin")
        add_decision(ws.conn, *pair, "non_match", "cli", "2024-01-01")
        ws.conn.execute("commit")
    assert decide(client, pair, "match").headers["location"] == "/review?last=taken"
    assert shown_pair(client) != pair
    assert stored_decisions(web_path) == [(*pair, "non_match", "cli")]


def test_bad_decisions_are_refused(app: Any) -> None:
    client = signed_in(app, "reviewer")
    pair = shown_pair(client)
    assert decide(client, pair, "maybe").status_code == 400
    assert decide(client, (pair[0], 999), "match").status_code == 409
    response = client.post(
        "/review",
        data={
            "record_a": "x",
            "record_b": "1",
            "decision": "match",
            "csrf": page_csrf(client),
        },
    )
    assert response.status_code == 400


def test_when_everything_is_skipped_the_skipped_pairs_come_back(app: Any) -> None:
    client = signed_in(app, "reviewer")
    first = shown_pair(client)
    skipped = set()
    while PAIR.search(page := client.get("/review").text):
        pair = shown_pair_from(page)
        assert pair not in skipped
        skipped.add(pair)
        decide(client, pair, "skip")
    assert len(skipped) == 20  # 21 pairs of one family and city, one above the band
    assert "You skipped every pair that is left." in page
    assert shown_pair_from(client.get("/review?again=1").text) == first


def shown_pair_from(text: str) -> tuple[int, int]:
    found = PAIR.search(text)
    assert found
    return int(found.group(1)), int(found.group(2))


def test_before_any_link_run_the_page_says_so(tmp_path: Path) -> None:
    from aban.store import users

    with create_workspace(tmp_path / "ws", PASSPHRASE) as ws:
        users.add_user(ws, "rosa", "reviewer", "test password 123")
    db, app = open_app(tmp_path / "ws")
    try:
        client = signed_in(app, "reviewer")
        assert (
            "No link run yet: run &#39;aban link&#39; first."
            in client.get("/review").text
        )
    finally:
        db.close()


def test_a_lease_ends_after_its_time(app: Any) -> None:
    clock = [0.0]
    app.state.web.queue = ReviewQueue(lease_seconds=600, clock=lambda: clock[0])
    one, two = signed_in(app, "reviewer"), signed_in(app, "admin")
    pair = shown_pair(one)
    assert shown_pair(two) != pair
    clock[0] = 601.0
    assert shown_pair(two) == pair
