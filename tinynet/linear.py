"""Linear: the affine map y = x @ W + b, the only layer with parameters.

A stack of Linear layers alone is still one affine map (see ``collapse``):
everything non-linear a network can do comes from the activations between them.
"""

import numpy as np

from .init import as_generator, init_weight
from .module import Module
from .parameter import Parameter
from .validate import float_dtype, positive_int


class Linear(Module):
    """Affine layer: y = x @ W + b.

    Shape:
        x: (N, in_features) -> y: (N, out_features)
        W = weight.data: (in_features, out_features)
        b = bias.data: (out_features,), added to every row

    Torch's ``nn.Linear`` stores the transpose, (out_features, in_features),
    and computes x @ W.T + b. tinynet keeps W the way the formula reads.

    Backward, given grad_output = dL/dy of shape (N, out_features):
        dL/dW = x.T @ grad_output            (in_features, out_features)
        dL/db = grad_output.sum(axis=0)      (out_features,)
        dL/dx = grad_output @ W.T            (N, in_features), returned
    Why: y[n, j] = sum_i x[n, i] W[i, j] + b[j], so W[i, j] touches every
    sample n through x[n, i]; b[j] touches every sample with weight 1.
    dL/dW and dL/db are added to ``weight.grad`` and ``bias.grad``.

    Initialisation: W from ``init`` ("he" or "xavier", see ``tinynet.init``;
    default "xavier"), drawn from ``rng`` (a Generator or a seed); b = 0.
    """

    def __init__(self, in_features: int, out_features: int, *, bias: bool = True,
                 init: str | None = None, rng=None, dtype=np.float64):
        self.in_features = positive_int(in_features, "in_features")
        self.out_features = positive_int(out_features, "out_features")
        dtype = float_dtype(dtype)
        W = init_weight(self.in_features, self.out_features, init or "xavier", as_generator(rng), dtype)
        self.weight = Parameter(W)
        self.bias = Parameter(np.zeros(self.out_features, dtype=dtype)) if bias else None
        self.x = None  # the input, saved by forward: dL/dW needs it

    def forward(self, x: np.ndarray) -> np.ndarray:
        if x.ndim != 2 or x.shape[1] != self.in_features:
            raise ValueError(
                f"Linear expects input of shape (N, {self.in_features}), got {x.shape}"
                + (": use x.reshape(-1, 1) for one feature" if x.ndim == 1 else "")
            )
        self.x = x
        y = x @ self.weight.data  # (N, out_features)
        if self.bias is not None:
            y += self.bias.data  # in place: y is ours, no need for a second (N, out) array
        return y

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        x = self._saved(self.x, "input x")
        self.weight.grad += x.T @ grad_output  # (in_features, out_features)
        if self.bias is not None:
            self.bias.grad += grad_output.sum(axis=0)  # (out_features,)
        return grad_output @ self.weight.data.T  # (N, in_features)

    def parameters(self) -> list[Parameter]:
        return [self.weight] if self.bias is None else [self.weight, self.bias]

    def __repr__(self) -> str:
        return (f"Linear(in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None})")
