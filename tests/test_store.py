"""The processed folder's store and the flow through it, without notebooks: store round
trips, the measure stage's functions (compute_metrics, previous_tables, write_outputs), the
disclosure step and a report loaded from published output only (architecture §1)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from edi_reports import store
from edi_reports.config import DEFAULT_SETTINGS, Paths
from edi_reports.disclosure import publication
from edi_reports.intake.clean import load_inputs, write_processed
from edi_reports.intake.synth import synthesise
from edi_reports.measures import compute as measure
from edi_reports.measures.metrics import COLUMNS
from edi_reports.notebook import Context

ORG, YEAR = "XFL1", 2025


@pytest.fixture(scope="module")
def flow(tmp_path_factory):
    """Two years of a 120-person synthetic organisation, cleaned into the processed folder
    with the package's own functions; the earlier year is measured and published."""
    root = tmp_path_factory.mktemp("flow")
    paths = Paths(
        raw=root / "raw", processed=root / "processed", content=root / "content", reports=root
    )
    synthesise([ORG], [YEAR - 1, YEAR], 120, 5, paths.raw, paths.content)
    for year in (YEAR - 1, YEAR):
        result = load_inputs(paths.raw_for(ORG, year), year, DEFAULT_SETTINGS)
        write_processed(result, store.org_year(paths, ORG, year))
    earlier = context(paths, YEAR - 1)
    tables = store.read_tables(earlier.processed)
    measure.write_outputs(measure.compute_metrics(tables, DEFAULT_SETTINGS), earlier, tables)
    who = publication.organisation(paths, ORG)
    publication.publish_year(paths, ORG, YEAR - 1, DEFAULT_SETTINGS, who)
    return paths


@pytest.fixture(scope="module")
def measured(flow):
    """The later year measured with the previous year's tables and written out."""
    ctx = context(flow, YEAR)
    tables = store.read_tables(ctx.processed)
    previous = measure.previous_tables(ctx)
    result = measure.compute_metrics(tables, DEFAULT_SETTINGS, previous)
    measure.write_outputs(result, ctx, tables, previous)
    return ctx, tables, result


def context(paths: Paths, year: int) -> Context:
    out = paths.processed_for(ORG, year) / "publish"
    out.mkdir(parents=True, exist_ok=True)
    return Context(org=ORG, year=year, paths=paths, settings=DEFAULT_SETTINGS, out=out)


# --------------------------------------------------------------------------- store
def test_tables_round_trip(tmp_path):
    tables = {
        "workforce": pd.DataFrame({"person_id": ["a", "b"], "hours": [37.5, 20.0]}),
        "board": pd.DataFrame({"person_id": ["c"]}),
    }
    store.write_tables(tmp_path, tables)
    back = store.read_tables(tmp_path)
    assert sorted(back) == ["board", "workforce"]
    pd.testing.assert_frame_equal(back["workforce"], tables["workforce"])
    assert store.read_table(tmp_path, "workforce", columns=["hours"]).columns.tolist() == ["hours"]
    assert store.read_table(tmp_path, "casework") is None


def test_published_round_trip_keeps_every_string(tmp_path):
    """Published values are strings; "", "*", "0.0" and "NA" must come back as written."""
    published = pd.DataFrame(
        {
            "table": ["t", "t", "t"],
            "measure": ["m", "m", "m"],
            "breakdown": ["overall", "overall", "pay_band=Band 5"],
            "group": ["NA", "", "None"],
            "reference_group": ["", "", ""],
            "value": ["*", "", "0.0"],
            "unit": ["pct", "pct", "count"],
            "n": ["10", "*", ""],
            "note": ['a, "quoted"\nnote', "", "x"],
        }
    ).astype(object)
    facts = store.OrgYearFacts(org=ORG, year=YEAR, name="Trust, A", headcount=40)
    store.write_published(tmp_path, published, None, facts)
    pd.testing.assert_frame_equal(store.read_published(tmp_path), published)
    assert store.read_intervals(tmp_path) is None
    assert store.read_facts(tmp_path) == facts


def test_published_output_is_absent_until_facts_are_written(tmp_path):
    (tmp_path / store.PUBLISHED).write_text("table\n")
    assert store.read_published(tmp_path) is None and not store.has_published(tmp_path)


