"""``aban mse``: human tables, --json parity with the library, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from aban.cli import cli
from aban.estimate.selection import loglinear_estimate
from aban.ingest.histories import Histories, read_histories

DATA = Path(__file__).parent.parent / "data" / "reference"
KOSOVO = DATA / "kosovo_1999.csv"


def invoke(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["mse", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


def test_default_is_bic_loglinear() -> None:
    code, out, err = invoke(KOSOVO)
    assert code == 0
    assert "Estimated total: loglinear [123,14,34]" in out
    assert "10,356.5" in out
    assert "8,994 - 12,110" in out
    assert "Best models by BIC" in out
    assert err.splitlines()[0] == (
        "warning: model [123,134] is within 2 BIC units of the chosen one and "
        "gives 12,741; consider model averaging (aban mse --average)"
    )


def test_json_is_the_library_to_dict() -> None:
    code, out, _ = invoke(KOSOVO, "--json")
    assert code == 0
    data = read_histories(KOSOVO)
    assert isinstance(data, Histories)
    expected = loglinear_estimate(data.patterns, data.counts, data.lists).to_dict()
    assert json.loads(out) == json.loads(json.dumps(expected))


def test_fixed_terms_and_aic() -> None:
    code, out, _ = invoke(KOSOVO, "--terms", "[1,2,3,4]", "--json")
    assert code == 0
    assert json.loads(out)["model"] == "loglinear [1,2,3,4]"
    assert round(json.loads(out)["estimate"], 1) == 7394.6
    code, out, _ = invoke(KOSOVO, "--criterion", "aic", "--json")
    assert json.loads(out)["settings"]["criterion"] == "aic"


def test_chapman_prints_every_pair_and_json_first_pair() -> None:
    code, out, _ = invoke(KOSOVO, "--model", "chapman")
    assert code == 0
    assert "Two-list estimates, every pair of lists" in out
    assert "EXH x ABA" in out and "OSCE x HRW" in out
    code, out, _ = invoke(KOSOVO, "--model", "chapman", "--json")
    result = json.loads(out)
    assert result["model"] == "chapman"
    assert result["settings"] == {"pair": ["EXH", "ABA"]}
    assert round(result["estimate"]) == 7231
    assert result["observed"] == 4400


def test_frequencies_default_to_chao() -> None:
    code, out, _ = invoke(DATA / "illegal_immigrants_nl_frequencies.csv", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["model"] == "chao"
    assert round(result["estimate"], 1) == 9273.5
    assert result["lists"] == []


def test_chao_on_histories() -> None:
    code, out, _ = invoke(DATA / "snowshoe_hare.csv", "--model", "chao")
    assert code == 0
    assert "Estimated total: chao" in out
    assert "79.8" in out


def test_lcmcr_is_wired() -> None:
    code, out, _ = invoke(
        KOSOVO,
        "--model",
        "lcmcr",
        "--burnin",
        "20",
        "--samples",
        "10",
        "--thinning",
        "1",
        "--chains",
        "1",
        "--seed",
        "5",
        "--json",
    )
    assert code == 0
    result = json.loads(out)
    assert result["model"] == "lcmcr"
    assert result["settings"]["seed"] == 5
    assert result["observed"] == 4400


def test_bad_cell_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("A,B,count\n1,0,3\n1,x,2\n", encoding="utf-8")
    code, out, err = invoke(path)
    assert code == 1
    assert out == ""
    assert err == (
        f"Error: {path}:3: column 2 is not 0 or 1; mark each list with 1 (on the "
        "list) or 0 (not on it)\n"
    )


def test_missing_file(tmp_path: Path) -> None:
    code, _, err = invoke(tmp_path / "none.csv")
    assert code == 1
    assert err == (
        f"Error: {tmp_path / 'none.csv'}: cannot read the file (No such file or "
        "directory)\n"
    )


def test_model_without_main_effect() -> None:
    code, _, err = invoke(KOSOVO, "--terms", "[12,3]")
    assert code == 1
    assert err == (
        "Error: model [12,3] on 4 lists has no main effect for list 4; add it as a "
        "term of its own\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [DATA / "illegal_immigrants_nl_frequencies.csv", "--model", "loglinear"],
            "the file holds capture frequencies (n_captures,count); only --model "
            "chao works with them",
        ),
        (
            [KOSOVO, "--model", "chapman", "--terms", "[12,3,4]"],
            "--terms only applies to --model loglinear",
        ),
    ],
)
def test_usage_errors(args: list[str | Path], message: str) -> None:
    code, _, err = invoke(*args)
    assert code == 2
    assert err.splitlines()[-1] == f"Error: {message}"


def test_installed_command_json() -> None:
    aban = Path(sys.executable).parent / "aban"
    proc = subprocess.run(
        [str(aban), "mse", str(KOSOVO), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["model"] == "loglinear [123,14,34]"
    assert result["terms"] == "[123,14,34]"
    assert result["observed"] == 4400
    assert result["lower"] <= result["estimate"] <= result["upper"]
    assert result["lists"] == ["EXH", "ABA", "OSCE", "HRW"]
    assert result["settings"]["criterion"] == "bic"
