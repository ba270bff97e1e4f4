"""``edi preview``: the report on localhost, rebuilt as content and section files are saved.

The preview builds into an internal folder (``data/processed/<ORG>/<YEAR>/preview/``), never
into ``reports/``: ``edi build`` publishes. It serves that folder on 127.0.0.1 only and
watches the organisation's files, redoing only the stages that depend on what changed:

===========================================  ==============================================
saved file                                   redone
===========================================  ==============================================
``summary.md``, ``objectives.md``,           that report section, in this process, from the
``wdes_9b.md``, ``actions.csv``              published tables already built; then the HTML
a section file (``sections/*.md|ipynb``)     that section (on a warm kernel); then the HTML
an input file, ``organisations.csv``, the    the whole build (clean, validate, measure,
settings file, any other content file        report, sections), then the HTML
===========================================  ==============================================

The page polls ``/__edi/version`` and reloads itself when a rebuild finished; that script is
added to the page as it is served, never written into a file. A change that cannot be
built (a refused section, bad input) keeps the last good page and shows the message on it.
The PDF is made by ``edi build``, not by the preview.
"""

from __future__ import annotations

import contextlib
import html
import http.server
import threading
import time
from pathlib import Path
from typing import Any

from edi_reports.config import Paths
from edi_reports.errors import EdiError

NARRATIVE: dict[str, str] = {
    "summary.md": "introduction",
    "objectives.md": "objectives",
    "wdes_9b.md": "wdes",
    "actions.csv": "action_plan",
}
RELOAD_SCRIPT = (
    "<script>(function(){var seen=null;setInterval(function(){"
    "fetch('/__edi/version',{cache:'no-store'}).then(function(r){return r.text();})"
    ".then(function(v){if(seen===null){seen=v;}else if(v!==seen){location.reload();}})"
    ".catch(function(){});},500);})();</script>"
)


def _snapshot(files: list[Path]) -> dict[Path, tuple[float, int]]:
    out: dict[Path, tuple[float, int]] = {}
    for path in files:
        with contextlib.suppress(OSError):
            st = path.stat()
            out[path] = (st.st_mtime, st.st_size)
    return out


