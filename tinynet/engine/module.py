"""Parameter, Module and Sequential: the contract every layer follows, and a network as a list of layers.

    y = module.forward(x)            # x: (N, in) -> y: (N, out); saves what backward needs
    dx = module.backward(dy)         # dy = dL/dy: (N, out) -> dx = dL/dx: (N, in)

``backward`` applies the chain rule for one step: it turns the gradient of
the loss with respect to the output into the gradient with respect to the
input, and adds the gradients of its own parameters into ``param.grad``.
Nothing else passes between layers: a network is these two calls repeated.
"""

import numpy as np


class Parameter:
    """A trainable array ``data`` and the gradient of the loss with respect to it, ``grad``.

    ``grad`` has data's shape and dtype and holds dL/d(data) summed over every
    ``backward`` since the last ``zero_grad``: layers add with ``+=`` (as torch
    does), so gradients from several batches or uses accumulate.

    >>> p = Parameter(np.zeros((2, 3)))
    >>> p.grad.shape, p.grad.dtype
    ((2, 3), dtype('float64'))
    """

    def __init__(self, data: np.ndarray):
        self.data = data
        self.grad = np.zeros_like(data)

    def zero_grad(self) -> None:
        self.grad[...] = 0  # in place: whoever holds p.grad sees the zeros

    def __repr__(self) -> str:
        return f"Parameter(shape={self.data.shape}, dtype={self.data.dtype})"


class Module:
    """Base class of layers and networks: ``forward``, ``backward``, ``parameters``, ``zero_grad``.

    A layer saves in ``forward`` what its ``backward`` needs (``self.x = x``);
    reading it before ``forward`` ran is an error that names the fix.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} does not define forward")

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} does not define backward")

    def parameters(self) -> list[Parameter]:
        """Every Parameter attribute, in the order they were assigned (none for activations)."""
        return [value for value in vars(self).values() if isinstance(value, Parameter)]

    def zero_grad(self) -> None:
        """Reset every parameter's gradient to zero before the next backward."""
        for p in self.parameters():
            p.zero_grad()

    def __call__(self, *inputs: np.ndarray):
        return self.forward(*inputs)

    def __getattr__(self, name: str):  # only for a missing attribute: often what forward saves, read too early
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}: if forward saves it for "
                             f"backward (self.{name} = ...), call forward before backward", name=name, obj=self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Sequential(Module):
    """y = layers[-1](... layers[1](layers[0](x))), and backpropagation as the same list in reverse.

    Shape: x: (N, in_features of the first layer) -> y: (N, out_features of the last).

    Backward: dL/dx = layers[0].backward(... layers[-1].backward(grad_output)),
    each layer adding its own parameter gradients on the way. A Sequential
    given among the modules is spliced in: a network is one flat list of layers.

    >>> net = Sequential(Linear.from_weights([[1.0, -1.0]]), ReLU(), Linear.from_weights([[1.0], [1.0]]))
    >>> net(np.array([[-3.0], [2.0]]))        # relu(x) + relu(-x) = |x|
    array([[3.],
           [2.]])
    """

    def __init__(self, *modules: Module):
        self.layers: list[Module] = []
        for m in modules:
            self.layers.extend(m.layers if isinstance(m, Sequential) else [m])

    def forward(self, x: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        for layer in reversed(self.layers):
            grad_output = layer.backward(grad_output)
        return grad_output

    def parameters(self) -> list[Parameter]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, index):
        return Sequential(*self.layers[index]) if isinstance(index, slice) else self.layers[index]

    def __iter__(self):
        return iter(self.layers)

    def __repr__(self) -> str:
        return "Sequential(\n" + "\n".join(f"  ({i}): {layer!r}" for i, layer in enumerate(self.layers)) + "\n)"
