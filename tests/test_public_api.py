"""The public API: all of __all__ exists, and __all__ is sorted (as httpx checks)."""

from __future__ import annotations

import aban


def test_all_is_sorted_and_complete() -> None:
    assert aban.__all__ == sorted(aban.__all__)
    for name in aban.__all__:
        assert hasattr(aban, name), name


def test_version_matches_package_metadata() -> None:
    from importlib.metadata import version

    assert aban.__version__ == version("aban")


def test_importing_aban_loads_no_heavy_dependency() -> None:
    import subprocess
    import sys

    code = (
        "import sys, aban; heavy = {'numpy', 'scipy', 'pandas', 'splink', 'duckdb',"
        " 'numba'} & set(sys.modules); print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]"
