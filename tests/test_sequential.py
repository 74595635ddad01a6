"""Sequential and mlp: order of forward, backward and parameters; structure; initialisation."""

import numpy as np
import pytest

from tinynet import (
    ACTIVATIONS,
    Identity,
    LeakyReLU,
    Linear,
    Module,
    MSELoss,
    Parameter,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
    fast,
    mlp,
    named_parameters,
)
from tinynet.model import layers_of


class Affine(Module):
    """y = scale * x + shift, recording each call in a shared log."""

    def __init__(self, name, scale, shift, log):
        self.name, self.scale, self.shift, self.log = name, scale, shift, log

    def forward(self, x):
        self.log.append(("forward", self.name))
        return self.scale * x + self.shift

    def backward(self, grad_output):
        self.log.append(("backward", self.name))
        return self.scale * grad_output


def test_forward_runs_in_order_and_backward_in_reverse():
    log = []
    net = Sequential(Affine("a", 2.0, 1.0, log), Affine("b", 3.0, 0.0, log), Affine("c", 1.0, -5.0, log))
    # ((x * 2 + 1) * 3) - 5 at x = 1: (3 * 3) - 5 = 4. Any other order gives another number.
    np.testing.assert_array_equal(net(np.array([[1.0]])), [[4.0]])
    # dy/dx = 1 * 3 * 2 = 6; each module receives what the one after it returned.
    np.testing.assert_array_equal(net.backward(np.array([[1.0]])), [[6.0]])
    assert log == [("forward", "a"), ("forward", "b"), ("forward", "c"),
                   ("backward", "c"), ("backward", "b"), ("backward", "a")]


def test_parameters_come_in_layer_order():
    first, second = Linear(2, 3), Linear(3, 1, bias=False)
    net = Sequential(first, ReLU(), second)
    params = net.parameters()
    assert len(params) == 3
    assert params[0] is first.weight and params[1] is first.bias and params[2] is second.weight


def test_layers_is_a_list_of_the_modules_given():
    modules = [Linear(2, 3), Tanh(), Linear(3, 1)]
    net = Sequential(*modules)
    assert isinstance(net.layers, list)
    assert len(net.layers) == 3 and all(a is b for a, b in zip(net.layers, modules))


def test_repr_is_readable():
    text = repr(Sequential(Linear(1, 32), ReLU(), Linear(32, 1)))
    assert text.splitlines() == [
        "Sequential(",
        "  (0): Linear(in_features=1, out_features=32, bias=True)",
        "  (1): ReLU()",
        "  (2): Linear(in_features=32, out_features=1, bias=True)",
        ")",
    ]


def test_two_backward_calls_accumulate_and_zero_grad_resets():
    rng = np.random.default_rng(0)
    net = mlp([3, 4, 4, 2], "tanh", seed=3)
    X, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    loss = MSELoss()
    loss(net(X), y)
    grad_output = loss.backward()
    net.backward(grad_output)
    once = [p.grad.copy() for p in net.parameters()]
    assert all(np.any(g != 0) for g in once)
    net.backward(grad_output)
    for p, g in zip(net.parameters(), once):
        np.testing.assert_array_equal(p.grad, 2 * g)
    net.zero_grad()
    for p in net.parameters():
        assert p.grad.shape == p.data.shape
        assert not np.any(p.grad)


def test_backward_before_forward_is_a_clear_error():
    with pytest.raises(AttributeError, match="call forward before backward"):
        mlp([2, 3, 1]).backward(np.ones((1, 1)))


def test_mlp_relu_is_linear_relu_linear_relu_linear():
    net = mlp([1, 32, 32, 1], "relu")
    assert [type(layer) for layer in net.layers] == [fast.Linear, fast.ReLU, fast.Linear, fast.ReLU, fast.Linear]
    sizes = [(layer.in_features, layer.out_features) for layer in net.layers if isinstance(layer, Linear)]
    assert sizes == [(1, 32), (32, 32), (32, 1)]
    assert net(np.zeros((7, 1))).shape == (7, 1)


@pytest.mark.parametrize("activation, cls", [
    ("identity", Identity), ("relu", ReLU), ("sigmoid", Sigmoid), ("tanh", Tanh), ("leaky_relu", LeakyReLU),
])
def test_mlp_puts_the_named_activation_between_linears(activation, cls):
    net = mlp([2, 5, 3], activation)
    assert [type(layer) for layer in net.layers] == [fast.Linear, ACTIVATIONS[activation], fast.Linear]
    assert issubclass(ACTIVATIONS[activation], cls)  # the engine's class, or its fast form


def test_mlp_output_activation_follows_the_last_linear():
    net = mlp([2, 4, 1], "relu", output_activation="sigmoid")
    assert [type(layer) for layer in net.layers] == [fast.Linear, fast.ReLU, fast.Linear, fast.Sigmoid]
    out = net(np.random.default_rng(0).normal(size=(10, 2)))
    assert ((0 < out) & (out < 1)).all()


