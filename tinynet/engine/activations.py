"""Activations: the element-wise functions between Linear layers.

Each is a Module with no parameters. Its backward multiplies grad_output by
the activation's derivative, element by element (the chain rule for a
function applied to each entry on its own), and caches only what that needs.

Shape, for all of them: x: (N, D) -> y: (N, D); grad_output (N, D) -> grad_input (N, D).
Identity makes a network one affine map; ReLU and LeakyReLU piecewise linear (Montufar
et al., 2014, "On the Number of Linear Regions of Deep Neural Networks"); Sigmoid, Tanh smooth.
"""

import numbers

import numpy as np

from .module import Module
from .registry import ACTIVATIONS, get_activation, register_activation

__all__ = ["ACTIVATIONS", "Identity", "LeakyReLU", "ReLU", "Sigmoid", "Tanh", "get_activation", "register_activation"]


@register_activation
class Identity(Module):
    """y = x.  dL/dx = grad_output.

    A network with only Identity activations collapses to one Linear layer:
    there is nothing between the matrix products to stop them multiplying out.

    Shape: x (N, D) -> y (N, D); grad_output (N, D) -> grad_input (N, D).

    >>> Identity()(np.array([[-2.0, 3.0]]))
    array([[-2.,  3.]])
    """

    name, piecewise_linear = "identity", True
    formula, derivative = "{y} = {x}", "dL/d{x} = dL/d{y}"

    def forward(self, x: np.ndarray) -> np.ndarray:
        return x

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        return grad_output

    def slopes(self) -> tuple[float, float]:
        return 1.0, 1.0


@register_activation
class ReLU(Module):
    """y = max(x, 0).  dL/dx = grad_output * (x > 0).

    For x > 0 it is the identity, for x <= 0 it is zero: each unit switches a
    linear piece on or off, and that switching is what makes a ReLU network
    more than linear regression. The derivative at exactly 0 is taken as 0.
    Caches the mask (x > 0): the derivative is 1 where it is True, else 0.

    Shape: x (N, D) -> y (N, D); grad_output (N, D) -> grad_input (N, D).

    >>> ReLU()(np.array([[-2.0, 3.0]]))
    array([[0., 3.]])
    """

    # Obvious form: np.maximum(x, 0). numpy's SIMD loop needs two whole arrays, so for
    # training-sized batches we keep zeros: 2-3x faster ((64, 32): 3.9 -> 1.7 us; (512, 512):
    # 154 -> 45 us), up to ZEROS_KEPT values: a large prediction leaves nothing behind.
    ZEROS_KEPT = 2**20
    name, piecewise_linear = "relu", True
    formula, derivative = "{y} = max({x}, 0)", "dL/d{x} = dL/d{y} * ({x} > 0)"

    def __init__(self):
        self.mask = None
        self.zeros = None  # never written; kept between calls for batches up to ZEROS_KEPT elements

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.mask = x > 0
        if x.size > self.ZEROS_KEPT:
            return np.maximum(x, 0)
        n = x.shape[0]
        if self.zeros is None or self.zeros.shape[0] < n or self.zeros.shape[1:] != x.shape[1:] \
                or self.zeros.dtype != x.dtype:
            self.zeros = np.zeros_like(x)  # the largest such batch so far: smaller ones use its first rows
        return np.maximum(x, self.zeros[:n])

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        return grad_output * self._saved(self.mask, "mask")

    def slopes(self) -> tuple[float, float]:  # x < 0: off; x > 0: on
        return 0.0, 1.0


@register_activation
class LeakyReLU(Module):
    """y = x if x > 0 else negative_slope * x.

    dL/dx = grad_output * (1 if x > 0 else negative_slope).
    Like ReLU, but a unit never goes fully silent, so it can never "die"
    (stop receiving gradient). Still piecewise linear. Caches the mask (x > 0).

    Shape: x (N, D) -> y (N, D); grad_output (N, D) -> grad_input (N, D).

    >>> LeakyReLU(0.1)(np.array([[-2.0, 3.0]]))
    array([[-0.2,  3. ]])
    """

    name, piecewise_linear = "leaky_relu", True
    formula = "{y} = where({x} > 0, {x}, {negative_slope:g} * {x})"
    derivative = "dL/d{x} = dL/d{y} * where({x} > 0, 1, {negative_slope:g})"

    def __init__(self, negative_slope: float = 0.01):
        if isinstance(negative_slope, bool) or not isinstance(negative_slope, numbers.Real) \
                or not np.isfinite(negative_slope):
            raise ValueError(f"negative_slope must be a finite number, got {negative_slope!r}")
        self.negative_slope = float(negative_slope)
        self.mask = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.mask = x > 0
        return np.where(self.mask, x, x * self.negative_slope)

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        mask = self._saved(self.mask, "mask")
        return np.where(mask, grad_output, grad_output * self.negative_slope)

    def slopes(self) -> tuple[float, float]:
        return self.negative_slope, 1.0

    def config(self) -> dict:
        return {"negative_slope": self.negative_slope}

    def __repr__(self) -> str:
        return f"LeakyReLU(negative_slope={self.negative_slope})"


@register_activation
class Sigmoid(Module):
    """y = s(x) = 1 / (1 + exp(-x)).  dL/dx = grad_output * s * (1 - s).

    Caches the output s: the derivative is written in terms of it. Below
    x = -709 (float64) exp(-x) overflows to inf and s = 1 / inf = 0, the right
    limit, so the warning is silenced. (0.5 + 0.5 * tanh(x / 2) never
    overflows, but numpy's tanh is 2.5x slower than its exp without AVX-512.)

    Shape: x (N, D) -> y (N, D); grad_output (N, D) -> grad_input (N, D).

    >>> Sigmoid()(np.array([[0.0]]))
    array([[0.5]])
    """

    name = "sigmoid"
    formula, derivative = "{y} = 1 / (1 + exp(-{x}))", "dL/d{x} = dL/d{y} * {y} * (1 - {y})"

    def __init__(self):
        self.s = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore", under="ignore"):  # exp(-x) -> inf or 0: both give the right s
            s = np.exp(-x)
        s += 1
        np.reciprocal(s, out=s)
        self.s = s
        return s

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        s = self._saved(self.s, "output s")
        return grad_output * s * (1 - s)


@register_activation
class Tanh(Module):
    """y = t = tanh(x).  dL/dx = grad_output * (1 - t**2).

    Caches the output t: the derivative is written in terms of it. Computed
    as 1 - 2 / (exp(2x) + 1): the plain np.tanh(x) is 2x slower without
    AVX-512 (250 against 130 us for (512, 32)). Near 0 it is exact to 1e-16
    absolute, not relative; above x = 355 exp(2x) is inf and t = 1, the limit.

    Shape: x (N, D) -> y (N, D); grad_output (N, D) -> grad_input (N, D).

    >>> Tanh()(np.array([[0.0]]))
    array([[0.]])
    """

    name = "tanh"
    formula, derivative = "{y} = tanh({x})", "dL/d{x} = dL/d{y} * (1 - {y}**2)"

    def __init__(self):
        self.t = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore", under="ignore"):  # exp(2x) -> inf or 0: both give the right t
            t = np.exp(x * 2)
        t += 1
        np.divide(-2, t, out=t)
        t += 1
        self.t = t
        return t

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        t = self._saved(self.t, "output t")
        return grad_output * (1 - t * t)
