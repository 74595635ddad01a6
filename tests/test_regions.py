"""Exact linear regions of two-input nets, checked against the model itself and an independent grid."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinynet
from tinynet import (
    Linear,
    Sequential,
    Sigmoid,
    Standardize,
    Tanh,
    Unstandardize,
    collapse,
    decision_boundary,
    fit,
    linear_regions,
    make_dataset,
    mlp,
)
from tinynet.lesson.polygons import cut, polygon_area


def random_net(depth, width, seed, activation="relu", output_activation="identity", dtype=np.float64):
    """mlp([2, width * depth, 1]) with N(0, 1) weights and biases: kinks everywhere, not only where training puts them."""
    rng = np.random.default_rng(seed)
    model = mlp([2] + [width] * depth + [1], activation, output_activation=output_activation, seed=seed, dtype=dtype)
    for p in model.parameters():
        p.data[...] = rng.normal(size=p.data.shape)
    return model


def logit(model, X):
    """The model before a final Sigmoid, computed by its own forward pass."""
    layers = model.layers[:-1] if isinstance(model.layers[-1], Sigmoid) else model.layers
    return Sequential(*layers)(X.astype(model.parameters()[0].data.dtype))


def patterns(model, X):
    """Which rectifier units are on at each row of X, from the model's own forward pass: (N, units) bool."""
    masks, x = [], X
    for layer in model.layers:
        x = layer.forward(x)
        if getattr(layer, "mask", None) is not None:
            masks.append(layer.mask)
    return np.hstack(masks)


def inside_points(region, rng, n=20):
    """Random points strictly inside a convex polygon: convex combinations of its vertices."""
    weights = rng.dirichlet(np.ones(len(region.vertices)), size=n)
    return weights @ region.vertices


def box_area(box):
    return (box[0][1] - box[0][0]) * (box[1][1] - box[1][0])


nets = {"depth": st.integers(1, 3), "width": st.integers(1, 16), "seed": st.integers(0, 2**31),
        "activation": st.sampled_from(["relu", "leaky_relu"])}


@given(**nets, sigmoid=st.booleans())
@settings(max_examples=40, deadline=None)
def test_regions_tile_the_box_and_the_map_is_the_logit_on_each(depth, width, seed, activation, sigmoid):
    model = random_net(depth, width, seed, activation, "sigmoid" if sigmoid else "identity")
    rng = np.random.default_rng(seed)
    box = ((-rng.uniform(0.5, 4), rng.uniform(0.5, 4)), (-rng.uniform(0.5, 4), rng.uniform(0.5, 4)))
    regions = linear_regions(model, box)
    areas = np.array([r.area for r in regions])
    assert np.all(areas > 0)  # counter-clockwise, and no empty polygon
    assert abs(areas.sum() - box_area(box)) <= 1e-9 * box_area(box)
    for r in regions:
        assert r.vertices.shape[1] == 2 and len(r.vertices) >= 3
        assert r.weight.shape == (2, 1) and r.bias.shape == (1,)
        edges = np.roll(r.vertices, -1, axis=0) - r.vertices
        turns = edges[:, 0] * np.roll(edges[:, 1], -1) - edges[:, 1] * np.roll(edges[:, 0], -1)
        assert np.all(turns >= -1e-9 * np.abs(turns).max())  # convex: every corner turns left
        assert np.all((r.vertices >= np.array(box)[:, 0] - 1e-12) & (r.vertices <= np.array(box)[:, 1] + 1e-12))
        X = inside_points(r, rng)
        expected = logit(model, X)
        scale = max(1.0, np.abs(expected).max())
        np.testing.assert_allclose(X @ r.weight + r.bias, expected, rtol=0, atol=1e-9 * scale)


