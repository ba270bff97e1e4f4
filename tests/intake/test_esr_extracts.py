"""Real ESR extract shapes give the same figures as canonical values, and nothing is lost
silently: ESR display values, ESR band spellings, title lines above the header, unknown
columns and unrecognised values listed at the end of the build."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from edi_reports.cli import main
from edi_reports.config import DEFAULT_SETTINGS, InputValidation, Settings
from edi_reports.intake import audit as intake_audit
from edi_reports.intake.classifications import ETHNIC_CATEGORIES
from edi_reports.intake.clean import load_inputs, write_processed
from edi_reports.measures import compute as measure
from edi_reports.validation.quality import unrecognised_value_checks

YEAR = 2025
HEADER = [
    "Employee Number",
    "Ethnic Origin",
    "Gender",
    "Age",
    "Disability Flag",
    "Staff Group",
    "Grade",
    "Contracted Hours",
    "Ordinary Pay",
]
# ESR display forms of each national code (national and local codes with labels)
ESR_DISPLAY: dict[str, list[str]] = {
    # CA White English is a British identity: read as A by default (methodology §7.1)
    "A": ["A White - British", "CA White English"],
    "B": ["B White - Irish"],
    "C": ["C3 White Unspecified", "CP White Polish", "C White - Any other"],
    "D": ["D Mixed - White & Black Caribbean"],
    "E": ["E Mixed - White & Black African"],
    "F": ["F Mixed - White & Asian"],
    "G": ["GF Mixed - Other/Unspecified", "G Mixed - Any other mixed background"],
    "H": ["H Asian or Asian British - Indian"],
    "J": ["J Asian or Asian British - Pakistani"],
    "K": ["K Asian or Asian British - Bangladeshi"],
    "L": ["LH Asian British", "LK Asian Unspecified", "L Asian - any other Asian background"],
    "M": ["M Black or Black British - Caribbean"],
    "N": ["N Black or Black British - African", "n african"],
    "P": ["PD Black British", "PE Black Unspecified"],
    "R": ["R Chinese"],
    "S": ["SC Filipino", "S Any Other Ethnic Group", "SE Other Specified"],
    "Z": ["Z Not Stated"],
    "99": ["99 Not Known"],
}
ESR_BANDS: dict[str, list[str]] = {
    "Band 2": ["AfC Band 2", "Band 2"],
    "Band 3": ["Band 3"],
    "Band 5": ["AfC Band 5", "5"],
    "Band 6": ["Band 6"],
    "Band 7": ["Agenda for Change Band 7"],
    "Band 8a": ["Band 8 - Range A", "Band 8A"],
    "Band 8b": ["Band 8 - Range B"],
    "Band 8c": ["Band 8 - Range C"],
    "Band 9": ["Band 9"],
    "VSM": ["Very Senior Manager"],
    "Consultant": ["Consultant (2003)", "Consultant"],
    "Specialty Doctor": ["Speciality Doctor"],
    "Foundation Year 1": ["FY1", "Foundation Doctor Year 1"],
    "Specialty Registrar": ["ST3", "Specialty Registrar (StR)"],
    "Trust Grade": ["Clinical Fellow", "Locally Employed Doctor"],
}
BAND_PAY = {b: 2000 + 400 * i for i, b in enumerate(ESR_BANDS)}


def people(n: int = 320, seed: int = 5) -> pd.DataFrame:
    """A workforce in canonical form (national codes, canonical band names)."""
    rng = np.random.default_rng(seed)
    codes = rng.choice(list(ETHNIC_CATEGORIES), size=n)
    bands = rng.choice(list(ESR_BANDS), size=n)
    sex = rng.choice(["Male", "Female"], size=n, p=[0.3, 0.7])
    pay = np.array([BAND_PAY[b] for b in bands]) * rng.uniform(0.9, 1.3, n)
    pay = np.where(sex == "Male", pay * 1.08, pay)
    return pd.DataFrame(
        {
            "Employee Number": [f"E{i:05d}" for i in range(n)],
            "Ethnic Origin": codes,
            "Gender": sex,
            "Age": rng.integers(20, 65, n).astype(str),
            "Disability Flag": rng.choice(["Yes", "No", "Not Declared"], size=n),
            "Staff Group": rng.choice(
                ["Nursing and Midwifery Registered", "Medical and Dental"], n
            ),
            "Grade": bands,
            "Contracted Hours": rng.choice(["37.5", "30", "22.5"], size=n),
            "Ordinary Pay": [f"{p:.2f}" for p in pay],
        }
    )


def esr_spelling(values: pd.Series, forms: dict[str, list[str]]) -> pd.Series:
    """Each canonical value in one of its ESR spellings (cycling through them)."""
    seen: dict[str, int] = {}
    out = []
    for v in values:
        i = seen.get(v, 0)
        seen[v] = i + 1
        out.append(forms[v][i % len(forms[v])])
    return pd.Series(out, index=values.index)


def write(folder: Path, frame: pd.DataFrame) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_csv(folder / "workforce.csv", index=False, quoting=csv.QUOTE_MINIMAL)
    return folder


def figures(folder: Path):
    res = load_inputs(folder, YEAR)
    metrics = measure.compute_metrics(res.tables, DEFAULT_SETTINGS).metrics
    keep = ["measure", "breakdown", "group", "reference_group", "value", "n", "status"]
    return res, metrics[keep].sort_values(keep[:4]).reset_index(drop=True)


@pytest.fixture(scope="module")
def canonical(tmp_path_factory):
    folder = write(tmp_path_factory.mktemp("canonical") / "ORG" / str(YEAR), people())
    return figures(folder)


def test_esr_display_ethnic_values_give_the_same_figures(canonical, tmp_path):
    frame = people()
    frame["Ethnic Origin"] = esr_spelling(frame["Ethnic Origin"], ESR_DISPLAY)
    res, metrics = figures(write(tmp_path / "ORG" / str(YEAR), frame))
    q = res.quarantine
    assert not (q["column"] == "Ethnic Origin").any()  # no ethnic value set to unknown
    base_res, base = canonical
    pd.testing.assert_series_equal(
        res.tables["workforce"]["ethnic_code"], base_res.tables["workforce"]["ethnic_code"]
    )
    for prefix in ("wres.1", "epg."):
        mine = metrics[metrics["measure"].str.startswith(prefix)]
        theirs = base[base["measure"].str.startswith(prefix)]
        assert len(mine) > 0
        pd.testing.assert_frame_equal(mine, theirs)
    pd.testing.assert_frame_equal(metrics, base)


def test_esr_band_spellings_give_the_same_gender_pay_gap(canonical, tmp_path):
    frame = people()
    frame["Grade"] = esr_spelling(frame["Grade"], ESR_BANDS)
    assert (frame["Grade"] == "Band 8 - Range A").any()
    res, metrics = figures(write(tmp_path / "ORG" / str(YEAR), frame))
    assert not (res.quarantine["column"] == "Grade").any()
    _, base = canonical
    gpg = metrics[metrics["measure"].str.startswith("gpg.")]
    assert len(gpg) > 0 and (gpg["status"] == "ok").any()
    pd.testing.assert_frame_equal(gpg, base[base["measure"].str.startswith("gpg.")])
    pd.testing.assert_frame_equal(metrics, base)


def test_an_unrecognised_band_keeps_the_person_in_the_gender_pay_gap(canonical, tmp_path):
    frame = people()
    frame["Grade"] = frame["Grade"].where(frame["Grade"] != "Band 8a", "Band 8 - Range Q")
    res, metrics = figures(write(tmp_path / "ORG" / str(YEAR), frame))
    assert len(res.tables["workforce"]) == len(frame)  # nobody dropped
    _, base = canonical
    gpg = metrics[metrics["measure"].isin(["gpg.mean_hourly_gap", "gpg.median_hourly_gap"])]
    assert len(gpg) == 2
    pd.testing.assert_frame_equal(gpg, base[base["measure"].isin(gpg["measure"])])
    lines = intake_audit.value_lines(res.quarantine)
    count = int((people()["Grade"] == "Band 8a").sum())
    assert f"workforce.csv Grade: 'Band 8 - Range Q' x{count} not recognised, kept as unknown" in (
        lines
    )


def test_title_lines_above_the_header_and_payroll_hourly_rate(tmp_path):
    """The shape of an ESR Business Intelligence workbook: title lines, then the header; the
    payroll hourly rate is compared with ours to the penny."""
    folder = tmp_path / "ORG" / str(YEAR)
    folder.mkdir(parents=True)
    frame = people(40)
    hours = frame["Contracted Hours"].astype(float)
    ours = frame["Ordinary Pay"].astype(float) * 7 / 30.44 / hours
    given = ours.round(2)
    given.iloc[:3] = given.iloc[:3] + [0.5, 0.02, 1.25]  # three disagree by more than 1p
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Gender Pay Gap Report"])
    ws.append(["Organisation: 123 Test Trust", None, "Run date: 31/03/2025"])
    ws.append([])
    ws.append([*HEADER, "Hourly Rate", "Quartile"])
    for row, rate in zip(frame.itertuples(index=False), given, strict=True):
        ws.append([*row, float(rate), "Lower"])
    wb.save(folder / "workforce.xlsx")
    res = load_inputs(folder, YEAR)
    assert len(res.tables["workforce"]) == 40
    record = res.columns[0]
    assert record["found"]["hourly_rate"] == "Hourly Rate"
    assert [i["header"] for i in record["ignored"]] == ["Quartile"]
    check = intake_audit.hourly_rate_check(res.tables["workforce"])
    assert check == {"compared": 40, "differ": 3, "largest": [1.25, 0.5, 0.02]}
    assert "for 3 of 40 people" in intake_audit.hourly_rate_line(check)


def test_title_lines_above_a_csv_header(tmp_path):
    folder = tmp_path / "ORG" / str(YEAR)
    folder.mkdir(parents=True)
    body = people(12).to_csv(index=False)
    (folder / "workforce.csv").write_text("Staff in post\nExtracted 01/04/2025\n\n" + body)
    res = load_inputs(folder, YEAR)
    assert len(res.tables["workforce"]) == 12 and res.quarantine.empty


def test_unrecognised_share_is_a_warning_or_a_critical_stop(tmp_path):
    frame = people(100)
    frame.loc[:1, "Ethnic Origin"] = "XYZ"  # 2 of 100 non-blank values: over 1 %
    out = tmp_path / "processed"
    write_processed(load_inputs(write(tmp_path / "raw", frame), YEAR), out)
    (check,) = unrecognised_value_checks(out, DEFAULT_SETTINGS)
    assert (check.severity, check.success, check.column) == ("warning", False, "Ethnic Origin")
    assert check.unexpected_count == 2 and check.unexpected_rows == [1, 2]
    strict = Settings(validation=InputValidation(unrecognised_critical=True))
    assert unrecognised_value_checks(out, strict)[0].severity == "critical"
    lenient = Settings(validation=InputValidation(unrecognised_max_percent=5))
    assert unrecognised_value_checks(out, lenient)[0].success


def test_bad_unrecognised_settings_are_refused():
    with pytest.raises(ValueError, match="unrecognised_max_percent"):
        InputValidation(unrecognised_max_percent=150)
    with pytest.raises(ValueError, match="unrecognised_critical"):
        Settings.from_dict({"validation": {"unrecognised_critical": "yes"}})


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One `edi build --no-render` of a file with unknown columns and values."""
    root = tmp_path_factory.mktemp("built")
    dirs = {name: root / name for name in ("raw", "processed", "reports", "content")}
    frame = people(300)
    frame["CEA Payments"] = "0"
    frame["Employee Category"] = "Permanent"
    frame.loc[:13, "Ethnic Origin"] = "XYZ"
    frame.loc[20:22, "Grade"] = "Band 10"
    frame.loc[30, "Ordinary Pay"] = "-5"
    write(dirs["raw"] / "RXX" / str(YEAR), frame.drop(columns=["Disability Flag"]))
    args = [f"--{k}-dir={v}" for k, v in dirs.items()] + ["--quiet"]
    return dirs, args


