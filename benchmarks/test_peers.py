"""What a user would pick instead: PyTorch eager and scikit-learn's MLPRegressor.

Both are optional (``pip install -e ".[bench]"``); each test is skipped when
its library is missing. torch runs at one thread, like numpy's BLAS here.
"""

import cases
import pytest


@pytest.mark.parametrize("optimizer", cases.OPTIMIZERS)
@pytest.mark.parametrize("dtype", cases.DTYPES)
@pytest.mark.parametrize("case", cases.CASES)
def test_torch_step(benchmark, torch, case, dtype, optimizer):
    benchmark.group = f"step {case} {dtype}"
    loss = benchmark(cases.torch_step(cases.CASES[case], dtype, optimizer))
    assert torch.isfinite(loss)


@pytest.mark.parametrize("optimizer", cases.OPTIMIZERS)
@pytest.mark.parametrize("dtype", cases.DTYPES)
@pytest.mark.parametrize("case", cases.SKLEARN_CASES)
def test_sklearn_partial_fit(benchmark, sklearn, case, dtype, optimizer):
    benchmark.group = f"step {case} {dtype}"
    benchmark(cases.sklearn_step(cases.CASES[case], dtype, optimizer))
