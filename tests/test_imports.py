"""The engine imports numpy and the standard library only, and exports the documented names.

Imports are checked in a fresh interpreter: in this one, pytest and other
tests may already have imported click or matplotlib.
"""

import ast
import functools
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


@functools.cache  # two tests ask about "import tinynet": one interpreter answers both
def modules_imported_by(imports: str) -> tuple[str, frozenset[str]]:
    """Run ``imports`` in a new interpreter; return tinynet's file and the new top-level modules."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(imports=imports)],
        capture_output=True, text=True, cwd=REPO, check=True,
    )
    report = json.loads(result.stdout)
    return report["file"], frozenset(report["new"])


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


# --- No import circle in tinynet, no private name across cli modules -------------------------------------------


def module_name(path: Path) -> str:
    """tinynet/io/model_file.py -> "tinynet.io.model_file"; a package's __init__.py is the package."""
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_level_imports(tree: ast.Module):
    """The Import and ImportFrom nodes run when the module is imported: at module level, also inside
    if/try/with blocks and class bodies, but not inside a function (run only when it is called)."""
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            pending.extend(ast.iter_child_nodes(node))


def import_graph(package: str) -> dict[str, set[str]]:
    """Each module of ``package`` -> the modules of ``package`` it imports at module level.

    ``from .a import b`` counts as importing the submodule a.b where there is
    one (``from .. import kinds``), else the module a (``from ..engine import Linear``);
    relative imports are resolved against the importing module's package.
    """
    files = {module_name(path): path for path in sorted((REPO / package).rglob("*.py"))}
    graph = {}
    for name, path in files.items():
        package_parts = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        imported = set()
        for node in module_level_imports(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
                continue
            if node.level:  # from . import x, from ..engine import y
                base = package_parts[:len(package_parts) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            for alias in node.names:
                submodule = f"{module}.{alias.name}"
                imported.add(submodule if submodule in files else module)
        graph[name] = {other for other in imported if other in files and other != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as [a, b, ..., a], or None: a depth-first search meeting a module still on its path."""
    done, path = set(), []

    def visit(node):
        path.append(node)
        for other in sorted(graph[node]):
            if other in path:
                return path[path.index(other):] + [other]
            if other not in done:
                cycle = visit(other)
                if cycle:
                    return cycle
        path.pop()
        done.add(node)
        return None

    for node in sorted(graph):
        if node not in done:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_import_graph_sees_what_modules_import():
    graph = import_graph("tinynet")
    assert {"tinynet.io.model_file", "tinynet.io.torch_bridge", "tinynet.engine"} <= graph.keys()
    assert "tinynet.kinds" in graph["tinynet.io.model_file"]  # from .. import engine, fast, kinds
    assert "tinynet.engine" in graph["tinynet.io.model_file"]  # from ..engine import Sequential
    assert "tinynet.io.atomic" in graph["tinynet.io.torch_bridge"]  # from .atomic import atomic_write
    assert "tinynet" not in graph["tinynet.io.torch_bridge"]  # `import torch` inside a function does not count


def test_find_cycle_names_the_circle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"b"}}) == ["b", "c", "b"]


def test_no_import_circle_in_tinynet():
    cycle = find_cycle(import_graph("tinynet"))
    assert cycle is None, f"import circle: {' -> '.join(cycle)}"


def private_imports(path: Path) -> list[str]:
    """``from .x import _name`` (or ``from cli.x import _name``) in a cli module: another module's private name."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").split(".")[0] == "cli"):
            found += [f"{path.name}:{node.lineno}: from {'.' * node.level}{node.module or ''} import {alias.name}"
                      for alias in node.names if alias.name.startswith("_")]
    return found


def test_private_imports_are_found(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from .predict import (\n    run,\n    _model_inputs,\n)\nfrom cli.common import _x\n"
                      "from os import _exit\n")
    assert private_imports(module) == ["m.py:1: from .predict import _model_inputs", "m.py:5: from cli.common import _x"]


def test_no_cli_module_imports_another_ones_private_name():
    found = [line for path in sorted((REPO / "cli").glob("*.py")) for line in private_imports(path)]
    assert found == [], "\n".join(found)
