"""The search index's columns as arrays over document ids, computed at publish and read by every search.

Counting facets with SQL means one row read per (hit, facet value): a word found in 40 % of a million
records reads millions of rows on every first request. Here each facet is two parallel arrays, the documents
and the integer id of their value (a record with two creators has two entries), and the other filters are
one array each (years, image). A search turns its hits and filters into boolean masks over document ids;
the counts of a facet are one ``bincount`` of the value ids of the documents its mask keeps, exact under any
mix of filters (OR within a facet: a facet's own filter is left out of its own counts, as in SQL before).
Sorts are the rank of each document in each order, ranked once by SQLite at publish, so that a page is a
partial sort of integers.

The arrays are stored as blobs in the index file with the change sequence they were computed at, and a
process loads them once per publish; a search whose read snapshot is not that sequence (a sync half done)
is answered by the SQL path instead, so no answer mixes two versions.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

# year_from / year_to of a record without dates: SQL's NULL compares false both ways, and so do these.
NO_YEAR_FROM = np.iinfo(np.int64).max
NO_YEAR_TO = np.iinfo(np.int64).min
_YEAR_LIMIT = 2**62  # a reader's year beyond this says nothing more and would overflow int64

# The orders of the catalogue pages; the same SQL as the pages would run, ranked once at publish.
ORDERS = {
    "title": "sort_title, id",
    "museum": "sort_museum, sort_title, id",
    "date": "year_from IS NULL, year_from, sort_title, id",
    "-date": "year_to IS NULL, year_to DESC, sort_title, id",
}

FORMAT = "3"  # of the stored arrays: arrays of another format are computed anew at the next sync
# Under this share of the documents a selection's facets are counted from its hits, else by one pass
# over each facet.
FEW = 1 / 16
# A facet value held by at least 1/WIDE of the documents (and WIDE_MIN) is counted by bit sets.
WIDE = 128
WIDE_MIN = 64

SCHEMA = """
CREATE TABLE IF NOT EXISTS arrays (name TEXT PRIMARY KEY, data BLOB NOT NULL);
"""


# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


@functools.cache
def keep_freed_memory() -> bool:
    """Let this process reuse the memory of a search's arrays for the next search.

    A search at a million documents allocates masks, scores and sums of 1-8 MB each. glibc gives blocks of
    that size by mmap and returns them at free (or trims them off the heap's top), so the next search's
    arrays are fresh pages the kernel zero-fills: 4,000 page faults and 20-40 ms of system time a search,
    measured with getrusage on the bench's million records. Keeping blocks up to 32 MB on the heap and 256
    MB of free heap before trimming makes those faults go. Not glibc (musl, macOS): nothing to do."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, 32 * 1024 * 1024)) and bool(mallopt(_M_TRIM_THRESHOLD, 256 * 1024 * 1024))


def _ids(cursor: sqlite3.Cursor) -> np.ndarray:
    return np.fromiter((row[0] for row in cursor), dtype=np.int64)


def compute(conn: sqlite3.Connection, facets: Iterable[str], seq: int) -> None:
    """Compute and store every array from the index's tables, in the caller's write transaction."""
    rows = conn.execute("SELECT id, IFNULL(year_from, ?), IFNULL(year_to, ?), has_image != 0, length FROM documents",
                        (int(NO_YEAR_FROM), int(NO_YEAR_TO))).fetchall()
    table = np.array(rows, dtype=np.int64).reshape(-1, 5)
    ids = table[:, 0]
    size = int(ids.max()) + 1 if len(ids) else 0
    alive = np.zeros(size, dtype=np.bool_)
    alive[ids] = True
    year_from = np.full(size, NO_YEAR_FROM, dtype=np.int64)
    year_from[ids] = table[:, 1]
    year_to = np.full(size, NO_YEAR_TO, dtype=np.int64)
    year_to[ids] = table[:, 2]
    has_image = np.zeros(size, dtype=np.bool_)
    has_image[ids] = table[:, 3] != 0
    length = np.zeros(size, dtype=np.int64)
    length[ids] = table[:, 4]
    blobs: dict[str, bytes] = {"alive": alive.tobytes(), "year_from": year_from.tobytes(),
                               "year_to": year_to.tobytes(), "has_image": has_image.tobytes(), "length": length.tobytes()}
    for name, order in ORDERS.items():
        ranked = _ids(conn.execute(f"SELECT id FROM documents ORDER BY {order}"))
        rank = np.zeros(size, dtype=np.int32)
        rank[ranked] = np.arange(len(ranked), dtype=np.int32)
        blobs[f"rank:{name}"] = rank.tobytes()
    keys: dict[str, list[str]] = {}
    for facet in facets:
        # Value ids in key order: the primary key (facet, key, doc) gives both lists in one order.
        counted = conn.execute("SELECT key, COUNT(*) FROM facets WHERE facet = ? GROUP BY key ORDER BY key",
                               (facet,)).fetchall()
        keys[facet] = [key for key, _ in counted]
        docs = _ids(conn.execute("SELECT doc FROM facets WHERE facet = ? ORDER BY key, doc", (facet,)))
        values = np.repeat(np.arange(len(counted), dtype=np.int32), [n for _, n in counted])
        blobs[f"docs:{facet}"] = docs.astype(np.int32).tobytes()
        blobs[f"values:{facet}"] = values.tobytes()
        # The same pairs by document, for counting a few hits without reading the whole facet.
        by_doc = np.argsort(docs, kind="stable")
        blobs[f"by_doc:{facet}"] = values[by_doc].tobytes()
        blobs[f"doc_start:{facet}"] = np.searchsorted(docs[by_doc], np.arange(size + 1)).astype(np.int32).tobytes()
    blobs["keys"] = json.dumps(keys, ensure_ascii=False).encode("utf-8")
    blobs["seq"] = f"{FORMAT} {seq}".encode()
    conn.execute("DELETE FROM arrays")
    conn.executemany("INSERT INTO arrays (name, data) VALUES (?, ?)", list(blobs.items()))


def stored_seq(conn: sqlite3.Connection) -> int | None:
    """The change sequence the stored arrays were computed at; None if there are none of this FORMAT."""
    row = conn.execute("SELECT data FROM arrays WHERE name = 'seq'").fetchone()
    found = _text(row[0]).split() if row else []
    return int(found[1]) if len(found) == 2 and found[0] == FORMAT else None


def _text(data: bytes | str) -> str:
    return data.decode() if isinstance(data, bytes) else str(data)


@dataclass
class FacetColumn:
    keys: list[str]
    ids: dict[str, int]
    docs: np.ndarray       # int32: a document, once per value it has, by value then document
    values: np.ndarray     # int32: the id of that value (an index into keys)
    by_doc: np.ndarray     # int32: the same value ids by document
    doc_start: np.ndarray  # int32: where each document's values begin in by_doc (one more for the end)

    def __post_init__(self) -> None:
        self.key_start = np.searchsorted(self.values, np.arange(len(self.keys) + 1))
        self.totals = np.diff(self.key_start)
        # A value held by many documents (a museum, an object type, a century) is also a bit set over the
        # document ids: its count under a search is a popcount of an AND, 1/8 of a byte a document, where a
        # pass over the facet reads every one of its entries. Values of few documents (most creators) keep
        # the pass, over their own entries only. WIDE bounds the memory: at most size/WIDE values a facet.
        size = len(self.doc_start) - 1
        self.wide = np.flatnonzero(self.totals >= max(WIDE_MIN, size // WIDE))
        self.bits = np.zeros((len(self.wide), _words(size)), dtype=np.uint64)
        row_mask = np.zeros(size, dtype=np.bool_)
        for row, value in enumerate(self.wide):
            docs = self.docs[self.key_start[value]:self.key_start[value + 1]]
            row_mask[docs] = True
            self.bits[row] = packed(row_mask)
            row_mask[docs] = False
        narrow = np.ones(len(self.keys), dtype=np.bool_)
        narrow[self.wide] = False
        # The other values' entries, still by value then document: a value's count is the sum of its run of
        # the mask read at its documents (one reduceat over runs, each at least one entry long, as every key
        # has a document). Indexes as intp: numpy converts any other index type on every read.
        self.narrow = np.flatnonzero(narrow)
        self.narrow_docs = self.docs[narrow[self.values]].astype(np.intp)
        runs = self.totals[self.narrow]
        self.narrow_start = np.concatenate(([0], np.cumsum(runs)[:-1])).astype(np.intp)

    def docs_of(self, keys: list[str]) -> np.ndarray:
        ids = [self.ids[k] for k in keys if k in self.ids]
        parts = [self.docs[self.key_start[i]:self.key_start[i + 1]] for i in ids]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)

    def count(self, mask: np.ndarray, hits: int, pack: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
        """How many documents of ``mask`` (``hits`` of them; ``pack``: the mask as bits, see packed()) have
        each value: from the hits when they are few, else by the bit sets and one pass over the rest."""
        if hits <= FEW * len(mask):
            found = np.flatnonzero(mask)
            start, end = self.doc_start[found], self.doc_start[found + 1]
            lengths = end - start
            at = np.repeat(start - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
            return np.bincount(self.by_doc[at], minlength=len(self.keys))
        counted = np.zeros(len(self.keys), dtype=np.int64)
        if len(self.narrow):
            counted[self.narrow] = np.add.reduceat(mask[self.narrow_docs], self.narrow_start, dtype=np.int64)
        if len(self.wide):
            counted[self.wide] = np.bitwise_count(self.bits & pack(mask)).sum(axis=1, dtype=np.int64)
        return counted


def _words(size: int) -> int:
    return (size + 63) // 64


def packed(mask: np.ndarray) -> np.ndarray:
    """A mask over document ids as the bit sets of FacetColumn hold them: 64 documents a word."""
    padded = np.zeros(_words(len(mask)) * 64, dtype=np.bool_)
    padded[:len(mask)] = mask
    return np.packbits(padded).view(np.uint64)


@dataclass
class Selection:
    """A search as masks over document ids: the conditions other than facets, and one mask per facet."""

    base: np.ndarray
    by_facet: dict[str, np.ndarray]
    unfiltered: bool = False  # base is every document: no words, years nor images asked

    def everything(self, facet: str) -> bool:
        """Whether the documents counted for ``facet`` are all of them (its counts are its totals)."""
        return self.unfiltered and not (self.by_facet.keys() - {facet})

    def without(self, facet: str | None = None) -> np.ndarray:
        mask = self.base
        for name, chosen in self.by_facet.items():
            if name != facet:
                mask = mask & chosen
        return mask


class Arrays:
    """The arrays of one published version of the index (read-only, shared by every thread)."""

    def __init__(self, conn: sqlite3.Connection, facets: Iterable[str]) -> None:
        blobs = dict(conn.execute("SELECT name, data FROM arrays").fetchall())
        self.seq = int(_text(blobs["seq"]).split()[1])
        self.alive = np.frombuffer(blobs["alive"], dtype=np.bool_)
        self.size = len(self.alive)
        self.year_from = np.frombuffer(blobs["year_from"], dtype=np.int64)
        self.year_to = np.frombuffer(blobs["year_to"], dtype=np.int64)
        self.has_image = np.frombuffer(blobs["has_image"], dtype=np.bool_)
        self.length = np.frombuffer(blobs["length"], dtype=np.int64)  # in tokens, for bm25 (search_words)
        self.derived: dict[str, object] = {}  # what other modules compute once from this version's arrays
        self.rank = {name: np.frombuffer(blobs[f"rank:{name}"], dtype=np.int32) for name in ORDERS}
        keys = json.loads(blobs["keys"])
        self.facets = {facet: FacetColumn(keys[facet], {k: i for i, k in enumerate(keys[facet])},
                                          *(np.frombuffer(blobs[f"{name}:{facet}"], dtype=np.int32)
                                            for name in ("docs", "values", "by_doc", "doc_start")))
                       for facet in facets}

    def mask_of(self, ids: np.ndarray) -> np.ndarray:
        mask = np.zeros(self.size, dtype=np.bool_)
        mask[ids[ids < self.size]] = True
        return mask

    def select(self, *, matched: np.ndarray | None, excluded: np.ndarray | None, year_from: int | None,
               year_to: int | None, with_images: bool, filters: dict[str, list[str]]) -> Selection:
        base = self.alive.copy()
        if matched is not None:
            base &= self.mask_of(matched)
        if excluded is not None:
            base &= ~self.mask_of(excluded)
        if year_from is not None:
            base &= self.year_to >= max(-_YEAR_LIMIT, min(_YEAR_LIMIT, year_from))
        if year_to is not None:
            base &= self.year_from <= max(-_YEAR_LIMIT, min(_YEAR_LIMIT, year_to))
        if with_images:
            base &= self.has_image
        by_facet = {}
        for facet, keys in filters.items():
            column = self.facets[facet]
            by_facet[facet] = self.mask_of(column.docs_of(keys))
        unfiltered = matched is None and excluded is None and year_from is None and year_to is None \
            and not with_images
        return Selection(base, by_facet, unfiltered)

    def counts(self, selection: Selection, limit: int,
               keep: dict[str, list[str]]) -> tuple[int, dict[str, list[tuple[str, int]]], dict[str, int]]:
        """The total; for each facet its first ``limit`` (key, count) by count then key, each facet counted
        without its own filter, then the counts of its ``keep`` keys past those; and how many values each
        facet has. A facet of a hundred thousand creators is counted whole, but only what a page shows
        becomes Python objects."""
        every = selection.without()
        total = int(np.count_nonzero(every))
        by_facet, sizes = {}, {}
        every_bits: list[np.ndarray] = []  # `every` is shared by the facets without a filter: packed once

        def pack(mask: np.ndarray) -> np.ndarray:
            if mask is not every:
                return packed(mask)  # a facet's own mask (its filter left out) counts that facet alone
            if not every_bits:
                every_bits.append(packed(every))
            return every_bits[0]

        for facet, column in self.facets.items():
            if selection.everything(facet):
                counted = column.totals
            else:
                mask = selection.without(facet) if facet in selection.by_facet else every
                counted = column.count(mask, total if mask is every else int(np.count_nonzero(mask)), pack)
            present = np.flatnonzero(counted)
            sizes[facet] = len(present)
            if len(present) > limit:  # the first `limit` by count: ties at the bound are all kept, then sorted
                bound = -np.partition(-counted[present], limit - 1)[limit - 1]
                present = present[counted[present] >= bound]
            order = present[np.lexsort((present, -counted[present]))][:limit]
            shown = [(column.keys[i], int(counted[i])) for i in order]
            seen = {key for key, _ in shown}
            shown += [(key, int(counted[column.ids[key]])) for key in keep.get(facet, [])
                      if key not in seen and key in column.ids and counted[column.ids[key]]]
            by_facet[facet] = shown
        return total, by_facet, sizes

    def page(self, mask: np.ndarray, sort: str, offset: int, size: int) -> list[int]:
        """Document ids of one page of the documents in ``mask``, in the order ``sort``."""
        hits = np.flatnonzero(mask)
        return self._top(hits, self.rank[sort][hits], None, offset, size)

    def ranked_page(self, mask: np.ndarray, matched: np.ndarray, scores: np.ndarray, offset: int,
                    size: int) -> list[int]:
        """One page of the matched documents in ``mask`` by score (lower first, as FTS5's bm25), then title."""
        keep = mask[matched]
        return self._top(matched[keep], scores[keep], self.rank["title"], offset, size)

    @staticmethod
    def _top(hits: np.ndarray, first: np.ndarray, then: np.ndarray | None, offset: int, size: int) -> list[int]:
        """``hits`` by ``first``, then by their rank in ``then`` (an array over document ids), read only for
        the few that can reach the page."""
        end = offset + size
        if end < len(hits):
            # Only what sorts before the page's end matters: a linear partition, then a sort of those few.
            # Ties at the boundary are all kept so that the second key decides among them.
            bound = np.partition(first, end - 1)[end - 1]
            near = np.flatnonzero(first <= bound)
            hits, first = hits[near], first[near]
        order = np.lexsort((first,) if then is None else (then[hits], first))
        return [int(d) for d in hits[order[offset:end]]]