def test_manifest_warnings_and_quarantine_round_trip(tmp_path):
    assert store.read_manifest(tmp_path) == {} and store.read_warnings(tmp_path) == []
    store.write_manifest(tmp_path, {"org": ORG, "year": YEAR})
    assert store.read_manifest(tmp_path) == {"org": ORG, "year": YEAR}
    store.write_warnings(tmp_path, ["one", "two"])
    assert store.read_warnings(tmp_path) == ["one", "two"]
    q = pd.DataFrame({"file": ["workforce.csv"], "row": [3], "value": ["007"]})
    store.write_quarantine(tmp_path, q)
    assert store.read_quarantine(tmp_path, as_text=True)["value"].tolist() == ["007"]
    assert store.read_quarantine(tmp_path)["row"].tolist() == [3]


def test_unknown_artefact_name_is_refused(tmp_path):
    with pytest.raises(ValueError):
        store.file(tmp_path, "../elsewhere.csv")


# --------------------------------------------------------------------------- measure
def test_previous_tables_come_from_last_years_processed_output(flow):
    previous = measure.previous_tables(context(flow, YEAR))
    assert previous is not None
    expected = store.read_tables(store.org_year(flow, ORG, YEAR - 1))
    pd.testing.assert_frame_equal(previous["workforce"], expected["workforce"])


def test_previous_tables_never_clean_raw_files(flow, tmp_path):
    """A previous year with raw files but no processed output is absent (not re-cleaned)."""
    paths = Paths(raw=flow.raw, processed=tmp_path, content=flow.content, reports=tmp_path)
    assert measure.previous_tables(context(paths, YEAR)) is None


def test_compute_metrics_uses_the_previous_year(measured):
    _, tables, two = measured
    one = measure.compute_metrics(tables, DEFAULT_SETTINGS)
    assert list(one.metrics.columns) == list(COLUMNS)
    assert (one.metrics["measure"] == "gpg.mean_hourly_gap").any()
    casework = two.metrics[two.metrics["measure"] == "wres.3"]
    single = one.metrics[one.metrics["measure"] == "wres.3"]
    # two years' headcounts averaged (methodology §3.2), so the denominators differ
    assert casework["denominator"].tolist() != single["denominator"].tolist()
    assert any("previous year's casework" in w for w in one.warnings)
    assert not any("previous year's casework" in w for w in two.warnings)


def test_relative_likelihoods_are_worked_out_once_for_the_standard_errors(measured):
    """Methodology §8, §8.1: the relative likelihoods the measure stage works out (interval
    on) give the standard errors worked out from scratch, and the figures are those of the
    standards computed on their own, with the interval off and on."""
    from dataclasses import replace

    from edi_reports.measures import significance, wdes, wres

    ctx, tables, result = measured
    previous = measure.previous_tables(ctx)
    assert result.settings == DEFAULT_SETTINGS
    assert {r.measure for r in result.likelihoods} == {
        "wres.2",
        "wres.3",
        "wres.4",
        "wdes.2",
        "wdes.3",
    }
    pd.testing.assert_frame_equal(
        significance.standard_errors(
            tables, DEFAULT_SETTINGS, previous, likelihoods=result.likelihoods
        ),
        significance.standard_errors(tables, DEFAULT_SETTINGS, previous),
    )
    on = replace(DEFAULT_SETTINGS, uncertainty=replace(DEFAULT_SETTINGS.uncertainty, enabled=True))
    for settings in (DEFAULT_SETTINGS, on):
        for family in (wres.wres_metrics, wdes.wdes_metrics):
            kept: list = []
            alone = family(tables, settings, previous)
            assert family(tables, settings, previous, with_intervals=kept) == alone
            assert kept == (
                wres.wres_likelihoods if family is wres.wres_metrics else wdes.wdes_likelihoods
            )(tables, on, previous)
    assert any(r.ci_low is not None for r in result.likelihoods)


def test_write_outputs_writes_the_measure_files(measured):
    ctx, _, result = measured
    back = store.read_metrics(ctx.processed)
    assert len(back) == len(result.metrics)
    assert back["measure"].tolist() == result.metrics["measure"].tolist()
    assert store.read_warnings(ctx.processed) == result.warnings
    # 120 staff: the statutory duty does not apply, so no GOV.UK return is written
    assert not store.file(ctx.processed, store.GPG_SUBMISSION).exists()
    assert any("gpg_submission.csv not written" in w for w in result.warnings)
    for name in (store.WRES_SUBMISSION, store.WDES_SUBMISSION):
        assert store.file(ctx.processed, name).is_file()


