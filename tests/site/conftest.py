"""A small simulated register for publishing tests, seeded with canary values.

Built once per session (simulate, import, link with the real engine, grade,
estimate, claims, event), then copied for each test that writes to it. Every
protected field of the families' list carries a canary, the list itself is a
protected source with a canary name and contact, and a few crafted persons with
unique synthetic names serve the consent and search tests.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from aban.claims.importer import import_claims
from aban.demo import MODEL_CASE, examples_dir
from aban.estimate.strata import LcmcrSettings
from aban.grade.register import grade_workspace
from aban.grade.rules import load_rules
from aban.ingest.importer import import_file
from aban.linkage.register import link_workspace
from aban.simulate import SimulationSettings, simulate, write_scenario
from aban.store.db import transaction
from aban.store.sources import set_source
from aban.store.workspace import Workspace, create_workspace, open_workspace
from aban.workflow.estimate import estimate_workspace
from tests.conftest import PASSPHRASE

BUILD_TIME = "2020-05-20T12:00:00+00:00"
#: Canary values of every protected field and of the protected source.
CANARIES = {
    "informant": "Qx7 Informant-Canary ژاله‌کناری",
    "contact": "+98-912-CANARY-7731 canary.contact@example.net",
    "notes_private": "private note canary زخم‌پنهان",
    "national_id": "9990001117",
    "source": "Secret Canary Source کبوترخبر",
    "source_contact": "source.canary@example.net",
}
#: Crafted persons (unique synthetic names): record id -> row.
CRAFTED = {
    "c1": {"full_name": "پرهام دهقان‌زاده", "city": "تهران", "age": "24"},
    "c2": {"full_name": "Kourosh Farahmandpour", "city": "Shiraz", "age": "31"},
    "c3": {"full_name": "Yashar Nemoonehzadeh", "city": "Ahvaz", "age": "19"},
    "c4": {"full_name": "Bardia Khorshidvand", "city": "Karaj", "age": "27"},
}
_CRAFTED_COLUMNS = [
    "record_id",
    "full_name",
    "sex",
    "age",
    "date_of_death",
    "city",
    "status",
    "injury_location",
]


def _seed_canaries(path: Path) -> None:
    """Fill every protected field of a records CSV with the canaries."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = list(rows[0])
    for name in ("informant", "contact", "notes_private", "national_id"):
        if name not in columns:
            columns.append(name)
    for row in rows:
        for name in ("informant", "contact", "notes_private", "national_id"):
            row[name] = CANARIES[name]
        row.pop("source", None)
    columns = [c for c in columns if c != "source"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)


def _crafted_csv(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, _CRAFTED_COLUMNS)
        writer.writeheader()
        for record_id, row in CRAFTED.items():
            writer.writerow(
                {
                    "record_id": record_id,
                    "sex": "m",
                    "date_of_death": "2019-11-16",
                    "status": "killed",
                    "injury_location": "head",
                    **row,
                }
            )


def _fill(ws: Workspace, scenario: Path, tmp: Path) -> None:
    sources = sorted((scenario / "sources").glob("*.csv"))
    for path in sources:
        if path.stem == "families":
            _seed_canaries(path)
            import_file(ws, path, source=CANARIES["source"])
            with transaction(ws.conn):
                set_source(ws.conn, CANARIES["source"], kind="family", is_list=True)
                ws.conn.execute(
                    "update sources set contact = ? where name = ?",
                    (CANARIES["source_contact"], CANARIES["source"]),
                )
        else:
            import_file(ws, path)
            with transaction(ws.conn):
                set_source(ws.conn, path.stem, is_list=True)
    _crafted_csv(tmp / "crafted.csv")
    import_file(ws, tmp / "crafted.csv", source="crafted")


@pytest.fixture(scope="session")
def site_register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A linked, graded and estimated register with canaries (do not write to it)."""
    root = tmp_path_factory.mktemp("site-register")
    scenario = root / "scenario"
    settings = SimulationSettings(persons=90, sources=4, seed=11)
    write_scenario(simulate(settings), scenario)
    with create_workspace(root / "ws", PASSPHRASE) as ws:
        event = (examples_dir() / MODEL_CASE / "event.toml").read_text("utf-8")
        config = ws.path / "aban.toml"
        config.write_text(config.read_text("utf-8") + "\n" + event, "utf-8")
        _fill(ws, scenario, root)
        link_workspace(ws)
        grade_workspace(ws, load_rules(ws.path))
        small = LcmcrSettings(burnin=500, samples=200, thinning=2)
        estimate_workspace(ws, lcmcr=small)
        import_claims(ws, examples_dir() / MODEL_CASE / "claims.csv")
    return root / "ws"


@pytest.fixture
def register(site_register: Path, tmp_path: Path) -> Path:
    """A private copy of the session's register, free to write to."""
    copy = tmp_path / "ws"
    shutil.copytree(site_register, copy)
    return copy


@pytest.fixture
def open_register(register: Path) -> Iterator[Workspace]:
    with open_workspace(register, PASSPHRASE) as ws:
        yield ws


def add_policy(workspace: Path, text: str) -> None:
    """Append a ``[publication]`` table to the workspace's aban.toml."""
    config = workspace / "aban.toml"
    config.write_text(config.read_text("utf-8") + "\n[publication]\n" + text, "utf-8")


def person_of(ws: Workspace, record_id: str) -> str:
    """The person id of a record of the crafted source."""
    (pid,) = ws.conn.execute(
        "select p.person_id from persons p join person_records pr "
        "on pr.person_id = p.id join records r on r.id = pr.record_id "
        "where r.record_id = ? and r.source_id = "
        "(select id from sources where name = 'crafted')",
        (record_id,),
    ).fetchone()
    return str(pid)


def site_files(out: Path) -> dict[str, bytes]:
    """Every file of a site by relative path (POSIX), with its bytes."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }
