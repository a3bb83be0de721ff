"""Open data downloads: the listed persons' published fields as CSV and JSON.

Columns follow the policy's allow-list (a field the policy does not allow has
no column); each listed person is one row. CSV cells that a spreadsheet would run
as a formula (they begin with ``=``, ``+``, ``-`` or ``@``, a full-width form of
one, or a tab or line break) get a leading apostrophe
(:func:`aban.text.spreadsheet.neutralise`). Both files are UTF-8 (the CSV with a
byte-order mark, so that spreadsheets read Persian text), with a fixed column order.
``name_transliterated`` (and ``father_name_transliterated``) says which script's
name, ``latin`` or ``persian``, is a transliteration rather than a source's
spelling (empty when both are sources').
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from aban.site.people import Place, PublishedPerson
from aban.site.policy import PublicationPolicy
from aban.text.dates import format_jalali
from aban.text.spreadsheet import neutralise

__all__ = [
    "csv_bytes",
    "json_bytes",
    "open_data_columns",
    "open_data_rows",
    "persons_json",
]

#: Columns each allowed field gives, in order.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "name_fa", "name_transliterated"),
    "father_name": ("father_name", "father_name_fa", "father_name_transliterated"),
    "city": ("city", "city_fa"),
    "province": ("province", "province_fa"),
    "date_of_death": ("date_of_death", "date_of_death_jalali"),
}


def open_data_columns(policy: PublicationPolicy) -> list[str]:
    """The columns of the open data files under ``policy``."""
    columns = ["person_id", "named"]
    for name in policy.fields:
        columns += _COLUMNS.get(name, (name,))
    if policy.story:
        columns.append("story")
    return columns


def _jalali(iso: Any) -> str | None:
    try:
        return format_jalali(dt.date.fromisoformat(str(iso)))
    except ValueError:
        return None


def _row(person: PublishedPerson, columns: Sequence[str]) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(columns)
    row["person_id"], row["named"] = person.person_id, person.named
    if "name" in row:
        row["name"] = person.names.get("latin")
        row["name_fa"] = person.names.get("persian")
        row["name_transliterated"] = person.transliterated.get("name")
    if "father_name" in row:
        row["father_name"] = person.father_names.get("latin")
        row["father_name_fa"] = person.father_names.get("persian")
        row["father_name_transliterated"] = person.transliterated.get("father_name")
    for key, value in person.values.items():
        if isinstance(value, Place):
            row[key], row[f"{key}_fa"] = value.en, value.fa
        elif key in row:
            row[key] = value
    if row.get("date_of_death"):
        row["date_of_death_jalali"] = _jalali(row["date_of_death"])
    if "story" in row:
        row["story"] = person.story or None
    return row


def open_data_rows(
    persons: Iterable[PublishedPerson], columns: Sequence[str]
) -> list[dict[str, Any]]:
    """One dict per listed person, with exactly ``columns`` (None when unknown)."""
    return [_row(p, columns) for p in persons]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(str(value))


def csv_bytes(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> bytes:
    """The rows as a CSV file (UTF-8 with BOM, formulas neutralised)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[c]) for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def json_bytes(value: Any) -> bytes:
    """Deterministic JSON: sorted keys, two-space indent, UTF-8, final newline."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)
    return (text + "\n").encode("utf-8")


def persons_json(head: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]) -> bytes:
    """The persons as JSON: ``head``'s keys, then ``persons``, one person per line.

    One compact line per person keeps the file small, fast to write and easy to
    compare between releases.
    """
    top = json.dumps(dict(head), ensure_ascii=False, sort_keys=True, indent=2)
    lines = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows]
    body = ",\n".join(f"    {line}" for line in lines)
    persons = f'"persons": [\n{body}\n  ]' if lines else '"persons": []'
    start = top[:-2] + ",\n" if head else "{\n"
    return (start + f"  {persons}\n}}\n").encode("utf-8")
