"""Training: u from one query, EM on agreement patterns (issue 16's training cost)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from aban.linkage import model, neighbours
from aban.linkage.engine import _duckdb_api, _linker
from aban.linkage.features import record_features

from .simdata import simulated


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    records, _ = simulated(tmp_path_factory.mktemp("sim"), persons=300, seed=11)
    features = record_features(records).sort_values("key", ignore_index=True)
    out = features.drop(columns=["key", "source", "family_near"])
    out.insert(0, "rid", range(len(out)))
    out[neighbours.COLUMN] = neighbours.neighbour_tokens(features)
    return out


def trained(linker: Any) -> dict[tuple[str, str, str], float]:
    out = {}
    for c in linker._settings_obj.comparisons:
        for lv in c._comparison_levels_excluding_null:
            key = (c.output_column_name, str(lv.label_for_charts))
            out[(*key, "m")] = lv.m_probability
            out[(*key, "u")] = lv.u_probability
    return out


def linker_on(table: pd.DataFrame) -> Any:
    api = _duckdb_api()
    frame = api.register(table, dataset_display_name="__aban__records")
    return _linker(frame, model.settings())


def test_u_and_em_learn_what_splink_learns(table: pd.DataFrame) -> None:
    ours, splinks = linker_on(table), linker_on(table)
    model.estimate_u(ours, len(table), 3e4, seed=3)
    splinks.training.estimate_u_using_random_sampling(
        max_pairs=3e4, seed=3, num_chunks=1
    )
    assert trained(ours) == pytest.approx(trained(splinks), rel=1e-9)
    for rule, _ in model._em_rules(table):
        model._em_session(ours, rule, None, fix_u=True)
        splinks.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    got, want = trained(ours), trained(splinks)
    assert got == pytest.approx(want, rel=1e-9)
    assert len(ours._em_training_sessions) == 2
    prior = ours._settings_obj._probability_two_random_records_match
    assert prior == splinks._settings_obj._probability_two_random_records_match


def test_em_with_u_free_records_m_only(table: pd.DataFrame) -> None:
    # Issue 16: u is free within a session (a block's pairs are not random
    # pairs), but scoring keeps the u of random pairs. On these records the same
    # national id is reached by matches only: its u in the session is kept from
    # 0 (Splink refuses it) instead of dropping the session.
    linker = linker_on(table)
    model.estimate_u(linker, len(table), 3e4, seed=3)
    sampled = {k: v for k, v in trained(linker).items() if k[2] == "u"}
    for rule, _ in model._em_rules(table):
        model._em_session(linker, rule, None)
    got = trained(linker)
    assert {k: v for k, v in got.items() if k[2] == "u"} == sampled
    assert len(linker._em_training_sessions) == 2
    assert got[("family", "different", "m")] < 0.05


def test_em_that_underflows_keeps_the_earlier_values(
    table: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    linker = linker_on(table)
    model.estimate_u(linker, len(table), 3e4, seed=3)
    before = trained(linker)
    calls: list[int] = []

    def underflow(session: Any, patterns: pd.DataFrame) -> list[Any]:
        calls.append(session.training_settings.max_iterations)
        raise ValueError("m_probability value 0.0 is below the minimum allowed")

    monkeypatch.setattr(model, "_em_iterations", underflow)
    rule, _ = model._em_rules(table)[0]
    model._expectation_maximisation(linker, rule, None)
    assert calls == [20, 10, 5, 2, 1]
    assert trained(linker) == before


def test_a_level_no_pattern_reaches_is_left_out() -> None:
    gamma = np.array([-1, 0, 2, 2])
    records = model._level_records(
        "age", gamma, np.array([9.0, 1.0, 2.0, 1.0]), np.array([1.0, 5.0, 1.0, 3.0])
    )
    assert records == [
        {
            "output_column_name": "age",
            "comparison_vector_value": 0,
            "m_probability": 0.25,
            "u_probability": 5 / 9,
        },
        {
            "output_column_name": "age",
            "comparison_vector_value": 2,
            "m_probability": 0.75,
            "u_probability": 4 / 9,
        },
    ]


def test_frequencies_are_those_of_every_record_when_the_first_pass_samples(
    table: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 16: Splink keeps the frequency tables on the API, shared by every
    # linker on it. When EM stopped building them, the first pass's linker on a
    # sample of cities built them from its records, and every pass used those.
    from aban.linkage import engine, learning

    monkeypatch.setattr(learning, "LEARN_RECORDS", len(table) // 2)
    assert len(learning.learning_sample(table)) < len(table)
    api = _duckdb_api()
    engine._model(api, table, None, 3, lambda _: None, True)
    cached = api._intermediate_table_cache["__splink__df_tf_given_sk"]
    got = cached.as_pandas_dataframe().set_index("given_sk")["tf_given_sk"]
    want = table["given_sk"].value_counts(normalize=True)
    assert got.sort_index().to_dict() == pytest.approx(want.sort_index().to_dict())
