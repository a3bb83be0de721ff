"""Column mapping files: how a list with its own layout maps onto the records format.

A mapping is YAML::

    columns:            # column in the file: column of the records format
      "شناسه": record_id
      "نام و نام خانوادگی": full_name
      Age (years): age
    values:             # optional: per records column, a value and what it means
      status:
        "شهید": killed
    delimiter: ";"      # optional, CSV only
    encoding: windows-1256   # optional
    sheet: Sheet2       # optional, XLSX only

Columns not named in ``columns`` keep their own names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from aban.ingest.issues import fail
from aban.vocab.columns import ALL_COLUMNS


@dataclass(frozen=True)
class ColumnMapping:
    """A parsed mapping file."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    delimiter: str = ","
    encoding: str | None = None
    sheet: str | None = None


def _text_dict(value: Any, what: str, name: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise fail("mapping-invalid", name, detail=f"'{what}' must be a mapping")
    return {str(k).strip(): str(v).strip() for k, v in value.items()}


def load_mapping(path: Path) -> ColumnMapping:
    """Read and check a mapping file.

    Raises:
        FileIssueError: ``mapping-invalid`` (unreadable YAML, unknown target column,
            two columns mapped onto one).
    """
    name = path.name
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise fail("mapping-invalid", name, detail="not a readable YAML file") from err
    if not isinstance(document, dict):
        raise fail("mapping-invalid", name, detail="expected keys columns, values, ...")
    unknown = set(document) - {"columns", "values", "delimiter", "encoding", "sheet"}
    if unknown:
        raise fail("mapping-invalid", name, detail=f"unknown keys {sorted(unknown)}")
    columns = _text_dict(document.get("columns", {}), "columns", name)
    bad = sorted(set(columns.values()) - set(ALL_COLUMNS))
    if bad:
        raise fail("mapping-invalid", name, detail=f"unknown target columns {bad}")
    if len(set(columns.values())) != len(columns):
        raise fail("mapping-invalid", name, detail="two columns map onto one target")
    values = {
        target: _text_dict(table, f"values.{target}", name)
        for target, table in (document.get("values") or {}).items()
    }
    delimiter = str(document.get("delimiter", ","))
    if len(delimiter) != 1:
        raise fail("mapping-invalid", name, detail="delimiter must be one character")
    encoding = document.get("encoding")
    sheet = document.get("sheet")
    return ColumnMapping(
        columns,
        values,
        delimiter,
        None if encoding is None else str(encoding),
        None if sheet is None else str(sheet),
    )
