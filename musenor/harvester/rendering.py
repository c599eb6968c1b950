"""Renders the records whose stored OAI renderings are missing or stale, in bulk, after each publish.

A record's content changes at publish; its renderings are made here, once, for every OAI format, and kept
in the ledger for the servers to serve as bytes (``musenor.mappings.rendering``). A new renderer version (renderer
code, vocabularies, or the settings a rendering reads) makes every stored rendering stale: the next
harvest, ``musenor reindex`` or ``musenor serve`` renders them all again, a batch at a time.

Rendering is pure and costs milliseconds a record, so a large backlog goes to a pool of processes (one per
core, each loading the vocabularies once); a small one is rendered here, where starting processes would cost
more than it saves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from musenor.catalogue import Catalogue, HubConfig
from musenor.catalogue.image_store import HeldImages
from musenor.mappings import RenderContext, oai_formats
from musenor.mappings.rendering import render_context, render_oai, renderer_version

BATCH = 500
# Below this many records in one batch, rendering here beats starting a pool of processes.
POOL_THRESHOLD = 2000

log = logging.getLogger(__name__)
Rendered = list[tuple[str, str, str, int, "bytes | None"]]


def hub_render_context(config: HubConfig, vocabularies: Any = None) -> RenderContext:
    return render_context(config.base_uri, config.repository_identifier, config.repository_name,
                          {code: m.name for code, m in config.museums.items()}, vocabularies,
                          HeldImages(str(config.data_dir), config.base_uri))


def render_batch(context: RenderContext, version: str, batch: list[tuple[str, str, str, int]]) -> Rendered:
    formats = oai_formats()
    rows: Rendered = []
    for identifier, record_uri, ntriples, change_seq in batch:
        for prefix, body in render_oai(ntriples, record_uri, identifier, formats, context).items():
            rows.append((identifier, prefix, version, change_seq, body))
    return rows


def render_stale(config: HubConfig, catalogue: Catalogue, *, vocabularies: Any = None, jobs: int | None = None,
                 progress: Callable[[int, int], None] | None = None, pool: Any = None) -> int:
    """Render every live record lacking a current rendering; returns how many records were rendered.

    ``pool``: the harvest's ``workers.WorkerPool``, used when it has already started (its workers are warm) or
    the backlog is large; without one, a pool of ``jobs`` processes is started for a large backlog.
    """
    from musenor.harvester.workers import WorkerPool

    ledger = catalogue.ledger
    context = hub_render_context(config, vocabularies)
    version = renderer_version(context)
    formats = len(oai_formats())
    own = pool is None
    workers: WorkerPool = pool if pool is not None else WorkerPool.for_hub(config, jobs)
    total = ledger.museum_counts()
    live = sum(counts["records"] for counts in total.values())
    done = 0
    after = ""
    try:
        while True:
            batches = []
            for _ in range(workers.jobs * 2):
                batch = ledger.records_to_render(version, formats, after=after, limit=BATCH)
                if not batch:
                    break
                batches.append(batch)
                after = batch[-1][0]
            if not batches:
                break
            parallel = workers.useful and (workers.started or sum(map(len, batches)) >= POOL_THRESHOLD)
            if parallel:
                try:
                    # Split small batches so that every worker gets a share.
                    results = workers.render(version, _shares(batches, workers.jobs))
                except BrokenProcessPool:  # a worker died: these batches, and the rest, are rendered here
                    log.warning("a rendering worker died; rendering in this process")
                else:
                    ledger.store_renderings([row for share in results for row in share])
                    done += sum(map(len, batches))
                    if progress:
                        progress(done, max(done, live))
                    continue
            for batch in batches:
                ledger.store_renderings(render_batch(context, version, batch))
                done += len(batch)
                if progress:
                    progress(done, max(done, live))
    finally:
        if own:
            workers.close()
    return done


def _shares(batches: list[list[Any]], jobs: int) -> list[list[Any]]:
    rows = [row for batch in batches for row in batch]
    size = max(1, -(-len(rows) // max(len(batches), jobs)))
    return [rows[start:start + size] for start in range(0, len(rows), size)]
