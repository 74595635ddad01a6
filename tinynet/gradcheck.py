"""gradcheck: compare backward's gradients with finite differences.

For a small step eps, the central difference

    (L(w + eps) - L(w - eps)) / (2 * eps)

approximates dL/dw with an error of order eps**2 wherever L is smooth
around w, plus rounding of about 1e-16 * |L| / eps. If backward is right, the
two agree to many digits (in float64); a mistake in a formula shows up as a
relative error near 1. Within eps of a kink (a ReLU input at 0) the
difference straddles the corner and means nothing: keep inputs away from
kinks. This is how every backward in tinynet is tested, and what ``tinynet
gradcheck`` runs on a random net (``check_random_mlp``).

Names. Every command and file calls a parameter "<layer index>.weight" or
"<layer index>.bias" (a parameter of another kind of layer "<layer
index>.<its attribute name>", see ``tinynet.named_parameters``), and the
gradient with respect to the input "input". The
index counts every layer of the Sequential, activations included: in
mlp([3, 5, 2]), layer 0 is the first Linear, layer 1 its activation, layer 2
the second Linear. These are the array names in model files and in
``gradcheck_report``; ``tinynet backprop`` writes the same weights W1, b1,
W2, b2 in its formulas, numbering only the Linear layers, and shows which is
which.
"""

import itertools

import numpy as np

from .checks import as_batch, positive_float
from .engine import MSELoss
from .mlp import mlp
from .model import model_dtype, named_parameters

ATOL = 1e-3  # gradients whose norms are below this are compared in absolute terms: see relative_error
ROUNDING = 1e-7  # relative errors below this are rounding noise, printed as "< 1e-7": see relative_error_text


def relative_error(analytic: np.ndarray, numeric: np.ndarray, atol: float = ATOL) -> float:
    """||analytic - numeric|| / max(||analytic|| + ||numeric||, atol).

    Norms over the whole array, not entry by entry: an entry whose true
    gradient is 0 (a ReLU that is off) would otherwise divide noise by noise.
    The absolute floor ``atol`` does the same for a whole gradient that is
    truly 0 (a net that fits its targets exactly is at a minimum of the loss):
    backward returns exact zeros, the central differences return rounding
    noise of about 1e-11, and without the floor their relative error would be
    1. With it, gradients smaller than ``atol`` are compared absolutely: noise
    of 1e-11 counts as 1e-8. A wrong gradient still shows unless its whole
    size is below about atol * 1e-6 (1e-9), where differences cannot tell it
    from rounding anyway.
    """
    scale = max(float(np.linalg.norm(analytic) + np.linalg.norm(numeric)), atol)
    return 0.0 if scale == 0 else float(np.linalg.norm(analytic - numeric) / scale)


def relative_error_text(error: float) -> str:
    """A relative error as a person should read it: "< 1e-7" below ROUNDING, else two digits.

    Below 1e-7 the number is rounding, not a difference between the
    gradients: each central difference (with eps = 1e-6) carries rounding of
    about 1e-16 * |L| / eps, and the products under L add in an order that
    depends on the CPU's BLAS kernel. On ``tinynet gradcheck``'s nets a correct
    backward measures 1e-11 to 9e-8, and the same check prints 1.4e-08 on one
    kernel and 9.2e-09 on another. Those digits mean nothing, so they are not
    shown; a wrong formula gives 1e-2 to 1. ``gradcheck_report`` and
    ``tinynet backprop --json`` keep the float itself.

    >>> relative_error_text(3.2e-11), relative_error_text(0.25)
    ('< 1e-7', '2.5e-01')
    """
    if error < ROUNDING:
        return f"< 1e{round(np.log10(ROUNDING))}"  # "< 1e-7", as people write it (Python's :g gives 1e-07)
    return f"{error:.1e}"


def gradcheck_report(model, X, y, loss=None, eps: float = 1e-6, *, sample: int | None = None,
                     seed=0) -> dict[str, float]:
    """The relative error of every parameter's gradient and of dL/dX, by name.

    Names are those of ``named_parameters`` ("0.weight", "0.bias", ...), then
    "input" for dL/dX. X: (N, in_features) and y: (N, out_features), arrays
    or lists. Use a float64 model: in float32 the differences drown in rounding.
    Values below 1e-7 are that rounding (their digits change with the CPU):
    ``relative_error_text`` prints them as "< 1e-7".

    Each entry costs two forward passes. With ``sample``, an array of more
    entries than that is checked at ``sample`` of them, drawn at random
    (``seed``): for a net too large to check whole (``passes_needed``).

    >>> net = mlp([2, 3, 1], "tanh", seed=0)
    >>> sorted(gradcheck_report(net, [[0.5, -1.0]], [[2.0]]))
    ['0.bias', '0.weight', '2.bias', '2.weight', 'input']
    """
    eps = positive_float(eps, "eps")
    loss = MSELoss() if loss is None else loss
    dtype = model_dtype(model)
    X = np.array(as_batch(X, "X", dtype=dtype))  # a copy: numeric_gradient nudges it in place
    y = as_batch(y, "y", dtype=dtype)

    def loss_at(x):
        return loss.forward(model.forward(x), y)

    model.zero_grad()
    loss_at(X)
    analytic_input = model.backward(loss.backward())
    rng = np.random.default_rng(seed)
    arrays = [(name, p.data, p.grad) for name, p in named_parameters(model)] + [("input", X, analytic_input)]
    report = {}
    for name, array, analytic in arrays:
        entries = None
        if sample is not None and array.size > sample:
            entries = [np.unravel_index(i, array.shape) for i in rng.choice(array.size, sample, replace=False)]
        numeric = numeric_gradient(lambda: loss_at(X), array, eps, entries)
        report[name] = relative_error(analytic if entries is None else np.array([analytic[i] for i in entries]),
                                      numeric)
    return report


