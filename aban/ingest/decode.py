"""File bytes to text: UTF-8 (with or without BOM), else Persian Windows-1256."""

from __future__ import annotations

import codecs

from aban.errors import IngestError
from aban.ingest.issues import fail

_ARABIC_BLOCK = range(0x0600, 0x0700)


def _looks_persian(text: str) -> bool:
    """True if most non-ASCII letters are Arabic-script: the sign of a cp1256 file."""
    non_ascii = [ch for ch in text if ord(ch) > 127 and ch.isalpha()]
    if not non_ascii:
        return False
    arabic = sum(1 for ch in non_ascii if ord(ch) in _ARABIC_BLOCK)
    return arabic / len(non_ascii) >= 0.9


def decode_text(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode ``data``; refuse binary content and text in an unknown encoding.

    See :func:`decode`, which also says which encoding it was.
    """
    return decode(data, name, encoding)[0]


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data``; refuse binary content and text in an unknown encoding.

    Args:
        data: the file's bytes.
        name: the file name for messages.
        encoding: force this codec instead of detecting.

    Returns:
        The text, and the codec it was read with (``utf-8-sig`` for UTF-8 with a
        byte-order mark, ``cp1256`` for Windows-1256).

    Raises:
        FileIssueError: ``file-binary`` or ``encoding-invalid``.
    """
    nul = data.find(b"\x00")
    if nul >= 0:
        raise fail("file-binary", name, offset=nul)
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError as err:
            raise IngestError(
                f"unknown encoding {encoding!r}; use e.g. utf-8 or windows-1256"
            ) from err
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError as err:
            raise _bad_encoding(data, name, err.start) from err
    codec = "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        data, codec = data[len(codecs.BOM_UTF8) :], "utf-8-sig"
    try:
        return data.decode("utf-8"), codec
    except UnicodeDecodeError as err:
        first_bad = err.start
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = ""
    if _looks_persian(text):
        return text, "cp1256"
    raise _bad_encoding(data, name, first_bad)


def _bad_encoding(data: bytes, name: str, offset: int) -> Exception:
    line = data.count(b"\n", 0, offset) + 1
    return fail("encoding-invalid", name, offset=offset, line=line)
