"""A 40-person organisation written by hand, built through the CLI, and every published file
scanned for personal data and small counts (methodology §6; data contract §3).

The organisation is made to the data contract (§2) with a seeded generator and deliberately
holds small groups: 3 Black staff, 2 Disabled, 1 LGB+, 2 people in Band 8a, 1 unrecognised
ethnic code, 3 casework cases, a board of 8. The true count of every group and breakdown
cell is worked out here from the hand-made rows (profile, WRES indicator 1, WDES metric 1)
and checked against the pipeline's internal ``metrics.csv``; the other cells (pay quarters,
bonus receipt, comparisons, survey, board) take their true counts from ``metrics.csv``.

Checked in every published file under ``reports/`` (index.html with its embedded Vega-Lite
specs, report.pdf as text, tables.csv, tables.xlsx, gpg_submission.csv, summary.json, the
site index):

a. no staff, application, case or member id, and no free-text input column (directorate,
   course) appears;
b. no published count (``n``, a share's count ``value * n / 100``, the profile tables'
   headcounts) reveals a true count of 1 to 7, every published count is the true count
   rounded to the nearest 5 (or the exact organisation headcount), every share is the
   rounded count over the rounded total, and no hidden small count can be pinned down from
   one line's equation ``sum(cells) = total`` (rows, and columns across bands and staff
   groups);
c. chart data holds only values present in the published tables;
d. nothing internal (notebooks, Parquet, quarantine, metrics, manifest, logs) is published.

The statutory gender pay gap figures (``gpg.*`` overall and by quarter) are exempt by law
(methodology §1.11) and left out of (b).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from edi_reports.cli import main
from edi_reports.disclosure.control import row_kind
from edi_reports.report.sections.workforce_profile import CHARACTERISTIC_TITLES

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("privacy_scan")]

ORG, YEAR = "XPV", 2025
SMALL = 7
BASE = 5
STAR = "*"
FREE_TEXT = ("Quokka Directorate", "Numbat Division", "Kestrel leadership", "Osprey coaching")

# (pay band, staff group, people): Band 8a has 2 people
POSTS: list[tuple[str, str, int]] = [
    ("Band 2", "Additional Clinical Services", 4),
    ("Band 2", "Estates and Ancillary", 2),
    ("Band 3", "Administrative and Clerical", 5),
    ("Band 3", "Additional Clinical Services", 3),
    ("Band 5", "Nursing and Midwifery Registered", 10),
    ("Band 6", "Nursing and Midwifery Registered", 5),
    ("Band 6", "Allied Health Professionals", 3),
    ("Band 7", "Nursing and Midwifery Registered", 3),
    ("Band 7", "Administrative and Clerical", 3),
    ("Band 8a", "Administrative and Clerical", 2),
]
MONTHLY = {"Band 2": 1950, "Band 3": 2100, "Band 5": 2500, "Band 6": 3100, "Band 7": 3650}
NON_CLINICAL = {"Administrative and Clerical", "Estates and Ancillary"}
# ethnic code -> (profile group, WRES group); "X" is not a code: kept as unknown
ETHNIC = {
    "A": ("White British", "White"),
    "C": ("White other", "White"),
    "D": ("Mixed", "BME"),
    "H": ("Asian", "BME"),
    "M": ("Black", "BME"),
    "N": ("Black", "BME"),
    "Z": ("Unknown", "Unknown"),
    "X": ("Unknown", "Unknown"),
}
CLUSTER = {"Band 2": "C1", "Band 3": "C1", "Band 5": "C2", "Band 6": "C2", "Band 7": "C2"}


# --------------------------------------------------------------------------- the organisation


def spread(rng: np.random.Generator, counts: dict[str, int]) -> list[str]:
    """Exactly ``counts[v]`` copies of each value, in a random order."""
    return [str(v) for v in rng.permutation([v for v, k in counts.items() for _ in range(k)])]


def make_ids(rng: np.random.Generator, prefix: str, n: int, digits: int) -> list[str]:
    """Distinct ids such as ``ST4821937`` (distinctive enough to search for)."""
    nums = rng.choice(np.arange(10 ** (digits - 1), 10**digits), size=n, replace=False)
    return [f"{prefix}{x}" for x in nums]


def workforce(rng: np.random.Generator) -> pd.DataFrame:
    """data contract §2.1, with the contract's own column names."""
    posts = [(band, group) for band, group, k in POSTS for _ in range(k)]
    n = len(posts)
    hours = rng.choice([37.5, 37.5, 37.5, 22.5, 30.0], size=n)
    maternity = spread(rng, {"Y": 2, "N": n - 2})
    pay = [
        round(MONTHLY.get(band, 4250) * h / 37.5 + float(rng.uniform(0, 180)), 2)
        for (band, _), h in zip(posts, hours, strict=True)
    ]
    return pd.DataFrame(
        {
            "staff_id": make_ids(rng, "ST", n, 7),
            "ethnic_category": spread(
                rng, {"A": 22, "C": 6, "H": 5, "N": 2, "M": 1, "D": 1, "Z": 2, "X": 1}
            ),
            "sex": spread(rng, {"Female": 27, "Male": 13}),
            "age": rng.integers(19, 66, size=n),
            "disability": spread(rng, {"Yes": 2, "No": 33, "Prefer Not To Answer": 3, "": 2}),
            "sexual_orientation": spread(
                rng,
                {
                    "Heterosexual or Straight": 33,
                    "Bisexual": 1,
                    "Not stated (person asked but declined to provide a response)": 4,
                    "Unspecified": 2,
                },
            ),
            "religion_belief": spread(
                rng,
                {
                    "Christianity": 18,
                    "Atheism": 12,
                    "Islam": 4,
                    "I do not wish to disclose my religion/belief": 6,
                },
            ),
            "marital_status": spread(rng, {"Married": 20, "Single": 15, "Divorced": 5}),
            "gender_reassignment": spread(rng, {"No": 36, "": 4}),
            "on_maternity_leave": maternity,
            "staff_group": [g for _, g in posts],
            "pay_band": [b for b, _ in posts],
            "directorate": rng.choice(FREE_TEXT[:2], size=n),
            "contract_type": spread(rng, {"Permanent": 36, "Fixed Term Temp": 4}),
            "contracted_hours": hours,
            "pay_frequency": "monthly",
            "ordinary_pay": pay,
            "bonus_pay_in_period": 0,
            "bonus_pay_12m": spread(rng, {"0": n - 4, "350": 1, "500": 1, "725.5": 1, "1200": 1}),
            "full_pay": ["N" if m == "Y" else "Y" for m in maternity],
        }
    )


