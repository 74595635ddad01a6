"""Reading a model file without trusting it: what ``tinynet.load`` does before it builds a model.

A model file may come from anyone, so each step is bounded before it is taken:

1. The file is opened with ``np.load(path, allow_pickle=False)``, the only
   way it is read: numpy refuses object arrays, so nothing is unpickled.
2. The zip directory is read (it lists each member and the size it declares
   once inflated; reading a member never yields more than that size). Every
   name must appear once.
3. The architecture member is read only if it declares at most
   MAX_ARCHITECTURE_BYTES, then parsed and checked (model_file_check.py):
   at most MAX_LAYERS layers, JSON nested at most MAX_NESTING deep. It says
   which arrays must follow and their shapes and dtypes.
4. Before any array is read, each member's declared size must be what its
   array takes (plus a .npy header), and all of them together at most
   MAX_INFLATION times the file's size on disk: a 40 KB file cannot make
   load inflate 40 MB of zeros.
5. The arrays are read and checked (dtype, shape, finite values).
"""

import os
import zipfile

import numpy as np

from ..errors import ModelFileError
from .model_file_check import check_arrays, expected_arrays, parse_architecture

ARCHITECTURE = "architecture"  # the member holding the JSON description
MAX_ARCHITECTURE_BYTES = 16 * 2**20  # numpy text takes 4 bytes a character: 4 million characters of JSON
NPY_HEADER_BYTES = 10_240  # np.load refuses a .npy header over 10,000 bytes (its max_header_size)
MAX_INFLATION = 32  # save stores arrays uncompressed; compressed trained weights shrink by a few percent
INFLATION_FLOOR = 16 * 2**20  # a small file may always hold this much: zero biases do compress well


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
        on_disk = os.path.getsize(path)
        if total > max(MAX_INFLATION * on_disk, INFLATION_FLOOR):
            raise ValueError(f"its arrays are declared as {total:,} bytes in a file of {on_disk:,}: compressed "
                             f"more than {MAX_INFLATION}x, as trained weights never are (save stores them "
                             "uncompressed); refused as a decompression bomb")
        arrays = {name: _read(path, archive, members, name, members[name].file_size) for name in expected}
    check_arrays(expected, arrays)
    return architecture, arrays


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
