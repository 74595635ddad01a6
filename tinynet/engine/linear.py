"""Linear: the affine map y = x @ W + b, the only layer with parameters.

A stack of Linear layers alone is still one affine map: everything
non-linear a network can do comes from the activations between them. Its
backward is the heart of backpropagation; the three formulas are derived in
Nielsen, "Neural Networks and Deep Learning", chapter 2 (written there per
sample and with W transposed).
"""

import numpy as np

from .module import Module, Parameter


class Linear(Module):
    """Affine layer: y = x @ W + b.

    Shape:
        x: (N, in_features) -> y: (N, out_features)
        W = weight.data: (in_features, out_features)   (torch's nn.Linear stores W.T)
        b = bias.data: (out_features,), added to every row

    Backward, given grad_output = dL/dy of shape (N, out_features):
        dL/dW = x.T @ grad_output            (in_features, out_features)
        dL/db = grad_output.sum(axis=0)      (out_features,)
        dL/dx = grad_output @ W.T            (N, in_features), returned
    Why: y[n, j] = sum_i x[n, i] W[i, j] + b[j], so W[i, j] touches every
    sample n through x[n, i]; b[j] touches every sample with weight 1.

    Initialisation: W and b uniform on +-1/sqrt(in_features), as torch's nn.Linear, so each unit
    starts with its own slope and kink; ``init="he"`` (W normal, std sqrt(2 / in_features)) or
    "xavier" (uniform on +-sqrt(6 / (in + out))); ``bias_init="zeros"``. ``rng``: a seed or a Generator.

    >>> layer = Linear.from_weights([[1.0, 2.0]], [0.5, -0.5])   # W (1, 2), b (2,)
    >>> layer(np.array([[3.0]]))                                  # x @ W + b
    array([[3.5, 5.5]])
    """

    def __init__(self, in_features: int, out_features: int, *, bias: bool = True, init: str = "uniform",
                 bias_init: str = "uniform", rng=None, dtype=np.float64):
        rng = np.random.default_rng(rng)
        limit = 1 / np.sqrt(in_features)
        if init == "he":
            W = rng.normal(0, np.sqrt(2 / in_features), size=(in_features, out_features))
        else:
            w_limit = np.sqrt(6 / (in_features + out_features)) if init == "xavier" else limit
            W = rng.uniform(-w_limit, w_limit, size=(in_features, out_features))
        b = np.zeros(out_features) if bias_init == "zeros" else rng.uniform(-limit, limit, size=out_features)
        self.weight = Parameter(W.astype(dtype))
        self.bias = Parameter(b.astype(dtype)) if bias else None

    @classmethod
    def from_weights(cls, weight, bias=None) -> "Linear":
        """A layer with the given W (in_features, out_features) and b (out_features,), copied; no bias if None."""
        layer = cls.__new__(cls)  # no random weights to draw and throw away
        weight = np.array(weight, dtype=np.result_type(np.asarray(weight).dtype, np.float16))  # floats stay as given
        layer.weight = Parameter(weight)
        layer.bias = None if bias is None else Parameter(np.array(bias, dtype=weight.dtype))
        return layer

    @property
    def in_features(self) -> int:
        return self.weight.data.shape[0]

    @property
    def out_features(self) -> int:
        return self.weight.data.shape[1]

    def forward(self, x: np.ndarray) -> np.ndarray:  # exercise: linear-backward
        self.x = x  # dL/dW needs the input
        y = x @ self.weight.data  # (N, out_features)
        if self.bias is not None:
            y = y + self.bias.data  # b broadcasts over the N rows
        return y

    def backward(self, grad_output: np.ndarray) -> np.ndarray:  # exercise: linear-backward
        self.weight.grad += self.x.T @ grad_output  # dL/dW: (in_features, out_features)
        if self.bias is not None:
            self.bias.grad += grad_output.sum(axis=0)  # dL/db: (out_features,)
        return grad_output @ self.weight.data.T  # dL/dx: (N, in_features)

    def parameters(self) -> list[Parameter]:
        return [self.weight] if self.bias is None else [self.weight, self.bias]

    def __repr__(self) -> str:
        return (f"Linear(in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None})")