@given(**nets)
@settings(max_examples=25, deadline=None)
def test_a_dense_grid_finds_no_activation_pattern_the_regions_miss(depth, width, seed, activation):
    model = random_net(depth, width, seed, activation)
    box = ((-2.0, 2.0), (-1.5, 2.5))
    regions = linear_regions(model, box)
    # the pattern of each region, read by the model's forward pass at a point inside it
    found = {patterns(model, r.vertices.mean(axis=0, keepdims=True))[0].tobytes() for r in regions}
    assert len(found) == len(regions)  # one region per pattern: the set where a pattern holds is convex
    x, y = np.meshgrid(np.linspace(-2, 2, 401), np.linspace(-1.5, 2.5, 401))
    grid = {row.tobytes() for row in patterns(model, np.column_stack([x.ravel(), y.ravel()]))}
    assert grid <= found


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 16])
def test_one_hidden_layer_of_n_units_has_at_most_1_plus_n_plus_n_choose_2_regions(n):
    bound = 1 + n + n * (n - 1) // 2  # Zaslavsky: n lines in general position
    for seed in range(5):
        model = random_net(1, n, seed)
        W, b = model[0].weight.data, model[0].bias.data  # unit j is 0 on the line x @ W[:, j] + b[j] = 0
        assert len(linear_regions(model, ((-1, 1), (-1, 1)))) <= bound
        # a box that holds every crossing of two lines, and a point of every line, holds every region
        points = [-b[j] * W[:, j] / (W[:, j] @ W[:, j]) for j in range(n)]
        points += [np.linalg.solve(W[:, [j, k]].T, -b[[j, k]]) for j, k in itertools.combinations(range(n), 2)]
        points = np.array(points)
        box = tuple((lo - 1, hi + 1) for lo, hi in zip(points.min(axis=0), points.max(axis=0)))
        assert len(linear_regions(model, box)) == bound


def test_an_identity_net_is_one_region_whose_map_is_its_collapse():
    model = random_net(3, 8, 0, "identity", "sigmoid")
    (region,) = linear_regions(model, ((-1, 1), (-1, 1)))
    line = collapse(model)[0]
    np.testing.assert_allclose(region.weight, line.weight.data, rtol=1e-12)
    np.testing.assert_allclose(region.bias, line.bias.data, rtol=1e-12)
    np.testing.assert_allclose(region.vertices, [[-1, -1], [1, -1], [1, 1], [-1, 1]])


def test_scaling_layers_give_maps_in_the_datas_units():
    net = random_net(2, 8, 3)
    model = Sequential(Standardize([100.0, -3.0], [20.0, 0.5]), *net.layers, Unstandardize([7.0], [3.0]))
    box = ((60.0, 140.0), (-4.0, -2.0))
    regions = linear_regions(model, box)
    assert len(regions) > 1
    assert abs(sum(r.area for r in regions) - box_area(box)) <= 1e-9 * box_area(box)
    rng = np.random.default_rng(0)
    for r in regions:
        X = inside_points(r, rng)
        np.testing.assert_allclose(X @ r.weight + r.bias, model(X), rtol=1e-9, atol=1e-9)


def test_a_float32_model_is_cut_in_float64():
    model = random_net(2, 8, 4, dtype=np.float32)
    rng = np.random.default_rng(4)
    for r in linear_regions(model, ((-2, 2), (-2, 2))):
        assert r.weight.dtype == np.float64
        X = inside_points(r, rng)
        np.testing.assert_allclose(X @ r.weight + r.bias, logit(model, X), rtol=1e-5, atol=1e-5)


@given(seed=st.integers(0, 2**31))
@settings(max_examples=50, deadline=None)
def test_a_cut_splits_a_convex_polygon_into_two_that_keep_its_area(seed):
    rng = np.random.default_rng(seed)
    angles = np.sort(rng.uniform(0, 2 * np.pi, size=rng.integers(3, 12)))
    polygon = np.column_stack([np.cos(angles), np.sin(angles)])  # on a circle: convex, counter-clockwise
    a, c = rng.normal(size=2), rng.uniform(-0.5, 0.5)
    values = polygon @ a + c
    if not (values.max() > 1e-9 and values.min() < -1e-9):
        return
    positive, negative = cut(polygon, values, 1e-12)
    assert polygon_area(positive) > 0 and polygon_area(negative) > 0
    assert abs(polygon_area(positive) + polygon_area(negative) - polygon_area(polygon)) < 1e-12
    assert np.all(positive @ a + c >= -1e-12) and np.all(negative @ a + c <= 1e-12)


# --- the decision boundary -----------------------------------------------------------------------------


@given(**nets)
@settings(max_examples=30, deadline=None)
def test_the_logit_is_0_along_each_segment_and_changes_sign_across_it(depth, width, seed, activation):
    model = random_net(depth, width, seed, activation, "sigmoid")
    box = ((-2.0, 2.0), (-2.0, 2.0))
    segments = decision_boundary(model, box)
    assert segments.ndim == 3 and segments.shape[1:] == (2, 2)
    assert len(segments) <= len(linear_regions(model, box))  # at most one per region
    scale = max(1.0, np.abs(logit(model, np.array([[-2.0, -2.0], [2.0, 2.0], [0.0, 0.0]]))).max())
    for start, end in segments:
        t = np.linspace(0, 1, 7)[:, None]
        along = logit(model, start + t * (end - start))
        np.testing.assert_allclose(along, 0, atol=1e-9 * scale)
        length = np.linalg.norm(end - start)
        if length < 1e-6:
            continue  # too short to step across inside its own region
        normal = np.array([end[1] - start[1], start[0] - end[0]]) / length
        middle, step = (start + end) / 2, 1e-3 * length * normal
        sides = logit(model, np.array([middle + step, middle - step]))[:, 0]
        assert sides[0] * sides[1] < 0


