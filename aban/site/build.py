"""``aban publish``: a numbered release written as a static bilingual site.

:func:`publish` reads what the policy allows (:func:`~aban.site.collect.collect_site`),
records the release (a new number only when the content changed; each new
release freezes the register's figures for the claims ledger), and writes the
site with :func:`build_site`. The site is built in a staging folder beside
``OUT`` and moved into place at the end, so an earlier site is replaced whole
(no page of a person withheld since can survive) and a failed build leaves the
old site as it was. The same register and build time give byte-identical files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from aban.claims.ledger import Ledger, load_ledger
from aban.errors import SiteBuildError
from aban.grade.rules import load_rules
from aban.site.collect import SiteData, collect_site
from aban.site.consent import ConsentCounts
from aban.site.files import FileWriter
from aban.site.i18n import Locale
from aban.site.ledger import ledger_columns, release_rows
from aban.site.methodology import methodology_html
from aban.site.opendata import (
    csv_bytes,
    json_bytes,
    open_data_columns,
    open_data_rows,
    persons_json,
)
from aban.site.pages import Shared, write_language, write_persons
from aban.site.people import PublishedPerson
from aban.site.policy import PublicationPolicy, load_policy
from aban.site.releases import Release, list_releases, record_release
from aban.site.render import SiteInfo, Writer, environment
from aban.site.search import search_script
from aban.store.db import transaction
from aban.store.workspace import Workspace
from aban.text.i18n import LANGS

__all__ = ["MARKER", "Publication", "build_site", "parse_build_time", "publish"]

#: The file that marks a folder as an aban site (an old one may be replaced).
MARKER = ".aban-site"
_MARKER_TEXT = b"made by 'aban publish'; the whole folder is replaced on the next run\n"
_ASSETS = ("site.css", "names.js", "search.js")
#: Gives the JPEG to publish for a portrait's evidence id and the SHA-256 of its
#: publishable copy (re-encoded, no metadata).
Portraits = Callable[[str, str], bytes]
#: Called with (person pages written, person pages in all) while they are written.
Progress = Callable[[int, int], None]
#: A published portrait's longest side in pixels.
PORTRAIT_SIDE = 480
#: Person pages are shared among processes from this many persons on.
PARALLEL_FROM = 2_000


@dataclass(frozen=True)
class Publication:
    """What :func:`publish` did (counts only: no personal data).

    Attributes:
        out: the site's folder.
        release: the release built (``release.new``: recorded by this run).
        listed: persons listed in the memorial.
        files: files written.
        consent: how many persons are shown with and without names, and why.
    """

    out: Path
    release: Release
    listed: int
    files: int
    consent: ConsentCounts = field(default_factory=ConsentCounts)

    @property
    def entry(self) -> Path:
        """The page to open first."""
        return self.out / "index.html"

    def to_dict(self) -> dict[str, Any]:
        return {
            "out": str(self.out),
            "entry": str(self.entry),
            "release": self.release.number,
            "new_release": self.release.new,
            "published_at": self.release.published_at,
            "listed": self.listed,
            "files": self.files,
            "head": self.release.head,
            "consent": self.consent.to_dict(),
        }


def parse_build_time(text: str | None) -> str:
    """A build time as UTC ISO 8601 (``2020-05-20T12:00:00+00:00``); now for None.

    Raises:
        SiteBuildError: not an ISO date or date-time.
    """
    if text is None:
        moment = dt.datetime.now(dt.UTC)
    else:
        try:
            moment = dt.datetime.fromisoformat(text.strip())
        except ValueError as err:
            raise SiteBuildError(
                "the build time must be an ISO date-time such as 2020-05-20T12:00:00Z"
            ) from err
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _titles(data: SiteData) -> dict[str, str]:
    event = data.analysis.get("event") or {}
    en = data.policy.title or str(event.get("name") or "Register of victims")
    fa = data.policy.title or str(event.get("name_fa") or "یادبود و گزارش قربانیان")
    return {"en": en, "fa": fa}


def _write_data(writer: Writer, data: SiteData, shared: Shared) -> None:
    columns = open_data_columns(data.policy)
    rows = open_data_rows(data.persons, columns)
    release = writer.site.release
    writer.write("data/persons.csv", csv_bytes(rows, columns))
    head = {"release": release.number, "published_at": release.published_at}
    writer.write("data/persons.json", persons_json({**head, "columns": columns}, rows))
    figures = {
        **head,
        "build_time": writer.site.build_time,
        "headline": data.headline,
        "estimate": data.estimate,
        "analysis": data.analysis,
        "claims": list(data.claims),
        "policy": data.policy.to_dict(),
        "releases": [dict(r) for r in shared.releases],
    }
    writer.write("data/figures.json", json_bytes(figures))
    writer.write("data/search-index.js", search_script(data.persons))


def _write_static(writer: Writer) -> None:
    static = resources.files("aban.site").joinpath("static")
    for name in _ASSETS:
        writer.write(f"assets/{name}", static.joinpath(name).read_bytes())
    writer.write(MARKER, _MARKER_TEXT)


def build_site(
    out: Path,
    data: SiteData,
    release: Release,
    releases: Sequence[Release],
    ledger: Ledger,
    build_time: str,
    template_dir: Path | None = None,
    portraits: Portraits | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the whole site into the empty folder ``out``; return the file count.

    Args:
        out: an empty folder.
        data: what the site publishes.
        release: the release being built.
        releases: every release up to this one, oldest first.
        ledger: the claims ledger.
        build_time: UTC ISO 8601.
        template_dir: templates that override the package's, file by file.
        portraits: gives the JPEG to publish for an evidence id and the
            SHA-256 of its copy (called for the portraits in ``data.portraits``,
            with ``data.portrait_digests``); None publishes none.
        workers: processes writing the person pages: 1, or 2 for one per
            language (default: :func:`default_workers`); the files are the same.
        progress: told how many person pages are written (with two
            processes, this process's count for both: the other writes as fast).
    """
    site = SiteInfo(_titles(data), release, build_time, data.policy.contact)
    shared = Shared(
        data,
        tuple(ledger_columns(ledger, releases)),
        tuple(release_rows(releases)),
        {
            "en": methodology_html(data.methodology),
            "fa": methodology_html(data.methodology_fa or data.methodology),
        },
    )
    with FileWriter(out) as files:
        writer = Writer(files, environment(template_dir), site)
        _write_all(
            writer, data, shared, portraits, workers or default_workers(), progress
        )
    return files.count


