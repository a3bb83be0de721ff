"""Injury regions for linkage: see :mod:`aban.text.injuries` (one vocabulary)."""

from __future__ import annotations

from aban.text.injuries import injury_region

__all__ = ["injury_region"]
