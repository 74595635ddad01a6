"""The checks of an optimizer's step and of the training step the learner writes.

An optimizer has no gradient to check: instead its step must update p.data in
place, give the engine's numbers on a step small enough to do by hand, follow
the engine's optimizer step after step on random shapes (a parameter of one
entry among them), and train a small net on sin. Its known mistakes are
recognised by running each one (``simulate``) and comparing where it leads.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..engine import SGD, Adam, MSELoss, Parameter, Tanh, train_step
from .checking import differs, mlp_with, same, train, trains

SHAPES = [(4, 3), (3,), (1,)]
STEPS = 5


def random_parameters(rng, shapes=SHAPES) -> list[Parameter]:
    return [Parameter(rng.normal(size=shape)) for shape in shapes]


def gradients(seed: int, shapes=SHAPES, steps: int = STEPS) -> list[list[np.ndarray]]:
    """A gradient for every parameter at every step, the same for every run with this seed."""
    rng = np.random.default_rng(seed)
    return [[rng.normal(size=shape) for shape in shapes] for _ in range(steps)]


def follow(optimizer_cls: Callable, config: dict, seed: int) -> list[list[np.ndarray]]:
    """Each parameter's data after each of STEPS steps of ``optimizer_cls(params, **config)``."""
    params = random_parameters(np.random.default_rng(seed))
    optimizer = optimizer_cls(params, **config)
    path = []
    for grads in gradients(seed + 100):
        for p, g in zip(params, grads):
            p.grad[...] = g
        optimizer.step()
        path.append([p.data.copy() for p in params])
    return path


def simulate(update: Callable, config: dict, seed: int) -> list[np.ndarray]:
    """Where ``update(data, grad, state, config, t)`` (one parameter, t = 1, 2, ...) leads in STEPS steps."""
    datas = [p.data for p in random_parameters(np.random.default_rng(seed))]
    states = [{} for _ in datas]
    for t, grads in enumerate(gradients(seed + 100), start=1):
        for data, grad, state in zip(datas, grads, states):
            update(data, grad, state, config, t)
    return datas


# --- the known mistakes, each as the step it takes ---

def plain(sign: float = 1.0, with_lr: bool = True) -> Callable:
    def update(data, grad, state, c, t):
        data -= sign * (c["lr"] if with_lr else 1.0) * grad
    return update


def momentum(keep: bool = True, dampen: bool = False, decay: bool = True, sign: float = 1.0) -> Callable:
    def update(data, grad, state, c, t):
        g = grad + (c.get("weight_decay", 0.0) * data if decay else 0.0)
        mu = c.get("momentum", 0.0)
        state["v"] = mu * (state.get("v", 0.0) if keep else 0.0) + ((1 - mu) if dampen else 1.0) * g
        data -= sign * c["lr"] * state["v"]
    return update


def adam(correct: bool = True, keep: bool = True, decay: bool = True, t_late: bool = False) -> Callable:
    def update(data, grad, state, c, t):
        b1, b2 = c.get("betas", (0.9, 0.999))
        g = grad + (c.get("weight_decay", 0.0) * data if decay else 0.0)
        state["m"] = b1 * (state.get("m", 0.0) if keep else 0.0) + (1 - b1) * g
        state["v"] = b2 * (state.get("v", 0.0) if keep else 0.0) + (1 - b2) * g**2
        m_hat, v_hat = state["m"], state["v"]
        if correct:
            tc = t - 1 if t_late else t
            m_hat, v_hat = m_hat / (1 - b1**tc), v_hat / (1 - b2**tc)
        data -= c["lr"] * m_hat / (np.sqrt(v_hat) + c.get("eps", 1e-8))
    return update


