"""What a batch rebuilds: one year when asked, one organisation when its line changes;
and a command line that explains every option."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from edi_reports.cli import build_parser, main
from edi_reports.config import Paths
from edi_reports.errors import EdiError
from edi_reports.pipeline import batch


@pytest.fixture
def built(monkeypatch):
    """Stand-in for the notebook stages: records (org, year) and leaves the outputs."""
    calls: list[tuple[str, int]] = []

    def build(
        org, year, paths, *, settings_path=None, render=True, stages=(), progress=None, overlap=True
    ):
        calls.append((org, year))
        work = paths.processed_for(org, year)
        work.mkdir(parents=True, exist_ok=True)
        (work / "metrics.csv").write_text("measure\n")
        if not (work / "manifest.json").exists():
            (work / "manifest.json").write_text("{}")
        if render:
            out = paths.reports_for(org, year)
            out.mkdir(parents=True, exist_ok=True)
            (out / "index.html").write_text("<html></html>")

    monkeypatch.setattr(batch, "build", build)
    monkeypatch.setattr(batch, "national_pass", lambda paths, years, settings_path: [])
    return calls


@pytest.fixture
def tree(tmp_path) -> Paths:
    paths = Paths(
        raw=tmp_path / "raw",
        processed=tmp_path / "processed",
        reports=tmp_path / "reports",
        content=tmp_path / "content",
    )
    for org in ("AAA", "BBB"):
        for year in (2024, 2025):
            folder = paths.raw_for(org, year)
            folder.mkdir(parents=True)
            (folder / "workforce.csv").write_text(f"staff_id\n{org}{year}\n")
    (paths.raw / "organisations.csv").write_text(
        "org_code,name,type,region\nAAA,Trust A,Acute trust,London\nBBB,Trust B,ICB,South East\n"
    )
    return paths


def test_all_with_a_year_builds_only_that_year(tree, built):
    outcomes = batch.build_all(tree, years=[2025])
    assert sorted(set(built)) == [("AAA", 2025), ("BBB", 2025)]
    assert {(o.org, o.year) for o in outcomes} == {("AAA", 2025), ("BBB", 2025)}
    with pytest.raises(EdiError, match="no input folder for 2019"):
        batch.build_all(tree, years=[2019])


def test_cli_passes_the_year_to_the_batch(tree, built, capsys):
    args = [f"--{k}-dir={getattr(tree, k)}" for k in ("raw", "processed", "reports", "content")]
    assert main(["build", "--all", "--year", "2024", "--quiet", *args]) == 0
    assert sorted(set(built)) == [("AAA", 2024), ("BBB", 2024)]


def test_a_new_line_in_organisations_csv_rebuilds_no_other_organisation(tree, built):
    batch.build_all(tree)
    built.clear()
    with (tree.raw / "organisations.csv").open("a") as fh:
        fh.write("CCC,Trust C,Acute trust,London\n")
    assert {o.status for o in batch.build_all(tree)} == {"skipped"}
    assert built == []
    text = (tree.raw / "organisations.csv").read_text().replace("Trust B", "Trust B renamed")
    (tree.raw / "organisations.csv").write_text(text)
    batch.build_all(tree)
    assert sorted(set(built)) == [("BBB", 2024), ("BBB", 2025)]


def test_an_unlisted_organisation_is_warned_about_at_the_end(tree, built, capsys):
    (tree.raw / "organisations.csv").write_text("org_code,name,type,region\nAAA,Trust A,,\n")
    args = [f"--{k}-dir={getattr(tree, k)}" for k in ("raw", "processed", "reports", "content")]
    assert main(["build", "--all", "--quiet", *args]) == 0
    err = capsys.readouterr().err
    assert "WARNING: BBB not listed in" in err and "AAA" not in err.split("WARNING")[1]


def _options(parser: argparse.ArgumentParser) -> list[tuple[str, str, argparse.Action]]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found = []
    for command, p in sub.choices.items():
        for action in p._actions:
            if action.option_strings and action.option_strings != ["-h", "--help"]:
                found.append((command, action.option_strings[-1], action))
    return found


@pytest.mark.parametrize(
    ("command", "option", "action"), _options(build_parser()), ids=lambda v: str(v)[:20]
)
def test_every_option_of_every_command_has_help(command, option, action):
    assert action.help and len(action.help) > 10, f"edi {command} {option} has no help text"


def test_help_says_what_the_year_means_and_where_settings_are(capsys):
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "31 March 2025" in out and "2024/25" in out and "2025 to 2026" in out
    assert "docs/command-line.md" in out
    doc = (Path(__file__).resolve().parents[2] / "docs" / "command-line.md").read_text()
    assert "## Settings file" in doc and "2025 to 2026" in doc


def test_synth_command_writes_marked_input(tmp_path, capsys):
    from edi_reports.cli import main

    raw, content = tmp_path / "raw", tmp_path / "content"
    args = ["--orgs", "2", "--years", "2024,2025", "--staff", "60", "--seed", "3"]
    assert main(["synth", *args, f"--raw-dir={raw}", f"--content-dir={content}"]) == 0
    assert "wrote synthetic input for 4 organisation-years" in capsys.readouterr().out
    orgs = sorted(p.name for p in raw.iterdir() if p.is_dir())
    assert len(orgs) == 2
    for org in orgs:
        assert (raw / org / "SYNTHETIC").is_file()  # the demo mark every page carries
        for year in ("2024", "2025"):
            assert (raw / org / year / "workforce.csv").is_file()
    assert (raw / "organisations.csv").is_file()
