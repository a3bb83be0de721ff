"""The analysis of a workspace: persons from the register, event from aban.toml."""

from __future__ import annotations

import pytest

from aban.analysis import analyse, analyse_workspace, load_age_bounds, load_victims
from aban.errors import ConfigError
from aban.store.workspace import Workspace
from tests.analysis.scenario import insert_persons, victims, write_event


def test_summary_counts_killed_and_the_rest() -> None:
    summary = analyse(victims(), by=[]).summary.to_dict()
    assert summary == {
        "persons": 14,
        "killed": {
            "counts": {
                "confirmed": 3,
                "corroborated": 2,
                "single-source": 4,
                "contested": 1,
            },
            "total": 10,
            "discounted": 2,
        },
        "not_analysed": {"detained": 1, "none": 1},
    }


def test_workspace_analysis_reads_persons_and_event(workspace: Workspace) -> None:
    insert_persons(workspace.conn)
    write_event(workspace.path)
    assert load_victims(workspace.conn) == victims()
    result = analyse_workspace(workspace)
    data = result.to_dict()
    assert list(data) == [
        "summary",
        "event",
        "day",
        "province",
        "city",
        "age-band",
        "sex",
        "injury",
        "force",
    ]
    assert data["event"]["name"] == "Synthetic protests"
    assert data["day"]["within_48h"]["total"] == 5
    assert data["injury"]["head_torso"]["share"] == 0.75
    for key in ("day", "province", "city", "age-band", "sex", "injury", "force"):
        table = data[key]
        assert table["total"]["total"] == 10 and table["total"]["discounted"] == 2
        assert sum(r["total"] for r in table["rows"]) == 10
        assert table["rows"][-1]["label"] == "unknown"
    force = {r["label"]: r["total"] for r in data["force"]["rows"]}
    assert (force["irgc;basij"], force["unrecognized"], force["unknown"]) == (2, 1, 2)


def test_workspace_analysis_one_breakdown(workspace: Workspace) -> None:
    insert_persons(workspace.conn)
    result = analyse_workspace(workspace, ["sex"])
    assert [t.by for t in result.breakdowns] == ["sex"]
    assert result.event is None
    assert result.breakdown("sex").to_dict()["rows"][1]["total"] == 7
    with pytest.raises(KeyError):
        result.breakdown("day")


def test_age_bands_from_aban_toml(workspace: Workspace) -> None:
    insert_persons(workspace.conn)
    write_event(workspace.path, "\n[analysis]\nage_bands = [18, 60]\n")
    assert load_age_bounds(workspace.path) == (18, 60)
    rows = analyse_workspace(workspace, ["age-band"]).to_dict()["age-band"]["rows"]
    assert [(r["label"], r["total"]) for r in rows] == [
        ("0-17", 3),
        ("18-59", 6),
        ("60+", 0),
        ("unknown", 1),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "age_bands = [30, 60]",
            "[analysis] age bands must include 18, so that children are a band",
        ),
        ("age_bands = 18", "[analysis] age_bands must be a list such as [18, 30, 45]"),
        ("bands = [18]", "[analysis] unknown key 'bands' (known: age_bands)"),
    ],
)
def test_bad_analysis_settings(workspace: Workspace, text: str, message: str) -> None:
    config = workspace.path / "aban.toml"
    config.write_text(config.read_text() + f"\n[analysis]\n{text}\n")
    with pytest.raises(ConfigError) as err:
        load_age_bounds(workspace.path)
    assert str(err.value) == f"{config}: {message}"


def test_empty_register(workspace: Workspace) -> None:
    result = analyse_workspace(workspace)
    assert result.summary.persons == 0
    assert result.to_dict()["day"]["rows"] == [
        {
            "label": "unknown",
            "counts": {
                "confirmed": 0,
                "corroborated": 0,
                "single-source": 0,
                "contested": 0,
            },
            "total": 0,
            "discounted": 0,
            "moments": [],
            "in_event": None,
        },
    ]
