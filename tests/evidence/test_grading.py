"""Evidence linked through the vault confirms persons in 'aban grade'."""

from __future__ import annotations

from pathlib import Path

from aban.evidence import add_evidence, set_verified
from aban.grade.register import grade_workspace
from aban.grade.rules import GradingRules
from aban.store.workspace import Workspace
from tests.grade.helpers import add_source, grades, link, person_of

RULES = GradingRules()


def _single_sources(ws: Workspace, tmp: Path) -> tuple[str, str]:
    add_source(
        ws,
        tmp,
        "ngo",
        [
            {
                "record_id": "n1",
                "given_name": "Aram",
                "family_name": "Testi",
                "status": "killed",
            },
            {
                "record_id": "n2",
                "given_name": "Baran",
                "family_name": "Testi",
                "status": "killed",
            },
        ],
    )
    link(ws)
    return person_of(ws, "ngo", "n1"), person_of(ws, "ngo", "n2")


def test_certificate_and_verified_video_confirm(
    workspace: Workspace, tmp_path: Path
) -> None:
    aram, baran = _single_sources(workspace, tmp_path)
    grade_workspace(workspace, RULES)
    assert {grades(workspace)[p][0] for p in (aram, baran)} == {"single-source"}
    assert "death_certificate" in RULES.evidence_kinds
    assert "verified_video" in RULES.evidence_kinds
    cert, video = tmp_path / "cert.pdf", tmp_path / "clip.mp4"
    cert.write_bytes(b"%PDF synthetic certificate")
    video.write_bytes(b"synthetic video bytes")
    add_evidence(workspace, cert, kind="death_certificate", person=aram)
    add_evidence(workspace, video, kind="video", record="ngo:n2")
    grade_workspace(workspace, RULES)
    assert grades(workspace)[aram] == (
        "confirmed",
        "confirmed/evidence: death_certificate linked; 1 independent source",
    )
    assert grades(workspace)[baran][0] == "single-source"  # not verified yet
    set_verified(workspace, "E2", True)
    grade_workspace(workspace, RULES)
    assert grades(workspace)[baran] == (
        "confirmed",
        "confirmed/evidence: verified_video linked; 1 independent source",
    )


def test_links_survive_relinking(workspace: Workspace, tmp_path: Path) -> None:
    aram, _ = _single_sources(workspace, tmp_path)
    cert = tmp_path / "cert.pdf"
    cert.write_bytes(b"%PDF synthetic certificate")
    add_evidence(workspace, cert, kind="burial_certificate", person=aram)
    link(workspace)
    grade_workspace(workspace, RULES)
    assert grades(workspace)[aram][0] == "confirmed"
