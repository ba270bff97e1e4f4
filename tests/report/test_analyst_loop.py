"""The analyst's loop: ``edi new`` templates filled with synthetic data and built with an
analyst section; the analysis API against the build; the workbench notebook run top to
bottom; refused sections; ``edi preview`` on the loopback interface.

One build (module fixture) serves every end-to-end test here.
"""

from __future__ import annotations

import hashlib
import threading
import urllib.request
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from edi_reports.analysis import PublishRefused, load
from edi_reports.cli import main
from edi_reports.config import Paths
from edi_reports.intake import clean as intake
from edi_reports.intake import synth
from edi_reports.pipeline import engine
from edi_reports.report import custom_sections
from edi_reports.report.custom_sections import SectionRefused, parse_markdown

YEAR = 2025


def _contract_style_code() -> str:
    """An organisation code whose synthetic files use the data contract's own headers."""
    for i in range(100):
        code = f"XN{i:02d}"
        if synth._crc(code) % 4 < 2:
            return code
    raise AssertionError("no code found")  # pragma: no cover


ORG = _contract_style_code()


def _dirs(root: Path) -> dict[str, Path]:
    return {name: root / name for name in ("raw", "processed", "reports", "content")}


def _args(dirs: dict[str, Path]) -> list[str]:
    return [f"--{k}-dir={v}" for k, v in dirs.items()] + ["--quiet"]


def _paths(dirs: dict[str, Path]) -> Paths:
    return Paths(
        raw=dirs["raw"],
        processed=dirs["processed"],
        reports=dirs["reports"],
        content=dirs["content"],
    )


def fill_templates(templates: Path, source: Path, target: Path) -> list[str]:
    """Fill each template with a synthetic file's rows, in the template's columns, and save
    it under its own name in the input folder (as a user would)."""
    filled = []
    for template in sorted(templates.glob("*.csv")):
        data = source / template.name
        if not data.exists():
            continue
        columns = list(pd.read_csv(template, dtype=str).columns)
        frame = pd.read_csv(data, dtype=str, keep_default_na=False)
        lookup = intake._alias_lookup(template.stem)
        frame.columns = [lookup.get(intake.header_key(c), c) for c in frame.columns]
        frame.reindex(columns=columns).fillna("").to_csv(target / template.name, index=False)
        filled.append(template.stem)
    return filled


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("analyst")
    dirs = _dirs(root)
    assert main(["new", ORG, "--year", str(YEAR), "--name", "Test Trust", *_args(dirs)]) == 0
    demo = root / "demo"
    synth.synthesise([ORG], [YEAR - 1, YEAR], 600, 11, demo, None)
    for year in (YEAR - 1, YEAR):
        target = dirs["raw"] / ORG / str(year)
        target.mkdir(parents=True, exist_ok=True)
        fill_templates(dirs["raw"] / ORG / str(YEAR) / "templates", demo / ORG / str(year), target)
    sections = dirs["content"] / ORG / "sections"
    (sections / "_example.md").rename(sections / "by_directorate.md")
    assert main(["build", "--org", ORG, "--year", str(YEAR), *_args(dirs)]) == 0
    out = dirs["reports"] / ORG / str(YEAR)
    return {"dirs": dirs, "out": out, "tables": pd.read_csv(out / "tables.csv", dtype=str)}


# --------------------------------------------------------------------------- edi new


def test_new_writes_templates_and_refuses_a_folder_with_data(tmp_path, capsys):
    dirs = _dirs(tmp_path)
    assert main(["new", "rxx", "--year", "2025", *_args(dirs)]) == 0
    printed = capsys.readouterr().out
    assert "workforce.csv" in printed and "edi preview --org RXX --year 2025" in printed
    templates = dirs["raw"] / "RXX" / "2025" / "templates"
    for stem in ("workforce", "recruitment", "casework", "training", "staff_survey", "board"):
        header = pd.read_csv(templates / f"{stem}.csv")
        assert len(header) == 0 and len(header.columns) >= 3, stem
        sheet = pd.read_excel(templates / f"{stem}.xlsx")
        assert list(sheet.columns) == list(header.columns) and sheet.empty
        assert set(intake.REQUIRED[stem]) - {
            c for c in intake.REQUIRED[stem] if isinstance(c, tuple)
        } <= set(header.columns)
    content = dirs["content"] / "RXX"
    for name in ("summary.md", "objectives.md", "wdes_9b.md", "2025/actions.csv"):
        assert (content / name).exists(), name
    assert "<!--" in (content / "summary.md").read_text()
    assert custom_sections.section_files(_paths(dirs), "RXX", 2025) == []  # sample is off
    (dirs["raw"] / "RXX" / "2025" / "workforce.csv").write_text("staff_id\n1\n")
    assert main(["new", "RXX", "--year", "2025", *_args(dirs)]) != 0
    assert "already holds input files" in capsys.readouterr().err