@pytest.fixture(scope="module")
def xor_net():
    """mlp([2, 16, 16, 1]) trained on xor: 100 % accuracy (tests/test_classification.py)."""
    X, y = make_dataset("xor")
    model = mlp([2, 16, 16, 1], "relu", output_activation="sigmoid")
    fit(model, X, y, loss="bce")
    return model


def test_the_boundary_is_where_a_dense_grid_changes_class(xor_net):
    box = ((-2.0, 2.0), (-2.0, 2.0))
    segments = decision_boundary(xor_net, box)
    assert len(segments) > 4  # xor needs at least two lines' worth of boundary: it bends
    x, y = np.meshgrid(np.linspace(-2, 2, 301), np.linspace(-2, 2, 301))
    positive = (logit(xor_net, np.column_stack([x.ravel(), y.ravel()]))[:, 0] > 0).reshape(x.shape)
    step = 4 / 300
    for axis, shift in [(1, [step / 2, 0]), (0, [0, step / 2])]:  # left-right, then up-down neighbours
        changes = np.argwhere(np.diff(positive, axis=axis) != 0)
        assert len(changes) > 0
        for row, col in changes:  # the class changes between the two points: a segment passes between them
            between = np.array([x[row, col], y[row, col]]) + shift
            assert _distance_to_segments(between, segments) <= step / 2 + 1e-12
    # and each segment is where the grid sees a change, unless it is shorter than the grid's step
    for start, end in segments:
        middle = (start + end) / 2
        col, row = np.round((middle + 2) / step).astype(int)
        near = positive[max(row - 1, 0):row + 2, max(col - 1, 0):col + 2]
        assert near.any() and not near.all() or np.linalg.norm(end - start) < step


def test_interior_ends_of_segments_meet_another_segment(xor_net):
    # the boundary is continuous: a path of segments that ends only on the box's edge
    box = ((-2.0, 2.0), (-2.0, 2.0))
    segments = decision_boundary(xor_net, box)
    ends = segments.reshape(-1, 2)
    on_edge = (np.abs(np.abs(ends) - 2) < 1e-12).any(axis=1)
    assert (~on_edge).sum() > 0
    for k in np.flatnonzero(~on_edge):
        others = np.delete(ends, [k, k ^ 1], axis=0)  # every end but this segment's own two
        assert np.linalg.norm(others - ends[k], axis=1).min() < 1e-9


def test_a_boundary_that_misses_the_box_is_no_segment():
    model = Sequential(Linear.from_weights([[1.0], [1.0]], [10.0]), Sigmoid())  # 0 on x + y = -10
    assert decision_boundary(model, ((-1, 1), (-1, 1))).shape == (0, 2, 2)


def _distance_to_segments(point, segments):
    start, end = segments[:, 0], segments[:, 1]
    d = end - start
    t = np.clip(((point - start) * d).sum(axis=1) / np.maximum((d * d).sum(axis=1), 1e-300), 0, 1)
    return np.linalg.norm(start + t[:, None] * d - point, axis=1).min()


# --- what is refused --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("model", "fragment"), [
    (Sequential(Linear(2, 4), Tanh(), Linear(4, 1)), r"layer 1 is Tanh\(\)"),
    (Sequential(Linear(2, 4), Sigmoid(), Linear(4, 1)), r"layer 1 is Sigmoid\(\)"),  # only a final one
    (mlp([3, 4, 1], "relu"), "needs a model with two inputs, this one takes 3"),
    (mlp([2, 4, 2], "relu"), "needs a model with one output, this one has 2"),
])
def test_models_it_cannot_cut_are_refused(model, fragment):
    with pytest.raises(ValueError, match=fragment):
        linear_regions(model, ((0, 1), (0, 1)))


@pytest.mark.parametrize("box", [((0, 1),), ((1, 0), (0, 1)), ((0, 1), (0, 0)), ((0, np.inf), (0, 1)), "box", None])
def test_a_bad_box_is_refused(box):
    with pytest.raises(ValueError, match=r"box must be \(\(x_min, x_max\), \(y_min, y_max\)\)"):
        linear_regions(mlp([2, 4, 1], "relu"), box)


