"""The one-off build's helper processes (:mod:`edi_reports.pipeline.helper`).

The drawer draws the report's charts while the report goes on, and the page is the same as
when the build draws them itself; the validator runs a notebook and brings back its errors
as the build would raise them; a helper that dies is a plain error (or a chart drawn here),
never a stalled build.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import nbformat
import pytest

from edi_reports.errors import EdiError, ValidationFailed
from edi_reports.pipeline import engine, helper
from edi_reports.pipeline.build import _charts_drawn_by
from edi_reports.report import display
from edi_reports.report.drawing import spec_to_svg

SPEC = {
    "data": {"values": [{"group": "A", "share": 40.0}, {"group": "B", "share": 60.0}]},
    "mark": "bar",
    "encoding": {
        "x": {"field": "share", "type": "quantitative"},
        "y": {"field": "group", "type": "nominal"},
    },
    "width": "container",
}


@pytest.fixture()
def helpers():
    made = helper.Helper()
    yield made
    made.close()


def _chart(caption: str) -> display.Display:
    return display.chart(SPEC, alt="B has the larger share.", caption=caption)


# The drawer is forked only by a process that has not loaded vl-convert (helper.can_draw):
# these checks run in a new interpreter, as a build does.
_DRAWER_SCRIPT = """
import json, os, signal, sys
from edi_reports.pipeline import helper
from edi_reports.pipeline.build import _charts_drawn_by
from edi_reports.report import display

spec = json.loads(sys.argv[1])
made = helper.Helper()
out = {"draws": made.draws}
with _charts_drawn_by(made):
    there = display.chart(spec, alt="B has the larger share.", caption="Share by group")
    out["pending"] = there.pending is not None  # handed over: the page went on meanwhile
    bundle, metadata = there._repr_mimebundle_()
    out.update(html=there.html, svg=there.svg, bundle=bundle, metadata=metadata)
    # the compiled libraries each process has loaded, of those a drawer has no use for
    maps = {who: open(f"/proc/{pid}/maps").read() for who, pid in
            (("build", os.getpid()), ("drawer", made._drawer._process.pid))}
    out["unused"] = {who: [n for n in ("scipy", "pydantic_core") if f"/{n}/" in text]
                     for who, text in maps.items()}
    os.kill(made._drawer._process.pid, signal.SIGKILL)  # the drawer dies
    made._drawer._process.join(timeout=10)
    second = display.chart(spec, alt="B has the larger share.", caption="Second")
    out["second"] = second.ready().svg  # drawn here instead
    third = display.chart(spec, alt="B has the larger share.", caption="Third")
    out["third_pending"] = third.pending is not None  # not asked again
try:
    made.draw(spec).result(timeout=10)
except helper.HelperFailed as exc:
    out["error"] = str(exc)
made.close()
print(json.dumps(out))
"""


def test_charts_drawn_by_the_drawer_are_the_charts_drawn_here():
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _DRAWER_SCRIPT, json.dumps(SPEC)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    there = json.loads(done.stdout)
    here = _chart("Share by group")
    assert there["draws"] and there["pending"]
    assert there["html"] == here.html and there["svg"] == here.svg == spec_to_svg(SPEC)
    assert there["bundle"]["image/svg+xml"] == here.svg
    assert "<!--edi-chart-svg-->" not in there["bundle"]["text/html"]
    assert there["metadata"] == here.metadata
    assert there["second"] == spec_to_svg(SPEC) and not there["third_pending"]
    assert there["unused"] == {"build": [], "drawer": []}  # not imported by the drawer
    assert "edi-drawer process stopped" in there["error"]


def test_no_drawer_once_this_process_has_drawn(helpers):
    made = _chart("Alone")  # vl-convert's engine now runs here: a fork could not draw
    assert made.pending is None and made.svg == spec_to_svg(SPEC)
    assert not helper.can_draw() and not helpers.draws
    with _charts_drawn_by(helpers):
        assert _chart("Alone").pending is None
    with _charts_drawn_by(None):  # a kernel checker draws nothing
        assert _chart("Alone").pending is None


def test_a_stalled_drawer_is_not_waited_for(monkeypatch):
    from concurrent.futures import Future

    monkeypatch.setattr(display, "DRAW_TIMEOUT", 0.1)
    asked = []

    def never(spec):
        asked.append(spec)
        return Future()  # no answer, ever

    with display.drawn_by(never):
        first = _chart("First")
        assert first.ready().svg == spec_to_svg(SPEC)
        assert _chart("Second").pending is None  # drawn here: the drawer is not asked again
    assert len(asked) == 1


def _notebook(folder: Path, code: str) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("value = 1")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / "check.ipynb"
    nbformat.write(nb, path)
    return path


def test_the_validator_runs_a_notebook_with_its_parameters(helpers, tmp_path):
    notebook = _notebook(tmp_path, "assert value == 7\nprint('checked', value)")
    output = tmp_path / "out" / "check.ipynb"
    seconds = helpers.validate(notebook, output, {"value": 7}, tmp_path).result(timeout=120)
    assert seconds > 0
    executed = nbformat.read(output, as_version=4)
    assert "checked 7" in "".join(o.get("text", "") for o in executed.cells[-1].outputs)


def test_the_validators_errors_are_the_builds(helpers, tmp_path):
    failing = _notebook(
        tmp_path,
        "from edi_reports.errors import ValidationFailed\n"
        "raise ValidationFailed('Data-quality checks found 1 problem: workforce file, row 2.')",
    )
    output = tmp_path / "out" / "check.ipynb"
    with pytest.raises(ValidationFailed, match="found 1 problem: workforce file, row 2"):
        helpers.validate(failing, output, {}, tmp_path).result(timeout=120)
    broken = _notebook(tmp_path, "raise KeyError('ethnic_category')")
    with pytest.raises(EdiError, match="stopped with an unexpected error"):
        helpers.validate(broken, output, {}, tmp_path).result(timeout=120)


def test_a_validator_that_dies_is_a_plain_error(helpers, tmp_path):
    helpers.fork_validator()
    os.kill(helpers._validator._process.pid, signal.SIGKILL)
    notebook = _notebook(tmp_path, "pass")
    with pytest.raises(helper.HelperFailed, match="edi-validator process stopped"):
        helpers.validate(notebook, tmp_path / "o.ipynb", {}, tmp_path).result(timeout=60)


def test_closing_stops_both_processes(helpers):
    helpers.fork_validator()
    forked = [helpers._drawer, helpers._validator]
    processes = [f._process for f in forked if f is not None]
    assert processes
    helpers.close(wait=False)
    engine._join_checkers()  # what the process does at exit
    assert all(not p.is_alive() for p in processes) and not engine._CLOSING


def test_the_build_forks_only_without_other_threads(monkeypatch):
    import threading

    monkeypatch.setenv("EDI_KERNELS", "auto")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        assert not helper.fork_safe()
        with engine.checker(True) as chosen:
            assert isinstance(chosen, engine.Checker)
    finally:
        stop.set()
        other.join()
    monkeypatch.setattr(helper, "fork_safe", lambda: True)
    with engine.checker(True) as chosen:
        assert isinstance(chosen, helper.Helper)
    with engine.checker(True, kernel=True) as chosen:  # sections of its own: a kernel
        assert isinstance(chosen, engine.Checker)
    engine._join_checkers()
