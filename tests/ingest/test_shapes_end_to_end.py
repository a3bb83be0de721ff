"""Every list shape of tests/data/shapes through the whole pipeline, as a user runs
aban (issue 15): each list in with ``aban mapping suggest`` accepted as written or
edited in one line, then link, grade, estimate and publish, each a subprocess; and
corrections (``import --replace``, ``source retract`` and ``restore``), after each
of which the figures change as this test computes them by hand.

Who is on which list is written next to the data (make_shapes.py's ``TRUTH``), so
every figure checked here is computed from the files' truth, not read back from aban:
the records per source, the persons the lists share, the grades (two independence
groups corroborate; the workbook's two sheets are one group), the persons counted
(the injured person and the detainees are not), and the site's persons by grade and
by place. The detainee list (detainees.csv, the issue's fifth shape) comes in through
``aban detentions import`` with its suggested mapping as written.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from aban.store.workspace import open_workspace
from tests.cli.helpers import run
from tests.conftest import PASSPHRASE
from tests.shapes import SHAPES, load_shapes

pytestmark = pytest.mark.slow

#: The one line a list of the dead needs edited in its suggested mapping.
KILLED = "set: {status: killed}  # a list of the dead"
#: What the test workspace's aban.toml adds: the event (for the year-less date) and
#: names published (the honorifics left out, as by default).
TOML = """
[event]
name = "November 2019 (synthetic)"
start = 2019-11-15
end = 2019-11-30
places = ["Iran"]

[publication]
default_consent = "public"
"""
BUILD_TIME = "2020-05-20T12:00:00Z"
#: The independence group of each source that has one: the book's two sheets are
#: one organisation's lists.
GROUPS = {"book": "book", "book_added": "book"}
#: source, file, the one-line edit of the suggested mapping (None: as written), and
#: more options of the import. book_added is the book's third sheet, imported with
#: the book's mapping and --sheet.
PLAN: tuple[tuple[str, str, str | None, tuple[str, ...]], ...] = (
    ("ngo", "ngo_fa.xlsx", KILLED, ()),
    ("media", "media_en.csv", KILLED, ()),
    ("form", "form_kobo.json", None, ()),
    ("repeat", "form_repeat.json", KILLED, ()),
    ("family", "family_cp1256.csv", None, ()),
    ("gsheet", "gsheet_en.csv", None, ()),
    ("book", "book_fa.xlsx", KILLED, ()),
    ("book_added", "book_fa.xlsx", None, ("--sheet", "3")),
    ("odk", "form_server.jsonl", None, ()),
)
#: The detainee list (one row per person, its own file: not written by make_shapes.py)
#: and its persons' numbers: one person a row, on no other list, none killed.
DETAINEES = "detainees.csv"
DETAINEE_BASE = 100
NOT_KNOWN = {"unknown", "n/a", "na", "-", "?", "؟", "نامعلوم", "نامشخص"}
HONORIFIC_WORDS = {"seyed", "sayyed", "haj", "hajj", "martyr", "شهید", "حاج", "سید"}


def _detainees() -> tuple[int, ...]:
    with (SHAPES / DETAINEES).open(encoding="utf-8", newline="") as handle:
        rows = sum(1 for _ in csv.reader(handle)) - 1
    return tuple(range(DETAINEE_BASE + 1, DETAINEE_BASE + 1 + rows))


MS = load_shapes()


@dataclass
class Lists:
    """What the register should hold, by hand: each source's persons, and for each
    source the persons whose place it leaves out."""

    persons: dict[str, tuple[int, ...]]
    no_place: dict[str, set[int]] = field(default_factory=dict)

    def everyone(self) -> set[int]:
        return {k for ks in self.persons.values() for k in ks}

    def counted(self) -> set[int]:
        """The persons the toll counts: all but the injured and the detainees."""
        return self.everyone() - set(MS.INJURED) - set(self.persons["detainees"])

    def grade(self, k: int) -> str:
        groups = {GROUPS.get(s, s) for s, ks in self.persons.items() if k in ks}
        return "corroborated" if len(groups) >= 2 else "single-source"

    def city(self, k: int) -> str | None:
        """The person's city, unless every list that has the person leaves it out."""
        known = [
            s
            for s, ks in self.persons.items()
            if k in ks and k not in self.no_place.get(s, set())
        ]
        return MS.person(k)["city_en"] if known else None

    def grades(self) -> Counter[str]:
        return Counter(self.grade(k) for k in self.counted())

    def cities(self) -> Counter[str | None]:
        return Counter(self.city(k) for k in self.counted())

    def provinces(self) -> Counter[str | None]:
        """The persons' provinces: the province of their city (the lists give
        both, or the city alone; the gazetteer knows its province)."""
        return Counter(
            MS.person(k)["province_en"] if self.city(k) else None
            for k in self.counted()
        )

    def persons_per_source(self) -> dict[str, int]:
        return {s: len(set(ks)) for s, ks in self.persons.items() if ks}

    def records(self) -> dict[str, int]:
        """Each source's live records: none for a source withdrawn."""
        return {s: len(self.persons.get(s, ())) for s in (*MS.TRUTH, "detainees")}


