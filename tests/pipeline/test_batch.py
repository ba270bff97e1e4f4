"""Batch builds: Dask, failure isolation, incremental skips, warm kernels.

The incremental rules are tested with a stand-in for ``pipeline.build`` (fast); the real
notebooks run only in the Dask batch, one rendered build and the kernel-reuse checks.
"""

import json
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from edi_reports.cli import main
from edi_reports.config import Paths
from edi_reports.errors import EdiError
from edi_reports.intake.synth import synthesise
from edi_reports.pipeline import batch, engine
from edi_reports.pipeline import build as pipeline

YEAR = 2025


def folders(root: Path) -> dict[str, Path]:
    return {name: root / name for name in ("raw", "processed", "reports", "content")}


def cli_args(dirs: dict[str, Path]) -> list[str]:
    return [f"--{k}-dir={v}" for k, v in dirs.items()] + ["--quiet"]


# ---------------------------------------------------------------- incremental rules (fast)
@pytest.fixture
def fake_build(monkeypatch):
    """Replace the notebook stages by a stand-in that writes the outputs a build leaves."""
    calls: list[tuple[str, int, tuple[str, ...]]] = []

    def build(
        org, year, paths, *, settings_path=None, render=True, stages=(), progress=None, overlap=True
    ):
        calls.append((org, year, tuple(stages)))
        work = paths.processed_for(org, year)
        work.mkdir(parents=True, exist_ok=True)
        (work / "metrics.csv").write_text("measure\n")
        manifest = work / "manifest.json"
        if not manifest.exists():
            manifest.write_text("{}")
        if render:
            out = paths.reports_for(org, year)
            out.mkdir(parents=True, exist_ok=True)
            (out / "index.html").write_text("<html></html>")

    monkeypatch.setattr(batch, "build", build)
    return calls


@pytest.fixture
def raw_tree(tmp_path):
    paths = Paths(
        raw=tmp_path / "raw",
        processed=tmp_path / "processed",
        reports=tmp_path / "reports",
        content=tmp_path / "content",
    )
    for org in ("AAA", "BBB"):
        for year in (2024, 2025):
            folder = paths.raw_for(org, year)
            folder.mkdir(parents=True)
            (folder / "workforce.csv").write_text(f"staff_id\n{org}{year}\n")
    return paths


def built_set(calls) -> set[tuple[str, int]]:
    return {(org, year) for org, year, _ in calls}


