"""One harvest run of one museum: fetch page by page, map, stage with the checkpoint, publish behind the gate.

The ledger does the atomic parts (``stage`` writes a page and its checkpoint in one transaction,
``publish`` swaps a run's records in in one transaction behind the completeness gate); this module decides
what goes in:

- resume the museum's unfinished run from its checkpoint (a killed harvest) or begin one; an OAI-PMH run
  asks ``from`` the last successful run's start minus the overlap, at the endpoint's granularity; a
  ``full`` run, and every run of a file export, asks for everything and tombstones what disappeared;
- each record is mapped alone: a record that fails to map is kept raw with its identifier and the reason,
  and the rest of the page goes on; a run of more than ``POOL_THRESHOLD`` records maps in the harvest's pool
  of processes (``workers``), a page at a time while the next page is fetched, and stages the outcomes in
  source order with each page's checkpoint, as when it maps them itself;
- ``TokenRejected`` (an expired resumptionToken, an export replaced mid-run) drops what the run staged and
  starts the list again with the same arguments;
- a ``SourceError`` or a refused publish fails the run with its reason; what is published stays as it was.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import time
import traceback
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from musenor.catalogue import Catalogue, HarvestRun, HubConfig, MuseumConfig, PublishRefused, StagedRecord
from musenor.catalogue.ledger import CachedMapping, parse_datestamp
from musenor.harvester.images import DEFAULT_IMAGE_INTERVAL, fetch_run_images
from musenor.harvester.lock import MuseumLock
from musenor.harvester.sources import Source, SourceError, SourcePage, SourceRecord, TokenRejected, source_for
from musenor.harvester.workers import (Deleted, DialectParts, Failed, MapJob, Mapped, Outcome, RawRecord, WorkerPool,
                                       dialect_parts, map_record)
from musenor.mappings import HubURIs, MappingContext, MappingError
from musenor.mappings.version import code_digest

log = logging.getLogger(__name__)

Progress = Callable[[str, int, "int | None"], None]
MAX_LIST_RESTARTS = 3
HUB_PARENT_SET = "museum"
# From this many records in a run (announced by completeListSize, or seen so far), mapping goes to the pool of
# processes: below it, starting the workers (each loads the vocabularies) costs more than it saves.
POOL_THRESHOLD = 2000


@dataclass
class HarvestReport:
    museum: str
    run_id: int | None
    status: str  # succeeded | failed | skipped
    counts: dict[str, int] = field(default_factory=dict)
    duration: float = 0.0
    reason: str | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)
    publish_refused: bool = False  # the completeness gate said no (a mass deletion, an incomplete list)


def set_specs_with_parents(code: str, mapped_sets: list[str]) -> list[str]:
    """``museum``, ``museum:<code>``, the sets the mapping implies, and every parent of those."""
    specs = {HUB_PARENT_SET, f"museum:{code}"}
    for spec in mapped_sets:
        parts = spec.split(":")
        specs.update(":".join(parts[:n]) for n in range(1, len(parts) + 1))
    return sorted(specs)


def mapping_context(config: HubConfig, museum: MuseumConfig, source: Source, vocabularies: Any) -> MappingContext:
    """What the museum's dialect is told besides the record."""
    return MappingContext(museum_code=museum.code, museum_name=museum.name,
                          uris=HubURIs(config.base_uri, config.repository_identifier), vocabularies=vocabularies,
                          hub_name=config.repository_name, default_rights=museum.rights,
                          rights_map=museum.rights_map, options=source.dialect_options())


