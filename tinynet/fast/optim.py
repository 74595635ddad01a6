"""The engine's optimizers, faster: every parameter updated at once, as one flat vector.

plain: ``tinynet.engine.optim``, the same formulas in a loop over the
parameters. Adam's update is a dozen numpy calls; once per parameter array
that is most of a small net's step (a call costs about a microsecond however
small its arrays), once over one long vector it is a dozen in all: the S1
step 1.7x faster, S4 (large arrays) the same. tests/test_fast.py checks
that both give the same parameters after hundreds of steps.

A layer may add to ``p.grad`` or assign it, and ``p.data`` may be given a
new array at any time: ``step`` updates whatever array ``p.data`` holds, in
place (see ``flat``). The arguments are checked here, where a name from
``fit`` or the command line becomes an optimizer.
"""

import numpy as np

from ..checks import non_negative_float, positive_float, unit_interval
from ..engine import optim
from ..engine.module import Parameter
from .flat import FlatParameters


class Optimizer(optim.Optimizer):
    """``tinynet.engine.Optimizer`` on the parameters' flat ``data`` and ``grad`` vectors (see ``flat``)."""

    def __init__(self, params):
        self.params: list[Parameter] = list(params)
        self.flat = FlatParameters(self.params)
        # the formulas below read and write these two vectors (views of the parameters when they share storage)
        self.data, self.grad = self.flat.data, self.flat.grad

    def zero_grad(self) -> None:
        """Set every gradient to zero (one write over the flat gradient vector)."""
        self.flat.zero_grad()

    def _gradient(self) -> np.ndarray:
        """grad, or grad + weight_decay * data (L2) in ``decayed``, a vector of its own made with the optimizer."""
        if not self.weight_decay:
            return self.grad
        np.multiply(self.data, self.weight_decay, out=self.decayed)
        self.decayed += self.grad
        return self.decayed


class SGD(Optimizer):
    """``tinynet.engine.SGD`` (momentum, L2 weight decay) on the flat vector.

    >>> p = Parameter(np.array([1.0, 2.0])); p.grad[...] = [0.5, -1.0]
    >>> SGD([p], lr=0.1).step(); p.data           # data - lr * grad
    array([0.95, 2.1 ])
    """

    def __init__(self, params, lr: float, momentum: float = 0.0, weight_decay: float = 0.0):
        super().__init__(params)
        self.lr = positive_float(lr, "lr")
        self.momentum = unit_interval(momentum, "momentum")
        self.weight_decay = non_negative_float(weight_decay, "weight_decay")
        self.decayed = np.empty_like(self.data) if self.weight_decay else None
        self.velocity = np.zeros_like(self.data) if self.momentum else None
        self.scratch = np.empty_like(self.data)  # reused every step: no new arrays on the hot path

    def step(self) -> None:
        outside = self.flat.gather()  # gradients a layer assigned, data given a new array: copied in
        direction = self._gradient()
        if self.velocity is not None:
            self.velocity *= self.momentum
            self.velocity += direction
            direction = self.velocity
        np.multiply(direction, self.lr, out=self.scratch)  # lr * direction
        self.data -= self.scratch
        self.flat.scatter(outside)  # and the new values copied back out

    def __repr__(self) -> str:
        return f"SGD(lr={self.lr}, momentum={self.momentum}, weight_decay={self.weight_decay})"


class Adam(Optimizer):
    """``tinynet.engine.Adam`` (L2 weight decay), on the flat vector, in place with one scratch vector.

    >>> p = Parameter(np.array([1.0])); p.grad[...] = 3.0
    >>> Adam([p], lr=0.1).step(); p.data          # the first step is lr, whatever the gradient's size
    array([0.9])
    """

    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0):
        super().__init__(params)
        self.weight_decay = non_negative_float(weight_decay, "weight_decay")
        self.decayed = np.empty_like(self.data) if self.weight_decay else None
        self.decay = 0.0  # AdamW's decoupled weight decay
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
        b1, b2, g, tmp = self.beta1, self.beta2, self._gradient(), self.scratch
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
        if self.decay:  # AdamW: + lr * weight_decay * data, in the same single write
            tmp += self.lr * self.decay * self.data
        self.data -= tmp  # the only write to data: an interrupt never leaves it half-updated
        self.flat.scatter(outside)  # and the new values copied back out

    def __repr__(self) -> str:
        return f"Adam(lr={self.lr}, betas=({self.beta1}, {self.beta2}), eps={self.eps}, weight_decay={self.weight_decay})"


class AdamW(Adam):
    """``tinynet.engine.AdamW`` (decoupled weight decay), on the flat vector."""

    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.01):
        super().__init__(params, lr, betas, eps)
        self.decay = non_negative_float(weight_decay, "weight_decay")

    def __repr__(self) -> str:
        return f"AdamW(lr={self.lr}, betas=({self.beta1}, {self.beta2}), eps={self.eps}, weight_decay={self.decay})"


OPTIMIZERS = {"sgd": SGD, "adam": Adam, "adamw": AdamW}
