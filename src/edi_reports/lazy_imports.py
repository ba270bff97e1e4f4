"""Defer modules that a library imports when it loads but uses only inside functions.

Great Expectations imports ``scipy.stats`` and Altair at load time for two expectations
(distribution tests, KL divergence) that no suite of this project uses; measured with
``python -X importtime`` they were about a third of the seconds ``import
great_expectations`` takes in a new process. It also imports ``jsonschema`` for the
JSON-schema expectation, which no suite uses (Altair does use it: a process that draws
charts loads it then). A deferred module is put in ``sys.modules`` as
a lazy module (:class:`importlib.util.LazyLoader`): the import statement succeeds at once,
and the module's code runs on the first attribute access, so a caller that does use it gets
the real module, only later. Nothing else changes: same module, same objects.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
import types

#: Imported by Great Expectations at load time, used only by expectations we do not run
#: (a top-level package is deferred with a stand-in, :func:`defer_package`).
GX_UNUSED: tuple[str, ...] = ("scipy.stats", "jsonschema")
#: Packages Great Expectations imports at load time that a build never uses (Altair: the
#: KL-divergence expectation's charts; the report writes its Vega-Lite specs itself),
#: deferred with :func:`defer_package` wherever GX is imported: a notebook that does draw
#: with Altair gets the real package on first use.
VALIDATION_UNUSED: tuple[str, ...] = ("altair",)


def _spec_if_not_imported(name: str) -> importlib.machinery.ModuleSpec | None:
    """The module's spec, or None when it is already imported or not installed."""
    if name in sys.modules:
        return None
    try:
        return importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None


def defer(*names: str) -> list[str]:
    """Make each module in ``names`` lazy unless it is already imported or not installed.

    Parameters
    ----------
    names
        Dotted module names (a submodule's parent package is imported, not deferred). A
        top-level package gets a stand-in instead (:func:`defer_package`): a lazy module
        in its place would run at the next ``import`` statement that names it.

    Returns
    -------
    list of str
        The names that were deferred by this call.
    """
    deferred = []
    for name in names:
        spec = _spec_if_not_imported(name)
        if spec is None or spec.loader is None:
            continue
        if "." not in name and spec.submodule_search_locations is not None:
            deferred.extend(_stand_in(name, spec))
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


class _Deferred(types.ModuleType):
    """A stand-in for a package that has not run yet.

    ``import`` statements find it in ``sys.modules``; its ``__name__`` and ``__spec__``
    answer without running the package. Any other attribute (``__path__`` included, so a
    submodule's import runs the package first) runs the real package, which then replaces
    the stand-in in ``sys.modules``, and is read from it.
    :class:`importlib.util.LazyLoader` cannot do this for a package: the import system
    reads ``__spec__`` of a package in ``sys.modules``, which runs a lazy module at once.
    """

    def __getattr__(self, attr: str) -> object:
        real = self.__dict__.get("_edi_real")
        if real is None:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            real = importlib.import_module(self.__name__)
            self.__dict__["_edi_real"] = real
        return getattr(real, attr)


def defer_package(*names: str) -> list[str]:
    """Put a stand-in (:class:`_Deferred`) in ``sys.modules`` for each top-level package in
    ``names`` that is installed and not yet imported; it runs on first real use.

    Returns
    -------
    list of str
        The names that were deferred by this call.
    """
    deferred = []
    for name in names:
        spec = None if "." in name else _spec_if_not_imported(name)
        if spec is None or spec.submodule_search_locations is None:
            continue
        deferred.extend(_stand_in(name, spec))
    return deferred


def _stand_in(name: str, spec: importlib.machinery.ModuleSpec) -> list[str]:
    """Put a :class:`_Deferred` stand-in for package ``name`` in ``sys.modules``."""
    stand_in = _Deferred(name)
    stand_in.__spec__ = spec
    stand_in.__loader__ = spec.loader
    sys.modules[name] = stand_in
    return [name]
