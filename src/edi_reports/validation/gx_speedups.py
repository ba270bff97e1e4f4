"""One narrow speed-up of Great Expectations' validation loop, active only while we validate.

What and why: GX 1.x rebuilds an expectation's configuration every time its
``Expectation.configuration`` property is read, from ``self.dict(exclude_defaults=True)``
(a pydantic v1 walk over every field, value lists included) and ``camel_to_snake`` of the
class name (two regular-expression substitutions). While it plans and checks the metrics
of one expectation it reads that property about 60 times, with nothing changed in between:
for our ~120 checks on 1000 staff this was about half of the validation's CPU time, against
a tenth for the metrics on the data.

:func:`reuse_expectation_fields` memoises the two inside a ``with`` block:

- ``camel_to_snake`` (a pure function of a string) as seen by GX's expectation module;
- ``Expectation.dict(exclude_defaults=True)`` per expectation object, recomputed whenever
  one of the object's field values has been replaced, and returned as a fresh copy of
  every dict, list, tuple and set, as pydantic's own ``.dict()`` returns (other values are
  shared, as pydantic shares them), so a caller that changes what it gets back changes
  nothing for the next caller.

GX's property itself still runs and still builds a new ``ExpectationConfiguration`` on each
read. Outside the block GX is unchanged; the memo is emptied when the outermost block ends.
``tests/validation/test_gx_speedups.py`` fails if GX's property stops reading the two
things memoised here, or if results differ with and without the block.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_LOCK = threading.Lock()
_DEPTH = 0
_MEMO: dict[int, tuple[Any, tuple[int, ...], dict[str, Any]]] = {}
_SAVED: dict[str, Any] = {}


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


@contextmanager
def reuse_expectation_fields() -> Iterator[None]:
    """Memoise what ``Expectation.configuration`` recomputes, inside the block only.

    Re-entrant; the patch is installed by the outermost block and removed when it ends.
    """
    global _DEPTH
    from great_expectations.expectations import expectation as module

    with _LOCK:
        if _DEPTH == 0:
            _SAVED["dict"] = module.Expectation.__dict__.get("dict")
            _SAVED["camel_to_snake"] = module.camel_to_snake
            module.Expectation.dict = _memoised_dict(module.Expectation.dict)  # type: ignore[method-assign]
            module.camel_to_snake = functools.cache(module.camel_to_snake)
        _DEPTH += 1
    try:
        yield
    finally:
        with _LOCK:
            _DEPTH -= 1
            if _DEPTH == 0:
                if _SAVED["dict"] is None:
                    del module.Expectation.dict
                else:  # pragma: no cover - GX 1.x inherits dict from pydantic
                    module.Expectation.dict = _SAVED["dict"]  # type: ignore[method-assign]
                module.camel_to_snake = _SAVED["camel_to_snake"]
                _MEMO.clear()
                _SAVED.clear()
