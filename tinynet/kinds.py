"""The kinds of layer tinynet knows by name: one table that the lesson, the files and the command line ask.

The engine's classes only compute. What else tinynet says about a kind of
activation is said once, here: its ``name`` (for ``mlp``, ``--activation``
and model files), the class ``mlp`` and ``load`` build (the fast one where
there is one, see ``tinynet.fast``), its ``slopes`` left and right of the
kink at 0 for the piecewise-linear ones (what ``breakpoints``, ``pieces``
and ``collapse`` follow), the arguments that rebuild it (model files), and
its formula and derivative as text (``tinynet backprop``).

A learner's own activation joins the table with ``@register_activation``:
from then on it trains in ``mlp``, gradchecks, saves and loads.
"""

import math
import numbers
from dataclasses import dataclass

from .engine import Identity, LeakyReLU, ReLU, Sigmoid, Tanh
from .fast import layers as fast


@dataclass(frozen=True)
class Kind:
    """What tinynet knows of one kind of activation. ``slopes`` is None for a smooth one."""

    name: str
    cls: type
    build: type
    slopes: tuple[float, float] | None = None
    formula: str | None = None  # y = f(x) and dL/dx as text, with {x}, {y} and config() names to fill in
    derivative: str | None = None
    config_keys: tuple[str, ...] = ()


ACTIVATIONS: dict[str, type] = {}  # name -> the class get_activation builds
_KINDS: dict[str, Kind] = {}


def register_activation(cls: type | None = None, *, name: str | None = None, build: type | None = None,
                        slopes=None, formula: str | None = None, derivative: str | None = None,
                        config_keys: tuple[str, ...] = ()):
    """Class decorator: make ``cls`` known by its ``name`` to mlp, get_activation and model files.

    ``name`` defaults to the class attribute ``name``; ``slopes`` (left, right of 0) marks a piecewise-linear one.

    >>> @register_activation
    ... class Square(Module):
    ...     '''y = x**2.  dL/dx = grad_output * 2 * x.'''
    ...     name = "square"
    ...     def forward(self, x):
    ...         self.x = x
    ...         return x * x
    ...     def backward(self, grad_output):
    ...         return grad_output * 2 * self.x
    >>> get_activation("square")
    Square()
    >>> del ACTIVATIONS["square"]  # (only so this example leaves the table as it found it)
    """
    if cls is None:
        return lambda c: register_activation(c, name=name, build=build, slopes=slopes, formula=formula,
                                             derivative=derivative, config_keys=config_keys)
    name = name or vars(cls).get("name")
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"{cls.__name__} needs a class attribute name, a word like 'softplus', got {name!r}")
    if ACTIVATIONS.get(name, cls) not in (cls, build):
        raise ValueError(f"an activation named {name!r} is already registered ({ACTIVATIONS[name].__name__}): "
                         "choose another name")
    for kind in _KINDS.values():  # model files name a layer by its class: two classes of one name would mix
        if kind.name != name and kind.name in ACTIVATIONS and cls.__name__ in (kind.cls.__name__, kind.build.__name__):
            raise ValueError(f"a class named {cls.__name__} is already registered, as {kind.name!r}: model files name "
                             f"activations by class name, so give your class another name (class My{cls.__name__})")
    ACTIVATIONS[name] = build or cls
    _KINDS[name] = Kind(name, cls, build or cls, slopes, formula or vars(cls).get("formula"),
                        derivative or vars(cls).get("derivative"), config_keys)
    return cls


def get_activation(name: str, **config):
    """Return a new activation module by name, e.g. ``get_activation("relu")``.

    >>> get_activation("leaky_relu", negative_slope=0.1)
    LeakyReLU(negative_slope=0.1)
    """
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}: choose one of {', '.join(ACTIVATIONS)}")
    for key, value in config.items():
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
            raise ValueError(f"{key} must be a finite number, got {value!r}")
    return ACTIVATIONS[name](**config)


def kind_of(layer) -> Kind | None:
    """The registered kind of an activation layer (exact class, fast or plain), else None."""
    for kind in _KINDS.values():
        if type(layer) in (kind.cls, kind.build) and kind.name in ACTIVATIONS:
            return kind
    return None


def activation_name(layer) -> str | None:
    """The registered name of an activation layer ("relu"), else None."""
    kind = kind_of(layer)
    return kind.name if kind else None


def slopes(layer) -> tuple[float, float] | None:
    """The slopes left and right of 0 of a piecewise-linear activation, else None (smooth or unknown)."""
    kind = kind_of(layer)
    if kind is None or kind.slopes is None:
        return None
    return kind.slopes(layer) if callable(kind.slopes) else kind.slopes


def is_piecewise_linear(layer) -> bool:
    """True for an activation linear on either side of 0 (Identity, ReLU, LeakyReLU)."""
    return slopes(layer) is not None


def has_kink(layer) -> bool:
    """True for an activation linear on either side of 0 with a different slope on each (ReLU, LeakyReLU)."""
    found = slopes(layer)
    return found is not None and found[0] != found[1]


def config(layer) -> dict:
    """The keyword arguments that rebuild the activation (LeakyReLU's negative_slope; none for most)."""
    kind = kind_of(layer)
    if kind and kind.config_keys:
        return {key: getattr(layer, key) for key in kind.config_keys}
    own = vars(type(layer)).get("config")  # a learner's class may say it itself
    return own(layer) if callable(own) else {}


def formula(layer) -> tuple[str | None, str | None]:
    """The forward and backward formulas of an activation as text, or (None, None).

    A registered kind's, else the class attributes ``formula`` and ``derivative`` a learner's layer may state.
    """
    kind = kind_of(layer)
    if kind:
        return kind.formula, kind.derivative
    return vars(type(layer)).get("formula"), vars(type(layer)).get("derivative")


register_activation(Identity, name="identity", slopes=(1.0, 1.0),
                    formula="{y} = {x}", derivative="dL/d{x} = dL/d{y}")
register_activation(ReLU, name="relu", build=fast.ReLU, slopes=(0.0, 1.0),
                    formula="{y} = max({x}, 0)", derivative="dL/d{x} = dL/d{y} * ({x} > 0)")
register_activation(LeakyReLU, name="leaky_relu", slopes=lambda layer: (layer.negative_slope, 1.0),
                    formula="{y} = where({x} > 0, {x}, {negative_slope:g} * {x})",
                    derivative="dL/d{x} = dL/d{y} * where({x} > 0, 1, {negative_slope:g})",
                    config_keys=("negative_slope",))
register_activation(Sigmoid, name="sigmoid", build=fast.Sigmoid,
                    formula="{y} = 1 / (1 + exp(-{x}))", derivative="dL/d{x} = dL/d{y} * {y} * (1 - {y})")
register_activation(Tanh, name="tanh", build=fast.Tanh,
                    formula="{y} = tanh({x})", derivative="dL/d{x} = dL/d{y} * (1 - {y}**2)")
