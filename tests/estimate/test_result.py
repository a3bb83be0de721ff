"""The common Estimate and its --json form (DESIGN.md section 4)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from aban.estimate.result import Estimate


def make(**changes: object) -> Estimate:
    fields: dict[str, object] = {
        "model": "loglinear",
        "terms": ("123", "14", "34"),
        "estimate": 10356.5,
        "lower": 8994.3,
        "upper": 12110.4,
        "observed": 4400,
        "lists": ("EXH", "ABA", "OSCE", "HRW"),
        "settings": {"criterion": "bic"},
        "se": 785.9,
        "interval": "profile",
    }
    fields.update(changes)
    return Estimate(**fields)  # type: ignore[arg-type]


def test_to_dict_keys_and_types() -> None:
    out = make().to_dict()
    assert out == {
        "model": "loglinear [123,14,34]",
        "terms": "[123,14,34]",
        "estimate": 10356.5,
        "lower": 8994.3,
        "upper": 12110.4,
        "observed": 4400,
        "lists": ["EXH", "ABA", "OSCE", "HRW"],
        "settings": {"criterion": "bic"},
        "se": 785.9,
        "interval": "profile",
        "warnings": [],
        "extra": {},
    }
    assert json.loads(json.dumps(out)) == out


def test_numpy_and_non_finite_values_become_json() -> None:
    est = make(
        estimate=math.inf,
        extra={"aic": np.float64(1.5), "df": np.int64(4), "bad": math.nan},
        settings={"seed": np.int64(3)},
    )
    out = est.to_dict()
    assert out["estimate"] is None
    assert out["extra"] == {"aic": 1.5, "df": 4, "bad": None}
    assert type(out["extra"]["df"]) is int
    json.dumps(out, allow_nan=False)


def test_frozen_and_read_only() -> None:
    est = make()
    with pytest.raises(AttributeError):
        est.estimate = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        est.settings["criterion"] = "aic"  # type: ignore[index]
    assert make(terms=None).label == "loglinear"
