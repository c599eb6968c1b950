"""The search index's words as postings of our own, kept beside FTS5 and read by the searches with words.

At a million records a common word is found in a hundred thousand of them, and FTS5 spends most of a second
on it: it merges the position lists of every word the prefix begins (a word of three letters or more also
matches the words it begins) and calls ``bm25()`` once per hit, reading each hit's positions again. A reader
waits for that on every first search.

Here each stemmed word of a language (``fr:portrait``) has, per block of 4,096 document ids, two parallel
arrays: the documents it is in and its weighted frequency there (a hit in a title counts as the title
column's weight, as in ``bm25()``). The postings are written in the same transaction as the document, so a
read snapshot sees words and documents of one version; a search reads the blocks of its words (a prefix is a
range of terms), sums frequencies with one ``bincount`` and computes FTS5's own BM25 over whole arrays,
with the same IDF, document lengths and column weights, so that a page is ranked exactly as the SQL path
ranks it. Two and three stems in a row are terms too (``fr2:natur mort``, ``fr3:boulogn sur mer``), so the
phrases readers type most (a subject, a city such as Boulogne-sur-Mer or Villeneuve-d'Ascq) are read the same
way; a phrase of four words or more needs positions, and is still asked of FTS5, one query each, its share of
the score added in (BM25 is a sum over the query's phrases).

FTS5 stays the index of record: the SQL path (a sync half done, the PostgreSQL engine's twin) and phrases
read it, and the postings are derived from the same stemmed text it holds.
"""

from __future__ import annotations

import math
from array import array
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from musenor.catalogue.search_query import LANGUAGES, ParsedQuery, Term

SCHEMA = """
CREATE TABLE IF NOT EXISTS word_blocks (
    term TEXT NOT NULL,               -- language:stem
    block INTEGER NOT NULL,           -- document id >> BLOCK_BITS
    docs BLOB NOT NULL,               -- int32, ascending
    freqs BLOB NOT NULL,              -- float32: the word's weighted frequency in each of those documents
    PRIMARY KEY (term, block)
) WITHOUT ROWID;
"""
BLOCK_BITS = 12
# sqlite3/ext/fts5/fts5_aux.c, fts5Bm25Function: the constants FTS5's bm25() ranks with.
K1 = 1.2
B = 0.75
PAIR = "2:"  # fr2:natur mort; "fr:" ranges (a prefix) never reach "fr2:" terms
TRIPLE = "3:"  # fr3:boulogn sur mer
RUN = {2: PAIR, 3: TRIPLE}  # the phrases read from postings, by their length in words
_END = "\U0010ffff"  # sorts after every character a stem holds: term >= prefix AND term < prefix + _END


def postings(columns: Sequence[str], weights: Sequence[float], languages: Sequence[str]) -> tuple[
        dict[str, float], int]:
    """The weighted frequency of each ``language:stem`` of a document and its length in tokens, from its
    stemmed columns as FTS5 holds them (``languages[i]`` and ``weights[i]`` are column i's). The columns are
    stems joined by spaces (search_query.stemmed), so FTS5's tokenizer sees exactly these tokens."""
    found: dict[str, float] = defaultdict(float)
    length = 0
    for text, weight, lang in zip(columns, weights, languages):
        tokens = text.split()
        length += len(tokens)
        for token in tokens:
            found[f"{lang}:{token}"] += weight
        # Two stems in a row: the phrases of two words readers type ("nature morte", "Saint-Omer"). FTS5 finds
        # a phrase across two values of one column too (they are one text), and so do these.
        for first, second in zip(tokens, tokens[1:]):
            found[f"{lang}{PAIR}{first} {second}"] += weight
        for first, second, third in zip(tokens, tokens[1:], tokens[2:]):
            found[f"{lang}{TRIPLE}{first} {second} {third}"] += weight
    return dict(found), length


def _term_key(lang: str, stems: list[str]) -> str:
    """The stored term of one stem (fr:portrait) or of a run of two or three (fr2:natur mort)."""
    return f"{lang}:{stems[0]}" if len(stems) == 1 else f"{lang}{RUN[len(stems)]}{' '.join(stems)}"


