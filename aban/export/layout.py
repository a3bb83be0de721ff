"""What an export holds, as bytes: the CSV files, manifest, README, JSON and zip.

Everything here is a pure function of :class:`ExportData`, so the same register and
build time give byte-identical output: rows in register order, files in a fixed
order, JSON keys in field order, zip entries sorted with the build time as their
time stamp and fixed attributes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Mapping

from aban.export.cells import csv_bytes, json_rows, json_text
from aban.export.fields import TABLES, Table
from aban.export.model import ExportData, Kind
from aban.export.readme import readme_text

README = "README.md"
MANIFEST = "manifest.json"
METHODOLOGY = "METHODOLOGY.md"
#: The folder every entry of a bundle sits in, so unzipping makes one folder.
BUNDLE_ROOT = "aban-bundle/"
_ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)


def file_name(table: Table) -> str:
    """The CSV file of a table."""
    return f"{table.name}.csv"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def table_files(data: ExportData) -> dict[str, bytes]:
    """Every table as a CSV file, by file name."""
    return {
        file_name(t): csv_bytes(t.columns(data.full), data.tables[t.name])
        for t in TABLES
    }


def manifest_bytes(data: ExportData, kind: Kind, files: Mapping[str, bytes]) -> bytes:
    """manifest.json: the header, then each file's table, row count and SHA-256."""
    rows = {file_name(t): (t.name, len(data.tables[t.name])) for t in TABLES}
    listed = []
    for name in sorted(files):
        table, count = rows.get(name, (None, None))
        listed.append(
            {"file": name, "table": table, "rows": count, "sha256": sha256(files[name])}
        )
    text = json.dumps(
        {**data.header(kind), "files": listed}, ensure_ascii=False, indent=2
    )
    return (text + "\n").encode("utf-8")


def folder_files(data: ExportData, kind: Kind) -> dict[str, bytes]:
    """The files of a CSV export or bundle: tables, README, methodology, manifest."""
    files = table_files(data)
    files[README] = readme_text(data, kind).encode("utf-8")
    files[METHODOLOGY] = data.methodology.encode("utf-8")
    files[MANIFEST] = manifest_bytes(data, kind, files)
    return files


def json_bytes(data: ExportData) -> bytes:
    """The JSON export: header, each table's field descriptions, then the rows.

    One row per line, so a large export stays readable and diffable.
    """
    fields = {
        t.name: {f.name: f.help for f in t.fields if f.name in t.columns(data.full)}
        for t in TABLES
    }
    parts = [
        "{\n",
        *(f"{json_text(k)}: {json_text(v)},\n" for k, v in data.header("json").items()),
        f'"methodology": {json_text(data.methodology)},\n',
        f'"fields": {json_text(fields)},\n"tables": {{',
    ]
    for index, table in enumerate(TABLES):
        rows = json_rows(table.columns(data.full), data.tables[table.name])
        lines = ",\n".join(json_text(row) for row in rows)
        parts.append(("," if index else "") + f"\n{json_text(table.name)}: [\n")
        parts.append(lines + ("\n]" if lines else "]"))
    parts.append("\n}\n}\n")
    return "".join(parts).encode("utf-8")


def zip_bytes(files: Mapping[str, bytes], build_time: dt.datetime) -> bytes:
    """A deterministic zip of ``files`` under :data:`BUNDLE_ROOT`.

    Entries are sorted by name, stamped with the build time (at least 1980, the
    zip format's epoch), deflated at level 9, with fixed Unix permissions 0600.
    """
    stamp = max(build_time, _ZIP_EPOCH).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(BUNDLE_ROOT + name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100600 << 16
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()
