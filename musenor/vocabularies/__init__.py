"""SKOS vocabularies shipped with the hub (one Turtle file each) and the term normaliser.

Public API (used by mappings, the harvester and the servers):
- ``load_vocabularies(base_uri) -> Vocabularies``: every ``*.ttl`` here, parsed with ``{base_uri}/vocab/`` as
  base, with ``match(scheme, term_or_uri, lang=None) -> URIRef | None``, ``match_statement(schemes, text,
  lang=None) -> [(scheme, concept)]`` (the known terms a compound statement is made of),
  ``label(uri, lang) -> str | None``, ``exact_matches(uri) -> list[URIRef]`` and ``names(uri, term) -> bool``
  (whether a matched term is the concept's own name or a narrower one it files as an alternative label);
- ``static_graphs(base_uri) -> {graph URI: (Turtle bytes, "text/turtle")}``: the files for the graph store.

A vocabulary is one Turtle file whose relative IRIs (``<material/huile>``) resolve against ``{base}/vocab/``,
so its concepts dereference under the hub. The file ``material.ttl`` is the scheme ``material``: its
concept scheme is ``<material>`` and its concepts say ``skos:inScheme <material>`` (concepts that are
external URIs, such as the rightsstatements.org statements, belong to a scheme the same way).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from musenor.vocabularies.normalise import (COLOUR_WORDS, LINK_WORDS, canonical_uri, fold, looks_like_uri, statement_parts,
                                    stem_key, term_key)

__all__ = ["Vocabularies", "canonical_uri", "load_vocabularies", "static_graphs", "stem_key", "term_key",
           "vocabulary_files"]

HERE = Path(__file__).resolve().parent
_LABELS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SKOS.notation)
# When no label exists in the language asked: the hub's own languages first, then any.
_FALLBACK_LANGUAGES = ("fr", "en", "nl", "de", None)


def vocabulary_files(folder: Path = HERE) -> list[Path]:
    return sorted(folder.glob("*.ttl"))


class Vocabularies:
    """The shipped vocabularies parsed once, indexed by scheme for term and URI matching."""

    def __init__(self, base_uri: str, files: list[Path] | None = None) -> None:
        self.base_uri = base_uri.rstrip("/")
        self.vocab_base = f"{self.base_uri}/vocab/"
        self.graph = Graph()
        self.scheme_graphs: dict[str, Graph] = {}
        for path in files if files is not None else vocabulary_files():
            scheme_graph = Graph()
            scheme_graph.parse(path, format="turtle", publicID=self.vocab_base)
            self.scheme_graphs[path.stem] = scheme_graph
            self.graph += scheme_graph
        # scheme -> key -> [(language, concept)] in file order, for terms; scheme -> canonical URI -> concept.
        self._terms: dict[str, dict[str, list[tuple[str | None, URIRef]]]] = defaultdict(lambda: defaultdict(list))
        self._stems: dict[str, dict[str, list[tuple[str | None, URIRef]]]] = defaultdict(lambda: defaultdict(list))
        self._uris: dict[str, dict[str, URIRef]] = defaultdict(dict)
        self._labels: dict[URIRef, dict[str | None, str]] = defaultdict(dict)
        self._names: dict[URIRef, set[str]] = defaultdict(set)  # stem keys of each concept's own names
        self._exact: dict[URIRef, list[URIRef]] = {}
        self._index()

    # -- indexing ---------------------------------------------------------------------------------------------
    def _schemes_of(self, concept: URIRef) -> set[str]:
        schemes = set()
        for scheme in self.graph.objects(concept, SKOS.inScheme):
            if str(scheme).startswith(self.vocab_base):
                schemes.add(str(scheme)[len(self.vocab_base):])
        if str(concept).startswith(self.vocab_base):
            schemes.add(str(concept)[len(self.vocab_base):].split("/", 1)[0])
        return schemes

    def _index(self) -> None:
        concepts = sorted({c for c in self.graph.subjects(RDF.type, SKOS.Concept) if isinstance(c, URIRef)})
        for concept in concepts:
            schemes = self._schemes_of(concept)
            local = str(concept).rstrip("/").rsplit("/", 1)[-1]
            entries: list[tuple[str | None, str]] = [(None, local)]
            for predicate in _LABELS:
                for label in self.graph.objects(concept, predicate):
                    if isinstance(label, Literal):
                        entries.append((label.language, str(label)))
            self._names[concept].add(stem_key(local.replace("-", " ")))
            for label in self.graph.objects(concept, SKOS.prefLabel):
                if isinstance(label, Literal):
                    self._labels[concept].setdefault(label.language, str(label))
                    self._names[concept].add(stem_key(str(label)))
            matches = sorted({m for m in self.graph.objects(concept, SKOS.exactMatch) if isinstance(m, URIRef)})
            self._exact[concept] = matches
            for scheme in schemes:
                for lang, text in entries:
                    self._terms[scheme][term_key(text)].append((lang, concept))
                    self._stems[scheme][stem_key(text)].append((lang, concept))
                for uri in [concept, *matches]:
                    key = canonical_uri(str(uri)) or str(uri)
                    self._uris[scheme].setdefault(key, concept)

    # -- public API -------------------------------------------------------------------------------------------
    @property
    def schemes(self) -> list[str]:
        return sorted(set(self._terms) | set(self._uris))

    def match(self, scheme: str, term_or_uri: str, lang: str | None = None) -> URIRef | None:
        """The concept of ``scheme`` that a free-text term or an authority URI (any spelling) names, or None.

        Terms are compared accent-, case- and punctuation-insensitively, then with plurals folded; where two
        concepts share a label ("painting" is both a type and a technique within one scheme), the one labelled
        in ``lang`` wins, then the first in file order.
        """
        if not term_or_uri or not term_or_uri.strip():
            return None
        text = term_or_uri.strip()
        if looks_like_uri(text):
            uri = canonical_uri(text) or text
            return self._uris.get(scheme, {}).get(uri)
        for index, key in ((self._terms, term_key(text)), (self._stems, stem_key(text))):
            candidates = index.get(scheme, {}).get(key)
            if candidates:
                if lang:
                    wanted = fold(lang).split("-")[0]
                    for candidate_lang, concept in candidates:
                        if candidate_lang and candidate_lang.split("-")[0] == wanted:
                            return concept
                return candidates[0][1]
        return None

    def match_statement(self, schemes: tuple[str, ...], statement: str,
                        lang: str | None = None) -> list[tuple[str, URIRef]]:
        """The concepts a compound materials-and-techniques statement is made of, each with its scheme, or []
        unless every word of it is a known term, a linking word or a colour.

        "lavis brun sur papier" is lavis and paper, "placage d'ébène" veneer and ebony: a statement is read
        left to right, the longest known term first ("terre de pipe" before "terre"), in the first scheme of
        ``schemes`` that knows it. A whole statement that is a term is matched by ``match``, not here.
        """
        found: list[tuple[str, URIRef]] = []
        for words in statement_parts(statement):
            start = 0
            while start < len(words):
                end, hit = len(words), None
                while end > start and hit is None:
                    text = " ".join(words[start:end])
                    hit = next(((scheme, concept) for scheme in schemes
                                if (concept := self.match(scheme, text, lang)) is not None), None)
                    end -= 1
                if hit is not None:
                    if hit not in found:
                        found.append(hit)
                    start = end + 1
                elif words[start] in LINK_WORDS or words[start] in COLOUR_WORDS:
                    start += 1
                else:
                    return []
        return found

    def label(self, uri: URIRef | str, lang: str | None = "fr") -> str | None:
        """The concept's preferred label in ``lang``, else in French, English, Dutch, German, else any."""
        labels = self._labels.get(URIRef(str(uri)))
        if not labels:
            return None
        for wanted in (lang, *_FALLBACK_LANGUAGES):
            if wanted in labels:
                return labels[wanted]
        return next(iter(labels.values()))

    def names(self, uri: URIRef | str, term: str) -> bool:
        """Whether ``term`` is the concept's own name (a preferred label in any language, plurals and accents
        aside), rather than a narrower or other term the vocabulary files under it as an alternative label
        ("Kabinettschrank" under furniture, "Palisander" under wood): such a term is the source's, kept beside
        the concept (issue 13)."""
        return stem_key(term) in self._names.get(URIRef(str(uri)), ())

    def labels(self, uri: URIRef | str) -> dict[str | None, str]:
        """Every preferred label of the concept by language."""
        return dict(self._labels.get(URIRef(str(uri)), {}))

    def exact_matches(self, uri: URIRef | str) -> list[URIRef]:
        """External equivalents (AAT, LIDO terminology, ministry thesaurus) of one of our concepts."""
        return list(self._exact.get(URIRef(str(uri)), []))

    def is_concept(self, uri: URIRef | str) -> bool:
        return URIRef(str(uri)) in self._exact

    def scheme_of(self, uri: URIRef | str) -> str | None:
        schemes = sorted(self._schemes_of(URIRef(str(uri)))) if self.is_concept(uri) else []
        return schemes[0] if schemes else None

    def concept_id(self, uri: URIRef | str) -> str | None:
        """'peinture' for ``{base}/vocab/object-type/peinture`` (the id in set specs ``type:{id}``)."""
        text = str(uri)
        if not text.startswith(self.vocab_base) or "/" not in text[len(self.vocab_base):]:
            return None
        return text[len(self.vocab_base):].split("/", 1)[1]


_lock = threading.Lock()


@lru_cache(maxsize=8)
def _load(base_uri: str) -> Vocabularies:
    return Vocabularies(base_uri)


def load_vocabularies(base_uri: str) -> Vocabularies:
    """The shipped vocabularies for a hub at ``base_uri``; parsed once per base URI and process."""
    with _lock:  # harvest worker threads ask at once; parse once
        return _load(base_uri.rstrip("/"))


def static_graphs(base_uri: str) -> dict[str, tuple[bytes, str]]:
    """Each vocabulary as its own named graph ``{base}/vocab/{scheme}``: Turtle with every IRI absolute."""
    vocabularies = load_vocabularies(base_uri)
    graphs: dict[str, tuple[bytes, str]] = {}
    for scheme, graph in vocabularies.scheme_graphs.items():
        data = graph.serialize(format="nt", encoding="utf-8")
        # N-Triples is Turtle too (Turtle is its superset), and sorted lines make the bytes stable.
        lines = sorted(line for line in data.splitlines() if line.strip())
        graphs[f"{vocabularies.base_uri}/vocab/{scheme}"] = (b"\n".join(lines) + b"\n", "text/turtle")
    return graphs