def passes_needed(model, X) -> int:
    """How many forward passes a full gradcheck of ``model`` on X makes: two per parameter entry and input entry."""
    return 2 * (sum(p.data.size for p in model.parameters()) + np.asarray(X).size)


# A random net's check (``check_random_mlp``): its samples, and the multiply-adds it may cost (two forward
# passes per entry, each about samples x parameters, plus numpy's per-call overhead, counted as 10,000):
# about 2 s; a larger net is checked at a random sample of each array's entries
RANDOM_SAMPLES = 8
MAX_WORK = 2e9


def mlp_parameters(sizes) -> int:
    """How many parameters ``mlp(sizes)`` has: (inputs + 1) * outputs per Linear layer, biases included.

    >>> mlp_parameters([3, 5, 5, 2])
    62
    """
    return sum((a + 1) * b for a, b in itertools.pairwise(sizes))


def check_random_mlp(sizes, activation: str = "relu", seed: int = 0) -> tuple[dict[str, float], int | None, int]:
    """Check a float64 ``mlp(sizes, activation)`` with random weights and biases on RANDOM_SAMPLES random
    samples, as ``tinynet gradcheck`` does, at a cost of at most about MAX_WORK multiply-adds.

    Returns (``gradcheck_report``, how many entries of each array were checked, drawn at random, or None
    for all of them, the forward passes a full check would take).

    >>> report, sample, passes = check_random_mlp([3, 4, 2], "tanh")
    >>> max(report.values()) < 1e-6, sample, passes
    (True, None, 100)
    """
    rng = np.random.default_rng(seed)
    model = mlp(sizes, activation, seed=seed)
    for p in model.parameters():  # non-zero biases too, so their gradients are checked for real
        p.data[...] = rng.normal(scale=0.5, size=p.data.shape)
    X, y = rng.normal(size=(RANDOM_SAMPLES, sizes[0])), rng.normal(size=(RANDOM_SAMPLES, sizes[-1]))
    passes = passes_needed(model, X)
    per_pass = RANDOM_SAMPLES * mlp_parameters(sizes) + 10_000
    sample = None
    if passes * per_pass > MAX_WORK:
        arrays = len(model.parameters()) + 1
        sample = max(1, int(MAX_WORK // (2 * arrays * per_pass)))
    return gradcheck_report(model, X, y, sample=sample, seed=seed), sample, passes


def gradcheck(model, X, y, loss=None, eps: float = 1e-6) -> float:
    """Return the largest relative error between backward's gradients and
    central differences, over every parameter and the input X.

    >>> net = mlp([2, 3, 1], "tanh", seed=0)
    >>> gradcheck(net, [[0.5, -1.0], [0.25, 2.0]], [[1.0], [0.0]]) < 1e-7
    True
    """
    return max(gradcheck_report(model, X, y, loss, eps).values())


def numeric_gradient(f, array: np.ndarray, eps: float = 1e-6, entries=None) -> np.ndarray:
    """Central differences of the number f() with respect to each entry of ``array``.

    ``array`` is nudged in place, one entry at a time, and put back exactly;
    f must read it (a parameter's ``data``, or the input f feeds the model).
    Shape: the same as ``array``; with ``entries`` (a list of index tuples),
    only those, in that order: (len(entries),). eps must be > 0.
    """
    eps = positive_float(eps, "eps")
    if entries is not None:
        return np.array([_central_difference(f, array, i, eps) for i in entries], dtype=array.dtype)
    grad = np.zeros_like(array)
    for i in np.ndindex(array.shape):
        grad[i] = _central_difference(f, array, i, eps)
    return grad


def _central_difference(f, array: np.ndarray, i, eps: float) -> float:
    saved = array[i]
    array[i] = saved + eps
    plus = f()
    array[i] = saved - eps
    minus = f()
    array[i] = saved
    return (plus - minus) / (2 * eps)
