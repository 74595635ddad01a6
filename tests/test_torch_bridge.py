"""to_torch and from_torch, checked against PyTorch itself.

The same net in both libraries must predict the same numbers (1e-12 in
float64, 1e-6 in float32) and, for the same data and MSE loss, torch's
autograd must find the gradients tinynet's hand-written backward does (1e-10
in float64): the strongest check of tinynet's backward there is, since torch
derives its gradients by a different road. Tests that need torch skip
without it; the ones about its absence run everywhere.

All are marked slow: importing torch takes seconds, more than every test
here together, so the quick loop (python -m pytest -m "not slow") is the
same with torch and without it (the README's install leaves it out).
"""

import json
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import tinynet
from tinynet import (
    ACTIVATIONS,
    LeakyReLU,
    Linear,
    Module,
    MSELoss,
    ReLU,
    Sequential,
    from_torch,
    get_activation,
    mlp,
    standardized,
    to_torch,
)
from tinynet.io.torch_bridge import save_state_dict
from tinynet.standardize import Standardize, Unstandardize

pytestmark = pytest.mark.slow  # see the docstring: import torch
REPO = Path(__file__).resolve().parent.parent
TOLERANCE = {np.float64: 1e-12, np.float32: 1e-6}


@pytest.fixture
def torch():
    return pytest.importorskip("torch", reason='PyTorch is optional (pip install "tinynet[torch]"); '
                                                "these tests compare tinynet with it")


def data(dtype=np.float64, n=40):
    """Inputs far from zero mean and unit spread, and two targets of their own scale, so scaling layers matter."""
    rng = np.random.default_rng(1)
    X = rng.normal(5.0, 3.0, size=(n, 3))
    Y = np.column_stack([np.sin(X[:, 0]) * 20 + 50, X[:, 1] * X[:, 2]])
    return X.astype(dtype), Y.astype(dtype)


def activation(name: str) -> Module:
    return LeakyReLU(0.2) if name == "leaky_relu" else get_activation(name)  # a slope other than the default


def make_net(name: str, dtype=np.float64, scaled: bool = False, seed: int = 0) -> Sequential:
    """Linear(3, 6), act, Linear(6, 5), act, Linear(5, 2), optionally inside the scaling for data()."""
    rng = np.random.default_rng(seed)
    net = Sequential(Linear(3, 6, rng=rng, dtype=dtype), activation(name), Linear(6, 5, rng=rng, dtype=dtype),
                     activation(name), Linear(5, 2, bias=False, rng=rng, dtype=dtype))
    return standardized(net, *data(dtype)) if scaled else net


def arrays_of(model: Sequential) -> list[np.ndarray]:
    """Every array a tinynet model computes with, in order."""
    out = []
    for layer in model:
        out += [p.data for p in layer.parameters()]
        if isinstance(layer, (Standardize, Unstandardize)):
            out += [layer.mean, layer.std]
    return out


