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


def python_lines(code: str) -> list[str]:
    """The lines a fresh Python process prints running ``code``."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return done.stdout.splitlines()


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


# Issue 14: honest answers at the edges, as a user runs aban mse.
ADVICE = (
    "too few people are on two or more lists to estimate those on none; check "
    "that the lists cover the same population, or add lists that overlap; it is "
    "not a result"
)


def run_mse(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aban", "mse", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "h.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (
            "loglinear",
            "the loglinear [1,2] estimate 1,000,000 is 500 times the 1,999 people "
            "observed (more than 20) and has no upper bound",
        ),
        (
            "chao",
            "the chao estimate 1,000,000 is 500 times the 1,999 people observed "
            "(more than 20) and has no upper bound",
        ),
        (
            "chapman",
            "the chapman estimate 501,000 is 251 times the 1,999 people observed "
            "(more than 20)",
        ),
    ],
)
def test_one_shared_person_is_refused(tmp_path: Path, model: str, message: str) -> None:
    path = write(tmp_path, "A,B,count\n1,0,999\n0,1,999\n1,1,1\n")
    proc = run_mse(path, "--model", model)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == f"Error: {message}: {ADVICE}\n"


def test_no_overlap_chao_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "A,B,C,count\n1,0,0,120\n0,1,0,122\n0,0,1,0\n")
    proc = run_mse(path, "--model", "chao")
    assert proc.returncode == 1
    assert proc.stderr == (
        "Error: the chao estimate 14,822 is 61 times the 242 people observed (more "
        f"than 20): {ADVICE}\n"
    )


def test_empty_list_and_unmarked_rows_are_left_out(tmp_path: Path) -> None:
    rows = "1,0,0,0,300\n0,1,0,0,250\n1,1,0,0,60\n0,0,1,0,200\n1,0,1,0,50\n"
    rows += "0,1,1,0,40\n1,1,1,0,20\n0,0,0,0,7\n"
    path = write(tmp_path, "A,B,C,D,count\n" + rows)
    proc = run_mse(path, "--model", "chao", "--json")
    assert proc.returncode == 0
    result = json.loads(proc.stdout)
    assert result["lists"] == ["A", "B", "C"]
    notes = [
        "row 9 marks no list and is left out: the people on no list are what is "
        "estimated",
        "list D has no records and is left out",
    ]
    assert result["warnings"][:2] == notes
    # Chao's factor (t - 1)/t counts the lists with records: 3, not 4.
    assert round(result["estimate"], 1) == 2170.0
    assert proc.stderr == ""
    proc = run_mse(path, "--model", "chao")
    assert proc.stderr.splitlines()[:2] == [f"warning: {n}" for n in notes]


def test_two_lists_warn_that_dependence_cannot_be_checked(tmp_path: Path) -> None:
    path = write(tmp_path, "A,B,count\n1,0,60\n0,1,40\n1,1,20\n")
    for model in ("chapman", "loglinear"):
        proc = run_mse(path, "--model", model, "--json")
        assert proc.returncode == 0
        assert json.loads(proc.stdout)["warnings"][0] == (
            "only 2 lists: whether they depend on each other cannot be checked (that "
            "needs 3 or more), and lists that tend to record the same people make the "
            "estimate too low"
        )


def test_too_many_lists_for_lcmcr_warn(tmp_path: Path) -> None:
    lists = [f"L{i}" for i in range(25)]
    lines = [",".join([*lists, "count"])]
    for i in range(25):
        row = ["0"] * 25
        row[i] = "1"
        row[(i + 1) % 25] = "1" if i % 2 else "0"
        lines.append(",".join([*row, "4"]))
    path = write(tmp_path, "\n".join(lines) + "\n")
    code, _, err = invoke(
        path,
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
    )
    assert code == 0
    assert err.splitlines()[0] == (
        "warning: 25 lists for 100 people in 25 capture patterns: too few for LCMCR "
        "to tell its latent classes apart (it needs 10 people per list and more "
        "patterns than the 51 parameters of two classes); the estimate may follow "
        "the prior, not the data: merge small lists"
    )


def test_average_on_us_western() -> None:
    proc = run_mse(DATA / "us_western_trafficking.csv", "--average", "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["model"] == "loglinear-averaged"
    assert 2000 < result["estimate"] < 3000  # 1.8e79 before issue 14
    assert result["settings"]["average"] == "occam-window"
    assert result["lower"] <= result["estimate"] <= result["upper"]


def test_average_only_for_loglinear() -> None:
    code, _, err = invoke(KOSOVO, "--model", "chao", "--average")
    assert code == 2
    assert err.splitlines()[-1] == (
        "Error: --average only applies to --model loglinear, without --terms"
    )


def test_the_lcmcr_command_loads_no_scipy() -> None:
    # Issue 14 (speed at the command line): SciPy's subpackages cost the LCMCR
    # command about half a second, and nothing on its path needs them. numba's
    # CPU target starts with scipy.linalg hidden (its probe for BLAS imported it:
    # about 0.18 s of CPU); np.dot and np.linalg still compile afterwards, as they
    # import it themselves when they are compiled.
    code = (
        "import sys\n"
        "import numpy as np\n"
        "import aban.cli.mse\n"
        "from aban.estimate.lcmcr import fit_lcmcr\n"
        "fit_lcmcr(np.eye(3, dtype=np.int8), np.array([5, 6, 7]), burnin=0,\n"
        "          samples=2, thinning=1)\n"
        "heavy = ('linalg', 'optimize', 'sparse', 'special', 'stats', 'integrate')\n"
        "print([m for m in sys.modules if m.split('.')[:2] in\n"
        "       [['scipy', part] for part in heavy]])\n"
        "import numba\n"
        "dot = numba.njit(lambda a: np.dot(a, a) + np.linalg.inv(a))\n"
        "print(dot(np.array([[2.0, 0.0], [0.0, 4.0]])).tolist())\n"
    )
    assert python_lines(code) == ["[]", "[[4.5, 0.0], [0.0, 16.25]]"]


def test_json_output_loads_no_rich_and_a_table_still_prints() -> None:
    # Issue 14: rich (about 0.02 s of CPU) is imported only to print a table or a
    # bar, so aban mse --json starts without it.
    code = (
        "import sys\n"
        "from aban.cli import cli\n"
        "from click.testing import CliRunner\n"
        f"args = ['mse', {str(KOSOVO)!r}, '--model', 'chapman']\n"
        "out = CliRunner().invoke(cli, [*args, '--json'])\n"
        "print(out.exit_code, [m for m in sys.modules if m.split('.')[0] == 'rich'])\n"
        "out = CliRunner().invoke(cli, args)\n"
        "print(out.exit_code, 'rich.table' in sys.modules)\n"
    )
    assert python_lines(code) == ["0 []", "0 True"]


def test_lcmcr_ends_without_teardown_and_loses_no_output(tmp_path: Path) -> None:
    # Issue 14: aban mse skips the interpreter's teardown (0.2 s of CPU); the
    # answer must still reach a pipe whole, and the exit codes stay the same.
    proc = run_mse(
        KOSOVO,
        "--model",
        "lcmcr",
        "--burnin",
        "10",
        "--samples",
        "10",
        "--thinning",
        "1",
        "--json",
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["model"] == "lcmcr"
    proc = run_mse(tmp_path / "none.csv", "--model", "lcmcr")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == (
        f"Error: {tmp_path / 'none.csv'}: cannot read the file (No such file or "
        "directory)\n"
    )
