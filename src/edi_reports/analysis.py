"""The analysis API: the report's own engines on any breakdown, with disclosure status.

An analyst loads an organisation-year's cleaned tables in one line and asks questions the
standard report does not (why is the gap larger in one directorate?)::

    from edi_reports import analysis
    a = analysis.load("RJZ", 2025)
    gaps = a.pay_gap("sex", by="directorate")       # methodology §1.7, per directorate
    rl = a.likelihood("wres.4", by="staff_group")   # methodology §3.2, per staff group
    a.representation("ethnicity", by="pay_band")    # methodology §10

Every call runs the same functions as the build (:mod:`edi_reports.measures.paygap`,
:mod:`edi_reports.measures.wres`, :mod:`edi_reports.measures.wdes`, :mod:`edi_reports.measures.profile`) and returns a
:class:`Result`: a DataFrame of unrounded figures (with 95 % intervals, methodology §8) that
also says, row by row, what would be published and why a figure would be suppressed. The
disclosure status comes from :func:`edi_reports.disclosure.control.publish` itself, applied to the
new rows *together with* the report's own figures (and, in a build, the rows already
published by other sections), so the answer takes secondary suppression across tables into
account. Nothing here re-implements a disclosure rule.

:meth:`Analysis.publish` is the only way an organisation's own section puts figures in a
report (:mod:`edi_reports.report.custom_sections`): it shows only the published strings, in an
accessible table (and optionally a chart fed by the published values), and refuses anything
that is not a result of this API, or a result that was changed after it was computed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from edi_reports import catalogue
from edi_reports.config import Settings
from edi_reports.errors import EdiError
from edi_reports.measures.metrics import COLUMNS, Metric, to_frame
from edi_reports.notebook import Context, context

__all__ = [
    "Analysis",
    "PublishRefused",
    "Result",
    "load",
]

#: Where a build keeps what the organisation's sections published (internal).
SECTIONS_DIRNAME = "sections"  # store.SECTIONS
#: Marker in the metadata of every output made by :meth:`Analysis.publish`.
PUBLISHED_MARK = "analysis"
#: The value written for people with no value in a breakdown column (never dropped).
NOT_RECORDED = "Not recorded"

# characteristic -> (measure prefix, column, reference group, comparison groups, quarter order)
PAY_GAPS: dict[str, tuple[str, str, str, tuple[str, ...], tuple[str, ...]]] = {
    "sex": ("gpg", "sex", "Male", ("Female",), ("Female", "Male")),
    "ethnicity": ("epg", "wres", "White", ("BME",), ("White", "BME", "Unknown")),
    "ethnic_group": (
        "epg",
        "high_level",
        "White British",
        ("White other", "Mixed", "Asian", "Black", "Other"),
        ("White British", "White other", "Mixed", "Asian", "Black", "Other", "Unknown"),
    ),
    "disability": (
        "dpg",
        "disability_group",
        "Non-disabled",
        ("Disabled",),
        ("Disabled", "Non-disabled", "Unknown"),
    ),
    "sexual_orientation": (
        "sopg",
        "sexual_orientation_group",
        "Heterosexual",
        ("LGB+",),
        ("LGB+", "Heterosexual", "Unknown"),
    ),
}
LIKELIHOODS: tuple[str, ...] = tuple(catalogue.likelihoods())
STATS: dict[str, str] = {
    "mean_hourly_gap": "Mean hourly pay gap",
    "median_hourly_gap": "Median hourly pay gap",
    "mean_bonus_gap": "Mean bonus gap",
    "median_bonus_gap": "Median bonus gap",
    "bonus_receipt": "Received a bonus",
    "quartile_share": "Share of pay quarter",
}
_UNIT_SUFFIX = {"pct": "%", "pp": " pp"}
_FIXED_COLUMNS = ("Figure", "Group", "Compared with", "Value", "People (rounded)")


class PublishRefused(EdiError):
    """Something an organisation's section tried to show is not publishable."""


# --------------------------------------------------------------------------- results


