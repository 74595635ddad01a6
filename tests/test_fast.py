"""tinynet.fast against the plain engine: the same training, step for step, to rounding.

A learner reads tinynet.engine; mlp, load and fit run tinynet.fast (flat
optimizers, fast layers, no dL/dX for the data). These tests train two
copies of one net, one built from the engine's classes and stepped with
the engine's five lines, the other as mlp builds it and stepped as fit
does, and require the same parameters after 200 steps.
"""

import numpy as np
import pytest

from tinynet import engine, fast, mlp

SHAPES = {  # the benchmarks' cases (benchmarks/cases.py): sizes, batch
    "S1": ((1, 32, 32, 1), 64),
    "S2": ((1, 64, 64, 64, 1), 256),
    "S3": ((64, 256, 256, 1), 256),
    "S4": ((784, 512, 512, 10), 512),
}
OPTIMIZERS = {
    "sgd": (engine.SGD, fast.SGD, {"lr": 0.01}),
    "momentum": (engine.SGD, fast.SGD, {"lr": 0.01, "momentum": 0.9}),
    "adam": (engine.Adam, fast.Adam, {"lr": 1e-3}),
}
PLAIN = {fast.MSELoss: engine.MSELoss, fast.Linear: engine.Linear, fast.ReLU: engine.ReLU, fast.Sigmoid: engine.Sigmoid, fast.Tanh: engine.Tanh}


def plain_copy(model):
    """The same net, built from the engine's own classes, with copies of its parameters."""
    layers = []
    for layer in model:
        if isinstance(layer, engine.Linear):
            layers.append(engine.Linear.from_weights(layer.weight.data, layer.bias.data))
        else:
            layers.append(PLAIN.get(type(layer), type(layer))())
    return engine.Sequential(*layers)


def train_both(case, activation, optimizer, dtype, steps):
    sizes, batch = SHAPES[case]
    fast_net = mlp(sizes, activation, seed=0, dtype=dtype)
    plain_net = plain_copy(fast_net)
    assert all(type(layer).__module__.startswith("tinynet.engine") for layer in plain_net)
    plain_cls, fast_cls, settings = OPTIMIZERS[optimizer]
    plain_opt, fast_opt = plain_cls(plain_net.parameters(), **settings), fast_cls(fast_net.parameters(), **settings)
    rng = np.random.default_rng(1)
    X = rng.normal(size=(batch, sizes[0])).astype(dtype)
    y = np.sin(X[:, :1] * 2).repeat(sizes[-1], axis=1).astype(dtype)
    for _ in range(steps):
        plain_loss = engine.train_step(plain_net, engine.MSELoss(), plain_opt, X, y)
        fast_loss = fast.train_step(fast_net, fast.MSELoss(), fast_opt, X, y)
    return plain_net, fast_net, plain_loss, fast_loss


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("case", ["S1", "S2", pytest.param("S3", marks=pytest.mark.slow)])  # S3: a second each
def test_fast_equals_plain_after_200_steps_in_float64(case, optimizer):
    plain_net, fast_net, plain_loss, fast_loss = train_both(case, "relu", optimizer, np.float64, 200)
    assert fast_loss == pytest.approx(plain_loss, rel=1e-12)
    for p, q in zip(plain_net.parameters(), fast_net.parameters(), strict=True):
        np.testing.assert_allclose(q.data, p.data, rtol=0, atol=1e-12)


@pytest.mark.slow
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_fast_equals_plain_after_200_steps_at_s4(optimizer):
    plain_net, fast_net, _, _ = train_both("S4", "relu", optimizer, np.float64, 200)
    for p, q in zip(plain_net.parameters(), fast_net.parameters(), strict=True):
        np.testing.assert_allclose(q.data, p.data, rtol=0, atol=1e-12)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "identity", "leaky_relu"])
def test_every_fast_activation_trains_as_the_plain_one(activation):
    plain_net, fast_net, _, _ = train_both("S1", activation, "adam", np.float64, 200)
    for p, q in zip(plain_net.parameters(), fast_net.parameters(), strict=True):
        np.testing.assert_allclose(q.data, p.data, rtol=0, atol=1e-12)


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_fast_equals_plain_in_float32_to_its_precision(optimizer):
    plain_net, fast_net, _, _ = train_both("S2", "relu", optimizer, np.float32, 200)
    for p, q in zip(plain_net.parameters(), fast_net.parameters(), strict=True):
        assert q.data.dtype == p.data.dtype == np.float32
        np.testing.assert_allclose(q.data, p.data, rtol=0, atol=1e-4)


def test_a_fast_layer_is_the_engine_layer():
    for fast_cls, plain_cls in PLAIN.items():
        assert issubclass(fast_cls, plain_cls) and fast_cls.__name__ == plain_cls.__name__


def test_the_fast_relu_is_max_x_0_whatever_the_batch_shape_and_dtype_in_turn():
    relu, rng = fast.ReLU(), np.random.default_rng(0)
    # its kept zeros are remade when the shape or dtype changes: a smaller last batch, a validation set, float32
    for shape, dtype in [((64, 32), np.float64), ((20, 32), np.float64), ((64, 32), np.float64),
                         ((64, 32), np.float32), ((64, 8), np.float32), ((1100, 1000), np.float64)]:
        x = rng.normal(size=shape).astype(dtype)
        y = relu(x)
        assert y.dtype == dtype and y.shape == shape
        np.testing.assert_array_equal(y, np.maximum(x, 0))
        np.testing.assert_array_equal(relu.backward(np.ones(shape, dtype)), (x > 0).astype(dtype))
    assert relu.zeros.size <= fast.ReLU.ZEROS_KEPT  # a batch larger than that kept nothing of its size
