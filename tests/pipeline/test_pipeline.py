"""Pipeline mechanics: parameter checks, atomic publishing, plain CLI errors."""

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from edi_reports.cli import main
from edi_reports.config import NOTEBOOKS_DIR, Paths
from edi_reports.errors import ParameterError
from edi_reports.pipeline import build as pipeline


def write_nb(path: Path) -> Path:
    nb = new_notebook(
        cells=[new_code_cell('org = "X"\nyear = 2024', metadata={"tags": ["parameters"]})]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


class TestCheckParameters:
    def test_unknown_parameter_fails(self, tmp_path):
        nb = write_nb(tmp_path / "a.ipynb")
        with pytest.raises(ParameterError, match="unknown parameter.*yaer"):
            pipeline.check_parameters(nb, {"org": "RJZ", "yaer": 2024})

    def test_declared_parameters_pass(self, tmp_path):
        pipeline.check_parameters(write_nb(tmp_path / "a.ipynb"), {"org": "RJZ", "year": 2024})

    @pytest.mark.parametrize("stage", pipeline.STAGES)
    def test_every_stage_declares_the_build_parameters(self, stage, tmp_path):
        params = pipeline.notebook_parameters("RJZ", 2024, Paths(), None, tmp_path)
        pipeline.check_parameters(NOTEBOOKS_DIR / f"{stage}.ipynb", params)


class TestPublishAtomically:
    def test_replaces_old_report(self, tmp_path):
        target = tmp_path / "reports" / "RJZ" / "2024"
        target.mkdir(parents=True)
        (target / "index.html").write_text("old")
        (target / "stale.csv").write_text("x")
        staging = tmp_path / "stage"
        staging.mkdir()
        (staging / "index.html").write_text("new")
        pipeline.publish_atomically(staging, target)
        assert (target / "index.html").read_text() == "new"
        assert not (target / "stale.csv").exists()
        assert [p.name for p in target.parent.iterdir()] == ["2024"]


def test_discover_finds_org_year_folders(tmp_path):
    for org, year in [("RJZ", "2024"), ("QKS", "2025"), ("QKS", "notes")]:
        (tmp_path / org / year).mkdir(parents=True)
    (tmp_path / "organisations.csv").write_text("org_code\n")
    assert pipeline.discover(tmp_path) == [("QKS", 2025), ("RJZ", 2024)]


class TestPlainErrors:
    def test_missing_input_folder(self, tmp_path, capsys):
        code = main(
            ["build", "--org", "ABC", "--year", "2024", "--raw-dir", str(tmp_path), "--quiet"]
        )
        err = capsys.readouterr().err
        assert code == 2
        assert "there is no input folder" in err and "Traceback" not in err

    def test_bad_org_code_is_a_usage_error(self, capsys):
        with pytest.raises(SystemExit) as exc:
            main(["build", "--org", "R J!", "--year", "2024"])
        assert exc.value.code == 2
        assert "not an ODS code" in capsys.readouterr().err

    def test_console_script_runs(self):
        out = subprocess.run(
            [sys.executable, "-m", "edi_reports.cli", "--help"], capture_output=True, text=True
        )
        assert out.returncode == 0 and "synth" in out.stdout

    def test_console_script_leaves_quickly_but_after_its_exit_handlers(self, tmp_path):
        argv = ["build", "--org", "RJZ", "--year", "2024", "--raw-dir", str(tmp_path)]
        code = (
            "import atexit, sys\n"
            f"atexit.register(lambda: open({str(tmp_path / 'ran')!r}, 'w').write('yes'))\n"
            f"sys.argv = ['edi', *{argv!r}]\n"
            "print('said before', end='')\n"  # left in the buffer: flushed at the end
            "from edi_reports.cli import run\n"
            "run()\n"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert out.returncode == main(argv) != 0  # the command's own exit status
        assert out.stdout == "said before" and "there is no input folder" in out.stderr
        assert (tmp_path / "ran").read_text() == "yes"


def test_manifest_records_hashes(tmp_path):
    (tmp_path / "raw" / "RJZ" / "2024").mkdir(parents=True)
    (tmp_path / "raw" / "RJZ" / "2024" / "workforce.csv").write_text("a\n1\n")
    content = tmp_path / "content" / "RJZ"
    content.mkdir(parents=True)
    (content / "summary.md").write_text("Our summary.\n")
    paths = Paths(raw=tmp_path / "raw", content=tmp_path / "content")
    hashes = pipeline.input_hashes(paths, "RJZ", 2024, None)
    # the input file and the narrative file, each with a SHA-256, and nothing from the
    # checkout's own content/ folder (which `make report` fills)
    assert sorted(Path(p).name for p in hashes) == ["summary.md", "workforce.csv"]
    assert all(len(h) == 64 for h in hashes.values())
    assert all(str(tmp_path) in p for p in hashes)
    json.dumps(hashes)
