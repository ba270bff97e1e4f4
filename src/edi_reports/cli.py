"""The ``edi`` command line (data contract §4).

Errors reach the user as plain messages with a non-zero exit status and no traceback;
``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from edi_reports.config import Paths
from edi_reports.errors import EdiError

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def _progress(quiet: bool):
    def say(line: str) -> None:
        if not quiet:
            print(line, file=sys.stderr, flush=True)

    return say


def _paths(args: argparse.Namespace) -> Paths:
    base = Paths()
    return Paths(
        raw=Path(args.raw_dir) if args.raw_dir else base.raw,
        processed=Path(args.processed_dir) if args.processed_dir else base.processed,
        reports=Path(args.reports_dir) if args.reports_dir else base.reports,
        content=Path(args.content_dir) if args.content_dir else base.content,
    )


def _org_code(text: str) -> str:
    from edi_reports.codes import ORG_CODE_RULE, is_org_code, shown

    code = text.strip().upper()
    if not is_org_code(code):
        raise argparse.ArgumentTypeError(f"{shown(text)} is not an ODS code ({ORG_CODE_RULE})")
    return code


def _year(text: str) -> int:
    from edi_reports.codes import YEAR_RULE, is_year, shown

    if not is_year(text):
        raise argparse.ArgumentTypeError(f"{shown(text)} is not {YEAR_RULE}")
    return int(text)


def _years(text: str) -> list[int]:
    return [_year(part.strip()) for part in text.split(",") if part.strip()]


def _orgs(text: str) -> int | list[str]:
    if text.strip().isdigit():
        return int(text)
    return [_org_code(part) for part in text.split(",") if part.strip()]


#: What the year on the command line means (shown in ``--help`` and docs/command-line.md).
YEAR_HELP = (
    "the snapshot year: 2025 means staff in post on the snapshot date 31 March 2025 and the "
    "12 months before it, shown in the report as 2024/25 (the GOV.UK gender pay gap "
    "service calls this the reporting year 2025 to 2026, deadline 30 March 2026)"
)
ORG_HELP = "the organisation's ODS code, e.g. RJZ (its input folder is <raw-dir>/<ORG>/<YEAR>/)"


def _common(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("folders (default: the repository's own)")
    group.add_argument(
        "--raw-dir", metavar="DIR", help="input folder holding <ORG>/<YEAR>/ (default data/raw)"
    )
    group.add_argument(
        "--processed-dir",
        metavar="DIR",
        help="internal, unsuppressed outputs, never published (default data/processed)",
    )
    group.add_argument(
        "--reports-dir", metavar="DIR", help="published reports and website (default reports)"
    )
    group.add_argument(
        "--content-dir",
        metavar="DIR",
        help="the organisations' own words, logo and report.yml: <DIR>/<ORG>/ (default content)",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="YAML settings file, checked before any work starts; every setting with its "
        "allowed values: docs/command-line.md (section 'Settings file') and docs/settings.md",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an error (for bug reports)"
    )
    parser.add_argument("--quiet", action="store_true", help="print no progress lines")
    parser.add_argument(
        "--renderer",
        choices=["auto", "quarto", "offline"],
        help="who renders HTML and PDF: Quarto, the offline renderer, or auto (Quarto when "
        "on PATH; default, or the render.renderer setting)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="edi",
        description="Equality workforce reports (gender, ethnicity and disability pay gaps, "
        "WRES, WDES, PSED profile) from ESR extracts.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "synth",
        help="write realistic synthetic input data",
        description="Write synthetic (made-up) input files for testing and demonstration.",
    )
    p.add_argument(
        "--orgs",
        type=_orgs,
        default=[],
        help="how many organisations (a number), or comma-separated ODS codes; "
        "default: 3 organisations",
    )
    p.add_argument(
        "--years",
        type=_years,
        default=[2024, 2025],
        help="comma-separated snapshot years, e.g. 2024,2025 (2025 = snapshot 31 March 2025, "
        "reported as 2024/25); default 2024,2025",
    )
    p.add_argument(
        "--staff", type=int, default=1000, help="average staff per organisation (default 1000)"
    )
    p.add_argument(
        "--seed",
        type=int,
        default=2024,
        help="random seed: the same seed gives the same data (default 2024)",
    )
    _common(p)

    p = sub.add_parser(
        "validate",
        help="data-quality checks only",
        description="Clean the inputs of one organisation and year and run the data-quality "
        "checks, without measuring or publishing anything.",
        epilog=f"--year: {YEAR_HELP}.",
    )
    p.add_argument("--org", type=_org_code, required=True, help=ORG_HELP)
    p.add_argument("--year", type=_year, required=True, help=YEAR_HELP)
    _common(p)

    p = sub.add_parser(
        "build",
        help="clean, validate, measure, render and publish",
        description="Build the report of one organisation and year (--org and --year), or of "
        "every organisation-year under the raw folder (--all, optionally one --year).",
        epilog=f"--year: {YEAR_HELP}. See docs/command-line.md.",
    )
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--org", type=_org_code, help=ORG_HELP)
    target.add_argument(
        "--all", action="store_true", help="every <ORG>/<YEAR> folder under the raw folder"
    )
    p.add_argument(
        "--year",
        type=_year,
        help="snapshot year, e.g. 2025 (required with --org; with --all, build only that "
        "year: earlier years are still read for comparisons)",
    )
    p.add_argument(
        "--no-render",
        action="store_true",
        help="stop after the measures (metrics.csv); publish nothing",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="with --all: builds run in parallel on this many worker processes (default 1)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --all: a running Dask scheduler, e.g. tcp://host:8786 (overrides --workers); "
        "'local': a Dask LocalCluster of --workers processes instead of the plain process pool",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="rebuild even when inputs, content, settings and code are unchanged",
    )
    _common(p)

    p = sub.add_parser(
        "site",
        help="write the website index over what has been built",
        description="Write reports/index.html and one page per organisation over every "
        "report already built.",
    )
    _common(p)

    p = sub.add_parser("new", help="start a new organisation: input templates and content")
    p.add_argument("new_org", type=_org_code, metavar="ORG", help="ODS code, e.g. RJZ")
    p.add_argument("--year", type=_year, required=True, help=YEAR_HELP)
    p.add_argument("--name", default="", help="the organisation's name")
    _common(p)

    p = sub.add_parser("preview", help="serve the report on localhost, rebuilt on save")
    p.add_argument("--org", type=_org_code, required=True, help=ORG_HELP)
    p.add_argument("--year", type=_year, required=True, help=YEAR_HELP)
    p.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)")
    _common(p)

    p = sub.add_parser(
        "demo",
        help="synthetic data for a few organisations, build all, site",
        description="What `make report` runs: synthetic data for three fictional organisations "
        "and two years, every report, then the website.",
    )
    p.add_argument(
        "--workers", type=int, default=1, help="parallel builds on this many worker processes"
    )
    p.add_argument(
        "--clean",
        action="store_true",
        help="instead, remove the demo's data, content and reports (same as edi clean-demo)",
    )
    _common(p)

    p = sub.add_parser(
        "clean-demo",
        help="remove the synthetic organisations' data, content and reports (never a real one)",
    )
    _common(p)
    return parser


def cmd_synth(args: argparse.Namespace, paths: Paths) -> int:
    from edi_reports.intake.synth import synthesise

    orgs = args.orgs if args.orgs else 3
    started = time.perf_counter()
    written = synthesise(
        orgs,
        args.years,
        args.staff,
        args.seed,
        paths.raw,
        paths.content,
        progress=_progress(args.quiet),
    )
    print(
        f"wrote synthetic input for {len(written)} organisation-years to {paths.raw} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return 0


def cmd_validate(args: argparse.Namespace, paths: Paths) -> int:
    from edi_reports.pipeline.build import VALIDATE_STAGES, build

    result = build(
        args.org,
        args.year,
        paths,
        settings_path=args.config,
        render=False,
        stages=VALIDATE_STAGES,
        progress=_progress(args.quiet),
    )
    from edi_reports import store

    report = store.read_validation(result.processed_dir)
    if report is None:
        raise EdiError(f"{args.org} {args.year}: the validation stage wrote no results")
    warnings = report.warnings
    print(f"{args.org} {args.year}: all critical checks passed; {len(warnings)} warning(s).")
    for w in warnings:
        print(f"  warning: {w.location()}: {w.description} ({w.unexpected_count} row(s))")
    _print_input_audit(result.processed_dir, columns_found=True)
    print(f"  details: {result.processed_dir}")
    return 0


BATCH_AUDIT_LINES = 8


def _print_batch_audit(paths: Paths, outcomes: list) -> None:
    """After a batch: each organisation-year's input lines (a few, then how to see all)."""
    from edi_reports import store
    from edi_reports.intake.audit import summary_lines

    for o in outcomes:
        if o.status == "failed":
            continue
        lines = summary_lines(store.org_year(paths, o.org, o.year))
        for line in lines[:BATCH_AUDIT_LINES]:
            print(f"  {o.org} {o.year}: {line}")
        if len(lines) > BATCH_AUDIT_LINES:
            print(
                f"  {o.org} {o.year}: {len(lines) - BATCH_AUDIT_LINES} more line(s);"
                f" `edi validate --org {o.org} --year {o.year}` lists them all"
            )