def test_new_then_filled_templates_build_a_report_with_the_section(built):
    out = built["out"]
    assert (out / "index.html").exists() and (out / "report.pdf").exists()
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="#section-by-directorate">Gender pay gap by directorate</a>' in html
    at = html.index('id="section-by-directorate"')
    assert html.index('id="gender-pay-gap"') < at < html.index('id="ethnicity-pay-gap"')
    pdf = custom_pdf_text(out / "report.pdf")
    if pdf:
        assert "Gender pay gap by directorate" in " ".join(pdf.split())
    rows = built["tables"][built["tables"]["table"] == "section_by_directorate"]
    assert len(rows) >= 3 and rows["breakdown"].str.startswith("directorate=").all()


def custom_pdf_text(path: Path) -> str:
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        return ""
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_section_shows_the_published_values_of_the_analysis_api(built):
    d = built["dirs"]
    a = load(ORG, YEAR, str(d["raw"]), str(d["processed"]), str(d["content"]))
    gaps = a.pay_gap("sex", by="directorate")
    median = gaps[gaps["measure"] == "gpg.median_hourly_gap"]
    rows = built["tables"].set_index(["breakdown"])
    for row in median.itertuples():
        if row.breakdown == "overall":
            continue
        assert rows.loc[row.breakdown, "value"] == row.published
        if not row.publishable:
            assert row.published in ("*", "") and row.note
    assert median["ci_low"].notna().any()  # intervals, methodology §8


def test_results_carry_disclosure_status_and_refuse_hand_made_tables(built):
    d = built["dirs"]
    a = load(ORG, YEAR, str(d["raw"]), str(d["processed"]), str(d["content"]))
    rl = a.likelihood("wres.4", by="staff_group")
    assert {"published", "publishable", "note", "ci_low", "ci_high"} <= set(rl.columns)
    small = rl[(rl[["numerator", "denominator"]].min(axis=1) < 10) & (rl["status"] == "ok")]
    assert (small["published"] == "*").all() and small["note"].str.contains("fewer than 10").all()
    rep = a.representation("sex", by="clinical")
    tiny = rep[(rep["numerator"] >= 1) & (rep["numerator"] <= 7)]
    assert (tiny["published"] == "*").all()
    with pytest.raises(PublishRefused, match="not a DataFrame"):
        a.publish(a.workforce, caption="x")
    changed = rl.copy()
    changed.loc[changed.index[0], "value"] = 0.5
    with pytest.raises(PublishRefused, match="changed after"):
        a.publish(changed, caption="x")
    shown = a.publish(rl[rl["publishable"]], caption="Training by staff group")
    assert shown[0].metadata["edi"]["analysis"] is True
    assert "Training by staff group" in shown[0].html


def test_workbench_notebook_runs_top_to_bottom(built, tmp_path):
    from edi_reports.pipeline.build import run_notebook

    d = built["dirs"]
    params = {
        "org": ORG,
        "year": YEAR,
        "raw_dir": str(d["raw"]),
        "processed_dir": str(d["processed"]),
        "content_dir": str(d["content"]),
    }
    notebook = Path(__file__).resolve().parents[2] / "notebooks" / "explore.ipynb"
    with engine.POOL.lease() as kernel:
        run_notebook(notebook, tmp_path / "explore.ipynb", params, cwd=tmp_path, kernel=kernel)
    nb = nbformat.read(tmp_path / "explore.ipynb", as_version=4)
    texts = [
        str(out.get("data", {}).get("text/html", ""))
        for cell in nb.cells
        for out in cell.get("outputs", [])
    ]
    joined = "\n".join(texts)
    assert "gpg.median_hourly_gap" in joined and "wres.4" in joined
    assert "publishable" in joined and "a group compared has fewer than" in joined


# --------------------------------------------------------------------------- refusals

BAD = {
    "row_level.md": "```python\nfrom edi_reports import analysis\n"
    "a = analysis.load(org, year, raw_dir, processed_dir, content_dir, out_dir, settings_path, section)\n"
    "a.workforce.head()\n```\n",
    "printed.md": "Text.\n\n```python\nprint(41 + 1)\n```\n",
    "raw_publish.md": "```python\nfrom edi_reports import analysis\n"
    "a = analysis.load(org, year, raw_dir, processed_dir, content_dir, out_dir, settings_path, section)\n"
    "a.publish(a.workforce, caption='staff')\n```\n",
}


