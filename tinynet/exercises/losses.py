"""The checks of a loss the learner writes: its value is a number, backward returns dL/d(prediction) of the
prediction's shape, agrees with central differences and with the engine's loss on random shapes (a batch
of one among them), and a small net trained with it learns sin (MSE) or which |x| are above 1.5 (BCE)."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..engine import ReLU, Sequential, Sigmoid, Tanh
from ..gradcheck import numeric_gradient, relative_error, relative_error_text
from .checking import EPS, TOLERANCE, differs, mlp_with, same, train, trains

CASES = [(1, 1), (1, 3), (8, 1), (16, 4)]


@dataclass(frozen=True)
class LossTask:
    """How to check a loss: the engine's class, the kind of target, and the known mistakes
    (hint, function of (prediction, target, the right gradient) -> the gradient that mistake gives)."""

    reference: type
    binary: bool = False  # targets 0/1 and predictions in (0, 1), as BCE takes them
    mistakes: tuple[tuple[str, Callable], ...] = ()

    def sample(self, rng, shape):
        if self.binary:
            return rng.uniform(0.1, 0.9, size=shape), rng.integers(0, 2, size=shape).astype(float)
        return rng.normal(size=shape), rng.normal(size=shape)

    def checks(self, cls) -> list[tuple[str, Callable]]:
        return [("shapes", lambda: self.shapes(cls)), ("gradient check", lambda: self.gradcheck(cls)),
                (f"against the engine's {self.reference.__name__}", lambda: self.compare(cls)),
                ("trains", lambda: self.trains(cls))]

    def shapes(self, cls):
        p, t = self.sample(np.random.default_rng(0), (5, 3))
        loss = cls()
        value = loss.forward(p, t)
        if np.ndim(value) != 0:
            return False, f"forward returned an array of shape {np.shape(value)}: a loss is one number", []
        grad = np.asarray(loss.backward())
        if grad.shape != p.shape:
            return False, f"backward returned {grad.shape}: dL/d(prediction) has the prediction's shape {p.shape}", []
        return True, f"prediction {p.shape} -> loss {float(value):.4g}; backward -> {grad.shape}", []

    def gradcheck(self, cls):
        p, t = self.sample(np.random.default_rng(1), (6, 3))
        loss = cls()
        numeric = numeric_gradient(lambda: float(loss.forward(p, t)), p, EPS)
        loss.forward(p, t)
        error = relative_error(np.asarray(loss.backward(), dtype=float), numeric)
        return error <= TOLERANCE, f"float64, eps 1e-6, prediction (6, 3): relative error {relative_error_text(error)}", []

    def compare(self, cls):
        rng = np.random.default_rng(2)
        for shape in CASES:
            p, t = self.sample(rng, shape)
            mine, theirs = cls(), self.reference()
            gap = differs(mine.forward(p, t), theirs.forward(p, t))
            if gap is None:
                gap, what = differs(mine.backward(), theirs.backward()), "backward"
            else:
                what = "the loss"
            if gap is not None:
                return False, f"on a prediction of shape {shape}: {what} differs (by up to {gap:.3g})", []
        return True, f"loss and gradient equal on shapes {', '.join(map(str, CASES))}", []

    def trains(self, cls):
        def net():
            return Sequential(mlp_with(Tanh), Sigmoid()) if self.binary else mlp_with(ReLU)

        data = "classes" if self.binary else "sin"
        mine, theirs = net(), net()
        before, after = train(mine, loss=cls(), data=data)
        reference = train(theirs, loss=self.reference(), data=data)[1]
        how = "mlp 1-16-16-1 with a Sigmoid output on |x| > 1.5" if self.binary else "mlp 1-16-16-1 on sin"
        return trains(before, after, reference, f"{how}, 300 Adam steps", f"the engine's {self.reference.__name__}")

    def diagnose(self, cls) -> str | None:
        p, t = self.sample(np.random.default_rng(3), (6, 3))
        loss, reference = cls(), self.reference()
        loss.forward(p, t)
        reference.forward(p, t)
        grad, expected = loss.backward(), reference.backward()
        if same(grad, expected):
            return None
        return next((hint for hint, mistake in self.mistakes if same(grad, mistake(p, t, expected))), None)
