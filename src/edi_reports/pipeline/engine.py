"""Kernels: the one-off build's validation checker, and warm kernels.

Spec: architecture §1 (papermill executes every stage notebook with checked parameters; each
org/year gets its own executed notebooks) and §3 (measured: about 0.8 s to start a kernel
and several seconds to import pandas, Great Expectations and Altair in it).

With ``EDI_KERNELS=auto`` (the default) the stage notebooks run in the build process
(:mod:`edi_reports.pipeline.inprocess`), and kernels are kept for two things: a one-off
build's validation when it cannot fork its helpers (:class:`Checker`: a kernel launched
when the build starts, importing Great Expectations on the second core; else
:mod:`edi_reports.pipeline.helper`) and the organisation's own sections (a warm kernel).

A warm kernel is started once, imports the heavy libraries once (:data:`PRELOAD`, sent
without waiting so the imports overlap the caller's own work), and then runs every notebook
leased to it, still through papermill (same parameter injection, same executed notebook,
same error cells). Before each notebook the kernel's namespace is wiped (IPython ``reset``,
a new session so execution counts start at 1, output caches flushed), its working folder is
set, and its standard error is pointed at the build's own ``kernel.log``: nothing a
notebook defined for one organisation is visible to the next. Imported modules stay in
``sys.modules``, which is what makes the next notebook's imports free. A kernel that dies or
stops answering is discarded and the next notebook gets a fresh one.

``EDI_KERNELS=warm`` runs every stage notebook on warm kernels (a one-off build with two: one
validating, one for the rest), ``EDI_KERNELS=fresh`` starts one new kernel per notebook, as
plain papermill does, and ``EDI_KERNELS=inprocess`` runs every notebook, sections included,
without a kernel.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

KERNEL_NAME = "python3"

#: Imported once per kernel, before the first notebook (failures are ignored: an import that
#: fails here fails again, with a proper message, in the notebook that needs it).
PRELOAD_MODULES: tuple[str, ...] = (
    "numpy",
    "pandas",
    "pyarrow",
    "edi_reports.intake.clean",
    "edi_reports.measures.compute",
    "great_expectations",
    "edi_reports.validation.quality",
    "vl_convert",
    "edi_reports.report.core",
)


# jsonschema imports the optional ``rfc3987_syntax`` package to check the "iri" string
# formats, and that package builds a Lark grammar at import time (about 2-4 s here). Altair
# and Great Expectations import jsonschema but never check "iri" formats, so a kernel skips it.
def preload_code(modules: tuple[str, ...] = PRELOAD_MODULES, packages: tuple[str, ...] = ()) -> str:
    """The code a new kernel runs first: import ``modules`` (failures ignored), after
    deferring what Great Expectations imports but never uses here, and the ``packages``
    this kernel will not use (:func:`edi_reports.lazy_imports.defer_package`).

    The imports run inside :func:`edi_reports.validation.gx_speedups.import_speedups` (the
    same models, built with less copying and no collector passes), and what they loaded is
    then frozen out of the garbage collector's reach (:func:`gc.freeze`): a library's
    modules live as long as the kernel, and a full collection during a validation otherwise
    walks their ~200,000 objects each time (about 0.17 CPU s)."""
    return f"""
import os as _os, sys as _sys, contextlib as _contextlib, gc as _gc
_os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
_os.environ.setdefault("MPLBACKEND", "Agg")
_sys.modules.setdefault("rfc3987_syntax", None)
_speedups = _contextlib.nullcontext
try:  # edi_reports.lazy_imports
    from edi_reports.lazy_imports import GX_UNUSED as _unused, defer as _defer
    from edi_reports.lazy_imports import defer_package as _defer_package
    _defer(*_unused)
    _defer_package(*{packages!r})
    from edi_reports.validation.gx_speedups import import_speedups as _speedups
except Exception:
    pass
with _speedups():
    for _name in {modules!r}:
        try:
            __import__(_name)
        except Exception:
            pass
_gc.freeze()
del _speedups, _contextlib, _gc
"""


PRELOAD = preload_code()
#: A validation kernel's imports (:func:`validation_kernel`): Great Expectations, which takes
#: longer to import than everything else a build needs.
VALIDATION_MODULES: tuple[str, ...] = (
    "numpy",
    "pandas",
    "pyarrow",
    "great_expectations",
    "edi_reports.validation.quality",
)
#: What the report stage imports (vl-convert, the report; its charts are written as Vega-Lite
#: without Altair): a main kernel with a validation kernel beside it imports these in
#: :data:`WARM_UP`, while the other validates.
REPORT_MODULES: tuple[str, ...] = ("vl_convert", "edi_reports.report.core")
#: The main kernel's first imports when a validation kernel imports Great Expectations beside
#: it: only what the clean and measure stages need, so that cleaning starts sooner.
MAIN_MODULES: tuple[str, ...] = tuple(
    m
    for m in PRELOAD_MODULES
    if m not in ("great_expectations", "edi_reports.validation.quality", *REPORT_MODULES)
)

#: The first chart drawn in a process costs far more than the next ones (vl-convert starts its
#: JavaScript engine and loads fonts, holding the interpreter lock); drawing a one-bar chart
#: while the kernel would otherwise wait moves that cost off the report stage.
WARM_UP = (
    f"""
