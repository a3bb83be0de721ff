"""The total over clusterings drawn from the linkage model (issue 14).

The register of :func:`tests.store.test_estimates.fill`: 45 persons on two lists
and one media record, "Other0 Family0", that the fake linker scores 0.5 against
person 0; linked at the register's default threshold 0.05, the draws' centring
(+4.25 bits) makes that pair 0.95 and every other scored pair (0.97) sure.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from aban.errors import EstimationError
from aban.estimate.strata import LcmcrSettings
from aban.linkage.register import link_workspace, review_queue
from aban.store.db import transaction
from aban.store.links import add_decision
from aban.store.sources import set_source
from aban.store.workspace import Workspace
from aban.workflow.estimate import estimate_workspace
from tests.store.fake_linker import FakeLinker, rule_score
from tests.store.test_estimates import fill

FAST = LcmcrSettings(burnin=1_000, samples=400, thinning=2)
TABLES = ("persons", "person_records", "scored_pairs", "link_decisions", "records")


def sure_score(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    """The fake's rule without its uncertain pair: only same names, and sure."""
    found = rule_score(a, b)
    return 0.999 if found == 0.97 else None


def link(ws: Workspace, tmp: Path, score: Any = rule_score) -> Workspace:
    fill(ws, tmp)
    with transaction(ws.conn):
        set_source(ws.conn, "ngo", is_list=True)
        set_source(ws.conn, "media", is_list=True)
    link_workspace(ws, threshold=0.05, linker=FakeLinker(score))
    return ws


def snapshot(ws: Workspace) -> dict[str, list[Any]]:
    return {
        table: ws.conn.execute(f"select * from {table} order by 1, 2").fetchall()
        for table in TABLES
    }


@pytest.mark.parametrize("model", ["loglinear", "lcmcr"])
def test_every_pair_certain_gives_the_plain_estimate(
    workspace: Workspace, tmp_path: Path, model: str
) -> None:
    ws = link(workspace, tmp_path, sure_score)
    plain = estimate_workspace(ws, model=model, lcmcr=FAST, seed=3).results()  # type: ignore[arg-type]
    run = estimate_workspace(ws, model=model, lcmcr=FAST, seed=3, linkage_draws=4)  # type: ignore[arg-type]
    assert run.linkage is not None
    found = run.results()
    uncertainty = found["linkage_uncertainty"]
    assert uncertainty["pairs_drawn"] == 0 and uncertainty["distinct"] == 1
    assert uncertainty["decomposition"]["between"] == 0.0
    assert uncertainty["decomposition"]["linkage_share"] == 0.0
    assert uncertainty["decomposition"]["sampling_share"] == 1.0
    for key in ("estimate", "lower", "upper"):
        assert found[key] == pytest.approx(plain[key], rel=1e-9), key
        assert uncertainty["sampling"][key] == plain[key]
    assert {c["persons"] for c in uncertainty["clusterings"]} == {plain["persons"]}