@pytest.mark.parametrize("init, expected_std", [
    # the default, as torch's nn.Linear: uniform on +-1/sqrt(fan_in), std 1/sqrt(3 * fan_in)
    ("uniform", np.sqrt(1 / (3 * 256))),
    # He: normal with std sqrt(2 / fan_in)
    ("he", np.sqrt(2 / 256)),
    # Xavier: uniform on +-sqrt(6 / (fan_in + fan_out)), std sqrt(2 / (fan_in + fan_out))
    ("xavier", np.sqrt(2 / 512)),
])
@pytest.mark.parametrize("activation", ["relu", "sigmoid", "identity"])
def test_mlp_init_scales(init, expected_std, activation):
    # 256 * 256 weights: the sample std is within about 0.3% of the true one.
    kwargs = {} if init == "uniform" else {"init": init}
    W = mlp([256, 256, 1], activation, **kwargs).layers[0].weight.data
    assert W.std() == pytest.approx(expected_std, rel=0.03)
    xavier_limit = np.sqrt(6 / 512)
    if init == "he":
        assert np.abs(W).max() > xavier_limit  # a normal's tails, not a bounded uniform
    else:
        assert np.abs(W).max() <= (1 / 16 if init == "uniform" else xavier_limit)


def test_mlp_biases_start_uniform_or_at_zero():
    b = mlp([256, 256, 1], "relu").layers[0].bias.data
    assert 0 < np.abs(b).max() <= 1 / 16 and b.std() == pytest.approx(np.sqrt(1 / (3 * 256)), rel=0.1)
    zero = mlp([256, 256, 1], "relu", bias_init="zeros")
    assert all((layer.bias.data == 0).all() for layer in zero if isinstance(layer, Linear))
    with pytest.raises(ValueError, match="bias_init must be one of uniform, zeros"):
        mlp([1, 2, 1], bias_init="normal")


def test_mlp_init_can_be_chosen():
    W = mlp([256, 256, 1], "relu", init="xavier").layers[0].weight.data
    assert W.std() == pytest.approx(np.sqrt(2 / 512), rel=0.03)


def test_mlp_dtype_float32():
    net = mlp([2, 3, 1], "relu", dtype=np.float32)
    assert all(p.data.dtype == np.float32 for p in net.parameters())
    assert net(np.ones((4, 2), dtype=np.float32)).dtype == np.float32


@pytest.mark.parametrize("kwargs, fragment", [
    ({"sizes": [3]}, "at least two"),
    ({"sizes": "12"}, "at least two"),
    ({"sizes": [2, 0, 1]}, r"sizes\[1\]"),
    ({"sizes": [2, 1], "activation": "swish"}, "relu"),
    ({"sizes": [2, 1], "output_activation": "softmax"}, "sigmoid"),
    ({"sizes": [2, 1], "init": "zeros"}, "he"),
    ({"sizes": [2, 1], "dtype": np.float16}, "float32"),
])
def test_mlp_refuses_bad_arguments(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        mlp(**kwargs)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_backward_params_gives_backwards_parameter_gradients_without_dx(activation):
    rng = np.random.default_rng(3)
    X, g = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    full, params_only = mlp([3, 4, 2], activation, seed=1), mlp([3, 4, 2], activation, seed=1)
    full.forward(X)
    params_only.forward(X)
    full.backward(g)
    assert fast.backward_params(params_only, g) is None
    for a, b in zip(full.parameters(), params_only.parameters()):
        np.testing.assert_array_equal(a.grad, b.grad)


def test_a_nested_sequential_is_spliced_into_one_flat_list(tmp_path):
    from tinynet import collapse, fit, load, save

    inner = Sequential(Linear(2, 3, rng=0), Identity())
    net = Sequential(inner, Linear(3, 1, rng=1))
    assert [type(layer) for layer in net] == [Linear, Identity, Linear]
    assert net.layers[0] is inner.layers[0]  # the same layer objects, not copies
    X = np.random.default_rng(0).normal(size=(8, 2))
    fit(net, X, X[:, :1] - X[:, 1:], epochs=3)  # fit finds the first layer's 2 features
    np.testing.assert_allclose(collapse(net)(X), net(X), rtol=1e-12, atol=1e-12)
    save(net, tmp_path / "m.npz")
    np.testing.assert_array_equal(load(tmp_path / "m.npz")(X), net(X))


def test_named_parameters_is_the_one_naming():
    model = mlp([1, 3, 1], "relu", seed=0)
    assert [name for name, _ in named_parameters(model)] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert [p for _, p in named_parameters(model)] == model.parameters()


def test_a_learners_layer_gets_parameters_and_names_from_its_attributes():
    class Scale(Module):
        """y = x * a + c, element-wise, with a learnable a and c."""

        def __init__(self):
            self.a = Parameter(np.ones(2))
            self.c = Parameter(np.zeros(2))

    layer = Scale()
    assert layer.parameters() == [layer.a, layer.c]
    assert [name for name, _ in named_parameters(Sequential(Linear(2, 2), layer))][2:] == ["1.a", "1.c"]


def test_layers_of_a_model_or_a_single_module():
    model = mlp([1, 3, 1])
    assert layers_of(model) == model.layers and layers_of(model[0]) == [model[0]]
