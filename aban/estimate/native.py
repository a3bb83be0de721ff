"""The compiled LCMCR sampler, loaded without numba (issue 14: command-line speed).

numba compiles the sampler once and keeps it in its on-disk cache; but every
later command still pays numba's own start to load it: importing numba, defining
the kernels' dispatchers and reading the cache cost about 0.2 s of CPU, a tenth
of an `aban mse` at R's long settings. This module keeps the machine code of the
sampler's loop (:func:`aban.estimate.kernels.native_sweeps`: numba compiles it,
once per machine and version) in a file of its own, and loads it with llvmlite
alone, the library numba itself links with (about 0.03 s); ctypes calls it,
releasing the GIL, so that chains run side by side in threads as before. The
code is the same, so are the draws (the tests compare them).

The file (``lcmcr-sweeps-KEY.bin``) lies where numba keeps its cache of these
kernels: ``NUMBA_CACHE_DIR`` if set, else the package's ``__pycache__`` if
writable, else the user's cache folder. KEY hashes everything the code depends
on: the kernels' source, this module, numba's and llvmlite's versions, the
processor and Python. When something is missing (no llvmlite, a symbol that does
not resolve), :func:`sweeps` returns ``None`` and the caller runs numba's kernel.
"""

from __future__ import annotations

import builtins
import ctypes
import functools
import hashlib
import importlib.machinery
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
U64 = npt.NDArray[np.uint64]

#: The first line of a kept file; a change of its layout or of the entry
#: point's arguments changes it.
MAGIC = b"aban lcmcr sweeps 1\n"
_P, _I = ctypes.c_void_p, ctypes.c_int64
#: The entry point's C signature (see :func:`aban.estimate.kernels.native_sweeps`).
PROTOTYPE = ctypes.CFUNCTYPE(
    ctypes.c_int32,
    *(_P, _P, _P, _I, _P, _I, _I, _I, _I),  # rs, ptr, idx, sizes
    *(_P,) * 7,  # prior, ratio, pi, prod0, seen, base, scalars
    *(_I, _I, _P, _P, _P, _I, _I, _I),  # n_iter, thinning, out, offset, fix_alpha
    *(_P,) * 6,  # scratch, orders, n_obs
)


def new_state(seed: np.random.SeedSequence) -> U64:
    """A xoshiro256** state from a seed sequence (never all zero)."""
    state = np.asarray(seed.generate_state(4, dtype=np.uint64), dtype=np.uint64)
    if not state.any():
        state[0] = 1
    return state


