"""Property: whatever text a list holds, the register keeps it exactly (raw values)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aban.ingest.importer import import_file
from aban.store.workspace import Workspace

# Cell text as lists have it: Latin, Persian, digits, ZWNJ, punctuation; no control
# characters and no leading formula character (those are refused by design).
_ALPHABET = st.sampled_from(
    list("abcdefgh ABC-'.,،")
    + list("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیي")
    + ["\u200c"]
    + list("0123456789۰۱۲۳۴۵۶۷۸۹")
)
_CELL = st.text(_ALPHABET, max_size=30).filter(lambda s: s.lstrip()[:1] not in "=+-@")
_ROW = st.fixed_dictionaries(
    {
        "full_name": _CELL,
        "occupation": _CELL,
        "circumstances": _CELL,
        "notes_private": _CELL,
    }
)
_counter = itertools.count()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rows=st.lists(_ROW, min_size=1, max_size=8))
def test_raw_values_round_trip(
    workspace: Workspace, tmp_path: Path, rows: list[dict[str, str]]
) -> None:
    source = f"s{next(_counter)}"
    buffer = io.StringIO()
    # Every row says something about a person (an age): a row that does not is
    # refused (record-empty), and the cells drawn may all be words for "not known".
    writer = csv.DictWriter(buffer, ["record_id", "age", *rows[0]])
    writer.writeheader()
    written = []
    for i, row in enumerate(rows):
        if not any(v.strip() for v in row.values()):
            continue  # an empty row is skipped, not a record
        writer.writerow({"record_id": f"r{i}", "age": "30", **row})
        written.append({"record_id": f"r{i}", "age": "30", **row})
    path = tmp_path / f"{source}.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    result = import_file(workspace, path, source=source, today=dt.date(2026, 1, 1))
    assert not result.refused, [i.code for i in result.issues]
    stored = [
        json.loads(raw)
        for (raw,) in workspace.conn.execute(
            "select r.raw from records r join sources s on s.id = r.source_id "
            "where s.name = ? order by r.id",
            (source,),
        )
    ]
    assert stored == written
