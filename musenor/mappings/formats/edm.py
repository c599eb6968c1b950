"""The graph out as EDM RDF/XML (``rdf:RDF``) meeting Europeana's minimum for ingestion.

Europeana reads EDM "external": one ``edm:ProvidedCHO``, its ``ore:Aggregation`` and the contextual entities they
point to (``edm:WebResource``, ``edm:Agent``, ``edm:Place``, ``edm:TimeSpan``, ``skos:Concept``), each a typed
node with ``rdf:about``. The profile's own structure (events, participations, dimensions, ``musenor:``
properties) is flattened into the properties Europeana knows: event participants become ``dc:creator`` /
``dc:contributor`` (and so does the school or culture of the production), the production time-span
``dcterms:temporal``, places ``dcterms:spatial``.

Europeana's rules applied here: ``edm:rights`` must be one of its rightsstatements.org / Creative Commons URIs
spelled with ``http://`` (``musenor.mappings.rights``: every known spelling, retired Europeana and DDB URIs included, as
its current statement); a statement outside that list (UND, NKC, Etalab's Licence Ouverte...) cannot be said in
Europeana's terms, so the aggregation carries CNE (copyright not evaluated, in Europeana's vocabulary) and the
museum's own statement stays in ``dc:rights``. ``dc:language`` is required for
TEXT objects: the record's language when the graph states none. ``edm:dataProvider`` is the name of the
institution the record names as holder (the harvested museum failing that), as Europeana matches providers by
name; the harvested museum is ``edm:intermediateProvider`` where it is another institution. Output follows
musenor/mappings/formats/schemas/edm.xsd's fixed element order.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from lxml import etree
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from musenor.mappings.base import RenderContext
from musenor.mappings.rights import NOT_EVALUATED, europeana_statement
from musenor.mappings.formats.graph_reading import RecordGraph, Text, xml_text
from musenor.mappings.formats.terms import DC, DCTERMS, EDM, MUSENOR, ORE, OWL, RDAGR2, RDF, SKOS, WGS84

RDF_NS = str(RDF)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP = {"rdf": RDF_NS, "edm": str(EDM), "ore": str(ORE), "dc": str(DC), "dcterms": str(DCTERMS),
         "skos": str(SKOS), "owl": str(OWL), "wgs84_pos": str(WGS84), "rdaGr2": str(RDAGR2)}
EDM_TYPES = ("TEXT", "IMAGE", "SOUND", "VIDEO", "3D")
LABEL_LANGUAGES = ("fr", "en", "nl", "de")


def europeana_rights(uri: Node | None) -> str | None:
    """The statement as Europeana accepts it (any known spelling as its current ``http:`` URI), or None when it
    is not on Europeana's list."""
    return europeana_statement(str(uri)) if uri is not None else None


def _decimal(value: Node | None) -> str | None:
    """A coordinate as a decimal Europeana reads ("50.63"), or None for what is not one."""
    if value is None:
        return None
    text = str(value).strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return text if re.fullmatch(r"-?\d+(\.\d+)?", text) else f"{number:.6f}"


