"""Checks that say when a table or an estimate cannot carry a result.

Every estimator rests on the people seen on two or more lists. These checks run
before estimation (the table) and after it (the estimate), and are shared by
``aban mse`` and ``aban estimate``:

* :func:`prepare_table`: lists with no records carry no information but change
  some estimators (Chao's factor ``(t - 1) / t``; a class of LCMCR): they are left
  out, by name. Rows marking no list are left out. On two lists, dependence
  between them cannot be checked: a note says so.
* :func:`lcmcr_identifiability`: too many lists for the people seen, where the
  latent classes of LCMCR are not determined by the data.
* :func:`implausible`: an estimate that is not finite, whose interval has no upper
  end, or that is more than :data:`PLAUSIBLE_RATIO` times the number observed, is
  driven by almost no overlap (two lists sharing one person give tens of millions)
  and is not a result.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from aban.errors import EstimationError
from aban.estimate.result import Estimate
from aban.estimate.tables import check_table, list_names

__all__ = [
    "PLAUSIBLE_RATIO",
    "PreparedTable",
    "implausible",
    "lcmcr_identifiability",
    "prepare_table",
]

#: An estimate above this many times the number observed is not a result.
PLAUSIBLE_RATIO = 20
#: LCMCR needs at least this many people per list.
_PER_LIST = 10


@dataclass(frozen=True)
class PreparedTable:
    """A capture-history table ready for an estimator.

    Attributes:
        patterns: rows x lists of 0/1, no row marking no list.
        counts: people with each pattern.
        lists: the names of the lists kept.
        notes: what was left out and why, and what the table cannot show.
    """

    patterns: npt.NDArray[np.int8]
    counts: npt.NDArray[np.int64]
    lists: tuple[str, ...]
    notes: tuple[str, ...]


def _names(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def prepare_table(
    patterns: npt.ArrayLike, counts: npt.ArrayLike, lists: Sequence[str] | None = None
) -> PreparedTable:
    """Leave out lists with no records and rows marking no list, saying so.

    Args:
        patterns: rows x lists of 0/1 capture histories.
        counts: the number of people with each history.
        lists: the list names (default ``"1"`` ... ``"t"``).

    Returns:
        The table without them, and one note per kind of change; a note too when
        two lists are left, whose dependence cannot be checked.

    Raises:
        EstimationError: a malformed table, or fewer than two lists with records.

    Example:
        >>> prepare_table([[1, 0, 0], [1, 1, 0]], [5, 2], ["A", "B", "C"]).notes[0]
        'list C has no records and is left out'
    """
    pat, cnt = check_table(patterns, counts, max_lists=None)
    names = list_names(pat.shape[1], lists)
    empty = (cnt @ pat) == 0 if cnt.size else np.ones(pat.shape[1], dtype=bool)
    notes = []
    if empty.any():
        dropped = [n for n, e in zip(names, empty, strict=True) if e]
        kept = [n for n, e in zip(names, empty, strict=True) if not e]
        if len(kept) < 2:
            raise EstimationError(
                f"{len(kept)} of {len(names)} lists have records; estimation needs "
                "at least 2 lists with records"
            )
        plural = len(dropped) > 1
        notes.append(
            f"list{'s' if plural else ''} {_names(dropped)} "
            f"{'have' if plural else 'has'} no records and "
            f"{'are' if plural else 'is'} left out"
        )
        pat, names = pat[:, ~empty], tuple(kept)
    marked = pat.any(axis=1)
    pat, cnt = pat[marked], cnt[marked]
    if len(names) == 2:
        notes.append(
            "only 2 lists: whether they depend on each other cannot be checked (that "
            "needs 3 or more), and lists that tend to record the same people make "
            "the estimate too low"
        )
    return PreparedTable(pat, cnt, names, tuple(notes))


def lcmcr_identifiability(patterns: npt.ArrayLike, counts: npt.ArrayLike) -> str | None:
    """Whether there are too many lists for LCMCR to learn its classes.

    A latent class of LCMCR has one capture probability per list. With fewer than
    10 people per list, or fewer distinct capture patterns than the ``2J + 1``
    parameters of two classes on J lists, the data cannot tell the classes apart
    and the posterior of N follows the prior and the start of the chains.

    Args:
        patterns: rows x lists of 0/1 capture histories.
        counts: the number of people with each history.

    Returns:
        A one-line warning, or None.
    """
    pat, cnt = check_table(patterns, counts, max_lists=None)
    lists = pat.shape[1]
    if lists < 3:
        return None  # LCMCR itself says that two lists identify no classes
    seen = int(cnt.sum())
    distinct = int(np.count_nonzero(cnt[pat.any(axis=1)]))
    needed = 2 * lists + 1
    if seen >= _PER_LIST * lists and distinct >= needed:
        return None
    return (
        f"{lists} lists for {seen:,} people in {distinct:,} capture patterns: too "
        f"few for LCMCR to tell its latent classes apart (it needs {_PER_LIST} "
        f"people per list and more patterns than the {needed} parameters of two "
        "classes); the estimate may follow the prior, not the data: merge small lists"
    )


def implausible(est: Estimate) -> str | None:
    """Why an estimate is not a result, or None when it may be one.

    Args:
        est: any estimate.

    Returns:
        A one-line reason when the estimate is not finite, has no upper bound, or
        is more than :data:`PLAUSIBLE_RATIO` times the number observed.
    """
    advice = (
        "too few people are on two or more lists to estimate those on none; check "
        "that the lists cover the same population, or add lists that overlap"
    )
    if not math.isfinite(est.estimate):
        return f"the {est.label} estimate is not a finite number: {advice}"
    reasons = []
    if est.estimate > PLAUSIBLE_RATIO * est.observed:
        ratio = est.estimate / max(est.observed, 1)
        reasons.append(
            f"is {ratio:,.0f} times the {est.observed:,} people observed (more "
            f"than {PLAUSIBLE_RATIO})"
        )
    if not math.isfinite(est.upper):
        reasons.append("has no upper bound")
    if not reasons:
        return None
    return (
        f"the {est.label} estimate {est.estimate:,.0f} {' and '.join(reasons)}: "
        f"{advice}"
    )
