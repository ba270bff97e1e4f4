"""Defer modules that a library imports when it loads but uses only inside functions.

Great Expectations imports ``scipy.stats`` and Altair at load time for two expectations
(distribution tests, KL divergence) that no suite of this project uses; measured with
``python -X importtime`` they were about a third of the seconds ``import
great_expectations`` takes in a new process. A deferred module is put in ``sys.modules`` as
a lazy module (:class:`importlib.util.LazyLoader`): the import statement succeeds at once,
and the module's code runs on the first attribute access, so a caller that does use it gets
the real module, only later. Nothing else changes: same module, same objects.
"""

from __future__ import annotations

import importlib.util
import sys

#: Imported by Great Expectations at load time, used only by expectations we do not run.
GX_UNUSED: tuple[str, ...] = ("scipy.stats",)


def defer(*names: str) -> list[str]:
    """Make each module in ``names`` lazy unless it is already imported or not installed.

    Parameters
    ----------
    names
        Dotted module names (a submodule's parent package is imported, not deferred).

    Returns
    -------
    list of str
        The names that were deferred by this call.
    """
    deferred = []
    for name in names:
        if name in sys.modules:
            continue
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is None or spec.loader is None:
            continue
        spec.loader = importlib.util.LazyLoader(spec.loader)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        parent, _, child = name.rpartition(".")
        if parent and parent in sys.modules:
            setattr(sys.modules[parent], child, module)
        deferred.append(name)
    return deferred