class _Writer:
    def __init__(self, view: RecordGraph) -> None:
        self.view = view
        self.root = etree.Element(f"{{{RDF_NS}}}RDF", nsmap=NSMAP)
        self.agents: list[URIRef] = []
        self.places: list[URIRef] = []
        self.timespans: list[URIRef] = []
        self.concepts: list[URIRef] = []

    def node(self, rdf_type: URIRef, about: Node) -> etree._Element:
        element = etree.SubElement(self.root, _qname(rdf_type))
        element.set(f"{{{RDF_NS}}}about", str(about))
        return element

    def literal(self, parent: etree._Element, predicate: URIRef, text: Text) -> None:
        if not text.value.strip():
            return
        element = etree.SubElement(parent, _qname(predicate))
        element.text = text.value
        if text.lang:
            element.set(XML_LANG, text.lang)

    def reference(self, parent: etree._Element, predicate: URIRef, uri: Node) -> None:
        etree.SubElement(parent, _qname(predicate)).set(f"{{{RDF_NS}}}resource", str(uri))

    def value(self, parent: etree._Element, predicate: URIRef, node: Node) -> None:
        """A literal as text, a URI as a reference, remembering the contextual entity it names."""
        if isinstance(node, Literal):
            self.literal(parent, predicate, Text(xml_text(str(node)), node.language))
            return
        self.reference(parent, predicate, node)
        self.remember(node)

    def remember(self, node: Node) -> None:
        view = self.view
        if not isinstance(node, URIRef):
            return
        if view.has_type(node, EDM.Agent):
            bucket = self.agents
        elif view.has_type(node, EDM.Place):
            bucket = self.places
        elif view.has_type(node, EDM.TimeSpan):
            bucket = self.timespans
        elif view.is_vocabulary_concept(node) or view.literals(node, SKOS.prefLabel):
            bucket = self.concepts
        else:
            return  # an external URI the record says nothing about: a bare reference
        if node not in bucket:
            bucket.append(node)

    # -- the classes ---------------------------------------------------------------------------------------
    def provided_cho(self) -> None:
        view, cho = self.view, self.view.cho
        element = self.node(EDM.ProvidedCHO, cho)
        creators = view.resources(cho, DC.creator)
        contributors: list[Node] = []
        for event in view.events():
            for participation in view.participations(event):
                agent = view.value(participation, MUSENOR.agent)
                if agent is not None and agent not in creators and agent not in contributors:
                    contributors.append(agent)
        for agent in contributors:
            self.value(element, DC.contributor, agent)
        for culture in view.values(cho, MUSENOR.culture):  # the school, as oai_dc says it
            self.value(element, DC.contributor, culture)
        for agent in creators:
            self.value(element, DC.creator, agent)
        for node in view.values(cho, DC.description) + view.values(cho, SKOS.note):  # EDM has no note
            self.value(element, DC.description, node)
        for node in view.values(cho, DC.format):
            self.value(element, DC.format, node)
        for node in view.literals(cho, DC.identifier):
            self.value(element, DC.identifier, node)
        edm_type = self.edm_type()
        languages = [str(v) for v in view.values(cho, DC.language)]
        if edm_type == "TEXT" and not languages:
            languages = [view.language]
        for language in languages:
            self.literal(element, DC.language, Text(language, None))
        subjects = view.values(cho, DC.subject)
        for node in subjects:
            self.value(element, DC.subject, node)
        titles = [t for t in view.values(cho, DC.title) if str(t).strip()]
        descriptions = [d for d in view.values(cho, DC.description) if str(d).strip()]
        types = view.values(cho, DC.type)
        if not types and not subjects and not view.values(cho, DCTERMS.spatial) \
                and not view.values(cho, DCTERMS.temporal):
            # Europeana needs one of type/subject/spatial/temporal: the museum's classification says what it is
            types = view.values(cho, MUSENOR.classification)
        for node in titles:
            self.value(element, DC.title, node)
        if not titles and not descriptions:
            # Europeana needs a title or a description; an untitled object is named by its type
            label = view.label(types[0]) if types else "sans titre"
            self.literal(element, DC.title, Text(label, view.language))
        for node in types:
            self.value(element, DC.type, node)
        for predicate in (DCTERMS.alternative, DCTERMS.created, DCTERMS.extent, DCTERMS.hasPart,
                          DCTERMS.isPartOf, DCTERMS.medium, DCTERMS.provenance):
            for node in view.values(cho, predicate):
                self.value(element, predicate, node)
        spatial = list(view.values(cho, DCTERMS.spatial))
        for event in view.events():
            spatial.extend(p for p in view.values(event, EDM.happenedAt) if p not in spatial)
        for node in spatial:
            self.value(element, DCTERMS.spatial, node)
        temporal = list(view.values(cho, DCTERMS.temporal))
        production = view.production()
        span = view.timespan(production) if production is not None else None
        if span is not None and span not in temporal:
            temporal.append(span)
        for node in temporal:
            self.value(element, DCTERMS.temporal, node)
        location = view.value(cho, EDM.currentLocation)
        if isinstance(location, URIRef):
            self.value(element, EDM.currentLocation, location)
        for node in view.values(cho, EDM.isRelatedTo):
            self.value(element, EDM.isRelatedTo, node)
        etree.SubElement(element, _qname(EDM.type)).text = edm_type

    def edm_type(self) -> str:
        stated = self.view.value(self.view.cho, EDM.type)
        text = str(stated).strip().upper() if stated is not None else ""
        # the profile's mappings always state it; an object of a museum is an image of a physical thing at least
        return text if text in EDM_TYPES else "IMAGE"

    def web_resources(self, rights: str) -> None:
        view = self.view
        code, manifest = _manifest(view)
        holds = view.context.holds_image
        for resource in view.web_resources():
            element = self.node(EDM.WebResource, resource)
            # EDM.xsd's WebResourceType has dc:creator, not dcterms:creator: the photographer is the creator
            # of the digital object; its sequence is dc:creator, dc:description, dc:format, dc:rights, edm:rights
            for node in view.literals(resource, DCTERMS.creator) + view.literals(resource, DC.creator):
                self.value(element, DC.creator, node)
            for node in view.literals(resource, DC.description):  # the caption
                self.value(element, DC.description, node)
            for node in view.literals(resource, DC.format):
                self.value(element, DC.format, node)
            for node in view.literals(resource, DC.rights):
                self.value(element, DC.rights, node)
            own = view.value(resource, EDM.rights)
            self.reference(element, EDM.rights, europeana_rights(own) or rights)
            # Europeana's IIIF guidelines: a web resource shown by a IIIF manifest names it with
            # dcterms:isReferencedBy. The hub's manifest shows the images it holds a copy of (its display
            # size; no IIIF Image API service, so no svcs:has_service / svcs:Service is stated).
            if manifest is not None and holds is not None and holds(code, str(resource)):
                self.reference(element, DCTERMS.isReferencedBy, manifest)

    def agent(self, agent: URIRef) -> None:
        view = self.view
        element = self.node(EDM.Agent, agent)
        for text in _named(view.labels(agent), agent):
            self.literal(element, SKOS.prefLabel, text)
        for text in view.texts(agent, SKOS.altLabel):
            self.literal(element, SKOS.altLabel, text)
        for text in view.texts(agent, DC.date):  # a date the agent is evidenced at, not a birth (issue 13)
            self.literal(element, DC.date, text)
        for predicate in (RDAGR2.dateOfBirth, RDAGR2.dateOfDeath):
            value = view.value(agent, predicate)
            if value is not None:
                self.literal(element, predicate, Text(xml_text(str(value)), None))
        for same in view.resources(agent, OWL.sameAs):
            self.reference(element, OWL.sameAs, same)

    def place(self, place: URIRef) -> None:
        view = self.view
        element = self.node(EDM.Place, place)
        lat, long = _decimal(view.value(place, WGS84.lat)), _decimal(view.value(place, WGS84.long))
        if lat is not None and long is not None and _in_range(lat, 90) and _in_range(long, 180):
            self.literal(element, WGS84.lat, Text(lat, None))
            self.literal(element, WGS84.long, Text(long, None))
        for text in _named(view.labels(place), place):
            self.literal(element, SKOS.prefLabel, text)
        for text in view.texts(place, SKOS.altLabel):
            self.literal(element, SKOS.altLabel, text)
        # the broader place (LIDO partOfPlace), itself written as a contextual place (each once: a cycle ends)
        for broader in view.resources(place, DCTERMS.isPartOf):
            if broader != place:
                self.value(element, DCTERMS.isPartOf, broader)
        for same in view.resources(place, OWL.sameAs):
            self.reference(element, OWL.sameAs, same)

    def timespan(self, span: URIRef) -> None:
        view = self.view
        element = self.node(EDM.TimeSpan, span)
        for text in view.texts(span, SKOS.prefLabel):
            self.literal(element, SKOS.prefLabel, text)
        for predicate in (EDM.begin, EDM.end):
            value = view.value(span, predicate)
            if value is not None:
                self.literal(element, predicate, Text(xml_text(str(value)), None))

    def concept(self, concept: URIRef) -> None:
        view = self.view
        element = self.node(SKOS.Concept, concept)
        labels = view.texts(concept, SKOS.prefLabel)
        vocabularies = view.context.vocabularies
        if vocabularies is not None and view.is_vocabulary_concept(concept):
            found = [Text(xml_text(label), lang) for lang in LABEL_LANGUAGES
                     if (label := vocabularies.label(concept, lang))]
            labels = list(dict.fromkeys(found)) or labels
        for text in _named(labels or view.labels(concept), concept):
            self.literal(element, SKOS.prefLabel, text)
        for broader in view.resources(concept, SKOS.broader):  # the hub concept a source's own files under
            self.reference(element, SKOS.broader, broader)
        for match in view.exact_matches(concept):
            self.reference(element, SKOS.exactMatch, match)

    def aggregation(self, rights: str) -> None:
        view, record = self.view, self.view.record
        element = self.node(ORE.Aggregation, record)
        self.reference(element, EDM.aggregatedCHO, view.cho)
        self.literal(element, EDM.dataProvider, Text(view.museum_name(), None))
        shown_by = view.resources(record, EDM.isShownBy)[:1]
        for view_uri in view.web_resources():
            if view_uri not in shown_by:
                self.reference(element, EDM.hasView, view_uri)
        for landing in view.resources(record, EDM.isShownAt)[:1]:
            self.reference(element, EDM.isShownAt, landing)
        for image in shown_by:
            self.reference(element, EDM.isShownBy, image)
        if not view.resources(record, EDM.isShownAt) and not shown_by:
            # Europeana needs one of them; the hub's own page for the object always exists
            self.reference(element, EDM.isShownAt, _hub_page(view))
        thumbnail = next((t for image in shown_by for t in view.resources(image, MUSENOR.thumbnail)), None)
        thumbnail = thumbnail or (view.value(record, EDM.object) if isinstance(view.value(record, EDM.object),
                                                                                URIRef) else None)
        if thumbnail is not None:
            self.reference(element, EDM.object, thumbnail)
        provider = view.value(record, EDM.provider)
        self.literal(element, EDM.provider, Text(str(provider) if provider is not None else view.context.hub_name,
                                                 None))
        credit = view.texts(record, DC.rights)
        stated = view.value(record, EDM.rights)
        if stated is not None and europeana_rights(stated) is None:
            credit = credit + [Text(str(stated), None)]  # the museum's statement, kept where Europeana reads text
        for text in credit:
            self.literal(element, DC.rights, text)
        self.reference(element, EDM.rights, rights)
        for museum in view.resources(record, EDM.intermediateProvider):  # the museum that sent another's record
            code = view.value(museum, MUSENOR.museofileCode)
            name = view.context.museum_names.get(str(code)) if code is not None else None
            self.literal(element, EDM.intermediateProvider, Text(name or view.label(museum), None))

    def rdf(self) -> etree._Element:
        view = self.view
        rights = europeana_rights(view.value(view.record, EDM.rights)) or NOT_EVALUATED
        self.provided_cho()
        self.web_resources(rights)
        # contextual entities of contextual entities: an agent's birthplace is not written, so one level suffices
        for agent in self.agents:
            self.agent(agent)
        for place in self.places:
            self.place(place)
        for span in self.timespans:
            self.timespan(span)
        for concept in self.concepts:
            self.concept(concept)
        self.aggregation(rights)
        return self.root