for _name in {REPORT_MODULES!r}:
    try:
        __import__(_name)
    except Exception:
        pass
"""
    + """
import vl_convert as _vlc
_vlc.vegalite_to_svg(
    {"data": {"values": [{"a": 1}]}, "mark": "bar", "encoding": {"x": {"field": "a"}}},
    allowed_base_urls=[],
)
del _vlc
"""
)

# One reset, last: it clears the previous notebook's names and the few names used here, and
# starts a new session (execution counts from 1); the collection then frees the previous
# notebook's reference cycles.
_RESET = """
import os as _os
_os.chdir({cwd!r})
_log = _os.open({log!r}, _os.O_WRONLY | _os.O_CREAT | _os.O_APPEND, 0o600)
_os.dup2(_log, 2)
_os.close(_log)
get_ipython().reset(new_session=True)
__import__("gc").collect()
"""


def mode() -> str:
    """How notebooks run, from ``EDI_KERNELS``: ``auto`` (the default: the project's own
    stage notebooks in the build process, :mod:`edi_reports.pipeline.inprocess`, with a one-off
    build's validation on a kernel of its own, :class:`Checker`, and the organisation's own
    sections on a kernel), ``warm`` (every notebook on warm kernels, this module), ``fresh``
    (a new kernel per notebook) or ``inprocess`` (no kernel at all); anything else means
    ``auto``."""
    wanted = os.environ.get("EDI_KERNELS", "auto").strip().lower()
    return wanted if wanted in ("warm", "fresh", "inprocess") else "auto"


def enabled() -> bool:
    """True when the stage notebooks run on warm kernels (``EDI_KERNELS=warm``)."""
    return mode() == "warm"


class KernelFailed(RuntimeError):
    """A warm kernel could not be prepared (dead, or it did not answer)."""


class WarmKernel:
    """One running kernel reused across notebooks; see the module docstring.

    Parameters
    ----------
    preload
        Send :data:`PRELOAD` right after start-up (without waiting for it to finish).
    modules
        What to import first instead of :data:`PRELOAD_MODULES`.
    packages
        Packages deferred until first use (:func:`preload_code`): what Great Expectations
        imports and a validation kernel never uses.
    wait
        Wait here until the kernel answers (the default). False returns as soon as the
        kernel process is launched, so that a second kernel can start beside it; the answer
        is awaited before the kernel's first use (:meth:`started`).
    """

    def __init__(
        self,
        preload: bool = True,
        modules: tuple[str, ...] | None = None,
        wait: bool = True,
        packages: tuple[str, ...] = (),
    ) -> None:
        from jupyter_client.blocking import BlockingKernelClient
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.km = AsyncKernelManager(kernel_name=KERNEL_NAME)
        # Start-up chatter (the TCP transport warning) is dropped; from the first notebook on,
        # the kernel's stderr goes to that build's kernel.log (:meth:`prepare`).
        run_sync(self.km.start_kernel)(
            extra_arguments=["--HistoryManager.enabled=False"], stderr=subprocess.DEVNULL
        )
        self._control = BlockingKernelClient(connection_file=self.km.connection_file)
        self._control.load_connection_file()
        self._control.start_channels()
        self.notebooks_run = 0
        self.warmed = False
        # not wait_for_ready: without a manager it reads a silent heartbeat as death. The
        # request is queued by ZeroMQ until the kernel listens; it is answered before the
        # preload below runs, since a kernel answers in order.
        self._info_id: str | None = self._control.kernel_info()
        if wait:
            self.started()
        if preload:
            code = (
                PRELOAD
                if modules is None and not packages
                else preload_code(PRELOAD_MODULES if modules is None else modules, packages)
            )
            self._control.execute(code, silent=True, store_history=False)

    def started(self, timeout: float = 60.0) -> None:
        """Wait until the kernel has answered its first request (once per kernel).

        Raises
        ------
        KernelFailed
            When the kernel process ends or does not answer within ``timeout`` seconds; the
            kernel is stopped.
        """
        import queue

        if self._info_id is None:
            return
        deadline = time.monotonic() + timeout
        while True:
            try:
                msg = self._control.get_shell_msg(timeout=1.0)
            except queue.Empty:
                if not self.is_alive() or time.monotonic() > deadline:
                    self.shutdown()
                    raise KernelFailed("the notebook kernel did not start") from None
                continue
            if msg.get("parent_header", {}).get("msg_id") == self._info_id:
                self._info_id = None
                return

    def warm_up(self) -> None:
        """Send :data:`WARM_UP` once per kernel, without waiting (the next :meth:`prepare`
        waits for it); meant for a time the kernel is idle, e.g. while another validates."""
        if self.warmed:
            return
        self.warmed = True
        self._control.execute(WARM_UP, silent=True, store_history=False)

    def is_alive(self) -> bool:
        """True while the kernel process is running."""
        from jupyter_core.utils import run_sync

        try:
            return bool(run_sync(self.km.is_alive)())
        except Exception:  # pragma: no cover - a half-dead kernel
            return False

    def prepare(self, cwd: Path, log: Path, timeout: float = 300.0) -> None:
        """Wipe the namespace, then set the working folder and the kernel's stderr file.

        Raises
        ------
        KernelFailed
            When the kernel is dead or does not answer within ``timeout`` seconds (this also
            waits for the preload of a new kernel).
        """
        self.started()
        log.parent.mkdir(parents=True, exist_ok=True)
        code = _RESET.format(cwd=str(cwd), log=str(log))
        try:
            reply = self._control.execute_interactive(
                code, silent=True, store_history=False, timeout=timeout, output_hook=_ignore
            )
        except (TimeoutError, RuntimeError) as exc:
            raise KernelFailed(f"the notebook kernel did not answer: {exc}") from exc
        if reply["content"].get("status") != "ok":
            content = reply["content"]
            raise KernelFailed(
                f"could not reset the notebook kernel: {content.get('ename')}: "
                f"{content.get('evalue')}"
            )

    def shutdown(self) -> None:
        """Stop the kernel and its channels (idempotent)."""
        from jupyter_core.utils import run_sync

        with contextlib.suppress(Exception):
            self._control.stop_channels()
        with contextlib.suppress(Exception):
            if self.km.has_kernel:
                run_sync(self.km.shutdown_kernel)(now=True)


def _ignore(_msg: dict[str, Any]) -> None:
    return None


class KernelPool:
    """Idle warm kernels of this process; a build leases one for all its stages."""

    def __init__(self, preload: bool = True) -> None:
        self.preload = preload
        self._idle: list[WarmKernel] = []
        self._lock = threading.Lock()
        self.started = 0

    def has_idle(self) -> bool:
        """Whether a kernel is waiting in the pool (a build would not start one)."""
        with self._lock:
            return bool(self._idle)

    @contextlib.contextmanager
    def lease(
        self, modules: tuple[str, ...] | None = None, wait: bool = True
    ) -> Iterator[WarmKernel]:
        """A live kernel for the caller's exclusive use; returned to the pool afterwards.

        ``modules``: what a kernel started for this lease imports first (default
        :data:`PRELOAD_MODULES`); an idle kernel is reused as it is. ``wait``: False hands a
        new kernel over as soon as it is launched (:class:`WarmKernel`).
        """
        kernel = None
        with self._lock:
            while self._idle and kernel is None:
                candidate = self._idle.pop()
                if candidate.is_alive():
                    kernel = candidate
                else:
                    candidate.shutdown()
        if kernel is None:
            kernel = WarmKernel(preload=self.preload, modules=modules, wait=wait)
            self.started += 1
        try:
            yield kernel
        except BaseException:
            if not kernel.is_alive():
                kernel.shutdown()
                raise
            with self._lock:
                self._idle.append(kernel)
            raise
        if kernel.is_alive():
            with self._lock:
                self._idle.append(kernel)
        else:
            kernel.shutdown()

    def shutdown(self) -> int:
        """Stop every idle kernel; returns how many were stopped."""
        with self._lock:
            idle, self._idle = self._idle, []
        for kernel in idle:
            kernel.shutdown()
        return len(idle)


POOL = KernelPool()
atexit.register(POOL.shutdown)


@contextlib.contextmanager
def validation_kernel(wanted: bool) -> Iterator[WarmKernel | None]:
    """A second kernel for the validation stage of a build in a process with no warm kernel
    (``edi build --org``), or None.

    Importing Great Expectations is the longest part of a new kernel's start (seconds, on
    one core); in a second kernel it overlaps the main kernel's own imports and the clean
    stage, on the machine's second core. The kernel is stopped after the build: a process
    that builds again reuses its main kernel, which imports Great Expectations once.
    """
    if not (wanted and enabled() and POOL.preload and not POOL.has_idle()):
        yield None
        return
    from edi_reports.lazy_imports import VALIDATION_UNUSED  # (standard library only)

    try:  # launched without waiting: the main kernel starts beside it (build.build)
        kernel = WarmKernel(modules=VALIDATION_MODULES, wait=False, packages=VALIDATION_UNUSED)
    except KernelFailed:
        yield None  # the main kernel validates, as without this helper
        return
    try:
        yield kernel
    finally:
        kernel.shutdown()


class Checker:
    """A validation kernel and the one thread that uses it (``EDI_KERNELS=auto``).

    A one-off build that cannot fork its helpers (:func:`checker`), or whose organisation
    has sections of its own, launches it first. The kernel imports Great Expectations on the second
    core while the build process imports its own libraries and cleans; the validation
    notebook then runs on it while the build process goes on with the measures
    (:func:`edi_reports.pipeline.build.build` waits for its answer before anything reads the
    validation result, and publishes nothing if it failed). The organisation's own sections
    run on it afterwards, so that their code runs in a kernel, not in the build process.

    Every use of the kernel happens on the checker's thread (:meth:`submit`), so the kernel's
    client and its event loop never cross threads.
    """

    def __init__(self) -> None:
        import queue
        from concurrent.futures import Future

        from edi_reports.lazy_imports import VALIDATION_UNUSED  # (standard library only)

        self._jobs: queue.Queue[tuple[Any, Future[Any]] | None] = queue.Queue()
        self._kernel: WarmKernel | None = None
        self._packages = VALIDATION_UNUSED
        self._launched = threading.Event()
        self._thread = threading.Thread(target=self._run, name="edi-checker", daemon=True)
        self._thread.start()
        # the kernel process first, then the build's own imports: they would slow its launch
        self._launched.wait(timeout=30)

    def _run(self) -> None:
        with contextlib.suppress(Exception):  # launched without waiting: the build goes on
            self._kernel = WarmKernel(
                modules=VALIDATION_MODULES, wait=False, packages=self._packages
            )
        self._launched.set()
        try:
            while (job := self._jobs.get()) is not None:
                fn, future = job
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(fn(self._live()))
                    except BaseException as exc:  # re-raised by future.result() in the build
                        future.set_exception(exc)
        finally:
            if self._kernel is not None:
                self._kernel.shutdown()

    def _live(self) -> WarmKernel:
        """The checker's kernel, replaced by a new one if it did not start or has died.

        Raises
        ------
        KernelFailed
            When no kernel can be started.
        """
        kernel = self._kernel
        if kernel is not None:
            try:
                kernel.started()
                if kernel.is_alive():
                    return kernel
            except KernelFailed:
                pass
            kernel.shutdown()
            self._kernel = None
        try:
            self._kernel = WarmKernel(modules=VALIDATION_MODULES, packages=self._packages)
        except KernelFailed:
            raise
        except Exception as exc:  # jupyter_client's own errors, e.g. no kernel spec
            raise KernelFailed(f"the notebook kernel did not start ({exc})") from exc
        return self._kernel

    def submit(self, fn: Any) -> Any:
        """Run ``fn(kernel)`` on the checker's thread after the jobs before it, with its live
        kernel (:meth:`_live`); returns a :class:`concurrent.futures.Future`."""
        from concurrent.futures import Future

        future: Future[Any] = Future()
        self._jobs.put((fn, future))
        return future

    def validate(self, notebook: Path, output: Path, parameters: dict[str, Any], cwd: Path) -> Any:
        """Run the validation notebook on the checker's kernel; a future of its seconds."""
        return self.submit(functools.partial(_timed_notebook, notebook, output, parameters, cwd))

    def close(self, wait: bool = True) -> None:
        """Finish the jobs already submitted, then stop the kernel and the thread; ``wait``
        False returns at once (the kernel stops while the build renders; the process waits
        for it at exit, :func:`_join_checkers`)."""
        self._jobs.put(None)
        if wait:
            self._thread.join()
        else:
            _CLOSING.append(self._thread)


