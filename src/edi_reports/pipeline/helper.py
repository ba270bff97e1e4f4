"""A one-off build's helper processes: validation and chart drawing on the second core.

Spec: architecture §3 (where a build spends its time). A one-off build (``edi build --org``,
``EDI_KERNELS=auto``) whose organisation has no sections of its own forks two processes:

- the **drawer**, as the build starts: it readies vl-convert at once (the first chart in a
  process starts a JavaScript engine, about 0.7 s), while the build process imports its
  libraries; then it draws the report's charts. :func:`edi_reports.report.display.chart`
  hands it each specification and carries on with the page; the SVG is put in place when
  the chart is shown.
- the **validator**, once the build process has imported pandas and papermill (it shares
  them instead of importing them again): it imports Great Expectations while the build
  cleans, then runs the validation notebook (``02_validate``) through papermill and
  :mod:`edi_reports.pipeline.inprocess`, as every stage notebook of the build: same
  parameters, same executed notebook, same errors. The build measures meanwhile
  (:func:`edi_reports.pipeline.build.build` waits for the answer before anything is
  published). Then it reads the input values the publication guard looks for in what is
  about to be published (:func:`edi_reports.disclosure.guard.needles_from_inputs`).

A fork shares what the build process has already imported (no second interpreter, no kernel
to start: about a second of CPU less than a validation kernel) and is a process of its own: a
crash in it is a failed stage of the build (or a chart drawn in the build process instead),
never a stalled build. Both stop when the build ends. A build that cannot fork (another
thread is running, or the platform has no ``fork``) validates on a kernel instead
(:class:`edi_reports.pipeline.engine.Checker`) and draws its own charts.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import pickle
import queue
import sys
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

#: A one-bar chart drawn while the helper has nothing else to do: vl-convert's first chart
#: in a process costs about 0.7 s more than the next ones.
_FIRST_CHART = {"data": {"values": [{"a": 1}]}, "mark": "bar", "encoding": {"x": {"field": "a"}}}


class HelperFailed(RuntimeError):
    """A helper process stopped before answering."""


def fork_safe() -> bool:
    """Whether this process may fork a helper: Linux (macOS's system libraries are not safe
    to use in a forked child), and no thread but this one (a lock another thread holds at
    the fork would never be released in the child)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _portable(exc: BaseException) -> BaseException:
    """``exc`` itself when it survives pickling, else an :class:`EdiError` with its text."""
    from edi_reports.errors import EdiError

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return EdiError(f"{type(exc).__name__}: {exc}")


def _job(kind: str, args: tuple[Any, ...]) -> Any:
    """Do one job (in a helper process)."""
    if kind == "notebook":
        from edi_reports.pipeline.engine import _timed_notebook

        return _timed_notebook(*args, kernel=None, inprocess=True)
    if kind == "needles":
        from edi_reports.disclosure.guard import needles_from_inputs

        return needles_from_inputs(*args)
    if kind == "svg":
        from edi_reports.report.drawing import spec_to_svg

        return spec_to_svg(*args)
    raise ValueError(f"unknown helper job {kind!r}")


def _main(conn: Any, modules: tuple[str, ...], packages: tuple[str, ...], draws: bool) -> None:
    """A helper process: import ``modules`` as a validation kernel would (the drawer: draw
    a first chart, which imports vl-convert alone), then answer jobs until the build closes
    the pipe."""
    import signal

    # Ctrl-C stops the build; a helper stops with it, when its pipe closes
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if modules:
        from edi_reports.pipeline.engine import preload_code

        with contextlib.suppress(Exception):
            exec(preload_code(modules, packages), {})
    if draws:
        with contextlib.suppress(Exception):
            from edi_reports.report.drawing import spec_to_svg

            spec_to_svg(_FIRST_CHART)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            answer: tuple[str, Any] = ("ok", _job(*job))
        except BaseException as exc:  # the build raises it, as if the job had run there
            answer = ("error", _portable(exc))
        conn.send(answer)


