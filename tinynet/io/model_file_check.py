"""What a model file must say: the checks ``save`` and ``load`` share.

``save`` runs them before writing and ``load`` before building, so every
file that save writes, load reads, and nothing load reads is unusable. Each
check raises ValueError naming the field, the rule and the value found;
``load`` turns it into ``ModelFileError``.

The architecture is checked alone first (``expected_arrays``): it says which
arrays must follow, with their shapes and dtypes, and so how many bytes each
may take. ``load`` compares that with the sizes the zip directory declares
before it reads any array (see model_file_read.py).
"""

import json
import math

import numpy as np

from .. import engine, fast, kinds
from ..kinds import ACTIVATIONS
from ..standardize import Standardize, Unstandardize

FORMAT = "tinynet-model"
FORMAT_VERSION = 1  # the newest format this tinynet reads and the one it writes
LAYERS_WITH_ARRAYS = {cls.__name__: cls for cls in (fast.Linear, Standardize, Unstandardize)}  # the classes load builds
DTYPES = ("float32", "float64")
MAX_LAYERS = 10_000  # sawtooth(20), a million pieces, has 41; building and inspecting 10,000 takes ~0.2 s
MAX_NESTING = 16  # a model description nests 3 deep (file, "layers", a layer); JSON can nest until Python's stack ends


def layer_types() -> dict[str, type]:
    """Every layer a model file can hold, by the "type" it is written as: Linear, the scalings, and
    every registered activation (by class name), including one registered after import."""
    return LAYERS_WITH_ARRAYS | {cls.__name__: cls for cls in ACTIVATIONS.values()}


def can_hold(layer) -> bool:
    """True for the exact classes a model file holds: what load builds, or the engine's plain class that
    it speeds up. Not a subclass: it may compute something else, and would come back as its parent."""
    if kinds.kind_of(layer) is not None:
        return True
    return type(layer) in (engine.Linear, *LAYERS_WITH_ARRAYS.values())


def parse_architecture(text: str):
    """The architecture JSON, or a ValueError: not JSON, or nested deeper than any model description.

    A value nested 984 deep parses, but every later walk over it (json.dumps
    for a message, repr, a check called from deeper in the stack) may hit
    Python's recursion limit: such a value is refused right here.
    """
    try:
        architecture = json.loads(text)
    except RecursionError as error:
        raise ValueError(f"the architecture JSON is nested too deep to read ({error})") from error
    except ValueError as error:
        raise ValueError(f"the architecture is not valid JSON ({error})") from error
    depth = _nesting(architecture)
    if depth > MAX_NESTING:
        raise ValueError(f"the architecture JSON is nested too deep: more than {MAX_NESTING} levels, where a "
                         "model description needs 3; this is not a tinynet model file")
    return architecture


def expected_arrays(architecture) -> dict[str, tuple[tuple[int, ...], str]]:
    """Check the architecture; return the arrays it calls for: name -> (shape, dtype)."""
    if not isinstance(architecture, dict) or architecture.get("format") != FORMAT:
        raise ValueError(f'the architecture is not a tinynet model description (no "format": "{FORMAT}")')
    version = architecture.get("format_version")
    if not _is_positive_int(version):
        raise ValueError(f"format_version must be an integer >= 1, got {_shown(version)}")
    if version > FORMAT_VERSION:
        written_by = _shown(architecture.get("tinynet_version"))
        raise ValueError(f"the file has format version {version}, newer than this tinynet reads "
                         f"(up to {FORMAT_VERSION}): it was written by tinynet {written_by}; upgrade tinynet to load it")
    dtype = _field(architecture, "dtype", lambda v: v in DTYPES, "float32 or float64", "the model")
    layers = _field(architecture, "layers", lambda v: isinstance(v, list), "a list", "the architecture")
    if not layers:
        raise ValueError("the model has no layers: a model file holds at least one layer")
    if len(layers) > MAX_LAYERS:
        raise ValueError(f"the model has {len(layers):,} layers, more than the {MAX_LAYERS:,} a model file may hold")
    expected = {}  # array name -> (shape, dtype) that the architecture calls for
    width = None  # features flowing out of the last layer that fixes it
    inputs = None  # features the first such layer takes
    for i, entry in enumerate(layers):
        if not isinstance(entry, dict) or not isinstance(entry.get("type"), str):
            # ValueError, not TypeError: this is bad data in a file, which load reports as ModelFileError
            raise ValueError(f'layer {i} must be a JSON object with a "type" string')  # noqa: TRY004
        kind = entry["type"]
        if kind not in layer_types():
            raise ValueError(f"layer {i} has unknown layer type {kind[:40]!r}: "
                             f"this tinynet knows {', '.join(layer_types())} (an activation of your own: "
                             "register it with tinynet.register_activation before loading)")
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
        elif kind not in LAYERS_WITH_ARRAYS:  # an activation: whatever else the entry says is its config()
            for key in entry.keys() - {"type"}:
                _field(entry, key, _is_finite_number, "a finite number", where)
        elif kind in ("Standardize", "Unstandardize"):
            features = _field(entry, "features", _is_positive_int, "an integer >= 1", where)
            stats_dtype = _field(entry, "dtype", lambda v: v in DTYPES, "float32 or float64", where)
            if stats_dtype != dtype:
                raise ValueError(mixed_dtypes(i, kind, stats_dtype, dtype))
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
    return expected


def mixed_dtypes(i: int, kind: str, odd: str, dtype: str) -> str:
    """The message for layer i holding ``odd`` arrays in a model whose other layers hold ``dtype``."""
    return (f"layer {i} ({kind}) holds {odd} arrays, but the model's other layers hold {dtype}: a model "
            f"computes in one dtype (a {dtype} Linear refuses {odd} input), so every layer must hold the same; "
            f"convert that layer's arrays with .astype(np.{dtype}) (tinynet.standardized builds the "
            "scaling in the net's dtype)")


def check_arrays(expected: dict, arrays: dict[str, np.ndarray]) -> None:
    """Raise ValueError unless ``arrays`` are exactly the ``expected`` ones, finite, with std > 0."""
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


def _nesting(value) -> int:
    """How deep lists and objects nest in a parsed JSON value (a scalar is 0), level by level, without
    recursion; it stops counting past MAX_NESTING."""
    depth, level = 0, [value]
    while depth <= MAX_NESTING:
        containers = [v for v in level if isinstance(v, (dict, list))]
        if not containers:
            break
        depth += 1
        level = [child for c in containers for child in (c.values() if isinstance(c, dict) else c)]
    return depth


def _field(entry: dict, key: str, is_valid, rule: str, where: str):
    """entry[key] if is_valid says so, else a ValueError naming the field, the rule and the value."""
    value = entry.get(key)
    if not is_valid(value):
        raise ValueError(f'{where}: "{key}" must be {rule}, got {_shown(value)}')
    return value


def _shown(value) -> str:
    """A JSON value as a message shows it: at most 60 characters."""
    shown = json.dumps(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _is_positive_int(value) -> bool:
    # JSON true must not count as 1
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _is_finite_number(value) -> bool:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:  # a JSON integer beyond any float, like 10**400
        return False
