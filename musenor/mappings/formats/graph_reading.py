"""A record's graph read once for the output formats (oai_dc, LIDO, EDM, Linked Art).

The OAI server renders every record of a page on each request, so a renderer indexes the record's graph in
one pass (subject -> predicate -> values) and answers every later question from dictionaries. RDF keeps no
order among values: values come out in a stable order (hash URIs by their number, ``event-2`` before
``event-10``; literals by language then text), so the same graph always gives the same bytes.

Labels of vocabulary concepts come from ``context.vocabularies.label(uri, lang)`` when the vocabularies are
loaded, else from the record graph's own ``skos:prefLabel``, else the URI itself (docs/profile.md).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from musenor.mappings.base import RenderContext
from musenor.mappings.formats.terms import DC, DCTERMS, EDM, MUSENOR, RDF, SKOS
from musenor.mappings.uris import decode_local_id

# XML 1.0 section 2.2 Char production; everything else (C0 controls, lone surrogates, U+FFFE/FFFF) is refused by
# every XML parser, and lxml refuses to write it.
_ILLEGAL_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NUMBER_RUN = re.compile(r"(\d+)")
_LIDO_CODE = re.compile(r"/lido\d+$")

LIDO_TERMS = "http://terminology.lido-schema.org/"
PRODUCTION_EVENTS = ("production", "creation", "designing")

# The profile's event-type concepts ({base}/vocab/event-type/{id}) and the LIDO 1.1 event-type terminology
# (terminology.lido-schema.org, the LIDO-Term2CRM table), for vocabularies that give no exactMatch of their own.
EVENT_TYPE_LIDO = {
    "production": "lido00007", "acquisition": "lido00001", "find": "lido00002", "finding": "lido00002",
    "use": "lido00011", "modification": "lido00006", "exhibition": "lido00225", "provenance": "lido00227",
    "designing": "lido00224", "excavation": "lido00033", "creation": "lido00012", "restoration": "lido00034",
    "conservation": "lido00402", "destruction": "lido00026", "move": "lido00223", "collecting": "lido00010",
    "publication": "lido00228", "publishing": "lido00228", "performance": "lido00030",
    "commissioning": "lido00226", "loss": "lido00009", "activity": "lido00004", "unknown": "lido00003",
    "transfer-of-custody": "lido00005", "change-of-custody": "lido00005", "type-assignment": "lido00023",
    "attribution": "lido00024", "part-addition": "lido00008", "part-removal": "lido00021",
    "planning": "lido00032", "execution": "lido00031", "completion": "lido00025",
}
EVENT_TYPE_LABEL_EN = {
    "lido00007": "Production", "lido00001": "Acquisition", "lido00002": "Finding", "lido00011": "Use",
    "lido00006": "Modification", "lido00225": "Exhibition", "lido00227": "Provenance event",
    "lido00224": "Designing", "lido00033": "Excavation", "lido00012": "Creation", "lido00034": "Restoration",
    "lido00402": "Conservation", "lido00026": "Destruction", "lido00223": "Move of object",
    "lido00010": "Collecting", "lido00228": "Publishing", "lido00030": "Performance",
    "lido00226": "Commissioning", "lido00009": "Loss", "lido00004": "Activity", "lido00003": "Unknown event",
}


def xml_text(text: str) -> str:
    """The text with every character XML 1.0 forbids replaced by U+FFFD (a museum export's stray control byte)."""
    return _ILLEGAL_XML.sub("\ufffd", text)


def natural_key(node: Node) -> tuple:
    """``#event-2`` before ``#event-10``; literals grouped by language."""
    text = str(node)
    # isascii: "²" is a digit to str.isdigit() but not a number int() reads.
    parts = tuple((0, int(p), "") if p.isascii() and p.isdigit() else (1, 0, p) for p in _NUMBER_RUN.split(text) if p)
    language = node.language or "" if isinstance(node, Literal) else ""
    return (0 if isinstance(node, URIRef) else 1, language, parts)


@dataclass(frozen=True)
class Text:
    """A text and its language (None for a literal without a language tag)."""

    value: str
    lang: str | None


class RecordGraph:
    """One record's graph, indexed once, with the profile's questions as methods.

    ``graph`` is anything that iterates over the record's triples: an rdflib Graph, or the plain list of
    triples a rendering at publish reads from N-Triples (``rendering.record_triples``), where a Graph would
    only be a container.
    """

    def __init__(self, graph: Graph | Iterable[tuple[Node, Node, Node]], record_uri: URIRef,
                 context: RenderContext) -> None:
        index: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in graph:
            index[s][p].append(o)
        for properties in index.values():
            for values in properties.values():
                if len(values) > 1:
                    values.sort(key=natural_key)
        self._index = index
        self._empty: dict[Node, list[Node]] = {}
        self.context = context
        self.base = context.uris.base
        self.record = record_uri
        cho = self.value(record_uri, EDM.aggregatedCHO)
        if not isinstance(cho, URIRef):
            raise ValueError(f"{record_uri} has no edm:aggregatedCHO in its graph")
        self.cho: URIRef = cho
        self.language = self._record_language()
        self._labels: dict[tuple[Node, str | None], str] = {}

    @classmethod
    def of(cls, graph: Graph | Iterable[tuple[Node, Node, Node]] | RecordGraph, record_uri: URIRef,
           context: RenderContext) -> RecordGraph:
        """The view a renderer reads: ``graph`` itself when it is already this record's view under this context
        (rendering every OAI format of a record indexes its triples once), else a new one."""
        if isinstance(graph, RecordGraph) and graph.record == record_uri and graph.context is context:
            return graph
        return cls(graph, record_uri, context)

    # -- triples ---------------------------------------------------------------------------------------
    def values(self, subject: Node, predicate: URIRef) -> list[Node]:
        return self._index.get(subject, self._empty).get(predicate, [])

    def value(self, subject: Node, predicate: URIRef) -> Node | None:
        values = self.values(subject, predicate)
        return values[0] if values else None

    def literals(self, subject: Node, predicate: URIRef) -> list[Literal]:
        return [v for v in self.values(subject, predicate) if isinstance(v, Literal)]

    def resources(self, subject: Node, predicate: URIRef) -> list[URIRef]:
        return [v for v in self.values(subject, predicate) if isinstance(v, URIRef)]

    def texts(self, subject: Node, predicate: URIRef) -> list[Text]:
        return [Text(xml_text(str(v)), v.language) for v in self.literals(subject, predicate)]

    def has_type(self, subject: Node, rdf_type: URIRef) -> bool:
        return rdf_type in self.values(subject, RDF.type)

    def properties(self, subject: Node) -> dict[Node, list[Node]]:
        return self._index.get(subject, self._empty)

    # -- the profile's questions -------------------------------------------------------------------------
    def events(self) -> list[URIRef]:
        return self.resources(self.cho, EDM.wasPresentAt)

    def event_type(self, event: Node) -> Node | None:
        """The event's type: the hub's event-type concept where the source's own term or concept stands beside
        it (issue 13), else the one type given."""
        kinds = self.values(event, EDM.hasType)
        prefix = f"{self.base}/vocab/event-type/"
        return next((k for k in kinds if isinstance(k, URIRef) and str(k).startswith(prefix)),
                    next((k for k in kinds if isinstance(k, URIRef)), kinds[0] if kinds else None))

    def event_type_id(self, event: Node) -> str | None:
        """The id of the event's type concept in the event-type vocabulary ("production"), or None."""
        kind = self.event_type(event)
        prefix = f"{self.base}/vocab/event-type/"
        if isinstance(kind, URIRef) and str(kind).startswith(prefix):
            return str(kind)[len(prefix):]
        return None

    def event_type_lido(self, event: Node) -> str | None:
        """The LIDO 1.1 terminology URI of the event's type."""
        kind = self.event_type(event)
        if not isinstance(kind, URIRef):
            return None
        if str(kind).startswith(LIDO_TERMS):
            return str(kind)
        matches = [str(m) for m in self.exact_matches(kind) if str(m).startswith(LIDO_TERMS)]
        # LIDO 1.1's opaque codes (lido00007) before the older readable URIs (eventType/production)
        if matches:
            return min(matches, key=lambda m: (not _LIDO_CODE.search(m), m))
        local = EVENT_TYPE_LIDO.get(self.event_type_id(event) or "")
        return LIDO_TERMS + local if local else None

    def production(self) -> URIRef | None:
        """The event that made the object: production, else creation or designing (whose actors are its
        creators too, as the dialects read them)."""
        events = self.events()
        for kinds in (("production",), PRODUCTION_EVENTS):
            for event in events:
                if self.event_type_id(event) in kinds:
                    return event
        return None

    def participations(self, event: Node) -> list[URIRef]:
        return self.resources(event, MUSENOR.participation)

    def timespan(self, subject: Node) -> URIRef | None:
        for value in self.resources(subject, EDM.occurredAt):
            return value
        return None

    def museum(self) -> URIRef | None:
        holder = self.value(self.cho, MUSENOR.repository) or self.value(self.record, EDM.dataProvider)
        return holder if isinstance(holder, URIRef) else None

    def museum_code(self) -> str | None:
        museum = self.museum()
        if museum is None:
            return None
        code = self.value(museum, MUSENOR.museofileCode)
        return str(code) if code is not None else str(museum).rstrip("/").rsplit("/", 1)[-1]

    def museum_name(self) -> str:
        museum = self.museum()
        code = self.museum_code()
        if code and code in self.context.museum_names:
            return self.context.museum_names[code]
        if museum is not None:
            return self.label(museum)
        return self.context.hub_name

    def local_id(self) -> str:
        """The museum's own record id, from the record URI ``{base}/id/record/{code}/{local}``."""
        prefix = f"{self.base}/id/record/"
        text = str(self.record)
        if text.startswith(prefix):
            return decode_local_id(text[len(prefix):].partition("/")[2]) or text
        return text

    def web_resources(self) -> list[URIRef]:
        """The main image first, then the other views."""
        shown = self.resources(self.record, EDM.isShownBy)
        views = [v for v in self.resources(self.record, EDM.hasView) if v not in shown]
        return shown + views

    def is_vocabulary_concept(self, node: Node) -> bool:
        return isinstance(node, URIRef) and str(node).startswith(f"{self.base}/vocab/")

    # -- labels ---------------------------------------------------------------------------------------------
    def label(self, node: Node, lang: str | None = None) -> str:
        """One label for a node: vocabulary label, the graph's prefLabel (in ``lang`` if it has one), the URI."""
        if isinstance(node, Literal):
            return xml_text(str(node))
        lang = lang or self.language
        key = (node, lang)
        cached = self._labels.get(key)
        if cached is not None:
            return cached
        label = None
        vocabularies = self.context.vocabularies
        if vocabularies is not None and isinstance(node, URIRef):
            label = vocabularies.label(node, lang)
        if not label:
            labels = self.literals(node, SKOS.prefLabel)
            chosen = ([v for v in labels if v.language == lang] or [v for v in labels if not v.language]
                      or [v for v in labels if v.language == "en"] or labels)
            label = str(chosen[0]) if chosen else str(node)
        label = xml_text(label)
        self._labels[key] = label
        return label

    def labels(self, node: Node) -> list[Text]:
        """Every label of a node with its language: the graph's own prefLabels, else one chosen label."""
        if isinstance(node, Literal):
            return [Text(xml_text(str(node)), node.language)]
        own = self.texts(node, SKOS.prefLabel)
        if own and not self.is_vocabulary_concept(node):
            return own
        vocabularies = self.context.vocabularies
        if vocabularies is not None and isinstance(node, URIRef):
            found = vocabularies.label(node, self.language)
            if found:
                # the language the vocabulary answered in, which is not the one asked when it lacks that one
                by_language = vocabularies.labels(node) if hasattr(vocabularies, "labels") else {}
                lang = next((k for k, v in by_language.items() if v == found and k == self.language), None) \
                    or next((k for k, v in by_language.items() if v == found), self.language)
                return [Text(xml_text(found), lang)]
        if own:
            return own
        return [Text(str(node), None)]

    def exact_matches(self, node: Node) -> list[URIRef]:
        """External equivalents of a concept (AAT, LIDO terminology): the vocabulary's, then the graph's."""
        found: list[URIRef] = []
        vocabularies = self.context.vocabularies
        if vocabularies is not None and isinstance(node, URIRef):
            found.extend(vocabularies.exact_matches(node) or [])
        for predicate in (SKOS.exactMatch,):
            found.extend(v for v in self.resources(node, predicate) if v not in found)
        return found

    def _record_language(self) -> str:
        """The record's main language: the commonest tag on its object's texts, French for the hub's museums."""
        counts: Counter[str] = Counter()
        for predicate in (DC.title, DC.description, DCTERMS.extent, DCTERMS.created):
            for literal in self.literals(self.cho, predicate):
                if literal.language:
                    counts[literal.language] += 1
        if counts:
            return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]
        return "fr"


def unique(items: Iterable[Text]) -> list[Text]:
    return list(dict.fromkeys(items))
