"""The common result of every population-size estimator in :mod:`aban.estimate`.

Every estimator (Lincoln-Petersen, Chapman, Chao's lower bound, log-linear models,
LCMCR) returns one frozen :class:`Estimate`. Its :meth:`Estimate.to_dict` is the
``aban mse --json`` object of DESIGN.md section 4.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ["Estimate", "format_terms"]


def format_terms(terms: tuple[str, ...]) -> str:
    """Write a generating class in Rcapture notation.

    Args:
        terms: the generating terms, e.g. ``("123", "14", "34")``.

    Returns:
        The bracketed notation, e.g. ``"[123,14,34]"``.
    """
    return "[" + ",".join(terms) + "]"


def _plain(value: Any) -> Any:
    """Convert mappings, tuples and NumPy scalars to JSON-ready Python values."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if hasattr(value, "item") and callable(value.item):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _number(value: float) -> float | None:
    """A float for JSON, or None when it is not finite (JSON has no infinity)."""
    number = float(value)
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class Estimate:
    """One estimate of a population size (observed plus unobserved).

    Attributes:
        model: the estimator's name: ``"lincoln-petersen"``, ``"chapman"``,
            ``"chao"``, ``"loglinear"``, ``"lcmcr"``, ...
        terms: for a log-linear model the generating class in Rcapture notation,
            one string per term (``("123", "14", "34")``); None for other models.
        estimate: the point estimate N-hat (MLE, or the posterior median).
        lower: lower end of the 95% interval.
        upper: upper end of the 95% interval.
        observed: n, the number of distinct individuals seen on any list.
        lists: the list names, in the column order of the input.
        settings: everything needed to reproduce the estimate (seed, K, burn-in,
            samples, thinning, chains, selection criterion, ...).
        se: the standard error of N-hat, or None when the method gives none.
        interval: how ``lower`` and ``upper`` were obtained, e.g.
            ``"log-transformed"``, ``"profile-likelihood"``, ``"posterior-quantiles"``.
        warnings: problems with this estimate (non-identifiable model, MLE on the
            boundary, ...), as one-line messages. Empty when there are none.
        extra: method-specific figures (deviance, df, AIC, BIC, f0, ...).
    """

    model: str
    terms: tuple[str, ...] | None
    estimate: float
    lower: float
    upper: float
    observed: int
    lists: tuple[str, ...]
    settings: Mapping[str, Any] = field(default_factory=dict)
    se: float | None = None
    interval: str = ""
    warnings: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "settings", MappingProxyType(dict(self.settings)))
        object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))
        object.__setattr__(self, "lists", tuple(self.lists))
        object.__setattr__(self, "warnings", tuple(self.warnings))
        if self.terms is not None:
            object.__setattr__(self, "terms", tuple(self.terms))

    @property
    def terms_text(self) -> str | None:
        """The generating class as text, ``"[123,14,34]"``, or None."""
        return None if self.terms is None else format_terms(self.terms)

    @property
    def label(self) -> str:
        """The model name with its terms, e.g. ``"loglinear [123,14,34]"``."""
        text = self.terms_text
        return self.model if text is None else f"{self.model} {text}"

    def to_dict(self) -> dict[str, Any]:
        """The ``aban mse --json`` object (DESIGN.md section 4).

        ``model`` is a string: the model name followed, for log-linear models, by
        the generating class (``"loglinear [123,14,34]"``); ``terms`` repeats the
        class alone (or is null). Non-finite numbers become null.

        Returns:
            A JSON-ready dict with the keys ``model``, ``terms``, ``estimate``,
            ``lower``, ``upper``, ``observed``, ``lists``, ``settings``, ``se``,
            ``interval``, ``warnings`` and ``extra``.
        """
        return {
            "model": self.label,
            "terms": self.terms_text,
            "estimate": _number(self.estimate),
            "lower": _number(self.lower),
            "upper": _number(self.upper),
            "observed": int(self.observed),
            "lists": list(self.lists),
            "settings": _plain(self.settings),
            "se": None if self.se is None else _number(self.se),
            "interval": self.interval,
            "warnings": list(self.warnings),
            "extra": _plain(self.extra),
        }
