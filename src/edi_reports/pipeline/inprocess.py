"""Run stage notebooks inside the build process: the default for the project's own stage
notebooks (``EDI_KERNELS=auto``), and for every notebook with ``EDI_KERNELS=inprocess``.

Spec: architecture §1 (papermill executes every stage notebook with checked parameters).

Papermill still reads the notebook, injects the parameters, records each cell's status and
writes the executed notebook; only the cells run differently: in an IPython shell of this
process (:class:`IPython.core.interactiveshell.InteractiveShell`) instead of a kernel reached
over ZeroMQ. What a kernel would have sent as messages is collected as the same notebook
outputs: ``stream`` (``print``, warnings), ``display_data`` (``display()``),
``execute_result`` (a cell's last value, as the kernel formats it: every MIME type of
IPython's display formatter) and ``error`` (name, value and traceback), so papermill raises
the same ``PapermillExecutionError`` for a failing cell.

What it saves (measured, ``benchmarks/engine_modes.py``): no kernel process to start, and
the libraries a build imports (pandas, pyarrow, numpy) are imported once instead of once in
the build process and again in each kernel; outputs are not serialised to JSON and sent
over sockets.

What it gives up, and how the default keeps what matters:

- **isolation**: a notebook runs in the build process, so a crash in it (a fault in a
  compiled library) ends the build process. The stage notebooks only call this package, as
  the disclosure, render and publish steps in the build process always have; inputs are
  bounded before they are read. The organisation's own sections are other people's code:
  with ``EDI_KERNELS=auto`` they run on a kernel, and only ``EDI_KERNELS=inprocess`` runs
  them here too.
- **overlap**: everything here runs on one core, one stage after the other. A one-off
  build therefore validates on a kernel of its own, which imports Great Expectations on the
  second core meanwhile (:class:`edi_reports.pipeline.engine.Checker`).
- the working folder (``os.chdir``) and ``sys.stdout``/``sys.stderr`` are this process's:
  they are set for a notebook and put back after it, so only one thread runs notebooks
  here at a time; what another thread prints meanwhile (the checker's) goes to the
  process's own streams, not into the cell's outputs.

As with a warm kernel, the namespace is new for every notebook (``reset(new_session=True)``:
nothing one notebook defined is visible to the next) and imported modules stay imported.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ENGINE_NAME = "edi-inprocess"

_LOCK = threading.Lock()
_SHELL: Any = None
#: This thread's callbacks for :func:`before_tagged`, by cell tag.
_BEFORE = threading.local()


@contextlib.contextmanager
def before_tagged(tag: str, callback: Callable[[Any], None]) -> Iterator[None]:
    """Within the block, a notebook that this thread runs here calls ``callback(nb)`` just
    before it runs a code cell tagged ``tag``: ``nb`` is the notebook as executed so far (a
    build begins the PDF from the report's outputs while the report stage writes its
    published files, :func:`edi_reports.pipeline.build.build`). A notebook run on a kernel
    never calls it."""
    callbacks = getattr(_BEFORE, "callbacks", None)
    if callbacks is None:
        callbacks = _BEFORE.callbacks = {}
    callbacks[tag] = callback
    try:
        yield
    finally:
        callbacks.pop(tag, None)


def _call_before(cell: Any, nb: Any) -> None:
    """Run this thread's :func:`before_tagged` callbacks for the tags of ``cell``."""
    callbacks = getattr(_BEFORE, "callbacks", None)
    if not callbacks:
        return
    for tag in cell.get("metadata", {}).get("tags", ()):
        if tag in callbacks:
            callbacks[tag](nb)


def new_output(output_type: str, **fields: Any) -> Any:
    """A notebook output, as :func:`nbformat.v4.new_output` makes it (the same keys in the same
    order) without checking it against the notebook schema each time: every output here
    has one of four fixed shapes, and papermill checks the whole notebook when it writes it.
    A report sends a hundred outputs or more, and each check cost about a millisecond."""
    from nbformat import NotebookNode

    output = NotebookNode(output_type=output_type)
    if output_type in ("display_data", "execute_result"):
        output.metadata = NotebookNode()
        output.data = NotebookNode()
        if output_type == "execute_result":
            output.execution_count = None
    output.update(fields)
    return output


