"""How a step's time grows with the batch (at width 256) and with the width (at batch 256).

The net is [width, width, width, 1] in float32 with Adam, beside its GEMM
floor. report.py fits the log-log slopes: about 1 over the batch and 2
over the width once the products dominate, less while overhead does.
"""

import cases
import numpy as np
import pytest

POINTS = [("batch", b, cases.SCALING_WIDTH) for b in cases.SCALING_BATCHES] + \
         [("width", cases.SCALING_BATCH, w) for w in cases.SCALING_WIDTHS]


@pytest.mark.parametrize("what", ["tinynet", "floor"])
@pytest.mark.parametrize("axis, batch, width", POINTS, ids=[f"{a}-{b}x{w}" for a, b, w in POINTS])
def test_scaling(benchmark, axis, batch, width, what):
    case = cases.scaling_case(batch, width)
    benchmark.group = f"scaling over {axis}"
    benchmark.extra_info.update(batch=batch, width=width)
    if what == "floor":
        benchmark(cases.floor_step(case, cases.SCALING_DTYPE))
        return
    step = cases.tinynet_step(case, cases.SCALING_DTYPE, cases.SCALING_OPTIMIZER)
    assert np.isfinite(benchmark(step))
