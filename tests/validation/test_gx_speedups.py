"""The validation's GX run: one run per table with counts, COMPLETE for failed checks, and
the speed-ups of :mod:`edi_reports.validation.gx_speedups`, each giving the same results as
GX alone (one COMPLETE run per suite, no speed-ups)."""

from __future__ import annotations

import contextlib
import datetime
import enum
import json
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edi_reports.validation import gx_speedups
from edi_reports.validation import quality as validation
from tests.validation.test_validation import EXPECTATIONS_DIR, YEAR, bad_tables

pytest.importorskip("great_expectations")


@pytest.fixture(scope="module")
def fast_report() -> dict[str, Any]:
    return validation.validate_tables(bad_tables(), EXPECTATIONS_DIR, year=YEAR).to_json()


def test_bad_tables_fail_checks_and_list_rows(fast_report: dict[str, Any]) -> None:
    """The comparison below is over failures, rows and errors, not only passes."""
    results = fast_report["results"]
    assert fast_report["critical_failures"] > 5 and fast_report["warnings"] > 0
    assert any(r["unexpected_rows"] for r in results)
    assert any(r["error"] for r in results)


def test_same_results_as_complete_runs_without_the_speedups(
    fast_report: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validation, "FIRST_RUN_FORMAT", "COMPLETE")
    monkeypatch.setattr(gx_speedups, "speedups", contextlib.nullcontext)
    plain = validation.validate_tables(bad_tables(), EXPECTATIONS_DIR, year=YEAR).to_json()
    assert plain == fast_report
    assert validation.ValidationReport.from_json(plain).message() == (
        validation.ValidationReport.from_json(fast_report).message()
    )


def _expectation() -> Any:
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    return ExpectationConfiguration(
        type="expect_column_values_to_be_in_set",
        kwargs={"column": "sex", "value_set": ["Female", "Male"], "mostly": 0.9},
        meta={"why": "w", "fix": "f", "edi_index": 0},
    ).to_domain_obj()


def test_gx_configuration_reads_the_memoised_fields() -> None:
    """GX's ``Expectation.configuration`` still builds on ``.dict(exclude_defaults=True)``:
    inside the block the first read fills the memo (else the patch does nothing)."""
    exp = _expectation()
    with gx_speedups.speedups():
        first = exp.configuration
        assert id(exp) in gx_speedups._MEMO
        second = exp.configuration
    assert not gx_speedups._MEMO
    assert first is not second and first == second == exp.configuration
    assert first.type == "expect_column_values_to_be_in_set"


def test_configuration_copies_are_independent_and_follow_field_changes() -> None:
    exp = _expectation()
    plain = exp.configuration
    with gx_speedups.speedups(), gx_speedups.speedups():
        got = exp.configuration
        got.kwargs["value_set"].append("X")
        got.kwargs["column"] = "other"
        got.meta["why"] = "changed"
        assert exp.configuration == plain  # what a caller changed is not memoised
        exp.column = "sex2"  # a field replaced: recomputed
        assert exp.configuration.kwargs["column"] == "sex2"
        exp.column = "sex"
    assert exp.configuration == plain


def _suite_expectations() -> list[Any]:
    """One GX expectation per check in the project's suites (parameters substituted)."""
    params = validation.suite_parameters(YEAR)
    out = []
    for specs in validation.load_suite_specs(EXPECTATIONS_DIR).values():
        for spec in specs:
            kwargs = {
                k: params[v["$PARAMETER"]] if isinstance(v, dict) and "$PARAMETER" in v else v
                for k, v in spec["kwargs"].items()
            }
            suite = validation.build_suite("t", [{**spec, "kwargs": kwargs}])
            out.append(suite.expectations[0])
    return out


def _kwargs_of(exp: Any) -> tuple[Any, ...]:
    runtime = {"result_format": validation._result_format("BASIC")}
    return (
        exp._get_domain_kwargs(),
        exp._get_success_kwargs(),
        exp._get_runtime_kwargs(),
        exp._get_runtime_kwargs(runtime_configuration=runtime),
    )


