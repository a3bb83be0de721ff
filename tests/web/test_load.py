"""The load test of the web app (bench/web_load.py), run small."""

from __future__ import annotations

import re

from bench.web_load import run


def test_a_short_load_run_loses_and_duplicates_no_decision() -> None:
    text = run(reviewers=3, seconds=2.0, persons=200, pairs=300)
    assert "errors: 0\n" in text
    assert "per reviewer equal to the clients' counts: True" in text
    assert "pairs decided twice: 0;" in text
    assert "audit chain verifies: True" in text
    stored = re.search(r"decisions stored: ([\d,]+)", text)
    audited = re.search(r"link-decision audit entries: ([\d,]+)", text)
    assert stored and audited and stored.group(1) == audited.group(1)
    assert int(stored.group(1).replace(",", "")) > 0
    assert re.search(r"\| POST /review \| [\d,]+ \| \d+ \| \d+ \|", text)
