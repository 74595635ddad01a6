"""Backward against central differences for whole networks, fixed and random.

gradcheck returns the largest relative error ||analytic - numeric|| /
(||analytic|| + ||numeric||) over every parameter and the input. In float64
a correct backward stays well below 1e-7 (usually 1e-10 to 1e-8); a wrong
formula gives something near 1.

Two things make a central difference itself wrong, not the backward:
- a kink (relu, leaky_relu at 0) inside the step [z - eps, z + eps];
- a gradient so small that rounding in the loss (about |L| * 1e-16, divided
  by 2 * eps = 2e-6) is a large part of it.
The random tests below keep away from both, and say so with ``assume``.
"""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import tinynet
from tinynet import (
    ACTIVATIONS,
    BCELoss,
    Linear,
    Module,
    MSELoss,
    gradcheck,
    gradcheck_report,
    mlp,
    numeric_gradient,
    passes_needed,
    relative_error,
    save,
)
from tinynet.model import named_parameters

KINKED = ("relu", "leaky_relu")


def randomised(net, rng, scale=1.0):
    """Redraw every weight and bias from N(0, scale**2). Non-zero biases keep
    relu pre-activations off exactly 0 even for an all-zero hidden row."""
    for p in net.parameters():
        p.data[...] = rng.normal(scale=scale, size=p.data.shape)
    return net


def smallest_pre_activation(net, X):
    """The smallest |z| entering any activation after a Linear layer."""
    smallest, x = np.inf, X
    for layer in net.layers:
        x = layer(x)
        if isinstance(layer, Linear):
            smallest = min(smallest, float(np.abs(x).min()))
    return smallest


def gradients(net, X, y, loss):
    """Loss value, every parameter gradient, and dL/dX from one backward."""
    net.zero_grad()
    value = loss(net(X), y)
    grad_input = net.backward(loss.backward())
    return value, [p.grad.copy() for p in net.parameters()], grad_input


class ForgetsTheTwo(Module):
    """y = x**2 with a wrong backward (x instead of 2 * x): gradcheck must catch it."""

    def forward(self, x):
        self.x = x
        return x * x

    def backward(self, grad_output):
        return grad_output * self.x


def test_gradcheck_catches_a_wrong_backward():
    X = np.random.default_rng(0).uniform(0.5, 1.5, size=(4, 3))
    assert gradcheck(ForgetsTheTwo(), X, np.zeros((4, 3))) > 0.1


def test_report_names_every_parameter_and_the_input():
    net = mlp([2, 3, 1], "tanh", seed=0)
    rng = np.random.default_rng(0)
    report = gradcheck_report(net, rng.normal(size=(4, 2)), rng.normal(size=(4, 1)))
    assert set(report) == {"0.weight", "0.bias", "2.weight", "2.bias", "input"}
    assert max(report.values()) < 1e-7


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_stacked_net_of_each_activation(activation):
    rng = np.random.default_rng(1)
    net = randomised(mlp([3, 5, 4, 2], activation, seed=1), rng)
    X, y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    if activation in KINKED:
        assert smallest_pre_activation(net, X) > 1e-3
    assert gradcheck(net, X, y) < 1e-7


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_stacked_net_with_sigmoid_output_and_bce(activation):
    rng = np.random.default_rng(2)
    net = randomised(mlp([3, 5, 4, 1], activation, output_activation="sigmoid", seed=2), rng, scale=0.5)
    X = rng.normal(size=(8, 3))
    y = rng.integers(0, 2, size=(8, 1)).astype(np.float64)
    p = net(X)
    assert 0.01 < p.min() and p.max() < 0.99  # away from BCELoss's clipping
    if activation in KINKED:
        assert smallest_pre_activation(net, X) > 1e-3
    assert gradcheck(net, X, y, loss=BCELoss()) < 1e-7


layer_sizes = st.lists(st.integers(1, 5), min_size=2, max_size=4)


