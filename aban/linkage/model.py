"""The Splink model: blocking rules and training.

The comparisons, their levels and the levels' starting m and u are in
:mod:`aban.linkage.comparisons`.

Training (:func:`train`): u probabilities from random pairs; the prior from pairs
that agree on both name skeletons, city and age, with a recall assumption; m
probabilities by expectation maximisation in two rounds (pairs blocked on both
name skeletons learn every other field; pairs blocked on city and age learn the
names), then from reviewers' match decisions when there are any. Every m and u
is clipped away from 0 and 1 so that no single field can veto a match.

Splink's own estimates, computed more cheaply (issue 16: training was half of a
link at 10,000 records): the u of every comparison from one query over one sample
(:func:`estimate_u`), and EM's iterations on the agreement patterns' counts in
NumPy (:func:`_em_iterations`); the m, u and prior are Splink's to rounding.
"""

from __future__ import annotations

import logging
import math
from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from aban.linkage import neighbours
from aban.linkage.comparisons import splink_comparisons

#: Below this many records the model is not trained: the levels keep their
#: starting m and u (:data:`aban.linkage.comparisons.LEVELS`).
MIN_TRAINING_RECORDS = 200
#: Agreement is weighted by the value's frequency only from this many records on:
#: in fewer, a value seen twice already looks as common as the commonest names
#: (2%), and in three records a name seen twice has a frequency of two thirds.
MIN_FREQUENCY_RECORDS = 100

# Bounds of m and u: a level never observed among matches (or non-matches) in
# training must not become an infinite weight.
_P_MIN = 1e-4
_P_MAX = 1 - 1e-4
# Least m of any level: real lists carry wrong cities, ages and dates, so a
# disagreeing field is evidence against a match, never a veto. At most about ten
# bits against: at 0.01 (under seven) different given names, injuries or statuses,
# which EM finds in 0.1-0.3% of matches, weighed too little to part namesakes.
_M_MIN = 0.001
_PRIOR_RECALL = 0.45
_EM_MIN_PAIRS = 100
_EM_MAX_PAIRS = 2e6
# Random pairs for u: 300,000 give the same F1 as one or three million on
# simulated lists of 10,000 and 100,000 records (the rarest levels without
# frequencies, such as swapped names, still see a few hundred pairs), and u
# sampling costs the same at any size, so it dominates small inputs.
_U_PAIRS = 3e5


def blocking_rules() -> list[Any]:
    """Rules that choose the candidate pairs: each admits pairs that share a key.

    Both name sounds; both name skeletons; family name sound with city, or with
    age; given name skeleton with city and age; family name and father's name
    skeletons; national id; birth date; given and family names swapped. A record
    with one name only (given or family) against records with that family name
    in its city, or that given name with its age and date of death. Through the
    ``neighbours`` pair tokens of :mod:`aban.linkage.neighbours` (every pair of a
    small block, the nearest in a large one): a given name alone against that
    given name with its father's name; a record with no name against records of
    its city and age; a one-name record against its nearest namesakes, in its
    city too (a rule on the given name and the city made 56 of about 124 million
    pairs, counted rule by rule, at a million records); every record against its
    nearest namesake under each of its names (``ch`` and ``g`` folded), and a
    record with fewer than two names against its nearest records
    of its city; and the given name's skeleton with a family name skeleton one
    letter apart, every pair in a small block and the nearest in a large one
    (:data:`aban.linkage.neighbours.NEAR_BLOCK`). A million simulated records
    made about 190 million pairs before the nearest namesakes were added; the
    namesakes of two-name records and the city neighbours added 3.2 pairs per
    record at 100,000 simulated records (``--noise hard``: 1.43 to 1.75 million
    candidate pairs).
    """
    from splink import block_on

    rules: list[Any] = [
        block_on("given_sv", "family_sv"),
        block_on("given_sk", "family_sk"),
        block_on("family_sv", "city"),
        block_on("family_sv", "age"),
        block_on("given_sk", "city", "age"),
        block_on("family_sk", "father_sk"),
        block_on("national_id"),
        block_on("born"),
        "l.given_sk = r.family_sk and l.family_sk = r.given_sk",
        block_on(neighbours.COLUMN, arrays_to_explode=[neighbours.COLUMN]),
    ]
    for a, b in (("l", "r"), ("r", "l")):
        rules.append(f"{a}.lone_sk = {b}.family_sk and {a}.city = {b}.city")
        rules.append(
            f"{a}.lone_sk = {b}.given_sk and {a}.age = {b}.age and {a}.dod = {b}.dod"
        )
    return rules


