"""The engine's layers, faster: each trick beside the plain line it replaces, and what it gains.

Every class here is the engine's class of the same name with ``forward`` or
``backward`` rewritten for speed; the math is the same, so a fast layer is
an engine layer (``isinstance(fast.Linear(1, 2), tinynet.engine.Linear)``)
and tests/test_fast.py checks that training with them equals training with
the plain ones to 1e-12 after hundreds of steps. ``mlp`` and ``load`` build
these; a Sequential may mix them with plain layers and a learner's own.

Times are per call on one core (benchmarks/ shapes S1-S4; see
benchmarks/PERFORMANCE.md for the step as a whole).
"""

from functools import lru_cache

import numpy as np

from ..engine import activations, linear, losses
from ..model import layers_of


class Linear(linear.Linear):
    """``tinynet.engine.Linear`` (y = x @ W + b), with cheaper products and ``backward_params``."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        # plain: y = x @ W + b. np.dot is the same BLAS call with less overhead per call: the (N, 1) @ (1, out)
        # product of a one-feature input is 3-6x faster (S1: 3.4 -> 1.1 us; the S1 step 10-14% faster)
        y = np.dot(x, self.weight.data)
        if self.bias is not None:
            y += self.bias.data  # plain: y + b, a second (N, out) array; y is ours to add to in place
        return y

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        self.backward_params(grad_output)
        return np.dot(grad_output, self.weight.data.T)

    def backward_params(self, grad_output: np.ndarray) -> None:
        """backward without dL/dx: for the first layer, whose input is the data and whose dL/dx nobody uses.

        Skipping it saves a product as large as the layer's forward (the S4 step, 784 inputs, 1.2x faster).
        """
        self.weight.grad += np.dot(self.x.T, grad_output)
        if self.bias is not None:
            # plain: grad_output.sum(axis=0). The same sums (up to rounding) as one matrix-vector product,
            # ones @ grad_output, 2-3x faster: S1 2.1 -> 0.7 us (the S1 step 5% faster), S4 36 -> 14 us
            self.bias.grad += np.dot(_ones(grad_output.shape[0], grad_output.dtype), grad_output)


@lru_cache(maxsize=8)
def _ones(n: int, dtype: np.dtype) -> np.ndarray:
    """A read-only vector of n ones, made once per (n, dtype) and shared."""
    ones = np.ones(n, dtype=dtype)
    ones.flags.writeable = False
    return ones


class ReLU(activations.ReLU):
    """``tinynet.engine.ReLU`` (y = max(x, 0)), keeping a zeros array between calls."""

    # plain: np.maximum(x, 0). numpy's fast loop needs two whole arrays, so for training-sized batches
    # keep a zeros array: 1.8-2.7x faster ((64, 32): 1.5 -> 0.6 us; (512, 512): 99 -> 36 us, float32), up
    # to ZEROS_KEPT values, so that a large prediction leaves nothing behind. Zeros of the last batch's
    # shape, made again when the shape changes (a smaller last batch, a validation set): the first rows
    # of a larger batch's zeros, zeros[:n], cost a slice and its checks every call (the S1 step 2.5 % slower)
    ZEROS_KEPT = 2**20
    zeros = None  # the kept zeros: none before the first call (a class attribute, so no lookup misses)

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.mask = x > 0
        zeros = self.zeros
        if zeros is None or zeros.shape != x.shape or zeros.dtype != x.dtype:
            if x.size > self.ZEROS_KEPT:
                return np.maximum(x, 0)
            zeros = self.zeros = np.zeros_like(x)
        return np.maximum(x, zeros)


class Sigmoid(activations.Sigmoid):
    """``tinynet.engine.Sigmoid`` (s = 1 / (1 + exp(-x))), computed in one array."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        # plain: 1 / (1 + np.exp(-x)), three arrays; here one, updated in place (S2 forward 1.4x faster)
        with np.errstate(over="ignore", under="ignore"):
            s = np.exp(-x)
        s += 1
        np.reciprocal(s, out=s)
        self.s = s
        return s


class Tanh(activations.Tanh):
    """``tinynet.engine.Tanh`` (t = tanh(x)), as 1 - 2 / (exp(2x) + 1)."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        # plain: np.tanh(x), 2x slower without AVX-512 (250 against 130 us for (512, 32)). Near 0 this is
        # exact to 1e-16 absolute, not relative; above x = 355 exp(2x) is inf and t = 1, the limit
        with np.errstate(over="ignore", under="ignore"):
            t = np.exp(x * 2)
        t += 1
        np.divide(-2, t, out=t)
        t += 1
        self.t = t
        return t


def backward_params(model, grad_output: np.ndarray) -> None:
    """``model.backward(grad_output)`` for training: every parameter gradient, but no dL/dX for the data.

    plain: model.backward(grad_output), whose first layer also computes dL/dX = grad_output @ W.T.
    A first layer without ``backward_params`` (a learner's own) runs its whole backward.
    """
    layers = layers_of(model)
    for layer in reversed(layers[1:]):
        grad_output = layer.backward(grad_output)
    first = layers[0]
    if isinstance(first, Linear):
        first.backward_params(grad_output)
    else:
        first.backward(grad_output)


def train_step(model, loss_fn, optimizer, X: np.ndarray, y: np.ndarray) -> float:
    """``tinynet.engine.train_step``, with ``backward_params`` for backward."""
    loss = loss_fn(model(X), y)
    optimizer.zero_grad()
    backward_params(model, loss_fn.backward())
    optimizer.step()
    return loss


class MSELoss(losses.MSELoss):
    """``tinynet.engine.MSELoss`` (mean((prediction - target)**2)), in fewer numpy calls."""

    def forward(self, prediction: np.ndarray, target: np.ndarray) -> float:
        self.diff = diff = prediction - target
        # plain: np.mean(diff**2), a squared array and a mean (whose overhead is 3-4 us on small arrays);
        # vdot sums the squares in one call: the S1 step (batch 64) about 10 % faster with the backward below
        return float(np.vdot(diff, diff)) / diff.size

    def backward(self) -> np.ndarray:
        return self.diff * (2.0 / self.diff.size)  # plain: 2 * diff / diff.size, two passes over diff
