"""One BLAS thread for the ``tinynet`` command, unless the user chose a number.

The lesson's problems are small (a few hundred samples, widths in the tens),
so a matrix product takes microseconds and a second BLAS thread has nothing
to gain. What it can lose is large: OpenBLAS's threads wait for each other
at every product, so when another process holds one of the cores, every
product waits for a time slice. On a 2-core machine with two processes
spinning beside it, ``tinynet compare`` took a median 44.8 s with OpenBLAS's
default of one thread per core and 2.5 s with one thread; without them,
1.1 s either way (``benchmarks/busy_neighbours.py``, figures in
benchmarks/PERFORMANCE.md).

Large data did not earn the threads back either, so there is no size rule.
On the same machine without those neighbours (but shared: load average
1-1.5), training on a 200,000-row CSV with ``--hidden 256,256`` (full
batch, 3 epochs) took a median 14.2 s with one thread and 18.3 s with two;
one (200000, 256) @ (256, 256) product alone took 0.67 s and 0.73 s
(``benchmarks/busy_neighbours.py --large`` measures it again).

Whoever wants every core says so: a thread count already in the environment
(OPENBLAS_NUM_THREADS, OMP_NUM_THREADS or MKL_NUM_THREADS, any of them) is
left exactly as set, and then none of the three is touched.

BLAS libraries read these variables once, when they load, so this must run
before numpy is first imported: cli/main.py calls it before its other imports.
"""

import os
from collections.abc import MutableMapping

# The variables the BLAS builds numpy ships with read: OpenBLAS reads its own, then OpenMP's; MKL its own, then OpenMP's.
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def one_blas_thread_unless_set(environ: MutableMapping[str, str] = os.environ) -> bool:
    """Set every variable of THREAD_VARIABLES to "1" when none is set; return True when it did.

    An empty value counts as unset, as it does for OpenBLAS. A user's choice in
    any one of them wins over all three: OMP_NUM_THREADS=2 alone means two
    threads, which an OPENBLAS_NUM_THREADS=1 set here would silently override.
    """
    if any(environ.get(name, "").strip() for name in THREAD_VARIABLES):
        return False
    for name in THREAD_VARIABLES:
        environ[name] = "1"
    return True
