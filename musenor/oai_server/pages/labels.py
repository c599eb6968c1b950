"""Labels of URIs that a record graph does not label itself: vocabulary concepts live in their own graphs.

Looked up in the graph store (the vocabularies are loaded there as static graphs) and kept in a bounded
cache; the search index gets the same lookup when it indexes a record, with what else indexing asks of the
vocabularies (``musenor.catalogue.search.VocabularyLookup``): the representative of a concept's ``skos:exactMatch``
cluster, the concept a museum's free-text term names, and the words of a museum (name, city).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import pyoxigraph

from musenor.catalogue import Catalogue, HubConfig
from musenor.catalogue.search_query import fold

CACHE_SIZE = 20_000
SKOS = "http://www.w3.org/2004/02/skos/core#"
SKOS_PREF = SKOS + "prefLabel"


def _safe_iri(uri: str) -> bool:
    return uri.startswith(("http://", "https://")) and not any(c in uri for c in '<>"{}|^`\\ ')


class LabelLookup:
    def __init__(self, catalogue: Catalogue, config: HubConfig | None = None) -> None:
        self.catalogue = catalogue
        self.config = config
        self._cache: OrderedDict[str, dict[str, str]] = OrderedDict()
        self._canonical: dict[str, str] = {}
        self._named: dict[str, str | None] | None = None
        self._lock = threading.Lock()

    def _rows(self, query: str) -> list[dict[str, str]]:
        if not self.catalogue.has_graph:
            return []
        try:
            solutions = self.catalogue.graph.query(query)
            names = [v.value for v in solutions.variables]
            return [{name: row[name].value for name in names if row[name] is not None} for row in solutions]
        except (SyntaxError, OSError):
            return []

    def _load_vocabularies(self) -> None:
        """Read once, from the vocabulary graphs (those under /vocab/), every skos:exactMatch pair and every
        concept label: clusters and labels are then dictionary reads, whatever the size of the catalogue."""
        in_vocab = 'FILTER(CONTAINS(STR(?g), "/vocab/"))'
        parent: dict[str, str] = {}

        def root(uri: str) -> str:
            while parent.get(uri, uri) != uri:
                parent[uri] = parent.get(parent[uri], parent[uri])
                uri = parent[uri]
            return uri

        for row in self._rows(f"SELECT ?a ?b WHERE {{ GRAPH ?g {{ ?a <{SKOS}exactMatch> ?b }} {in_vocab} }}"):
            if "a" in row and "b" in row:
                parent[root(row["a"])] = root(row["b"])
        labelled: dict[str, list[str]] = {}
        for row in self._rows(f"SELECT DISTINCT ?c ?l WHERE {{ GRAPH ?g {{ ?c a <{SKOS}Concept> ; "
                              f"<{SKOS_PREF}>|<{SKOS}altLabel> ?l }} {in_vocab} }}"):
            labelled.setdefault(row["c"], []).append(row["l"])
        members: dict[str, list[str]] = {}
        for uri in set(parent) | set(parent.values()):
            members.setdefault(root(uri), []).append(uri)
        canonical: dict[str, str] = {}
        for group in members.values():
            # the least labelled member (by string): the same answer from every member, whichever a museum used
            chosen = min((u for u in group if u in labelled), default=min(group))
            canonical.update({u: chosen for u in group})
        named: dict[str, str | None] = {}
        for concept, labels in labelled.items():
            value = canonical.get(concept, concept)
            for label in labels:
                key = fold(label).strip()
                named[key] = value if named.get(key, value) == value else None
        with self._lock:
            self._canonical, self._named = canonical, named

    def canonical(self, uri: str) -> str:
        """The representative of the ``skos:exactMatch`` cluster of ``uri`` in the vocabularies, or ``uri``."""
        if self._named is None:
            self._load_vocabularies()
        return self._canonical.get(uri, uri)

    def concept_named(self, label: str) -> str | None:
        """The one vocabulary concept (of the graphs under /vocab/) whose preferred or alternative label is
        ``label``, case and accents aside; None when none or several meanings have it."""
        if self._named is None:
            self._load_vocabularies()
        return (self._named or {}).get(fold(label).strip())

    def museum_words(self, museum: str) -> list[str]:
        found = self.config.museums.get(museum) if self.config is not None else None
        return [w for w in (found.name, found.city) if w] if found is not None else []

    def __call__(self, uri: str) -> dict[str, str]:
        with self._lock:
            if uri in self._cache:
                self._cache.move_to_end(uri)
                return self._cache[uri]
        found: dict[str, str] = {}
        if self.catalogue.has_graph and _safe_iri(uri):
            try:
                rows = self.catalogue.graph.query(
                    f"SELECT DISTINCT ?label WHERE {{ <{uri}> <{SKOS_PREF}> ?label }} LIMIT 20")
                for row in rows:
                    label = row["label"]
                    if isinstance(label, pyoxigraph.Literal):
                        found.setdefault(label.language or "", label.value)
            except (SyntaxError, OSError):
                found = {}
        with self._lock:
            self._cache[uri] = found
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return found


def pick(labels: dict[str, str], lang: str) -> str | None:
    for choice in (lang, "fr", "", "en"):
        if labels.get(choice):
            return labels[choice]
    return next(iter(labels.values()), None)
