"""aban publish: determinism, consent, releases, the output folder, open data."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from aban.errors import SiteBuildError
from aban.grade.register import set_consent
from aban.site import parse_build_time, publish
from aban.site.releases import list_releases
from aban.store.db import transaction
from aban.store.workspace import Workspace, open_workspace
from tests.conftest import PASSPHRASE
from tests.site.conftest import BUILD_TIME, CRAFTED, add_policy, person_of, site_files

PUBLIC = 'default_consent = "public"\ncontact = "fix@example.org"\n'


def _soup(out: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((out / page).read_text("utf-8"), "html.parser")


def test_two_builds_are_byte_identical(
    open_register: Workspace, register: Path, tmp_path: Path
) -> None:
    add_policy(register, PUBLIC)
    first = publish(open_register, tmp_path / "one", BUILD_TIME)
    second = publish(open_register, tmp_path / "two", BUILD_TIME)
    assert first.release.new and not second.release.new
    assert first.release.number == second.release.number == 1
    one, two = site_files(tmp_path / "one"), site_files(tmp_path / "two")
    assert one == two
    assert first.files == len(one)


def test_person_pages_written_by_two_processes_are_the_same(
    open_register: Workspace,
    register: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_policy(register, PUBLIC)
    alone = publish(open_register, tmp_path / "one", BUILD_TIME, workers=1)
    monkeypatch.setattr("aban.site.build.PARALLEL_FROM", 0)
    shared = publish(open_register, tmp_path / "many", BUILD_TIME, workers=2)
    one, many = site_files(tmp_path / "one"), site_files(tmp_path / "many")
    assert sum(1 for name in many if "/memorial/P" in name) == 2 * alone.listed
    assert one == many
    assert alone.files == shared.files == len(many)


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_counts_person_pages_up_to_all_of_them(
    open_register: Workspace,
    register: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    workers: int,
) -> None:
    add_policy(register, PUBLIC)
    monkeypatch.setattr("aban.site.build.PARALLEL_FROM", 0)
    monkeypatch.setattr("aban.site.pages.PROGRESS_EVERY", 1)
    told: list[tuple[int, int]] = []
    done = publish(
        open_register,
        tmp_path / "site",
        BUILD_TIME,
        workers=workers,
        progress=lambda n, total: told.append((n, total)),
    )
    pages = 2 * done.listed
    assert done.listed > 1 and {total for _, total in told} == {pages}
    counts = [n for n, _ in told]
    assert counts == sorted(counts) and counts[0] == 0 and counts[-1] == pages


def test_a_failing_page_process_fails_the_build_and_leaves_no_site(
    open_register: Workspace,
    register: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os

    from aban.site import pages

    add_policy(register, PUBLIC)
    parent, write = os.getpid(), pages.write_persons

    def failing_in_children(*args: object) -> None:
        if os.getpid() != parent:
            raise RuntimeError("a canary value")
        write(*args)  # type: ignore[arg-type]

    monkeypatch.setattr("aban.site.build.PARALLEL_FROM", 0)
    monkeypatch.setattr("aban.site.build.write_persons", failing_in_children)
    with pytest.raises(SiteBuildError, match="^a process writing person pages failed$"):
        publish(open_register, tmp_path / "site", BUILD_TIME, workers=2)
    # No site and no staging folder left beside it.
    assert [p.name for p in tmp_path.iterdir()] == [register.name]


def test_copies_of_one_register_publish_alike(
    site_register: Path, tmp_path: Path
) -> None:
    """Each copy records its own release 1 (own audit entry), same files."""
    outputs = []
    for name in ("a", "b"):
        shutil.copytree(site_register, tmp_path / name)
        add_policy(tmp_path / name, PUBLIC)
        with open_workspace(tmp_path / name, PASSPHRASE) as ws:
            publish(ws, tmp_path / f"site-{name}", BUILD_TIME)
        outputs.append(site_files(tmp_path / f"site-{name}"))
    assert outputs[0] == outputs[1]


def test_pages_in_both_languages_from_person_ids(
    open_register: Workspace, register: Path, tmp_path: Path
) -> None:
    add_policy(register, PUBLIC)
    result = publish(open_register, tmp_path / "site", BUILD_TIME)
    files = site_files(tmp_path / "site")
    persons = sorted(p for p in files if p.startswith("en/memorial/P"))
    assert len(persons) == result.listed
    assert all(p.replace("en/", "fa/", 1) in files for p in persons)
    assert {p.split("/")[-1] for p in files if "/memorial/" in p} <= (
        {f"P{n:06d}.html" for n in range(1, 1000)} | {"index.html"}
    )
    pid = person_of(open_register, "c2")
    page = _soup(tmp_path / "site", f"fa/memorial/{pid}.html")
    assert page.html["dir"] == "rtl" and page.html["lang"] == "fa"
    # No source wrote the name in Persian: a transliteration, marked as one (issue
    # 17), with the name as written in the other script, marked as English.
    assert page.h1.get_text() == "کوروش فرهمندپور (نویسه\u200cگردانی)"
    assert page.h1.small["title"].startswith("هیچ منبعی این نام را")
    other = page.find("dt", string="نام به خط دیگر").find_next("dd")
    assert (other.bdi["lang"], other.bdi["dir"]) == ("en", "ltr")
    assert other.get_text() == "Kourosh Farahmandpour"
    text = page.get_text(" ")
    assert "۳۱" in text and "۲۵ آبان ۱۳۹۸" in text and "شیراز" in text
    link = page.find("a", href=lambda h: h and h.startswith("mailto:"))
    assert link["href"] == f"mailto:fix@example.org?subject=Correction%20{pid}"
    en = _soup(tmp_path / "site", f"en/memorial/{pid}.html").get_text(" ")
    assert "16 November 2019" in en and "Shiraz" in en and "31" in en


def _set(ws: Workspace, record: str, consent: str) -> str:
    pid = person_of(ws, record)
    set_consent(ws, pid, consent)  # type: ignore[arg-type]
    return pid


def test_withheld_and_unnamed_persons(
    open_register: Workspace, register: Path, tmp_path: Path
) -> None:
    add_policy(register, PUBLIC)
    withheld = _set(open_register, "c3", "withheld")
    unnamed = _set(open_register, "c4", "public-without-name")
    publish(open_register, tmp_path / "site", BUILD_TIME)
    files = site_files(tmp_path / "site")
    for name in ("Yashar", "Nemoonehzadeh", "Bardia", "Khorshidvand", withheld):
        assert [p for p, data in files.items() if name.encode() in data] == []
    assert not any(withheld in path for path in files)
    page = _soup(tmp_path / "site", f"en/memorial/{unnamed}.html")
    # The register knows the name: the page says why it is not shown (issue 17).
    assert page.h1.get_text() == "name not published"
    assert page.find("p", class_="unnamed").get_text() == (
        "The family asked that the name not be shown."
    )
    assert "Karaj" in page.get_text(" ")
    fa = _soup(tmp_path / "site", f"fa/memorial/{unnamed}.html")
    assert fa.h1.get_text() == "نام منتشر نشده" and "کرج" in fa.get_text(" ")
    assert fa.find("p", class_="unnamed").get_text() == (
        "خانواده خواسته است نام نشان داده نشود."
    )
    rows = json.loads(files["data/persons.json"])["persons"]
    row = next(r for r in rows if r["person_id"] == unnamed)
    assert (row["named"], row["name"], row["name_fa"]) == (False, None, None)
    assert row["city"] == "Karaj" and row["age"] == 27


def test_the_default_consent_hides_names(
    open_register: Workspace, tmp_path: Path
) -> None:
    publish(open_register, tmp_path / "site", BUILD_TIME)
    files = site_files(tmp_path / "site")
    for row in CRAFTED.values():
        for word in row["full_name"].split():
            assert not [p for p, d in files.items() if word.encode() in d], word
    assert files["data/search-index.js"] == b"window.ABAN_SEARCH=[];\n"


def test_releases_number_changes_and_show_them(
    open_register: Workspace, register: Path, tmp_path: Path
) -> None:
    add_policy(register, PUBLIC)
    first = publish(open_register, tmp_path / "site", BUILD_TIME)
    _set(open_register, "c3", "withheld")
    later = "2020-06-01T08:00:00Z"
    second = publish(open_register, tmp_path / "site", later)
    assert (first.release.number, second.release.number) == (1, 2)
    assert second.release.new and second.listed == first.listed - 1
    releases = list_releases(open_register.conn)
    assert [r.published_at for r in releases] == [
        BUILD_TIME,
        "2020-06-01T08:00:00+00:00",
    ]
    labels = [
        r[0]
        for r in open_register.conn.execute(
            "select label from count_snapshots order by id"
        )
    ]
    assert labels == ["release 1", "release 2"]
    actions = [r[0] for r in open_register.conn.execute("select action from audit")]
    assert actions.count("publish-release") == 2
    table = _soup(tmp_path / "site", "en/index.html").find_all("table")[1]
    cells = [
        [c.get_text() for c in tr.find_all(["th", "td"])] for tr in table.tbody("tr")
    ]
    assert [c[0] for c in cells] == ["1", "2"]
    assert cells[1][2] == str(second.listed) and "listed −1" in cells[1][6]
    figures = json.loads((tmp_path / "site" / "data" / "figures.json").read_text())
    assert figures["release"] == 2 and len(figures["releases"]) == 2
    assert "head" not in figures["releases"][0]


def test_a_republished_site_drops_pages_of_persons_withheld_since(
    open_register: Workspace, register: Path, tmp_path: Path
) -> None:
    add_policy(register, PUBLIC)
    out = tmp_path / "site"
    publish(open_register, out, BUILD_TIME)
    pid = _set(open_register, "c1", "withheld")
    assert (out / "en" / "memorial" / f"{pid}.html").is_file()
    publish(open_register, out, BUILD_TIME)
    assert not (out / "en" / "memorial" / f"{pid}.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "ws"]


def test_the_output_folder_is_checked(open_register: Workspace, tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    with pytest.raises(SiteBuildError) as caught:
        publish(open_register, busy, BUILD_TIME)
    assert str(caught.value) == (
        f"{busy.resolve()}: folder is not empty and holds no aban site; "
        "choose a new or empty folder"
    )
    assert (busy / "notes.txt").read_text() == "mine"
    inside = open_register.path / "site"
    with pytest.raises(SiteBuildError, match="must be outside the workspace"):
        publish(open_register, inside, BUILD_TIME)
    with pytest.raises(SiteBuildError, match="must be outside the workspace"):
        publish(open_register, tmp_path, BUILD_TIME)
    assert not inside.exists() and list_releases(open_register.conn) == []


def test_build_times() -> None:
    assert parse_build_time("2020-05-20T12:00:00Z") == "2020-05-20T12:00:00+00:00"
    assert parse_build_time("2020-05-20T15:30:00+03:30") == "2020-05-20T12:00:00+00:00"
    assert parse_build_time("2020-05-20") == "2020-05-20T00:00:00+00:00"
    with pytest.raises(SiteBuildError) as caught:
        parse_build_time("yesterday")
    assert str(caught.value) == (
        "the build time must be an ISO date-time such as 2020-05-20T12:00:00Z"
    )


def test_open_data_has_the_allowed_columns_only(
    open_register: Workspace, register: Path, tmp_path: Path
) -> None:
    add_policy(register, PUBLIC + 'fields = ["name", "age", "city", "grade"]\n')
    result = publish(open_register, tmp_path / "site", BUILD_TIME)
    raw = (tmp_path / "site" / "data" / "persons.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [
        "person_id",
        "named",
        "name",
        "name_fa",
        "name_transliterated",
        "age",
        "city",
        "city_fa",
        "grade",
    ]
    assert len(rows) == result.listed + 1
    pid = person_of(open_register, "c1")
    row = dict(zip(rows[0], next(r for r in rows if r[0] == pid), strict=True))
    assert row == {
        "person_id": pid,
        "named": "true",
        "name": "Parham Dehghanzadeh",
        "name_fa": "پرهام دهقان‌زاده",
        "name_transliterated": "latin",
        "age": "24",
        "city": "Tehran",
        "city_fa": "تهران",
        "grade": "single-source",
    }
    data = json.loads((tmp_path / "site" / "data" / "persons.json").read_text())
    assert data["columns"] == rows[0] and data["release"] == 1


def test_formulas_in_csv_cells_are_neutralised() -> None:
    from aban.site.opendata import csv_bytes

    rows = [{"a": "=HYPERLINK(1)", "b": "+1", "c": "-x", "d": "@y", "e": "ok"}]
    text = csv_bytes(rows, list("abcde")).decode("utf-8-sig")
    assert text.splitlines()[1] == "'=HYPERLINK(1),'+1,'-x,'@y,ok"


def test_portraits_are_reencoded_without_metadata(
    open_register: Workspace,
    register: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PIL import Image

    from aban.evidence import add_evidence

    add_policy(register, PUBLIC + "portraits = true\n")
    exif = Image.Exif()
    exif[0x010E] = "portrait description canary"  # ImageDescription
    path = tmp_path / "p.jpg"
    Image.new("RGB", (900, 1200), (10, 90, 160)).save(path, exif=exif)
    pid = person_of(open_register, "c2")
    add_evidence(open_register, path, kind="portrait", person=pid, publishable=True)
    unnamed = _set(open_register, "c4", "public-without-name")
    add_evidence(open_register, path, kind="portrait", person=unnamed, publishable=True)
    publish(open_register, tmp_path / "site", BUILD_TIME)
    portraits = sorted((tmp_path / "site" / "portraits").iterdir())
    assert [p.name for p in portraits] == [f"{pid}.jpg"]
    data = portraits[0].read_bytes()
    assert b"canary" not in data and b"Exif" not in data
    with Image.open(portraits[0]) as image:
        assert max(image.size) == 480 and not image.getexif()
    page = _soup(tmp_path / "site", f"en/memorial/{pid}.html")
    assert page.find("img")["src"] == f"../../portraits/{pid}.jpg"
    # Re-encoded once: the next publication reads the cached copy, byte for byte.
    cached = open_register.conn.execute("select jpeg from portrait_copies").fetchall()
    assert [bytes(c[0]) for c in cached] == [data]

    def no_reencoding(*_args: object, **_kwargs: object) -> bytes:
        raise AssertionError("a cached portrait was re-encoded")

    monkeypatch.setattr("aban.evidence.strip_metadata", no_reencoding)
    publish(open_register, tmp_path / "again", BUILD_TIME)
    assert (tmp_path / "again" / "portraits" / f"{pid}.jpg").read_bytes() == data


def test_tables_of_fields_the_policy_withholds_are_not_charted(
    open_register: Workspace, register: Path, tmp_path: Path
) -> None:
    add_policy(register, 'fields = ["name", "age", "grade"]\n')
    publish(open_register, tmp_path / "site", BUILD_TIME)
    report = _soup(tmp_path / "site", "en/report.html")
    assert [h.get("id") for h in report.find_all("h2")] == ["age"]
    assert report.find("svg", attrs={"aria-label": "By city"}) is None
    figures = json.loads((tmp_path / "site" / "data" / "figures.json").read_text())
    assert sorted(k for k in figures["analysis"] if k not in ("summary", "event")) == [
        "age-band",
    ]


def test_templates_can_be_overridden_file_by_file(
    open_register: Workspace, register: Path, tmp_path: Path
) -> None:
    add_policy(register, PUBLIC)
    custom = tmp_path / "templates"
    custom.mkdir()
    (custom / "person.html").write_text(
        "<article><h1>{{ v.name }}</h1><p>custom {{ pid }}</p></article>\n",
        encoding="utf-8",
    )
    publish(open_register, tmp_path / "site", BUILD_TIME, template_dir=custom)
    pid = person_of(open_register, "c2")
    page = _soup(tmp_path / "site", f"en/memorial/{pid}.html")
    assert page.find("p").get_text() == f"custom {pid}"
    assert page.title.get_text().startswith("Kourosh Farahmandpour · ")
    assert page.find("nav") is not None  # the frame is still the built-in one


def _uncertainty(out: Path, lang: str) -> str:
    return _soup(out, f"{lang}/index.html").get_text(" ")


def test_the_home_page_says_which_uncertainty_the_interval_carries(
    open_register: Workspace, tmp_path: Path
) -> None:
    publish(open_register, tmp_path / "plain", BUILD_TIME)
    en, fa = (
        _uncertainty(tmp_path / "plain", "en"),
        _uncertainty(tmp_path / "plain", "fa"),
    )
    assert "Its interval carries sampling uncertainty only" in en
    assert "تنها عدم قطعیت نمونه‌گیری" in fa
    assert "(linkage)" not in en
    # The latest estimate run drew clusterings: the interval carries linkage too.
    (settings, results) = open_register.conn.execute(
        "select settings, results from runs where kind = 'estimate' "
        "order by id desc limit 1"
    ).fetchone()
    drawn = {**json.loads(settings), "linkage_uncertainty": {"draws": 20}}
    with transaction(open_register.conn):
        open_register.conn.execute(
            "insert into runs (kind, started_at, finished_at, settings, counts, "
            "results) values ('estimate', 'x', 'x', ?, '{}', ?)",
            (json.dumps(drawn), results),
        )
    publish(open_register, tmp_path / "drawn", BUILD_TIME)
    en, fa = (
        _uncertainty(tmp_path / "drawn", "en"),
        _uncertainty(tmp_path / "drawn", "fa"),
    )
    assert "Its interval carries both sampling uncertainty and the uncertainty" in en
    assert "sampling uncertainty only" not in en
    assert "پیوند سوابق" in fa and "تنها عدم قطعیت" not in fa
    methodology = _soup(tmp_path / "drawn", "en/methodology.html").get_text(" ")
    assert "estimated on 20 clusterings of the records" in methodology
