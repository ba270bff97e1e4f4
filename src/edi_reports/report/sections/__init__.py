"""The report's sections, one module each: ``build(report) -> Section``.

:data:`SECTIONS` is the one list of the report's sections: the name used in the settings
(``report.sections``, ``content/<ORG>/report.yml``), in the default order, the module that
builds it and the :class:`edi_reports.report.core.Report` method that notebooks call
(``report.wres()``). Adding a section is one line here plus its module. Modules are imported
when a section is first built, so this package can be read by the settings validation
without loading pandas.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: Section name -> (module in this package, Report method), in the default order.
SECTIONS: dict[str, tuple[str, str]] = {
    "introduction": ("introduction", "introduction"),
    "summary": ("summary", "summary_table"),
    "benchmarking": ("benchmarking", "benchmarking"),
    "trends": ("trends", "trends"),
    "gender_pay_gap": ("gender_pay_gap", "gender_pay_gap"),
    "ethnicity_pay_gap": ("ethnicity_pay_gap", "ethnicity_pay_gap"),
    "disability_pay_gap": ("disability_pay_gap", "disability_pay_gap"),
    "statutory_pay_gaps": ("statutory_pay_gaps", "statutory_pay_gaps"),
    "pay_gap_decomposition": ("pay_gap_decomposition", "pay_gap_decomposition"),
    "sexual_orientation_pay_gap": ("sexual_orientation_pay_gap", "sexual_orientation_pay_gap"),
    "wres": ("wres", "wres"),
    "wdes": ("wdes", "wdes"),
    "workforce_profile": ("workforce_profile", "workforce_profile"),
    "directorates": ("directorates", "directorates"),
    "intersections": ("intersections", "intersections"),
    "action_plan": ("action_plan", "action_plan"),
    "equality_action_plan": ("equality_action_plan", "equality_action_plan"),
    "objectives": ("objectives", "objectives"),
    "contact": ("contact", "contact"),
    "methodology": ("methodology", "methodology"),
    "privacy": ("privacy", "privacy_note"),
    "data_quality": ("data_quality", "data_quality"),
}

#: Section name -> the Report method that builds it (``report.wres()`` in a notebook).
SECTION_METHODS: dict[str, str] = {name: method for name, (_, method) in SECTIONS.items()}


def build(name: str, report: Any) -> Any:
    """The section ``name`` of ``report`` (a :class:`edi_reports.report.core.Section`)."""
    module = import_module(f"{__name__}.{SECTIONS[name][0]}")
    return module.build(report)
