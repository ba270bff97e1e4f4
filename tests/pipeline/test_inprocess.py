"""``EDI_KERNELS=inprocess``: stage notebooks run in the build process, with the outputs a
kernel gives (the comparison with a real kernel fails when IPython, ipykernel or pandas
change what they send)."""

import os
import sys
from pathlib import Path

import nbformat
import pytest

from edi_reports.errors import EdiError, InputError
from edi_reports.pipeline import build as pipeline
from edi_reports.pipeline import engine
from tests.pipeline.test_batch import notebook, outputs

#: Every kind of output a stage notebook makes: text, warnings, display(), a data frame as
#: a cell's last value, an object with several MIME types, an empty cell.
CELLS = (
    "import sys, warnings\nprint('rows', 3)\nprint('more')\nsys.stderr.write('note\\n')",
    "from IPython.display import HTML, Markdown, display\n"
    "display(HTML('<p>hi</p>'))\ndisplay(Markdown('*md*'))\n41 + 1",
    "import pandas as pd\npd.DataFrame({f'column_{i}': [i] * 3 for i in range(30)})",
    "",
    "x = 5  # no output",
    "class Both:\n"
    "    def __repr__(self):\n"
    "        return 'Both()'\n"
    "    def _repr_mimebundle_(self, include=None, exclude=None):\n"
    "        return {'text/html': '<b>b</b>', 'text/markdown': '**b**'}, {'edi': {'id': 'b'}}\n"
    "Both()",
)


@pytest.fixture
def inprocess(monkeypatch):
    monkeypatch.setenv("EDI_KERNELS", "inprocess")
    assert engine.mode() == "inprocess" and not engine.enabled()


def run(source: Path, out: Path, cwd: Path, kernel=None, org: str = "AAA") -> nbformat.NotebookNode:
    pipeline.run_notebook(source, out, {"org": org, "year": 2025}, cwd=cwd, kernel=kernel)
    return nbformat.read(out, as_version=4)


def comparable(nb: nbformat.NotebookNode) -> list:
    return [(c.get("execution_count"), c.get("outputs")) for c in nb.cells]


@pytest.mark.slow
def test_outputs_equal_a_warm_kernels(inprocess, tmp_path):
    source = notebook(tmp_path / "all.ipynb", *CELLS)
    here = run(source, tmp_path / "here.ipynb", tmp_path)
    kernel = engine.WarmKernel(preload=False)
    try:
        there = run(source, tmp_path / "there.ipynb", tmp_path, kernel=kernel)
    finally:
        kernel.shutdown()
    assert comparable(here) == comparable(there)
    assert here.metadata.language_info == there.metadata.language_info
    kinds = [o.output_type for c in here.cells for o in c.get("outputs", [])]
    assert kinds.count("execute_result") == 4 and kinds.count("display_data") == 2
    assert kinds.count("stream") == 2  # stdout, then stderr


def test_no_state_leaks_and_the_process_is_put_back(inprocess, tmp_path):
    import pandas as pd

    first = notebook(tmp_path / "a.ipynb", "figure = 41.7\n_private = 1\nfigure")
    second = notebook(
        tmp_path / "b.ipynb",
        "import os\n"
        "leaked = sorted(k for k in ('figure', '_private', '_') "
        "if k in globals() and globals()[k] != '')\n"
        "print('leaked', leaked, 'org', org, 'cwd', os.getcwd())",
    )
    work = tmp_path / "work"
    work.mkdir()
    before = os.getcwd(), sys.stdout, sys.stderr, pd.get_option("display.max_columns")
    run(first, tmp_path / "a_out.ipynb", tmp_path)
    done = run(second, tmp_path / "b_out.ipynb", work, org="BBB")
    assert f"leaked [] org BBB cwd {work}" in outputs(tmp_path / "b_out.ipynb")
    assert [c.execution_count for c in done.cells][:2] == [1, 2]  # a new session
    assert (os.getcwd(), sys.stdout, sys.stderr, pd.get_option("display.max_columns")) == before