class Writer:
    """The postings a sync batch adds and removes, written when the batch ends.

    A new document's id is above every id stored (SQLite gives max(rowid) + 1), so its postings are appended
    to their blocks by one UPSERT each, in SQLite, with no read: building a million records' postings is a
    bulk write. Removing a document (a record replaced or deleted) reads and rewrites the blocks of its words,
    before the batch's appends."""

    def __init__(self) -> None:
        # By block, then term: a batch's documents mostly share one block, and a term is one lookup, with no key
        # tuple made for each of a document's hundred-odd terms.
        self._docs: dict[int, dict[str, tuple[array, array]]] = {}
        self._removed: dict[tuple[str, int], set[int]] = defaultdict(set)

    def add(self, doc: int, found: dict[str, float]) -> None:
        block = doc >> BLOCK_BITS
        terms = self._docs.get(block)
        if terms is None:
            terms = self._docs[block] = {}
        for term, freq in found.items():
            stored = terms.get(term)
            if stored is None:
                terms[term] = (array("i", (doc,)), array("f", (freq,)))
            else:
                stored[0].append(doc)
                stored[1].append(freq)

    def remove(self, doc: int, terms: Iterable[str]) -> None:
        block = doc >> BLOCK_BITS
        for term in terms:
            self._removed[(term, block)].add(doc)

    def write(self, conn: sqlite3.Connection) -> None:
        """Write the batch into the stored blocks, in the caller's transaction."""
        updates, deletes = [], []
        for key, removed in self._removed.items():
            row = conn.execute("SELECT docs, freqs FROM word_blocks WHERE term = ? AND block = ?", key).fetchone()
            if row is None:
                continue
            docs, freqs = np.frombuffer(row[0], dtype=np.int32), np.frombuffer(row[1], dtype=np.float32)
            keep = ~np.isin(docs, np.fromiter(removed, dtype=np.int32))
            if keep.any():
                updates.append((docs[keep].tobytes(), freqs[keep].tobytes(), *key))
            else:
                deletes.append(key)
        conn.executemany("DELETE FROM word_blocks WHERE term = ? AND block = ?", deletes)
        conn.executemany("UPDATE word_blocks SET docs = ?, freqs = ? WHERE term = ? AND block = ?", updates)
        # Blobs joined by ||, which makes text of them; CAST gives the same bytes back as a blob (the file's
        # encoding is UTF-8, SQLite's default, so the bytes are never converted).
        conn.executemany(
            "INSERT INTO word_blocks (term, block, docs, freqs) VALUES (?, ?, ?, ?) ON CONFLICT (term, block) "
            "DO UPDATE SET docs = CAST(docs || excluded.docs AS BLOB), freqs = CAST(freqs || excluded.freqs AS BLOB)",
            # In key order: each page of the table takes its blocks at once.
            sorted((term, block, docs.tobytes(), freqs.tobytes()) for block, terms in self._docs.items()
                   for term, (docs, freqs) in terms.items()))
        self._docs.clear()
        self._removed.clear()


class DocumentLengths:
    """What bm25() needs of every document of one published version, computed once per version: how many
    documents, and k1 * (1 - b + b * D / avgdl) of each (``lengths``: D, its tokens in all columns)."""

    def __init__(self, lengths: np.ndarray, alive: np.ndarray) -> None:
        self.size = len(alive)
        self.rows = int(np.count_nonzero(alive))
        total = int(lengths[alive].sum()) if self.rows else 0
        avgdl = total / self.rows if self.rows else 1.0
        # in fts5Bm25Function's order of operations, so that every score is FTS5's to the last bit
        self.norm = K1 * (1 - B + B * lengths.astype(np.float64) / avgdl)


