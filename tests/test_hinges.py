"""hinges: a one-hidden-layer ReLU net is its output bias plus one hinge per unit, each linear either side of its kink."""

import json

import numpy as np
import pytest
from test_cli import PNG_SIGNATURE, assert_error, ok, run, write_csv

import tinynet
from tinynet import Hinge, hinges


def trained(activation: str, scaled: bool, seed: int = 3):
    """A 1-16-1 net trained a little on sin, stretched to data far from the standardised scale when ``scaled``."""
    X, y = tinynet.make_dataset("sin")
    X, y = X * 100 + 5, y * 7 - 2
    net = tinynet.mlp([1, 16, 1], activation, seed=seed)
    model = tinynet.standardized(net, X, y) if scaled else net
    _, X_fit, y_fit = tinynet.split_scaling(model, X, y)
    tinynet.fit(net, X_fit, y_fit, epochs=200)
    return model, X


def test_exact_abs_by_hand():
    # |x| = relu(x) + relu(-x): unit 0 (w = 1) is on right of 0, unit 1 (w = -1) left of it, v = 1 for both
    found = hinges(tinynet.exact_abs())
    assert found.bias == 0.0
    assert found.units == [Hinge(0, 0.0, 1.0, 0.0, 1.0), Hinge(1, 0.0, 1.0, -1.0, 0.0)]
    assert found.units[1](np.array([-2.0, 3.0])).tolist() == [2.0, 0.0]


@pytest.mark.parametrize("scaled", [False, True], ids=["net", "with scaling layers"])
@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
def test_the_model_is_its_bias_plus_the_sum_of_its_hinges(activation, scaled):
    model, X = trained(activation, scaled)
    found = hinges(model)
    kinks = np.array([unit.kink for unit in found.units])
    # everywhere: across the data, far outside it, and at every kink itself
    xs = np.concatenate([np.linspace(X.min() - 500, X.max() + 500, 4001), kinks, kinks + 1e-9]).reshape(-1, 1)
    expected = model(xs)
    total = found.bias + sum(unit(xs[:, 0]) for unit in found.units)
    np.testing.assert_allclose(total, expected[:, 0], rtol=0, atol=1e-12 * np.abs(expected).max())
    np.testing.assert_allclose(found(xs), expected, rtol=0, atol=1e-12 * np.abs(expected).max())


@pytest.mark.parametrize("scaled", [False, True], ids=["net", "with scaling layers"])
@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
def test_each_hinge_is_its_unit_times_its_outgoing_weight(activation, scaled):
    """Unit by unit, not only in sum: hinge_j(x) = sy * v_j * act(z_j(x)), read off the model's own hidden layer."""
    model, X = trained(activation, scaled)
    layers = list(model)
    act_at = next(i for i, layer in enumerate(layers) if isinstance(layer, (tinynet.ReLU, tinynet.LeakyReLU)))
    hidden, out = tinynet.Sequential(*layers[:act_at + 1]), layers[act_at + 1]
    sy = layers[-1].std[0] if scaled else 1.0
    xs = np.linspace(X.min() - 50, X.max() + 50, 1001).reshape(-1, 1)
    per_unit = hidden(xs) * out.weight.data[:, 0] * sy  # (N, units)
    found = hinges(model)
    for unit in found.units:
        assert unit.weight == out.weight.data[unit.unit, 0]
        np.testing.assert_allclose(unit(xs[:, 0]), per_unit[:, unit.unit], rtol=0,
                                   atol=1e-12 * np.abs(per_unit).max())
        if activation == "relu":  # one side is flat: the unit is off there
            assert 0.0 in (unit.left_slope, unit.right_slope)
        else:
            slope = layers[act_at].negative_slope
            off, on = sorted([unit.left_slope, unit.right_slope], key=abs)
            assert off == pytest.approx(slope * on, rel=1e-12)


def test_the_kinks_are_the_models_breakpoints():
    model, _ = trained("relu", scaled=True)
    kinks = sorted(unit.kink for unit in hinges(model).units)
    np.testing.assert_allclose(kinks, tinynet.breakpoints(model, -np.inf, np.inf), rtol=1e-12)


