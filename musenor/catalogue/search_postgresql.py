"""The search index in PostgreSQL (``[hub] search = "postgresql://…"``): full-text search that scales with the
PostgreSQL ledger and is shared by every ``musenor serve`` in front of it.

The same index as the embedded one (``search.py``): what a record gives the index (``index_record``: words,
years, facet keys and labels, the summary for result lists) and the reader's syntax (``search_query``) are
shared; only the engine differs. PostgreSQL's own full-text search does the matching: each record's words in a
``tsvector`` with a GIN index, stemmed by PostgreSQL's Snowball French and English stemmers — the algorithms
PyStemmer runs for the embedded index — in two text search configurations of our own without stop words,
so that a query means the same on both engines ("portrait de femme" needs "de" in both). Words reach
PostgreSQL already folded and split by ``search_query.words``, so accents, ligatures and inventory numbers
("P.1799.1") are handled once, the same way, and PostgreSQL's parser sees plain words only.

Columns are weighted as the embedded BM25 weights them (title A, creator B, place C, description and the rest
D) and ranked by ``ts_rank_cd``. Facets are (facet, key, doc) rows, counted per search over the hits, and the
unfiltered catalogue's counts are computed at each sync. Concurrent servers may sync at once: the applied
change is read ``FOR UPDATE`` in the transaction that applies a batch, so each batch is applied once.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg_pool import ConnectionPool

from musenor.catalogue import search as embedded
from musenor.catalogue import search_query
from musenor.catalogue.search import (COUNT_CACHE_SIZE, ENTITY_NO_YEAR, FACETS, ROLE,
                                      SORTS, SYNC_BATCH, TEXT_COLUMNS, IndexedRecord, LabelLookup,
                                      SearchHit, SearchIndex, SearchResults, _pick)
from musenor.catalogue.search_query import LANGUAGES, Term

if TYPE_CHECKING:
    from musenor.catalogue.ledger import Ledger

SCHEMA_VERSION = "2"  # entity_works: the works an entity page lists
SCHEMA_LOCK = 0x4D75_5365_6E6F_7203  # advisory lock of concurrent first starts (see ledger_postgresql's keys)
CONFIGS = {"fr": ("musenor_fr", "musenor_french", "french"), "en": ("musenor_en", "musenor_english", "english")}
# The token types PostgreSQL's parser finds in folded words: letters, letters and digits, and their hyphenated
# forms (numbers alone stay as they are, as the embedded stemmers leave them).
WORD_TOKENS = "asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart"
WEIGHTS = {"title": "A", "creator": "B", "place": "C", "description": "D", "other": "D"}
RANK_WEIGHTS = "'{0.1, 0.2, 0.5, 1.0}'"  # D, C, B, A: the embedded BM25 weights' order (1, 2, 5, 10)
KEY = 'TEXT COLLATE "C"'  # byte order, as SQLite sorts and compares: the same pages on both engines

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS search_documents (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_uri {KEY} NOT NULL UNIQUE, identifier TEXT NOT NULL, museum TEXT NOT NULL,
    sort_title {KEY} NOT NULL, sort_museum {KEY} NOT NULL, year_from INTEGER, year_to INTEGER,
    has_image BOOLEAN NOT NULL, summary TEXT NOT NULL, words TSVECTOR NOT NULL
);
CREATE INDEX IF NOT EXISTS search_documents_words ON search_documents USING GIN (words);
CREATE INDEX IF NOT EXISTS search_documents_by_title ON search_documents (sort_title, id);
CREATE INDEX IF NOT EXISTS search_documents_by_year ON search_documents (year_from, id);
CREATE INDEX IF NOT EXISTS search_documents_by_museum ON search_documents (sort_museum, sort_title, id);
CREATE TABLE IF NOT EXISTS search_facets (facet {KEY} NOT NULL, key {KEY} NOT NULL, doc BIGINT NOT NULL,
                                          PRIMARY KEY (facet, key, doc));
CREATE INDEX IF NOT EXISTS search_facets_by_doc ON search_facets (doc, facet, key);
CREATE TABLE IF NOT EXISTS search_facet_labels (facet {KEY} NOT NULL, key {KEY} NOT NULL, lang TEXT NOT NULL,
                                                label TEXT NOT NULL, PRIMARY KEY (facet, key, lang));
CREATE TABLE IF NOT EXISTS search_facet_aliases (facet {KEY} NOT NULL, alias {KEY} NOT NULL, key {KEY} NOT NULL,
                                                 PRIMARY KEY (facet, alias));
CREATE TABLE IF NOT EXISTS search_facet_uris (facet {KEY} NOT NULL, key {KEY} NOT NULL, uri TEXT NOT NULL,
                                              PRIMARY KEY (facet, key));
CREATE TABLE IF NOT EXISTS search_entity_works (uri {KEY} NOT NULL, relation {KEY} NOT NULL, doc BIGINT NOT NULL,
                                               sort_year INTEGER NOT NULL, sort_title {KEY} NOT NULL,
                                               PRIMARY KEY (uri, relation, doc));
CREATE INDEX IF NOT EXISTS search_entity_works_by_doc ON search_entity_works (doc);
CREATE INDEX IF NOT EXISTS search_entity_works_in_order ON search_entity_works (uri, sort_year, sort_title, doc,
                                                                               relation);
CREATE TABLE IF NOT EXISTS search_facet_totals (facet {KEY} NOT NULL, key {KEY} NOT NULL, count BIGINT NOT NULL,
                                                PRIMARY KEY (facet, key));
"""
TABLES = ("search_documents", "search_facets", "search_facet_labels", "search_facet_aliases", "search_facet_uris",
          "search_facet_totals", "search_entity_works")


