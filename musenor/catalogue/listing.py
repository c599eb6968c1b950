"""The narrow read interface the OAI-PMH verbs use: earliest datestamp, set specs in use, header pages
and one record.

Lists are read "as of" a fixed ``until`` from the ledger's header history (``record_versions``): a version
is current as of T when its hub datestamp is at most T and it was not superseded at T. A harvest that
follows resumption tokens while other harvests publish therefore sees every record exactly once, in the
version it had at T. Pages are cut by a keyset cursor on (hub_datestamp, identifier), never by OFFSET, so
page 1,000 costs what page 1 costs.
"""

from __future__ import annotations

import functools
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from musenor.catalogue.ledger import Ledger, PublishedRecord, format_datestamp, parse_datestamp, utc_now, with_ancestors

# How long the first request of a list waits to see whether a publish is under way (see stable_until).
WRITER_PROBE_SECONDS = 0.2
# List sizes remembered (see Listing.count): a few per set and selective-harvesting window in use.
COUNT_CACHE_SIZE = 1024

__all__ = ["Header", "ListedRecord", "Listing", "Window", "in_set", "with_ancestors"]


@dataclass(frozen=True)
class Header:
    """An OAI header as of the list's ``until``: identifier, hub datestamp, tombstone flag, set specs."""

    identifier: str
    datestamp: str
    deleted: bool
    sets: tuple[str, ...]

    @property
    def cursor(self) -> tuple[str, str]:
        return (self.datestamp, self.identifier)


@dataclass(frozen=True)
class Window:
    """The selective-harvesting arguments of a list (OAI-PMH 2.0 sections 2.7.1 and 3.3.1)."""

    until: str
    from_: str | None = None
    set_spec: str | None = None


@dataclass(frozen=True, slots=True)
class ListedRecord:
    """A record as the OAI verbs serve it: its current row (without graph or provenance), and its stored
    rendering in one format. ``current``: the rendering is of this change of the record under the server's
    renderer version, so ``metadata`` is what goes out (None: the format cannot disseminate the record)."""

    identifier: str
    hub_datestamp: str
    deleted: bool
    sets: tuple[str, ...]
    run_id: int | None
    source_url: str | None
    source_datestamp: str | None
    metadata: bytes | None
    current: bool


def in_set(specs: tuple[str, ...] | list[str], set_spec: str) -> bool:
    """A record is in a set when one of its specs is the set or a descendant of it (section 2.7.2)."""
    prefix = set_spec + ":"
    return any(spec == set_spec or spec.startswith(prefix) for spec in specs)


_WITHOUT_CONTENT = ("identifier, museum, local_id, record_uri, source_datestamp, hub_datestamp, deleted, sets, "
                    "dialect, raw, source_url, NULL AS graph, NULL AS provenance, checksum, mapping_version, run_id, "
                    "seen_run_id, change_seq")
_AS_OF = "{t}hub_datestamp <= :until AND ({t}superseded_at IS NULL OR {t}superseded_at > :until)"
_FROM = " AND {t}hub_datestamp >= :from_"


