"""What the benchmarks measure, built once for the pytest modules and for report.py.

Every builder returns a function of no arguments that does one unit of work
(one training step, one per-sample loop, one fit), with its data made from
a fixed seed, so a pytest module and the report time exactly the same thing.

The cases are multi-layer perceptrons with ReLU hidden layers and an
identity output, trained with MSE:

    S1  [1, 32, 32, 1],       batch 64    the sin lesson: overhead-bound
    S2  [1, 64, 64, 64, 1],   batch 256
    S3  [64, 256, 256, 1],    batch 256
    S4  [784, 512, 512, 10],  batch 512   FLOP-bound

Beside tinynet's step sit:
- the GEMM floor: only the matrix products a step needs, in plain numpy.
  Per layer, forward x @ W, backward x.T @ dz (dL/dW) and dz @ W.T (dL/dx,
  not for the first layer: nobody needs the gradient of the data). Any numpy
  engine does at least these, so no numpy engine can be much faster. Each
  product is called as np.dot, the fastest plain-numpy call for it (the one
  tinynet uses): ``@`` is the same BLAS product for big matrices but costs
  more per call, up to 6x more for the (N, 1) @ (1, M) products of a
  one-feature input, and a floor must not be beatable;
- a per-sample loop: the same step, one sample at a time;
- peers, when installed: PyTorch eager and scikit-learn's MLPRegressor.

torch and scikit-learn are imported inside the functions that use them: the
tests of tinynet never need them (``pip install -e ".[bench]"`` adds them).
"""

import time
from dataclasses import dataclass

import numpy as np

import tinynet

SEED = 0
LR = 1e-3  # small: thousands of timed steps on random targets must stay finite
DTYPES = ("float32", "float64")
OPTIMIZERS = ("sgd", "adam")


@dataclass(frozen=True)
class Case:
    name: str
    sizes: tuple[int, ...]
    batch: int

    @property
    def hidden(self) -> tuple[int, ...]:
        return self.sizes[1:-1]


CASES = {
    "S1": Case("S1", (1, 32, 32, 1), 64),
    "S2": Case("S2", (1, 64, 64, 64, 1), 256),
    "S3": Case("S3", (64, 256, 256, 1), 256),
    "S4": Case("S4", (784, 512, 512, 10), 512),
}
PER_SAMPLE_CASES = ("S1", "S2")
SKLEARN_CASES = ("S2",)

# Scaling: step time against batch size at width 256, and against width at batch 256,
# for the net [width, width, width, 1] (input and both hidden layers that wide).
SCALING_WIDTH = 256
SCALING_BATCHES = (64, 128, 256, 512, 1024, 2048, 4096)
SCALING_BATCH = 256
SCALING_WIDTHS = (32, 64, 128, 256, 512, 1024)
SCALING_DTYPE = "float32"
SCALING_OPTIMIZER = "adam"


def scaling_case(batch: int, width: int) -> Case:
    return Case(f"batch {batch}, width {width}", (width, width, width, 1), batch)


