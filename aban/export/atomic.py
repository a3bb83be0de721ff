"""Writing an export all at once: a temporary name in the same folder, then a rename.

A crash leaves either the old state or the whole export, never part of one (the
temporary file or folder, named ``.NAME.aban-export-*.tmp``, may remain and can be
removed). Files are created readable by their owner only (0600, folders 0700):
an export holds personal data.

An existing file is replaced only with ``force``. A folder that is not empty is
replaced only with ``force`` and only if it holds nothing but the files of an
earlier export, so ``--force`` never deletes anything else.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from aban.errors import ConfigError


def _fail(out: Path, why: str, fix: str) -> ConfigError:
    return ConfigError(f"{out}: {why}; {fix}")


def check_target(out: Path, folder: bool, force: bool, known: Collection[str]) -> None:
    """Refuse a target the export must not write to.

    Args:
        out: the export's path.
        folder: whether the export is a folder (CSV) or one file.
        force: replace an existing export.
        known: the file names an export folder may hold (for ``force``).

    Raises:
        ConfigError: ``out`` is the wrong kind of thing, or holds something.
    """
    if folder and out.exists() and not out.is_dir():
        raise _fail(out, "not a folder", "give a new or empty folder for a CSV export")
    if not folder and out.is_dir():
        raise _fail(out, "is a folder", "give a file name, e.g. export.zip")
    if folder and out.is_dir():
        entries = [p for p in out.iterdir()]
        if entries and not force:
            raise _fail(out, "folder is not empty", "choose another, or --force")
        if any(p.name not in known or not p.is_file() for p in entries):
            raise _fail(
                out,
                "folder holds files that are not from an export",
                "choose a new or empty folder",
            )
    if not folder and out.exists() and not force:
        raise _fail(out, "file exists", "choose another name, or --force")


def _temp_name(out: Path, suffix: str = "tmp") -> Path:
    return out.parent / f".{out.name}.aban-export-{secrets.token_hex(4)}.{suffix}"


def _write(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_folder(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@dataclass
class Staged:
    """An export written under a temporary name, waiting to be put in place."""

    out: Path
    temp: Path
    folder: bool

    def commit(self) -> None:
        """Put the export in place (replacing an earlier one), atomically."""
        if not self.folder:
            os.replace(self.temp, self.out)
        elif not self.out.exists():
            os.rename(self.temp, self.out)
        else:
            old = _temp_name(self.out, "old")
            os.rename(self.out, old)
            os.rename(self.temp, self.out)
            shutil.rmtree(old, ignore_errors=True)
        _sync_folder(self.out.parent)

    def discard(self) -> None:
        """Remove the temporary file or folder."""
        if self.folder:
            shutil.rmtree(self.temp, ignore_errors=True)
        else:
            self.temp.unlink(missing_ok=True)


def stage_file(out: Path, data: bytes) -> Staged:
    """Write ``data`` under a temporary name beside ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = _temp_name(out)
    staged = Staged(out, temp, False)
    try:
        _write(temp, data)
    except BaseException:
        staged.discard()
        raise
    return staged


def stage_folder(out: Path, files: Mapping[str, bytes]) -> Staged:
    """Write ``files`` into a temporary folder beside ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = _temp_name(out)
    temp.mkdir(mode=0o700)
    staged = Staged(out, temp, True)
    try:
        for name in sorted(files):
            _write(temp / name, files[name])
        _sync_folder(temp)
    except BaseException:
        staged.discard()
        raise
    return staged