@settings(max_examples=25, deadline=None)
@given(sizes=layer_sizes, activation=st.sampled_from(list(ACTIVATIONS)),
       n=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
def test_random_nets_pass_gradcheck(sizes, activation, n, seed):
    rng = np.random.default_rng(seed)
    net = randomised(mlp(sizes, activation, seed=seed), rng)
    X, y = rng.normal(size=(n, sizes[0])), rng.normal(size=(n, sizes[-1]))
    if activation in KINKED:
        assume(smallest_pre_activation(net, X) > 1e-3)
    value, grads, grad_input = gradients(net, X, y, MSELoss())
    assume(min(np.linalg.norm(g) for g in [*grads, grad_input]) > 1e-2 * value)
    assert gradcheck(net, X, y) < 1e-7


@settings(max_examples=25, deadline=None)
@given(sizes=layer_sizes, activation=st.sampled_from(list(ACTIVATIONS)),
       n=st.integers(1, 6), seed=st.integers(0, 2**32 - 1),
       dtype=st.sampled_from([np.float32, np.float64]))
def test_random_nets_keep_shapes_and_dtype(sizes, activation, n, seed, dtype):
    net = mlp(sizes, activation, seed=seed, dtype=dtype)
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, sizes[0])).astype(dtype)
    y = rng.normal(size=(n, sizes[-1])).astype(dtype)
    out = net(X)
    assert out.shape == (n, sizes[-1]) and out.dtype == dtype
    _, grads, grad_input = gradients(net, X, y, MSELoss())
    assert grad_input.shape == X.shape and grad_input.dtype == dtype
    for p, g in zip(net.parameters(), grads):
        assert g.shape == p.data.shape and g.dtype == dtype
        assert np.isfinite(g).all()


@settings(max_examples=25, deadline=None)
@given(sizes=layer_sizes, activation=st.sampled_from(list(ACTIVATIONS)),
       n=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
def test_random_nets_accumulate_gradients(sizes, activation, n, seed):
    net = mlp(sizes, activation, seed=seed)
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(n, sizes[0])), rng.normal(size=(n, sizes[-1]))
    _, once, _ = gradients(net, X, y, MSELoss())
    loss = MSELoss()
    loss(net(X), y)
    net.backward(loss.backward())  # on top of the gradients already there
    for p, g in zip(net.parameters(), once):
        np.testing.assert_array_equal(p.grad, 2 * g)


# ---- where the true gradient is exactly zero, bad steps, lists ----

@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_a_correct_net_at_a_perfect_fit_passes(activation):
    # y = model(X): the loss is at its minimum, every true gradient is exactly 0, and the central
    # differences are rounding noise (about 1e-11). Without a floor the relative error was 1.0 everywhere.
    rng = np.random.default_rng(3)
    net = randomised(mlp([3, 5, 4, 2], activation, seed=3), rng)
    X = rng.normal(size=(6, 3))
    report = gradcheck_report(net, X, net(X))
    assert max(report.values()) < 1e-7, report


def test_a_wrong_backward_is_still_caught_where_its_gradient_is_small():
    # y = x**2 near x = 0.05: dL/dx is about 1e-5, far below the floor, and still wrong by half
    X = np.random.default_rng(0).uniform(0.04, 0.06, size=(4, 3))
    assert gradcheck(ForgetsTheTwo(), X, np.zeros((4, 3))) > 1e-3


def test_relative_error_has_an_absolute_floor():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.zeros(3), np.full(3, 1e-12)) < 1e-8  # noise around a true 0 is not an error
    assert relative_error(np.ones(3), -np.ones(3)) == 1.0  # opposite gradients: as wrong as it gets
    assert relative_error(np.zeros(3), np.full(3, 1e-12), atol=0) == 1.0  # no floor: noise divided by noise


@pytest.mark.parametrize("eps", [0, 0.0, -1e-6, float("nan"), float("inf")])
def test_a_step_that_is_not_positive_is_refused_by_name(eps):
    net = mlp([2, 3, 1], "tanh", seed=0)
    with pytest.raises(ValueError, match=r"eps must be a number > 0, got"):
        gradcheck(net, np.ones((2, 2)), np.ones((2, 1)), eps=eps)
    with pytest.raises(ValueError, match=r"eps must be a number > 0, got"):
        numeric_gradient(lambda: 0.0, np.ones(2), eps=eps)