class Sweeps:
    """The loaded sampler; called as :func:`aban.estimate.kernels.run_sweeps`."""

    def __init__(self, engine: Any, entry: Any) -> None:
        self._engine = engine  # owns the machine code: kept as long as the entry
        self._entry = entry

    def __call__(  # noqa: PLR0913 - the signature of kernels.run_sweeps
        self,
        rs: U64,
        ptr: I64,
        idx: I64,
        counts: I64,
        prior: F64,
        ratio: F64,
        pi: F64,
        prod0: F64,
        seen: F64,
        base: F64,
        scalars: F64,
        n_iter: int,
        thinning: int,
        out_n: I64,
        out_alpha: F64,
        out_occupied: I64,
        offset: int,
        fix_alpha: bool,
    ) -> None:
        """Run ``n_iter`` iterations in place, as :func:`kernels.run_sweeps` does.

        The arrays are checked here (the compiled code trusts its sizes): C order,
        the kernels' dtypes, consistent shapes, room for the kept draws.
        """
        levels, n_list, n_class = ratio.shape
        n_pattern = ptr.shape[0] - 1
        shapes = {
            "rs": (rs, np.uint64, (4,)),
            "ptr": (ptr, np.int64, (n_pattern + 1,)),
            "idx": (idx, np.int64, (idx.shape[0],)),
            "counts": (counts, np.int64, (levels, n_pattern)),
            "prior": (prior, np.float64, (2,)),
            "ratio": (ratio, np.float64, (levels, n_list, n_class)),
            "pi": (pi, np.float64, (levels, n_class)),
            "prod0": (prod0, np.float64, (levels, n_class)),
            "seen": (seen, np.float64, (levels, n_class)),
            "base": (base, np.float64, (levels, n_class)),
            "scalars": (scalars, np.float64, (levels, 2)),
            "out_n": (out_n, np.int64, out_n.shape),
            "out_alpha": (out_alpha, np.float64, out_n.shape),
            "out_occupied": (out_occupied, np.int64, out_n.shape),
        }
        for name, (arr, dtype, shape) in shapes.items():
            if arr.dtype != dtype or arr.shape != shape or not arr.flags.c_contiguous:
                raise ValueError(
                    f"sweeps: {name} is not a C-ordered {np.dtype(dtype)} {shape}"
                )
        kept = n_iter // thinning if thinning > 0 else 0
        if (
            offset < 0
            or offset + kept > out_n.shape[0]
            or int(idx.max(initial=0)) >= n_list
        ):
            raise ValueError("sweeps: the draws or the patterns do not fit the arrays")
        scratch = (
            np.empty(n_class),
            np.empty((3, n_class)),
            np.empty(n_class, dtype=np.int64),
            np.empty((n_list, n_class), dtype=np.int64),
            np.empty((levels, n_class), dtype=np.int64),
            np.empty(levels, dtype=np.int64),
        )
        status = self._entry(
            *(rs.ctypes.data, ptr.ctypes.data, idx.ctypes.data, idx.shape[0]),
            *(counts.ctypes.data, levels, n_pattern, n_list, n_class),
            *(a.ctypes.data for a in (prior, ratio, pi, prod0, seen, base, scalars)),
            *(n_iter, thinning, out_n.ctypes.data, out_alpha.ctypes.data),
            *(out_occupied.ctypes.data, out_n.shape[0], offset, int(fix_alpha)),
            *(a.ctypes.data for a in scratch),
        )
        if status != 0:
            raise ArithmeticError("the compiled LCMCR sampler stopped on an error")


@functools.cache
def sweeps() -> Sweeps | None:
    """The compiled sampler's loop, loaded without numba; compiled (by numba) and
    kept on first use. ``None`` where it cannot be loaded: run numba's kernel."""
    if sys.platform == "win32":  # pragma: no cover - the process's symbols differ
        return None
    # llvmlite comes with numba; without one of numba's files, numba's kernel runs.
    try:
        import llvmlite.binding as ll

        numba = _numba_folder()
        _add_symbols(ll, numba)
    except (ImportError, OSError):
        return None
    try:
        path = cache_folder() / f"lcmcr-sweeps-{_key(ll, numba)[:24]}.bin"
    except OSError:  # a source file to hash is missing (aban run from an archive)
        path = None
    kept = _read(path) if path is not None else None
    if kept is None:
        from aban.estimate.kernels import native_sweeps

        kept = native_sweeps()
        if path is not None:
            _write(path, kept)
    return _link(ll, *kept)


def cache_folder() -> Path:
    """Where the sampler's machine code is kept (see the module docstring)."""
    env = os.environ.get("NUMBA_CACHE_DIR")
    if env:
        return Path(env) / "aban"
    here = Path(__file__).parent / "__pycache__"
    if os.access(here if here.is_dir() else here.parent, os.W_OK):
        return here
    home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(home) / "aban"


def _key(ll: ModuleType, numba: Path) -> str:
    """A hash of what the machine code depends on (OSError if a file is missing)."""
    digest = hashlib.sha256(MAGIC)
    for part in (
        (Path(__file__).parent / "kernels.py").read_bytes(),
        Path(__file__).read_bytes(),
        (numba / "_version.py").read_bytes(),
        _stamp(_extension_path(numba, "_helperlib")),
        repr(ll.llvm_version_info).encode(),
        ll.get_host_cpu_name().encode(),
        ll.get_host_cpu_features().flatten().encode(),
        sys.version.encode(),
        sys.platform.encode(),
    ):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def _stamp(path: Path) -> bytes:
    """A file's size and time of change (a reinstall changes them)."""
    stat = path.stat()
    return f"{stat.st_size} {stat.st_mtime_ns}".encode()


