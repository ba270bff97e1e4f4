"""Narrow speed-ups of Great Expectations' validation loop, active only while we validate.

What and why: GX 1.x plans each expectation's metrics in Python, and on ordinary tables that
planning, not the work on the data, is most of a validation's CPU time. Three things in it
are recomputed far more often than their inputs change:

1. ``Expectation.configuration`` is rebuilt every time the property is read, from
   ``self.dict(exclude_defaults=True)`` (a pydantic v1 walk over every field, value lists
   included) and ``camel_to_snake`` of the class name (two regular-expression
   substitutions): about 60 reads per check, with nothing changed in between. It was about
   half of the validation's CPU time before these patches, against a tenth for the metrics.
2. ``_get_domain_kwargs``, ``_get_success_kwargs`` and ``_get_runtime_kwargs`` (each of
   which returns a new dict of values read from the configuration) read the property once
   per key: a whole configuration is built to look up one value.
3. Each metric's id is an md5 of its keyword arguments made JSON-ready by GX's
   ``convert_to_json_serializable``, which tests a value against some twenty types one
   after the other before it reaches ``None`` (numpy's ``issubdtype`` four times on the
   way): thousands of times per validation.

:func:`speedups` changes, inside a ``with`` block only:

- ``camel_to_snake`` (a pure function of a string), as seen by GX's expectation module, is
  memoised;
- ``Expectation.dict(exclude_defaults=True)`` is memoised per expectation object,
  recomputed whenever one of the object's field values has been replaced, and returned as
  a fresh copy of every dict, list, tuple and set, as pydantic's own ``.dict()`` returns
  (other values are shared, as pydantic shares them), so a caller that changes what it gets
  back changes nothing for the next caller;
- while one of the three ``_get_*_kwargs`` methods of an expectation runs, that
  expectation's ``configuration`` is built once, on the first read, and every further read
  inside the call (nested calls included) gets that same object; it is let go when the
  outermost of those calls returns. GX's own method bodies run unchanged and only read the
  configuration, so they return the same values;
- ``convert_to_json_serializable`` as seen by GX's ``IDDict.to_id`` answers ``None``, a
  ``str``, ``int`` or ``bool``, a ``float`` (NaN becomes ``None``) and a plain ``dict``,
  ``list``, ``tuple`` or ``set`` of those itself, exactly as GX's function does, and hands
  every other value (subclasses included) to GX's function.

GX's property still runs (outside the kwargs methods, on every read) and still builds a new
``ExpectationConfiguration``. Outside the block GX is unchanged; the memos are emptied when
the outermost block ends. ``tests/validation/test_gx_speedups.py`` fails if GX stops reading
the things patched here the way they assume, or if results differ with and without the
block.

Importing GX (:func:`import_speedups`, around the first ``import great_expectations`` of a
process) builds some 370 pydantic v1 model classes. For each one pydantic deep-copies every
field of its base classes (``smart_deepcopy(base.__fields__)``), through ``copy.deepcopy``'s
generic path for objects with ``__slots__`` (``__reduce_ex__``, a state tuple and dict
copied in turn): about 0.5 s of the 2 s. Inside the block a ``ModelField`` or ``FieldInfo``
is deep-copied by a function that does what that generic path does (a new object of the
class, every set slot's value deep-copied with the same memo, in the same order, then set)
without the state tuple. The cyclic garbage collector is also paused: the import makes
hundreds of thousands of long-lived objects and no garbage worth a collection, and a
collection runs about every 700 allocations, each walking the young objects. Outside the
block nothing is changed; the test compares every GX model's fields with and without it.
"""

from __future__ import annotations

import copy
import copyreg
import functools
import gc
import math
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_LOCK = threading.Lock()
_DEPTH = 0
_MEMO: dict[int, tuple[Any, tuple[int, ...], dict[str, Any]]] = {}
#: id of an expectation whose ``_get_*_kwargs`` runs -> its configuration (None: not read yet)
_PINNED: dict[int, Any] = {}
_SAVED: dict[str, Any] = {}
#: The expectation methods during which the configuration is built once.
KWARGS_METHODS: tuple[str, ...] = (
    "_get_domain_kwargs",
    "_get_success_kwargs",
    "_get_runtime_kwargs",
)


def _copy_containers(value: Any) -> Any:
    """A copy of every dict, list, tuple and set in ``value``; other values shared."""
    kind = type(value)
    if kind is dict:
        return {k: _copy_containers(v) for k, v in value.items()}
    if kind in (list, tuple, set, frozenset):
        return kind(_copy_containers(v) for v in value)
    return value


