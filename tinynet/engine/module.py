"""Module: the contract every layer, activation and network follows.

    y = module.forward(x)            # x: (N, in) -> y: (N, out); saves what backward needs
    dx = module.backward(dy)         # dy = dL/dy: (N, out) -> dx = dL/dx: (N, in)

``backward`` applies the chain rule for this one step: it turns the gradient
of the loss with respect to the output into the gradient with respect to the
input, and adds the gradients of its own parameters into ``param.grad``.
Nothing else passes between layers: a network is these two calls repeated.
"""

import dis

import numpy as np

from .parameter import Parameter


class Module:
    """Base class: ``forward``, ``backward``, ``parameters`` and ``zero_grad``.

    What the rest of tinynet asks of a layer type, the class answers:
    ``piecewise_linear`` (True for Identity, ReLU and LeakyReLU, whose
    ``slopes()`` give the slope left and right of their kink at 0: what
    ``breakpoints`` and ``pieces`` follow, and ``has_kink()`` says whether
    the two differ), ``config()``, the arguments
    that rebuild it (what a model file stores), and ``formula`` and
    ``derivative``, the text ``tinynet backprop`` prints for it.

    A backward that reads what forward saves (``x = self.x``) before any
    forward ran gets an AttributeError that says so: "Softplus has no
    attribute 'x' yet: call forward before backward (forward sets self.x)".
    """

    piecewise_linear = False
    # y = f(x) and dL/dx as text, with {x}, {y} and config() names to fill in: `tinynet backprop` prints them
    formula: str | None = None
    derivative: str | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} does not define forward")

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} does not define backward")

    def parameters(self) -> list[Parameter]:
        """The trainable Parameters, in a fixed order: by default every Parameter attribute,
        in the order they were assigned (none for activations)."""
        return [value for value in vars(self).values() if isinstance(value, Parameter)]

    def named_parameters(self) -> list[tuple[str, Parameter]]:
        """(name, Parameter) for each of ``parameters()``: its attribute's name ("weight"), else its position."""
        names = {id(value): name for name, value in vars(self).items() if isinstance(value, Parameter)}
        return [(names.get(id(p), str(i)), p) for i, p in enumerate(self.parameters())]

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def config(self) -> dict:
        """The keyword arguments that rebuild this module (none by default)."""
        return {}

    def has_kink(self) -> bool:
        """True for an activation linear on either side of 0 with a different slope on each (ReLU,
        LeakyReLU): it bends there. False for Identity (one slope) and for everything not piecewise linear."""
        return self.piecewise_linear and len(set(self.slopes())) == 2

    def backward_params(self, grad_output: np.ndarray) -> None:
        """Add this module's parameter gradients, as backward does, without returning dL/dx.

        Training calls it on the whole network: the input X is data, so nobody
        needs dL/dX. By default it is backward with the result dropped; Linear
        and Sequential override it to skip computing dL/dx at all.
        """
        self.backward(grad_output)

    def zero_grad(self) -> None:
        """Reset every parameter's gradient to zero before the next backward."""
        for p in self.parameters():
            p.zero_grad()

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)

    def __getattr__(self, name: str):
        """Called only for an attribute that is not there: say why, if forward is what sets it.

        A backward reads what forward saved (``x = self.x``). Before the first
        forward that attribute does not exist yet, and Python's own message
        ("'Softplus' object has no attribute 'x'") does not say why. So when
        this class's forward assigns ``self.<name>``, the message says to call
        forward first; any other missing name (a typo) gets Python's message.
        Either way it is an AttributeError, so hasattr, getattr(..., default),
        copy and pickle behave as usual.
        """
        if name.startswith("__"):  # copy, pickle and numpy probe optional dunders: answer at once, as object does
            raise AttributeError(name)
        layer = type(self).__name__
        if name in _assigned_by_forward(type(self)):
            message = f"{layer} has no attribute {name!r} yet: call forward before backward (forward sets self.{name})"
        else:
            message = f"{layer!r} object has no attribute {name!r}"
        raise AttributeError(message, name=name, obj=self)  # name and obj: Python suggests close names for a typo

    def _saved(self, value, name: str):
        """Return what forward saved for backward, or say clearly that forward never ran."""
        if value is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward needs the {name} saved by forward: call forward first"
            )
        return value


def _assigned_by_forward(cls: type) -> set[str]:
    """The attribute names ``cls.forward`` assigns (``self.x = x`` stores attribute "x"), read from its bytecode."""
    forward = getattr(cls.forward, "__code__", None)
    if forward is None:  # not plain Python code (a builtin, a C extension): nothing to read
        return set()
    return {step.argval for step in dis.get_instructions(forward) if step.opname == "STORE_ATTR"}