@dataclass(frozen=True)
class OptimizerTask:
    """How to check an optimizer: the engine's (a class taking params and ``configs``' keywords), the
    configurations to compare in, and the known mistakes as (hint, update) for ``simulate``."""

    reference: Callable
    configs: tuple[dict, ...]
    mistakes: tuple[tuple[str, Callable], ...] = ()
    train_config: dict | None = None

    def checks(self, cls) -> list[tuple[str, Callable]]:
        return [("in place", lambda: self.in_place(cls)), ("one step by hand", lambda: self.by_hand(cls)),
                ("against the engine", lambda: self.compare(cls)), ("trains", lambda: self.trains(cls))]

    def in_place(self, cls):
        params = random_parameters(np.random.default_rng(0))
        for p in params:
            p.grad[...] = 1.0
        arrays = [p.data for p in params]
        before = [a.copy() for a in arrays]
        cls(params, **self.configs[0]).step()
        for p, array, old in zip(params, arrays, before):
            if p.data is not array:
                return False, "step put a new array in p.data instead of updating the one there", []
            if np.array_equal(p.data, old):
                return False, "step left p.data as it was", []
        return True, f"p.data updated in place, its shapes {', '.join(map(str, SHAPES))} kept", []

    def by_hand(self, cls):
        config = self.configs[0]
        mine, theirs = Parameter(np.array([1.0, 2.0])), Parameter(np.array([1.0, 2.0]))
        for p in (mine, theirs):
            p.grad[...] = [0.5, -1.0]
        cls([mine], **config).step()
        self.reference([theirs], **config).step()
        settings = ", ".join(f"{k}={v}" for k, v in config.items())
        text = (f"data [1, 2], grad [0.5, -1], {settings}: yours {np.round(mine.data, 6)}, "
                f"the engine's {np.round(theirs.data, 6)}")
        return same(mine.data, theirs.data), text, []

    def compare(self, cls):
        for i, config in enumerate(self.configs):
            mine, theirs = follow(cls, config, i), follow(self.reference, config, i)
            for step, (a, b) in enumerate(zip(mine, theirs), start=1):
                gaps = [gap for x, y in zip(a, b) if (gap := differs(x, y)) is not None]
                if gaps:
                    settings = ", ".join(f"{k}={v}" for k, v in config.items())
                    return False, f"with {settings}, after step {step}: p.data differs (by up to {gaps[0]:.3g})", []
        shapes = ", ".join(map(str, SHAPES))
        return True, f"{STEPS} steps equal in {len(self.configs)} settings, parameters of shapes {shapes}", []

    def trains(self, cls):
        config = self.train_config or self.configs[0]
        mine, theirs = mlp_with(Tanh), mlp_with(Tanh)
        before, after = train(mine, optimizer=cls(mine.parameters(), **config))
        reference = train(theirs, optimizer=self.reference(theirs.parameters(), **config))[1]
        settings = ", ".join(f"{k}={v}" for k, v in config.items())
        return trains(before, after, reference, f"mlp 1-16-16-1 on sin, 300 steps with {settings}", "the engine's")

    def diagnose(self, cls) -> str | None:
        params = random_parameters(np.random.default_rng(0))
        arrays = [p.data for p in params]
        cls(params, **self.configs[0]).step()
        if any(p.data is not array for p, array in zip(params, arrays)):
            return "not-in-place"
        for i, config in enumerate(self.configs):
            mine = follow(cls, config, i)[-1]
            if all(same(a, b) for a, b in zip(mine, follow(self.reference, config, i)[-1])):
                continue
            for hint, update in self.mistakes:
                if all(same(a, b) for a, b in zip(mine, simulate(update, config, i))):
                    return hint
            return None
        return None


# --- the training step ---

def stale(model) -> None:
    """Leave a gradient of 1 in every parameter, as an earlier step's backward would."""
    for p in model.parameters():
        p.grad[...] = 1.0


def in_order(*actions: str) -> Callable:
    """A training step that takes the loss, then does ``actions`` ("zero_grad", "backward", "step") in
    this order and returns the loss: the engine's order is zero_grad, backward, step."""
    def step(model, loss_fn, optimizer, X, y):
        loss = loss_fn(model(X), y)
        do = {"zero_grad": optimizer.zero_grad, "backward": lambda: model.backward(loss_fn.backward()),
              "step": optimizer.step}
        for action in actions:
            do[action]()
        return loss
    return step


def loss_after_step(model, loss_fn, optimizer, X, y):
    train_step(model, loss_fn, optimizer, X, y)
    return loss_fn(model(X), y)


STEP_MISTAKES = (("zero-grad", in_order("backward", "step")),               # never zeroed
                 ("zero-grad", in_order("backward", "zero_grad", "step")),  # zeroed what backward gave
                 ("zero-grad", in_order("backward", "step", "zero_grad")),  # zeroed too late: stale at step 1
                 ("step-before-backward", in_order("zero_grad", "step", "backward")),
                 ("loss-after-step", loss_after_step))


