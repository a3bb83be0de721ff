"""Trace and posterior plots are written as PNG files."""

from __future__ import annotations

import numpy as np

from aban.estimate.lcmcr import fit_lcmcr
from aban.estimate.plots import plot_lcmcr, plot_posterior, plot_trace

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _is_png(path) -> bool:
    data = path.read_bytes()
    return data[:8] == PNG_MAGIC and len(data) > 5_000


def test_trace_and_posterior_plots_of_plain_draws(tmp_path):
    draws = np.random.default_rng(1).normal(1000, 50, size=(2, 500))
    assert plot_trace(draws, tmp_path / "trace.png") == tmp_path / "trace.png"
    assert _is_png(tmp_path / "trace.png")
    plot_posterior(draws[0], tmp_path / "one.png", label="alpha", marks={"x": 990.0})
    assert _is_png(tmp_path / "one.png")


def test_lcmcr_figure(tmp_path):
    patterns = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [1, 1, 1]])
    counts = np.array([60, 50, 40, 20, 10])
    result = fit_lcmcr(patterns, counts, K=3, burnin=200, samples=200, thinning=1)
    path = plot_lcmcr(result, tmp_path / "lcmcr.png")
    assert _is_png(path)