def torch_output(torch, module, X: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return module(torch.from_numpy(X)).numpy()


NETS = [(name, scaled) for name in ACTIVATIONS for scaled in (False, True)]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name, scaled", NETS)
def test_to_torch_predicts_what_tinynet_predicts(torch, name, scaled, dtype):
    model = make_net(name, dtype, scaled)
    module = to_torch(model)
    X, _ = data(dtype)
    expected, got = model(X), torch_output(torch, module, X)
    assert got.dtype == expected.dtype == dtype
    np.testing.assert_allclose(got, expected, rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype])
    assert {t.dtype for t in module.state_dict().values()} == {getattr(torch, np.dtype(dtype).name)}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_from_torch_predicts_what_torch_predicts(torch, dtype):
    nn = torch.nn
    X, Y = data(dtype)
    scaling = to_torch(standardized(Sequential(), X, Y))  # a TorchStandardize and a TorchUnstandardize
    with torch.random.fork_rng():  # torch's own initialisation, seeded, without touching the global generator
        torch.manual_seed(0)
        module = nn.Sequential(scaling[0], nn.Linear(3, 8), nn.LeakyReLU(0.3),
                               nn.Sequential(nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 8), nn.Sigmoid()),
                               nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 2, bias=False), nn.Identity(), scaling[1])
    module = module.to(getattr(torch, np.dtype(dtype).name))
    model = from_torch(module)
    assert [type(layer).__name__ for layer in model] == [
        "Standardize", "Linear", "LeakyReLU", "Linear", "Tanh", "Linear", "Sigmoid", "Linear", "ReLU", "Linear",
        "Identity", "Unstandardize"]
    assert model[2].negative_slope == pytest.approx(0.3)
    expected, got = torch_output(torch, module, X), model(X)
    assert got.dtype == expected.dtype == dtype
    np.testing.assert_allclose(got, expected, rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name, scaled", NETS)
def test_round_trips_give_back_the_same_numbers(torch, name, scaled, dtype):
    model = make_net(name, dtype, scaled)
    back = from_torch(to_torch(model))
    assert repr(back) == repr(model)
    assert [type(layer).__name__ for layer in back] == [type(layer).__name__ for layer in model]
    for a, b in zip(arrays_of(model), arrays_of(back), strict=True):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()  # bit for bit
    X, _ = data(dtype)
    assert back(X).tobytes() == model(X).tobytes()
    module = to_torch(model)
    again = to_torch(from_torch(module))
    for (key, a), (key2, b) in zip(module.state_dict().items(), again.state_dict().items(), strict=True):
        assert key == key2 and torch.equal(a, b)


def test_slopes_survive_the_round_trip(torch):
    model = Sequential(Linear(2, 2, rng=0), LeakyReLU(0.37))
    assert to_torch(model)[1].negative_slope == 0.37
    assert from_torch(to_torch(model))[1].negative_slope == 0.37


@pytest.mark.parametrize("name, scaled", NETS)
def test_gradients_agree_with_torch_autograd(torch, name, scaled):
    X, Y = data()
    model = make_net(name, np.float64, scaled)
    module = to_torch(model)
    # tinynet: forward, MSE, backward by hand
    loss = MSELoss()
    loss(model(X), Y)
    model.zero_grad()
    dX = model.backward(loss.backward())
    # torch: the same, by autograd
    Xt = torch.from_numpy(X).requires_grad_()
    torch.nn.functional.mse_loss(module(Xt), torch.from_numpy(Y)).backward()
    compared = 0
    for key, param in module.named_parameters():
        index, kind = key.split(".")
        grad = getattr(model[int(index)], kind).grad
        expected = grad.T if kind == "weight" else grad  # torch's weight is W.T
        np.testing.assert_allclose(param.grad.numpy(), expected, rtol=1e-10, atol=1e-10)
        compared += 1
    np.testing.assert_allclose(Xt.grad.numpy(), dX, rtol=1e-10, atol=1e-10)
    assert compared == len(model.parameters()) == 5
    assert np.abs(dX).max() > 1e-3  # a real gradient was compared, not zeros against zeros


def test_arrays_are_copied_not_shared(torch):
    model = make_net("tanh", scaled=True)
    module = to_torch(model)
    with torch.no_grad():
        for tensor in module.state_dict().values():
            tensor.add_(1.0)
    back = from_torch(module)
    assert all((a != b).all() for a, b in zip(arrays_of(model), arrays_of(back)))
    back[1].weight.data += 1.0
    assert not np.array_equal(back[1].weight.data.T, module[1].weight.detach().numpy())


def test_to_torch_draws_nothing_from_torchs_generator(torch):
    state = torch.random.get_rng_state()
    to_torch(make_net("relu", scaled=True))
    assert torch.equal(torch.random.get_rng_state(), state)


def test_the_scaling_is_kept_but_not_trained(torch):
    module = to_torch(make_net("relu", scaled=True))
    assert [type(m).__name__ for m in (module[0], module[-1])] == ["TorchStandardize", "TorchUnstandardize"]
    assert len(list(module.parameters())) == 5  # the Linear layers' only
    assert set(module.state_dict()) == {"0.mean", "0.std", "1.weight", "1.bias", "3.weight", "3.bias",
                                        "5.weight", "6.mean", "6.std"}


def test_a_whole_torch_module_pickles_and_loads_in_a_fresh_interpreter(torch, tmp_path):
    model = make_net("sigmoid", scaled=True)
    module = to_torch(model)
    X, _ = data()
    again = pickle.loads(pickle.dumps(module))
    np.testing.assert_array_equal(torch_output(torch, again, X), torch_output(torch, module, X))
    torch.save(module, tmp_path / "whole.pt")
    np.save(tmp_path / "X.npy", X)
    code = ("import sys, numpy as np, torch; net = torch.load(sys.argv[1], weights_only=False); "
            "np.save(sys.argv[2], net(torch.from_numpy(np.load(sys.argv[3]))).detach().numpy())")
    subprocess.run([sys.executable, "-c", code, tmp_path / "whole.pt", tmp_path / "out.npy", tmp_path / "X.npy"],
                   check=True, cwd=REPO)
    np.testing.assert_array_equal(np.load(tmp_path / "out.npy"), torch_output(torch, module, X))


# The state_dict that `tinynet export` writes

@pytest.mark.parametrize("write", ["save_state_dict", "torch.save"])
def test_a_state_dict_file_loads_with_weights_only(torch, tmp_path, write):
    model = make_net("leaky_relu", scaled=True)
    path = tmp_path / "model.pt"
    if write == "save_state_dict":
        save_state_dict(model, path)
    else:
        torch.save(to_torch(model).state_dict(), path)
    state = torch.load(path, weights_only=True)  # plain tensors: no code is unpickled
    other = to_torch(make_net("leaky_relu", scaled=True, seed=7))  # same architecture, other weights
    X, _ = data()
    assert not np.allclose(torch_output(torch, other, X), model(X))
    other.load_state_dict(state)
    np.testing.assert_array_equal(torch_output(torch, other, X), torch_output(torch, to_torch(model), X))
    np.testing.assert_allclose(torch_output(torch, other, X), model(X), rtol=1e-12, atol=1e-12)


def test_save_state_dict_replaces_the_file_only_when_complete(torch, tmp_path):
    path = tmp_path / "model.pt"
    path.write_bytes(b"old")
    with pytest.raises(ValueError, match="layer 1 is a Square"):
        save_state_dict(Sequential(Linear(2, 2, rng=0), Square()), path)
    assert path.read_bytes() == b"old"


# docs/pytorch.md's "continue training in PyTorch", word for word (after X and y, torch tensors, are defined);
# tests/test_readme.py checks that the doc still shows it.
DOC_EXAMPLE = """\
net = tinynet.to_torch(tinynet.load("model.npz"))  # or: net.load_state_dict(torch.load("model.pt", weights_only=True))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
for _ in range(200): opt.zero_grad(); torch.nn.functional.mse_loss(net(X), y).backward(); opt.step()
"""


def test_the_doc_example_continues_training(torch, tmp_path, monkeypatch):
    X, Y = data()
    model = make_net("relu", scaled=True)
    net, Xs, Ys = tinynet.split_scaling(model, X, Y)
    tinynet.fit(net, Xs, Ys, epochs=50)  # a start, far from done
    monkeypatch.chdir(tmp_path)
    tinynet.save(model, "model.npz")
    namespace = {"tinynet": tinynet, "torch": torch, "X": torch.from_numpy(X), "y": torch.from_numpy(Y)}
    exec(DOC_EXAMPLE, namespace)  # noqa: S102 (running the doc's own text is the point)
    before = MSELoss()(model(X), Y)
    after = MSELoss()(torch_output(torch, namespace["net"], X), Y)
    assert after < 0.9 * before


# Refusals

class Square(Module):
    def forward(self, x):
        return x * x


class MyReLU(ReLU):
    pass


@pytest.mark.parametrize("model, message", [
    (Sequential(Linear(2, 2, rng=0), Square()), "layer 1 is a Square, which to_torch cannot translate"),
    (Sequential(Linear(2, 2, rng=0), MyReLU()), "layer 1 is a MyReLU"),  # a subclass may compute anything
    (Square(), "layer 0 is a Square"),
])
def test_to_torch_refuses_what_it_cannot_translate(torch, model, message):
    with pytest.raises(ValueError, match=message):
        to_torch(model)


def test_to_torch_takes_modules_only(torch):
    with pytest.raises(TypeError, match="to_torch takes a tinynet Sequential or layer, got list"):
        to_torch([Linear(2, 2, rng=0)])


def test_from_torch_refuses_what_tinynet_cannot_represent(torch):
    nn = torch.nn

    class Net(nn.Module):  # its own forward could do anything with its Linear
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(2, 2)

        def forward(self, x):
            return self.fc(x) * 2

    class MyLinear(nn.Linear):
        pass

    cases = [
        (nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.ReLU(), nn.Dropout())), r"layer 1\.1 is a Dropout \(torch"),
        (nn.Sequential(nn.Linear(2, 3), nn.GELU()), "layer 1 is a GELU"),
        (nn.Conv1d(2, 3, 1), "the module is a Conv1d"),
        (Net(), "the module is a Net"),
        (nn.Sequential(MyLinear(2, 2)), "layer 0 is a MyLinear"),
        (nn.Sequential(nn.Linear(2, 3).half()), r"layer 0 \(Linear\) holds torch.float16 tensors"),
        (nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1).double()),
         "layer 1 is float64 but layer 0 is float32: tinynet computes in one dtype"),
    ]
    for module, message in cases:
        with pytest.raises(ValueError, match=message):
            from_torch(module)
    with pytest.raises(TypeError, match="from_torch takes a torch.nn.Module, got Sequential"):
        from_torch(Sequential(Linear(2, 2, rng=0)))