# --------------------------------------------------------------------------- disclose
def test_disclosure_step_publishes_once_and_report_reads_it(flow, measured, monkeypatch):
    from edi_reports.disclosure import control as disclosure
    from edi_reports.report.core import Report

    ctx = measured[0]
    who = publication.Organisation(code=ORG, name="Flow Trust", type="Acute", region="London")
    facts = publication.publish_year(flow, ORG, YEAR, DEFAULT_SETTINGS, who)
    assert facts.name == "Flow Trust" and not facts.statutory  # under 250 employees
    assert facts.headcount == publication.headcount_in(ctx.processed, DEFAULT_SETTINGS) > 100
    written = json.loads((ctx.processed / store.PUBLISHED_FACTS).read_text())
    assert written["region"] == "London"

    def refuse(*args, **kwargs):
        raise AssertionError("the report stage published again")

    monkeypatch.setattr(disclosure, "publish", refuse)
    monkeypatch.setattr(store, "read_metrics", refuse)
    monkeypatch.setattr(store, "read_table", refuse)
    monkeypatch.setattr(store, "read_tables", refuse)
    report = Report.load(ctx)
    assert report.org_name == "Flow Trust" and report.region == "London"
    assert sorted(report.history) == [YEAR - 1]
    stored = store.read_published(store.org_year(flow, ORG, YEAR - 1))
    pd.testing.assert_frame_equal(report.previous, stored)


def test_earlier_year_without_published_output_is_left_out_with_a_warning(flow, measured, tmp_path):
    import shutil

    paths = Paths(raw=flow.raw, processed=tmp_path, content=flow.content, reports=tmp_path)
    for year in (YEAR - 1, YEAR):
        shutil.copytree(store.org_year(flow, ORG, year), store.org_year(paths, ORG, year))
    old = store.org_year(paths, ORG, YEAR - 1)
    (old / store.PUBLISHED_FACTS).unlink()  # as built by an older version
    assert publication.earlier_published(paths, ORG, YEAR) == {}
    assert publication.unpublished_earlier_years(paths, ORG, YEAR) == [YEAR - 1]
    text = publication.rebuild_warning(ORG, [YEAR - 1])
    assert f"edi build --org {ORG} --year {YEAR - 1}" in text


# --------------------------------------------------------------------------- settings
def test_stored_published_tables_carry_the_configured_symbol(flow, tmp_path):
    """``disclosure.symbol`` reaches the stored published tables the report reads."""
    import shutil

    from edi_reports.config import Disclosure, Settings

    settings = Settings(disclosure=Disclosure(symbol="[c]"))
    paths = Paths(raw=flow.raw, processed=tmp_path, content=flow.content, reports=tmp_path)
    shutil.copytree(store.org_year(flow, ORG, YEAR - 1), store.org_year(paths, ORG, YEAR - 1))
    who = publication.Organisation(code=ORG, name="Flow Trust")
    publication.publish_year(paths, ORG, YEAR - 1, settings, who)
    values = store.read_published(store.org_year(paths, ORG, YEAR - 1))["value"]
    assert (values == "[c]").any() and not (values == "*").any()


def test_snapshot_day_follows_the_setting_on_the_site(tmp_path):
    from edi_reports.config import GPG, Settings
    from edi_reports.rendering import site

    settings = Settings(gpg=GPG(snapshot_month_day=(4, 5)))
    assert settings.snapshot_day() == "5 April" and DEFAULT_SETTINGS.snapshot_day() == "31 March"
    folder = tmp_path / "reports" / ORG / str(YEAR)
    folder.mkdir(parents=True)
    summary = {"org": ORG, "name": "Flow Ltd", "year": YEAR, "year_label": "2024/25"}
    (folder / "summary.json").write_text(json.dumps(summary | {"headline": []}))
    site.build_site(tmp_path / "reports", settings=settings, renderer="offline")
    page = (tmp_path / "reports" / ORG / "index.html").read_text(encoding="utf-8")
    assert "staff in post on 5 April 2025" in page and "31 March" not in page