def settings(prior: float = 1e-4, frequencies: bool = True) -> Any:
    """The untrained Splink settings (see :mod:`aban.linkage.comparisons`)."""
    from splink import SettingsCreator

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="rid",
        comparisons=splink_comparisons(frequencies),
        blocking_rules_to_generate_predictions=blocking_rules(),
        probability_two_random_records_match=prior,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
        max_iterations=20,
        em_convergence=0.001,
    )


def _quiet() -> None:
    for name in ("splink", "py4j"):
        logging.getLogger(name).setLevel(logging.ERROR)


def train(
    linker: Any,
    features: pd.DataFrame,
    labels_table: Any | None,
    seed: int,
) -> None:
    """Estimate u, the prior and m on ``linker`` (see the module docstring).

    Args:
        linker: A Splink linker built with :func:`settings`.
        features: The records' features (as registered with the linker).
        labels_table: A registered table of reviewers' match pairs, or None.
        seed: Seed of the random sample for u.
    """
    from splink import block_on

    _quiet()
    n_records = len(features)
    if n_records < MIN_TRAINING_RECORDS:
        _clip_prior(linker, n_records)
        return
    pairs = n_records * (n_records - 1) / 2
    estimate_u(linker, n_records, max(1e5, min(_U_PAIRS, pairs)), seed)
    rules = [
        block_on("given_sk", "family_sk", "city", "age"),
        block_on("given_sk", "family_sk", "born"),
        block_on("national_id"),
    ]
    try:
        linker.training.estimate_probability_two_random_records_match(
            rules, recall=_PRIOR_RECALL
        )
    except ValueError:
        linker._settings_obj._probability_two_random_records_match = 1e-4
    _clip_prior(linker, n_records)
    for em_rule, count in _em_rules(features):
        # Sampling down a large block costs a preliminary pass; skip it when small.
        cap = _EM_MAX_PAIRS if count > _EM_MAX_PAIRS else None
        _expectation_maximisation(linker, em_rule, cap)
    if labels_table is not None:
        linker.training.estimate_m_from_pairwise_labels(labels_table)
    clip_probabilities(linker)


def frequency_tables(linker: Any) -> None:
    """Build the term-frequency tables of every record in ``linker``.

    Splink keeps them by column name on the API, shared by every linker on it, and
    builds them the first time one needs them. Splink's EM built them from every
    record; EM here does without them, so without this the first linker to need
    them was the first pass's, which at more than
    :data:`aban.linkage.learning.LEARN_RECORDS` records holds a sample of cities:
    every pass then weighed names by their frequency in the sample, and a name
    the sample lacks got no frequency at all (issue 16: at 100,000 ``--noise
    hard`` records the learned spelling's m fell from 0.0061 to 0.0052 and F1
    from 0.9384 to 0.9344).

    Splink's own query for each table, run here as one script on the records'
    DuckDB table: Splink ran each through its pipeline, with a drop and a look at
    the columns besides (0.17-0.19 s of CPU for the 17 tables at 10,000 records,
    now about 0.04).

    Args:
        linker: A Splink linker built with :func:`settings` on every record, on
            DuckDB.
    """
    from splink.internals.term_frequencies import (
        colname_to_tf_tablename,
        term_frequencies_for_single_column_sql,
    )

    api = linker._db_api
    cache = linker._intermediate_table_cache
    (records,) = linker._input_tables_dict.values()
    made: list[str] = []
    script: list[str] = []
    for column in linker._settings_obj._term_frequency_columns:
        name = colname_to_tf_tablename(column)
        if name not in cache:
            sql = term_frequencies_for_single_column_sql(column, records.physical_name)
            script.append(f"create or replace table {name} as {sql}")
            made.append(name)
    if script:
        api.duckdb_con.execute(";\n".join(script))
    for name in made:
        cache[name] = api.table_to_splink_dataframe(name, name)


