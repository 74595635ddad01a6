"""The checks of a layer the learner writes (an activation, Linear, a new layer, a whole small net).

1. shapes: forward (N, in) -> (N, out), backward back to (N, in), each grad of its parameter's shape;
2. a float64 gradient check of L = sum(w * forward(x)) by central differences, a sample with an entry
   within eps of a kink (ReLU's corner at 0) named and set aside, since there the differences mean nothing;
3. forward, backward and every gradient against the reference (the engine's own class) on random shapes,
   a batch of one among them, and a parameter used twice (shared by two layers: its gradients add up);
4. a small net built with it that trains on sin or abs as the engine's own does.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from .. import kinds
from ..engine import Linear, ReLU, Sequential
from ..mlp import mlp
from .checking import (
    TOLERANCE,
    differs,
    errors_text,
    kinked_samples,
    layer_gradcheck,
    mlp_with,
    parameter_names,
    probe_grads,
    same,
    train,
    trains,
)

CASES = [(1, 1, 1), (1, 4, 3), (7, 3, 5), (32, 5, 2)]  # (batch, in, out) for the comparison: a batch of one first


@dataclass(frozen=True)
class LayerTask:
    """How to check a layer: its reference, how to build one, where it has kinks, its known mistakes.

    ``make(cls, n_in, n_out, seed)`` builds a layer of the learner's class or the reference's; ``mistakes``
    are (hint, function of (x, grad_output, reference layer after forward(x)) -> the dL/dx that mistake gives).
    ``net`` builds the net that must train from a factory of the learner's layer: see ``train_net``.
    """

    reference: type
    make: Callable
    kinks: tuple[float, ...] = ()
    mistakes: tuple[tuple[str, Callable], ...] = ()
    net: str = "activation"  # "activation", "linear" (every Linear the learner's, ReLU between) or "whole"
    data: str = "sin"

    def size(self, n_in: int, n_out: int) -> int:
        """The width of the layer's output: an activation keeps its input's."""
        return n_out if self.net != "activation" else n_in

    def checks(self, cls) -> list[tuple[str, Callable]]:
        return [("shapes", lambda: self.shapes(cls)), ("gradient check", lambda: self.gradcheck(cls)),
                (f"against {whose(self.reference)} {self.reference.__name__}", lambda: self.compare(cls)),
                ("trains", lambda: self.trains(cls))]

    def shapes(self, cls):
        rng = np.random.default_rng(0)
        found = []
        for n, n_in, n_out in [(5, 3, 4), (1, 3, 4)]:
            layer = self.make(cls, n_in, n_out, 0)
            out = self.size(n_in, n_out)
            x = rng.normal(size=(n, n_in))
            y = np.asarray(layer.forward(x))
            if y.shape != (n, out):
                return False, f"forward of x {x.shape} returned {y.shape}, not {(n, out)}", []
            probes = probe_grads(layer)
            try:
                dx = np.asarray(layer.backward(rng.normal(size=y.shape)))
            except Exception:
                trouble = probe_trouble(layer, probes)
                if trouble:
                    return False, trouble, []
                raise
            if dx.shape != x.shape:
                return False, f"backward of grad_output {y.shape} returned {dx.shape}: dL/dx has x's shape {x.shape}", []
            for name, p in zip(parameter_names(layer), layer.parameters()):
                if np.shape(p.grad) != p.data.shape:
                    return False, f"{name}.grad has shape {np.shape(p.grad)}, its parameter {p.data.shape}", []
            found.append(f"x {x.shape}, forward {y.shape}, backward {dx.shape}")
        grads = ", ".join(f"{name}.grad {p.data.shape}" for name, p in zip(parameter_names(layer), layer.parameters()))
        return True, "; ".join(found) + (f"; {grads}" if grads else ""), []

    def gradcheck(self, cls):
        rng = np.random.default_rng(1)
        layer = self.make(cls, 3, 2, 1)
        for p in layer.parameters():  # biases away from their start too, so their gradients are checked for real
            p.data[...] = rng.normal(scale=0.5, size=p.data.shape)
        x = rng.normal(size=(8, 3))
        if self.kinks:
            x[3, 1] = self.kinks[0] + 0.4e-6  # one sample at a corner, to be seen and set aside
        aside = kinked_samples(x, self.kinks)
        keep = [n for n in range(len(x)) if n not in aside]
        x = x[keep]
        weights = rng.normal(size=(len(x), self.size(3, 2)))
        errors = layer_gradcheck(layer, x, weights)
        worst = max(errors.values())
        text = f"float64, eps 1e-6, {len(x)} samples: {errors_text(errors)}"
        return worst <= TOLERANCE, text, list(aside.values())

    def compare(self, cls):
        rng = np.random.default_rng(2)
        for n, n_in, n_out in CASES:
            mine = self.make(cls, n_in, n_out, n)
            theirs = reference_like(self, mine, n_in, n_out)
            x = rng.normal(size=(n, n_in))
            g = rng.normal(size=(n, self.size(n_in, n_out)))
            wrong = compare_pass([mine], [theirs], x, g)
            if wrong:
                return False, f"on a batch of {n} {x.shape}: {wrong}", []
        shapes = ", ".join(f"{(n, n_in)}" for n, n_in, _ in CASES)
        text = f"forward, backward and every gradient equal on x of shapes {shapes}"
        if self.make(cls, 2, 2, 0).parameters():  # one Parameter in two layers: its gradients add up
            a, b = self.make(cls, 3, 3, 0), self.make(cls, 3, 3, 1)
            share(b, a)
            ra, rb = reference_like(self, a, 3, 3), reference_like(self, b, 3, 3)
            share(rb, ra)
            x, g = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
            wrong = compare_pass([a, b], [ra, rb], x, g)
            if wrong:
                return False, f"with one set of parameters used by two layers in a row: {wrong}", []
            text += ", and with its parameters shared by two layers"
        return True, text, []

    def trains(self, cls):
        mine, theirs = self.train_net(cls), self.train_net(self.reference)
        copy_parameters(theirs, mine)
        before, after = train(mine, data=self.data)
        reference = train(theirs, data=self.data)[1]
        return trains(before, after, reference, f"{describe(mine)} on {self.data}, 300 Adam steps",
                      f"{whose(self.reference)} {self.reference.__name__}")

    def train_net(self, cls):
        if self.net == "activation":
            return mlp_with(lambda: self.make(cls, 16, 16, 0))
        if self.net == "linear":
            return mlp_with(ReLU, linear=lambda a, b, rng: self.make(cls, a, b, rng))
        return Sequential(self.make(cls, 1, 1, 0))

    def diagnose(self, cls) -> str | None:
        """The name of the first known mistake the learner's layer makes, or None."""
        rng = np.random.default_rng(3)
        for n, n_in, n_out in [(6, 3, 4), (6, 4, 4)]:  # the square one shows a transposed product by its values
            layer = self.make(cls, n_in, n_out, 0)
            x = rng.normal(size=(n, n_in))
            x[np.abs(x) < 0.05] = 0.5  # away from any kink: a mask from the wrong side must show everywhere
            g = rng.normal(size=(n, self.size(n_in, n_out)))
            reference = reference_like(self, layer, n_in, n_out)
            reference.forward(x)
            expected = reference.backward(g)
            layer.forward(x)
            probes = probe_grads(layer)
            try:
                dx = layer.backward(g)
            except Exception:  # noqa: BLE001 (the learner's code: a shape error is what names the mistake)
                mistake = param_mistake(layer, probes)
                if mistake:
                    return mistake
                continue  # a product that fits only a square W: the next case shows which
            for hint, mistake in self.mistakes:
                if not same(dx, expected) and same(dx, gives(mistake, x, g, reference)):
                    return hint
            for p, q in zip(layer.parameters(), reference.parameters()):
                if not same(p.grad, q.grad) and same(p.grad, q.grad.T):
                    return "weight-transposed"
                if not same(p.grad, q.grad) and same(p.grad, q.grad / n):
                    return "bias-averaged"
            mistake = param_mistake(layer, probes)
            if mistake:
                return mistake
        return self.assigned(cls, rng)

    def assigned(self, cls, rng) -> str | None:
        """"grad-assigned" if a parameter shared by two layers keeps only the last one's gradient."""
        a, b = self.make(cls, 3, 3, 0), self.make(cls, 3, 3, 1)
        if not a.parameters():
            return None
        share(b, a)
        ra, rb = reference_like(self, a, 3, 3), reference_like(self, b, 3, 3)
        share(rb, ra)
        x, g = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
        zero_grads(a)
        b.forward(a.forward(x))
        a.backward(b.backward(g))
        rb.forward(ra.forward(x))
        zero_grads(ra)
        dy = rb.backward(g)
        second = [p.grad.copy() for p in ra.parameters()]
        zero_grads(ra)
        ra.backward(dy)  # what the first layer adds alone: all that an assignment keeps, as its backward runs last
        first = [p.grad.copy() for p in ra.parameters()]
        for p, one, two in zip(a.parameters(), first, second):
            if not same(p.grad, one + two) and same(p.grad, one):
                return "grad-assigned"
        return None


