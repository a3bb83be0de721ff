"""Who each source lists: heterogeneous, correlated capture.

Model (logit scale): person *i* is listed by source *k* with probability
``sigmoid(alpha_k + v_i + d_k)``, where ``alpha_k`` is the source's reach, ``v_i``
the person's visibility, shared by every source (so capture is heterogeneous and
positively correlated across sources), and ``d_k`` a list dependence: the media
source copies the NGO list (``+0.7`` if the NGO list holds the person).

* ``latent-class``: three classes (shares 0.30, 0.45, 0.25) with visibility
  -2.0, 0.0 and +1.8, plus a small class-by-source effect (normal, sd 0.4), so
  sources differ in whom they reach (the LCMCR model's world).
* ``continuous``: ``v_i`` is normal with sd 1.5 (a logit-normal capture
  probability); some people are almost invisible to every source.

Each source's overall capture rate lies roughly between 20% and 70%.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

CLASS_SHARES = (0.30, 0.45, 0.25)
CLASS_EFFECTS = (-2.0, 0.0, 1.8)
CLASS_SOURCE_SD = 0.4
VISIBILITY_SD = 1.5
#: (listing source, dependent source, logit shift): sources are numbered from 0.
DEPENDENCE = ((0, 1, 0.7),)


class HasReach(Protocol):
    """A source specification: its name and its reach (None: drawn at random)."""

    @property
    def name(self) -> str: ...

    @property
    def alpha(self) -> float | None: ...


@dataclass(frozen=True)
class CaptureModel:
    """The parameters drawn for one scenario, and each person's latent values."""

    mode: str
    names: tuple[str, ...]
    alpha: tuple[float, ...]
    class_source: tuple[tuple[float, ...], ...]  # (class, source) effects; () if none
    latent_class: npt.NDArray[np.int64]  # -1 in continuous mode
    visibility: npt.NDArray[np.float64]
    rates: tuple[float, ...]  # realised share of persons each source lists

    def class_probabilities(self) -> list[list[float]]:
        """Per latent class, each source's capture probability (before dependence)."""
        return [
            [
                round(float(_sigmoid(np.array(a + effect + x))), 4)
                for a, x in zip(self.alpha, row, strict=True)
            ]
            for effect, row in zip(CLASS_EFFECTS, self.class_source, strict=True)
        ]

    def to_dict(self) -> dict[str, Any]:
        """The model for ``scenario.json``."""
        result: dict[str, Any] = {
            "mode": self.mode,
            "formula": "P(listed) = sigmoid(alpha[k] + visibility[i] + dependence)",
            "alpha": {
                n: round(a, 4) for n, a in zip(self.names, self.alpha, strict=True)
            },
            "dependence": [
                {"listed_by": self.names[i], "raises": self.names[j], "logit": g}
                for i, j, g in DEPENDENCE
                if j < len(self.names)
            ],
            "capture_rates": {
                n: round(r, 4) for n, r in zip(self.names, self.rates, strict=True)
            },
        }
        if self.mode == "latent-class":
            result["classes"] = {
                "shares": list(CLASS_SHARES),
                "visibility": list(CLASS_EFFECTS),
                "class_source_effects": [
                    [round(x, 4) for x in c] for c in self.class_source
                ],
                "capture_probabilities": self.class_probabilities(),
            }
        else:
            result["visibility_sd"] = VISIBILITY_SD
        return result


def _sigmoid(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.asarray(1.0 / (1.0 + np.exp(-x)), dtype=np.float64)


def capture(
    mode: str,
    specs: Sequence[HasReach],
    n: int,
    latent_rng: np.random.Generator,
    source_rngs: Sequence[np.random.Generator],
) -> tuple[CaptureModel, npt.NDArray[np.bool_]]:
    """Decide which sources list each person.

    Args:
        mode: ``latent-class`` or ``continuous``.
        specs: The sources, in order; a source without ``alpha`` draws its reach
            uniformly in [-1.0, 0.2] from its own stream.
        n: Number of persons.
        latent_rng: Stream for the persons' latent class or visibility.
        source_rngs: One stream per source (its reach, effects and captures).

    Returns:
        The model and the (n, K) boolean capture matrix.
    """
    k = len(specs)
    if mode == "latent-class":
        latent = latent_rng.choice(len(CLASS_SHARES), n, p=CLASS_SHARES).astype(
            np.int64
        )
        visibility = np.asarray(CLASS_EFFECTS, dtype=np.float64)[latent]
    else:
        latent = np.full(n, -1, dtype=np.int64)
        visibility = latent_rng.normal(0.0, VISIBILITY_SD, n)
    captures = np.zeros((n, k), dtype=np.bool_)
    alphas, effects = [], []
    for j, (spec, rng) in enumerate(zip(specs, source_rngs, strict=True)):
        alpha = spec.alpha if spec.alpha is not None else float(rng.uniform(-1.0, 0.2))
        logit = alpha + visibility
        if mode == "latent-class":
            effect = rng.normal(0.0, CLASS_SOURCE_SD, len(CLASS_SHARES))
            logit = logit + effect[latent]
            effects.append(tuple(float(e) for e in effect))
        for listing, dependent, shift in DEPENDENCE:
            if dependent == j:
                logit = logit + shift * captures[:, listing]
        captures[:, j] = rng.random(n) < _sigmoid(logit)
        alphas.append(float(alpha))
    class_source = tuple(zip(*effects, strict=True)) if effects else ()
    rates = tuple(float(r) for r in captures.mean(axis=0))
    names = tuple(spec.name for spec in specs)
    model = CaptureModel(
        mode, names, tuple(alphas), class_source, latent, visibility, rates
    )
    return model, captures
