"""Time to fit sin, and the lesson's own fit, timed.

The seconds are recorded, never asserted: these machines are shared and
noisy. What is asserted is that each fit gets where it should.
"""

import cases
import numpy as np
import pytest


def test_lesson_fit_reaches_1e_4(benchmark):
    """ReLU [1, 32, 32, 1] with tinynet.fit's defaults on sin reaches MSE < 1e-4 (the lesson's claim)."""
    mse = benchmark.pedantic(cases.lesson_fit, rounds=1, iterations=1)
    benchmark.extra_info["mse"] = mse
    assert mse < 1e-4


@pytest.mark.parametrize("library", ["tinynet", "torch", "sklearn"])
def test_time_to_fit_sin(benchmark, request, library):
    """Full-batch Adam, lr 0.01, seed 0: the number of steps to MSE < 1e-3, then those steps timed."""
    if library != "tinynet":
        request.getfixturevalue(library)  # skips when the library is not installed
    steps = cases.steps_to_fit(library, cases.SEED)
    assert steps is not None, f"{library} did not reach MSE < {cases.FIT_TARGET} in {cases.FIT_MAX_STEPS} steps"
    benchmark.group = "time to fit sin"
    benchmark.extra_info["steps"] = steps
    benchmark.pedantic(cases.FITTERS[library], args=(cases.SEED, steps), rounds=3, iterations=1)


def test_lesson_fit_beside_scikit_learn(benchmark, sklearn):
    """scikit-learn's MLPRegressor on the same fit (sizes, epochs, batch, Adam 0.01): timed, and its
    MSE recorded beside tinynet's; tests/test_peers.py checks the worst seed of each."""
    theirs = benchmark.pedantic(cases.sklearn_lesson_fit, rounds=1, iterations=1)
    benchmark.extra_info["mse"] = theirs
    benchmark.extra_info["tinynet mse"] = cases.lesson_fit()
    assert np.isfinite(theirs)


def test_compare_training_time(benchmark):
    """`tinynet compare`'s training (three nets on sin with the defaults): timed; report.py checks <= 3 s."""
    seconds = benchmark.pedantic(cases.compare_seconds, rounds=1, iterations=1)
    benchmark.extra_info["training seconds"] = seconds
    assert seconds > 0
