"""What vectorising buys: the S1 and S2 step computed one sample at a time.

The loop sends each sample forward and backward on its own and adds up the
gradients, the way a per-example network (Nielsen's network.py) does, then
makes one optimizer step. Compare its time with test_step.py's.
"""

import cases
import numpy as np
import pytest


@pytest.mark.parametrize("optimizer", cases.OPTIMIZERS)
@pytest.mark.parametrize("dtype", cases.DTYPES)
@pytest.mark.parametrize("case", cases.PER_SAMPLE_CASES)
def test_per_sample_loop(benchmark, case, dtype, optimizer):
    benchmark.group = f"per-sample {case} {dtype}"
    step = cases.per_sample_step(cases.CASES[case], dtype, optimizer)
    benchmark(step)
    assert all(np.isfinite(p.data).all() for p in step.model.parameters())


@pytest.mark.parametrize("optimizer", cases.OPTIMIZERS)
def test_per_sample_loop_makes_the_batched_step(optimizer):
    """Same start, same data: one loop over the samples and one batched step land on the same parameters."""
    case = cases.CASES["S2"]
    batched = cases.tinynet_step(case, "float64", optimizer)
    looped = cases.per_sample_step(case, "float64", optimizer)
    batched()
    looped()
    for a, b in zip(batched.model.parameters(), looped.model.parameters()):
        np.testing.assert_allclose(a.data, b.data, rtol=1e-10, atol=1e-12)