def recruitment(rng: np.random.Generator) -> pd.DataFrame:
    """data contract §2.2: 30 applications, 14 shortlisted, 5 appointed."""
    shortlisted = spread(rng, {"Y": 14, "N": 16})
    first_five = set(np.flatnonzero(np.array(shortlisted) == "Y")[:5])
    return pd.DataFrame(
        {
            "application_id": make_ids(rng, "AP", 30, 7),
            "ethnic_category": spread(rng, {"A": 16, "H": 6, "N": 4, "C": 2, "Z": 2}),
            "disability": spread(rng, {"Yes": 3, "No": 25, "Not Declared": 2}),
            "sex": spread(rng, {"Female": 20, "Male": 10}),
            "shortlisted": shortlisted,
            "appointed": ["Y" if i in first_five else "N" for i in range(30)],
            "post_band": rng.choice(["Band 3", "Band 5", "Band 6"], size=30),
        }
    )


def casework(rng: np.random.Generator, staff: pd.DataFrame) -> pd.DataFrame:
    """data contract §2.3: three people entering a formal process."""
    who = staff.iloc[rng.choice(len(staff), size=3, replace=False)]
    return pd.DataFrame(
        {
            "case_id": make_ids(rng, "CW", 3, 6),
            "staff_id": who["staff_id"].to_numpy(),
            "process": ["disciplinary", "disciplinary", "capability"],
            "start_date": ["2024-05-14", "2024-11-02", "2025-02-20"],
            "ethnic_category": who["ethnic_category"].to_numpy(),
            "disability": who["disability"].replace("", "Not Declared").to_numpy(),
            "sex": who["sex"].to_numpy(),
        }
    )