def default_workers() -> int:
    """Processes that write person pages: one per language when there are two
    cores or more, else one."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return min(cores, len(LANGS))


def _person_pages(
    writer: Writer,
    persons: Sequence[PublishedPerson],
    workers: int,
    progress: Progress | None = None,
) -> None:
    """Every person's page in both languages; with two workers, one process per
    language.

    Rendering a page is Python work that holds the GIL, so threads would not
    help; a forked process shares what was collected (copy on write) and writes
    the other language's pages. Each language has its own folder: two processes
    creating files in one folder take turns at its lock (measured: twice the
    system time). A page does not depend on which process wrote it. Without
    ``fork`` (not Linux), one process does it all.
    """
    locales = [Locale(lang) for lang in LANGS]
    for loc in locales:  # rendered once, before the fork
        writer.frame(loc, 1, "memorial")
    writer.template("person.html")
    total = len(locales) * len(persons)
    if workers <= 1 or len(persons) < PARALLEL_FROM or sys.platform != "linux":
        for i, loc in enumerate(locales):
            before = i * len(persons)
            write_persons(writer, loc, persons, _report(progress, before, total))
        return
    mine, *theirs = locales
    fork = multiprocessing.get_context("fork")
    children = [
        fork.Process(
            target=_write_language_pages, args=(writer, loc, persons), daemon=True
        )
        for loc in theirs
    ]
    for child in children:
        child.start()
    try:
        write_persons(writer, mine, persons, _report(progress, 0, total, len(locales)))
    finally:
        for child in children:
            child.join()
    if any(child.exitcode != 0 for child in children):
        raise SiteBuildError("a process writing person pages failed")
    # The children counted their files in their own memory.
    writer.files.count += len(theirs) * len(persons)


def _report(
    progress: Progress | None, before: int, total: int, scale: int = 1
) -> Callable[[int], None] | None:
    """A page counter for :func:`write_persons` that tells ``progress``."""
    if progress is None:
        return None
    return lambda done: progress(before + scale * done, total)


def _write_language_pages(
    writer: Writer, loc: Locale, persons: Sequence[PublishedPerson]
) -> None:
    """A forked process's person pages; exits 1, silently, on error (a
    traceback on stderr could carry a value of the register)."""
    try:
        write_persons(writer, loc, persons)
    except BaseException:
        os._exit(1)


def _write_all(
    writer: Writer,
    data: SiteData,
    shared: Shared,
    portraits: Portraits | None,
    workers: int,
    progress: Progress | None = None,
) -> None:
    for lang in LANGS:
        write_language(writer, Locale(lang), shared)
    _person_pages(writer, data.persons, workers, progress)
    landing = writer.template("landing.html").render(site=writer.site)
    writer.write("index.html", landing.encode("utf-8"))
    _write_data(writer, data, shared)
    if portraits is not None:
        for pid, evidence_id in sorted(data.portraits.items()):
            jpeg = portraits(evidence_id, data.portrait_digests[pid])
            writer.write(f"portraits/{pid}.jpg", jpeg)
    _write_static(writer)


def _check_out(out: Path, workspace: Path) -> None:
    out, workspace = out.resolve(), workspace.resolve()
    if (
        out == workspace
        or workspace.is_relative_to(out)
        or out.is_relative_to(workspace)
    ):
        raise SiteBuildError(
            f"{out}: the site must be outside the workspace folder; choose another"
        )
    if out.exists() and not out.is_dir():
        raise SiteBuildError(f"{out}: not a folder; choose a new or empty folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise SiteBuildError(
            f"{out}: folder is not empty and holds no aban site; choose a new or "
            "empty folder"
        )


def _replace(staging: Path, out: Path) -> None:
    """Move the new site into place; remove the old one (marked as a site)."""
    if out.is_dir():
        old = out.with_name(f".{out.name}.old-{staging.name}")
        out.rename(old)
        staging.rename(out)
        shutil.rmtree(old)
    else:
        staging.rename(out)


def publish(
    ws: Workspace,
    out: Path,
    build_time: str | None = None,
    policy: PublicationPolicy | None = None,
    template_dir: Path | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Publication:
    """Publish the register as a numbered release: a static bilingual site in ``out``.

    Args:
        ws: an open workspace.
        out: the site's folder: new, empty, or an earlier aban site (replaced).
        build_time: the build time (ISO 8601; now when None); tests pass one so
            that the same register gives byte-identical files.
        policy: the publication policy (the workspace's ``[publication]``
            when None).
        template_dir: templates overriding the package's.
        workers: processes writing the person pages: 1, or 2 for one per
            language (default: 2 on two cores or more).
        progress: told how many person pages are written, of how many.

    Returns:
        Where the site is and which release it is.

    Raises:
        ConfigError: the policy or another table of aban.toml is invalid.
        SiteBuildError: ``out`` is unusable, or the build time is invalid.
    """
    when = parse_build_time(build_time)
    _check_out(out, ws.path)
    policy = policy or load_policy(ws.path)
    rules = load_rules(ws.path)
    data = collect_site(ws, policy, rules)
    release = record_release(ws, data.digest(), data.figures(), policy.to_dict(), when)
    ledger = dataclasses.replace(load_ledger(ws.conn, rules), as_of=when)
    releases = [r for r in list_releases(ws.conn) if r.number <= release.number]
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))
    try:
        files = build_site(
            staging,
            data,
            release,
            releases,
            ledger,
            when,
            template_dir,
            _portrait_reader(ws),
            workers,
            progress,
        )
        staging.chmod(0o755)
        _replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Publication(out, release, len(data.persons), files, data.consent)


def _portrait_reader(ws: Workspace) -> Portraits:
    """Reads a publishable portrait copy (by evidence id), shrunk for the web.

    Each portrait is re-encoded once: the result is cached in the register
    (``portrait_copies``, keyed by the SHA-256 of the copy it was made from), and
    later publications read it from there.
    """
    from aban.evidence import publishable_copy, strip_metadata

    def read(evidence_id: str, copy_sha256: str) -> bytes:
        key = (int(evidence_id[1:]), copy_sha256, PORTRAIT_SIDE)
        cached = ws.conn.execute(
            "select jpeg from portrait_copies where evidence_id = ? "
            "and copy_sha256 = ? and max_side = ?",
            key,
        ).fetchone()
        if cached is not None:
            return bytes(cached[0])
        jpeg = strip_metadata(publishable_copy(ws, evidence_id), max_side=PORTRAIT_SIDE)
        with transaction(ws.conn):
            ws.conn.execute(
                "insert or replace into portrait_copies values (?, ?, ?, ?)",
                (*key, jpeg),
            )
        return jpeg

    return read
