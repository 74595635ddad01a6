"""The two-input classification sets: shapes, labels, geometry, seeds and noise."""

import numpy as np
import pytest

from tinynet import DATASETS, DATASETS_2D, make_dataset


@pytest.mark.parametrize("name", sorted(DATASETS_2D))
def test_every_2d_set_is_points_in_the_plane_with_balanced_0_1_labels(name):
    X, y = make_dataset(name)
    assert X.shape == (256, 2) and y.shape == (256, 1)
    assert X.dtype == np.float64 and y.dtype == np.float64
    np.testing.assert_array_equal(y[:, 0], np.arange(256) % 2)  # 0, 1, 0, 1, ...: any first rows hold both
    assert np.isfinite(X).all() and np.abs(X).max() <= 2
    X, y = make_dataset(name, n=7)
    assert X.shape == (7, 2) and y.shape == (7, 1)


@pytest.mark.parametrize("name", sorted(DATASETS_2D))
def test_positions_come_from_the_seed(name):
    a, ya = make_dataset(name, seed=3)
    b, _ = make_dataset(name, seed=3)
    c, yc = make_dataset(name, seed=4)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ya, yc)  # the labels do not depend on the seed ...
    assert not np.array_equal(a, c)  # ... where the points lie does


@pytest.mark.parametrize("name", sorted(DATASETS_2D))
def test_noise_moves_the_points_not_the_labels(name):
    clean, y_clean = make_dataset(name, n=20000, seed=1)
    noisy, y_noisy = make_dataset(name, n=20000, noise=0.1, seed=1)
    np.testing.assert_array_equal(y_noisy, y_clean)
    shift = noisy - clean  # the same seed draws the same clean points first
    assert abs(shift.mean()) < 0.005 and abs(shift.std() - 0.1) < 0.005


def test_xor_is_four_clusters_labelled_by_the_xor_of_the_signs():
    X, y = make_dataset("xor", n=1000)
    assert np.all((np.abs(X) >= 0.1) & (np.abs(X) <= 1))  # a gap of 0.2 between the clusters
    np.testing.assert_array_equal(y[:, 0], (X[:, 0] > 0) != (X[:, 1] > 0))
    quadrants, counts = np.unique(np.sign(X), axis=0, return_counts=True)
    assert len(quadrants) == 4 and counts.tolist() == [250] * 4


def test_circles_are_a_ring_of_radius_half_inside_a_ring_of_radius_one():
    X, y = make_dataset("circles")
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius, np.where(y[:, 0] == 1, 0.5, 1.0), rtol=1e-15)


def test_moons_are_scikit_learns_half_circles():
    X, y = make_dataset("moons")
    upper, lower = X[y[:, 0] == 0], X[y[:, 0] == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, rtol=1e-15)
    assert (upper[:, 1] >= 0).all()
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0, rtol=1e-15)
    assert (lower[:, 1] <= 0.5).all()


def test_spiral_arms_are_half_a_turn_apart():
    X, y = make_dataset("spiral", n=2000)
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.max() <= 1
    angle = np.arctan2(X[:, 1], X[:, 0])
    expected = 2 * np.pi * 1.5 * r + np.pi * y[:, 0]  # r = t, angle = 3 pi t (+ pi for label 1)
    gap = np.angle(np.exp(1j * (angle - expected)))  # the difference, wrapped to (-pi, pi]
    np.testing.assert_allclose(gap, 0, atol=1e-9)


def test_the_one_input_sets_stay_apart_and_keep_their_default_size():
    assert set(DATASETS) == {"sin", "abs", "linear", "sawtooth", "noisy_sin"}
    assert not set(DATASETS) & set(DATASETS_2D)
    X, y = make_dataset("sin")
    assert X.shape == (512, 1) and y.shape == (512, 1)
    np.testing.assert_array_equal(X[:, 0], np.linspace(-np.pi, np.pi, 512))


@pytest.mark.parametrize(("args", "kwargs", "fragment"), [
    (("nosuch",), {}, "unknown dataset 'nosuch': choose one of sin, abs, linear, sawtooth, noisy_sin, xor, circles, moons, spiral, blobs"),
    (("xor", 1), {}, "n must be an integer >= 2, got 1"),
    (("moons", 2.5), {}, "n must be an integer >= 2, got 2.5"),
    (("circles",), {"noise": -0.1}, "noise must be a number >= 0"),
    (("spiral",), {"noise": float("nan")}, "noise must be a number >= 0"),
])
def test_bad_arguments_are_refused(args, kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        make_dataset(*args, **kwargs)
