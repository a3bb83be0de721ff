"""The Splink model: blocking rules and training.

The comparisons, their levels and the levels' starting m and u are in
:mod:`aban.linkage.comparisons`.

Training (:func:`train`): u probabilities from random pairs; the prior from pairs
that agree on both name skeletons, city and age, with a recall assumption; m
probabilities by expectation maximisation in two rounds (pairs blocked on both
name skeletons learn every other field; pairs blocked on city and age learn the
names), then from reviewers' match decisions when there are any. Every m and u
is clipped away from 0 and 1 so that no single field can veto a match.
"""

from __future__ import annotations

import logging
import math
from dataclasses import replace
from typing import Any

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
    linker.training.estimate_u_using_random_sampling(
        max_pairs=max(1e5, min(_U_PAIRS, pairs)), seed=seed, num_chunks=1
    )
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
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule, estimate_without_term_frequencies=True, max_pairs=cap
                )
                return
            except ValueError as err:
                if "below the minimum allowed" not in str(err):
                    raise
                settings_obj.core_model_settings = saved.copy()
                iterations //= 2
    finally:
        settings_obj.training_settings = full


def _pairs_sharing(features: pd.DataFrame, columns: list[str]) -> int:
    """How many pairs of records agree on every one of ``columns`` (none null)."""
    sizes = features[columns].dropna().value_counts()
    return int((sizes * (sizes - 1) // 2).sum())


def _em_rules(features: pd.DataFrame) -> list[tuple[Any, int]]:
    """Blocking rules for EM, with their pair counts: names (learns the rest),
    then one that learns names.

    A rule is used only if it yields enough pairs to learn from.
    """
    from splink import block_on

    candidates = [
        ["given_sk", "family_sk"],
        ["city", "age"],
        ["national_id"],
        ["born"],
        ["city", "dod"],
    ]
    counted = [(c, _pairs_sharing(features, c)) for c in candidates]
    chosen = [(block_on(*c), n) for c, n in counted if n >= _EM_MIN_PAIRS]
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