def data(case: Case, dtype, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Standard-normal inputs X (batch, sizes[0]) and targets y (batch, sizes[-1])."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((case.batch, case.sizes[0])).astype(dtype)
    y = rng.standard_normal((case.batch, case.sizes[-1])).astype(dtype)
    return X, y


def tinynet_model(case: Case, dtype, optimizer: str, seed: int = SEED, lr: float = LR):
    model = tinynet.mlp(list(case.sizes), "relu", seed=seed, dtype=dtype)
    opt = tinynet.fast.OPTIMIZERS[optimizer](model.parameters(), lr=lr)  # the optimizers fit builds by name
    return model, opt


def tinynet_step(case: Case, dtype, optimizer: str):
    """One tinynet training step: forward, MSE, backward, optimizer step.

    The five lines of ``tinynet.engine.train_step``, with ``tinynet.fast.backward_params`` (backward
    without dL/dX), which is what ``fit`` runs.
    """
    X, y = data(case, dtype)
    model, opt = tinynet_model(case, dtype, optimizer)
    loss_fn = tinynet.get_loss("mse")

    def step():
        loss = loss_fn(model(X), y)
        opt.zero_grad()
        tinynet.fast.backward_params(model, loss_fn.backward())
        opt.step()
        return loss

    step.model, step.opt, step.loss_fn = model, opt, loss_fn
    return step


def floor_step(case: Case, dtype, product=np.dot):
    """The GEMM floor: the matrix products of one step and nothing else.

    Forward x @ W per layer; backward x.T @ dz per layer and dz @ W.T for
    every layer but the first. The operands are random arrays of the right
    shapes, made once: only the products are timed. ``product=np.matmul``
    gives the same floor written with ``@``, for comparison.
    """
    rng = np.random.default_rng(SEED)
    weights = [rng.standard_normal((a, b)).astype(dtype) for a, b in zip(case.sizes[:-1], case.sizes[1:])]
    inputs = [rng.standard_normal((case.batch, a)).astype(dtype) for a in case.sizes[:-1]]  # x of each layer
    grads = [rng.standard_normal((case.batch, b)).astype(dtype) for b in case.sizes[1:]]  # dz of each layer

    def step():
        for x, W in zip(inputs, weights):
            product(x, W)  # x @ W: (N, out)
        for i in reversed(range(len(weights))):
            product(inputs[i].T, grads[i])  # dL/dW = x.T @ dz: (in, out)
            if i > 0:
                product(grads[i], weights[i].T)  # dL/dx = dz @ W.T: (N, in)

    return step


def per_sample_step(case: Case, dtype, optimizer: str):
    """The same step as ``tinynet_step``, computed one sample at a time.

    Each sample goes forward and backward on its own, its gradient (scaled by
    1/N, as the batch MSE's mean does) added into param.grad; then one
    optimizer step. The update equals the batched one up to rounding: only
    the vectorisation is gone.
    """
    X, y = data(case, dtype)
    model, opt = tinynet_model(case, dtype, optimizer)
    loss_fn = tinynet.get_loss("mse")
    n = case.batch

    def step():
        opt.zero_grad()
        for i in range(n):
            loss_fn(model(X[i:i + 1]), y[i:i + 1])
            tinynet.fast.backward_params(model, loss_fn.backward() / n)
        opt.step()

    step.model, step.opt = model, opt
    return step


def torch_threads(n: int) -> None:
    import torch

    torch.set_num_threads(n)


def torch_model(case: Case, dtype, optimizer: str, seed: int = SEED, lr: float = LR):
    import torch
    from torch import nn

    torch.manual_seed(seed)
    layers = []
    for i, (a, b) in enumerate(zip(case.sizes[:-1], case.sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(case.sizes) - 2:
            layers.append(nn.ReLU())
    model = nn.Sequential(*layers).to(getattr(torch, np.dtype(dtype).name))
    make = torch.optim.SGD if optimizer == "sgd" else torch.optim.Adam
    return model, make(model.parameters(), lr=lr)


def torch_step(case: Case, dtype, optimizer: str):
    """One PyTorch eager step: nn.Sequential, nn.MSELoss, torch.optim (defaults)."""
    import torch

    X, y = (torch.from_numpy(a) for a in data(case, dtype))
    model, opt = torch_model(case, dtype, optimizer)
    loss_fn = torch.nn.MSELoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        opt.step()
        return loss

    return step


def sklearn_model(case: Case, optimizer: str, seed: int = SEED, lr: float = LR, **options):
    from sklearn.neural_network import MLPRegressor

    # alpha=0 (no L2 penalty) and, for "sgd", no momentum: the same update as tinynet's.
    extra = {"momentum": 0.0, "nesterovs_momentum": False} if optimizer == "sgd" else {}
    return MLPRegressor(hidden_layer_sizes=case.hidden, activation="relu", solver=optimizer, alpha=0.0,
                        batch_size=case.batch, learning_rate_init=lr, shuffle=False, random_state=seed,
                        **extra, **options)


def sklearn_step(case: Case, dtype, optimizer: str):
    """One scikit-learn ``partial_fit`` on one batch: one optimizer step, with its input checks."""
    X, y = data(case, dtype)
    target = y.ravel() if y.shape[1] == 1 else y  # a 2-D single column earns a warning
    model = sklearn_model(case, optimizer)
    model.partial_fit(X, target)  # the first call also builds the weights: keep it out of the timing

    def step():
        model.partial_fit(X, target)

    return step


# --- Time to fit: sin, 512 points, [1, 32, 32, 1] ReLU, Adam lr 0.01, full batch ---

FIT_CASE = Case("sin", (1, 32, 32, 1), 512)
FIT_LR = 0.01
FIT_TARGET = 1e-3  # training MSE
FIT_SEEDS = tuple(range(5))
FIT_MAX_STEPS = 20000
FIT_DTYPE = "float64"  # the lesson's dtype, and scikit-learn's


def sin_data() -> tuple[np.ndarray, np.ndarray]:
    return tinynet.make_dataset("sin", FIT_CASE.batch)


def sin_model(seed: int, init: str = "tinynet"):
    """tinynet's mlp for the fit of sin; with init="torch", starting from torch's initial weights."""
    model = tinynet.mlp(list(FIT_CASE.sizes), "relu", seed=seed)
    if init == "torch":
        torch_net, _ = torch_model(FIT_CASE, FIT_DTYPE, "adam", seed=seed)
        ours = [layer for layer in model.layers if isinstance(layer, tinynet.Linear)]
        theirs = [layer for layer in torch_net if hasattr(layer, "weight")]
        for a, b in zip(ours, theirs):
            a.weight.data[...] = b.weight.detach().numpy().T  # torch stores W transposed
            a.bias.data[...] = b.bias.detach().numpy()
    return model


def tinynet_fit(seed: int, max_steps: int, stop_below: float | None = None, init: str = "tinynet") -> int:
    """Train with full-batch Adam at a constant lr; return the number of steps taken.

    With ``stop_below``, stop before the first step whose loss (measured on
    the forward pass, before the update) is below it. Without, ``tinynet.fit``
    runs exactly ``max_steps`` steps: the user's way, and the one timed.
    """
    X, y = sin_data()
    model = sin_model(seed, init)
    if stop_below is None:
        tinynet.fit(model, X, y, optimizer="adam", lr=FIT_LR, epochs=max_steps, lr_decay=1.0, seed=seed)
        return max_steps
    opt = tinynet.fast.Adam(model.parameters(), lr=FIT_LR)  # as fit builds it
    loss_fn = tinynet.get_loss("mse")
    for step in range(max_steps):  # the same updates as fit's, with a check
        if loss_fn(model(X), y) < stop_below:
            return step
        opt.zero_grad()
        tinynet.fast.backward_params(model, loss_fn.backward())
        opt.step()
    return max_steps


def torch_fit(seed: int, max_steps: int, stop_below: float | None = None) -> int:
    import torch

    X, y = (torch.from_numpy(a) for a in sin_data())
    model, opt = torch_model(FIT_CASE, FIT_DTYPE, "adam", seed=seed, lr=FIT_LR)
    loss_fn = torch.nn.MSELoss()
    for step in range(max_steps):
        opt.zero_grad()
        loss = loss_fn(model(X), y)
        if stop_below is not None and loss.item() < stop_below:
            return step
        loss.backward()
        opt.step()
    return max_steps


def sklearn_fit(seed: int, max_steps: int, stop_below: float | None = None) -> int:
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    X, y = sin_data()
    target = y.ravel()
    if stop_below is None:
        # tol=0 and n_iter_no_change=max_steps: run every step asked for, never stop early.
        model = sklearn_model(FIT_CASE, "adam", seed=seed, lr=FIT_LR, max_iter=max_steps, tol=0.0,
                              n_iter_no_change=max_steps)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, target)
        return max_steps
    # One partial_fit is one full-batch step, the same as one iteration of fit.
    model = sklearn_model(FIT_CASE, "adam", seed=seed, lr=FIT_LR)
    for step in range(max_steps):
        model.partial_fit(X, target)
        if 2 * model.loss_ < stop_below:  # scikit-learn's loss_ is half the MSE, measured before the update
            return step
    return max_steps


def tinynet_fit_from_torch_init(seed: int, max_steps: int, stop_below: float | None = None) -> int:
    """tinynet started from torch's initial weights: it then takes torch's number of steps."""
    return tinynet_fit(seed, max_steps, stop_below, init="torch")


FITTERS = {"tinynet": tinynet_fit, "torch": torch_fit, "sklearn": sklearn_fit,
           "tinynet, torch's init": tinynet_fit_from_torch_init}


def steps_to_fit(library: str, seed: int) -> int | None:
    """How many full-batch Adam steps ``library`` needs to bring the training MSE of sin below 1e-3."""
    steps = FITTERS[library](seed, FIT_MAX_STEPS, stop_below=FIT_TARGET)
    return None if steps >= FIT_MAX_STEPS else steps


def fit_seconds(library: str, seed: int, steps: int) -> float:
    """Seconds for a fresh run of exactly ``steps`` steps from ``seed``, with no checking."""
    start = time.perf_counter()
    FITTERS[library](seed, steps)
    return time.perf_counter() - start


def lesson_fit(seed: int = SEED) -> float:
    """The lesson: ReLU [1, 32, 32, 1] with ``tinynet.fit``'s defaults on sin; returns the final MSE."""
    X, y = sin_data()
    model = tinynet.mlp([1, 32, 32, 1], "relu", seed=seed)
    tinynet.fit(model, X, y, seed=seed)
    return tinynet.get_loss("mse")(model(X), y)


def sklearn_lesson_fit(seed: int = SEED) -> float:
    """scikit-learn's MLPRegressor on the lesson's fit: the same sizes, epochs and batch as tinynet.fit's
    defaults, Adam 0.01 (its constant rate), never stopping early; returns the final MSE."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    X, y = sin_data()
    epochs = tinynet.DEFAULT_EPOCHS
    model = sklearn_model(FIT_CASE, "adam", seed=seed, lr=FIT_LR, max_iter=epochs, tol=0.0, n_iter_no_change=epochs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y.ravel())
    return float(np.mean((model.predict(X) - y.ravel()) ** 2))


# --- The lesson against its peers on |x| (issue 22): [1, 16, 1] ReLU, the budget of fit's defaults ---

ABS_CASE = Case("abs", (1, 16, 1), 512)
PEERS = ("tinynet", "torch", "sklearn")


def abs_fit(library: str, seed: int = SEED) -> float:
    """The final training MSE of a [1, 16, 1] ReLU net fitted to |x| (512 points on [-1, 1]) by ``library``.

    Every library gets fit's budget: 2000 full-batch epochs of Adam from lr
    0.01, float64, each from its own initialisation. tinynet: ``fit``'s
    defaults (the cosine to lr * 0.01, beta2 shortened mid-training by
    ``tinynet.training.adam_beta2``, the settle rule); the peers betas (0.9, 0.999);
    torch: nn.Sequential and torch.optim.Adam at a constant 0.01; sklearn:
    MLPRegressor at a constant 0.01, no L2 penalty, never stopping early.
    """
    X, y = tinynet.make_dataset("abs", ABS_CASE.batch)
    epochs = tinynet.DEFAULT_EPOCHS
    if library == "tinynet":
        model = tinynet.mlp(list(ABS_CASE.sizes), "relu", seed=seed)
        tinynet.fit(model, X, y, seed=seed)
        return tinynet.get_loss("mse")(model(X), y)
    if library == "torch":
        import torch

        model, opt = torch_model(ABS_CASE, FIT_DTYPE, "adam", seed=seed, lr=FIT_LR)
        X, y = torch.from_numpy(X), torch.from_numpy(y)
        loss_fn = torch.nn.MSELoss()
        for _ in range(epochs):
            opt.zero_grad()
            loss_fn(model(X), y).backward()
            opt.step()
        with torch.no_grad():
            return float(loss_fn(model(X), y))
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    model = sklearn_model(ABS_CASE, "adam", seed=seed, lr=FIT_LR, max_iter=epochs, tol=0.0, n_iter_no_change=epochs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # it ran every epoch asked for: that is the point
        model.fit(X, y.ravel())
    return float(np.mean((model.predict(X) - y.ravel()) ** 2))


def compare_seconds() -> float:
    """Seconds of training in ``tinynet.compare`` on sin with its defaults (what `tinynet compare` runs)."""
    X, y = sin_data()
    rows = tinynet.compare(X, y)
    return sum(row["seconds"] for row in rows)


# --- Memory: what one step allocates, against what it has to keep ---

def step_memory(case: Case = CASES["S4"], dtype="float32", optimizer: str = "adam") -> dict[str, int]:
    """tracemalloc's peak over one training step, after a warm-up step.

    Returns the peak and the two sizes it is measured against: the forward
    cache (what the modules keep for backward: each Linear's input x, X
    included, each ReLU's mask, the loss's difference) and the gradients.
    numpy reports its array buffers to tracemalloc, so the peak counts every
    array the step creates and holds at once.
    """
    import tracemalloc

    step = tinynet_step(case, dtype, optimizer)
    step()  # warm-up: what lives across steps (Adam's m, v and scratch, ReLU's zeros) exists from here on
    tracemalloc.start()
    try:
        step()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    saved = [getattr(layer, name, None) for layer in step.model.layers for name in ("x", "mask")]
    saved.append(step.loss_fn.diff)
    cache = sum(array.nbytes for array in saved if isinstance(array, np.ndarray))
    grads = sum(p.grad.nbytes for p in step.model.parameters())
    return {"peak": peak, "forward_cache": cache, "gradients": grads}