def test_the_kinks_a_recorder_keeps_are_the_hinges_kinks_then():
    X, y = tinynet.make_dataset("sin", 128)
    X = X * 3 + 10  # the kinks are in these units
    net = tinynet.mlp([1, 8, 1], seed=1)
    model = tinynet.standardized(net, X, y)
    recorder = tinynet.KinkRecorder(model, every=20, lo=X.min(), hi=X.max())
    tinynet.fit(net, *tinynet.split_scaling(model, X, y)[1:], epochs=100, callback=recorder)
    for snapshot in recorder.snapshots:
        found = hinges(recorder.model_at(snapshot))
        np.testing.assert_allclose(snapshot.kinks, [unit.kink for unit in found.units], rtol=1e-12)
        inside = [u.kink for u in found.units if recorder.lo < u.kink < recorder.hi and u.weight != 0]
        np.testing.assert_allclose(sorted(inside), snapshot.breakpoints, rtol=1e-12)


def test_a_unit_with_zero_input_weight_is_a_constant():
    net = tinynet.Sequential(tinynet.Linear.from_weights([[0.0, 2.0]], [1.5, -1.0]), tinynet.ReLU(),
                             tinynet.Linear.from_weights([[3.0], [1.0]], [0.25]))
    flat, slanted = hinges(net).units
    assert np.isnan(flat.kink) and flat.offset == 3.0 * 1.5 and (flat.left_slope, flat.right_slope) == (0.0, 0.0)
    assert (slanted.kink, slanted.left_slope, slanted.right_slope) == (0.5, 0.0, 2.0)
    xs = np.linspace(-3, 3, 13).reshape(-1, 1)
    np.testing.assert_allclose(hinges(net)(xs), net(xs), rtol=0, atol=1e-12)