class Scorer:
    """Matches and BM25 of parsed queries over one read snapshot, as FTS5 would rank them.

    ``phrase_of`` asks FTS5 for the rows and the bm25() share of a phrase of four words or more."""

    def __init__(self, conn: sqlite3.Connection, lengths: DocumentLengths,
                 phrase_of: Callable[[Term], tuple[np.ndarray, np.ndarray]]) -> None:
        self.conn = conn
        self.size, self.rows, self.norm = lengths.size, lengths.rows, lengths.norm
        self._phrase_of = phrase_of

    def _blocks(self, columns: str, term: str, prefix: bool) -> sqlite3.Cursor:
        if prefix:
            return self.conn.execute(f"SELECT {columns} FROM word_blocks WHERE term >= ? AND term < ?",
                                     (term, term + _END))
        return self.conn.execute(f"SELECT {columns} FROM word_blocks WHERE term = ?", (term,))

    def _published(self, found: np.ndarray, *along: np.ndarray) -> tuple[np.ndarray, ...]:
        """``found`` (and the arrays ``along`` it) without the documents added after this version's arrays,
        which a sync half applied has already written postings of."""
        if len(found) and found.max() >= self.size:
            inside = found < self.size
            return (found[inside], *(a[inside] for a in along))
        return (found, *along)

    def documents(self, term: str, prefix: bool) -> np.ndarray:
        """The documents holding a term (or a term it begins), in no order, maybe more than once: what a mask
        needs (an exclusion, a page not ranked), read without the frequencies."""
        docs = [np.frombuffer(d, dtype=np.int32) for d, in self._blocks("docs", term, prefix)]
        return self._published(np.concatenate(docs))[0] if docs else np.zeros(0, dtype=np.intp)

    def frequencies(self, term: str, prefix: bool) -> tuple[np.ndarray, np.ndarray]:
        """The documents holding a term (or a term it begins), ascending, and its weighted frequency in each."""
        docs, freqs = [], []
        for d, f in self._blocks("docs, freqs", term, prefix):
            docs.append(np.frombuffer(d, dtype=np.int32))
            freqs.append(np.frombuffer(f, dtype=np.float32))
        if not docs:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float64)
        found, weights = self._published(np.concatenate(docs), np.concatenate(freqs).astype(np.float64))
        if len(found) > 1 and not (found[1:] > found[:-1]).all():
            # Several terms a prefix begins share documents: their frequencies are summed per document. One
            # term's blocks are already its documents in order, each once (the common case, read as it is:
            # at a million records the dense sum and the scan for its non-zeros cost more than the read).
            seen = np.zeros(self.size, dtype=np.bool_)
            seen[found] = True
            summed = np.bincount(found, weights=weights, minlength=self.size)
            found = np.flatnonzero(seen)  # a scan of a byte a document, not of the sums' eight
            return found, summed[found]
        return found.astype(np.intp), weights

    def _idf(self, hits: int) -> float:
        idf = math.log((self.rows - hits + 0.5) / (hits + 0.5))
        return idf if idf > 0.0 else 1e-6

    def term(self, term: Term, score: np.ndarray | None = None, *, fresh: bool = False) -> np.ndarray:
        """The documents ``term`` matches (a mask); its share of the score is added to ``score`` phrase by
        phrase in FTS5's order (the French phrase, then the English), so that the sums are FTS5's to the
        last bit. A phrase of four words or more is FTS5's answer, its two phrases already summed.
        ``fresh``: ``score`` is still all zeros (the query's first term)."""
        mask = np.zeros(self.size, dtype=np.bool_)
        if len(term.words) > max(RUN):
            docs, share = self._phrase_of(term)
            inside = docs < self.size
            docs, share = docs[inside], share[inside]
            mask[docs] = True
            if score is not None:
                score[docs] += share
            return mask
        keys = [_term_key(lang, term.stems(lang)) for lang in LANGUAGES]
        if score is None:
            for key in keys:
                mask[self.documents(key, term.prefix)] = True
            return mask
        phrases = []
        for key in keys:
            found, f = self.frequencies(key, term.prefix)
            # idf * (f * (k1 + 1)) / (f + k1 * (1 - b + b * D / avgdl)), as fts5Bm25Function computes it
            phrases.append((found, self._idf(len(found)) * ((f * (K1 + 1)) / (f + self.norm[found]))))
        (first, first_share), (second, second_share) = phrases
        if fresh and np.array_equal(first, second):
            # Most words are in the same documents in both languages (one text, stemmed twice): one scatter.
            # Onto zeros, (0 + a) + b is a + b to the last bit; onto a score, the two are added in turn.
            mask[first] = True
            score[first] = first_share + second_share
            return mask
        for found, share in phrases:
            mask[found] = True
            score[found] += share
        return mask

    def match(self, query: ParsedQuery, *, ranked: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
        """The documents matching every group of ``query`` (ids) and, if ``ranked``, their rank, FTS5's
        ``bm25()``: lower is better (a page sorted by date or title needs no score)."""
        matched = np.ones(self.size, dtype=np.bool_)
        score = np.zeros(self.size, dtype=np.float64) if ranked else None
        fresh = True
        for group in query.groups:
            either = np.zeros(self.size, dtype=np.bool_)
            for term in group:
                either |= self.term(term, score, fresh=fresh)
                fresh = False
            matched &= either
        ids = np.flatnonzero(matched)
        return ids, None if score is None else -1.0 * score[ids]

    def excluded(self, query: ParsedQuery) -> np.ndarray:
        """The documents any excluded term matches (ids)."""
        mask = np.zeros(self.size, dtype=np.bool_)
        for term in query.excluded:
            mask |= self.term(term)
        return np.flatnonzero(mask)
