"""The training recipe: fit, predict, the learning-rate schedule, the settle rule, History.

Every step of training is the engine's five lines (``tinynet.engine.train_step``):
forward, loss, zero_grad, backward, step. ``fit`` runs them (their fast form,
``tinynet.fast.train_step``) with mini-batches, a learning-rate schedule, a rule for
stopping once the loss has settled, one rule for divergence (``divergence``:
what every command and estimator goes by) and a history of the loss. Its
defaults (Adam, lr 0.01 falling along a cosine to 0.0001, Adam's memory
shortened while the rate is in the middle of its fall, at most 2000
full-batch epochs; see the comments below ``cosine_lr`` and ``adam_beta2``
for why) are chosen
for the lesson's small one-input problems, not for large data sets.
Reference: Nielsen, "Neural Networks and Deep Learning", chapters 1-2
(gradient descent, backpropagation).
"""

import math
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from .checks import (
    as_batch,
    as_seed,
    check_columns,
    check_loss,
    checked_training_data,
    non_negative_float,
    positive_float,
    positive_int,
)
from .engine import BCELoss, CrossEntropyLoss, Optimizer
from .errors import TrainingDiverged
from .fast import OPTIMIZERS, FlatParameters, MSELoss, train_step
from .model import input_features, model_dtype

DEFAULT_LR = 0.01
DEFAULT_EPOCHS = 2000
DEFAULT_LR_DECAY = 0.01
DEFAULT_PATIENCE = 200
BETA2, BETA2_LOW = 0.999, 0.9  # fit's Adam: its usual memory of squared gradients, and the shortest (adam_beta2)
SETTLE_TOL = 1e-6
WORSE_THAN_MEAN = 2  # a final loss over twice the mean's, and above where training started, has diverged
LOSSES = {"mse": MSELoss, "bce": BCELoss, "ce": CrossEntropyLoss}  # by name, the losses fit computes (the MSE in its fast form)


def get_loss(name: str):
    """Return a new loss by name: "mse" or "bce"."""
    if name not in LOSSES:
        raise ValueError(f"unknown loss {name!r}: choose one of {', '.join(LOSSES)}")
    return LOSSES[name]()


@dataclass
class History:
    """What happened during ``fit``.

    ``loss`` has one training loss per epoch, each measured on the forward
    pass of that epoch, before its update (and ``val_loss`` the validation
    loss after it, if asked). ``final_loss`` is the returned model's loss on
    the training data, after the last update: the number to report.
    ``settled`` is True when training stopped early because the loss had
    settled (see ``fit``'s ``patience``); ``best_epoch``, with
    ``restore_best``, the epoch whose parameters were kept.
    """

    loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    seconds: float = 0.0
    final_loss: float = math.nan
    settled: bool = False
    best_epoch: int | None = None

    @property
    def epochs(self) -> int:
        return len(self.loss)


def cosine_lr(lr: float, lr_decay: float, epoch: int, epochs: int) -> float:
    """The learning rate of ``epoch`` (1 ... epochs): half a cosine from lr down to lr * lr_decay.

    >>> [round(cosine_lr(0.01, 0.01, e, 3), 6) for e in (1, 2, 3)]
    [0.01, 0.00505, 0.0001]
    """
    lr_end = lr * lr_decay
    progress = (epoch - 1) / max(epochs - 1, 1)  # 0 at the first epoch, 1 at the last
    return lr_end + (lr - lr_end) * (1 + math.cos(math.pi * progress)) / 2

