"""Model files: save a trained network to one .npz file and load it back.

The format (version 1). A model file is a numpy .npz archive, a zip of .npy
arrays, holding:

    architecture    a 0-d string array: JSON text describing the layers
    0.weight        (in_features, out_features)   layer 0 is a Linear
    0.bias          (out_features,)                absent when bias is false
    4.mean, 4.std   (features,)                    layer 4 is a Standardize or Unstandardize

Arrays are named "<layer index>.<name>", as ``Sequential.named_parameters`` names them. For
``mlp([1, 8, 1], "leaky_relu")`` the architecture reads

    {"format": "tinynet-model", "format_version": 1, "tinynet_version": "0.1.0",
     "dtype": "float64",
     "layers": [{"type": "Linear", "in_features": 1, "out_features": 8, "bias": true},
                {"type": "LeakyReLU", "negative_slope": 0.01},
                {"type": "Linear", "in_features": 8, "out_features": 1, "bias": true}]}

"dtype" is the dtype of every array: a Standardize or Unstandardize entry
has "features" and a "dtype" for its mean and std, which must equal the
model's (a model computes in one dtype). A model has at least one layer.
An optional top-level "features" lists the input columns' names (the
model's ``feature_names``), which ``tinynet predict`` uses to find them.
Arrays are stored bit for bit, so a loaded model predicts exactly what the
saved one did. A model file holds Linear, Standardize, Unstandardize and
every registered activation (``tinynet.register_activation``): an
activation is written as its class name with its ``config()``, and rebuilt
from them; other layer types cannot be saved (Sequential splices a nested
Sequential into its own list, so none arises).

Why loading never unpickles. np.save stores an array of Python objects as a
pickle, and a pickle is a small program: it can name any function and the
arguments to call it with (os.system and a command, say), and unpickling
runs it. A model file may come from anyone, so ``load`` reads it with
``np.load(path, allow_pickle=False)``, which refuses object arrays, and keeps
the architecture in JSON, which can only describe data. Every array is then
checked against the architecture (name, shape, dtype, finite values) before
a model is built, and sizes are checked before anything is read, so a small
hostile file cannot take gigabytes or minutes (model_file_read.py says how).
Whatever is wrong raises ``ModelFileError`` saying what.

Why saving never loses the previous file: ``save`` writes through
``tinynet.io.atomic.atomic_write`` (a temporary file beside the target, fsynced,
then renamed over it), so the path holds the old model or the new one, never
half of one.
"""

import json
import os

import numpy as np

from .. import kinds
from ..engine import Sequential
from ..errors import ModelFileError
from ..fast import Linear, share_storage
from ..model import feature_names
from ..version import __version__
from .atomic import atomic_write
from .model_file_check import (
    FORMAT,
    FORMAT_VERSION,
    LAYERS_WITH_ARRAYS,
    can_hold,
    check_arrays,
    expected_arrays,
    layer_types,
    mixed_dtypes,
)
from .model_file_read import ARCHITECTURE, MAX_ARCHITECTURE_BYTES, read_model_file


def save(model: Sequential, path) -> None:
    """Write ``model`` to ``path`` as one .npz model file, atomically.

    ``path`` (a str or Path) is used exactly as given: no ".npz" is added.
    A file already at ``path`` is replaced only once the new one is
    complete on disk; if anything fails it is left as it was.

    Raises:
        TypeError: ``model`` is not a Sequential.
        ValueError: the model holds something a model file cannot, or that
            ``load`` would refuse: a layer type it does not know, no layers,
            arrays of two dtypes, feature_names that are not one name per
            input, non-finite parameters, a dtype other than float32 or float64.
        OSError: the folder cannot be written.
    """
    architecture, arrays = _describe(model)
    try:  # never write a file that load would refuse
        check_arrays(expected_arrays(architecture), arrays)
    except ValueError as error:
        raise ValueError(f"cannot save this model: {error}") from error
    arrays[ARCHITECTURE] = np.array(json.dumps(architecture, indent=1))
    if arrays[ARCHITECTURE].nbytes > MAX_ARCHITECTURE_BYTES:  # thousands of feature names, say
        raise ValueError(f"cannot save this model: its description takes {arrays[ARCHITECTURE].nbytes:,} bytes, "
                         f"more than the {MAX_ARCHITECTURE_BYTES:,} that load reads")
    _write_atomically(os.fspath(path), arrays)


