"""The synthetic list shapes of tests/data/shapes and their generator."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from types import ModuleType

#: The folder of the list shapes (synthetic lists shaped like users' lists).
SHAPES = Path(__file__).resolve().parent / "data" / "shapes"


@functools.cache
def load_shapes() -> ModuleType:
    """make_shapes.py (not a package module: it is run as a script too), loaded once."""
    spec = importlib.util.spec_from_file_location(
        "make_shapes", SHAPES / "make_shapes.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