# Why this schedule, and when training stops:
#
# Why a schedule at all: at a constant rate Adam now and then spikes late in
# training (a parameter whose gradient was tiny for a while gets a tiny
# running mean of squares, so a small change makes a big step), and where the
# last spike fell decided the reported loss: with the old geometric decay to
# 0.05 * lr the sigmoid net on sin ended 11x above its own best. A cosine
# from lr to lr * 0.01 (Loshchilov & Hutter, 2017, "SGDR") spends most epochs
# at a useful rate and the last few hundred at a tiny one, so the last loss
# is the run's lowest: over mlp([1, 32, 32, 1]) with relu, sigmoid, tanh and
# identity on every built-in dataset, seeds 0-9, the last epoch's loss is
# within 1.5x of the run's minimum (tests/test_settle.py). 2000 such epochs
# fit sin with ReLU to a worst MSE of 7e-06 over seeds 0-4, where 10000
# epochs of the old schedule reached 2.3e-05, in a fifth of the time.
#
# When to stop: once the best loss has not fallen by a relative SETTLE_TOL
# over the last DEFAULT_PATIENCE epochs, the loss has settled. The rate is
# then still high and the loss only hovers, so the rest of the cosine is
# played in the next DEFAULT_PATIENCE epochs, and training stops. An identity
# net reaches least squares in about 300 epochs and then has nothing left to
# learn: it stops after about 500.


def adam_beta2(rate: float) -> float:
    """The beta2 of the Adam ``fit`` builds, at a learning rate ``rate`` times its starting one.

    0.999 while the rate is above half its start and once it is below 1/20
    of it; in between, falling linearly to 0.9 at 1/5 and back: see below.

    >>> [round(adam_beta2(r), 3) for r in (1.0, 0.5, 0.35, 0.2, 0.1, 0.05, 0.01)]
    [0.999, 0.999, 0.95, 0.9, 0.966, 0.999, 0.999]
    """
    high, low, end = 0.5, 0.2, 0.05
    if not end < rate < high:
        return BETA2
    share = (high - rate) / (high - low) if rate >= low else (rate - end) / (low - end)  # 0 at the ends, 1 at low
    return BETA2 + (BETA2_LOW - BETA2) * share

# Why Adam's memory is shortened in the middle of training (its beta2):
#
# Adam divides each step by a running mean of the squared gradients, which
# with beta2 = 0.999 (torch's and the engine's default) remembers about the
# last thousand epochs. The first epochs' gradients are the largest, and
# that mean still holds them a thousand epochs later, so a ReLU kink that
# must creep its last few hundredths to where it belongs gets steps far
# below lr: |x| on mlp([1, 16, 1]) ended at a worst MSE of 2.8e-05 over
# seeds 0-4, where PyTorch reaches 1.3e-06 and scikit-learn 5.3e-07
# (benchmarks/PERFORMANCE.md). A short memory throughout (0.99) fits |x|
# but makes training chaotic at the high early rate (the loss jumps every
# 50-120 epochs, and the last digits depend on the BLAS kernel), and near
# the end it makes a net that fits almost exactly bounce off its fit. So
# the memory is shortened only in the middle, while the rate falls from a
# half to a twentieth of its start: the old gradients are forgotten, the
# rate is already low, and by the last epochs the memory is long again.
# |x| then ends at a worst of 8.5e-09, sin at 5.5e-06 (was 6.8e-06), and a
# run whose weights start one part in 1e15 apart ends at the same loss to
# five digits, as before. Only an Adam that fit builds by name is changed.


def _may_forget(opt, settled_at) -> bool:
    """Whether fit's Adam may shorten its memory now: only once it has one, and only while the loss still falls.

    Before 1 / (1 - beta2) steps (1000) there are no old gradients to forget, and Adam's bias
    correction, 1 - beta2**t, would be far from what the average was built with (after 3 steps
    a switch to 0.9 made every step 18x too large). A loss that has settled has nothing left to
    creep towards, and a short memory would only make it bounce.
    """
    return settled_at is None and opt.t >= 1 / (1 - BETA2)


