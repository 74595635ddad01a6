"""Activations: the element-wise functions between Linear layers.

Each is a Module with no parameters. Its backward multiplies grad_output by
the activation's derivative, element by element (the chain rule for a
function applied to each entry on its own), and saves only what that needs.

Shape, for all of them: x: (N, D) -> y: (N, D); grad_output (N, D) -> grad_input (N, D).
Identity makes a network one affine map; ReLU and LeakyReLU piecewise linear (Montufar
et al., 2014, "On the Number of Linear Regions of Deep Neural Networks"); Sigmoid, Tanh smooth.
"""

import numpy as np

from .module import Module


class Identity(Module):
    """y = x.  dL/dx = grad_output.

    A network with only Identity activations collapses to one Linear layer:
    there is nothing between the matrix products to stop them multiplying out.

    >>> Identity()(np.array([[-2.0, 3.0]]))
    array([[-2.,  3.]])
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        return x

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        return grad_output


class ReLU(Module):
    """y = max(x, 0).  dL/dx = grad_output * (x > 0).

    For x > 0 it is the identity, for x <= 0 it is zero: each unit switches a
    linear piece on or off, and that switching is what makes a ReLU network
    more than linear regression. The derivative at exactly 0 is taken as 0.

    >>> ReLU()(np.array([[-2.0, 3.0]]))
    array([[0., 3.]])
    """

    def forward(self, x: np.ndarray) -> np.ndarray:  # exercise: relu-backward
        self.mask = x > 0  # where the unit is on: the derivative is 1 there, 0 elsewhere
        return np.maximum(x, 0)

    def backward(self, grad_output: np.ndarray) -> np.ndarray:  # exercise: relu-backward
        return grad_output * self.mask


class LeakyReLU(Module):
    """y = x if x > 0 else negative_slope * x.  dL/dx = grad_output * (1 if x > 0 else negative_slope).

    Like ReLU, but a unit never goes fully silent, so it can never "die"
    (stop receiving gradient). Still piecewise linear.

    >>> LeakyReLU(0.1)(np.array([[-2.0, 3.0]]))
    array([[-0.2,  3. ]])
    """

    def __init__(self, negative_slope: float = 0.01):
        self.negative_slope = negative_slope

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.mask = x > 0
        return np.where(self.mask, x, self.negative_slope * x)

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        return np.where(self.mask, grad_output, self.negative_slope * grad_output)

    def __repr__(self) -> str:
        return f"LeakyReLU(negative_slope={self.negative_slope})"


class Sigmoid(Module):
    """y = s = 1 / (1 + exp(-x)).  dL/dx = grad_output * s * (1 - s): backward needs only the output s.

    >>> Sigmoid()(np.array([[0.0]]))
    array([[0.5]])
    """

    def forward(self, x: np.ndarray) -> np.ndarray:  # exercise: sigmoid-backward
        with np.errstate(over="ignore", under="ignore"):  # x < -709: exp(-x) = inf, s = 1 / inf = 0: the limit
            self.s = 1 / (1 + np.exp(-x))
        return self.s

    def backward(self, grad_output: np.ndarray) -> np.ndarray:  # exercise: sigmoid-backward
        return grad_output * self.s * (1 - self.s)


class Tanh(Module):
    """y = t = tanh(x).  dL/dx = grad_output * (1 - t**2): backward needs only the output t.

    >>> Tanh()(np.array([[0.0]]))
    array([[0.]])
    """

    def forward(self, x: np.ndarray) -> np.ndarray:  # exercise: tanh-backward
        self.t = np.tanh(x)
        return self.t

    def backward(self, grad_output: np.ndarray) -> np.ndarray:  # exercise: tanh-backward
        return grad_output * (1 - self.t**2)
