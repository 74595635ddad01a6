"""Linear: y = x @ W + b, its gradients, and the accumulate / zero_grad rule."""

import numpy as np
import pytest

from tinynet import Linear, MSELoss, gradcheck, mlp, predict


def random_batch(n, features, seed=0):
    return np.random.default_rng(seed).normal(size=(n, features))


def test_shapes_follow_the_formula():
    layer = Linear(3, 5, rng=0)
    # W is (in_features, out_features) so that forward reads x @ W + b.
    assert layer.weight.data.shape == (3, 5)
    assert layer.bias.data.shape == (5,)
    assert layer.weight.data.dtype == np.float64
    assert layer.weight.grad.shape == (3, 5) and layer.bias.grad.shape == (5,)
    assert layer(random_batch(4, 3)).shape == (4, 5)


def test_forward_is_x_times_w_plus_b_entry_by_entry():
    layer = Linear(3, 2, rng=0)
    layer.bias.data[...] = [0.5, -1.0]
    x = random_batch(4, 3)
    y = layer(x)
    W, b = layer.weight.data, layer.bias.data
    for n in range(4):
        for j in range(2):
            expected = sum(x[n, i] * W[i, j] for i in range(3)) + b[j]
            assert y[n, j] == pytest.approx(expected, abs=1e-14)


def test_without_bias():
    layer = Linear(3, 2, bias=False, rng=0)
    assert layer.bias is None
    assert layer.parameters() == [layer.weight]
    np.testing.assert_array_equal(layer(np.zeros((2, 3))), np.zeros((2, 2)))


def test_parameters_are_weight_then_bias():
    layer = Linear(2, 3)
    params = layer.parameters()
    assert len(params) == 2
    assert params[0] is layer.weight and params[1] is layer.bias


def after_forward():
    """A Linear(3, 2) that has seen a batch of 4, with a grad_output for it."""
    layer = Linear(3, 2, rng=0)
    x = random_batch(4, 3)
    layer(x)
    return layer, x, random_batch(4, 2, seed=1)


def test_backward_follows_the_documented_formulas():
    layer, x, grad_output = after_forward()
    grad_input = layer.backward(grad_output)
    np.testing.assert_allclose(layer.weight.grad, x.T @ grad_output, rtol=1e-14)
    np.testing.assert_allclose(layer.bias.grad, grad_output.sum(axis=0), rtol=1e-14)
    np.testing.assert_allclose(grad_input, grad_output @ layer.weight.data.T, rtol=1e-14)


@pytest.mark.parametrize("bias", [True, False])
def test_gradcheck(bias):
    layer = Linear(4, 3, bias=bias, rng=1)
    if bias:
        layer.bias.data[...] = [0.3, -0.2, 0.1]
    X = random_batch(6, 4)
    y = random_batch(6, 3, seed=2)
    assert gradcheck(layer, X, y) < 1e-7


def test_two_backward_calls_accumulate_and_zero_grad_resets():
    layer, _, grad_output = after_forward()
    first_dx = layer.backward(grad_output)
    weight_once, bias_once = layer.weight.grad.copy(), layer.bias.grad.copy()
    assert np.any(weight_once != 0) and np.any(bias_once != 0)

    second_dx = layer.backward(grad_output)
    # Parameter gradients add up (+=); the input gradient is returned, not accumulated.
    np.testing.assert_array_equal(layer.weight.grad, 2 * weight_once)
    np.testing.assert_array_equal(layer.bias.grad, 2 * bias_once)
    np.testing.assert_array_equal(second_dx, first_dx)

    layer.zero_grad()
    np.testing.assert_array_equal(layer.weight.grad, np.zeros((3, 2)))
    np.testing.assert_array_equal(layer.bias.grad, np.zeros(2))
    layer.backward(grad_output)
    np.testing.assert_array_equal(layer.weight.grad, weight_once)


def test_backward_before_forward_is_a_clear_error():
    with pytest.raises(AttributeError, match=r"Linear has no attribute 'x': .*call forward before backward"):
        Linear(2, 2).backward(np.ones((1, 2)))


# The engine's layers compute and nothing else: data from outside is checked where it comes in,
# by predict and fit (and mlp checks its arguments), so these refusals are theirs.

def test_one_dimensional_input_is_refused_with_the_reshape():
    with pytest.raises(ValueError, match=r"reshape\(-1, 1\)"):
        predict(Linear(1, 2), np.arange(3.0))


