"""Starlette's TestClient, imported without its warning about httpx.

Starlette 1.x prefers the ``httpx2`` package and warns (an error under
``filterwarnings = error``) when it falls back to ``httpx``; the client works the
same with either.
"""

from __future__ import annotations

import warnings

from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

__all__ = ["TestClient"]
