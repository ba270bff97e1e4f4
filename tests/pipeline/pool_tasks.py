"""Task functions for the process-pool tests of ``tests/pipeline/test_batch.py``.

A pool worker is a new interpreter that imports a task's module by name: these live in a
module of their own so that a worker imports only this (not the test module's imports).
"""

import os

from edi_reports.pipeline.batch import Outcome


def where(org, year, key, paths, settings_path, seconds):
    """A report-shaped task answering with the worker's process id (in ``reason``)."""
    return Outcome(org, year, "built", seconds, str(os.getpid()))


def dies_for_bad(org, year, key, paths, settings_path, seconds):
    """A report-shaped task whose worker process dies (as if killed) for organisation BAD."""
    if org == "BAD":
        os._exit(3)
    return Outcome(org, year, "built", seconds)


def kernel_pid(org, year, key, paths, settings_path, seconds):
    """Lease a warm kernel (no imports) in the worker and answer with its process id."""
    from edi_reports.pipeline import engine

    engine.POOL.preload = False
    with engine.POOL.lease() as kernel:
        pid = kernel.km.provisioner.process.pid
    return Outcome(org, year, "built", seconds, str(pid))