def training(rng: np.random.Generator, staff: pd.DataFrame) -> pd.DataFrame:
    """data contract §2.4: 24 courses, 4 mandatory, one person not in the workforce."""
    people = list(rng.choice(staff["staff_id"].to_numpy(), size=24))
    people[-1] = make_ids(rng, "ST", 1, 7)[0]
    days = rng.integers(0, 364, size=24)
    start = pd.Timestamp(YEAR - 1, 4, 1) + pd.to_timedelta(days, unit="D")
    return pd.DataFrame(
        {
            "staff_id": people,
            "course": rng.choice(FREE_TEXT[2:], size=24),
            "start_date": start.strftime("%d/%m/%Y"),
            "mandatory": spread(rng, {"N": 20, "Y": 4}),
        }
    )


def staff_survey() -> pd.DataFrame:
    """data contract §2.5: BME and Disabled groups below 11 responses."""
    rows = []
    for q, pct in (("wres.5", 21.0), ("wres.6", 18.5), ("wres.7", 55.0), ("wres.8", 6.0)):
        rows += [(q, "", "White", pct, 23), (q, "", "BME", pct + 9, 6)]
    for item in ("public", "managers", "colleagues"):
        rows += [("wdes.4a", item, "Disabled", 30.0, 4), ("wdes.4a", item, "Non-disabled", 14, 25)]
    for q in ("wdes.4b", "wdes.5", "wdes.6", "wdes.7"):
        rows += [(q, "", "Disabled", 40.0, 4), (q, "", "Non-disabled", 47.5, 25)]
    rows += [("wdes.8", "", "Disabled", 75.0, 4), ("wdes.9a", "", "Disabled", 6.4, 4)]
    rows += [("wdes.9a", "", "Non-disabled", 7.1, 25), ("wdes.9a", "", "All", 7.0, 29)]
    return pd.DataFrame(rows, columns=["question", "item", "group", "percent", "responses"])


def board(rng: np.random.Generator) -> pd.DataFrame:
    """data contract §2.6: eight members, one BME, one Disabled."""
    return pd.DataFrame(
        {
            "member_id": make_ids(rng, "BD", 8, 6),
            "voting": ["Y"] * 7 + ["N"],
            "executive": ["Y"] * 4 + ["N"] * 4,
            "ethnic_category": ["A", "A", "H", "A", "A", "Z", "A", "A"],
            "disability": ["No", "No", "No", "Yes", "No", "No", "No", "No"],
            "sex": ["Female", "Male", "Female", "Female", "Male", "Female", "Male", "Female"],
        }
    )


def write_org(raw: Path, seed: int = 2025) -> dict[str, pd.DataFrame]:
    """Write the organisation's input files under ``raw`` and return them."""
    rng = np.random.default_rng(seed)
    folder = raw / ORG / str(YEAR)
    folder.mkdir(parents=True, exist_ok=True)
    staff = workforce(rng)
    files = {
        "workforce": staff,
        "recruitment": recruitment(rng),
        "casework": casework(rng, staff),
        "training": training(rng, staff),
        "staff_survey": staff_survey(),
        "board": board(rng),
    }
    for stem, frame in files.items():
        frame.to_csv(folder / f"{stem}.csv", index=False)
    pd.DataFrame(
        [(ORG, "Quokka Community Health NHS Trust", "Community trust", "South West")],
        columns=["org_code", "name", "type", "region"],
    ).to_csv(raw / "organisations.csv", index=False)
    return files


