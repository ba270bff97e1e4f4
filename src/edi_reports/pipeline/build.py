"""Build one organisation and year: clean, validate, measure, report, render, publish.

Spec: architecture §1 (shape; papermill with checked parameters; one output folder per
org/year; publish atomically), data contract §3-§4 (outputs, exit status, a failed build
leaves the previous report untouched).

Each stage is a notebook in ``notebooks/`` executed by papermill into
``data/processed/<ORG>/<YEAR>/notebooks/``; publishable files are written to a staging
folder and moved into ``reports/<ORG>/<YEAR>/`` only when every stage succeeded.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import importlib
import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edi_reports import __version__
from edi_reports.config import PROJ_ROOT, Paths
from edi_reports.errors import EdiError, InputError, ParameterError, ValidationFailed

if TYPE_CHECKING:
    from edi_reports.disclosure.publication import Organisation
    from edi_reports.pipeline.engine import WarmKernel

STAGES: tuple[str, ...] = ("01_clean", "02_validate", "03_measure", "04_report")
VALIDATE_STAGES: tuple[str, ...] = ("01_clean", "02_validate")
PUBLISH_DIRNAME = "publish"
NOTEBOOK_DIRNAME = "notebooks"
#: The tag of the report notebook's last cell, which writes the published files and shows
#: nothing: as it starts, the PDF is begun from the outputs before it (:func:`_pdf_begun_early`).
PUBLISHED_FILES_TAG = "published-files"

Progress = Callable[[str], None]

_ERRORS: dict[str, type[EdiError]] = {
    "InputError": EdiError,
    "ValidationFailed": ValidationFailed,
    "ParameterError": ParameterError,
    "EdiError": EdiError,
    "NarrativeError": EdiError,
    "CodeError": EdiError,
    "SettingsError": EdiError,
}


@dataclass
class BuildResult:
    """What one build produced."""

    org: str
    year: int
    report_dir: Path | None
    processed_dir: Path
    timings: dict[str, float] = field(default_factory=dict)
    skipped: bool = False
    #: Wall-clock seconds of the whole build (stages overlap: not the sum of ``timings``).
    seconds: float = 0.0


def _quiet(_: str) -> None:
    return None


def notebook_parameters(
    org: str, year: int, paths: Paths, settings_path: Path | str | None, out_dir: Path
) -> dict[str, Any]:
    """The parameters every stage notebook declares (strings and ints only, architecture §1)."""
    return {
        "org": org,
        "year": int(year),
        "raw_dir": str(paths.raw),
        "processed_dir": str(paths.processed),
        "content_dir": str(paths.content),
        "out_dir": str(out_dir),
        "settings_path": str(settings_path) if settings_path else "",
    }


def check_parameters(notebook: Path, parameters: dict[str, Any]) -> None:
    """Fail on parameters the notebook does not declare (papermill itself only warns).

    Raises
    ------
    ParameterError
        Naming the unknown parameters and the ones the notebook accepts.
    """
    import papermill

    declared = set(papermill.inspect_notebook(str(notebook)))
    unknown = sorted(set(parameters) - declared)
    if unknown:
        raise ParameterError(
            f"{notebook.name}: unknown parameter(s) {', '.join(unknown)}; "
            f"this notebook accepts {', '.join(sorted(declared))}."
        )


@contextlib.contextmanager
def kernel_log(path: Path) -> Iterator[None]:
    """Send what kernels print to the process's standard error (start-up chatter such as
    ipykernel's transport warning) to ``path`` instead of the user's terminal."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "ab") as log:
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def run_notebook(
    notebook: Path,
    output: Path,
    parameters: dict[str, Any],
    cwd: Path,
    kernel: WarmKernel | None = None,
    *,
    inprocess: bool | None = None,
) -> None:
    """Execute one stage notebook with papermill; a failure becomes a plain :class:`EdiError`.

    Parameters
    ----------
    kernel
        A warm kernel (its namespace is wiped before the notebook runs), or None.
    inprocess
        With no kernel: run the notebook in this process (True) or on a new kernel started
        and stopped for it alone (False). None: in this process when ``EDI_KERNELS`` is
        ``auto`` (the default) or ``inprocess``.

    What a kernel started here, or a notebook run in this process, prints to the process's
    standard error goes to ``kernel.log`` beside the executed notebook (a warm kernel sends
    its own there itself).
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from edi_reports.pipeline import engine

    if inprocess is None:
        inprocess = engine.mode() in ("auto", "inprocess")
    check_parameters(notebook, parameters)
    output.parent.mkdir(parents=True, exist_ok=True)
    log = output.parent / "kernel.log"
    try:
        if kernel is not None:
            engine.execute(notebook, output, parameters, kernel, cwd=cwd, log=log)
        elif inprocess:
            from edi_reports.pipeline import inprocess as here

            with kernel_log(log):
                here.execute(notebook, output, parameters, cwd=cwd)
        else:
            with kernel_log(log):
                papermill.execute_notebook(
                    str(notebook),
                    str(output),
                    parameters=parameters,
                    kernel_name="python3",
                    progress_bar=False,
                    log_output=False,
                    request_save_on_cell_execute=False,  # one write at the end, as warm
                    cwd=str(cwd),
                )
    except PapermillExecutionError as exc:
        kind = _ERRORS.get(exc.ename)
        if kind is not None:
            raise kind(exc.evalue) from exc
        raise EdiError(
            f"stage {notebook.stem} stopped with an unexpected error ({exc.ename}: {exc.evalue}).\n"
            f"  The executed notebook is at {output}; run again with --debug for the traceback, "
            "and please report it with that notebook's error cell (it holds no personal values)."
        ) from exc
    except engine.KernelFailed as exc:
        raise EdiError(f"stage {notebook.stem}: {exc}; run the build again.") from exc
    except (RuntimeError, TimeoutError) as exc:  # nbclient: DeadKernelError, cell timeouts
        raise EdiError(
            f"stage {notebook.stem}: the notebook kernel stopped ({type(exc).__name__}: {exc}); "
            f"see {log} and run the build again."
        ) from exc


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def input_hashes(paths: Paths, org: str, year: int, settings_path: str | None) -> dict[str, str]:
    """SHA-256 of every input file, narrative file and the settings file of a build, and
    of this organisation's line of ``organisations.csv`` (not the whole file: adding
    another organisation does not change this one's build)."""
    from edi_reports.intake.organisations import row_hash

    files: list[Path] = sorted(p for p in paths.raw_for(org, year).glob("*") if p.is_file())
    marker = paths.raw / org / "SYNTHETIC"  # synth.SYNTHETIC_MARKER: the demo mark
    if marker.is_file():
        files.append(marker)
    line = {}
    if any((paths.raw / f"organisations.{ext}").is_file() for ext in ("csv", "xlsx")):
        line = {f"{paths.raw / 'organisations.csv'}#{org}": row_hash(paths.raw, org)}
    for folder in paths.content_for(org, year):
        if folder.is_dir():
            files.extend(sorted(p for p in folder.glob("*") if p.is_file()))
    from edi_reports.report.custom_sections import section_files

    files.extend(section_files(paths, org, year))  # the organisation's own sections
    if settings_path:
        files.append(Path(settings_path))
    return {str(p): file_sha256(p) for p in files} | line


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """Package version plus the git commit when running from a checkout (asked once per
    process: a batch checks hundreds of build keys)."""
    try:
        sha = subprocess.run(
            ["git", "-C", str(PROJ_ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        sha = ""
    return f"{__version__}+{sha}" if sha else __version__


def publish_atomically(staging: Path, target: Path) -> None:
    """Replace ``target`` with ``staging`` so readers see the old or the new report, never half.

    The new folder is written next to the target first, then swapped in with renames on the
    same file system; the old folder is removed only after the swap.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tag = f"{os.getpid()}-{int(time.time() * 1000)}"
    incoming = target.parent / f".{target.name}.incoming-{tag}"
    outgoing = target.parent / f".{target.name}.outgoing-{tag}"
    shutil.copytree(staging, incoming)
    if target.exists():
        os.replace(target, outgoing)
    os.replace(incoming, target)
    shutil.rmtree(outgoing, ignore_errors=True)


def _write_manifest(
    result: BuildResult,
    parameters: dict[str, Any],
    hashes: dict[str, str],
    partial: bool = False,
) -> None:
    from edi_reports.config import Settings

    settings_path = parameters.get("settings_path") or None
    manifest = {
        "org": result.org,
        "year": result.year,
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
        "code_version": code_version(),
        "python": platform.python_version(),
        "parameters": parameters,
        "settings_fingerprint": Settings.load(settings_path).fingerprint(),
        "inputs": hashes,
        "synthetic": any(Path(p).name == "SYNTHETIC" for p in hashes),
        "timings_seconds": {k: round(v, 3) for k, v in result.timings.items()},
    }
    from edi_reports import store

    facts = store.read_facts(result.processed_dir)
    if facts is not None:  # the organisation as looked up where the build started
        manifest["organisation"] = {
            "name": facts.name,
            "type": facts.type,
            "region": facts.region,
            "listed": facts.listed,
        }
    if partial:  # a batch's report phase: keep the measure phase's timings
        earlier = store.read_manifest(result.processed_dir).get("timings_seconds", {})
        manifest["timings_seconds"] = earlier | manifest["timings_seconds"]
    reconciliation = store.read_reconciliation(result.processed_dir)
    if reconciliation is not None:
        manifest["reconciliation"] = reconciliation.to_dict(orient="records")
    store.write_manifest(result.processed_dir, manifest)


def build(
    org: str,
    year: int,
    paths: Paths | None = None,
    *,
    settings_path: str | None = None,
    render: bool = True,
    stages: tuple[str, ...] = STAGES,
    progress: Progress = _quiet,
    overlap: bool = True,
) -> BuildResult:
    """Clean, validate, measure and report one organisation and year, then publish.

    Parameters
    ----------
    org, year
        The ODS code and snapshot year (data contract §1).
    paths
        Where to read and write (defaults: the repository's folders).
    settings_path
        A YAML settings file (config.Settings), or None for the defaults.
    render
        False stops after the measures: ``metrics.csv`` and the submission CSVs are written
        to the processed folder; nothing is published (``edi build --no-render``).
    stages
        The notebooks to run (``edi validate`` runs only the first two).
    progress
        Called with a short line as each stage starts and ends.
    overlap
        Validate on a kernel of its own that imports Great Expectations while this process
        cleans, and measure while it validates (:class:`edi_reports.pipeline.engine.Checker`;
        with ``EDI_KERNELS=warm``, a second kernel beside the main one,
        :func:`_validation_kernel`), and begin the PDF as the report stage writes its
        published files (:func:`_pdf_begun_early`): a one-off build on an otherwise idle
        machine. A batch passes False: its workers build more than once (Great Expectations
        would be imported again for every build) and keep both cores busy anyway.

    Raises
    ------
    EdiError
        With a plain message; the previously published report is left untouched.
    """
    from edi_reports.codes import org_code
    from edi_reports.codes import year as checked_year
    from edi_reports.config import Settings
    from edi_reports.disclosure.floors import report_weakened

    began = time.perf_counter()
    paths = absolute_paths(paths or Paths())
    org = org_code(org)
    year = checked_year(year)
    settings = Settings.load(settings_path)  # a bad settings file stops here
    report_weakened(settings)
    raw = paths.raw_for(org, year)
    if not raw.is_dir():
        raise InputError(
            str(raw),
            "there is no input folder for this organisation and year",
            f"put workforce.csv (and the optional files) in {raw}, or run `edi synth` for demo data",
        )
    work = paths.processed_for(org, year)
    work.mkdir(parents=True, exist_ok=True)
    staging = work / PUBLISH_DIRNAME
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    parameters = notebook_parameters(org, year, paths, settings_path, staging)
    result = BuildResult(org=org, year=year, report_dir=None, processed_dir=work)
    run_stages = stages if render else tuple(s for s in stages if s != "04_report")
    total = len(run_stages) + (1 if render and "04_report" in run_stages else 0)
    label = f"[{org} {year}]"
    needles: Future[Any] | None = None
    early: list[Any] = []  # the PDF, begun before the report stage's last cell (_pdf_begun_early)
    validating: Future[Any] | None = None  # the validation stage, running on the checker
    wants_checker = overlap and "02_validate" in run_stages
    try:
        with contextlib.ExitStack() as kernels:
            from edi_reports.pipeline import engine

            # EDI_KERNELS=auto: the helpers are forked first (the drawer now, the validator
            # once pandas and papermill are imported), or else the validation kernel is
            # launched; the other stages run in this process
            from edi_reports.report.custom_sections import section_files

            own_sections = render and bool(section_files(paths, org, year))
            checker = kernels.enter_context(engine.checker(wants_checker, kernel=own_sections))
            kernel = launched = None
            if engine.enabled():  # EDI_KERNELS=warm: every stage on kernels
                launched = kernels.enter_context(_validation_kernel(wants_checker))
                kernel = kernels.enter_context(_kernel(launched))
            # meanwhile this process looks up the organisation, hashes the inputs and imports
            # papermill
            forks = getattr(checker, "fork_validator", None)  # no thread of ours before it
            papermill_ready = (
                None if forks else _in_background(importlib.import_module, "papermill")
            )
            from edi_reports import store
            from edi_reports.disclosure.publication import organisation  # (imports pandas)

            who = organisation(paths, org)  # looked up once, carried in published.json
            hashes = input_hashes(paths, org, year, settings_path)
            if forks:  # the validator shares pandas and papermill with this process
                importlib.import_module("papermill")
                # what is loaded so far lives as long as both processes: out of their
                # collectors' reach, and out of the pages the validator copies on write
                freeze_once("build")
                forks()
            else:
                papermill_ready.result()
            warm_checker = _started(launched)
            try:
                for i, stage in enumerate(run_stages, start=1):
                    progress(f"{label} {i}/{total} {stage[3:]}")
                    notebook = paths.notebooks / f"{stage}.ipynb"
                    executed = work / NOTEBOOK_DIRNAME / f"{stage}.ipynb"
                    if stage == "02_validate" and checker is not None:
                        # the measures go on meanwhile; what reads the validation result
                        # waits for it (store.validation_pending), and nothing is published
                        # before it has passed (_settle)
                        validating = checker.validate(notebook, executed, parameters, work)
                        kernels.enter_context(store.validation_pending(work, validating.result))
                        continue
                    if stage == "04_report" and not _published_with(work, settings):
                        _disclose(paths, org, year, settings, who, result)
                    started = time.perf_counter()
                    if stage == "02_validate" and warm_checker and "04_report" in run_stages:
                        kernel.warm_up()  # the main kernel is idle while the checker validates
                    if stage == "04_report" and render:
                        # ready the renderer and read the guard's inputs beside the report
                        from edi_reports.disclosure.guard import needles_from_inputs

                        _preimport_renderer()
                        needles = (
                            checker.needles(raw, settings.limits)  # a helper: off this core
                            if hasattr(checker, "needles")
                            else _in_background(needles_from_inputs, raw, settings.limits)
                        )
                    with (
                        _charts_drawn_by(checker if stage == "04_report" else None),
                        _pdf_begun_early(
                            overlap
                            and stage == "04_report"
                            and render
                            and not own_sections
                            and not kernel,
                            lambda nb: _begin_pdf(nb, paths, org, year, settings, who.name, work),
                            early,
                        ),
                    ):
                        run_notebook(
                            notebook,
                            executed,
                            parameters,
                            cwd=work,
                            kernel=warm_checker
                            if stage == "02_validate" and warm_checker
                            else kernel,
                        )
                    result.timings[stage] = time.perf_counter() - started
                    if stage == "03_measure":
                        _disclose(paths, org, year, settings, who, result)
            except BaseException:
                _settle(validating, work, result)  # a failed validation is the answer
                raise
            _settle(validating, work, result)
            if render and "04_report" in run_stages:  # the organisation's own sections
                from edi_reports.report.custom_sections import run_sections

                started = time.perf_counter()
                run = functools.partial(
                    run_sections, org, year, paths, parameters, work, staging, progress=progress
                )
                if kernel or engine.mode() != "auto" or not own_sections:
                    ran = run(kernel=kernel)
                elif isinstance(checker, engine.Checker):  # on a kernel, never in here
                    ran = checker.submit(lambda k: run(kernel=k)).result()
                else:
                    ran = _on_pool_kernel(run)
                if ran:
                    result.timings["sections"] = time.perf_counter() - started
        if render and "04_report" in run_stages:
            progress(f"{label} {total}/{total} render")
            from edi_reports.disclosure.guard import guard_build

            # the last line: no row-level value, by any route; what is written by the time
            # the page is (everything but the PDF) is checked while the PDF is made
            assets = _page_assets()

            def guard(skip: Collection[str] = ()) -> set[str]:
                return guard_build(
                    raw,
                    staging,
                    work / NOTEBOOK_DIRNAME / "04_report.ipynb",
                    settings.limits,
                    needles=_needles(needles),  # read beside the report: waited for here
                    assets=assets,
                    skip=skip,
                )

            checked: set[str] = set()
            started = time.perf_counter()
            _render(
                org,
                year,
                paths,
                work,
                staging,
                settings_path,
                who.name,
                meanwhile=lambda: checked.update(guard()),
                early_pdf=early[0] if early else None,
            )
            result.timings["render"] = time.perf_counter() - started
            started = time.perf_counter()
            guard(skip=checked)
            result.timings["publish_guard"] = time.perf_counter() - started
            publish_atomically(staging, paths.reports_for(org, year))
            result.report_dir = paths.reports_for(org, year)
        _write_manifest(result, parameters, hashes, partial=run_stages[0] != STAGES[0])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.seconds = time.perf_counter() - began
    progress(f"{label} done in {result.seconds:.1f} s")
    return result


def _page_assets() -> list[str]:
    """The chart bundle the page inlines whole (the guard need not search it), if it is at
    hand; an empty list otherwise (the guard then searches it as any text)."""
    try:
        from edi_reports.rendering.offline import vega_bundle

        return [vega_bundle()]
    except Exception:
        return []


def _needles(future: Future[Any] | None) -> Any:
    """The guard's needles read beside the report, or None (the guard reads them itself)
    when they were not, or when the helper that read them stopped."""
    from edi_reports.pipeline.helper import HelperFailed

    if future is None:
        return None
    try:
        return future.result()
    except HelperFailed:
        return None


@contextlib.contextmanager
def _charts_drawn_by(checker: Any) -> Iterator[None]:
    """The report's charts drawn by the build's helper process, when it has one
    (:class:`edi_reports.pipeline.helper.Helper`): the report stage goes on meanwhile."""
    if not getattr(checker, "draws", False):
        yield
        return
    from edi_reports.report import display

    with display.drawn_by(checker.draw):
        yield


def _settle(validating: Future[float] | None, work: Path, result: BuildResult) -> None:
    """Wait for the validation stage running on the checker, if any, and record its time.

    Raises
    ------
    EdiError
        The validation stage's own error (``ValidationFailed`` for failed checks); what the
        measure and disclose stages wrote meanwhile is discarded first.
    """
    from edi_reports import store
    from edi_reports.pipeline import engine

    if validating is None:
        return
    try:
        result.timings["02_validate"] = validating.result()
    except engine.KernelFailed as exc:
        store.discard_measured(work)
        raise EdiError(f"could not start a notebook kernel: {exc}") from exc
    except BaseException:
        store.discard_measured(work)
        raise


def _on_pool_kernel(run: Callable[..., Any]) -> Any:
    """``run(kernel=...)`` on a warm kernel of this process's pool (the organisation's own
    sections in a batch worker: their code never runs in the build process)."""
    from edi_reports.pipeline import engine

    try:
        with engine.POOL.lease() as kernel:
            return run(kernel=kernel)
    except engine.KernelFailed as exc:
        raise EdiError(f"could not start a notebook kernel: {exc}") from exc


@contextlib.contextmanager
def _kernel(checker: WarmKernel | None = None) -> Iterator[WarmKernel | None]:
    """A warm kernel leased for every stage of one build, or None (``EDI_KERNELS=fresh``).

    With a validation kernel (``checker``) beside it, a new main kernel does not import
    Great Expectations itself."""
    from edi_reports.pipeline import engine

    if not engine.enabled():
        yield None
        return
    try:
        # not waiting for a new kernel's answer: it comes before the first notebook
        with engine.POOL.lease(engine.MAIN_MODULES if checker else None, wait=False) as kernel:
            yield kernel
    except engine.KernelFailed as exc:
        raise EdiError(f"could not start a notebook kernel: {exc}") from exc


def _started(checker: WarmKernel | None) -> WarmKernel | None:
    """The validation kernel once it has answered, or None when it failed to start (the
    main kernel then validates, as without one)."""
    from edi_reports.pipeline import engine

    if checker is None:
        return None
    try:
        checker.started()
    except engine.KernelFailed:
        return None
    return checker


@contextlib.contextmanager
def _validation_kernel(wanted: bool) -> Iterator[WarmKernel | None]:
    """A second kernel importing Great Expectations for the validation stage while the main
    kernel starts and cleans (:func:`edi_reports.pipeline.engine.validation_kernel`)."""
    from edi_reports.pipeline import engine

    with engine.validation_kernel(wanted) as kernel:
        yield kernel


def _in_background(fn: Callable[..., Any], *args: Any) -> Future[Any]:
    """``fn(*args)`` in a daemon thread; its result (or exception) from the future."""
    import threading

    future: Future[Any] = Future()

    def work() -> None:
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # re-raised by future.result() in the build
            future.set_exception(exc)

    threading.Thread(target=work, name="edi-background", daemon=True).start()
    return future


def _preimport_renderer() -> None:
    """Import the renderer (nbconvert, pandoc, Typst) in a background thread while the
    kernel runs the report notebook: this process is otherwise idle, and the machine has a
    second core. Importing again later is free; an import error surfaces in the render."""
    import threading

    def work() -> None:
        with contextlib.suppress(Exception):
            from edi_reports.rendering import offline as render

            render.warm_up()

    threading.Thread(target=work, name="edi-preimport", daemon=True).start()


#: The kinds of work after whose first run in this process its heap was frozen.
_FROZEN: set[str] = set()


def freeze_once(kind: str, collect: bool = False) -> None:
    """The first time in this process for ``kind``: freeze every object the garbage
    collector tracks out of its reach (:func:`gc.freeze`), after a full collection with
    ``collect``.

    What a process has loaded by then lives as long as it does, and Python's full
    collections walk every tracked object each time: in a batch of 12, a worker ran six at
    about 0.2 s each, over Great Expectations' context, vl-convert, nbconvert, Typst and the
    page templates. A one-off build freezes what it has imported before it forks its
    validator (``"build"``), so that neither process walks it again and the validator's
    copy-on-write pages stay shared; a batch worker after its first measure task and its
    first report task (``"measure"``, ``"report"``), collecting first. Frozen objects are
    still freed when their last reference goes; only a reference cycle among them that
    becomes garbage later would stay, so this runs once per kind and process (a preview
    server's rebuilds, a test run's many builds), never after every build.
    """
    if kind in _FROZEN:
        return
    _FROZEN.add(kind)
    if collect:
        gc.collect()
    gc.freeze()


def absolute_paths(paths: Paths) -> Paths:
    """The same folders as absolute paths: notebooks run with their own working folder."""
    return dataclasses.replace(
        paths, **{f.name: Path(getattr(paths, f.name)).resolve() for f in dataclasses.fields(paths)}
    )


def _disclose(
    paths: Paths,
    org: str,
    year: int,
    settings: Any,
    who: Organisation,
    result: BuildResult,
) -> None:
    """The disclosure step (architecture §1): publish this year's metrics once, in this
    process, and say which earlier years the trends must leave out."""
    from edi_reports.disclosure import publication

    started = time.perf_counter()
    publication.publish_year(paths, org, year, settings, who)
    result.timings["disclose"] = time.perf_counter() - started
    missing = publication.unpublished_earlier_years(paths, org, year)
    if missing:
        print(publication.rebuild_warning(org, missing), file=sys.stderr)


def _published_with(work: Path, settings: Any) -> bool:
    """Whether the folder holds published tables made with these settings (a report-only
    run after a measure run by an older version, or with other settings, publishes again)."""
    from edi_reports import store

    facts = store.read_facts(work)
    return facts is not None and facts.settings_fingerprint == settings.fingerprint()


def _render(
    org: str,
    year: int,
    paths: Paths,
    work: Path,
    staging: Path,
    settings_path: str | None = None,
    name: str | None = None,
    meanwhile: Callable[[], Any] | None = None,
    early_pdf: Any = None,
) -> None:
    from edi_reports.config import Settings
    from edi_reports.rendering import offline as renderer

    if name is None:
        from edi_reports.disclosure.publication import organisation

        name = organisation(paths, org).name
    settings = Settings.load(settings_path)
    synthetic = False
    with contextlib.suppress(OSError, ValueError):  # the flag the report stage published
        synthetic = bool(json.loads((staging / "summary.json").read_text()).get("synthetic"))
    from edi_reports.report.custom_sections import report_notebook

    renderer.render_report(
        report_notebook(work),
        staging,
        renderer=_renderer_name(settings),
        meanwhile=meanwhile,
        early_pdf=early_pdf,
        **_report_arguments(paths, org, year, settings, name, synthetic),
    )
    leaks = sorted(p.name for p in staging.iterdir() if p.suffix in {".ipynb", ".parquet"})
    if leaks:  # belt and braces: nothing row-level or executable is ever published
        raise EdiError(f"refusing to publish internal files: {', '.join(leaks)}")


def _renderer_name(settings: Any) -> str:
    """``--renderer`` (``EDI_RENDERER``) if given, else the ``render.renderer`` setting."""
    return os.environ.get("EDI_RENDERER") or settings.render.renderer


def _report_arguments(
    paths: Paths, org: str, year: int, settings: Any, name: str, synthetic: bool
) -> dict[str, Any]:
    """What :func:`edi_reports.rendering.offline.render_report` is given for one report
    besides its notebook, folder and renderer: titles, branding and the synthetic mark."""
    from edi_reports.config import financial_year_label
    from edi_reports.report.branding import load_branding

    label = financial_year_label(year)
    return {
        "title": f"{name}: workforce equality report {label}",
        "author": name,
        "description": f"Workforce equality figures for {name}, {label}: pay gaps, WRES, "
        "WDES and workforce profile.",
        "subtitle": f"Snapshot {settings.snapshot_date(year):%-d %B %Y} · financial year {label}",
        "branding": load_branding(paths, org, year, settings),
        "breadcrumbs": [
            {"href": "../../index.html", "label": "All reports"},
            {"href": "../index.html", "label": name},
        ],
        "synthetic": synthetic,
    }


def _offline(settings: Any) -> bool:
    """Whether the report will be rendered by the offline renderer (not Quarto)."""
    from edi_reports.rendering.quarto import resolve_renderer

    return resolve_renderer(_renderer_name(settings)) == "offline"


def _begin_pdf(
    nb: Any, paths: Paths, org: str, year: int, settings: Any, name: str, work: Path
) -> Any | None:
    """The report's PDF begun from ``nb``, the report notebook as executed so far, with
    what the render will be given (the synthetic mark from the published facts, which the
    report stage's last cell copies into ``summary.json``); None when Quarto will render
    the report (asked here, not before: the renderer is imported in the background as
    the report stage starts, :func:`_preimport_renderer`)."""
    from edi_reports import store
    from edi_reports.rendering import offline as renderer

    if not _offline(settings):
        return None

    facts = store.read_facts(work)
    synthetic = bool(facts is not None and facts.synthetic)
    return renderer.begin_pdf(nb, **_report_arguments(paths, org, year, settings, name, synthetic))


@contextlib.contextmanager
def _pdf_begun_early(wanted: bool, begin: Callable[[Any], Any], early: list[Any]) -> Iterator[None]:
    """While the report notebook runs in this process: as its last cell (tagged
    :data:`PUBLISHED_FILES_TAG`, which writes the published files and shows nothing) starts,
    ``begin(nb)`` begins the PDF from the outputs so far and it is put in ``early``
    (:class:`edi_reports.rendering.offline.EarlyPdf`; the render uses it only if the
    finished notebook gives the same PDF source). A failure to begin is no failure: the
    render makes the PDF as usual."""
    if not wanted:
        yield
        return
    from edi_reports.pipeline import inprocess

    def callback(nb: Any) -> None:
        try:
            begun = begin(nb)
            if begun is not None:
                early.append(begun)
        except Exception:  # the render makes the PDF itself, and meets any real error
            logging.getLogger(__name__).debug("the PDF was not begun early", exc_info=True)

    with inprocess.before_tagged(PUBLISHED_FILES_TAG, callback):
        yield


def discover(raw_dir: Path) -> list[tuple[str, int]]:
    """Every ``<ORG>/<YEAR>/`` folder under the raw folder, sorted.

    Only folders named by the rule of :mod:`edi_reports.codes` count (an organisation code,
    then a year); any other folder is skipped with a warning on standard error, so a folder
    name never reaches a published page or a path unchecked.
    """
    from edi_reports.codes import is_org_code, is_year, shown

    found: list[tuple[str, int]] = []
    if not raw_dir.is_dir():
        return found
    for org_dir in sorted(p for p in raw_dir.iterdir() if p.is_dir()):
        if not is_org_code(org_dir.name.upper()):
            if not org_dir.name.startswith("."):
                print(
                    f"warning: {raw_dir}: skipped the folder {shown(org_dir.name)}: not an "
                    "organisation code (3 to 12 letters and digits)",
                    file=sys.stderr,
                )
            continue
        for year_dir in sorted(p for p in org_dir.iterdir() if p.is_dir()):
            if is_year(year_dir.name):
                found.append((org_dir.name.upper(), int(year_dir.name)))
    return found