def _row_digests(frame: pd.DataFrame) -> pd.Series:
    """A digest of each row's figures (the metric columns), to notice later edits."""
    cols = [c for c in COLUMNS if c in frame.columns]
    text = frame[cols].astype("string").fillna("<NA>").agg("\x1f".join, axis=1)
    return text.map(lambda t: hashlib.sha256(t.encode()).hexdigest()[:20])


class Result(pd.DataFrame):
    """Figures from the analysis API with their disclosure status (a pandas DataFrame).

    Columns: the breakdown column asked for (e.g. ``directorate``), ``measure``, ``group``,
    ``reference_group``, ``value`` (unrounded), ``unit``, ``ci_low``, ``ci_high``,
    ``numerator``, ``denominator``, ``n``, ``status`` (``ok`` or ``not_calculable: why``),
    ``breakdown``, then the disclosure status: ``published`` (the string that would be
    published: rounded, ``*`` when suppressed, blank when not calculable), ``publishable``
    (True when a number would be shown) and ``note`` (why a figure would be suppressed).

    Filtering and sorting keep the rows publishable; changing a figure does not (publishing
    it is refused).
    """

    _metadata = ["edi_title", "edi_digests", "edi_by"]

    @property
    def _constructor(self) -> type[Result]:
        return Result

    def _repr_html_(self) -> str | None:  # pragma: no cover - exercised in notebooks
        frame = pd.DataFrame(self)
        hidden = int((~frame["publishable"].astype(bool)).sum()) if "publishable" in frame else 0
        title = html.escape(str(getattr(self, "edi_title", "") or "Analysis result"))
        summary = (
            f"{len(frame)} figure(s): {len(frame) - hidden} would be published, "
            f"{hidden} suppressed or not calculable if published (see <code>note</code>)."
        )
        body = frame.to_html(index=False, na_rep="", max_rows=200, border=0)
        if hidden:
            body = body.replace("<tr>", '<tr style="vertical-align: top">')
        return f"<p><strong>{title}</strong><br>{summary}</p>{body}"


def _result(metrics: pd.DataFrame, status: pd.DataFrame, title: str, by: str | None) -> Result:
    frame = metrics.reset_index(drop=True).copy()
    lead: list[str] = []
    if by:
        frame[by] = [_breakdown_value(b, by) for b in frame["breakdown"]]
        lead = [by]
    frame["published"] = status["value"].to_numpy()
    frame["publishable"] = [
        _is_number(v) for v in status["value"].to_numpy()
    ]  # a number would be shown
    frame["note"] = status["note"].to_numpy()
    order = [
        *lead,
        "measure",
        "group",
        "reference_group",
        "value",
        "unit",
        "ci_low",
        "ci_high",
        "numerator",
        "denominator",
        "n",
        "status",
        "breakdown",
        "published",
        "publishable",
        "note",
    ]
    out = Result(frame.loc[:, order])
    out.edi_title = title
    out.edi_by = by
    out.edi_digests = frozenset(_row_digests(out))
    return out


def _is_number(text: Any) -> bool:
    try:
        float(str(text).replace(",", ""))
    except ValueError:
        return False
    return True


def _breakdown_value(breakdown: str, key: str) -> str:
    for part in str(breakdown).split(";"):
        k, _, v = part.partition("=")
        if k == key:
            return v
    return "All"


def _label(value: Any) -> str:
    """A breakdown value safe inside ``key=value;key=value`` (data contract §3.1)."""
    text = " ".join(str(value).split())
    return re.sub(r"[;=]", "-", text) or NOT_RECORDED


def _levels(column: pd.Series) -> pd.Series:
    """Each person's breakdown value; blanks become :data:`NOT_RECORDED` (nobody dropped)."""
    values = column.astype("string").str.strip()
    values = values.mask(values.isna() | (values == ""), NOT_RECORDED)
    return values.map(_label).astype(object)


# --------------------------------------------------------------------------- the API