def mean_loss(loss_fn, y: np.ndarray) -> float:
    """The loss of always predicting the mean of each column of y: the baseline any model must beat.

    For MSE it is y's variance; for binary cross-entropy on 0/1 labels, the
    entropy of the class frequencies (0.693 for two equal classes), and for
    softmax cross-entropy on labels likewise (log K for K equal classes). A model
    worse than this has learnt less than a constant. inf where it overflows.
    Shape: y (N, outputs).

    >>> mean_loss(MSELoss(), np.array([[0.0], [2.0]]))      # always 1: each target is 1 away
    1.0
    """
    y = np.asarray(y)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if isinstance(loss_fn, CrossEntropyLoss):  # labels: the logits of the class frequencies, for every row
            frequencies = np.bincount(y[:, 0].astype(int)) / len(y)
            return float(loss_fn(np.broadcast_to(np.log(frequencies), (len(y), len(frequencies))), y))
        return float(loss_fn(np.broadcast_to(y.mean(axis=0), y.shape), y))


def divergence(final_loss: float, start_loss: float, baseline: float) -> str | None:
    """Why a run whose training loss went from ``start_loss`` to ``final_loss`` has diverged, or None.

    The one rule of divergence, which ``fit``, the command line and the
    scikit-learn estimators all go by. A run has diverged when its final loss
    is not finite, or when it is both above where training started (the
    model's loss before its first update) and more than WORSE_THAN_MEAN (2)
    times ``baseline``, the loss of always predicting the mean (``mean_loss``):
    training made it worse than a constant. Either half alone is no
    explosion: a loss still falling from a poor start has not got far yet,
    and a converged fit that Adam's first steps after a resume push up (4e-6
    to 3e-4) is still far better than the mean.

    >>> print(divergence(3.3e6, 0.55, 0.499))
    the final training loss 3.3e+06 is above the 0.55 it started from and over 2x that of always predicting the mean (0.499)
    >>> divergence(0.3, 0.55, 0.499) is None
    True
    """
    if not math.isfinite(final_loss):
        return f"the final training loss is {final_loss}"
    if final_loss > start_loss and final_loss > WORSE_THAN_MEAN * baseline:
        return (f"the final training loss {final_loss:.3g} is above the {start_loss:.3g} it started from and "
                f"over {WORSE_THAN_MEAN}x that of always predicting the mean ({baseline:.3g})")
    return None


def losses_before(net, X, y, loss: str = "mse") -> tuple[float, float]:
    """(the loss of ``net`` on (X, y) before training, that of always predicting the mean of y): what
    ``divergence`` compares a final loss with, inf where a loss overflows. Shape: X (N, in), y (N, out)."""
    loss_fn, y = get_loss(loss), y.astype(model_dtype(net))
    with np.errstate(over="ignore", invalid="ignore"):
        return float(loss_fn(predict(net, X), y)), mean_loss(loss_fn, y)


def check_not_diverged(net, X, y, loss: str, before: tuple[float, float], lr: float) -> None:
    """Raise TrainingDiverged, in ``fit``'s words, if ``net``'s loss on (X, y) has diverged from ``before``
    (``losses_before``'s) by ``divergence``: for a run that stopped before ``fit`` could judge it."""
    loss_fn, y = get_loss(loss), y.astype(model_dtype(net))
    with np.errstate(over="ignore", invalid="ignore"):
        final = float(loss_fn(predict(net, X), y))
    reason = divergence(final, *before)
    if reason is not None:
        raise diverged(reason, lr)


def split_rows(X, y, fraction: float | None, seed: int):
    """(X_train, y_train, X_val, y_val): a seeded random ``fraction`` of the rows held out (None: no rows),
    each part in the rows' own order. Raises ValueError if either part would be empty.

    >>> X_train, y_train, X_val, y_val = split_rows(np.arange(8.0)[:, None], np.zeros((8, 1)), 0.25, seed=0)
    >>> X_train.shape, X_val.shape
    ((6, 1), (2, 1))
    """
    if fraction is None:
        return X, y, None, None
    n_val = round(fraction * len(X))
    if not 1 <= n_val < len(X):
        raise ValueError(f"{fraction} of {len(X)} rows leaves no rows for training or validation")
    order = np.random.default_rng(seed).permutation(len(X))
    val, kept = np.sort(order[:n_val]), np.sort(order[n_val:])
    return X[kept], y[kept], X[val], y[val]


