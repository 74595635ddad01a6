"""Optimizers: turn gradients into parameter updates.

Each optimizer takes ``model.parameters()`` and updates ``p.data`` in place,
so every reference to a Parameter stays valid. The state it needs (momentum,
Adam's m and v) lives here, aligned with the parameters, never on the layers.

Both work on all parameters at once, as one long vector (see
``tinynet.engine.flat``): the formulas are the same as for one parameter, and a
step costs a few array operations instead of a Python loop. A layer may add
to ``p.grad`` or assign it, and ``p.data`` may be given a new array at any
time: ``step`` updates whatever array ``p.data`` holds, in place.
"""

import numpy as np

from .flat import FlatParameters
from .parameter import Parameter
from .validate import positive_float, unit_interval


class Optimizer:
    """Holds the parameter list and their flat ``data`` and ``grad`` vectors.

    ``lr`` is the learning rate of the next ``step``: set it between steps
    to follow a schedule (``fit`` does, every epoch). ``snapshot`` and
    ``restore`` save and put back every parameter's values, for a caller
    that wants to undo steps (``fit`` rolls back a step whose loss is NaN).
    """

    def __init__(self, params):
        self.params: list[Parameter] = list(params)
        self.flat = FlatParameters(self.params)
        # the formulas below read and write these two vectors (views of the parameters when they share storage)
        self.data, self.grad = self.flat.data, self.flat.grad

    def zero_grad(self) -> None:
        """Set every gradient to zero (one write over the flat gradient vector)."""
        self.flat.zero_grad()

    def snapshot(self, out: np.ndarray | None = None) -> np.ndarray:
        """A copy of every parameter's values, one after another: (sum of the parameters' sizes,).

        With ``out`` (an earlier snapshot) the copy is written there, and no new array is made.
        """
        self.flat.gather()  # the parameters' own arrays, wherever they are
        if out is None:
            return self.data.copy()
        np.copyto(out, self.data)
        return out

    def restore(self, snapshot: np.ndarray) -> None:
        """Put back the values of an earlier ``snapshot``, in place in every parameter's array."""
        outside = self.flat.gather()
        self.data[...] = snapshot
        self.flat.scatter(outside)

    def step(self) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum (as torch.optim.SGD):

        velocity = momentum * velocity + grad     (velocity starts at 0)
        data     = data - lr * velocity

    With momentum = 0 this is plain data -= lr * grad.

    >>> p = Parameter(np.array([1.0, 2.0])); p.grad[...] = [0.5, -1.0]
    >>> SGD([p], lr=0.1).step(); p.data           # data - lr * grad
    array([0.95, 2.1 ])
    """

    def __init__(self, params, lr: float, momentum: float = 0.0):
        super().__init__(params)
        self.lr = positive_float(lr, "lr")
        self.momentum = unit_interval(momentum, "momentum")
        self.velocity = np.zeros_like(self.data) if self.momentum else None
        self.scratch = np.empty_like(self.data)  # reused every step: no new arrays on the hot path

    def step(self) -> None:
        outside = self.flat.gather()  # gradients a layer assigned, data given a new array: copied in
        direction = self.grad
        if self.velocity is not None:
            self.velocity *= self.momentum
            self.velocity += self.grad
            direction = self.velocity
        np.multiply(direction, self.lr, out=self.scratch)  # lr * direction
        self.data -= self.scratch
        self.flat.scatter(outside)  # and the new values copied back out

    def __repr__(self) -> str:
        return f"SGD(lr={self.lr}, momentum={self.momentum})"


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1):

        t     = t + 1
        m     = beta1 * m + (1 - beta1) * grad          first moment: a running mean
        v     = beta2 * v + (1 - beta2) * grad**2       second moment: running mean of squares
        m_hat = m / (1 - beta1**t)                      bias correction: m and v start at 0,
        v_hat = v / (1 - beta2**t)                      so early averages are too small
        data  = data - lr * m_hat / (sqrt(v_hat) + eps)

    Each parameter's step is about lr in size whatever the scale of its
    gradient, which is why Adam needs little tuning.

    >>> p = Parameter(np.array([1.0])); p.grad[...] = 3.0
    >>> Adam([p], lr=0.1).step(); p.data          # the first step is lr, whatever the gradient's size
    array([0.9])
    """

    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8):
        super().__init__(params)
        self.lr = positive_float(lr, "lr")
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.beta1 = unit_interval(betas[0], "betas[0]")
        self.beta2 = unit_interval(betas[1], "betas[1]")
        self.eps = positive_float(eps, "eps")
        self.t = 0
        self.m = np.zeros_like(self.data)
        self.v = np.zeros_like(self.data)
        self.scratch = np.empty_like(self.data)  # reused every step: no new arrays on the hot path

    def step(self) -> None:
        outside = self.flat.gather()  # gradients a layer assigned, data given a new array: copied in
        b1, b2, g, tmp = self.beta1, self.beta2, self.grad, self.scratch
        self.t += 1
        # m = b1 * m + (1 - b1) * g, in place
        self.m *= b1
        np.multiply(g, 1 - b1, out=tmp)
        self.m += tmp
        # v = b2 * v + (1 - b2) * g**2, in place
        self.v *= b2
        np.multiply(g, g, out=tmp)
        tmp *= 1 - b2
        self.v += tmp
        # bias correction: m and v start at 0, so early averages are too small
        m_correction = 1 - b1**self.t  # m_hat = m / m_correction
        v_correction = 1 - b2**self.t  # v_hat = v / v_correction
        # data -= lr * m_hat / (sqrt(v_hat) + eps), built up in tmp
        np.divide(self.v, v_correction, out=tmp)  # v_hat
        np.sqrt(tmp, out=tmp)  # sqrt(v_hat)
        tmp += self.eps  # sqrt(v_hat) + eps
        np.divide(self.m, tmp, out=tmp)  # m / (sqrt(v_hat) + eps)
        tmp *= self.lr / m_correction  # lr * m_hat / (sqrt(v_hat) + eps)
        self.data -= tmp  # the only write to data: an interrupt never leaves it half-updated
        self.flat.scatter(outside)  # and the new values copied back out

    def __repr__(self) -> str:
        return f"Adam(lr={self.lr}, betas=({self.beta1}, {self.beta2}), eps={self.eps})"


OPTIMIZERS = {"sgd": SGD, "adam": Adam}