def gives(mistake: Callable, *args):
    """What a known mistake returns here, or None where it cannot even run (a transposed product, say)."""
    try:
        return mistake(*args)
    except (ValueError, TypeError, AttributeError):
        return None


def param_mistake(layer, probes: list) -> str | None:
    """A parameter gradient of the wrong shape, named by what was added into it."""
    for p, probe in zip(layer.parameters(), probes):
        shape = probe.added if p.grad is probe else np.shape(p.grad)
        if not shape or shape == p.data.shape:
            continue
        if shape == p.data.shape[::-1]:
            return "weight-transposed"
        if shape[-p.data.ndim:] == p.data.shape and len(shape) > p.data.ndim:
            return "bias-not-summed"
    return None


def probe_trouble(layer, probes: list) -> str | None:
    """What was added into a parameter's grad in the wrong shape, said plainly, or None."""
    for name, p, probe in zip(parameter_names(layer), layer.parameters(), probes):
        if probe.added and probe.added != p.data.shape:
            return (f"backward adds an array of shape {probe.added} into {name}.grad, which has "
                    f"{name}'s shape {p.data.shape}")
    return None


def zero_grads(layer) -> None:
    """Fresh zero gradients (new arrays: a learner's backward may have replaced the old ones)."""
    for p in layer.parameters():
        p.grad = np.zeros_like(p.data)