def _print_input_audit(processed_dir: Path, columns_found: bool = False) -> None:
    """The columns read, ignored and missing and the values not recognised (intake_audit)."""
    from edi_reports.intake.audit import found_lines, read_audit, summary_lines

    if columns_found:
        for line in found_lines(read_audit(processed_dir)):
            print(f"  columns read: {line}")
    for line in summary_lines(processed_dir):
        print(f"  {line}")


def cmd_build(args: argparse.Namespace, paths: Paths) -> int:
    from edi_reports.pipeline.batch import build_all, print_summary
    from edi_reports.pipeline.build import build

    if args.all:
        outcomes = build_all(
            paths,
            settings_path=args.config,
            years=[args.year] if args.year is not None else None,
            render=not args.no_render,
            workers=args.workers,
            scheduler=args.scheduler,
            force=args.force,
            progress=_progress(args.quiet),
        )
        print_summary(outcomes)
        _print_batch_audit(paths, outcomes)
        _warn_unlisted(paths, sorted({o.org for o in outcomes if o.status == "built"}))
        return 1 if any(o.status == "failed" for o in outcomes) else 0
    if args.year is None:
        raise EdiError("build --org needs --year (e.g. --org RJZ --year 2024), or use --all")
    result = build(
        args.org,
        args.year,
        paths,
        settings_path=args.config,
        render=not args.no_render,
        progress=_progress(args.quiet),
    )
    where = result.report_dir or result.processed_dir
    print(f"{args.org} {args.year}: built in {result.seconds:.1f} s -> {where}")
    _print_input_audit(result.processed_dir)
    _warn_unlisted(paths, [args.org])
    return 0


