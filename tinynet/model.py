"""Questions every part of tinynet asks of a model, answered in one place.

A model is a ``Sequential`` of layers or a single layer. These functions read
it from outside, through its public attributes, so the engine's classes carry
nothing for the lesson, the files or the command line.
"""

import numpy as np

from .engine import Module, Parameter, Sequential


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


def named_parameters(model) -> list[tuple[str, Parameter]]:
    """("<layer index>.<name>", Parameter) for each of ``model.parameters()``, in order.

    The one naming of parameters, shared by model files, gradcheck and
    ``tinynet backprop`` (torch names them the same way): "0.weight",
    "0.bias", "2.weight", ...; the index counts every layer, activations
    included. A parameter that is no attribute of its layer is named by its
    position in the layer's ``parameters()``; a lone layer is layer 0.

    >>> [name for name, _ in named_parameters(mlp([1, 2, 1]))]
    ['0.weight', '0.bias', '2.weight', '2.bias']
    """
    named = []
    for i, layer in enumerate(layers_of(model)):
        attributes = {id(value): name for name, value in vars(layer).items() if isinstance(value, Parameter)}
        named += [(f"{i}.{attributes.get(id(p), j)}", p) for j, p in enumerate(layer.parameters())]
    return named


def feature_names(model) -> list[str] | None:
    """The names of the model's input columns, where ``tinynet train`` or a model file gave them, else None.

    They play no part in the computation: ``model.feature_names = [...]`` on
    a Sequential names them, model files keep them, and ``tinynet predict``
    picks the columns of a CSV by them.
    """
    return vars(model).get("feature_names")
