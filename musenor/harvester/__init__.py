"""The harvester: brings every member museum's records into the catalogue, incrementally and resumably.

Public API (called by the CLI and the demo):
- ``validate_sources(config)``: check every museum's source settings (ConfigError naming museum and key);
- ``harvest_museums(config, catalogue, codes, *, full=False, jobs=4, progress=None) -> list[HarvestReport]``;
- ``run_scheduler(config, catalogue, log)``: harvest each museum on its cron schedule until interrupted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from musenor.catalogue import Catalogue, ConfigError, GraphStoreBusy, HubConfig
from musenor.harvester.rendering import render_stale
from musenor.harvester.run import HarvestReport, Progress, harvest_museum
from musenor.harvester.sources import source_problems
from musenor.harvester.workers import WorkerPool

__all__ = ["HarvestReport", "check_sources", "harvest_museum", "harvest_museums", "load_vocabularies", "run_scheduler",
           "validate_sources"]

log = logging.getLogger(__name__)


def validate_sources(config: HubConfig) -> None:
    """Raise one catalogue.ConfigError listing every problem of the museums' source settings."""
    problems = check_sources(config, check_paths=False)
    if problems:
        raise ConfigError.of(problems)


def check_sources(config: HubConfig, *, check_paths: bool = True) -> list[ConfigError]:
    """Every problem of every museum's source settings, each with its file, line, museum and key
    (``check_paths``: also the local exports that do not exist)."""
    return [config.locate(problem) for museum in config.museums.values()
            for problem in source_problems(museum, check_paths=check_paths)]


def load_vocabularies(config: HubConfig) -> Any:
    """The hub's vocabularies for the dialects' term matching (None until the package provides them)."""
    from musenor import vocabularies

    load = getattr(vocabularies, "load_vocabularies", None)
    return load(config.base_uri) if load else None


def harvest_museums(config: HubConfig, catalogue: Catalogue, codes: Sequence[str], *, full: bool = False,
                    jobs: int = 4, progress: Progress | None = None) -> list[HarvestReport]:
    """Harvest the museums ``codes``, ``jobs`` at a time; one report each, in the order asked.

    A museum already being harvested (by another process too) is reported ``skipped``; a museum that fails
    is reported ``failed`` with the reason and never stops the others. At the end, the records published
    get their OAI renderings, and the graph store, when this process holds it, is brought up to date.
    """
    vocabularies = load_vocabularies(config)
    codes = list(dict.fromkeys(codes))
    # One pool of processes for the whole call: large runs map in it, then the renderings are made in it.
    workers = WorkerPool.for_hub(config)
    graph_sync: Future[None] | None = None
    syncing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="graph-sync")
    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="harvest") as pool:
            futures = [pool.submit(harvest_museum, config, catalogue, code, full=full, progress=progress,
                                   vocabularies=vocabularies, pool=workers) for code in codes]
            reports = [f.result() for f in futures]
        from musenor.harvester.alerts import alert_on

        alert_on(config, catalogue, reports)
        if any(r.status == "succeeded" for r in reports):
            if catalogue.has_graph:
                # The graph store takes the publishes while the pool renders them: the two read the ledger
                # and write apart (renderings in the ledger, quads in the store), and the store's bulk writes
                # leave the pool's processes the cores.
                graph_sync = syncing.submit(_sync_graph, catalogue)
            render_stale(config, catalogue, vocabularies=vocabularies, pool=workers)
    finally:
        workers.close()
        syncing.shutdown()
        if graph_sync is not None:
            graph_sync.result()
    catalogue.ledger.close()  # this thread's connection; worker threads' connections went with them
    return reports


def _sync_graph(catalogue: Catalogue) -> None:
    try:
        catalogue.sync_graph()
    except GraphStoreBusy:
        log.info("the graph store is held elsewhere; it will apply the new ledger changes itself")
    finally:
        catalogue.ledger.end_thread()


def run_scheduler(config: HubConfig, catalogue: Catalogue, log: Callable[[str], None]) -> None:
    """Harvest each museum on its own cron schedule until interrupted (see harvester.scheduler)."""
    from musenor.harvester.scheduler import run_scheduler as run

    run(config, catalogue, log)
