"""Reading records from JSON: an array of objects, or JSON Lines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from aban.ingest.decode import decode_text
from aban.ingest.issues import fail
from aban.ingest.table import Row, Table

#: A cell whose JSON value was a list or object; validation reports it as nested-value.
NESTED = "\x00nested"


def _objects(text: str, name: str) -> list[tuple[int, Any]]:
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as err:
            raise fail("json-invalid", name, line=err.lineno, detail=err.msg) from err
        return list(enumerate(document, start=1))
    objects = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                objects.append((line_number, json.loads(line)))
            except json.JSONDecodeError as err:
                raise fail(
                    "json-invalid", name, line=line_number, detail=err.msg
                ) from err
    return objects


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return NESTED
    return str(value)


def read_json(data: bytes, name: str, *, encoding: str | None = None) -> Table:
    """Parse JSON or JSON Lines bytes into a :class:`Table`.

    Row numbers are the object's position in the array, or its line in JSON Lines.
    The header is every key, in order of first appearance.

    Raises:
        FileIssueError: ``json-invalid``, ``json-not-records`` or ``file-empty``.
    """
    text = decode_text(data, name, encoding)
    objects = _objects(text, name)
    if not objects:
        raise fail("file-empty", name)
    header: dict[str, None] = {}
    for _, obj in objects:
        if not isinstance(obj, dict):
            raise fail("json-not-records", name)
        header.update(dict.fromkeys(str(k) for k in obj))
    columns = list(header)
    return Table(name, columns, _rows(objects, columns), len(objects), "json")


def _rows(objects: list[tuple[int, Any]], columns: list[str]) -> Iterator[Row]:
    for row_number, obj in objects:
        yield row_number, [_cell_text(obj.get(c)) for c in columns]