def _warn_unlisted(paths: Paths, orgs: list[str]) -> None:
    """Say loudly, at the end of a build, which organisations are not in organisations.csv."""
    from edi_reports.intake.organisations import unlisted_message

    text = unlisted_message(paths.raw, orgs)
    if text:
        print(text, file=sys.stderr)


def cmd_site(args: argparse.Namespace, paths: Paths) -> int:
    from edi_reports.config import Settings
    from edi_reports.rendering.site import build_site

    index = build_site(
        paths.reports, settings=Settings.load(args.config), content_dir=paths.content
    )
    print(f"website index: {index}")
    return 0


def cmd_demo(args: argparse.Namespace, paths: Paths) -> int:
    from edi_reports.config import Settings
    from edi_reports.intake.synth import synthesise_demo
    from edi_reports.pipeline.batch import build_all, print_summary
    from edi_reports.rendering.equality_page import write_demo_content
    from edi_reports.rendering.site import build_site

    if args.clean:
        return cmd_clean_demo(args, paths)
    say = _progress(args.quiet)
    say("making demo data ...")
    synthesise_demo(paths.raw, paths.content)
    write_demo_content(paths.content)
    outcomes = build_all(
        paths, settings_path=args.config, workers=args.workers, force=True, progress=say
    )
    print_summary(outcomes)
    index = build_site(
        paths.reports, settings=Settings.load(args.config), content_dir=paths.content
    )
    print(f"open {index}")
    return 1 if any(o.status == "failed" for o in outcomes) else 0


