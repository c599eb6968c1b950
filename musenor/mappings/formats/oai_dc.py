"""The graph out as simple Dublin Core (``oai_dc:dc``), the one format every OAI-PMH harvester reads.

What goes where (docs/profile.md on the left): titles and alternative titles -> title; ``dc:creator`` agents ->
creator; other event participants and the school or culture of the production -> contributor; subjects
(concepts, agents and places depicted) -> subject; descriptions and notes (Joconde COMM) -> description; the
holding museum -> publisher; production date as displayed (else the time-span) -> date; object type -> type;
measurements, materials and techniques -> format; inventory number and object URI -> identifier; the museum's
own page -> source; dc:language -> language; related works -> relation; places and periods -> coverage; rights
statement URI and credit line -> rights.
Concepts are written as their label; every language-tagged text keeps its ``xml:lang``.
"""

from __future__ import annotations

from lxml import etree
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from musenor.mappings.base import RenderContext
from musenor.mappings.formats.graph_reading import RecordGraph, Text, unique, xml_text
from musenor.mappings.formats.terms import DC, DCTERMS, EDM, MUSENOR, SKOS

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"


def _node_texts(view: RecordGraph, nodes: list[Node]) -> list[Text]:
    out: list[Text] = []
    for node in nodes:
        if isinstance(node, Literal):
            out.append(Text(xml_text(str(node)), node.language))
        elif view.has_type(node, EDM.TimeSpan) or view.is_vocabulary_concept(node) or view.properties(node):
            out.extend(view.labels(node)[:1] if view.is_vocabulary_concept(node) else view.labels(node))
        else:
            out.append(Text(str(node), None))  # an external URI with nothing known about it
    return out


def dublin_core(view: RecordGraph) -> list[tuple[str, Text]]:
    """(element name, text) pairs in the order they are written."""
    cho, record = view.cho, view.record
    fields: list[tuple[str, list[Text]]] = []
    fields.append(("title", view.texts(cho, DC.title) + view.texts(cho, DCTERMS.alternative)))
    creators = view.resources(cho, DC.creator)
    fields.append(("creator", _node_texts(view, creators)))
    contributors = []
    for event in view.events():
        for participation in view.participations(event):
            agent = view.value(participation, MUSENOR.agent)
            if agent is not None and agent not in creators and agent not in contributors:
                contributors.append(agent)
    # The culture or school of the production is a contributor, as the LIDO to EDM mapping of Linked Heritage
    # and ATHENA (LIDO's authors) has it.
    cultures = _node_texts(view, view.values(cho, MUSENOR.culture))
    fields.append(("contributor", _node_texts(view, contributors) + cultures))
    fields.append(("subject", _node_texts(view, view.values(cho, DC.subject))))
    fields.append(("description", view.texts(cho, DC.description) + view.texts(cho, SKOS.note)))
    museum = view.museum()
    fields.append(("publisher", [Text(view.museum_name(), None)] if museum is not None else []))
    dates = view.texts(cho, DCTERMS.created)
    if not dates:
        production = view.production()
        if production is not None:
            dates = view.texts(production, MUSENOR.displayDate)
            span = view.timespan(production)
            if not dates and span is not None:
                dates = _node_texts(view, [span])
    fields.append(("date", dates))
    fields.append(("type", _node_texts(view, view.values(cho, DC.type))))
    fields.append(("format", view.texts(cho, DCTERMS.extent) + _node_texts(view, view.values(cho, DCTERMS.medium))
                   + _node_texts(view, view.values(cho, DC.format))))
    fields.append(("identifier", view.texts(cho, DC.identifier) + [Text(str(cho), None)]))
    fields.append(("source", [Text(str(v), None) for v in view.resources(record, EDM.isShownAt)]))
    fields.append(("language", [Text(str(v), None) for v in view.values(cho, DC.language)]))
    related = (view.values(cho, DCTERMS.isPartOf) + view.values(cho, DCTERMS.hasPart)
               + view.values(cho, EDM.isRelatedTo))
    fields.append(("relation", [Text(str(v), None) if isinstance(v, URIRef) else Text(str(v), v.language)
                                for v in related]))
    coverage = [v for v in view.values(cho, DCTERMS.spatial)] + [v for v in view.values(cho, DCTERMS.temporal)]
    fields.append(("coverage", _node_texts(view, coverage)))
    fields.append(("rights", [Text(str(v), None) for v in view.values(record, EDM.rights)]
                   + view.texts(record, DC.rights)))
    return [(name, text) for name, texts in fields for text in unique(texts) if text.value.strip()]


def render_oai_dc(graph: Graph, record_uri: URIRef, context: RenderContext) -> etree._Element:
    view = RecordGraph.of(graph, record_uri, context)
    root = etree.Element(f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC_NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    for name, text in dublin_core(view):
        element = etree.SubElement(root, f"{{{DC_NS}}}{name}")
        element.text = text.value
        if text.lang:
            element.set(XML_LANG, text.lang)
    return root

