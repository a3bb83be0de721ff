"""The vault: intake, idempotence, links, custody, flags and copies, all audited."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from aban.errors import StoreError
from aban.evidence import (
    DerivativeError,
    EvidenceError,
    add_custody_event,
    add_evidence,
    list_evidence,
    publishable_copy,
    set_publishable,
    set_verified,
)
from aban.evidence.blobs import read_blob
from aban.evidence.custody import custody_time
from aban.store.evidence import all_blobs, find_evidence
from aban.store.workspace import Workspace
from tests.evidence.test_derivative import exif_jpeg
from tests.grade.helpers import add_source, link, person_of

GIVER = "Zqxgiver Testi"


def blobs_on_disk(ws: Workspace) -> list[str]:
    return sorted(p.name for p in (ws.path / "evidence").iterdir())


def audit_details(ws: Workspace) -> str:
    return "\n".join(d for (d,) in ws.conn.execute("select detail from audit"))


@pytest.fixture
def people(workspace: Workspace, tmp_path: Path) -> Workspace:
    add_source(
        workspace,
        tmp_path,
        "ngo",
        [
            {"record_id": "n1", "given_name": "Aram", "family_name": "Testi"},
            {"record_id": "n2", "given_name": "Baran", "family_name": "Testi"},
        ],
    )
    add_source(
        workspace,
        tmp_path,
        "a:b",
        [
            {"record_id": "x:1", "given_name": "Aram", "family_name": "Testi"},
        ],
    )
    link(workspace)
    return workspace


def test_multi_chunk_round_trip_original_untouched(
    workspace: Workspace, tmp_path: Path
) -> None:
    data = os.urandom(10_000)
    original = tmp_path / "Zqxwitness-phone.mp4"
    original.write_bytes(data)
    os.chmod(original, 0o400)
    before = original.stat()
    change = add_evidence(workspace, original, kind="video", chunk_size=256)
    assert change.new and change.evidence_id == "E000001" and change.size == 10_000
    assert change.sha256 == hashlib.sha256(data).hexdigest()
    item = find_evidence(workspace.conn, "e1")
    assert len(item.blob.key) == 32
    blob_path = workspace.path / "evidence" / item.blob.blob_id
    assert blobs_on_disk(workspace) == [item.blob.blob_id]
    assert blob_path.stat().st_size == 20 + 10_000 + 40 * 16  # header, 40 chunks
    assert read_blob(blob_path, item.blob.key) == data
    assert original.read_bytes() == data
    after = original.stat()
    assert (after.st_mtime_ns, after.st_mode) == (before.st_mtime_ns, before.st_mode)


def test_same_content_twice_is_one_item(people: Workspace, tmp_path: Path) -> None:
    first, second = tmp_path / "a.bin", tmp_path / "copy-of-a.bin"
    first.write_bytes(b"certificate bytes")
    second.write_bytes(b"certificate bytes")
    aram = person_of(people, "ngo", "n1")
    one = add_evidence(people, first, kind="document", person=aram, received_from=GIVER)
    two = add_evidence(people, second, kind="document", record="ngo:n2")
    three = add_evidence(people, second, kind="document", record="ngo:n2")
    four = add_evidence(people, second, kind="document", received_by="archivist")
    assert [c.evidence_id for c in (one, two, three, four)] == ["E000001"] * 4
    assert [c.new for c in (one, two, three, four)] == [True, False, False, False]
    assert [c.linked for c in (one, two, three, four)] == [True, True, False, False]
    assert [c.custody_id for c in (one, two, three, four)] == [1, None, None, 2]
    assert len(blobs_on_disk(people)) == 1 and len(all_blobs(people.conn)) == 1
    (item,) = list_evidence(people.conn)
    baran = person_of(people, "ngo", "n2")
    assert item.persons == tuple(sorted((aram, baran)))
    assert item.records == ("ngo:n2",)
    assert [c.received_from for c in item.custody] == [GIVER, None]


def test_same_content_other_kind_is_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "v.bin"
    path.write_bytes(b"video bytes")
    add_evidence(workspace, path, kind="video")
    with pytest.raises(EvidenceError) as err:
        add_evidence(workspace, path, kind="photo")
    assert str(err.value) == (
        "this file is already E000001, of kind 'video': add it again with --kind video"
    )
    assert len(blobs_on_disk(workspace)) == 1


def test_links_to_records_with_colons_and_mismatches(
    people: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "p.bin"
    path.write_bytes(b"photo of a document")
    aram = person_of(people, "ngo", "n1")
    change = add_evidence(people, path, kind="document", person=aram, record="a:b:x:1")
    assert change.linked
    with pytest.raises(
        EvidenceError, match=f"^record ngo:n2 belongs to another person than {aram}"
    ):
        add_evidence(people, path, kind="document", person=aram, record="ngo:n2")
    with pytest.raises(StoreError, match="^no record ngo:n9 in the register"):
        add_evidence(people, path, kind="document", record="ngo:n9")


KINDS_TEXT = (
    "video, verified_video, photo, portrait, death_certificate, burial_certificate, "
    "testimony, document"
)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"kind": "selfie"},
            EvidenceError,
            f"unknown evidence kind 'selfie': use one of {KINDS_TEXT}",
        ),
        (
            {"kind": "video", "person": "P000099"},
            StoreError,
            "no person P000099 in the register: check the id, or run 'aban link' first",
        ),
        (
            {"kind": "video", "person": "Aram"},
            StoreError,
            "not a person id: person ids look like P000123 ('aban grade --json' "
            "lists contested ones)",
        ),
    ],
)
def test_refusals_leave_nothing(
    people: Workspace, tmp_path: Path, kwargs: dict[str, str], error: type, message: str
) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"x")
    with pytest.raises(error) as err:
        add_evidence(people, path, **kwargs)  # type: ignore[arg-type]
    assert str(err.value) == message
    assert blobs_on_disk(people) == [] and list_evidence(people.conn) == []


def test_unreadable_files(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(EvidenceError) as err:
        add_evidence(workspace, tmp_path / "missing.mp4", kind="video")
    assert str(err.value) == (
        "cannot read the evidence file (No such file or directory): check the path "
        "and its permissions"
    )
    with pytest.raises(EvidenceError, match="^the evidence file is a folder"):
        add_evidence(workspace, tmp_path, kind="video")
    assert blobs_on_disk(workspace) == []


def test_audit_holds_ids_and_hashes_never_names(
    people: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "Zqxfilename.jpg"
    path.write_bytes(exif_jpeg())
    aram = person_of(people, "ngo", "n1")
    change = add_evidence(
        people,
        path,
        kind="photo",
        person=aram,
        received_from=GIVER,
        received_by="Zqxreceiver",
        note="Zqxnote",
    )
    add_custody_event(people, "E1", received_from=GIVER, note="Zqxnote2")
    set_publishable(people, "E1", True)
    entries = [json.loads(d) for d in audit_details(people).splitlines()]
    assert entries[-3]["sha256"] == change.sha256 and entries[-3]["person"] == aram
    assert entries[-2] == {
        "evidence": "E000001",
        "custody": 2,
        "from_given": True,
        "by_given": False,
    }
    text = audit_details(people)
    for secret in ("Zqxgiver", "Zqxreceiver", "Zqxnote", "Zqxfilename", "Aram"):
        assert secret not in text


def test_photo_copy_is_refused_until_publishable(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "portrait.jpg"
    path.write_bytes(exif_jpeg())
    change = add_evidence(workspace, path, kind="portrait")
    assert change.derivative and change.derivative_problem is None
    assert len(blobs_on_disk(workspace)) == 2
    with pytest.raises(DerivativeError) as err:
        publishable_copy(workspace, "E000001")
    assert str(err.value) == (
        "E000001 is not marked publishable: run 'aban evidence publishable E000001 "
        "--yes' first"
    )
    assert set_publishable(workspace, "E1", True).publishable
    copy = publishable_copy(workspace, "E1")
    assert (
        copy[:2] == b"\xff\xd8" and b"ZqxCanaryCam" not in copy and b"Exif" not in copy
    )
    assert not set_publishable(workspace, "E1", False).publishable
    with pytest.raises(DerivativeError, match="not marked publishable"):
        publishable_copy(workspace, "E1")


def test_other_kinds_have_no_copy(workspace: Workspace, tmp_path: Path) -> None:
    video, broken = tmp_path / "v.mp4", tmp_path / "broken.jpg"
    video.write_bytes(b"\x00video")
    broken.write_bytes(b"not really a jpeg")
    add_evidence(workspace, video, kind="video", publishable=True)
    with pytest.raises(DerivativeError) as err:
        publishable_copy(workspace, "E1")
    assert str(err.value) == (
        "E000001 is of kind 'video': only photos and portraits have a publishable copy"
    )
    change = add_evidence(workspace, broken, kind="photo", publishable=True)
    assert not change.derivative
    assert change.derivative_problem == (
        "not an image format Pillow reads (convert it to JPEG or PNG first)"
    )
    with pytest.raises(DerivativeError, match="^E000002 has no publishable copy"):
        publishable_copy(workspace, "E2")
    assert len(blobs_on_disk(workspace)) == 2


def test_verified_only_for_videos(workspace: Workspace, tmp_path: Path) -> None:
    video, doc = tmp_path / "v.mp4", tmp_path / "d.pdf"
    video.write_bytes(b"video")
    doc.write_bytes(b"doc")
    add_evidence(workspace, video, kind="video")
    add_evidence(workspace, doc, kind="document")
    assert set_verified(workspace, "E1", True).kind == "verified_video"
    assert set_verified(workspace, "E1", False).kind == "video"
    with pytest.raises(EvidenceError) as err:
        set_verified(workspace, "E2", True)
    assert (
        str(err.value)
        == "E000002 is of kind 'document': only videos are marked verified"
    )
    with pytest.raises(StoreError, match="^no evidence E000009 in the register"):
        set_verified(workspace, "E9", True)


def test_custody_events(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(b"testimony")
    add_evidence(workspace, path, kind="testimony")
    evidence_id, custody_id, head = add_custody_event(
        workspace, "E1", received_from=GIVER, received_by="team", at="1398/08/29"
    )
    assert (evidence_id, custody_id, len(head)) == ("E000001", 2, 64)
    (item,) = list_evidence(workspace.conn)
    assert [c.happened_at for c in item.custody][0] == "2019-11-20"
    with pytest.raises(EvidenceError, match="^a custody event needs --from or --by"):
        add_custody_event(workspace, "E1", received_from=None)


def test_custody_time() -> None:
    import datetime as dt

    today = dt.date(2020, 1, 1)
    assert custody_time("2019-11-20", today) == "2019-11-20"
    assert custody_time("20/11/2019", today) == "2019-11-20"
    assert custody_time("2019-11-20T14:00", today) == "2019-11-20T14:00:00+00:00"
    assert custody_time("2019-11-20T14:00+03:30", today) == "2019-11-20T10:30:00+00:00"
    for bad in ("soon", "2020-01-02", "2019-02-30"):
        with pytest.raises(EvidenceError, match="^--at is"):
            custody_time(bad, today)