def test_wrong_feature_count_names_expected_and_received():
    with pytest.raises(ValueError) as error:
        predict(Linear(3, 2), np.ones((4, 2)))
    message = str(error.value)
    assert "3" in message and "2 features" in message


def test_float32_stays_float32():
    layer = Linear(3, 2, dtype=np.float32, rng=0)
    assert layer.weight.data.dtype == np.float32 and layer.bias.data.dtype == np.float32
    x = random_batch(4, 3).astype(np.float32)
    y = layer(x)
    assert y.dtype == np.float32
    loss = MSELoss()
    loss(y, np.zeros((4, 2), dtype=np.float32))
    dx = layer.backward(loss.backward())
    assert dx.dtype == np.float32
    assert layer.weight.grad.dtype == np.float32 and layer.bias.grad.dtype == np.float32


def test_same_seed_same_weights_and_generators_accepted():
    np.testing.assert_array_equal(Linear(4, 3, rng=7).weight.data, Linear(4, 3, rng=7).weight.data)
    assert not np.array_equal(Linear(4, 3, rng=7).weight.data, Linear(4, 3, rng=8).weight.data)
    a = Linear(4, 3, rng=np.random.default_rng(7)).weight.data
    np.testing.assert_array_equal(a, Linear(4, 3, rng=7).weight.data)


@pytest.mark.parametrize("init, expected_std", [
    ("he", np.sqrt(2 / 300)),  # normal, std sqrt(2 / fan_in)
    ("xavier", np.sqrt(2 / 600)),  # uniform on +-sqrt(6 / (fan_in + fan_out)): std = limit / sqrt(3)
])
def test_init_scales(init, expected_std):
    W = Linear(300, 300, init=init, rng=0).weight.data
    assert W.std() == pytest.approx(expected_std, rel=0.03)
    assert abs(W.mean()) < 0.02 * expected_std  # the standard error of the mean is std / 300
    if init == "xavier":
        assert np.abs(W).max() <= np.sqrt(6 / 600)


def test_bias_starts_small_random_and_spread_like_torch():
    bias = Linear(4, 1000, rng=0).bias.data
    assert np.all(np.abs(bias) <= 0.5)  # uniform on [-1/sqrt(4), 1/sqrt(4)]
    assert bias.min() < -0.45 and bias.max() > 0.45
    assert len(np.unique(bias)) == 1000


@pytest.mark.parametrize("kwargs, fragment", [
    ({"in_features": 0, "out_features": 2}, "in_features"),
    ({"in_features": 2, "out_features": 2.5}, "out_features"),
    ({"in_features": 2, "out_features": 2, "dtype": np.int64}, "dtype"),
    ({"in_features": 2, "out_features": 2, "init": "zeros"}, "init"),
])
def test_bad_arguments_are_refused(kwargs, fragment):
    sizes = [kwargs.pop("in_features"), kwargs.pop("out_features")]
    with pytest.raises(ValueError, match=fragment.replace("in_features", r"sizes\[0\]").replace("out_features", r"sizes\[1\]")):
        mlp(sizes, **kwargs)


def test_repr_names_the_sizes():
    assert repr(Linear(3, 2)) == "Linear(in_features=3, out_features=2, bias=True)"
    assert "bias=False" in repr(Linear(3, 2, bias=False))


def test_predict_gives_a_float32_layer_float32_input_instead_of_upcasting():
    layer = Linear(2, 3, rng=0, dtype=np.float32)
    assert layer.forward(np.ones((4, 2))).dtype == np.float64  # numpy upcasts silently: predict converts
    assert predict(layer, np.ones((4, 2))).dtype == np.float32


def test_from_weights_builds_the_layer_it_is_given():
    layer = Linear.from_weights([[1.0, -1.0]], [0.5, 0.25])
    assert (layer.in_features, layer.out_features) == (1, 2)
    np.testing.assert_array_equal(layer.weight.data, [[1.0, -1.0]])
    np.testing.assert_array_equal(layer(np.array([[2.0]])), [[2.5, -1.75]])
    assert Linear.from_weights(np.ones((3, 2), np.float32)).weight.data.dtype == np.float32
    assert Linear.from_weights([[1, 2]]).bias is None


def test_linear_from_weights_draws_no_random_numbers(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("from_weights drew a random initialisation")

    monkeypatch.setattr(np.random, "default_rng", refuse)
    layer = Linear.from_weights([[1.0, 2.0]], [0.5, -0.5])
    assert layer.weight.data.tolist() == [[1.0, 2.0]] and layer.bias.data.tolist() == [0.5, -0.5]
    assert (layer.in_features, layer.out_features) == (1, 2)
