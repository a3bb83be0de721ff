"""Trace and posterior-density plots of MCMC draws (matplotlib, Agg, PNG files).

The figures are drawn on a :class:`matplotlib.figure.Figure` with the Agg canvas,
never through ``pyplot``: no global state, no display needed, safe in threads.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from aban.estimate.lcmcr import LcmcrResult

__all__ = ["plot_lcmcr", "plot_posterior", "plot_trace"]

DPI = 120


def _figure(width: float, height: float, rows: int = 1) -> tuple[Any, list[Any]]:
    """A figure with ``rows`` stacked axes, on the Agg canvas."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig, [fig.add_subplot(rows, 1, i + 1) for i in range(rows)]


def _chains(draws: npt.ArrayLike) -> npt.NDArray[np.float64]:
    x = np.asarray(draws, dtype=np.float64)
    return x[None, :] if x.ndim == 1 else x


def _trace(ax: Any, draws: npt.NDArray[np.float64], label: str) -> None:
    """One line per chain against the kept-draw index."""
    for i, chain in enumerate(draws):
        ax.plot(chain, linewidth=0.6, alpha=0.8, label=f"chain {i + 1}")
    ax.set_xlabel("kept draw")
    ax.set_ylabel(label)
    ax.set_title(f"Trace of {label}")
    if draws.shape[0] > 1:
        ax.legend(loc="upper right", fontsize="small")


def _density(
    ax: Any, draws: npt.NDArray[np.float64], label: str, marks: dict[str, float]
) -> None:
    """Histogram of the pooled draws, each chain's outline, and vertical marks."""
    pooled = draws.ravel()
    bins = np.histogram_bin_edges(pooled, bins="fd" if pooled.size > 50 else 10)
    bins = bins if bins.size <= 201 else np.linspace(pooled.min(), pooled.max(), 201)
    ax.hist(pooled, bins=bins, density=True, color="0.8", label="all chains")
    for i, chain in enumerate(draws if draws.shape[0] > 1 else []):
        ax.hist(chain, bins=bins, density=True, histtype="step", label=f"chain {i + 1}")
    for name, value in marks.items():
        ax.axvline(value, color="black", linestyle="--", linewidth=0.8)
        ax.annotate(
            name,
            (value, 1.0),
            xycoords=("data", "axes fraction"),
            rotation=90,
            va="top",
            ha="right",
            fontsize="small",
        )
    ax.set_xlabel(label)
    ax.set_ylabel("posterior density")
    ax.set_title(f"Posterior of {label}")
    ax.legend(loc="upper right", fontsize="small")


def plot_trace(draws: npt.ArrayLike, path: str | Path, *, label: str = "N") -> Path:
    """Write a trace plot (one line per chain) of ``draws`` (chains x draws) to a PNG.

    Returns:
        The path written.
    """
    fig, (ax,) = _figure(8.0, 3.5)
    _trace(ax, _chains(draws), label)
    fig.savefig(Path(path), format="png")
    return Path(path)


def plot_posterior(
    draws: npt.ArrayLike,
    path: str | Path,
    *,
    label: str = "N",
    marks: dict[str, float] | None = None,
) -> Path:
    """Write the posterior density of ``draws`` to a PNG, with optional marks.

    Args:
        draws: chains x draws (or one chain).
        path: the PNG file to write.
        label: the quantity's name, for the axes.
        marks: vertical lines to draw, by name (e.g. ``{"median": 10440}``); by
            default the median and the 2.5% and 97.5% quantiles.

    Returns:
        The path written.
    """
    x = _chains(draws)
    if marks is None:
        low, mid, high = np.quantile(x, [0.025, 0.5, 0.975])
        marks = {"2.5%": float(low), "median": float(mid), "97.5%": float(high)}
    fig, (ax,) = _figure(8.0, 3.5)
    _density(ax, x, label, marks)
    fig.savefig(Path(path), format="png")
    return Path(path)


def plot_lcmcr(result: LcmcrResult, path: str | Path) -> Path:
    """Write the trace and the posterior of N from an LCMCR fit as one PNG.

    Returns:
        The path written.
    """
    x = result.draws.astype(np.float64)
    marks = {"2.5%": result.lower, "median": result.median, "97.5%": result.upper}
    fig, (top, bottom) = _figure(8.0, 6.5, rows=2)
    _trace(top, x, "N")
    _density(bottom, x, "N", marks)
    fig.suptitle(
        f"LCMCR: observed {result.observed:,}, median {result.median:,.0f} "
        f"[{result.lower:,.0f}-{result.upper:,.0f}], R-hat {result.rhat:.3f}, "
        f"ESS {result.ess:,.0f}"
    )
    fig.savefig(Path(path), format="png")
    return Path(path)