def check_data(X, y, data: str, names, target_name, *, dtype="float64", standardize: bool = True,
               scale_targets: bool = True) -> None:
    """Refuse, naming ``data`` (a file, "-" for stdin, or a data set) and the column (``names``, ``target_name``;
    None for a built-in set), values a model of ``dtype`` cannot compute with (too large, or too close
    together to standardise), before anything is built or trained. ``check_columns`` says how."""
    where = "<stdin>" if data == "-" else data
    check_columns(X, where, dtype, names=names, standardize=standardize)
    check_columns(y, where, dtype, names=None if target_name is None else [target_name],
                  standardize=standardize and scale_targets)


def predict(model, X) -> np.ndarray:
    """Check X and return ``model(X)``. X: (N, in_features) -> (N, out_features).

    >>> predict(exact_abs(), [[-2.0], [0.5]])      # lists are fine: predict checks and converts
    array([[2. ],
           [0.5]])
    """
    X = as_batch(X, "X", features=input_features(model), dtype=model_dtype(model))
    return model(X)


def make_optimizer(name: str, params, *, lr: float | None = None, weight_decay: float = 0.0) -> Optimizer:
    """The optimizer ``fit`` builds for ``name`` ("sgd", "adam" or "adamw"), with weight decay if asked.

    lr defaults to 0.01; every other setting is the optimizer's own default.
    weight_decay is L2 (grad + weight_decay * data) for SGD and Adam, and
    decoupled (data -= lr * weight_decay * data) for AdamW.

    >>> make_optimizer("adamw", mlp([1, 4, 1]).parameters(), weight_decay=0.1)
    AdamW(lr=0.01, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.1)
    """
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}: choose one of {', '.join(OPTIMIZERS)}")
    lr = DEFAULT_LR if lr is None else positive_float(lr, "lr")
    weight_decay = non_negative_float(weight_decay, "weight_decay")
    if name != "adam" and lr * weight_decay >= 1:  # adam divides its decay by the gradients' size: no such bound
        raise ValueError(f"weight decay {weight_decay:g} at learning rate {lr:g} would zero or flip every weight "
                         f"each step ({name} multiplies them by 1 - lr * weight decay): keep their product well "
                         "below 1")
    return OPTIMIZERS[name](params, lr=lr, weight_decay=weight_decay)


def _make_optimizer(optimizer, params, lr, weight_decay):
    if isinstance(optimizer, Optimizer):
        if weight_decay:
            raise ValueError("weight_decay goes with an optimizer by name: give it to the optimizer you built")
        if [id(p) for p in optimizer.params] != [id(p) for p in params]:
            raise ValueError("the optimizer was built on other parameters: build it on model.parameters()")
        return optimizer
    return make_optimizer(optimizer, params, lr=lr, weight_decay=weight_decay)


