"""Model files: exact round trips, a clear ModelFileError for every bad file, no code ever run, atomic saves."""

import json
import os
import pickle
import random
import signal
import stat
import subprocess
import sys
import time
import zipfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinynet

try:
    from tinynet import load, save
except ImportError:  # until tinynet/__init__ re-exports them
    from tinynet.io.model_file import load, save
from tinynet import (
    ACTIVATIONS,
    Identity,
    LeakyReLU,
    Linear,
    ModelFileError,
    ReLU,
    Sequential,
    Tanh,
    fit,
    mlp,
)
from tinynet.io.model_file import FORMAT_VERSION
from tinynet.standardize import Standardize, Unstandardize


def assert_same_model(saved, loaded):
    """Same layers in the same order, same settings, and bit-identical arrays of the same dtype."""
    assert isinstance(loaded, Sequential)
    # the same class, or the fast form of the engine's class that load builds (tinynet.fast)
    assert all(isinstance(b, type(a)) or isinstance(a, type(b)) for a, b in zip(saved, loaded))
    assert [type(layer).__name__ for layer in loaded] == [type(layer).__name__ for layer in saved]
    assert repr(loaded) == repr(saved)
    for a, b in zip(saved, loaded):
        arrays = [(p.data, q.data) for p, q in zip(a.parameters(), b.parameters())]
        if isinstance(a, (Standardize, Unstandardize)):
            arrays += [(a.mean, b.mean), (a.std, b.std)]
        if isinstance(a, LeakyReLU):
            assert b.negative_slope == a.negative_slope
        assert len(a.parameters()) == len(b.parameters())
        for x, y in arrays:
            assert x.dtype == y.dtype and x.shape == y.shape
            assert x.tobytes() == y.tobytes()


def assert_same_predictions(saved, loaded, X, *, rtol=0.0):
    """Bit for bit; with rtol, as close as that, for a model of the engine's plain layers, which load
    builds in their fast form (tanh as 1 - 2 / (exp(2x) + 1) rounds its last bit differently)."""
    expected, got = saved(X), loaded(X)
    assert got.dtype == expected.dtype
    if rtol:
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=0)
    else:
        assert got.tobytes() == expected.tobytes()


def trained(model, X, y, epochs=30):
    """Move the parameters away from their initial values (and into the optimizer's flat buffer)."""
    fit(model, X, y, epochs=epochs, lr=0.01)
    return model


def data(n=40, features=3, outputs=2, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, features))
    return X, np.tanh(X @ rng.normal(size=(features, outputs)))


# ---- round trips ----

@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_round_trip_is_exact(tmp_path, activation, dtype):
    X, y = data()
    model = trained(mlp([3, 8, 6, 2], activation, dtype=dtype, seed=1), X, y)
    save(model, tmp_path / "model.npz")
    loaded = load(tmp_path / "model.npz")
    assert_same_model(model, loaded)
    assert_same_predictions(model, loaded, X.astype(dtype))
    assert loaded.parameters()[0].data.dtype == dtype


def scaled(net, X, y, targets=True):
    """Sequential(Standardize(x_mean, x_std), *net, Unstandardize(y_mean, y_std)), as tinynet builds
    a model trained on standardised data, with net trained on the scaled data; without the
    Unstandardize when targets is False."""
    dtype = net.parameters()[0].data.dtype
    x_mean, x_std, y_mean, y_std = (a.astype(dtype) for a in (X.mean(0), X.std(0), y.mean(0), y.std(0)))
    trained(net, (X - x_mean) / x_std, (y - y_mean) / y_std if targets else y)
    tail = [Unstandardize(y_mean, y_std)] if targets else []
    return Sequential(Standardize(x_mean, x_std), *net.layers, *tail)


