"""Deferred imports: the module is importable at once and runs on first use."""

from __future__ import annotations

import sys

import pytest

from edi_reports import lazy_imports


def _python_words(code: str) -> list[str]:
    """The words a new interpreter prints when it runs ``code``."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    return done.stdout.split()


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


def test_great_expectations_loads_without_running_what_it_does_not_use():
    """What validation defers is what Great Expectations does not need to load; each
    deferred module still works when used."""
    pytest.importorskip("great_expectations")

    code = (  # as in a validation kernel: Altair (which uses jsonschema) deferred too
        "import sys\n"
        "from edi_reports.lazy_imports import VALIDATION_UNUSED, defer_package\n"
        "defer_package(*VALIDATION_UNUSED)\n"
        "import edi_reports.validation.quality, great_expectations\n"
        "print(*(type(sys.modules.get(m)).__name__ for m in ('scipy.stats', 'jsonschema')))\n"
        "from scipy import stats\n"
        "print(round(float(stats.entropy([0.5, 0.5], [0.25, 0.75])), 4))\n"
        "import jsonschema\n"
        "print(jsonschema.Draft7Validator({'type': 'integer'}).is_valid(3))\n"
        "print(type(sys.modules.get('jsonschema')).__name__)\n"
    )
    assert _python_words(code) == ["_LazyModule", "_Deferred", "0.1438", "True", "module"]


@pytest.fixture
def probe_package(tmp_path, monkeypatch):
    """A throw-away package with a submodule; each run of either is recorded in a file."""
    root = tmp_path / "edi_lazy_pkg"
    root.mkdir()
    ran = tmp_path / "ran.txt"
    record = f"with open({str(ran)!r}, 'a') as fh:\n    fh.write({{}})\n"
    (root / "__init__.py").write_text(record.format("'p'") + "VALUE = 7\n")
    (root / "sub.py").write_text(record.format("'s'") + "OTHER = 8\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield ran
    for name in ("edi_lazy_pkg.sub", "edi_lazy_pkg"):
        sys.modules.pop(name, None)


def test_deferred_package_is_importable_and_runs_on_first_real_use(probe_package):
    import importlib.util

    assert lazy_imports.defer_package("edi_lazy_pkg") == ["edi_lazy_pkg"]
    import edi_lazy_pkg as pkg

    assert pkg.__name__ == "edi_lazy_pkg" and pkg.__spec__.name == "edi_lazy_pkg"
    assert importlib.util.find_spec("edi_lazy_pkg") is pkg.__spec__
    assert not probe_package.exists()  # imported, not run
    assert pkg.VALUE == 7  # first use runs the package, once
    assert probe_package.read_text() == "p"
    import edi_lazy_pkg as again
    from edi_lazy_pkg import sub

    assert again.VALUE == 7 and sub.OTHER == 8
    assert type(sys.modules["edi_lazy_pkg"]).__name__ == "module"  # the real one now
    assert probe_package.read_text() == "ps"


def test_submodule_import_runs_the_deferred_package_first(probe_package):
    lazy_imports.defer_package("edi_lazy_pkg")
    import edi_lazy_pkg.sub

    assert edi_lazy_pkg.sub.OTHER == 8
    assert probe_package.read_text() == "ps"


def test_defer_gives_a_top_level_package_a_stand_in(probe_package):
    """A lazy module in a package's place would run at the next ``import`` naming it."""
    assert lazy_imports.defer("edi_lazy_pkg") == ["edi_lazy_pkg"]
    import edi_lazy_pkg

    assert type(sys.modules["edi_lazy_pkg"]).__name__ == "_Deferred"
    assert not probe_package.exists()
    assert edi_lazy_pkg.VALUE == 7 and probe_package.read_text() == "p"


def test_imported_missing_or_dotted_names_are_not_deferred(probe_package):
    import edi_lazy_pkg  # noqa: F401

    assert lazy_imports.defer_package("edi_lazy_pkg", "edi_lazy_absent", "os.path") == []
    assert "edi_lazy_absent" not in sys.modules


def test_validation_without_altair_running():
    """What a validation kernel defers is what validating does not need to run."""
    pytest.importorskip("great_expectations")

    code = (
        "import sys\n"
        "from edi_reports.lazy_imports import VALIDATION_UNUSED, defer_package\n"
        "defer_package(*VALIDATION_UNUSED)\n"
        "import pandas as pd, great_expectations as gx\n"
        "from edi_reports.validation import quality\n"
        "ds = quality._ephemeral_datasource()\n"
        "asset = ds.add_dataframe_asset(name='t')\n"
        "batch = asset.add_batch_definition_whole_dataframe('w').get_batch(\n"
        "    batch_parameters={'dataframe': pd.DataFrame({'a': [1, 2, None]})})\n"
        "r = batch.validate(gx.expectations.ExpectColumnValuesToNotBeNull(column='a'))\n"
        "print(r.success, r.result['unexpected_count'], type(sys.modules['altair']).__name__)\n"
        "import altair as alt\n"
        "print(alt.Chart.__name__, type(sys.modules['altair']).__name__)\n"
    )
    assert _python_words(code) == ["False", "1", "_Deferred", "Chart", "module"]


def test_great_expectations_imported_once_with_altair_deferred_then_frozen():
    """A batch worker's or one-process build's import of GX
    (``quality.import_great_expectations``): Altair deferred, the import's objects frozen
    out of the collector's reach, and a second call changes nothing."""
    pytest.importorskip("great_expectations")

    code = (
        "import gc, sys\n"
        "from edi_reports.validation import quality\n"
        "before = gc.get_freeze_count()\n"
        "quality.import_great_expectations()\n"
        "frozen = gc.get_freeze_count()\n"
        "quality.import_great_expectations()\n"
        "print(type(sys.modules['altair']).__name__, 'great_expectations' in sys.modules)\n"
        "print(frozen > before + 100000, gc.get_freeze_count() == frozen)\n"
    )
    assert _python_words(code) == ["_Deferred", "True", "True", "True"]
