"""The full-text search index behind the public catalogue pages and ``/api/search``: SQLite FTS5, derived
from the ledger.

Like the graph store, the index replays ``ledger.changes_since(seq)`` and can be rebuilt from the ledger
alone (``rebuild_search``). It lives in its own file (``search.sqlite3`` beside the ledger) so that a rebuild
never touches the source of truth.

Text is folded (case, accents, ligatures) and stemmed in French and in English (``search_query``), so
"portraits" finds "portrait" and "eglise" finds "Églises"; the reader's syntax (phrases, OR, exclusion) is
parsed there too. Indexed: titles, creators, the museum's name and city, inventory numbers, dates and
years, places, types, materials, techniques, subjects, periods and descriptions.

Facets (museum, object type, creator, period, material) are kept in a table of (document, facet, key):
a record has several creators or materials. One meaning is one value: a concept is filed under the
representative of its ``skos:exactMatch`` cluster, and a museum's free-text value ("huile sur toile") under
the vocabulary concept of that label when there is exactly one. Keys are short (``object-type/peinture``,
``century:19``) so that URLs stay readable; ``facet_aliases`` resolves a full URI or the key of a merged
concept to the value it was filed under. The period facet is the century of the production time-span
(``century:19``), so that "1850", "vers 1850" and "1850/1899" meet; ``from``/``to`` filter by year.

Within a facet values are ORed, across facets ANDed; the counts of a facet are those under every other
filter (so that choosing a second value shows how many it adds). Everything a request needs is computed at
publish: stems, years, facet keys and labels, the counts of the unfiltered catalogue, and the arrays
(``search_arrays``) every search filters, counts and sorts with, and the postings of every stem and run of
two or three stems (``search_words``) that find and rank its words with FTS5's own bm25(), so that a request
reads the blocks of its words and its page's rows, and counts nothing in SQL. FTS5 remains for phrases of four
words or more and for the SQL path a search takes while a sync is half done.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import chain
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

import numpy as np
import pyoxigraph

from musenor.catalogue import search_arrays, search_query, search_words
from musenor.catalogue.search_query import LANGUAGES

if TYPE_CHECKING:
    from musenor.catalogue import Catalogue
    from musenor.catalogue.ledger import Ledger

logger = logging.getLogger(__name__)

SEARCH_FILE = "search.sqlite3"
SYNC_BATCH = 500
# Catching up with a long backlog (a rebuild, a first harvest of a museum): a postings block's worth of
# documents a transaction, so that each word's block is written about once instead of appended to eight
# times, each append rewriting the whole block (a profile of a 300,000-record rebuild: 27% in those appends).
BULK_BATCH = 1 << search_words.BLOCK_BITS
COUNT_CACHE_SIZE = 256
FACETS = ("museum", "type", "creator", "period", "material")
# A reader never ticks more than a handful of values; each is a lookup and a bound parameter. The cap is on
# the whole query, all facets together.
MAX_FILTER_VALUES = 50


class TooManyFilters(ValueError):
    """A search with more facet values than MAX_FILTER_VALUES; the message says how many and the cap."""


# total, {facet: [(key, count)] by count then key}, {facet: how many values}
Counts = tuple[int, dict[str, list[tuple[str, int]]], dict[str, int]]
SORTS = ("relevance", "title", "date", "-date", "museum")
FACET_LIMIT = 12      # values shown before "show all"
FACET_ALL_LIMIT = 1000
TEXT_COLUMNS = ("title", "creator", "description", "place", "other")
# BM25 weights of those columns (the same for the French and the English copy).
COLUMN_WEIGHTS = (10.0, 5.0, 1.0, 2.0, 1.0)
COLUMNS = {lang: [f"{c}_{lang}" for c in TEXT_COLUMNS] for lang in LANGUAGES}
# The FTS5 columns in their order, with each one's language and bm25() weight.
TEXT_COLUMN_NAMES = [name for lang in LANGUAGES for name in COLUMNS[lang]]
TEXT_LANGUAGES = [lang for lang in LANGUAGES for _ in TEXT_COLUMNS]
TEXT_WEIGHTS = [w for _ in LANGUAGES for w in COLUMN_WEIGHTS]
RANK = "bm25(documents_text, " + ", ".join(str(w) for _ in LANGUAGES for w in COLUMN_WEIGHTS) + ")"


class LabelLookup(Protocol):
    """Labels of a URI the record graph does not label (a vocabulary concept): {language: label}."""

    def __call__(self, uri: str) -> dict[str, str]: ...


class VocabularyLookup(LabelLookup, Protocol):
    """What indexing asks of the vocabularies and of the hub's configuration beyond labels."""

    def canonical(self, uri: str) -> str:
        """The representative of the ``skos:exactMatch`` cluster of ``uri`` (itself when alone)."""

    def concept_named(self, label: str) -> str | None:
        """The one vocabulary concept with this preferred or alternative label, if exactly one."""

    def museum_words(self, museum: str) -> list[str]:
        """Searchable words about a museum the records do not carry (its name, its city)."""

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
EDM = "http://www.europeana.eu/schemas/edm/"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
MUSENOR = "https://w3id.org/musenor/ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    record_uri TEXT NOT NULL UNIQUE,
    identifier TEXT NOT NULL,
    museum TEXT NOT NULL,
    sort_title TEXT NOT NULL,
    sort_museum TEXT NOT NULL,
    year_from INTEGER,                -- earliest and latest year of the record's dated time-spans
    year_to INTEGER,
    has_image INTEGER NOT NULL,
    length INTEGER NOT NULL,          -- tokens in all its text columns, as FTS5 counts them for bm25()
    summary TEXT NOT NULL             -- JSON: titles by language, creators, date, thumbnail... for result lists
);
CREATE INDEX IF NOT EXISTS documents_by_title ON documents (sort_title, id);
CREATE INDEX IF NOT EXISTS documents_by_year ON documents (year_from, id);
CREATE INDEX IF NOT EXISTS documents_by_museum ON documents (sort_museum, sort_title, id);
CREATE VIRTUAL TABLE IF NOT EXISTS documents_text USING fts5(
    title_fr, creator_fr, description_fr, place_fr, other_fr,
    title_en, creator_en, description_en, place_en, other_en,
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
CREATE TABLE IF NOT EXISTS facet_aliases (    -- a full URI, or a merged concept's key -> the key filed under
    facet TEXT NOT NULL, alias TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (facet, alias)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS facet_uris (facet TEXT NOT NULL, key TEXT NOT NULL, uri TEXT NOT NULL,
                                       PRIMARY KEY (facet, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entity_works (     -- the works an agent, place or concept page lists
    uri TEXT NOT NULL, relation TEXT NOT NULL, doc INTEGER NOT NULL,
    sort_year INTEGER NOT NULL,               -- the work's earliest year (ENTITY_NO_YEAR: none), then its title:
    sort_title TEXT NOT NULL,                 -- a page's first works are read in this order, never sorted
    PRIMARY KEY (uri, relation, doc)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entity_works_by_doc ON entity_works (doc);
CREATE INDEX IF NOT EXISTS entity_works_in_order ON entity_works (uri, sort_year, sort_title, doc, relation);
CREATE TABLE IF NOT EXISTS facet_totals (     -- counts of the unfiltered catalogue, refreshed at each sync
    facet TEXT NOT NULL, key TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (facet, key)
) WITHOUT ROWID;
"""

# 3: the arrays of search_arrays; 4: entity_works; 5: both; 6: search_words; 7: its runs of three stems.
# An index of another layout is rebuilt from the ledger.
SCHEMA_VERSION = "7"
ENTITY_RELATIONS = ("creator", "contributor", "made", "kept", "place", "subject", "type", "material", "technique",
                    "classification", "culture", "period")
ENTITY_NO_YEAR = 1_000_000  # sorts undated works last
ROLE = "role:"  # relation "role:<key>": the agent took part with that role (labels under facet "role")
ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
         "XVI", "XVII", "XVIII", "XIX", "XX", "XXI"]


def fold(text: str) -> str:
    """Text folded as the index and queries see it: no case, no accents, ligatures spelt out."""
    return search_query.fold(text)


def fts_query(text: str) -> str | None:
    """A reader's words as an FTS5 MATCH expression over both stemmed column sets; None if no word."""
    return search_query.parse(text).match(COLUMNS)


def short_key(value: str) -> str:
    """A facet key fit for a URL: a hub URI by its path after /vocab/ or /id/, another URI by a digest,
    a museum's free text by its folded words."""
    if value.startswith(("http://", "https://")):
        path = urlsplit(value).path
        for marker in ("/vocab/", "/id/"):
            if marker in path:
                return path.split(marker, 1)[1]
        return "u:" + hashlib.sha1(value.encode("utf-8")).hexdigest()[:12]
    return "t:" + " ".join(search_query.words(value))


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


def year_of(text: str) -> int | None:
    """The year a date literal begins with ("1850", "1850-03-01", "-450"), if any."""
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
    aliases: dict[tuple[str, str], str] = field(default_factory=dict)  # (facet, alias) -> key
    uris: dict[tuple[str, str], str] = field(default_factory=dict)     # (facet, key) -> URI of the value
    years: tuple[int, int] | None = None
    # entity URI -> how the record relates to it (ENTITY_RELATIONS, or ROLE + a role's key)
    entities: dict[str, list[str]] = field(default_factory=dict)

    @property
    def sort_title(self) -> str:
        titles = self.summary.get("title") or {}
        return fold(titles.get("fr") or next(iter(titles.values()), "")).strip()

    @property
    def sort_museum(self) -> str:
        labels = self.labels.get(("museum", self.museum)) or {}
        return fold(_pick(labels) or self.museum).strip()

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


class _PlainLabels:
    """A bare label lookup seen as a vocabulary lookup with no matches to merge and no museum words."""

    def __init__(self, labels: LabelLookup | None) -> None:
        self.labels = labels

    def __call__(self, uri: str) -> dict[str, str]:
        return self.labels(uri) if self.labels is not None else {}

    def canonical(self, uri: str) -> str:
        return uri

    def concept_named(self, label: str) -> str | None:
        return None

    def museum_words(self, museum: str) -> list[str]:
        return []


def as_vocabulary(labels: LabelLookup | None) -> VocabularyLookup:
    if labels is not None and all(hasattr(labels, m) for m in ("canonical", "concept_named", "museum_words")):
        return labels  # type: ignore[return-value]
    return _PlainLabels(labels)


def index_record(identifier: str, record_uri: str, ntriples: str,
                 labels: LabelLookup | None = None) -> IndexedRecord:
    """Extract from a profile-shaped record graph (docs/profile.md) what search and result lists need."""
    vocabulary = as_vocabulary(labels)
    terms = _Terms(ntriples)
    museum = identifier.split(":")[2] if identifier.count(":") >= 3 else ""
    chos = [_value(o) for o in terms.objects(record_uri, EDM + "aggregatedCHO")] or \
        terms.subjects_of_type(EDM + "ProvidedCHO")
    cho = chos[0] if chos else record_uri
    text: dict[str, list[str]] = {k: [] for k in TEXT_COLUMNS}
    facets: dict[str, list[str]] = {k: [] for k in FACETS}
    facet_labels: dict[tuple[str, str], dict[str, str]] = {}
    aliases: dict[tuple[str, str], str] = {}
    uris: dict[tuple[str, str], str] = {}

    def label_of(term: Any) -> dict[str, str]:
        if isinstance(term, pyoxigraph.Literal):
            return {term.language or "": term.value}
        uri = _value(term)
        found = terms.labels(uri)
        if not found:
            found = vocabulary(uri)
        return found or {"": uri.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")}

    def add_facet(facet: str, term: Any) -> tuple[str, dict[str, str]]:
        """File ``term`` under the value of its meaning: its key, and its own labels for the text."""
        own = label_of(term)
        if isinstance(term, pyoxigraph.Literal):
            concept = vocabulary.concept_named(term.value)
            value = vocabulary.canonical(concept) if concept else None
        else:
            value = vocabulary.canonical(_value(term))
        if value is None:
            key, found = short_key(_value(term)), own
        else:
            key = short_key(value)
            found = (terms.labels(value) or vocabulary(value) or own) if value != _value(term) else own
            uris[(facet, key)] = value
            aliases[(facet, value)] = key
        aliases[(facet, short_key(_value(term)))] = key
        if not isinstance(term, pyoxigraph.Literal):
            aliases[(facet, _value(term))] = key
        if key not in facets[facet]:
            facets[facet].append(key)
        facet_labels[(facet, key)] = found
        return key, own

    def distinct(labels: dict[str, str]) -> list[str]:
        return list(dict.fromkeys(labels.values()))

    titles = _by_language(terms.objects(cho, DC + "title"))
    text["title"] += list(titles.values()) + [_value(t) for t in terms.objects(cho, DCTERMS + "alternative")]
    text["description"] += [_value(t) for t in terms.objects(cho, DC + "description")]
    text["description"] += [_value(t) for t in terms.objects(cho, DCTERMS + "provenance")]
    creators = []
    for creator in terms.objects(cho, DC + "creator"):
        _, found = add_facet("creator", creator)
        text["creator"] += distinct(found)
        creators.append(found)
    text["creator"] += [v for c in terms.objects(cho, DC + "contributor") for v in distinct(label_of(c))]
    places = list(terms.objects(cho, DCTERMS + "spatial"))
    for event in terms.objects(cho, EDM + "wasPresentAt"):
        places += terms.objects(_value(event), EDM + "happenedAt")
    for place in dict.fromkeys(places):  # a place both related and of the production event counts once
        text["place"] += distinct(label_of(place))
    def beside_a_hub_concept(term: Any) -> bool:
        # The source's own concept kept beside the hub's (issue 13): searchable by its words, while the hub's
        # concept, which it names as broader or equivalent, is the facet value.
        return not isinstance(term, pyoxigraph.Literal) and bool(
            terms.objects(_value(term), SKOS + "broader") or terms.objects(_value(term), SKOS + "exactMatch"))

    types = []
    for object_type in terms.objects(cho, DC + "type"):
        if beside_a_hub_concept(object_type):
            text["other"] += distinct(label_of(object_type))
            continue
        key, found = add_facet("type", object_type)
        if facet_labels[("type", key)] not in types:  # "tableau" beside painting is one type
            types.append(facet_labels[("type", key)])
        text["other"] += distinct(found)
    for material in terms.objects(cho, DCTERMS + "medium"):
        if beside_a_hub_concept(material):
            text["other"] += distinct(label_of(material))
            continue
        text["other"] += distinct(add_facet("material", material)[1])
    for predicate in (DC + "subject", DC + "format", MUSENOR + "classification", MUSENOR + "culture"):
        for value in terms.objects(cho, predicate):
            text["other"] += distinct(label_of(value))
    inventory = [_value(t) for t in terms.objects(cho, DC + "identifier")]
    text["other"] += inventory
    text["other"] += [_value(t) for t in terms.objects(cho, DCTERMS + "created")]

    # The period facet is the century of a dated time-span; a museum's own period words ("XVIIIe siècle",
    # "premier quart du XVIIIe") are searchable and become facet values only for records with no date,
    # so that one century does not show twice under two spellings.
    named_periods = []
    years: list[int] = []
    for temporal in terms.objects(cho, DCTERMS + "temporal"):
        begin = terms.objects(_value(temporal), EDM + "begin")
        end = terms.objects(_value(temporal), EDM + "end")
        bound = begin or end  # "avant 1700" states an end and no begin (docs/profile.md)
        year = year_of(_value(bound[0])) if bound else None
        if year is not None:
            last = (year_of(_value(end[0])) if end else None) or year
            years += [year, last]
            text["other"] += list(dict.fromkeys([str(year), str(last)]))
            key = f"century:{century_of(year)}"
            if key not in facets["period"]:
                facets["period"].append(key)
                facet_labels[("period", key)] = century_labels(century_of(year))
        else:
            named_periods.append(temporal)
            text["other"] += distinct(label_of(temporal))
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
        text["place"] += distinct(facet_labels[("museum", museum)]) + vocabulary.museum_words(museum)
    # The hub's own thumbnail of the main image when it made one (docs/profile.md, edm:WebResource), else the
    # museum's thumbnail, else the image itself; a work the museum sent no image of shows its campaign views.
    images = [_value(t) for p in (EDM + "isShownBy", EDM + "object", EDM + "hasView")
              for t in terms.objects(record_uri, p)]
    thumbnail = next((_value(t) for image in images for t in terms.objects(image, MUSENOR + "thumbnail")), None)
    if thumbnail is None:  # never the full image: a list would load megabytes from the museum's server
        thumbnail = next((_value(t) for t in terms.objects(record_uri, EDM + "object")), None)
    shown_by = next((_value(t) for t in terms.objects(record_uri, EDM + "isShownBy")), None)
    # A date the museum wrote as a period ("19e siècle") lists in each language the vocabulary has it in.
    date = _by_language(terms.objects(cho, DCTERMS + "created"))
    for written in list(date.values()):
        concept = vocabulary.concept_named(written)
        for lang, label in (vocabulary(concept) if concept else {}).items():
            date.setdefault(lang, label)
    summary = {
        "object_uri": cho, "title": titles, "creators": creators,
        "date": date,
        "types": types, "thumbnail": thumbnail, "image": shown_by,
        "inventory": inventory[0] if inventory else None,
    }
    return IndexedRecord(record_uri=record_uri, identifier=identifier, museum=museum, text=text, facets=facets,
                         labels=facet_labels, summary=summary, aliases=aliases, uris=uris,
                         years=(min(years), max(years)) if years else None,
                         entities=_entities(terms, cho, vocabulary, facet_labels, label_of))


PRODUCTION = "/vocab/event-type/production"


def _entities(terms: _Terms, cho: str, vocabulary: VocabularyLookup,
              facet_labels: dict[tuple[str, str], dict[str, str]], label_of: Any) -> dict[str, list[str]]:
    """The agents, places and concepts a record names, and how: what their pages list, read from the index
    instead of a graph query per page. A concept is also filed under its ``skos:exactMatch`` cluster's
    representative, and a museum's free-text term under the one concept of that label, so that every
    member's page finds the works of all."""
    found: dict[str, list[str]] = {}

    def add(term: Any, relation: str) -> None:
        if isinstance(term, pyoxigraph.Literal):
            concept = vocabulary.concept_named(term.value)
            if concept is None:
                return
            uris = [concept]
        elif isinstance(term, pyoxigraph.NamedNode):
            uris = [term.value]
        else:
            return
        for uri in dict.fromkeys(uris + [vocabulary.canonical(u) for u in uris]):
            relations = found.setdefault(uri, [])
            if relation not in relations:
                relations.append(relation)

    for predicate, relation in ((DC + "creator", "creator"), (DC + "contributor", "contributor"),
                                (DCTERMS + "spatial", "place"), (EDM + "currentLocation", "kept"),
                                (DC + "subject", "subject"), (DC + "type", "type"), (DCTERMS + "medium", "material"),
                                (DC + "format", "technique"), (MUSENOR + "classification", "classification"),
                                (MUSENOR + "culture", "culture"), (DCTERMS + "temporal", "period")):
        for term in terms.objects(cho, predicate):
            add(term, relation)
    for event in terms.objects(cho, EDM + "wasPresentAt"):
        event_uri = _value(event)
        kinds = [_value(k) for k in terms.objects(event_uri, EDM + "hasType")]
        if not kinds or any(k.endswith(PRODUCTION) for k in kinds):  # an untyped event is the production
            for place in terms.objects(event_uri, EDM + "happenedAt"):
                add(place, "made")
        for participation in terms.objects(event_uri, MUSENOR + "participation"):
            for agent in terms.objects(_value(participation), MUSENOR + "agent"):
                for role in terms.objects(_value(participation), MUSENOR + "role"):
                    key = short_key(_value(role))
                    facet_labels[("role", key)] = label_of(role)
                    add(agent, ROLE + key)
    return found


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
    sort: str = "title"
    facet_sizes: dict[str, int] = field(default_factory=dict)  # distinct values of each facet, shown or not

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def out_of_range(self) -> bool:
        return self.page > self.pages


@dataclass
class _Where:
    """The SQL conditions of a search, the facet filters kept apart for the counts of each facet."""

    base: list[tuple[str, list[Any]]]
    by_facet: dict[str, tuple[str, list[Any]]]

    def sql(self, without: str | None = None) -> tuple[str, list[Any]]:
        parts = self.base + [clause for facet, clause in self.by_facet.items() if facet != without]
        if not parts:
            return "", []
        return " WHERE " + " AND ".join(p[0] for p in parts), [a for p in parts for a in p[1]]


def chosen_filters(filters: dict[str, list[str]] | None,
                   resolve: Callable[[str, list[str]], list[str]]) -> dict[str, list[str]]:
    """The facet values a search is filtered by, as filed: a value given twice is one filter (counted and
    queried once); the cap is checked before any value is resolved (each is a lookup), on the whole query."""
    filters = {f: list(dict.fromkeys(k for k in keys if k)) for f, keys in (filters or {}).items() if f in FACETS}
    asked = sum(len(keys) for keys in filters.values())
    if asked > MAX_FILTER_VALUES:
        raise TooManyFilters(f"{asked} facet values selected; a search takes at most {MAX_FILTER_VALUES}")
    filters = {f: resolve(f, keys) for f, keys in filters.items()}
    return {f: keys for f, keys in filters.items() if keys}


def facet_values(counted_by_facet: dict[str, list[tuple[str, int]]], filters: dict[str, list[str]],
                 expand: frozenset[str], facet_limit: int | None,
                 labels: Callable[[str, list[str]], dict[str, str]]) -> dict[str, list[FacetValue]]:
    """The values each facet shows: the most frequent first (all of an expanded facet, up to FACET_ALL_LIMIT),
    and a chosen value always, even past the limit, so that it can be removed."""
    facets = {}
    for facet in FACETS:
        counted = counted_by_facet[facet]
        shown = counted[:FACET_ALL_LIMIT if facet in expand else (facet_limit or FACET_LIMIT)]
        selected = filters.get(facet, [])
        keys = [key for key, _ in shown] + [key for key in selected if key not in {k for k, _ in shown}]
        names = labels(facet, keys)
        counts = dict(counted)
        values = [FacetValue(key, names[key], n, key in selected) for key, n in shown]
        for key in selected:
            if key not in {v.key for v in values}:
                values.insert(0, FacetValue(key, names[key], counts.get(key, 0), True))
        facets[facet] = values
    return facets


@dataclass
class _BatchRows:
    """A sync batch's rows of the tables keyed by value (facet, entity), written when the batch ends in key
    order: each B-tree page then takes its rows at once, where one record's rows went to pages all over."""

    facets: list[tuple[str, str, int]] = field(default_factory=list)
    entity_works: list[tuple[str, str, int, int, str]] = field(default_factory=list)

    def write(self, conn: sqlite3.Connection) -> None:
        # INSERT OR IGNORE: a row met twice is the same row, so the order changes nothing but the writing.
        conn.executemany("INSERT OR IGNORE INTO facets (facet, key, doc) VALUES (?, ?, ?)", sorted(self.facets))
        conn.executemany("INSERT OR IGNORE INTO entity_works (uri, relation, doc, sort_year, sort_title) "
                         "VALUES (?, ?, ?, ?, ?)", sorted(self.entity_works))


class SearchIndex:
    """The FTS5 index in one SQLite file; thread-safe (one connection per thread, one writer at a time)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._counts: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._upgrade()
        self.conn.executescript(SCHEMA + search_arrays.SCHEMA + search_words.SCHEMA)
        self._arrays: search_arrays.Arrays | None = None
        self._arrays_lock = threading.Lock()
        search_arrays.keep_freed_memory()
        self.conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('applied_change_seq', '0')")
        self.conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
                          (SCHEMA_VERSION,))

    def _upgrade(self) -> None:
        """An index of an older layout is dropped: it is derived, the next sync rebuilds it from the ledger."""
        conn = self.conn
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone() is None:
            return
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is not None and row[0] == SCHEMA_VERSION:
            return
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table') "
                                    "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'documents_text_%'").fetchall():
            conn.execute(f'DROP TABLE IF EXISTS "{name}"')

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
        """Apply the ledger changes made before the sync began that it has not applied; returns how many."""
        total = 0
        # The target is the ledger's last change when the sync begins: a server catching up in a request
        # while a harvest keeps publishing applies what was there, and answers; it never chases the harvest.
        target = ledger.last_change_seq()
        while True:
            applied = self.applied_change_seq()
            if applied >= target:
                break
            batch = BULK_BATCH if target - applied > BULK_BATCH else SYNC_BATCH
            changes = [c for c in ledger.changes_since(applied, limit=batch) if c.change_seq <= target]
            if not changes:
                break
            indexed = [(c, self._index_or_skip(c, labels)) for c in changes]
            with self._transaction() as conn:
                if self.applied_change_seq() != applied:
                    continue  # another thread applied this batch meanwhile
                words, rows = search_words.Writer(), _BatchRows()
                for change, record in indexed:
                    self._remove(conn, change.record_uri, words)
                    if record is not None:
                        self._insert(conn, record, words, rows)
                rows.write(conn)
                words.write(conn)
                conn.execute("UPDATE meta SET value = ? WHERE key = 'applied_change_seq'",
                             (str(changes[-1].change_seq),))
            total += len(changes)
        if total or not self.published():
            self._count_totals()
        return total

    def published(self) -> bool:
        """Whether the counts and arrays were computed for the changes applied (a sync can be cut between its
        last batch and them)."""
        return search_arrays.stored_seq(self.conn) == self.applied_change_seq()

    def _count_totals(self) -> None:
        """The facet counts of the unfiltered catalogue (the first search page reads them, never counts) and
        the arrays every other search counts, filters and sorts with (search_arrays)."""
        with self._transaction() as conn:
            conn.execute("DELETE FROM facet_totals")
            conn.execute("INSERT INTO facet_totals (facet, key, count) "
                         "SELECT facet, key, COUNT(*) FROM facets GROUP BY facet, key")
            search_arrays.compute(conn, FACETS, self.applied_change_seq())

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
            for table in ("documents", "documents_text", "facets", "facet_labels", "facet_aliases", "facet_uris",
                          "facet_totals", "entity_works", "arrays", "word_blocks"):
                conn.execute(f"DELETE FROM {table}")
            conn.execute("UPDATE meta SET value = '0' WHERE key = 'applied_change_seq'")
        return self.sync(ledger, labels)

    def _remove(self, conn: sqlite3.Connection, record_uri: str, words: search_words.Writer) -> None:
        row = conn.execute("SELECT id FROM documents WHERE record_uri = ?", (record_uri,)).fetchone()
        if row is None:
            return
        text = conn.execute(f"SELECT {', '.join(TEXT_COLUMN_NAMES)} FROM documents_text WHERE rowid = ?",
                            row).fetchone()
        if text is not None:
            words.remove(row[0], search_words.postings(text, TEXT_WEIGHTS, TEXT_LANGUAGES)[0])
        conn.execute("DELETE FROM documents WHERE id = ?", row)
        conn.execute("DELETE FROM documents_text WHERE rowid = ?", row)
        conn.execute("DELETE FROM facets WHERE doc = ?", row)
        conn.execute("DELETE FROM entity_works WHERE doc = ?", row)

    def _insert(self, conn: sqlite3.Connection, record: IndexedRecord, words: search_words.Writer,
                rows: _BatchRows) -> None:
        low, high = record.years or (None, None)
        columns = [search_query.stemmed("\n".join(record.text[c]), lang) for lang in LANGUAGES for c in TEXT_COLUMNS]
        found, length = search_words.postings(columns, TEXT_WEIGHTS, TEXT_LANGUAGES)
        cursor = conn.execute(
            "INSERT INTO documents (record_uri, identifier, museum, sort_title, sort_museum, year_from, year_to, "
            "has_image, length, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record.record_uri, record.identifier, record.museum, record.sort_title, record.sort_museum, low, high,
             int(bool(record.summary.get("thumbnail") or record.summary.get("image"))), length,
             json.dumps(record.summary, ensure_ascii=False)))
        doc = cursor.lastrowid
        conn.execute(f"INSERT INTO documents_text (rowid, {', '.join(TEXT_COLUMN_NAMES)}) "
                     f"VALUES (?{', ?' * len(columns)})", (doc, *columns))
        words.add(doc, found)
        rows.facets += [(facet, key, doc) for facet, keys in record.facets.items() for key in keys]
        conn.executemany("INSERT OR REPLACE INTO facet_labels (facet, key, lang, label) VALUES (?, ?, ?, ?)",
                         [(facet, key, lang, label) for (facet, key), found in record.labels.items()
                          for lang, label in found.items() if label])
        conn.executemany("INSERT OR REPLACE INTO facet_aliases (facet, alias, key) VALUES (?, ?, ?)",
                         [(facet, alias, key) for (facet, alias), key in record.aliases.items() if alias != key])
        conn.executemany("INSERT OR REPLACE INTO facet_uris (facet, key, uri) VALUES (?, ?, ?)",
                         [(facet, key, uri) for (facet, key), uri in record.uris.items()])
        year = low if low is not None else ENTITY_NO_YEAR
        rows.entity_works += [(uri, relation, doc, year, record.sort_title) for uri, relations in record.entities.items()
                              for relation in relations]

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

    def entity_works(self, uris: list[str], relations: Iterable[str] | None = None, *,
                     unless: Iterable[str] = (), limit: int = 60) -> tuple[int, list[SearchHit]]:
        """How many indexed works relate to any of ``uris`` (in one of ``relations``, else in any way, but not
        in one of ``unless``) and the first ``limit`` of them, oldest first, then by title: an entity page's
        list, read from the index alone."""
        uris = list(dict.fromkeys(uris))
        if not uris:
            return 0, []
        marks = ",".join("?" * len(uris))
        where = f"e.uri IN ({marks})"
        args: list[Any] = list(uris)
        if relations is not None:
            relations = list(relations)
            if not relations:
                return 0, []
            where += f" AND e.relation IN ({','.join('?' * len(relations))})"
            args += relations
        unless = list(unless)
        if unless:
            where += (f" AND e.doc NOT IN (SELECT doc FROM entity_works WHERE uri IN ({marks}) "
                      f"AND relation IN ({','.join('?' * len(unless))}))")
            args += [*uris, *unless]
        # The count is kept per index version (a place may have tens of thousands of works); the first works
        # are read in the order of entity_works_in_order, which stops at ``limit`` rows.
        cache_key = (self.applied_change_seq(), "entity_works", where, repr(args))
        with self._cache_lock:
            total = self._counts.get(cache_key)
        if total is None:
            total = self.conn.execute(f"SELECT COUNT(DISTINCT e.doc) FROM entity_works e WHERE {where}",
                                      args).fetchone()[0]
            with self._cache_lock:
                self._counts[cache_key] = total
                while len(self._counts) > COUNT_CACHE_SIZE:
                    self._counts.popitem(last=False)
        docs = [r[2] for r in self.conn.execute(
            f"SELECT DISTINCT e.sort_year, e.sort_title, e.doc FROM entity_works e WHERE {where} "
            f"ORDER BY e.sort_year, e.sort_title, e.doc LIMIT ?", [*args, limit])]
        if not docs:
            return total, []
        rows = {r[0]: r for r in self.conn.execute(
            f"SELECT id, record_uri, identifier, museum, summary FROM documents WHERE id IN "
            f"({','.join('?' * len(docs))})", docs)}
        return total, [SearchHit(r[1], r[2], r[3], json.loads(r[4])) for doc in docs if (r := rows.get(doc))]

    def entity_roles(self, uris: list[str], lang: str = "fr") -> list[str]:
        """The roles an agent took in the indexed works (painter, engraver...), in ``lang`` where labelled."""
        uris = list(dict.fromkeys(uris))
        if not uris:
            return []
        keys = [r[0].removeprefix(ROLE) for r in self.conn.execute(
            f"SELECT DISTINCT relation FROM entity_works WHERE uri IN ({','.join('?' * len(uris))}) "
            f"AND relation LIKE 'role:%' ORDER BY relation", uris)]
        return sorted(set(self.facet_labels("role", keys, lang).values()), key=fold)

    def facet_label(self, facet: str, key: str, lang: str = "fr") -> str:
        return self.facet_labels(facet, [key], lang).get(key, key)

    def facet_labels(self, facet: str, keys: list[str], lang: str = "fr") -> dict[str, str]:
        found: dict[str, dict[str, str]] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            for key, label_lang, label in self.conn.execute(
                    f"SELECT key, lang, label FROM facet_labels WHERE facet = ? AND key IN "
                    f"({','.join('?' * len(chunk))})", [facet, *chunk]):
                found.setdefault(key, {})[label_lang] = label
        return {key: _pick(found.get(key, {}), lang) or key for key in keys}

    def facet_uri(self, facet: str, key: str) -> str | None:
        row = self.conn.execute("SELECT uri FROM facet_uris WHERE facet = ? AND key = ?", (facet, key)).fetchone()
        return row[0] if row else None

    def resolve_keys(self, facet: str, keys: list[str]) -> list[str]:
        """Filter keys as readers' links carry them (a full URI, a merged concept's key) -> the filed keys."""
        resolved = []
        for key in keys:
            row = self.conn.execute("SELECT key FROM facet_aliases WHERE facet = ? AND alias = ?",
                                    (facet, key)).fetchone()
            resolved.append(row[0] if row else key)
        return list(dict.fromkeys(resolved))

    def search(self, text: str = "", filters: dict[str, list[str]] | None = None, *, page: int = 1,
               page_size: int = 20, lang: str = "fr", facet_limit: int | None = None, sort: str | None = None,
               year_from: int | None = None, year_to: int | None = None, with_images: bool = False,
               expand: Iterable[str] = ()) -> SearchResults:
        """Ranked hits for ``text`` within ``filters`` ({facet: [keys]}: OR within a facet, AND across),
        the years ``year_from``..``year_to`` (a record whose dates overlap them) and, if asked, records with
        an image. ``expand`` names the facets to show whole (up to FACET_ALL_LIMIT values)."""
        filters = chosen_filters(filters, self.resolve_keys)
        query = search_query.parse(text)
        match, exclusion = query.match(COLUMNS), query.exclusion(COLUMNS)
        sort = sort if sort in SORTS else ("relevance" if match else "title")
        if sort == "relevance" and not match:
            sort = "title"
        base: list[tuple[str, list[Any]]] = []
        if match:
            base.append(("d.id IN (SELECT rowid FROM documents_text WHERE documents_text MATCH ?)", [match]))
        if exclusion:
            base.append(("d.id NOT IN (SELECT rowid FROM documents_text WHERE documents_text MATCH ?)",
                         [exclusion]))
        if year_from is not None:
            base.append(("d.year_to >= ?", [year_from]))
        if year_to is not None:
            base.append(("d.year_from <= ?", [year_to]))
        if with_images:
            base.append(("d.has_image = 1", []))
        by_facet = {facet: (f"d.id IN (SELECT doc FROM facets WHERE facet = ? AND key IN "
                            f"({','.join('?' * len(keys))}))", [facet, *keys]) for facet, keys in filters.items()}
        where = _Where(base, by_facet)
        expand = frozenset(f for f in expand if f in FACETS)
        page = max(1, page)
        offset = (page - 1) * page_size
        hits: list[SearchHit] = []
        limit = max(FACET_ALL_LIMIT, facet_limit or FACET_LIMIT)
        key = (match, exclusion, year_from, year_to, with_images, filters, limit)
        with self._reading() as arrays:
            if arrays is None:  # an index never published, or a sync half done: the SQL path, slower, exact
                total, counted_by_facet, sizes = self._counts_of(lambda: self._count(where), *key)
                if offset < total:
                    hits = self._page(where, match, sort, page_size, offset)
            else:
                total, counted_by_facet, sizes, hits = self._search_arrays(arrays, query, key, sort, page_size,
                                                                           offset)
        facets = facet_values(counted_by_facet, filters, expand, facet_limit,
                              lambda facet, keys: self.facet_labels(facet, keys, lang))
        return SearchResults(total=total, hits=hits, facets=facets, page=page, page_size=page_size, sort=sort,
                             facet_sizes=sizes)

    def _page(self, where: _Where, match: str | None, sort: str, page_size: int, offset: int) -> list[SearchHit]:
        clauses, args = where.sql()
        order = {"title": "d.sort_title, d.id", "museum": "d.sort_museum, d.sort_title, d.id",
                 "date": "d.year_from IS NULL, d.year_from, d.sort_title, d.id",
                 "-date": "d.year_to IS NULL, d.year_to DESC, d.sort_title, d.id"}
        if sort == "relevance" and match:
            sql = (f"SELECT d.record_uri, d.identifier, d.museum, d.summary FROM documents_text "
                   f"JOIN documents d ON d.id = documents_text.rowid{clauses} AND documents_text MATCH ? "
                   f"ORDER BY {RANK}, d.sort_title LIMIT ? OFFSET ?")
            args = [*args, match]
        else:
            sql = (f"SELECT d.record_uri, d.identifier, d.museum, d.summary FROM documents d{clauses} "
                   f"ORDER BY {order[sort]} LIMIT ? OFFSET ?")
        rows = self.conn.execute(sql, [*args, page_size, offset]).fetchall()
        return [SearchHit(r[0], r[1], r[2], json.loads(r[3])) for r in rows]

    @contextmanager
    def _reading(self) -> Iterator[search_arrays.Arrays | None]:
        """One read snapshot for a whole search, and the arrays of that snapshot's version if it has them."""
        conn = self.conn
        if conn.in_transaction:
            yield self._arrays_of(conn)
            return
        conn.execute("BEGIN")
        try:
            yield self._arrays_of(conn)
        finally:
            conn.execute("COMMIT")

    def _arrays_of(self, conn: sqlite3.Connection) -> search_arrays.Arrays | None:
        seq = self.applied_change_seq()
        if search_arrays.stored_seq(conn) != seq:
            return None
        with self._arrays_lock:
            if self._arrays is None or self._arrays.seq != seq:
                self._arrays = search_arrays.Arrays(conn, FACETS)
            return self._arrays

    def _search_arrays(self, arrays: search_arrays.Arrays, query: search_query.ParsedQuery, key: tuple[Any, ...],
                       sort: str, page_size: int, offset: int,
                       ) -> tuple[int, dict[str, list[tuple[str, int]]], dict[str, int], list[SearchHit]]:
        match, exclusion, year_from, year_to, with_images, filters, limit = key
        conn = self.conn
        matched = scores = excluded = None
        if match or exclusion:
            # Words are read from our own postings (search_words), ranked as FTS5's bm25() ranks them.
            lengths = arrays.derived.get("lengths")
            if lengths is None:
                lengths = arrays.derived["lengths"] = search_words.DocumentLengths(arrays.length, arrays.alive)
            scorer = search_words.Scorer(conn, lengths, self._phrase)
            if match:
                matched, scores = scorer.match(query, ranked=sort == "relevance")
            if exclusion:
                excluded = scorer.excluded(query)
        selection = arrays.select(matched=matched, excluded=excluded, year_from=year_from, year_to=year_to,
                                  with_images=with_images, filters=filters)
        total, counted_by_facet, sizes = self._counts_of(lambda: arrays.counts(selection, limit, filters), *key)
        if offset >= total:
            return total, counted_by_facet, sizes, []
        if scores is not None and matched is not None:
            docs = arrays.ranked_page(selection.without(), matched, scores, offset, page_size)
        else:
            docs = arrays.page(selection.without(), sort, offset, page_size)
        marks = ",".join("?" * len(docs))
        rows = {r[0]: r for r in conn.execute(
            f"SELECT id, record_uri, identifier, museum, summary FROM documents WHERE id IN ({marks})", docs)}
        return total, counted_by_facet, sizes, [SearchHit(r[1], r[2], r[3], json.loads(r[4]))
                                                for doc in docs if (r := rows.get(doc))]

    def _phrase(self, term: search_query.Term) -> tuple[np.ndarray, np.ndarray]:
        """The rows of a term of several words and its share of bm25() (its two phrases), asked of FTS5."""
        rows = self.conn.execute(f"SELECT rowid, {RANK} FROM documents_text WHERE documents_text MATCH ?",
                                 [term.fts(COLUMNS)])
        ranked = np.fromiter(chain.from_iterable(rows), dtype=np.float64).reshape(-1, 2)
        return ranked[:, 0].astype(np.int64), -1.0 * ranked[:, 1]

    def _counts_of(self, count: Callable[[], Counts], *key: Any) -> Counts:
        # Counts depend only on the words, the filters and the index version: popular pages (the first search
        # page, a museum's works) are counted once per change of the index, not on every page turn.
        cache_key = (self.applied_change_seq(), repr(key))
        with self._cache_lock:
            cached = self._counts.get(cache_key)
        if cached is None:
            cached = count()
            with self._cache_lock:
                self._counts[cache_key] = cached
                while len(self._counts) > COUNT_CACHE_SIZE:
                    self._counts.popitem(last=False)
        return cached

    def _count(self, where: _Where) -> Counts:
        conn = self.conn
        clauses, args = where.sql()
        total = conn.execute(f"SELECT COUNT(*) FROM documents d{clauses}", args).fetchone()[0]
        by_facet: dict[str, list[tuple[str, int]]] = {facet: [] for facet in FACETS}
        # A facet with chosen values is counted without its own filter (OR within a facet: the counts say
        # what choosing one more value would add); the others share one pass over the hits.
        unfiltered = [f for f in FACETS if f not in where.by_facet]
        passes = [(f, [f]) for f in where.by_facet] + ([(None, unfiltered)] if unfiltered else [])
        for without, facets in passes:
            clauses, args = where.sql(without=without)
            marks = ",".join("?" * len(facets))
            if clauses:
                # Driven by the hits (each hit's values are one range of facets_by_doc): a narrow search reads
                # its few rows instead of scanning every facet row of the catalogue.
                rows = conn.execute(f"SELECT f.facet, f.key, COUNT(*) FROM (SELECT d.id FROM documents d{clauses}) h "
                                    f"CROSS JOIN facets f INDEXED BY facets_by_doc ON f.doc = h.id "
                                    f"WHERE f.facet IN ({marks}) GROUP BY f.facet, f.key",
                                    [*args, *facets]).fetchall()
            else:
                rows = conn.execute(f"SELECT facet, key, count FROM facet_totals WHERE facet IN ({marks})",
                                    facets).fetchall()
            for facet, key, n in rows:
                by_facet[facet].append((key, n))
        return (total, {facet: sorted(values, key=lambda v: (-v[1], v[0])) for facet, values in by_facet.items()},
                {facet: len(values) for facet, values in by_facet.items()})

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


_indexes: dict[Path | str, SearchIndex] = {}
_indexes_lock = threading.Lock()


def search_index(catalogue: Catalogue) -> SearchIndex:
    """The search index of a catalogue (one per data directory, or per PostgreSQL database, and process):
    the embedded file in data_dir, or PostgreSQL's where ``[hub] search`` names a database."""
    location = catalogue.search_location
    key: Path | str = location or (catalogue.data_dir / SEARCH_FILE).resolve()
    with _indexes_lock:
        if key not in _indexes:
            if location:
                from musenor.catalogue.search_postgresql import PostgresSearchIndex  # psycopg only where named

                _indexes[key] = PostgresSearchIndex(location)  # type: ignore[assignment]
            else:
                _indexes[key] = SearchIndex(key)
        return _indexes[key]


def sync_search(catalogue: Catalogue, labels: LabelLookup | None = None) -> int:
    """Bring the catalogue's search index up to the ledger; cheap when nothing changed."""
    index = search_index(catalogue)
    if index.applied_change_seq() >= catalogue.ledger.last_change_seq() and index.published():
        return 0
    return index.sync(catalogue.ledger, labels)


def rebuild_search(catalogue: Catalogue, labels: LabelLookup | None = None) -> int:
    return search_index(catalogue).rebuild(catalogue.ledger, labels)
