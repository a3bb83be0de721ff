"""Column mapping files: how a list with its own layout maps onto the records format.

A mapping is YAML::

    columns:            # column in the file: column of the records format
      "شناسه": record_id
      "نام و نام خانوادگی": full_name
      Age (years): age
      victim/city: city # a path into a JSON form export's groups (or victim.city)
    values:             # optional: per records column, a value and what it means
      status:
        "شهید": killed
    set:                # optional: a value for every row (the list's own columns
      status: killed    # may not give these columns too)
      country: Iran
    header_row: 3       # optional: the header's row (default: found, see layout.py)
    skip_rows: [40, 41] # optional: rows of the file that hold no person
    repeat: victims     # optional, JSON only: a repeat group, one record per item
    record_ids: rows    # optional: no id column; each row's record id is row-N
    delimiter: ";"      # optional, CSV only
    encoding: windows-1256   # optional
    sheet: Sheet2       # optional, XLSX only
    date_order: month-first  # optional: 11/12/2019 is 12 November (default: found
                             # column by column, see aban/ingest/dateorder.py)

Columns are matched by :func:`aban.ingest.headers.header_key` (letter variants such as
ي/ی, ZWNJ, spaces and case do not matter). A detainee list's mapping may also name
its own columns (``arrest_date``, ``facility``, ...: :mod:`aban.vocab.detainees`).
Columns not named in ``columns`` keep their own names; a mapped column the file does
not have is an error (``mapping-column-missing``). docs/import.md documents the
format with an example per kind of list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from aban.ingest.headers import header_key
from aban.ingest.issues import fail
from aban.text.dates import DATE_ORDERS, DateOrder
from aban.vocab.columns import ALL_COLUMNS
from aban.vocab.detainees import DETAINEE_COLUMNS

__all__ = [
    "MAPPING_KEYS",
    "RAW_ONLY",
    "ColumnMapping",
    "load_mapping",
    "map_header",
    "one_column_each",
]

#: The keys a mapping file may hold.
MAPPING_KEYS = (
    "columns",
    "values",
    "set",
    "header_row",
    "skip_rows",
    "repeat",
    "record_ids",
    "delimiter",
    "encoding",
    "sheet",
    "date_order",
)
#: Records columns a mapping cannot set for every row (each row has its own).
_NOT_SETTABLE = ("record_id", "source")


#: The target of a column kept as raw data only (``~`` in a mapping file), even if
#: its header is the name of a records column.
RAW_ONLY = ""


def one_column_each(targets: Iterable[str]) -> bool:
    """Whether no records column is the target of two columns (columns kept as
    raw data only, :data:`RAW_ONLY`, aside)."""
    mapped = [t for t in targets if t != RAW_ONLY]
    return len(set(mapped)) == len(mapped)


@dataclass(frozen=True)
class ColumnMapping:
    """A parsed mapping file."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    delimiter: str = ","
    encoding: str | None = None
    sheet: str | None = None
    constants: dict[str, str] = field(default_factory=dict)
    header_row: int | None = None
    skip_rows: tuple[int, ...] = ()
    repeat: str | None = None
    row_ids: bool = False
    date_order: DateOrder | None = None


