"""Sources: who reports; their kinds, reliability and independence (DESIGN.md 3).

Independence is the rule every count of sources follows: two sources in one
independence group do not corroborate each other, and a source without a group is
its own group. It is written once, here, in Python (:attr:`Source.independence`)
and in SQL (:func:`independence_sql`).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from aban.errors import ConfigError
from aban.text.identifiers import has_invisible, normalise_identifier

KINDS = (
    "ngo_list",
    "family",
    "witness",
    "journalist",
    "media",
    "official",
    "social_media",
    "document",
)
#: Kinds whose identity is protected unless the user says otherwise (DESIGN.md 3).
PROTECTED_KINDS = ("family", "witness")
#: HURIDOCS Events Standard Formats reliability scale.
RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "reliability cannot be judged",
}
#: The rank of a source that no one has rated: below E.
UNRATED = len(RELIABILITY)
_NAME = re.compile(r"^[^\x00-\x1f\x7f/\\]{1,100}$")


def source_text(
    text: str | None, protected: bool, sees_protected: bool = False
) -> str | None:
    """Free text a source wrote (a note, a story), as a reader may see it.

    A protected source's free text (a detention event's note, the circumstances
    it told) can say who told it, so it is shown only to readers who see
    protected data: admins and analysts in the web app, the full partner export.
    Viewers, the partner export without ``--full`` and the published site get
    None. The web app, the exports and the site all ask this one function.

    Args:
        text: the text, or None.
        protected: whether the source that wrote it is protected.
        sees_protected: whether the reader may see protected data.
    """
    if text is None or (protected and not sees_protected):
        return None
    return text


def reliability_rank(reliability: str | None) -> int:
    """Reliability as a rank: 0 for A (best) to 4 for E, 5 when not rated."""
    letter = (reliability or "").upper()
    return list(RELIABILITY).index(letter) if letter in RELIABILITY else UNRATED


def independence_group(name: str, group: str | None) -> str:
    """The independence group of source ``name``; without one, its own group."""
    return group or f"source:{name}"


def independence_sql(alias: str = "s") -> str:
    """SQL for :func:`independence_group` over the ``sources`` table as ``alias``."""
    if not alias.isidentifier():
        raise ValueError("alias must be an identifier")
    return f"coalesce({alias}.independence_group, 'source:' || {alias}.name)"


@dataclass(frozen=True)
class Source:
    """One source: who reports, and what counting and publication need to know.

    Attributes:
        name: the source's name, unique in a register.
        kind: one of :data:`KINDS`, or None when not set.
        group: the independence group, or None (its own group).
        reliability: HURIDOCS letter A-E, or None when not rated.
        is_list: whether it is a systematic list (only lists enter estimation).
        protected: whether its identity never leaves the workspace.
        records: how many records it holds in the register.
    """

    name: str
    kind: str | None = None
    group: str | None = None
    reliability: str | None = None
    is_list: bool = False
    protected: bool = False
    records: int = 0

    @property
    def independence(self) -> str:
        """The independence group; a source without one is its own group."""
        return independence_group(self.name, self.group)

    @property
    def rank(self) -> int:
        """Reliability as a rank: 0 for A (best) to 5 for not rated."""
        return reliability_rank(self.reliability)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_source_name(name: str) -> str:
    """Return ``name`` stripped and in NFC, or raise ConfigError if it cannot name a
    source: empty, too long, or holding slashes, control characters or invisible
    characters (see :mod:`aban.text.identifiers`)."""
    stripped = normalise_identifier(name)
    if has_invisible(stripped):
        raise ConfigError(
            "a source name must not hold invisible characters (direction marks, "
            "zero-width characters): they make one name look like another; remove "
            "them"
        )
    if not _NAME.match(stripped):
        raise ConfigError(
            "a source name must be 1-100 characters without slashes or control "
            "characters"
        )
    return stripped