def cmd_clean_demo(args: argparse.Namespace, paths: Paths) -> int:
    from edi_reports.intake.synth import clean_demo, synthetic_orgs
    from edi_reports.rendering.site import build_site

    codes = synthetic_orgs(paths.raw)
    removed = clean_demo(paths.raw, paths.processed, paths.reports, paths.content)
    for path in removed:
        print(f"removed {path}")
    if not codes:
        print(f"no synthetic organisation under {paths.raw}; nothing removed")
        return 0
    if paths.reports.is_dir():
        build_site(paths.reports)
    print(f"removed the synthetic organisations {', '.join(codes)}; the website index is rebuilt")
    return 0


def cmd_new(args: argparse.Namespace, paths: Paths) -> int:
    from edi_reports.pipeline.scaffold import new_organisation, next_steps

    written = new_organisation(args.new_org, args.year, paths, name=args.name)
    print(f"wrote {len(written)} template file(s)")
    print(next_steps(args.new_org, args.year, paths))
    return 0


def cmd_preview(args: argparse.Namespace, paths: Paths) -> int:
    from edi_reports.pipeline.preview import serve

    serve(
        args.org,
        args.year,
        paths,
        settings_path=args.config,
        port=args.port,
        progress=_progress(args.quiet),
    )
    return 0


COMMANDS = {
    "synth": cmd_synth,
    "validate": cmd_validate,
    "build": cmd_build,
    "site": cmd_site,
    "demo": cmd_demo,
    "clean-demo": cmd_clean_demo,
    "new": cmd_new,
    "preview": cmd_preview,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``edi`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    previous = os.environ.get("EDI_RENDERER")
    if args.renderer:  # read by every build, also on batch workers started after this
        os.environ["EDI_RENDERER"] = args.renderer
    try:
        if args.config:  # a settings problem is reported before any work starts
            from edi_reports.config import Settings

            Settings.load(args.config)
        return COMMANDS[args.command](args, _paths(args))
    except EdiError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"edi {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted; the published reports are unchanged", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: still no traceback unless asked
        if args.debug:
            traceback.print_exc()
        print(
            f"edi {args.command}: unexpected error: {type(exc).__name__}: {exc}\n"
            "  Run again with --debug for the traceback and report it as a bug.",
            file=sys.stderr,
        )
        return 1
    finally:
        if previous is None:
            os.environ.pop("EDI_RENDERER", None)
        else:
            os.environ["EDI_RENDERER"] = previous


def run() -> None:
    """The ``edi`` console script: :func:`main`, then a quick exit.

    What must happen before the process ends happens first: its exit handlers (stopping
    kernels, flushing logs) and flushing its output. The process then leaves without
    taking apart every module and object it loaded, one by one, which took 0.4-0.6 s after a
    build (pandas, the report, the renderer); every file a command writes is closed by then.
    """
    import atexit

    code = main()  # argparse's own exits (--help, a bad option) leave as usual
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
