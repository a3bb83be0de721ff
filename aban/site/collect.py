"""What a publication shows, read from the register in one pass (reads only).

:func:`collect_site` reads every person once. When the toll counts them and the
policy names their grade, they are counted in the report's figures, by vocabulary
values only and with no small count (:mod:`aban.site.figures`); when their consent
allows it too, they are listed, built from the policy's allow-list
(:mod:`aban.site.people`). Beside them: the headline figures
(:func:`aban.grade.headline`), the latest estimate, the claims, the event and the
methodology. :meth:`SiteData.digest` is a SHA-256 of all of it, so a release is
numbered again only when what it publishes changes.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from aban.analysis.workspace import load_age_bounds
from aban.claims.figures import latest_estimate
from aban.claims.importer import stored_claims
from aban.event import load_event
from aban.grade.headline import headline
from aban.grade.methodology import ESTIMATION_KEYS as METHOD_KEYS
from aban.grade.methodology import methodology
from aban.grade.methodology_fa import methodology_fa
from aban.grade.rules import GradingRules
from aban.grade.scope import counted_persons
from aban.site.consent import ConsentCounts, count_consent
from aban.site.figures import published_figures
from aban.site.people import WRITTEN_FIELDS, PersonRow, PublishedPerson, listed_persons
from aban.site.policy import PublicationPolicy
from aban.site.stories import read_stories
from aban.store.db import Connection
from aban.store.rows import persons_where
from aban.store.workspace import Workspace

__all__ = ["SiteData", "collect_site"]

#: Settings of an estimate run that the methodology may state (never its lists,
#: whose names are sources' names).
ESTIMATION_KEYS = ("model", "by", *METHOD_KEYS, "linkage_uncertainty")
_ESTIMATE_KEYS = (
    "estimate",
    "lower",
    "upper",
    "observed",
    "model",
    "by",
    "interval",
    "stale",
    "finished_at",
)


def _canonical_json(value: Any) -> bytes:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")


@dataclass(frozen=True)
class SiteData:
    """Everything a publication shows, before any page is written.

    Attributes:
        policy: the publication policy.
        persons: the listed persons, by person id.
        headline: the headline figures (``Headline.to_dict()``).
        analysis: the analysis of the killed persons the publication counts
            (:func:`aban.site.figures.published_figures`).
        estimate: the latest estimate's published figures, or None.
        methodology: the methodology as Markdown.
        claims: the published claims (``Claim.to_dict()``).
        portraits: person id to the evidence id of the portrait to publish.
        portrait_digests: person id to the SHA-256 of that portrait's copy.
        methodology_fa: the methodology in Persian, as Markdown.
        consent: how many persons are shown with and without names, and why
            (:class:`aban.site.consent.ConsentCounts`; counts only).
    """

    policy: PublicationPolicy
    persons: tuple[PublishedPerson, ...]
    headline: dict[str, Any]
    analysis: dict[str, Any]
    estimate: dict[str, Any] | None
    methodology: str
    claims: tuple[dict[str, Any], ...]
    portraits: dict[str, str]
    portrait_digests: dict[str, str]
    methodology_fa: str = ""
    consent: ConsentCounts = field(default_factory=ConsentCounts)

    def content(self) -> dict[str, Any]:
        """What the site publishes besides the persons, JSON-ready (no release,
        no build time)."""
        return {
            "policy": self.policy.to_dict(),
            "headline": self.headline,
            "analysis": self.analysis,
            "estimate": self.estimate,
            "methodology": self.methodology,
            "methodology_fa": self.methodology_fa,
            "claims": list(self.claims),
            "portraits": dict(sorted(self.portrait_digests.items())),
        }

    def digest(self) -> str:
        """SHA-256 of :meth:`content` and every listed person, as canonical JSON.

        Persons are hashed one by one (not as one document), so that a large
        register is never held twice in memory as text.
        """
        digest = hashlib.sha256(_canonical_json(self.content()))
        for person in self.persons:
            digest.update(b"\n" + _canonical_json(person.to_dict()))
        return digest.hexdigest()

    def figures(self) -> dict[str, Any]:
        """The counts a release records (no personal data)."""
        levels = self.headline["by_identification"]
        return {
            "listed": len(self.persons),
            "minimum": self.headline["minimum"],
            "upper": self.headline["upper"],
            "by_grade": dict(self.headline["grades"]),
            "by_identification": {
                level: {"minimum": row["minimum"], "upper": row["upper"]}
                for level, row in levels.items()
            },
            "estimate": None
            if self.estimate is None
            else {k: self.estimate[k] for k in ("estimate", "lower", "upper", "model")},
        }


def _estimate(conn: Connection) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The latest estimate's figures and its run's publishable settings."""
    found = latest_estimate(conn)
    if found is None:
        return None, None
    figures = {k: v for k, v in found.to_dict().items() if k in _ESTIMATE_KEYS}
    row = conn.execute(
        "select settings from runs where id = ?", (found.run_id,)
    ).fetchone()
    settings = json.loads(row[0]) if row else {}
    shown = {k: settings[k] for k in ESTIMATION_KEYS if settings.get(k) is not None}
    shown.setdefault("model", found.model)
    # Which uncertainty the published interval carries (the home page says so).
    drawn = settings.get("linkage_uncertainty")
    figures["uncertainty"] = "sampling-linkage" if drawn else "sampling"
    return figures, shown