def language_info() -> dict[str, Any]:
    """What an IPython kernel reports as ``language_info`` (nbclient stores it in the
    executed notebook's metadata)."""
    return {
        "codemirror_mode": {"name": "ipython", "version": sys.version_info[0]},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": f"ipython{sys.version_info[0]}",
        "version": sys.version.split()[0],
    }


class _Stream(io.TextIOBase):
    """``sys.stdout``/``sys.stderr`` of a running cell: text becomes ``stream`` outputs,
    consecutive writes to the same stream joined into one output (as nbclient does)."""

    def __init__(self, name: str, outputs: list[Any], other: Any = None) -> None:
        self.name_ = name
        self.outputs = outputs
        # what another thread of the process writes (a build's validation runs beside its
        # notebooks, :class:`edi_reports.pipeline.engine.Checker`) is not the cell's output
        self.owner = threading.get_ident()
        self.other = other

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        if not text:
            return 0
        if threading.get_ident() != self.owner:
            return self.other.write(text) if self.other is not None else len(text)
        last = self.outputs[-1] if self.outputs else None
        if last is not None and last.output_type == "stream" and last.name == self.name_:
            last.text += text
        else:
            self.outputs.append(new_output("stream", name=self.name_, text=text))
        return len(text)


def _shell() -> Any:
    """This process's IPython shell for notebooks, made once (its classes subclass IPython's,
    so IPython is imported only when a notebook runs in process)."""
    global _SHELL
    if _SHELL is not None:
        return _SHELL
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    class Publisher(DisplayPublisher):
        """``display()``: a ``display_data`` output (``clear_output`` empties the cell)."""

        outputs: list[Any] = []

        def publish(self, data, metadata=None, source=None, *, transient=None, update=False):
            self.outputs.append(new_output("display_data", data=data, metadata=metadata or {}))

        def clear_output(self, wait=False):
            self.outputs.clear()

    class Hook(DisplayHook):
        """A cell's last value: an ``execute_result`` with every MIME type, as a kernel's."""

        outputs: list[Any] = []

        def write_output_prompt(self) -> None:
            return None

        def write_format_data(self, format_dict, md_dict=None) -> None:
            self.outputs.append(
                new_output(
                    "execute_result",
                    data=format_dict,
                    metadata=md_dict or {},
                    execution_count=self.prompt_count,
                )
            )

        def finish_displayhook(self) -> None:
            return None

        def flush(self) -> None:
            """What IPython's ``flush`` does on :meth:`reset`, without its closing
            ``gc.collect()``: a full collection of this whole process (pandas, the report's
            libraries) twice per notebook. The reset that calls this then clears the
            namespace, so reference counting frees the notebook's objects and Python's own
            collector the rest."""
            cache = self.shell.user_ns.get("_oh")
            if cache is not None:
                cache.clear()
            self._, self.__, self.___ = "", "", ""

    class Shell(InteractiveShell):
        """An error becomes an ``error`` output (name, value, traceback lines)."""

        outputs: list[Any] = []

        def _showtraceback(self, etype, evalue, stb):
            self.outputs.append(
                new_output("error", ename=etype.__name__, evalue=str(evalue), traceback=stb)
            )

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    # the process's one shell: IPython's display() and get_ipython() find it
    main = sys.modules.get("__main__")
    shell = Shell.instance(config=config, displayhook_class=Hook, display_pub_class=Publisher)
    if main is not None:
        # IPython puts its namespace in sys.modules as __main__ (for pickling what a session
        # defines); this process's own __main__ goes back, or multiprocessing could no longer
        # start worker processes here (its spawn reads __main__.__spec__)
        sys.modules["__main__"] = main
    _SHELL = shell
    return shell