class TestIncremental:
    def test_first_run_builds_everything_in_two_phases(self, raw_tree, fake_build):
        outcomes = batch.build_all(raw_tree)
        assert [o.status for o in outcomes] == ["built"] * 4
        assert {s for _, _, s in fake_build} == {batch.MEASURE_STAGES, batch.REPORT_STAGES}

    def test_unchanged_rebuild_is_skipped(self, raw_tree, fake_build):
        batch.build_all(raw_tree)
        fake_build.clear()
        outcomes = batch.build_all(raw_tree)
        assert fake_build == []
        assert {o.status for o in outcomes} == {"skipped"}

    def test_force_rebuilds(self, raw_tree, fake_build):
        batch.build_all(raw_tree)
        fake_build.clear()
        outcomes = batch.build_all(raw_tree, force=True)
        assert built_set(fake_build) == {(o, y) for o in ("AAA", "BBB") for y in (2024, 2025)}
        assert {o.status for o in outcomes} == {"built"}

    def test_changed_input_rebuilds_only_that_org_year(self, raw_tree, fake_build):
        batch.build_all(raw_tree)
        fake_build.clear()
        with open(raw_tree.raw_for("BBB", 2025) / "workforce.csv", "a") as fh:
            fh.write("BBB9\n")
        outcomes = batch.build_all(raw_tree)
        assert built_set(fake_build) == {("BBB", 2025)}
        assert sum(o.status == "skipped" for o in outcomes) == 3

    def test_changed_earlier_year_rebuilds_the_later_one(self, raw_tree, fake_build):
        batch.build_all(raw_tree)
        fake_build.clear()
        with open(raw_tree.raw_for("AAA", 2024) / "workforce.csv", "a") as fh:
            fh.write("AAA9\n")
        batch.build_all(raw_tree)
        assert built_set(fake_build) == {("AAA", 2024), ("AAA", 2025)}

    def test_changed_settings_or_content_rebuild(self, raw_tree, fake_build, tmp_path):
        batch.build_all(raw_tree)
        fake_build.clear()
        content = raw_tree.content / "AAA"
        content.mkdir(parents=True)
        (content / "summary.md").write_text("Our year.\n")
        batch.build_all(raw_tree)
        assert built_set(fake_build) == {("AAA", 2024), ("AAA", 2025)}
        fake_build.clear()
        settings = tmp_path / "edi.yml"
        settings.write_text("disclosure:\n  min_group_stat: 12\n")
        batch.build_all(raw_tree, settings_path=str(settings))
        assert len(built_set(fake_build)) == 4

    def test_render_after_no_render_builds_the_report(self, raw_tree, fake_build):
        batch.build_all(raw_tree, render=False)
        assert {s for _, _, s in fake_build} == {batch.MEASURE_STAGES}
        fake_build.clear()
        batch.build_all(raw_tree, render=True)
        assert len(built_set(fake_build)) == 4

    def test_failed_build_is_retried_next_time(self, raw_tree, fake_build, monkeypatch):
        real = batch.build

        def flaky(org, year, paths, **kw):
            if org == "AAA" and year == 2025:
                raise EdiError("broken input")
            return real(org, year, paths, **kw)

        monkeypatch.setattr(batch, "build", flaky)
        outcomes = batch.build_all(raw_tree)
        failed = [o for o in outcomes if o.status == "failed"]
        assert [(o.org, o.year, o.reason) for o in failed] == [("AAA", 2025, "broken input")]
        monkeypatch.setattr(batch, "build", real)
        fake_build.clear()
        batch.build_all(raw_tree)
        assert built_set(fake_build) == {("AAA", 2025)}

    def test_workers_start_before_the_keys_unless_every_report_is_in_place(
        self, raw_tree, fake_build, monkeypatch
    ):
        """A pool's workers start while the build keys are worked out; when every report
        is already in place (the build is probably unchanged) none starts before it is
        needed, and none at all when nothing needs building."""
        events: list[str] = []
        real_key, real_enter = batch.build_key, batch._Executor.__enter__

        def key(*args, **kwargs):
            events.append("key")
            return real_key(*args, **kwargs)

        def enter(self):
            events.append(f"workers warm={self.warm}")
            return real_enter(self)

        monkeypatch.setattr(batch, "build_key", key)
        monkeypatch.setattr(batch._Executor, "__enter__", enter)
        batch.build_all(raw_tree)
        assert events[0] == "workers warm=True" and events.count("key") == 4
        events.clear()
        batch.build_all(raw_tree)  # unchanged: keys only
        assert events == ["key"] * 4
        with open(raw_tree.raw_for("BBB", 2025) / "workforce.csv", "a") as fh:
            fh.write("BBB9\n")
        events.clear()
        batch.build_all(raw_tree)  # reports in place, one changed: workers once it is known
        assert events == ["key"] * 4 + ["workers warm=True"]
        events.clear()
        batch.build_all(raw_tree, force=True)
        assert events[0] == "workers warm=True"

    def test_largest_inputs_first_in_each_phase(self, raw_tree, fake_build):
        """Each phase starts with the largest org-years, so that a small one is last."""
        with open(raw_tree.raw_for("BBB", 2024) / "workforce.csv", "a") as fh:
            fh.write("".join(f"BBB{i}\n" for i in range(50)))
        with open(raw_tree.raw_for("AAA", 2025) / "workforce.csv", "a") as fh:
            fh.write("".join(f"AAA{i}\n" for i in range(20)))
        batch.build_all(raw_tree)
        measured = [(o, y) for o, y, s in fake_build if s == batch.MEASURE_STAGES]
        reported = [(o, y) for o, y, s in fake_build if s == batch.REPORT_STAGES]
        assert measured == [("BBB", 2024), ("BBB", 2025), ("AAA", 2024), ("AAA", 2025)]
        assert reported == [("BBB", 2024), ("AAA", 2025), ("BBB", 2025), ("AAA", 2024)]

    def test_heap_frozen_after_the_first_task_of_each_kind(self, raw_tree, fake_build, monkeypatch):
        import gc

        frozen: list[str] = []
        monkeypatch.setattr(pipeline, "_FROZEN", set())
        monkeypatch.setattr(gc, "collect", lambda *a: frozen.append("collect") or 0)
        monkeypatch.setattr(gc, "freeze", lambda: frozen.append("freeze"))
        batch.build_all(raw_tree)
        assert frozen == ["collect", "freeze"] * 2  # two measure and four report tasks
        assert pipeline._FROZEN == {"measure", "report"}

    def test_summary_table(self, capsys):
        batch.print_summary(
            [
                batch.Outcome("AAA", 2025, "built", 3.0),
                batch.Outcome("BBB", 2025, "skipped", 0.0, "unchanged"),
                batch.Outcome("CCC", 2025, "failed", 1.0, "workforce.csv: no rows\nmore"),
            ]
        )
        out = capsys.readouterr().out
        assert "CCC      2025  failed" in out and "workforce.csv: no rows" in out
        assert "more" not in out
        assert out.strip().endswith("1 built, 1 skipped, 1 failed")