def first_lists() -> Lists:
    media_rows = dict(enumerate(MS.TRUTH["media"], start=1))
    return Lists(
        {**MS.TRUTH, "detainees": _detainees()},
        {
            "gsheet": set(MS.PLACE_UNKNOWN),
            "media": {media_rows[i] for i in MS.MEDIA_CITY_UNKNOWN},
        },
    )


@dataclass
class World:
    folder: Path
    workspace: Path
    files: dict[str, Path]
    mappings: dict[str, Path] = field(default_factory=dict)
    imports: dict[str, dict[str, Any]] = field(default_factory=dict)


def _digests(workspace: Path) -> dict[str, str]:
    """The digest of every file of the workspace (the register among them)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(workspace.iterdir())
        if p.is_file()
    }


def _suggest(world: World, source: str, file: Path, edit: str | None) -> Path:
    """``aban mapping suggest FILE``, with at most its ``set:`` line edited."""
    text = run("mapping", "suggest", file, check=True).stdout
    if edit is not None:
        lines = [edit if ln.startswith("set:") else ln for ln in text.splitlines()]
        edited = sum(a != b for a, b in zip(lines, text.splitlines(), strict=True))
        assert edited == 1
        text = "\n".join(lines) + "\n"
    path = world.folder / f"{source}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _aban_json(world: World, *args: str | Path) -> Any:
    proc = run("-w", world.workspace, *args, "--json", check=True)
    return json.loads(proc.stdout)


def _bring_in(world: World) -> None:
    """Preview and import every list as a user would (PLAN)."""
    for source, name, edit, more in PLAN:
        file = world.files[name]
        mapping = world.mappings.get("book") if source == "book_added" else None
        mapping = mapping or _suggest(world, source, file, edit)
        world.mappings[source] = mapping
        before = _digests(world.workspace)
        args = (file, "--source", source, "--mapping", mapping, *more)
        preview = _aban_json(world, "import", *args, "--preview")
        assert _digests(world.workspace) == before  # nothing written
        assert (preview["rows"], preview["refused_rows"]) == (
            len(MS.TRUTH[source]),
            0,
        )
        world.imports[source] = _aban_json(world, "import", *args)
        run("-w", world.workspace, "source", "set", source, "--list", check=True)
        if source in GROUPS:
            group = ("--group", GROUPS[source])
            run("-w", world.workspace, "source", "set", source, *group, check=True)
    _bring_in_detainees(world)


def _bring_in_detainees(world: World) -> None:
    """The detainee list: its suggested mapping as written, through ``aban
    detentions import`` (records and dated events); not a list of the dead, so
    not marked as a list for estimation."""
    file = world.folder / DETAINEES
    shutil.copy(SHAPES / DETAINEES, file)
    mapping = _suggest(world, "detainees", file, None)
    proc = run("-w", world.workspace, "detentions", "import", file, "--source",
               "detainees", "--mapping", mapping, "--as-of", "2020-03-10",
               check=True)  # fmt: skip
    rows = len(_detainees())
    assert proc.stdout.startswith(
        f"{DETAINEES}: {rows} rows, {rows} records imported, 0 already in the "
        "register, 0 refused;"
    )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    folder = tmp_path_factory.mktemp("shapes")
    files = MS.write_all(folder)
    workspace = folder / "ws"
    run("init", workspace, check=True)
    with (workspace / "aban.toml").open("a", encoding="utf-8") as toml:
        toml.write(TOML)
    world = World(folder, workspace, files)
    _bring_in(world)
    return world


@dataclass
class Figures:
    """What the pipeline gave: the grade run, the estimate and the published site."""

    grade: dict[str, Any]
    estimate: dict[str, Any]
    site: list[dict[str, Any]]
    figures: dict[str, Any]
    csv_rows: int


def _pipeline(workspace: Path, site: Path) -> Figures:
    """link, grade, estimate, publish and audit verify, as a user runs them."""
    run("-w", workspace, "link", check=True)
    grade = json.loads(run("-w", workspace, "grade", "--json", check=True).stdout)
    estimate = json.loads(
        run(
            "-w",
            workspace,
            "estimate",
            "--min-persons",
            "5",
            "--burnin",
            "2000",
            "--samples",
            "400",
            "--json",
            check=True,
        ).stdout  # fmt: skip
    )
    run("-w", workspace, "publish", site, "--build-time", BUILD_TIME, check=True)
    verify = run("-w", workspace, "audit", "verify", check=True)
    assert verify.stderr.startswith("audit chain intact")
    data = site / "data"
    persons = json.loads((data / "persons.json").read_text(encoding="utf-8"))
    figures = json.loads((data / "figures.json").read_text(encoding="utf-8"))
    csv_lines = (data / "persons.csv").read_text(encoding="utf-8-sig").splitlines()
    return Figures(grade, estimate, persons["persons"], figures, len(csv_lines) - 1)


def _truth_of_records(workspace: Path, lists: Lists) -> dict[str, int]:
    """Each live record's person number by the files' truth (records are stored in
    file order), by ``source:record_id``."""
    with open_workspace(workspace, PASSPHRASE) as ws:
        rows = ws.conn.execute(
            "select s.name, r.record_id from live_records r "
            "join sources s on s.id = r.source_id order by r.id"
        ).fetchall()
    by_source: dict[str, list[str]] = {}
    for source, record_id in rows:
        by_source.setdefault(source, []).append(record_id)
    return {
        f"{source}:{record_id}": k
        for source, ids in by_source.items()
        for record_id, k in zip(ids, lists.persons[source], strict=True)
    }


def _person_of_record(workspace: Path) -> dict[str, str]:
    """The register's person id of each live record, by ``source:record_id``."""
    with open_workspace(workspace, PASSPHRASE) as ws:
        rows = ws.conn.execute(
            "select s.name, r.record_id, p.person_id from person_records pr "
            "join live_records r on r.id = pr.record_id "
            "join persons p on p.id = pr.person_id "
            "join sources s on s.id = r.source_id"
        ).fetchall()
    return {f"{source}:{record_id}": person for source, record_id, person in rows}