def test_a_float32_model_is_taken_apart_in_float64():
    net = tinynet.mlp([1, 8, 1], seed=1, dtype="float32")
    found = hinges(net)
    assert all(isinstance(unit.kink, float) for unit in found.units)
    xs = np.linspace(-3, 3, 101).reshape(-1, 1)
    np.testing.assert_allclose(found(xs), net(xs.astype(np.float32)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("model, fragments", [
    (tinynet.mlp([1, 4, 4, 1]), ["Linear, ReLU, Linear, ReLU, Linear", "pieces(model)"]),
    (tinynet.mlp([1, 4, 1], "sigmoid"), ["Linear, Sigmoid, Linear"]),
    (tinynet.mlp([1, 1]), ["layers are Linear:"]),
    (tinynet.mlp([2, 4, 1]), ["one input and one output", "takes 2"]),
    (tinynet.mlp([1, 4, 3]), ["gives 3"]),
    (tinynet.standardized(tinynet.mlp([2, 4, 1]), np.zeros((3, 2)), np.zeros((3, 1))), ["scales 2 features"]),
], ids=["deeper", "smooth", "no hidden layer", "two inputs", "three outputs", "two scaled inputs"])
def test_other_models_are_refused_in_one_line(model, fragments):
    with pytest.raises(ValueError) as error:
        hinges(model)
    message = str(error.value)
    assert "\n" not in message and message.startswith("hinges needs")
    for fragment in fragments:
        assert fragment in message


# --- tinynet inspect --plot: the hinges drawn ---------------------------------------------------------------------

@pytest.fixture
def figures(monkeypatch):
    """The figures inspect --plot draws, kept as they are written."""
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    kept, savefig = [], Figure.savefig
    monkeypatch.setattr(Figure, "savefig", lambda fig, *a, **k: kept.append(fig) or savefig(fig, *a, **k))
    return kept


def saved(tmp_path, *train_args) -> str:
    path = str(tmp_path / "model.npz")
    ok("train", "--epochs", "200", "--save", path, *train_args)
    return path


def lines(ax) -> dict:
    return {line.get_label(): line for line in ax.get_lines()}


def test_inspect_plot_draws_each_hinge_and_their_sum(tmp_path, figures):
    path = saved(tmp_path, "--data", "sin", "--hidden", "5")
    ok("inspect", path, "--data", "sin", "--plot", tmp_path / "hinges.png")
    assert (tmp_path / "hinges.png").read_bytes().startswith(PNG_SIGNATURE)
    model, (ax,) = tinynet.load(path), figures[0].axes
    found, drawn = hinges(model), lines(ax)
    for unit in found.units:  # each thin line is that unit's hinge, in the data's units
        line = drawn[f"unit {unit.unit}"]
        np.testing.assert_allclose(line.get_ydata(), unit(line.get_xdata()), rtol=1e-12)
    fit = drawn["the fit: bias + sum of hinges"]
    x = np.asarray(fit.get_xdata())
    np.testing.assert_allclose(fit.get_ydata(), found(x[:, None])[:, 0], rtol=0, atol=1e-12)
    X, _ = tinynet.make_dataset("sin")
    on_data = sorted(u.kink for u in found.units if X.min() * 1.05 <= u.kink <= X.max() * 1.05)
    np.testing.assert_allclose(sorted(drawn["kinks (each hinge is 0 there)"].get_xdata()), on_data)
    assert x.min() == pytest.approx(X.min() - 0.05 * np.ptp(X)) and x.max() == pytest.approx(X.max() + 0.05 * np.ptp(X))


def test_inspect_plot_draws_a_deeper_nets_pieces_with_their_slopes(tmp_path, figures):
    path = saved(tmp_path, "--data", "abs", "--hidden", "3,3")
    ok("inspect", path, "--data", "abs", "--plot", tmp_path / "pieces.png")
    (ax,) = figures[0].axes
    model = tinynet.load(path)
    found = tinynet.pieces(model, -1, 1)  # over the data's range, where every command counts them
    segments = [line for line in ax.get_lines() if line.get_label().startswith("_")]
    assert len(segments) == len(found)
    assert [text.get_text() for text in ax.texts] == [f"{slope:.2g}" for _, _, slope, _ in found]
    for line, (_, _, slope, intercept) in zip(segments, found):
        np.testing.assert_allclose(line.get_ydata(), slope * np.asarray(line.get_xdata()) + intercept, rtol=1e-12)


def test_the_pieces_pictures_title_counts_where_train_and_inspect_count(tmp_path, figures):
    # the titles said 57 and 63 (padded ranges) where train said 50 for the same net
    path = saved(tmp_path, "--data", "sin", "--hidden", "16,16")
    count = json.loads(ok("inspect", path, "--data", "sin", "--json").stdout)["linear_pieces"]
    ok("inspect", path, "--data", "sin", "--plot", tmp_path / "with.png")
    assert figures[-1].axes[0].get_title().startswith(f"{count} linear pieces on [-3.142, 3.142], the data's range")
    alone = json.loads(ok("inspect", path, "--json").stdout)["linear_pieces"]
    ok("inspect", path, "--plot", tmp_path / "alone.png")
    title = figures[-1].axes[0].get_title()
    assert title.startswith(f"{alone} linear pieces on [") and "the range its stored scaling implies" in title


def test_inspect_plot_refuses_what_it_cannot_draw_in_one_line(tmp_path):
    pytest.importorskip("matplotlib")
    path = saved(tmp_path, "--activation", "sigmoid", "--hidden", "4")
    assert_error(run("inspect", path, "--plot", tmp_path / "x.png"), 1, "piecewise-linear", "smooth")
    assert_error(run("inspect", path, "--plot", tmp_path / "x.gif"), 2, "cannot draw a .gif file")
    assert not (tmp_path / "x.png").exists()


def test_inspect_plot_refuses_two_inputs(tmp_path):
    pytest.importorskip("matplotlib")
    rows = np.random.default_rng(0).normal(size=(20, 3))
    data = write_csv(tmp_path / "two.csv", ["a", "b", "y"], rows)
    path = saved(tmp_path, "--data", data, "--hidden", "3")
    # it says what draws a two-input model instead, and does not call a ReLU net smooth
    result = run("inspect", path, "--plot", tmp_path / "x.png")
    assert_error(result, 1, "draws one-input models", "takes 2 inputs", "tinynet train --plot",
                 "tinynet compare --plot")
    assert "smooth" not in result.stderr