class RecordMapper:
    """Maps one source record into a StagedRecord, remembering the curators' worklists as it goes."""

    def __init__(self, config: HubConfig, museum: MuseumConfig, source: Source, run: HarvestRun,
                 catalogue: Catalogue, vocabularies: Any) -> None:
        self.museum = museum
        self.source = source
        self.run = run
        self.ledger = catalogue.ledger
        self.context = mapping_context(config, museum, source, vocabularies)
        self.uris = self.context.uris
        self.unmapped: Counter[str] = Counter()
        self.unmatched: Counter[tuple[str, str]] = Counter()
        # Everything a record's mapping reads besides its bytes: a change to any of it maps every record anew.
        self.fingerprint = hashlib.sha256(json.dumps(
            [code_digest(), config.base_uri, config.repository_identifier, config.repository_name, museum.code,
             museum.name, museum.rights, source.dialect_options()], sort_keys=True, default=repr).encode()).digest()
        self.last_worklist: dict[str, Any] = {}

    def digest(self, record: SourceRecord) -> str | None:
        """What names a raw record's mapping: its bytes, its dialect and version, the fingerprint."""
        if record.deleted:
            return None
        name = record.dialect or self.source.dialect
        try:
            version = self.dialect(name)[2]
        except Exception:  # an unknown dialect: mapping the record says why
            return None
        digest = hashlib.sha256(self.fingerprint)
        digest.update(f"\n{name}\n{version}\n".encode())
        digest.update(record.raw)
        return digest.hexdigest()

    def reuse(self, record: SourceRecord, cached: CachedMapping) -> StagedRecord:
        """The record as published, for raw bytes already mapped to it: publish finds it unchanged."""
        name = record.dialect or self.source.dialect
        self.unmapped.update(cached.worklist.get("unmapped") or {})
        self.unmatched.update({(v, t): n for v, t, n in cached.worklist.get("unmatched") or []})
        return StagedRecord(
            identifier=cached.identifier, museum=self.museum.code, local_id=cached.local_id,
            record_uri=cached.record_uri, source_datestamp=cached.source_datestamp, sets=cached.sets, dialect=name,
            raw=record.raw, source_url=record.source_url, graph=cached.graph, provenance=cached.provenance,
            mapping_version=self.dialect(name)[2])

    def dialect(self, name: str) -> DialectParts:
        """(function, media type of the raw record, mapping version)."""
        return dialect_parts(name)

    def job(self) -> MapJob | None:
        """What the pool's workers need to map this run's records, or None when they cannot: the mapping reads
        vocabularies other than the shipped ones of the hub (the workers load those only)."""
        from musenor.vocabularies import load_vocabularies

        vocabularies = self.context.vocabularies
        shipped = vocabularies is not None
        if shipped and vocabularies is not load_vocabularies(self.uris.base):
            return None
        return MapJob(context=dataclasses.replace(self.context, vocabularies=None), shipped_vocabularies=shipped,
                      run_id=self.run.id, run_started=self.run.started)

    def raw(self, record: SourceRecord) -> RawRecord:
        return RawRecord(raw=record.raw, dialect=record.dialect or self.source.dialect, datestamp=record.datestamp,
                         source_url=record.source_url)

    def identifier_of(self, record: SourceRecord, local_id: str | None = None) -> str:
        """The hub identifier of a record that failed, so that publish counts it as seen: the local id the
        dialect read before failing, else the one the source knows, else (never published) its position."""
        local_id = local_id or record.local_id
        return self.uris.oai_identifier(self.museum.code, local_id) if local_id else record.position

    def deletion(self, record: SourceRecord) -> StagedRecord:
        code = self.museum.code
        published = self.ledger.record_by_source_url(code, record.source_url) if record.source_url else None
        local_id = record.local_id or (published.local_id if published else None)
        if local_id is None:
            # OAI identifiers of museum systems end with the record's own id (oai:pba.lille.fr:PBA-P-222).
            local_id = record.position.rsplit(":", 1)[-1]
        if published is None:
            published = self.ledger.record(self.uris.oai_identifier(code, local_id))
        sets = published.sets if published else set_specs_with_parents(code, [])
        return StagedRecord(identifier=self.uris.oai_identifier(code, local_id), museum=code, local_id=local_id,
                            record_uri=str(self.uris.record(code, local_id)), deleted=True,
                            source_datestamp=record.datestamp, sets=sets,
                            dialect=record.dialect or self.source.dialect, source_url=record.source_url)

    def map(self, record: SourceRecord) -> tuple[StagedRecord, int]:
        """(the staged record, illegal characters the mapping replaced); raises on a record that fails."""
        if record.deleted:
            return self.deletion(record), 0
        return self.staged(record, map_record(self.raw(record), self.context, self.run.id, self.run.started))

    def staged(self, record: SourceRecord, outcome: Mapped | Deleted) -> tuple[StagedRecord, int]:
        """The staged record of a record's mapping outcome (here or in a worker), and the characters replaced."""
        if isinstance(outcome, Deleted):
            return self.deletion(SourceRecord(raw=record.raw, position=record.position, local_id=outcome.local_id,
                                              datestamp=record.datestamp, source_url=record.source_url)), 0
        code = self.museum.code
        self.unmapped.update(outcome.unmapped)
        self.unmatched.update({(v, t): n for v, t, n in outcome.unmatched})
        self.last_worklist = {"unmapped": outcome.unmapped, "unmatched": outcome.unmatched}
        staged = StagedRecord(
            identifier=self.uris.oai_identifier(code, outcome.local_id), museum=code, local_id=outcome.local_id,
            record_uri=outcome.record_uri, source_datestamp=outcome.source_datestamp,
            sets=set_specs_with_parents(code, outcome.sets), dialect=record.dialect or self.source.dialect,
            raw=record.raw, source_url=record.source_url, graph=outcome.graph, provenance=outcome.provenance,
            mapping_version=outcome.mapping_version)
        return staged, outcome.sanitised

    def worklists_state(self) -> dict[str, Any]:
        return {"unmapped": dict(self.unmapped),
                "unmatched": [[v, t, n] for (v, t), n in self.unmatched.items()]}

    def restore_worklists(self, state: dict[str, Any]) -> None:
        self.unmapped = Counter(state.get("unmapped") or {})
        self.unmatched = Counter({(v, t): n for v, t, n in state.get("unmatched") or []})


