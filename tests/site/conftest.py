"""A small simulated register for publishing tests, seeded with canary values.

Built once per session (simulate, import, link with the real engine, grade,
estimate, claims, event), then copied for each test that writes to it. Every
protected field of the families' list carries a canary, the list itself is a
protected source with a canary name and contact (its circumstances and occupations
are canaries too: a protected source's free text is never published), and a few
crafted persons with unique synthetic names serve the consent and search tests.
Persons of :data:`PERSON_CANARIES` carry a canary in each free-text value (place,
cause, occupation, circumstances) for the leak test of figures and charts.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from aban.claims.importer import import_claims
from aban.demo import MODEL_CASE, examples_dir
from aban.estimate.strata import LcmcrSettings
from aban.grade.register import discount_person, grade_workspace, set_consent
from aban.grade.rules import load_rules
from aban.ingest.importer import import_file
from aban.linkage.register import link_workspace
from aban.simulate import SimulationSettings, simulate, write_scenario
from aban.site import publish
from aban.site.policy import PUBLISHABLE_FIELDS
from aban.store.db import transaction
from aban.store.sources import set_source
from aban.store.workspace import Workspace, create_workspace, open_workspace
from aban.workflow.estimate import estimate_workspace
from tests.conftest import PASSPHRASE

BUILD_TIME = "2020-05-20T12:00:00+00:00"
_T = TypeVar("_T")
#: Canary values of every protected field and of the protected source.
CANARIES = {
    "informant": "Qx7 Informant-Canary ژاله‌کناری",
    "contact": "+98-912-CANARY-7731 canary.contact@example.net",
    "notes_private": "private note canary زخم‌پنهان",
    "national_id": "9990001117",
    "source": "Secret Canary Source کبوترخبر",
    "source_contact": "source.canary@example.net",
    "circumstances": "protected story canary روایت‌پنهان",
    "occupation": "protected occupation canary پیشه‌پنهان",
}
#: The families' columns that hold a canary in every row.
_SEEDED = (
    "informant",
    "contact",
    "notes_private",
    "national_id",
    "circumstances",
    "occupation",
)
#: The widest ``[publication]`` the settings allow: every field, every grade that
#: may be listed, names and stories by default, portraits, the smallest cell size.
WIDEST_POLICY = (
    f"fields = {json.dumps(list(PUBLISHABLE_FIELDS))}\n"
    'grades = ["confirmed", "corroborated", "single-source", "contested"]\n'
    'default_consent = "public"\nstory = "circumstances"\nportraits = true\n'
    'contact = "fix@example.org"\nmin_cell = 3\n'
)
#: Crafted persons (unique synthetic names): record id -> row.
CRAFTED = {
    "c1": {"full_name": "پرهام دهقان‌زاده", "city": "تهران", "age": "24"},
    "c2": {"full_name": "Kourosh Farahmandpour", "city": "Shiraz", "age": "31"},
    "c3": {"full_name": "Yashar Nemoonehzadeh", "city": "Ahvaz", "age": "19"},
    "c4": {"full_name": "Bardia Khorshidvand", "city": "Karaj", "age": "27"},
}
#: Free-text fields of the canary persons: a tag and a Persian word for each.
_FREE_TEXT = {
    "city": ("city", "روستا"),
    "province": ("province", "ولایت"),
    "cause": ("cause", "سبب"),
    "occupation": ("job", "پیشه"),
    "circumstances": ("story", "ماجرا"),
    "injury_location": ("injury", "زخم"),
    "alleged_force": ("force", "نیرو"),
}
#: The canary persons by role: a Persian word, a family name, an age and a day of
#: death of their own. Each is killed and has a canary (its words start with "Xq",
#: or are Persian) in every free-text field, its name and national id; the
#: leak test makes each what its role says (withheld, discounted, ...). The
#: contested person has a second record, from another source, whose cause differs.
PERSON_ROLES = {
    "withheld": ("نهان", "Nahanizadeh", 21, 16),
    "discounted": ("کنار", "Kenaripour", 38, 17),
    "contested": ("ستیز", "Setizian", 45, 18),
    "noname": ("بی‌نام", "Binamloo", 52, 19),
    "public": ("آشکار", "Ashkaranpour", 64, 20),
}


def _person_canary(role: str, field: str) -> str:
    tag, word = _FREE_TEXT[field]
    return f"Xq{tag}{role} {word}{PERSON_ROLES[role][0]}"


def _canary_row(role: str, number: int) -> dict[str, str]:
    _, family, age, day = PERSON_ROLES[role]
    return {
        "record_id": f"k-{role}",
        "full_name": f"Xqname{role} {family}",
        "sex": "f",
        "age": str(age),
        "date_of_death": f"2019-11-{day}",
        "status": "killed",
        "national_id": f"99900{number:05d}",
        **{field: _person_canary(role, field) for field in _FREE_TEXT},
    }


#: Canary persons: role -> their record (record id ``k-<role>``).
PERSON_CANARIES = {
    role: _canary_row(role, n) for n, role in enumerate(PERSON_ROLES, start=1)
}
#: The contested person's second record (another source, another cause).
CONTESTED_SECOND = {
    **PERSON_CANARIES["contested"],
    "record_id": "k-contested-b",
    "cause": "Xqcausecontestedsecond سبب‌دیگر",
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
    for name in _SEEDED:
        if name not in columns:
            columns.append(name)
    for row in rows:
        for name in _SEEDED:
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


def import_canary_persons(ws: Workspace, folder: Path) -> None:
    """Import the canary persons' records (the contested person's second record
    from a source of its own); files are written into ``folder``."""
    files = (
        ("canary-persons", list(PERSON_CANARIES.values())),
        ("canary-persons-b", [CONTESTED_SECOND]),
    )
    for source, rows in files:
        path = folder / f"{source}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        result = import_file(ws, path, source=source)
        assert not result.refused, [i.render() for i in result.issues]


def canary_roles(ws: Workspace) -> dict[str, str]:
    """Make each canary person what its role says; their person ids by role.

    Withheld and published without a name are consents; the discounted person
    is discounted by a reviewer (its consent public); the contested person is
    contested by its two records' causes (its consent: without a name).
    """
    pids = {role: canary_person(ws, role) for role in PERSON_CANARIES}
    discount_person(ws, pids["discounted"], "unrelated", load_rules(ws.path))
    consents = {
        "withheld": "withheld",
        "discounted": "public",
        "contested": "public-without-name",
        "noname": "public-without-name",
        "public": "public",
    }
    for role, consent in consents.items():
        set_consent(ws, pids[role], consent)  # type: ignore[arg-type]
    grades = dict(
        ws.conn.execute(
            "select person_id, grade from persons where person_id in (?, ?, ?)",
            (pids["contested"], pids["discounted"], pids["public"]),
        ).fetchall()
    )
    assert grades[pids["contested"]] == "contested"
    assert grades[pids["discounted"]] == "discounted"
    assert grades[pids["public"]] == "single-source"
    return pids


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
    import_canary_persons(ws, tmp)


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


def publish_public(
    site_register: Path, root: Path, before: Callable[[Workspace], _T]
) -> tuple[Path, _T]:
    """Publish a copy of the session's register under ``root`` with names public
    and a correction contact, after ``before(ws)``; returns the site's folder and
    what ``before`` returned (the browser tests' person ids)."""
    shutil.copytree(site_register, root / "ws")
    add_policy(root / "ws", 'default_consent = "public"\ncontact = "fix@example.org"\n')
    with open_workspace(root / "ws", PASSPHRASE) as ws:
        found = before(ws)
        publish(ws, root / "site", BUILD_TIME)
    return root / "site", found


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


def canary_person(ws: Workspace, role: str) -> str:
    """The person id of the canary person of ``role``."""
    (pid,) = ws.conn.execute(
        "select p.person_id from persons p join person_records pr "
        "on pr.person_id = p.id join records r on r.id = pr.record_id "
        "where r.record_id = ?",
        (f"k-{role}",),
    ).fetchone()
    return str(pid)


def site_files(out: Path) -> dict[str, bytes]:
    """Every file of a site by relative path (POSIX), with its bytes."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }
