"""flatten: all parameters in one vector, so an optimizer updates them in a few operations.

Adam's update is a dozen array operations. Done once per parameter array,
that is a dozen Python-level numpy calls per array per step, which is most
of the cost of a step on a small net (a numpy call costs about a microsecond
however small its arrays). Done once on one long vector holding every
parameter, it is a dozen calls in all, and the formulas read the same.

``flatten`` copies the parameters into such a vector and makes each
``p.data`` and ``p.grad`` a view of it; the values do not change, but an
array taken from ``p.data`` before is no longer the parameter's.
"""

import numpy as np

from .parameter import Parameter


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
    if is_flat(params):
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


def is_flat(params: list[Parameter]) -> bool:
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