def estimate_u(linker: Any, n_records: int, max_pairs: float, seed: int) -> None:
    """Estimate every comparison's u from all pairs of one random sample of records.

    The model: u of a level is the share of pairs of distinct records that reach
    it among those where the comparison is not null; random pairs are almost all
    non-matches. The sample is Splink's ``estimate_u_using_random_sampling``'s
    (each record kept with probability ``rows / n_records``, where ``rows``
    records make about ``max_pairs`` pairs, by the engine's seeded sampler), and
    so are the counts, but all the comparisons' levels are computed in one query
    and counted by agreement pattern: Splink runs one query per comparison over
    the same pairs (13 here, about 1.0 s of CPU of a 10,000-record run; one
    query about a third of that). A level no pair reaches stays untrained.

    Args:
        linker: A Splink linker built with :func:`settings`.
        n_records: How many records the linker holds.
        max_pairs: About how many random pairs to count.
        seed: Seed of the sample.
    """
    from splink.internals.estimate_u import _estimate_u_comparison_vector_sqls
    from splink.internals.pipeline import CTEPipeline
    from splink.internals.vertically_concatenate import enqueue_df_concat

    settings_obj = linker._settings_obj
    comparisons = settings_obj.comparisons
    info = settings_obj.column_info_settings
    rows = 0.5 * ((8 * max_pairs + 1) ** 0.5 + 1)  # rows * (rows - 1) / 2 pairs
    proportion = min(1.0, rows / n_records)
    uid_cols = info.unique_id_input_columns
    pipeline = enqueue_df_concat(linker, CTEPipeline())
    sample = linker._proportion_sample_sql(proportion, uid_cols, seed=seed)
    pipeline.enqueue_sql(
        f"select * from __splink__df_concat where 1=1 {sample}",
        "__splink__df_concat_sample",
    )
    blocking, cv_cols = _u_columns(comparisons, uid_cols)
    pipeline.enqueue_list_of_sqls(
        _estimate_u_comparison_vector_sqls(
            db_api=linker._db_api,
            input_tablename_l="__splink__df_concat_sample",
            input_tablename_r="__splink__df_concat_sample",
            link_type=settings_obj._link_type,
            source_dataset_input_column=info.source_dataset_input_column,
            unique_id_input_column=info.unique_id_input_column,
            blocking_cols=blocking,
            cv_cols=cv_cols,
            rhs_chunk_num=1,
            rhs_num_chunks=1,
        )
    )
    gammas = [c._gamma_column_name for c in comparisons]
    listed = ", ".join(gammas)
    pipeline.enqueue_sql(
        f"select {listed}, count(*) as n from __splink__df_comparison_vectors "
        f"group by {listed}",
        "__aban__u_patterns",
    )
    frame = linker._db_api.sql_pipeline_to_splink_dataframe(pipeline)
    try:
        patterns = frame.as_pandas_dataframe()
    finally:
        frame.drop_table_from_database_and_remove_from_cache()
    _record_u(comparisons, patterns)
    linker._populate_m_u_from_trained_values()


def _u_columns(comparisons: list[Any], uid_cols: list[Any]) -> tuple[list[Any], Any]:
    """The columns of pairs and of their comparison vectors without frequencies
    (u and EM here count pairs; the records carry no frequency columns)."""
    from splink.internals.settings import Settings

    tf = {}
    for comparison in comparisons:
        for level in comparison.comparison_levels:
            tf[id(level)] = level._tf_adjustment_column
            level._tf_adjustment_column = None
    try:
        blocking = [c for uid in uid_cols for c in uid.l_r_names_as_l_r]
        for comparison in comparisons:
            for column in comparison._columns_to_select_for_blocking():
                if column not in blocking:
                    blocking.append(column)
        cv_cols = Settings.columns_to_select_for_comparison_vector_values(
            unique_id_input_columns=uid_cols,
            comparisons=comparisons,
            retain_matching_columns=False,
            additional_columns_to_retain=[],
        )
    finally:
        for comparison in comparisons:
            for level in comparison.comparison_levels:
                level._tf_adjustment_column = tf[id(level)]
    return blocking, cv_cols


def _record_u(comparisons: list[Any], patterns: pd.DataFrame) -> None:
    """Each level's u, its share of the pairs where the comparison is not null,
    recorded as a trained value (a level no pair reaches is not observed)."""
    from splink.internals.m_u_records_to_parameters import (
        append_u_probability_to_comparison_level_trained_probabilities,
    )

    for comparison in comparisons:
        counts = patterns.groupby(comparison._gamma_column_name)["n"].sum()
        counts = counts[counts.index != -1]
        total = float(counts.sum())
        lookup = {
            comparison.output_column_name: {
                int(v): {"u_probability": float(n) / total}
                for v, n in counts.items()
                if n > 0
            }
        }
        for level in comparison._comparison_levels_excluding_null:
            append_u_probability_to_comparison_level_trained_probabilities(
                level,
                lookup,
                comparison.output_column_name,
                "estimate u by random sampling",
            )