class MuseumHarvest:
    """One museum's run, from begin (or resume) to publish (or failure)."""

    def __init__(self, config: HubConfig, catalogue: Catalogue, museum: MuseumConfig, *, full: bool,
                 progress: Progress | None, vocabularies: Any, pool: WorkerPool | None = None) -> None:
        self.config = config
        self.pool = pool
        self.catalogue = catalogue
        self.ledger = catalogue.ledger
        self.museum = museum
        self.full = full
        self.progress = progress
        self.vocabularies = vocabularies
        # copies of a record already taken, from another set list: seen = new + changed + unchanged + failed
        # + duplicates (issue 13)
        self.duplicates = 0

    def _begin(self, source: Source) -> HarvestRun:
        code = self.museum.code
        run = self.ledger.unfinished_run(code)
        # We hold the museum's lock, so a run still marked running was killed: resume it, unless it cannot
        # give what was asked (a full harvest asked after an incremental one was killed).
        if run is not None and (run.source_kind != self.museum.source_kind or (self.full and not run.full)):
            self.ledger.fail_run(run.id, "abandoned: superseded by a new harvest with other arguments")
            run = None
        if run is not None:
            return run
        full = self.full or not source.incremental
        from_datestamp = None
        if not full:
            last = self.ledger.last_successful_run(code)
            if last is not None:
                try:
                    from_datestamp = source.from_datestamp(parse_datestamp(last.started))
                except SourceError as exc:
                    failed = self.ledger.begin_run(code, self.museum.source_kind, full=False,
                                                   source_url=source.source_url)
                    self.ledger.fail_run(failed.id, exc.reason)
                    raise _RunFailed(failed.id, exc.reason) from None
        return self.ledger.begin_run(code, self.museum.source_kind, full=full, from_datestamp=from_datestamp,
                                     source_url=source.source_url)

    def run(self) -> HarvestReport:
        started = time.monotonic()
        code = self.museum.code
        lock = MuseumLock(self.config.data_dir, code)
        if not lock.acquire():
            return HarvestReport(code, None, "skipped", duration=time.monotonic() - started,
                                 reason=f"a harvest of {code} is already running (pid {lock.holder()})")
        source = None
        run_id = None
        refused = False
        try:
            source = source_for(self.museum, self.config)
            run = self._begin(source)
            run_id = run.id
            self._harvest(source, run)
            status, reason = "succeeded", None
        except _RunFailed as exc:
            run_id, status, reason = exc.run_id, "failed", exc.reason
        except SourceError as exc:
            status, reason = "failed", exc.reason
        except PublishRefused as exc:
            status, reason, refused = "failed", exc.reason, True
        except Exception as exc:  # one museum's bug must not stop the others; the traceback goes to the log
            log.error("harvest of %s failed:\n%s", code, traceback.format_exc())
            status, reason = "failed", f"internal error: {exc.__class__.__name__}: {exc}"
        finally:
            if source is not None:
                source.close()
        try:
            if status == "failed" and run_id is not None and self.ledger.run(run_id).status == "running":
                self.ledger.fail_run(run_id, reason or "failed")
            report = HarvestReport(code, run_id, status, duration=time.monotonic() - started, reason=reason,
                                   publish_refused=refused)
            if run_id is not None:
                recorded = self.ledger.run(run_id)
                report.reason = reason or recorded.reason
                report.counts = {**recorded.counts, "duplicates": self.duplicates}
                report.errors = self.ledger.run_errors(run_id)
            return report
        finally:
            lock.release()

    def _harvest(self, source: Source, run: HarvestRun) -> None:
        mapper = RecordMapper(self.config, self.museum, source, run, self.catalogue, self.vocabularies)
        state = run.checkpoint or {}
        mapper.restore_worklists(state)
        complete_list_size = state.get("complete_list_size")
        done = self.ledger.staged_count(run.id) + len(self.ledger.run_errors(run.id))
        # Several OAI set lists may each hold a record; within one list (or one export) a second copy is a fault.
        self._repeats_allowed = len(self.museum.source.get("sets") or []) > 1
        restarts = 0
        job = mapper.job() if self.pool is not None and self.pool.useful else None
        pending: _Page | None = None
        while not state.get("done"):
            try:
                for page in source.pages(checkpoint=state.get("source"), from_datestamp=run.from_datestamp,
                                         full=run.full):
                    if page.complete_list_size is not None:
                        complete_list_size = page.complete_list_size
                    if page.incomplete and run.full:
                        log.warning("museum %s: %s; this run deletes nothing", self.museum.code, page.incomplete)
                        self.ledger.forgo_deletions(run.id)
                    size = max(int(complete_list_size or 0), done + len(page.records))
                    parallel = job if job is not None and size >= POOL_THRESHOLD else None
                    # The page goes to the workers first; the page before it is staged while they map, and the
                    # next is fetched. A page mapped here is staged before the next is asked for.
                    prepared = self._prepare_page(mapper, page, parallel)
                    if pending is not None:
                        state, done = self._stage_page(mapper, run, pending, complete_list_size, done)
                        pending = None
                    if prepared.futures:
                        pending = prepared
                    else:
                        state, done = self._stage_page(mapper, run, prepared, complete_list_size, done)
                if pending is not None:
                    state, done = self._stage_page(mapper, run, pending, complete_list_size, done)
                    pending = None
                if not state.get("done"):  # a source that yielded no page at all
                    state = {"done": True, "complete_list_size": complete_list_size, **mapper.worklists_state()}
            except TokenRejected as exc:
                pending = _forget(pending)
                restarts += 1
                if restarts > MAX_LIST_RESTARTS:
                    raise SourceError(f"{exc.reason}; the list was restarted {MAX_LIST_RESTARTS} times") from None
                log.warning("museum %s: %s; restarting the list", self.museum.code, exc.reason)
                self.ledger.restart_run(run.id)
                mapper.restore_worklists({})
                state, complete_list_size, done = {}, None, 0
            except BaseException:
                _forget(pending)
                raise
        expected = None
        if complete_list_size is not None:
            expected = int(complete_list_size) - len(self.ledger.run_errors(run.id))
        max_shrink = self.museum.max_shrink if self.museum.max_shrink is not None else self.config.max_shrink
        published = self.ledger.publish(run.id, complete=True, expected_count=expected, max_shrink=max_shrink)
        if run.full and complete_list_size is None and published.deleted:
            # Without completeListSize a list that lost its last page ends like a complete one: only the
            # mass-deletion guard stands between it and the tombstones, so the operator is told.
            self.ledger.note_run(run.id, f"deleted {published.deleted} records the source no longer lists; it "
                                 "announces no completeListSize, so a list cut short would look the same")
        if self.museum.source.get("fetch_images"):
            self._fetch_images(run)
        # Header versions exist for OAI lists already under way; none lives longer than its resumption
        # tokens, so older superseded versions are forgotten (lists then follow the current headers).
        self.ledger.prune_versions(timedelta(hours=self.config.token_ttl_hours))
        if run.full:
            self.ledger.replace_worklists(self.museum.code, dict(mapper.unmapped), dict(mapper.unmatched))

    def _fetch_images(self, run: HarvestRun) -> None:
        """The hub's copies of the published records' images (pages never hot-link a museum's full image);
        an image that cannot be fetched is the problem of its record's picture, never of the harvest."""
        interval = float(self.museum.source.get("image_interval", DEFAULT_IMAGE_INTERVAL))
        report = fetch_run_images(self.ledger, run.id, self.config.data_dir, self.museum.code, interval=interval,
                                  base_uri=self.config.base_uri)
        for url, reason in report.problems:
            log.warning("museum %s: image %s: %s", self.museum.code, url, reason)

    def _prepare_page(self, mapper: RecordMapper, page: SourcePage, job: MapJob | None) -> _Page:
        """The page with the mappings it can reuse, and with the others sent to the workers when ``job``."""
        digests = [mapper.digest(record) for record in page.records]
        unchanged = self.ledger.unchanged_mappings(self.museum.code, [d for d in digests if d])
        prepared = _Page(page, digests, unchanged)
        if job is not None and self.pool is not None:
            prepared.to_map = [n for n, (record, digest) in enumerate(zip(page.records, digests))
                               if not record.deleted and digest not in unchanged]
            try:
                if prepared.to_map:
                    prepared.futures = self.pool.map_records(job, [mapper.raw(page.records[n])
                                                                   for n in prepared.to_map])
            except Exception as exc:  # the pool is broken (a worker died): the page is mapped here
                log.warning("museum %s: the mapping workers are gone (%s); mapping here", self.museum.code,
                            exc.__class__.__name__)
        return prepared

    def _stage_page(self, mapper: RecordMapper, run: HarvestRun, prepared: _Page, complete_list_size: Any,
                    done: int) -> tuple[dict[str, Any], int]:
        """Stage a page's records, failures and checkpoint in one transaction; (the checkpoint, records done)."""
        page = prepared.page
        staged, errors, sanitised = self._map_page(mapper, prepared)
        state = {"source": page.checkpoint, "done": page.checkpoint is None,
                 "complete_list_size": complete_list_size, **mapper.worklists_state()}
        self.ledger.stage(run.id, staged, checkpoint=state, errors=errors, counts={"sanitised": sanitised})
        done += len(page.records) + len(page.errors)
        if self.progress:
            self.progress(self.museum.code, done, complete_list_size)
        return state, done

    def _outcomes(self, mapper: RecordMapper, prepared: _Page) -> dict[int, Outcome]:
        """The workers' outcomes of the page's records, by position in the page."""
        outcomes: dict[int, Outcome] = {}
        at = 0
        for future in prepared.futures:
            try:
                share = future.result()
            except Exception as exc:  # a worker died (a record that crashes the interpreter): map here instead
                log.warning("museum %s: a mapping worker failed (%s); mapping its records here",
                            self.museum.code, exc.__class__.__name__)
                break
            for outcome in share:
                outcomes[prepared.to_map[at]] = outcome
                at += 1
        return outcomes

    def _map_page(self, mapper: RecordMapper, prepared: _Page
                  ) -> tuple[list[StagedRecord], list[tuple[str, str, bytes | None]], int]:
        page, digests, unchanged = prepared.page, prepared.digests, prepared.unchanged
        staged: dict[str, StagedRecord] = {}
        errors: list[tuple[str, str, bytes | None]] = []
        sanitised = page.sanitised
        for error in page.errors:
            position, reason, raw = error[0], error[1], error[2]
            local_id = error[3] if len(error) > 3 else None
            identifier = mapper.uris.oai_identifier(self.museum.code, local_id) if local_id else position
            errors.append((identifier, reason, raw))
        outcomes = self._outcomes(mapper, prepared)
        mapped: list[tuple[str, StagedRecord, dict[str, Any]]] = []
        results: list[tuple[SourceRecord, StagedRecord]] = []
        for n, (record, digest) in enumerate(zip(page.records, digests)):
            if digest in unchanged:
                result, replaced = mapper.reuse(record, unchanged[digest]), 0
            else:
                outcome = outcomes.get(n)
                try:
                    if outcome is None:
                        result, replaced = mapper.map(record)
                    elif isinstance(outcome, Failed):
                        if outcome.trace:
                            log.warning("museum %s record %s: %s", self.museum.code, record.position, outcome.trace)
                        errors.append((mapper.identifier_of(record, outcome.local_id), outcome.reason, record.raw))
                        continue
                    else:
                        result, replaced = mapper.staged(record, outcome)
                except MappingError as exc:
                    errors.append((mapper.identifier_of(record, exc.local_id), exc.reason, record.raw))
                    continue
                except Exception as exc:  # a dialect bug on one odd record must not lose the page
                    log.warning("museum %s record %s: %s", self.museum.code, record.position, traceback.format_exc())
                    errors.append((mapper.identifier_of(record), f"mapping failed: {exc.__class__.__name__}: {exc}",
                                   record.raw))
                    continue
                if digest is not None and not result.deleted:
                    mapped.append((digest, result, mapper.last_worklist))
            sanitised += replaced
            result.position = record.position
            results.append((record, result))
        # A record given twice keeps its first copy. The copies of earlier pages are asked of the ledger, which
        # staged them, not kept in memory: a million identifiers would cost a harvest 200 MB.
        seen = self.ledger.staged_positions(mapper.run.id, (result.identifier for _, result in results))
        for record, result in results:
            first = seen.get(result.identifier)
            if first is not None:
                if self._repeats_allowed:
                    self.duplicates += 1
                else:
                    errors.append((result.identifier, f"{record.position} gives the record "
                                   f"{result.local_id} a second time (first in {first}); "
                                   "the first copy is kept", record.raw))
                continue
            seen[result.identifier] = record.position
            staged[result.identifier] = result
        self.ledger.remember_mappings(self.museum.code, mapped)
        return list(staged.values()), errors, sanitised