def test_a_failing_cell_is_a_plain_error_and_the_next_notebook_runs(inprocess, tmp_path):
    bad = notebook(tmp_path / "bad.ipynb", "raise ValueError('boom in org A')", "print('never')")
    with pytest.raises(EdiError, match="unexpected error.*ValueError: boom in org A"):
        run(bad, tmp_path / "o1.ipynb", tmp_path)
    failed = nbformat.read(tmp_path / "o1.ipynb", as_version=4)
    assert failed.cells[-1].get("outputs") == []  # stopped at the failing cell
    named = notebook(
        tmp_path / "named.ipynb",
        "from edi_reports.errors import InputError\n"
        "raise InputError('workforce.csv', 'the file is empty', 'export it again')",
    )
    expected = str(InputError("workforce.csv", "the file is empty", "export it again"))
    with pytest.raises(EdiError) as caught:
        run(named, tmp_path / "o2.ipynb", tmp_path)
    assert str(caught.value) == expected
    good = notebook(tmp_path / "good.ipynb", "print('fine', org)")
    run(good, tmp_path / "o3.ipynb", tmp_path, org="B")
    assert "fine B" in outputs(tmp_path / "o3.ipynb")


def test_a_syntax_error_is_reported(inprocess, tmp_path):
    bad = notebook(tmp_path / "bad.ipynb", "def (:")
    with pytest.raises(EdiError, match="SyntaxError"):
        run(bad, tmp_path / "o.ipynb", tmp_path)


@pytest.mark.parametrize(
    ("output_type", "fields"),
    [
        ("stream", {"name": "stderr", "text": "a warning\n"}),
        ("display_data", {"data": {"text/plain": "x", "text/html": "<b>x</b>"}, "metadata": {}}),
        ("execute_result", {"data": {"text/plain": "1"}, "metadata": {}, "execution_count": 3}),
        ("error", {"ename": "KeyError", "evalue": "'a'", "traceback": ["line 1", "line 2"]}),
    ],
)
def test_outputs_are_nbformats_own(output_type, fields):
    """Made without a schema check per output, but the same node, key order included."""
    import json

    from nbformat.v4 import new_output as reference

    from edi_reports.pipeline.inprocess import new_output

    made = new_output(output_type, **fields)
    want = reference(output_type, **fields)
    assert made == want and json.dumps(made) == json.dumps(want)


def test_the_process_keeps_its_own_main_module(tmp_path, monkeypatch):
    """IPython's shell replaces ``sys.modules['__main__']``; a process that ran a notebook
    in process must still start worker processes (a batch, a Dask cluster)."""
    import multiprocessing.spawn

    monkeypatch.setenv("EDI_KERNELS", "inprocess")
    main = sys.modules["__main__"]
    nb = notebook(tmp_path / "n.ipynb", "x = 1")
    pipeline.run_notebook(nb, tmp_path / "out.ipynb", {"org": "A"}, tmp_path)
    assert sys.modules["__main__"] is main
    multiprocessing.spawn.get_preparation_data("probe")  # reads __main__.__spec__


def test_a_callback_runs_before_the_tagged_cell_with_the_outputs_so_far(inprocess, tmp_path):
    import threading

    from edi_reports.pipeline import inprocess as here

    source = notebook(tmp_path / "tagged.ipynb", "print('shown')", "print('files written')")
    nb = nbformat.read(source, as_version=4)
    nb.cells[-1].metadata["tags"] = ["published-files"]
    nbformat.write(nb, source)
    seen: list[list[str]] = []

    def callback(nb: nbformat.NotebookNode) -> None:
        seen.append(["".join(o.get("text", "") for o in c.get("outputs", [])) for c in nb.cells])

    with here.before_tagged("published-files", callback):
        run(source, tmp_path / "o1.ipynb", tmp_path)
        # another thread's notebooks do not call this thread's callbacks
        other = threading.Thread(target=run, args=(source, tmp_path / "o2.ipynb", tmp_path))
        other.start()
        other.join()
    # parameters, injected parameters, the cell shown: before the tagged cell ran, once
    assert seen == [["", "", "shown\n", ""]]
    run(source, tmp_path / "o3.ipynb", tmp_path)  # outside the block: not called
    assert len(seen) == 1
    assert outputs(tmp_path / "o1.ipynb") == "shown\nfiles written\n"
