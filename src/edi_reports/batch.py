"""Build every organisation-year found under the raw folder.

One failing organisation does not stop the others; the run ends with a summary (built,
skipped, failed with the reason). Years of one organisation are built in order within one
task, because a year's report compares with the year before. With more than one worker, or
a scheduler address, the tasks run on Dask (a LocalCluster by default).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from .config import Paths, Settings
from .errors import EdiError
from .pipeline import Progress, build, code_version, discover, file_sha256, input_hashes


@dataclass(frozen=True)
class Outcome:
    org: str
    year: int
    status: str  # built | skipped | failed
    seconds: float
    reason: str = ""


def build_key(paths: Paths, org: str, year: int, settings_path: str | None) -> str:
    """A hash of everything a build depends on: inputs, content, settings, code, notebooks."""
    parts = {
        "inputs": input_hashes(paths, org, year, settings_path),
        "settings": Settings.load(settings_path).fingerprint(),
        "code": code_version(),
        "notebooks": {p.name: file_sha256(p) for p in sorted(paths.notebooks.glob("*.ipynb"))},
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def is_up_to_date(paths: Paths, org: str, year: int, key: str, render: bool) -> bool:
    """True when the last successful build used the same key and its outputs are in place."""
    manifest = paths.processed_for(org, year) / "manifest.json"
    if not manifest.exists():
        return False
    try:
        recorded = json.loads(manifest.read_text()).get("build_key")
    except (OSError, ValueError):
        return False
    if recorded != key:
        return False
    if render:
        return (paths.reports_for(org, year) / "index.html").exists()
    return (paths.processed_for(org, year) / "metrics.csv").exists()


def _record_key(paths: Paths, org: str, year: int, key: str) -> None:
    manifest = paths.processed_for(org, year) / "manifest.json"
    data = json.loads(manifest.read_text()) if manifest.exists() else {}
    data["build_key"] = key
    manifest.write_text(json.dumps(data, indent=2, default=str))


def build_org_years(
    org: str,
    years: list[int],
    paths: Paths,
    settings_path: str | None,
    render: bool,
    force: bool,
    progress: Progress | None = None,
) -> list[Outcome]:
    """Build the given years of one organisation in order; never raises for bad input."""
    say = progress or (lambda _: None)
    outcomes: list[Outcome] = []
    for year in sorted(years):
        started = time.perf_counter()
        try:
            key = build_key(paths, org, year, settings_path)
            if not force and is_up_to_date(paths, org, year, key, render):
                outcomes.append(
                    Outcome(org, year, "skipped", time.perf_counter() - started, "unchanged")
                )
                say(f"[{org} {year}] unchanged, skipped")
                continue
            build(org, year, paths, settings_path=settings_path, render=render, progress=say)
            _record_key(paths, org, year, key)
            outcomes.append(Outcome(org, year, "built", time.perf_counter() - started))
        except EdiError as exc:
            outcomes.append(Outcome(org, year, "failed", time.perf_counter() - started, str(exc)))
            say(f"[{org} {year}] failed: {str(exc).splitlines()[0]}")
        except Exception as exc:  # one organisation's bug must not stop the batch
            reason = f"unexpected error {type(exc).__name__}: {exc}"
            outcomes.append(Outcome(org, year, "failed", time.perf_counter() - started, reason))
            say(f"[{org} {year}] failed: {reason}")
    return outcomes


def build_all(
    paths: Paths,
    *,
    settings_path: str | None = None,
    render: bool = True,
    workers: int = 1,
    scheduler: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> list[Outcome]:
    """Build every ``<ORG>/<YEAR>`` folder under ``paths.raw``.

    Parameters
    ----------
    workers
        1 builds in this process; more starts a Dask LocalCluster with that many workers.
    scheduler
        Address of a running Dask scheduler (``tcp://host:8786``); overrides ``workers``.
    force
        Rebuild even when inputs, content, settings, code and notebooks are unchanged.
    """
    found = discover(paths.raw)
    if not found:
        raise EdiError(
            f"{paths.raw}: no <ORG>/<YEAR>/ input folders found; run `edi synth` or add data"
        )
    by_org: dict[str, list[int]] = {}
    for org, year in found:
        by_org.setdefault(org, []).append(year)
    say = progress or (lambda _: None)
    say(f"building {len(found)} organisation-year(s) for {len(by_org)} organisation(s)")
    if scheduler is None and workers <= 1:
        outcomes: list[Outcome] = []
        for org, years in by_org.items():
            outcomes.extend(
                build_org_years(org, years, paths, settings_path, render, force, progress)
            )
        return outcomes
    return _build_on_dask(by_org, paths, settings_path, render, force, workers, scheduler, say)


def _build_on_dask(
    by_org: dict[str, list[int]],
    paths: Paths,
    settings_path: str | None,
    render: bool,
    force: bool,
    workers: int,
    scheduler: str | None,
    say: Callable[[str], None],
) -> list[Outcome]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise EdiError(
            "parallel builds need Dask: pip install 'edi-reports[scale]' (or use --workers 1)"
        ) from exc
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    try:
        futures = [
            client.submit(
                build_org_years, org, years, paths, settings_path, render, force, None, pure=False
            )
            for org, years in by_org.items()
        ]
        outcomes: list[Outcome] = []
        for done, (_future, result) in enumerate(as_completed(futures, with_results=True), 1):
            outcomes.extend(result)
            for o in result:
                say(f"[{o.org} {o.year}] {o.status} ({o.seconds:.1f} s) [{done}/{len(futures)}]")
        return sorted(outcomes, key=lambda o: (o.org, o.year))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def print_summary(outcomes: list[Outcome]) -> None:
    """The end-of-run table: each organisation-year with its status and reason."""
    print(f"{'org':<8} {'year':<5} {'status':<8} {'seconds':>8}  reason")
    for o in outcomes:
        first = o.reason.splitlines()[0] if o.reason else ""
        print(f"{o.org:<8} {o.year:<5} {o.status:<8} {o.seconds:>8.1f}  {first}")
    counts = {s: sum(o.status == s for o in outcomes) for s in ("built", "skipped", "failed")}
    print(f"{counts['built']} built, {counts['skipped']} skipped, {counts['failed']} failed")