def test_kwargs_methods_build_the_configuration_once_with_the_same_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every expectation type of the suites: the three kwargs methods return what GX alone
    returns, and build one configuration per outermost call inside the block (GX reads it
    once per key; zero builds would mean GX no longer reads it and the patch is moot)."""
    from great_expectations.expectations import expectation as module

    built: list[str] = []
    original = module.ExpectationConfiguration

    def counting(*args: Any, **kwargs: Any) -> Any:
        built.append(kwargs.get("type", ""))
        return original(*args, **kwargs)

    monkeypatch.setattr(module, "ExpectationConfiguration", counting)
    expectations = _suite_expectations()
    assert {type(e).__name__ for e in expectations} >= {
        "ExpectColumnValuesToBeInSet",
        "ExpectColumnValuesToNotBeNull",
        "ExpectTableRowCountToBeBetween",
    }
    for exp in expectations:
        built.clear()
        plain = _kwargs_of(exp)
        assert len(built) > 4, type(exp).__name__
        built.clear()
        with gx_speedups.speedups():
            fast = _kwargs_of(exp)
            assert exp.configuration is not exp.configuration  # pinned only inside a call
        assert len(built) == 4 + 2, type(exp).__name__
        assert fast == plain
        assert not gx_speedups._PINNED


def test_a_pinned_configuration_is_let_go_when_the_call_fails() -> None:
    exp = _expectation()
    with gx_speedups.speedups():
        with pytest.raises(TypeError):
            exp._get_runtime_kwargs(runtime_configuration={"result_format": object()})
        assert not gx_speedups._PINNED


class _Colour(enum.Enum):
    RED = "red"


_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.integers(-5, 5).map(np.int64),
    st.floats(-1e6, 1e6).map(np.float64),
    st.just(float("nan")),
    st.just(np.float64("nan")),
    st.just(pd.NA),
    st.just(_Colour.RED),
    st.just(pd.Timestamp("2025-03-31 23:59:59.999999")),
    st.just(datetime.date(2024, 4, 1)),
)
_DATA = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.one_of(st.text(max_size=3), st.integers(0, 3)), inner, max_size=4),
        st.sets(st.one_of(st.text(max_size=3), st.integers()), max_size=4),
    ),
    max_leaves=12,
)


def _same(a: Any, b: Any) -> bool:
    """Equal, with NaN equal to NaN, and of the same types throughout."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


@settings(max_examples=300, deadline=None)
@given(data=_DATA)
def test_json_conversion_is_gx_conversion(data: Any) -> None:
    from great_expectations.util import convert_to_json_serializable

    fast = gx_speedups._json_ready(convert_to_json_serializable)
    assert _same(fast(data=data), convert_to_json_serializable(data=data))


def test_metric_ids_use_the_patched_conversion_and_stay_the_same() -> None:
    """GX's ``IDDict.to_id`` converts through the name patched in its module (else the
    patch is moot) and gives the same ids."""
    from great_expectations.core import id_dict
    from great_expectations.validator.metric_configuration import MetricConfiguration

    def metric() -> Any:
        return MetricConfiguration(
            "column_values.in_set.unexpected_count",
            {"column": "sex", "row_condition": None, "condition_parser": None},
            {"value_set": ["Female", "Male", None], "mostly": 0.9, "when": pd.Timestamp(0)},
        )

    plain = metric().id
    with gx_speedups.speedups():
        assert id_dict.convert_to_json_serializable is not gx_speedups._SAVED["convert"]
        seen: list[Any] = []
        patched = id_dict.convert_to_json_serializable
        id_dict.convert_to_json_serializable = lambda data: seen.append(data) or patched(data)
        try:
            fast = metric().id
        finally:
            id_dict.convert_to_json_serializable = patched
        assert seen, "IDDict.to_id no longer converts through its module's name"
    assert fast == plain
    assert json.dumps(plain) == json.dumps(fast)