def _read(path: Path) -> tuple[bytes, str, tuple[str, ...]] | None:
    """A kept file's object code, entry point and external symbols, or None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, _, rest = data.partition(b"\n")
    if head + b"\n" != MAGIC or rest.count(b"\n") < 2:
        return None
    symbol, externals, code = rest.split(b"\n", 2)
    return code, symbol.decode(), tuple(externals.decode().split())


def _write(path: Path, kept: tuple[bytes, str, tuple[str, ...]]) -> None:
    """Keep the machine code (atomically; not at all where the folder is not
    writable: the next process compiles it again)."""
    import tempfile  # only when the code was compiled

    code, symbol, externals = kept
    data = MAGIC + symbol.encode() + b"\n" + " ".join(externals).encode() + b"\n" + code
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
            tmp.write(data)
    except OSError:
        return
    try:
        os.replace(tmp.name, path)
    except OSError:
        Path(tmp.name).unlink(missing_ok=True)


def _link(
    ll: ModuleType, code: bytes, symbol: str, externals: tuple[str, ...]
) -> Sweeps | None:
    """Link the object code into this process; None if a symbol is missing."""
    ll.initialize_native_target()
    ll.initialize_native_asmprinter()
    process = ctypes.CDLL(None)
    if not all(
        ll.address_of_symbol(name) or hasattr(process, name) for name in externals
    ):
        return None  # LLVM would end the process on an unresolved symbol
    target = ll.Target.from_default_triple()
    machine = target.create_target_machine(
        cpu=ll.get_host_cpu_name(),
        features=ll.get_host_cpu_features().flatten(),
        codemodel="jitdefault",
    )
    engine = ll.create_mcjit_compiler(ll.parse_assembly(""), machine)
    engine.add_object_file(ll.ObjectFileRef.from_data(code))
    engine.finalize_object()
    address = engine.get_function_address(symbol)
    return Sweeps(engine, PROTOTYPE(address)) if address else None


def _add_symbols(ll: ModuleType, numba: Path) -> None:
    """Give LLVM the symbols numba gives it at its start: its C helpers, its
    runtime's functions and CPython's exception classes."""
    for name, stem, prefix in (
        ("numba._helperlib", "_helperlib", "numba_"),
        ("numba._dynfunc", "_dynfunc", "numba_"),
        ("numba.core.runtime._nrt_python", "core/runtime/_nrt_python", "NRT_"),
    ):
        helpers = _extension(name, _extension_path(numba, stem)).c_helpers
        for py_name, address in helpers.items():
            c_name = (
                py_name
                if prefix == "NRT_" and py_name.startswith("_")
                else prefix + py_name
            )
            ll.add_symbol(c_name, address)
    ll.add_symbol("_Py_NoneStruct", id(None))
    for obj in builtins.__dict__.values():
        if isinstance(obj, type) and issubclass(obj, BaseException):
            ll.add_symbol(f"PyExc_{obj.__name__}", id(obj))


def _numba_folder() -> Path:
    """numba's package folder, found without importing numba."""
    spec = importlib.util.find_spec("numba")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover
        raise ImportError("numba is not installed")  # a core dependency
    return Path(next(iter(spec.submodule_search_locations)))


def _extension_path(folder: Path, stem: str) -> Path:
    """The file of one of numba's C extension modules."""
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = folder / f"{stem}{suffix}"
        if path.is_file():
            return path
    raise FileNotFoundError(f"numba's {stem} extension is missing")


def _extension(name: str, path: Path) -> Any:
    """One of numba's C extension modules, loaded without importing numba (which
    would run numba's whole start); the one numba loaded if it is loaded."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:  # pragma: no cover
        raise ImportError(f"cannot load {path.name}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
