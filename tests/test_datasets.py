import numpy as np
import pytest

from tinynet import DATASETS, make_dataset


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_dataset_is_two_float64_columns(name):
    X, y = make_dataset(name, n=100)
    assert X.shape == (100, 1) and y.shape == (100, 1)
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert np.all(np.diff(X[:, 0]) > 0)


def test_the_lesson_datasets_are_what_they_say():
    X, y = make_dataset("sin")
    assert X[0, 0] == -np.pi and X[-1, 0] == np.pi
    np.testing.assert_array_equal(y, np.sin(X))
    X, y = make_dataset("abs")
    assert (X.min(), X.max()) == (-1, 1)
    np.testing.assert_array_equal(y, np.abs(X))
    X, y = make_dataset("linear")
    np.testing.assert_allclose(y, 2 * X + 1)


def test_sawtooth_dataset_is_three_folded_tents():
    _, y = make_dataset("sawtooth", n=9)  # x = 0, 1/8, ..., 1: peaks at odd eighths
    np.testing.assert_allclose(y[:, 0], [0, 1, 0, 1, 0, 1, 0, 1, 0])


def test_noise_is_seeded_and_has_the_asked_scale():
    _, clean = make_dataset("linear", n=20000)
    _, a = make_dataset("linear", n=20000, noise=0.1, seed=3)
    _, b = make_dataset("linear", n=20000, noise=0.1, seed=3)
    _, c = make_dataset("linear", n=20000, noise=0.1, seed=4)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert abs(np.std(a - clean) - 0.1) < 0.005


@pytest.mark.parametrize(("args", "kwargs", "fragment"), [
    (("nosuch",), {}, "choose one of sin, abs, linear, sawtooth"),
    (("sin", 1), {}, "n must be an integer >= 2, got 1"),
    (("sin",), {"noise": -1.0}, "noise must be a number >= 0"),
])
def test_bad_arguments_are_refused(args, kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        make_dataset(*args, **kwargs)