# what makes a torch net compute other than its layers say (issue 20, item 7)

def test_a_module_placed_twice_or_a_tied_weight_is_refused_by_name(torch):
    nn = torch.nn
    lin = nn.Linear(2, 2)
    tied = nn.Linear(2, 2)
    tied.weight = lin.weight  # another module, the same Parameter
    cases = [
        # torch runs lin twice with one weight; named_children lists it once, so it became a 2-layer net
        (nn.Sequential(lin, nn.ReLU(), lin), "layer 2 shares its weight with layer 0's weight"),
        (nn.Sequential(nn.Sequential(lin, nn.ReLU()), nn.Sequential(nn.Tanh(), lin)),
         r"layer 1\.1 shares its weight with layer 0\.0's weight"),
        (nn.Sequential(lin, nn.ReLU(), tied), "layer 2 shares its weight with layer 0's weight"),
    ]
    for module, message in cases:
        with pytest.raises(ValueError, match=message + r" \(the same module placed twice, or tied weights\): "
                                                     "torch trains one tensor for both"):
            from_torch(module)


def test_a_layer_without_parameters_placed_twice_becomes_two_layers(torch):
    nn = torch.nn
    X, _ = data()
    relu = nn.ReLU()
    scale = to_torch(Standardize(X.mean(axis=0), X.std(axis=0)))[0]  # a TorchStandardize: buffers, never trained
    with torch.random.fork_rng():
        torch.manual_seed(0)
        module = nn.Sequential(scale, nn.Linear(3, 3), relu, scale, nn.Linear(3, 2), relu).double()
    model = from_torch(module)
    assert [type(layer).__name__ for layer in model] == [
        "Standardize", "Linear", "ReLU", "Standardize", "Linear", "ReLU"]  # the last ReLU was dropped
    np.testing.assert_allclose(model(X), torch_output(torch, module, X), rtol=1e-12, atol=1e-12)
    assert model[0].mean is not model[3].mean  # each layer owns its arrays


