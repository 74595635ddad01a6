"""The solutions that are not in the engine, marked as the engine's are: ``# exercise: NAME`` on a def line.

PlainSGD is the engine's SGD before momentum and weight decay; SiLU a layer
tinynet does not have; TwoLayerNet a whole network with its backward written
out in one method, the form in which exercise find-the-bug hands it over with
one line wrong.
"""

import numpy as np

from ..engine import Module, Optimizer, Parameter


class PlainSGD(Optimizer):
    """Plain gradient descent: data = data - lr * grad, for every parameter.

    The gradient points the way the loss grows fastest, so the step goes
    against it; lr (the learning rate) says how far. The update is in place
    (``-=``): the layer, the optimizer and anything else holding p.data keep
    seeing one array.

    >>> p = Parameter(np.array([1.0, 2.0])); p.grad[...] = [0.5, -1.0]
    >>> PlainSGD([p], lr=0.1).step(); p.data           # data - lr * grad
    array([0.95, 2.1 ])
    """

    def step(self) -> None:  # exercise: sgd-step
        for p in self.params:
            p.data -= self.lr * p.grad


class SiLU(Module):
    """y = x * s, s = sigmoid(x) = 1 / (1 + exp(-x)).  dL/dx = grad_output * (s + x * s * (1 - s)).

    SiLU (or swish): smooth like sigmoid, unbounded above like ReLU, a little
    below 0 for negative x. Its derivative is the product rule on x times
    s(x): d/dx (x * s) = 1 * s + x * ds/dx, and ds/dx = s * (1 - s).

    Shape: x (N, D) -> y (N, D); grad_output (N, D) -> grad_input (N, D).

    ``name`` is what tinynet knows it by once registered: after
    ``tinynet.register_activation(SiLU)``, ``tinynet.mlp([1, 16, 1], "silu")``
    builds nets with it (exercise silu-layer's check does just that).

    >>> SiLU()(np.array([[0.0, 1.0]])).round(4)
    array([[0.    , 0.7311]])
    """

    name = "silu"

    def forward(self, x: np.ndarray) -> np.ndarray:  # exercise: silu-layer
        with np.errstate(over="ignore"):  # x < -709: exp(-x) = inf and s = 0, the limit
            self.s = 1 / (1 + np.exp(-x))
        self.x = x  # the product rule needs both x and s
        return x * self.s

    def backward(self, grad_output: np.ndarray) -> np.ndarray:  # exercise: silu-layer
        s = self.s
        return grad_output * (s + self.x * s * (1 - s))


class TwoLayerNet(Module):
    """A whole network in one class, its backward written out by hand: y = tanh(x @ W1 + b1) @ W2 + b2.

    The way many courses write a first network, every derivative in one
    method; tinynet splits the same math into Linear, Tanh and Linear.

    Shape: x (N, in_features) -> h (N, hidden) -> y (N, out_features).

    Backward, given grad_output = dL/dy (N, out_features), in the order its lines run
    (z = x @ W1 + b1 and h = tanh(z)):
        dL/dW2 = h.T @ grad_output              (hidden, out_features)
        dL/db2 = grad_output.sum(axis=0)        (out_features,)
        dL/dh  = grad_output @ W2.T             (N, hidden)
        dL/dz  = dL/dh * (1 - h**2)             (N, hidden)
        dL/dW1 = x.T @ dL/dz                    (in_features, hidden)
        dL/db1 = dL/dz.sum(axis=0)              (hidden,)
        dL/dx  = dL/dz @ W1.T                   (N, in_features), returned

    Initialisation: as Linear's, uniform on +-1/sqrt(fan_in). ``rng``: a seed or a Generator.

    >>> net = TwoLayerNet(3, 5, 2, rng=0)
    >>> net(np.zeros((4, 3))).shape
    (4, 2)
    """

    def __init__(self, in_features: int, hidden: int, out_features: int, *, rng=None):
        rng = np.random.default_rng(rng)
        a, b = 1 / np.sqrt(in_features), 1 / np.sqrt(hidden)
        self.W1 = Parameter(rng.uniform(-a, a, size=(in_features, hidden)))
        self.b1 = Parameter(rng.uniform(-a, a, size=hidden))
        self.W2 = Parameter(rng.uniform(-b, b, size=(hidden, out_features)))
        self.b2 = Parameter(rng.uniform(-b, b, size=out_features))

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        self.h = np.tanh(x @ self.W1.data + self.b1.data)  # (N, hidden)
        return self.h @ self.W2.data + self.b2.data  # (N, out_features)

    def backward(self, grad_output: np.ndarray) -> np.ndarray:  # exercise: find-the-bug
        self.W2.grad += self.h.T @ grad_output
        self.b2.grad += grad_output.sum(axis=0)
        dh = grad_output @ self.W2.data.T
        dz = dh * (1 - self.h**2)
        self.W1.grad += self.x.T @ dz
        self.b1.grad += dz.sum(axis=0)
        return dz @ self.W1.data.T
