"""The ``tinynet`` command runs numpy's BLAS on one thread unless the user chose a count (issue 18).

Each check starts a fresh Python, as the console script does (``from cli.main
import main``), because BLAS reads its thread count once, when numpy loads:
in this process conftest.py has already chosen one thread. threadpoolctl
asks the loaded BLAS itself how many threads it will use, so the checks also
fail if the choice were made too late, after numpy had loaded.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli.threads import THREAD_VARIABLES, one_blas_thread_unless_set

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60  # seconds; each child only imports

# What a child reports: the thread variables as they are once its imports have run, and BLAS's thread counts.
REPORT = (
    "import json, os\n"
    "{imports}\n"
    "from threadpoolctl import threadpool_info\n"
    "blas = [lib['num_threads'] for lib in threadpool_info() if lib['user_api'] == 'blas']\n"
    "names = {names!r}\n"
    "print(json.dumps({{'env': {{n: os.environ[n] for n in names if n in os.environ}}, 'blas': blas}}))\n"
)


def child_report(imports: str, **user_env: str) -> dict:
    """Start a fresh Python with only ``user_env`` among the thread variables; run ``imports``; report."""
    env = {name: value for name, value in os.environ.items() if name not in THREAD_VARIABLES}
    env.update(user_env)
    code = REPORT.format(imports=imports, names=THREAD_VARIABLES)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                            cwd=ROOT, timeout=TIMEOUT, check=False)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["blas"], "threadpoolctl found no BLAS loaded by numpy"
    return report


def test_the_command_runs_blas_on_one_thread_by_default():
    report = child_report("from cli.main import main")
    assert report["blas"] == [1]
    assert report["env"] == dict.fromkeys(THREAD_VARIABLES, "1")


@pytest.mark.parametrize("user_env", [
    {"OPENBLAS_NUM_THREADS": "2"},
    {"OMP_NUM_THREADS": "2"},
    {"MKL_NUM_THREADS": "2"},
    {"OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "3"},
], ids=lambda env: ",".join(env))
@pytest.mark.slow  # two fresh interpreters each; the quick loop keeps the one-thread default's check above
def test_a_thread_count_the_user_set_is_kept_as_set(user_env):
    report = child_report("from cli.main import main", **user_env)
    assert report["env"] == user_env  # nothing changed, nothing added
    # numpy alone, under the same environment, uses as many threads as the command does
    assert report["blas"] == child_report("import numpy", **user_env)["blas"]


def test_an_empty_thread_variable_counts_as_unset():
    environ = {"OMP_NUM_THREADS": "", "PATH": "/bin"}
    assert one_blas_thread_unless_set(environ) is True
    assert environ == {"PATH": "/bin", **dict.fromkeys(THREAD_VARIABLES, "1")}


def test_a_set_variable_leaves_the_environment_untouched():
    environ = {"MKL_NUM_THREADS": "4"}
    assert one_blas_thread_unless_set(environ) is False
    assert environ == {"MKL_NUM_THREADS": "4"}