def _configurations() -> str:
    statements = []
    for config, dictionary, language in CONFIGS.values():
        statements.append(f"""
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = '{dictionary}') THEN
    CREATE TEXT SEARCH DICTIONARY {dictionary} (TEMPLATE = snowball, Language = {language});
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{config}') THEN
    CREATE TEXT SEARCH CONFIGURATION {config} (COPY = simple);
    ALTER TEXT SEARCH CONFIGURATION {config} ALTER MAPPING FOR {WORD_TOKENS} WITH {dictionary};
  END IF;
END $$;""")
    return "\n".join(statements)


def _plain(text_lines: list[str]) -> str:
    """A column's text as PostgreSQL gets it: the folded words, space-separated (see the module's docstring)."""
    return " ".join(search_query.words("\n".join(text_lines)))


def _term_sql(term: Term) -> tuple[str, list[str]]:
    """A term as a tsquery over either language: its stems in French OR in English (as the embedded index
    matches the French columns with French stems or the English ones with English stems)."""
    # Folded words are letters and digits only: nothing in them is tsquery syntax.
    text = " <-> ".join(term.words) + (":*" if term.prefix else "")
    parts = [f"to_tsquery('{CONFIGS[lang][0]}', %s)" for lang in LANGUAGES]
    return "(" + " || ".join(parts) + ")", [text] * len(LANGUAGES)


def _tsquery(query: search_query.ParsedQuery) -> tuple[str | None, list[str], str | None, list[str]]:
    """(match, its parameters, exclusion, its parameters): groups ANDed, terms of a group ORed."""
    match, match_args = None, []
    if query.groups:
        groups = []
        for group in query.groups:
            terms = [_term_sql(t) for t in group]
            groups.append("(" + " || ".join(sql for sql, _ in terms) + ")")
            match_args += [a for _, args in terms for a in args]
        match = " && ".join(groups)
    exclusion, exclusion_args = None, []
    if query.excluded:
        terms = [_term_sql(t) for t in query.excluded]
        exclusion = " || ".join(sql for sql, _ in terms)
        exclusion_args = [a for _, args in terms for a in args]
    return match, match_args, exclusion, exclusion_args


