"""glibc's allocator, tuned for the engine: freed memory stays in the process.

By default glibc serves large blocks with `mmap` (above a threshold that grows up to
32 MiB) and hands them back to the kernel when they are freed, and it trims the top of its
heaps. The engine allocates and frees tensors of the same few sizes at every training step
and every round of DSS, so each step faulted the same pages in again: the paper-scale Moons
seed table spent 430 of its 2650 CPU-s in the kernel (186 M minor page faults). Raising
both thresholds keeps freed memory for the next step; on a small seed-table run it cut the
page faults 10× and the wall time by 9 %.
"""

from __future__ import annotations

import ctypes
import os

MMAP_THRESHOLD = 32 << 20  # glibc's largest allowed value (64-bit)
TRIM_THRESHOLD = 1 << 30
# mallopt parameters (glibc's malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
#: what processes started from this one read at their start (the Dask workers)
ENVIRONMENT = {"MALLOC_MMAP_THRESHOLD_": str(MMAP_THRESHOLD),
               "MALLOC_TRIM_THRESHOLD_": str(TRIM_THRESHOLD)}


def keep_freed_memory() -> bool:
    """Apply the thresholds to this process (`mallopt`) and, through the environment, to
    the processes it starts. Settings already in the environment are left alone. Returns
    False where the C library is not glibc (nothing to tune)."""
    for name, value in ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
