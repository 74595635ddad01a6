"""What every exercise's check shares: loading the learner's file, running checks, the report, and the tools
the checks use (a gradient check that knows about kinks, gradient probes, a comparison, a small training run).

A check is a function returning ``(passed, what it found, notes)``. It calls
the learner's code directly: an exception there becomes what the check
found, with the line of the learner's file it came from, never a traceback.
"""

import importlib.util
import itertools
import textwrap
import traceback
import warnings
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..engine import Adam, Linear, MSELoss, Sequential, train_step
from ..errors import TinynetError
from ..gradcheck import numeric_gradient, relative_error, relative_error_text

EPS = 1e-6  # the central differences' step
TOLERANCE = 1e-6  # a relative error above this is a wrong gradient (a right one measures < 1e-7 in float64)
_loaded = itertools.count()


class ExerciseError(TinynetError):
    """An exercise that cannot be checked or started: an unknown name, a missing file, a file to keep."""


@dataclass
class Found:
    """One check and what it found. ``passed`` is None for a check that did not run."""

    check: str
    passed: bool | None
    text: str
    notes: list[str] = field(default_factory=list)


@dataclass
class Report:
    """Every check of one learner's file, in order, and the named mistake if one was recognised."""

    name: str
    path: Path
    found: list[Found]
    hint: tuple[str, str] | None = None  # (the mistake's name, what to do)
    next: str | None = None  # the exercise after this one

    @property
    def passed(self) -> bool:
        return all(f.passed for f in self.found)

    def lines(self) -> list[str]:
        """The report as ``tinynet exercise check`` prints it, wrapped for a terminal 80 columns wide."""
        lines = [f"checking {self.path} for exercise {self.name}"]
        for f in self.found:
            mark = {True: "ok  ", False: "FAIL", None: "--  "}[f.passed]
            lines += wrap(f"  {mark}  {f.check}: {f.text}", 10)
            for note in f.notes:
                lines += wrap(f"          {note}", 12)
        failed = [f for f in self.found if f.passed is False]
        if not failed:
            done = f"every check passes: {self.name} is done"
            return lines + wrap(done + (f". Next: tinynet exercise start {self.next}" if self.next else ""), 2)
        lines += wrap(f"first thing to fix: {failed[0].check}: {failed[0].text}", 2)
        if self.hint:
            lines += wrap(f"hint ({self.hint[0]}): {self.hint[1]}", 2)
        return lines


def wrap(text: str, indent: int) -> list[str]:
    """``text`` in lines of at most 78 columns, the lines after the first indented by ``indent``."""
    return textwrap.wrap(text, 78, subsequent_indent=" " * indent, break_on_hyphens=False, break_long_words=False,
                         drop_whitespace=True) or [""]


