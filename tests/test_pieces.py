"""ReLU nets are piecewise linear: exact pieces and breakpoints, |x| by hand, depth multiplies pieces."""

import doctest
import importlib
import itertools
import time
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinynet
from tinynet import (
    Linear,
    Sequential,
    breakpoints,
    dead_units,
    distinct_bends,
    exact_abs,
    linear_pieces,
    mlp,
    pieces,
    sawtooth,
    standardized,
)
from tinynet.lesson.pieces_limits import MAX_CELLS


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


@pytest.mark.parametrize("find", [breakpoints, pieces])
@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_smooth_models_have_no_pieces(activation, find):
    with pytest.raises(ValueError, match=f"{find.__name__} works on piecewise-linear models.*smooth, so the model "
                                         "has no linear pieces"):
        find(mlp([1, 4, 1], activation), -1, 1)


@pytest.mark.parametrize("find", [breakpoints, pieces])
@pytest.mark.parametrize(("sizes", "lo", "hi", "fragment"), [
    ([2, 4, 1], -1, 1, "one input"),
    ([1, 4, 2], -1, 1, "one output"),
    ([1, 4, 1], 1, -1, "lo < hi"),
    ([1, 4, 1], 0, np.nan, "lo < hi"),
])
def test_breakpoints_and_pieces_refuse_what_they_cannot_answer(sizes, lo, hi, fragment, find):
    with pytest.raises(ValueError, match=f"{find.__name__} needs .*{fragment}"):
        find(mlp(sizes, "relu"), lo, hi)


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


@pytest.mark.parametrize("find", [breakpoints, pieces])
def test_breakpoints_and_pieces_stop_before_a_deep_model_exhausts_memory(find):
    with pytest.raises(ValueError, match="more than 1,000,000 breakpoints"):
        find(sawtooth(24), 0, 1)  # 2**24 pieces: a small file could claim far more



def sawtooth_then_wide(k: int, width: int) -> Sequential:
    """sawtooth(k)'s 2**k pieces fed to `width` units that stay on: a 30 KB file for k = 19, width = 256."""
    rng = np.random.default_rng(0)
    tail = [Linear.from_weights(rng.normal(size=(2, width)), np.full(width, 5.0)), tinynet.ReLU(),
            Linear(width, 1, rng=0)]
    return Sequential(*sawtooth(k).layers[:-1], *tail)


@pytest.mark.parametrize("find", [breakpoints, pieces])
def test_the_search_is_bounded_by_memory_not_by_the_count_of_breakpoints(find):
    # 524,288 intervals (under the breakpoint cap) times 256 units: 134 million numbers per array,
    # which took 5 GB and 13 s; now a clear error, fast, holding little
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(ValueError, match=r"524,290 intervals x 256 units.*too many for"):
            find(sawtooth_then_wide(19, 256), -np.inf, np.inf)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert seconds < 3.0  # about 0.3 s untraced
    assert peak < MAX_CELLS * 8 * 12, f"{peak / 2**20:.0f} MiB"


@pytest.mark.parametrize("find", [breakpoints, pieces])
def test_the_search_is_bounded_in_time_by_the_numbers_it_computes(find):
    # sawtooth(19)'s 524,288 intervals carried through 100 more layers that add no breakpoint:
    # a 120 KB file that took 37 s; now a clear error after about a second
    tail = [Linear.from_weights(np.eye(2), [0.0, 0.0]), tinynet.ReLU()] * 100
    model = Sequential(*sawtooth(19).layers[:-1], *tail, Linear(2, 1, rng=0))
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"524,290 intervals x 2 units by layer \d+, and more than "
                                         r"10,000,000 numbers to compute over its layers: too many for"):
        find(model, -np.inf, np.inf)
    assert time.perf_counter() - start < 8.0  # about 1 s on an idle machine


def test_sawtooth_19_is_within_the_bounds():
    assert len(pieces(sawtooth(19), 0, 1)) == 2**19  # the most pieces a sawtooth has under the caps


