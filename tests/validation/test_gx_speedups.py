"""The validation's GX run: one run per table with counts, COMPLETE for failed checks, and
the memo of :mod:`edi_reports.validation.gx_speedups`, each giving the same results as GX
alone (one COMPLETE run per suite, no memo)."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

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


def test_same_results_as_complete_runs_without_the_memo(
    fast_report: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validation, "FIRST_RUN_FORMAT", "COMPLETE")
    monkeypatch.setattr(gx_speedups, "reuse_expectation_fields", contextlib.nullcontext)
    plain = validation.validate_tables(bad_tables(), EXPECTATIONS_DIR, year=YEAR).to_json()
    assert plain == fast_report


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
    with gx_speedups.reuse_expectation_fields():
        first = exp.configuration
        assert id(exp) in gx_speedups._MEMO
        second = exp.configuration
    assert not gx_speedups._MEMO
    assert first is not second and first == second == exp.configuration
    assert first.type == "expect_column_values_to_be_in_set"


def test_configuration_copies_are_independent_and_follow_field_changes() -> None:
    exp = _expectation()
    plain = exp.configuration
    with gx_speedups.reuse_expectation_fields(), gx_speedups.reuse_expectation_fields():
        got = exp.configuration
        got.kwargs["value_set"].append("X")
        got.kwargs["column"] = "other"
        got.meta["why"] = "changed"
        assert exp.configuration == plain  # what a caller changed is not memoised
        exp.column = "sex2"  # a field replaced: recomputed
        assert exp.configuration.kwargs["column"] == "sex2"
        exp.column = "sex"
    assert exp.configuration == plain


def test_gx_is_unchanged_outside_the_block() -> None:
    from great_expectations.expectations import expectation as module
    from great_expectations.util import camel_to_snake

    before = module.camel_to_snake
    assert "dict" not in module.Expectation.__dict__
    with gx_speedups.reuse_expectation_fields():
        assert "dict" in module.Expectation.__dict__
        assert module.camel_to_snake("ExpectColumnValuesToBeInSet") == camel_to_snake(
            "ExpectColumnValuesToBeInSet"
        )
    assert "dict" not in module.Expectation.__dict__ and module.camel_to_snake is before
