"""The section registry: one list of sections, one module and one notebook call each."""

from __future__ import annotations

import importlib
import inspect

import pytest

from edi_reports.config import Settings
from edi_reports.config_validate import REPORT_SECTIONS
from edi_reports.report import sections
from edi_reports.report.core import SECTION_METHODS, Report


def test_the_settings_name_the_sections_of_the_registry_in_its_order():
    assert REPORT_SECTIONS == tuple(sections.SECTIONS)
    assert Settings().report.sections == REPORT_SECTIONS
    assert SECTION_METHODS == {name: method for name, (_, method) in sections.SECTIONS.items()}


@pytest.mark.parametrize("name", list(sections.SECTIONS))
def test_each_section_has_a_module_with_build_and_a_report_method(name):
    module_name, method = sections.SECTIONS[name]
    module = importlib.import_module(f"edi_reports.report.sections.{module_name}")
    params = list(inspect.signature(module.build).parameters)
    assert params == ["report"]
    bound = getattr(Report, method)
    assert bound.__name__ == method
    assert f"sections.{module_name}.build" in bound.__doc__


def test_section_modules_are_each_used_once():
    modules = [module for module, _ in sections.SECTIONS.values()]
    assert len(modules) == len(set(modules))
    methods = list(SECTION_METHODS.values())
    assert len(methods) == len(set(methods))