def test_a_wide_net_under_the_memory_bound_is_still_searched():
    model = sawtooth_then_wide(10, 256)
    assert len(pieces(model, 0, 1)) == 2**10  # the tail's units stay on over [0, 1]
    assert_pieces_are_the_model(model, pieces(model), np.random.default_rng(0))


def test_slopes_that_overflow_are_refused_not_miscounted():
    # y = 1e300 * relu(1e300 * x) - 1e300 * relu(1e300 * x - 1e300): slopes of 1e600, which float64
    # cannot hold; they used to become inf and NaN, and the two kinks at 0 and 1 came out as one piece
    model = Sequential(Linear.from_weights([[1e300, 1e300]], [0.0, -1e300]), tinynet.ReLU(),
                       Linear.from_weights([[1e300], [-1e300]], [0.0]))
    with pytest.raises(ValueError, match=r"overflow float64 by layer 2"):
        pieces(model)
    with pytest.raises(ValueError, match="overflow float64"):
        linear_pieces(model, -1, 2)


def test_a_float32_model_on_data_of_tiny_spread_has_all_its_pieces():
    # x around 1e-40: std 2.9e-41 is a float32 subnormal and 1 / std overflows float32, which made
    # the scaling infinite and the count 1; computed in float64, the 33 pieces of the net are all there
    X = np.linspace(0.0, 1e-40, 200)[:, None]
    y = np.sin(X / 1e-40 * 6)
    net = mlp([1, 32, 1], "relu", dtype=np.float32, seed=0)
    model = standardized(net, X, y)
    assert model[0].std.dtype == np.float32 and model[0].std[0] < np.finfo(np.float32).tiny
    assert len(pieces(net)) == 33
    found = pieces(model)
    assert len(found) == 33
    np.testing.assert_allclose(breakpoints(model, -np.inf, np.inf),
                               model[0].mean[0] + float(model[0].std[0]) * breakpoints(net, -np.inf, np.inf),
                               rtol=1e-6)
    inside = pieces(model, X.min(), X.max())
    scaled = (np.array([X.min(), X.max()]) - model[0].mean[0]) / model[0].std[0]
    assert len(inside) == linear_pieces(net, *scaled) > 1

# --- pieces: the line y = slope * x + intercept between breakpoints ---------------------------------------


def test_docstring_examples_run():
    # the examples are written as a learner types them after `from tinynet import *`
    names = {name: getattr(tinynet, name) for name in tinynet.__all__}
    for module in (importlib.import_module("tinynet.lesson.pieces"), importlib.import_module("tinynet.lesson.handmade")):
        result = doctest.testmod(module, extraglobs=names)
        assert result.attempted > 0 and result.failed == 0, module.__name__


def test_exact_abs_is_two_pieces_slope_minus_1_then_1():
    assert pieces(exact_abs()) == [(-np.inf, 0.0, -1.0, 0.0), (0.0, np.inf, 1.0, 0.0)]
    assert pieces(exact_abs(), -2, 3) == [(-2.0, 0.0, -1.0, 0.0), (0.0, 3.0, 1.0, 0.0)]
    assert pieces(exact_abs(), lo=0.5) == [(0.5, np.inf, 1.0, 0.0)]  # one bound only: the other is infinite
    assert pieces(exact_abs(), hi=-1) == [(-np.inf, -1.0, -1.0, 0.0)]


def random_net(depth: int, width: int, seed: int, activation="relu", dtype=np.float64):
    """An mlp with depth hidden layers whose weights and biases are all N(0, 1), so units switch near 0."""
    rng = np.random.default_rng(seed)
    model = mlp([1] + [width] * depth + [1], activation, seed=seed, dtype=dtype)
    for p in model.parameters():
        p.data[...] = rng.normal(size=p.data.shape)
    return model


