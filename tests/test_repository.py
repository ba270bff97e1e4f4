"""The repository protects users: data and outputs never tracked, notebooks stored clean."""

import ast
import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def tracked(*paths: str) -> list[str]:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "ls-files", "--", *paths],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [p for p in out.splitlines() if Path(p).name not in {".gitkeep", "README.md"}]


def test_no_data_or_reports_tracked():
    assert tracked("data/raw", "data/processed", "reports") == []


def test_data_folders_are_ignored():
    probe = [
        "data/raw/X/2024/workforce.csv",
        "data/processed/X/2024/metrics.csv",
        "reports/X/2024/index.html",
    ]
    out = subprocess.run(
        ["git", "-C", str(ROOT), "check-ignore", *probe], capture_output=True, text=True
    )
    assert out.stdout.split() == probe


def test_notebook_templates_are_clean_and_parameterised():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text())
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert all(not c.get("outputs") and not c.get("execution_count") for c in code), path.name
        assert any("parameters" in c.get("metadata", {}).get("tags", []) for c in code), path.name


#: The stages in order (docs/architecture.md §4): a subpackage imports from the top level and
#: from the stages before it.
STAGES = (
    "intake",
    "validation",
    "measures",
    "submissions",
    "disclosure",
    "report",
    "rendering",
    "pipeline",
)
#: The deliberate exceptions, each explained in docs/architecture.md §4.
LATER_STAGE_IMPORTS = {
    ("intake/audit.py", "edi_reports.measures.paygap"),
    ("intake/audit.py", "edi_reports.validation.quality"),
    ("intake/synth.py", "edi_reports.report.custom_sections"),
    ("intake/synth.py", "edi_reports.submissions.action_plan"),
    ("measures/compute.py", "edi_reports.disclosure.control"),
    ("measures/compute.py", "edi_reports.submissions.collection"),
    ("measures/compute.py", "edi_reports.submissions.gpg"),
    ("measures/significance.py", "edi_reports.disclosure.control"),
    ("measures/significance.py", "edi_reports.report.lookup"),
    ("report/custom_sections.py", "edi_reports.pipeline.build"),
    ("report/sections/objectives.py", "edi_reports.rendering.equality_page"),
}


def later_stage_imports(package: Path) -> set[tuple[str, str]]:
    """(module, imported module) pairs where a stage imports from a stage after it."""
    found = set()
    for path in package.rglob("*.py"):
        parts = path.relative_to(package).parts
        if len(parts) == 1:
            continue  # the top level is shared by every stage
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("edi_reports."):
                target = node.module.split(".")[1]
                if target in STAGES and STAGES.index(target) > STAGES.index(parts[0]):
                    found.add(("/".join(parts), node.module))
    return found


def test_every_module_lives_in_a_stage_or_the_top_level():
    package = ROOT / "src" / "edi_reports"
    for sub in (p for p in package.iterdir() if p.is_dir() and (p / "__init__.py").exists()):
        assert sub.name in STAGES, f"{sub.name}/ is not a stage of docs/architecture.md §4"


def test_stages_import_only_from_earlier_stages_or_named_exceptions():
    found = later_stage_imports(ROOT / "src" / "edi_reports")
    assert found - LATER_STAGE_IMPORTS == set(), "new import from a later stage"
    assert LATER_STAGE_IMPORTS - found == set(), "an exception no longer needed: remove it"
    doc = (ROOT / "docs" / "architecture.md").read_text()
    for module, imported in LATER_STAGE_IMPORTS:
        assert f"`{module.removesuffix('.py')}`" in doc
        assert imported.removeprefix("edi_reports.") in doc
