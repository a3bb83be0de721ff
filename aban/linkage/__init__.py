"""Record linkage: which records describe the same person.

The only sub-package that imports Splink (lazily, inside functions). The entry
point is :func:`link_records`; its result is a :class:`LinkResult`.
"""

from __future__ import annotations

from aban.linkage.engine import DEFAULT_THRESHOLD, LinkResult, link_records

__all__ = ["DEFAULT_THRESHOLD", "LinkResult", "link_records"]
