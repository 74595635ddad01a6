"""tinynet backprop prints the engine's own numbers, and they are the hand-computed ones."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

import tinynet
from cli.main import cli
from tinynet.lesson.backprop import X, Y, trace, worked_example
from tinynet.model import named_parameters


def run(*args):
    result = CliRunner().invoke(cli, ["backprop", *args])
    assert result.exit_code == 0, result.output
    return result


def test_relu_example_matches_the_arithmetic_by_hand():
    steps = json.loads(run("--json").stdout)
    forward = {entry["formula"].split(" =")[0]: np.array(entry["value"]) for entry in steps["forward"]}
    backward = {entry["formula"].split(" =")[0]: np.array(entry["value"]) for entry in steps["backward"]}
    # z1 = x @ W1 + b1: x = 1 -> [1 + 0.5, -0.5 + 0] ; x = -2 -> [-2 + 0.5, 1 + 0]
    np.testing.assert_allclose(forward["z1"], [[1.5, -0.5], [-1.5, 1.0]])
    np.testing.assert_allclose(forward["a1"], [[1.5, 0.0], [0.0, 1.0]])
    # y_hat = a1 @ [[0.8], [-1.2]] + 0.1: 1.5 * 0.8 + 0.1 = 1.3 ; -1.2 + 0.1 = -1.1
    np.testing.assert_allclose(forward["y_hat"], [[1.3], [-1.1]])
    # L = ((1.3 - 1)**2 + (-1.1 - 0.5)**2) / 2 = (0.09 + 2.56) / 2
    assert steps["loss"] == pytest.approx(1.325, abs=1e-15)
    # dL/dy_hat = 2 * [0.3, -1.6] / 2
    np.testing.assert_allclose(backward["dL/dy_hat"], [[0.3], [-1.6]])
    # dL/dW2 = a1.T @ g = [1.5 * 0.3, 1 * -1.6] ; dL/db2 = 0.3 - 1.6
    np.testing.assert_allclose(backward["dL/dW2"], [[0.45], [-1.6]])
    np.testing.assert_allclose(backward["dL/db2"], [-1.3])
    # dL/da1 = g @ W2.T: 0.3 * [0.8, -1.2] ; -1.6 * [0.8, -1.2]
    np.testing.assert_allclose(backward["dL/da1"], [[0.24, -0.36], [-1.28, 1.92]])
    # the ReLU passes only where z1 > 0
    np.testing.assert_allclose(backward["dL/dz1"], [[0.24, 0.0], [0.0, 1.92]])
    # dL/dW1 = x.T @ dL/dz1 = [1 * 0.24, -2 * 1.92] ; dL/db1 = column sums
    np.testing.assert_allclose(backward["dL/dW1"], [[0.24, -3.84]])
    np.testing.assert_allclose(backward["dL/db1"], [0.24, 1.92])
    # dL/dx = dL/dz1 @ W1.T = [0.24 * 1, 1.92 * -0.5]
    np.testing.assert_allclose(backward["dL/dx"], [[0.24], [-0.96]])


@pytest.mark.parametrize("activation", sorted(tinynet.ACTIVATIONS))
def test_printed_numbers_are_the_engines(activation):
    steps = json.loads(run("--activation", activation, "--json").stdout)
    model = worked_example(activation)
    loss = tinynet.MSELoss()
    assert steps["loss"] == loss(model(X), Y)
    grad_x = model.backward(loss.backward())
    printed = {entry["formula"].split(" =")[0]: entry["value"] for entry in steps["backward"]}
    assert printed["dL/dW1"] == model[0].weight.grad.tolist()
    assert printed["dL/db2"] == model[2].bias.grad.tolist()
    assert printed["dL/dx"] == grad_x.tolist()
    for row in steps["check"]:
        assert row["relative_error"] < 1e-7
        np.testing.assert_allclose(row["numeric"], row["analytic"], rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("activation", sorted(tinynet.ACTIVATIONS))
def test_fits_a_classroom_terminal(activation):
    lines = run("--activation", activation).output.splitlines()
    assert len(lines) < 80
    assert max(len(line) for line in lines) <= 80
    text = "\n".join(lines)
    for fragment in ("FORWARD", "BACKWARD", "CHECK", "dL/dW1 = x.T @ dL/dz1", "(2, 2)", "rel. error"):
        assert fragment in text


def test_output_is_deterministic():
    assert run().output == run().output


@pytest.mark.parametrize("activation", sorted(tinynet.ACTIVATIONS))
def test_check_covers_every_gradient_backward_printed_including_dl_dx(activation):
    steps = json.loads(run("--activation", activation, "--json").stdout)
    printed = {entry["formula"].split(" =")[0]: entry["value"] for entry in steps["backward"]}
    checked = {row["gradient"]: row for row in steps["check"]}
    assert set(checked) == {"dL/dW1", "dL/db1", "dL/dW2", "dL/db2", "dL/dx"}
    for gradient, row in checked.items():
        assert row["analytic"] == printed[gradient]  # the very numbers BACKWARD showed
        np.testing.assert_allclose(row["numeric"], row["analytic"], rtol=1e-6, atol=1e-9)
    text = run("--activation", activation).output
    check = text[text.index("CHECK"):]
    assert "dL/dx" in check and "input" in check


def test_check_names_parameters_as_gradcheck_and_model_files_do():
    steps = json.loads(run("--json").stdout)
    names = [row["name"] for row in steps["check"]]
    assert names == [name for name, _ in named_parameters(worked_example("relu"))] + ["input"]
    assert names == ["0.weight", "0.bias", "2.weight", "2.bias", "input"]
    assert [row["gradient"] for row in steps["check"]] == ["dL/dW1", "dL/db1", "dL/dW2", "dL/db2", "dL/dx"]


def test_an_activation_states_its_own_formulas_for_backprop():
    class Double(tinynet.Module):
        name = "double_for_a_test"
        formula, derivative = "{y} = 2 * {x}", "dL/d{x} = 2 * dL/d{y}"

        def forward(self, x):
            return 2 * x

        def backward(self, grad_output):
            return 2 * grad_output

    model = tinynet.Sequential(tinynet.Linear.from_weights([[1.0, -0.5]], [0.5, 0.0]), Double(),
                               tinynet.Linear.from_weights([[0.8], [-1.2]], [0.1]))
    steps = trace(model, np.array([[1.0], [-2.0]]), np.array([[1.0], [0.5]]))
    assert "a1 = 2 * z1" in [row["formula"] for row in steps["forward"]]
    assert "dL/dz1 = 2 * dL/da1" in [row["formula"] for row in steps["backward"]]


@pytest.mark.parametrize("activation", sorted(tinynet.ACTIVATIONS))
def test_check_prints_rounding_as_a_bound_and_json_keeps_the_float(activation):
    """Relative errors of 1e-12 to 1e-10 are rounding whose digits change with the CPU's BLAS kernel:
    the table says "< 1e-7", --json keeps the number itself."""
    steps = json.loads(run("--activation", activation, "--json").stdout)
    errors = [row["relative_error"] for row in steps["check"]]
    assert all(isinstance(error, float) and error < 1e-7 for error in errors)
    assert any(error > 0 for error in errors)  # the real float, not the text
    text = run("--activation", activation).output
    rows = text[text.index("rel. error"):].splitlines()[1:6]
    assert [row.split("]")[-1].strip() for row in rows] == ["< 1e-7"] * 5
    assert "< 1e-7: equal as far as float64 differences can tell" in text