def _expectation_maximisation(linker: Any, rule: Any, cap: float | None) -> None:
    """One EM session; fewer iterations if an m underflows.

    When no pair of a level looks like a match, EM drives that level's m towards
    0 geometrically, and Splink refuses an m below 1e-300 (issue 3: a thousand
    records did this to four levels at once). Such an m would be clipped to
    ``_M_MIN`` anyway, so the session is run again with half the iterations, and
    dropped (the earlier values stand) if even one iteration underflows. A failed
    session leaves Splink's parameters without the comparisons it set aside, so
    they are restored from a copy.
    """
    settings_obj = linker._settings_obj
    full = settings_obj.training_settings
    saved = settings_obj.core_model_settings.copy()
    iterations = full.max_iterations
    try:
        while iterations >= 1:
            settings_obj.training_settings = replace(full, max_iterations=iterations)
            try:
                _em_session(linker, rule, cap)
                return
            except ValueError as err:
                if "below the minimum allowed" not in str(err):
                    raise
                settings_obj.core_model_settings = saved.copy()
                iterations //= 2
    finally:
        settings_obj.training_settings = full


def _em_session(linker: Any, rule: Any, cap: float | None, fix_u: bool = False) -> None:
    """Splink's ``estimate_parameters_using_expectation_maximisation`` (without
    frequencies), with the iterations computed here on the agreement patterns'
    counts instead of two SQL queries each (about 40 ms of CPU an iteration at
    10,000 records, ten or so a session): the same updates
    (:func:`_em_iterations`), the same stopping rule and the same record of the
    trained m in the settings.

    u is free within the session unless ``fix_u``: the pairs of a training
    block share more than random pairs do (a city, an age, a sex), so a given
    name agrees more often among its non-matches than the u of random pairs
    says, and with u fixed EM put the excess among the matches (issue 16: on the
    outside lists of 100,000 persons, a family name 'different' in 27% of
    matches, 0.8% in truth; 1.4% with u free and no two sexes in the block,
    :data:`NAMES_EM_RULE`). Only the session's m are recorded
    (:func:`_trained_settings`): scoring keeps the u of random pairs, and a
    session's u is kept from 0 (:func:`_level_records`).
    """
    from splink.internals.blocking_rule_creator_utils import to_blocking_rule_creator
    from splink.internals.em_training_session import EMTrainingSession

    settings_obj = linker._settings_obj
    blocking_rule = to_blocking_rule_creator(rule).get_blocking_rule(
        linker._sql_dialect_str
    )
    session = EMTrainingSession(
        linker,
        db_api=linker._db_api,
        blocking_rule_for_training=blocking_rule,
        core_model_settings=settings_obj.core_model_settings,
        training_settings=settings_obj.training_settings,
        unique_id_input_columns=settings_obj.column_info_settings.unique_id_input_columns,
        fix_u_probabilities=fix_u,
        estimate_without_term_frequencies=True,
        max_pairs=cap,
    )
    patterns = _pattern_counts(linker, session)
    if patterns.empty:
        raise ValueError(
            f"training rule {blocking_rule.blocking_rule_sql} found no pairs"
        )
    history = _em_iterations(session, patterns)
    session.core_model_settings = history[-1]
    session._core_model_settings_history = history
    settings_obj.core_model_settings = _trained_settings(session)
    linker._em_training_sessions.append(session)
    linker._populate_m_u_from_trained_values()


