"""The record ledger: the catalogue's source of truth, in SQLite (WAL).

Every published record is a row with its OAI identifier, museum, local id, datestamps, tombstone flag,
set memberships, the raw source bytes as received, its mapped RDF and a content checksum. Harvests stage
records beside a checkpoint in one transaction per page; ``publish`` moves a run's staged records into
the published rows in one transaction, so a failed or killed harvest leaves the previous state intact.

The RDF graph store and the search index are derived from this ledger: every change to a published row
takes the next ``change_seq``, and derived stores replay the changes after the last one they applied.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

SCHEMA_VERSION = "1"
BASE_URI_META = "base_uri"  # the base URI the records were minted under (catalogue.rebase)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS records (
    identifier TEXT PRIMARY KEY,          -- OAI identifier, oai:<repository>:<museum>:<local id>
    museum TEXT NOT NULL,                 -- Museofile code
    local_id TEXT NOT NULL,               -- the museum's own record id
    record_uri TEXT NOT NULL,             -- URI of the record's named graph (the aggregation)
    source_datestamp TEXT,                -- datestamp the museum gave, as given
    hub_datestamp TEXT NOT NULL,          -- set at publish, changed only when the content changes
    deleted INTEGER NOT NULL DEFAULT 0,   -- tombstones are kept (deletedRecord=persistent)
    sets TEXT NOT NULL DEFAULT '[]',      -- JSON list of set specs
    dialect TEXT,                         -- input dialect of the raw record (lido, oai_dc, joconde-csv...)
    raw BLOB,                             -- the source record exactly as received
    source_url TEXT,                      -- where the raw record was fetched from
    graph TEXT,                           -- descriptive RDF, canonical N-Triples (checksummed)
    provenance TEXT,                      -- PROV-O triples of the version, N-Triples (not checksummed)
    checksum TEXT,                        -- sha256 of the descriptive graph and the set memberships
    mapping_version TEXT,
    run_id INTEGER,                       -- harvest run that published this version
    seen_run_id INTEGER,                  -- harvest run that last saw the record unchanged or changed
    change_seq INTEGER NOT NULL,
    enrichment TEXT                       -- the hub's own triples (photo campaigns), N-Triples: apart from
                                          -- what the museum sent, so no harvest overwrites them
);
CREATE INDEX IF NOT EXISTS records_by_datestamp ON records (hub_datestamp, identifier);
CREATE INDEX IF NOT EXISTS records_by_museum ON records (museum, deleted);
CREATE INDEX IF NOT EXISTS records_by_change ON records (change_seq);
-- What an OAI list page or GetRecord reads of a record (Listing.listed), apart from its big columns: SQLite
-- walks a row's overflow pages to reach a column stored after raw, graph and provenance, tens of kB a LIDO
-- record, so a page of 100 rows read from the table cost twice what this index costs.
CREATE INDEX IF NOT EXISTS records_listing ON records (identifier, change_seq, deleted, hub_datestamp, sets, run_id,
                                                       source_url, source_datestamp);
CREATE UNIQUE INDEX IF NOT EXISTS records_by_uri ON records (record_uri);

CREATE TABLE IF NOT EXISTS record_sets (
    set_spec TEXT NOT NULL,
    identifier TEXT NOT NULL,
    PRIMARY KEY (set_spec, identifier)
);
CREATE INDEX IF NOT EXISTS record_sets_by_identifier ON record_sets (identifier);

-- Header history, so that an OAI list fixed at an 'until' sees each record exactly once even while
-- harvests publish newer versions (a version is current as of T when hub_datestamp <= T and it was not
-- yet superseded at T).
CREATE TABLE IF NOT EXISTS record_versions (
    identifier TEXT NOT NULL,
    hub_datestamp TEXT NOT NULL,
    superseded_at TEXT,
    deleted INTEGER NOT NULL,
    sets TEXT NOT NULL,
    PRIMARY KEY (identifier, hub_datestamp)
);
DROP INDEX IF EXISTS record_versions_by_datestamp;
-- Covering the "as of" test too, so that counting a list (completeListSize) reads the index alone.
CREATE INDEX IF NOT EXISTS record_versions_as_of ON record_versions (hub_datestamp, identifier, superseded_at);

-- The same history by set spec, each version once under every set it is in and each of their parents, so a
-- list of one set (museum:M0629, exhibition:tresors) is an index range, however few records the set holds.
CREATE TABLE IF NOT EXISTS record_version_sets (
    set_spec TEXT NOT NULL,
    hub_datestamp TEXT NOT NULL,
    identifier TEXT NOT NULL,
    superseded_at TEXT,
    PRIMARY KEY (set_spec, hub_datestamp, identifier)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS record_version_sets_by_version ON record_version_sets (identifier, hub_datestamp);

CREATE TABLE IF NOT EXISTS harvest_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    museum TEXT NOT NULL,
    source_kind TEXT NOT NULL,
    full INTEGER NOT NULL,
    started TEXT NOT NULL,
    ended TEXT,
    status TEXT NOT NULL,                 -- running, succeeded, failed
    from_datestamp TEXT,                  -- incremental lower bound asked of the source
    source_url TEXT,
    counts TEXT NOT NULL DEFAULT '{}',    -- JSON: new, changed, unchanged, deleted, failed, sanitised...
    reason TEXT,                          -- why the run failed
    checkpoint TEXT                       -- JSON: resumption token, cursor, file offset
);
CREATE INDEX IF NOT EXISTS harvest_runs_by_museum ON harvest_runs (museum, id);

CREATE TABLE IF NOT EXISTS staged_records (
    run_id INTEGER NOT NULL,
    identifier TEXT NOT NULL,
    museum TEXT NOT NULL,
    local_id TEXT NOT NULL,
    record_uri TEXT NOT NULL,
    source_datestamp TEXT,
    deleted INTEGER NOT NULL,
    sets TEXT NOT NULL,
    dialect TEXT,
    raw BLOB,
    source_url TEXT,
    graph TEXT,
    provenance TEXT,
    checksum TEXT,
    mapping_version TEXT,
    source_position TEXT,                 -- where the source gave it (a file and record, an OAI identifier)
    PRIMARY KEY (run_id, identifier)
);

CREATE TABLE IF NOT EXISTS record_errors (
    run_id INTEGER NOT NULL,
    museum TEXT NOT NULL,
    identifier TEXT NOT NULL,             -- OAI identifier, or the local id / position when unknown
    reason TEXT NOT NULL,
    raw BLOB,                             -- kept raw so that a fixed mapping can retry it
    PRIMARY KEY (run_id, identifier)
);

-- Each live record's metadata in each OAI format, rendered once when its content changed (the bytes the
-- OAI verbs serve as they are): current while its change_seq is the record's and its renderer_version the
-- server's. body NULL: the format cannot disseminate this record.
CREATE TABLE IF NOT EXISTS renderings (
    identifier TEXT NOT NULL,
    format TEXT NOT NULL,
    renderer_version TEXT NOT NULL,
    change_seq INTEGER NOT NULL,
    body BLOB,
    PRIMARY KEY (identifier, format)
) WITHOUT ROWID;

-- What each raw record mapped to, by the digest of its bytes and of everything its mapping reads (mapping
-- code and version, vocabularies, the museum's settings): a re-harvest skips mapping a record whose digest
-- is here with the checksum its published version still has. A cache: losing it costs a re-mapping.
CREATE TABLE IF NOT EXISTS mapping_cache (
    museum TEXT NOT NULL,
    digest TEXT NOT NULL,
    identifier TEXT NOT NULL,
    checksum TEXT NOT NULL,               -- of the staged record (graph and the sets the mapping gave)
    sets TEXT NOT NULL,
    source_datestamp TEXT,
    worklist TEXT NOT NULL,               -- JSON: the record's unmapped elements and unmatched terms
    PRIMARY KEY (museum, digest)
);
CREATE INDEX IF NOT EXISTS mapping_cache_by_identifier ON mapping_cache (identifier);

-- Curators' worklists (issue: nothing in the source is silently dropped).
CREATE TABLE IF NOT EXISTS unmapped_elements (
    museum TEXT NOT NULL, element TEXT NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (museum, element)
);
CREATE TABLE IF NOT EXISTS unmatched_terms (
    museum TEXT NOT NULL, vocabulary TEXT NOT NULL, term TEXT NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (museum, vocabulary, term)
);
"""


