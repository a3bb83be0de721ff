"""Simulated sparse capture tables with a known population size.

Many-list strata of the kind documentation teams meet (HRDAG's Colombia strata:
20 lists, about 1,000 people observed, most lists small, most patterns seen
once) are where latent-class estimates are hardest to check, because no
published table of that shape comes with its truth. :func:`sparse_lists` draws
one from a latent-class model close to LCMCR's own, so the true N is known and a
posterior can be judged against it, not only against another program.

Model. Each of ``people`` individuals belongs to one of a few latent classes
(shares ``shares``) and, given its class k, is recorded by list j independently
with probability

    lambda_jk = min(cap, rate * w_j * visibility_k * exp(noise * z_jk - noise^2 / 2))

where ``w`` (mean 1) are list sizes drawn from a symmetric Dirichlet with
concentration ``spread`` times ``n_lists`` (a small ``spread`` makes a few lists
large and many tiny), ``visibility`` makes one class nearly hidden and one
well documented, and ``z_jk`` standard normal makes each list's reach in each
class its own (heterogeneous, list-specific capture). Individuals recorded by no
list are unobserved. With the defaults and 20 lists, about 35-40% of the people
are observed, most by one list; most lists record a few dozen people, and most
multi-list patterns are seen once. The nearly hidden class (40% of the people,
visibility 0.3) is mostly unobserved, so LCMCR's posterior of N falls below the
truth on such tables: what the truth tells is which of two answers is closer.

Randomness: every draw comes from ``numpy.random.default_rng(seed)``; the same
arguments always give the same table. A draw in which some list records nobody
is discarded and drawn again from the same generator, so every list in the
returned table has at least one record.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

__all__ = ["SparseTable", "capture_probabilities", "sparse_lists"]

F64 = npt.NDArray[np.float64]
SHARES = (0.4, 0.35, 0.25)
VISIBILITY = (0.3, 1.0, 3.0)
MAX_DRAWS = 1_000


class SparseTable(NamedTuple):
    """A simulated capture table and its truth (unpacks as a 3-tuple).

    Attributes:
        patterns: the distinct observed capture patterns, shape (rows, n_lists),
            0/1 int8, sorted lexicographically; the all-zero pattern never appears.
        counts: how many individuals show each pattern, shape (rows,), int64, all >= 1.
        truth: N, the population size (observed and unobserved individuals).
    """

    patterns: npt.NDArray[np.int8]
    counts: npt.NDArray[np.int64]
    truth: int


def capture_probabilities(
    rng: np.random.Generator,
    n_lists: int,
    *,
    rate: float = 0.03,
    shares: Sequence[float] = SHARES,
    visibility: Sequence[float] = VISIBILITY,
    spread: float = 0.05,
    noise: float = 1.2,
    cap: float = 0.9,
) -> F64:
    """Draw lambda, the capture probabilities by list and class (see the module).

    Args:
        rng: the source of randomness.
        n_lists: number of lists J.
        rate: mean capture probability of a list of average size in a class of
            visibility 1.
        shares: class shares (only their number is used here).
        visibility: multiplier of each class's capture probabilities.
        spread: Dirichlet concentration per list of the list sizes; small values
            make list sizes very unequal.
        noise: standard deviation of the log-normal list-by-class factor.
        cap: the largest capture probability allowed.

    Returns:
        Array of shape (n_lists, classes), values in [0, cap].
    """
    n_class = len(shares)
    sizes = rng.dirichlet(np.full(n_lists, spread * n_lists)) * n_lists
    z = rng.standard_normal((n_lists, n_class))
    factor = np.exp(noise * z - noise**2 / 2)
    lam = rate * sizes[:, None] * np.asarray(visibility, dtype=np.float64) * factor
    return np.asarray(np.minimum(lam, cap), dtype=np.float64)


def sparse_lists(
    n_lists: int,
    people: int,
    seed: int,
    *,
    rate: float = 0.03,
    shares: Sequence[float] = SHARES,
    visibility: Sequence[float] = VISIBILITY,
    spread: float = 0.05,
    noise: float = 1.2,
) -> SparseTable:
    """Simulate a sparse many-list capture table with known N (see the module).

    Args:
        n_lists: number of lists (2 or more).
        people: the true population size N (1 or more).
        seed: seed of ``numpy.random.default_rng``.
        rate: mean capture probability of an average list in the middle class.
        shares: latent class shares (summing to 1).
        visibility: capture multiplier per class, same length as ``shares``.
        spread: Dirichlet concentration per list of the list sizes.
        noise: log-normal standard deviation of the list-by-class factor.

    Returns:
        The observed patterns, their counts and the truth N = ``people``.

    Raises:
        ValueError: on invalid arguments, or when no draw in 1,000 has every list
            recording somebody (raise ``people`` or ``rate``).

    Example:
        >>> patterns, counts, truth = sparse_lists(20, 2_000, seed=1)
        >>> patterns.shape[1], truth
        (20, 2000)
    """
    if n_lists < 2 or people < 1:
        raise ValueError(
            f"need 2 lists or more and 1 person or more, got {n_lists} and {people}"
        )
    if len(shares) != len(visibility) or not np.isclose(sum(shares), 1.0):
        raise ValueError("shares must sum to 1 and match visibility in length")
    rng = np.random.default_rng(seed)
    for _ in range(MAX_DRAWS):
        lam = capture_probabilities(
            rng,
            n_lists,
            rate=rate,
            shares=shares,
            visibility=visibility,
            spread=spread,
            noise=noise,
        )
        classes = rng.choice(len(shares), size=people, p=np.asarray(shares))
        seen = rng.random((people, n_lists)) < lam[:, classes].T
        if seen.any(axis=0).all():
            observed = seen[seen.any(axis=1)].astype(np.int8)
            patterns, counts = np.unique(observed, axis=0, return_counts=True)
            return SparseTable(
                patterns.astype(np.int8), counts.astype(np.int64), people
            )
    raise ValueError(
        f"no draw in {MAX_DRAWS:,} had every list record somebody; raise people or rate"
    )
