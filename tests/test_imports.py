"""The engine imports numpy and the standard library only, and exports the documented names.

Imports are checked in a fresh interpreter: in this one, pytest and other
tests may already have imported click or matplotlib.
"""

import inspect
import json
import subprocess
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import numpy as np
import pytest

import tinynet

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys
before = set(sys.modules)
{imports}
new = sorted({{name.split(".")[0] for name in set(sys.modules) - before}})
print(json.dumps({{"file": sys.modules["tinynet"].__file__, "new": new}}))
"""


def modules_imported_by(imports: str) -> tuple[str, set[str]]:
    """Run ``imports`` in a new interpreter; return tinynet's file and the new top-level modules."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(imports=imports)],
        capture_output=True, text=True, cwd=REPO, check=True,
    )
    report = json.loads(result.stdout)
    return report["file"], set(report["new"])


def test_import_tinynet_does_not_import_click_or_matplotlib():
    file, new = modules_imported_by("import tinynet")
    assert Path(file).resolve().is_relative_to(REPO / "tinynet")  # this checkout, not another copy
    assert "tinynet" in new and "numpy" in new
    assert "click" not in new
    assert "matplotlib" not in new


def installed_distributions(modules: set[str]) -> set[str]:
    """The installed distributions that provide these top-level modules (the standard library provides none)."""
    owners = packages_distributions()
    return {dist.lower() for name in modules for dist in owners.get(name, [])}


def test_tinynet_imports_no_installed_package_but_numpy():
    _, new = modules_imported_by("import tinynet")
    assert installed_distributions(new) <= {"numpy", "tinynet"}


def test_the_probe_would_see_click():
    # The checks above can fail: importing click next to tinynet is noticed by both.
    pytest.importorskip("click")
    _, new = modules_imported_by("import tinynet, click")
    assert "click" in new
    assert "click" in installed_distributions(new)


CONTRACT = [
    "Parameter", "Module", "Linear", "Identity", "ReLU", "Sigmoid", "Tanh", "LeakyReLU", "ACTIVATIONS",
    "get_activation", "Sequential", "mlp", "MSELoss", "BCELoss", "SGD", "Adam", "fit", "History",
    "TrainingDiverged", "gradcheck",
]


@pytest.mark.parametrize("name", CONTRACT)
def test_public_names_are_importable_from_tinynet(name):
    assert hasattr(tinynet, name)
    assert name in tinynet.__all__


REQUIRED = inspect.Parameter.empty
# Defaults of fit's lr and epochs belong to the lesson, so only their presence is checked.
ANY = object()


@pytest.mark.parametrize("function, expected", [
    (tinynet.Linear, {"in_features": REQUIRED, "out_features": REQUIRED, "bias": True, "init": "uniform",
                      "bias_init": "uniform", "rng": None, "dtype": np.float64}),
    (tinynet.mlp, {"sizes": REQUIRED, "activation": "relu", "output_activation": "identity", "init": "uniform",
                   "bias_init": "uniform", "seed": 0, "dtype": np.float64}),
    (tinynet.SGD, {"params": REQUIRED, "lr": REQUIRED, "momentum": 0.0}),
    (tinynet.Adam, {"params": REQUIRED, "lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8}),
    (tinynet.fit, {"model": REQUIRED, "X": REQUIRED, "y": REQUIRED, "loss": "mse", "optimizer": "adam",
                   "lr": ANY, "epochs": ANY, "batch_size": None, "seed": 0, "callback": None}),
    (tinynet.gradcheck, {"model": REQUIRED, "X": REQUIRED, "y": REQUIRED, "loss": None, "eps": 1e-6}),
], ids=["Linear", "mlp", "SGD", "Adam", "fit", "gradcheck"])
def test_signatures_match_the_contract(function, expected):
    parameters = inspect.signature(function).parameters
    for name, default in expected.items():
        assert name in parameters, name
        if default is not ANY:
            assert parameters[name].default == default, name


def test_keyword_only_options():
    for function, names in [(tinynet.Linear, ["bias", "init", "rng", "dtype"]),
                            (tinynet.mlp, ["output_activation", "init", "seed", "dtype"]),
                            (tinynet.fit, ["loss", "optimizer", "lr", "epochs", "batch_size", "seed", "callback"])]:
        parameters = inspect.signature(function).parameters
        for name in names:
            assert parameters[name].kind is inspect.Parameter.KEYWORD_ONLY, (function.__name__, name)
