"""The catalogue of published figures: one declaration per figure the report headlines.

Each :class:`Figure` names a published figure (its metric id in ``metrics.csv`` and the
breakdown/group that picks one row), how it is labelled, its unit, which way is better,
the groups compared, the methodology section that defines it, how disclosure control treats
it (:func:`edi_reports.disclosure.control.row_kind`) and where it appears: the website headline
(``summary.json``), the summary table, the trends table and the national benchmarking.
The report (:mod:`edi_reports.report.sections`), :mod:`edi_reports.report.trends`,
:mod:`edi_reports.measures.national`, :mod:`edi_reports.measures.significance` and ``docs/catalogue.md``
(``tools/make_catalogue_doc.py``) all read this list. Adding a figure is one entry here
plus its calculator.

This module imports nothing from the package, so every stage can read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: What "better" means for each direction (methodology §0.1, §0.3; shown in the notes).
DIRECTIONS: dict[str, str] = {
    "lower": "lower is better",
    "higher": "higher is better",
    "towards_0": "closer to 0 is better",
    "towards_1": "closer to 1.00 (parity) is better",
    "none": "no direction",
}


@dataclass(frozen=True)
class Likelihood:
    """How a relative likelihood reads (methodology §3.2, §4.3: group A first)."""

    label: str
    group_a: str
    group_b: str
    people: str
    outcome: str
    none: str  # e.g. "were appointed from shortlisting", when group A had no outcome


@dataclass(frozen=True)
class Figure:
    """One published figure of the catalogue.

    Attributes
    ----------
    id
        The metric id in ``metrics.csv`` (``gpg.mean_hourly_gap``, ``wres.2``...).
    label
        How the summary table names it.
    unit
        ``"%"``, ``"pp"`` (percentage points), ``""`` (a ratio) or ``"score"``.
    better
        A key of :data:`DIRECTIONS`.
    where
        Published-table columns that pick the row (``breakdown``, ``group``,
        ``reference_group``).
    group, reference
        The group compared and the reference group (blank where none).
    methodology
        The section of ``docs/methodology.md`` that defines it (``"§1.7"``).
    disclosure
        The kind disclosure control gives its row (:func:`edi_reports.disclosure.control.row_kind`).
    headline
        Position among the website's headline figures (``summary.json``), 0 when not one.
    summary, trend, benchmark
        Shown in the summary table, the trends table, the national benchmarking.
    labels
        Other labels by use (``"headline"``, ``"trend"``, ``"benchmark"``); the summary
        label is used where none is given.
    reading
        For a relative likelihood, how it reads in a sentence.
    """

    id: str
    label: str
    unit: str
    better: str
    where: tuple[tuple[str, str], ...] = ()
    group: str = ""
    reference: str = ""
    methodology: str = ""
    disclosure: str = ""
    headline: int = 0
    summary: bool = False
    trend: bool = False
    benchmark: bool = False
    labels: tuple[tuple[str, str], ...] = ()
    reading: Likelihood | None = field(default=None, compare=False)

    @property
    def measure(self) -> str:
        """The metric id (the name :class:`edi_reports.report.trends.Indicator` uses)."""
        return self.id

    def label_for(self, use: str) -> str:
        """The label for ``use`` (``"summary"``, ``"headline"``, ``"trend"``, ``"benchmark"``)."""
        return dict(self.labels).get(use, self.label)


def _f(
    id: str,
    label: str,
    unit: str,
    better: str,
    *,
    where: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    **rest: object,
) -> Figure:
    return Figure(
        id,
        label,
        unit,
        better,
        where=tuple((where or {}).items()),
        labels=tuple((labels or {}).items()),
        **rest,  # type: ignore[arg-type]
    )


_OVERALL = {"breakdown": "overall"}
_GAP = {"methodology": "§1.7", "disclosure": "statutory", "group": "Female", "reference": "Male"}
_EPG = {"methodology": "§2.2", "disclosure": "comparison", "group": "BME", "reference": "White"}
_DPG = {
    "methodology": "§2.6",
    "disclosure": "comparison",
    "group": "Disabled",
    "reference": "Non-disabled",
}
_WRES_SURVEY = {"methodology": "§3.3", "disclosure": "survey", "group": "BME", "reference": "White"}
_WDES_SURVEY = {
    "methodology": "§4.3",
    "disclosure": "survey",
    "group": "Disabled",
    "reference": "Non-disabled",
}

#: Every figure of the catalogue, in the order the report shows them.
FIGURES: tuple[Figure, ...] = (
    _f(
        "gpg.mean_hourly_gap",
        "Mean gender pay gap",
        "%",
        "towards_0",
        where=_OVERALL,
        headline=2,
        summary=True,
        trend=True,
        benchmark=True,
        **_GAP,
    ),
    _f(
        "gpg.median_hourly_gap",
        "Median gender pay gap",
        "%",
        "towards_0",
        where=_OVERALL,
        headline=1,
        summary=True,
        trend=True,
        benchmark=True,
        **_GAP,
    ),
    _f(
        "epg.mean_hourly_gap",
        "Mean ethnicity pay gap (BME compared with White)",
        "%",
        "towards_0",
        where={**_OVERALL, "group": "BME", "reference_group": "White"},
        benchmark=True,
        **_EPG,
    ),
    _f(
        "epg.median_hourly_gap",
        "Median ethnicity pay gap (BME compared with White)",
        "%",
        "towards_0",
        where={**_OVERALL, "group": "BME", "reference_group": "White"},
        headline=3,
        summary=True,
        trend=True,
        benchmark=True,
        **_EPG,
    ),
    _f(
        "dpg.mean_hourly_gap",
        "Mean disability pay gap",
        "%",
        "towards_0",
        where={**_OVERALL, "group": "Disabled"},
        benchmark=True,
        **_DPG,
    ),
    _f(
        "dpg.median_hourly_gap",
        "Median disability pay gap",
        "%",
        "towards_0",
        where={**_OVERALL, "group": "Disabled"},
        headline=4,
        summary=True,
        trend=True,
        benchmark=True,
        **_DPG,
    ),
    _f(
        "wres.1",
        "WRES 1: BME staff in the overall workforce",
        "%",
        "higher",
        where={**_OVERALL, "group": "BME"},
        summary=True,
        methodology="§3.2",
        disclosure="share",
        group="BME",
    ),
    _f(
        "wres.2",
        "WRES 2: likelihood of White applicants being appointed from shortlisting compared with BME applicants",
        "",
        "towards_1",
        headline=5,
        summary=True,
        trend=True,
        labels={
            "headline": "WRES 2: appointment from shortlisting (White compared with BME)",
            "trend": "WRES 2: appointment from shortlisting (White compared with BME)",
        },
        methodology="§3.2",
        disclosure="comparison",
        group="White",
        reference="BME",
        reading=Likelihood(
            "2. Likelihood of White applicants being appointed from shortlisting compared with BME applicants",
            "White",
            "BME",
            "applicants",
            "to be appointed from shortlisting",
            "were appointed from shortlisting",
        ),
    ),
    _f(
        "wres.3",
        "WRES 3: likelihood of BME staff entering the formal disciplinary process compared with White staff",
        "",
        "towards_1",
        summary=True,
        trend=True,
        labels={
            "trend": "WRES 3: entry into the formal disciplinary process (BME compared with White)"
        },
        methodology="§3.2",
        disclosure="comparison",
        group="BME",
        reference="White",
        reading=Likelihood(
            "3. Likelihood of BME staff entering the formal disciplinary process compared with White staff",
            "BME",
            "White",
            "staff",
            "to enter the formal disciplinary process",
            "entered the formal disciplinary process",
        ),
    ),
    _f(
        "wres.4",
        "WRES 4: likelihood of White staff accessing non-mandatory training and CPD compared with BME staff",
        "",
        "towards_1",
        summary=True,
        trend=True,
        labels={"trend": "WRES 4: non-mandatory training (White compared with BME)"},
        methodology="§3.2",
        disclosure="comparison",
        group="White",
        reference="BME",
        reading=Likelihood(
            "4. Likelihood of White staff accessing non-mandatory training and CPD compared with BME staff",
            "White",
            "BME",
            "staff",
            "to access non-mandatory training and CPD",
            "accessed non-mandatory training and CPD",
        ),
    ),
    _f(
        "wres.5",
        "WRES 5: BME staff experiencing harassment, bullying or abuse from patients, relatives or the public",
        "%",
        "lower",
        where={"group": "BME"},
        summary=True,
        **_WRES_SURVEY,
    ),
    _f(
        "wres.6",
        "WRES 6: BME staff experiencing harassment, bullying or abuse from staff",
        "%",
        "lower",
        where={"group": "BME"},
        summary=True,
        **_WRES_SURVEY,
    ),
    _f(
        "wres.7",
        "WRES 7: BME staff believing the organisation provides equal opportunities for career progression",
        "%",
        "higher",
        where={"group": "BME"},
        summary=True,
        **_WRES_SURVEY,
    ),
    _f(
        "wres.8",
        "WRES 8: BME staff experiencing discrimination from a manager, team leader or colleagues",
        "%",
        "lower",
        where={"group": "BME"},
        summary=True,
        **_WRES_SURVEY,
    ),
    _f(
        "wres.9",
        "WRES 9: difference between BME share of board voting members and of the workforce",
        "pp",
        "towards_0",
        where={"breakdown": "board=voting"},
        summary=True,
        methodology="§3.2",
        disclosure="binary",
        group="BME",
    ),
    _f(
        "wdes.1",
        "WDES 1: Disabled staff in the overall workforce (ESR)",
        "%",
        "higher",
        where={**_OVERALL, "group": "Disabled"},
        summary=True,
        methodology="§4.3",
        disclosure="share",
        group="Disabled",
    ),
    _f(
        "wdes.2",
        "WDES 2: likelihood of non-disabled applicants being appointed from shortlisting compared with Disabled applicants",
        "",
        "towards_1",
        summary=True,
        methodology="§4.3",
        disclosure="comparison",
        group="Non-disabled",
        reference="Disabled",
        reading=Likelihood(
            "2. Likelihood of non-disabled applicants being appointed from shortlisting compared with Disabled applicants",
            "Non-disabled",
            "Disabled",
            "applicants",
            "to be appointed from shortlisting",
            "were appointed from shortlisting",
        ),
    ),
    _f(
        "wdes.3",
        "WDES 3: likelihood of Disabled staff entering the formal capability process compared with non-disabled staff",
        "",
        "towards_1",
        summary=True,
        methodology="§4.3",
        disclosure="comparison",
        group="Disabled",
        reference="Non-disabled",
        reading=Likelihood(
            "3. Likelihood of Disabled staff entering the formal capability process compared with non-disabled staff",
            "Disabled",
            "Non-disabled",
            "staff",
            "to enter the formal capability process",
            "entered the formal capability process",
        ),
    ),
    _f(
        "wdes.4a",
        "WDES 4a: Disabled staff experiencing harassment, bullying or abuse from managers",
        "%",
        "lower",
        where={"breakdown": "item=managers", "group": "Disabled"},
        summary=True,
        **_WDES_SURVEY,
    ),
    _f(
        "wdes.4a",
        "WDES 4a: Disabled staff experiencing harassment, bullying or abuse from patients, service users, their relatives or the public",
        "%",
        "lower",
        where={"breakdown": "item=public", "group": "Disabled"},
        summary=True,
        **_WDES_SURVEY,
    ),
    _f(
        "wdes.4a",
        "WDES 4a: Disabled staff experiencing harassment, bullying or abuse from other colleagues",
        "%",
        "lower",
        where={"breakdown": "item=colleagues", "group": "Disabled"},
        summary=True,
        **_WDES_SURVEY,
    ),
    _f(
        "wdes.4b",
        "WDES 4b: Disabled staff saying that they or a colleague reported the last harassment, bullying or abuse",
        "%",
        "higher",
        where={"group": "Disabled"},
        summary=True,
        **_WDES_SURVEY,
    ),
    _f(
        "wdes.5",
        "WDES 5: Disabled staff believing the organisation provides equal opportunities for career progression",
        "%",
        "higher",
        where={"group": "Disabled"},
        summary=True,
        **_WDES_SURVEY,
    ),
    _f(
        "wdes.6",
        "WDES 6: Disabled staff feeling pressure to come to work when not well enough",
        "%",
        "lower",
        where={"group": "Disabled"},
        summary=True,
        **_WDES_SURVEY,
    ),
    _f(
        "wdes.7",
        "WDES 7: Disabled staff satisfied with how far the organisation values their work",
        "%",
        "higher",
        where={"group": "Disabled"},
        summary=True,
        **_WDES_SURVEY,
    ),
    _f(
        "wdes.8",
        "WDES 8: Disabled staff saying adequate adjustments have been made",
        "%",
        "higher",
        where={"group": "Disabled"},
        summary=True,
        **_WDES_SURVEY,
    ),
    _f(
        "wdes.9a",
        "WDES 9a: engagement score of Disabled staff (0-10)",
        "score",
        "higher",
        where={"group": "Disabled"},
        summary=True,
        **_WDES_SURVEY,
    ),
    _f(
        "wdes.9a",
        "WDES 9a: engagement score of the whole organisation (0-10)",
        "score",
        "higher",
        where={"group": "All"},
        summary=True,
        methodology="§4.3",
        disclosure="survey",
        group="All",
    ),
    _f(
        "wdes.10",
        "WDES 10: difference between Disabled share of board voting members and of the workforce",
        "pp",
        "towards_0",
        where={"breakdown": "board=voting"},
        summary=True,
        methodology="§4.3",
        disclosure="binary",
        group="Disabled",
    ),
    _f(
        "wdes.10",
        "WDES 10: difference between Disabled share of executive board members and of the workforce",
        "pp",
        "towards_0",
        where={"breakdown": "board=executive"},
        summary=True,
        methodology="§4.3",
        disclosure="binary",
        group="Disabled",
    ),
)


def summary_figures() -> tuple[Figure, ...]:
    """The summary table's figures, in order."""
    return tuple(f for f in FIGURES if f.summary)


def trend_figures() -> tuple[Figure, ...]:
    """The trends table's figures, in order."""
    return tuple(f for f in FIGURES if f.trend)


def benchmark_figures() -> tuple[Figure, ...]:
    """The national benchmarking's figures, in order."""
    return tuple(f for f in FIGURES if f.benchmark)


def headline_figures() -> tuple[Figure, ...]:
    """The website's headline figures (``summary.json``), in their own order."""
    return tuple(sorted((f for f in FIGURES if f.headline), key=lambda f: f.headline))


def pay_gaps() -> tuple[Figure, ...]:
    """The pay gaps of the summary and trends (year-on-year tests, methodology §8)."""
    return tuple(f for f in FIGURES if f.summary and f.trend and f.id.endswith("_hourly_gap"))


def likelihoods() -> dict[str, Likelihood]:
    """Metric id -> how each relative likelihood reads (methodology §0.3)."""
    return {f.id: f.reading for f in FIGURES if f.reading is not None}