class PostgresSearchIndex:
    """The search index in a PostgreSQL database; thread-safe (pooled connections)."""

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = url
        try:  # one plain connection first: the pool would hide why it cannot connect behind a timeout
            psycopg.connect(url, connect_timeout=10).close()
        except psycopg.OperationalError as exc:
            raise RuntimeError(f"search index {url}: cannot connect: {exc}".strip()) from exc
        self._pool = ConnectionPool(url, min_size=1, max_size=pool_size, open=True, kwargs={"autocommit": True})
        self._cache_lock = threading.Lock()
        self._counts: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._create()

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        with self._pool.connection() as conn:
            yield conn

    @contextmanager
    def _transaction(self) -> Iterator[psycopg.Connection[Any]]:
        with self._pool.connection() as conn, conn.transaction():
            yield conn

    def _create(self) -> None:
        with self._transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            row = conn.execute("SELECT to_regclass('search_meta')").fetchone()
            if row and row[0]:
                version = conn.execute("SELECT value FROM search_meta WHERE key = 'schema_version'").fetchone()
                if version and version[0] == SCHEMA_VERSION:
                    return
                # Derived data of another layout: dropped, the next sync rebuilds it from the ledger.
                conn.execute("DROP TABLE IF EXISTS search_meta, " + ", ".join(TABLES))
            conn.execute(_configurations())
            conn.execute(SCHEMA)
            conn.execute("INSERT INTO search_meta (key, value) VALUES ('applied_change_seq', '0'), "
                         "('schema_version', %s) ON CONFLICT (key) DO NOTHING", (SCHEMA_VERSION,))

    # -- writing ------------------------------------------------------------------------------------------

    def applied_change_seq(self) -> int:
        with self._connection() as conn:
            row = conn.execute("SELECT value FROM search_meta WHERE key = 'applied_change_seq'").fetchone()
        return int(row[0])

    def sync(self, ledger: Ledger, labels: LabelLookup | None = None) -> int:
        """Apply the ledger changes made before the sync began that no server has applied; returns how many
        this call applied."""
        total = 0
        # The target is the ledger's last change when the sync begins: a server catching up in a request
        # while a harvest keeps publishing applies what was there, and answers; it never chases the harvest.
        target = ledger.last_change_seq()
        while True:
            applied = self.applied_change_seq()
            if applied >= target:
                break
            changes = [c for c in ledger.changes_since(applied, limit=SYNC_BATCH) if c.change_seq <= target]
            if not changes:
                break
            indexed = [(c, SearchIndex._index_or_skip(c, labels)) for c in changes]
            with self._transaction() as conn:
                row = conn.execute("SELECT value FROM search_meta WHERE key = 'applied_change_seq' "
                                   "FOR UPDATE").fetchone()
                if int(row[0]) != applied:
                    continue  # another server applied this batch meanwhile
                self._remove(conn, [change.record_uri for change, _ in indexed])
                self._insert(conn, [record for _, record in indexed if record is not None])
                conn.execute("UPDATE search_meta SET value = %s WHERE key = 'applied_change_seq'",
                             (str(changes[-1].change_seq),))
            total += len(changes)
        if total or not self.published():
            with self._transaction() as conn:
                # Servers finishing their syncs at once recount one after the other (two concurrent recounts
                # would both insert the same totals): the applied change's row is the lock, as for a batch.
                seq, counted = conn.execute(
                    "SELECT a.value, t.value FROM search_meta a LEFT JOIN search_meta t ON t.key = 'totals_seq' "
                    "WHERE a.key = 'applied_change_seq' FOR UPDATE OF a").fetchone()  # type: ignore[misc]
                if seq == counted:
                    return total  # another server counted this state meanwhile
                conn.execute("DELETE FROM search_facet_totals")
                conn.execute("INSERT INTO search_facet_totals (facet, key, count) "
                             "SELECT facet, key, COUNT(*) FROM search_facets GROUP BY facet, key")
                conn.execute("INSERT INTO search_meta (key, value) SELECT 'totals_seq', value FROM search_meta "
                             "WHERE key = 'applied_change_seq' ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        return total

    def published(self) -> bool:
        """Whether the unfiltered counts were computed for the changes applied (a sync can be cut between its
        last batch and them)."""
        with self._connection() as conn:
            rows = dict(conn.execute("SELECT key, value FROM search_meta WHERE key IN "
                                     "('applied_change_seq', 'totals_seq')").fetchall())
        return rows.get("totals_seq") == rows.get("applied_change_seq")

    def rebuild(self, ledger: Ledger, labels: LabelLookup | None = None) -> int:
        with self._transaction() as conn:
            conn.execute("TRUNCATE " + ", ".join(TABLES))
            conn.execute("UPDATE search_meta SET value = '0' WHERE key = 'applied_change_seq'")
        return self.sync(ledger, labels)

    @staticmethod
    def _remove(conn: psycopg.Connection[Any], record_uris: list[str]) -> None:
        for table in ("search_facets", "search_entity_works"):
            conn.execute(f"DELETE FROM {table} WHERE doc IN (SELECT id FROM search_documents "
                         "WHERE record_uri = ANY(%s))", (record_uris,))
        conn.execute("DELETE FROM search_documents WHERE record_uri = ANY(%s)", (record_uris,))

    @staticmethod
    def _insert(conn: psycopg.Connection[Any], records: list[IndexedRecord]) -> None:
        vector = " || ".join(f"setweight(to_tsvector('{CONFIGS[lang][0]}', %s), '{WEIGHTS[column]}')"
                             for lang in LANGUAGES for column in TEXT_COLUMNS)
        with conn.cursor() as cursor:
            for record in records:
                low, high = record.years or (None, None)
                words = [_plain(record.text[column]) for _ in LANGUAGES for column in TEXT_COLUMNS]
                cursor.execute(
                    "INSERT INTO search_documents (record_uri, identifier, museum, sort_title, sort_museum, "
                    f"year_from, year_to, has_image, summary, words) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, "
                    f"{vector}) RETURNING id",
                    (record.record_uri, record.identifier, record.museum, record.sort_title, record.sort_museum,
                     low, high, bool(record.summary.get("thumbnail") or record.summary.get("image")),
                     json.dumps(record.summary, ensure_ascii=False), *words))
                doc = cursor.fetchone()[0]  # type: ignore[index]
                cursor.executemany("INSERT INTO search_facets (facet, key, doc) VALUES (%s, %s, %s) "
                                   "ON CONFLICT DO NOTHING",
                                   [(facet, key, doc) for facet, keys in record.facets.items() for key in keys])
                cursor.executemany(
                    "INSERT INTO search_facet_labels (facet, key, lang, label) VALUES (%s, %s, %s, %s) "
                    "ON CONFLICT (facet, key, lang) DO UPDATE SET label = excluded.label",
                    [(facet, key, lang, label) for (facet, key), found in record.labels.items()
                     for lang, label in found.items() if label])
                cursor.executemany(
                    "INSERT INTO search_facet_aliases (facet, alias, key) VALUES (%s, %s, %s) "
                    "ON CONFLICT (facet, alias) DO UPDATE SET key = excluded.key",
                    [(facet, alias, key) for (facet, alias), key in record.aliases.items() if alias != key])
                cursor.executemany(
                    "INSERT INTO search_facet_uris (facet, key, uri) VALUES (%s, %s, %s) "
                    "ON CONFLICT (facet, key) DO UPDATE SET uri = excluded.uri",
                    [(facet, key, uri) for (facet, key), uri in record.uris.items()])
                year = low if low is not None else ENTITY_NO_YEAR
                cursor.executemany(
                    "INSERT INTO search_entity_works (uri, relation, doc, sort_year, sort_title) "
                    "VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    [(uri, relation, doc, year, record.sort_title) for uri, relations in record.entities.items()
                     for relation in relations])

    # -- reading ------------------------------------------------------------------------------------------

    def count(self) -> int:
        with self._connection() as conn:
            return conn.execute("SELECT COUNT(*) FROM search_documents").fetchone()[0]  # type: ignore[index]

    def documents(self, record_uris: list[str]) -> list[SearchHit]:
        """The indexed records of these URIs, in the order given (unknown ones left out)."""
        if not record_uris:
            return []
        with self._connection() as conn:
            rows = {r[0]: r for r in conn.execute("SELECT record_uri, identifier, museum, summary FROM "
                                                  "search_documents WHERE record_uri = ANY(%s)", (record_uris,))}
        return [SearchHit(r[0], r[1], r[2], json.loads(r[3])) for uri in record_uris if (r := rows.get(uri))]

    def entity_works(self, uris: list[str], relations: Iterable[str] | None = None, *,
                     unless: Iterable[str] = (), limit: int = 60) -> tuple[int, list[SearchHit]]:
        """As ``SearchIndex.entity_works``: how many works relate to ``uris``, and the first ``limit``."""
        uris = list(dict.fromkeys(uris))
        if not uris:
            return 0, []
        where, args = "e.uri = ANY(%s)", [uris]
        if relations is not None:
            relations = list(relations)
            if not relations:
                return 0, []
            where += " AND e.relation = ANY(%s)"
            args.append(relations)
        unless = list(unless)
        if unless:
            where += " AND e.doc NOT IN (SELECT doc FROM search_entity_works WHERE uri = ANY(%s) AND relation = ANY(%s))"
            args += [uris, unless]
        cache_key = (self.applied_change_seq(), "entity_works", where, repr(args))
        with self._cache_lock:
            total = self._counts.get(cache_key)
        with self._connection() as conn:
            if total is None:
                total = conn.execute(f"SELECT COUNT(DISTINCT e.doc) FROM search_entity_works e WHERE {where}",
                                     args).fetchone()[0]  # type: ignore[index]
                with self._cache_lock:
                    self._counts[cache_key] = total
                    while len(self._counts) > COUNT_CACHE_SIZE:
                        self._counts.popitem(last=False)
            docs = [r[2] for r in conn.execute(
                f"SELECT DISTINCT e.sort_year, e.sort_title, e.doc FROM search_entity_works e WHERE {where} "
                f"ORDER BY e.sort_year, e.sort_title, e.doc LIMIT %s", [*args, limit])]
            rows = {r[0]: r for r in conn.execute(
                "SELECT id, record_uri, identifier, museum, summary FROM search_documents WHERE id = ANY(%s)",
                (docs,))} if docs else {}
        return total, [SearchHit(r[1], r[2], r[3], json.loads(r[4])) for doc in docs if (r := rows.get(doc))]

    def entity_roles(self, uris: list[str], lang: str = "fr") -> list[str]:
        """The roles an agent took in the indexed works, in ``lang`` where labelled."""
        uris = list(dict.fromkeys(uris))
        if not uris:
            return []
        with self._connection() as conn:
            keys = [r[0].removeprefix(ROLE) for r in conn.execute(
                "SELECT DISTINCT relation FROM search_entity_works WHERE uri = ANY(%s) AND relation LIKE 'role:%%' "
                "ORDER BY relation", (uris,))]
        return sorted(set(self.facet_labels("role", keys, lang).values()), key=embedded.fold)

    def facet_label(self, facet: str, key: str, lang: str = "fr") -> str:
        return self.facet_labels(facet, [key], lang).get(key, key)

    def facet_labels(self, facet: str, keys: list[str], lang: str = "fr") -> dict[str, str]:
        found: dict[str, dict[str, str]] = {}
        with self._connection() as conn:
            for key, label_lang, label in conn.execute(
                    "SELECT key, lang, label FROM search_facet_labels WHERE facet = %s AND key = ANY(%s)",
                    (facet, keys)):
                found.setdefault(key, {})[label_lang] = label
        return {key: _pick(found.get(key, {}), lang) or key for key in keys}

    def facet_uri(self, facet: str, key: str) -> str | None:
        with self._connection() as conn:
            row = conn.execute("SELECT uri FROM search_facet_uris WHERE facet = %s AND key = %s",
                               (facet, key)).fetchone()
        return row[0] if row else None

    def resolve_keys(self, facet: str, keys: list[str]) -> list[str]:
        """Filter keys as readers' links carry them (a full URI, a merged concept's key) -> the filed keys."""
        with self._connection() as conn:
            aliases = dict(conn.execute("SELECT alias, key FROM search_facet_aliases WHERE facet = %s "
                                        "AND alias = ANY(%s)", (facet, keys)).fetchall())
        return list(dict.fromkeys(aliases.get(key, key) for key in keys))

    def search(self, text: str = "", filters: dict[str, list[str]] | None = None, *, page: int = 1,
               page_size: int = 20, lang: str = "fr", facet_limit: int | None = None, sort: str | None = None,
               year_from: int | None = None, year_to: int | None = None, with_images: bool = False,
               expand: Any = ()) -> SearchResults:
        """As ``SearchIndex.search``: the same parameters, answers and facet counts."""
        filters = embedded.chosen_filters(filters, self.resolve_keys)
        match, match_args, exclusion, exclusion_args = _tsquery(search_query.parse(text))
        sort = sort if sort in SORTS else ("relevance" if match else "title")
        if sort == "relevance" and not match:
            sort = "title"
        base: list[tuple[str, list[Any]]] = []
        if match:
            base.append((f"d.words @@ ({match})", match_args))
        if exclusion:
            base.append((f"NOT (d.words @@ ({exclusion}))", exclusion_args))
        if year_from is not None:
            base.append(("d.year_to >= %s", [year_from]))
        if year_to is not None:
            base.append(("d.year_from <= %s", [year_to]))
        if with_images:
            base.append(("d.has_image", []))
        by_facet = {facet: ("d.id IN (SELECT doc FROM search_facets WHERE facet = %s AND key = ANY(%s))",
                            [facet, keys]) for facet, keys in filters.items()}
        total, counted_by_facet = self._counts_of(base, by_facet, (text, sorted(filters.items()), year_from,
                                                                   year_to, with_images))
        page = max(1, page)
        offset = (page - 1) * page_size
        hits = self._page(base, by_facet, match, match_args, sort, page_size, offset) if offset < total else []
        expand = frozenset(f for f in expand if f in FACETS)
        sizes = {facet: len(counted_by_facet[facet]) for facet in FACETS}
        facets = embedded.facet_values(counted_by_facet, filters, expand, facet_limit,
                                       lambda facet, keys: self.facet_labels(facet, keys, lang))
        return SearchResults(total=total, hits=hits, facets=facets, page=page, page_size=page_size, sort=sort,
                             facet_sizes=sizes)

    @staticmethod
    def _where(base: list[tuple[str, list[Any]]], by_facet: dict[str, tuple[str, list[Any]]],
               without: str | None = None) -> tuple[str, list[Any]]:
        parts = base + [clause for facet, clause in by_facet.items() if facet != without]
        if not parts:
            return "", []
        return " WHERE " + " AND ".join(p[0] for p in parts), [a for p in parts for a in p[1]]

    def _page(self, base: list[tuple[str, list[Any]]], by_facet: dict[str, tuple[str, list[Any]]],
              match: str | None, match_args: list[str], sort: str, page_size: int, offset: int) -> list[SearchHit]:
        clauses, args = self._where(base, by_facet)
        order = {"title": "d.sort_title, d.id", "museum": "d.sort_museum, d.sort_title, d.id",
                 "date": "d.year_from IS NULL, d.year_from, d.sort_title, d.id",
                 "-date": "d.year_to IS NULL, d.year_to DESC, d.sort_title, d.id"}
        if sort == "relevance" and match:
            order_sql, order_args = f"ts_rank_cd({RANK_WEIGHTS}, d.words, ({match})) DESC, d.sort_title, d.id", \
                match_args
        else:
            order_sql, order_args = order[sort], []
        with self._connection() as conn:
            rows = conn.execute(f"SELECT d.record_uri, d.identifier, d.museum, d.summary FROM search_documents d"
                                f"{clauses} ORDER BY {order_sql} LIMIT %s OFFSET %s",
                                [*args, *order_args, page_size, offset]).fetchall()
        return [SearchHit(r[0], r[1], r[2], json.loads(r[3])) for r in rows]

    def _counts_of(self, base: list[tuple[str, list[Any]]], by_facet: dict[str, tuple[str, list[Any]]],
                   key: Any) -> tuple[int, dict[str, list[tuple[str, int]]]]:
        # Counted once per change of the index, as the embedded index does: page turns read the cache.
        cache_key = (self.applied_change_seq(), repr(key))
        with self._cache_lock:
            cached = self._counts.get(cache_key)
        if cached is None:
            cached = self._count(base, by_facet)
            with self._cache_lock:
                self._counts[cache_key] = cached
                while len(self._counts) > COUNT_CACHE_SIZE:
                    self._counts.popitem(last=False)
        return cached

    def _count(self, base: list[tuple[str, list[Any]]],
               by_facet: dict[str, tuple[str, list[Any]]]) -> tuple[int, dict[str, list[tuple[str, int]]]]:
        by_facet_counts: dict[str, list[tuple[str, int]]] = {facet: [] for facet in FACETS}
        unfiltered = [f for f in FACETS if f not in by_facet]
        passes = [(f, [f]) for f in by_facet] + ([(None, unfiltered)] if unfiltered else [])
        with self._connection() as conn:
            clauses, args = self._where(base, by_facet)
            total = conn.execute(f"SELECT COUNT(*) FROM search_documents d{clauses}", args).fetchone()[0]  # type: ignore[index]
            for without, facets in passes:
                clauses, args = self._where(base, by_facet, without)
                if clauses:
                    rows = conn.execute(f"SELECT f.facet, f.key, COUNT(*) FROM (SELECT d.id FROM search_documents d"
                                        f"{clauses}) h JOIN search_facets f ON f.doc = h.id "
                                        f"WHERE f.facet = ANY(%s) GROUP BY f.facet, f.key", [*args, facets]).fetchall()
                else:
                    rows = conn.execute("SELECT facet, key, count FROM search_facet_totals WHERE facet = ANY(%s)",
                                        (facets,)).fetchall()
                for facet, key, n in rows:
                    by_facet_counts[facet].append((key, n))
        return total, {facet: sorted(values, key=lambda v: (-v[1], v[0]))
                       for facet, values in by_facet_counts.items()}

    def close(self) -> None:
        self._pool.close()
