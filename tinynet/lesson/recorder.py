"""KinkRecorder: watch the kinks move while ``fit`` trains, to draw the film yourself.

``fit(..., callback=recorder)`` calls the recorder after every epoch; every
``every`` epochs it keeps a ``Snapshot``: a copy of the parameters, each
first-layer unit's kink x = -b / w (in the data's units, through a
Standardize) and whether that unit is dead on the data, and the
``breakpoints`` of the whole model. A kink that leaves the data, or a unit
that dies (off for every x of the data, so its gradient is 0 for good), is
how a ReLU net ends as linear regression (seeds.py counts how often).

Copies cost little: a 1-32-32-1 net has 1153 parameters, 9 KB a snapshot.
"""

import copy
import math
from dataclasses import dataclass

import numpy as np

from .. import kinds
from ..checks import positive_int
from ..model import input_features, layers_of, output_features
from .hinges import first_layer_lines
from .pieces import breakpoints, is_piecewise_linear


@dataclass
class Snapshot:
    """The model after ``epoch`` updates (epoch 0: as initialised).

    ``loss``: the training loss of exactly these parameters, as ``fit``
    measured it at the start of the next epoch (with mini-batches, the mean
    over that epoch's batches); nan until it is known.
    ``parameters``: copies, in ``model.parameters()`` order.
    ``kinks``: (units,) first-layer kinks x = -c / a in the data's units
    (nan for a unit with a = 0), or None unless the model has one input.
    ``dead``: (units,) True where a first-layer ReLU unit (slope 0 when off)
    is off on all of [lo, hi] (never for LeakyReLU), or None like ``kinks``.
    ``breakpoints``: ``breakpoints(model, lo, hi)``, or None unless the
    model is one-input, one-output and piecewise linear.
    """

    epoch: int
    loss: float
    parameters: list[np.ndarray]
    kinks: np.ndarray | None
    dead: np.ndarray | None
    breakpoints: np.ndarray | None


class KinkRecorder:
    """A ``fit`` callback that keeps a ``Snapshot`` at epoch 0 and every ``every`` epochs after.

    Args:
        model: the model being trained, or the same layers inside scaling
            layers (the model ``standardized`` returns): kinks are then in the
            data's units.
        every: keep a snapshot every this many epochs (1 keeps them all).
        first: also keep each of the first this many epochs, where kinks move fastest.
        at: also keep these epochs (a film spaces them evenly in log(epoch), where training changes most).
        lo, hi: the data's range: breakpoints and dead units are judged on
            [lo, hi] (default: every x).

    Call ``finish(history)`` after ``fit``: it keeps the last epoch too and
    gives the last snapshot its loss (``history.final_loss``).

    Shape: per snapshot, kinks and dead (units of the first layer,), and
    breakpoints (B,), B varying from snapshot to snapshot.

    >>> model = mlp([1, 2, 1], seed=0); recorder = KinkRecorder(model, every=100, lo=-1, hi=1)
    >>> recorder.finish(fit(model, *make_dataset("abs", 64), epochs=300, callback=recorder))
    >>> [s.epoch for s in recorder.snapshots], recorder.snapshots[-1].dead.tolist()
    ([0, 100, 200, 300], [True, True])
    """

    def __init__(self, model, every: int = 10, lo: float = -math.inf, hi: float = math.inf, first: int = 0,
                 at=()):
        self.model = model
        self.every = positive_int(every, "every")
        self.at = frozenset(int(epoch) for epoch in at)
        if isinstance(first, bool) or not isinstance(first, int) or first < 0:
            raise ValueError(f"first must be an integer >= 0 (epochs kept one by one), got {first!r}")
        self.first = first
        self.lo, self.hi = float(lo), float(hi)
        if not self.lo < self.hi:
            raise ValueError(f"KinkRecorder needs lo < hi (the data's range), got lo={lo}, hi={hi}")
        self.one_input = input_features(model) == 1
        self.pieces = self.one_input and output_features(model) == 1 and is_piecewise_linear(model)
        self.snapshots: list[Snapshot] = []
        self.record(0)

    def __call__(self, epoch: int, loss: float) -> None:
        last = self.snapshots[-1] if self.snapshots else None
        if last is not None and last.epoch == epoch - 1:  # fit measured this epoch's loss before its update
            last.loss = float(loss)
        if epoch % self.every == 0 or epoch <= self.first or epoch in self.at:
            self.record(epoch)

    def record(self, epoch: int, loss: float = math.nan) -> Snapshot:
        """Keep a snapshot of the model as it is now, labelled ``epoch``."""
        kinks = dead = None
        if self.one_input:
            a, c = first_layer_lines(self.model)
            with np.errstate(divide="ignore", invalid="ignore"):
                kinks = np.where(a != 0, -c / a, np.nan) + 0.0
            dead = self._dead(a, c)
        bends = breakpoints(self.model, self.lo, self.hi) if self.pieces else None
        snapshot = Snapshot(epoch, float(loss), [p.data.copy() for p in self.model.parameters()], kinks, dead, bends)
        self.snapshots.append(snapshot)
        return snapshot

    def finish(self, history) -> None:
        """Keep the last epoch (if not kept yet) and give it ``history.final_loss``, the loss it ends with."""
        if self.snapshots[-1].epoch != history.epochs:
            self.record(history.epochs)
        self.snapshots[-1].loss = float(history.final_loss)

    def model_at(self, snapshot: Snapshot):
        """A copy of the model with the parameters it had at ``snapshot``; the model itself is not touched."""
        model = copy.deepcopy(self.model)
        for param, data in zip(model.parameters(), snapshot.parameters):
            param.data[...] = data
        return model

    def _dead(self, a: np.ndarray, c: np.ndarray) -> np.ndarray:
        """Off at both ends of [lo, hi], so (z being a line) off over all of it; only ReLU units die."""
        layers = layers_of(self.model)
        first = next(i for i, layer in enumerate(layers) if hasattr(layer, "weight"))
        act = layers[first + 1] if first + 1 < len(layers) else None
        if act is None or not kinds.has_kink(act) or kinds.slopes(act)[0] != 0:  # LeakyReLU passes gradient when off
            return np.zeros(a.shape, dtype=bool)
        with np.errstate(invalid="ignore"):  # 0 * inf: a flat unit, whose z is c everywhere
            ends = [np.where(a == 0, c, a * end + c) for end in (self.lo, self.hi)]
        return (ends[0] <= 0) & (ends[1] <= 0)