def _persons_per_source(person_of: dict[str, str]) -> dict[str, int]:
    """How many of the register's persons each source's live records are."""
    persons: dict[str, set[str]] = {}
    for key, person in person_of.items():
        persons.setdefault(key.split(":", 1)[0], set()).add(person)
    return {source: len(ids) for source, ids in persons.items()}


def _site_by_truth(
    figures: Figures, person_of: dict[str, str], truth: dict[str, int]
) -> dict[int, dict[str, Any]]:
    """The published persons, by the truth's person number."""
    number = {person_of[key]: k for key, k in truth.items()}
    return {number[p["person_id"]]: p for p in figures.site}


def _check(figures: Figures, lists: Lists, by_truth: dict[int, dict[str, Any]]) -> None:
    """The grade run, the estimate and the site against the hand-computed lists."""
    counted = lists.counted()
    grades = lists.grades()
    assert figures.grade["persons"] == len(lists.everyone())
    assert figures.grade["minimum"] == grades["corroborated"]
    assert figures.grade["upper"] == len(counted)
    assert figures.estimate["observed"] == len(counted)
    assert figures.estimate["estimate"] >= len(counted)
    assert set(by_truth) == counted  # the injured person is not published
    assert figures.csv_rows == len(counted)
    assert {k: p["grade"] for k, p in by_truth.items()} == {
        k: lists.grade(k) for k in counted
    }
    assert Counter(p["grade"] for p in figures.site) == grades
    assert Counter(p["city"] for p in figures.site) == lists.cities()
    assert Counter(p["province"] for p in figures.site) == lists.provinces()
    assert {k: p["city"] for k, p in by_truth.items()} == {
        k: lists.city(k) for k in counted
    }
    summary = figures.figures["analysis"]["summary"]
    assert summary["persons"] == len(counted)
    assert summary["killed"]["total"] == len(counted)
    assert (
        figures.figures["headline"]["grades"]["corroborated"] == grades["corroborated"]
    )


