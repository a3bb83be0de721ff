"""Sealed blobs: round trips, and every kind of damage is caught."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aban.errors import BlobError
from aban.evidence.blobs import (
    HEADER,
    KEY_SIZE,
    TAG_SIZE,
    open_stream,
    read_blob,
    seal_stream,
    write_blob,
)

KEY = bytes(range(KEY_SIZE))
CHUNK = 64


def _seal(data: bytes, chunk: int = CHUNK, key: bytes = KEY) -> bytes:
    out = io.BytesIO()
    seal_stream(io.BytesIO(data), out, key, chunk)
    return out.getvalue()


def _open(blob: bytes, key: bytes = KEY) -> bytes:
    return b"".join(open_stream(io.BytesIO(blob), key))


def _chunks(blob: bytes, chunk: int = CHUNK) -> list[bytes]:
    body, step = blob[HEADER.size :], chunk + TAG_SIZE
    return [body[i : i + step] for i in range(0, len(body), step)]


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 1000])
def test_round_trip_and_layout(size: int) -> None:
    data = os.urandom(size)
    out = io.BytesIO()
    sha256, length = seal_stream(io.BytesIO(data), out, KEY, CHUNK)
    blob = out.getvalue()
    assert (sha256, length) == (hashlib.sha256(data).hexdigest(), size)
    chunks = max(1, -(-size // CHUNK))
    assert len(blob) == HEADER.size + size + chunks * TAG_SIZE
    assert blob[:8] == b"ABANEV01"
    assert _open(blob) == data


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=600), chunk=st.integers(1, 80))
def test_any_data_round_trips(data: bytes, chunk: int) -> None:
    assert _open(_seal(data, chunk)) == data


def test_two_seals_of_one_file_differ_and_hide_it() -> None:
    data = b"Zqxcanaryvideo" * 40
    first, second = _seal(data), _seal(data)
    assert first != second  # a random nonce prefix per blob
    assert b"Zqxcanary" not in first and b"Zqxcanary" not in second


def _damaged(kind: str, blob: bytes) -> bytes:
    header, chunks = blob[: HEADER.size], _chunks(blob)
    if kind == "flip":
        at = HEADER.size + CHUNK + 5
        return blob[:at] + bytes([blob[at] ^ 1]) + blob[at + 1 :]
    if kind == "truncate-chunk":
        return header + b"".join(chunks[:-1])
    if kind == "truncate-bytes":
        return blob[:-3]
    if kind == "swap":
        chunks[0], chunks[1] = chunks[1], chunks[0]
        return header + b"".join(chunks)
    if kind == "append":
        return blob + chunks[1]
    if kind == "header":
        return blob[:8] + (CHUNK * 2).to_bytes(4, "big") + blob[12:]
    if kind == "nonce":
        return blob[:12] + bytes(8) + blob[20:]
    if kind == "only-header":
        return header
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind",
    [
        "flip",
        "truncate-chunk",
        "truncate-bytes",
        "swap",
        "append",
        "header",
        "nonce",
        "only-header",
    ],
)
def test_damage_is_caught(kind: str) -> None:
    blob = _seal(os.urandom(4 * CHUNK))  # four full chunks
    assert _open(blob)
    with pytest.raises(BlobError, match=r"^chunk \d+ does not decrypt: the blob"):
        _open(_damaged(kind, blob))


def test_wrong_key_and_foreign_files_are_refused() -> None:
    blob = _seal(b"some evidence")
    with pytest.raises(BlobError, match="chunk 0 does not decrypt"):
        _open(blob, bytes(KEY_SIZE))
    with pytest.raises(BlobError, match="not a sealed evidence blob"):
        _open(b"%PDF-1.7" + blob[8:])
    with pytest.raises(BlobError, match="shorter than its header"):
        _open(blob[:10])
    with pytest.raises(BlobError, match="impossible chunk size"):
        _open(blob[:8] + bytes(4) + blob[12:])


def test_write_blob_is_owner_only_and_random_named(tmp_path: Path) -> None:
    folder = tmp_path
    sealed = write_blob(folder, io.BytesIO(b"x" * 200), 64)
    part = folder / (sealed.blob_id + ".part")
    assert part.is_file() and len(sealed.blob_id) == 32
    assert part.stat().st_mode & 0o777 == 0o600
    part.rename(folder / sealed.blob_id)
    assert read_blob(folder / sealed.blob_id, sealed.key) == b"x" * 200
    with pytest.raises(BlobError, match="the blob is missing"):
        read_blob(folder / ("0" * 32), sealed.key)
