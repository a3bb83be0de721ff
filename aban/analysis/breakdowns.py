"""Persons by place, age band, sex, injury location and alleged force.

Pure functions: analysis rows (:class:`~aban.analysis.victims.Victim`) in,
frozen tables out. Each table's rows add up to its total (unknowns have a row).

Alleged force: each person is counted once, under the forces its alleged-force
value names (keys of :data:`aban.text.FORCES`; several joined by ``;``, as
``irgc;basij``), under ``unrecognized`` when it names no known force, or as
unknown when there is none or it says "not known". The *mentions* count each
person under every force its value names, so a person naming several forces is
counted under each and the mentions add up to more than the persons.

Head and torso: the share of persons hit in the head or torso among those whose
injury location names one body region. Head and torso are the regions ``head``,
``neck``, ``chest``, ``torso``, ``abdomen`` and ``back`` of
:func:`aban.text.injuries.injury_region`; ``legs`` and ``arms`` are not, and
neither is ``multiple`` (several parts of the body, not saying which), which
stays in the denominator, so the share is a lower bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from aban.analysis.tables import Breakdown, Row, count_row, grades_of, tabulate
from aban.analysis.victims import FORCE_FIELD, Victim
from aban.errors import ConfigError
from aban.text.forces import FORCE_SEPARATOR, FORCES, known_forces, parse_forces
from aban.text.injuries import injury_region
from aban.vocab.traits import AGE_BANDS

#: Body regions of :func:`injury_region`, head to foot (the injury table's order).
REGIONS: tuple[str, ...] = (
    "head",
    "neck",
    "chest",
    "torso",
    "abdomen",
    "back",
    "arms",
    "legs",
    "multiple",
)
#: Regions counted as head or torso.
HEAD_TORSO: frozenset[str] = frozenset(
    {"head", "neck", "chest", "torso", "abdomen", "back"}
)
#: The row of injury locations that name no known region, or several, and of
#: alleged forces that name no known force.
UNRECOGNIZED = "unrecognized"
#: Lower bounds of the default age bands (0-17 children, 18-29, 30-44, 45+): the
#: bands of ``aban estimate --by age-band``.
DEFAULT_AGE_BOUNDS: tuple[int, ...] = tuple(low for low, _ in AGE_BANDS[1:])
FORCE_NOTES = (
    f"from {FORCE_FIELD}: a person naming several forces is counted once, under "
    "them all (irgc;basij: both named); unrecognized: text naming no known force",
    "mentions: persons whose alleged force names each force, alone or with "
    "others (they add up to more than the total when persons name several)",
    "circumstances are free text and are not read for a force",
)


def age_bands(bounds: Sequence[int] = DEFAULT_AGE_BOUNDS) -> tuple[str, ...]:
    """Band labels from the lower bounds of the bands after the first.

    Args:
        bounds: increasing whole numbers above 0, including 18 so that children
            (under 18) are a band of their own.

    Returns:
        Labels such as ``("0-17", "18-29", "30-44", "45+")``.

    Raises:
        ConfigError: the bounds are not increasing whole numbers above 0, or
            18 is not one of them.
    """
    ok = all(isinstance(b, int) and not isinstance(b, bool) for b in bounds)
    if not ok or list(bounds) != sorted(set(bounds)) or (bounds and bounds[0] < 1):
        raise ConfigError(
            "age bands must be increasing whole numbers above 0, such as [18, 30, 45]"
        )
    if 18 not in bounds:
        raise ConfigError("age bands must include 18, so that children are a band")
    lows = (0, *bounds)
    labels = [f"{low}-{high - 1}" for low, high in zip(lows, lows[1:], strict=False)]
    return (*labels, f"{lows[-1]}+")


def band_of(age: int | None, bounds: Sequence[int] = DEFAULT_AGE_BOUNDS) -> str | None:
    """The label of the band an age falls in, or None when the age is unknown."""
    return _band(age, bounds, age_bands(bounds))


def _band(age: int | None, bounds: Sequence[int], labels: Sequence[str]) -> str | None:
    if age is None or age < 0:
        return None
    return labels[sum(1 for b in bounds if age >= b)]


def by_province(victims: Sequence[Victim]) -> Breakdown:
    """Persons by province, most persons first."""
    return tabulate("province", victims, lambda v: v.province)


def by_city(victims: Sequence[Victim]) -> Breakdown:
    """Persons by city, most persons first."""
    return tabulate("city", victims, lambda v: v.city)


def by_age_band(
    victims: Sequence[Victim], bounds: Sequence[int] = DEFAULT_AGE_BOUNDS
) -> Breakdown:
    """Persons by age band; the first band (under 18) is the children."""
    labels = age_bands(bounds)
    note = f"children: the band {labels[0]} (under 18)"
    return tabulate(
        "age-band",
        victims,
        lambda v: _band(v.age, bounds, labels),
        labels,
        notes=[note],
    )


def by_sex(victims: Sequence[Victim]) -> Breakdown:
    """Persons by sex: female, male, then any other value as written."""
    return tabulate("sex", victims, lambda v: v.sex, ("female", "male"))


def _region(victim: Victim) -> str | None:
    if victim.injury_location is None:
        return None
    return injury_region(victim.injury_location) or UNRECOGNIZED


@dataclass(frozen=True)
class HeadTorso:
    """Persons hit in the head or torso among those with a known region.

    Attributes:
        counts: persons whose injury region is head or torso, by grade.
        known: counted persons whose injury location names one region.
    """

    counts: Row
    known: int

    @property
    def share(self) -> float | None:
        """``counts.total / known``, or None when no region is known."""
        return self.counts.total / self.known if self.known else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "regions": [r for r in REGIONS if r in HEAD_TORSO],
            **self.counts.to_dict(),
            "of_known": self.known,
            "share": self.share,
        }


@dataclass(frozen=True)
class InjuryBreakdown:
    """Persons by injury region, and the head-and-torso share."""

    table: Breakdown
    head_torso: HeadTorso

    @property
    def by(self) -> str:
        return self.table.by

    def to_dict(self) -> dict[str, Any]:
        return {**self.table.to_dict(), "head_torso": self.head_torso.to_dict()}


def by_injury(victims: Sequence[Victim]) -> InjuryBreakdown:
    """Persons by injury region (head to foot), unrecognized text, unknown."""
    note = (
        "head or torso: head, neck, chest, torso, abdomen, back; the share's "
        "denominator is the persons with one known region (multiple included)"
    )
    table = tabulate("injury", victims, _region, (*REGIONS, UNRECOGNIZED), notes=[note])
    hit = [v for v in victims if _region(v) in HEAD_TORSO]
    known = sum(r.total for r in table.rows if r.label in REGIONS)
    head_torso = HeadTorso(count_row("head or torso", hit, grades_of(victims)), known)
    return InjuryBreakdown(table, head_torso)


def force_label(victim: Victim) -> str | None:
    """A person's row in the force table: the known forces named, joined by
    ``;`` (``irgc;basij``), ``unrecognized`` for text naming none, else None."""
    if victim.force is None or not parse_forces(victim.force):
        return None
    return FORCE_SEPARATOR.join(known_forces(victim.force)) or UNRECOGNIZED


@dataclass(frozen=True)
class ForceBreakdown:
    """Persons by alleged force, and the persons naming each force.

    Attributes:
        table: each person once: single forces (in :data:`aban.text.FORCES`
            order), then combinations (most persons first), ``unrecognized``,
            and unknown.
        mentions: one row per force of :data:`aban.text.FORCES`: the persons
            whose value names it, alone or with others.
    """

    table: Breakdown
    mentions: tuple[Row, ...]

    @property
    def by(self) -> str:
        return self.table.by

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.table.to_dict(),
            "mentions": [r.to_dict() for r in self.mentions],
        }


def by_force(victims: Sequence[Victim]) -> ForceBreakdown:
    """Persons by the alleged force (or forces) their records name."""
    grades = grades_of(victims)
    table = tabulate("force", victims, force_label, FORCES, notes=FORCE_NOTES)
    *rows, unknown = table.rows
    found = [r for r in rows if r.label == UNRECOGNIZED]
    unrecognized = found[0] if found else count_row(UNRECOGNIZED, [], grades)
    rows = [r for r in rows if r.label != UNRECOGNIZED]
    table = replace(table, rows=(*rows, unrecognized, unknown))
    named = [(v, known_forces(v.force or "")) for v in victims]
    mentions = tuple(
        count_row(force, [v for v, forces in named if force in forces], grades)
        for force in FORCES
    )
    return ForceBreakdown(table, mentions)
