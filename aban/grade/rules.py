"""The grading rules: defaults, and the workspace's ``[grading]`` table of aban.toml.

Every rule has a default and help text; a workspace changes them in aban.toml::

    [grading]
    evidence_kinds = ["death_certificate", "burial_certificate", "verified_video"]
    primary_kinds = ["family", "witness", "document"]
    independent_sources = 2
    contest_on = ["status", "identity", "cause"]
    status_conflicts = [["killed", "detained"], ["killed", "injured"]]

The methodology text (:mod:`aban.grade.methodology`) is written from these values,
so a change here changes what is published about how persons were graded.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aban.config import CONFIG_NAME, load_section
from aban.errors import ConfigError
from aban.vocab.columns import NAME_COLUMNS, STATUSES
from aban.vocab.sources import KINDS, RELIABILITY

#: What a person can be contested on.
CONTEST_KINDS = ("status", "identity", "cause")
#: Fields that can say who a person is, for ``identity_fields``.
IDENTITY_FIELDS = ("sex", "national_id", "age", "birth_date", *NAME_COLUMNS)
#: Reasons a reviewer discounts a person.
DISCOUNT_REASONS = ("duplicate", "found-alive", "unrelated")
_KIND_WORD = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")


def _help(text: str, default: Any) -> Any:
    return field(default=default, metadata={"help": text})


@dataclass(frozen=True)
class GradingRules:
    """How persons are graded; each field is a key of ``[grading]`` in aban.toml."""

    evidence_kinds: tuple[str, ...] = _help(
        "evidence kinds that confirm a person on their own when linked to it",
        ("death_certificate", "burial_certificate", "verified_video"),
    )
    primary_kinds: tuple[str, ...] = _help(
        "source kinds that are primary: with another independent source they confirm",
        ("family", "witness", "document"),
    )
    independent_sources: int = _help(
        "independent sources (independence groups) needed to corroborate", 2
    )
    min_reliability: str = _help(
        "sources rated worse than this (HURIDOCS A-E) count for nothing; '' for none",
        "",
    )
    contest_on: tuple[str, ...] = _help(
        "what disagreement makes a person contested: status, identity, cause",
        CONTEST_KINDS,
    )
    status_conflicts: tuple[tuple[str, str], ...] = _help(
        "pairs of statuses that contradict each other when two sources give them",
        (("killed", "detained"), ("killed", "injured")),
    )
    identity_fields: tuple[str, ...] = _help(
        "fields whose disagreement disputes who the person is",
        ("sex", "national_id"),
    )
    age_tolerance: int = _help(
        "ages further apart than this many years disagree (when age is an identity "
        "field)",
        2,
    )
    unknown_values: tuple[str, ...] = _help(
        "words that say 'not known', ignored in disputes (besides the built-in ones)",
        (),
    )
    counted_statuses: tuple[str, ...] = _help(
        "a person enters the headline toll when a record gives one of these statuses",
        ("killed", "executed", "died_in_custody"),
    )
    count_missing_status: bool = _help(
        "a person whose records give no status at all also enters the headline toll",
        True,
    )

    def to_dict(self) -> dict[str, Any]:
        """The rules as aban.toml would hold them (lists, not tuples)."""
        values = dataclasses.asdict(self)
        values["status_conflicts"] = [list(p) for p in self.status_conflicts]
        return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


def _words(name: str, value: Any, allowed: tuple[str, ...] | None) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return [f"{name!r} must be a list of text"]
    if allowed is not None:
        bad = sorted({v for v in value if v not in allowed})
        if bad:
            return [f"{name!r} has unknown values {bad}; use {', '.join(allowed)}"]
    return []


def _pairs(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(s, str) for s in p)
        for p in value
    ):
        return ["'status_conflicts' must be a list of [status, status] pairs"]
    bad = sorted({s for p in value for s in p if s not in STATUSES})
    if bad:
        return [f"'status_conflicts' has unknown statuses {bad}"]
    return []


def _number(name: str, value: Any, least: int) -> list[str]:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        return [f"{name!r} must be a whole number of at least {least}"]
    return []


def _kind_words(name: str, value: Any) -> list[str]:
    if isinstance(value, list) and all(
        isinstance(v, str) and _KIND_WORD.match(v) for v in value
    ):
        return []
    return [f"{name!r} must be a list of lower-case words (a-z, 0-9, _ or -)"]


def _choice(name: str, value: Any, allowed: tuple[Any, ...], shown: str) -> list[str]:
    if isinstance(value, bool) is isinstance(allowed[0], bool) and value in allowed:
        return []
    return [f"{name!r} must be {shown}"]


def _check(name: str, value: Any) -> list[str]:
    """Problems with one key (no personal data: keys and vocabulary only)."""
    if name == "evidence_kinds":
        return _kind_words(name, value)
    if name in ("independent_sources", "age_tolerance"):
        return _number(name, value, 2 if name == "independent_sources" else 0)
    if name == "min_reliability":
        return _choice(name, value, ("", *RELIABILITY), "one of A, B, C, D, E or ''")
    if name == "count_missing_status":
        return _choice(name, value, (True, False), "true or false")
    if name == "status_conflicts":
        return _pairs(value)
    allowed: dict[str, tuple[str, ...] | None] = {
        "primary_kinds": KINDS,
        "contest_on": CONTEST_KINDS,
        "identity_fields": IDENTITY_FIELDS,
        "unknown_values": None,
        "counted_statuses": STATUSES,
    }
    if name not in allowed:
        return [f"unknown key {name!r}"]
    return _words(name, value, allowed[name])


def rules_from_mapping(
    values: Mapping[str, Any], where: str = "[grading]"
) -> GradingRules:
    """Validate a ``[grading]`` table and build the rules from it.

    Args:
        values: the table's keys and values (TOML types: lists, not tuples).
        where: how to name the table in an error message.

    Returns:
        The rules, defaults for every key not given.

    Raises:
        ConfigError: unknown keys or bad values, all reported in one line.
    """
    errors = [problem for k, v in values.items() for problem in _check(str(k), v)]
    if errors:
        known = ", ".join(f.name for f in dataclasses.fields(GradingRules))
        raise ConfigError(f"{where}: {'; '.join(errors)} (known keys: {known})")
    converted: dict[str, Any] = {}
    for key, value in values.items():
        if key == "status_conflicts":
            converted[key] = tuple(tuple(p) for p in value)
        elif isinstance(value, list):
            converted[key] = tuple(value)
        else:
            converted[key] = value
    return GradingRules(**converted)


def load_rules(workspace: Path) -> GradingRules:
    """The grading rules of ``workspace``: defaults, changed by ``[grading]``.

    Raises:
        ConfigError: aban.toml is unreadable, or ``[grading]`` has unknown keys or
            bad values.
    """
    return rules_from_mapping(
        load_section(workspace, "grading"), f"{workspace / CONFIG_NAME}: [grading]"
    )
