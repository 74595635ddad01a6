"""seeds --json's document, built in tinynet.lesson.seeds.sweep_json."""

import json

import tinynet
from tinynet.lesson.seeds import OUTCOME_MEANINGS, sweep_json


def test_sweep_json_is_the_settings_then_least_squares_then_each_seed():
    X, y = tinynet.make_dataset("abs", 32)
    runs = tinynet.seed_sweep(X, y, 2, 2, epochs=5)
    report = sweep_json(runs, {"data": "abs", "seeds": 2})
    assert list(report) == ["data", "seeds", "least_squares_mse", "fit_below", "outcome_meanings", "summary",
                            "outcomes"]
    assert report["least_squares_mse"] == runs[0].least_squares_mse
    assert [run["seed"] for run in report["outcomes"]] == [0, 1]
    assert sum(row["count"] for row in report["summary"].values()) == 2
    json.dumps(report)  # plain values only: no models


def test_sweep_json_of_no_finished_seed_has_no_numbers_to_give():
    report = sweep_json([], {"seeds_done": 0, "interrupted": True})
    assert report == {"seeds_done": 0, "interrupted": True, "outcome_meanings": OUTCOME_MEANINGS, "summary": None,
                      "outcomes": []}
