"""Linear: the affine map y = x @ W + b, the only layer with parameters.

A stack of Linear layers alone is still one affine map (see ``collapse``):
everything non-linear a network can do comes from the activations between them.
Its backward is the heart of backpropagation; the three formulas below are
derived in Nielsen, "Neural Networks and Deep Learning", chapter 2 (written
there per sample and with W transposed).
"""

from functools import lru_cache

import numpy as np

from .init import as_generator, init_bias, init_weight
from .module import Module
from .parameter import Parameter
from .validate import float_dtype, positive_int


class Linear(Module):
    """Affine layer: y = x @ W + b.

    Shape:
        x: (N, in_features) -> y: (N, out_features), x of the weights' dtype
           (a float64 x for a float32 layer is refused: numpy would upcast silently)
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
    dL/dW and dL/db are added to ``weight.grad`` and ``bias.grad``;
    ``backward_params`` does only that, for training's first layer, whose
    dL/dx (the gradient of the data) nobody needs.

    Initialisation: W from ``init`` ("uniform", "he" or "xavier", see
    ``tinynet.engine.init``; default "uniform": U(-1/sqrt(in_features),
    1/sqrt(in_features)), as torch's nn.Linear), drawn from ``rng`` (a
    Generator or a seed; None draws fresh, unrepeatable weights, so pass a
    seed to repeat a run); b uniform on the same range, so that ReLU units
    start switching at different inputs (``bias_init="zeros"`` for zeros).

    >>> layer = Linear.from_weights([[1.0, 2.0]], [0.5, -0.5])   # W (1, 2), b (2,)
    >>> layer(np.array([[3.0]]))                                  # x @ W + b
    array([[3.5, 5.5]])
    """

    def __init__(self, in_features: int, out_features: int, *, bias: bool = True,
                 init: str | None = None, bias_init: str = "uniform", rng=None, dtype=np.float64):
        in_features = positive_int(in_features, "in_features")
        out_features = positive_int(out_features, "out_features")
        dtype = float_dtype(dtype)
        rng = as_generator(rng)
        weight = init_weight(in_features, out_features, init or "uniform", rng, dtype)
        self._set_parameters(weight, init_bias(in_features, out_features, rng, dtype, bias_init) if bias else None)

    @classmethod
    def from_weights(cls, weight, bias=None) -> "Linear":
        """A Linear layer with the given W (in_features, out_features) and b (out_features,) or no bias.

        For hand-built nets and for results computed elsewhere (least squares,
        a model file). The arrays are copied; the dtype is W's.
        """
        weight = np.asarray(weight)
        if weight.dtype.kind != "f":
            weight = weight.astype(np.float64)
        if weight.ndim != 2:
            raise ValueError(f"weight must be 2-D (in_features, out_features), got shape {weight.shape}")
        if bias is not None:
            bias = np.asarray(bias)
            if bias.shape != (weight.shape[1],):
                raise ValueError(f"bias must have shape ({weight.shape[1]},) to match weight, got {bias.shape}")
        layer = cls.__new__(cls)  # no random initialisation to draw and throw away
        layer._set_parameters(weight.copy(), None if bias is None else bias.astype(weight.dtype))
        return layer

    def forward(self, x: np.ndarray) -> np.ndarray:
        if x.ndim != 2 or x.shape[1] != self.in_features or x.dtype != self.weight.data.dtype:
            raise ValueError(self._input_error(x))
        self.x = x
        # np.dot(a, b) is a @ b for 2-D arrays, with less overhead per call:
        # the (N, 1) @ (1, out) product of a one-feature input is 3-6x faster
        # (S1: 3.4 -> 1.1 us; the whole S1 step 10-14% faster); bigger products
        # are the same BLAS call either way.
        y = np.dot(x, self.weight.data)  # x @ W: (N, out_features)
        if self.bias is not None:
            y += self.bias.data  # in place: y is ours, no need for a second (N, out) array
        return y

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        self.backward_params(grad_output)  # dL/dW and dL/db
        return np.dot(grad_output, self.weight.data.T)  # dL/dx = grad_output @ W.T: (N, in_features)

    def backward_params(self, grad_output: np.ndarray) -> None:
        """The first half of backward: add dL/dW and dL/db, but skip dL/dx.

        Training calls this alone on the first layer, whose input is the data:
        nobody needs its dL/dx, and computing it would cost one more product
        as large as the layer's forward.
        """
        x = self._saved(self.x, "input x")
        self.weight.grad += np.dot(x.T, grad_output)  # x.T @ grad_output: (in_features, out_features)
        if self.bias is not None:
            # Obvious form: grad_output.sum(axis=0). Summing the rows as one
            # matrix-vector product, ones @ grad_output, gives the same sums
            # (up to rounding) 2-3x faster: S1 2.1 -> 0.7 us (the whole S1 step 5%
            # faster), S4 36 -> 14 us.
            ones = _ones(grad_output.shape[0], grad_output.dtype)
            self.bias.grad += np.dot(ones, grad_output)  # (out_features,)

    def parameters(self) -> list[Parameter]:
        return [self.weight] if self.bias is None else [self.weight, self.bias]

    def __repr__(self) -> str:
        return (f"Linear(in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None})")

    def _set_parameters(self, weight: np.ndarray, bias: np.ndarray | None) -> None:
        self.in_features, self.out_features = weight.shape
        self.weight = Parameter(weight)
        self.bias = None if bias is None else Parameter(bias)
        self.x = None  # the input, saved by forward: dL/dW needs it

    def _input_error(self, x) -> str:
        if x.ndim == 2 and x.shape[1] == self.in_features:
            # numpy would quietly compute in the wider type and hand back float64 from a float32 model
            dtype = self.weight.data.dtype
            return (f"Linear has {dtype} weights but got {x.dtype} input: convert it with "
                    f"x.astype(np.{dtype}), or call tinynet.predict(model, x), which does")
        return (f"Linear expects input of shape (N, {self.in_features}), got {x.shape}"
                + (": use x.reshape(-1, 1) for one feature" if x.ndim == 1 else ""))


@lru_cache(maxsize=8)
def _ones(n: int, dtype: np.dtype) -> np.ndarray:
    """A read-only vector of n ones, made once per (n, dtype) and shared."""
    ones = np.ones(n, dtype=dtype)
    ones.flags.writeable = False
    return ones
