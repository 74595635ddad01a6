"""Sequential: a network as a list of modules applied one after another.

Forward runs the list in order; backward runs it in reverse, handing each
module the gradient the one after it returned. That reversed loop is
backpropagation: the chain rule, applied one layer at a time.
"""

import numpy as np

from .module import Module
from .parameter import Parameter


class Sequential(Module):
    """y = layers[-1](... layers[1](layers[0](x)))

    Shape: x: (N, in_features of the first layer) -> y: (N, out_features of the last).

    Backward: dL/dx = layers[0].backward(... layers[-1].backward(grad_output)),
    each layer adding its own parameter gradients on the way.

    A Sequential given among the modules is spliced in, its layers in its
    place: a network is always one flat list of layers, which is what
    ``collapse``, ``breakpoints`` and model files walk through.

    ``feature_names`` may name the input columns (``tinynet train`` sets it
    from a CSV header); model files keep it, so ``tinynet predict`` can pick
    the columns by name. It plays no part in the computation, and a new
    Sequential built from this one's layers starts without it.

    >>> net = Sequential(Linear.from_weights([[1.0, -1.0]]), ReLU(), Linear.from_weights([[1.0], [1.0]]))
    >>> net(np.array([[-3.0], [2.0]]))        # relu(x) + relu(-x) = |x|
    array([[3.],
           [2.]])
    """

    def __init__(self, *modules: Module):
        self.layers: list[Module] = []
        for i, m in enumerate(modules):
            if not isinstance(m, Module):
                raise TypeError(f"Sequential takes Modules, got {type(m).__name__} at position {i}")
            self.layers.extend(m.layers if isinstance(m, Sequential) else [m])
        self.feature_names: list[str] | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        for layer in reversed(self.layers):
            grad_output = layer.backward(grad_output)
        return grad_output

    def backward_params(self, grad_output: np.ndarray) -> None:
        """backward for training: the same parameter gradients, but the first
        layer skips dL/dx, the gradient with respect to the data."""
        for layer in reversed(self.layers[1:]):
            grad_output = layer.backward(grad_output)
        if self.layers:
            self.layers[0].backward_params(grad_output)

    def parameters(self) -> list[Parameter]:
        return [p for layer in self.layers for p in layer.parameters()]

    def named_parameters(self) -> list[tuple[str, Parameter]]:
        """("<layer index>.<name>", Parameter): "0.weight", "0.bias", "2.weight", ... The one naming of
        parameters, shared by model files, gradcheck and backprop (torch names them the same way)."""
        return [(f"{i}.{name}", p) for i, layer in enumerate(self.layers) for name, p in layer.named_parameters()]

    def __repr__(self) -> str:
        lines = [f"  ({i}): {layer!r}" for i, layer in enumerate(self.layers)]
        return "Sequential(\n" + "\n".join(lines) + "\n)"

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Sequential(*self.layers[index])
        return self.layers[index]

    def __iter__(self):
        return iter(self.layers)


# Questions every part of tinynet asks of a model, answered in one place.

def layers_of(model) -> list[Module]:
    """The layers of a model, in order: a Sequential's list, or a single module as a list of one."""
    return list(model.layers) if isinstance(model, Sequential) else [model]


def model_dtype(model) -> np.dtype:
    """The float dtype of the model's parameters (float64 for a model without any)."""
    params = model.parameters()
    return params[0].data.dtype if params else np.dtype(np.float64)


def input_features(model) -> int | None:
    """How many input features the model expects (None if it does not say)."""
    for layer in layers_of(model):
        if hasattr(layer, "in_features"):
            return layer.in_features
    return None


def output_features(model) -> int | None:
    """How many outputs the model gives (None if it does not say)."""
    for layer in reversed(layers_of(model)):
        if hasattr(layer, "out_features"):
            return layer.out_features
    return None