def test_sections_showing_unpublished_output_are_refused(built, tmp_path):
    from edi_reports.pipeline.build import notebook_parameters

    d = built["dirs"]
    paths = _paths(d)
    folder = d["content"] / ORG / str(YEAR) / "sections"
    folder.mkdir(parents=True, exist_ok=True)
    work = paths.processed_for(ORG, YEAR)
    params = notebook_parameters(ORG, YEAR, paths, None, tmp_path)
    expected = {
        "row_level.md": "code block at line 1: shows a table",
        "printed.md": "code block at line 3: shows printed text",
        "raw_publish.md": "code block at line 1: only results of the analysis API",
    }
    try:
        with engine.POOL.lease() as kernel:
            for name, text in BAD.items():
                path = folder / name
                path.write_text(text)
                with pytest.raises(SectionRefused) as caught:
                    custom_sections.run_sections(
                        ORG, YEAR, paths, params, work, tmp_path, kernel=kernel, only=path
                    )
                assert str(path) in str(caught.value) and expected[name] in str(caught.value)
                path.unlink()
    finally:
        for name in BAD:
            (folder / name).unlink(missing_ok=True)


def test_refused_section_leaves_the_last_good_report(built):
    from edi_reports.pipeline.build import build

    d = built["dirs"]
    before = digest(built["out"])
    bad = d["content"] / ORG / "sections" / "zz_rows.md"
    bad.write_text(BAD["row_level.md"])
    try:  # the report stage and its sections, as a batch's report phase runs them
        with pytest.raises(SectionRefused, match=r"zz_rows\.md, code block at line 1"):
            build(ORG, YEAR, _paths(d), stages=("04_report",))
    finally:
        bad.unlink()
    assert digest(built["out"]) == before


def test_markdown_sections_parse_front_matter_and_code_blocks(tmp_path):
    path = tmp_path / "mine.md"
    path.write_text("---\ntitle: Mine\nafter: wdes\n---\nIntro\n\n```python\nx = 1\n```\nEnd\n")
    source = parse_markdown(path)
    assert (source.title, source.after) == ("Mine", "wdes")
    assert [(c.kind, c.where) for c in source.cells] == [
        ("markdown", "line 5"),
        ("code", "code block at line 7"),
        ("markdown", "line 10"),
    ]
    path.write_text("---\nafter: nowhere\n---\nx\n")
    with pytest.raises(SectionRefused, match="not a report section"):
        parse_markdown(path)
    path.write_text("```python\nx = 1\n")
    with pytest.raises(SectionRefused, match="not closed"):
        parse_markdown(path)


# --------------------------------------------------------------------------- preview


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=20) as response:
        return response.read().decode("utf-8")


def test_preview_serves_loopback_and_rerenders_narrative(built):
    from edi_reports.pipeline.preview import RELOAD_SCRIPT, Preview

    d = built["dirs"]
    preview = Preview(ORG, YEAR, _paths(d))
    preview.start()
    assert preview.error == ""
    httpd = preview.server(port=0)
    assert httpd.server_address[0] == "127.0.0.1"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_port}/"
    try:
        page = _get(url)
        assert RELOAD_SCRIPT in page and "Gender pay gap by directorate" in page
        version = _get(url + "__edi/version")
        summary = d["content"] / ORG / "summary.md"
        summary.write_text("## Our year\n\npreview-marker-7731\n")
        changed = preview.poll()
        assert changed == {summary}
        assert _get(url + "__edi/version") != version
        page = _get(url)
        assert "preview-marker-7731" in page and preview.error == ""
        on_disk = (preview.folder / "index.html").read_text(encoding="utf-8")
        assert "preview-marker-7731" in on_disk and "__edi/version" not in on_disk
        published = (built["out"] / "index.html").read_text(encoding="utf-8")
        assert "preview-marker-7731" not in published and "__edi/version" not in published
        bad = d["content"] / ORG / "sections" / "zz_print.md"
        bad.write_text(BAD["printed.md"])
        try:
            preview.poll()
            assert "zz_print.md" in preview.error and "zz_print.md" in _get(url)
        finally:
            bad.unlink()
        assert preview.poll() and preview.error == ""
    finally:
        httpd.shutdown()
        httpd.server_close()