CRASH_VARIABLE = "MUSENOR_CRASH_AT"


class CrashPoint:
    """SIGKILL this process at the n-th step of an operation, when ``MUSENOR_CRASH_AT`` says
    ``<operation>:<n>`` (``publish:700``: after the 700th record written inside the publish transaction;
    ``stage:2``: after the second page committed). The kill tests use it to land a kill exactly where
    atomicity matters; unset, it costs one comparison a step."""

    def __init__(self, operation: str) -> None:
        wanted, _, count = os.environ.get(CRASH_VARIABLE, "").partition(":")
        self.remaining = int(count) if wanted == operation and count.isdigit() else None

    def step(self) -> None:
        if self.remaining is None:
            return
        self.remaining -= 1
        if self.remaining <= 0:
            os.kill(os.getpid(), signal.SIGKILL)


class LedgerError(Exception):
    """A ledger operation that cannot be done as asked."""


class PublishRefused(LedgerError):
    """The completeness gate refused to publish a harvest run; the published state is untouched."""

    def __init__(self, museum: str, run_id: int, reason: str) -> None:
        self.museum = museum
        self.run_id = run_id
        self.reason = reason
        super().__init__(f"museum {museum}, harvest run {run_id}: not published: {reason}")


_STAGE_CRASH = CrashPoint("stage")  # counts the pages this process stages


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def format_datestamp(moment: datetime) -> str:
    """OAI-PMH UTCdatetime at seconds granularity (OAI-PMH 2.0 section 3.3.1)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datestamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def canonical_ntriples(ntriples: str) -> str:
    """Sorted, de-duplicated N-Triples lines: the form checksums are taken on."""
    lines = {line.strip() for line in ntriples.splitlines() if line.strip() and not line.startswith("#")}
    return "\n".join(sorted(lines)) + ("\n" if lines else "")


def content_checksum(graph_ntriples: str | None, sets: Sequence[str], deleted: bool) -> str:
    digest = hashlib.sha256()
    digest.update(b"deleted\n" if deleted else b"live\n")
    digest.update(json.dumps(sorted(set(sets))).encode())
    digest.update(b"\n")
    digest.update(canonical_ntriples(graph_ntriples or "").encode("utf-8"))
    return digest.hexdigest()


# Curated sets (musenor.toml's exhibitions) are given by the configuration, not by the source: a harvest
# knows nothing of them, so a record keeps its curated memberships through a publish (a refresh of the
# curated sets then adds or drops them), and an unchanged record stays unchanged.
CURATED_SET_PREFIX = "exhibition:"


def _keep_curated_sets(row: sqlite3.Row) -> sqlite3.Row | dict[str, Any]:
    curated = [spec for spec in json.loads(row["old_sets"] or "[]") if spec.startswith(CURATED_SET_PREFIX)]
    if not curated or row["deleted"]:
        return row
    sets = sorted(set(json.loads(row["sets"])) | set(curated))
    merged = dict(zip(row.keys(), row))
    merged["sets"] = json.dumps(sets)
    merged["checksum"] = content_checksum(row["graph"], sets, False)
    return merged


@dataclass
class StagedRecord:
    """One record as a harvest run stages it: raw bytes for provenance, mapped RDF for the graph.

    A record the source reports deleted has ``deleted=True`` and no graph.
    """

    identifier: str
    museum: str
    local_id: str
    record_uri: str
    deleted: bool = False
    source_datestamp: str | None = None
    sets: list[str] = field(default_factory=list)
    dialect: str | None = None
    raw: bytes | None = None
    source_url: str | None = None
    graph: str | None = None  # N-Triples of the descriptive graph
    provenance: str | None = None  # N-Triples of PROV-O statements about this version
    mapping_version: str | None = None
    position: str | None = None  # where the source gave it, named when a later copy of it is refused

    def checksum(self) -> str:
        return content_checksum(self.graph, self.sets, self.deleted)


@dataclass
class CachedMapping:
    """A raw record's mapping as published: what a re-harvest stages instead of mapping it again."""

    identifier: str
    local_id: str
    record_uri: str
    sets: list[str]
    source_datestamp: str | None
    graph: str | None
    provenance: str | None
    worklist: dict[str, Any]