def _portraits(
    conn: Connection, persons: tuple[PublishedPerson, ...]
) -> dict[str, str]:
    """Person id to the evidence id of its portrait, for persons that may show one."""
    wanted = {p.person_id for p in persons if p.consent == "public"}
    rows = conn.execute(
        "select p.person_id, min(e.id) from evidence e "
        "join evidence_derivatives d on d.evidence_id = e.id "
        "join evidence_links l on l.evidence_id = e.id "
        "left join person_records pr on pr.record_id = l.record_id "
        "join persons p on p.id = coalesce(l.person_id, pr.person_id) "
        "where e.publishable = 1 and e.kind = 'portrait' group by p.person_id"
    )
    return {pid: f"E{int(eid):06d}" for pid, eid in rows if pid in wanted}


def _digests(conn: Connection, portraits: dict[str, str]) -> dict[str, str]:
    found = {}
    for pid, eid in portraits.items():
        row = conn.execute(
            "select sha256 from evidence_derivatives where evidence_id = ?",
            (int(eid[1:]),),
        ).fetchone()
        found[pid] = str(row[0]) if row else ""
    return found


#: Canonical values the analysis needs (every person, every grade).
ANALYSIS_FIELDS = (
    "status",
    "date_of_death",
    "province",
    "city",
    "age",
    "birth_date",
    "sex",
    "injury_location",
)
_NAME_PATHS = {
    "name": ("full_name", "given_name", "family_name"),
    "father_name": ("father_name",),
}
_SCRIPTS = ("latin", "persian", "mixed")


#: Fields that may be published as a source wrote them: their source is read too
#: (a protected source's text is never published).
_WRITTEN = ("city", "province", *WRITTEN_FIELDS)
#: A canonical value read: (kind, field, script, key), key ``value`` or ``source``.
Path = tuple[str, str, str, str]


def canonical_paths(policy: PublicationPolicy) -> list[Path]:
    """The canonical values read for ``policy``: ``(kind, field, script, key)``.

    Only these values are read from ``persons.canonical`` (by SQLite's
    ``json_extract``): the analysis fields, the names when the policy allows
    them, and the other allowed fields; never a field the policy does not name.
    Of provenance, only the source of a value that may be published as written
    (a place, the cause, the occupation, the story), to keep a protected
    source's text out; never record ids.
    """
    wanted = list(ANALYSIS_FIELDS)
    wanted += [f for f in policy.fields if f not in wanted and f not in _NAME_PATHS]
    if policy.story:
        wanted.append(policy.story)
    fields = [f for f in wanted if f not in ("identification", "grade")]
    paths = [("fields", f, "", "value") for f in fields]
    written = (*_WRITTEN, policy.story)
    paths += [("fields", f, "", "source") for f in fields if f in written]
    for allowed, names in _NAME_PATHS.items():
        if policy.allows(allowed):
            paths += [("names", f, s, "value") for f in names for s in _SCRIPTS]
    return paths


def _json_path(kind: str, name: str, script: str, key: str) -> str:
    return f"$.{kind}.{name}.{script}.{key}" if script else f"$.{kind}.{name}.{key}"


def _canonical(paths: list[Path], values: tuple[Any, ...]) -> Any:
    """The extracted values in the shape of ``persons.canonical``."""
    fields: dict[str, Any] = {}
    names: dict[str, Any] = {}
    for (_, name, script, key), value in zip(paths, values, strict=True):
        if value is not None:
            if script:
                names.setdefault(name, {}).setdefault(script, {})[key] = value
            else:
                fields.setdefault(name, {})[key] = value
    return {"fields": fields, "names": names}