def test_every_shape_gets_in_and_through_the_pipeline(
    world: World, tmp_path: Path
) -> None:
    for source, _, _, _ in PLAN:
        result = world.imports[source]
        assert (result["rows"], result["accepted"], result["rejected"]) == (
            len(MS.TRUTH[source]),
            len(MS.TRUTH[source]),
            0,
        ), source
    sources = {s["name"]: s["records"] for s in _aban_json(world, "sources")}
    assert sources == first_lists().records()
    # The NGO's totals row is skipped, not a person.
    assert [i["row"] for i in world.imports["ngo"]["issues"] if i["code"] == (
        "row-summary")] == [16]  # fmt: skip
    figures = _pipeline(world.workspace, tmp_path / "site")
    truth = _truth_of_records(world.workspace, first_lists())
    person_of = _person_of_record(world.workspace)
    # The persons the lists share are linked as one person each, and no two
    # persons as one: the register's persons are the truth's.
    persons: dict[str, set[int]] = {}
    for key, k in truth.items():
        persons.setdefault(person_of[key], set()).add(k)
    assert _persons_per_source(person_of) == first_lists().persons_per_source()
    assert sorted(map(sorted, persons.values())) == [[k] for k in sorted(
        first_lists().everyone())]  # fmt: skip
    _check(figures, first_lists(), _site_by_truth(figures, person_of, truth))


