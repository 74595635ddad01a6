"""Model files: save a trained network to one .npz file and load it back.

The format (version 1). A model file is a numpy .npz archive, a zip of .npy
arrays, holding:

    architecture    a 0-d string array: JSON text describing the layers
    0.weight        (in_features, out_features)   layer 0 is a Linear
    0.bias          (out_features,)                absent when bias is false
    4.mean, 4.std   (features,)                    layer 4 is a Standardize or Unstandardize

Arrays are named "<layer index>.<name>", as in ``gradcheck_report``. For
``mlp([1, 8, 1], "leaky_relu")`` the architecture reads

    {"format": "tinynet-model", "format_version": 1, "tinynet_version": "0.1.0",
     "dtype": "float64",
     "layers": [{"type": "Linear", "in_features": 1, "out_features": 8, "bias": true},
                {"type": "LeakyReLU", "negative_slope": 0.01},
                {"type": "Linear", "in_features": 8, "out_features": 1, "bias": true}]}

"dtype" is the dtype of every Linear parameter; a Standardize or
Unstandardize entry has "features" and its own "dtype" for its mean and std.
An optional top-level "features" lists the input columns' names (the
model's ``feature_names``), which ``tinynet predict`` uses to find them.
Arrays are stored bit for bit, so a loaded model predicts exactly what the
saved one did. Layer types not listed in ``LAYER_TYPES`` cannot be saved
(Sequential splices a nested Sequential into its own list, so none arises).

Why loading never unpickles. np.save stores an array of Python objects as a
pickle, and a pickle is a small program: it can name any function and the
arguments to call it with (os.system and a command, say), and unpickling
runs it. A model file may come from anyone, so ``load`` reads it with
``np.load(path, allow_pickle=False)``, which refuses object arrays, and keeps
the architecture in JSON, which can only describe data. Every array is then
checked against the architecture (name, shape, dtype, finite values) before
a model is built. Whatever is wrong raises ``ModelFileError`` saying what.

Why saving never loses the previous file: ``save`` writes through
``tinynet.atomic.atomic_write`` (a temporary file beside the target, fsynced,
then renamed over it), so the path holds the old model or the new one, never
half of one.
"""

import json
import math
import os
import zipfile

import numpy as np

from .activations import Identity, LeakyReLU, ReLU, Sigmoid, Tanh
from .atomic import atomic_write
from .errors import ModelFileError
from .linear import Linear
from .sequential import Sequential, model_dtype
from .standardize import Standardize, Unstandardize
from .version import __version__

FORMAT = "tinynet-model"
FORMAT_VERSION = 1  # the newest format this tinynet reads and the one it writes
ARCHITECTURE = "architecture"
LAYER_TYPES = {cls.__name__: cls for cls in (
    Linear, Identity, ReLU, Sigmoid, Tanh, LeakyReLU, Standardize, Unstandardize)}
DTYPES = ("float32", "float64")


def save(model: Sequential, path) -> None:
    """Write ``model`` to ``path`` as one .npz model file, atomically.

    ``path`` (a str or Path) is used exactly as given: no ".npz" is added.
    A file already at ``path`` is replaced only once the new one is
    complete on disk; if anything fails it is left as it was.

    Raises:
        TypeError: ``model`` is not a Sequential.
        ValueError: the model holds something a model file cannot, or that
            ``load`` would refuse: a layer type it does not know, feature_names
            that are not one name per input,
            non-finite parameters, a dtype other than float32 or float64.
        OSError: the folder cannot be written.
    """
    architecture, arrays = _describe(model)
    try:
        _check(architecture, arrays)  # never write a file that load would refuse
    except ValueError as error:
        raise ValueError(f"cannot save this model: {error}") from error
    arrays[ARCHITECTURE] = np.array(json.dumps(architecture, indent=1))
    _write_atomically(os.fspath(path), arrays)


def load(path) -> Sequential:
    """Read a model file written by ``save`` and return the model.

    Raises ``ModelFileError``, and nothing else, for any file that is not a
    sound tinynet model file, with a message saying what is wrong.
    Never unpickles anything (see the module docstring).
    """
    path = os.fspath(path)
    arrays = _read_arrays(path)
    text = arrays.pop(ARCHITECTURE, None)
    if text is None:
        raise ModelFileError(f"cannot load {path}: the .npz file has no {ARCHITECTURE!r} entry, "
                             "so it is not a tinynet model file")
    if text.dtype.kind != "U" or text.shape != ():
        raise ModelFileError(f"cannot load {path}: {ARCHITECTURE!r} must be a JSON string, "
                             f"got an array of dtype {text.dtype} and shape {text.shape}")
    try:
        architecture = json.loads(text.item())
    except (ValueError, RecursionError) as error:
        raise ModelFileError(f"cannot load {path}: the architecture is not valid JSON ({error})") from error
    try:
        _check(architecture, arrays)
        return _build(architecture, arrays)
    except ValueError as error:
        raise ModelFileError(f"cannot load {path}: {error}") from error


