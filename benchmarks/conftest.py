"""The benchmarks run at one BLAS thread, the setting the targets of issue 6 are stated for.

On a shared 2-core machine a 2-thread BLAS waits on a busy core and its
times jump; one thread keeps them comparable. threadpoolctl is optional:
without it BLAS keeps its default. Nothing here sets OPENBLAS_* variables.
"""

import pytest


@pytest.fixture(scope="session", autouse=True)
def one_blas_thread():
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(1):
        yield


@pytest.fixture(scope="session")
def torch():
    """torch, at one thread like numpy; the test is skipped when torch is not installed."""
    torch = pytest.importorskip("torch")
    torch.set_num_threads(1)
    return torch


@pytest.fixture(scope="session")
def sklearn():
    """scikit-learn; the test is skipped when it is not installed."""
    return pytest.importorskip("sklearn")