@dataclass
class Analysis:
    """One organisation-year's cleaned tables and the engines of the report.

    Use :func:`load` rather than building one by hand.
    """

    ctx: Context
    tables: dict[str, pd.DataFrame]
    #: The section file being executed by a build, or "" when exploring.
    section: str = ""
    #: Compute 95 % intervals (methodology §8). None: always when exploring; in a build's
    #: section only when the report shows intervals (``uncertainty.enabled``), since the
    #: pay gaps' bootstrap is the costliest arithmetic of a section.
    intervals: bool | None = None
    settings: Settings = field(init=False)
    _main: pd.DataFrame | None = field(default=None, init=False, repr=False)
    #: What is already published, published alone (compared with each new publication).
    _alone: pd.DataFrame | None = field(default=None, init=False, repr=False)
    _previous: dict[str, pd.DataFrame] | None = field(default=None, init=False, repr=False)
    _previous_loaded: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        wanted = self.intervals
        if wanted is None:
            wanted = not self.section or self.ctx.settings.uncertainty.enabled
        self.settings = dataclasses.replace(
            self.ctx.settings,
            uncertainty=dataclasses.replace(self.ctx.settings.uncertainty, enabled=bool(wanted)),
        )

    # ------------------------------------------------------------------ data
    @property
    def previous(self) -> dict[str, pd.DataFrame] | None:
        """The previous year's cleaned tables (the two-year casework window of ``wres.3``
        and ``wdes.3``), read when first needed: cleaning an unbuilt year takes a while."""
        if not self._previous_loaded:
            from edi_reports.measures import compute as measure

            self._previous = measure.previous_tables(self.ctx)
            self._previous_loaded = True
        return self._previous

    @property
    def workforce(self) -> pd.DataFrame:
        """The cleaned workforce table (row-level: explore it, never publish it)."""
        return self.tables["workforce"]

    def columns(self) -> list[str]:
        """Workforce columns that make sensible breakdowns (few distinct values)."""
        wf = self.workforce
        skip = {"row", "staff_id", "age", "contracted_hours", "ordinary_pay"}
        return [
            c
            for c in wf.columns
            if c not in skip and wf[c].nunique(dropna=True) <= max(60, len(wf) // 20)
        ]

    def _column(self, frame: pd.DataFrame, by: str, table: str) -> pd.Series:
        if by not in frame.columns:
            raise EdiError(
                f"{table} has no column {by!r}; breakdown columns of the workforce table: "
                f"{', '.join(self.columns())}"
            )
        return _levels(frame[by])

    # ------------------------------------------------------------------ pay gaps
    def pay_gap(
        self,
        characteristic: str = "sex",
        by: str | None = None,
        *,
        parts: Sequence[str] = ("hourly",),
        overall: bool = True,
    ) -> Result:
        """Pay gaps of one characteristic, overall and within each value of ``by``.

        Methodology §1.7 (the six measures, hourly rate of full-pay relevant employees),
        §2 (ethnicity, disability and sexual orientation), §1.8 (quarters), §8 (bootstrap
        intervals), via :func:`edi_reports.measures.paygap.pay_gap_metrics`.

        Parameters
        ----------
        characteristic
            ``sex`` (women against men), ``ethnicity`` (BME against White),
            ``ethnic_group`` (each high-level group against White British), ``disability``
            or ``sexual_orientation``.
        by
            Any workforce column (``directorate``, ``staff_group``, ``pay_band``,
            ``clinical``, ``age_band``...); None for the organisation as a whole.
        parts
            Any of ``hourly`` (mean and median hourly gaps), ``bonus_gap``,
            ``bonus_receipt``, ``quartile``.
        overall
            Also give the organisation-wide row(s) for comparison.
        """
        from edi_reports.measures import paygap

        if characteristic not in PAY_GAPS:
            raise EdiError(
                f"no pay gap for {characteristic!r}; choose one of {', '.join(PAY_GAPS)}"
            )
        prefix, column, ref, comps, order = PAY_GAPS[characteristic]
        wf = self.workforce
        if prefix == "epg":
            wf = wf.assign(**paygap._ethnic_columns(wf, self.settings)[[column]])
        if prefix == "gpg":
            wf = wf[wf["sex"].astype("string").isin(["Female", "Male"])]
        rows: list[Metric] = []

        def run(frame: pd.DataFrame, bd: str) -> None:
            rows.extend(
                paygap.pay_gap_metrics(
                    frame,
                    prefix=prefix,
                    group_col=column,
                    reference=ref,
                    comparisons=list(comps),
                    group_order=list(order),
                    settings=self.settings,
                    parts=set(parts),
                    breakdown=bd,
                    quartile_breakdown="" if bd == "overall" else bd,
                )
            )

        with _quiet():
            if overall or by is None:
                run(wf, "overall")
            if by is not None:
                levels = self._column(wf, by, "the workforce table")
                for value in sorted(levels.unique()):
                    run(wf[(levels == value).to_numpy()], f"{by}={value}")
        title = f"{characteristic.replace('_', ' ').capitalize()} pay gap" + (
            f" by {by.replace('_', ' ')}" if by else ""
        )
        return self._finish(rows, title, by)

    # ------------------------------------------------------------------ likelihoods
    def likelihood(self, indicator: str = "wres.4", by: str | None = None) -> Result:
        """A WRES or WDES relative likelihood, overall and within each value of ``by``.

        Methodology §0.3, §3.2 (``wres.2`` appointment from shortlisting, ``wres.3``
        disciplinary entry over the casework window, ``wres.4`` non-mandatory training),
        §4.3 (``wdes.2``, ``wdes.3``), §8 (log-method interval). ``by`` is a workforce
        column for ``wres.3``, ``wres.4`` and ``wdes.3`` (cases are placed through their
        ``staff_id``), and a recruitment column (e.g. ``post_band``) for ``wres.2`` and
        ``wdes.2``.
        """
        if indicator not in LIKELIHOODS:
            raise EdiError(
                f"no relative likelihood {indicator!r}; choose one of {', '.join(LIKELIHOODS)}"
            )
        rows: list[Metric] = []
        with _quiet():
            previous = self.previous if indicator.endswith(".3") else None  # casework window
            rows.append(self._likelihood(indicator, self.tables, previous, "overall"))
            if by is not None:
                for value, tables, previous in self._subsets(indicator, by):
                    rows.append(self._likelihood(indicator, tables, previous, f"{by}={value}"))
        return self._finish(
            rows, f"Relative likelihood {indicator}" + (f" by {by}" if by else ""), by
        )

    def _likelihood(
        self,
        indicator: str,
        tables: dict[str, pd.DataFrame],
        previous: dict[str, pd.DataFrame] | None,
        bd: str,
    ) -> Metric:
        from edi_reports.measures import wdes, wres

        s = self.settings
        if indicator == "wres.2":
            row = wres.recruitment_rl(
                indicator, tables.get("recruitment"), s, wres.ethnic_wres, "White", "BME"
            )
        elif indicator == "wdes.2":
            row = wres.recruitment_rl(
                indicator, tables.get("recruitment"), s, wdes.disability, "Non-disabled", "Disabled"
            )
        elif indicator == "wres.3":
            row = wres.casework_rl(
                indicator, "disciplinary", tables, previous, s, wres.ethnic_wres, "BME", "White"
            )
        elif indicator == "wdes.3":
            row = wres.casework_rl(
                indicator,
                "capability",
                tables,
                previous,
                s,
                wdes.disability,
                "Disabled",
                "Non-disabled",
            )
        else:
            row = wres.wres4(tables, s)
        window = [p for p in row.breakdown.split(";") if p.startswith("window=")]
        return dataclasses.replace(
            row, breakdown=";".join([bd, *window]) if bd != "overall" else row.breakdown
        )

    def _subsets(self, indicator: str, by: str):
        """(value, tables, previous tables) for each value of ``by``."""
        if indicator.endswith(".2"):
            rec = self.tables.get("recruitment")
            if rec is None:
                raise EdiError(f"{indicator} needs the recruitment file, which was not supplied")
            levels = self._column(rec, by, "the recruitment table")
            for value in sorted(levels.unique()):
                yield value, {**self.tables, "recruitment": rec[(levels == value).to_numpy()]}, None
            return
        wf = self.workforce
        levels = self._column(wf, by, "the workforce table")
        for value in sorted(levels.unique()):
            yield (
                value,
                self._by_staff(self.tables, levels == value, indicator),
                self._previous_subset(by, value, indicator),
            )

    def _by_staff(
        self, tables: dict[str, pd.DataFrame], mask: pd.Series, indicator: str
    ) -> dict[str, pd.DataFrame]:
        wf = tables["workforce"][mask.to_numpy()]
        out = {**tables, "workforce": wf}
        case = tables.get("casework")
        if indicator.endswith(".3") and case is not None:
            if "staff_id" not in case.columns or case["staff_id"].isna().all():
                raise EdiError(
                    "casework.csv has no staff_id, so cases cannot be placed in a breakdown of "
                    "the workforce; add staff_id to the casework file"
                )
            ids = wf["staff_id"].astype("string")
            out["casework"] = case[case["staff_id"].astype("string").isin(ids).fillna(False)]
        return out

    def _previous_subset(
        self, by: str, value: str, indicator: str
    ) -> dict[str, pd.DataFrame] | None:
        prev = self.previous if indicator.endswith(".3") else None
        if prev is None or prev.get("workforce") is None or by not in prev["workforce"].columns:
            return None
        levels = _levels(prev["workforce"][by])
        return self._by_staff(prev, levels == value, indicator)

    # ------------------------------------------------------------------ representation
    def representation(self, characteristic: str = "ethnicity", by: str | None = None) -> Result:
        """Headcount share of each group of a protected characteristic, overall and within
        each value of ``by`` (methodology §10, population as the workforce profile)."""
        from edi_reports.measures import profile

        if characteristic not in profile.CHARACTERISTICS:
            raise EdiError(
                f"no characteristic {characteristic!r}; choose one of "
                f"{', '.join(profile.CHARACTERISTICS)}"
            )
        population = profile.profile_population(self.workforce, self.settings)
        groups = profile.characteristic_values(population, characteristic)
        if groups is None:
            raise EdiError(f"{characteristic} is not recorded in the workforce file")
        measure = f"profile.{characteristic}"
        rows: list[Metric] = []
        splits: list[tuple[str | None, pd.Series | None]] = [(None, None)]
        if by is not None:
            splits.append((by, self._column(population, by, "the workforce table")))
        from edi_reports.measures.metrics import metric

        for key, levels in splits:
            counts = profile._shares(groups, levels)
            counts = counts[counts["total"] > 0]
            for rec in counts.itertuples(index=False):
                rows.append(
                    metric(
                        measure,
                        100.0 * rec.count / rec.total,
                        "pct",
                        breakdown="overall" if key is None else f"{key}={rec.by}",
                        group=str(rec.group),
                        numerator=int(rec.count),
                        denominator=int(rec.total),
                        n=int(rec.total),
                    )
                )
        title = f"Workforce by {characteristic.replace('_', ' ')}" + (f" and {by}" if by else "")
        return self._finish(rows, title, by)

    # ------------------------------------------------------------------ disclosure
    def main_metrics(self) -> pd.DataFrame:
        """The report's own figures (``metrics.csv`` of the build), or none when the
        organisation-year has not been measured yet."""
        if self._main is None:
            from edi_reports import store

            main = store.read_metrics(self.ctx.processed)
            self._main = main if main is not None else to_frame([])
        return self._main

    def _registry(self) -> Path:
        from edi_reports import store

        return store.sections_dir(self.ctx.processed)

    def _earlier_sections(self) -> pd.DataFrame:
        """Metric rows already published by other sections of this build."""
        from edi_reports.measures.metrics import read_metrics

        folder = self._registry()
        if not self.section or not folder.is_dir():
            return to_frame([])
        mine = _slug(self.section)
        frames = [
            read_metrics(p)
            for p in sorted(folder.glob("*.metrics.csv"))
            if p.name != f"{mine}.metrics.csv"
        ]
        return pd.concat(frames, ignore_index=True) if frames else to_frame([])

    def _disclose(self, new: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Publish ``new`` together with everything already published; returns the status
        of ``new`` (published columns) and whether earlier published values changed."""
        from edi_reports.disclosure import control as disclosure
        from edi_reports.disclosure.publication import headcount_in

        keys = ["measure", "breakdown", "group", "reference_group"]
        before = pd.concat([self.main_metrics(), self._earlier_sections()], ignore_index=True)
        before = _key_strings(before)
        new = _key_strings(new.reset_index(drop=True))
        known = before.set_index(keys)
        joined = new.merge(
            before[[*keys, "numerator", "denominator", "value"]],
            on=keys,
            how="left",
            suffixes=("", "_before"),
            indicator=True,
        )
        dup = (joined["_merge"] == "both").to_numpy()
        clash = dup & ~(
            _same(joined["numerator"], joined["numerator_before"])
            & _same(joined["denominator"], joined["denominator_before"])
            & _same(joined["value"], joined["value_before"])
        )
        if clash.any():
            row = joined[clash].iloc[0]
            raise PublishRefused(
                f"{row['measure']} [{row['breakdown']}] {row['group']}: this figure is already "
                "published with other numbers; it cannot be published twice differently"
            )
        del known
        fresh = new[~dup]
        union = pd.concat([before, fresh], ignore_index=True)
        settings = self.ctx.settings
        headcount = headcount_in(self.ctx.processed, settings)
        published = disclosure.publish(union, settings, org_headcount=headcount)
        changed = pd.DataFrame()
        if len(before):
            if self._alone is None or len(self._alone) != len(before):
                self._alone = disclosure.publish(before, settings, org_headcount=headcount)
            alone = self._alone
            differs = (alone["value"] != published["value"].iloc[: len(before)].to_numpy()) | (
                alone["n"] != published["n"].iloc[: len(before)].to_numpy()
            )
            changed = before[differs.to_numpy()]
        status = _key_strings(published)[[*keys, "value", "n", "note", "table"]]
        status = status.drop_duplicates(keys)
        out = new[keys].merge(status, on=keys, how="left")
        return out, changed

    def _finish(self, rows: list[Metric], title: str, by: str | None) -> Result:
        metrics = to_frame(rows)
        status, _ = self._disclose(metrics)
        return _result(metrics, status, title, by)

    # ------------------------------------------------------------------ publishing
    def publish(
        self,
        result: Any,
        caption: str,
        *,
        notes: str | None = None,
        chart: bool = False,
        alt: str | None = None,
    ) -> Any:
        """Show a result in the report: published values only, in an accessible table
        (caption, headers) and optionally a bar chart of the published numbers with its
        finding in words (``alt``) and data table.

        In a build, the published rows are also added to ``tables.csv``.

        Raises
        ------
        PublishRefused
            When ``result`` is not a :class:`Result` of this API (a DataFrame, row-level
            data, a number), was changed after it was computed, or when publishing it would
            change a figure the report has already published (choose a coarser breakdown).
        """
        from edi_reports.report import display
        from edi_reports.report.core import Section

        frame = self._verified(result)
        metrics = frame.loc[:, list(COLUMNS)]
        status, changed = self._disclose(metrics)
        if len(changed):
            first = changed.iloc[0]
            raise PublishRefused(
                f"publishing this table would hide more of the report's own figures (for "
                f"example {first['measure']} [{first['breakdown']}] {first['group']}), because "
                "a small count in it could otherwise be worked out; publish a coarser breakdown"
            )
        by = getattr(result, "edi_by", None)
        shown = _shown_table(frame, status, by, self.settings)
        if self.ctx.settings.uncertainty.enabled and frame["ci_low"].notna().any():
            from edi_reports.report.core import ANALYTICAL, published_intervals

            keys = ["measure", "breakdown", "group", "reference_group"]
            iv = published_intervals(_key_strings(metrics), status, self.ctx.settings)
            got = _key_strings(metrics)[keys].merge(iv, on=keys, how="left")["interval"]
            shown[f"95% interval ({ANALYTICAL})"] = got.fillna("").to_numpy()
        items: list[Any] = [
            display.table(
                shown,
                caption=caption,
                notes=notes
                or "Figures rounded and small groups suppressed as everywhere in this report: "
                "* = not shown to protect privacy.",
            )
        ]
        if chart:
            items.append(_chart(shown, caption, alt))
        for item in items:
            item.metadata.setdefault("edi", {})[PUBLISHED_MARK] = True
        if self.section:
            self._record(metrics, status, caption)
        return Section(items)

    def _verified(self, result: Any) -> pd.DataFrame:
        if not isinstance(result, Result) or not getattr(result, "edi_digests", None):
            kind = type(result).__name__
            raise PublishRefused(
                f"only results of the analysis API (a.pay_gap, a.likelihood, "
                f"a.representation) can be published, not a {kind}; row-level data and "
                "figures worked out by hand never reach the report"
            )
        if result.empty:
            raise PublishRefused("there is nothing to publish: the result has no rows")
        frame = pd.DataFrame(result)
        digests = _row_digests(frame)
        if not digests.isin(result.edi_digests).all():
            raise PublishRefused(
                "this result was changed after the analysis API computed it; publish the "
                "figures as computed (filtering rows is fine)"
            )
        return frame

    def _record(self, metrics: pd.DataFrame, status: pd.DataFrame, caption: str) -> None:
        """Keep what this section published: its metric rows (internal) and published rows
        (added to ``tables.csv`` by the build)."""
        from edi_reports.disclosure import control as disclosure
        from edi_reports.measures.metrics import write_metrics

        folder = self._registry()
        folder.mkdir(parents=True, exist_ok=True)
        stem = _slug(self.section)
        mpath, tpath = folder / f"{stem}.metrics.csv", folder / f"{stem}.tables.csv"
        keys = ["measure", "breakdown", "group", "reference_group"]
        earlier = _key_strings(pd.concat([self.main_metrics(), self._earlier_sections()]))
        new = ~pd.MultiIndex.from_frame(_key_strings(metrics)[keys]).isin(
            pd.MultiIndex.from_frame(earlier[keys])
        )  # a figure already published elsewhere keeps its place there
        metrics = _key_strings(metrics)[new].reset_index(drop=True)
        status = status[new].reset_index(drop=True)
        self._alone = None  # what is published has grown
        if metrics.empty:
            return
        pub = status.assign(
            table=f"section_{stem}",
            unit=metrics["unit"].to_numpy(),
        ).loc[:, list(disclosure.PUBLISHED_COLUMNS)]
        if mpath.exists():
            from edi_reports.measures.metrics import read_metrics

            metrics = pd.concat([read_metrics(mpath), metrics], ignore_index=True)
            pub = pd.concat(
                [pd.read_csv(tpath, dtype=str, keep_default_na=False), pub], ignore_index=True
            )
        metrics = _key_strings(metrics).drop_duplicates(keys)
        write_metrics(metrics, mpath)
        pub.astype(str).drop_duplicates(keys).to_csv(tpath, index=False)


# --------------------------------------------------------------------------- helpers


def _same(a: pd.Series, b: pd.Series) -> pd.Series:
    x = pd.to_numeric(a, errors="coerce").astype("Float64")
    y = pd.to_numeric(b, errors="coerce").astype("Float64")
    both_na = x.isna() & y.isna()
    return (both_na | ((x - y).abs() < 1e-9)).fillna(False).astype(bool)


def _key_strings(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in ("measure", "breakdown", "group", "reference_group"):
        out[col] = out[col].astype("string").fillna("").astype(object)
    return out


def _slug(name: str) -> str:
    stem = Path(str(name)).stem
    return re.sub(r"[^a-z0-9]+", "_", stem.lower()).strip("_") or "section"


class _quiet:
    """Silence the engines' not-calculable warnings: the result's status column says it."""

    def __enter__(self) -> None:
        import warnings

        from edi_reports.measures.metrics import MeasureWarning

        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("ignore", MeasureWarning)

    def __exit__(self, *exc: Any) -> None:
        self._ctx.__exit__(*exc)


def _shown_table(
    frame: pd.DataFrame, status: pd.DataFrame, by: str | None, settings: Settings
) -> pd.DataFrame:
    """The published table: labels and published strings only (no unrounded figure)."""
    from edi_reports.report.core import SUPPRESSED

    records = []
    for (_, row), (_, pub) in zip(frame.iterrows(), status.iterrows(), strict=True):
        value = str(pub["value"])
        unit = _UNIT_SUFFIX.get(str(row["unit"]), "")
        if value == SUPPRESSED:
            text = SUPPRESSED
        elif not value or value == "nan":
            text = "not calculable"
        else:
            text = f"{value}{unit}"
        rec: dict[str, str] = {}
        if by:
            rec[by.replace("_", " ").capitalize()] = _breakdown_value(str(row["breakdown"]), by)
        measure = str(row["measure"])
        name = measure.split(".", 1)[-1]
        rec["Figure"] = STATS.get(name, measure)
        quarter = _breakdown_value(str(row["breakdown"]), "quartile")
        if quarter and quarter != "All":
            rec["Figure"] += f" ({quarter.replace('_', ' ')})"
        rec["Group"] = str(row["group"])
        if str(row["reference_group"]):
            rec["Compared with"] = str(row["reference_group"])
        rec["Value"] = text
        rec["People (rounded)"] = str(pub["n"])
        records.append(rec)
    return pd.DataFrame.from_records(records).fillna("")


def _chart(shown: pd.DataFrame, caption: str, alt: str | None) -> Any:
    """A bar chart of the published numbers of ``shown`` (suppressed bars are left out and
    named in the finding), with the published table as its data."""
    from edi_reports.report import charts, display

    by_cols = [c for c in shown.columns if c not in _FIXED_COLUMNS]
    parts = list(by_cols)
    for col in ("Group", "Figure"):
        if shown[col].nunique() > 1:
            parts.append(col)
    if not parts:
        parts = ["Group"]
    data = shown.assign(
        Label=shown[parts].astype(str).agg(", ".join, axis=1),
        Number=pd.to_numeric(
            shown["Value"].str.rstrip("%").str.replace(" pp", ""), errors="coerce"
        ),
    )
    drawn = data.dropna(subset=["Number"])
    if drawn.empty:
        return display.callout(
            "No chart: every figure in this table is suppressed or not calculable."
        )
    chart = charts.bar_chart(
        drawn.rename(columns={"Number": "Value (published)"})[["Label", "Value (published)"]],
        category="Label",
        value="Value (published)",
        title=caption,
        unit_label="%" if shown["Value"].str.endswith("%").any() else "",
        value_format=".1f" if shown["Value"].str.endswith("%").any() else ".2f",
    )
    if not alt:
        top = drawn.loc[drawn["Number"].idxmax()]
        low = drawn.loc[drawn["Number"].idxmin()]
        alt = f"Highest: {top['Label']} ({top['Value']}); lowest: {low['Label']} ({low['Value']})."
        missing = len(data) - len(drawn)
        if missing:
            alt += f" {missing} figure(s) not shown: suppressed or not calculable."
    return display.chart(chart, alt=alt, caption=caption, data=shown, data_caption=caption)


def load(
    org: str,
    year: int | str,
    raw_dir: str = "",
    processed_dir: str = "",
    content_dir: str = "",
    out_dir: str = "",
    settings_path: str = "",
    section: str = "",
    intervals: bool | None = None,
) -> Analysis:
    """An organisation-year's cleaned tables, ready for questions (one line in a notebook).

    The tables are the clean stage's Parquet files (``edi build`` or ``edi validate`` writes
    them); the previous year's, when built, are used for the two-year casework window.
    Parameters are those of the stage notebooks; ``section`` is set by the build when it
    runs an organisation's own section.
    """
    from edi_reports import store

    ctx = context(org, year, raw_dir, processed_dir, content_dir, out_dir, settings_path)
    tables = store.read_tables(ctx.processed)
    if "workforce" not in tables:
        raise EdiError(
            f"no cleaned tables for {ctx.org} {ctx.year} in {ctx.processed}; run "
            f"`edi validate --org {ctx.org} --year {ctx.year}` (or `edi build`) first"
        )
    return Analysis(
        ctx=ctx,
        tables=tables,
        section=section,
        intervals=intervals,
    )
