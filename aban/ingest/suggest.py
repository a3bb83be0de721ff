"""A mapping guessed from a file's header, for review: ``aban mapping suggest``.

The header is found as the import finds it (:mod:`aban.ingest.layout`), each column's
name is looked up among the header words of :mod:`aban.ingest.headers`, and the guess
is written as a mapping file (:mod:`aban.ingest.mapping`) with a comment on each
column it could not map (kept as raw data) and on what to check.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aban.ingest.headers import guess_columns, header_key, known_header, raw_header
from aban.ingest.importer import read_table
from aban.ingest.issues import fail
from aban.ingest.json import REPEAT_ID, repeat_groups
from aban.ingest.layout import lay_out
from aban.ingest.mapping import ColumnMapping
from aban.ingest.xlsx import list_sheets
from aban.vocab.detainees import DETAINEE_COLUMNS, DETAINEE_HEADER_WORDS

__all__ = ["Suggestion", "detainee_columns", "suggest_mapping"]

_ENCODING_NAMES = {"cp1256": "windows-1256"}
#: The columns that make a list a detainee list (not a date of news or a URL alone).
_DETAINEE_ONLY = frozenset(DETAINEE_COLUMNS) - {"status_date", "source_url"}


@dataclass
class Suggestion:
    """A guessed mapping and what was found on the way.

    Attributes:
        file: the file's name.
        header: the file's columns, in order.
        columns: header -> records column, for the columns guessed.
        header_row: the header's row, if not the first.
        encoding: the encoding to name, if not UTF-8.
        repeat: the JSON repeat group read as one record per item, if any.
        detainee_list: the header names a detainee list's own columns (arrest
            date, prison, sentence, ...): ``columns`` maps them too, and the list
            is imported with ``aban detentions import``.
        sheet: the workbook's sheet read, if it has several.
        sheets: the workbook's sheets, in order.
        other_lists: the workbook's other sheets that look like lists.
    """

    file: str
    header: list[str]
    columns: dict[str, str] = field(default_factory=dict)
    header_row: int | None = None
    encoding: str | None = None
    repeat: str | None = None
    detainee_list: bool = False
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    other_lists: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "file": self.file,
            "header": self.header,
            "columns": self.columns,
            "header_row": self.header_row,
            "encoding": self.encoding,
            "repeat": self.repeat,
            "detainee_list": self.detainee_list,
            "sheet": self.sheet,
            "sheets": self.sheets,
            "other_lists": self.other_lists,
        }

    def to_yaml(self) -> str:
        """The mapping file, with comments (keys are JSON strings: valid YAML)."""
        lines = [
            f"# A mapping guessed from the header of {self.file}: check each line,",
            "# then: aban import FILE --source NAME --mapping THIS_FILE --preview",
        ]
        if self.detainee_list:
            lines[1:] = [
                "# then: aban detentions import FILE --source NAME --mapping "
                "THIS_FILE (a detainee list)"
            ]
        if self.sheet is not None:
            sheets = ", ".join(self.sheets)
            lines.append(f"sheet: {_quote(self.sheet)}  # of the sheets {sheets}")
        for other in self.other_lists:
            lines.append(
                f"# the sheet {_quote(other)} holds a list too: import it with "
                f"--sheet {_quote(other)} under a --source of its own"
            )
        if self.header_row is not None:
            lines.append(f"header_row: {self.header_row}  # found below a title")
        if self.encoding is not None:
            lines.append(f"encoding: {self.encoding}")
        if self.repeat is not None:
            lines.append(f"repeat: {_quote(self.repeat)}  # one record per item")
        lines.append("columns:")
        for header in self.header:
            if not header.strip():
                continue
            target = self.columns.get(header)
            if target is not None:
                lines.append(f"  {_quote(header)}: {target}")
            elif raw_header(header) or known_header(header):
                lines.append(f"  # {_quote(header)}: kept as raw data")
            else:
                lines.append(f"  # {_quote(header)}: not recognised; kept as raw data")
        if not self.columns:
            lines.append("  {}")
        if "record_id" not in self.columns.values():
            lines.append(
                "record_ids: rows  # no id column was recognised: each row's record "
                "id is row-N (or map a column of ids to record_id)"
            )
        example = (
            "{facility: Evin} for a list of one prison"
            if self.detainee_list
            else "{status: killed} for a list of the dead"
        )
        lines.append(f"set: {{}}  # a value for every row, e.g. {example}")
        return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _repeat_group(path: Path, data: bytes, encoding: str | None) -> str | None:
    """The first repeat group of a JSON file's first submission, if any."""
    if path.suffix.lower() not in (".json", ".jsonl", ".ndjson"):
        return None
    return next(iter(repeat_groups(data, path.name, encoding=encoding)), None)


def suggest_mapping(
    path: Path,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
) -> Suggestion:
    """Guess a mapping for ``path`` from its header (see the module docstring).

    Raises:
        FileIssueError: the file cannot be read (as ``aban import`` says).
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        raise fail("file-not-found", path.name) from err
    repeat = _repeat_group(path, data, encoding)
    mapping = ColumnMapping(repeat=repeat)
    table, layout = lay_out(
        read_table(path, data, mapping, encoding, sheet), mapping, header_row
    )
    guesses = guess_columns(table.header)
    if repeat is not None and REPEAT_ID in table.header:
        # Each item's record is told apart by _repeat_id, not its submission's id.
        guesses = {h: c for h, c in guesses.items() if c != "record_id"}
        guesses = {REPEAT_ID: "record_id", **guesses}
    detainees = detainee_columns(table.header, guesses)
    guesses |= detainees
    order = {header_key(h): i for i, h in enumerate(table.header)}
    columns = dict(sorted(guesses.items(), key=lambda hc: order[header_key(hc[0])]))
    several = len(table.sheets) > 1
    others = list_sheets(data, path.name) if several else []
    return Suggestion(
        table.name,
        list(table.header),
        columns,
        layout.header_row if layout.header_row != 1 else None,
        _ENCODING_NAMES.get(table.encoding or "", None),
        repeat,
        bool(detainees),
        table.sheet if several else None,
        list(table.sheets),
        [s for s in others if s != table.sheet],
    )


def detainee_columns(header: Sequence[str], guessed: dict[str, str]) -> dict[str, str]:
    """A detainee list's own columns among the headers not ``guessed`` (and its
    status column, if no header is ``status`` yet), by the header words of
    :mod:`aban.vocab.detainees`; none unless one names the arrest, the facility, a
    sentence, charges, access or the release (a list of the dead with a source URL
    is no detainee list)."""
    words = {
        header_key(word): column
        for column, found in DETAINEE_HEADER_WORDS.items()
        for word in (column, *found)
    }
    taken = set(guessed.values())
    found: dict[str, str] = {}
    for h in header:
        column = words.get(header_key(h))
        if h in guessed or column is None or column in taken:
            continue
        found[h] = column
        taken.add(column)
    if not set(found.values()) & _DETAINEE_ONLY:
        return {}
    return found