def share(b, a) -> None:
    """Make layer b use layer a's Parameter objects (tied weights: one parameter used twice)."""
    for name, value in vars(a).items():
        if hasattr(value, "grad") and hasattr(value, "data"):
            setattr(b, name, value)


def copy_parameters(target, source) -> None:
    """Copy every parameter's data from source to target, in the order parameters() gives them."""
    for t, s in zip(target.parameters(), source.parameters()):
        t.data[...] = s.data


def reference_like(task: LayerTask, layer, n_in: int, n_out: int):
    """The reference layer of the same sizes, holding a copy of ``layer``'s parameters."""
    reference = task.make(task.reference, n_in, n_out, 0)
    ours, theirs = layer.parameters(), reference.parameters()
    if len(ours) != len(theirs):
        raise ValueError(f"parameters() returns {len(ours)} arrays, {task.reference.__name__}'s {len(theirs)}")
    copy_parameters(reference, layer)
    return reference


def compare_pass(mine: list, theirs: list, x: np.ndarray, g: np.ndarray) -> str | None:
    """Forward and backward through each list of layers in a row; what differs, first, or None."""
    for layers in (mine, theirs):
        for layer in layers:
            for p in layer.parameters():
                p.grad = np.zeros_like(p.data)
    y_mine, y_theirs = x, x
    for a, b in zip(mine, theirs):
        y_mine, y_theirs = a.forward(y_mine), b.forward(y_theirs)
    gap = differs(y_mine, y_theirs)
    if gap is not None:
        return f"forward differs (by up to {gap:.3g})"
    d_mine, d_theirs = g, g
    for a, b in zip(reversed(mine), reversed(theirs)):
        d_mine, d_theirs = a.backward(d_mine), b.backward(d_theirs)
    for layer, other in zip(mine, theirs):
        for name, p, q in zip(parameter_names(layer), layer.parameters(), other.parameters()):
            gap = differs(p.grad, q.grad)
            if gap is not None:
                return f"dL/d{name} differs (by up to {gap:.3g})"
    gap = differs(d_mine, d_theirs)
    return None if gap is None else f"dL/dx differs (by up to {gap:.3g})"


