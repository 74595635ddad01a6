"""Hostile or broken model files: each is a ModelFileError, found before it costs memory or time.

A model file may come from anyone. These files are small but built to make
``load`` (or ``inspect`` after it) recurse too deep, allocate gigabytes or run
for minutes; others are accepted by an unchecked ``save`` but unusable. Each
must end in one clear ``ModelFileError`` (one "Error:" line in the CLI), fast.
"""

import io
import json
import sys
import time
import tracemalloc
import zipfile

import numpy as np
import pytest
from click.testing import CliRunner

from cli.main import cli
from tinynet import (
    Linear,
    ModelFileError,
    ReLU,
    Sequential,
    Standardize,
    Unstandardize,
    load,
    mlp,
    save,
)
from tinynet.io.model_file import (
    MAX_ARRAY_BYTES,
    MAX_LAYERS,
    MAX_NESTING,
    expected_arrays,
)


def arrays_of(path) -> dict:
    with np.load(path, allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


def good_file(tmp_path, model=None) -> tuple[dict, dict]:
    """(architecture, other arrays) of a small sound model file."""
    path = tmp_path / "good.npz"
    save(model if model is not None else mlp([1, 4, 1], seed=0), path)
    arrays = arrays_of(path)
    return json.loads(arrays.pop("architecture").item()), arrays


def write(path, architecture, arrays, *, text=None, compressed=False):
    entries = {**arrays, "architecture": np.array(text if text is not None else json.dumps(architecture))}
    with open(path, "wb") as file:
        (np.savez_compressed if compressed else np.savez)(file, **entries)
    return path


def inspect_cli(path):
    return CliRunner().invoke(cli, ["inspect", str(path)], prog_name="tinynet")


def assert_one_error_line(result, fragment):
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # no traceback
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1, result.output
    assert fragment in result.output


# ---- item 7: JSON nested just under the recursion limit -------------------------------------------------

def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# each field tries 151 depths: the quick loop (-m "not slow") one field, the full run all four
@pytest.mark.parametrize("field", ["format_version", *(pytest.param(field, marks=pytest.mark.slow)
                                                       for field in ("dtype", "layer", "features"))])
def test_json_nested_near_the_recursion_limit_is_a_model_file_error(tmp_path, field):
    architecture, arrays = good_file(tmp_path)
    text = json.dumps({**architecture, "dtype": "@"} if field == "dtype" else
                      {**architecture, "format_version": "@"} if field == "format_version" else
                      {**architecture, "features": "@"} if field == "features" else
                      {**architecture, "layers": ["@", *architecture["layers"][1:]]})
    path = tmp_path / "deep.npz"
    # json.loads parses a value nested just under the recursion limit (984 deep from the command
    # line); the first later walk over it that starts a few frames deeper (json.dumps or repr for a
    # message) raised RecursionError, a traceback in the CLI. Where that happens depends on the
    # depth of the caller's stack, so try every depth near the limit.
    limit = sys.getrecursionlimit()
    messages = []
    for depth in range(limit - 150, limit + 1):
        write(path, architecture, arrays, text=text.replace('"@"', nested(depth)))
        with pytest.raises(ModelFileError) as caught:  # a RecursionError fails here
            load(path)
        result = inspect_cli(path)
        assert isinstance(result.exception, SystemExit), f"{depth} deep: {result.exception!r}"
        messages += [str(caught.value), result.output]
    # and each says what is wrong, in one line
    assert all("the architecture JSON is nested too deep" in message for message in messages)
    assert_one_error_line(result, "the architecture JSON is nested too deep")


def test_json_nested_to_the_limit_is_refused_by_what_it_is_not_by_its_depth(tmp_path):
    architecture, arrays = good_file(tmp_path)
    text = json.dumps({**architecture, "dtype": "@"}).replace('"@"', nested(MAX_NESTING - 1))
    with pytest.raises(ModelFileError, match='"dtype" must be float32 or float64, got \\[\\[\\['):
        load(write(tmp_path / "deep.npz", architecture, arrays, text=text))


# ---- item 8: small files that would take gigabytes or minutes -------------------------------------------

def peak_bytes(function) -> int:
    """The most memory (numpy arrays included) that function() holds at once."""
    tracemalloc.start()
    try:
        function()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def refused_quickly(path, fragment, mib=20):
    """load(path) raises ModelFileError matching fragment within a second, holding under mib MiB."""
    def call():
        with pytest.raises(ModelFileError, match=fragment):
            load(path)
    start = time.perf_counter()
    call()
    assert time.perf_counter() - start < 1.0
    peak = peak_bytes(call)  # a second time, traced (tracemalloc slows it down)
    assert peak < mib * 2**20, f"load held {peak / 2**20:.0f} MiB before refusing the file"


def test_a_member_larger_than_its_array_is_refused_before_it_is_inflated(tmp_path):
    architecture, arrays = good_file(tmp_path)
    arrays["0.weight"] = np.zeros((1, 5_000_000))  # 40 MB of zeros in a 40 KB file
    path = write(tmp_path / "bomb.npz", architecture, arrays, compressed=True)
    assert path.stat().st_size < 100_000
    refused_quickly(path, r"'0\.weight' is declared as 40,000,128 bytes, but a \(1, 4\) float64 array "
                          r"takes 32 \(plus a header")


def test_a_member_smaller_than_its_array_is_refused(tmp_path):
    architecture, arrays = good_file(tmp_path, mlp([1, 64, 1]))
    arrays["0.weight"] = np.zeros((1, 2))  # 16 bytes and a header of 128, where 512 are needed
    refused_quickly(write(tmp_path / "short.npz", architecture, arrays),
                    r"'0\.weight' is declared as 144 bytes, too few for a \(1, 64\) float64 array \(512 bytes\)")


def test_an_honestly_described_huge_model_in_a_tiny_compressed_file_is_refused(tmp_path):
    architecture, arrays = good_file(tmp_path)
    width = 5_000_000
    architecture["layers"] = [{"type": "Linear", "in_features": 1, "out_features": width, "bias": False}]
    arrays = {"0.weight": np.zeros((1, width))}  # 40 MB that compress to 40 KB
    refused_quickly(write(tmp_path / "bomb.npz", architecture, arrays, compressed=True),
                    "compressed")


def test_a_huge_architecture_text_is_refused_before_it_is_read(tmp_path):
    architecture, arrays = good_file(tmp_path)
    text = json.dumps({**architecture, "padding": " " * 5_000_000})  # 20 MB as numpy text, 20 KB compressed
    refused_quickly(write(tmp_path / "text.npz", architecture, arrays, text=text, compressed=True),
                    "architecture is declared as")


@pytest.mark.slow  # writes and reads architectures of megabytes
@pytest.mark.parametrize("relus, fragment", [
    (1_000_000, "the architecture is declared as 72,000,844 bytes"),  # a 240 KB file; inspect took 79 s
    (100_000, f"the model has 100,001 layers, more than the {MAX_LAYERS:,} a model file may hold"),
])
def test_a_model_of_too_many_layers_is_refused_within_a_second(tmp_path, relus, fragment):
    architecture, arrays = good_file(tmp_path)
    architecture["layers"] = architecture["layers"][:1] + [{"type": "ReLU"}] * relus
    path = write(tmp_path / "deep.npz", architecture, arrays, compressed=True)
    # the 7 MB architecture of 100,001 layers is read and parsed before its layers are counted
    refused_quickly(path, fragment, mib=64)
    start = time.perf_counter()
    assert_one_error_line(inspect_cli(path), fragment)
    assert time.perf_counter() - start < 1.5


def test_save_refuses_more_layers_than_load_reads(tmp_path):
    model = Sequential(Linear(1, 1), *[ReLU() for _ in range(MAX_LAYERS)])
    with pytest.raises(ValueError, match=f"more than the {MAX_LAYERS:,} a model file may hold"):
        save(model, tmp_path / "deep.npz")
    assert list(tmp_path.iterdir()) == []


def test_save_refuses_a_description_longer_than_load_reads(tmp_path):
    model = mlp([100_000, 1])
    model.feature_names = [f"column number {i:06d} of a very wide table" for i in range(100_000)]
    with pytest.raises(ValueError, match=r"its description takes [\d,]+ bytes, more than the 16,777,216 that load"):
        save(model, tmp_path / "wide.npz")
    assert list(tmp_path.iterdir()) == []
    model = mlp([20_000, 1])
    model.feature_names = [f"column number {i:06d} of a very wide table" for i in range(20_000)]
    save(model, tmp_path / "wide.npz")
    assert load(tmp_path / "wide.npz").feature_names == model.feature_names


@pytest.mark.slow  # saves, loads and inspects 10,000 layers
def test_the_deepest_model_allowed_loads_and_inspects_quickly(tmp_path):
    model = Sequential(Linear(1, 1, rng=0), *[ReLU() for _ in range(MAX_LAYERS - 1)])
    save(model, tmp_path / "deep.npz")
    start = time.perf_counter()
    assert len(load(tmp_path / "deep.npz")) == MAX_LAYERS
    result = inspect_cli(tmp_path / "deep.npz")
    assert result.exit_code == 0, result.output
    assert time.perf_counter() - start < 3.0


# ---- item 9: files that save and load accepted but nothing could use -----------------------------------

def float32_net_behind_float64_scaling():
    net = mlp([1, 4, 1], seed=0, dtype=np.float32)
    return Sequential(Standardize(np.array([1.0]), np.array([2.0])), *net.layers)


@pytest.mark.parametrize("model, odd", [
    (float32_net_behind_float64_scaling(), "layer 0 (Standardize) holds float64"),
    (Sequential(*mlp([1, 4, 1], dtype=np.float32).layers, Unstandardize(np.array([0.0]), np.array([1.0]))),
     "layer 3 (Unstandardize) holds float64"),
    (Sequential(Linear(1, 2, rng=0), ReLU(), Linear(2, 1, rng=0, dtype=np.float32)),
     "layer 2 (Linear) holds float32"),
], ids=["float64 Standardize", "float64 Unstandardize", "two Linear dtypes"])
def test_save_refuses_mixed_dtypes_and_names_the_fix(tmp_path, model, odd):
    with pytest.raises(ValueError, match="one dtype") as caught:
        save(model, tmp_path / "mixed.npz")
    assert odd in str(caught.value) and ".astype(np." in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_file_with_mixed_dtypes_is_refused_at_load(tmp_path):
    architecture, arrays = good_file(tmp_path, Sequential(Standardize([1.0], [2.0]), *mlp([1, 4, 1]).layers))
    architecture["dtype"] = "float32"  # the Linear layers float32, the Standardize float64
    arrays.update({name: a.astype(np.float32) for name, a in arrays.items() if not name.startswith("0.")})
    path = write(tmp_path / "mixed.npz", architecture, arrays)
    with pytest.raises(ModelFileError, match=r"layer 0 \(Standardize\) holds float64.*one dtype"):
        load(path)
    assert_one_error_line(inspect_cli(path), "one dtype")


def test_a_model_with_one_dtype_throughout_still_saves(tmp_path):
    for dtype in (np.float32, np.float64):
        net = mlp([1, 4, 1], seed=0, dtype=dtype)
        stats = np.array([1.0], dtype=dtype), np.array([2.0], dtype=dtype)
        model = Sequential(Standardize(*stats), *net.layers, Unstandardize(*stats))
        save(model, tmp_path / "model.npz")
        loaded = load(tmp_path / "model.npz")
        x = np.array([[0.5]], dtype=dtype)
        assert loaded(x).tobytes() == model(x).tobytes()


def test_an_empty_model_is_refused_at_save_and_load(tmp_path):
    with pytest.raises(ValueError, match="the model has no layers"):
        save(Sequential(), tmp_path / "empty.npz")
    architecture, _ = good_file(tmp_path)
    path = write(tmp_path / "empty.npz", {**architecture, "layers": []}, {})
    with pytest.raises(ModelFileError, match="the model has no layers"):
        load(path)
    assert_one_error_line(inspect_cli(path), "the model has no layers")


def test_a_zip_holding_one_name_twice_is_refused(tmp_path):
    architecture, arrays = good_file(tmp_path)
    path = write(tmp_path / "twice.npz", architecture, arrays)
    with (pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(path, "a") as archive,
          archive.open("0.bias.npy", "w") as member):
        np.save(member, np.zeros(4))
    with pytest.raises(ModelFileError, match="'0.bias' twice"):
        load(path)


# ---- issue 20, item 3: a sparse file, of holes that read as zeros but take no space -----------------------

class HoleWriter(io.RawIOBase):
    """A file that seeks over each write of zeros instead of writing it: those bytes become a hole."""

    def __init__(self, file):
        self.file = file

    def writable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self.file.tell()

    def seek(self, offset, whence=io.SEEK_SET):
        return self.file.seek(offset, whence)

    def write(self, data):
        if len(data) > 4096 and data == bytes(len(data)):  # zipfile hands stored data through as given
            self.file.seek(len(data), io.SEEK_CUR)
        else:
            self.file.write(data)
        return len(data)


ZEROS = bytes(2**24)


def sparse_model_file(path, width: int):
    """A sound model file of Linear(1, width) with zero weights, stored uncompressed, every 16 MiB of zeros a hole.

    Its size is 8 * width bytes and more; on disk it takes a few blocks (zipfile still computes every CRC,
    so load would read it as a valid file).
    """
    architecture = {"format": "tinynet-model", "format_version": 1, "tinynet_version": "0.1.0", "dtype": "float64",
                    "layers": [{"type": "Linear", "in_features": 1, "out_features": width, "bias": False}]}
    with open(path, "wb") as raw, zipfile.ZipFile(HoleWriter(raw), "w", zipfile.ZIP_STORED) as archive:
        with archive.open("architecture.npy", "w") as member:
            np.lib.format.write_array(member, np.array(json.dumps(architecture)))
        with archive.open("0.weight.npy", "w", force_zip64=True) as member:
            np.lib.format.write_array_header_1_0(member, {"descr": "<f8", "fortran_order": False, "shape": (1, width)})
            full, rest = divmod(8 * width, len(ZEROS))
            for _ in range(full):
                member.write(ZEROS)
            member.write(bytes(rest))
    stat = path.stat()
    # a file system without holes (st_blocks counts 512-byte blocks) would store every zero
    assert stat.st_blocks * 512 < 2**20 < stat.st_size, "this file system does not keep sparse files sparse"
    return path


def test_a_sparse_file_cannot_declare_more_than_the_cap(tmp_path):
    # the file of issue 20: 1.08 GB that take 8 KB on disk made load hold 4.2 GB before a MemoryError
    path = sparse_model_file(tmp_path / "sparse.npz", 135_000_000)
    assert path.stat().st_size > 1_080_000_000
    message = r"arrays would take 1,080,000,000 bytes, more than the 268,435,456 \(256 MiB"
    refused_quickly(path, message)
    assert_one_error_line(inspect_cli(path), "more than the 268,435,456 (256 MiB")


def test_a_sparse_file_under_the_cap_is_measured_by_the_space_it_takes(tmp_path):
    # 160 MB of zero weights, under the cap, in a file that takes a few KB: load held 800 MB and built the model
    path = sparse_model_file(tmp_path / "sparse.npz", 20_000_000)
    refused_quickly(path, r"declared as 160,000,128 bytes in a file of [\d,]+ that takes only [\d,]+ on disk "
                          r"\(a sparse file")


def test_the_cap_counts_every_array_the_architecture_declares(tmp_path):
    architecture, _ = good_file(tmp_path)
    width = MAX_ARRAY_BYTES // 8  # a (1, width) float64 weight takes the cap exactly
    architecture["layers"] = [{"type": "Linear", "in_features": 1, "out_features": width, "bias": False}]
    assert expected_arrays(architecture) == {"0.weight": ((1, width), "float64")}
    architecture["layers"][0]["bias"] = True  # and a bias of (width,) float64 is 8 * width bytes more
    with pytest.raises(ValueError, match=r"would take 536,870,912 bytes, more than the 268,435,456 \(256 MiB"):
        expected_arrays(architecture)
    architecture["dtype"] = "float32"  # the same numbers in half the bytes: the cap exactly again
    assert len(expected_arrays(architecture)) == 2