@dataclass
class PublishedRecord:
    identifier: str
    museum: str
    local_id: str
    record_uri: str
    source_datestamp: str | None
    hub_datestamp: str
    deleted: bool
    sets: list[str]
    dialect: str | None
    raw: bytes | None
    source_url: str | None
    graph: str | None
    provenance: str | None
    checksum: str | None
    mapping_version: str | None
    run_id: int | None
    seen_run_id: int | None
    change_seq: int
    enrichment: str | None = None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> PublishedRecord:
        return cls(
            identifier=row["identifier"], museum=row["museum"], local_id=row["local_id"],
            record_uri=row["record_uri"], source_datestamp=row["source_datestamp"],
            hub_datestamp=row["hub_datestamp"], deleted=bool(row["deleted"]), sets=json.loads(row["sets"]),
            dialect=row["dialect"], raw=row["raw"], source_url=row["source_url"], graph=row["graph"],
            provenance=row["provenance"], checksum=row["checksum"], mapping_version=row["mapping_version"],
            run_id=row["run_id"], seen_run_id=row["seen_run_id"], change_seq=row["change_seq"],
            enrichment=row["enrichment"] if "enrichment" in row.keys() else None,
        )

    @property
    def description(self) -> str:
        """The record's description as published: what the museum sent, mapped, and the hub's enrichment."""
        return "" if self.deleted else (self.graph or "") + (self.enrichment or "")

    @property
    def ntriples(self) -> str:
        """Everything the record's named graph holds: description, provenance and the hub's enrichment
        (withdrawn with the record: a tombstone holds nothing)."""
        return "" if self.deleted else named_graph(self.graph, self.provenance, self.enrichment)


@dataclass
class HarvestRun:
    id: int
    museum: str
    source_kind: str
    full: bool
    started: str
    ended: str | None
    status: str
    from_datestamp: str | None
    source_url: str | None
    counts: dict[str, int]
    reason: str | None
    checkpoint: dict[str, Any] | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> HarvestRun:
        return cls(
            id=row["id"], museum=row["museum"], source_kind=row["source_kind"], full=bool(row["full"]),
            started=row["started"], ended=row["ended"], status=row["status"],
            from_datestamp=row["from_datestamp"], source_url=row["source_url"],
            counts=json.loads(row["counts"] or "{}"), reason=row["reason"],
            checkpoint=json.loads(row["checkpoint"]) if row["checkpoint"] else None,
        )


@dataclass
class PublishReport:
    museum: str
    run_id: int
    hub_datestamp: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    deleted: int = 0
    failed: int = 0

    def as_counts(self) -> dict[str, int]:
        return {"new": self.new, "changed": self.changed, "unchanged": self.unchanged,
                "deleted": self.deleted, "failed": self.failed}


@dataclass
class RecordChange:
    """A change a derived store must apply: replace the named graph, or remove it (tombstone)."""

    change_seq: int
    record_uri: str
    identifier: str
    ntriples: str | None  # None: remove the record's graph


def named_graph(graph: str | None, provenance: str | None, enrichment: str | None) -> str:
    """Everything a live record's named graph holds, as N-Triples: what the museum sent, mapped, its
    provenance and the hub's enrichment. The one place that says so: the graph store, the stored renderings
    and a live rendering all read this (the renderings once read less, and lost a campaign's images)."""
    return (graph or "") + (provenance or "") + (enrichment or "")


def upsert(table: str, columns: Sequence[str], *, key: int) -> str:
    """INSERT of ``columns`` replacing the row whose primary key is the first ``key`` columns.

    The upsert clause is the one SQLite (3.24+) and PostgreSQL share, so every backend runs the ledger's own
    statements; SQLite's INSERT OR REPLACE has no PostgreSQL spelling.
    """
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns[key:]) or None
    return (f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
            f"ON CONFLICT ({', '.join(columns[:key])}) DO " + (f"UPDATE SET {updates}" if updates else "NOTHING"))


