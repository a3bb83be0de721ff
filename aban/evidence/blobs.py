"""Sealed blobs: files encrypted in fixed-size chunks with AES-256-GCM.

A blob is written once and never changed. Its layout (integers big-endian)::

    header   magic b"ABANEV01" (8 bytes) | chunk size (4) | nonce prefix (8, random)
    chunk i  AES-GCM ciphertext of up to `chunk size` plaintext bytes + 16-byte tag

Chunk ``i`` (from 0) is sealed with the nonce ``prefix || i`` (8 + 4 bytes) and the
associated data ``header || i (8 bytes) || last (1 byte)``, where ``last`` is 1 only
for the final chunk (the STREAM construction of Hoang, Reyhanitabar, Rogaway and
Vizar, 2015). So a chunk that is edited, moved, dropped from the end or appended to,
and a header that is edited, all fail to decrypt. An empty file is one empty final
chunk. Every blob has its own random 256-bit key, kept in the encrypted register and
never beside the blob; only the register's passphrase opens it.

Files are read and written a chunk at a time, so a multi-gigabyte video never has to
fit in memory, and nothing is written unencrypted (no temporary files).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from aban.errors import BlobError

MAGIC = b"ABANEV01"
HEADER = struct.Struct(">8sI8s")
TAG_SIZE = 16
KEY_SIZE = 32
#: Plaintext bytes per chunk unless a caller chooses otherwise.
DEFAULT_CHUNK_SIZE = 1 << 20
MAX_CHUNK_SIZE = 1 << 26
_MAX_CHUNKS = 1 << 32
PART_SUFFIX = ".part"


@dataclass(frozen=True)
class SealedBlob:
    """A blob written to disk: its random id, key, and the plaintext's digest.

    Attributes:
        blob_id: the file name under the workspace's ``evidence/`` folder.
        key: the 256-bit AES-GCM key (keep it in the register only).
        sha256: SHA-256 (hex) of the plaintext.
        size: plaintext size in bytes.
    """

    blob_id: str
    key: bytes
    sha256: str
    size: int


def new_blob_id() -> str:
    """A random file name for a blob (128 bits, hex): it says nothing of the file."""
    return secrets.token_hex(16)


def _read_full(src: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes; fewer only at the end of the stream."""
    parts, wanted = [], size
    while wanted:
        part = src.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return header + index.to_bytes(8, "big") + (b"\x01" if last else b"\x00")


def _check_chunk_size(chunk_size: int) -> None:
    if not 1 <= chunk_size <= MAX_CHUNK_SIZE:
        raise BlobError(f"chunk size must be 1 to {MAX_CHUNK_SIZE} bytes")


def seal_stream(
    src: BinaryIO, dst: BinaryIO, key: bytes, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> tuple[str, int]:
    """Encrypt ``src`` into ``dst``, hashing the plaintext on the way.

    Args:
        src: the plaintext, read a chunk at a time.
        dst: where the blob is written (header, then the sealed chunks).
        key: a 256-bit key.
        chunk_size: plaintext bytes per chunk.

    Returns:
        The plaintext's SHA-256 (hex) and size in bytes.
    """
    _check_chunk_size(chunk_size)
    header = HEADER.pack(MAGIC, chunk_size, secrets.token_bytes(8))
    prefix = header[-8:]
    aes, digest = AESGCM(key), hashlib.sha256()
    dst.write(header)
    current, index, size = _read_full(src, chunk_size), 0, 0
    while True:
        following = _read_full(src, chunk_size) if len(current) == chunk_size else b""
        last = not following
        digest.update(current)
        size += len(current)
        nonce = prefix + index.to_bytes(4, "big")
        dst.write(aes.encrypt(nonce, current, _aad(header, index, last)))
        if last:
            return digest.hexdigest(), size
        current, index = following, index + 1
        if index >= _MAX_CHUNKS:
            raise BlobError("file too large for one blob at this chunk size")


def _header(src: BinaryIO) -> tuple[bytes, int]:
    header = _read_full(src, HEADER.size)
    if len(header) < HEADER.size:
        raise BlobError("the blob is shorter than its header")
    magic, chunk_size, _ = HEADER.unpack(header)
    if magic != MAGIC:
        raise BlobError("not a sealed evidence blob (unknown header)")
    if not 1 <= chunk_size <= MAX_CHUNK_SIZE:
        raise BlobError("the blob header is damaged (impossible chunk size)")
    return header, chunk_size


def open_stream(src: BinaryIO, key: bytes) -> Iterator[bytes]:
    """Decrypt a blob chunk by chunk, checking each chunk's place and the end.

    Yields:
        The plaintext chunks, in order.

    Raises:
        BlobError: the header is damaged, or a chunk does not authenticate (the
            blob was altered, truncated, extended or its chunks reordered, or the
            key is not this blob's).
    """
    header, chunk_size = _header(src)
    prefix, aes, step = header[-8:], AESGCM(key), chunk_size + TAG_SIZE
    current, index = _read_full(src, step), 0
    while True:
        following = _read_full(src, step) if len(current) == step else b""
        last = not following
        nonce = prefix + index.to_bytes(4, "big")
        try:
            plain = aes.decrypt(nonce, current, _aad(header, index, last))
        except InvalidTag as err:
            raise BlobError(
                f"chunk {index} does not decrypt: the blob was altered, truncated "
                "or reordered"
            ) from err
        yield plain
        if last:
            return
        current, index = following, index + 1


def write_blob(
    folder: Path, src: BinaryIO, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> SealedBlob:
    """Seal ``src`` into ``folder/<new id>.part`` with a new key (fsynced).

    The caller renames it with :func:`commit_blob` once the register holds its
    key, or removes it with :func:`discard_blob`.
    """
    blob_id, key = new_blob_id(), AESGCM.generate_key(bit_length=8 * KEY_SIZE)
    path = folder / (blob_id + PART_SUFFIX)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as dst:
            sha256, size = seal_stream(src, dst, key, chunk_size)
            dst.flush()
            os.fsync(dst.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return SealedBlob(blob_id, key, sha256, size)


def commit_blob(folder: Path, blob_id: str) -> None:
    """Give a written blob its final name (an atomic rename)."""
    os.replace(folder / (blob_id + PART_SUFFIX), folder / blob_id)


def discard_blob(folder: Path, blob_id: str) -> None:
    """Remove a blob, committed or not (nothing if it is not there)."""
    for name in (blob_id + PART_SUFFIX, blob_id):
        (folder / name).unlink(missing_ok=True)


def read_blob(path: Path, key: bytes) -> bytes:
    """The whole plaintext of a (small) blob.

    Raises:
        BlobError: the blob is missing or does not decrypt.
    """
    try:
        with path.open("rb") as src:
            return b"".join(open_stream(src, key))
    except FileNotFoundError as err:
        raise BlobError("the blob is missing") from err