def _describe(model) -> tuple[dict, dict[str, np.ndarray]]:
    """The architecture (a JSON-ready dict) and the arrays of ``model``."""
    if not isinstance(model, Sequential):
        raise TypeError(f"save takes a Sequential (from mlp, say), got {type(model).__name__}: "
                        "wrap a single layer as Sequential(layer)")
    layers, arrays = [], {}
    for i, layer in enumerate(model.layers):
        kind = type(layer).__name__
        # exact types only: a subclass may compute something else, and would
        # come back as its parent
        if LAYER_TYPES.get(kind) is not type(layer):
            raise ValueError(f"layer {i} is a {kind}, which a model file cannot hold "
                             f"(it holds {', '.join(LAYER_TYPES)})")
        entry = {"type": kind}
        if kind == "Linear":
            entry.update(in_features=layer.in_features, out_features=layer.out_features,
                         bias=layer.bias is not None)
            arrays[f"{i}.weight"] = layer.weight.data
            if layer.bias is not None:
                arrays[f"{i}.bias"] = layer.bias.data
        elif kind == "LeakyReLU":
            entry["negative_slope"] = layer.negative_slope
        elif kind in ("Standardize", "Unstandardize"):
            entry.update(features=int(layer.mean.size), dtype=str(layer.mean.dtype))
            arrays[f"{i}.mean"], arrays[f"{i}.std"] = layer.mean, layer.std
        layers.append(entry)
    architecture = {"format": FORMAT, "format_version": FORMAT_VERSION, "tinynet_version": __version__,
                    "dtype": str(model_dtype(model)), "layers": layers}
    names = model.feature_names
    if names is not None:
        if not isinstance(names, (list, tuple)) or not all(isinstance(name, str) for name in names):
            raise ValueError(f"feature_names must be a list of column names, got {names!r}")
        architecture["features"] = list(names)
    return architecture, arrays


def _check(architecture, arrays: dict[str, np.ndarray]) -> None:
    """Raise ValueError unless ``architecture`` and ``arrays`` make a model this tinynet can build.

    Shared by ``save`` and ``load``, so every file that save writes, load reads.
    """
    if not isinstance(architecture, dict) or architecture.get("format") != FORMAT:
        raise ValueError(f'the architecture is not a tinynet model description (no "format": "{FORMAT}")')
    version = architecture.get("format_version")
    if not _is_int(version) or version < 1:
        raise ValueError(f"format_version must be an integer >= 1, got {version!r}")
    if version > FORMAT_VERSION:
        raise ValueError(f"the file has format version {version}, newer than this tinynet reads "
                         f"(up to {FORMAT_VERSION}): it was written by tinynet "
                         f"{architecture.get('tinynet_version')}; upgrade tinynet to load it")
    dtype = _field(architecture, "dtype", lambda v: v in DTYPES, "float32 or float64", "the model")
    layers = _field(architecture, "layers", lambda v: isinstance(v, list), "a list", "the architecture")
    expected = {}  # array name -> (shape, dtype) that the architecture calls for
    width = None  # features flowing out of the last layer that fixes it
    inputs = None  # features the first such layer takes
    for i, entry in enumerate(layers):
        if not isinstance(entry, dict) or not isinstance(entry.get("type"), str):
            # ValueError, not TypeError: this is bad data in a file, which load reports as ModelFileError
            raise ValueError(f'layer {i} must be a JSON object with a "type" string')  # noqa: TRY004
        kind = entry["type"]
        if kind not in LAYER_TYPES:
            raise ValueError(f"layer {i} has unknown layer type {kind!r}: "
                             f"this tinynet knows {', '.join(LAYER_TYPES)}")
        where = f"layer {i} ({kind})"
        if kind == "Linear":
            n_in = _field(entry, "in_features", _is_positive_int, "an integer >= 1", where)
            n_out = _field(entry, "out_features", _is_positive_int, "an integer >= 1", where)
            bias = _field(entry, "bias", lambda v: isinstance(v, bool), "true or false", where)
            if width is not None and n_in != width:
                raise ValueError(f"{where} takes {n_in} features, but the layers before it give {width}")
            inputs = n_in if inputs is None else inputs
            width = n_out
            expected[f"{i}.weight"] = ((n_in, n_out), dtype)
            if bias:
                expected[f"{i}.bias"] = ((n_out,), dtype)
        elif kind == "LeakyReLU":
            _field(entry, "negative_slope", _is_finite_number, "a finite number", where)
        elif kind in ("Standardize", "Unstandardize"):
            features = _field(entry, "features", _is_positive_int, "an integer >= 1", where)
            stats_dtype = _field(entry, "dtype", lambda v: v in DTYPES, "float32 or float64", where)
            if width is not None and features != width:
                raise ValueError(f"{where} scales {features} features, but the layers before it give {width}")
            inputs = features if inputs is None else inputs
            width = features
            expected[f"{i}.mean"] = expected[f"{i}.std"] = ((features,), stats_dtype)
    if "features" in architecture:
        names = architecture["features"]
        if not (isinstance(names, list) and all(isinstance(n, str) for n in names) and len(set(names)) == len(names)):
            raise ValueError('"features" must be a list of distinct column names')
        if inputs is not None and len(names) != inputs:
            raise ValueError(f'"features" names {len(names)} columns, but the model takes {inputs}')
    for name in arrays:
        if name not in expected:
            raise ValueError(f"the file holds an unexpected array {name!r} that no layer uses")
    for name, (shape, dtype) in expected.items():
        if name not in arrays:
            raise ValueError(f"parameter {name!r} is missing")
        array = arrays[name]
        if array.dtype != np.dtype(dtype):
            raise ValueError(f"parameter {name!r} has dtype {array.dtype}, expected {dtype}")
        if array.shape != shape:
            raise ValueError(f"parameter {name!r} has shape {array.shape}, expected {shape}")
        if not np.isfinite(array).all():
            raise ValueError(f"parameter {name!r} holds non-finite values (NaN or infinity)")
        if name.endswith(".std") and not (array > 0).all():
            raise ValueError(f"parameter {name!r} must be > 0 everywhere: it divides the input")


