"""One tinynet training step for S1-S4, float32 and float64, SGD and Adam, beside its GEMM floor.

    python -m pytest benchmarks/test_step.py            # timings, grouped by case and dtype
    python benchmarks/report.py                         # the same steps, as ratios

The floor is the step's matrix products alone (see cases.floor_step), once
with np.dot, as tinynet calls them, and once written with @.
"""

import cases
import numpy as np
import pytest


@pytest.mark.parametrize("optimizer", cases.OPTIMIZERS)
@pytest.mark.parametrize("dtype", cases.DTYPES)
@pytest.mark.parametrize("case", cases.CASES)
def test_tinynet_step(benchmark, case, dtype, optimizer):
    benchmark.group = f"step {case} {dtype}"
    step = cases.tinynet_step(cases.CASES[case], dtype, optimizer)
    loss = benchmark(step)
    # a step that overflowed would time NaN arithmetic, not the engine
    assert np.isfinite(loss)
    assert all(p.data.dtype == dtype and np.isfinite(p.data).all() for p in step.model.parameters())


@pytest.mark.parametrize("product", [np.dot, np.matmul], ids=["dot", "matmul"])
@pytest.mark.parametrize("dtype", cases.DTYPES)
@pytest.mark.parametrize("case", cases.CASES)
def test_gemm_floor(benchmark, case, dtype, product):
    benchmark.group = f"step {case} {dtype}"
    benchmark(cases.floor_step(cases.CASES[case], dtype, product))
