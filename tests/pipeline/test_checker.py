"""A one-off build validates beside itself while it measures (``EDI_KERNELS=auto``).

The validation stage runs in the build's helper process (:class:`edi_reports.pipeline.helper.
Helper`) or, when the build cannot fork, on the checker's kernel
(:class:`edi_reports.pipeline.engine.Checker`), while the build process measures and
discloses. These tests slow the validation notebook
down so that the later stages always get ahead of it, then check what must still hold: the
report shows this build's validation result, never an earlier one; a failed validation is
the build's answer (not a later stage's error); nothing is published and the figures
measured meanwhile are discarded.
"""

from __future__ import annotations

import hashlib
import shutil
from html import escape
from pathlib import Path

import nbformat
import pytest

from edi_reports import store
from edi_reports.config import Paths
from edi_reports.errors import EdiError, ValidationFailed
from edi_reports.intake.synth import synthesise
from edi_reports.pipeline import build as pipeline
from edi_reports.pipeline import engine

pytestmark = [pytest.mark.slow]

ORG, YEAR = "CHK1", 2025
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
STALE = "A check from an earlier build"


def _notebooks(tmp: Path, stage: str, code: str) -> Path:
    """A copy of the stage notebooks where ``stage`` runs ``code`` right after its
    parameters (the rest of the notebook unchanged)."""
    folder = tmp / "notebooks"
    shutil.copytree(NOTEBOOKS, folder)
    path = folder / f"{stage}.ipynb"
    nb = nbformat.read(path, as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell(code))
    nbformat.write(nb, path)
    return folder


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = tmp_path_factory.mktemp("checker")
    synthesise([ORG], [YEAR], 300, 5, root / "raw", root / "content")
    return root


@pytest.fixture(params=["helper", "kernel"])
def paths(data, tmp_path, monkeypatch, request):
    """The same checks with the validation forked beside the build (the helper process a
    one-off build uses when it can fork) and on a kernel (when it cannot)."""
    from edi_reports.pipeline import helper

    monkeypatch.setenv("EDI_KERNELS", "auto")
    monkeypatch.setattr(helper, "fork_safe", lambda: request.param == "helper")
    return Paths(
        raw=data / "raw",
        content=data / "content",
        processed=tmp_path / "processed",
        reports=tmp_path / "reports",
    )


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_the_report_waits_for_this_builds_validation(paths, tmp_path):
    from edi_reports.validation.quality import CheckResult, ValidationReport, write_validation

    work = paths.processed_for(ORG, YEAR)
    work.mkdir(parents=True)
    stale = CheckResult(
        table="workforce",
        severity="warning",
        expectation="expect_column_values_to_not_be_null",
        column="sex",
        success=False,
        unexpected_count=7,
        description=STALE,
    )
    write_validation(ValidationReport(results=[stale]), work / store.VALIDATION)
    slow = _notebooks(tmp_path, "02_validate", "import time\ntime.sleep(4)")
    result = pipeline.build(ORG, YEAR, Paths(**{**vars(paths), "notebooks": slow}))

    assert {"01_clean", "02_validate", "03_measure", "04_report"} <= set(result.timings)
    html = (paths.reports_for(ORG, YEAR) / "index.html").read_text(encoding="utf-8")
    assert STALE not in html
    new = store.read_validation(work)  # this build's: its warnings are the ones shown
    assert new.passed and all(escape(r.description, quote=False) in html for r in new.warnings)
    executed = nbformat.read(work / "notebooks" / "02_validate.ipynb", as_version=4)
    assert executed.metadata["kernelspec"]["name"] == engine.KERNEL_NAME


def test_a_failed_validation_is_the_answer_and_nothing_is_published(paths, tmp_path):
    pipeline.build(ORG, YEAR, paths)  # a good report to keep
    out = paths.reports_for(ORG, YEAR)
    before = _digest(out)
    work = paths.processed_for(ORG, YEAR)
    failing = _notebooks(
        tmp_path,
        "02_validate",
        "import time\ntime.sleep(3)\nfrom edi_reports.errors import ValidationFailed\n"
        "raise ValidationFailed('Data-quality checks found 1 problem: workforce file, row 2.')",
    )
    with pytest.raises(ValidationFailed, match="Data-quality checks found 1 problem"):
        pipeline.build(ORG, YEAR, Paths(**{**vars(paths), "notebooks": failing}))

    assert _digest(out) == before  # the last good report stays in place
    assert not list(out.parent.glob(".*")) and not (work / pipeline.PUBLISH_DIRNAME).exists()
    for name in store.MEASURED:  # measured meanwhile, from tables that failed: discarded
        assert not (work / name).exists(), name


def test_a_later_stage_failing_meanwhile_gives_the_validation_answer(paths, tmp_path):
    both = _notebooks(
        tmp_path,
        "02_validate",
        "import time\ntime.sleep(2)\nfrom edi_reports.errors import ValidationFailed\n"
        "raise ValidationFailed('Data-quality checks found 2 problems.')",
    )
    nb = nbformat.read(both / "03_measure.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell("raise KeyError('ethnic_category')"))
    nbformat.write(nb, both / "03_measure.ipynb")
    with pytest.raises(ValidationFailed, match="found 2 problems"):
        pipeline.build(ORG, YEAR, Paths(**{**vars(paths), "notebooks": both}))


def test_a_later_stage_failing_after_a_good_validation_is_its_own_answer(paths, tmp_path):
    broken = _notebooks(tmp_path, "03_measure", "raise KeyError('ethnic_category')")
    with pytest.raises(EdiError, match="stage 03_measure stopped with an unexpected error"):
        pipeline.build(ORG, YEAR, Paths(**{**vars(paths), "notebooks": broken}))


def test_checker_runs_jobs_in_order_on_one_kernel(monkeypatch):
    from edi_reports.pipeline import helper

    monkeypatch.setattr(helper, "fork_safe", lambda: False)
    with engine.checker(True) as checker:
        assert checker is not None
        seen = [checker.submit(lambda k: k).result(), checker.submit(lambda k: k).result()]
    assert seen[0] is seen[1] and seen[0] is not None
    engine._join_checkers()  # what the process does at exit: the kernel stops with the build
    assert not seen[0].is_alive() and not engine._CLOSING


def test_no_checker_unless_auto(monkeypatch):
    monkeypatch.setenv("EDI_KERNELS", "inprocess")
    with engine.checker(True) as checker:
        assert checker is None
    monkeypatch.setenv("EDI_KERNELS", "auto")
    with engine.checker(False) as checker:
        assert checker is None