def _pattern_counts(linker: Any, session: Any) -> pd.DataFrame:
    """The session's blocked pairs counted by agreement pattern, in one query.

    Splink's pairs (its blocking SQL, with its sample when ``max_pairs`` caps
    them), but the comparison vectors are computed from the records without the
    frequency columns (EM here does without them) and counted in the same query:
    Splink joined the 18 frequency tables to the records and wrote the vectors to
    a table first (0.3 s of CPU for the two sessions at 10,000 records).
    """
    from splink.internals.blocking import block_using_rules_sqls
    from splink.internals.comparison_vector_values import (
        compute_comparison_vector_values_from_id_pairs_sqls,
    )
    from splink.internals.expectation_maximisation import (
        count_agreement_patterns_sql,
    )
    from splink.internals.pipeline import CTEPipeline
    from splink.internals.vertically_concatenate import enqueue_df_concat

    session._ensure_em_sampling_settings()
    settings_obj = linker._settings_obj
    info = settings_obj.column_info_settings
    comparisons = session.core_model_settings.comparisons
    blocking, cv_cols = _u_columns(comparisons, info.unique_id_input_columns)
    pipeline = enqueue_df_concat(linker, CTEPipeline())
    pipeline.enqueue_list_of_sqls(
        block_using_rules_sqls(
            input_tablename_l="__splink__df_concat",
            input_tablename_r="__splink__df_concat",
            blocking_rules=[session._blocking_rule_for_training],
            link_type=settings_obj._link_type,
            source_dataset_input_column=info.source_dataset_input_column,
            unique_id_input_column=info.unique_id_input_column,
            sample_threshold=session._sample_threshold,
            sample_modulus=session._sample_modulus,
        )
    )
    pipeline.enqueue_list_of_sqls(
        compute_comparison_vector_values_from_id_pairs_sqls(
            blocking,
            cv_cols,
            input_tablename_l="__splink__df_concat",
            input_tablename_r="__splink__df_concat",
            source_dataset_input_column=info.source_dataset_input_column,
            unique_id_input_column=info.unique_id_input_column,
        )
    )
    pipeline.enqueue_sql(
        count_agreement_patterns_sql(comparisons), "__splink__agreement_pattern_counts"
    )
    frame = linker._db_api.sql_pipeline_to_splink_dataframe(pipeline)
    try:
        return frame.as_pandas_dataframe()
    finally:
        frame.drop_table_from_database_and_remove_from_cache()


def _em_iterations(session: Any, patterns: pd.DataFrame) -> list[Any]:
    """EM on agreement patterns as Splink's ``expectation_maximisation`` does it.

    E step: each pattern's match probability from the prior and the levels' match
    weights (a null level weighs 0). M step: a level's m is its share of the
    expected matches among the comparison's non-null patterns; the prior is the
    expected share of matches; u stays. Splink's own maximisation step applies
    them (unobserved levels, the m floor that raises on underflow), and the loop
    stops when no m, u or prior moves by ``em_convergence``.
    """
    from splink.internals.expectation_maximisation import (
        _max_change_in_parameters_comparison_levels,
        maximisation_step,
    )

    settings = session.core_model_settings
    training = session.training_settings
    counts = patterns["agreement_pattern_count"].to_numpy(dtype=float)
    gammas = [
        patterns[c._gamma_column_name].to_numpy(dtype=np.int64)
        for c in settings.comparisons
    ]
    history = [settings.copy()]
    for _ in range(training.max_iterations):
        weight = np.full(
            len(counts), _match_weight(settings.probability_two_random_records_match)
        )
        for comparison, gamma in zip(settings.comparisons, gammas, strict=True):
            for level in comparison.comparison_levels:
                value = level._match_weight
                at = gamma == level.comparison_vector_value
                weight[at] += np.nan if value is None else value
        probability = np.where(
            weight >= 0,
            1.0 / (1.0 + np.exp2(-np.abs(weight))),
            np.exp2(-np.abs(weight)) / (1.0 + np.exp2(-np.abs(weight))),
        )
        known = ~np.isnan(probability)
        m_counts, u_counts = probability * counts, (1.0 - probability) * counts
        records = [_lambda_record(m_counts, u_counts, counts, known)]
        for comparison, gamma in zip(settings.comparisons, gammas, strict=True):
            records += _level_records(
                comparison.output_column_name, gamma, m_counts, u_counts
            )
        settings = maximisation_step(
            session.training_fixed_probabilities, settings, records
        )
        history.append(settings)
        change = _max_change_in_parameters_comparison_levels(history)
        if change["max_abs_change_value"] < training.em_convergence:
            break
    return history


def _match_weight(probability: float) -> float:
    return math.log2(probability / (1.0 - probability))


def _lambda_record(
    m_counts: npt.NDArray[np.float64],
    u_counts: npt.NDArray[np.float64],
    counts: npt.NDArray[np.float64],
    known: npt.NDArray[np.bool_],
) -> dict[str, Any]:
    total = float(counts.sum())
    return {
        "output_column_name": "_probability_two_random_records_match",
        "comparison_vector_value": 0,
        "m_probability": float(m_counts[known].sum()) / total,
        "u_probability": float(u_counts[known].sum()) / total,
    }