def test_too_many_regions_stop_with_a_clear_error():
    model = random_net(2, 16, 0)
    count = len(linear_regions(model, ((-3, 3), (-3, 3))))
    with pytest.raises(ValueError, match=f"more than {count - 1:,} linear regions over the box by layer 3"):
        linear_regions(model, ((-3, 3), (-3, 3)), max_regions=count - 1)
    assert len(linear_regions(model, ((-3, 3), (-3, 3)), max_regions=count)) == count
    with pytest.raises(ValueError, match="max_regions must be"):
        linear_regions(model, ((-3, 3), (-3, 3)), max_regions=0)


def test_a_wide_layer_stops_before_its_maps_outgrow_memory():
    # 1000 lines cross a box in up to 500,501 regions, each carrying 1000 units' maps
    with pytest.raises(ValueError, match=r"regions x 1,000 units by layer 1: more than 4,000,000 numbers"):
        linear_regions(random_net(1, 1000, 0), ((-3, 3), (-3, 3)))


def test_numbers_that_overflow_are_refused():
    model = random_net(2, 4, 0)
    model[0].weight.data[...] = 1e200
    model[2].weight.data[...] = 1e200  # 1e400 by layer 2
    with pytest.raises(ValueError, match="overflow float64"):
        linear_regions(model, ((-1, 1), (-1, 1)))
    with pytest.raises(ValueError, match="beyond 1e\\+12: float64 cannot place"):
        linear_regions(random_net(1, 4, 0), ((-1e308, 1e308), (0, 1)))
    large = random_net(1, 4, 0)
    large[0].weight.data[...] = 1e300  # within the box's limit, the units' values still overflow
    with pytest.raises(ValueError, match="the box is too large"):
        linear_regions(large, ((-1e12, 1e12), (0, 1)))


# --- counts never shrink as the box grows (issue 20, item 6): each vertex is judged by its own rounding ---

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_counts_never_shrink_as_the_box_grows(seed):
    # before: a 2-16-16-1 net had 576 regions over [-1e6, 1e6]^2 and 230 over [-1e10, 1e10]^2, since a
    # polygon's rounding tolerance grew with its farthest vertex and swallowed lines clipping its corners
    model = tinynet.mlp([2, 16, 16, 1], "relu", seed=seed)
    counts = [len(tinynet.linear_regions(model, ((-B, B), (-B, B)))) for B in (1, 1e2, 1e4, 1e6, 1e8, 1e10, 1e12)]
    assert counts == sorted(counts), counts
    assert counts[-1] == counts[3]  # all the kinks lie within 1e6: nothing new beyond


def test_a_long_thin_box_holds_every_region_of_a_box_inside_it():
    model = tinynet.mlp([2, 16, 16, 1], "relu", seed=0)
    inner = len(tinynet.linear_regions(model, ((-3, 3), (-1, 1))))
    assert len(tinynet.linear_regions(model, ((-1e9, 1e9), (-1, 1)))) >= inner


def test_a_box_too_large_for_float64_is_refused():
    model = tinynet.mlp([2, 4, 1], "relu", seed=0)
    with pytest.raises(ValueError, match=r"the box reaches 1e\+15, beyond 1e\+12: float64 cannot place"):
        tinynet.linear_regions(model, ((-1e15, 1e15), (-1, 1)))


def test_work_that_would_take_minutes_is_refused_before_it_is_done():
    # issue 20, item 4: a first layer making thousands of regions, then thousands of two-unit ReLU layers that
    # cut nothing, took 147.6 s; polygons only multiply, so regions x layers left bounds the work in advance
    rng = np.random.default_rng(0)
    layers = [tinynet.Linear.from_weights(rng.normal(size=(2, 150)), rng.normal(size=150)), tinynet.ReLU(),
              tinynet.Linear.from_weights(rng.normal(size=(150, 2)), np.full(2, 1e3))]
    for _ in range(300):
        layers += [tinynet.ReLU(), tinynet.Linear.from_weights(np.eye(2), np.full(2, 1e3))]
    model = tinynet.Sequential(*layers, tinynet.Linear.from_weights(np.ones((2, 1))))
    with pytest.raises(ValueError, match=r"by layer 2 the model has 8,265 regions and 300 activation layers still"):
        tinynet.linear_regions(model, ((-3, 3), (-3, 3)))