def torch_output_and_gradients(torch, module, X: np.ndarray, Y: np.ndarray) -> list[np.ndarray]:
    """What module computes for X, then the gradient of its MSE on Y for each parameter."""
    module.zero_grad()
    output = module(torch.from_numpy(X))
    torch.nn.functional.mse_loss(output, torch.from_numpy(Y)).backward()
    return [output.detach().numpy(), *(parameter.grad.numpy().copy() for parameter in module.parameters())]


HOOKED = [
    ("0", "register_forward_hook", lambda module, inputs, output: output * 2,
     r"layer 0 \(Linear\) has a forward hook \(register_forward_hook\)"),
    ("", "register_forward_pre_hook", lambda module, inputs: (inputs[0] + 1,),
     r"the module \(Sequential\) has a forward pre-hook \(register_forward_pre_hook\)"),
    ("1.0", "register_full_backward_hook", lambda module, grad_input, grad_output: (grad_input[0] * 0,),
     r"layer 1\.0 \(Tanh\) has a backward hook \(register_full_backward_hook\)"),
    ("2", "register_full_backward_pre_hook", lambda module, grad_output: (grad_output[0] * 0,),
     r"layer 2 \(Linear\) has a backward pre-hook \(register_full_backward_pre_hook\)"),
]


@pytest.mark.parametrize("path, register, hook, message", HOOKED, ids=[case[1] for case in HOOKED])
def test_a_hook_is_refused_by_name(torch, path, register, hook, message):
    nn = torch.nn
    module = nn.Sequential(nn.Linear(3, 4), nn.Sequential(nn.Tanh()), nn.Linear(4, 1)).double()
    X, Y = data()
    Y = Y[:, :1]
    handle = getattr(module.get_submodule(path), register)(hook)
    hooked = torch_output_and_gradients(torch, module, X, Y)
    handle.remove()
    plain = torch_output_and_gradients(torch, module, X, Y)
    # the hook changes what torch computes: the output, or the gradients it trains with
    assert any(not np.array_equal(a, b) for a, b in zip(hooked, plain, strict=True))
    handle = getattr(module.get_submodule(path), register)(hook)
    with pytest.raises(ValueError, match=message + ", so the net computes more than its layers say"):
        from_torch(module)
    handle.remove()
    assert len(from_torch(module)) == 3