def fit(model, X, y, *, loss="mse", optimizer="adam", lr: float | None = None,
        epochs: int = DEFAULT_EPOCHS, batch_size: int | None = None, lr_decay: float = DEFAULT_LR_DECAY,
        patience: int | None = DEFAULT_PATIENCE, seed=0, callback=None, validation=None,
        restore_best: bool = False, weight_decay: float = 0.0) -> History:
    """Train ``model`` on (X, y) and return its ``History``.

    Args:
        model: a Module, e.g. from ``mlp``; trained in place.
        X: (N, in_features) inputs; y: (N, out_features) targets. Integers are
            converted to the model's float dtype; NaN, inf, 1-D arrays and
            mismatched lengths are refused.
        loss: "mse", "bce", "ce" (softmax cross-entropy: y holds class labels) or a loss instance.
        optimizer: "sgd", "adam", "adamw" (built by ``make_optimizer``; an Adam
            built so has its beta2 set by ``adam_beta2`` every epoch) or an
            Optimizer built on ``model.parameters()``
            (it is given back with the learning rate it came with).
        lr: the starting learning rate (default 0.01, or the optimizer's own).
        epochs: at most this many passes over the data (default 2000).
        batch_size: samples per step; None means the full batch, one step per epoch.
        lr_decay: the learning rate falls along half a cosine from lr at the
            first epoch to lr * lr_decay at the last (default 0.01):
            lr_e = lr_end + (lr - lr_end) * (1 + cos(pi * e / (epochs - 1))) / 2,
            e = 0 ... epochs - 1. 1.0 keeps it constant.
        patience: once the lowest loss so far has not fallen by a relative
            1e-6 in this many epochs (default 200), the loss has settled: the
            rate falls along the rest of the cosine to lr * lr_decay in this many
            more epochs, training stops and ``History.settled`` is True. None
            trains every epoch.
        seed: seeds the generator that reshuffles mini-batches every epoch.
        callback: called as callback(epoch, loss) after each epoch, epoch = 1 ... epochs.
        validation: optional (X_val, y_val); its loss goes in History.val_loss.
        restore_best: with ``validation``, hold-out stopping: keep the
            parameters of the epoch with the lowest validation loss
            (``History.best_epoch``), and stop once it has not fallen for
            ``patience`` epochs: the epochs after it fit the training data's
            noise, not the function.
        weight_decay: for an optimizer by name, its weight decay (``make_optimizer``:
            L2 for "sgd" and "adam", decoupled for "adamw"); default 0.

    Raises:
        TrainingDiverged: the loss became NaN or inf, or it ended worse than
            at the start and over twice that of always predicting the mean
            (``divergence`` says so, with the numbers). The model is put back
            to the parameters of the last epoch whose loss was finite, or, in
            the second case, to those it came in with. The optimizer's own
            state (momentum, Adam's averages) is not: train on with a new
            optimizer.

    KeyboardInterrupt passes through; the model then holds the parameters of
    the last completed step (an update is one in-place write, never half done).

    >>> X, y = make_dataset("abs")
    >>> history = fit(mlp([1, 8, 1], seed=0), X, y, epochs=300)
    >>> history.final_loss < history.loss[0]
    True
    """
    loss_fn = get_loss(loss) if isinstance(loss, str) else loss
    X, y, validation = checked_training_data(model, X, y, validation, labels=isinstance(loss_fn, CrossEntropyLoss))
    epochs = positive_int(epochs, "epochs")
    if batch_size is not None:
        batch_size = positive_int(batch_size, "batch_size")
    if lr is not None:
        lr = positive_float(lr, "lr")
    lr_decay = positive_float(lr_decay, "lr_decay")
    if lr_decay > 1:
        raise ValueError(f"lr_decay must be in (0, 1] (the rate only falls), got {lr_decay!r}")
    if patience is not None:
        patience = positive_int(patience, "patience")
    if restore_best and validation is None:
        raise ValueError("restore_best keeps the epoch with the lowest validation loss: give validation=(X_val, y_val)")
    check_loss(model, loss_fn, y)
    opt = _make_optimizer(optimizer, model.parameters(), lr, weight_decay)
    own_adam = isinstance(optimizer, str) and hasattr(opt, "beta2")  # fit's Adam, built by name: see adam_beta2
    lr_start = opt.lr if lr is None else lr
    rng = np.random.default_rng(as_seed(seed))
    history = History()
    params = FlatParameters(opt.params)  # one vector of every parameter's values, for snapshots
    initial = params.snapshot()  # the model as it came in: what a run that ends worse is put back to
    good = initial.copy()  # parameters whose loss was last seen finite
    spare = np.empty_like(good)  # two buffers, swapped every epoch: no new array per epoch
    best, best_epoch = math.inf, 0
    best_val, kept = math.inf, None  # restore_best: the lowest validation loss and its epoch's parameters
    settled_at = settled_lr = None  # when the loss settled, and the rate it had then
    start = time.perf_counter()
    # Overflow on the way to a NaN loss is reported once, as TrainingDiverged, not as numpy warnings.
    with np.errstate(over="ignore", invalid="ignore"), _lr_restored(opt):
        # what the divergence rule compares the final loss with: the loss before any update (a mini-batch
        # epoch's loss already holds that epoch's steps), and always predicting the mean
        start_loss, baseline = loss_fn(model(X), y), mean_loss(loss_fn, y)
        for epoch in range(1, epochs + 1):
            if settled_at is None:
                opt.lr = cosine_lr(lr_start, lr_decay, epoch, epochs)
            else:  # the rest of the schedule, in `patience` epochs
                opt.lr = cosine_lr(settled_lr, lr_start * lr_decay / settled_lr, epoch - settled_at, patience)
            if own_adam:  # see adam_beta2
                opt.beta2 = adam_beta2(opt.lr / lr_start) if _may_forget(opt, settled_at) else BETA2
            start_of_epoch = params.snapshot(out=spare)
            epoch_loss = _run_epoch(model, loss_fn, opt, X, y, batch_size, rng)
            if not math.isfinite(epoch_loss):
                _diverged(lr_start, weight_decay, params, good, f"the loss became {epoch_loss} at epoch {epoch}")
            good, spare = start_of_epoch, good  # this epoch's start gave a finite loss
            history.loss.append(epoch_loss)
            if validation is not None:
                history.val_loss.append(loss_fn(model(validation[0]), validation[1]))
                if restore_best and history.val_loss[-1] < best_val:
                    best_val, history.best_epoch = history.val_loss[-1], epoch
                    kept = params.snapshot(out=kept)
                if restore_best and patience is not None and epoch - (history.best_epoch or 0) >= patience:
                    break
            if callback is not None:
                callback(epoch, epoch_loss)
            if epoch_loss < best * (1 - SETTLE_TOL):
                best, best_epoch = epoch_loss, epoch
            if settled_at is None and patience is not None and epoch - best_epoch >= patience:
                settled_at, settled_lr = epoch, opt.lr
            elif settled_at is not None and epoch - settled_at >= patience:
                history.settled = True
                break
        if kept is not None:
            params.restore(kept)
        # the last update was never evaluated: make sure it left numbers, and better ones than a constant's
        history.final_loss = loss_fn(model(X), y)
        if not math.isfinite(history.final_loss):
            _diverged(lr_start, weight_decay, params, good,
                      f"the loss became {history.final_loss} after the last epoch, {epoch}")
        worse = divergence(history.final_loss, start_loss, baseline)
        if worse is not None:  # finite, but worse than a constant: put back the model that came in
            _diverged(lr_start, weight_decay, params, initial, worse)
    history.seconds = time.perf_counter() - start
    return history