class _Forked:
    """One helper process and the build's side of it: jobs go out in order, one at a time,
    from a thread started with the first job (none runs when the next fork happens)."""

    def __init__(
        self,
        name: str,
        modules: tuple[str, ...] = (),
        packages: tuple[str, ...] = (),
        draws: bool = False,
    ) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        self._process = context.Process(
            target=_main, args=(child, modules, packages, draws), name=name, daemon=True
        )
        self._process.start()
        child.close()
        self._name = name
        self._jobs: queue.Queue[tuple[tuple[str, tuple[Any, ...]], Future[Any]] | None] = (
            queue.Queue()
        )
        self._thread: threading.Thread | None = None

    def _serve(self) -> None:
        broken: BaseException | None = None
        try:
            while (item := self._jobs.get()) is not None:
                job, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                if broken is None:
                    try:
                        self._conn.send(job)
                        status, value = self._conn.recv()
                    except (EOFError, OSError) as exc:
                        code = self._process.exitcode
                        broken = HelperFailed(
                            f"the build's {self._name} process stopped (exit code {code}; {exc})"
                        )
                if broken is not None:
                    future.set_exception(broken)
                elif status == "ok":
                    future.set_result(value)
                else:
                    future.set_exception(value)
        finally:
            with contextlib.suppress(OSError):
                self._conn.send(None)
            self._process.join(timeout=10)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
            self._conn.close()

    def _started(self) -> threading.Thread:
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, name=self._name, daemon=True)
            self._thread.start()
        return self._thread

    def submit(self, kind: str, *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self._jobs.put(((kind, args), future))
        self._started()
        return future

    def close(self) -> threading.Thread:
        """Stop the process once the jobs asked for are done; the thread that stops it."""
        self._jobs.put(None)
        return self._started()


def can_draw() -> bool:
    """Whether a forked drawer could draw: vl-convert not yet loaded here. Its JavaScript
    engine runs on threads of its own, which a fork does not copy: a drawer forked from a
    process that has drawn a chart would wait for them for ever."""
    return "vl_convert" not in sys.modules


class Helper:
    """A one-off build's helper processes (module docstring): the drawer from the start
    (unless this process has loaded vl-convert, :func:`can_draw`), the validator from
    :meth:`fork_validator` (or its first job)."""

    def __init__(self) -> None:
        # the drawer imports nothing else: a validation kernel's preparations (deferring
        # what Great Expectations imports) would import SciPy and pydantic for nothing
        self._drawer = _Forked("edi-drawer", draws=True) if can_draw() else None
        self._validator: _Forked | None = None

    @property
    def draws(self) -> bool:
        """Whether this helper draws the charts (:meth:`draw`)."""
        return self._drawer is not None

    def fork_validator(self) -> _Forked:
        """The validator, forked now if it is not yet (once this process has imported what
        it shares)."""
        if self._validator is None:
            from edi_reports.lazy_imports import VALIDATION_UNUSED
            from edi_reports.pipeline.engine import VALIDATION_MODULES

            self._validator = _Forked("edi-validator", VALIDATION_MODULES, VALIDATION_UNUSED)
        return self._validator

    def validate(
        self, notebook: Path, output: Path, parameters: dict[str, Any], cwd: Path
    ) -> Future[float]:
        """Run the validation notebook in the validator; the future holds its seconds, or
        its error (``ValidationFailed`` for failed checks, :class:`HelperFailed`)."""
        return self.fork_validator().submit("notebook", notebook, output, parameters, cwd)

    def needles(self, raw: Path, limits: Any) -> Future[Any]:
        """The publication guard's needles (:func:`edi_reports.disclosure.guard.
        needles_from_inputs`), read by the validator once it has validated."""
        return self.fork_validator().submit("needles", raw, limits)

    def draw(self, spec: dict[str, Any]) -> Future[str]:
        """Draw a Vega-Lite specification as SVG in the drawer
        (:func:`edi_reports.report.drawing.spec_to_svg`)."""
        if self._drawer is None:
            raise HelperFailed("this build has no drawer")
        return self._drawer.submit("svg", spec)

    def close(self, wait: bool = True) -> None:
        """Finish the jobs already asked for, then stop the processes; ``wait`` False
        returns at once (they are waited for at exit, with the checkers)."""
        from edi_reports.pipeline import engine

        helpers = [h for h in (self._drawer, self._validator) if h is not None]
        threads = [h.close() for h in helpers]
        if wait:
            for thread in threads:
                thread.join()
        else:
            engine._CLOSING.extend(threads)
