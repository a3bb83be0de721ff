"""The leak test: no default export holds a byte of any canary; the full one does.

A simulated register carries canaries in every protected field (informant, contact,
private notes, national id, source contact, reviewer, evidence names, custody) and
in a protected source's name, group and file name (tests/export/helpers.py).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from aban.export import export_workspace, parse_build_time
from aban.grade.register import grade_workspace
from aban.grade.rules import load_rules
from aban.linkage.register import link_workspace
from aban.store.workspace import open_workspace
from tests.conftest import PASSPHRASE
from tests.export.helpers import (
    BUILD_TIME,
    CANARIES,
    GROUP,
    OTHER_CANARIES,
    SOURCE,
    contents,
    forms,
    leaks,
)
from tests.site.conftest import (
    PERSON_CANARIES,
    WIDEST_POLICY,
    canary_roles,
    import_canary_persons,
)
from tests.store.fake_linker import FakeLinker

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


#: Where an export may hold the canary persons' values: the tables that hold every
#: record and person, whatever their consent (an export is not a publication; its
#: README says so).
_REGISTER_TABLES = {"records", "persons"}


def _parts(path: Path, kind: str) -> dict[str, bytes]:
    """An export's bytes by table (``records``...) or file (``README``...)."""
    if kind == "json":
        data = json.loads(path.read_text("utf-8"))
        tables = data.pop("tables")
        parts = {name: json.dumps(rows).encode() for name, rows in tables.items()}
        return {**parts, "(rest)": json.dumps(data).encode()}
    found = {}
    for name, data in contents(path):
        if kind == "bundle" and "!" not in name:
            continue  # the zip itself: its entries follow
        stem = name.rsplit("/", 1)[-1].split(".")[0]
        found[stem] = found.get(stem, b"") + data
    return found


@pytest.fixture(scope="module")
def canary_person_exports(
    tmp_path_factory: pytest.TempPathFactory, canary_template: Path
) -> dict[tuple[str, str], Path]:
    """Every format exported under the default and the widest publication policy,
    from the canary register with the canary persons of tests/site (withheld,
    discounted, contested, published without a name, published)."""
    root = tmp_path_factory.mktemp("person-canaries")
    ws_path = root / "ws"
    shutil.copytree(canary_template, ws_path)
    found = {}
    with open_workspace(ws_path, PASSPHRASE) as ws:
        import_canary_persons(ws, root)
        link_workspace(ws, linker=FakeLinker())
        grade_workspace(ws, load_rules(ws.path))
        canary_roles(ws)
        for policy, text in (("default", ""), ("widest", WIDEST_POLICY)):
            config = ws_path / "aban.toml"
            config.write_text(
                config.read_text("utf-8") + f"\n[publication]\n{text}", "utf-8"
            )
            for kind, name in OUT.items():
                out = root / policy / name
                export_workspace(
                    ws,
                    kind,
                    out,
                    build_time=parse_build_time(BUILD_TIME),  # type: ignore[arg-type]
                )
                found[kind, policy] = out
            config.write_text(config.read_text("utf-8").split("\n[publication]")[0])
    return found


@pytest.mark.parametrize("kind", list(OUT))
def test_canary_persons_are_only_in_the_register_tables(
    canary_person_exports: dict[tuple[str, str], Path], kind: str
) -> None:
    """Issue 13: an export holds every person's values in its records and persons
    tables (not a publication); nowhere else (README, methodology, manifest,
    detention and other tables), whatever the publication policy."""
    default = canary_person_exports[kind, "default"]
    widest = canary_person_exports[kind, "widest"]
    assert _parts(default, kind) == _parts(widest, kind)
    skip = ("record_id", "sex", "age", "date_of_death", "status")
    words = {
        f"{role}.{field}": value.split()[0]
        for role, row in PERSON_CANARIES.items()
        for field, value in row.items()
        if field not in skip
    }
    assert len(words) == 5 * 9
    where: dict[str, set[str]] = {}
    for part, data in _parts(default, kind).items():
        for name, word in words.items():
            if any(form in data for form in forms(word)):
                where.setdefault(name, set()).add(part)
    # Every value but the national id (protected) is there, in those tables only.
    assert set(where) == {n for n in words if not n.endswith(".national_id")}
    assert set().union(*where.values()) <= _REGISTER_TABLES
