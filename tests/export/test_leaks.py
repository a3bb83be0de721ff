"""The leak test: no default export holds a byte of any canary; the full one does.

A simulated register carries canaries in every protected field (informant, contact,
private notes, national id, source contact, reviewer, evidence names, custody) and
in a protected source's name, group and file name (tests/export/helpers.py).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from aban.export import export_workspace, parse_build_time
from aban.store.workspace import open_workspace
from tests.conftest import PASSPHRASE
from tests.export.helpers import (
    BUILD_TIME,
    CANARIES,
    GROUP,
    OTHER_CANARIES,
    SOURCE,
    leaks,
)

OUT = {"csv": "csv", "json": "export.json", "bundle": "bundle.zip"}


@pytest.fixture(scope="module")
def exports(
    tmp_path_factory: pytest.TempPathFactory, canary_template: Path
) -> dict[tuple[str, bool], Path]:
    """Every format, default and full, exported once from the canary register."""
    root = tmp_path_factory.mktemp("leaks")
    found = {}
    with open_workspace(canary_template, PASSPHRASE) as ws:
        for full in (False, True):
            for kind, name in OUT.items():
                out = root / ("full" if full else "default") / name
                export_workspace(
                    ws,
                    kind,
                    out,
                    full=full,  # type: ignore[arg-type]
                    build_time=parse_build_time(BUILD_TIME),
                )
                found[kind, full] = out
    return found


@pytest.mark.parametrize("kind", list(OUT))
def test_a_default_export_holds_no_canary(
    exports: dict[tuple[str, bool], Path], kind: str
) -> None:
    assert leaks(exports[kind, False]) == {}


@pytest.mark.parametrize("kind", list(OUT))
def test_the_full_export_holds_every_canary(
    exports: dict[tuple[str, bool], Path], kind: str
) -> None:
    # Without this, a leak test that found nothing could be a test that looks
    # nowhere: the canaries are in the register and the full export writes them.
    assert sorted(leaks(exports[kind, True])) == sorted(CANARIES)


def _bundle_table(path: Path, name: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(path) as archive:
        text = archive.read(f"aban-bundle/{name}.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_protected_source_keeps_its_records_under_a_pseudonym(
    exports: dict[tuple[str, bool], Path],
) -> None:
    sources = _bundle_table(exports["bundle", False], "sources")
    hidden = [s for s in sources if s["protected"] == "true"]
    assert len(hidden) == 1
    pseudonym = hidden[0]["source"]
    assert pseudonym.startswith("protected-source-")
    assert hidden[0]["independence_group"].startswith("protected-group-")
    assert hidden[0]["kind"] == "witness"
    records = _bundle_table(exports["bundle", False], "records")
    theirs = [r for r in records if r["source"] == pseudonym]
    assert len(theirs) == int(hidden[0]["records"]) > 0
    full = _bundle_table(exports["bundle", True], "sources")
    assert [s["source"] for s in full if s["protected"] == "true"] == [SOURCE]
    assert [s["independence_group"] for s in full if s["protected"] == "true"] == [
        GROUP
    ]
    # The same pseudonym everywhere a source is named.
    events = _bundle_table(exports["bundle", False], "detention_events")
    assert pseudonym in {e["source"] for e in events}
    persons = _bundle_table(exports["bundle", False], "persons")
    assert any(pseudonym in p["sources"] for p in persons)
    assert any(f'"{pseudonym}"' in p["canonical"] for p in persons)


def test_default_and_full_differ_only_in_protected_columns(
    exports: dict[tuple[str, bool], Path],
) -> None:
    default = json.loads(exports["json", False].read_text("utf-8"))
    full = json.loads(exports["json", True].read_text("utf-8"))
    assert default["full"] is False and full["full"] is True
    assert default["methodology"] == full["methodology"]
    assert default["methodology"].startswith("# Methodology")
    records = default["tables"]["records"]
    assert "informant" not in records[0] and "national_id" not in records[0]
    assert full["tables"]["records"][0]["informant"].startswith("xqinformantcanary")
    assert {k: len(v) for k, v in default["tables"].items()} == {
        k: len(v) for k, v in full["tables"].items()
    }
    person = full["tables"]["persons"][0]
    assert "national_id" in person["canonical"]["fields"]
    assert all(
        "national_id" not in p["canonical"]["fields"]
        for p in default["tables"]["persons"]
    )


def test_a_protected_source_s_event_notes_are_only_in_the_full_export(
    exports: dict[tuple[str, bool], Path],
) -> None:
    """Issue 13: the rule the web app follows for viewers (one function,
    aban.vocab.sources.source_text): a protected source's note is protected."""
    events = _bundle_table(exports["bundle", False], "detention_events")
    hidden = [e for e in events if e["source"].startswith("protected-source-")]
    shown = [e for e in events if not e["source"].startswith("protected-source-")]
    assert hidden and all(e["note"] == "" for e in hidden)
    assert any(e["note"] for e in shown)
    full = _bundle_table(exports["bundle", True], "detention_events")
    notes = {e["note"] for e in full if e["source"] == SOURCE}
    assert notes == {OTHER_CANARIES["event_note"]}
