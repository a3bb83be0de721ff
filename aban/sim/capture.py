"""Who each source lists: heterogeneous, correlated capture.

Each source has a reach ``alpha_k`` (logit scale, drawn uniformly in [-1.0, 0.2]
unless its specification fixes it), and each person a visibility ``v_i`` shared
by every source, so capture is heterogeneous and positively correlated across
sources: some people are more visible to every source.

* ``latent-class``: the world of the LCMCR model. Three classes (shares 0.30,
  0.45, 0.25) with visibility -0.75, 0.0 and +0.75; class c is listed by source
  k with probability ``lambda[c, k] ~ Beta(6 m, 6 (1 - m))``, ``m = sigmoid(alpha_k
  + v_c)``, so sources also differ in whom they reach. Within a class, sources
  list people independently (the model's own assumption: no list dependence).
* ``continuous``: ``v_i`` is normal with sd 1.5 and person i is listed by source k
  with probability ``sigmoid(alpha_k + v_i + d_k)``, where ``d_k`` is a list
  dependence (the media source copies the NGO list: ``+0.7`` if the NGO list holds
  the person). Some people are almost invisible to every source, and no finite
  latent-class model is true.

Each source's overall capture rate lies roughly between 20% and 70%.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

CLASS_SHARES = (0.30, 0.45, 0.25)
CLASS_EFFECTS = (-0.75, 0.0, 0.75)
#: Concentration of the Beta distribution of a class's capture probability by source.
CLASS_CONCENTRATION = 6.0
VISIBILITY_SD = 1.5
#: Continuous mode only (listing source, dependent source, logit shift), from 0.
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
    class_capture: tuple[tuple[float, ...], ...]  # (class, source) probability; ()
    latent_class: npt.NDArray[np.int64]  # -1 in continuous mode
    visibility: npt.NDArray[np.float64]
    rates: tuple[float, ...]  # realised share of persons each source lists

    def to_dict(self) -> dict[str, Any]:
        """The model for ``scenario.json``."""
        result: dict[str, Any] = {
            "mode": self.mode,
            "alpha": {
                n: round(a, 4) for n, a in zip(self.names, self.alpha, strict=True)
            },
            "capture_rates": {
                n: round(r, 4) for n, r in zip(self.names, self.rates, strict=True)
            },
        }
        if self.mode == "latent-class":
            result["formula"] = (
                "P(listed by k | class c) = lambda[c][k] ~ "
                "Beta(6 m, 6 (1 - m)), m = sigmoid(alpha[k] + visibility[c])"
            )
            result["classes"] = {
                "shares": list(CLASS_SHARES),
                "visibility": list(CLASS_EFFECTS),
                "concentration": CLASS_CONCENTRATION,
                "capture_probabilities": [
                    [round(p, 4) for p in row] for row in self.class_capture
                ],
            }
        else:
            result["formula"] = (
                "P(listed) = sigmoid(alpha[k] + visibility[i] + dependence)"
            )
            result["visibility_sd"] = VISIBILITY_SD
            result["dependence"] = [
                {"listed_by": self.names[i], "raises": self.names[j], "logit": g}
                for i, j, g in DEPENDENCE
                if j < len(self.names)
            ]
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
    if mode == "latent-class":
        latent = latent_rng.choice(len(CLASS_SHARES), n, p=CLASS_SHARES).astype(
            np.int64
        )
        visibility = np.asarray(CLASS_EFFECTS, dtype=np.float64)[latent]
    else:
        latent = np.full(n, -1, dtype=np.int64)
        visibility = latent_rng.normal(0.0, VISIBILITY_SD, n)
    captures = np.zeros((n, len(specs)), dtype=np.bool_)
    alphas, columns = [], []
    for j, (spec, rng) in enumerate(zip(specs, source_rngs, strict=True)):
        alpha = spec.alpha if spec.alpha is not None else float(rng.uniform(-1.0, 0.2))
        if mode == "latent-class":
            column = _class_capture(alpha, rng)
            probability = column[latent]
            columns.append(tuple(float(p) for p in column))
        else:
            logit = alpha + visibility
            for listing, dependent, shift in DEPENDENCE:
                if dependent == j:
                    logit = logit + shift * captures[:, listing]
            probability = _sigmoid(logit)
        captures[:, j] = rng.random(n) < probability
        alphas.append(float(alpha))
    class_capture = tuple(zip(*columns, strict=True)) if columns else ()
    rates = tuple(float(r) for r in captures.mean(axis=0))
    names = tuple(spec.name for spec in specs)
    model = CaptureModel(
        mode, names, tuple(alphas), class_capture, latent, visibility, rates
    )
    return model, captures


def _class_capture(alpha: float, rng: np.random.Generator) -> npt.NDArray[np.float64]:
    """One source's capture probability for each latent class."""
    mean = _sigmoid(alpha + np.asarray(CLASS_EFFECTS, dtype=np.float64))
    return np.asarray(
        rng.beta(CLASS_CONCENTRATION * mean, CLASS_CONCENTRATION * (1.0 - mean)),
        dtype=np.float64,
    )
