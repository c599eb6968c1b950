"""The one pool of processes a harvest maps and renders in, and what its workers run.

Mapping (``musenor.mappings``: bytes in, triples out, no I/O) and rendering are pure and cost milliseconds a
record, where fetching a page and staging it cost microseconds a record: they go to a pool of processes, one
per core, while the harvest's own thread fetches the next page and stages the last. One pool serves every
museum of a ``harvest_museums`` call and then the rendering of what they published, so that its workers start
and load the vocabularies once. It starts on first use: a small harvest never pays for it.

Workers are started by a fork server (the harvest runs threads: forking them is unsafe) and each loads the
shipped vocabularies of the hub's base URI once. A worker never touches the ledger: it gets bytes and gives back
plain values (``Mapped``, ``Deleted``, ``Failed``), and the harvest stages them in source order, page by page,
with each page's checkpoint, exactly as when it maps them itself.
"""

from __future__ import annotations

import dataclasses
import functools
import multiprocessing
import os
import select
import threading
import time
import traceback
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from musenor.catalogue.ledger import format_datestamp, utc_now
from musenor.mappings import MappingContext, MappingError, RenderContext, get_dialect
from musenor.mappings.provenance import provenance_graph
from musenor.mappings.rendering import render_context

DialectParts = tuple[Any, str, str]  # (function, media type of the raw record, mapping version)


@functools.lru_cache(maxsize=None)
def dialect_parts(name: str) -> DialectParts:
    """The dialect's function, the media type of its raw records and its mapping version."""
    dialect = get_dialect(name)
    function = dialect.load()
    module = __import__(function.__module__, fromlist=["_"])
    return function, dialect.media_type, getattr(module, "MAPPING_VERSION", f"{name}/1")


@dataclass(frozen=True)
class MapJob:
    """What mapping a run's records reads besides their bytes; sent to the workers, so it holds no vocabularies
    (``shipped_vocabularies``: the worker uses the shipped ones of the base URI, else none)."""

    context: MappingContext
    shipped_vocabularies: bool
    run_id: int
    run_started: str


@dataclass(frozen=True)
class RawRecord:
    raw: bytes
    dialect: str
    datestamp: str | None
    source_url: str | None


@dataclass
class Mapped:
    local_id: str
    record_uri: str
    source_datestamp: str | None
    sets: list[str]
    graph: str  # N-Triples
    provenance: str  # N-Triples
    mapping_version: str
    sanitised: int
    unmapped: dict[str, int] = field(default_factory=dict)
    unmatched: list[list[Any]] = field(default_factory=list)  # [vocabulary, term, count]


@dataclass
class Deleted:
    """The record's content says it is withdrawn (a dialect's own deletion mark)."""

    local_id: str


@dataclass
class Failed:
    reason: str
    local_id: str | None = None
    trace: str | None = None  # an unexpected exception (a dialect bug): its traceback, for the log


Outcome = Mapped | Deleted | Failed


def map_record(record: RawRecord, context: MappingContext, run_id: int, run_started: str) -> Mapped | Deleted:
    """One raw record mapped, with its provenance; raises what the dialect raises."""
    function, media_type, version = dialect_parts(record.dialect)
    mapped = function(record.raw, context)
    if mapped.deleted:
        return Deleted(mapped.local_id)
    provenance = provenance_graph(context.uris, museum=context.museum_code, local_id=mapped.local_id, run_id=run_id,
                                  run_started=run_started, generated_at=format_datestamp(utc_now()),
                                  source_url=record.source_url, raw_media_type=media_type, mapping_version=version)
    return Mapped(local_id=mapped.local_id, record_uri=str(mapped.record_uri),
                  source_datestamp=mapped.source_datestamp or record.datestamp, sets=list(mapped.sets),
                  graph=mapped.graph.ntriples(), provenance=provenance.ntriples(),
                  mapping_version=version, sanitised=mapped.sanitised, unmapped=dict(mapped.unmapped),
                  unmatched=[[v, t, n] for (v, t), n in mapped.unmatched.items()])


def map_records(records: list[RawRecord], context: MappingContext, run_id: int, run_started: str) -> list[Outcome]:
    """Each record mapped alone: one that fails is a ``Failed`` with its reason, and the others go on."""
    outcomes: list[Outcome] = []
    for record in records:
        try:
            outcomes.append(map_record(record, context, run_id, run_started))
        except MappingError as exc:
            outcomes.append(Failed(exc.reason, exc.local_id))
        except Exception as exc:  # a dialect bug on one odd record must not lose the page
            outcomes.append(Failed(f"mapping failed: {exc.__class__.__name__}: {exc}", trace=traceback.format_exc()))
    return outcomes