def _run_epoch(model, loss_fn, opt, X, y, batch_size, rng) -> float:
    """One pass over the data; returns the mean loss over its samples."""
    n = X.shape[0]
    if batch_size is None or batch_size >= n:
        return train_step(model, loss_fn, opt, X, y)
    order = rng.permutation(n)  # a new order every epoch
    total = 0.0
    for i in range(0, n, batch_size):
        idx = order[i:i + batch_size]
        total += train_step(model, loss_fn, opt, X[idx], y[idx]) * len(idx)
    return total / n


def _diverged(lr: float, weight_decay: float, params: FlatParameters, kept: np.ndarray, what: str):
    """Put the parameters ``kept`` back and raise ``diverged``'s error."""
    params.restore(kept)
    raise diverged(what, lr, weight_decay)


def diverged(what: str, lr: float, weight_decay: float = 0.0) -> TrainingDiverged:
    """The error of a run that diverged: one line, with the numbers and the cure."""
    decay = f" or the weight decay ({weight_decay:.3g})" if weight_decay else ""
    return TrainingDiverged(f"training diverged: {what}: lower the learning rate (lr was {lr:.3g}){decay}")


@contextmanager
def _lr_restored(opt):
    """The schedule is fit's own: give the optimizer back with the learning rate it came with."""
    own_lr = opt.lr
    try:
        yield
    finally:
        opt.lr = own_lr
