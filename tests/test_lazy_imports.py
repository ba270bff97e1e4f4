"""Deferred imports: the module is importable at once and runs on first use."""

from __future__ import annotations

import sys

import pytest

from edi_reports import lazy_imports


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A throw-away package whose submodule records, in a file, each time its code runs."""
    root = tmp_path / "edi_lazy_probe"
    root.mkdir()
    (root / "__init__.py").write_text("")
    ran = tmp_path / "ran.txt"
    (root / "heavy.py").write_text(
        f"with open({str(ran)!r}, 'a') as fh:\n    fh.write('x')\nVALUE = 42\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield ran
    for name in ("edi_lazy_probe.heavy", "edi_lazy_probe"):
        sys.modules.pop(name, None)


def test_deferred_module_runs_on_first_attribute_access_only(package):
    assert lazy_imports.defer("edi_lazy_probe.heavy") == ["edi_lazy_probe.heavy"]
    from edi_lazy_probe import heavy

    assert not package.exists()  # imported, not run
    assert heavy.VALUE == 42
    assert package.read_text() == "x"  # ran once, on first use
    import edi_lazy_probe.heavy as again

    assert again.VALUE == 42 and package.read_text() == "x"


def test_imported_or_missing_modules_are_left_alone(package):
    import edi_lazy_probe.heavy  # noqa: F401

    assert lazy_imports.defer("edi_lazy_probe.heavy", "edi_lazy_probe.absent") == []
    assert "edi_lazy_probe.absent" not in sys.modules
    assert package.read_text() == "x"


def test_great_expectations_loads_without_running_scipy_stats():
    """What validation defers is what Great Expectations does not need to load."""
    pytest.importorskip("great_expectations")
    import subprocess

    code = (
        "import sys, edi_reports.validation.quality, great_expectations\n"
        "m = sys.modules.get('scipy.stats')\n"
        "print(type(m).__name__)\n"
        "from scipy import stats\n"
        "print(round(float(stats.entropy([0.5, 0.5], [0.25, 0.75])), 4))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert done.stdout.split() == ["_LazyModule", "0.1438"]