# The organisation's own section (edi_reports.report.custom_sections): breakdowns the standard
# report does not publish, through the analysis API; scanned like every other figure.
OWN_SECTION = """---
title: Our own analysis
after: workforce_profile
---
```python
from edi_reports import analysis

a = analysis.load(org, year, raw_dir, processed_dir, content_dir, out_dir, settings_path, section)
gaps = a.pay_gap("sex", by="staff_group")
median = gaps[gaps["measure"] == "gpg.median_hourly_gap"]
a.publish(median, caption="Median gender pay gap by staff group", chart=True)
a.publish(a.representation("sex", by="clinical"), caption="Men and women, clinical or not")
a.publish(a.likelihood("wres.4", by="pay_band"), caption="Training by pay band")
```
"""


# --------------------------------------------------------------------------- true counts


def round5(count: float) -> int:
    """Nearest multiple of 5, halves up (methodology §6.2)."""
    return int((2 * int(count) + BASE) // (2 * BASE) * BASE)


def true_cells(staff: pd.DataFrame) -> pd.DataFrame:
    """Count and total of every profile, WRES 1 and WDES 1 cell, from the hand-made rows.

    Returns columns ``measure, breakdown, group, count, total`` (zero cells included).
    """
    blank = "Not declared"
    frame = pd.DataFrame(
        {
            "profile.ethnicity": staff["ethnic_category"].map(lambda c: ETHNIC[c][0]),
            "profile.sex": staff["sex"],
            # blanks join ESR's own "Not Declared" group (profile.characteristic_values)
            "profile.disability": staff["disability"].replace("", "Not Declared"),
            "profile.sexual_orientation": staff["sexual_orientation"],
            "profile.religion_belief": staff["religion_belief"],
            "profile.marital_status": staff["marital_status"],
            "profile.gender_reassignment": staff["gender_reassignment"].replace("", blank),
            "profile.pregnancy_maternity": staff["on_maternity_leave"].map(
                {"Y": "On maternity leave", "N": "Not on maternity leave"}
            ),
            "wres.1": staff["ethnic_category"].map(lambda c: ETHNIC[c][1]),
            "wdes.1": staff["disability"].map({"Yes": "Disabled", "No": "Non-disabled"}),
        }
    )
    frame["wdes.1"] = frame["wdes.1"].fillna("Unknown")
    clinical = np.where(staff["staff_group"].isin(NON_CLINICAL), "N", "Y")
    splits = {
        "overall": pd.Series("overall", index=staff.index),
        "pay_band": "pay_band=" + staff["pay_band"],
        "staff_group": "staff_group=" + staff["staff_group"],
        "wres": "pay_band=" + staff["pay_band"] + ";clinical=" + clinical,
        "wdes": "cluster=" + staff["pay_band"].map(CLUSTER).fillna("C3") + ";clinical=" + clinical,
    }
    parts = []
    for measure in frame.columns:
        keys = {"wres.1": ["overall", "wres"], "wdes.1": ["overall", "wdes"]}.get(
            measure, ["overall", "pay_band", "staff_group"]
        )
        for key in keys:
            counts = pd.crosstab(splits[key], frame[measure]).stack().rename("count")
            counts = counts.reset_index()
            counts.columns = ["breakdown", "group", "count"]
            counts["total"] = counts.groupby("breakdown")["count"].transform("sum")
            parts.append(counts.assign(measure=measure))
    return pd.concat(parts, ignore_index=True)


# --------------------------------------------------------------------------- published files


def pdf_text(path: Path) -> str:
    """The PDF's text via poppler's pdftotext (empty when it is not installed)."""
    if shutil.which("pdftotext") is None:
        return ""
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    return done.stdout


def xlsx_text(path: Path) -> str:
    """Every cell of every sheet, tab-separated."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return "\n".join(
            "\t".join("" if v is None else str(v) for v in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    finally:
        book.close()


def published_text(path: Path) -> str:
    """A published file as searchable text."""
    if path.suffix == ".pdf":
        return pdf_text(path)
    if path.suffix == ".xlsx":
        return xlsx_text(path)
    return path.read_text(encoding="utf-8", errors="replace")


def chart_specs(html: str) -> list[dict]:
    """Every Vega-Lite spec embedded in a report page."""
    soup = BeautifulSoup(html, "html.parser")
    return [json.loads(s.string) for s in soup.find_all("script", class_="edi-chart-spec")]


def spec_records(spec: dict) -> list[dict]:
    """Every inline data record of a spec (``datasets`` and ``data.values``, any depth)."""
    found: list[dict] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "datasets" and isinstance(value, dict):
                    for rows in value.values():
                        found.extend(rows)
                elif key == "values" and isinstance(value, list):
                    found.extend(v for v in value if isinstance(v, dict))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    return found


def html_tables(html: str) -> dict[str, pd.DataFrame]:
    """The page's tables by caption, as text."""
    soup = BeautifulSoup(html, "html.parser")
    out = {}
    for tag in soup.find_all("table"):
        cap = tag.find("caption")
        rows = [
            [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in tag("tr")
        ]
        if cap is not None and len(rows) > 1:
            out[cap.get_text(" ", strip=True)] = pd.DataFrame(rows[1:], columns=rows[0])
    return out


def percent_text(count: int, total: int) -> str:
    """``100 * count / total`` to 1 dp, halves up (methodology §0.2)."""
    value = Decimal(100 * count) / Decimal(total)
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("privacy")
    dirs = {name: root / name for name in ("raw", "processed", "reports", "content")}
    files = write_org(dirs["raw"])
    section = dirs["content"] / ORG / "sections" / "own_analysis.md"
    section.parent.mkdir(parents=True)
    section.write_text(OWN_SECTION, encoding="utf-8")
    args = [f"--{k}-dir={v}" for k, v in dirs.items()] + ["--quiet"]
    assert main(["build", "--org", ORG, "--year", str(YEAR), *args]) == 0
    assert main(["site", *args]) == 0
    out = dirs["reports"] / ORG / str(YEAR)
    tables = pd.read_csv(out / "tables.csv", dtype=str, keep_default_na=False)
    processed = dirs["processed"] / ORG / str(YEAR)
    own = sorted(processed.glob("sections/*.metrics.csv"))  # what its own section published
    assert own, "the organisation's section published figures"
    metrics = pd.concat(
        [pd.read_csv(p) for p in [processed / "metrics.csv", *own]], ignore_index=True
    )
    metrics[["breakdown", "group", "reference_group"]] = (
        metrics[["breakdown", "group", "reference_group"]].fillna("").astype(str)
    )
    html = (out / "index.html").read_text(encoding="utf-8")
    return {"dirs": dirs, "files": files, "tables": tables, "metrics": metrics, "html": html}


@pytest.fixture(scope="module")
def truth(built) -> pd.DataFrame:
    return true_cells(built["files"]["workforce"])


KEYS = ["measure", "breakdown", "group", "reference_group"]


@pytest.fixture(scope="module")
def joined(built) -> pd.DataFrame:
    """Published rows (statutory ones left out) beside their true counts from metrics.csv."""
    tables = built["tables"]
    kinds = [row_kind(m, b) for m, b in zip(tables["measure"], tables["breakdown"], strict=True)]
    tables = tables.assign(kind=kinds)
    tables = tables[tables["kind"] != "statutory"]
    truth = built["metrics"][[*KEYS, "numerator", "denominator", "n"]]
    out = tables.merge(truth, on=KEYS, how="left", suffixes=("", "_true"), validate="1:1")
    assert out["n_true"].notna().all(), "every published row has a metrics row"
    return out


# --------------------------------------------------------------------------- (a) and (d)


def test_reports_folder_holds_only_publishable_files(built):
    reports = built["dirs"]["reports"]
    names = sorted(str(p.relative_to(reports)) for p in reports.rglob("*") if p.is_file())
    assert f"{ORG}/{YEAR}/index.html" in names and "index.html" in names
    internal = ("metrics", "quarantine", "manifest", "reconciliation", "validation", "kernel")
    for name in names:
        assert Path(name).suffix in {".html", ".pdf", ".csv", ".xlsx", ".json"}, name
        assert not any(word in name for word in internal), name
    assert not [p for p in reports.rglob(".*")], "no staging or hidden folders"


def test_no_identifier_or_free_text_in_any_published_file(built):
    files = built["files"]
    ids = set(files["workforce"]["staff_id"]) | set(files["training"]["staff_id"])
    ids |= set(files["recruitment"]["application_id"]) | set(files["casework"]["case_id"])
    ids |= set(files["board"]["member_id"])
    reports = built["dirs"]["reports"]
    paths = sorted(p for p in reports.rglob("*") if p.is_file())
    assert {p.suffix for p in paths} >= {".html", ".pdf", ".csv", ".xlsx", ".json"}
    for path in paths:
        text = published_text(path)
        assert text.strip(), f"{path.name} is empty or unreadable"
        leaked = sorted(i for i in ids | set(FREE_TEXT) if i in text)
        assert leaked == [], f"{path.relative_to(reports)} holds {leaked}"


def test_xlsx_matches_csv(built):
    out = built["dirs"]["reports"] / ORG / str(YEAR)
    sheet = pd.read_excel(out / "tables.xlsx", sheet_name="tables", dtype=str).fillna("")
    assert sheet.equals(built["tables"])


# --------------------------------------------------------------------------- (b)


def test_hand_made_counts_are_the_metrics_counts(built, truth):
    """The pipeline's internal counts are the true counts of the hand-made rows."""
    metrics = built["metrics"]
    merged = truth.merge(metrics, on=["measure", "breakdown", "group"], how="left")
    shown = merged[merged["total"] > 0]
    assert shown["numerator"].notna().all(), shown[shown["numerator"].isna()].head()
    assert (shown["numerator"] == shown["count"]).all()
    assert (shown["denominator"] == shown["total"]).all()
    # the small groups the organisation was made with are really there
    small = truth.set_index(["measure", "breakdown", "group"])["count"]
    assert small["profile.ethnicity", "overall", "Black"] == 3
    assert small["profile.disability", "overall", "Yes"] == 2
    assert small["profile.sexual_orientation", "overall", "Bisexual"] == 1
    assert truth.query("breakdown == 'pay_band=Band 8a'")["total"].iloc[0] == 2


def test_no_published_count_reveals_a_small_true_count(joined):
    # board sizes (WRES 9 / WDES 10) are public office and published in full by design
    rows = joined[(joined["n"] != "") & ~joined["measure"].isin(["wres.9", "wdes.10"])]
    true_n = rows["n_true"].astype(int)
    small = (true_n >= 1) & (true_n <= SMALL)
    assert (rows.loc[small, "n"] == STAR).all(), rows.loc[small & (rows["n"] != STAR), KEYS]
    shown = rows[rows["n"] != STAR]
    expected = shown["n_true"].astype(int).map(round5)
    exact = (shown["breakdown"] == "overall") & (shown["n_true"] == 40)
    ok = (shown["n"].astype(int) == expected) | (exact & (shown["n"] == "40"))
    assert ok.all(), shown.loc[~ok, [*KEYS, "n", "n_true"]]


def test_every_share_is_a_rounded_count_over_a_rounded_total(joined):
    lines = joined[joined["kind"].isin(["share", "binary"]) & (joined["unit"] == "pct")]
    shown = lines[~lines["value"].isin([STAR, ""])]
    assert len(shown) > 20
    for row in shown.itertuples():
        count, total = int(row.numerator), int(row.denominator)
        assert not 1 <= count <= SMALL, row
        assert not 1 <= total <= SMALL, row
        rc = 0 if count == 0 else round5(count)
        rt = total if row.breakdown == "overall" and total == 40 else round5(total)
        assert row.n == str(rt), row
        assert row.value == percent_text(rc, rt), row


def test_small_comparisons_and_survey_figures_are_hidden(joined):
    comp = joined[joined["kind"] == "comparison"]
    smallest = comp[["numerator", "denominator"]].min(axis=1)
    threshold = np.where(comp["measure"].str.contains("epg."), 50, 10)
    hidden = comp["value"].isin([STAR, ""])
    assert (hidden | (smallest >= threshold)).all(), comp.loc[~hidden & (smallest < threshold)]
    survey = joined[joined["kind"] == "survey"]
    few = survey["n_true"] < 11
    assert (survey.loc[few, "value"] == STAR).all()
    assert few.any() and (survey.loc[~few, "value"] != STAR).all()


def _line_intervals(cells: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """What an attacker knows of each cell from the published table: a published count
    ``r`` > 0 is in ``[max(r - 2, 8), r + 2]``, 0 is 0, and even the class of a hidden cell
    (0; 1-7; 8 or more) is assumed known."""
    true = cells["true"].to_numpy(float)
    pub = cells["published"].to_numpy(float)
    hidden = np.isnan(pub)
    lo = np.where(pub == 0, 0, np.maximum(pub - 2, SMALL + 1))
    hi = np.where(pub == 0, 0, pub + 2)
    lo = np.where(cells["exact"], pub, lo)
    hi = np.where(cells["exact"], pub, hi)
    c_lo = np.where(true == 0, 0, np.where(true <= SMALL, 1, SMALL + 1))
    c_hi = np.where(true == 0, 0, np.where(true <= SMALL, SMALL, np.inf))
    return np.where(hidden, c_lo, lo), np.where(hidden, c_hi, hi)


def _pinned(members: pd.DataFrame, total: pd.Series) -> list[str]:
    """Hidden small members whose range from ``sum(members) = total`` is a single value."""
    if np.isnan(total["published"]):
        return []
    lo, hi = _line_intervals(members)
    t_lo, t_hi = _line_intervals(total.to_frame().T)
    hidden_small = members["published"].isna().to_numpy() & (members["true"] <= SMALL).to_numpy()
    out = []
    for i in np.flatnonzero(hidden_small & (members["true"] > 0).to_numpy()):
        others_lo = lo.sum() - lo[i]
        others_hi = np.delete(hi, i).sum()
        low = max(lo[i], t_lo[0] - others_hi)
        high = min(hi[i], t_hi[0] - others_lo)
        if high - low < 1:
            out.append(str(members.index[i]))
    return out


def test_no_hidden_small_count_is_pinned_by_a_row_or_column(built, truth):
    """The differencing attack, on the real published tables (methodology §6.2)."""
    tables = built["tables"]
    tables = tables[tables["measure"].isin(truth["measure"].unique())]
    tables = tables.set_index(["measure", "breakdown", "group"], verify_integrity=True)
    cells = truth.set_index(["measure", "breakdown", "group"])
    value = pd.to_numeric(tables["value"], errors="coerce").reindex(cells.index)
    n = pd.to_numeric(tables["n"], errors="coerce").reindex(cells.index)
    published = (value * n / 100 / BASE).round() * BASE
    cells = cells.assign(published=published, n_pub=n, exact=False)
    cells = cells[cells["total"] > 0]
    pinned: list[str] = []
    for (measure, bd), line in cells.groupby(level=[0, 1]):
        members = pd.DataFrame(
            {"true": line["count"], "published": line["published"], "exact": False}
        )
        total = pd.Series(
            {
                "true": line["total"].iloc[0],
                "published": line["n_pub"].iloc[0],
                "exact": bd == "overall" and line["total"].iloc[0] == 40,
            }
        )
        pinned += [f"{measure} [{bd}] {g}" for g in _pinned(members, total)]
    # columns: a group's overall cell is the sum of its cells over the bands (or staff groups)
    for family in ("pay_band=", "staff_group="):
        for (measure, group), col in cells.groupby(level=[0, 2]):
            parts = col[col.index.get_level_values(1).str.startswith(family)]
            whole = col[col.index.get_level_values(1) == "overall"]
            if parts.empty or whole.empty:
                continue
            members = pd.DataFrame(
                {"true": parts["count"], "published": parts["published"], "exact": False}
            )
            total = pd.Series(
                {
                    "true": whole["count"].iloc[0],
                    "published": whole["published"].iloc[0],
                    "exact": False,
                }
            )
            pinned += [f"{measure} {group} over {family} {b}" for b in _pinned(members, total)]
    assert pinned == []


def test_profile_headcounts_in_the_page(built, truth):
    tables = html_tables(built["html"])
    overall = truth[truth["breakdown"] == "overall"].set_index(["measure", "group"])["count"]
    checked = 0
    for measure in [m for m in overall.index.get_level_values(0).unique() if "profile" in m]:
        title = CHARACTERISTIC_TITLES[measure.split(".", 1)[1]]
        name = title[0].lower() + title[1:]
        caption = next(c for c in tables if c.startswith(f"Workforce by {name},"))
        for row in tables[caption].itertuples(index=False):
            count = int(overall.get((measure, row.Group), 0))
            if 1 <= count <= SMALL:
                assert row.Headcount == STAR, (measure, row)
            elif row.Headcount != STAR:
                assert row.Headcount.replace(",", "") == str(0 if count == 0 else round5(count))
            checked += 1
    assert checked >= 30


def test_data_quality_counts_follow_the_count_rule(built):
    """The appendix reconciles exactly (rows in = used + set aside: record counts, set
    aside only for impossible values), while counts of values set to unknown describe
    people's characteristics: those follow the count rule, in the per-file column and in
    the table by reason, so no exact total sits beside a suppressed count about people."""
    tables = html_tables(built["html"])
    recon = next(t for c, t in tables.items() if c.startswith("Every input row"))
    for row in recon.itertuples(index=False):
        rows_in, used, aside = (int(str(v).replace(",", "")) for v in row[1:4])
        assert rows_in == used + aside, row
    for text in recon["Values set to unknown"]:
        assert text == STAR or text == "0" or int(text.replace(",", "")) % BASE == 0, text
    reasons = next(t for c, t in tables.items() if c.startswith("Rows set aside or values"))
    unknown = reasons[reasons["Action"] == "set_unknown"]
    assert len(unknown), "the hand-made file has an unrecognised ethnic code"
    for text in unknown["Rows"]:
        assert text == STAR or int(text.replace(",", "")) % BASE == 0, text


def test_suppression_is_explained_in_the_report(built):
    html = built["html"]
    assert "Counts of 1 to 7 people are shown as *" in html
    assert "*: 1 to 7 people, not shown" in built["tables"]["note"].tolist()
    pdf = pdf_text(built["dirs"]["reports"] / ORG / str(YEAR) / "report.pdf")
    if pdf:
        assert "shown as *" in " ".join(pdf.split())


# --------------------------------------------------------------------------- (c)


def test_chart_data_holds_only_published_values(built):
    specs = chart_specs(built["html"])
    if not specs:  # every share of a 40-person body is suppressed: the page says so instead
        assert "No chart: every share in this table is suppressed" in built["html"]
    published = set()
    for text in built["tables"]["value"]:
        try:
            published.add(round(float(text), 6))
        except ValueError:
            continue
    for spec in specs:
        records = spec_records(spec)
        assert records
        for record in records:
            for key, value in record.items():
                if isinstance(value, int | float) and not isinstance(value, bool):
                    assert round(float(value), 6) in published, (key, value)
                else:
                    assert isinstance(value, str) and len(value) < 40, (key, value)


def test_summary_and_submission_hold_only_published_figures(built):
    out = built["dirs"]["reports"] / ORG / str(YEAR)
    summary = json.loads((out / "summary.json").read_text())
    values = set(built["tables"]["value"])
    for item in summary.get("headline", []):
        assert item["value"] in values | {"not calculable"}, item
    # below 250 employees no GOV.UK return is due, and its unsuppressed figures would
    # bypass disclosure control (methodology §1.1): no submission file is published
    assert not (out / "gpg_submission.csv").exists()