def _protected_sources(conn: Connection) -> frozenset[str]:
    """The names of the protected sources."""
    rows = conn.execute("select name from sources where protected = 1")
    return frozenset(str(name) for (name,) in rows)


def _read_persons(conn: Connection, policy: PublicationPolicy) -> list[PersonRow]:
    """Every person with the canonical values :func:`canonical_paths` names."""
    paths = canonical_paths(policy)
    extract = {f"value{n}": _json_path(*path) for n, path in enumerate(paths)}
    persons = persons_where(
        conn,
        select=("id", "person_id", "identification", "grade", "consent"),
        canonical_paths=extract,
    )
    return [
        (
            int(p["id"]),
            str(p["person_id"]),
            _canonical(paths, tuple(p[name] for name in extract)),
            str(p["identification"]),
            str(p["grade"]),
            p["consent"],
        )
        for p in persons
    ]


def _consent(
    rows: list[PersonRow],
    counted: set[int],
    policy: PublicationPolicy,
    persons: tuple[PublishedPerson, ...],
) -> ConsentCounts:
    """How the counted persons of the listed grades are shown, and why."""
    shown = {p.person_id: p.unnamed for p in persons}
    return count_consent(
        (
            (recorded, pid in shown, shown.get(pid, ""))
            for row_id, pid, _, _, grade, recorded in rows
            if row_id in counted and grade in policy.grades
        ),
        policy,
    )


def collect_site(
    ws: Workspace, policy: PublicationPolicy, rules: GradingRules
) -> SiteData:
    """Read what a publication shows from an open workspace (reads only).

    Raises:
        ConfigError: ``[event]`` or ``[analysis]`` of aban.toml is invalid.
    """
    rows = _read_persons(ws.conn, policy)
    counted = counted_persons(ws.conn, rules)
    protected = _protected_sources(ws.conn)
    persons = tuple(listed_persons(rows, counted, policy, protected))
    consent = _consent(rows, counted, policy, persons)
    event, bounds = load_event(ws.path), load_age_bounds(ws.path)
    analysis = published_figures(rows, counted, policy, event, bounds)
    scoped = ((r[4], r[3], r[0] in counted or r[4] == "discounted") for r in rows)
    estimate, settings = _estimate(ws.conn)
    portraits = _portraits(ws.conn, persons) if policy.portraits else {}
    persons = tuple(
        p if p.person_id not in portraits else _with_portrait(p) for p in persons
    )
    persons = _told(ws.conn, policy, persons)
    return SiteData(
        policy=policy,
        persons=persons,
        headline=headline(scoped, rules).to_dict(),
        analysis=analysis,
        estimate=estimate,
        methodology=methodology(rules, settings),
        methodology_fa=methodology_fa(rules, settings),
        claims=tuple(c.to_dict() for c in stored_claims(ws.conn)),
        portraits=portraits,
        portrait_digests=_digests(ws.conn, portraits),
        consent=consent,
    )


_SOURCES = re.compile(r"(\d+) independent source")


def _documented(conn: Connection) -> dict[str, dict[str, Any]]:
    """Person id to how it was documented: the grade's basis (``evidence``,
    ``primary``, ``independent``, ...) and its number of independent sources,
    read from the reason grading stored (no source is named)."""
    found = {}
    for pid, reason in conn.execute("select person_id, grade_reason from persons"):
        if not reason:
            continue
        head, _, text = str(reason).partition(": ")
        basis = head.partition("/")[2]
        number = _SOURCES.search(text)
        found[str(pid)] = {
            "basis": basis,
            "sources": int(number[1]) if number else None,
        }
    return found


def _told(
    conn: Connection, policy: PublicationPolicy, persons: tuple[PublishedPerson, ...]
) -> tuple[PublishedPerson, ...]:
    """The persons with how they were documented (when the grade is published)
    and the story the team wrote (``public`` consent, ``stories`` on)."""
    documented = _documented(conn) if policy.allows("grade") else {}
    wanted = [p.person_id for p in persons if p.consent == "public"]
    stories = read_stories(conn, wanted) if policy.stories and wanted else {}
    if not documented and not stories:
        return persons
    empty: dict[str, Any] = {}
    return tuple(
        replace(
            p,
            documented=documented.get(p.person_id, empty),
            told=stories[p.person_id].to_dict() if p.person_id in stories else empty,
        )
        for p in persons
    )


def _with_portrait(person: PublishedPerson) -> PublishedPerson:
    return replace(person, portrait=f"{person.person_id}.jpg")
