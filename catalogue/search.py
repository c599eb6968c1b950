"""The full-text search index behind the public catalogue pages: SQLite FTS5, derived from the ledger.

Like the graph store, the index replays ``ledger.changes_since(seq)`` and can be rebuilt from the ledger
alone (``rebuild_search``). It lives in its own file (``search.sqlite3`` beside the ledger) so that a rebuild
never touches the source of truth.

Matching is accent- and case-insensitive: the FTS5 tokenizer is ``unicode61 remove_diacritics 2`` and the
French ligatures it does not decompose (œ, æ) are folded before indexing and querying, so "eglise" finds
"église" and "oeuvre" finds "œuvre". Every search term is a prefix match once it has three letters.

Facets (museum, object type, creator, period, material) are kept in a table of (document, facet, key):
a record has several creators or materials. A key is a URI (agent, concept) or a literal as the museum
wrote it; labels for URIs come from the record graph itself or from ``labels`` (vocabulary concepts, whose
labels live in the vocabulary graphs, which the catalogue does not import). The period facet is the
century of the production time-span (``century:19``), so that "1850", "vers 1850" and "1850/1899" meet.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph

if TYPE_CHECKING:
    from catalogue import Catalogue
    from catalogue.ledger import Ledger

logger = logging.getLogger(__name__)

SEARCH_FILE = "search.sqlite3"
SYNC_BATCH = 500
COUNT_CACHE_SIZE = 256
FACETS = ("museum", "type", "creator", "period", "material")
# Each selected facet value is one AND-ed subquery: SQLite refuses an expression tree deeper than 1000, and a
# reader never ticks more than a handful. The cap is on the whole query, all facets together.
MAX_FILTER_VALUES = 50


class TooManyFilters(ValueError):
    """A search with more facet values than MAX_FILTER_VALUES; the message says how many and the cap."""

# Labels of a URI the record graph does not label (a vocabulary concept): {language: label}.
LabelLookup = Callable[[str], dict[str, str]]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
EDM = "http://www.europeana.eu/schemas/edm/"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
MUSENOR = "https://w3id.org/musenor/ns#"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    record_uri TEXT NOT NULL UNIQUE,
    identifier TEXT NOT NULL,
    museum TEXT NOT NULL,
    sort_title TEXT NOT NULL,
    summary TEXT NOT NULL             -- JSON: titles by language, creators, date, thumbnail... for result lists
);
CREATE INDEX IF NOT EXISTS documents_by_title ON documents (sort_title, id);
CREATE VIRTUAL TABLE IF NOT EXISTS documents_text USING fts5(
    title, creator, description, place, other,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS facets (
    facet TEXT NOT NULL, key TEXT NOT NULL, doc INTEGER NOT NULL,
    PRIMARY KEY (facet, key, doc)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS facets_by_doc ON facets (doc, facet, key);
CREATE TABLE IF NOT EXISTS facet_labels (
    facet TEXT NOT NULL, key TEXT NOT NULL, lang TEXT NOT NULL, label TEXT NOT NULL,
    PRIMARY KEY (facet, key, lang)
);
"""

# BM25 weights of the columns title, creator, description, place, other.
RANK = "bm25(documents_text, 10.0, 5.0, 1.0, 2.0, 1.0)"
_WORD = re.compile(r"\w+", re.UNICODE)
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
         "XVI", "XVII", "XVIII", "XIX", "XX", "XXI"]


def fold(text: str) -> str:
    """Text as the index sees it: ligatures spelt out (the tokenizer folds accents and case itself)."""
    return unicodedata.normalize("NFC", text).translate(_LIGATURES)


def fts_query(text: str) -> str | None:
    """A user's words as an FTS5 query of quoted terms (no operator of theirs gets through); None if empty."""
    terms = []
    for word in _WORD.findall(fold(text)):
        term = '"' + word.replace('"', '""') + '"'
        terms.append(term + "*" if len(word) >= 3 else term)
    return " AND ".join(terms) if terms else None


def century_of(year: int) -> int:
    """1850 -> 19, 1900 -> 19, 1901 -> 20; -450 -> -5 (there is no year 0 in the count of centuries)."""
    return (year - 1) // 100 + 1 if year > 0 else -((-year - 1) // 100 + 1)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def century_labels(century: int) -> dict[str, str]:
    if century < 0:
        return {"fr": f"{-century}e siècle av. J.-C.", "en": f"{_ordinal(-century)} century BCE"}
    roman = ROMAN[century] if century < len(ROMAN) else str(century)
    return {"fr": f"{roman}{'er' if century == 1 else 'e'} siècle", "en": f"{_ordinal(century)} century"}