def load_module(path: Path):
    """Run the learner's file as a module of its own, from its path (their own code: running it is the point)."""
    spec = importlib.util.spec_from_file_location(f"tinynet_exercise_{next(_loaded)}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def where(error: BaseException, path: Path, *, code: bool = True) -> str:
    """ " at line 12 of relu_backward.py: `return ...`": the learner's line the error came from, else ""."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if Path(frame.filename).resolve() == path.resolve()]
    if not frames:
        return ""
    frame = frames[-1]
    return f" at line {frame.lineno} of {path.name}" + (f": `{frame.line.strip()}`" if code and frame.line else "")


@contextmanager
def quiet():
    """No numpy warnings while a learner's code runs: an overflow or a NaN shows in what the checks find."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def run_checks(checks: list[tuple[str, Callable]], path: Path) -> list[Found]:
    """Run each (title, check) in order; after a NotImplementedError the rest cannot run and say so."""
    found = []
    stopped = None
    for title, check in checks:
        if stopped:
            found.append(Found(title, None, f"not run: {stopped}"))
            continue
        try:
            with quiet():
                passed, text, notes = check()
            found.append(Found(title, passed, text, list(notes)))
        except NotImplementedError as error:
            found.append(Found(title, False, f"not written yet: {error}{where(error, path, code=False)}"))
            stopped = "a body is still to write"
        except Exception as error:  # noqa: BLE001 (the learner's code: what it raised is what the check found)
            found.append(Found(title, False, f"{type(error).__name__}: {error}{where(error, path)}"))
    return found


# --- gradients ---

class Probe(np.ndarray):
    """A gradient array that remembers the shape of each array added into it, to name a shape mistake."""

    added: tuple = ()

    def __iadd__(self, other):
        self.added = np.shape(other)
        return super().__iadd__(other)


def probe_grads(layer) -> list:
    """Give each of the layer's parameters a zero Probe as its grad; return the probes."""
    probes = []
    for p in layer.parameters():
        p.grad = np.zeros_like(p.data).view(Probe)
        probes.append(p.grad)
    return probes


def parameter_names(layer) -> list[str]:
    """The attribute name of each of ``layer.parameters()`` ("weight", "bias"), else its position."""
    names = {id(value): name for name, value in vars(layer).items() if hasattr(value, "grad")}
    return [names.get(id(p), str(i)) for i, p in enumerate(layer.parameters())]


def kinked_samples(x: np.ndarray, kinks: tuple[float, ...], eps: float = EPS) -> dict[int, str]:
    """Samples (rows of x) with an entry within eps of a kink, where x +- eps straddles the corner: row -> why."""
    found = {}
    for kink in kinks:
        for n, j in zip(*np.nonzero(np.abs(x - kink) <= eps)):
            found.setdefault(int(n), f"sample {n} set aside: x[{n}, {j}] = {x[n, j]:.1g} lies within eps = {eps:g} "
                                     f"of the kink at {kink:g}, where x +- eps straddles the corner")
    return found


def layer_gradcheck(layer, x: np.ndarray, weights: np.ndarray) -> dict[str, float]:
    """Relative error of dL/dx and of every parameter's gradient, for L = sum(weights * layer.forward(x))."""
    def loss() -> float:
        return float(np.sum(weights * layer.forward(x)))

    for p in layer.parameters():
        p.grad = np.zeros_like(p.data)
    layer.forward(x)
    analytic = {"input": layer.backward(weights)}
    analytic.update({name: p.grad for name, p in zip(parameter_names(layer), layer.parameters())})
    arrays = {"input": x} | {name: p.data for name, p in zip(parameter_names(layer), layer.parameters())}
    return {name: relative_error(np.asarray(analytic[name], dtype=float), numeric_gradient(loss, array, EPS))
            for name, array in arrays.items()}


def errors_text(errors: dict[str, float]) -> str:
    """'dL/dx < 1e-7, dL/dweight 2.5e-01' for {"input": ..., "weight": ...}."""
    return ", ".join(f"dL/d{'x' if name == 'input' else name} {relative_error_text(error)}"
                     for name, error in errors.items())


def differs(mine, theirs) -> float | None:
    """None if the arrays agree to float64's rounding (relative 1e-9), else their largest difference."""
    mine, theirs = np.asarray(mine, dtype=float), np.asarray(theirs, dtype=float)
    if mine.shape != theirs.shape:
        return float("inf")
    if np.allclose(mine, theirs, rtol=1e-9, atol=1e-12, equal_nan=True):
        return None
    return float(np.nanmax(np.abs(mine - theirs))) if np.isfinite(mine).all() else float("nan")


def same(mine, theirs) -> bool:
    """The arrays agree (a learner's answer and what a known mistake gives, say), shapes included."""
    try:
        return differs(mine, theirs) is None
    except (TypeError, ValueError):
        return False


# --- training ---

def curve(kind: str = "sin") -> tuple[np.ndarray, np.ndarray]:
    """64 points on [-3, 3] and sin(x), abs(x), or the labels |x| > 1.5 ("classes")."""
    x = np.linspace(-3, 3, 64).reshape(-1, 1)
    y = {"sin": np.sin(x), "abs": np.abs(x), "classes": (np.abs(x) > 1.5).astype(float)}[kind]
    return x, y


def train(model, *, loss=None, optimizer=None, data: str = "sin", steps: int = 300, step=train_step
          ) -> tuple[float, float]:
    """Full-batch steps on ``curve(data)`` (Adam, lr 0.01, MSE unless given); the loss (before, after)."""
    X, y = curve(data)
    loss = loss or MSELoss()
    optimizer = optimizer or Adam(model.parameters(), lr=0.01)
    before = float(loss(model(X), y))
    for _ in range(steps):
        step(model, loss, optimizer, X, y)
    return before, float(loss(model(X), y))


def mlp_with(activation: Callable, sizes=(1, 16, 16, 1), linear: Callable = Linear) -> Sequential:
    """Linear, activation(), Linear, ..., Linear: the weights drawn from seeds 0, 1, 2, ... (the same every time)."""
    layers = []
    for i, (a, b) in enumerate(itertools.pairwise(sizes)):
        layers += [linear(a, b, rng=i), activation()]
    return Sequential(*layers[:-1])


def trains(before: float, after: float, reference: float, how: str, engine: str) -> tuple[bool, str, list]:
    """The training check's verdict: the loss fell tenfold and ends within twice the engine's own run."""
    passed = bool(after < before / 10 and after <= 2 * reference + 1e-4)
    return passed, f"{how}: loss {before:.3g} -> {after:.3g} ({engine}: {reference:.3g})", []
