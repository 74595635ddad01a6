"""Optimizers: turn gradients into parameter updates.

Each takes ``model.parameters()`` and updates every ``p.data`` in place, so
every reference to a parameter's array stays valid. The state it needs
(momentum's velocity, Adam's m and v) lives here, one array per parameter,
never on the layers.
"""

import numpy as np


class Optimizer:
    """Holds the parameters; ``zero_grad`` clears their gradients, ``step`` updates them with ``lr``."""

    def __init__(self, params, lr: float):
        self.params = list(params)
        self.lr = lr

    def zero_grad(self) -> None:
        for p in self.params:
            p.zero_grad()

    def step(self) -> None:
        raise NotImplementedError(f"{type(self).__name__} does not define step")


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum (as torch.optim.SGD):

        grad     = grad + weight_decay * data     L2: the gradient of weight_decay / 2 * data**2
        velocity = momentum * velocity + grad     (velocity starts at 0)
        data     = data - lr * velocity

    With momentum = 0 and weight_decay = 0 this is plain data -= lr * grad.

    >>> p = Parameter(np.array([1.0, 2.0])); p.grad[...] = [0.5, -1.0]
    >>> SGD([p], lr=0.1).step(); p.data           # data - lr * grad
    array([0.95, 2.1 ])
    """

    def __init__(self, params, lr: float, momentum: float = 0.0, weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.momentum, self.weight_decay = momentum, weight_decay
        self.velocity = [np.zeros_like(p.data) for p in self.params]

    def step(self) -> None:  # exercise: sgd-momentum
        for p, velocity in zip(self.params, self.velocity):
            velocity *= self.momentum
            velocity += p.grad + self.weight_decay * p.data
            p.data -= self.lr * velocity

    def __repr__(self) -> str:
        return f"SGD(lr={self.lr}, momentum={self.momentum}, weight_decay={self.weight_decay})"


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1):

        t     = t + 1
        grad  = grad + weight_decay * data              L2, as in SGD (AdamW decays data instead)
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

    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.beta1, self.beta2 = betas
        self.eps, self.weight_decay = eps, weight_decay
        self.t = 0
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]

    def step(self) -> None:  # exercise: adam-step
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        for p, m, v in zip(self.params, self.m, self.v):
            grad = p.grad + self.weight_decay * p.data
            m[...] = b1 * m + (1 - b1) * grad
            v[...] = b2 * v + (1 - b2) * grad**2
            m_hat = m / (1 - b1**self.t)
            v_hat = v / (1 - b2**self.t)
            p.data -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)

    def __repr__(self) -> str:
        return f"Adam(lr={self.lr}, betas=({self.beta1}, {self.beta2}), eps={self.eps}, weight_decay={self.weight_decay})"


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019, as torch.optim.AdamW):

        data = data * (1 - lr * weight_decay)      then Adam's step on the gradient alone: an L2 term in
                                                   Adam is divided by sqrt(v_hat) (large gradients, little decay)
    """

    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.01):
        super().__init__(params, lr, betas, eps)
        self.decay = weight_decay

    def step(self) -> None:
        for p in self.params:
            p.data *= 1 - self.lr * self.decay
        super().step()

    def __repr__(self) -> str:
        return f"AdamW(lr={self.lr}, betas=({self.beta1}, {self.beta2}), eps={self.eps}, weight_decay={self.decay})"
