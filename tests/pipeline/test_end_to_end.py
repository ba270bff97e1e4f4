"""One small organisation built end to end in a temporary folder, through the CLI.

Checks every output of data contract §3 for this stage, that nothing personal or
executable is published, and that a failed build leaves the last good report untouched.
"""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from edi_reports.cli import main
from edi_reports.intake.synth import synthesise
from edi_reports.submissions.gpg import GPG_SUBMISSION_COLUMNS

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]

ORG, YEAR = "DEMO3", 2025  # the demo's small fictional body


@pytest.fixture(scope="session")  # session: xdist may interleave other modules
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    dirs = {name: root / name for name in ("raw", "processed", "reports", "content")}
    synthesise([ORG], [YEAR - 1, YEAR], 400, 11, dirs["raw"], dirs["content"])
    args = [f"--{k}-dir={v}" for k, v in dirs.items()] + ["--quiet"]
    assert main(["build", "--all", *args]) == 0
    assert main(["site", *args]) == 0
    return dirs, args


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_published_outputs(built):
    dirs, _ = built
    out = dirs["reports"] / ORG / str(YEAR)
    names = {p.name for p in out.iterdir()}
    assert {"index.html", "report.pdf", "tables.csv", "tables.xlsx", "gpg_submission.csv"} <= names
    assert not {n for n in names if n.endswith((".ipynb", ".parquet"))}
    assert (dirs["reports"] / "index.html").exists()
    site = (dirs["reports"] / "index.html").read_text()
    assert f"{ORG}/{YEAR}/index.html" in site or f"{ORG}/index.html" in site


def test_internal_outputs(built):
    dirs, _ = built
    work = dirs["processed"] / ORG / str(YEAR)
    for name in (
        "metrics.csv",
        "quarantine.csv",
        "validation.json",
        "manifest.json",
        "workforce.parquet",
    ):
        assert (work / name).exists(), name
    assert sorted(p.name for p in (work / "notebooks").glob("*.ipynb")) == [
        "01_clean.ipynb",
        "02_validate.ipynb",
        "03_measure.ipynb",
        "04_report.ipynb",
    ]
    manifest = json.loads((work / "manifest.json").read_text())
    assert manifest["inputs"] and manifest["code_version"] and manifest["timings_seconds"]
    recon = pd.DataFrame(manifest["reconciliation"])
    assert (recon.rows_in == recon.rows_used + recon.rows_rejected).all()


def test_metrics_and_submission(built):
    dirs, _ = built
    work = dirs["processed"] / ORG / str(YEAR)
    metrics = pd.read_csv(work / "metrics.csv")
    assert {"gpg.mean_hourly_gap", "gpg.quartile_share", "profile.sex", "wres.1", "wdes.1"} <= set(
        metrics.measure
    )
    assert metrics.loc[metrics.status != "ok", "value"].isna().all()
    sub = pd.read_csv(dirs["reports"] / ORG / str(YEAR) / "gpg_submission.csv", dtype=str)
    assert list(sub.columns) == list(GPG_SUBMISSION_COLUMNS)
    for m, f in [
        ("MaleLowerQuartile", "FemaleLowerQuartile"),
        ("MaleTopQuartile", "FemaleTopQuartile"),
    ]:
        assert float(sub[m][0]) + float(sub[f][0]) == pytest.approx(100.0, abs=1e-9)


def test_no_staff_ids_in_published_files(built):
    dirs, _ = built
    wf = pd.read_parquet(dirs["processed"] / ORG / str(YEAR) / "workforce.parquet")
    ids = set(wf.staff_id.astype(str))
    texts = []
    for path in (dirs["reports"] / ORG / str(YEAR)).iterdir():
        if path.suffix in {".html", ".csv", ".json"}:
            texts.append(path.read_text(errors="ignore"))
    if shutil.which("pdftotext"):
        pdf = dirs["reports"] / ORG / str(YEAR) / "report.pdf"
        texts.append(
            subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        )
    blob = "\n".join(texts)
    leaked = [i for i in ids if len(i) >= 5 and i in blob]
    assert leaked == []


def test_synthetic_data_is_marked_everywhere(built):
    """edi synth's mark reaches the manifest, summary.json, the page, every PDF page and the
    site's pages, so the demo is never taken for real figures."""
    from edi_reports.rendering.offline import SYNTHETIC_TITLE

    dirs, _ = built
    out = dirs["reports"] / ORG / str(YEAR)
    assert json.loads((out / "summary.json").read_text())["synthetic"] is True
    manifest = dirs["processed"] / ORG / str(YEAR) / "manifest.json"
    assert json.loads(manifest.read_text())["synthetic"] is True
    for page in (out / "index.html", dirs["reports"] / "index.html", out.parent / "index.html"):
        assert SYNTHETIC_TITLE in page.read_text(), page
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(out / "report.pdf"), "-"], capture_output=True, text=True
        ).stdout
        pages = [p for p in text.split("\f") if p.strip()]
        assert pages and all("Synthetic demonstration data" in p for p in pages)


def test_html_is_self_contained(built):
    dirs, _ = built
    html = (dirs["reports"] / ORG / str(YEAR) / "index.html").read_text()
    assert 'lang="en-GB"' in html
    assert "<script src=" not in html and '<link rel="stylesheet" href="http' not in html


def test_failed_build_leaves_last_report_untouched(built, tmp_path):
    dirs, args = built
    out = dirs["reports"] / ORG / str(YEAR)
    before = digest(out)
    raw = dirs["raw"] / ORG / str(YEAR)
    saved = {p.name: p.read_bytes() for p in raw.iterdir()}
    try:
        for p in raw.glob("workforce.*"):
            p.unlink()
        (raw / "workforce.csv").write_text("staff_id,sex\n1,Male\n")  # required columns missing
        code = main(["build", "--org", ORG, "--year", str(YEAR), *args])
        assert code != 0
        assert digest(out) == before
        assert not list(out.parent.glob(".*"))  # no partial folders beside it
    finally:
        for p in raw.iterdir():
            p.unlink()
        for name, data in saved.items():
            (raw / name).write_bytes(data)