def _pandas_as_in_a_kernel(saved: dict[str, Any]) -> None:
    """Show data frames as a kernel does: pandas' ``display.max_columns`` is 20 in a
    kernel and 0 (fit the terminal's width) in a program, by a default chosen when pandas is
    imported. Set to 20 while the notebook runs (the old value kept in ``saved``) so that a
    notebook's text outputs do not depend on where it ran."""
    pandas = sys.modules.get("pandas")
    if pandas is None or saved or not hasattr(pandas, "get_option"):
        return
    option = "display.max_columns"
    saved[option] = pandas.get_option(option)
    pandas.set_option(option, 20)


@contextlib.contextmanager
def _cell_outputs(shell: Any, outputs: list[Any]) -> Iterator[None]:
    """Collect a cell's outputs into ``outputs`` (streams, displays, result, error)."""
    shell.outputs = shell.displayhook.outputs = shell.display_pub.outputs = outputs
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (
        _Stream("stdout", outputs, saved[0]),
        _Stream("stderr", outputs, saved[1]),
    )
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def run_cells(nb_man: Any) -> None:
    """Execute every code cell of papermill's notebook in this process's shell, stopping at
    the first failing cell (papermill then raises for its ``error`` output)."""
    shell = _shell()
    nb = nb_man.nb
    saved: dict[str, Any] = {}
    with _LOCK:
        shell.reset(new_session=True)
        shell.execution_count = 1
        try:
            for index, cell in enumerate(nb.cells):
                nb_man.cell_start(cell, index)
                try:
                    if cell.cell_type != "code" or not cell.source.strip():
                        continue  # as nbclient: a blank cell is not run (no count)
                    _call_before(cell, nb)
                    outputs: list[Any] = []
                    cell.outputs = outputs
                    count = shell.execution_count
                    _pandas_as_in_a_kernel(saved)
                    with _cell_outputs(shell, outputs):
                        result = shell.run_cell(cell.source, store_history=True, silent=False)
                    cell.execution_count = count
                    if not result.success:
                        if not any(o.output_type == "error" for o in outputs):
                            error = result.error_before_exec or result.error_in_exec
                            outputs.append(
                                new_output(
                                    "error",
                                    ename=type(error).__name__,
                                    evalue=str(error),
                                    traceback=[],
                                )
                            )
                        nb_man.cell_exception(cell, cell_index=index)
                        break
                finally:
                    nb_man.cell_complete(cell, cell_index=index)
            nb.metadata["language_info"] = language_info()
        finally:
            shell.reset(new_session=True)
            if saved:
                sys.modules["pandas"].set_option(*saved.popitem())


_REGISTERED = False


def register() -> None:
    """Register the ``edi-inprocess`` papermill engine once per process."""
    global _REGISTERED
    if _REGISTERED:
        return
    from papermill.engines import Engine, papermill_engines

    class InProcessEngine(Engine):
        """papermill's engine interface over :func:`run_cells`."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):  # type: ignore[override]
            run_cells(nb_man)
            return nb_man.nb

    papermill_engines.register(ENGINE_NAME, InProcessEngine)
    _REGISTERED = True


def prepare_process() -> None:
    """What a new kernel does first (:func:`edi_reports.pipeline.engine.preload_code`, without
    the imports): analytics off, matplotlib headless, the unused imports deferred."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("MPLBACKEND", "Agg")
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    with contextlib.suppress(Exception):
        from edi_reports.lazy_imports import GX_UNUSED, defer

        defer(*GX_UNUSED)


def execute(notebook: Path, output: Path, parameters: dict[str, Any], cwd: Path) -> None:
    """Run one notebook through papermill in this process, in the working folder ``cwd``
    (see the module docstring).

    Raises
    ------
    papermill.exceptions.PapermillExecutionError
        For a failing cell, as with a kernel.
    """
    import papermill

    prepare_process()
    register()
    papermill.execute_notebook(
        str(notebook),
        str(output),
        parameters=parameters,
        engine_name=ENGINE_NAME,
        kernel_name="python3",
        progress_bar=False,
        log_output=False,
        request_save_on_cell_execute=False,
        cwd=str(cwd),
    )