def _year(text: str) -> int | None:
    match = re.match(r"^(-?\d{1,4})", text.strip())
    return int(match.group(1)) if match else None


@dataclass
class IndexedRecord:
    """What the index keeps of one record: searchable text, facet keys, labels and a summary for lists."""

    record_uri: str
    identifier: str
    museum: str
    text: dict[str, list[str]]
    facets: dict[str, list[str]]
    labels: dict[tuple[str, str], dict[str, str]]  # (facet, key) -> {lang: label}
    summary: dict[str, Any]

    @property
    def sort_title(self) -> str:
        titles = self.summary.get("title") or {}
        title = titles.get("fr") or next(iter(titles.values()), "")
        return unicodedata.normalize("NFKD", fold(title)).encode("ascii", "ignore").decode().lower().strip()


class _Terms:
    """Quads of one record graph, by subject and predicate."""

    def __init__(self, ntriples: str) -> None:
        self.by_subject: dict[str, dict[str, list[Any]]] = {}
        for quad in pyoxigraph.parse(ntriples.encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES):
            self.by_subject.setdefault(_value(quad.subject), {}).setdefault(quad.predicate.value, []).append(
                quad.object)

    def objects(self, subject: str, predicate: str) -> list[Any]:
        return self.by_subject.get(subject, {}).get(predicate, [])

    def subjects_of_type(self, type_uri: str) -> list[str]:
        return [s for s, props in self.by_subject.items()
                if any(_value(t) == type_uri for t in props.get(RDF_TYPE, []))]

    def labels(self, uri: str) -> dict[str, str]:
        found: dict[str, str] = {}
        for label in self.objects(uri, SKOS_PREF):
            if isinstance(label, pyoxigraph.Literal):
                found.setdefault(label.language or "", label.value)
        return found


def _value(term: Any) -> str:
    return term.value if hasattr(term, "value") else str(term)


