"""tinynet export: a model file as a PyTorch state_dict that torch.load(weights_only=True) reads."""

import numpy as np
import pytest
from click.testing import CliRunner

import tinynet
from cli.main import cli


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.slow  # import torch takes seconds: the quick loop (-m "not slow") is the same without torch
def test_export_writes_what_torch_reads_into_to_torchs_module(tmp_path):
    torch = pytest.importorskip("torch", reason="the export needs torch (the torch extra)")
    model = tinynet.standardized(tinynet.mlp([1, 4, 1], "tanh", seed=3), np.array([[10.0], [30.0]]),
                                 np.array([[-5.0], [5.0]]))
    tinynet.save(model, tmp_path / "m.npz")
    result = run("export", tmp_path / "m.npz", tmp_path / "m.pt")
    assert result.exit_code == 0, result.output
    assert "load_state_dict(torch.load(" in result.output
    net = tinynet.to_torch(tinynet.load(tmp_path / "m.npz"))
    net.load_state_dict(torch.load(tmp_path / "m.pt", weights_only=True))
    x = np.linspace(0, 40, 9).reshape(-1, 1)
    np.testing.assert_allclose(net(torch.from_numpy(x)).detach().numpy(), model(x), rtol=1e-12)


def test_export_refuses_to_write_over_the_model_itself(tmp_path):
    tinynet.save(tinynet.mlp([1, 2, 1]), tmp_path / "m.npz")
    result = run("export", tmp_path / "m.npz", tmp_path / "m.npz")
    assert result.exit_code == 2 and "is the model file itself" in result.output
    assert tinynet.load(tmp_path / "m.npz")  # still a model file


def test_export_without_torch_names_the_extra(tmp_path, monkeypatch):
    def no_torch(model, path):
        raise ModuleNotFoundError('this needs PyTorch, which is not installed: pip install "tinynet[torch]"')

    monkeypatch.setattr(tinynet, "save_state_dict", no_torch)
    tinynet.save(tinynet.mlp([1, 2, 1]), tmp_path / "m.npz")
    result = run("export", tmp_path / "m.npz", tmp_path / "m.pt")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        'Error: this needs PyTorch, which is not installed: pip install "tinynet[torch]"']
    assert not (tmp_path / "m.pt").exists()
