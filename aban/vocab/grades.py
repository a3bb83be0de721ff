"""The verification grades (DESIGN.md 3), shared by grading, status and figures."""

from __future__ import annotations

from typing import Literal

Grade = Literal["confirmed", "corroborated", "single-source", "contested", "discounted"]
#: The grades, in the order headline tables show them (``aban status`` counts them).
GRADES: tuple[Grade, ...] = (
    "confirmed",
    "corroborated",
    "single-source",
    "contested",
    "discounted",
)
