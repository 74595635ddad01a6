"""A learner's own layers train: one owner for every array.

A Parameter owns ``data`` and ``grad``. An optimizer works on one flat vector
to be fast, but whatever a layer or a learner does to a parameter's arrays
(the ways courses teach) is honoured: a gradient assigned with ``=`` or added
with ``+=``, a new array assigned to ``p.data`` before or after the optimizer
exists, a reference kept to ``p.data``. Each case is checked against the same
update computed by hand (the formulas torch.optim uses), in float64.
"""

import numpy as np
import pytest

from tinynet import (
    SGD,
    Adam,
    Linear,
    Module,
    MSELoss,
    Parameter,
    ReLU,
    Sequential,
    fast,
    fit,
    mlp,
)


class AssigningLinear(Module):
    """y = x @ W + b, written as nnfs writes it: backward *assigns* the gradients."""

    def __init__(self, W, b):
        self.weight, self.bias = Parameter(np.array(W, dtype=float)), Parameter(np.array(b, dtype=float))

    def forward(self, x):
        self.x = x
        return x @ self.weight.data + self.bias.data

    def backward(self, grad_output):
        self.weight.grad = self.x.T @ grad_output  # assigned, not added
        self.bias.grad = grad_output.sum(axis=0)
        return grad_output @ self.weight.data.T

    def parameters(self):
        return [self.weight, self.bias]


class AddingLinear(AssigningLinear):
    """The same layer, as micrograd writes it: backward *adds* to the gradients."""

    def backward(self, grad_output):
        self.weight.grad += self.x.T @ grad_output
        self.bias.grad += grad_output.sum(axis=0)
        return grad_output @ self.weight.data.T


W0, B0 = [[0.5, -0.3], [0.2, 0.8]], [0.1, -0.2]
X = np.array([[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7]])
Y = np.array([[0.5, 0.0], [1.0, -1.0], [0.0, 0.2]])


def gradients(W, b):
    """dL/dW and dL/db of MSE for y = X @ W + b, by hand."""
    grad_out = 2 * (X @ W + b - Y) / Y.size
    return X.T @ grad_out, grad_out.sum(axis=0)


def by_hand(optimizer: str, steps: int):
    """The parameters after ``steps`` updates, computed without tinynet (torch.optim's formulas)."""
    W, b = np.array(W0), np.array(B0)
    m = [np.zeros_like(W), np.zeros_like(b)]
    v = [np.zeros_like(W), np.zeros_like(b)]
    for t in range(1, steps + 1):
        grads = gradients(W, b)
        new = []
        for i, (p, g) in enumerate(zip((W, b), grads)):
            if optimizer == "sgd":
                new.append(p - 0.1 * g)
            elif optimizer == "momentum":
                m[i] = 0.9 * m[i] + g
                new.append(p - 0.1 * m[i])
            else:
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g * g
                new.append(p - 0.01 * (m[i] / (1 - 0.9**t)) / (np.sqrt(v[i] / (1 - 0.999**t)) + 1e-8))
        W, b = new
    return W, b


def make_optimizer(name, params):
    if name == "sgd":
        return SGD(params, lr=0.1)
    if name == "momentum":
        return SGD(params, lr=0.1, momentum=0.9)
    return Adam(params, lr=0.01)


def train(layer, optimizer, steps=3, before_step=None):
    loss = MSELoss()
    for _ in range(steps):
        loss(layer.forward(X), Y)
        optimizer.zero_grad()
        layer.backward(loss.backward())
        if before_step:
            before_step()
        optimizer.step()


OPTIMIZERS = ["sgd", "momentum", "adam"]


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("layer_type", [AssigningLinear, AddingLinear, Linear])
def test_assigned_and_added_gradients_both_train_as_by_hand(layer_type, optimizer):
    layer = layer_type.from_weights(W0, B0) if layer_type is Linear else layer_type(W0, B0)
    train(layer, make_optimizer(optimizer, layer.parameters()))
    W, b = by_hand(optimizer, 3)
    np.testing.assert_allclose(layer.weight.data, W, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(layer.bias.data, b, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_a_reference_taken_from_data_stays_the_parameters(optimizer):
    layer = AddingLinear(W0, B0)
    weight = layer.weight.data  # before the optimizer exists
    opt = make_optimizer(optimizer, layer.parameters())
    bias = layer.bias.data  # after
    train(layer, opt)
    assert weight is layer.weight.data and bias is layer.bias.data
    W, b = by_hand(optimizer, 3)
    np.testing.assert_allclose(weight, W, rtol=1e-12)
    np.testing.assert_allclose(bias, b, rtol=1e-12)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_a_reference_into_an_mlp_stays_the_parameters(optimizer):
    model = mlp([2, 4, 2], "relu", seed=0)
    weight = model[0].weight.data
    opt = make_optimizer(optimizer, model.parameters())
    loss = MSELoss()
    loss(model(X), Y)
    opt.zero_grad()
    model.backward(loss.backward())
    before = weight.copy()
    opt.step()
    assert weight is model[0].weight.data and not np.array_equal(weight, before)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("when", ["before the optimizer", "between steps"])
def test_a_new_data_array_is_the_one_updated(optimizer, when):
    layer = AddingLinear([[9.0, 9.0], [9.0, 9.0]], B0)
    new = np.array(W0)
    if when == "before the optimizer":
        layer.weight.data = new
    opt = make_optimizer(optimizer, layer.parameters())
    if when == "between steps":
        opt.zero_grad()  # a first step's worth of nothing, then the new array arrives
        layer.weight.data = new
    train(layer, opt)
    assert layer.weight.data is new  # updated in place, still the learner's own array
    W, _ = by_hand(optimizer, 3)
    np.testing.assert_allclose(new, W, rtol=1e-12)


def test_assigning_data_on_an_mlp_after_the_optimizer_is_honoured():
    model = mlp([2, 3, 2], "identity", seed=0)
    opt = SGD(model.parameters(), lr=0.1)
    new = np.ones((2, 3))
    model[0].weight.data = new
    loss = MSELoss()
    loss(model(X), Y)
    opt.zero_grad()
    model.backward(loss.backward())
    expected = new - 0.1 * model[0].weight.grad
    opt.step()
    assert model[0].weight.data is new
    np.testing.assert_allclose(new, expected, rtol=1e-12)


def test_a_wrong_shape_names_the_parameter_and_the_fix():
    layer = AssigningLinear(W0, B0)
    opt = fast.SGD(layer.parameters(), lr=0.1)  # fit's optimizers check what they copy in; the engine's compute
    layer.weight.grad = np.ones(2)  # a (2,) gradient for a (2, 2) weight
    with pytest.raises(ValueError, match=r"grad must be an array of shape \(2, 2\), got \(2,\): assign p.grad"):
        opt.step()


def test_a_learners_layer_trains_inside_a_net_with_fit():
    rng = np.random.default_rng(0)
    X_train = rng.uniform(-1, 1, size=(64, 2))
    y_train = np.abs(X_train[:, :1]) + X_train[:, 1:]
    model = Sequential(AssigningLinear(rng.normal(size=(2, 8)), np.zeros(8)), ReLU(),
                       AssigningLinear(rng.normal(size=(8, 1)) / 3, np.zeros(1)))
    history = fit(model, X_train, y_train, epochs=500)
    assert history.final_loss < history.loss[0] / 20