class Listing:
    """Reads the ledger for the OAI verbs; safe across threads (the ledger gives each its connection)."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self._counts: OrderedDict[tuple[str, str | None, str | None], int] = OrderedDict()
        self._counts_lock = threading.Lock()

    def earliest_datestamp(self) -> str | None:
        return self.ledger.earliest_datestamp()

    def set_specs_in_use(self) -> set[str]:
        return {row[0] for row in self.ledger.conn.execute("SELECT DISTINCT set_spec FROM record_sets")}

    def record(self, identifier: str) -> PublishedRecord | None:
        return self.ledger.record(identifier)

    def records(self, identifiers: list[str], *, content: bool = True) -> dict[str, PublishedRecord]:
        """The current rows of a page of records, in one query; without ``content`` their graph and
        provenance are left unread (None): a list served from stored renderings needs neither."""
        if not identifiers:
            return {}
        marks = ", ".join("?" * len(identifiers))
        columns = "*" if content else _WITHOUT_CONTENT
        rows = self.ledger.conn.execute(f"SELECT {columns} FROM records WHERE identifier IN ({marks})", identifiers)
        return {row["identifier"]: PublishedRecord.from_row(row) for row in rows}

    def listed(self, identifiers: Sequence[str], fmt: str, renderer_version: str) -> dict[str, ListedRecord]:
        """The current rows of a page of records joined with their stored renderings in ``fmt``, in one query:
        what a ListRecords page or a GetRecord serves, without making a whole record of each row."""
        if not identifiers:
            return {}
        marks = ", ".join("?" * len(identifiers))
        rows = self.ledger.conn.execute(
            "SELECT r.identifier, r.hub_datestamp, r.deleted, r.sets, r.change_seq, r.run_id, r.source_url, "
            f"r.source_datestamp, x.change_seq, x.body FROM {self.ledger.LISTED_ROWS} LEFT JOIN renderings AS x "
            "ON x.identifier = r.identifier AND x.format = ? AND x.renderer_version = ? "
            f"WHERE r.identifier IN ({marks})", (fmt, renderer_version, *identifiers))
        return {row[0]: ListedRecord(identifier=row[0], hub_datestamp=row[1], deleted=bool(row[2]),
                                     sets=_set_specs(row[3] or "[]"), run_id=row[5],
                                     source_url=row[6], source_datestamp=row[7], metadata=row[9],
                                     current=not row[2] and row[8] == row[4])
                for row in rows}

    def header(self, identifier: str) -> Header | None:
        row = self.ledger.conn.execute("SELECT identifier, hub_datestamp, deleted, sets FROM records "
                                       "WHERE identifier = ?", (identifier,)).fetchone()
        return _header(row) if row else None

    def last_change_seq(self) -> int:
        return self.ledger.last_change_seq()

    def stable_until(self, now: datetime | None = None) -> str:
        """The ``until`` a new list is fixed at: the latest second no publish can still add to.

        Publishing takes the hub datestamp when its transaction begins and commits later, so a version
        stamped at T may appear after a reader looked at T. Writers are serialised (each backend's write lock) and
        stamps never go back: when no writer holds the ledger, every later stamp is at least now, so the
        second before now is stable; when one does, its stamp is at least the last committed one, so the
        second before that is.
        """
        moment = (now or utc_now()) - timedelta(seconds=1)
        if self.ledger.writer_active(WRITER_PROBE_SECONDS):
            last = self.ledger.get_meta("last_hub_datestamp")
            if last is not None:
                moment = min(moment, parse_datestamp(last) - timedelta(seconds=1))
        return format_datestamp(moment)

    def count(self, window: Window) -> int:
        """How many headers the list holds (its completeListSize).

        A list as of a stable ``until`` never changes (later publishes stamp later seconds), and when
        ``until`` is at or after the ledger's last hub datestamp it holds what a list as of that datestamp
        holds. So sizes are remembered under that datestamp until the next publish, and the first page of
        a list costs what its later pages cost; the index-only count runs once per window and publish.
        """
        last = self.ledger.conn.execute("SELECT value FROM meta WHERE key = 'last_hub_datestamp'").fetchone()
        key = None
        if last is not None and window.until >= last[0]:
            key = (last[0], window.from_, window.set_spec)
            with self._counts_lock:
                if key in self._counts:
                    self._counts.move_to_end(key)
                    return self._counts[key]
        table, where, params = _select(window)
        size = int(self.ledger.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params).fetchone()[0])
        if key is not None:
            with self._counts_lock:
                self._counts[key] = size
                while len(self._counts) > COUNT_CACHE_SIZE:
                    self._counts.popitem(last=False)
        return size

    def headers(self, window: Window, *, after: tuple[str, str] | None, limit: int) -> list[Header]:
        """Up to ``limit`` headers of the window after the keyset cursor, in (datestamp, identifier) order.

        Two index seeks, never a scan from the start: the rest of the cursor's own second (one publish
        stamps a whole harvest with one datestamp, so a second can hold 100,000 records), then the seconds
        after it. A set's list walks that set's range of ``record_version_sets``, never the other records.
        """
        # After a cursor, ``from`` is implied (the cursor's datestamp came from this window) and left out: given
        # beside the cursor's equality, SQLite would range-scan from ``from`` instead of seeking the cursor.
        _, where, params = _select(window, with_from=after is None)
        k = "k." if window.set_spec is not None else ""
        if window.set_spec is None:
            columns = "SELECT identifier, hub_datestamp, deleted, sets FROM record_versions AS k"
        else:
            columns = ("SELECT v.identifier, v.hub_datestamp, v.deleted, v.sets FROM record_version_sets AS k "
                       "JOIN record_versions AS v ON v.identifier = k.identifier AND v.hub_datestamp = k.hub_datestamp")
        order = f"ORDER BY {k}hub_datestamp, {k}identifier LIMIT :limit"
        params["limit"] = limit
        conn = self.ledger.conn
        if after is None:
            rows = conn.execute(f"{columns} WHERE {where} {order}", params).fetchall()
            return [_header(r) for r in rows]
        params["after_stamp"], params["after_id"] = after
        rows = conn.execute(f"{columns} WHERE {where} AND {k}hub_datestamp = :after_stamp "
                            f"AND {k}identifier > :after_id {order}", params).fetchall()
        if len(rows) < limit:
            params["limit"] = limit - len(rows)
            rows += conn.execute(f"{columns} WHERE {where} AND {k}hub_datestamp > :after_stamp {order}",
                                 params).fetchall()
        return [_header(r) for r in rows]


def _select(window: Window, *, with_from: bool = True) -> tuple[str, str, dict[str, str]]:
    """The table a window reads, its WHERE clause (columns qualified by ``k.`` for a set) and parameters."""
    t = "k." if window.set_spec is not None else ""
    where = _AS_OF.format(t=t)
    params = {"until": window.until}
    if window.from_ is not None and with_from:
        where += _FROM.format(t=t)
        params["from_"] = window.from_
    if window.set_spec is None:
        return "record_versions", where, params
    params["set_spec"] = window.set_spec
    return "record_version_sets AS k", f"k.set_spec = :set_spec AND {where}", params


def _header(row: Sequence[Any]) -> Header:
    return Header(identifier=row[0], datestamp=row[1], deleted=bool(row[2]), sets=_set_specs(row[3] or "[]"))


@functools.lru_cache(maxsize=4096)
def _set_specs(stored: str) -> tuple[str, ...]:
    # The sets column as stored: a museum's records share a few values, parsed once each instead of once a row.
    return with_ancestors(json.loads(stored))