def points_inside(start: float, end: float, rng, n: int = 5) -> np.ndarray:
    """n random points strictly inside [start, end]; an infinite end reaches some way out from the other."""
    if np.isfinite(start) and np.isfinite(end):
        return start + (end - start) * rng.uniform(0.01, 0.99, n)
    if np.isfinite(end):
        return end - rng.exponential(10.0, n) - 1e-3
    if np.isfinite(start):
        return start + rng.exponential(10.0, n) + 1e-3
    return rng.normal(0.0, 10.0, n)


def assert_pieces_are_the_model(model, found, rng, rtol=1e-9):
    """Every piece meets its neighbours, and the model is slope * x + intercept at random points inside it."""
    for (_, end, _, _), (start, _, _, _) in itertools.pairwise(found):
        assert end == start
    for start, end, slope, intercept in found:
        assert start < end
        x = points_inside(start, end, rng)
        y = model(x.reshape(-1, 1).astype(tinynet.model_dtype(model)))[:, 0]
        # relative to the size of the terms: a line through 0 is not known to 1e-9 of 0
        np.testing.assert_allclose(slope * x + intercept, y, rtol=rtol,
                                   atol=rtol * (np.abs(slope * x).max() + abs(intercept)))


@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
@given(depth=st.integers(1, 3), width=st.integers(1, 8), seed=st.integers(0, 2**31),
       bounds=st.sampled_from([(None, None), (-3.0, 3.0), (-0.5, None), (None, 2.0)]))
@settings(max_examples=40, deadline=None)
def test_the_model_is_each_pieces_line_inside_it(activation, depth, width, seed, bounds):
    model = random_net(depth, width, seed, activation)
    found = pieces(model, *bounds)
    lo, hi = (-np.inf if bounds[0] is None else bounds[0]), (np.inf if bounds[1] is None else bounds[1])
    assert found[0][0] == lo and found[-1][1] == hi
    bp = breakpoints(model, lo, hi)
    assert len(found) == len(bp) + 1 == linear_pieces(model, lo, hi)
    assert [start for start, _, _, _ in found[1:]] == bp.tolist()  # the inner ends are the breakpoints
    assert all(isinstance(v, float) for piece in found for v in piece)
    assert_pieces_are_the_model(model, found, np.random.default_rng(seed))


def test_neighbouring_pieces_meet_at_each_breakpoint():
    found = pieces(random_net(3, 8, seed=3))
    for (_, b, m1, c1), (_, _, m2, c2) in itertools.pairwise(found):
        assert m1 != m2  # a breakpoint is where the slope changes ...
        assert m1 * b + c1 == pytest.approx(m2 * b + c2, rel=1e-9, abs=1e-9)  # ... and the model stays continuous


def test_a_unit_that_switches_without_changing_the_output_makes_no_piece():
    model = mlp([1, 2, 1], "relu")
    model[0].weight.data[...] = [[1.0, 1.0]]
    model[0].bias.data[...] = [0.0, -1.0]  # units switch at x = 0 and at x = 1 ...
    model[2].weight.data[...] = [[2.0], [0.0]]  # ... but the second one's output is thrown away
    model[2].bias.data[...] = [0.5]
    assert pieces(model) == [(-np.inf, 0.0, 0.0, 0.5), (0.0, np.inf, 2.0, 0.5)]
    assert breakpoints(model, -np.inf, np.inf).tolist() == [0.0]


def test_pieces_of_a_standardized_model_are_in_the_datas_units():
    rng = np.random.default_rng(7)
    X = rng.normal(1500.0, 300.0, size=(200, 1))  # mean far from 0, std far from 1
    y = 3 * X + 5000 + rng.normal(0.0, 50.0, size=X.shape)
    model = standardized(random_net(2, 6, seed=7), X, y)
    assert isinstance(model[0], tinynet.Standardize) and isinstance(model[-1], tinynet.Unstandardize)
    found = pieces(model)
    assert_pieces_are_the_model(model, found, rng)
    # x is standardised first: the net's kink at u is the model's at x = mean + std * u, and its
    # slopes are scaled by y's std over x's
    x_mean, x_std = model[0].mean[0], model[0].std[0]
    y_std = model[-1].std[0]
    net = Sequential(*model.layers[1:-1])
    np.testing.assert_allclose(breakpoints(model, -np.inf, np.inf),
                               x_mean + x_std * breakpoints(net, -np.inf, np.inf), rtol=1e-12)
    np.testing.assert_allclose([m for _, _, m, _ in found], [m * y_std / x_std for _, _, m, _ in pieces(net)],
                               rtol=1e-12)
    inside = pieces(model, X.min(), X.max())
    assert_pieces_are_the_model(model, inside, rng)
    assert len(inside) == linear_pieces(model, X.min(), X.max())


