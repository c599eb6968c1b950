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

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from musenor.catalogue import Catalogue, HubConfig
from musenor.catalogue.image_store import HeldImages
from musenor.mappings import RenderContext, oai_formats
from musenor.mappings.rendering import render_context, render_oai, renderer_version

BATCH = 500
# Below this many records in one batch, rendering here beats starting a pool of processes.
POOL_THRESHOLD = 2000

Rendered = list[tuple[str, str, str, int, "bytes | None"]]
_worker_context: RenderContext | None = None


def hub_render_context(config: HubConfig, vocabularies: Any = None) -> RenderContext:
    return render_context(config.base_uri, config.repository_identifier, config.repository_name,
                          {code: m.name for code, m in config.museums.items()}, vocabularies,
                          HeldImages(str(config.data_dir), config.base_uri))


def _render_batch(context: RenderContext, version: str, batch: list[tuple[str, str, str, int]]) -> Rendered:
    formats = oai_formats()
    rows: Rendered = []
    for identifier, record_uri, ntriples, change_seq in batch:
        for prefix, body in render_oai(ntriples, record_uri, identifier, formats, context).items():
            rows.append((identifier, prefix, version, change_seq, body))
    return rows


def _start_worker(base_uri: str, repository_identifier: str, hub_name: str, museum_names: dict[str, str],
                  holds_image: Any = None) -> None:
    global _worker_context
    _worker_context = render_context(base_uri, repository_identifier, hub_name, museum_names,
                                     holds_image=holds_image)


def _render_in_worker(version: str, batch: list[tuple[str, str, str, int]]) -> Rendered:
    assert _worker_context is not None
    return _render_batch(_worker_context, version, batch)


def render_stale(config: HubConfig, catalogue: Catalogue, *, vocabularies: Any = None, jobs: int | None = None,
                 progress: Callable[[int, int], None] | None = None) -> int:
    """Render every live record lacking a current rendering; returns how many records were rendered."""
    ledger = catalogue.ledger
    context = hub_render_context(config, vocabularies)
    version = renderer_version(context)
    formats = len(oai_formats())
    jobs = jobs or os.cpu_count() or 1
    total = ledger.museum_counts()
    live = sum(counts["records"] for counts in total.values())
    done = 0
    pool: ProcessPoolExecutor | None = None
    after = ""
    try:
        while True:
            batches = []
            for _ in range(max(1, jobs) * 2):
                batch = ledger.records_to_render(version, formats, after=after, limit=BATCH)
                if not batch:
                    break
                batches.append(batch)
                after = batch[-1][0]
            if not batches:
                break
            if pool is None and jobs > 1 and sum(map(len, batches)) >= POOL_THRESHOLD:
                pool = ProcessPoolExecutor(
                    max_workers=jobs, mp_context=multiprocessing.get_context("forkserver"), initializer=_start_worker,
                    initargs=(context.uris.base, context.uris.repository_identifier, context.hub_name,
                              context.museum_names, context.holds_image))
            if pool is not None:
                results = pool.map(_render_in_worker, [version] * len(batches), batches)
            else:
                results = (_render_batch(context, version, batch) for batch in batches)
            for batch, rows in zip(batches, results):
                ledger.store_renderings(rows)
                done += len(batch)
                if progress:
                    progress(done, max(done, live))
    finally:
        if pool is not None:
            pool.shutdown()
    return done