def whose(reference: type) -> str:
    """ "the engine's" for a class of tinynet/engine, else "the solution's"."""
    return "the engine's" if reference.__module__.startswith("tinynet.engine") else "the solution's"


def describe(model) -> str:
    """ "mlp 1-16-16-1" for a net of Linear layers, else the class of its one layer."""
    linears = [layer for layer in model.layers if isinstance(layer, Linear)]
    if not linears:
        return type(model.layers[0]).__name__
    return "mlp " + "-".join(str(n) for n in [linears[0].in_features] + [lin.out_features for lin in linears])


@contextmanager
def registered(cls):
    """``cls`` registered by its ``name`` while the block runs; the table as it was afterwards."""
    name = vars(cls).get("name")
    before = kinds.ACTIVATIONS.get(name), kinds._KINDS.get(name)
    if before[0] is not None:  # another class of that name (a README example's, say) steps aside meanwhile
        del kinds.ACTIVATIONS[name]
    try:
        kinds.register_activation(cls)
        yield name
    finally:
        kinds.ACTIVATIONS.pop(name, None)
        kinds._KINDS.pop(name, None)
        if before[0] is not None:
            kinds.ACTIVATIONS[name], kinds._KINDS[name] = before


@dataclass(frozen=True)
class NewLayerTask(LayerTask):
    """A layer tinynet does not have: the training check registers it and builds the net with ``mlp``."""

    def trains(self, cls):
        with registered(cls) as name:
            mine = mlp([1, 16, 16, 1], name, seed=0)
        theirs = Sequential(*[self.make(self.reference, 0, 0, 0) if isinstance(layer, cls)
                              else Linear.from_weights(layer.weight.data, layer.bias.data) for layer in mine])
        before, after = train(mine)
        reference = train(theirs)[1]
        return trains(before, after, reference, f"registered as {name!r}, mlp([1, 16, 16, 1], {name!r}) on sin, "
                      "300 Adam steps", f"{whose(self.reference)} {self.reference.__name__}")


@dataclass(frozen=True)
class BugTask(LayerTask):
    """A working backward with one line wrong: the hint says which gradients are right and which are off."""

    def diagnose(self, cls):
        rng = np.random.default_rng(1)
        layer = self.make(cls, 3, 2, 1)
        for p in layer.parameters():
            p.data[...] = rng.normal(scale=0.5, size=p.data.shape)
        x = rng.normal(size=(8, 3))
        errors = layer_gradcheck(layer, x, rng.normal(size=(8, 2)))
        names = {name: "dL/dx" if name == "input" else f"dL/d{name}" for name in errors}
        right = [names[name] for name, error in errors.items() if error <= TOLERANCE]
        wrong = [names[name] for name, error in errors.items() if error > TOLERANCE]
        if not wrong:
            return None
        return ("which gradients are off", (f"{', '.join(right) or 'none'} right, {', '.join(wrong)} off: the "
                "wrong line is one every wrong gradient depends on and no right one does (the docstring lists "
                "them in the order backward computes them)"))
