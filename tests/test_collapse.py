"""Deep identity nets are one affine map; least squares is the best affine map."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinynet import (
    Linear,
    Sequential,
    Standardize,
    Unstandardize,
    collapse,
    least_squares,
    mlp,
)


@given(depth=st.integers(2, 10), width=st.integers(1, 64), d_in=st.integers(1, 5),
       d_out=st.integers(1, 3), seed=st.integers(0, 2**31))
@settings(max_examples=40, deadline=None)
def test_collapsed_model_computes_the_same_function(depth, width, d_in, d_out, seed):
    rng = np.random.default_rng(seed)
    model = mlp([d_in] + [width] * (depth - 1) + [d_out], "identity", seed=seed)
    for p in model.parameters():  # nonzero biases, so they are carried through too
        p.data[...] = rng.normal(size=p.data.shape)
    X = rng.normal(size=(50, d_in))
    expected = model(X)
    got = collapse(model)(X)
    assert got.shape == expected.shape
    scale = np.abs(expected).max()
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12 * scale)


def test_collapse_multiplies_out_by_hand():
    # x -> 2x + 1 -> 3(2x + 1) - 1 = 6x + 2
    first, second = Linear(1, 1), Linear(1, 1)
    first.weight.data[...] = 2.0
    first.bias.data[...] = 1.0
    second.weight.data[...] = 3.0
    second.bias.data[...] = -1.0
    line = collapse(Sequential(first, second))
    assert line.weight.data[0, 0] == 6.0 and line.bias.data[0] == 2.0


def test_collapse_sees_through_standardisation():
    rng = np.random.default_rng(0)
    net = mlp([2, 4, 1], "identity", seed=1)
    model = Sequential(Standardize([1.0, -2.0], [2.0, 0.5]), *net.layers, Unstandardize([3.0], [4.0]))
    X = rng.normal(size=(20, 2))
    np.testing.assert_allclose(collapse(model)(X), model(X), rtol=1e-12, atol=1e-12)


def test_a_relu_is_refused_by_name_and_position():
    with pytest.raises(ValueError, match=r"layer 1 is ReLU\(\), which is not affine"):
        collapse(mlp([1, 4, 1], "relu"))
    with pytest.raises(ValueError, match="layer 3 is Sigmoid"):
        collapse(mlp([1, 4, 1], "identity", output_activation="sigmoid"))


def test_least_squares_recovers_a_noiseless_plane():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 3))
    y = X @ np.array([[1.0], [-2.0], [0.5]]) + 4.0
    line = least_squares(X, y)
    np.testing.assert_allclose(line.weight.data, [[1.0], [-2.0], [0.5]], atol=1e-12)
    np.testing.assert_allclose(line.bias.data, [4.0], atol=1e-12)


def test_least_squares_handles_rank_deficient_X():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(50, 1))
    X = np.hstack([x, 2 * x])  # the second column adds nothing
    y = 3 * x + 1
    line = least_squares(X, y)
    np.testing.assert_allclose(line(X), y, atol=1e-10)
    # lstsq picks the minimum-norm split of the slope 3 over the two columns: (0.6, 1.2)
    np.testing.assert_allclose(line.weight.data[:, 0], [0.6, 1.2], atol=1e-10)


def test_least_squares_is_the_best_affine_map():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(80, 2))
    y = np.sin(X[:, :1]) + X[:, 1:] ** 2
    line = least_squares(X, y)
    best = np.mean((line(X) - y) ** 2)
    for _ in range(20):  # nudging the fit in any direction only makes it worse
        other = Linear(2, 1)
        other.weight.data[...] = line.weight.data + rng.normal(scale=0.01, size=(2, 1))
        other.bias.data[...] = line.bias.data + rng.normal(scale=0.01, size=1)
        assert np.mean((other(X) - y) ** 2) > best
