"""Choosing the pairs a reviewer should see, and explaining one pair field by field.

Pure functions over the scored pairs of a link run (``LinkResult.pairs``) and the
records' values; nothing here imports Splink or touches the register.

The *uncertain band* is the pairs whose match probability lies between ``low`` and
``high`` (0.2 and 0.9 by default): above it the model is sure enough to link, below
it sure enough not to. The band is ordered by closeness to 0.5, where a reviewer's
decision changes the most, so the most useful pairs come first.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from aban.linkage.comparisons import AFFIX_LABEL, ONE_NAME_LABEL
from aban.linkage.learning import LABEL as LEARNED_LABEL
from aban.text.keys import name_form, skeleton, split_full_name
from aban.text.spellings import SpellingTable
from aban.vocab.columns import DESCRIPTOR_COLUMNS, NAME_COLUMNS, PROTECTED_COLUMNS

LOW = 0.2
HIGH = 0.9
#: Fields a reviewer sees, in order. Protected fields (informant, contact, private
#: notes) are never among them.
REVIEW_FIELDS = NAME_COLUMNS + DESCRIPTOR_COLUMNS
PROTECTED_FIELDS = frozenset(PROTECTED_COLUMNS)
_BASE_COLUMNS = frozenset({"key_l", "key_r", "match_probability", "match_weight"})


@dataclass(frozen=True)
class Comparison:
    """One comparison of a scored pair: its agreement level and match weight."""

    name: str
    level: str | None
    weight: float | None


@dataclass(frozen=True)
class ScoredPair:
    """Two records (by key) the model scored, with the comparisons behind the score."""

    key_a: str
    key_b: str
    probability: float
    weight: float | None
    comparisons: tuple[Comparison, ...] = ()

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.key_a, self.key_b))


@dataclass(frozen=True)
class FieldRow:
    """One line of a pair shown side by side; ``detail`` explains the level."""

    field: str
    value_a: str
    value_b: str
    level: str | None
    weight: float | None
    detail: str = ""


#: What the learned level means, before the letters that made the pair reach it.
LEARNED_DETAIL = "spellings that differ in ways seen in confident matches"
#: What the level of a one-name record against the other's family name means.
ONE_NAME_DETAIL = (
    "one record gives one name only, the other's family name (or one letter off "
    "from five letters): weighed as a family name, by how common it is; the "
    "given names are not compared"
)
#: What the level of one stem with another prefix or suffix means.
AFFIX_DETAIL = (
    "one stem with another prefix or suffix (-pour and -kar, Mir- and Pour-): "
    "usually two family names, not a slip of the pen, though only a letter or "
    "two apart without their vowels"
)


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def comparison_columns(columns: Iterable[str]) -> dict[str, tuple[str | None, str]]:
    """Find the per-comparison columns of a pairs table.

    A comparison ``NAME`` has its match weight (log2 Bayes factor) in
    ``NAME_weight`` and the label of its agreement level in ``NAME_level``.

    Returns:
        ``{name: (level column or None, weight column)}``, in column order.
    """
    present = list(columns)
    found: dict[str, tuple[str | None, str]] = {}
    for column in present:
        if column in _BASE_COLUMNS or not column.endswith("_weight"):
            continue
        name = column.removesuffix("_weight")
        level = f"{name}_level"
        found[name] = (level if level in present else None, column)
    return found


def _comparisons(
    row: Mapping[str, Any], columns: Mapping[str, tuple[str | None, str]]
) -> tuple[Comparison, ...]:
    out = []
    for name, (level_column, weight_column) in columns.items():
        weight = _number(row.get(weight_column))
        level = _text(row.get(level_column)) if level_column else None
        out.append(Comparison(name, level, weight))
    return tuple(out)


def scored_pairs(pairs: pd.DataFrame) -> list[ScoredPair]:
    """Read a link run's pairs table into :class:`ScoredPair` objects.

    Args:
        pairs: ``LinkResult.pairs``: ``key_l``, ``key_r``, ``match_probability``,
            ``match_weight`` and per-comparison columns (see
            :func:`comparison_columns`).
    """
    columns = comparison_columns(pairs.columns)
    found = []
    for row in pairs.to_dict("records"):
        probability = _number(row["match_probability"])
        if probability is None:
            continue
        found.append(
            ScoredPair(
                str(row["key_l"]),
                str(row["key_r"]),
                probability,
                _number(row.get("match_weight")),
                _comparisons(row, columns),
            )
        )
    return found


def uncertain_band(
    pairs: Iterable[ScoredPair],
    *,
    low: float = LOW,
    high: float = HIGH,
    decided: Collection[frozenset[str]] = (),
) -> list[ScoredPair]:
    """The pairs a reviewer should decide, most uncertain first.

    Args:
        pairs: scored pairs of the last link run.
        low: lowest match probability in the band (inclusive).
        high: highest match probability in the band (inclusive).
        decided: pairs (as key sets) that already have a decision; left out.

    Returns:
        The pairs in the band without a decision, ordered by ``|p - 0.5|``, then
        by keys (so the order is stable).
    """
    chosen = [
        p for p in pairs if low <= p.probability <= high and p.pair not in decided
    ]
    # Rounded, so that 0.45 and 0.55 tie and the keys decide, not float noise.
    return sorted(
        chosen,
        key=lambda p: (round(abs(p.probability - 0.5), 9), min(p.pair), max(p.pair)),
    )


_ALIASES = {
    "dod": "date_of_death",
    "dob": "birth_date",
    "place": "city",
    "injury": "injury_location",
}


def _field_of(name: str) -> str | None:
    """The record field a comparison scores (``given`` and ``given_sk``: given_name)."""
    if name in REVIEW_FIELDS:
        return name
    stem = name.split("_")[0]
    if stem in _ALIASES:
        return _ALIASES[stem]
    for field in REVIEW_FIELDS:
        if stem == field.removesuffix("_name"):
            return field
    return None


def _shown(value: Any) -> str:
    text = _text(value)
    return "" if text is None else text


def _name_skeleton(record: Mapping[str, Any], field: str) -> str:
    """The skeleton of a name field as linkage read it (from the full name when
    the given and family names are empty)."""
    raw = _shown(record.get(field))
    if not raw and field in ("given_name", "family_name"):
        given, family = split_full_name(_shown(record.get("full_name")))
        return skeleton(given if field == "given_name" else family)
    return skeleton(name_form(raw, family=field == "family_name"))


def _detail(
    field: str,
    level: str | None,
    record_a: Mapping[str, Any],
    record_b: Mapping[str, Any],
    spellings: SpellingTable | None,
) -> str:
    if level == ONE_NAME_LABEL:
        return ONE_NAME_DETAIL
    if level == AFFIX_LABEL:
        return AFFIX_DETAIL
    if level != LEARNED_LABEL:
        return ""
    found = (
        spellings.explain(
            _name_skeleton(record_a, field), _name_skeleton(record_b, field)
        )
        if spellings
        else []
    )
    return f"{LEARNED_DETAIL}: {', '.join(found)}" if found else LEARNED_DETAIL


def explain_pair(
    pair: ScoredPair,
    record_a: Mapping[str, Any],
    record_b: Mapping[str, Any],
    spellings: SpellingTable | None = None,
) -> list[FieldRow]:
    """The pair side by side: each field's values and the comparison that scored it.

    Args:
        pair: the scored pair.
        record_a: the values of ``pair.key_a`` (records-format fields).
        record_b: the values of ``pair.key_b``.
        spellings: the spellings the link run learned; a name at the learned
            level is explained by the learned letters that tell its spellings
            apart (``g/gh/q``).

    Returns:
        One row per field that either record gives or a comparison scored, in
        :data:`REVIEW_FIELDS` order, then comparisons that name no single field
        (with empty values). Protected fields are never included.
    """
    by_field: dict[str, Comparison] = {}
    extra: list[Comparison] = []
    for comparison in pair.comparisons:
        field = _field_of(comparison.name)
        if field is None or field in by_field:
            extra.append(comparison)
        else:
            by_field[field] = comparison
    rows = []
    for field in REVIEW_FIELDS:
        a, b = _shown(record_a.get(field)), _shown(record_b.get(field))
        scored = by_field.get(field)
        if a or b or scored:
            level = scored.level if scored else None
            weight = scored.weight if scored else None
            detail = _detail(field, level, record_a, record_b, spellings)
            rows.append(FieldRow(field, a, b, level, weight, detail))
    rows.extend(FieldRow(c.name, "", "", c.level, c.weight) for c in extra)
    return rows
