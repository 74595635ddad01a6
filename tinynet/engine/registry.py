"""The activations tinynet knows by name: one table, filled by ``register_activation``.

``mlp``, ``get_activation``, model files and the command line's
``--activation`` find an activation here by its ``name``. Adding an
activation is one class with ``forward``, ``backward`` and a ``name``,
decorated with ``@register_activation``: from then on it trains in ``mlp``,
gradchecks, saves and loads, and shows in ``inspect``.

What the rest of tinynet asks of an activation, it asks the class (see
``Module``): ``name``, ``config()`` (the arguments that rebuild it, for
model files) and ``piecewise_linear`` with ``slopes()`` (for breakpoints,
pieces and collapse).
"""

ACTIVATIONS: dict[str, type] = {}


def register_activation(cls: type) -> type:
    """Class decorator: make ``cls`` known by its ``name`` to mlp, get_activation and model files.

    >>> @register_activation
    ... class Square(Module):
    ...     '''y = x**2.  dL/dx = grad_output * 2 * x.'''
    ...     name = "square"
    ...     def forward(self, x):
    ...         self.x = x
    ...         return x * x
    ...     def backward(self, grad_output):
    ...         return grad_output * 2 * self._saved(self.x, "input x")
    >>> get_activation("square")
    Square()
    >>> del ACTIVATIONS["square"]  # (only so this example leaves the table as it found it)
    """
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"{cls.__name__} needs a class attribute name, a word like 'softplus', got {name!r}")
    if ACTIVATIONS.get(name, cls) is not cls:
        raise ValueError(f"an activation named {name!r} is already registered ({ACTIVATIONS[name].__name__}): "
                         "choose another name")
    ACTIVATIONS[name] = cls
    return cls


def get_activation(name: str, **config):
    """Return a new activation module by name, e.g. ``get_activation("relu")``.

    >>> get_activation("leaky_relu", negative_slope=0.1)
    LeakyReLU(negative_slope=0.1)
    """
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}: choose one of {', '.join(ACTIVATIONS)}")
    return ACTIVATIONS[name](**config)
