"""aban detentions import of detainee lists (one row per person), run as a user runs
it (issue 15): records and dated events, statuses with detail, warnings not refusals."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import run

SHAPES = Path(__file__).parent.parent / "data" / "shapes"
AS_OF = "2020-03-10"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("detainees")
    for name in ("detainees.csv", "detainees.yaml", "detainees_fa.csv"):
        shutil.copy(SHAPES / name, folder / name)
    shutil.copy(SHAPES / "detainees_fa.yaml", folder / "detainees_fa.yaml")
    path = folder / "ws"
    run("init", path, check=True)
    return path


def cases(workspace: Path) -> dict[str, dict[str, Any]]:
    proc = run("-w", workspace, "detentions", "--json", "--as-of", AS_OF, check=True)
    return {c["case"]: c for c in json.loads(proc.stdout)["cases"]}


def list_import(workspace: Path, name: str, source: str, *more: str) -> Any:
    folder = workspace.parent
    return run(
        "-w",
        workspace,
        "detentions",
        "import",
        folder / f"{name}.csv",
        "--source",
        source,
        "--mapping",
        folder / f"{name}.yaml",
        *more,
    )


def test_an_english_list_gives_records_events_and_a_warning(workspace: Path) -> None:
    proc = list_import(workspace, "detainees", "ngo_detainees")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (
        "detainees.csv: 9 rows, 9 records imported, 0 already in the register, "
        "0 refused; 24 events imported, 9 new detentions; 2 warnings\n"
    )
    assert proc.stderr.splitlines()[0] == (
        "warning: detainees.csv:10:status: part of the status is not one aban reads "
        "(a status such as detained, sentenced to 5 years, transferred to Evin, "
        "released on bail, or a fact such as no family visits, whereabouts "
        "unknown); kept as a note on the person's detention, check it "
        "[status-kept-as-note]"
    )
    assert proc.stderr.splitlines()[1] == (
        "warning: detainees.csv:10:lawyer_access: the cell is not one aban reads in "
        "this column of a detainee list (a sentence such as 5 years or death "
        "sentence; yes or no, allowed or denied for family and lawyer access); kept "
        "as a note on the person's detention, check it [list-cell-kept-as-note]"
    )
    assert "Test" not in proc.stderr
    again = list_import(workspace, "detainees", "ngo_detainees")
    assert (again.returncode, again.stdout) == (0, "")
    assert again.stderr == "detainees.csv: already imported; nothing changed\n"

    found = cases(workspace)
    one = found["ngo_detainees:dt-01"]
    assert (one["status"], one["sentence"], one["facility"]) == (
        "transferred",
        "5 years",
        "Evin",
    )
    assert one["arrest_date"] == "2019-11-16" and one["arrest_place"] == "Tehran"
    # The mapping's columns: the charges before the status's sentence and
    # transfer (the sentence column says it again: one event), access facts after.
    assert [
        (e["date"], e["status"], e["place"], e["term"], e["note"])
        for e in one["history"]
    ] == [
        (None, "detained", "Tehran", None, None),
        ("2019-11-16", "arrested", "Tehran", None, None),
        ("2020-03-02", "charged", "Evin", None, "assembly and collusion"),
        ("2020-03-02", "sentenced", "Evin", "5 years", "sentenced to 5 years"),
        ("2020-03-02", "transferred", "Evin", None, "transferred to Evin"),
        ("2020-03-02", "family_access", None, None, "yes"),
        ("2020-03-02", "lawyer_access_denied", None, None, "no"),
    ]
    assert (one["family_access"], one["lawyer_access"]) == ("granted", "denied")
    two = found["ngo_detainees:dt-02"]
    assert (two["status"], two["facility"], two["family_access"]) == (
        "detained",
        "Adelabad",
        "denied",
    )
    # Whereabouts unknown and whereabouts denied are different facts and alerts.
    assert found["ngo_detainees:dt-03"]["whereabouts"] == "unknown"
    assert [a["kind"] for a in found["ngo_detainees:dt-03"]["alerts"]] == [
        "whereabouts_unknown",
        "no_news",
    ]
    assert found["ngo_detainees:dt-06"]["whereabouts"] == "denied"
    assert found["ngo_detainees:dt-06"]["alerts"][0]["kind"] == "whereabouts_denied"
    four = found["ngo_detainees:dt-04"]
    # The release date dates the release the status states (not the last news).
    assert (four["status"], four["history"][-1]["date"]) == (
        "released_on_bail",
        "2020-01-15",
    )
    five = found["ngo_detainees:dt-05"]
    assert (five["status"], five["sentence"], five["lawyer_access"]) == (
        "death_sentence",
        "death",
        "denied",
    )
    assert found["ngo_detainees:dt-07"]["status"] == "held_incommunicado"
    # "Unknown" is no status; the unread status is kept as the arrest's note, and the
    # list's facility is where the person is held.
    assert found["ngo_detainees:dt-08"]["status"] == "arrested"
    nine = found["ngo_detainees:dt-09"]
    assert nine["history"][1]["note"] == (
        "awaiting a verdict from branch 15; lawyer_access: appointed by the court"
    )
    assert (nine["status"], nine["facility"]) == ("charged", "Lakan")
    assert nine["history"][-1]["note"] == "moharebeh"


def test_a_persian_list(workspace: Path) -> None:
    proc = list_import(workspace, "detainees_fa", "ngo_fa")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (
        "detainees_fa.csv: 7 rows, 7 records imported, 0 already in the register, "
        "0 refused; 19 events imported, 7 new detentions; 1 warnings\n"
    )
    assert proc.stderr.splitlines()[0] == (
        "warning: detainees_fa.csv:6:status: 'اعدام' alone is read as a death "
        "sentence, not an execution; write 'اعدام شد' or 'executed' if the person was "
        "executed [status-read-as-death-sentence]"
    )
    found = cases(workspace)
    summary = {
        key: (c["status"], c["sentence"], c["facility"], c["whereabouts"])
        for key, c in found.items()
        if key.startswith("ngo_fa:")
    }
    assert summary == {
        "ngo_fa:fa-01": ("sentenced", "5 years", "اوین", None),
        "ngo_fa:fa-02": ("transferred", None, "اوین", None),
        "ngo_fa:fa-03": ("detained", None, "وکیل‌آباد", None),
        "ngo_fa:fa-04": ("released_on_bail", None, None, None),
        "ngo_fa:fa-05": ("death_sentence", "death", "قزل‌حصار", None),
        "ngo_fa:fa-06": ("arrested", None, None, "unknown"),
        "ngo_fa:fa-07": ("arrested", None, None, None),
    }
    assert found["ngo_fa:fa-01"]["arrest_date"] == "2019-11-16"  # ۱۳۹۸/۰۸/۲۵
    assert found["ngo_fa:fa-03"]["family_access"] == "denied"
    assert found["ngo_fa:fa-07"]["lawyer_access"] == "denied"
    # The columns حکم, اتهام, ملاقات, وکیل and تاریخ آزادی, found by their header.
    one = found["ngo_fa:fa-01"]
    assert (one["family_access"], one["lawyer_access"]) == ("granted", "denied")
    assert [e["status"] for e in one["history"]][2:4] == ["charged", "sentenced"]
    assert [e["status"] for e in found["ngo_fa:fa-05"]["history"]][2:] == [
        "charged",
        "death_sentence",
    ]
    assert found["ngo_fa:fa-04"]["history"][-1]["date"] == "2020-01-15"


def test_the_records_are_linked_graded_and_audited(workspace: Path) -> None:
    list_import(workspace, "detainees", "ngo_detainees")
    list_import(workspace, "detainees_fa", "ngo_fa")
    status = json.loads(run("-w", workspace, "status", "--json", check=True).stdout)
    assert (status["sources"], status["records"]) == (2, 16)
    run("-w", workspace, "link", check=True)
    status = json.loads(run("-w", workspace, "status", "--json", check=True).stdout)
    assert status["persons"] == 16
    assert status["persons_by_grade"]["single-source"] == 16
    verify = run("-w", workspace, "audit", "verify", check=True)
    assert "audit chain intact" in verify.stdout + verify.stderr
    # Cases follow the persons after linking.
    assert all(key.startswith("P") for key in cases(workspace))


SMALL = (
    "record_id,full_name,age,arrest date,status\n"
    "r1,Test Kian Alavi,200,2019-11-16,sentenced to 3 years\n"
    "r2,Test Laleh Amini,30,2019-11-16,executed\n"
    "r3,Test Mina Bagheri,25,2019-13-45,in detention\n"
)


def test_record_errors_refuse_the_list_and_dates_are_warnings(tmp_path: Path) -> None:
    path = tmp_path / "ws"
    run("init", path, check=True)
    (tmp_path / "small.csv").write_text(SMALL, encoding="utf-8")
    command = ("-w", path, "detentions", "import", tmp_path / "small.csv")
    refused = run(*command, "--source", "small")
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr == (
        "error: small.csv:2:age: age must be between 0 and 120; fix the cell or leave "
        "it empty [age-out-of-range]\n"
        "Error: small.csv: 1 errors in 1 rows, nothing imported; fix them, or pass "
        "--skip-invalid to import the valid rows\n"
    )
    proc = run(*command, "--source", "small", "--skip-invalid", check=True)
    assert proc.stdout == (
        "small.csv: 3 rows, 2 records imported, 0 already in the register, 1 refused; "
        "3 events imported, 2 new detentions; 2 warnings\n"
    )
    assert [line.rsplit(" ", 1)[-1] for line in proc.stderr.splitlines()[1:3]] == [
        "[status-dated-at-arrest]",
        "[list-date-unreadable]",
    ]
    assert proc.stderr.splitlines()[2].startswith(
        "warning: small.csv:4:arrest_date: not a date in the past"
    )
    found = cases(path)
    assert set(found) == {"small:r2", "small:r3"}
    # The record of an execution is an execution (counted with the dead); dated at
    # the arrest, for want of a date of last news.
    assert [(e["date"], e["status"]) for e in found["small:r2"]["history"]] == [
        (None, "executed"),
        ("2019-11-16", "arrested"),
        ("2019-11-16", "executed"),
    ]
    assert found["small:r3"]["status"] == "detained"