def _by_language(literals: Iterable[Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for literal in literals:
        if isinstance(literal, pyoxigraph.Literal):
            found.setdefault(literal.language or "", literal.value)
    return found


def _pick(labels: dict[str, str], lang: str = "fr") -> str:
    for choice in (lang, "fr", "", "en"):
        if labels.get(choice):
            return labels[choice]
    return next(iter(labels.values()), "")


def index_record(identifier: str, record_uri: str, ntriples: str,
                 labels: LabelLookup | None = None) -> IndexedRecord:
    """Extract from a profile-shaped record graph (docs/profile.md) what search and result lists need."""
    terms = _Terms(ntriples)
    museum = identifier.split(":")[2] if identifier.count(":") >= 3 else ""
    chos = [_value(o) for o in terms.objects(record_uri, EDM + "aggregatedCHO")] or \
        terms.subjects_of_type(EDM + "ProvidedCHO")
    cho = chos[0] if chos else record_uri
    text: dict[str, list[str]] = {k: [] for k in ("title", "creator", "description", "place", "other")}
    facets: dict[str, list[str]] = {k: [] for k in FACETS}
    facet_labels: dict[tuple[str, str], dict[str, str]] = {}

    def label_of(term: Any) -> dict[str, str]:
        if isinstance(term, pyoxigraph.Literal):
            return {term.language or "": term.value}
        uri = _value(term)
        found = terms.labels(uri)
        if not found and labels is not None:
            found = labels(uri)
        return found or {"": uri.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")}

    def add_facet(facet: str, term: Any) -> dict[str, str]:
        key = _value(term)
        found = label_of(term)
        if key not in facets[facet]:
            facets[facet].append(key)
        facet_labels[(facet, key)] = found
        return found

    titles = _by_language(terms.objects(cho, DC + "title"))
    text["title"] += list(titles.values()) + [_value(t) for t in terms.objects(cho, DCTERMS + "alternative")]
    text["description"] += [_value(t) for t in terms.objects(cho, DC + "description")]
    creators = []
    for creator in terms.objects(cho, DC + "creator"):
        found = add_facet("creator", creator)
        text["creator"] += list(dict.fromkeys(found.values()))
        creators.append(found)
    places = list(terms.objects(cho, DCTERMS + "spatial"))
    for event in terms.objects(cho, EDM + "wasPresentAt"):
        places += terms.objects(_value(event), EDM + "happenedAt")
    for place in dict.fromkeys(places):  # a place both related and of the production event counts once
        text["place"] += list(dict.fromkeys(label_of(place).values()))
    types = []
    for object_type in terms.objects(cho, DC + "type"):
        found = add_facet("type", object_type)
        types.append(found)
        text["other"] += list(dict.fromkeys(found.values()))
    for material in terms.objects(cho, DCTERMS + "medium"):
        text["other"] += list(add_facet("material", material).values())
    for subject in terms.objects(cho, DC + "subject"):
        text["other"] += list(dict.fromkeys(label_of(subject).values()))
    text["other"] += [_value(t) for t in terms.objects(cho, DC + "identifier")]

    # The period facet is the century of a dated time-span; a museum's own period words ("XVIIIe siècle",
    # "premier quart du XVIIIe") are searchable and become facet values only for records with no date,
    # so that one century does not show twice under two spellings.
    named_periods = []
    for temporal in terms.objects(cho, DCTERMS + "temporal"):
        begin = terms.objects(_value(temporal), EDM + "begin")
        year = _year(_value(begin[0])) if begin else None
        if year is not None:
            key = f"century:{century_of(year)}"
            if key not in facets["period"]:
                facets["period"].append(key)
                facet_labels[("period", key)] = century_labels(century_of(year))
        else:
            named_periods.append(temporal)
            text["other"] += list(dict.fromkeys(label_of(temporal).values()))
    if not facets["period"]:
        for temporal in named_periods:
            add_facet("period", temporal)

    # the museum that sent the record, which is the data provider unless the record names another holder
    aggregation_museums = terms.objects(record_uri, EDM + "intermediateProvider") \
        or terms.objects(record_uri, EDM + "dataProvider")
    if museum:
        facets["museum"].append(museum)
        facet_labels[("museum", museum)] = terms.labels(_value(aggregation_museums[0])) \
            if aggregation_museums else {}
    # The hub's own thumbnail of the main image when it made one (docs/profile.md, edm:WebResource), else the
    # museum's thumbnail, else the image itself.
    images = [_value(t) for p in (EDM + "isShownBy", EDM + "object") for t in terms.objects(record_uri, p)]
    thumbnail = next((_value(t) for image in images for t in terms.objects(image, MUSENOR + "thumbnail")), None)
    if thumbnail is None:
        thumbnail = next((_value(t) for p in (EDM + "object", EDM + "isShownBy")
                          for t in terms.objects(record_uri, p)), None)
    summary = {
        "object_uri": cho, "title": titles, "creators": creators,
        "date": _by_language(terms.objects(cho, DCTERMS + "created")),
        "types": types, "thumbnail": thumbnail,
        "inventory": next((_value(t) for t in terms.objects(cho, DC + "identifier")), None),
    }
    return IndexedRecord(record_uri=record_uri, identifier=identifier, museum=museum, text=text, facets=facets,
                         labels=facet_labels, summary=summary)


@dataclass
class FacetValue:
    key: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchHit:
    record_uri: str
    identifier: str
    museum: str
    summary: dict[str, Any]


@dataclass
class SearchResults:
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    page: int = 1
    page_size: int = 20

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


class SearchIndex:
    """The FTS5 index in one SQLite file; thread-safe (one connection per thread, one writer at a time)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._counts: OrderedDict[tuple[Any, ...], tuple[int, dict[str, list[tuple[str, int]]]]] = OrderedDict()
        self.conn.executescript(SCHEMA)
        self.conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('applied_change_seq', '0')")

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self.conn
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def applied_change_seq(self) -> int:
        return int(self.conn.execute("SELECT value FROM meta WHERE key = 'applied_change_seq'").fetchone()[0])

    def sync(self, ledger: Ledger, labels: LabelLookup | None = None) -> int:
        """Apply every ledger change after the last one applied; returns how many were applied."""
        total = 0
        while True:
            applied = self.applied_change_seq()
            changes = ledger.changes_since(applied, limit=SYNC_BATCH)
            if not changes:
                return total
            indexed = [(c, self._index_or_skip(c, labels)) for c in changes]
            with self._transaction() as conn:
                if self.applied_change_seq() != applied:
                    continue  # another thread applied this batch meanwhile
                for change, record in indexed:
                    self._remove(conn, change.record_uri)
                    if record is not None:
                        self._insert(conn, record)
                conn.execute("UPDATE meta SET value = ? WHERE key = 'applied_change_seq'",
                             (str(changes[-1].change_seq),))
            total += len(changes)

    @staticmethod
    def _index_or_skip(change: Any, labels: LabelLookup | None) -> IndexedRecord | None:
        if not change.ntriples:
            return None
        try:
            return index_record(change.identifier, change.record_uri, change.ntriples, labels)
        except (SyntaxError, ValueError) as exc:
            # One unreadable graph must not stop the index at its change forever: leave it out, say so.
            logger.warning("search index: record %s left out: %s", change.record_uri, exc)
            return None

    def rebuild(self, ledger: Ledger, labels: LabelLookup | None = None) -> int:
        with self._transaction() as conn:
            for table in ("documents", "documents_text", "facets", "facet_labels"):
                conn.execute(f"DELETE FROM {table}")
            conn.execute("UPDATE meta SET value = '0' WHERE key = 'applied_change_seq'")
        return self.sync(ledger, labels)

    def _remove(self, conn: sqlite3.Connection, record_uri: str) -> None:
        row = conn.execute("SELECT id FROM documents WHERE record_uri = ?", (record_uri,)).fetchone()
        if row is None:
            return
        conn.execute("DELETE FROM documents WHERE id = ?", row)
        conn.execute("DELETE FROM documents_text WHERE rowid = ?", row)
        conn.execute("DELETE FROM facets WHERE doc = ?", row)

    def _insert(self, conn: sqlite3.Connection, record: IndexedRecord) -> None:
        cursor = conn.execute(
            "INSERT INTO documents (record_uri, identifier, museum, sort_title, summary) VALUES (?, ?, ?, ?, ?)",
            (record.record_uri, record.identifier, record.museum, record.sort_title,
             json.dumps(record.summary, ensure_ascii=False)))
        doc = cursor.lastrowid
        conn.execute("INSERT INTO documents_text (rowid, title, creator, description, place, other) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     (doc, *(fold("\n".join(record.text[c])) for c in
                             ("title", "creator", "description", "place", "other"))))
        conn.executemany("INSERT OR IGNORE INTO facets (facet, key, doc) VALUES (?, ?, ?)",
                         [(facet, key, doc) for facet, keys in record.facets.items() for key in keys])
        conn.executemany("INSERT OR REPLACE INTO facet_labels (facet, key, lang, label) VALUES (?, ?, ?, ?)",
                         [(facet, key, lang, label) for (facet, key), found in record.labels.items()
                          for lang, label in found.items() if label])

    # -- reading ---------------------------------------------------------------------------------

    def count(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    def documents(self, record_uris: list[str]) -> list[SearchHit]:
        """The indexed records of these URIs, in the order given (unknown ones left out)."""
        if not record_uris:
            return []
        marks = ",".join("?" * len(record_uris))
        rows = {r[0]: r for r in self.conn.execute(
            f"SELECT record_uri, identifier, museum, summary FROM documents WHERE record_uri IN ({marks})",
            record_uris)}
        return [SearchHit(r[0], r[1], r[2], json.loads(r[3])) for uri in record_uris if (r := rows.get(uri))]

    def facet_label(self, facet: str, key: str, lang: str = "fr") -> str:
        found = dict(self.conn.execute("SELECT lang, label FROM facet_labels WHERE facet = ? AND key = ?",
                                       (facet, key)).fetchall())
        return _pick(found, lang) or key

    def search(self, text: str = "", filters: dict[str, list[str]] | None = None, *, page: int = 1,
               page_size: int = 20, lang: str = "fr", facet_limit: int = 12) -> SearchResults:
        """Ranked hits for ``text`` within ``filters`` ({facet: [keys]}, AND across and within facets)."""
        # A value given twice is the same filter (AND is idempotent): counted and queried once.
        filters = {f: list(dict.fromkeys(k for k in keys if k)) for f, keys in (filters or {}).items() if f in FACETS}
        asked = sum(len(keys) for keys in filters.values())
        if asked > MAX_FILTER_VALUES:
            raise TooManyFilters(f"{asked} facet values selected; a search takes at most {MAX_FILTER_VALUES}")
        match = fts_query(text)
        clauses, args = [], []
        if match:
            clauses.append("d.id IN (SELECT rowid FROM documents_text WHERE documents_text MATCH ?)")
            args.append(match)
        for facet, keys in filters.items():
            for key in keys:
                clauses.append("d.id IN (SELECT doc FROM facets WHERE facet = ? AND key = ?)")
                args += [facet, key]
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        conn = self.conn
        # Counts depend only on the words, the filters and the index version: popular pages (the first search
        # page, a museum's works) are counted once per change of the index, not on every page turn.
        cache_key = (self.applied_change_seq(), match, tuple(sorted((f, tuple(k)) for f, k in filters.items())),
                     facet_limit)
        with self._cache_lock:
            cached = self._counts.get(cache_key)
        if cached is None:
            cached = self._count(conn, where, args, facet_limit)
            with self._cache_lock:
                self._counts[cache_key] = cached
                while len(self._counts) > COUNT_CACHE_SIZE:
                    self._counts.popitem(last=False)
        total, counted_by_facet = cached
        page = max(1, page)
        offset = (page - 1) * page_size
        if match:
            rows = conn.execute(
                f"SELECT d.record_uri, d.identifier, d.museum, d.summary FROM documents_text "
                f"JOIN documents d ON d.id = documents_text.rowid{where} AND documents_text MATCH ? "
                f"ORDER BY {RANK}, d.sort_title LIMIT ? OFFSET ?", [*args, match, page_size, offset]).fetchall()
        else:
            rows = conn.execute(f"SELECT d.record_uri, d.identifier, d.museum, d.summary FROM documents d{where} "
                                f"ORDER BY d.sort_title, d.id LIMIT ? OFFSET ?",
                                [*args, page_size, offset]).fetchall()
        hits = [SearchHit(r[0], r[1], r[2], json.loads(r[3])) for r in rows]
        facets = {}
        for facet in FACETS:
            counted = counted_by_facet[facet]
            selected = set(filters.get(facet, []))
            values = [FacetValue(key, self.facet_label(facet, key, lang), n, key in selected) for key, n in counted]
            for key in selected - {v.key for v in values}:
                values.insert(0, FacetValue(key, self.facet_label(facet, key, lang), 0, True))
            facets[facet] = values
        return SearchResults(total=total, hits=hits, facets=facets, page=page, page_size=page_size)

    def _count(self, conn: sqlite3.Connection, where: str, args: list[Any],
               facet_limit: int) -> tuple[int, dict[str, list[tuple[str, int]]]]:
        total = conn.execute(f"SELECT COUNT(*) FROM documents d{where}", args).fetchone()[0]
        # One pass over the hits for every facet (the subquery is evaluated once), top values picked here.
        if where:
            rows = conn.execute(f"SELECT f.facet, f.key, COUNT(*) FROM facets f WHERE f.doc IN "
                                f"(SELECT d.id FROM documents d{where}) GROUP BY f.facet, f.key", args).fetchall()
        else:
            rows = conn.execute("SELECT facet, key, COUNT(*) FROM facets GROUP BY facet, key").fetchall()
        by_facet: dict[str, list[tuple[str, int]]] = {facet: [] for facet in FACETS}
        for facet, key, n in rows:
            if facet in by_facet:
                by_facet[facet].append((key, n))
        return total, {facet: sorted(values, key=lambda v: (-v[1], v[0]))[:facet_limit]
                       for facet, values in by_facet.items()}

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


_indexes: dict[Path, SearchIndex] = {}
_indexes_lock = threading.Lock()


def search_index(catalogue: Catalogue) -> SearchIndex:
    """The search index of a catalogue (one per data directory and process)."""
    path = (catalogue.data_dir / SEARCH_FILE).resolve()
    with _indexes_lock:
        if path not in _indexes:
            _indexes[path] = SearchIndex(path)
        return _indexes[path]


def sync_search(catalogue: Catalogue, labels: LabelLookup | None = None) -> int:
    """Bring the catalogue's search index up to the ledger; cheap when nothing changed."""
    index = search_index(catalogue)
    if index.applied_change_seq() >= catalogue.ledger.last_change_seq():
        return 0
    return index.sync(catalogue.ledger, labels)


def rebuild_search(catalogue: Catalogue, labels: LabelLookup | None = None) -> int:
    return search_index(catalogue).rebuild(catalogue.ledger, labels)