def test_uncertain_pair_moves_the_total_and_is_counted(
    workspace: Workspace, tmp_path: Path
) -> None:
    ws = link(workspace, tmp_path)
    before = snapshot(ws)
    plain = estimate_workspace(ws, model="loglinear", seed=5).results()
    run = estimate_workspace(ws, model="loglinear", seed=5, linkage_draws=30)
    assert run.linkage is not None
    found = run.linkage.to_dict()
    assert found["pairs_drawn"] == 1 and found["pairs_decided"] == 0
    assert found["expected_matches"] == pytest.approx(0.95)
    # Other0 merged with person 0 (45 persons) or apart (46, as in the register):
    # Lincoln-Petersen 31 x 30 / 21 or 31 x 30 / 20.
    by_persons = {(c["persons"], round(c["estimate"], 6)) for c in found["clusterings"]}
    assert by_persons == {(45, round(31 * 30 / 21, 6)), (46, 46.5)}
    merged = sum(c["persons"] == 45 for c in found["clusterings"])
    assert 25 <= merged <= 30  # 0.95 of 30 draws
    assert found["distinct"] == 2
    d = found["decomposition"]
    assert d["between"] > 0 and 0 < d["linkage_share"] < 1
    assert d["total"] == pytest.approx(d["within"] + (1 + 1 / 30) * d["between"])
    # The published total is the combined one; the register's stays beside it.
    results = run.results()
    assert results["estimate"] == found["combined"]["estimate"]
    assert results["interval"] == "log-transformed-mixture"
    assert found["sampling"]["estimate"] == plain["estimate"]  # 45 persons
    # Most draws merge the pair, so the mixture leans to the merged clustering:
    # each end lies between the two clusterings' own ends.
    lowers = {c["lower"] for c in found["clusterings"]}
    uppers = {c["upper"] for c in found["clusterings"]}
    assert min(lowers) < results["lower"] < max(lowers)
    assert min(uppers) < results["upper"] < max(uppers)
    assert results["notes"][-1].startswith(
        "the interval carries sampling and linkage uncertainty: 30 clusterings drawn"
    )
    # Nothing but the run and its audit entry is written.
    assert snapshot(ws) == before
    settings = json.loads(
        ws.conn.execute(
            "select settings from runs where id = ?", (run.run_id,)
        ).fetchone()[0]
    )
    assert settings["linkage_uncertainty"] == {
        "draws": 30,
        "band": [0.01, 0.99],
        "calibration_bits": pytest.approx(math.log2(0.95 / 0.05)),
        "seed": 5,
    }
    (detail,) = ws.conn.execute(
        "select detail from audit order by seq desc limit 1"
    ).fetchone()
    audit = json.loads(detail)
    assert audit["linkage_draws"] == 30 and audit["estimate"] == results["estimate"]
    assert "Given" not in detail and "Other" not in detail and "Town" not in detail


def test_the_same_seed_draws_the_same_clusterings(
    workspace: Workspace, tmp_path: Path
) -> None:
    ws = link(workspace, tmp_path)

    def draws(seed: int) -> list[int]:
        run = estimate_workspace(ws, model="loglinear", seed=seed, linkage_draws=12)
        assert run.linkage is not None
        return [c.persons for c in run.linkage.clusterings]

    assert draws(7) == draws(7)
    assert draws(7) != draws(8)


@pytest.mark.parametrize("decision", ["match", "non_match"])
def test_a_reviewers_decision_is_never_drawn(
    workspace: Workspace, tmp_path: Path, decision: str
) -> None:
    ws = link(workspace, tmp_path)
    (queued,) = review_queue(ws.conn, low=0.4, high=0.6)
    with transaction(ws.conn):
        add_decision(
            ws.conn, queued.record_a, queued.record_b, decision, "tester", "now"
        )
    link_workspace(ws, threshold=0.05, linker=FakeLinker())
    run = estimate_workspace(ws, model="loglinear", seed=2, linkage_draws=20)
    assert run.linkage is not None
    assert (run.linkage.pairs_drawn, run.linkage.pairs_decided) == (0, 1)
    persons = {c.persons for c in run.linkage.clusterings}
    assert persons == ({45} if decision == "match" else {46})
    assert run.linkage.decomposition.linkage_share == 0.0


def test_strata_are_drawn_too(workspace: Workspace, tmp_path: Path) -> None:
    ws = link(workspace, tmp_path)
    plain = estimate_workspace(ws, by="sex", lcmcr=FAST, seed=3).results()
    run = estimate_workspace(ws, by="sex", lcmcr=FAST, seed=3, linkage_draws=6)
    found = run.results()
    assert found["by"] == "sex" and found["strata"] == plain["strata"]
    assert found["linkage_uncertainty"]["sampling"]["estimate"] == plain["estimate"]
    assert found["interval"] == "pooled-posterior-quantiles"
    assert math.isfinite(found["estimate"])
    assert found["notes"][-1].endswith(
        "; the strata's intervals carry sampling uncertainty only"
    )


def test_fewer_than_two_draws_is_an_exact_error(
    workspace: Workspace, tmp_path: Path
) -> None:
    ws = link(workspace, tmp_path)
    with pytest.raises(EstimationError) as err:
        estimate_workspace(ws, model="loglinear", linkage_draws=1)
    assert str(err.value) == "linkage uncertainty needs at least 2 draws (got 1)"
