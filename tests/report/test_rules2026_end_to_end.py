"""A 1,200-person organisation's report under the 2026 rules, built end to end.

Spec: docs/methodology-2026.md. The report shows the statutory ethnicity and disability
tables (binary and five groups), the composition and non-disclosure figures, the equality
action plan, WRES 9 / WDES 10 in full, year-on-year statuses with intervals and the
decomposition; ``tables.csv`` carries each figure, and the submission files sit beside
``gpg_submission.csv``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from edi_reports.cli import main
from edi_reports.disclosure import publication
from edi_reports.intake import clean as intake
from edi_reports.intake.synth import synthesise
from edi_reports.measures import compute as measure
from edi_reports.measures.statutory import SUBMISSION_COLUMNS
from edi_reports.notebook import context
from edi_reports.submissions import action_plan

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e_rules2026")]

ORG, YEAR = "XR6", 2025


def measure_last_year(dirs: dict) -> None:
    """Last year's figures only, in this process: the clean, measure and disclose stages' own code
    (tools/make_notebooks.py), without the notebooks' kernels and the validation suites.
    This year's build reads last year's ``metrics.csv``, ``standard_errors.csv`` and
    cleaned tables from the processed folder."""
    ctx = context(ORG, YEAR - 1, *(str(dirs[k]) for k in ("raw", "processed", "content")))
    cleaned = intake.load_inputs(ctx.raw, ctx.year, ctx.settings)
    intake.write_processed(cleaned, ctx.processed)
    tables = measure.read_tables(ctx.processed)
    previous = measure.previous_tables(ctx)
    result = measure.compute_metrics(tables, ctx.settings, previous)
    measure.write_outputs(result, ctx, tables, previous)
    who = publication.organisation(ctx.paths, ORG)  # the disclosure step after the measures
    publication.publish_year(ctx.paths, ORG, ctx.year, ctx.settings, who)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("rules2026")
    dirs = {name: root / name for name in ("raw", "processed", "reports", "content")}
    synthesise([ORG], [YEAR - 1, YEAR], 1200, 5, dirs["raw"], dirs["content"])
    measure_last_year(dirs)
    args = [f"--{k}-dir={v}" for k, v in dirs.items()] + ["--quiet"]
    assert main(["build", "--org", ORG, "--year", str(YEAR), *args]) == 0  # the one build
    out = dirs["reports"] / ORG / str(YEAR)
    tables = pd.read_csv(out / "tables.csv", dtype=str, keep_default_na=False)
    html = (out / "index.html").read_text(encoding="utf-8")
    return out, tables, html, dirs, args


def test_statutory_tables_and_composition(built):
    out, tables, html, *_ = built
    measures = set(tables["measure"])
    for prefix in ("sepg", "sdpg"):
        for name in (
            "mean_hourly_gap",
            "median_hourly_gap",
            "mean_bonus_gap",
            "median_bonus_gap",
            "bonus_receipt",
            "quartile_share",
            "composition",
        ):
            assert f"{prefix}.{name}" in measures
    five = tables[tables["breakdown"] == "grouping=five_groups"]
    assert "Asian or Asian British" in set(five["group"])
    nd = tables[(tables["measure"] == "sepg.composition") & (tables["group"] == "Not disclosed")]
    assert len(nd) == 1 and nd["value"].iloc[0] not in ("", "*")
    assert "Statutory ethnicity and disability pay gaps" in html
    assert "five groups comparison" in html and "additional analysis, beyond the statutory" in html
    for name in ("epg_submission.csv", "dpg_submission.csv"):
        sub = pd.read_csv(out / name, dtype=str, keep_default_na=False)
        assert list(sub.columns) == SUBMISSION_COLUMNS and len(sub) >= 2


def test_board_figures_published(built):
    _, tables, html, *_ = built
    board = tables[tables["measure"].isin(["wres.9", "wdes.10"])]
    shown = board[board["value"].str.match(r"^-?\d")]
    assert len(shown) >= 2
    assert "office-holders" in html


def test_year_on_year_statuses_with_intervals(built):
    _, tables, html, *_ = built
    changes = tables[tables["table"] == "year_on_year_change"]
    assert {"change.gpg.median_hourly_gap", "change.wres.2"} <= set(changes["measure"])
    assert changes["note"].str.contains("95 % interval").any()
    # WRES 3 (two-year casework window) is tested too, no longer "not tested"
    wres3 = changes.loc[changes["measure"] == "change.wres.3", "note"]
    assert len(wres3) == 1 and "95 % interval" in wres3.iloc[0]
    assert "Change on last year" in html and "95 % interval" in html


def test_decomposition_and_action_plan(built):
    out, tables, html, *_ = built
    for key in ("gender", "ethnicity", "disability"):
        rows = tables[tables["measure"] == f"decomposition.{key}.composition"]
        assert rows["breakdown"].str.startswith("pay_band=").any()
    assert "Where the pay gaps come from" in html and "percentage points come from" in html
    assert "Equality action plan" in html and "Figures it addresses" in html
    plan = pd.read_csv(out / "equality_action_plan_submission.csv", dtype=str)
    assert {"Gender pay gap", "Menopause support"} <= set(plan["Kind"])
    assert "Supporting employees experiencing menopause" in set(plan["Category"])


def test_validate_names_the_plan_file_and_line(built, capsys):
    """A mistake in the equality action plan stops `edi validate` (the validate stage),
    with the file and line, before any figure is worked out."""
    *_, dirs, args = built
    path = dirs["content"] / ORG / str(YEAR) / action_plan.FILE
    good = path.read_text(encoding="utf-8")
    lines = good.splitlines()
    lines[2] = "gpg-made-up" + lines[2][lines[2].index(",") :]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        capsys.readouterr()
        assert main(["validate", "--org", ORG, "--year", str(YEAR), *args]) != 0
        err = capsys.readouterr().err
    finally:
        path.write_text(good, encoding="utf-8")
    assert f"{action_plan.FILE}, line 3: action_id gpg-made-up is not a known action" in err
    assert "How to fix" in err and "Traceback" not in err


def test_every_chart_specification_is_valid_vega_lite(built):
    """The report's own charts are written without Altair's schema check
    (:mod:`edi_reports.report.vegalite`); the check is here instead, on every
    specification the page embeds (bars, stacked shares, trends, diverging bars)."""
    import json
    import re

    from altair.vegalite.v6.schema.core import Root
    from jsonschema import ValidationError

    html = built[2]
    found = re.findall(
        r'<script[^>]*class="edi-chart-spec"[^>]*>(.*?)</script>', html, flags=re.DOTALL
    )
    specs = [json.loads(text.replace("<\\/", "</")) for text in found]
    marks = {json.dumps(spec.get("mark", spec.get("layer", ""))) for spec in specs}
    assert len(specs) >= 5 and len(marks) >= 3  # several kinds of chart
    for spec in specs:
        Root.validate(spec)  # raises on a specification Vega-Lite would not accept
    broken = {**specs[0], "mark": {"type": "nonsense"}}
    with pytest.raises(ValidationError):
        Root.validate(broken)