def test_wres_3_uses_the_two_year_window_in_a_real_build(built):
    # methodology §3.2: the mean of the two years' entries to formal disciplinary over the
    # mean of the two years' headcounts (bank staff excluded), BME relative to White;
    # worked here from the clean stage's tables, independently of the measure stage
    dirs, _ = built
    entries, heads = {}, {}
    for year in (YEAR - 1, YEAR):
        folder = dirs["processed"] / ORG / str(year)
        case = pd.read_parquet(folder / "casework.parquet")
        staff = pd.read_parquet(folder / "workforce.parquet")
        staff = staff[staff["contract_type"].astype(str) != "Bank"]
        disciplinary = case[case["process"].astype(str) == "disciplinary"]
        for group in ("BME", "White"):
            entries[group] = entries.get(group, 0) + (disciplinary["ethnic_wres"] == group).sum()
            heads[group] = heads.get(group, 0) + (staff["ethnic_wres"] == group).sum()
    want = (entries["BME"] / heads["BME"]) / (entries["White"] / heads["White"])
    metrics = pd.read_csv(dirs["processed"] / ORG / str(YEAR) / "metrics.csv")
    row = metrics[metrics["measure"] == "wres.3"]
    assert row["breakdown"].tolist() == ["window=2"]
    if entries["White"] == 0 or entries["BME"] == 0:
        pytest.skip("the synthetic casework has no entries in one group at this seed")
    assert row["value"].iloc[0] == pytest.approx(want)


#: Published files compared by the back-test: every figure a report publishes in text form.
BACKTEST_FILES = (
    "tables.csv",
    "gpg_submission.csv",
    "epg_submission.csv",
    "dpg_submission.csv",
    "equality_action_plan_submission.csv",
)
GOLDEN = Path(__file__).parents[1] / "golden" / "backtest"


@pytest.mark.parametrize("year", [YEAR - 1, YEAR])
@pytest.mark.parametrize("name", BACKTEST_FILES)
def test_back_test_published_files_are_unchanged(built, year, name):
    """The back-test: on the same synthetic inputs (DEMO3, 400 staff, seed 11) and default
    settings, every published file is byte-for-byte what the committed golden copy holds.

    A restructuring must leave these unchanged. When a change of figures is intended, refresh
    the copies with ``EDI_UPDATE_GOLDEN=1 pytest tests/pipeline/test_end_to_end.py -k back_test`` and
    say in the commit message which figures changed and why.
    """
    dirs, _ = built
    produced = dirs["reports"] / ORG / str(year) / name
    golden = GOLDEN / str(year) / name
    if os.environ.get("EDI_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(produced, golden)
    assert produced.read_bytes() == golden.read_bytes(), (
        f"{year}/{name} differs from tests/golden/backtest: "
        + _first_difference(golden.read_text(), produced.read_text())
    )


def _first_difference(expected: str, got: str) -> str:
    """The first differing line of two texts, for a readable failure."""
    a, b = expected.splitlines(), got.splitlines()
    for i, (x, y) in enumerate(zip(a, b, strict=False), start=1):
        if x != y:
            return f"line {i}: expected {x!r}, got {y!r}"
    return f"{len(a)} lines expected, {len(b)} produced"


def test_the_report_stage_begins_the_pdf_before_writing_the_published_files(
    built, tmp_path, monkeypatch
):
    """The report notebook's last cell writes the published files and shows nothing: the
    PDF is made from the outputs before it while the cell runs, once, and is the PDF a
    build without that head start publishes (the same text)."""
    from edi_reports.config import Paths
    from edi_reports.pipeline import build as pipeline
    from edi_reports.rendering import offline as render

    dirs, _ = built
    nb = json.loads((Path(pipeline.PROJ_ROOT) / "notebooks" / "04_report.ipynb").read_text())
    last = nb["cells"][-1]
    assert last["metadata"]["tags"] == [pipeline.PUBLISHED_FILES_TAG]
    assert "".join(last["source"]) == "report.write_published_files()"
    copies = {k: tmp_path / k for k in ("raw", "processed", "content", "reports")}
    for kind in ("raw", "processed", "content"):  # the organisations list beside the folders
        shutil.copytree(dirs[kind], copies[kind])
    paths = Paths(**copies)
    begun, compiled = [], []
    made, begin = render._pdf_bytes, render.begin_pdf
    monkeypatch.setattr(render, "begin_pdf", lambda *a, **k: begun.append(1) or begin(*a, **k))
    monkeypatch.setattr(render, "_pdf_bytes", lambda *a, **k: compiled.append(1) or made(*a, **k))
    monkeypatch.setenv("EDI_KERNELS", "inprocess")
    pipeline.build(ORG, YEAR, paths=paths, stages=("04_report",), overlap=True)
    assert (begun, compiled) == ([1], [1])
    published = copies["reports"] / ORG / str(YEAR)
    assert (
        digest(published)["tables.csv"] == digest(dirs["reports"] / ORG / str(YEAR))["tables.csv"]
    )
    if shutil.which("pdftotext"):
        text = [
            subprocess.run(
                ["pdftotext", str(f / "report.pdf"), "-"], capture_output=True, text=True
            ).stdout
            for f in (published, dirs["reports"] / ORG / str(YEAR))
        ]
        assert text[0] == text[1] and "workforce equality report" in text[0]
