"""The repository protects users: data and outputs never tracked, notebooks stored clean."""

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
