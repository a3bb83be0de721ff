"""The load test of the web app (bench/web_load.py), run small: reviewers decide
pairs while an analyst links and grades from the app and two field documenters
add records (issue 18). ``make bench`` runs it full size (20 reviewers, 60 s)."""

from __future__ import annotations

import re

from bench.web_load import run


def test_a_short_load_run_loses_and_duplicates_nothing() -> None:
    text = run(
        reviewers=3, seconds=3.0, persons=200, pairs=300, documenters=2, analyst=True
    )
    assert "errors: 0\n" in text
    assert "per reviewer equal to the clients' counts: True" in text
    assert "pairs decided twice: 0;" in text
    assert "audit verify'): True" in text
    stored = re.search(r"decisions stored: ([\d,]+)", text)
    audited = re.search(r"link-decision audit entries: ([\d,]+)", text)
    assert stored and audited and stored.group(1) == audited.group(1)
    assert int(stored.group(1).replace(",", "")) > 0
    assert re.search(r"\| POST /review \| [\d,]+ \| \d+ \| \d+ \|", text)
    runs = re.search(r"analyst: (\d+) link-and-grade runs from the app \(done", text)
    assert runs and int(runs.group(1)) >= 1, text
    assert "equal to the runs done: True" in text
    assert re.search(r"review pages loaded while a run was going: [\d,]+, p50", text)
    assert re.search(r"decisions posted while a run was going: [\d,]+, p50", text)
    assert re.search(
        r"documenters \(field documenter accounts\): [1-9][\d,]* records stored", text
    ), text
    assert "the same records, none lost or duplicated: True" in text
    assert "each documenter's own records page lists exactly its own: True" in text
