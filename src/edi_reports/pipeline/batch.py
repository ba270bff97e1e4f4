"""Build every organisation-year found under the raw folder.

Spec: architecture §1 (one output folder per org/year, so builds run in parallel without
sharing files; publish atomically), data contract §4 (``--all``, ``--workers``,
``--scheduler``; exit status).

A batch runs in three phases so that every report can show the national benchmarks of its
year:

1. **measure** — one task per organisation runs the clean, validate and measure notebooks of
   its years in order (a year's figures compare with the year before);
2. **national** — one vectorised pass per year over every organisation's cleaned workforce
   (:func:`edi_reports.measures.national.build_national`) writes
   ``data/processed/national/<YEAR>/metrics.csv`` and ``benchmarks.csv``;
3. **report** — one task per organisation-year runs the report notebook, renders HTML and PDF
   and publishes atomically.

Tasks run in this process (``workers=1``), on a pool of ``workers`` local processes
(:class:`concurrent.futures.ProcessPoolExecutor`), or on Dask: a running cluster given by its
scheduler address, or a LocalCluster of ``workers`` processes with ``scheduler="local"``.
The plain pool is the default on one machine because it costs less: measured on a 2-core
machine, starting and stopping a 2-worker Dask LocalCluster cost about 4 CPU seconds (its
scheduler, nannies and the ``distributed`` imports in every process) against under 1 for the
pool, and its start-up is seconds of waiting before the first task. Every worker process keeps
one warm notebook kernel (:mod:`edi_reports.pipeline.engine`) across stages and organisations;
a batch's builds do not start a second kernel for validation (``overlap=False``), since every
worker builds more than once and the workers keep the cores busy between them.

One failing organisation does not stop the others; the run ends with a summary (built,
skipped, failed with the reason). An organisation-year is skipped when its build key (a hash
of its inputs and earlier years' inputs, content, settings, code version and notebooks) equals
the key recorded in ``manifest.json`` by its last successful build and its outputs are in
place; ``force`` rebuilds. Keys are checked before any cluster starts, so a run with nothing
to do takes about as long as hashing the inputs.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from edi_reports.config import Paths, Settings
from edi_reports.errors import EdiError
from edi_reports.pipeline.build import (
    STAGES,
    Progress,
    absolute_paths,
    build,
    code_version,
    discover,
    file_sha256,
    freeze_once,
    input_hashes,
)

MEASURE_STAGES: tuple[str, ...] = tuple(s for s in STAGES if s != "04_report")
REPORT_STAGES: tuple[str, ...] = ("04_report",)


@dataclass(frozen=True)
class Outcome:
    """What happened to one organisation-year in a batch."""

    org: str
    year: int
    status: str  # built | skipped | failed
    seconds: float
    reason: str = ""


def build_key(
    paths: Paths,
    org: str,
    year: int,
    settings_path: str | None,
    found: list[tuple[str, int]] | None = None,
) -> str:
    """A hash of everything a build depends on.

    The organisation's inputs for this year and every earlier year (the report compares with
    earlier years), its content, the settings, the code version and the stage notebooks.
    ``found`` is :func:`~edi_reports.pipeline.build.discover`'s answer when the caller has it.
    """
    found = discover(paths.raw) if found is None else found
    earlier = sorted(y for o, y in found if o == org and y < year)
    parts = {
        "inputs": input_hashes(paths, org, year, settings_path),
        "earlier_inputs": {
            str(y): {
                str(p.name): file_sha256(p)
                for p in sorted(paths.raw_for(org, y).glob("*"))
                if p.is_file()
            }
            for y in earlier
        },
        "settings": Settings.load(settings_path).fingerprint(),
        "code": code_version(),
        "notebooks": {p.name: file_sha256(p) for p in sorted(paths.notebooks.glob("*.ipynb"))},
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def is_up_to_date(paths: Paths, org: str, year: int, key: str, render: bool) -> bool:
    """True when the last successful build used the same key and its outputs are in place."""
    return _published(paths, org, year, render, key)


def _record_key(paths: Paths, org: str, year: int, key: str) -> None:
    from edi_reports import store

    folder = store.org_year(paths, org, year)
    store.write_manifest(folder, store.read_manifest(folder) | {"build_key": key})


def _failure(org: str, year: int, started: float, exc: BaseException) -> Outcome:
    if isinstance(exc, EdiError):
        reason = str(exc)
    else:  # one organisation's bug must not stop the batch
        reason = f"unexpected error {type(exc).__name__}: {exc}"
    return Outcome(org, year, "failed", time.perf_counter() - started, reason)


def measure_org(
    org: str,
    years: list[int],
    keys: dict[int, str],
    paths: Paths,
    settings_path: str | None,
    render: bool,
) -> list[Outcome]:
    """Phase 1: clean, validate and measure the given years of one organisation, in order.

    Never raises for bad input. Returns ``measured`` outcomes (``built`` with
    ``render=False``, when the key is recorded at once) or ``failed`` with the reason.
    """
    outcomes: list[Outcome] = []
    for year in sorted(years):
        started = time.perf_counter()
        try:
            build(
                org,
                year,
                paths,
                settings_path=settings_path,
                render=False,
                stages=MEASURE_STAGES,
                overlap=False,
            )
            if not render:
                _record_key(paths, org, year, keys[year])
            status = "measured" if render else "built"
            outcomes.append(Outcome(org, year, status, time.perf_counter() - started))
        except Exception as exc:
            outcomes.append(_failure(org, year, started, exc))
    if render:  # this worker draws charts next: start vl-convert while the kernel waits
        from edi_reports.pipeline.engine import warm_up_idle

        warm_up_idle()
    freeze_once("measure", collect=True)
    return outcomes


def report_org_year(
    org: str, year: int, key: str, paths: Paths, settings_path: str | None, seconds: float
) -> Outcome:
    """Phase 3: the report notebook, rendering and atomic publishing of one org-year."""
    started = time.perf_counter()
    try:
        build(
            org,
            year,
            paths,
            settings_path=settings_path,
            render=True,
            stages=REPORT_STAGES,
            overlap=False,
        )
        _record_key(paths, org, year, key)
        return Outcome(org, year, "built", seconds + time.perf_counter() - started)
    except Exception as exc:
        failed = _failure(org, year, started, exc)
        return Outcome(org, year, "failed", seconds + failed.seconds, failed.reason)
    finally:
        freeze_once("report", collect=True)


def national_pass(paths: Paths, years: list[int], settings_path: str | None) -> list[int]:
    """Phase 2: the national headline metrics and benchmarks of each year; years written."""
    from edi_reports.measures.national import build_national

    settings = Settings.load(settings_path)
    return [y for y in sorted(set(years)) if build_national(paths, y, settings) is not None]


def build_all(
    paths: Paths,
    *,
    settings_path: str | None = None,
    render: bool = True,
    workers: int = 1,
    scheduler: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
    years: list[int] | None = None,
) -> list[Outcome]:
    """Build every ``<ORG>/<YEAR>`` folder under ``paths.raw`` (see the module docstring).

    Parameters
    ----------
    paths
        Where to read and write.
    settings_path
        A YAML settings file, or None for the defaults of methodology §12.3.
    render
        False stops each build after the measures (no report, nothing published).
    workers
        1 builds in this process; more starts that many worker processes.
    scheduler
        Address of a running Dask scheduler (``tcp://host:8786``), which overrides
        ``workers``; or ``"local"``: a Dask LocalCluster of ``workers`` processes instead of
        the plain process pool.
    force
        Rebuild even when inputs, content, settings, code and notebooks are unchanged.
    progress
        Called with one line per finished task and phase.
    years
        Build only these snapshot years (``edi build --all --year 2025``); None builds
        every year found. Earlier years' inputs still count in the build key.

    Returns
    -------
    list of Outcome
        One per organisation-year, sorted; statuses ``built``, ``skipped`` or ``failed``.

    Raises
    ------
    EdiError
        When there is nothing to build at all.
    """
    paths = absolute_paths(paths)
    found = discover(paths.raw)
    if not found:
        raise EdiError(
            f"{paths.raw}: no <ORG>/<YEAR>/ input folders found; run `edi synth` or add data"
        )
    say = progress or (lambda _: None)
    wanted = [(o, y) for o, y in found if years is None or y in years]
    if not wanted:
        raise EdiError(
            f"{paths.raw}: no input folder for {', '.join(map(str, years or []))}; "
            f"years found: {', '.join(sorted({str(y) for _, y in found}))}"
        )
    with contextlib.ExitStack() as stack:
        executor = _Executor(workers, scheduler, say, warm=True)
        # the workers start (a new interpreter each, then their imports) while the build
        # keys are worked out here, unless every report is in place and may be unchanged
        early = force or not all(_published(paths, o, y, render) for o, y in wanted)
        started = stack.enter_context(executor) if early else None

        def runner() -> Runner:
            return started or stack.enter_context(executor)

        return _build(paths, wanted, found, settings_path, render, force, say, runner)


def _input_sizes(paths: Paths, org_years: list[tuple[str, int]]) -> dict[tuple[str, int], int]:
    """Bytes of input of each org-year (its raw folder's files): how long its build takes,
    roughly, to order a phase's tasks by."""
    return {
        (org, year): sum(
            p.stat().st_size for p in paths.raw_for(org, year).glob("*") if p.is_file()
        )
        for org, year in org_years
    }


def _published(paths: Paths, org: str, year: int, render: bool, key: str | None = None) -> bool:
    """Whether an earlier build of this org-year recorded a build key (``key`` itself, when
    given: :func:`is_up_to_date`) and left its outputs in place."""
    from edi_reports import store

    folder = store.org_year(paths, org, year)
    recorded = store.read_manifest(folder).get("build_key")
    if not recorded or (key is not None and recorded != key):
        return False
    if render:
        return (paths.reports_for(org, year) / "index.html").exists()
    return store.has_metrics(folder)


def _build(
    paths: Paths,
    wanted: list[tuple[str, int]],
    found: list[tuple[str, int]],
    settings_path: str | None,
    render: bool,
    force: bool,
    say: Callable[[str], None],
    runner: Callable[[], Runner],
) -> list[Outcome]:
    """:func:`build_all` once its folders are found: the build keys, then the three phases
    on the runner that ``runner()`` returns (asked for only when there is work to do)."""
    outcomes: dict[tuple[str, int], Outcome] = {}
    todo: dict[str, dict[int, str]] = {}
    for org, year in wanted:
        started = time.perf_counter()
        key = build_key(paths, org, year, settings_path, found)
        if not force and is_up_to_date(paths, org, year, key, render):
            outcomes[org, year] = Outcome(
                org, year, "skipped", time.perf_counter() - started, "unchanged"
            )
        else:
            todo.setdefault(org, {})[year] = key
    n_todo = sum(len(y) for y in todo.values())
    say(
        f"{len(wanted)} organisation-year(s): {n_todo} to build, "
        f"{len(wanted) - n_todo} unchanged (skipped)"
    )
    years = sorted({y for _, y in wanted})
    if n_todo == 0:
        missing = [y for y in years if not (_national_file(paths, y)).exists()]
        if missing:
            national_pass(paths, missing, settings_path)
        return [outcomes[k] for k in sorted(outcomes)]
    run = runner()
    size = _input_sizes(paths, [(o, y) for o, keys in todo.items() for y in keys])
    # the largest first, so that the last task to finish is a small one (a pool's other
    # workers wait for it at the end of each phase)
    measure_tasks = [
        (measure_org, (org, sorted(keys), keys, paths, settings_path, render))
        for org, keys in sorted(todo.items(), key=lambda kv: -sum(size[kv[0], y] for y in kv[1]))
    ]
    measured: list[Outcome] = []
    for result in run(measure_tasks, "measure"):
        measured.extend(result)
    started = time.perf_counter()
    written = national_pass(paths, years, settings_path)
    say(
        f"national benchmarks for {', '.join(map(str, written)) or 'no year'} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    report_tasks = [
        (report_org_year, (o.org, o.year, todo[o.org][o.year], paths, settings_path, o.seconds))
        for o in sorted(measured, key=lambda o: -size[o.org, o.year])
        if o.status == "measured"
    ]
    for o in measured:
        if o.status != "measured":
            outcomes[o.org, o.year] = o
    for o in run(report_tasks, "report"):
        outcomes[o.org, o.year] = o
    return [outcomes[k] for k in sorted(outcomes)]


def _national_file(paths: Paths, year: int):
    from edi_reports.measures.national import national_dir

    return national_dir(paths, year) / "benchmarks.csv"


Runner = Callable[[list[tuple[Callable[..., Any], tuple[Any, ...]]], str], Iterator[Any]]


class _Executor:
    """Runs task lists in this process, on a local process pool or on Dask; shuts down warm
    kernels at the end."""

    def __init__(
        self,
        workers: int,
        scheduler: str | None,
        say: Callable[[str], None],
        warm: bool = False,
    ) -> None:
        self.workers, self.scheduler, self.say, self.warm = workers, scheduler, say, warm
        self.client: Any = None
        self.cluster: Any = None
        self.pool: Any = None

    def __enter__(self) -> Runner:
        if self.scheduler is None and self.workers <= 1:
            return self._local
        if self.scheduler is None:
            self.pool = self._new_pool(self.workers, self.warm)
            # a process pool starts its workers at the first task: now, not when the first
            # real task is ready
            self.pool.submit(_ready)
            return self._processes
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise EdiError(
                "Dask builds need Dask: pip install 'edi-reports[scale]' (or leave out --scheduler)"
            ) from exc
        if self.scheduler != "local":
            self.client = Client(self.scheduler)
        else:
            self.cluster = LocalCluster(
                n_workers=max(self.workers, 1),
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
            )
            self.client = Client(self.cluster)
        return self._dask

    def __exit__(self, *exc: object) -> None:
        from edi_reports.pipeline import engine

        if self.pool is not None:  # each worker stops its kernels as it exits
            self.pool.shutdown(wait=True, cancel_futures=True)
            return
        if self.client is None:
            engine.shutdown_kernels()
            return
        if self.cluster is not None:  # our own cluster: stop its kernels, then the cluster
            with contextlib.suppress(Exception):
                self.client.run(engine.shutdown_kernels)
        # On a cluster given by --scheduler the workers keep their warm kernels for the next
        # batch; a kernel stops with its worker.
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    @staticmethod
    def _new_pool(workers: int, warm: bool = False) -> Any:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn: a new interpreter per worker, as Dask starts them (no state of this process,
        # such as open sockets or threads, is copied into a worker)
        return ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_started,
            initargs=(warm,),
        )

    def _report(self, phase: str, done: int, total: int, result: Any) -> None:
        for o in result if isinstance(result, list) else [result]:
            extra = f": {o.reason.splitlines()[0]}" if o.status == "failed" else ""
            self.say(
                f"[{o.org} {o.year}] {phase}: {o.status} ({o.seconds:.1f} s){extra}"
                f" [{done}/{total}]"
            )

    def _local(self, tasks, phase):
        for done, (fn, args) in enumerate(tasks, 1):
            result = fn(*args)
            self._report(phase, done, len(tasks), result)
            yield result

    def _processes(self, tasks, phase):
        from concurrent.futures import as_completed
        from concurrent.futures.process import BrokenProcessPool

        futures = {self.pool.submit(fn, *args): (fn, args) for fn, args in tasks}
        lost: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
        done = 0
        for future in as_completed(futures):
            try:
                result = future.result()
            except BrokenProcessPool:  # a worker died: every unfinished task is lost with it
                lost.append(futures[future])
                continue
            done += 1
            self._report(phase, done, len(tasks), result)
            yield result
        if not lost:
            return
        # Which task killed its worker is unknown: each lost task runs again alone, in a new
        # one-process pool, so that a task that kills its worker again fails by itself.
        self.pool.shutdown(wait=True)
        self.pool = self._new_pool(1, self.warm)
        for fn, args in sorted(lost, key=lambda task: task[1][:2]):
            try:
                result = self.pool.submit(fn, *args).result()
            except BrokenProcessPool as exc:
                result = _lost(fn, args, exc)
                self.pool.shutdown(wait=True)
                self.pool = self._new_pool(1, self.warm)
            done += 1
            self._report(phase, done, len(tasks), result)
            yield result
        self.pool.shutdown(wait=True)
        self.pool = self._new_pool(self.workers)

    def _dask(self, tasks, phase):
        from dask.distributed import as_completed

        if not tasks:
            return
        futures = [self.client.submit(fn, *args, pure=False) for fn, args in tasks]
        for done, (_f, result) in enumerate(as_completed(futures, with_results=True), 1):
            self._report(phase, done, len(tasks), result)
            yield result


def _worker_started(warm: bool = False) -> None:
    """Run by each pool worker as it starts: stop its warm kernels when it exits, then
    leave at once (:func:`_leave_now`); with ``warm``, import what a build's first task needs
    (papermill, Great Expectations) before it arrives.

    A pool worker leaves through :mod:`multiprocessing`'s exit handlers, not ``atexit``
    (which :mod:`edi_reports.pipeline.engine` uses for a build in the main process).
    """
    from multiprocessing.util import Finalize

    from edi_reports.pipeline import engine

    Finalize(engine.POOL, engine.shutdown_kernels, exitpriority=10)
    # last of all (the lowest priority): leave without taking apart every module and object
    # one by one, which made the end of a batch wait a second or more for its workers
    Finalize(None, _leave_now, exitpriority=-100)
    if not warm:
        return
    # what the first task needs, imported while the batch works out its build keys
    with contextlib.suppress(Exception):
        import papermill  # noqa: F401

        from edi_reports.validation.quality import import_great_expectations

        import_great_expectations()


def _ready() -> None:
    """A task that does nothing: submitted first, it starts a pool's workers."""


def _leave_now() -> None:
    """End this worker process at once, its output flushed (every task's files are closed)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


def _lost(fn: Callable[..., Any], args: tuple[Any, ...], exc: BaseException) -> Any:
    """The failed outcome(s) of a task whose worker process stopped before answering
    (killed, out of memory): the other organisations' builds go on."""
    reason = (
        "the worker process building it stopped unexpectedly, twice (killed, or out of "
        f"memory?): {type(exc).__name__}: {exc}"
    )
    if fn is measure_org:
        org, years = args[0], args[1]
        return [Outcome(org, year, "failed", 0.0, reason) for year in sorted(years)]
    org, year, seconds = args[0], args[1], args[5]
    return Outcome(org, year, "failed", seconds, reason)


def print_summary(outcomes: list[Outcome]) -> None:
    """The end-of-run table: each organisation-year with its status and reason."""
    print(f"{'org':<8} {'year':<5} {'status':<8} {'seconds':>8}  reason")
    for o in outcomes:
        first = o.reason.splitlines()[0] if o.reason else ""
        print(f"{o.org:<8} {o.year:<5} {o.status:<8} {o.seconds:>8.1f}  {first}")
    counts = {s: sum(o.status == s for o in outcomes) for s in ("built", "skipped", "failed")}
    print(f"{counts['built']} built, {counts['skipped']} skipped, {counts['failed']} failed")