@dataclass(frozen=True)
class StepTask:
    """How to check train_step: the loss it returns, its update by hand and against the engine's, training."""

    def checks(self, fn) -> list[tuple[str, Callable]]:
        return [("returns the loss", lambda: self.returns_loss(fn)), ("one step by hand", lambda: self.by_hand(fn)),
                ("against train_step", lambda: self.compare(fn)), ("trains", lambda: self.trains(fn))]

    def returns_loss(self, fn):
        model = mlp_with(Tanh, (1, 4, 1))
        X, y = np.linspace(-1, 1, 5).reshape(-1, 1), np.linspace(0, 2, 5).reshape(-1, 1)
        expected = MSELoss()(model(X), y)
        shapes = [p.data.shape for p in model.parameters()]
        loss = fn(model, MSELoss(), SGD(model.parameters(), lr=0.1), X, y)
        if np.ndim(loss) != 0:
            return False, f"returned {type(loss).__name__} {loss!r}, not the loss (one number)", []
        if [p.data.shape for p in model.parameters()] != shapes:
            return False, "the parameters changed shape", []
        return same(loss, expected), f"returned {float(loss):.6g}; the loss before the update is {expected:.6g}", []

    def by_hand(self, fn):
        results = []
        for step in (fn, train_step):
            model = mlp_with(Tanh, (1, 1))  # one Linear: y = x @ W + b
            model[0].weight.data[...], model[0].bias.data[...] = 0.0, 0.0
            stale(model)
            X, y = np.array([[1.0], [2.0]]), np.array([[2.0], [4.0]])
            loss = step(model, MSELoss(), SGD(model.parameters(), lr=0.1), X, y)
            results.append((float(loss), float(model[0].weight.data[0, 0]), float(model[0].bias.data[0])))
        (loss, w, b), (loss_0, w_0, b_0) = results
        text = (f"W = b = 0, X = [[1], [2]], y = [[2], [4]], lr 0.1, a stale gradient in .grad: yours returned "
                f"{loss:.6g} and left W {w:.6g}, b {b:.6g}; the engine's {loss_0:.6g}, W {w_0:.6g}, b {b_0:.6g}")
        return same(results[0], results[1]), text, []

    def compare(self, fn):
        rng = np.random.default_rng(0)
        for n in (1, 7, 32):
            X, y = rng.normal(size=(n, 2)), rng.normal(size=(n, 3))
            for make in (lambda ps: SGD(ps, lr=0.1, momentum=0.9), lambda ps: Adam(ps, lr=0.01)):
                runs = []
                for step in (fn, train_step):
                    model = mlp_with(Tanh, (2, 5, 3))
                    stale(model)
                    optimizer = make(model.parameters())
                    losses = [float(step(model, MSELoss(), optimizer, X, y)) for _ in range(3)]
                    runs.append((losses, [p.data.copy() for p in model.parameters()]))
                (losses, params), (losses_0, params_0) = runs
                if not same(losses, losses_0) or not all(same(a, b) for a, b in zip(params, params_0)):
                    name = type(make([])).__name__
                    return False, (f"3 steps with {name} on a batch of {n}: losses {np.round(losses, 6)}, "
                                   f"the engine's {np.round(losses_0, 6)}"), []
        return True, "3 steps equal with SGD (momentum 0.9) and Adam on batches of 1, 7 and 32", []

    def trains(self, fn):
        before, after = train(mlp_with(Tanh), step=fn)
        reference = train(mlp_with(Tanh), step=train_step)[1]
        return trains(before, after, reference, "mlp 1-16-16-1 on sin, 300 Adam steps", "the engine's train_step")

    def diagnose(self, fn) -> str | None:
        def run(step):
            model = mlp_with(Tanh, (2, 5, 3))
            stale(model)
            optimizer = SGD(model.parameters(), lr=0.1)
            X, y = np.linspace(-1, 1, 12).reshape(6, 2), np.linspace(0, 1, 18).reshape(6, 3)
            losses = [float(step(model, MSELoss(), optimizer, X, y)) for _ in range(2)]
            # the gradients left behind too: zeroed before the step, or computed after it, the data do not move
            return [losses] + [p.data.copy() for p in model.parameters()] + [p.grad for p in model.parameters()]

        mine = run(fn)
        if all(same(a, b) for a, b in zip(mine, run(train_step))):
            return None
        return next((hint for hint, step in STEP_MISTAKES if all(same(a, b) for a, b in zip(mine, run(step)))), None)
