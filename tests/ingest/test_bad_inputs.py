"""The bad-input corpus through the command line: one line each, nothing imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import run, status

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"

# file -> the issue code its one line must name
EXPECTED = {
    "truncated.csv": "csv-malformed",
    "invalid_utf8.csv": "encoding-invalid",
    "wrong_delimiter.csv": "wrong-delimiter",
    "missing_record_id.csv": "header-missing-record-id",
    "duplicate_ids.csv": "record-id-duplicate",
    "impossible_date.csv": "date-impossible",
    "age_not_a_number.csv": "age-not-a-number",
    "age_out_of_range.csv": "age-out-of-range",
    "formula.csv": "formula-in-cell",
    "not_a_zip.xlsx": "xlsx-invalid",
    "binary.csv": "file-binary",
    "empty.csv": "file-empty",
    "broken.json": "json-invalid",
    "row_length.csv": "row-length",
    "sex_unknown.csv": "sex-unknown",
    "status_unknown.csv": "status-unknown",
    "date_in_future.csv": "date-in-future",
    "control_characters.csv": "control-characters",
    "record_id_missing.csv": "record-id-missing",
}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bad") / "ws"
    run("init", path, check=True)
    return path


def _check_refused(workspace: Path, path: Path, code: str) -> None:
    before = status(workspace)
    proc = run("-w", workspace, "import", path, "--source", "bad")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stdout == ""
    assert f"[{code}]" in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("Error: ")
    assert status(workspace) == before


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_is_refused_in_one_line(workspace: Path, name: str) -> None:
    _check_refused(workspace, BAD / name, EXPECTED[name])


def test_corpus_is_fully_covered() -> None:
    files = {p.name for p in BAD.iterdir() if p.name != "README.md"}
    assert files == set(EXPECTED)


def test_a_50_mb_line_is_refused(workspace: Path, tmp_path: Path) -> None:
    path = tmp_path / "long_line.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("record_id,full_name\nr1,")
        handle.write("x" * (50 * 2**20))
        handle.write("\n")
    _check_refused(workspace, path, "cell-too-long")


def test_fatal_error_is_exactly_one_line(workspace: Path) -> None:
    proc = run(
        "-w", workspace, "import", BAD / "wrong_delimiter.csv", "--source", "bad"
    )
    assert proc.stderr == (
        "Error: wrong_delimiter.csv:1: the header is one column holding ';': the "
        "file is not comma-separated; save it with commas, or set delimiter in a "
        "--mapping file "
        "[wrong-delimiter]\n"
    )


def test_row_errors_are_listed_then_summarised(workspace: Path, tmp_path: Path) -> None:
    report = tmp_path / "issues.csv"
    proc = run(
        "-w",
        workspace,
        "import",
        BAD / "age_out_of_range.csv",
        "--source",
        "bad",
        "--report",
        report,
    )
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        "error: age_out_of_range.csv:2:age: age must be between 0 and 120; fix the "
        "cell or leave it empty [age-out-of-range]",
        "Error: age_out_of_range.csv: 1 errors in 1 rows, nothing imported; fix them, "
        "or pass --skip-invalid to import the valid rows",
    ]
    text = report.read_text(encoding="utf-8")
    assert "age-out-of-range" in text and "Testa" not in text


def test_messages_never_quote_the_cell(workspace: Path) -> None:
    for name in ("formula.csv", "impossible_date.csv", "sex_unknown.csv"):
        proc = run("-w", workspace, "import", BAD / name, "--source", "bad")
        assert "Testa" not in proc.stderr and "HYPERLINK" not in proc.stderr
        assert "1398/13/40" not in proc.stderr