class Preview:
    """One organisation-year under preview; :meth:`poll` rebuilds what changed."""

    def __init__(
        self,
        org: str,
        year: int,
        paths: Paths,
        settings_path: str | None = None,
        progress: Any = None,
    ) -> None:
        from edi_reports import store
        from edi_reports.pipeline.build import absolute_paths

        self.org, self.year = org.strip().upper(), int(year)
        self.paths = absolute_paths(paths)
        self.settings_path = settings_path
        self.say = progress or (lambda _line: None)
        self.work = store.org_year(self.paths, self.org, self.year)
        self.folder = self.work / "preview"
        self.version = 0
        self.error = ""
        self.last_seconds = 0.0
        self._report: Any = None
        self._base: Any = None  # the executed report notebook, read once per build
        self._patches: dict[str, list[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self._seen = _snapshot(self.watched())

    # ------------------------------------------------------------------ files
    def watched(self) -> list[Path]:
        """Every file the report depends on (inputs, content, sections, settings)."""
        files: list[Path] = []
        raw = self.paths.raw_for(self.org, self.year)
        if raw.is_dir():
            files += [p for p in raw.iterdir() if p.is_file()]
        files.append(self.paths.raw / "organisations.csv")
        for folder in self.paths.content_for(self.org, self.year):
            if folder.is_dir():
                files += [p for p in folder.iterdir() if p.is_file()]
                sections = folder / "sections"
                if sections.is_dir():
                    files += [p for p in sections.iterdir() if p.is_file()]
        if self.settings_path:
            files.append(Path(self.settings_path))
        return files

    def _kind(self, path: Path) -> str:
        if path.parent.name == "sections":
            return "section"
        contents = {f.resolve() for f in self.paths.content_for(self.org, self.year)}
        if path.parent.resolve() in contents and path.name in NARRATIVE:
            return "narrative"
        return "build"

    # ------------------------------------------------------------------ stages
    def full_build(self) -> None:
        """Every stage, published into the preview folder (not ``reports/``)."""
        import dataclasses

        from edi_reports.pipeline import build as pipeline

        preview_paths = dataclasses.replace(self.paths, reports=self.folder / "site")
        pipeline.build(
            self.org,
            self.year,
            preview_paths,
            settings_path=self.settings_path,
            progress=self.say,
        )
        self._report = None
        self._base = None
        self._patches.clear()
        self.render()

    def _load_report(self) -> Any:
        if self._report is None:
            from edi_reports.notebook import context
            from edi_reports.report.core import Report

            ctx = context(
                self.org,
                self.year,
                str(self.paths.raw),
                str(self.paths.processed),
                str(self.paths.content),
                str(self.folder / "staging"),
                self.settings_path or "",
            )
            self._report = Report.load(ctx)
        return self._report

    def _settings(self) -> Any:
        from edi_reports.config import Settings

        return Settings.load(self.settings_path)

    def warm(self) -> None:
        """Load the report's published tables (and its libraries) before the first save."""
        with self._lock, contextlib.suppress(Exception):
            self._load_report()

    def narrative(self, names: set[str]) -> None:
        """Redo the report sections that show these narrative files, in this process."""
        from nbformat.v4 import new_output

        report = self._load_report()
        for name in names:
            method = NARRATIVE[name]
            items = getattr(report, method)()
            outputs = []
            for item in items:
                data, meta = item._repr_mimebundle_()
                outputs.append(new_output("display_data", data=data, metadata=meta))
            self._patches[method] = outputs
        self.render()

    def section(self, path: Path | None) -> None:
        """Run one section file (or all, when one was added or removed) on a warm kernel."""
        from edi_reports.pipeline import engine
        from edi_reports.pipeline.build import notebook_parameters
        from edi_reports.report import custom_sections

        params = notebook_parameters(
            self.org, self.year, self.paths, self.settings_path, self.folder / "staging"
        )
        (self.folder / "staging").mkdir(parents=True, exist_ok=True)
        with engine.POOL.lease() as kernel:
            custom_sections.run_sections(
                self.org,
                self.year,
                self.paths,
                params,
                self.work,
                self.folder / "staging",
                kernel=kernel,
                progress=self.say,
                only=path,
            )
        self.render()

    def render(self) -> None:
        """The HTML page from the executed report notebook, patched narrative and sections
        (in memory: the executed notebook is read once per build, nothing else is written
        but the page)."""
        import copy

        import nbformat

        from edi_reports.config import financial_year_label
        from edi_reports.pipeline.build import NOTEBOOK_DIRNAME
        from edi_reports.rendering import offline as render
        from edi_reports.report import custom_sections

        notebooks = self.work / NOTEBOOK_DIRNAME
        if self._base is None:
            self._base = nbformat.read(str(notebooks / "04_report.ipynb"), as_version=4)
        nb = copy.deepcopy(self._base)
        nb.cells = custom_sections.split_body(list(nb.cells))  # one cell per section
        for cell in nb.cells:
            call = cell.source.strip()
            if call.startswith("report.") and call.endswith("()"):
                method = call[len("report.") : -2]
                if method in self._patches:
                    cell.outputs = self._patches[method]
        sections = []
        cache = notebooks / custom_sections.SECTIONS
        for path in custom_sections.section_files(self.paths, self.org, self.year):
            source = custom_sections.parse(path)
            cached = cache / f"{source.name}.outputs.json"
            if cached.exists():
                holder = nbformat.reads(cached.read_text(encoding="utf-8"), as_version=4)
                sections.append(custom_sections.SectionOutput(source, holder.cells[0].outputs))
        nb = render.clean_notebook(custom_sections.place(nb, sections))
        title = f"{self.org}: workforce equality report {financial_year_label(self.year)}"
        body, toc, has_chart = render.postprocess_body(render.notebook_body_html(nb), title)
        page = render.render_page(
            body,
            title=title,
            lang=render.config_lang(),
            subtitle=f"Preview, not published. Snapshot {self._settings().snapshot_date(self.year):%-d %B %Y}",
            toc=toc if toc and len(toc) >= 2 else [],
            include_vega=has_chart,
        )
        render._atomic_write(self.folder / "index.html", page)

    def start(self) -> None:
        """The first page: the last build's report when its inputs are unchanged, else a
        full build."""
        from edi_reports import store
        from edi_reports.pipeline.build import input_hashes

        executed = self.work / store.NOTEBOOKS / "04_report.ipynb"
        fresh = False
        if store.has_manifest(self.work) and executed.exists():
            with contextlib.suppress(OSError, ValueError):
                recorded = store.read_manifest(self.work).get("inputs")
                fresh = recorded == input_hashes(
                    self.paths, self.org, self.year, self.settings_path
                )
        self._guard(self.render if fresh else self.full_build)

    def _guard(self, step: Any, *args: Any) -> None:
        started = time.perf_counter()
        try:
            step(*args)
            self.error = ""
        except EdiError as exc:
            self.error = str(exc)
            self.say(f"not rebuilt: {exc}")
        finally:
            self.last_seconds = time.perf_counter() - started
            self.version += 1

    # ------------------------------------------------------------------ watching
    def poll(self) -> set[Path]:
        """Rebuild what changed since the last poll; returns the changed files."""
        now = _snapshot(self.watched())
        changed = {p for p in set(now) | set(self._seen) if now.get(p) != self._seen.get(p)}
        self._seen = now
        if not changed:
            return changed
        kinds = {self._kind(p) for p in changed}
        with self._lock:
            if "build" in kinds:
                self.say("inputs changed: full build")
                self._guard(self.full_build)
            elif "section" in kinds:
                sections = [p for p in changed if self._kind(p) == "section"]
                one = sections[0] if len(sections) == 1 else None
                only = one if one is not None and one in now and self._ran(one) else None
                self._guard(self.section, only)
                if "narrative" in kinds:
                    self._guard(self.narrative, {p.name for p in changed if p.name in NARRATIVE})
            else:
                self._guard(self.narrative, {p.name for p in changed})
            self.say(f"page updated in {self.last_seconds:.1f} s")
        return changed

    def _ran(self, path: Path) -> bool:
        """Whether this section file has run before (else every section is run again)."""
        from edi_reports.report.custom_sections import parse

        with contextlib.suppress(EdiError):
            name = parse(path).name
            return (self.work / "notebooks" / "sections" / f"{name}.outputs.json").exists()
        return False

    # ------------------------------------------------------------------ serving
    def page(self) -> bytes:
        """The page as served: the built file plus the reload script (and any error)."""
        path = self.folder / "index.html"
        text = path.read_text(encoding="utf-8") if path.exists() else "<html><body></body></html>"
        extra = RELOAD_SCRIPT
        if self.error:
            extra = (
                '<div role="alert" style="position:fixed;bottom:0;left:0;right:0;padding:1em;'
                'background:#fff3cd;border-top:4px solid #b35c00;color:#212b32;z-index:99">'
                f"<strong>Not rebuilt:</strong> {html.escape(self.error)}</div>" + extra
            )
        return text.replace("</body>", extra + "</body>", 1).encode("utf-8")

    def server(self, port: int = 8000) -> http.server.ThreadingHTTPServer:
        """An HTTP server on 127.0.0.1 (loopback only) for this preview."""
        preview = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return None

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                route = self.path.split("?", 1)[0]
                if route in ("/", "/index.html"):
                    body, kind = preview.page(), "text/html; charset=utf-8"
                elif route == "/__edi/version":
                    body, kind = str(preview.version).encode(), "text/plain"
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)


def serve(
    org: str,
    year: int,
    paths: Paths,
    *,
    settings_path: str | None = None,
    port: int = 8000,
    progress: Any = None,
    interval: float = 0.25,
    stop: threading.Event | None = None,
) -> None:
    """Build, serve on http://127.0.0.1:PORT/ and rebuild on save until interrupted."""
    preview = Preview(org, year, paths, settings_path, progress)
    preview.start()
    threading.Thread(target=preview.warm, name="edi-preview-warm", daemon=True).start()
    httpd = preview.server(port)
    thread = threading.Thread(target=httpd.serve_forever, name="edi-preview", daemon=True)
    thread.start()
    say = progress or print
    say(
        f"preview of {preview.org} {preview.year}: http://127.0.0.1:{httpd.server_port}/ "
        "(Ctrl-C to stop; `edi build` publishes)"
    )
    stop = stop or threading.Event()
    try:
        while not stop.wait(interval):
            preview.poll()
    finally:
        httpd.shutdown()
        httpd.server_close()
