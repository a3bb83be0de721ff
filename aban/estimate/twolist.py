"""Two-list estimators: Lincoln-Petersen and Chapman.

With ``n1`` people on one list, ``n2`` on the other and ``m`` on both, and the
two lists independent in a closed population in which everyone has the same
chance of being on each list:

* Lincoln-Petersen: ``N = n1 n2 / m`` with
  ``Var = n1 n2 (n1 - m)(n2 - m) / m**3``; infinite when ``m = 0``.
* Chapman (1951): ``N = (n1 + 1)(n2 + 1)/(m + 1) - 1``, nearly unbiased when
  ``m >= 7``, with Seber's (1970) variance
  ``(n1 + 1)(n2 + 1)(n1 - m)(n2 - m) / ((m + 1)**2 (m + 2))``.

Both intervals are log-transformed (Chao 1987): ``n + f0/C`` to ``n + f0*C`` with
``n`` the people on either list, ``f0 = N - n`` and
``C = exp(1.96 sqrt(log(1 + Var / f0**2)))``. Positive dependence between the
lists biases both estimates downward.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Literal

import numpy.typing as npt

from aban.errors import EstimationError
from aban.estimate.result import Estimate
from aban.estimate.tables import check_table, list_names, log_interval, observed_total

__all__ = ["chapman", "lincoln_petersen", "pairwise_chapman", "two_list_counts"]

_FEW_RECAPTURES = 7


def two_list_counts(
    patterns: npt.ArrayLike, counts: npt.ArrayLike, first: int = 0, second: int = 1
) -> tuple[int, int, int]:
    """``(n1, n2, m)``: people on list ``first``, on ``second``, and on both."""
    pat, cnt = check_table(patterns, counts)
    t = pat.shape[1]
    if first == second or not (0 <= first < t and 0 <= second < t):
        raise EstimationError(
            f"lists {first + 1} and {second + 1} are not two different lists of {t}"
        )
    a, b = pat[:, first] == 1, pat[:, second] == 1
    return int(cnt[a].sum()), int(cnt[b].sum()), int(cnt[a & b].sum())


def _formula(kind: str, n1: int, n2: int, m: int) -> tuple[float, float]:
    """The estimate and its variance."""
    if kind == "lincoln-petersen":
        if m == 0:
            raise EstimationError(
                "no one is on both lists, so the Lincoln-Petersen estimate is "
                "infinite; use Chapman's estimator (--model chapman)"
            )
        return n1 * n2 / m, n1 * n2 * (n1 - m) * (n2 - m) / m**3
    estimate = (n1 + 1) * (n2 + 1) / (m + 1) - 1
    variance = (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) ** 2 * (m + 2))
    return estimate, variance


def _two_list(
    kind: Literal["lincoln-petersen", "chapman"],
    patterns: npt.ArrayLike,
    counts: npt.ArrayLike,
    lists: Sequence[str] | None,
    pair: tuple[int, int],
) -> Estimate:
    pat, cnt = check_table(patterns, counts)
    names = list_names(pat.shape[1], lists)
    n1, n2, m = two_list_counts(pat, cnt, *pair)
    estimate, variance = _formula(kind, n1, n2, m)
    union = n1 + n2 - m
    se = math.sqrt(variance)
    lower, upper = log_interval(union, estimate - union, se)
    observed = observed_total(pat, cnt)
    notes = []
    if m < _FEW_RECAPTURES:
        notes.append(
            f"only {m} people are on both lists; two-list estimates are unreliable "
            f"with fewer than {_FEW_RECAPTURES}"
        )
    if estimate < observed:
        notes.append(
            f"the two-list estimate {estimate:,.0f} is below the {observed:,} people "
            "seen on all lists: the two lists are positively dependent"
        )
    extra: dict[str, float] = {"n1": n1, "n2": n2, "m": m, "pair_observed": union}
    if kind == "chapman" and m > 0:
        extra["lincoln_petersen"] = n1 * n2 / m
    return Estimate(
        model=kind,
        terms=None,
        estimate=estimate,
        lower=lower,
        upper=upper,
        observed=observed,
        lists=names,
        settings={"pair": [names[pair[0]], names[pair[1]]]},
        se=se,
        interval="log-transformed",
        warnings=tuple(notes),
        extra=extra,
    )


def lincoln_petersen(
    patterns: npt.ArrayLike,
    counts: npt.ArrayLike,
    lists: Sequence[str] | None = None,
    *,
    pair: tuple[int, int] = (0, 1),
) -> Estimate:
    """The Lincoln-Petersen estimate from two lists of a capture-history table.

    Args:
        patterns: rows x lists of 0/1 capture histories.
        counts: the number of people with each history.
        lists: the list names.
        pair: the two lists used (0-based), by default the first two.

    Returns:
        The estimate. ``observed`` counts everyone on any list of the table;
        ``extra`` holds n1, n2, m and the people on either list of the pair.

    Raises:
        EstimationError: no one is on both lists (the estimate is infinite).

    Example:
        >>> round(lincoln_petersen([[1, 0], [0, 1], [1, 1]], [60, 40, 20]).estimate)
        240
    """
    return _two_list("lincoln-petersen", patterns, counts, lists, pair)


def chapman(
    patterns: npt.ArrayLike,
    counts: npt.ArrayLike,
    lists: Sequence[str] | None = None,
    *,
    pair: tuple[int, int] = (0, 1),
) -> Estimate:
    """Chapman's estimate from two lists of a capture-history table.

    Args:
        patterns: rows x lists of 0/1 capture histories.
        counts: the number of people with each history.
        lists: the list names.
        pair: the two lists used (0-based), by default the first two.

    Returns:
        The estimate, with Seber's SE and a log-transformed interval.
        ``settings["pair"]`` names the two lists.

    Example:
        >>> round(chapman([[1, 0], [0, 1], [1, 1]], [60, 40, 20]).estimate, 1)
        236.6
    """
    return _two_list("chapman", patterns, counts, lists, pair)


def pairwise_chapman(
    patterns: npt.ArrayLike, counts: npt.ArrayLike, lists: Sequence[str] | None = None
) -> tuple[Estimate, ...]:
    """Chapman's estimate for every pair of lists, in the order (1,2), (1,3), ...

    Differences between pairs show dependence between lists: a pair that
    overlaps much more than chance gives a low estimate.
    """
    pat, cnt = check_table(patterns, counts)
    names = list_names(pat.shape[1], lists)
    pairs = itertools.combinations(range(pat.shape[1]), 2)
    return tuple(chapman(pat, cnt, names, pair=p) for p in pairs)