def load(path) -> Sequential:
    """Read a model file written by ``save`` and return the model.

    Raises ``ModelFileError``, and nothing else, for any file that is not a
    sound tinynet model file, with a message saying what is wrong.
    Never unpickles anything (see the module docstring).
    """
    path = os.fspath(path)
    try:
        architecture, arrays = read_model_file(path)
        return _build(architecture, arrays)
    except ValueError as error:
        raise ModelFileError(f"cannot load {path}: {error}") from error


def _describe(model) -> tuple[dict, dict[str, np.ndarray]]:
    """The architecture (a JSON-ready dict) and the arrays of ``model``."""
    if not isinstance(model, Sequential):
        raise TypeError(f"save takes a Sequential (from mlp, say), got {type(model).__name__}: "
                        "wrap a single layer as Sequential(layer)")
    layers, arrays, dtypes = [], {}, []  # dtypes: (layer index, kind, dtype) of each layer holding arrays
    for i, layer in enumerate(model.layers):
        kind = type(layer).__name__
        if not can_hold(layer):
            raise ValueError(f"layer {i} is a {kind}, which a model file cannot hold (it holds "
                             f"{', '.join(layer_types())}; an activation of your own: register it with "
                             "tinynet.register_activation)")
        entry = {"type": kind}
        if kind == "Linear":
            entry.update(in_features=layer.in_features, out_features=layer.out_features,
                         bias=layer.bias is not None)
            arrays[f"{i}.weight"] = layer.weight.data
            if layer.bias is not None:
                arrays[f"{i}.bias"] = layer.bias.data
            dtypes.append((i, kind, str(layer.weight.data.dtype)))
        elif kind not in LAYERS_WITH_ARRAYS:  # an activation: the arguments that rebuild it
            entry.update(kinds.config(layer))
        elif kind in ("Standardize", "Unstandardize"):
            entry.update(features=int(layer.mean.size), dtype=str(layer.mean.dtype))
            arrays[f"{i}.mean"], arrays[f"{i}.std"] = layer.mean, layer.std
            dtypes.append((i, kind, str(layer.mean.dtype)))
        layers.append(entry)
    if not layers:
        raise ValueError("cannot save this model: the model has no layers, so it would compute nothing")
    dtype = _one_dtype(dtypes)
    architecture = {"format": FORMAT, "format_version": FORMAT_VERSION, "tinynet_version": __version__,
                    "dtype": dtype, "layers": layers}
    names = feature_names(model)
    if names is not None:
        if not isinstance(names, (list, tuple)) or not all(isinstance(name, str) for name in names):
            raise ValueError(f"feature_names must be a list of column names, got {names!r}")
        architecture["features"] = list(names)
    return architecture, arrays


def _one_dtype(dtypes: list[tuple[int, str, str]]) -> str:
    """The dtype every layer holds (that of the first Linear if any), or a ValueError naming the odd layer."""
    if not dtypes:
        return "float64"  # no arrays at all (an activation alone): any dtype describes them
    linears = [dtype for _, kind, dtype in dtypes if kind == "Linear"]
    dtype = linears[0] if linears else dtypes[0][2]
    for i, kind, odd in dtypes:
        if odd != dtype:
            raise ValueError(f"cannot save this model: {mixed_dtypes(i, kind, odd, dtype)}")
    return dtype


def _build(architecture: dict, arrays: dict[str, np.ndarray]) -> Sequential:
    """The model that a checked architecture and its arrays describe."""
    layers = []
    for i, entry in enumerate(architecture["layers"]):
        kind = entry["type"]
        if kind == "Linear":
            layer = Linear.from_weights(arrays[f"{i}.weight"], arrays[f"{i}.bias"] if entry["bias"] else None)
        elif kind in ("Standardize", "Unstandardize"):
            layer = LAYERS_WITH_ARRAYS[kind](arrays[f"{i}.mean"], arrays[f"{i}.std"])
        else:  # an activation, rebuilt from its config() (checked to be numbers)
            config = {key: value for key, value in entry.items() if key != "type"}
            try:
                layer = layer_types()[kind](**config)
            except (TypeError, ValueError) as error:
                raise ValueError(f"layer {i} ({kind}) cannot be built from {config}: {error}") from error
        layers.append(layer)
    model = Sequential(*layers)
    share_storage(model.parameters())  # one flat vector, as mlp builds: optimizers then copy nothing
    model.feature_names = architecture.get("features")
    return model


def _write_atomically(path: str, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` as an .npz to ``path`` through a temporary file and os.replace."""
    with atomic_write(path) as file:
        np.savez(file, **arrays)  # given a file object, numpy adds no ".npz" to the name
