"""One flat vector for all parameters, so an optimizer updates them in a few operations.

plain: ``tinynet.engine.optim``, a loop over the parameters, one array each.

Adam's update is a dozen array operations. Done once per parameter array,
that is a dozen Python-level numpy calls per array per step, which is most
of the cost of a step on a small net (a numpy call costs about a microsecond
however small its arrays). Done once on one long vector holding every
parameter, it is a dozen calls in all, and the formulas read the same.

Who owns what: a Parameter owns its ``data`` and ``grad``. ``share_storage``
is for a model's constructor (``mlp``, ``load``): before anyone else has seen
the arrays, it lays them out as consecutive views of one data vector and one
grad vector. An optimizer built on such parameters (``FlatParameters``)
updates that vector directly and copies nothing. Anything else is honoured
too, at the price of a copy for the arrays concerned: parameters laid out
separately (a learner's own layer), a gradient assigned instead of added
(``p.grad = x.T @ g``), a new array assigned to ``p.data``. An optimizer
never rebinds ``p.data``; only ``share_storage``, called while a model is
being built, does.
"""

import numpy as np

from ..engine import Parameter


def share_storage(params: list[Parameter]) -> None:
    """Make every ``p.data`` and ``p.grad`` a view of one flat data and one flat grad vector, in order.

    For a model's constructor, before it hands the parameters out: an array
    taken from ``p.data`` before this call would no longer be the parameter's.
    Values are copied, not changed. Parameters of different dtypes are left
    as they are.
    """
    if not params or len({p.data.dtype for p in params}) > 1:
        return
    size = sum(p.data.size for p in params)
    data = np.empty(size, dtype=params[0].data.dtype)
    grad = np.zeros(size, dtype=params[0].data.dtype)
    start = 0
    for p in params:
        stop = start + p.data.size
        data[start:stop] = p.data.ravel()
        grad[start:stop] = p.grad.ravel()
        p.data = data[start:stop].reshape(p.data.shape)
        p.grad = grad[start:stop].reshape(p.data.shape)
        start = stop


class FlatParameters:
    """An optimizer's view of its parameters as two flat vectors, ``data`` and ``grad``.

    If the parameters share storage in order (``share_storage``), ``data`` and
    ``grad`` are that storage, and a step writes the parameters directly.
    Otherwise they are this object's own vectors: ``gather`` copies each
    parameter in before a step and ``scatter`` copies the new values back
    into the parameter's own array after it. The same happens, array by
    array, when a layer assigned a new ``p.grad`` or the learner a new ``p.data``.
    """

    def __init__(self, params: list[Parameter]):
        if not params:
            raise ValueError("an optimizer needs at least one parameter, got an empty list")
        dtypes = {p.data.dtype for p in params}
        if len(dtypes) > 1:
            names = ", ".join(sorted(str(d) for d in dtypes))
            raise ValueError(f"all parameters must share one dtype, got {names}: build the model with one dtype")
        self.params = params
        shared = _shared(params)
        self.shared = shared is not None
        if shared:  # the parameters' arrays are the views: compared by identity before every step
            self.data, self.grad = shared
            self.data_views, self.grad_views = [p.data for p in params], [p.grad for p in params]
        else:
            self.data, self.grad = _own(params)
            bounds = np.cumsum([0] + [p.data.size for p in params])
            # the slice of the flat vectors that stands for each parameter, shaped like it
            self.data_views = [self.data[a:b].reshape(p.data.shape) for p, a, b in zip(params, bounds, bounds[1:])]
            self.grad_views = [self.grad[a:b].reshape(p.data.shape) for p, a, b in zip(params, bounds, bounds[1:])]

    def gather(self) -> list[int]:
        """Before a step: copy in every data and grad array that is not its view; return the data ones."""
        outside = []
        # a plain loop, two identity checks a parameter: about 0.15 us each when nothing is copied
        for i, (p, data, grad) in enumerate(zip(self.params, self.data_views, self.grad_views)):
            if p.grad is not grad:  # a layer assigned its gradient, or separate storage
                np.copyto(grad, self._checked(i, "grad"))
            if p.data is not data:  # a new array was assigned, or separate storage
                np.copyto(data, self._checked(i, "data"))
                outside.append(i)
        return outside

    def scatter(self, outside: list[int]) -> None:
        """After a step: write the new values into the parameters' own arrays (those ``gather`` found)."""
        for i in outside:
            np.copyto(self.params[i].data, self.data_views[i])

    def zero_grad(self) -> None:
        """Zero every gradient: the flat vector in one write, and any gradient array outside it."""
        self.grad[...] = 0
        for p, grad in zip(self.params, self.grad_views):
            if p.grad is not grad:
                if self.shared:
                    p.grad = grad  # an assigned gradient: back to the shared, zeroed one (torch sets None)
                else:
                    p.grad[...] = 0

    def snapshot(self, out: np.ndarray | None = None) -> np.ndarray:
        """A copy of every parameter's values, one after another: (sum of the parameters' sizes,).

        With ``out`` (an earlier snapshot) the copy is written there, and no new array is made.
        """
        self.gather()  # the parameters' own arrays, wherever they are
        if out is None:
            return self.data.copy()
        np.copyto(out, self.data)
        return out

    def restore(self, snapshot: np.ndarray) -> None:
        """Put back the values of an earlier ``snapshot``, in place in every parameter's array."""
        outside = self.gather()
        self.data[...] = snapshot
        self.scatter(outside)

    def _checked(self, i: int, name: str) -> np.ndarray:
        """Parameter i's data or grad, refused unless it is an array of the parameter's shape
        (np.copyto would otherwise broadcast a (3,) gradient over a (2, 3) weight without a word)."""
        array, shape = getattr(self.params[i], name), self.data_views[i].shape
        if not isinstance(array, np.ndarray) or array.shape != shape:
            got = array.shape if isinstance(array, np.ndarray) else type(array).__name__
            raise ValueError(f"parameter {i} ({self.params[i]!r}): its {name} must be an array of shape {shape}, "
                             f"got {got}: assign p.{name} an array shaped like the parameter")
        return array


def _shared(params: list[Parameter]):
    """(data, grad) when the parameters are consecutive views of one data and one grad vector, else None."""
    data, grad = params[0].data.base, params[0].grad.base
    if data is None or grad is None or data.ndim != 1 or grad.ndim != 1:
        return None
    if data.size != sum(p.data.size for p in params) or grad.size != data.size:
        return None
    offset = 0
    for p in params:
        for array, buffer in ((p.data, data), (p.grad, grad)):
            if array.base is not buffer or not array.flags.c_contiguous:
                return None
            if array.ctypes.data - buffer.ctypes.data != offset * buffer.itemsize:
                return None
        offset += p.data.size
    return data, grad


def _own(params: list[Parameter]):
    """New flat (data, grad) vectors holding copies of the parameters' values."""
    data = np.concatenate([p.data.ravel() for p in params])
    grad = np.concatenate([p.grad.ravel() for p in params])
    return data, grad