# -- in the workers ------------------------------------------------------------------------------------------

_render_context: RenderContext | None = None


def _start_worker(harvest_pid: int, base_uri: str, repository_identifier: str, hub_name: str,
                  museum_names: dict[str, str], holds_image: Any = None) -> None:
    global _render_context
    _watch(harvest_pid)
    _render_context = render_context(base_uri, repository_identifier, hub_name, museum_names,
                                     holds_image=holds_image)


def _watch(harvest_pid: int) -> None:
    """End this worker when the harvest that started the pool ends. A harvest killed outright (SIGKILL, the
    OOM killer) cannot shut its pool down, and its workers, children of the fork server, would otherwise wait
    for work forever."""

    def watch() -> None:
        try:
            handle = os.pidfd_open(harvest_pid)  # Linux 5.3: readable once the process has ended
        except (AttributeError, OSError):
            handle = None
        if handle is not None:
            select.select([handle], [], [])
        else:
            while _alive(harvest_pid):
                time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="harvest-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _map_in_worker(job: MapJob, records: list[RawRecord]) -> list[Outcome]:
    vocabularies = None
    if job.shipped_vocabularies:
        from musenor.vocabularies import load_vocabularies

        vocabularies = load_vocabularies(job.context.uris.base)  # loaded once a process
    context = dataclasses.replace(job.context, vocabularies=vocabularies)
    return map_records(records, context, job.run_id, job.run_started)


def _render_in_worker(version: str, batch: list[tuple[str, str, str, int]]) -> Any:
    from musenor.harvester.rendering import render_batch

    assert _render_context is not None
    return render_batch(_render_context, version, batch)


# -- in the harvest ------------------------------------------------------------------------------------------


class WorkerPool:
    """A forkserver pool of ``jobs`` processes for one harvest, started on first use; thread-safe."""

    def __init__(self, base_uri: str, repository_identifier: str, hub_name: str, museum_names: dict[str, str],
                 jobs: int | None = None, holds_image: Any = None) -> None:
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        # holds_image (picklable): which images the hub holds a copy of, for EDM's link to the IIIF manifest.
        self._initargs = (base_uri, repository_identifier, hub_name, dict(museum_names), holds_image)
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self.broken = False  # a worker died: what is left is done in the harvest's own process

    @classmethod
    def for_hub(cls, config: Any, jobs: int | None = None) -> WorkerPool:
        from musenor.catalogue.image_store import HeldImages

        return cls(config.base_uri, config.repository_identifier, config.repository_name,
                   {code: m.name for code, m in config.museums.items()}, jobs,
                   HeldImages(str(config.data_dir), config.base_uri))

    @property
    def useful(self) -> bool:
        """Whether there is more than one core to spread work over, and workers to do it."""
        return self.jobs > 1 and not self.broken

    @property
    def started(self) -> bool:
        return self._executor is not None

    def executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                context = multiprocessing.get_context("forkserver")
                # The fork server imports the mappings and renderers once; each worker forks from it ready.
                context.set_forkserver_preload([__name__])
                self._executor = ProcessPoolExecutor(
                    max_workers=self.jobs, mp_context=context,
                    initializer=_start_worker, initargs=(os.getpid(), *self._initargs))
            return self._executor

    def map_records(self, job: MapJob, records: list[RawRecord]) -> list[Future[list[Outcome]]]:
        """Futures of the records' outcomes, in order, a share of the records for each worker."""
        executor = self.executor()
        size = max(1, -(-len(records) // self.jobs))
        try:
            return [executor.submit(_map_in_worker, job, records[start:start + size])
                    for start in range(0, len(records), size)]
        except BrokenProcessPool:
            self.broken = True
            raise

    def render(self, version: str, batches: list[list[tuple[str, str, str, int]]]) -> list[Any]:
        """Each batch's rendering rows, in order; raises BrokenProcessPool when a worker died."""
        try:
            return list(self.executor().map(_render_in_worker, [version] * len(batches), batches))
        except BrokenProcessPool:
            self.broken = True
            raise

    def close(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is None:
            return
        if self.broken or getattr(executor, "_broken", False):
            # A worker died. CPython's broken-pool cleanup terminates the workers it knows of, then joins every
            # worker: one the pool started meanwhile (a submit racing the death) never gets the signal and waits
            # for work, and the join (so this shutdown, and the interpreter's exit) waits for ever. Seen in CI
            # on 3.11 after test_a_pool_whose_workers_died_costs_no_record. The pool is no use any more: every
            # worker still running is killed first.
            for process in list((getattr(executor, "_processes", None) or {}).values()):
                if process.exitcode is None:
                    process.kill()
        executor.shutdown(cancel_futures=True)
