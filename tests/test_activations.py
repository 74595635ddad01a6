"""Activations: values, derivatives by central differences, and numerical safety."""

import warnings

import numpy as np
import pytest

from tinynet import (
    ACTIVATIONS,
    Identity,
    LeakyReLU,
    MSELoss,
    ReLU,
    Sigmoid,
    Tanh,
    get_activation,
    gradcheck,
)

NAMES = list(ACTIVATIONS)
CACHING = [ReLU, LeakyReLU, Sigmoid, Tanh]  # the ones whose backward needs something from forward


def away_from_kinks(shape, seed=0):
    """Random inputs with |x| in [0.1, 2]: relu and leaky_relu have a kink at 0,
    where a central difference straddling it measures neither side's slope."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.1, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)


def test_the_registry_holds_the_five_activations():
    # by name, the class mlp and load build: the engine's own, or its faster form in tinynet.fast (a subclass)
    engine = {"identity": Identity, "relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh, "leaky_relu": LeakyReLU}
    assert ACTIVATIONS.keys() == engine.keys()
    for name, cls in engine.items():
        assert issubclass(ACTIVATIONS[name], cls), name
    assert [ACTIVATIONS[name].__module__ for name in ("relu", "sigmoid", "tanh")] == ["tinynet.fast.layers"] * 3


@pytest.mark.parametrize("name", NAMES)
def test_get_activation_returns_a_new_module_each_time(name):
    a, b = get_activation(name), get_activation(name)
    assert type(a) is ACTIVATIONS[name]
    assert a is not b


def test_get_activation_refuses_unknown_names_listing_the_choices():
    with pytest.raises(ValueError, match="softmax") as error:
        get_activation("softmax")
    for name in NAMES:
        assert name in str(error.value)


@pytest.mark.parametrize("module, x, y", [
    (Identity(), [-2.0, 0.0, 3.0], [-2.0, 0.0, 3.0]),
    (ReLU(), [-2.0, 0.0, 3.0], [0.0, 0.0, 3.0]),
    (LeakyReLU(), [-2.0, 0.0, 3.0], [-0.02, 0.0, 3.0]),
    (LeakyReLU(negative_slope=0.5), [-2.0, 0.0, 3.0], [-1.0, 0.0, 3.0]),
    (Sigmoid(), [-np.log(3.0), 0.0, np.log(3.0)], [0.25, 0.5, 0.75]),  # 1 / (1 + 3) and 1 / (1 + 1/3)
    (Tanh(), [-np.log(3.0), 0.0, np.log(3.0)], [-0.8, 0.0, 0.8]),  # (3 - 1/3) / (3 + 1/3)
], ids=["identity", "relu", "leaky_relu", "leaky_relu-0.5", "sigmoid", "tanh"])
def test_forward_values(module, x, y):
    np.testing.assert_allclose(module(np.array([x])), [y], rtol=0, atol=1e-15)


@pytest.mark.parametrize("module, x, slope", [
    (Identity(), [-2.0, 3.0], [1.0, 1.0]),
    (ReLU(), [-2.0, 3.0], [0.0, 1.0]),
    (LeakyReLU(negative_slope=0.5), [-2.0, 3.0], [0.5, 1.0]),
    (Sigmoid(), [-np.log(3.0), np.log(3.0)], [0.1875, 0.1875]),  # s * (1 - s) = 0.25 * 0.75
    (Tanh(), [-np.log(3.0), np.log(3.0)], [0.36, 0.36]),  # 1 - 0.8**2
], ids=["identity", "relu", "leaky_relu-0.5", "sigmoid", "tanh"])
def test_backward_multiplies_by_the_derivative(module, x, slope):
    module(np.array([x]))
    grad_output = np.array([[2.0, -3.0]])
    np.testing.assert_allclose(module.backward(grad_output), grad_output * slope, rtol=0, atol=1e-15)


def test_relu_derivative_at_zero_is_zero():
    relu = ReLU()
    relu(np.zeros((1, 3)))
    np.testing.assert_array_equal(relu.backward(np.ones((1, 3))), np.zeros((1, 3)))


@pytest.mark.parametrize("name", NAMES)
def test_gradcheck_every_activation(name):
    X = away_from_kinks((5, 4))
    y = np.random.default_rng(1).normal(size=(5, 4))
    assert gradcheck(get_activation(name), X, y) < 1e-7


def test_gradcheck_leaky_relu_with_a_large_slope():
    X = away_from_kinks((5, 4))
    y = np.random.default_rng(1).normal(size=(5, 4))
    assert gradcheck(LeakyReLU(negative_slope=0.3), X, y) < 1e-7


@pytest.mark.parametrize("cls", CACHING + [ACTIVATIONS[name] for name in ("relu", "sigmoid", "tanh")],
                         ids=lambda c: f"{c.__module__.split('.')[1]}.{c.__name__}")
def test_backward_before_forward_is_a_clear_error(cls):
    with pytest.raises(AttributeError, match=r"has no attribute '\w+': .* call forward before backward"):
        cls().backward(np.ones((2, 3)))


@pytest.mark.parametrize("name", NAMES)
def test_forward_and_backward_leave_their_arguments_alone(name):
    x = away_from_kinks((3, 4))
    grad_output = np.ones((3, 4))
    x_before, grad_before = x.copy(), grad_output.copy()
    module = get_activation(name)
    module(x)
    module.backward(grad_output)
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(grad_output, grad_before)


@pytest.mark.parametrize("name", NAMES)
def test_float32_stays_float32(name):
    module = get_activation(name)
    x = away_from_kinks((3, 4)).astype(np.float32)
    y = module(x)
    assert y.dtype == np.float32
    loss = MSELoss()
    loss(y, np.zeros_like(y))
    grad_output = loss.backward()
    assert grad_output.dtype == np.float32
    assert module.backward(grad_output).dtype == np.float32


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sigmoid_is_stable_at_huge_inputs(dtype):
    x = np.array([[-1e4, -800.0, 0.0, 800.0, 1e4]], dtype=dtype)
    sigmoid = Sigmoid()
    # Any overflow, underflow-to-NaN or invalid operation fails the test.
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        s = sigmoid(x)
        grad_input = sigmoid.backward(np.ones_like(x))
    assert not np.isnan(s).any() and not np.isnan(grad_input).any()
    np.testing.assert_allclose(s, [[0.0, 0.0, 0.5, 1.0, 1.0]], rtol=0, atol=1e-30)
    np.testing.assert_allclose(grad_input, [[0.0, 0.0, 0.25, 0.0, 0.0]], rtol=0, atol=1e-30)


@pytest.mark.parametrize("slope", ["abc", True, float("nan"), float("inf")])
def test_leaky_relu_refuses_a_slope_that_is_not_a_finite_number(slope):
    # checked where a name and its settings become a layer (mlp, model files, the command line)
    with pytest.raises(ValueError, match="negative_slope must be a finite number"):
        get_activation("leaky_relu", negative_slope=slope)


def test_relu_keeps_no_large_array_after_a_large_batch():
    relu = ACTIVATIONS["relu"]()  # the fast ReLU keeps a zeros array between calls
    small = np.random.default_rng(0).normal(size=(64, 32))
    np.testing.assert_array_equal(relu(small), np.maximum(small, 0))
    kept = relu.zeros.nbytes
    big = np.random.default_rng(1).normal(size=(100_000, 32))  # 3.2 million values, 25.6 MB
    np.testing.assert_array_equal(relu(big), np.maximum(big, 0))
    assert relu.zeros.nbytes == kept  # nothing the size of the big batch stays behind
    assert kept <= relu.ZEROS_KEPT * 8



def test_a_class_named_like_a_registered_one_is_refused_so_files_stay_unambiguous(tmp_path):
    # model files name activations by class name: a learner's "ReLU" registered as "myrelu" would take over
    # every ReLU model loaded afterwards (issue 20, item 8)
    import tinynet

    class ReLU(tinynet.Module):  # the clash is the point
        name = "myrelu"

        def forward(self, x):
            return x

        def backward(self, grad_output):
            return grad_output

    with pytest.raises(ValueError, match="a class named ReLU is already registered, as 'relu'.*another name"):
        tinynet.register_activation(ReLU)
    assert "myrelu" not in ACTIVATIONS
    path = tmp_path / "relu.npz"
    model = tinynet.mlp([1, 3, 1], "relu", seed=0)
    tinynet.save(model, path)
    assert type(tinynet.load(path)[1]) is ACTIVATIONS["relu"]
