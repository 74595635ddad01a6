"""Parameter: a trainable array and the gradient of the loss with respect to it.

A Parameter is the smallest thing an optimizer needs: ``data`` to update and
``grad`` to update it with. Layers own Parameters; optimizers receive the
list from ``model.parameters()``.
"""

import numpy as np


class Parameter:
    """A trainable array ``data`` and its gradient ``grad`` (same shape, same dtype).

    ``grad`` holds dL/d(data) summed over every ``backward`` since the last
    ``zero_grad``: backward adds with ``+=`` (as torch does), so gradients
    from several losses or batches accumulate.

    Both are the Parameter's own. A layer may add to ``grad`` or assign it a
    new array, and a learner may give ``data`` a new array at any time; an
    optimizer's ``step`` updates whatever array ``data`` holds, in place, and
    never rebinds it. Its ``zero_grad`` zeroes the gradients, and points an
    assigned ``grad`` back at the zeroed one it replaced, as torch's
    zero_grad resets them (see ``tinynet.engine.flat``).

    >>> p = Parameter(np.zeros((2, 3)))
    >>> p.grad.shape, p.grad.dtype
    ((2, 3), dtype('float64'))
    """

    def __init__(self, data: np.ndarray):
        self.data = data
        self.grad = np.zeros_like(data)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    def zero_grad(self) -> None:
        self.grad[...] = 0

    def __repr__(self) -> str:
        return f"Parameter(shape={self.data.shape}, dtype={self.data.dtype})"