def _build(architecture: dict, arrays: dict[str, np.ndarray]) -> Sequential:
    """The model that a checked architecture and its arrays describe."""
    layers = []
    for i, entry in enumerate(architecture["layers"]):
        kind = entry["type"]
        if kind == "Linear":
            layer = Linear.from_weights(arrays[f"{i}.weight"], arrays[f"{i}.bias"] if entry["bias"] else None)
        elif kind == "LeakyReLU":
            layer = LeakyReLU(float(entry["negative_slope"]))
        elif kind in ("Standardize", "Unstandardize"):
            layer = LAYER_TYPES[kind](arrays[f"{i}.mean"], arrays[f"{i}.std"])
        else:
            layer = LAYER_TYPES[kind]()
        layers.append(layer)
    model = Sequential(*layers)
    model.feature_names = architecture.get("features")
    return model


def _read_arrays(path: str) -> dict[str, np.ndarray]:
    """Every array in the .npz file at ``path``, by name, or a ModelFileError saying why not."""
    if not os.path.exists(path):
        raise ModelFileError(f"cannot load {path}: no such file")
    if os.path.isdir(path):
        raise ModelFileError(f"cannot load {path}: it is a directory, not a model file")
    if not os.path.isfile(path):
        raise ModelFileError(f"cannot load {path}: it is not a regular file")
    if os.path.getsize(path) == 0:
        raise ModelFileError(f"cannot load {path}: the file is empty (0 bytes)")
    try:
        archive = np.load(path, allow_pickle=False)
    except zipfile.BadZipFile as error:
        # np.load only hands the file to zipfile when it starts like a zip
        raise ModelFileError(f"cannot load {path}: the file is truncated or damaged "
                             f"(it starts like a zip archive, but: {error})") from error
    except PermissionError as error:
        raise ModelFileError(f"cannot load {path}: {error.strerror}") from error
    except Exception as error:
        # numpy refuses anything that is neither .npy nor .npz (and would only
        # unpickle it if allowed), in several ways; all mean the same here
        raise ModelFileError(f"cannot load {path}: it is not a tinynet model file "
                             "(not an .npz zip archive of arrays)") from error
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ModelFileError(f"cannot load {path}: it holds a single .npy array, not a tinynet model (.npz)")
    arrays = {}
    with archive:
        for name in archive.files:
            try:
                array = archive[name]
            except Exception as error:
                # Reading damaged bytes fails in many ways (zipfile's BadZipFile
                # for a bad CRC, zlib.error, bz2's OSError, lzma.LZMAError,
                # NotImplementedError for an unknown compression, numpy's
                # ValueError and EOFError...): each means the file is bad.
                if "pickle" in str(error):
                    raise ModelFileError(
                        f"cannot load {path}: {name!r} is a pickled object array; tinynet never "
                        "unpickles, because unpickling can run any code") from error
                raise ModelFileError(f"cannot load {path}: the file is damaged, array {name!r} "
                                     f"cannot be read ({type(error).__name__}: {error})") from error
            if not isinstance(array, np.ndarray):
                raise ModelFileError(f"cannot load {path}: the entry {name!r} is not a numpy array")
            # a valid .npy may be stored in Fortran order; keep the usual row-major layout
            arrays[name] = array if array.flags.c_contiguous else array.copy(order="C")
    return arrays


def _write_atomically(path: str, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` as an .npz to ``path`` through a temporary file and os.replace."""
    with atomic_write(path) as file:
        np.savez(file, **arrays)  # given a file object, numpy adds no ".npz" to the name


def _field(entry: dict, key: str, is_valid, rule: str, where: str):
    """entry[key] if is_valid says so, else a ValueError naming the field, the rule and the value."""
    value = entry.get(key)
    if not is_valid(value):
        shown = json.dumps(value)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        raise ValueError(f'{where}: "{key}" must be {rule}, got {shown}')
    return value


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # JSON true must not count as 1


def _is_positive_int(value) -> bool:
    return _is_int(value) and value >= 1


def _is_finite_number(value) -> bool:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:  # a JSON integer beyond any float, like 10**400
        return False
