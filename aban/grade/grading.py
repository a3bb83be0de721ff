"""A person's verification grade, from its records, their sources and its evidence.

Pure: no register access. The first rule that applies gives the grade:

1. **discounted**: a reviewer's decision holds every record of the person
   (see :mod:`aban.grade.decisions`);
2. **contested**: two records from different sources disagree on what
   ``contest_on`` names (see :func:`find_disputes`);
3. **confirmed**: evidence of one of ``evidence_kinds`` is linked to the person
   or one of its records; or the person has at least ``independent_sources``
   independent sources, one of them primary (a kind in ``primary_kinds``);
4. **corroborated**: at least ``independent_sources`` independent sources;
5. **single-source**: anything else.

Sources are counted by independence group: two sources of one group are one
source, a source without a group is its own. Sources rated worse than
``min_reliability`` are not counted at all.

The reason stored with a grade starts with a machine-readable ``grade/basis``
(``confirmed/evidence``, ``contested/status+cause``, ``discounted/duplicate``,
...), then a short text for people. It holds counts, kinds and closed-vocabulary
values (status, sex) only, never names, places or free text.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aban.grade.decisions import Decision
from aban.grade.rules import GradingRules
from aban.text import script_of
from aban.text.vocab import is_unknown, vocabulary_key
from aban.vocab.grades import Grade
from aban.vocab.sources import UNRATED, Source, reliability_rank

#: Fields whose values come from a closed vocabulary, so a reason may show them.
_SHOWN = ("status", "sex")


@dataclass(frozen=True)
class Account:
    """One value of a disputed field, with the sources and records that give it."""

    value: Any
    sources: tuple[str, ...]
    records: tuple[tuple[str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "sources": list(self.sources),
            "records": [list(r) for r in self.records],
        }


@dataclass(frozen=True)
class Dispute:
    """Sources that disagree on one field of a person."""

    kind: str
    field: str
    accounts: tuple[Account, ...]

    def summary(self) -> str:
        """Which accounts disagree, by source counts (values of closed fields)."""

        def sources(account: Account) -> str:
            n = len(account.sources)
            return f"{n} source" + ("" if n == 1 else "s")

        if self.field in _SHOWN:
            parts = [f"{a.value} ({sources(a)})" for a in self.accounts]
            return f"{self.field} " + " vs ".join(parts)
        counts = ", ".join(sources(a) for a in self.accounts)
        return f"{self.field}: {len(self.accounts)} accounts ({counts})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "field": self.field,
            "accounts": [a.to_dict() for a in self.accounts],
        }


@dataclass(frozen=True)
class PersonFacts:
    """Everything grading reads about one person.

    Attributes:
        person_id: the person id (``P000123``).
        records: the person's records, each with ``source`` (its name),
            ``record_id`` and records-format fields (``*_norm`` forms optional).
        evidence_kinds: kinds of the evidence linked to the person or its records.
        decision: the reviewer's discount that holds all its records, if any.
        lapsed: ids of discount decisions that hold only some of its records.
    """

    person_id: str
    records: tuple[Mapping[str, Any], ...]
    evidence_kinds: tuple[str, ...] = ()
    decision: Decision | None = None
    lapsed: tuple[int, ...] = ()


@dataclass(frozen=True)
class GradeResult:
    """A person's grade, its basis and reason, and what the sources disputed."""

    grade: Grade
    basis: str
    reason: str
    independent_sources: int
    disputes: tuple[Dispute, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class _Item:
    source: str
    record_id: str
    value: Any
    key: Any
    script: str


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


@functools.cache
def _unknown_keys(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(vocabulary_key(w) for w in words)


def _unknown(value: Any, rules: GradingRules) -> bool:
    if not isinstance(value, str):
        return False
    extra = _unknown_keys(rules.unknown_values)
    return is_unknown(value) or bool(extra and vocabulary_key(value) in extra)


def _items(
    records: Sequence[Mapping[str, Any]], name: str, rules: GradingRules
) -> list[_Item]:
    found = []
    for record in records:
        value = record.get(name)
        if not _present(value) or _unknown(value, rules):
            continue
        text = str(value)
        # Status and age are stored normalised; other text is compared by its
        # matching form (names) or its vocabulary key (case, spaces, ZWNJ ignored).
        key: Any = value if name in ("status", "age") else None
        if key is None:
            key = record.get(f"{name}_norm") or vocabulary_key(text) or text.casefold()
        found.append(
            _Item(
                str(record["source"]),
                str(record["record_id"]),
                value,
                key,
                script_of(text) or "none",
            )
        )
    return found


def _disagree(rules: GradingRules, name: str) -> Callable[[_Item, _Item], bool]:
    """Whether two values of field ``name`` contradict each other."""
    if name == "status":
        pairs = {frozenset(p) for p in rules.status_conflicts}
        return lambda a, b: frozenset((a.key, b.key)) in pairs
    if name == "age":

        def apart(a: _Item, b: _Item) -> bool:
            try:
                return abs(int(a.value) - int(b.value)) > rules.age_tolerance
            except (TypeError, ValueError):
                return False

        return apart
    # Values in different scripts cannot be compared without a translation.
    return lambda a, b: a.script == b.script and a.key != b.key


def _accounts(items: Sequence[_Item]) -> tuple[Account, ...]:
    groups: dict[Any, list[_Item]] = {}
    for item in items:
        groups.setdefault((item.script, item.key), []).append(item)
    ordered = sorted(groups.values(), key=lambda g: (-len(g), str(g[0].value)))
    return tuple(
        Account(
            group[0].value,
            tuple(sorted({i.source for i in group})),
            tuple(sorted((i.source, i.record_id) for i in group)),
        )
        for group in ordered
    )


def field_dispute(
    records: Sequence[Mapping[str, Any]], kind: str, name: str, rules: GradingRules
) -> Dispute | None:
    """The dispute on field ``name``: two records of different sources disagree.

    A source that contradicts itself (two of its records disagree) does not make
    a dispute; words for "not known" are ignored.
    """
    items = _items(records, name, rules)
    disagree = _disagree(rules, name)
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            if a.source != b.source and disagree(a, b):
                return Dispute(kind, name, _accounts(items))
    return None


def find_disputes(
    records: Sequence[Mapping[str, Any]], rules: GradingRules
) -> tuple[Dispute, ...]:
    """Every dispute among a person's records that ``rules.contest_on`` names.

    * status: two records give statuses that form a pair of ``status_conflicts``;
    * identity: two records give different values of an ``identity_fields`` field
      (ages further apart than ``age_tolerance``);
    * cause: two records give different causes written in the same script.
    """
    fields = {
        "status": ("status",),
        "identity": rules.identity_fields,
        "cause": ("cause",),
    }
    found = []
    for kind in rules.contest_on:
        for name in fields[kind]:
            dispute = field_dispute(records, kind, name, rules)
            if dispute is not None:
                found.append(dispute)
    return tuple(found)


def counted_sources(
    records: Sequence[Mapping[str, Any]],
    sources: Mapping[str, Source],
    rules: GradingRules,
) -> tuple[list[Source], int]:
    """The person's sources that count, and how many were rated too low to count."""
    limit = reliability_rank(rules.min_reliability)
    counted, low = [], 0
    for name in sorted({str(r["source"]) for r in records}):
        meta = sources.get(name) or Source(name)
        if UNRATED > meta.rank > limit:
            low += 1
        else:
            counted.append(meta)
    return counted, low


def in_scope(records: Sequence[Mapping[str, Any]], rules: GradingRules) -> bool:
    """Whether a person enters the headline toll (a counted status, or none)."""
    statuses = {r.get("status") for r in records if _present(r.get("status"))}
    if not statuses:
        return rules.count_missing_status
    return bool(statuses & set(rules.counted_statuses))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _positive(
    facts: PersonFacts, counted: Sequence[Source], rules: GradingRules
) -> tuple[Grade, str, str]:
    groups = len({s.independence for s in counted})
    independent = _plural(groups, "independent source")
    kinds = sorted(set(facts.evidence_kinds) & set(rules.evidence_kinds))
    if kinds:
        return "confirmed", "evidence", f"{', '.join(kinds)} linked; {independent}"
    enough = groups >= rules.independent_sources
    primary = sorted({s.kind for s in counted if s.kind in rules.primary_kinds})
    if enough and primary:
        return "confirmed", "primary", f"{independent}, primary: {', '.join(primary)}"
    if enough:
        return "corroborated", "independent", independent
    if groups:
        return (
            "single-source",
            "single",
            (f"{independent} ({rules.independent_sources} needed to corroborate)"),
        )
    return "single-source", "single", "no source that counts"


def grade_person(
    facts: PersonFacts, sources: Mapping[str, Source], rules: GradingRules
) -> GradeResult:
    """Grade one person.

    Args:
        facts: the person's records, linked evidence kinds and decisions.
        sources: every source's metadata by name (a source missing here counts
            as its own independence group, of no kind, not rated).
        rules: the grading rules.

    Returns:
        The grade with its basis, reason, independent source count and disputes.
    """
    counted, low = counted_sources(facts.records, sources, rules)
    groups = len({s.independence for s in counted})
    disputes = find_disputes(facts.records, rules)
    if facts.decision is not None:
        grade: Grade = "discounted"
        basis, text = facts.decision.reason, f"reviewer decision {facts.decision.id}"
    elif disputes:
        grade = "contested"
        basis = "+".join(dict.fromkeys(d.kind for d in disputes))
        text = "; ".join(d.summary() for d in disputes)
    else:
        grade, basis, text = _positive(facts, counted, rules)
    if low:
        text += f"; {_plural(low, 'source')} rated below {rules.min_reliability} "
        text += "not counted"
    for decision_id in facts.lapsed:
        text += f"; discount decision {decision_id} no longer holds all its records"
    reason = f"{grade}/{basis}: {text}"
    return GradeResult(grade, basis, reason, groups, disputes)
