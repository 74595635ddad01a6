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
hostile file cannot take gigabytes or minutes (the last section says how).
Whatever is wrong raises ``ModelFileError`` saying what.

Why saving never loses the previous file: ``save`` writes through
``tinynet.io.atomic.atomic_write`` (a temporary file beside the target, fsynced,
then renamed over it), so the path holds the old model or the new one, never
half of one.

This module reads in that order: the format (its constants and the layers
a file can hold), save, load, then the checks below.

The checks a hostile file meets: what ``load`` does before it builds a
model, each step bounded before it is taken.

1. The file is opened with ``np.load(path, allow_pickle=False)``, the only
   way it is read: numpy refuses object arrays, so nothing is unpickled.
2. The zip directory is read (it lists each member and the size it declares
   once inflated; reading a member never yields more than that size). Every
   name must appear once.
3. The architecture member is read only if it declares at most
   MAX_ARCHITECTURE_BYTES, then parsed and checked (``parse_architecture``,
   ``expected_arrays``): at most MAX_LAYERS layers, JSON nested at most
   MAX_NESTING deep. It says which arrays must follow, with their shapes
   and dtypes, and so how many bytes each may take: at most MAX_ARRAY_BYTES
   in all (256 MiB, whatever the file's size), which bounds what any file
   can make load allocate.
4. Before any array is read, each member's declared size must be what its
   array takes (plus a .npy header), and all of them together at most
   MAX_INFLATION times the space the file takes on disk: a 40 KB file cannot
   make load inflate 40 MB of zeros. The space is the blocks the file
   system allocated, not the size ``ls`` shows: a sparse file (of holes,
   which read as zeros but take no space) of 1 GB may take 9 MB.
5. The arrays are read and checked (``check_arrays``: dtype, shape, finite
   values, std > 0).

``save`` runs the same checks (``expected_arrays``, ``check_arrays``) before
writing, so every file that save writes, load reads. Each check raises
ValueError naming the field, the rule and the value found; ``load`` turns it
into ``ModelFileError``.
"""

import json
import math
import os
import zipfile

import numpy as np

from .. import engine, fast, kinds
from ..engine import Sequential
from ..errors import ModelFileError
from ..kinds import ACTIVATIONS
from ..model import feature_names
from ..standardize import Standardize, Unstandardize
from ..version import __version__
from .atomic import atomic_write

# --- The format: what a model file holds -------------------------------------------------------------------

FORMAT = "tinynet-model"
FORMAT_VERSION = 1  # the newest format this tinynet reads and the one it writes
ARCHITECTURE = "architecture"  # the member holding the JSON description
LAYERS_WITH_ARRAYS = {cls.__name__: cls for cls in (fast.Linear, Standardize, Unstandardize)}  # the classes load builds
DTYPES = ("float32", "float64")

# The bounds a hostile file meets (the last section): each is far above what any trained model needs.
MAX_LAYERS = 10_000  # sawtooth(20), a million pieces, has 41; building and inspecting 10,000 takes ~0.2 s
MAX_NESTING = 16  # a model description nests 3 deep (file, "layers", a layer); JSON can nest until Python's stack ends
MAX_ARCHITECTURE_BYTES = 16 * 2**20  # numpy text takes 4 bytes a character: 4 million characters of JSON
NPY_HEADER_BYTES = 10_240  # np.load refuses a .npy header over 10,000 bytes (its max_header_size)
MAX_ARRAY_BYTES = 256 * 2**20  # 33 million float64 numbers; the lesson's nets take kilobytes. Loading takes a few
# times this in memory at its peak (the arrays read, then laid out flat as mlp does)
MAX_INFLATION = 32  # save stores arrays uncompressed; compressed trained weights shrink by a few percent
INFLATION_FLOOR = 16 * 2**20  # a small file may always hold this much: zero biases do compress well


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


# --- Save ---------------------------------------------------------------------------------------------------


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
            input, non-finite parameters, a dtype other than float32 or float64,
            arrays of more than MAX_ARRAY_BYTES (256 MiB) in all.
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


def _write_atomically(path: str, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` as an .npz to ``path`` through a temporary file and os.replace."""
    with atomic_write(path) as file:
        np.savez(file, **arrays)  # given a file object, numpy adds no ".npz" to the name


# --- Load ---------------------------------------------------------------------------------------------------


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


def _build(architecture: dict, arrays: dict[str, np.ndarray]) -> Sequential:
    """The model that a checked architecture and its arrays describe."""
    layers = []
    for i, entry in enumerate(architecture["layers"]):
        kind = entry["type"]
        if kind == "Linear":
            layer = fast.Linear.from_weights(arrays[f"{i}.weight"], arrays[f"{i}.bias"] if entry["bias"] else None)
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
    fast.share_storage(model.parameters())  # one flat vector, as mlp builds: optimizers then copy nothing
    model.feature_names = architecture.get("features")
    return model


# --- The checks a hostile file meets ------------------------------------------------------------------------


def read_model_file(path: str) -> tuple[dict, dict[str, np.ndarray]]:
    """The checked architecture and arrays of the model file at ``path``.

    Raises ModelFileError for what is wrong with the file as a file, and
    ValueError (which ``load`` reports as ModelFileError) for what is wrong
    with its content.
    """
    archive = _open(path)
    with archive:
        members = _members(path, archive)
        text = _read(path, archive, members, ARCHITECTURE, MAX_ARCHITECTURE_BYTES + NPY_HEADER_BYTES)
        if text is None:
            raise ModelFileError(f"cannot load {path}: the .npz file has no {ARCHITECTURE!r} entry, "
                                 "so it is not a tinynet model file")
        if text.dtype.kind != "U" or text.shape != ():
            raise ModelFileError(f"cannot load {path}: {ARCHITECTURE!r} must be a JSON string, "
                                 f"got an array of dtype {text.dtype} and shape {text.shape}")
        architecture = parse_architecture(text.item())
        expected = expected_arrays(architecture)
        for name in members:
            if name != ARCHITECTURE and name not in expected:
                if not members[name].filename.endswith(".npy"):
                    raise ValueError(f"the entry {name!r} is not a numpy array")
                raise ValueError(f"the file holds an unexpected array {name!r} that no layer uses")
        total = 0
        for name, (shape, dtype) in expected.items():
            if name not in members:
                raise ValueError(f"parameter {name!r} is missing")
            total += _check_declared_size(name, members[name], shape, dtype)
        size, on_disk = _space_taken(path)
        if total > max(MAX_INFLATION * on_disk, INFLATION_FLOOR):
            if on_disk < size:  # holes, which read as zeros, or a file system that compresses
                raise ValueError(f"its arrays are declared as {total:,} bytes in a file of {size:,} that takes "
                                 f"only {on_disk:,} on disk (a sparse file, mostly holes that read as zeros): more "
                                 f"than {MAX_INFLATION}x what it stores, as trained weights never are; refused as "
                                 "a decompression bomb")
            raise ValueError(f"its arrays are declared as {total:,} bytes in a file of {on_disk:,}: compressed "
                             f"more than {MAX_INFLATION}x, as trained weights never are (save stores them "
                             "uncompressed); refused as a decompression bomb")
        arrays = {name: _read(path, archive, members, name, members[name].file_size) for name in expected}
    check_arrays(expected, arrays)
    return architecture, arrays


def _space_taken(path: str) -> tuple[int, int]:
    """(size, bytes on disk) of the file at ``path``: a sparse file's holes count in its size, not on disk.

    st_blocks counts 512-byte blocks on Linux and macOS. Where it is absent
    (Windows) or 0 (some network and FUSE file systems report no blocks, and
    a tiny file may live inside its inode), the size is all there is to go by.
    """
    stat = os.stat(path)
    blocks = getattr(stat, "st_blocks", 0)
    return stat.st_size, (min(stat.st_size, blocks * 512) if blocks else stat.st_size)


def _open(path: str) -> np.lib.npyio.NpzFile:
    """The .npz archive at ``path``, opened by np.load without pickles, or a ModelFileError saying why not."""
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
    return archive


def _members(path: str, archive) -> dict[str, zipfile.ZipInfo]:
    """Each name in the archive (as np.load names it: "0.weight" for "0.weight.npy") -> its zip entry."""
    members = {}
    zip_names = set(archive.zip.namelist())
    for name in archive.files:
        if name in members:
            raise ModelFileError(f"cannot load {path}: the zip holds {name!r} twice, so which one "
                                 "counts is unclear: the file is damaged or was edited")
        members[name] = archive.zip.getinfo(name + ".npy" if name + ".npy" in zip_names else name)
    return members


def _check_declared_size(name: str, member: zipfile.ZipInfo, shape: tuple, dtype: str) -> int:
    """The size the zip directory declares for ``name``, if an array of ``shape`` and ``dtype`` can take it."""
    needed = int(np.prod(shape, dtype=object)) * np.dtype(dtype).itemsize  # Python ints: no overflow
    what = f"a {shape} {dtype} array"
    if member.file_size > needed + NPY_HEADER_BYTES:
        raise ValueError(f"{name!r} is declared as {member.file_size:,} bytes, but {what} takes "
                         f"{needed:,} (plus a header of at most {NPY_HEADER_BYTES:,}): the file is damaged or hostile")
    if member.file_size < needed:
        raise ValueError(f"{name!r} is declared as {member.file_size:,} bytes, too few for {what} "
                         f"({needed:,} bytes): the file is damaged")
    return member.file_size


def _read(path: str, archive, members: dict, name: str, limit: int):
    """The array ``name`` (None if absent), read only if it declares at most ``limit`` bytes."""
    if name not in members:
        return None
    declared = members[name].file_size
    if declared > limit:
        raise ModelFileError(f"cannot load {path}: the {name} is declared as {declared:,} bytes, more than "
                             f"the {limit:,} it may take")
    try:
        array = archive[name]
    except Exception as error:
        # Reading damaged bytes fails in many ways (zipfile's BadZipFile for a
        # bad CRC, zlib.error, bz2's OSError, lzma.LZMAError,
        # NotImplementedError for an unknown compression, numpy's ValueError
        # and EOFError...): each means the file is bad.
        if "pickle" in str(error):
            raise ModelFileError(f"cannot load {path}: {name!r} is a pickled object array; tinynet never "
                                 "unpickles, because unpickling can run any code") from error
        raise ModelFileError(f"cannot load {path}: the file is damaged, array {name!r} "
                             f"cannot be read ({type(error).__name__}: {error})") from error
    if not isinstance(array, np.ndarray):
        raise ModelFileError(f"cannot load {path}: the entry {name!r} is not a numpy array")
    # a valid .npy may be stored in Fortran order; keep the usual row-major layout
    return array if array.flags.c_contiguous else array.copy(order="C")


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
    total = sum(math.prod(shape) * np.dtype(dtype).itemsize for shape, dtype in expected.values())  # Python ints
    if total > MAX_ARRAY_BYTES:
        raise ValueError(f"the model's arrays would take {total:,} bytes, more than the {MAX_ARRAY_BYTES:,} (256 MiB: "
                         f"{MAX_ARRAY_BYTES // 8:,} float64 or {MAX_ARRAY_BYTES // 4:,} float32 numbers) that a "
                         "model file may hold")
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