def test_gx_is_unchanged_outside_the_block() -> None:
    from great_expectations.core import id_dict
    from great_expectations.expectations import expectation as module
    from great_expectations.util import camel_to_snake, convert_to_json_serializable

    cls = module.Expectation
    before = {name: cls.__dict__[name] for name in ("configuration", *gx_speedups.KWARGS_METHODS)}
    camel = module.camel_to_snake
    assert "dict" not in cls.__dict__
    assert id_dict.convert_to_json_serializable is convert_to_json_serializable
    with gx_speedups.speedups():
        assert "dict" in cls.__dict__
        assert all(cls.__dict__[name] is not value for name, value in before.items())
        assert module.camel_to_snake("ExpectColumnValuesToBeInSet") == camel_to_snake(
            "ExpectColumnValuesToBeInSet"
        )
    assert "dict" not in cls.__dict__ and module.camel_to_snake is camel
    assert all(cls.__dict__[name] is value for name, value in before.items())
    assert id_dict.convert_to_json_serializable is convert_to_json_serializable
    assert not gx_speedups._SAVED


_FIELDS_DUMP = """
import json, re, sys
from edi_reports.lazy_imports import GX_UNUSED, defer
defer(*GX_UNUSED)
if sys.argv[1] == "fast":
    from edi_reports.validation import gx_speedups
    with gx_speedups.import_speedups():
        import great_expectations
else:
    import great_expectations
import pydantic.v1 as p1
def dump(f):
    return [repr(f), repr(f.field_info), repr(f.outer_type_), f.shape, f.allow_none,
            f.required, getattr(f.model_config, "__name__", None), sorted(f.class_validators),
            [len(f.validators or []), len(f.pre_validators or []), len(f.post_validators or [])],
            [dump(s) for s in f.sub_fields or []], f.key_field and dump(f.key_field)]
models, todo = {}, [p1.BaseModel]
while todo:
    for sub in todo.pop().__subclasses__():
        todo.append(sub)
        models.setdefault(sub.__module__ + "." + sub.__qualname__, []).append(
            {name: dump(f) for name, f in sub.__fields__.items()})
print(re.sub(r" at 0x[0-9a-f]+", "", json.dumps(models, sort_keys=True, default=repr)))
"""


def test_gx_models_are_the_same_when_imported_with_the_import_speedups() -> None:
    """Every pydantic model GX defines: the same fields, types, defaults and validators."""
    import subprocess
    import sys

    dumps = [
        subprocess.run(
            [sys.executable, "-c", _FIELDS_DUMP, how],
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        ).stdout
        for how in ("plain", "fast")
    ]
    models = json.loads(dumps[0])
    assert len(models) > 300 and any("ExpectColumnValuesToBeInSet" in m for m in models)
    assert dumps[1] == dumps[0]


def test_pydantic_copies_base_fields_through_the_slot_copier() -> None:
    """pydantic v1 still deep-copies a base model's fields when a subclass is made (else
    the import speed-up is moot), and the copies are the generic path's copies."""
    import copy
    import gc

    import pydantic.v1 as p1
    from pydantic.v1.fields import FieldInfo, ModelField

    class Base(p1.BaseModel):
        a: list[int] = [1]
        b: str | None = p1.Field(None, description="d", max_length=3)
        c: dict[str, list[float]] = {}

    calls: list[type] = []
    copier = gx_speedups._slot_copier

    def counting(cls: type) -> Any:
        inner = copier(cls)

        def count(x: Any, memo: dict[int, Any]) -> Any:
            calls.append(cls)
            return inner(x, memo)

        return count

    gx_speedups._slot_copier = counting  # type: ignore[assignment]
    try:
        with gx_speedups.import_speedups():
            assert not gc.isenabled()

            class Sub(Base):
                d: int = 0

            fast = copy.deepcopy(Base.__fields__)
    finally:
        gx_speedups._slot_copier = copier  # type: ignore[assignment]
    assert gc.isenabled()
    assert ModelField in calls and FieldInfo in calls
    assert ModelField not in copy._deepcopy_dispatch  # type: ignore[attr-defined]
    plain = copy.deepcopy(Base.__fields__)
    assert {k: repr(v) for k, v in fast.items()} == {k: repr(v) for k, v in plain.items()}
    for name, field in Base.__fields__.items():
        assert Sub.__fields__[name] is not field
        assert Sub.__fields__[name].field_info is not field.field_info
        assert repr(Sub.__fields__[name]) == repr(field)
    assert Sub(a=[2]).a == [2] and Sub().a == [1] and Sub().a is not Base().a