#: Checker threads still stopping their kernel (joined at exit: no kernel outlives its build).
_CLOSING: list[threading.Thread] = []


@atexit.register
def _join_checkers() -> None:
    while _CLOSING:
        _CLOSING.pop().join(timeout=10)


def _timed_notebook(
    notebook: Path,
    output: Path,
    parameters: dict[str, Any],
    cwd: Path,
    kernel: WarmKernel | None,
    inprocess: bool | None = None,
) -> float:
    """The seconds :func:`edi_reports.pipeline.build.run_notebook` takes on ``kernel``
    (None: in this process with ``inprocess`` True)."""
    from edi_reports.pipeline.build import run_notebook

    started = time.perf_counter()
    run_notebook(notebook, output, parameters, cwd=cwd, kernel=kernel, inprocess=inprocess)
    return time.perf_counter() - started


@contextlib.contextmanager
def checker(wanted: bool, kernel: bool = False) -> Iterator[Any]:
    """What validates a one-off build beside it (``EDI_KERNELS=auto``, a build that
    validates, in a process whose kernels preload), or None; stopped when the build ends.

    A forked :class:`edi_reports.pipeline.helper.Helper` (which also draws the charts) when
    this process can fork and no kernel is needed afterwards; else a :class:`Checker`, whose
    kernel then runs the organisation's own sections (``kernel`` True)."""
    if not (wanted and mode() == "auto" and POOL.preload):
        yield None
        return
    from edi_reports.pipeline import helper

    launched = helper.Helper() if not kernel and helper.fork_safe() else Checker()
    try:
        yield launched
    finally:
        launched.close(wait=False)