# ---------------------------------------------------------------- warm kernels
def notebook(path: Path, *sources: str) -> Path:
    nb = new_notebook(
        cells=[
            new_code_cell('org = "X"\nyear = 2024', metadata={"tags": ["parameters"]}),
            *(new_code_cell(s) for s in sources),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


def outputs(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "".join(
        o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
    )


@pytest.mark.slow
@pytest.mark.xdist_group("warm-kernel")
class TestWarmKernel:
    @pytest.fixture(scope="class")
    def kernel(self):
        kernel = engine.WarmKernel(preload=False)
        yield kernel
        kernel.shutdown()

    def test_no_state_leaks_between_notebooks(self, kernel, tmp_path):
        first = notebook(
            tmp_path / "a.ipynb",
            "import statistics\nfigure = 41.7  # org A's pay gap\n_private = 1\nfigure",
        )
        second = notebook(
            tmp_path / "b.ipynb",
            "import os\n"
            "leaked = sorted(k for k in ('figure', '_private', 'statistics', '_') "
            "if k in globals() and globals()[k] != '')\n"
            "print('leaked', leaked, 'org', org, 'cwd', os.getcwd())",
        )
        run = tmp_path / "run"
        run.mkdir()
        params = {"org": "AAA", "year": 2024}
        pipeline.run_notebook(first, run / "a.ipynb", params, cwd=tmp_path, kernel=kernel)
        pipeline.run_notebook(
            second, run / "b.ipynb", {"org": "BBB", "year": 2025}, cwd=run, kernel=kernel
        )
        text = outputs(run / "b.ipynb")
        assert f"leaked [] org BBB cwd {run}" in text
        counts = [c.execution_count for c in nbformat.read(run / "b.ipynb", 4).cells]
        assert counts[:2] == [1, 2]  # a new session per notebook

    def test_failing_notebook_is_a_plain_error_and_kernel_carries_on(self, kernel, tmp_path):
        bad = notebook(tmp_path / "bad.ipynb", "raise ValueError('boom in org A')")
        good = notebook(tmp_path / "good.ipynb", "print('fine', org)")
        with pytest.raises(EdiError, match="unexpected error.*ValueError: boom in org A"):
            pipeline.run_notebook(bad, tmp_path / "o1.ipynb", {"org": "A"}, tmp_path, kernel)
        pipeline.run_notebook(good, tmp_path / "o2.ipynb", {"org": "B"}, tmp_path, kernel)
        assert "fine B" in outputs(tmp_path / "o2.ipynb")
        assert kernel.is_alive()

    def test_warm_up_draws_once_and_leaves_nothing_behind(self, kernel, tmp_path):
        kernel.warm_up()
        kernel.warm_up()  # once per kernel: the second call sends nothing
        probe = notebook(
            tmp_path / "p.ipynb",
            "import sys\nprint('vl', 'vl_convert' in sys.modules, 'altair' in sys.modules, "
            "'_vlc' in globals() or '_name' in globals())",
        )
        pipeline.run_notebook(probe, tmp_path / "p_out.ipynb", {"org": "A"}, tmp_path, kernel)
        # the report's imports come with the warm-up (a main kernel beside a validation
        # kernel leaves them out of its first imports, engine.MAIN_MODULES); no Altair: the
        # report writes its charts without it
        assert "vl True False False" in outputs(tmp_path / "p_out.ipynb")
        assert kernel.warmed and kernel.is_alive()

    def test_kernel_launched_without_waiting_answers_before_its_first_notebook(self, tmp_path):
        kernel = engine.WarmKernel(modules=("json",), wait=False)
        try:
            probe = notebook(
                tmp_path / "p.ipynb", "import sys\nprint('json', 'json' in sys.modules)"
            )
            pipeline.run_notebook(probe, tmp_path / "o.ipynb", {"org": "A"}, tmp_path, kernel)
            assert "json True" in outputs(tmp_path / "o.ipynb")
            kernel.started()  # answered once; asking again returns at once
        finally:
            kernel.shutdown()

    def test_kernel_dying_at_start_is_reported_not_waited_for(self, tmp_path):
        from edi_reports.pipeline.build import _started

        kernel = engine.WarmKernel(preload=False, wait=False)
        kernel.km.provisioner.process.kill()
        with pytest.raises(engine.KernelFailed, match="did not start"):
            kernel.started(timeout=60)  # noticed within about a second, not after 60
        assert not kernel.is_alive()
        launched = engine.WarmKernel(preload=False, wait=False)
        launched.km.provisioner.process.kill()
        assert _started(launched) is None  # the build's main kernel then validates

    def test_dead_kernel_is_replaced(self, tmp_path):
        pool = engine.KernelPool(preload=False)
        crash = notebook(tmp_path / "crash.ipynb", "import os\nos._exit(3)")
        with pool.lease() as kernel:
            with pytest.raises(EdiError, match="kernel"):
                pipeline.run_notebook(crash, tmp_path / "c.ipynb", {"org": "A"}, tmp_path, kernel)
        assert not kernel.is_alive()
        good = notebook(tmp_path / "good.ipynb", "print('alive', org)")
        with pool.lease() as fresh:
            assert fresh is not kernel
            pipeline.run_notebook(good, tmp_path / "g.ipynb", {"org": "B"}, tmp_path, fresh)
        assert "alive B" in outputs(tmp_path / "g.ipynb")
        assert pool.shutdown() == 1


# ---------------------------------------------------------------- local process pool
def report_tasks(fn, orgs):
    return [(fn, (org, YEAR, "key", None, None, 1.0)) for org in orgs]


@pytest.mark.xdist_group("batch")
class TestProcessPool:
    """``--workers N`` without ``--scheduler``: a pool of N local processes."""

    def test_tasks_run_on_worker_processes(self):
        import os

        from tests.pipeline import pool_tasks

        said: list[str] = []
        with batch._Executor(2, None, said.append) as run:
            results = list(run(report_tasks(pool_tasks.where, ["AAA", "BBB", "CCC"]), "report"))
        assert sorted(o.org for o in results) == ["AAA", "BBB", "CCC"]
        pids = {o.reason for o in results}
        assert str(os.getpid()) not in pids and 1 <= len(pids) <= 2
        assert len(said) == 3 and said[-1].endswith("[3/3]")

    def test_a_dying_worker_fails_its_own_task_only(self):
        from tests.pipeline import pool_tasks

        orgs = ["AAA", "BAD", "BBB", "CCC"]
        with batch._Executor(2, None, lambda _: None) as run:
            results = {o.org: o for o in run(report_tasks(pool_tasks.dies_for_bad, orgs), "r")}
            # the pool serves the next phase as well
            after = list(run(report_tasks(pool_tasks.where, ["DDD"]), "report"))
        assert set(results) == set(orgs)
        assert results["BAD"].status == "failed"
        assert "stopped unexpectedly" in results["BAD"].reason
        assert results["BAD"].seconds == 1.0
        assert all(results[o].status == "built" for o in ("AAA", "BBB", "CCC"))
        assert [o.status for o in after] == ["built"]

    def test_a_worker_stops_its_warm_kernels_when_the_pool_closes(self):
        import os

        from tests.pipeline import pool_tasks

        with batch._Executor(2, None, lambda _: None) as run:
            (result,) = run(report_tasks(pool_tasks.kernel_pid, ["AAA"]), "report")
            pid = int(result.reason)
            os.kill(pid, 0)  # running while the worker lives
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)

    @pytest.mark.slow
    def test_scheduler_local_runs_on_a_dask_local_cluster(self):
        import os

        from tests.pipeline import pool_tasks

        executor = batch._Executor(2, "local", lambda _: None)
        with executor as run:
            assert executor.cluster is not None and executor.pool is None
            results = list(run(report_tasks(pool_tasks.where, ["AAA", "BBB"]), "report"))
        assert sorted(o.org for o in results) == ["AAA", "BBB"]
        assert str(os.getpid()) not in {o.reason for o in results}

    def test_measure_task_lost_fails_each_of_its_years(self):
        lost = batch._lost(
            batch.measure_org, ("AAA", [2025, 2024], {}, None, None, True), OSError("x")
        )
        assert [(o.org, o.year, o.status) for o in lost] == [
            ("AAA", 2024, "failed"),
            ("AAA", 2025, "failed"),
        ]


# ---------------------------------------------------------------- real batch on Dask
@pytest.mark.slow
@pytest.mark.xdist_group("batch")
class TestDaskBatch:
    @pytest.fixture(scope="class")
    def scheduler(self):
        """One 2-worker cluster for the class (``--scheduler``): its workers' warm kernels
        serve both batches, as on a long-running cluster."""
        from dask.distributed import LocalCluster

        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
        yield cluster.scheduler_address
        cluster.close()

    @pytest.fixture(scope="class")
    def batch_run(self, tmp_path_factory):
        root = tmp_path_factory.mktemp("batch")
        dirs = folders(root)
        synthesise(["AAA", "BBB"], [YEAR], 40, 3, dirs["raw"], dirs["content"])
        broken = dirs["raw"] / "BAD1" / str(YEAR)
        broken.mkdir(parents=True)
        (broken / "workforce.csv").write_text("foo,bar\n1,2\n")
        return dirs

    def test_dask_batch_isolates_a_failing_org(self, batch_run, scheduler, capsys):
        args = ["build", "--all", "--scheduler", scheduler, "--no-render", *cli_args(batch_run)]
        code = main(args)
        out = capsys.readouterr().out
        assert code == 1
        lines = {
            line.split()[0]: line for line in out.splitlines() if line[:3] in {"AAA", "BBB", "BAD"}
        }
        assert " built " in lines["AAA"] and " built " in lines["BBB"]
        assert " failed " in lines["BAD1"] and "workforce.csv" in lines["BAD1"]
        assert "2 built, 0 skipped, 1 failed" in out
        for org in ("AAA", "BBB"):
            manifest = json.loads(
                (batch_run["processed"] / org / str(YEAR) / "manifest.json").read_text()
            )
            assert manifest["build_key"]
        national = pd.read_csv(batch_run["processed"] / "national" / str(YEAR) / "metrics.csv")
        assert set(national["org"]) == {"AAA", "BBB"}
        assert not (batch_run["reports"] / "AAA").exists()

    def test_process_pool_batch_isolates_a_failing_org(self, batch_run, capsys):
        args = ["build", "--all", "--workers", "2", "--force", "--no-render"]
        assert main([*args, *cli_args(batch_run)]) == 1
        out = capsys.readouterr().out
        assert "2 built, 0 skipped, 1 failed" in out
        failed = next(line for line in out.splitlines() if line.startswith("BAD1"))
        assert "workforce.csv" in failed
        for org in ("AAA", "BBB"):
            manifest = json.loads(
                (batch_run["processed"] / org / str(YEAR) / "manifest.json").read_text()
            )
            assert manifest["build_key"] and "03_measure" in manifest["timings_seconds"]

    def test_unchanged_rebuild_skips_then_one_rendered_report(self, batch_run, scheduler, capsys):
        shutil.rmtree(batch_run["raw"] / "BAD1")
        assert main(["build", "--all", "--no-render", *cli_args(batch_run)]) == 0
        assert "0 built, 2 skipped, 0 failed" in capsys.readouterr().out
        shutil.rmtree(batch_run["raw"] / "BBB")
        assert main(["build", "--all", "--scheduler", scheduler, *cli_args(batch_run)]) == 0
        assert "1 built, 0 skipped, 0 failed" in capsys.readouterr().out
        page = (batch_run["reports"] / "AAA" / str(YEAR) / "index.html").read_text()
        assert "Benchmarking" in page
        assert (batch_run["reports"] / "AAA" / str(YEAR) / "report.pdf").exists()
        manifest = json.loads(
            (batch_run["processed"] / "AAA" / str(YEAR) / "manifest.json").read_text()
        )
        assert {"01_clean", "04_report", "render"} <= set(manifest["timings_seconds"])


# ---------------------------------------------------------------- benchmarking table
def test_benchmark_table_shows_only_distributions_over_enough_organisations():
    from edi_reports.measures.national import MIN_ORGANISATIONS, benchmark_table, benchmarks

    orgs = [f"O{i}" for i in range(6)]
    values = [2.0, 4.0, 6.0, 8.0, 10.0, 12.0]
    national = pd.DataFrame(
        {
            "org": orgs,
            "measure": "gpg.mean_hourly_gap",
            "value": values,
            "numerator": 100,
            "denominator": 80,
            "status": "ok",
        }
    )
    regions = pd.DataFrame({"org_code": orgs, "region": ["North"] * 5 + ["South"]})
    bench = benchmarks(national, regions)
    table = benchmark_table(bench, {"gpg.mean_hourly_gap": "11.0"}, region="North")
    row = table.iloc[0]
    assert row["This organisation"] == "11.0%"
    assert row["National median"] == "7.0% (6 orgs)"
    assert row["National lower quartile"] == "4.5%" and row["National upper quartile"] == "9.5%"
    assert row["Where this organisation stands"] == "above the national upper quartile"
    assert row["Regional median"] == "6.0% (5 orgs)"
    south = benchmark_table(bench, {"gpg.mean_hourly_gap": "*"}, region="South").iloc[0]
    assert south["This organisation"] == "* (suppressed)"
    assert south["Regional median"] == f"not shown: fewer than {MIN_ORGANISATIONS} organisations"
    assert south["Where this organisation stands"] == "cannot be placed"
    # a measure with no organisation at all is not shown, never 0
    assert table.iloc[2]["National median"] == "not shown: 0 organisation(s)"


def test_small_groups_stay_out_of_the_distribution():
    """A quartile over few organisations can equal one organisation's figure: only figures
    that organisation could publish itself (methodology §6, §2.4) enter it."""
    from edi_reports.measures.national import benchmarks

    national = pd.DataFrame(
        {
            "org": ["A", "B", "C", "A", "B"],
            "measure": ["dpg.mean_hourly_gap"] * 3 + ["epg.mean_hourly_gap"] * 2,
            "value": [1.0, 2.0, 99.0, 5.0, 6.0],
            "numerator": [10, 40, 3, 9, 60],  # epg: 9 is below the 2026 minimum of 10
            "denominator": [100, 200, 50, 500, 600],
            "status": "ok",
        }
    )
    table = benchmarks(national).set_index("measure")
    assert table.loc["dpg.mean_hourly_gap", "organisations"] == 2
    assert table.loc["dpg.mean_hourly_gap", "upper_quartile"] < 99.0
    assert table.loc["epg.mean_hourly_gap", "organisations"] == 1
