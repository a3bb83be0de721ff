"""The review queue in the browser: pairs side by side, decisions as aban review's."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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


def leave_one_pair(path: Path) -> tuple[int, int]:
    """Decide every queued pair but the last as 'aban review' would; its ids."""
    from aban.store.links import add_decision

    with open_workspace(path, PASSPHRASE) as ws:
        queue = review_queue(ws.conn)
        ws.conn.execute("begin")
        for stored in queue[:-1]:
            add_decision(
                ws.conn, stored.record_a, stored.record_b, "non_match", "cli", "x"
            )
        ws.conn.execute("commit")
        assert len(review_queue(ws.conn)) == 1  # what the command line says is left
    return queue[-1].record_a, queue[-1].record_b


def test_a_pair_left_open_in_a_closed_browser_comes_back_on_signing_in_again(
    app: Any, web_path: Path
) -> None:
    # Issue 18: after reopening the browser the app said "No pair is waiting for
    # review" while the command line said one was left (leased to the old session).
    last = leave_one_pair(web_path)
    first_browser = signed_in(app, "reviewer")
    assert shown_pair(first_browser) == last
    reopened = signed_in(app, "reviewer")  # a new session: the old cookie is gone
    page = reopened.get("/review").text
    assert "No pair is waiting for review." not in page
    assert shown_pair_from(page) == last
    assert '<span id="remaining">1</span>' in page


def test_a_pair_open_on_another_reviewers_page_is_said_so_and_freed_on_sign_out(
    app: Any, web_path: Path
) -> None:
    last = leave_one_pair(web_path)
    rosa, adam = signed_in(app, "reviewer"), signed_in(app, "admin")
    assert shown_pair(rosa) == last
    waiting = adam.get("/review").text
    assert PAIR.search(waiting) is None
    assert (
        '<p id="queue-leased">No pair for you now: 1 left, open on other '
        "reviewers&#39; pages. Each comes back here if it is not decided within "
        "10 minutes.</p>"
    ) in waiting
    fa = adam.get("/review?lang=fa").text
    assert "اکنون جفتی برای شما نیست: ۱ جفت مانده" in fa
    response = rosa.post("/logout", data={"csrf": page_csrf(rosa)})
    assert response.status_code == 303
    assert shown_pair(adam) == last  # released at once, not after 10 minutes


def test_release_frees_only_the_owners_leases() -> None:
    queue = ReviewQueue()
    queue._leases = {(1, 2): ("user:1", 9e9), (3, 4): ("user:2", 9e9)}
    queue.release("user:1")
    assert queue._leases == {(3, 4): ("user:2", 9e9)}


@pytest.fixture
def split_names(tmp_path: Path) -> Iterator[Any]:
    """A register whose one queued pair writes a name two ways: a full name on
    one side, given and family names on the other (synthetic)."""
    from aban.store import users
    from tests.web.seed import import_rows

    path = tmp_path / "ws"
    with create_workspace(path, PASSPHRASE) as ws:
        import_rows(
            ws,
            tmp_path,
            "list_a",
            [{"record_id": "a1", "full_name": "Majid Amiri", "city": "Karaj"}],
        )
        import_rows(
            ws,
            tmp_path,
            "list_b",
            [
                {
                    "record_id": "b1",
                    "given_name": "Majid",
                    "family_name": "Amiri",
                    "city": "Karaj",
                }
            ],
        )
        link_workspace(ws, linker=FakeLinker(score=lambda a, b: 0.5))
        users.add_user(ws, "rosa", "reviewer", "test password 123")
    db, app = open_app(path)
    try:
        yield app
    finally:
        db.close()


def name_cells(page: str) -> dict[str, list[str]]:
    """Each name row of the pair table: its two cells, tags removed."""
    rows = re.findall(
        r"<tr><th><bdi>([^<]+)</bdi></th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", page
    )
    strip = re.compile(r"<[^>]+>")
    return {field: [strip.sub("", a), strip.sub("", b)] for field, a, b in rows}


def test_names_are_compared_on_one_row_whatever_the_split(split_names: Any) -> None:
    client = signed_in(split_names, "reviewer")
    cells = name_cells(client.get("/review?lang=en").text)
    assert cells["Full name"] == ["Majid Amiri", "Majid Amiri (given and family names)"]
    assert cells["Given name"] == ["Majid (from the full name)", "Majid"]
    assert cells["Family name"] == ["Amiri (from the full name)", "Amiri"]


def test_ids_and_labels_are_isolated_on_the_persian_page(split_names: Any) -> None:
    page = signed_in(split_names, "reviewer").get("/review?lang=fa").text
    assert '<html lang="fa" dir="rtl">' in page
    assert 'گزارش الف: <bdi>list_a</bdi> <bdi dir="ltr">a1</bdi>' in page
    assert "<th><bdi>نام کامل</bdi></th>" in page
    assert "<td><bdi>same spelling</bdi>" in page


@pytest.mark.parametrize(
    ("full", "given", "family"),
    [
        ("Majid Amiri", "Majid", "Amiri"),
        ("Mohammad Reza Dehghan Zadeh", "Mohammad Reza", "Dehghan Zadeh"),
        ("مجید امیری", "مجید", "امیری"),
        ("Majid", "Majid", ""),
    ],
)
def test_a_full_name_splits_as_written(full: str, given: str, family: str) -> None:
    from aban.web.views.review import split_as_written

    assert split_as_written(full) == (given, family)


def test_a_name_part_is_read_from_the_full_name_only_when_no_part_is_given() -> None:
    from aban.linkage.review import FieldRow
    from aban.web.views.review import aligned_rows

    rows = [
        FieldRow("given_name", "", "", None, None),
        FieldRow("family_name", "", "Jafari", "same", 6.7),
    ]
    b = {"full_name": "Jafari", "family_name": "Jafari"}  # no given name: not "Jafari"
    shown = aligned_rows(rows, {"full_name": "Jafar Jafari"}, b)
    assert [(r["value_a"], r["from_a"], r["value_b"], r["from_b"]) for r in shown] == [
        ("Jafar", "full_name", "", ""),
        ("Jafari", "full_name", "Jafari", ""),
    ]