def _named(labels: list[Text], node: Node) -> list[Text]:
    """The labels that say something; the URI itself when none does (a contextual entity needs a prefLabel)."""
    return [t for t in labels if t.value.strip()] or [Text(str(node), None)]


def _in_range(value: str, limit: int) -> bool:
    try:
        return -limit <= float(value) <= limit
    except ValueError:
        return False


def _hub_page(view: RecordGraph) -> str:
    prefix = f"{view.base}/id/object/"
    text = str(view.cho)
    return f"{view.base}/notice/{text[len(prefix):]}" if text.startswith(prefix) else text


def _manifest(view: RecordGraph) -> tuple[str, URIRef | None]:
    """The museum code of the record and the URL of its IIIF manifest (``musenor.oai_server.iiif``)."""
    prefix = f"{view.base}/id/record/"
    text = str(view.record)
    if not text.startswith(prefix):
        return "", None
    code, _, local = text[len(prefix):].partition("/")
    return code, URIRef(f"{view.base}/iiif/{code}/{quote(unquote(local), safe='')}/manifest.json")


def _qname(uri: URIRef) -> str:
    text = str(uri)
    for namespace in NSMAP.values():
        if text.startswith(namespace):
            return f"{{{namespace}}}{text[len(namespace):]}"
    raise ValueError(f"{uri} is outside the EDM namespaces")


def render_edm(graph: Graph, record_uri: URIRef, context: RenderContext) -> etree._Element:
    return _Writer(RecordGraph.of(graph, record_uri, context)).rdf()
