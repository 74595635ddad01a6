"""What one training step allocates: the memory target of issue 6.

After a warm-up step, one S4 float32 Adam step may allocate (tracemalloc's
peak) at most twice the bytes of what it has to hold anyway: the forward
cache plus the gradients. Counted in bytes, not timed, so it is asserted.
"""

import cases


def test_one_step_allocates_at_most_twice_its_cache_and_gradients():
    memory = cases.step_memory()
    budget = 2 * (memory["forward_cache"] + memory["gradients"])
    assert memory["peak"] <= budget, memory