@dataclass
class _Page:
    """A fetched page on its way to staging: its records' digests, the mappings it reuses, and the futures of
    the workers mapping the others (``to_map``: their positions in the page)."""

    page: SourcePage
    digests: list[str | None]
    unchanged: dict[str, CachedMapping]
    to_map: list[int] = field(default_factory=list)
    futures: list[Future[list[Outcome]]] = field(default_factory=list)


def _forget(pending: _Page | None) -> None:
    """A page that will not be staged (the list restarts, the run fails): its mappings are not awaited."""
    if pending is not None:
        for future in pending.futures:
            future.cancel()
    return None


class _RunFailed(Exception):
    def __init__(self, run_id: int, reason: str) -> None:
        self.run_id = run_id
        self.reason = reason
        super().__init__(reason)


def harvest_museum(config: HubConfig, catalogue: Catalogue, code: str, *, full: bool = False,
                   progress: Progress | None = None, vocabularies: Any = None,
                   pool: WorkerPool | None = None) -> HarvestReport:
    """Harvest one museum and publish the run if it passes the gate; never raises for the museum's faults.
    ``pool``: the processes a large run maps in (``workers.WorkerPool``); without one, it maps here."""
    return MuseumHarvest(config, catalogue, config.museum(code), full=full, progress=progress,
                         vocabularies=vocabularies, pool=pool).run()