def _records(workspace: Path, source: str) -> list[dict[str, Any]]:
    with open_workspace(workspace, PASSPHRASE) as ws:
        cursor = ws.conn.execute(
            "select r.* from live_records r join sources s on s.id = r.source_id "
            "where s.name = ? order by r.id",
            (source,),
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_the_nested_json_is_fully_read(world: World) -> None:
    for record, k in zip(_records(world.workspace, "odk"), MS.TRUTH["odk"],
                         strict=True):  # fmt: skip
        p = MS.person(k)
        assert (record["given_name"], record["family_name"], record["father_name"]) == (
            p["given_fa"],
            p["family_fa"],
            p["father_fa"],
        )
        assert (record["age"], record["sex"], record["date_of_death"]) == (
            int(p["age"]),
            p["sex_en"][0],
            p["date_iso"],
        )
        assert (record["city"], record["province"], record["status"]) == (
            p["city_fa"],
            p["province"],
            "killed",
        )
        assert record["injury_location"] == "سر"
    unknown = {
        i["column"]
        for i in world.imports["odk"]["issues"]
        if i["code"] == "unknown-column"
    }
    # Only the form server's own fields are kept as raw data.
    assert unknown == {
        "meta/instanceid",
        "__system/submissiondate",
        "__system/submittername",
        "__system/status",
        "__system/reviewstate",
    }
    for record, k in zip(_records(world.workspace, "form"), MS.TRUTH["form"],
                         strict=True):  # fmt: skip
        p = MS.person(k)
        assert record["full_name"] == f"{p['given_fa']} {p['family_fa']}"
        assert (record["father_name"], record["age"], record["city"]) == (
            p["father_fa"],
            int(p["age"]),
            p["city_fa"],
        )


def test_lists_without_status_are_lists_of_the_dead(world: World) -> None:
    for source in MS.NO_STATUS:
        assert {r["status"] for r in _records(world.workspace, source)} == {"killed"}
    statuses = [r["status"] for r in _records(world.workspace, "gsheet")]
    injured = [MS.TRUTH["gsheet"].index(k) for k in MS.INJURED]
    assert [i for i, s in enumerate(statuses) if s != "killed"] == injured


def test_published_names_and_places(world: World, tmp_path: Path) -> None:
    site = tmp_path / "site"
    run("-w", world.workspace, "publish", site, "--build-time", BUILD_TIME,
        check=True)  # fmt: skip
    persons = json.loads((site / "data" / "persons.json").read_text("utf-8"))
    csv_text = (site / "data" / "persons.csv").read_text("utf-8-sig")
    for person in persons["persons"]:
        for field_name in ("city", "city_fa", "province", "province_fa"):
            value = person[field_name]
            assert value is None or value.strip().lower() not in NOT_KNOWN
        for field_name in ("name", "name_fa"):
            words = (person[field_name] or "").lower().split()
            assert not HONORIFIC_WORDS & set(words), person["person_id"]
        # Names from the Windows-1256 list are published in Persian letters.
        assert not set("يك") & set(person["name_fa"] or ""), person["person_id"]
    for word in ("Unknown", "n/a", "Seyed", "Haj ", "شهید", "حاج", "سید "):
        assert word not in csv_text
    names = {p["name"] for p in persons["persons"]} | {
        p["name_fa"] for p in persons["persons"]
    }
    for (_, k), _honorific in MS.HONORIFICS.items():
        p = MS.person(k)
        plain = {
            f"{p['given_en']} {p['family_en']}",
            f"{p['given_fa']} {p['family_fa']}",
        }
        assert plain & names, k
    # The year-less date took the event's year.
    book = _records(world.workspace, "book")
    row = MS.TRUTH["book"].index(MS.BOOK_NO_YEAR)
    assert book[row]["date_of_death"] == "2019-11-16"


def test_corrections_change_the_figures_as_computed(
    world: World, tmp_path: Path
) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(world.workspace, workspace)
    lists = first_lists()
    mapping, v2 = world.mappings["media"], world.files["media_en_v2.csv"]
    # --preview of the new version writes nothing.
    before = _digests(workspace)
    run("-w", workspace, "import", v2, "--source", "media", "--mapping", mapping,
        "--replace", "--preview", check=True)  # fmt: skip
    assert _digests(workspace) == before
    replaced = json.loads(
        run(
            "-w",
            workspace,
            "import",
            v2,
            "--source",
            "media",
            "--mapping",
            mapping,
            "--replace",
            "--json",
            check=True,
        ).stdout  # fmt: skip
    )
    assert replaced["changes"] == {
        "added": 1,
        "changed": 1,
        "retracted": 1,
        "returned": 0,
    }
    rows = dict(enumerate(MS.TRUTH["media"], start=1))
    for dropped in MS.MEDIA_V2["dropped"]:
        del rows[dropped]
    rows.update(MS.MEDIA_V2["added"])
    unknown = set(MS.MEDIA_CITY_UNKNOWN) - set(MS.MEDIA_V2["changed"])
    v2_lists = Lists(
        {**lists.persons, "media": tuple(rows.values())},
        {**lists.no_place, "media": {rows[i] for i in unknown}},
    )
    # By hand: person 16 keeps only the form list (single-source now); person 31
    # is new; person 28's place is now known.
    assert v2_lists.grade(16) == "single-source" != lists.grade(16)
    assert (v2_lists.city(28), lists.city(28)) == ("Shiraz", None)
    _check_step(workspace, tmp_path / "site-v2", v2_lists, "media", rows)

    run("-w", workspace, "source", "retract", "gsheet", "--reason",
        "a draft sent by mistake", check=True)  # fmt: skip
    retracted = Lists(
        {s: ks for s, ks in v2_lists.persons.items() if s != "gsheet"},
        {s: ks for s, ks in v2_lists.no_place.items() if s != "gsheet"},
    )
    assert len(retracted.everyone()) == len(v2_lists.everyone()) - 2  # 22 and 23
    _check_step(workspace, tmp_path / "site-retracted", retracted, "media", rows)

    run("-w", workspace, "source", "restore", "gsheet", check=True)
    _check_step(workspace, tmp_path / "site-restored", v2_lists, "media", rows)


def _check_step(
    workspace: Path, site: Path, lists: Lists, replaced: str, rows: dict[int, int]
) -> None:
    """Run the pipeline and check it against ``lists`` (``replaced``'s live
    records are ``rows``, by record id)."""
    figures = _pipeline(workspace, site)
    person_of = _person_of_record(workspace)
    truth = {
        f"{source}:{record_id}": k
        for source, ks in lists.persons.items()
        for record_id, k in _record_ids(workspace, source, replaced, rows, ks)
    }
    assert set(truth) == set(person_of)  # no retracted record is linked
    sources = json.loads(run("-w", workspace, "sources", "--json", check=True).stdout)
    assert {s["name"]: s["records"] for s in sources} == lists.records()
    assert _persons_per_source(person_of) == lists.persons_per_source()
    _check(figures, lists, _site_by_truth(figures, person_of, truth))


def _record_ids(
    workspace: Path,
    source: str,
    replaced: str,
    rows: dict[int, int],
    persons: tuple[int, ...],
) -> list[tuple[str, int]]:
    if source == replaced:
        return [(str(i), k) for i, k in rows.items()]
    ids = [r["record_id"] for r in _records(workspace, source)]
    return list(zip(ids, persons, strict=True))