@pytest.mark.parametrize("targets", [True, False], ids=["inputs and targets", "inputs only"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_standardized_model_keeps_its_scaling(tmp_path, dtype, targets):
    rng = np.random.default_rng(3)
    X = rng.normal(50.0, 10.0, size=(60, 2))  # far from zero mean and unit variance
    y = 1000.0 + X[:, :1] * X[:, 1:]
    model = scaled(mlp([2, 16, 1], "tanh", dtype=dtype), X, y, targets)
    save(model, tmp_path / "model.npz")
    loaded = load(tmp_path / "model.npz")
    assert isinstance(loaded[0], Standardize)
    assert isinstance(loaded[-1], Unstandardize) == targets
    assert_same_model(model, loaded)
    assert_same_predictions(model, loaded, X.astype(dtype))  # raw units in, raw units out


def test_every_layer_setting_round_trips(tmp_path):
    rng = np.random.default_rng(0)
    model = Sequential(
        Standardize(np.array([1.0, -2.0]), np.array([0.5, 3.0])),
        Linear(2, 4, bias=False, rng=1), LeakyReLU(negative_slope=0.137),
        Linear(4, 4, rng=2), Identity(), Tanh(), Linear(4, 3, rng=3), ReLU(),
        Unstandardize(np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])),
    )
    save(model, tmp_path / "model.npz")
    loaded = load(tmp_path / "model.npz")
    assert_same_model(model, loaded)
    assert loaded[1].bias is None
    assert_same_predictions(model, loaded, rng.normal(size=(7, 2)), rtol=1e-14)


def test_path_is_used_exactly_as_given(tmp_path):
    model = mlp([1, 4, 1])
    save(model, str(tmp_path / "model"))  # no ".npz" added, unlike np.savez(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]
    assert_same_model(model, load(str(tmp_path / "model")))


def test_loaded_model_can_be_trained_further(tmp_path):
    X, y = data(outputs=1)
    save(mlp([3, 5, 1], seed=0), tmp_path / "model.npz")
    model = load(tmp_path / "model.npz")
    history = fit(model, X, y, epochs=50)
    assert history.loss[-1] < history.loss[0]


def test_save_replaces_the_old_file_and_keeps_its_permissions(tmp_path):
    path = tmp_path / "model.npz"
    save(mlp([2, 3, 1], seed=0), path)
    os.chmod(path, 0o640)
    new = mlp([2, 5, 1], seed=1)
    save(new, path)
    assert_same_model(new, load(path))
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]  # no temporary file left


# ---- what save refuses, leaving an existing file alone ----

class Doubler(ReLU):
    def forward(self, x):
        return 2 * super().forward(x)


@pytest.mark.parametrize("model, error, fragment", [
    (Linear(2, 1), TypeError, "save takes a Sequential"),
    (Sequential(Linear(2, 3), Doubler(), Linear(3, 1)), ValueError, "layer 1 is a Doubler"),
], ids=["not a Sequential", "unknown subclass"])
def test_save_refuses_what_a_model_file_cannot_hold(tmp_path, model, error, fragment):
    path = tmp_path / "model.npz"
    save(mlp([2, 1]), path)
    before = path.read_bytes()
    with pytest.raises(error, match=fragment):
        save(model, path)
    assert path.read_bytes() == before


def test_save_refuses_non_finite_parameters(tmp_path):
    model = mlp([2, 3, 1])
    model[0].weight.data[0, 0] = np.nan
    with pytest.raises(ValueError, match="non-finite"):
        save(model, tmp_path / "model.npz")
    assert list(tmp_path.iterdir()) == []


def test_failed_save_removes_its_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    old = mlp([2, 3, 1], seed=0)
    save(old, path)

    def broken_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)  # a disk failing mid-save
    with pytest.raises(OSError, match="Input/output error"):
        save(mlp([2, 3, 1], seed=1), path)
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]
    assert_same_model(old, load(path))

    (tmp_path / "folder").mkdir()
    with pytest.raises(OSError):
        save(old, tmp_path / "folder")  # os.replace cannot put a file over a directory
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "model.npz"]


# ---- bad files: each case writes a file from the reference model's pieces ----

