"""Shared test setup, for tests/, the docstring examples in tinynet/ and README.md.

The nets in these tests are tiny, so a multi-threaded BLAS gains nothing and,
on a shared 2-core machine, loses a lot: a 2-thread OpenBLAS waiting on a busy
core was measured 5x slower on the lesson's fits. One thread keeps the
tests' running time steady. This must run before numpy is first imported.
"""

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import pytest

# Files whose >>> examples are slow: the docs' train several nets at the lesson's settings, a second or two
# each; the torch bridge's import torch, which takes seconds. The quick loop (python -m pytest -m "not slow")
# leaves them out, python -m pytest runs them.
SLOW_EXAMPLES = ("docs/noise.md", "docs/seeds.md", "docs/two-dimensions.md", "tinynet/io/torch_bridge.py")


def pytest_collection_modifyitems(config, items):
    slow = {config.rootpath / path for path in SLOW_EXAMPLES}
    for item in items:
        if item.path in slow:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    """Docstring examples read like a session after ``import numpy as np`` and ``from tinynet import *``."""
    import numpy as np

    import tinynet

    doctest_namespace["np"] = np
    doctest_namespace.update({name: getattr(tinynet, name) for name in tinynet.__all__})


@pytest.fixture(autouse=True)
def _activation_table_restored():
    """A test or example that registers its own activation (the README's Softplus) leaves the table as it was, so
    no other test sees it (in --help's choices, say), whatever order the files run in."""
    from tinynet import kinds

    names, known = dict(kinds.ACTIVATIONS), dict(kinds._KINDS)
    yield
    kinds.ACTIVATIONS.clear()
    kinds.ACTIVATIONS.update(names)
    kinds._KINDS.clear()
    kinds._KINDS.update(known)
