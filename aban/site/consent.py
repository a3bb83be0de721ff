"""Consent made visible: how many persons a publication shows with and without
names, and why (issue 17).

A person the publication counts is shown with a name, without one, or not at
all. Why a name is not shown matters to families and to the team: the family
asked (a recorded ``public-without-name``), nobody has asked the family yet and
the policy's ``default_consent`` applies, the policy publishes no names
(``name`` not in ``fields``), or the register knows no name. The same reasons
word the pages, so that a page never says a family refused what it was never
asked. Counts only: no personal data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from aban.site.policy import PublicationPolicy

__all__ = ["ConsentCounts", "Unnamed", "count_consent", "why_unnamed"]

#: Why a listed person is shown without a name.
Unnamed = Literal["policy", "family", "fields", "unknown"]
_REASONS = {
    "policy": "no consent recorded, policy default",
    "family": "the family asked",
    "fields": "names not in [publication] fields",
    "unknown": "no name known",
}
#: The setting that decides the names of persons without a recorded consent.
DEFAULT_SETTING = "[publication] default_consent"


def why_unnamed(
    recorded: str | None, named: bool, policy: PublicationPolicy
) -> Unnamed | Literal[""]:
    """Why a listed person is shown without a name ("" when a name is shown).

    Args:
        recorded: the consent recorded for the person, None when none is.
        named: whether a name is shown.
        policy: the publication policy.
    """
    if named:
        return ""
    if recorded == "public-without-name":
        return "family"
    if recorded is None and policy.default_consent != "public":
        return "policy"
    if not policy.allows("name"):
        return "fields"
    return "unknown"


@dataclass(frozen=True)
class ConsentCounts:
    """How many persons a publication shows with and without names, and why.

    Attributes:
        named: listed with a name.
        unnamed: listed without a name, by reason (:data:`Unnamed`).
        withheld_family: not listed: the family asked (a recorded ``withheld``,
            or a recorded value aban does not know, read as withheld).
        withheld_policy: not listed: no consent recorded and the policy's
            ``default_consent`` is ``withheld``.
        default_consent: the policy's ``default_consent``.
    """

    named: int = 0
    unnamed: dict[str, int] | None = None
    withheld_family: int = 0
    withheld_policy: int = 0
    default_consent: str = "public-without-name"

    def reasons(self) -> dict[str, int]:
        """The unnamed persons by reason, every reason present (0 when none)."""
        found = self.unnamed or {}
        return {
            r: int(found.get(r, 0)) for r in ("policy", "family", "fields", "unknown")
        }

    @property
    def listed(self) -> int:
        """Persons listed, with or without a name."""
        return self.named + sum(self.reasons().values())

    @property
    def all_unnamed_by_default(self) -> bool:
        """Whether every listed person is nameless because of the policy's
        default (nobody's consent recorded): the user should hear which
        setting decides it."""
        return self.listed > 0 and self.reasons()["policy"] == self.listed

    def lines(self) -> list[str]:
        """What a human reads after ``aban publish``: names shown, not shown and
        why, persons not listed and why (reasons with a count only)."""
        reasons = self.reasons()
        why = [f"{_REASONS[r]} {reasons[r]:,}" for r in _REASONS if reasons[r]]
        unnamed = sum(reasons.values())
        found = [f"names shown: {self.named:,}"]
        found.append(
            f"names not shown: {unnamed:,}" + (f" ({'; '.join(why)})" if why else "")
        )
        withheld = self.withheld_family + self.withheld_policy
        if withheld:
            parts = [
                f"{words} {n:,}"
                for words, n in (
                    ("withheld by the family", self.withheld_family),
                    ("no consent recorded, default withheld", self.withheld_policy),
                )
                if n
            ]
            found.append(f"not listed: {withheld:,} ({'; '.join(parts)})")
        return found

    def hint(self, first: bool) -> str | None:
        """Which setting decides the names of persons without a recorded consent:
        on a site's first release, and whenever every listed person is nameless
        because of it; None otherwise."""
        if not (first or self.all_unnamed_by_default):
            return None
        current = f'"{self.default_consent}"'
        if self.all_unnamed_by_default:
            return (
                "every listed person is shown without a name because no family's "
                f"consent is recorded and {DEFAULT_SETTING} in aban.toml is "
                f"{current}: record each family's answer with 'aban person consent "
                "PERSON public', or change default_consent"
            )
        return (
            "the names of persons without a recorded consent follow "
            f"{DEFAULT_SETTING} in aban.toml (now {current}); record each "
            "family's answer with 'aban person consent'"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "named": self.named,
            "unnamed": self.reasons(),
            "withheld": {
                "family": self.withheld_family,
                "policy": self.withheld_policy,
            },
            "default_consent": self.default_consent,
        }


def count_consent(
    rows: Iterable[tuple[str | None, bool, str]], policy: PublicationPolicy
) -> ConsentCounts:
    """Count the persons a publication counts by how their name is shown.

    Args:
        rows: for each person the publication counts (its grade listed by the
            policy): the recorded consent (None when none is), whether it is
            listed, and why it is shown without a name ("" when named or not
            listed).
        policy: the publication policy.
    """
    named = withheld_family = withheld_policy = 0
    unnamed: dict[str, int] = {}
    for recorded, listed, why in rows:
        if not listed:
            if recorded is None:
                withheld_policy += 1
            else:
                withheld_family += 1
        elif why:
            unnamed[why] = unnamed.get(why, 0) + 1
        else:
            named += 1
    return ConsentCounts(
        named, unnamed, withheld_family, withheld_policy, policy.default_consent
    )