@pytest.mark.parametrize("register", ["register_module_forward_pre_hook", "register_module_forward_hook",
                                      "register_module_full_backward_pre_hook",
                                      "register_module_full_backward_hook"])
def test_a_hook_on_every_module_is_refused(torch, register):
    module = torch.nn.Sequential(torch.nn.Linear(2, 1))
    handle = getattr(torch.nn.modules.module, register)(lambda *args: None)
    try:
        with pytest.raises(ValueError, match=f"is registered for every torch module "
                                             f"\\(torch.nn.modules.module.{register}\\)"):
            from_torch(module)
    finally:
        handle.remove()
    assert len(from_torch(module)) == 1


def test_a_module_on_the_meta_device_is_refused_by_name(torch):
    nn = torch.nn
    for module, where in [(nn.Sequential(nn.ReLU(), nn.Linear(2, 1, device="meta")), "layer 1"),
                          (nn.Linear(2, 1, device="meta"), "the module")]:
        # torch raised its own NotImplementedError: "Cannot copy out of meta tensor; no data!"
        with pytest.raises(ValueError, match=f"{where} \\(Linear\\) is on the meta device: its tensors have "
                                             "shapes but no values"):
            from_torch(module)


# torch is optional

def test_without_torch_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` fail, as if not installed
    for call in (lambda: to_torch(mlp([1, 2, 1])), lambda: from_torch(None),
                 lambda: save_state_dict(mlp([1, 2, 1]), "unused.pt")):
        with pytest.raises(ModuleNotFoundError, match=r'pip install "tinynet\[torch\]" \(a CPU build is enough'):
            call()


PROBE = """
import json, sys
{imports}
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in ("torch", "sklearn", "tinynet"))))
"""


def modules_after(imports: str) -> set[str]:
    """The torch, scikit-learn and tinynet modules loaded by ``imports`` in a fresh interpreter."""
    result = subprocess.run([sys.executable, "-c", PROBE.format(imports=imports)],
                            capture_output=True, text=True, cwd=REPO, check=True)
    return set(json.loads(result.stdout))


def test_import_tinynet_imports_neither_torch_nor_sklearn():
    loaded = modules_after("import tinynet, tinynet.io.torch_bridge; assert tinynet.to_torch and tinynet.from_torch")
    assert "tinynet.io.torch_bridge" in loaded
    assert not any(name.split(".")[0] in ("torch", "sklearn") for name in loaded), loaded
    assert "tinynet.sklearn" not in loaded  # a submodule users import explicitly


def test_the_probe_sees_torch_once_it_is_used(torch):
    loaded = modules_after("import tinynet; tinynet.to_torch(tinynet.mlp([1, 2, 1]))")
    assert "torch" in loaded and "sklearn" not in loaded
