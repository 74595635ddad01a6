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

    An optimizer may move ``data`` and ``grad`` into one long buffer shared
    by all parameters (see ``flatten``). The values stay the same, but hold
    on to the Parameter, not to the array: always read ``p.data``.
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


def flatten(params: list[Parameter]) -> tuple[np.ndarray, np.ndarray]:
    """Put every parameter into one flat data vector and one flat grad vector.

    Returns ``(data, grad)``, two 1-D arrays of length sum(p.data.size), and
    makes each ``p.data`` and ``p.grad`` a view into them, in order. Why: an
    optimizer then updates all parameters with a handful of whole-array
    operations instead of a Python loop over them, which is most of the cost
    of a step on a small net. Values are copied, not changed.

    Parameters that are already laid out that way (by an earlier call on the
    same list) are left alone, so two optimizers on one model share the buffer.
    """
    if not params:
        raise ValueError("an optimizer needs at least one parameter, got an empty list")
    dtypes = {p.data.dtype for p in params}
    if len(dtypes) > 1:
        names = ", ".join(sorted(str(d) for d in dtypes))
        raise ValueError(f"all parameters must share one dtype, got {names}: build the model with one dtype")
    if _is_flat(params):
        return params[0].data.base, params[0].grad.base
    size = sum(p.data.size for p in params)
    data = np.empty(size, dtype=params[0].data.dtype)
    grad = np.empty(size, dtype=params[0].data.dtype)
    start = 0
    for p in params:
        stop = start + p.data.size
        data[start:stop] = p.data.ravel()
        grad[start:stop] = p.grad.ravel()
        p.data = data[start:stop].reshape(p.data.shape)
        p.grad = grad[start:stop].reshape(p.data.shape)
        start = stop
    return data, grad


def _is_flat(params: list[Parameter]) -> bool:
    """True when params are consecutive views of one data and one grad buffer."""
    data, grad = params[0].data.base, params[0].grad.base
    if data is None or grad is None or data.ndim != 1 or grad.ndim != 1:
        return False
    if data.size != sum(p.data.size for p in params) or grad.size != data.size:
        return False
    offset = 0
    for p in params:
        for array, buffer in ((p.data, data), (p.grad, grad)):
            if array.base is not buffer or not array.flags.c_contiguous:
                return False
            if array.ctypes.data - buffer.ctypes.data != offset * buffer.itemsize:
                return False
        offset += p.data.size
    return True
