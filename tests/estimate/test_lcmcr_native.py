"""The LCMCR sampler's machine code loaded without numba (issue 14: speed at the
command line): the same draws as numba's kernel, kept and found again, and the
fall-backs when it cannot load."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from aban.estimate import kernels, native
from aban.estimate.lcmcr import _csr, fit_lcmcr, initial_state, kernel_arrays
from tests.estimate.test_lcmcr import latent_class_table

REFERENCE = Path(__file__).parent.parent / "data" / "reference"


def kosovo() -> tuple[np.ndarray, np.ndarray]:
    rows = np.loadtxt(REFERENCE / "kosovo_1999.csv", delimiter=",", skiprows=1)
    return rows[:, :-1].astype(np.int8), rows[:, -1].astype(np.int64)


TWENTY = latent_class_table(
    900,
    [0.5, 0.3, 0.2],
    [
        [0.04 + 0.01 * (j % 5) for j in range(20)],
        [0.12] * 20,
        [0.02 + 0.002 * j for j in range(20)],
    ],
    seed=5,
)


def fit(
    table: tuple[np.ndarray, np.ndarray], init: str, use_native: bool, mp
) -> np.ndarray:
    with mp.context() as m:
        if not use_native:
            m.setattr(native, "sweeps", lambda: None)
        result = fit_lcmcr(
            *table,
            K=10,
            burnin=3_000,
            samples=400,
            thinning=5,
            seed=9,
            init=init,
            sampler="gibbs",
        )
    return np.concatenate([result.draws, result.alpha, result.occupied])


@pytest.mark.parametrize("init", ["dispersed", "r"])
def test_the_loaded_code_draws_what_numbas_kernel_draws(init, monkeypatch) -> None:
    assert native.sweeps() is not None
    for table in (kosovo(), TWENTY[:2]):
        ours = fit(table, init, True, monkeypatch)
        theirs = fit(table, init, False, monkeypatch)
        np.testing.assert_array_equal(ours, theirs)


def test_several_levels_as_numbas_kernel(monkeypatch) -> None:
    # Sequential Monte Carlo runs many levels at once (each with its own counts).
    patterns, counts = kosovo()
    ptr, idx = _csr(patterns)
    rng = np.random.default_rng(4)
    states = [initial_state(rng, patterns.shape[1], 6, 100, 1.0) for _ in range(3)]
    runs = []
    for run in (native.sweeps(), kernels.run_sweeps):
        parts = zip(*map(kernel_arrays, states), strict=True)
        arrays = [np.stack(part) for part in parts]
        scalars = np.array([[1.0, 100.0], [0.5, 50.0], [2.0, 10.0]])
        level_counts = np.stack([counts, counts // 2, counts // 3])
        out = (np.zeros(30, np.int64), np.zeros(30), np.zeros(30, np.int64))
        rs = native.new_state(np.random.SeedSequence(2))
        run(
            rs,
            ptr,
            idx,
            level_counts,
            np.array([0.25, 0.25]),
            *arrays,
            scalars,
            200,
            10,
            *out,
            5,
            False,
        )
        runs.append((*out, *arrays, scalars, rs))
    for ours, theirs in zip(*runs, strict=True):
        np.testing.assert_array_equal(ours, theirs)


def test_arrays_that_do_not_fit_are_refused() -> None:
    patterns, counts = kosovo()
    ptr, idx = _csr(patterns)
    ratio, pi, prod0, seen, base = (
        part[None]
        for part in kernel_arrays(
            initial_state(np.random.default_rng(1), 4, 5, 10, 1.0)
        )
    )
    args = [
        native.new_state(np.random.SeedSequence(1)),
        ptr,
        idx,
        counts[None],
        np.array([0.25, 0.25]),
        ratio,
        pi,
        prod0,
        seen,
        base,
        np.array([[1.0, 10.0]]),
    ]
    sweeps = native.sweeps()
    assert sweeps is not None
    out = (np.zeros(4, np.int64), np.zeros(4), np.zeros(4, np.int64))
    with pytest.raises(ValueError, match="draws or the patterns do not fit"):
        sweeps(*args, 50, 10, *out, 0, False)  # 5 draws, room for 4
    with pytest.raises(ValueError, match="counts is not a C-ordered int64"):
        sweeps(
            *args[:3], counts[None].astype(np.int32), *args[4:], 40, 10, *out, 0, False
        )
    with pytest.raises(ValueError, match="ratio is not a C-ordered"):
        sweeps(
            *args[:5],
            np.asfortranarray(ratio[0])[None],
            *args[6:],
            40,
            10,
            *out,
            0,
            False,
        )


def run(code: str, **env: str) -> list[str]:
    import os

    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env},
    )
    return done.stdout.splitlines()


FIT = (
    "import sys\n"
    "import numpy as np\n"
    "from aban.estimate import native\n"
    "from aban.estimate.lcmcr import fit_lcmcr\n"
    "res = fit_lcmcr(np.eye(3, dtype=np.int8), np.array([5, 6, 7]), burnin=50,\n"
    "                samples=4, thinning=1)\n"
    "print(res.draws.tolist(), 'numba' in sys.modules, native.sweeps() is not None)\n"
)


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> tuple[Path, str]:
    """A numba cache folder where a first process compiled and kept the code,
    and the draws it printed."""
    folder = tmp_path_factory.mktemp("numba-cache")
    first = run(FIT, NUMBA_CACHE_DIR=str(folder))
    assert first[0].endswith("True True")  # compiled with numba, then loaded
    return folder, first[0].split("]] ")[0]


@pytest.fixture
def cache(compiled, tmp_path) -> tuple[Path, Path, str]:
    """A copy of that folder for one test: (folder, the kept file, the draws)."""
    folder, draws = compiled
    shutil.copytree(folder, tmp_path / "cache")
    (kept,) = (tmp_path / "cache" / "aban").glob("lcmcr-sweeps-*.bin")
    return tmp_path / "cache", kept, draws


def test_kept_code_loads_in_a_new_process_without_numba(cache) -> None:
    folder, _, draws = cache
    again = run(FIT, NUMBA_CACHE_DIR=str(folder))
    assert again[0] == f"{draws}]] False True"


def test_a_damaged_file_is_compiled_again(cache) -> None:
    folder, kept, draws = cache
    kept.write_bytes(b"not the sampler\n")
    assert run(FIT, NUMBA_CACHE_DIR=str(folder))[0] == f"{draws}]] True True"
    assert kept.read_bytes().startswith(native.MAGIC)
    assert run(FIT, NUMBA_CACHE_DIR=str(folder))[0] == f"{draws}]] False True"


def test_a_symbol_that_does_not_resolve_falls_back_to_numba(cache) -> None:
    # LLVM would end the process on an unresolved symbol: the code is not
    # loaded, and numba's kernel draws the same.
    folder, kept, draws = cache
    magic, symbol, externals, code = kept.read_bytes().split(b"\n", 3)
    missing = externals + b" no_such_symbol_here"
    kept.write_bytes(b"\n".join([magic, symbol, missing, code]))
    assert run(FIT, NUMBA_CACHE_DIR=str(folder))[0] == f"{draws}]] True False"


def test_a_change_of_the_kernels_source_changes_the_key(monkeypatch, tmp_path) -> None:
    import llvmlite.binding as ll

    before = native._key(ll, native._numba_folder())
    fake = tmp_path / "kernels.py"
    fake.write_text("changed")
    real_read = Path.read_bytes

    def read(self: Path) -> bytes:
        return real_read(fake if self.name == "kernels.py" else self)

    monkeypatch.setattr(Path, "read_bytes", read)
    assert native._key(ll, native._numba_folder()) != before


def test_an_unwritable_cache_folder_still_loads_the_code(monkeypatch, tmp_path):
    # The code is compiled and loaded in memory; nothing is kept.
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setattr(native, "cache_folder", lambda: blocker / "aban")
    native.sweeps.cache_clear()
    try:
        assert native.sweeps() is not None
    finally:
        native.sweeps.cache_clear()
    assert list(tmp_path.iterdir()) == [blocker]


def test_an_error_in_the_loop_is_raised_not_ignored() -> None:
    # The entry point returns 1 where the loop raised (numba's exception cannot
    # cross the C signature): the caller gets an error, never the draws so far.
    patterns, counts = kosovo()
    ptr, idx = _csr(patterns)
    state = initial_state(np.random.default_rng(1), 4, 5, 10, 1.0)
    arrays = [part[None] for part in kernel_arrays(state)]
    failing = native.Sweeps(engine=None, entry=lambda *args: 1)
    out = (np.zeros(4, np.int64), np.zeros(4), np.zeros(4, np.int64))
    rs = native.new_state(np.random.SeedSequence(1))
    prior, scalars = np.array([0.25, 0.25]), np.array([[1.0, 10.0]])
    with pytest.raises(ArithmeticError, match="sampler stopped on an error"):
        failing(
            rs, ptr, idx, counts[None], prior, *arrays, scalars, 40, 10, *out, 0, False
        )


def test_missing_files_fall_back_instead_of_failing(monkeypatch) -> None:
    def missing(*args):
        raise FileNotFoundError("gone")

    native.sweeps.cache_clear()
    try:
        # A source file to hash is missing: compiled and loaded, not kept.
        with monkeypatch.context() as m:
            m.setattr(native, "_key", missing)
            m.setattr(native, "_write", missing)
            assert native.sweeps() is not None
        native.sweeps.cache_clear()
        # numba's extension modules are missing: numba's kernel runs.
        with monkeypatch.context() as m:
            m.setattr(native, "_extension_path", missing)
            assert native.sweeps() is None
    finally:
        native.sweeps.cache_clear()