def float64_copy(model):
    """The same model with its float32 weights widened to float64: the function the weights describe, exactly."""
    wide = [Linear.from_weights(layer.weight.data.astype(np.float64),
                                None if layer.bias is None else layer.bias.data.astype(np.float64))
            if isinstance(layer, Linear) else layer for layer in model]
    return Sequential(*wide)


@pytest.mark.parametrize("seed", range(5))
def test_pieces_of_a_float32_model(seed):
    model = random_net(2, 8, seed, dtype=np.float32)
    found = pieces(model)
    assert all(isinstance(v, float) for piece in found for v in piece)
    # exact for the function its weights describe, computed in float64 ...
    assert_pieces_are_the_model(float64_copy(model), found, np.random.default_rng(seed))
    # ... and as close to the float32 model itself as float32 arithmetic allows
    assert_pieces_are_the_model(model, found, np.random.default_rng(seed), rtol=1e-4)


def test_pieces_of_a_standardized_float32_model():
    rng = np.random.default_rng(11)
    X = rng.uniform(-2000.0, -1000.0, size=(100, 1)).astype(np.float32)
    y = (X / 100) ** 2
    model = standardized(random_net(2, 8, seed=11, dtype=np.float32), X, y)
    assert_pieces_are_the_model(model, pieces(model), rng, rtol=1e-4)


def test_a_kink_far_out_is_found_on_the_correct_side():
    # relu(1e17 - x): x = 1e17 - 1 is 1e17 in floating point, so "a point left of 1e17" must be farther out
    model = mlp([1, 1, 1], "relu")
    model[0].weight.data[...] = [[-1.0]]
    model[0].bias.data[...] = [1e17]
    model[2].weight.data[...] = [[1.0]]
    model[2].bias.data[...] = [0.0]
    assert pieces(model) == [(-np.inf, 1e17, -1.0, 1e17), (1e17, np.inf, 0.0, 0.0)]


# --- distinct_bends: the bends big enough to matter --------------------------------------------------------


def test_distinct_bends_counts_slope_changes_above_a_fraction_of_the_steepest_slope():
    # slopes 1, 1.004, 0.998, 3: the steepest is 3, so 1% of it is 0.03
    line_ish = [(-np.inf, -1.0, 1.0, 0.0), (-1.0, 0.0, 1.004, 0.004), (0.0, 1.0, 0.998, 0.004),
                (1.0, np.inf, 3.0, -1.998)]
    assert distinct_bends(line_ish) == 1  # changes of 0.004 and 0.006 are under 0.03; 2.002 is not
    assert distinct_bends(line_ish, rtol=0.001) == 3  # 0.004 and 0.006 both exceed 0.003
    assert distinct_bends(line_ish, rtol=0.0) == 3
    assert distinct_bends(line_ish, rtol=1.0) == 0
    assert distinct_bends(pieces(exact_abs())) == 1
    assert distinct_bends([(-np.inf, np.inf, 0.0, 2.0)]) == 0  # one piece: no bend


