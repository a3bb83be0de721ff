"""Lists uploaded in the web app, held in the server's memory until imported.

An upload is never written to disk as it came (the contract: nothing in plaintext
on disk): its body is read into memory, parsed there (:func:`read_upload`) and kept
for the session that sent it, one list at a time, for :data:`UPLOAD_SECONDS`, while
the analyst previews it and adjusts its mapping. Importing it stores its records in
the encrypted register, as ``aban import`` does; then, or when the session signs
out, the upload is forgotten.
"""

from __future__ import annotations

import email.parser
import email.policy
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request

from aban.web.expiring import Expiring

#: The largest list the app takes (bytes); larger ones go through 'aban import'.
MAX_UPLOAD = 20 * 1024 * 1024
UPLOAD_SECONDS = 3600
#: Form fields read at most (as the app's other forms).
MAX_FIELDS = 60
#: File names the app takes, by extension (as 'aban import' reads them).
EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx", ".json")


@dataclass(frozen=True)
class Upload:
    """One uploaded list: its file name (for the format), content and form."""

    name: str
    data: bytes
    fields: dict[str, str]


def read_upload(content_type: str, body: bytes) -> Upload:
    """Parse a form body in memory: ``multipart/form-data`` with one file and text
    fields, or a form without a file. The upload's name is "" when it has no file,
    or one of a kind the app does not take (its fields are kept).
    """
    kind = content_type.lower()
    if kind.startswith("application/x-www-form-urlencoded"):
        text = body.decode("utf-8", "replace")
        try:
            pairs = urllib.parse.parse_qsl(text, max_num_fields=MAX_FIELDS)
        except ValueError:  # too many fields
            return Upload("", b"", {})
        return Upload("", b"", {k: v[:2000] for k, v in pairs})
    if not kind.startswith("multipart/form-data"):
        return Upload("", b"", {})
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        return Upload("", b"", {})
    names: list[str] = []
    data, fields = b"", dict[str, str]()
    for part in message.iter_parts():
        field_name = part.get_param("name", header="content-disposition")
        if not isinstance(field_name, str) or len(fields) >= MAX_FIELDS:
            continue
        payload = part.get_payload(decode=True)
        raw = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            names.append(filename.replace("\\", "/").rsplit("/", 1)[-1])
            data = raw
        else:
            fields[field_name] = raw.decode("utf-8", "replace")[:2000]
    taken = len(names) == 1 and bool(data) and names[0].lower().endswith(EXTENSIONS)
    return Upload(names[0], data, fields) if taken else Upload("", b"", fields)


async def receive_upload(request: Request) -> Upload:
    """The request's upload, read into memory (at most :data:`MAX_UPLOAD` bytes);
    without a name when it holds no list the app takes (:func:`read_upload`).

    Raises:
        HTTPException: 413 for a larger body, 400 for one cut off.
    """
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_UPLOAD:
                raise HTTPException(413)
            chunks.append(chunk)
    except ClientDisconnect:
        raise HTTPException(400) from None
    return read_upload(request.headers.get("content-type", ""), b"".join(chunks))


class Uploads(Expiring[Upload]):
    """The upload of each session, in memory (see the module)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(UPLOAD_SECONDS, clock)
