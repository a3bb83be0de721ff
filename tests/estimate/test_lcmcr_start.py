"""How the compiled LCMCR sampler starts (issue 14: speed at the command line)."""

from __future__ import annotations

import subprocess
import sys


def run(code: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return done.stdout.splitlines()


def test_a_fit_loads_the_sampler_without_numbas_full_start() -> None:
    # numba's full start imports all its implementations (about 0.12 s of CPU);
    # loading the cached sampler needs only its runtime. The typed containers
    # stand for the modules only the full start imports. The first run fills
    # numba's cache if it is empty (a compilation starts numba fully). (Where
    # the sampler's machine code loads without numba, as here without the
    # patch, numba is not imported at all: test_lcmcr_native.)
    code = (
        "import sys\n"
        "import numpy as np\n"
        "from aban.estimate import native\n"
        "native.sweeps = lambda: None\n"
        "from aban.estimate.lcmcr import fit_lcmcr\n"
        "res = fit_lcmcr(np.eye(3, dtype=np.int8), np.array([5, 6, 7]), burnin=0,\n"
        "                samples=2, thinning=1)\n"
        "print(res.draws.shape, 'numba.typed.typeddict' in sys.modules)\n"
    )
    run(code)
    assert run(code) == ["(2, 1) False"]


def test_the_start_after_a_light_one_is_full() -> None:
    # A cache miss compiles right after the light start: that compilation's start
    # must be the full one (with scipy.linalg still hidden from numba).
    out = run(
        "import sys\n"
        "from aban.estimate.kernels import target\n"
        "with target.light():\n"
        "    target.context.refresh()\n"
        "    print('numba.typed.typeddict' in sys.modules)\n"
        "    target.context.refresh()\n"
        "    print('numba.typed.typeddict' in sys.modules)\n"
        "print('scipy.linalg' in sys.modules, target.light_next)\n"
        "import scipy.linalg\n"
        "print('scipy.linalg' in sys.modules)\n"
    )
    assert out == ["False", "True", "False False", "True"]


def test_the_light_start_is_the_calling_threads_own() -> None:
    # Another thread's compilation, made while one thread loads from the cache,
    # starts numba fully.
    out = run(
        "import sys, threading\n"
        "from aban.estimate.kernels import target\n"
        "with target.light():\n"
        "    other = threading.Thread(target=target.context.refresh)\n"
        "    other.start()\n"
        "    other.join()\n"
        "    print('numba.typed.typeddict' in sys.modules, target.light_next)\n"
    )
    assert out == ["True True"]


def test_numba_is_imported_without_scipy_or_yaml_which_stay_importable() -> None:
    # numba imports SciPy only to check its version and PyYAML only to read a
    # .numba_config.yaml (about 0.02 s of CPU together at every LCMCR command).
    out = run(
        "import sys\n"
        "from aban.estimate import kernels\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'scipy', 'yaml'}))\n"
        "import scipy, yaml\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'scipy', 'yaml'}))\n"
    )
    assert out == ["[]", "['scipy', 'yaml']"]


def test_a_numba_config_file_keeps_yaml_for_numba(tmp_path, monkeypatch) -> None:
    # numba reads .numba_config.yaml from the current directory with PyYAML.
    (tmp_path / ".numba_config.yaml").write_text("")
    monkeypatch.chdir(tmp_path)
    out = run(
        "import sys\n"
        "from aban.estimate import kernels\n"
        "print('yaml' in sys.modules, 'scipy' in sys.modules)\n"
    )
    assert out == ["True False"]