def _level_records(
    name: str,
    gamma: npt.NDArray[np.int64],
    m_counts: npt.NDArray[np.float64],
    u_counts: npt.NDArray[np.float64],
) -> list[dict[str, Any]]:
    """Each observed non-null level's m and u (its share of the expected matches
    and non-matches); a level no pattern reaches is left out (not observed)."""
    values = np.unique(gamma[gamma != -1])
    sums = []
    for value in values:
        at = gamma == value
        sums.append((np.nansum(m_counts[at]), np.nansum(u_counts[at])))
    m_total = sum(m for m, _ in sums)
    u_total = sum(u for _, u in sums)
    return [
        {
            "output_column_name": name,
            "comparison_vector_value": int(value),
            "m_probability": float(m / m_total),
            # A free u is kept from 0 (Splink refuses one below 1e-300): a level
            # that only matches reach, such as the same national id, in a block,
            # or every level when EM takes every pair of a small block for a match.
            "u_probability": max(_P_MIN, float(u / u_total) if u_total > 0 else 0.0),
        }
        for value, (m, u) in zip(values, sums, strict=True)
    ]


def _trained_settings(session: Any) -> Any:
    """The settings before the session with its m recorded as a trained value of
    each level it estimated (Splink averages them over sessions)."""
    from splink.internals.constants import LEVEL_NOT_OBSERVED_TEXT

    description = (
        f"EM, blocked on: {session._blocking_rule_for_training.blocking_rule_sql}"
    )
    original = session.original_core_model_settings
    for comparison in session.core_model_settings.comparisons:
        name = comparison.output_column_name
        target = original.get_comparison_by_output_column_name(name)
        for level in comparison._comparison_levels_excluding_null:
            value = level._m_probability
            if value != LEVEL_NOT_OBSERVED_TEXT:
                value = level.m_probability
            target._get_comparison_level_by_comparison_vector_value(
                level.comparison_vector_value
            )._add_trained_m_probability(value, description)
    return original


def _pairs_sharing(features: pd.DataFrame, columns: list[str]) -> int:
    """How many pairs of records agree on every one of ``columns`` (none null)."""
    sizes = features[columns].dropna().value_counts()
    return int((sizes * (sizes - 1) // 2).sum())


#: The block of EM's session that learns the names: one city and one age, and not
#: two sexes. Given names tell the sexes apart, so among the non-matches of a
#: block of both sexes a given name agrees as sex does; EM takes the fields as
#: independent within each class, and put such namesakes among the matches
#: (issue 16). A record without a sex stays in the block; sex is not learnt here.
NAMES_EM_RULE = (
    "l.city = r.city and l.age = r.age "
    "and (l.sex = r.sex or l.sex is null or r.sex is null)"
)


def _em_rules(features: pd.DataFrame) -> list[tuple[Any, int]]:
    """Blocking rules for EM, with their pair counts: names (learns the rest),
    then one that learns names (:data:`NAMES_EM_RULE`, counted as its city and
    age).

    A rule is used only if it yields enough pairs to learn from.
    """
    from splink import block_on

    candidates: list[tuple[list[str], Any]] = [
        (["given_sk", "family_sk"], None),
        (["city", "age"], NAMES_EM_RULE),
        (["national_id"], None),
        (["born"], None),
        (["city", "dod"], None),
    ]
    counted = [(c, rule, _pairs_sharing(features, c)) for c, rule in candidates]
    chosen = [
        (block_on(*c) if rule is None else rule, n)
        for c, rule, n in counted
        if n >= _EM_MIN_PAIRS
    ]
    return chosen[:2]


def _clip_prior(linker: Any, n_records: int) -> None:
    # At least one match per ten records and at most one per record: the
    # deterministic rule can find almost nothing when names rarely agree.
    settings_obj = linker._settings_obj
    pairs = max(1.0, n_records * (n_records - 1) / 2)
    low, high = 0.1 * n_records / pairs, min(0.5, n_records / pairs)
    prior = settings_obj._probability_two_random_records_match
    settings_obj._probability_two_random_records_match = min(high, max(low, prior))


def clip_probabilities(linker: Any) -> None:
    """Keep every u inside [1e-4, 1 - 1e-4] and every m inside [0.001, 1 - 1e-4]."""
    for comparison in linker._settings_obj.comparisons:
        for level in comparison._comparison_levels_excluding_null:
            for attr, low in (("_m_probability", _M_MIN), ("_u_probability", _P_MIN)):
                value = getattr(level, attr)
                if isinstance(value, float) and not math.isnan(value):
                    setattr(level, attr, min(_P_MAX, max(low, value)))