def test_lists_are_taken_as_arrays():
    net = mlp([2, 3, 1], "tanh", seed=0)
    X, y = [[0.5, -1.0], [2.0, 0.25]], [[1.0], [-0.5]]
    assert gradcheck_report(net, X, y) == gradcheck_report(net, np.array(X), np.array(y))
    assert gradcheck(net, X, y) < 1e-7


def test_parameters_are_named_as_in_model_files(tmp_path):
    net = mlp([2, 3, 1], "tanh", seed=0)
    save(net, tmp_path / "m.npz")
    with np.load(tmp_path / "m.npz") as arrays:
        stored = {name for name in arrays.files if name != "architecture"}
    assert [name for name, _ in named_parameters(net)] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert stored == {name for name, _ in named_parameters(net)}
    assert [p for _, p in named_parameters(net)] == net.parameters()


def test_the_command_explains_the_names_it_prints():
    from click.testing import CliRunner

    from cli.main import cli

    help_text = " ".join(CliRunner().invoke(cli, ["gradcheck", "--help"]).output.split())
    for fragment in ("<layer>.weight and <layer>.bias", "the same in model files", "0.weight as W1", "max("):
        assert fragment in help_text
    result = CliRunner().invoke(cli, ["gradcheck", "--hidden", "4"])
    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in result.output.splitlines()[1:-1]] == [
        "0.weight", "0.bias", "2.weight", "2.bias", "input"]


def test_an_error_below_the_rounding_floor_prints_as_a_bound():
    from tinynet import relative_error_text

    assert relative_error_text(0.0) == relative_error_text(3.2e-11) == relative_error_text(9.9e-8) == "< 1e-7"
    assert relative_error_text(1e-7) == "1.0e-07"  # from the floor up, two digits
    assert relative_error_text(0.25) == "2.5e-01"


@pytest.mark.parametrize("args", [(), ("--seed", "2"), ("--activation", "sigmoid")])
def test_the_command_prints_no_digits_of_rounding(args):
    """These checks measure 2e-10 to 4e-8, whose digits differ between BLAS kernels (--seed 2: 8.0e-10 under
    SkylakeX, 1.04e-09 under Haswell): each is printed as "< 1e-7", the same on every CPU."""
    from click.testing import CliRunner

    from cli.main import cli

    result = CliRunner().invoke(cli, ["gradcheck", *args])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split(None, 1)[1] for line in lines[1:-1]] == ["< 1e-7"] * 7
    assert lines[-1] == "largest relative error < 1e-7, within the tolerance 1e-06: the gradients are right"


# --- a bounded cost (issue 20, item 5): --hidden 5000,5000 needed 50 million forward passes and said nothing ---

def test_passes_needed_counts_two_per_entry():
    model = mlp([3, 5, 2], "relu")
    assert passes_needed(model, np.zeros((8, 3))) == 2 * ((3 * 5 + 5 + 5 * 2 + 2) + 8 * 3)


def test_a_sampled_check_still_finds_a_wrong_backward():
    class DoubledWeightGradient(tinynet.Linear):
        def backward(self, grad_output):
            dx = super().backward(grad_output)
            self.weight.grad *= 2  # the planted bug
            return dx

    rng = np.random.default_rng(0)
    model = tinynet.Sequential(DoubledWeightGradient(3, 40, rng=rng), tinynet.Tanh(), tinynet.Linear(40, 2, rng=rng))
    X, y = rng.normal(size=(8, 3)), rng.normal(size=(8, 2))
    report = tinynet.gradcheck_report(model, X, y, sample=5)
    assert report["0.weight"] > 0.1 and report["2.weight"] < 1e-6


def test_the_command_refuses_a_net_too_large_to_check_in_one_line():
    from click.testing import CliRunner

    from cli.gradcheck import gradcheck as command

    result = CliRunner().invoke(command, ["--hidden", "5000,5000"])
    assert result.exit_code == 2
    assert "makes a net of 25,035,002 parameters; gradcheck checks nets of at most 1,000,000" in result.output


def test_the_command_checks_a_sample_of_a_large_net_and_says_so():
    from click.testing import CliRunner

    from cli.gradcheck import gradcheck as command

    result = CliRunner().invoke(command, ["--hidden", "300,300"])
    assert result.exit_code == 0, result.output
    assert "a random" in result.output and "entries of each array: checking all would take" in result.output
    assert "the gradients are right" in result.output
