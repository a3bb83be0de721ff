"""Reading records from JSON: an array of objects, or JSON Lines.

Exports of form apps (KoBoToolbox, ODK) nest a form's groups as objects
(``{"victim": {"name": ...}}``): a group's fields become columns named by their path,
``victim/name``. A repeat group (a list of objects, one per person) is read as one
record per item when the mapping names it (``repeat: victims``): each item's row
holds the submission's own fields too, and ``_repeat_id``, the submission's ``_id``
(or ``_uuid``, ``meta/instanceID``, else its position) and the item's number.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from aban.ingest.decode import decode
from aban.ingest.headers import header_key
from aban.ingest.issues import fail
from aban.ingest.table import Row, Table

#: A cell whose JSON value was a list or object; validation reports it as nested-value.
NESTED = "\x00nested"
#: The column of a repeat group's rows that tells them apart (see the docstring).
REPEAT_ID = "_repeat_id"
_SUBMISSION_IDS = ("_id", "_uuid", "meta/instanceID", "__id", "instanceID")


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


def _flatten(obj: dict[str, Any], prefix: str, into: dict[str, Any]) -> None:
    """Put the fields of ``obj`` into ``into``, a group's fields under its path."""
    for key, value in obj.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            _flatten(value, f"{path}/", into)
        else:
            into[path] = value


def _repeat_rows(
    position: int, flat: dict[str, Any], repeat: str
) -> list[dict[str, Any]]:
    """One row per item of the repeat group whose :func:`header_key` is ``repeat``
    (none if it is empty)."""
    repeat = next((k for k in flat if header_key(k) == repeat), repeat)
    items = flat.pop(repeat, None)
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        if items is not None:
            flat[repeat] = items
        return [flat]
    parent = next((flat[k] for k in _SUBMISSION_IDS if flat.get(k)), position)
    rows = []
    for number, item in enumerate(items, start=1):
        fields: dict[str, Any] = {}
        _flatten(item, "", fields)
        row = dict(flat)
        for key, value in fields.items():
            # KoBoToolbox names an item's fields by their full path already.
            row[key if key.startswith(f"{repeat}/") else f"{repeat}/{key}"] = value
        row[REPEAT_ID] = f"{parent}-{number}"
        rows.append(row)
    return rows


def read_json(
    data: bytes, name: str, *, encoding: str | None = None, repeat: str | None = None
) -> Table:
    """Parse JSON or JSON Lines bytes into a :class:`Table`.

    Row numbers are the object's position in the array, or its line in JSON Lines
    (the items of a repeat group share their submission's). The header is every
    field's path, in order of first appearance.

    Args:
        data: the file's bytes.
        name: the file name for messages.
        encoding: force a text encoding.
        repeat: the path of a repeat group to read as one record per item.

    Raises:
        FileIssueError: ``json-invalid``, ``json-not-records`` or ``file-empty``.
    """
    text, codec = decode(data, name, encoding)
    objects = _objects(text, name)
    if not objects:
        raise fail("file-empty", name)
    header: dict[str, None] = {}
    flat_rows: list[tuple[int, dict[str, Any]]] = []
    for position, obj in objects:
        if not isinstance(obj, dict):
            raise fail("json-not-records", name)
        flat: dict[str, Any] = {}
        _flatten({str(k): v for k, v in obj.items()}, "", flat)
        rows = _repeat_rows(position, flat, header_key(repeat)) if repeat else [flat]
        for row in rows:
            header.update(dict.fromkeys(row))
            flat_rows.append((position, row))
    columns = list(header)
    return Table(
        name, columns, _rows(flat_rows, columns), len(flat_rows), "json", 1, codec
    )


def repeat_groups(data: bytes, name: str, *, encoding: str | None = None) -> list[str]:
    """The paths of the repeat groups (fields holding a list of objects) in the
    file's first object, in order.

    Raises:
        FileIssueError: as :func:`read_json`.
    """
    objects = _objects(decode(data, name, encoding)[0], name)
    first = objects[0][1] if objects else None
    if not isinstance(first, dict):
        return []
    flat: dict[str, Any] = {}
    _flatten({str(k): v for k, v in first.items()}, "", flat)
    return [
        path
        for path, value in flat.items()
        if isinstance(value, list) and value and all(isinstance(i, dict) for i in value)
    ]


def _rows(
    objects: list[tuple[int, dict[str, Any]]], columns: list[str]
) -> Iterator[Row]:
    for row_number, obj in objects:
        yield row_number, [_cell_text(obj.get(c)) for c in columns]