def reference_model():
    """One model with every kind of entry: layers 0 Standardize, 1 Linear, 2 LeakyReLU, 3 Linear, 4 Unstandardize."""
    return Sequential(Standardize(np.array([0.5, -1.0]), np.array([2.0, 3.0])),
                      Linear(2, 3, rng=0), LeakyReLU(0.2), Linear(3, 1, rng=1),
                      Unstandardize(np.array([10.0]), np.array([4.0])))


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """(bytes of the reference model file, its architecture dict, its other arrays)."""
    path = tmp_path_factory.mktemp("reference") / "model.npz"
    save(reference_model(), path)
    with np.load(path, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    architecture = json.loads(arrays.pop("architecture").item())
    return path.read_bytes(), architecture, arrays


def write_npz(path, arrays, architecture=None):
    arrays = dict(arrays)
    if architecture is not None:
        arrays["architecture"] = np.array(json.dumps(architecture))
    with open(path, "wb") as file:  # a file object, so the name stays as it is
        np.savez(file, **arrays)


def edited(change):
    """A case that applies change(architecture, arrays) to copies of the reference's, then writes them."""
    def write(path, reference):
        _, architecture, arrays = reference
        architecture, arrays = json.loads(json.dumps(architecture)), dict(arrays)
        change(architecture, arrays)
        write_npz(path, arrays, architecture)
    return write


def raw(make_bytes):
    """A case that writes make_bytes(bytes of the reference file)."""
    def write(path, reference):
        path.write_bytes(make_bytes(reference[0]))
    return write


def flip_bit_in_weights(good):
    weight = reference_model()[1].weight.data.tobytes()
    at = good.index(weight) + 5
    return good[:at] + bytes([good[at] ^ 0x10]) + good[at + 1:]


def single_npy(path, reference):
    with open(path, "wb") as file:
        np.save(file, reference[2]["1.weight"])


def with_text_member(path, reference):
    write_npz(path, reference[2], reference[1])
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("notes.txt", "not an array")


def without_architecture(path, reference):
    write_npz(path, reference[2])


def architecture_array(value):
    def write(path, reference):
        write_npz(path, {**reference[2], "architecture": value})
    return write


def setitem(mapping, key, value):
    mapping[key] = value


BAD_FILES = [
    # (name, writes the file (None: no file), fragment of the message)
    ("missing file", None, "no such file"),
    ("directory", lambda path, ref: path.mkdir(), "is a directory"),
    ("empty", raw(lambda good: b""), "is empty"),
    ("truncated to half", raw(lambda good: good[:len(good) // 2]), "truncated"),
    ("truncated by one byte", raw(lambda good: good[:-1]), "truncated"),
    ("only the zip signature", raw(lambda good: good[:4]), "truncated"),
    ("text file", raw(lambda good: b"hello, world\n"), "not an .npz zip archive"),
    ("a plain pickle", raw(lambda good: pickle.dumps({"weights": [1.0, 2.0]})), "not an .npz zip archive"),
    ("a single .npy array", single_npy, "single .npy array"),
    ("bit flipped in a weight", raw(flip_bit_in_weights), "damaged"),
    ("no architecture", without_architecture, "no 'architecture' entry"),
    ("architecture not text", architecture_array(np.arange(3.0)), "must be a JSON string"),
    ("architecture not JSON", architecture_array(np.array("{layers: [")), "not valid JSON"),
    ("architecture nested too deep", architecture_array(np.array("[" * 100_000)), "nested too deep to read"),
    ("architecture a list", architecture_array(np.array("[1, 2]")), "not a tinynet model description"),
    ("another format", edited(lambda a, _: setitem(a, "format", "keras")), "not a tinynet model description"),
    ("unknown layer type", edited(lambda a, _: setitem(a["layers"][2], "type", "Conv2d")),
     "unknown layer type 'Conv2d'"),
    ("layer not an object", edited(lambda a, _: setitem(a["layers"], 2, "ReLU")), 'layer 2 must be a JSON object'),
    ("newer format version", edited(lambda a, _: setitem(a, "format_version", FORMAT_VERSION + 1)),
     f"format version {FORMAT_VERSION + 1}, newer than this tinynet"),
    ("format version not an integer", edited(lambda a, _: setitem(a, "format_version", "1")),
     'format_version must be an integer >= 1, got "1"'),
    ("unsupported dtype", edited(lambda a, _: setitem(a, "dtype", "float16")),
     '"dtype" must be float32 or float64, got "float16"'),
    ("in_features not an integer", edited(lambda a, _: setitem(a["layers"][1], "in_features", 2.5)),
     'layer 1 (Linear): "in_features" must be an integer >= 1, got 2.5'),
    ("bias not a boolean", edited(lambda a, _: setitem(a["layers"][3], "bias", 1)),
     '"bias" must be true or false, got 1'),
    ("negative_slope not a number", edited(lambda a, _: setitem(a["layers"][2], "negative_slope", "0.2")),
     '"negative_slope" must be a finite number'),
    ("layers that do not chain", edited(lambda a, arrays: (
        setitem(a["layers"][3], "in_features", 4), setitem(arrays, "3.weight", np.zeros((4, 1))))),
     "takes 4 features, but the layers before it give 3"),
    ("missing weight", edited(lambda _, arrays: arrays.pop("3.weight")), "parameter '3.weight' is missing"),
    ("missing std", edited(lambda _, arrays: arrays.pop("0.std")), "parameter '0.std' is missing"),
    ("unexpected array", edited(lambda _, arrays: setitem(arrays, "7.weight", np.ones((1, 1)))),
     "unexpected array '7.weight'"),
    ("wrong shape", edited(lambda _, arrays: setitem(arrays, "1.weight", arrays["1.weight"].T)),
     "'1.weight' has shape (3, 2), expected (2, 3)"),
    ("wrong float dtype", edited(lambda _, arrays: setitem(arrays, "1.bias", arrays["1.bias"].astype(np.float32))),
     "'1.bias' has dtype float32, expected float64"),
    ("integer parameter", edited(lambda _, arrays: setitem(arrays, "3.bias", np.zeros(1, dtype=np.int64))),
     "'3.bias' has dtype int64"),
    ("big-endian parameter", edited(lambda _, arrays: setitem(arrays, "1.weight", arrays["1.weight"].astype(">f8"))),
     "'1.weight' has dtype >f8"),
    ("NaN weight", edited(lambda _, arrays: setitem(arrays, "1.weight", np.full((2, 3), np.nan))),
     "'1.weight' holds non-finite values"),
    ("infinite mean", edited(lambda _, arrays: setitem(arrays, "4.mean", np.array([np.inf]))),
     "'4.mean' holds non-finite values"),
    ("zero std", edited(lambda _, arrays: setitem(arrays, "0.std", np.array([1.0, 0.0]))),
     "'0.std' must be > 0"),
    ("pickled object parameter", edited(lambda _, arrays: setitem(arrays, "1.bias", np.array([1, "a"], dtype=object))),
     "'1.bias' is a pickled object array"),
    ("pickled architecture", architecture_array(np.array(["{}"], dtype=object)),
     "'architecture' is a pickled object array"),
    ("a member that is not an array", with_text_member, "'notes.txt' is not a numpy array"),
]


@pytest.mark.parametrize("write, fragment", [case[1:] for case in BAD_FILES], ids=[case[0] for case in BAD_FILES])
def test_bad_model_file_raises_model_file_error(tmp_path, reference, write, fragment):
    path = tmp_path / "model.npz"
    if write is not None:
        write(path, reference)
    with pytest.raises(ModelFileError) as caught:
        load(path)
    message = str(caught.value)
    assert fragment in message
    assert str(path) in message  # every message names the file


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes and symbolic links (POSIX)")
def test_pipes_and_dangling_links_are_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe")  # opening it to read would wait forever for a writer
    with pytest.raises(ModelFileError, match="not a regular file"):
        load(tmp_path / "pipe")
    os.symlink(tmp_path / "gone.npz", tmp_path / "link.npz")
    with pytest.raises(ModelFileError, match="no such file"):
        load(tmp_path / "link.npz")


def test_reference_file_itself_loads(tmp_path, reference):
    # the cases above edit a file that is good to begin with
    path = tmp_path / "model.npz"
    edited(lambda architecture, arrays: None)(path, reference)
    assert_same_model(reference_model(), load(path))


# ---- a malicious file runs nothing ----

class Payload:
    """Unpickling this calls open(marker, "w"): it creates the marker file. Any function could stand here."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def write_malicious(path, marker, member, reference):
    """A model file whose ``member`` is an object array holding a Payload, written as np.save would."""
    _, architecture, arrays = reference
    entries = {**arrays, "architecture": np.array(json.dumps(architecture))}
    entries[member] = np.array([Payload(marker)], dtype=object)
    with zipfile.ZipFile(path, "w") as archive:
        for name, array in entries.items():
            with archive.open(name + ".npy", "w") as file:
                np.save(file, array, allow_pickle=True)


@pytest.mark.parametrize("member", ["1.weight", "architecture"])
def test_malicious_pickle_is_never_unpickled(tmp_path, reference, member):
    # First show that the payload is live: an unsafe load does create its marker.
    control, control_marker = tmp_path / "control.npz", tmp_path / "control-marker"
    write_malicious(control, control_marker, member, reference)
    with np.load(control, allow_pickle=True) as archive:
        archive[member]
    assert control_marker.exists()

    path, marker = tmp_path / "model.npz", tmp_path / "marker"
    write_malicious(path, marker, member, reference)
    with pytest.raises(ModelFileError, match="pickled object array"):
        load(path)
    assert not marker.exists()


def test_a_whole_file_pickle_is_never_unpickled(tmp_path):
    path, marker = tmp_path / "model.npz", tmp_path / "marker"
    path.write_bytes(pickle.dumps(Payload(marker)))
    with pytest.raises(ModelFileError, match="not an .npz"):
        load(path)
    assert not marker.exists()


# ---- fuzzing: random and damaged bytes give a model or a ModelFileError, nothing else ----

@pytest.fixture(scope="module")
def fuzz_path(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz") / "model.npz"


def load_bytes(path, content):
    """load() the file holding ``content``: returns the model, or None after a ModelFileError."""
    path.write_bytes(content)
    try:
        return load(path)
    except ModelFileError:
        return None


@pytest.mark.slow  # 300 files of random bytes
@settings(max_examples=300, deadline=None)
@given(content=st.binary(max_size=4096) | st.binary(max_size=64).map(lambda tail: b"PK\x03\x04" + tail))
def test_random_bytes_never_load(fuzz_path, content):
    assert load_bytes(fuzz_path, content) is None


@pytest.mark.slow  # 500 damaged files
@settings(max_examples=500, deadline=None)
@given(data=st.data())
def test_damaged_model_file_loads_intact_or_raises_model_file_error(fuzz_path, reference, data):
    content = bytearray(reference[0])
    for _ in range(data.draw(st.integers(0, 8), label="bit flips")):
        at = data.draw(st.integers(0, len(content) - 1), label="flip at")
        content[at] ^= 1 << data.draw(st.integers(0, 7), label="bit")
    if data.draw(st.booleans(), label="truncate"):
        content = content[:data.draw(st.integers(0, len(content) - 1), label="keep")]
    model = load_bytes(fuzz_path, bytes(content))
    if model is not None:
        # only bytes no reader looks at changed (zip timestamps, say): CRC-32
        # checks catch any change to an array or to the architecture
        assert_same_model(reference_model(), model)


# ---- atomic save: kill the saving process at random moments ----

SIZES = [400, 2000, 1500, 1]  # 3.8 million parameters: about 30 MB in float64
KILLS = 20
CHILD = """
import sys
from tinynet import mlp
from tinynet.io.model_file import save

path, sizes = sys.argv[1], [int(size) for size in sys.argv[2].split(",")]
models = [mlp(sizes, "relu", seed=2), mlp(sizes, "relu", seed=1)]  # new, old
print("saving", flush=True)
for i in range(1000):
    save(models[i % 2], path)
"""


def same_parameters(a, b):
    return all(np.array_equal(p.data, q.data) for p, q in zip(a.parameters(), b.parameters()))


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_killed_save_leaves_old_or_new_file(tmp_path):
    """A child process saves the new and the old model in turn over the file; we SIGKILL it at
    random moments. After every kill the file must load as one of the two, complete. A kill can
    leave the temporary file being written (nothing else): load ignores it and a user may delete it."""
    path = tmp_path / "model.npz"
    old, new = mlp(SIZES, "relu", seed=1), mlp(SIZES, "relu", seed=2)
    start = time.perf_counter()
    save(old, path)
    save_seconds = time.perf_counter() - start
    rng = random.Random(0)
    outcomes = {"old": 0, "new": 0, "killed mid-save": 0}
    for _ in range(KILLS):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), ",".join(map(str, SIZES))],
                                 stdout=subprocess.PIPE)
        try:
            assert child.stdout.readline() == b"saving\n"
            time.sleep(rng.uniform(0, 3 * save_seconds))
            assert child.poll() is None, "the child stopped before it was killed"
        finally:
            child.kill()  # SIGKILL: no cleanup code runs in the child
            child.wait()
            child.stdout.close()
        loaded = load(path)
        is_old, is_new = same_parameters(loaded, old), same_parameters(loaded, new)
        assert is_old or is_new
        outcomes["old" if is_old else "new"] += 1
        leftovers = [p for p in tmp_path.iterdir() if p != path]
        assert len(leftovers) <= 1, leftovers  # at most the one temporary file being written
        for temp in leftovers:
            assert temp.name.startswith(".model.npz.") and temp.name.endswith(".tmp")
            outcomes["killed mid-save"] += 1
            temp.unlink()
    # the kills must have landed at different moments, or the test proved little
    assert outcomes["old"] and outcomes["new"] and outcomes["killed mid-save"], outcomes


def test_feature_names_round_trip_and_are_checked(tmp_path):
    model = mlp([2, 3, 1], seed=0)
    model.feature_names = ["height", "weight"]
    save(model, tmp_path / "named.npz")
    assert load(tmp_path / "named.npz").feature_names == ["height", "weight"]
    save(mlp([2, 3, 1]), tmp_path / "unnamed.npz")
    assert load(tmp_path / "unnamed.npz").feature_names is None
    model.feature_names = ["height"]
    with pytest.raises(ValueError, match="names 1 columns, but the model takes 2"):
        save(model, tmp_path / "wrong.npz")
    model.feature_names = "hw"
    with pytest.raises(ValueError, match="feature_names must be a list of column names"):
        save(model, tmp_path / "wrong.npz")


def test_an_activation_of_ones_own_saves_and_loads_once_registered(tmp_path):
    class Cube(tinynet.Module):
        """y = x**3 * scale.  dL/dx = grad_output * 3 * scale * x**2."""

        name = "cube_for_a_test"

        def __init__(self, scale: float = 1.0):
            self.scale = scale

        def forward(self, x):
            self.x = x
            return x**3 * self.scale

        def backward(self, grad_output):
            return grad_output * 3 * self.scale * self.x**2

        def config(self):
            return {"scale": self.scale}

    model = tinynet.Sequential(tinynet.Linear(1, 2, rng=0), Cube(0.5), tinynet.Linear(2, 1, rng=1))
    with pytest.raises(ValueError, match="register it with tinynet.register_activation"):
        tinynet.save(model, tmp_path / "cube.npz")
    tinynet.register_activation(Cube)
    try:
        tinynet.save(model, tmp_path / "cube.npz")
        again = tinynet.load(tmp_path / "cube.npz")
        assert isinstance(again[1], Cube) and again[1].scale == 0.5
        x = np.linspace(-1, 1, 5).reshape(-1, 1)
        assert np.array_equal(again(x), model(x))
    finally:
        del tinynet.ACTIVATIONS["cube_for_a_test"]
    with pytest.raises(tinynet.ModelFileError, match="unknown layer type 'Cube'.*register_activation"):
        tinynet.load(tmp_path / "cube.npz")