def _text_dict(value: Any, what: str, name: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise fail("mapping-invalid", name, detail=f"'{what}' must be a mapping")
    return {str(k).strip(): str(v).strip() for k, v in value.items()}


def _row_number(value: Any, what: str, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise fail(
            "mapping-invalid", name, detail=f"'{what}' must be a row number from 1"
        )
    return value


def _check_targets(
    targets: Iterable[str], what: str, name: str, detainee_list: bool
) -> None:
    """Refuse targets that are no records column (nor, for a detainee list, one of
    its own columns); name a detainee list's column used in a records import."""
    known = (*ALL_COLUMNS, *DETAINEE_COLUMNS) if detainee_list else ALL_COLUMNS
    listed = sorted(set(targets) & (set(DETAINEE_COLUMNS) - set(known)))
    if listed:
        raise fail(
            "mapping-invalid",
            name,
            detail=f"{listed} are columns of a detainee list: import the list with "
            "'aban detentions import'",
        )
    bad = sorted(set(targets) - set(known))
    if bad:
        raise fail("mapping-invalid", name, detail=f"{what} {bad}")


def _constants(
    document: dict[str, Any], name: str, detainee_list: bool
) -> dict[str, str]:
    constants = _text_dict(document.get("set") or {}, "set", name)
    _check_targets(constants, "'set' names unknown columns", name, detainee_list)
    fixed = sorted(set(constants) & set(_NOT_SETTABLE))
    if fixed:
        raise fail(
            "mapping-invalid", name, detail=f"'set' cannot give {fixed} to every row"
        )
    return constants


def _columns(
    document: dict[str, Any], name: str, detainee_list: bool
) -> dict[str, str]:
    given = document.get("columns") or {}
    if isinstance(given, dict):  # a column mapped to nothing (~): raw data only
        given = {k: RAW_ONLY if v is None else v for k, v in given.items()}
    columns = _text_dict(given, "columns", name)
    targets = [t for t in columns.values() if t != RAW_ONLY]
    _check_targets(targets, "unknown target columns", name, detainee_list)
    if not one_column_each(targets):
        raise fail("mapping-invalid", name, detail="two columns map onto one target")
    if len({header_key(c) for c in columns}) != len(columns):
        raise fail(
            "mapping-invalid", name, detail="two columns differ only in spelling"
        )
    return columns


def load_mapping(path: Path, *, detainee_list: bool = False) -> ColumnMapping:
    """Read and check a mapping file.

    Args:
        path: the YAML file.
        detainee_list: the mapping is for a detainee list (``aban detentions
            import``): its own columns (:mod:`aban.vocab.detainees`) are targets
            too, of ``columns`` and ``set``.

    Raises:
        FileIssueError: ``mapping-invalid`` (unreadable YAML, unknown key or target
            column, two columns mapped onto one, a column both mapped and set).
    """
    name = path.name
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise fail("mapping-invalid", name, detail="not a readable YAML file") from err
    if not isinstance(document, dict):
        raise fail("mapping-invalid", name, detail="expected keys columns, values, ...")
    unknown = set(document) - set(MAPPING_KEYS)
    if unknown:
        raise fail("mapping-invalid", name, detail=f"unknown keys {sorted(unknown)}")
    columns = _columns(document, name, detainee_list)
    constants = _constants(document, name, detainee_list)
    both = sorted(set(columns.values()) & set(constants))
    if both:
        raise fail(
            "mapping-invalid", name, detail=f"{both} both mapped from a column and set"
        )
    values = {
        target: _text_dict(table, f"values.{target}", name)
        for target, table in (document.get("values") or {}).items()
    }
    delimiter = str(document.get("delimiter", ","))
    if len(delimiter) != 1:
        raise fail("mapping-invalid", name, detail="delimiter must be one character")
    encoding, sheet, repeat = (document.get(k) for k in ("encoding", "sheet", "repeat"))
    header_row = document.get("header_row")
    record_ids = document.get("record_ids")
    if record_ids not in (None, "rows"):
        raise fail("mapping-invalid", name, detail="'record_ids' can only be rows")
    if record_ids and "record_id" in columns.values():
        raise fail(
            "mapping-invalid", name, detail="record_id both mapped and made from rows"
        )
    date_order = document.get("date_order")
    if date_order is not None and date_order not in DATE_ORDERS:
        raise fail(
            "mapping-invalid",
            name,
            detail="'date_order' can only be month-first or day-first",
        )
    skip = document.get("skip_rows") or []
    if not isinstance(skip, list):
        raise fail("mapping-invalid", name, detail="'skip_rows' must be a list")
    return ColumnMapping(
        columns,
        values,
        delimiter,
        None if encoding is None else str(encoding),
        None if sheet is None else str(sheet),
        constants,
        None if header_row is None else _row_number(header_row, "header_row", name),
        tuple(_row_number(r, "skip_rows", name) for r in skip),
        None if repeat is None else str(repeat),
        record_ids == "rows",
        date_order,
    )


def map_header(
    header: Sequence[str], mapping: ColumnMapping
) -> tuple[list[str], list[str]]:
    """The records column of each header, and the mapped columns not in ``header``.

    A header the mapping names becomes its target (``""`` if the mapping keeps it
    as raw data only, :data:`RAW_ONLY`: no records column, whatever its name); any
    other keeps its own name in lower case (``column_N`` if it has none).
    """
    targets = {header_key(k): v for k, v in mapping.columns.items()}
    found: set[str] = set()
    renamed = []
    for i, h in enumerate(header, start=1):
        key = header_key(h)
        target = targets.get(key) if key else None
        if target is not None:
            found.add(key)
            renamed.append(target)
        else:
            renamed.append(h.strip().lower() or f"column_{i}")
    missing = [k for k in mapping.columns if header_key(k) not in found]
    return renamed, missing