def warm_up_idle() -> int:
    """Ready the report stage of this process's next builds (a batch worker between its
    measure and report tasks, while the national pass runs elsewhere): :data:`WARM_UP` sent
    to its idle kernels with ``EDI_KERNELS=warm``, else run here, where the report notebook
    will run. Returns how many kernels or processes were readied (0 when already done)."""
    global _WARMED_HERE
    if mode() != "warm":
        if _WARMED_HERE:
            return 0
        _WARMED_HERE = True
        with contextlib.suppress(Exception):
            exec(WARM_UP, {})  # the same code as a kernel's: imports, then one small chart
        return 1
    with POOL._lock:
        idle = list(POOL._idle)
    for kernel in idle:
        with contextlib.suppress(Exception):
            kernel.warm_up()
    return len(idle)


_WARMED_HERE = False


def shutdown_kernels() -> int:
    """Stop this process's idle warm kernels (Dask runs it on every worker at the end)."""
    return POOL.shutdown()


def execute(
    notebook: Path,
    output: Path,
    parameters: dict[str, Any],
    kernel: WarmKernel,
    cwd: Path,
    log: Path,
) -> None:
    """Run one notebook through papermill on a warm kernel.

    The namespace is reset first (:meth:`WarmKernel.prepare`). Papermill injects the
    parameters, writes the executed notebook and raises ``PapermillExecutionError`` for a
    failing cell exactly as with a fresh kernel.

    Raises
    ------
    KernelFailed
        When the kernel cannot be prepared; the kernel is stopped.
    """
    import papermill

    _register()
    try:
        kernel.prepare(cwd, log)
    except KernelFailed:
        kernel.shutdown()  # a stopped kernel is never handed out again
        raise
    try:
        papermill.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            engine_name="edi-warm",
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            log_output=False,
            # one write when the notebook ends, not one per cell: the report notebook's
            # outputs (chart SVGs) made the per-cell rewrites a second or more per report
            request_save_on_cell_execute=False,
            km=kernel.km,
        )
    except Exception as exc:
        from papermill.exceptions import PapermillExecutionError

        if not isinstance(exc, PapermillExecutionError) or not kernel.is_alive():
            kernel.shutdown()
        raise
    finally:
        kernel.notebooks_run += 1


_REGISTERED = False


def _register() -> None:
    """Register the ``edi-warm`` papermill engine once per process."""
    global _REGISTERED
    if _REGISTERED:
        return
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class WarmEngine(NBClientEngine):
        """papermill's nbclient engine on a kernel it does not own (``km=``): the kernel
        is left running and only this notebook's client channels are closed."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):  # type: ignore[override]
            km = kwargs.pop("km")
            kwargs.pop("input_path", None)
            start_timeout = kwargs.pop("start_timeout", 60)
            client = PapermillNotebookClient(
                nb_man,
                km=km,
                kernel_name=kernel_name,
                startup_timeout=start_timeout,
                timeout=kwargs.pop("execution_timeout", None),
                log_output=kwargs.pop("log_output", False),
                stdout_file=kwargs.pop("stdout_file", None),
                stderr_file=kwargs.pop("stderr_file", None),
            )
            try:
                return client.execute(cleanup_kc=False)
            finally:
                if client.kc is not None:
                    with contextlib.suppress(Exception):
                        client.kc.stop_channels()

    papermill_engines.register("edi-warm", WarmEngine)
    _REGISTERED = True