def _memoised_dict(original: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """``Expectation.dict`` memoising the ``exclude_defaults=True`` call per object."""

    @functools.wraps(original)
    def dict_(self: Any, **kwargs: Any) -> dict[str, Any]:
        if kwargs != {"exclude_defaults": True}:
            return original(self, **kwargs)
        fields = tuple(map(id, self.__dict__.values()))
        hit = _MEMO.get(id(self))
        if hit is None or hit[0] is not self or hit[1] != fields:
            hit = (self, fields, original(self, **kwargs))
            _MEMO[id(self)] = hit
        return _copy_containers(hit[2])

    return dict_


def _pinned_configuration(original: property) -> property:
    """``Expectation.configuration``, built once per object while a kwargs method runs."""
    build = original.fget
    assert build is not None

    @functools.wraps(build)
    def configuration(self: Any) -> Any:
        key = id(self)
        if key not in _PINNED:
            return build(self)
        conf = _PINNED[key]
        if conf is None:
            conf = _PINNED[key] = build(self)
        return conf

    return property(configuration, original.fset, original.fdel, original.__doc__)


def _pinning(method: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``method`` with the expectation's configuration pinned (see module docstring)."""

    @functools.wraps(method)
    def pinned(self: Any, *args: Any, **kwargs: Any) -> Any:
        key = id(self)
        if key in _PINNED:  # nested in another kwargs method of the same object
            return method(self, *args, **kwargs)
        _PINNED[key] = None
        try:
            return method(self, *args, **kwargs)
        finally:
            del _PINNED[key]

    return pinned


def _json_ready(original: Callable[..., Any]) -> Callable[..., Any]:
    """GX's ``convert_to_json_serializable`` with the plain built-in types answered first."""

    def convert(data: Any) -> Any:
        kind = type(data)
        if data is None or kind is str or kind is int or kind is bool:
            return data
        if kind is float:
            return None if math.isnan(data) else data
        if kind is dict:
            return {str(key): convert(value) for key, value in data.items()}
        if kind is list or kind is tuple or kind is set:
            return [convert(value) for value in data]
        return original(data)

    @functools.wraps(original)
    def convert_to_json_serializable(data: Any) -> Any:
        return convert(data)

    return convert_to_json_serializable


def _install() -> None:
    from great_expectations.core import id_dict
    from great_expectations.expectations import expectation as module

    cls = module.Expectation
    _SAVED["dict"] = cls.__dict__.get("dict")
    _SAVED["camel_to_snake"] = module.camel_to_snake
    _SAVED["configuration"] = cls.__dict__["configuration"]
    _SAVED["convert"] = id_dict.convert_to_json_serializable
    for name in KWARGS_METHODS:
        _SAVED[name] = cls.__dict__[name]
    cls.dict = _memoised_dict(cls.dict)  # type: ignore[method-assign]
    module.camel_to_snake = functools.cache(module.camel_to_snake)
    cls.configuration = _pinned_configuration(_SAVED["configuration"])  # type: ignore[method-assign]
    for name in KWARGS_METHODS:
        setattr(cls, name, _pinning(_SAVED[name]))
    id_dict.convert_to_json_serializable = _json_ready(_SAVED["convert"])


def _uninstall() -> None:
    from great_expectations.core import id_dict
    from great_expectations.expectations import expectation as module

    cls = module.Expectation
    if _SAVED["dict"] is None:
        del cls.dict
    else:  # pragma: no cover - GX 1.x inherits dict from pydantic
        cls.dict = _SAVED["dict"]  # type: ignore[method-assign]
    module.camel_to_snake = _SAVED["camel_to_snake"]
    cls.configuration = _SAVED["configuration"]  # type: ignore[method-assign]
    for name in KWARGS_METHODS:
        setattr(cls, name, _SAVED[name])
    id_dict.convert_to_json_serializable = _SAVED["convert"]
    _MEMO.clear()
    _PINNED.clear()
    _SAVED.clear()


@contextmanager
def speedups() -> Iterator[None]:
    """Apply the speed-ups of this module inside the block only.

    Re-entrant; the patches are installed by the outermost block and removed when it ends.
    """
    global _DEPTH
    with _LOCK:
        if _DEPTH == 0:
            _install()
        _DEPTH += 1
    try:
        yield
    finally:
        with _LOCK:
            _DEPTH -= 1
            if _DEPTH == 0:
                _uninstall()


def _slot_copier(cls: type) -> Callable[[Any, dict[int, Any]], Any]:
    """``copy.deepcopy`` of an instance of ``cls`` (slots, no ``__dict__``, no custom
    reduce), as its generic path does it: new object, memo entry, the set slots' values
    deep-copied in ``copyreg._slotnames`` order with the same memo, then set."""
    names = tuple(copyreg._slotnames(cls))  # type: ignore[attr-defined]
    deepcopy = copy.deepcopy

    def copier(x: Any, memo: dict[int, Any]) -> Any:
        y = cls.__new__(cls)
        memo[id(x)] = y
        values = []
        for name in names:
            try:
                value = getattr(x, name)
            except AttributeError:
                continue
            values.append((name, deepcopy(value, memo)))
        for name, value in values:
            setattr(y, name, value)
        return y

    return copier


@contextmanager
def import_speedups() -> Iterator[None]:
    """Wrap the first ``import great_expectations`` of a process (see the module docstring).

    Not re-entrant in threads: meant for a process's imports, before any work.
    """
    from pydantic.v1.fields import FieldInfo, ModelField

    dispatch = copy._deepcopy_dispatch  # type: ignore[attr-defined]
    added = [cls for cls in (ModelField, FieldInfo) if cls not in dispatch]
    for cls in added:
        dispatch[cls] = _slot_copier(cls)
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
        for cls in added:
            dispatch.pop(cls, None)
