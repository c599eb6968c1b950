"""Labels of URIs that a record graph does not label itself: vocabulary concepts live in their own graphs.

Looked up in the graph store (the vocabularies are loaded there as static graphs) and kept in a bounded
cache; the search index gets the same lookup when it indexes a record.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import pyoxigraph

from catalogue import Catalogue

CACHE_SIZE = 20_000
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"


class LabelLookup:
    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._cache: OrderedDict[str, dict[str, str]] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, uri: str) -> dict[str, str]:
        with self._lock:
            if uri in self._cache:
                self._cache.move_to_end(uri)
                return self._cache[uri]
        found: dict[str, str] = {}
        if self.catalogue.has_graph and uri.startswith(("http://", "https://")) and ">" not in uri:
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