def test_build_lists_ignored_columns_and_unrecognised_values(built, capsys):
    dirs, args = built
    assert main(["build", "--org", "RXX", "--year", str(YEAR), "--no-render", *args]) == 0
    out = capsys.readouterr().out
    assert "ignored column: 'CEA Payments' in workforce.csv — did you mean bonus_pay_12m?" in out
    assert "ignored column: 'Employee Category' in workforce.csv — did you mean contract_type?" in (
        out
    )
    assert "workforce.csv has no 'disability' column; this affects the disability pay gap" in out
    assert "workforce.csv Ethnic Origin: 'XYZ' x14 not recognised, kept as unknown" in out
    assert "workforce.csv Grade: 'Band 10' x3 not recognised, kept as unknown" in out
    # the pay of the rejected row is never printed
    assert "workforce.csv Ordinary Pay: (value not shown) x1 negative amount; row set aside" in out
    assert "-5" not in out
    q = pd.read_csv(dirs["processed"] / "RXX" / str(YEAR) / "quarantine.csv", dtype=str)
    assert "value" in q.columns
    audit = json.loads((dirs["processed"] / "RXX" / str(YEAR) / "intake_audit.json").read_text())
    assert audit["files"][0]["found"]["staff_id"] == "Employee Number"


def test_validate_prints_the_columns_found(built, capsys):
    dirs, args = built
    assert main(["validate", "--org", "RXX", "--year", str(YEAR), *args]) == 0
    out = capsys.readouterr().out
    assert "columns read: workforce.csv: staff_id <- 'Employee Number'" in out
    assert "ethnic_category <- 'Ethnic Origin'" in out
    assert "warning: workforce file, column 'Ethnic Origin'" in out


