"""ReLU nets are piecewise linear: exact breakpoints, |x| by hand, depth multiplies pieces."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinynet import breakpoints, dead_units, exact_abs, linear_pieces, mlp, sawtooth


def test_exact_abs_is_abs_bit_for_bit():
    rng = np.random.default_rng(0)
    x = np.concatenate([
        rng.normal(scale=10.0 ** rng.integers(-300, 300, size=1000)),  # every magnitude
        [0.0, -0.0, 5e-324, -5e-324, 1.7e308, -1.7e308, np.inf, -np.inf],
    ]).reshape(-1, 1)
    y = exact_abs()(x)
    assert y.dtype == x.dtype
    assert np.array_equal(y, np.abs(x))


def test_exact_abs_has_one_breakpoint_at_zero():
    bp = breakpoints(exact_abs(), -1, 1)
    assert bp.tolist() == [0.0]
    assert breakpoints(exact_abs(), -np.inf, np.inf).tolist() == [0.0]
    assert linear_pieces(exact_abs(), -1, 1) == 2
    assert linear_pieces(exact_abs(), 0.5, 1) == 1  # both ends on one side: one piece


def dense_grid_kinks(model, lo, hi, n=200_001):
    """An independent check: where does the slope between neighbouring grid points jump?"""
    x = np.linspace(lo, hi, n).reshape(-1, 1)
    y = model(x)[:, 0]
    slope = np.diff(y) / np.diff(x[:, 0])
    jump = np.abs(np.diff(slope))
    tol = 1e-6 * max(1.0, np.abs(slope).max())
    return x[1:-1, 0][jump > tol], (hi - lo) / (n - 1)


@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
@given(depth=st.integers(1, 4), width=st.integers(1, 8), seed=st.integers(0, 2**31))
@settings(max_examples=25, deadline=None)
def test_breakpoints_agree_with_a_dense_grid(activation, depth, width, seed):
    rng = np.random.default_rng(seed)
    model = mlp([1] + [width] * depth + [1], activation, seed=seed)
    for p in model.parameters():
        p.data[...] = rng.normal(size=p.data.shape)
    lo, hi = -3.0, 3.0
    bp = breakpoints(model, lo, hi)
    assert np.all(np.diff(bp) > 0) and np.all((bp > lo) & (bp < hi))
    kinks, step = dense_grid_kinks(model, lo, hi)
    # every kink the grid sees lies next to a computed breakpoint ...
    for k in kinks:
        assert len(bp) and np.min(np.abs(bp - k)) <= 2 * step
    # ... and every breakpoint the grid can resolve (a real change of slope,
    # not closer than a few grid steps to another) shows up on the grid
    x = np.array([[b - 1e-7, b, b + 1e-7] for b in bp]).reshape(-1, 1)
    y = model(x).reshape(-1, 3)
    change = np.abs((y[:, 2] - y[:, 1]) - (y[:, 1] - y[:, 0])) / 1e-7
    isolated = np.diff(np.concatenate([[lo], bp, [hi]]))
    resolvable = (change > 1e-3) & (np.minimum(isolated[:-1], isolated[1:]) > 5 * step)
    for b in bp[resolvable]:
        assert len(kinks) and np.min(np.abs(kinks - b)) <= 2 * step


@given(width=st.integers(1, 32), seed=st.integers(0, 2**31))
@settings(max_examples=30, deadline=None)
def test_one_hidden_layer_of_n_relus_has_at_most_n_plus_1_pieces(width, seed):
    rng = np.random.default_rng(seed)
    model = mlp([1, width, 1], "relu", seed=seed)
    for p in model.parameters():
        p.data[...] = rng.normal(size=p.data.shape)
    assert linear_pieces(model, -10, 10) <= width + 1


def test_model_is_linear_between_breakpoints():
    rng = np.random.default_rng(5)
    model = mlp([1, 16, 16, 1], "relu", seed=5)
    for p in model.parameters():
        p.data[...] = rng.normal(size=p.data.shape)
    knots = np.concatenate([[-2.0], breakpoints(model, -2, 2), [2.0]])
    for left, right in itertools.pairwise(knots):
        x = np.linspace(left, right, 7).reshape(-1, 1)
        y = model(x)[:, 0]
        line = y[0] + (y[-1] - y[0]) * (x[:, 0] - left) / (right - left)
        np.testing.assert_allclose(y, line, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("k", range(1, 9))
def test_depth_multiplies_pieces_sawtooth_has_2_to_the_k(k):
    model = sawtooth(k)
    assert sum(type(layer).__name__ == "ReLU" for layer in model) == k  # k layers ...
    assert all(layer.weight.data.shape[1] == 2 for layer in model.layers[:-1:2])  # ... of 2 units
    bp = breakpoints(model, 0, 1)
    assert len(bp) + 1 == linear_pieces(model, 0, 1) == 2**k
    np.testing.assert_array_equal(bp, np.arange(1, 2**k) / 2**k)
    # and it is the tent map composed k times: 0 at even multiples of 1/2**k, 1 at odd ones
    x = (np.arange(2**k + 1) / 2**k).reshape(-1, 1)
    np.testing.assert_allclose(model(x)[:, 0], np.arange(2**k + 1) % 2, atol=1e-12)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_smooth_models_have_no_pieces(activation):
    with pytest.raises(ValueError, match="smooth, so the model has no linear pieces"):
        breakpoints(mlp([1, 4, 1], activation), -1, 1)


@pytest.mark.parametrize(("sizes", "lo", "hi", "fragment"), [
    ([2, 4, 1], -1, 1, "one input"),
    ([1, 4, 2], -1, 1, "one output"),
    ([1, 4, 1], 1, -1, "lo < hi"),
    ([1, 4, 1], 0, np.nan, "lo < hi"),
])
def test_breakpoints_refuses_what_it_cannot_answer(sizes, lo, hi, fragment):
    with pytest.raises(ValueError, match=fragment):
        breakpoints(mlp(sizes, "relu"), lo, hi)


def test_sawtooth_refuses_bad_k():
    with pytest.raises(ValueError, match="k must be an integer >= 1"):
        sawtooth(0)


def test_breakpoints_over_the_whole_line_include_those_far_out():
    model = mlp([1, 3, 1], "relu")
    model[0].weight.data[...] = [[1.0, 1.0, -1.0]]
    model[0].bias.data[...] = [-1e6, 2.0, -3.0]  # kinks at 1e6, -2 and -3
    model[2].weight.data[...] = [[1.0], [2.0], [3.0]]
    assert breakpoints(model, -np.inf, np.inf).tolist() == [-3.0, -2.0, 1e6]
    assert breakpoints(model, -2.5, np.inf).tolist() == [-2.0, 1e6]
    assert linear_pieces(model, -1, 1) == 1


def test_dead_units_counts_relus_that_never_switch_on():
    model = mlp([1, 4, 1], "relu")
    model[0].weight.data[...] = [[1.0, -1.0, 1.0, 0.0]]
    model[0].bias.data[...] = [0.0, 0.0, -10.0, -1.0]  # units 2 and 3 are off on [-1, 1]
    X = np.linspace(-1, 1, 9).reshape(-1, 1)
    assert dead_units(model, X) == (2, 4)


def test_breakpoints_refuses_a_two_input_model_behind_a_scaling():
    from tinynet import Sequential, Standardize

    model = Sequential(Standardize([0.0, 0.0], [1.0, 1.0]), *mlp([2, 3, 1], "relu").layers)
    with pytest.raises(ValueError, match="one input"):
        breakpoints(model, -1, 1)


def test_an_unknown_layer_is_refused_without_calling_it_smooth():
    from tinynet import Module, Sequential

    class Square(Module):
        def forward(self, x):
            return x * x

    with pytest.raises(ValueError, match="does not know how it bends"):
        breakpoints(Sequential(*mlp([1, 2, 1]).layers, Square()), -1, 1)


def test_breakpoints_stops_before_a_deep_model_exhausts_memory():
    with pytest.raises(ValueError, match="more than 1,000,000 breakpoints"):
        breakpoints(sawtooth(24), 0, 1)  # 2**24 pieces: a small file could claim far more
