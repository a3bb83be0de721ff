"""Grading persons: identification level now; verification grades come later."""

from __future__ import annotations

from aban.grade.identification import LEVELS, identification_level, person_level

__all__ = ["LEVELS", "identification_level", "person_level"]