def test_esr_gpg_extract_is_joined_by_employee_number_on_the_primary_assignment(tmp_path):
    """An ESR Business Intelligence gender pay gap workbook (title lines, one row per
    assignment, ESR's hourly rate and quartile) beside the staff list: compared, never used."""
    folder = write(tmp_path / "ORG" / str(YEAR), people(30))
    staff = people(30)
    ours = staff["Ordinary Pay"].astype(float) * 7 / 30.44 / staff["Contracted Hours"].astype(float)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Gender Pay Gap Report - Snapshot 31/03/2025"])
    ws.append([])
    ws.append(
        [
            "Employee Number",
            "Assignment Number",
            "Primary Assignment Flag",
            "Hourly Rate",
            "Quartile",
        ]
    )
    for i, (sid, rate) in enumerate(zip(staff["Employee Number"], ours, strict=True)):
        rate = round(rate, 2) + (0.75 if i == 4 else 0.0)  # person 4 disagrees by 75p
        if i == 7:  # a second, non-primary assignment first, at a different rate
            ws.append([sid, f"{sid}-2", "N", rate + 9.0, "Upper"])
        ws.append([sid, f"{sid}-1", "Y", rate, "Lower"])
    ws.append(["E99999", "E99999-1", "Y", 20.0, "Upper"])  # not in the staff list
    wb.save(folder / "gpg_extract.xlsx")
    res = load_inputs(folder, YEAR)
    assert len(res.tables["workforce"]) == 30  # the extract never changes the staff list
    check = res.hourly_check
    assert (check["compared"], check["differ"], check["largest"]) == (30, 1, [0.75])
    assert (check["not_in_staff_list"], check["not_in_extract"]) == (1, 0)
    line = intake_audit.hourly_rate_line(check)
    assert line.startswith("ESR's hourly rate in the gender pay gap extract differs")
    assert "Not matched: 1 employee number(s) of the extract are not in the staff list" in line


def test_report_appendix_shows_organisational_values_never_equality_values(tmp_path):
    from edi_reports.report.sections.data_quality import input_audit_items
    from tests.report.test_report import make_report

    report = make_report(tmp_path)
    frame = people(60)
    frame.loc[:9, "Grade"] = "Band 10"
    frame.loc[:9, "Ethnic Origin"] = "SECRETX"
    frame["CEA Payments"] = "0"
    write_processed(load_inputs(write(tmp_path / "raw2", frame), YEAR), report.ctx.processed)
    report.quarantine = pd.read_csv(
        report.ctx.processed / "quarantine.csv", dtype=str, keep_default_na=False
    )
    html = "".join(item._repr_html_() for item in input_audit_items(report))
    assert "Band 10" in html and "Values not recognised in organisational columns" in html
    assert "SECRETX" not in html and "E00000" not in html
    assert "CEA Payments" in html and "bonus_pay_12m" in html
    # 10 rows: a count about people, rounded to the nearest 5 under the disclosure rule
    assert ">10<" in html
