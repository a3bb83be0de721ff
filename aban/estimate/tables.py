"""Capture-history tables as arrays, and helpers shared by the estimators.

A capture-history table is ``patterns`` (rows x lists, 0/1) with ``counts`` (how
many individuals have each pattern). Internally it becomes the complete table of
the ``2**t`` cells, indexed by the bits of the pattern: list ``i`` is bit ``i``
(list 1 is the lowest bit), so cell 0 is the unobserved all-zero pattern.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from aban.errors import EstimationError

__all__ = [
    "MAX_LISTS",
    "Z95",
    "capture_frequencies",
    "check_table",
    "complete_table",
    "list_names",
    "log_interval",
    "observed_total",
]

Z95 = 1.959963984540054
MAX_LISTS = 16


def check_table(
    patterns: npt.ArrayLike, counts: npt.ArrayLike, *, max_lists: int | None = MAX_LISTS
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int64]]:
    """Validate a capture-history table and return it as arrays.

    Args:
        patterns: rows x lists of 0/1.
        counts: one non-negative integer per row.
        max_lists: the most lists allowed (None: no limit, as for LCMCR).

    Returns:
        ``(patterns, counts)`` as int8 and int64 arrays.

    Raises:
        EstimationError: wrong shapes, values other than 0/1, negative counts,
            fewer than 2 or more than ``MAX_LISTS`` lists.
    """
    pat = np.asarray(patterns)
    cnt = np.asarray(counts)
    if pat.ndim != 2 or cnt.ndim != 1 or pat.shape[0] != cnt.shape[0]:
        raise EstimationError(
            "capture histories must be a rows x lists 0/1 array and one count per row"
        )
    if pat.shape[1] < 2 or (max_lists is not None and pat.shape[1] > max_lists):
        raise EstimationError(
            f"capture histories have {pat.shape[1]} lists; "
            f"estimation needs 2 to {max_lists or MAX_LISTS} lists"
        )
    if pat.size and not np.isin(pat, (0, 1)).all():
        raise EstimationError("capture histories may only hold 0 and 1")
    if cnt.size and (cnt < 0).any():
        raise EstimationError("capture-history counts must not be negative")
    return pat.astype(np.int8), cnt.astype(np.int64)


def list_names(t: int, lists: Sequence[str] | None) -> tuple[str, ...]:
    """The list names, or ``"1"`` ... ``"t"`` when none are given.

    Raises:
        EstimationError: the number of names is not ``t``.
    """
    if lists is None:
        return tuple(str(i + 1) for i in range(t))
    names = tuple(lists)
    if len(names) != t:
        raise EstimationError(f"{len(names)} list names given for {t} lists")
    return names


def complete_table(
    patterns: npt.NDArray[np.int8], counts: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """The counts of all ``2**t`` cells (cell 0, the unobserved one, is 0).

    Duplicate patterns are summed; patterns absent from the input count 0.
    """
    t = patterns.shape[1]
    index = patterns.astype(np.int64) @ (1 << np.arange(t, dtype=np.int64))
    table = np.zeros(1 << t, dtype=np.float64)
    np.add.at(table, index, counts.astype(np.float64))
    table[0] = 0.0
    return table


def observed_total(
    patterns: npt.NDArray[np.int8], counts: npt.NDArray[np.int64]
) -> int:
    """n: the number of individuals on at least one list."""
    seen = patterns.any(axis=1)
    return int(counts[seen].sum())


def capture_frequencies(
    patterns: npt.NDArray[np.int8], counts: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Capture frequencies from histories: element ``k`` is f_k (element 0 is 0).

    f_k is the number of individuals seen on exactly ``k`` lists.
    """
    t = patterns.shape[1]
    sizes = patterns.sum(axis=1).astype(np.int64)
    freq = np.zeros(t + 1, dtype=np.int64)
    np.add.at(freq, sizes, counts)
    freq[0] = 0
    return freq


def log_interval(observed: float, f0: float, se: float) -> tuple[float, float]:
    """The log-transformed 95% interval of Chao (1987) for N = n + f0.

    ``n + f0 / C`` to ``n + f0 * C`` with
    ``C = exp(1.96 * sqrt(log(1 + se**2 / f0**2)))``: it assumes f0 is
    log-normal, so the interval is asymmetric and never goes below n.

    Args:
        observed: n, the number of individuals seen.
        f0: the estimated number unseen.
        se: the standard error of N-hat.

    Returns:
        ``(lower, upper)``; ``(n, n)`` when f0 is 0 and ``(n, inf)`` when f0 or
        se is not finite.
    """
    if not (math.isfinite(f0) and math.isfinite(se)):
        return float(observed), math.inf
    if f0 <= 0.0:
        return float(observed), float(observed)
    c = math.exp(Z95 * math.sqrt(math.log1p(se * se / (f0 * f0))))
    return observed + f0 / c, observed + f0 * c