def test_a_net_drawing_a_line_in_many_pieces_has_no_distinct_bend():
    # unit 0 is on for every x in [-5, 5] and draws y = 2x; units 1 to 31 switch on at
    # -3, -2.8, ..., 3 and each adds 1e-4 to the slope: 32 pieces, one line to the eye
    model = mlp([1, 32, 1], "relu")
    model[0].weight.data[...] = 1.0
    model[0].bias.data[...] = np.concatenate([[100.0], -np.linspace(-3, 3, 31)])
    model[2].weight.data[...] = np.concatenate([[2.0], np.full(31, 1e-4)]).reshape(-1, 1)
    model[2].bias.data[...] = -200.0  # cancels unit 0's 2 * 100
    found = pieces(model, -5, 5)
    assert len(found) == 32
    assert distinct_bends(found) == 0  # each change of 1e-4 is far under 1% of the slope 2.0031
    assert distinct_bends(found, rtol=1e-5) == 31


@pytest.mark.parametrize("rtol", [-0.01, np.nan])
def test_distinct_bends_refuses_a_negative_tolerance(rtol):
    with pytest.raises(ValueError, match="rtol must be >= 0"):
        distinct_bends(pieces(exact_abs()), rtol=rtol)


# --- count_pieces and count_regions: one interval for every count (issue 18) ------------------------------


def test_counting_box_is_the_data_else_what_the_stored_scaling_implies_else_everywhere():
    X = np.linspace(2.0, 6.0, 101).reshape(-1, 1)
    net = mlp([1, 4, 1], seed=0)
    model = standardized(net, X, X ** 2)
    assert tinynet.counting_box(model, X) == (((2.0, 6.0),), "data")
    ((lo, hi),), over = tinynet.counting_box(model)
    # mean +- sqrt(3) std: for data spread evenly over [2, 6], about [2, 6] again (101 points: 1 % wider)
    assert over == "scaling" and (lo, hi) == pytest.approx((4 - np.sqrt(3) * X.std(), 4 + np.sqrt(3) * X.std()))
    assert (lo, hi) == pytest.approx((2.0, 6.0), abs=0.01 * 4)  # within 1 % of the width
    assert tinynet.counting_box(net) == (((-np.inf, np.inf),), "everywhere")  # nothing to imply a range


def test_count_pieces_counts_over_that_box_and_says_where():
    X = np.array([[-1.0], [2.0]])
    counted = tinynet.count_pieces(exact_abs(), X)
    assert (counted.count, counted.box, counted.over) == (2, ((-1.0, 2.0),), "data")
    assert counted.where() == "on [-1, 2], the data's range"
    assert tinynet.count_pieces(exact_abs(), np.array([[0.5], [2.0]])).count == 1  # right of the kink: one
    assert tinynet.count_pieces(exact_abs()).where() == "over all x"
    assert tinynet.count_pieces(exact_abs(), np.array([[3.0], [3.0]])).count is None  # one x: no interval
    scaled = standardized(exact_abs(), np.linspace(1.0, 3.0, 50).reshape(-1, 1), np.zeros((50, 1)))
    assert tinynet.count_pieces(scaled).where().endswith("the range its stored scaling implies (mean +- sqrt(3) std)")
    with pytest.raises(ValueError, match="count_pieces needs a model with one input"):
        tinynet.count_pieces(mlp([2, 3, 1]), np.zeros((4, 2)))


def test_count_regions_counts_over_the_datas_box_a_given_box_or_the_scalings():
    X, y = tinynet.make_dataset("xor")
    net = mlp([2, 4, 1], output_activation="sigmoid", seed=0)
    counted = tinynet.count_regions(net, X)
    assert counted.count == len(tinynet.linear_regions(net, tinynet.data_box(X))) and counted.over == "data"
    assert counted.where().endswith(", the data's box") and counted.where().startswith("over [")
    boxed = tinynet.count_regions(net, box=((-2, 2), (-2, 2)))
    assert (boxed.count, boxed.over) == (len(tinynet.linear_regions(net, ((-2, 2), (-2, 2)))), "box")
    assert tinynet.count_regions(standardized(net, X, y, targets=False)).over == "scaling"
    with pytest.raises(ValueError, match="counted over a finite box"):
        tinynet.count_regions(net)
