"""What the commands print is the same under every BLAS kernel this CPU can run.

OpenBLAS picks a kernel for the CPU it finds (SkylakeX where there is
AVX-512, Haswell with AVX2, Sandybridge with AVX), and each kernel adds the
terms of a product in its own order. So the last digits of a product, of a
gradient check's rounding, and after thousands of steps of a loss, depend on
the CPU. The commands print only the digits that do not: this runs the
console examples of README.md and docs/*.md, ``tinynet backprop`` and
``tinynet gradcheck`` again under each other kernel (OPENBLAS_CORETYPE, set
for that one process) and compares the text with what this process prints.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np  # noqa: F401 (loads the BLAS, so threadpoolctl below can see which kernel it picked)
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs"))
import readme_console

# kernel -> the CPU flags it needs (as /proc/cpuinfo names them): forcing a kernel the CPU cannot run crashes
KERNELS = {"SkylakeX": {"avx512f", "avx2", "fma"}, "Haswell": {"avx2", "fma"}, "Sandybridge": {"avx"}}

# Commands whose numbers are rounding-sensitive beyond the examples of the README and the docs.
COMMANDS = [f"tinynet backprop --activation {name}" for name in ("identity", "relu", "leaky_relu", "sigmoid", "tanh")]
COMMANDS += [f"tinynet gradcheck --activation {name}" for name in ("relu", "sigmoid", "tanh")]
COMMANDS += ["tinynet gradcheck --seed 2"]  # its largest error is 8e-10 on one kernel and 1.06e-9 on another

# Run in a fresh process: prints the kernel OpenBLAS chose and every command's output, as JSON.
PRINT_EVERYTHING = """
import json, sys
sys.path[:0] = [{root!r}, {docs!r}, {tests!r}]
import numpy, threadpoolctl
import readme_console
from test_kernels import outputs
kernels = [info.get("architecture") for info in threadpoolctl.threadpool_info() if info["internal_api"] == "openblas"]
print(json.dumps({{"kernel": kernels[0] if kernels else None, "outputs": outputs()}}))
"""


def outputs() -> dict[str, str]:
    """Every console command of README.md and docs/*.md (keyed by its file, block and place) and every command of
    COMMANDS -> its output."""
    found = {}
    for document in readme_console.documents():
        for start, _, runs in readme_console.blocks(document.read_text()):
            for i, ((command, _), printed) in enumerate(zip(runs, readme_console.run_block(runs))):
                found[f"{document.relative_to(ROOT)}@{start}.{i}: {command}"] = printed
    found.update(zip(COMMANDS, readme_console.run_block([(command, "") for command in COMMANDS])))
    return found


def kernel_in_use() -> str | None:
    import threadpoolctl

    kernels = [info.get("architecture") for info in threadpoolctl.threadpool_info() if info["internal_api"] == "openblas"]
    return kernels[0] if kernels else None


def runnable_kernels() -> list[str]:
    """The OpenBLAS kernels this CPU can run, except the one this process already uses."""
    try:
        flags = set(Path("/proc/cpuinfo").read_text().split())
    except OSError:  # no /proc: the kernel cannot be told safely, so only this process's one is checked
        return []
    if kernel_in_use() is None:  # numpy's BLAS is not OpenBLAS: OPENBLAS_CORETYPE means nothing to it
        return []
    return [name for name, needs in KERNELS.items() if needs <= flags and name != kernel_in_use()]


@pytest.fixture(scope="module")
def here() -> dict[str, str]:
    return outputs()


def test_this_cpu_is_checked_under_more_than_its_own_kernel():
    """On an x86 CPU with AVX2 and OpenBLAS (CI, and the machines the README was made on), the test below runs."""
    flags = set(Path("/proc/cpuinfo").read_text().split()) if Path("/proc/cpuinfo").exists() else set()
    if {"avx2", "fma"} <= flags and kernel_in_use() is not None:
        assert len(runnable_kernels()) >= 1


@pytest.mark.slow  # it runs every example once, as the comparison below does
def test_the_docs_examples_are_among_the_commands_compared(here):
    """Not only the README: every console block of docs/*.md runs under each kernel too."""
    files = {name.split("@")[0] for name in here}
    assert {"README.md", "docs/backprop.md", "docs/seeds.md", "docs/cli.md"} <= files


@pytest.mark.slow  # python -m pytest -m "not slow" leaves it out of the quick loop
@pytest.mark.parametrize("kernel", runnable_kernels())
def test_every_command_prints_the_same_under_another_kernel(kernel, here):
    script = PRINT_EVERYTHING.format(root=str(ROOT), docs=str(ROOT / "docs"), tests=str(ROOT / "tests"))
    environment = {**os.environ, "OPENBLAS_CORETYPE": kernel}
    done = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    there = json.loads(done.stdout)
    assert there["kernel"] == kernel  # OpenBLAS took the kernel asked for: the comparison is real
    assert there["outputs"].keys() == here.keys()
    differ = [name for name in here if not readme_console.same(here[name], there["outputs"][name])]
    assert not differ, "\n\n".join(f"$ {name}\n--- {kernel_in_use()}:\n{here[name]}\n--- {kernel}:\n"
                                   f"{there['outputs'][name]}" for name in differ)