def with_ancestors(specs: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Every spec and each of its parents ('museum:M0629' also gives 'museum'), sorted (OAI-PMH 2.0 2.7.2)."""
    found: set[str] = set()
    for spec in specs:
        parts = spec.split(":")
        for n in range(1, len(parts) + 1):
            found.add(":".join(parts[:n]))
    return tuple(sorted(found))


class Ledger:
    """The SQLite ledger. Safe to share between threads: each thread gets its own connection."""

    # A snapshot's BEGIN: SQLite's deferred read transaction (the PostgreSQL ledger asks for REPEATABLE READ).
    BEGIN_READ = "BEGIN"
    # The records of an OAI page, read from the index that holds what the page needs: without statistics SQLite's
    # planner takes the primary key's index and reads each whole row.
    LISTED_ROWS = "records AS r INDEXED BY records_listing"

    def __init__(self, path: Path | str, *, timeout: float = 60.0) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._timeout = timeout
        self._local = threading.local()
        self.conn.executescript(SCHEMA)  # executescript commits by itself: keep it outside a transaction
        with self.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT DO NOTHING",
                         (SCHEMA_VERSION,))
            conn.execute("INSERT INTO meta (key, value) VALUES ('change_seq', '0') ON CONFLICT DO NOTHING")
            if "enrichment" not in {r["name"] for r in conn.execute("PRAGMA table_info(records)")}:
                conn.execute("ALTER TABLE records ADD COLUMN enrichment TEXT")  # a ledger from before campaigns
            if "source_position" not in {r["name"] for r in conn.execute("PRAGMA table_info(staged_records)")}:
                conn.execute("ALTER TABLE staged_records ADD COLUMN source_position TEXT")  # from before staged_positions
            if conn.execute("SELECT 1 FROM meta WHERE key = 'version_sets'").fetchone() is None:
                self._fill_version_sets(conn)  # a ledger written before record_version_sets existed
                conn.execute("INSERT INTO meta (key, value) VALUES ('version_sets', '1')")

    # -- connections ---------------------------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None,
                                   check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def end_thread(self) -> None:
        """Give back the connection of the calling thread, which is ending (a thread of a harvest or a reindex);
        the other threads keep theirs."""
        self.close()  # SQLite: a connection is the thread's own

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT: writers queue here, readers keep reading the last commit."""
        conn = self.conn
        if conn.in_transaction:
            yield conn
            return
        self._begin_write(conn)
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees the same committed state."""
        conn = self.conn
        if conn.in_transaction:
            yield conn
            return
        conn.execute(self.BEGIN_READ)
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    def _begin_write(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")

    def writer_active(self, wait: float) -> bool:
        """Whether a write transaction (a publish) holds the ledger after waiting up to ``wait`` seconds."""
        probe = sqlite3.connect(self.path, timeout=wait, isolation_level=None)
        try:
            try:
                probe.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return True
            probe.execute("ROLLBACK")
            return False
        finally:
            probe.close()

    # -- meta ------------------------------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    def last_change_seq(self) -> int:
        return int(self.get_meta("change_seq", "0") or 0)

    def _next_change_seq(self, conn: sqlite3.Connection) -> int:
        conn.execute("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) WHERE key = 'change_seq'")
        return int(conn.execute("SELECT value FROM meta WHERE key = 'change_seq'").fetchone()[0])

    def _next_hub_datestamp(self, conn: sqlite3.Connection) -> str:
        """Now, but never earlier than the last hub datestamp given (clocks can step back)."""
        now = format_datestamp(utc_now())
        row = conn.execute("SELECT value FROM meta WHERE key = 'last_hub_datestamp'").fetchone()
        stamp = max(now, row["value"]) if row else now
        conn.execute("INSERT INTO meta (key, value) VALUES ('last_hub_datestamp', ?) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (stamp,))
        return stamp

    # -- harvest runs ------------------------------------------------------------------------------

    # "full" is quoted: a reserved word in PostgreSQL (FULL JOIN), a plain name in SQLite.
    def begin_run(self, museum: str, source_kind: str, *, full: bool, from_datestamp: str | None = None,
                  source_url: str | None = None) -> HarvestRun:
        with self.transaction() as conn:
            run_id = conn.execute(
                "INSERT INTO harvest_runs (museum, source_kind, \"full\", started, status, from_datestamp, "
                "source_url) VALUES (?, ?, ?, ?, 'running', ?, ?) RETURNING id",
                (museum, source_kind, int(full), format_datestamp(utc_now()), from_datestamp, source_url)
            ).fetchone()[0]
        return self.run(run_id)

    def run(self, run_id: int) -> HarvestRun:
        row = self.conn.execute("SELECT * FROM harvest_runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise LedgerError(f"no harvest run {run_id}")
        return HarvestRun.from_row(row)

    def unfinished_run(self, museum: str) -> HarvestRun | None:
        """The museum's last run if it was killed before it ended: the one to resume."""
        row = self.conn.execute(
            "SELECT * FROM harvest_runs WHERE museum = ? ORDER BY id DESC LIMIT 1", (museum,)).fetchone()
        if row is None or row["status"] != "running":
            return None
        return HarvestRun.from_row(row)

    def last_successful_run(self, museum: str) -> HarvestRun | None:
        row = self.conn.execute(
            "SELECT * FROM harvest_runs WHERE museum = ? AND status = 'succeeded' ORDER BY id DESC LIMIT 1",
            (museum,)).fetchone()
        return HarvestRun.from_row(row) if row else None

    def runs(self, museum: str | None = None, limit: int = 20) -> list[HarvestRun]:
        if museum:
            rows = self.conn.execute("SELECT * FROM harvest_runs WHERE museum = ? ORDER BY id DESC LIMIT ?",
                                     (museum, limit))
        else:
            rows = self.conn.execute("SELECT * FROM harvest_runs ORDER BY id DESC LIMIT ?", (limit,))
        return [HarvestRun.from_row(r) for r in rows]

    def stage(self, run_id: int, records: Iterable[StagedRecord], *, checkpoint: dict[str, Any] | None,
              errors: Iterable[tuple[str, str, bytes | None]] = (), counts: dict[str, int] | None = None,
              ) -> None:
        """Stage one page of records, its failed records and the checkpoint after it, atomically.

        A harvest killed after this returns resumes from ``checkpoint`` with this page already staged;
        killed before, it resumes from the previous checkpoint and stages the page again (replacing).
        ``counts`` are added to the run's running counts (e.g. sanitised characters).
        """
        with self.transaction() as conn:
            run = conn.execute("SELECT museum, status, counts FROM harvest_runs WHERE id = ?",
                               (run_id,)).fetchone()
            if run is None or run["status"] != "running":
                raise LedgerError(f"harvest run {run_id} is not running")
            conn.executemany(
                upsert("staged_records", ("run_id", "identifier", "museum", "local_id", "record_uri",
                                          "source_datestamp", "deleted", "sets", "dialect", "raw", "source_url",
                                          "graph", "provenance", "checksum", "mapping_version", "source_position"), key=2),
                [(run_id, r.identifier, r.museum, r.local_id, r.record_uri, r.source_datestamp,
                  int(r.deleted), json.dumps(sorted(set(r.sets))), r.dialect, r.raw, r.source_url,
                  canonical_ntriples(r.graph) if r.graph else None, r.provenance, r.checksum(),
                  r.mapping_version, r.position) for r in records])
            conn.executemany(
                upsert("record_errors", ("run_id", "identifier", "museum", "reason", "raw"), key=2),
                [(run_id, ident, run["museum"], reason, raw) for ident, reason, raw in errors])
            if counts:
                merged = json.loads(run["counts"] or "{}")
                for key, value in counts.items():
                    merged[key] = merged.get(key, 0) + value
                conn.execute("UPDATE harvest_runs SET counts = ? WHERE id = ?", (json.dumps(merged), run_id))
            conn.execute("UPDATE harvest_runs SET checkpoint = ? WHERE id = ?",
                         (json.dumps(checkpoint) if checkpoint is not None else None, run_id))
        _STAGE_CRASH.step()

    def restart_run(self, run_id: int) -> None:
        """Drop what a run staged (the source rejected its resumption token: the list starts again)."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM staged_records WHERE run_id = ?", (run_id,))
            conn.execute("DELETE FROM record_errors WHERE run_id = ?", (run_id,))
            conn.execute("UPDATE harvest_runs SET checkpoint = NULL WHERE id = ?", (run_id,))

    def forgo_deletions(self, run_id: int) -> None:
        """The source learnt it is incomplete (an export file cut short): this run tombstones nothing."""
        with self.transaction() as conn:
            conn.execute("UPDATE harvest_runs SET \"full\" = 0 WHERE id = ? AND status = 'running'", (run_id,))

    def staged_count(self, run_id: int) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM staged_records WHERE run_id = ?",
                                 (run_id,)).fetchone()[0]

    def staged_positions(self, run_id: int, identifiers: Iterable[str]) -> dict[str, str]:
        """Of ``identifiers``, those the run has staged already, each with where the source gave it: a harvest
        asks this of each page instead of keeping every identifier of the run in memory."""
        wanted = list(dict.fromkeys(identifiers))
        found: dict[str, str] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            for row in self.conn.execute(f"SELECT identifier, source_position FROM staged_records "
                                         f"WHERE run_id = ? AND identifier IN ({marks})", (run_id, *chunk)):
                found[row[0]] = row[1] or "an earlier page"
        return found

    def run_errors(self, run_id: int) -> list[tuple[str, str]]:
        return [(r["identifier"], r["reason"]) for r in self.conn.execute(
            "SELECT identifier, reason FROM record_errors WHERE run_id = ? ORDER BY identifier", (run_id,))]

    def fail_run(self, run_id: int, reason: str, counts: dict[str, int] | None = None) -> None:
        """End a run as failed: its staged records are dropped and nothing published changes."""
        with self.transaction() as conn:
            merged = json.loads(conn.execute("SELECT counts FROM harvest_runs WHERE id = ?",
                                             (run_id,)).fetchone()["counts"] or "{}")
            merged.update(counts or {})
            merged["failed"] = conn.execute("SELECT COUNT(*) FROM record_errors WHERE run_id = ?",
                                            (run_id,)).fetchone()[0]
            conn.execute("DELETE FROM staged_records WHERE run_id = ?", (run_id,))
            conn.execute("UPDATE harvest_runs SET status = 'failed', ended = ?, reason = ?, counts = ? "
                         "WHERE id = ?", (format_datestamp(utc_now()), reason, json.dumps(merged), run_id))

    def note_run(self, run_id: int, note: str) -> None:
        """Keep a warning about a run that succeeded (shown where a failed run shows its reason)."""
        with self.transaction() as conn:
            conn.execute("UPDATE harvest_runs SET reason = ? WHERE id = ?", (note, run_id))

    # -- publishing ------------------------------------------------------------------------------------

    def publish(self, run_id: int, *, complete: bool, expected_count: int | None = None,
                max_shrink: float = 0.2) -> PublishReport:
        """Publish a run's staged records in one transaction, behind the completeness gate.

        ``complete`` says the source's list ended properly. In a full run, published records that the
        run did not see become tombstones, unless that would shrink the museum by more than
        ``max_shrink`` or to zero. Raises PublishRefused (and marks the run failed) when the gate says no.
        """
        run = self.run(run_id)
        if run.status != "running":
            raise LedgerError(f"harvest run {run_id} is {run.status}, not running")
        staged = self.staged_count(run_id)
        failed = self.conn.execute("SELECT COUNT(*) FROM record_errors WHERE run_id = ?", (run_id,)).fetchone()[0]
        reason = self._foreign_base(run_id)
        if reason is None and not complete:
            reason = "the source's list did not end properly (no final empty resumptionToken)"
        elif reason is None and expected_count is not None and staged != expected_count:
            # Each failed record is its own row, so the announced size is staged + failed when nothing is lost.
            reason = (f"staged {staged} records and {failed} failed ({staged + failed} in all) but the source "
                      f"announced completeListSize {expected_count + failed}")
        if reason is None:
            reason = self._deletion_guard(run, max_shrink)
        if reason is not None:
            self.fail_run(run_id, reason)
            raise PublishRefused(run.museum, run_id, reason)

        report = PublishReport(museum=run.museum, run_id=run_id, hub_datestamp="")
        crash = CrashPoint("publish")
        with self.transaction() as conn:
            stamp = self._next_hub_datestamp(conn)
            report.hub_datestamp = stamp
            for row in map(_keep_curated_sets, self._staged_batches(conn, run_id)):
                if row["old_checksum"] is not None and row["old_checksum"] == row["checksum"]:
                    report.unchanged += 1
                    # Same content: keep datestamp and triples (no churn downstream); refresh provenance
                    # of what was seen, not of what was published.
                    conn.execute("UPDATE records SET seen_run_id = ?, raw = ?, source_datestamp = ?, "
                                 "source_url = ? WHERE identifier = ?",
                                 (run_id, row["raw"], row["source_datestamp"], row["source_url"],
                                  row["identifier"]))
                    continue
                if row["old_checksum"] is None and row["deleted"]:
                    continue  # a deletion of something never published: nothing to record
                if row["deleted"]:
                    report.deleted += 1
                elif row["old_checksum"] is None:
                    report.new += 1
                else:
                    report.changed += 1
                self._write_version(conn, row, stamp, run_id)
                crash.step()
            if run.full:
                gone = conn.execute(
                    "SELECT identifier FROM records WHERE museum = ? AND deleted = 0 AND identifier NOT IN "
                    "(SELECT identifier FROM staged_records WHERE run_id = ?) AND identifier NOT IN "
                    "(SELECT identifier FROM record_errors WHERE run_id = ?)", (run.museum, run_id, run_id)).fetchall()
                for row in gone:
                    self._tombstone(conn, row["identifier"], stamp, run_id)
                    report.deleted += 1
            report.failed = conn.execute("SELECT COUNT(*) FROM record_errors WHERE run_id = ?",
                                         (run_id,)).fetchone()[0]
            counts = json.loads(conn.execute("SELECT counts FROM harvest_runs WHERE id = ?",
                                             (run_id,)).fetchone()["counts"] or "{}")
            counts.update(report.as_counts())
            conn.execute("DELETE FROM staged_records WHERE run_id = ?", (run_id,))
            conn.execute("UPDATE harvest_runs SET status = 'succeeded', ended = ?, counts = ?, checkpoint = NULL "
                         "WHERE id = ?", (format_datestamp(utc_now()), json.dumps(counts), run_id))
        return report

    def _foreign_base(self, run_id: int) -> str | None:
        """Why a run minted under a base URI other than the catalogue's must not be published, or None.

        Records are keyed by OAI identifier but the graph and search by record URI: published under another
        base, each record would be there twice (catalogue.rebase re-mints the whole catalogue instead)."""
        base = self.get_meta(BASE_URI_META)
        if not base:
            return None
        prefix = base + "/"
        row = self.conn.execute("SELECT record_uri FROM staged_records WHERE run_id = ? AND "
                                "substr(record_uri, 1, ?) != ? LIMIT 1", (run_id, len(prefix), prefix)).fetchone()
        if row is None:
            return None
        minted = row["record_uri"].partition("/id/record/")[0]
        return (f"its records are minted under base URI {minted} but the catalogue is built under {base}: set "
                f"hub.base_uri back to {base}, or re-mint the catalogue with 'musenor rebase-uri'")

    def _deletion_guard(self, run: HarvestRun, max_shrink: float) -> str | None:
        """Why the run's deletions are refused, or None: the museum may lose at most ``max_shrink`` of its
        live records in one run, full (what it did not see) or incremental (deleted headers) alike."""
        live = self.conn.execute("SELECT COUNT(*) FROM records WHERE museum = ? AND deleted = 0",
                                 (run.museum,)).fetchone()[0]
        if not live:
            return None
        deleting = self.conn.execute(
            "SELECT COUNT(*) FROM records r JOIN staged_records s ON s.identifier = r.identifier "
            "WHERE s.run_id = ? AND s.deleted = 1 AND r.museum = ? AND r.deleted = 0",
            (run.id, run.museum)).fetchone()[0]
        staged_live = self.conn.execute(
            "SELECT COUNT(*) FROM staged_records WHERE run_id = ? AND deleted = 0", (run.id,)).fetchone()[0]
        kind = "an incremental harvest"
        if run.full:
            kind = "a full harvest"
            # A record that failed to map this time is seen, not gone: its published version stays.
            deleting = live - self.conn.execute(
                "SELECT COUNT(*) FROM records r WHERE r.museum = ? AND r.deleted = 0 AND ("
                "r.identifier IN (SELECT identifier FROM staged_records WHERE run_id = ? AND deleted = 0) OR "
                "r.identifier IN (SELECT identifier FROM record_errors WHERE run_id = ?))",
                (run.museum, run.id, run.id)).fetchone()[0]
            if staged_live == 0 and deleting:
                return f"a full harvest found no live record where {live} are published"
        elif deleting == live and staged_live == 0:
            return f"an incremental harvest would delete all {live} published records of the museum"
        if deleting / live > max_shrink:
            return (f"{kind} would delete {deleting} of {live} published records "
                    f"({deleting / live:.0%}, above the {max_shrink:.0%} guard)")
        return None

    def _staged_batches(self, conn: sqlite3.Connection, run_id: int, size: int = 500) -> Iterator[sqlite3.Row]:
        """A run's staged rows beside their published versions, a batch at a time (keyset on the primary
        key): the rows of a 100,000-record export would not fit in memory at once."""
        last = ""
        while True:
            rows = conn.execute(
                "SELECT s.*, r.checksum AS old_checksum, r.deleted AS old_deleted, r.hub_datestamp AS old_stamp, "
                "r.sets AS old_sets "
                "FROM staged_records s LEFT JOIN records r ON r.identifier = s.identifier "
                "WHERE s.run_id = ? AND s.identifier > ? ORDER BY s.identifier LIMIT ?",
                (run_id, last, size)).fetchall()
            if not rows:
                return
            yield from rows
            last = rows[-1]["identifier"]

    def _supersede(self, conn: sqlite3.Connection, identifier: str, stamp: str) -> None:
        conn.execute("UPDATE record_versions SET superseded_at = ? WHERE identifier = ? AND superseded_at IS NULL",
                     (stamp, identifier))
        conn.execute("UPDATE record_version_sets SET superseded_at = ? WHERE identifier = ? "
                     "AND superseded_at IS NULL", (stamp, identifier))

    def _add_version(self, conn: sqlite3.Connection, identifier: str, stamp: str, deleted: bool,
                     sets_json: str) -> None:
        """The record's new current header, in the history and under each of its set specs."""
        conn.execute(upsert("record_versions", ("identifier", "hub_datestamp", "superseded_at", "deleted", "sets"),
                            key=2), (identifier, stamp, None, int(deleted), sets_json))
        conn.execute("DELETE FROM record_version_sets WHERE identifier = ? AND hub_datestamp = ?", (identifier, stamp))
        conn.executemany("INSERT INTO record_version_sets (set_spec, hub_datestamp, identifier, superseded_at) "
                         "VALUES (?, ?, ?, NULL)",
                         [(spec, stamp, identifier) for spec in with_ancestors(json.loads(sets_json))])

    def _fill_version_sets(self, conn: sqlite3.Connection) -> None:
        rows = conn.execute("SELECT identifier, hub_datestamp, superseded_at, sets FROM record_versions")
        conn.executemany(upsert("record_version_sets", ("set_spec", "hub_datestamp", "identifier", "superseded_at"),
                                key=3),
                         ((spec, stamp, identifier, superseded) for identifier, stamp, superseded, sets in rows
                          for spec in with_ancestors(json.loads(sets))))

    def _write_version(self, conn: sqlite3.Connection, row: sqlite3.Row, stamp: str, run_id: int) -> None:
        seq = self._next_change_seq(conn)
        self._supersede(conn, row["identifier"], stamp)
        sets = json.loads(row["sets"])
        conn.execute(
            "INSERT INTO records (identifier, museum, local_id, record_uri, source_datestamp, hub_datestamp, "
            "deleted, sets, dialect, raw, source_url, graph, provenance, checksum, mapping_version, run_id, "
            "seen_run_id, change_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (identifier) DO UPDATE SET museum = excluded.museum, local_id = excluded.local_id, "
            "record_uri = excluded.record_uri, source_datestamp = excluded.source_datestamp, "
            "hub_datestamp = excluded.hub_datestamp, deleted = excluded.deleted, sets = excluded.sets, "
            "dialect = COALESCE(excluded.dialect, records.dialect), raw = COALESCE(excluded.raw, records.raw), "
            "source_url = COALESCE(excluded.source_url, records.source_url), "
            "graph = excluded.graph, provenance = excluded.provenance, checksum = excluded.checksum, "
            "mapping_version = excluded.mapping_version, run_id = excluded.run_id, "
            "seen_run_id = excluded.seen_run_id, change_seq = excluded.change_seq",
            (row["identifier"], row["museum"], row["local_id"], row["record_uri"], row["source_datestamp"], stamp,
             row["deleted"], row["sets"], row["dialect"], row["raw"], row["source_url"],
             None if row["deleted"] else row["graph"], None if row["deleted"] else row["provenance"],
             row["checksum"], row["mapping_version"], run_id, run_id, seq))
        self._add_version(conn, row["identifier"], stamp, bool(row["deleted"]), row["sets"])
        conn.execute("DELETE FROM record_sets WHERE identifier = ?", (row["identifier"],))
        conn.executemany("INSERT INTO record_sets (set_spec, identifier) VALUES (?, ?) ON CONFLICT DO NOTHING",
                         [(spec, row["identifier"]) for spec in sets])

    def _tombstone(self, conn: sqlite3.Connection, identifier: str, stamp: str, run_id: int) -> None:
        seq = self._next_change_seq(conn)
        self._supersede(conn, identifier, stamp)
        sets = conn.execute("SELECT sets FROM records WHERE identifier = ?", (identifier,)).fetchone()["sets"]
        conn.execute("UPDATE records SET deleted = 1, hub_datestamp = ?, graph = NULL, provenance = NULL, "
                     "checksum = ?, run_id = ?, seen_run_id = ?, change_seq = ? WHERE identifier = ?",
                     (stamp, content_checksum(None, json.loads(sets), True), run_id, run_id, seq, identifier))
        self._add_version(conn, identifier, stamp, True, sets)

    def set_memberships(self, set_spec: str, identifiers: Iterable[str]) -> int:
        """Make ``set_spec`` (a curated set) hold exactly these live records; returns how many changed.

        A record joining or leaving a set is a change of its header (OAI-PMH 2.0 section 4.6): it gets a
        new hub datestamp so incremental harvesters see it.
        """
        wanted = set(identifiers)
        changed = 0
        with self.transaction() as conn:
            current = {r[0] for r in conn.execute("SELECT identifier FROM record_sets WHERE set_spec = ?",
                                                  (set_spec,))}
            touched = (wanted ^ current)
            if not touched:
                return 0
            stamp = self._next_hub_datestamp(conn)
            for identifier in sorted(touched):
                row = conn.execute("SELECT * FROM records WHERE identifier = ?", (identifier,)).fetchone()
                if row is None or row["deleted"]:
                    continue
                sets = set(json.loads(row["sets"]))
                sets.add(set_spec) if identifier in wanted else sets.discard(set_spec)
                sets_json = json.dumps(sorted(sets))
                seq = self._next_change_seq(conn)
                self._supersede(conn, identifier, stamp)
                conn.execute("UPDATE records SET sets = ?, hub_datestamp = ?, change_seq = ?, checksum = ? "
                             "WHERE identifier = ?",
                             (sets_json, stamp, seq, content_checksum(row["graph"], sorted(sets), False),
                              identifier))
                self._add_version(conn, identifier, stamp, False, sets_json)
                conn.execute("DELETE FROM record_sets WHERE identifier = ?", (identifier,))
                conn.executemany("INSERT INTO record_sets (set_spec, identifier) VALUES (?, ?) ON CONFLICT DO NOTHING",
                                 [(spec, identifier) for spec in sets])
                changed += 1
        return changed

    def set_enrichment(self, identifier: str, ntriples: str | None) -> bool:
        """Make the hub's own triples of a live record exactly ``ntriples``; returns whether it changed.

        The record gets a new hub datestamp and change (aggregators and derived stores pick it up) but keeps
        its checksum, which is of what the museum sent: a re-harvest of the same source stays "unchanged" and
        a changed one keeps the enrichment, which no harvest writes.
        """
        text = canonical_ntriples(ntriples) if ntriples else None
        with self.transaction() as conn:
            row = conn.execute("SELECT deleted, sets, enrichment FROM records WHERE identifier = ?",
                               (identifier,)).fetchone()
            if row is None or row["deleted"]:
                raise LedgerError(f"record {identifier} is not published: it cannot be enriched")
            if row["enrichment"] == text:
                return False
            stamp = self._next_hub_datestamp(conn)
            self._supersede(conn, identifier, stamp)
            conn.execute("UPDATE records SET enrichment = ?, hub_datestamp = ?, change_seq = ? WHERE identifier = ?",
                         (text, stamp, self._next_change_seq(conn), identifier))
            self._add_version(conn, identifier, stamp, False, row["sets"])
        return True

    def prune_versions(self, older_than: timedelta) -> int:
        """Forget header versions superseded before any live resumption token could still need them."""
        cutoff = format_datestamp(utc_now() - older_than)
        with self.transaction() as conn:
            conn.execute("DELETE FROM record_version_sets WHERE superseded_at IS NOT NULL AND superseded_at < ?",
                         (cutoff,))
            return conn.execute("DELETE FROM record_versions WHERE superseded_at IS NOT NULL AND superseded_at < ?",
                                (cutoff,)).rowcount

    # -- reading -------------------------------------------------------------------------------------

    def record(self, identifier: str) -> PublishedRecord | None:
        row = self.conn.execute("SELECT * FROM records WHERE identifier = ?", (identifier,)).fetchone()
        return PublishedRecord.from_row(row) if row else None

    def record_by_source_url(self, museum: str, source_url: str) -> PublishedRecord | None:
        """The museum's record fetched from ``source_url`` (an OAI GetRecord URL names one record)."""
        row = self.conn.execute("SELECT * FROM records WHERE museum = ? AND source_url = ? LIMIT 1",
                                (museum, source_url)).fetchone()
        return PublishedRecord.from_row(row) if row else None

    def record_by_uri(self, record_uri: str) -> PublishedRecord | None:
        row = self.conn.execute("SELECT * FROM records WHERE record_uri = ?", (record_uri,)).fetchone()
        return PublishedRecord.from_row(row) if row else None

    def records(self, museum: str | None = None, *, include_deleted: bool = True) -> Iterator[PublishedRecord]:
        sql = "SELECT * FROM records"
        clauses, args = [], []
        if museum:
            clauses.append("museum = ?")
            args.append(museum)
        if not include_deleted:
            clauses.append("deleted = 0")
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY identifier"
        for row in self.conn.execute(sql, args):
            yield PublishedRecord.from_row(row)

    def changes_since(self, change_seq: int, limit: int = 1000) -> list[RecordChange]:
        rows = self.conn.execute(
            "SELECT change_seq, record_uri, identifier, deleted, graph, provenance, enrichment FROM records "
            "WHERE change_seq > ? ORDER BY change_seq LIMIT ?", (change_seq, limit)).fetchall()
        return [RecordChange(change_seq=r["change_seq"], record_uri=r["record_uri"], identifier=r["identifier"],
                             ntriples=None if r["deleted"] else named_graph(r["graph"], r["provenance"], r["enrichment"]))
                for r in rows]

    def earliest_datestamp(self) -> str | None:
        row = self.conn.execute("SELECT MIN(hub_datestamp) FROM record_versions").fetchone()
        current = self.conn.execute("SELECT MIN(hub_datestamp) FROM records").fetchone()
        stamps = [s for s in (row[0], current[0]) if s]
        return min(stamps) if stamps else None

    def museum_counts(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        for row in self.conn.execute("SELECT museum, SUM(1 - deleted) AS live, SUM(deleted) AS deleted "
                                     "FROM records GROUP BY museum"):
            counts[row["museum"]] = {"records": row["live"] or 0, "deleted": row["deleted"] or 0}
        return counts

    def museum_datestamps(self) -> dict[str, str]:
        """The latest hub datestamp of each museum's records: when its last publish changed something."""
        return {row[0]: row[1] for row in self.conn.execute(
            "SELECT museum, MAX(hub_datestamp) FROM records GROUP BY museum")}

    # -- renderings ------------------------------------------------------------------------------------

    def renderings(self, identifiers: Sequence[str], fmt: str, version: str) -> dict[str, tuple[int, bytes | None]]:
        """The stored renderings of these records in a format under a renderer version: {id: (change_seq, body)}."""
        if not identifiers:
            return {}
        marks = ", ".join("?" * len(identifiers))
        rows = self.conn.execute(f"SELECT identifier, change_seq, body FROM renderings WHERE format = ? AND "
                                 f"renderer_version = ? AND identifier IN ({marks})", (fmt, version, *identifiers))
        return {row[0]: (row[1], row[2]) for row in rows}

    def records_to_render(self, version: str, formats: int, *, after: str = "", limit: int = 500
                          ) -> list[tuple[str, str, str, int]]:
        """Live records after ``after`` lacking a current rendering in one of ``formats`` formats, by identifier:
        (identifier, record URI, N-Triples of everything the record's named graph holds, change_seq): its
        description, provenance and the hub's enrichment, as a live rendering reads them (``ntriples``)."""
        rows = self.conn.execute(
            "SELECT identifier, record_uri, graph, provenance, enrichment, change_seq "
            "FROM records AS r WHERE deleted = 0 AND identifier > ? AND (SELECT COUNT(*) FROM renderings AS x "
            "WHERE x.identifier = r.identifier AND x.renderer_version = ? AND x.change_seq = r.change_seq) < ? "
            "ORDER BY identifier LIMIT ?", (after, version, formats, limit)).fetchall()
        return [(row[0], row[1], named_graph(row[2], row[3], row[4]), row[5]) for row in rows]

    def forget_renderings(self, identifiers: Sequence[str]) -> None:
        """Drop these records' stored renderings, for the next rendering pass to make them anew: what they read
        besides the ledger (the images the hub holds) changed while the records did not."""
        with self.transaction() as conn:
            conn.executemany("DELETE FROM renderings WHERE identifier = ?", [(i,) for i in dict.fromkeys(identifiers)])

    def store_renderings(self, rows: Iterable[tuple[str, str, str, int, bytes | None]]) -> None:
        """Keep (identifier, format, renderer version, change_seq, body) renderings, replacing older ones;
        one made from a version the record has since left is dropped by the next rendering of the record."""
        with self.transaction() as conn:
            conn.executemany(upsert("renderings", ("identifier", "format", "renderer_version", "change_seq", "body"),
                                    key=2), rows)

    # -- mapping cache ---------------------------------------------------------------------------------

    def unchanged_mappings(self, museum: str, digests: Sequence[str]) -> dict[str, CachedMapping]:
        """For the digests of a page's raw records, those whose mapping is what is published now."""
        if not digests:
            return {}
        marks = ", ".join("?" * len(digests))
        rows = self.conn.execute(
            "SELECT c.digest, c.identifier, c.sets, c.source_datestamp, c.worklist, r.local_id, r.record_uri, "
            "r.graph, r.provenance FROM mapping_cache c JOIN records r ON r.identifier = c.identifier "
            f"WHERE c.museum = ? AND c.digest IN ({marks}) AND r.checksum = c.checksum AND r.deleted = 0",
            (museum, *digests)).fetchall()
        return {row["digest"]: CachedMapping(
            identifier=row["identifier"], local_id=row["local_id"], record_uri=row["record_uri"],
            sets=json.loads(row["sets"]), source_datestamp=row["source_datestamp"], graph=row["graph"],
            provenance=row["provenance"], worklist=json.loads(row["worklist"])) for row in rows}

    def remember_mappings(self, museum: str, mappings: Iterable[tuple[str, StagedRecord, dict[str, Any]]]) -> None:
        """Note what each (digest, staged record, worklist) mapped to, replacing the record's older entry."""
        rows = [(museum, digest, r.identifier, r.checksum(), json.dumps(sorted(set(r.sets))), r.source_datestamp,
                 json.dumps(worklist)) for digest, r, worklist in mappings if not r.deleted]
        if not rows:
            return
        with self.transaction() as conn:
            conn.executemany("DELETE FROM mapping_cache WHERE identifier = ?", [(row[2],) for row in rows])
            conn.executemany(upsert("mapping_cache", ("museum", "digest", "identifier", "checksum", "sets",
                                                      "source_datestamp", "worklist"), key=2), rows)

    # -- curators' worklists ---------------------------------------------------------------------------

    def replace_worklists(self, museum: str, unmapped: dict[str, int],
                          unmatched: dict[tuple[str, str], int]) -> None:
        """Set a museum's unmapped elements and unmatched terms as its last harvest run found them."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM unmapped_elements WHERE museum = ?", (museum,))
            conn.execute("DELETE FROM unmatched_terms WHERE museum = ?", (museum,))
            conn.executemany("INSERT INTO unmapped_elements (museum, element, count) VALUES (?, ?, ?)",
                             [(museum, e, n) for e, n in unmapped.items()])
            conn.executemany("INSERT INTO unmatched_terms (museum, vocabulary, term, count) VALUES (?, ?, ?, ?)",
                             [(museum, v, t, n) for (v, t), n in unmatched.items()])

    def unmapped(self, museum: str) -> dict[str, int]:
        return {r[0]: r[1] for r in self.conn.execute(
            "SELECT element, count FROM unmapped_elements WHERE museum = ? ORDER BY count DESC", (museum,))}

    def unmatched_terms(self, museum: str) -> list[tuple[str, str, int]]:
        return [(r[0], r[1], r[2]) for r in self.conn.execute(
            "SELECT vocabulary, term, count FROM unmatched_terms WHERE museum = ? ORDER BY count DESC",
            (museum,))]

    def run_outcomes(self) -> dict[tuple[str, str], int]:
        """(museum, status) -> how many harvest runs ended so, since the hub began."""
        return {(r[0], r[1]): r[2] for r in self.conn.execute(
            "SELECT museum, status, COUNT(*) FROM harvest_runs GROUP BY museum, status")}

    def run_error_raw(self, run_id: int, identifier: str) -> bytes | None:
        """The raw source of a record that failed in a run, as received (for the admin area's download)."""
        row = self.conn.execute("SELECT raw FROM record_errors WHERE run_id = ? AND identifier = ?",
                                (run_id, identifier)).fetchone()
        return bytes(row[0]) if row and row[0] is not None else None

    def records_mentioning(self, museum: str, text: str, limit: int = 3) -> list[str]:
        """Identifiers of a museum's live records whose raw source holds ``text``: sample records for the
        curators' worklists (an unmapped element, an unmatched term)."""
        return [r[0] for r in self.conn.execute(
            "SELECT identifier FROM records WHERE museum = ? AND deleted = 0 AND instr(raw, ?) > 0 "
            "ORDER BY identifier LIMIT ?", (museum, text.encode("utf-8"), limit))]
