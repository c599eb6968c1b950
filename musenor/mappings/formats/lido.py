"""The graph out as LIDO 1.1 (``lido:lido``), for every record whatever its source dialect.

Element order and cardinalities follow lido-v1.1.xsd; where the schema requires an element the graph may lack
(``objectWorkType``, ``titleSet``, ``recordType``, ``recordSource``) a minimal valid one is written. Concept
references carry the concept URI as ``conceptID`` (``lido:type`` = the LIDO 1.1 terminology term for URIs,
``lido00099``) then its external equivalents (AAT...), then the term per language. Event types are LIDO 1.1
terminology URIs (``lido00007`` production...), as aggregators ask for since LIDO 1.1.

Written so that a harvester reading it back (our own lido dialect first: tests/test_round_trip.py) finds the
same graph: what the museum gave only as text goes into the display elements (``displaySubject``,
``displayMaterialsTech``), never into a term a reader would try to match; the hub's own agent and place URIs,
made from names, are not written as IDs; the Europeana type is the ``europeana:type`` classification; each
record rights statement and each current location gets its own set, as readers take one from each.
"""

from __future__ import annotations

from lxml import etree
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from musenor.mappings.attribution import ANONYMOUS_STATE
from musenor.mappings.base import RenderContext
from musenor.mappings.formats.graph_reading import (EVENT_TYPE_LABEL_EN, LIDO_TERMS, RecordGraph, Text,
                                            xml_text)
from musenor.mappings.formats.terms import DC, DCTERMS, EDM, FOAF, MUSENOR, OWL, PROV, RDAGR2, RDF, SKOS, WGS84

LIDO = "http://www.lido-schema.org"
GML = "http://www.opengis.net/gml"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = f"{LIDO} http://www.lido-schema.org/schema/v1.1/lido-v1.1.xsd"

# LIDO 1.1 terminology (http://terminology.lido-schema.org): identifier kinds and material/technique roles.
URI_ID = LIDO_TERMS + "lido00099"  # "URI": the identifier is a URI
LOCAL_ID = LIDO_TERMS + "lido00100"  # local identifier
INVENTORY_NUMBER = LIDO_TERMS + "lido00113"  # inventory number
MATERIAL = LIDO_TERMS + "lido00132"
TECHNIQUE = LIDO_TERMS + "lido00131"
SCHOOL_CLASSIFICATION = "école"  # read back by the lido dialect as a school (its SCHOOL_TYPES)
CATEGORY = ("http://www.cidoc-crm.org/cidoc-crm/E22_Human-Made_Object", "Human-Made Object")

RELATION_TYPES = ((DCTERMS.isPartOf, "is part of"), (DCTERMS.hasPart, "has part"),
                  (EDM.isRelatedTo, "is related to"))
AUTHORITIES = (("viaf.org", "VIAF"), ("d-nb.info/gnd", "GND"), ("vocab.getty.edu/ulan", "ULAN"),
               ("vocab.getty.edu/aat", "AAT"), ("vocab.getty.edu/tgn", "TGN"), ("wikidata.org", "Wikidata"),
               ("data.bnf.fr", "BnF"), ("geonames.org", "GeoNames"), ("iconclass.org", "Iconclass"),
               ("idref.fr", "IdRef"), ("terminology.lido-schema.org", "LIDO"), ("nomisma.org", "nomisma"))


def _q(name: str) -> str:
    return f"{{{LIDO}}}{name}"


def _authority(uri: str) -> str | None:
    for fragment, name in AUTHORITIES:
        if fragment in uri:
            return name
    return None


class _Writer:
    def __init__(self, view: RecordGraph) -> None:
        self.view = view

    # -- generic LIDO shapes -------------------------------------------------------------------------------
    def el(self, parent: etree._Element, name: str, text: str | None = None, lang: str | None = None,
           **attributes: str) -> etree._Element:
        element = etree.SubElement(parent, _q(name))
        for key, value in attributes.items():
            element.set(_q(key) if key in ("type", "source", "pref", "sortorder", "label", "addedSearchTerm") else key,
                        value)
        if lang:
            element.set(XML_LANG, lang)
        if text is not None:
            element.text = xml_text(text)
        return element

    def identifier(self, parent: etree._Element, name: str, uri: str) -> None:
        source = _authority(uri)
        attributes = {"type": URI_ID} | ({"source": source} if source else {})
        self.el(parent, name, uri, **attributes)

    def own_identifier(self, parent: etree._Element, name: str, uri: URIRef) -> None:
        """An external URI as an identifier; the hub's own agent and place URIs are not written: they are made
        from the name (docs/profile.md, URIs), and a harvester reading them back would take them for an
        authority's."""
        if not str(uri).startswith(f"{self.view.base}/id/"):
            self.identifier(parent, name, str(uri))

    def concept(self, parent: etree._Element, name: str, node: Node, **attributes: str) -> etree._Element:
        """A conceptComplexType element for a concept URI or a plain term."""
        element = self.el(parent, name, **attributes)
        if isinstance(node, URIRef):
            self.identifier(element, "conceptID", str(node))
            for match in self.view.exact_matches(node):
                if match != node:
                    self.identifier(element, "conceptID", str(match))
        for text in self.view.labels(node):
            if isinstance(node, Literal) or text.value != str(node):  # no label known: the conceptID says it all
                self.el(element, "term", text.value, text.lang)
        if isinstance(node, URIRef) and not self.view.is_vocabulary_concept(node):
            # The source's own concept beside the hub's (issue 13): the hub concept it files under, named as
            # LIDO names a broader term added for retrieval, so that a harvester (and this hub) reads both.
            for hub in self.view.resources(node, SKOS.broader) + self.view.resources(node, SKOS.exactMatch):
                if self.view.is_vocabulary_concept(hub):
                    for text in self.view.labels(hub)[:1]:
                        self.el(element, "term", text.value, text.lang, addedSearchTerm="yes")
        return element

    def appellation(self, parent: etree._Element, name: str, texts: list[Text], pref: str | None = None,
                    **attributes: str) -> etree._Element | None:
        if not texts:
            return None
        element = self.el(parent, name, **attributes)
        for text in texts:
            self.el(element, "appellationValue", text.value, text.lang, **({"pref": pref} if pref else {}))
        return element

    def legal_body(self, parent: etree._Element, name: str, museum: URIRef | None, **attributes: str) -> None:
        view = self.view
        element = self.el(parent, name, **attributes)
        if museum is not None:
            code = view.value(museum, MUSENOR.museofileCode)
            if code is not None:  # a member museum: its URI within the hub names it for any harvester
                self.identifier(element, "legalBodyID", str(museum))
                self.el(element, "legalBodyID", str(code), type="Museofile", source="Ministère de la Culture")
            for same in view.resources(museum, OWL.sameAs):
                self.identifier(element, "legalBodyID", str(same))
            for local in view.literals(museum, DC.identifier):  # an ISIL, as the source gave it
                self.el(element, "legalBodyID", str(local), type=LOCAL_ID)
        labels = view.texts(museum, SKOS.prefLabel) if museum is not None else []
        code = view.value(museum, MUSENOR.museofileCode) if museum is not None else None
        if code is not None and str(code) in view.context.museum_names:
            labels = [Text(view.context.museum_names[str(code)], None)]
        names = self.appellation(element, "legalBodyName", labels or [Text(view.museum_name(), None)])
        for text in view.texts(museum, SKOS.altLabel) if museum is not None and names is not None else []:
            self.el(names, "appellationValue", text.value, text.lang, pref="alternate")
        for page in view.resources(museum, FOAF.homepage) if museum is not None else []:
            self.el(element, "legalBodyWeblink", str(page))

    def place(self, parent: etree._Element, name: str, place: Node) -> None:
        element = self.el(parent, name)
        if isinstance(place, Literal):
            self.el(element, "displayPlace", str(place), place.language)
            return
        self.place_body(self.el(element, "place"), place)

    def place_body(self, element: etree._Element, place: URIRef, depth: int = 0) -> None:
        """A placeComplexType's content: authority IDs, names (preferred, then alternate), gml points, and the
        broader places it is part of (partOfPlace), to a bounded depth (a cycle in the graph ends there)."""
        view = self.view
        self.own_identifier(element, "placeID", place)
        for same in view.resources(place, OWL.sameAs):
            self.identifier(element, "placeID", str(same))
        name_set = self.appellation(element, "namePlaceSet", view.labels(place))
        if name_set is not None:
            for alt in view.texts(place, SKOS.altLabel):
                self.el(name_set, "appellationValue", alt.value, alt.lang, pref="alternate")
        lats, longs = view.values(place, WGS84.lat), view.values(place, WGS84.long)
        if lats and longs:
            # RDF keeps no pairing of several coordinates: pair them in order, the shorter list's last repeated
            gml = self.el(element, "gml")
            for n in range(max(len(lats), len(longs))):
                point = etree.SubElement(gml, f"{{{GML}}}Point")
                lat, long = lats[min(n, len(lats) - 1)], longs[min(n, len(longs) - 1)]
                etree.SubElement(point, f"{{{GML}}}pos").text = f"{lat} {long}"
        for broader in view.resources(place, DCTERMS.isPartOf)[:1] if depth < PLACE_DEPTH else []:
            if broader != place:
                self.place_body(self.el(element, "partOfPlace"), broader, depth + 1)

    def actor(self, parent: etree._Element, agent: Node) -> None:
        view = self.view
        element = self.el(parent, "actor", **self._actor_type(agent))
        if isinstance(agent, URIRef):
            self.own_identifier(element, "actorID", agent)
            for same in view.resources(agent, OWL.sameAs):
                self.identifier(element, "actorID", str(same))
        names = view.labels(agent)
        name_set = self.appellation(element, "nameActorSet", names, pref="preferred")
        if name_set is not None:
            for alt in view.texts(agent, SKOS.altLabel):
                self.el(name_set, "appellationValue", alt.value, alt.lang, pref="alternate")
        birth, death = view.value(agent, RDAGR2.dateOfBirth), view.value(agent, RDAGR2.dateOfDeath)
        if birth is not None or death is not None:
            dates = self.el(element, "vitalDatesActor")
            if birth is not None:
                self.el(dates, "earliestDate", str(birth), type="birthDate")
            if death is not None:
                self.el(dates, "latestDate", str(death), type="deathDate")
        evidence = view.texts(agent, DC.date)  # a date the actor is known at, not a birth (issue 13)
        if birth is None and death is None and evidence:
            dates = self.el(element, "vitalDatesActor")
            self.el(dates, "earliestDate", evidence[0].value, type="evidenceDate")
            if len(evidence) > 1:
                self.el(dates, "latestDate", evidence[-1].value, type="evidenceDate")

    def _actor_type(self, agent: Node) -> dict[str, str]:
        kind = self.view.value(agent, DC.type)
        if kind is not None and str(kind) in ("person", "corporate"):
            # LIDO's readable values, which harvesters match; the opaque 1.1 codes (lido00163) they often do not
            return {"type": "person" if str(kind) == "person" else "corporation"}
        return {}

    def date(self, parent: etree._Element, name: str, span: Node | None, display: list[Text]) -> None:
        view = self.view
        begin = view.value(span, EDM.begin) if span is not None else None
        end = view.value(span, EDM.end) if span is not None else None
        if not display and begin is None and end is None:
            return
        element = self.el(parent, name)
        for text in display:
            self.el(element, "displayDate", text.value, text.lang)
        if begin is not None or end is not None:
            date = self.el(element, "date")
            if begin is not None:
                self.el(date, "earliestDate", str(begin))
            if end is not None:
                self.el(date, "latestDate", str(end))

    def materials(self, parent: etree._Element, media: list[Node], formats: list[Node]) -> None:
        """A materialsTechSet: materials named only by a text ("huile sur toile") as the display text, as
        museums write them; concepts and techniques as terms typed material / technique."""
        for node in media:
            if isinstance(node, Literal):
                self.el(parent, "displayMaterialsTech", str(node), node.language)
        terms = [(node, MATERIAL) for node in media if not isinstance(node, Literal)] + \
            [(node, TECHNIQUE) for node in formats]
        if terms:
            tech = self.el(parent, "materialsTech")
            for node, kind in terms:
                self.concept(tech, "termMaterialsTech", node, type=kind)

    def rights(self, parent: etree._Element, name: str, statements: list[Node], credits: list[Text],
               holder: URIRef | None = None) -> None:
        if not statements and not credits and holder is None:
            return
        element = self.el(parent, name)
        for statement in statements:
            self.concept(element, "rightsType", statement)
        if holder is not None:
            self.legal_body(element, "rightsHolder", holder)
        for credit in credits:
            self.el(element, "creditLine", credit.value, credit.lang)

    # -- the record ------------------------------------------------------------------------------------------
    def lido(self) -> etree._Element:
        view = self.view
        root = etree.Element(_q("lido"), nsmap={"lido": LIDO, "gml": GML, "xsi": XSI})
        root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
        self.el(root, "lidoRecID", view.local_id(), type=LOCAL_ID, source=view.museum_name())
        self.el(root, "objectPublishedID", str(view.cho), type=URI_ID)
        for same in view.resources(view.cho, OWL.sameAs):
            self.identifier(root, "objectPublishedID", str(same))
        category = self.el(root, "category")
        self.el(category, "conceptID", CATEGORY[0], type=URI_ID, source="CIDOC-CRM")
        self.el(category, "term", CATEGORY[1], "en")
        self.descriptive(self.el(root, "descriptiveMetadata", lang=view.language))
        self.administrative(self.el(root, "administrativeMetadata", lang=view.language))
        return root

    def descriptive(self, parent: etree._Element) -> None:
        view, cho = self.view, self.view.cho
        classification = self.el(parent, "objectClassificationWrap")
        work_types = self.el(classification, "objectWorkTypeWrap")
        types = view.values(cho, DC.type)
        for node in types:
            self.concept(work_types, "objectWorkType", node)
        if not types:
            self.el(work_types, "objectWorkType")  # required by the schema; the graph states no type
        classes = view.values(cho, MUSENOR.classification)
        # A school no event states (a collection system's "école" classification) reads back as it came.
        on_events = {c for event in view.events() for c in view.values(event, MUSENOR.culture)}
        schools = [c for c in view.values(cho, MUSENOR.culture) if c not in on_events]
        edm_type = view.value(cho, EDM.type)
        if classes or schools or edm_type is not None:
            wrap = self.el(classification, "classificationWrap")
            for node in classes:
                self.concept(wrap, "classification", node)
            for node in schools:
                self.concept(wrap, "classification", node, type=SCHOOL_CLASSIFICATION)
            if edm_type is not None:
                # Europeana's LIDO profile carries its five types (IMAGE, TEXT, 3D...) as this classification
                self.el(self.el(wrap, "classification", type="europeana:type"), "term", str(edm_type).upper())

        identification = self.el(parent, "objectIdentificationWrap")
        self.titles(identification)
        self.inscriptions(identification)
        self.repository(identification)
        self.state_edition(identification)
        descriptions = [(text, None) for text in view.texts(cho, DC.description)]
        descriptions += [(text, "provenance") for text in view.texts(cho, DCTERMS.provenance)]
        descriptions += [(text, "comment") for text in view.texts(cho, SKOS.note)]
        if descriptions:
            wrap = self.el(identification, "objectDescriptionWrap")
            for text, kind in descriptions:
                note = self.el(wrap, "objectDescriptionSet", **({"type": kind} if kind else {}))
                self.el(note, "descriptiveNoteValue", text.value, text.lang)
        self.measurements(identification)
        in_events = {node for event in view.events() for p in (DCTERMS.medium, DC.format)
                     for node in view.values(event, p)}
        loose = [node for p in (DCTERMS.medium, DC.format) for node in view.values(cho, p) if node not in in_events]
        if loose:
            wrap = self.el(identification, "objectMaterialsTechWrap")
            media = set(view.values(cho, DCTERMS.medium))
            self.materials(self.el(wrap, "objectMaterialsTechSet"), [n for n in loose if n in media],
                           [n for n in loose if n not in media])

        events = view.events()
        production = view.production()
        implied = production is None and self.implied_production()
        if events or implied:
            wrap = self.el(parent, "eventWrap")
            if implied:
                self.object_production(self.el(wrap, "eventSet"))
            for event in events:
                self.event(self.el(wrap, "eventSet"), event, is_production=event == production)
        self.relations(parent)

    def implied_production(self) -> bool:
        """Whether the object states creators or creation dates though no production event (Dublin Core, CSV)."""
        view, cho = self.view, self.view.cho
        return any(view.values(cho, p) for p in (DC.creator, DCTERMS.created, DCTERMS.temporal))

    def object_production(self, parent: etree._Element) -> None:
        """The production event LIDO wants, from the object's own dc:creator, dcterms:created and temporal."""
        view, cho = self.view, self.view.cho
        element = self.el(parent, "event")
        event_type = self.el(element, "eventType")
        self.el(event_type, "conceptID", LIDO_TERMS + "lido00007", type=URI_ID, source="LIDO")
        self.el(event_type, "term", "Production", "en")
        for agent in view.values(cho, DC.creator):
            self.actor(self.el(self.el(element, "eventActor"), "actorInRole"), agent)
        spans = [t for t in view.values(cho, DCTERMS.temporal) if view.has_type(t, EDM.TimeSpan)]
        self.date(element, "eventDate", spans[0] if spans else None, view.texts(cho, DCTERMS.created))
        for period in view.values(cho, DCTERMS.temporal):
            if not view.has_type(period, EDM.TimeSpan):
                self.concept(element, "periodName", period)

    def titles(self, parent: etree._Element) -> None:
        view, cho = self.view, self.view.cho
        wrap = self.el(parent, "titleWrap")
        preferred = view.texts(cho, DC.title)
        if not preferred:
            # the schema requires a title; an untitled object is named by its type, as cataloguers do
            types = view.values(cho, DC.type)
            preferred = [Text(view.label(types[0]), view.language)] if types else [Text("sans titre", "fr")]
        self.appellation(wrap, "titleSet", preferred, pref="preferred")
        for text in view.texts(cho, DCTERMS.alternative):
            self.appellation(wrap, "titleSet", [text], pref="alternate")

    def inscriptions(self, parent: etree._Element) -> None:
        view = self.view
        inscriptions = view.resources(view.cho, MUSENOR.inscription)
        if not inscriptions:
            return
        wrap = self.el(parent, "inscriptionsWrap")
        for inscription in inscriptions:
            element = self.el(wrap, "inscriptions")
            for text in view.texts(inscription, RDF.value):
                self.el(element, "inscriptionTranscription", text.value, text.lang)
            for text in view.texts(inscription, DC.description):
                self.el(self.el(element, "inscriptionDescription"), "descriptiveNoteValue", text.value, text.lang)

    def repository(self, parent: etree._Element) -> None:
        view, cho = self.view, self.view.cho
        museum = view.museum()
        numbers = view.texts(cho, DC.identifier)
        locations = view.resources(cho, EDM.currentLocation)
        if museum is None and not numbers and not locations:
            return
        wrap = self.el(parent, "repositoryWrap")
        repository = self.el(wrap, "repositorySet", type="current")
        if museum is not None:
            self.legal_body(repository, "repositoryName", museum)
        for number in numbers:
            self.el(repository, "workID", number.value, type=INVENTORY_NUMBER)
        # one location a set (the schema allows one); a multilingual record names its place in each language
        for n, location in enumerate(locations):
            holder = repository if n == 0 else self.el(wrap, "repositorySet", type="current")
            self.place_body(self.el(holder, "repositoryLocation"), location)
        owner = view.value(cho, MUSENOR.owner)
        if isinstance(owner, URIRef):  # a deposit: the owner as a repository of its own kind
            self.legal_body(self.el(wrap, "repositorySet", type="owner"), "repositoryName", owner)

    def state_edition(self, parent: etree._Element) -> None:
        view, cho = self.view, self.view.cho
        states, editions = view.texts(cho, MUSENOR.state), view.texts(cho, MUSENOR.edition)
        if not states and not editions:
            return
        wrap = self.el(parent, "displayStateEditionWrap")
        for text in states:
            self.el(wrap, "displayState", text.value, text.lang)
        for text in editions:
            self.el(wrap, "displayEdition", text.value, text.lang)

    def measurements(self, parent: etree._Element) -> None:
        view, cho = self.view, self.view.cho
        display = view.texts(cho, DCTERMS.extent)
        dimensions = view.resources(cho, MUSENOR.dimension)
        if not display and not dimensions:
            return
        wrap = self.el(parent, "objectMeasurementsWrap")
        measurement_set = self.el(wrap, "objectMeasurementsSet")
        for text in display:
            self.el(measurement_set, "displayObjectMeasurements", text.value, text.lang)
        structured = [d for d in dimensions if view.value(d, RDF.value) is not None]
        # One objectMeasurements per part measured (LIDO allows one in a set): its labels as extentMeasurements.
        parts: dict[tuple[Text, ...], list[URIRef]] = {}
        for dimension in structured:
            parts.setdefault(tuple(view.texts(dimension, SKOS.prefLabel)), []).append(dimension)
        for n, (labels, members) in enumerate(parts.items()):
            target = measurement_set if n == 0 else self.el(wrap, "objectMeasurementsSet")
            measurements = self.el(target, "objectMeasurements")
            for dimension in members:
                item = self.el(measurements, "measurementsSet")
                kind = view.value(dimension, MUSENOR.dimensionType)
                self.el(item, "measurementType", str(kind) if kind is not None else "size", "en")
                self.el(item, "measurementUnit", str(view.value(dimension, MUSENOR.unit) or ""))
                self.el(item, "measurementValue", str(view.value(dimension, RDF.value)))
            for label in labels:
                self.el(measurements, "extentMeasurements", label.value, label.lang)

    def event(self, parent: etree._Element, event: URIRef, is_production: bool) -> None:
        view = self.view
        element = self.el(parent, "event")
        event_type = self.el(element, "eventType")
        lido_type = view.event_type_lido(event)
        kind = view.event_type(event)
        # The hub's type first, then the source's own term or concept beside it (issue 13), in one eventType.
        kinds = [kind, *(k for k in view.values(event, EDM.hasType) if k != kind)] if kind is not None else []
        if lido_type:
            self.el(event_type, "conceptID", lido_type, type=URI_ID, source="LIDO")
        for value in kinds:
            if isinstance(value, URIRef) and str(value) != lido_type:
                self.identifier(event_type, "conceptID", str(value))
        for value in kinds:
            for text in view.labels(value):
                if isinstance(value, Literal) or text.value != str(value):
                    self.el(event_type, "term", text.value, text.lang)
        if lido_type and not len(event_type.findall(_q("term"))):
            self.el(event_type, "term", EVENT_TYPE_LABEL_EN.get(lido_type.rsplit("/", 1)[-1], "Event"), "en")
        self.appellation(element, "eventName", view.texts(event, SKOS.prefLabel))
        for participation in view.participations(event):
            agent = view.value(participation, MUSENOR.agent)
            attributions = view.texts(participation, MUSENOR.attribution)
            anonymous = any(text.value == ANONYMOUS_STATE for text in attributions)
            if agent is None and not anonymous:
                continue
            in_role = self.el(self.el(element, "eventActor"), "actorInRole")
            if agent is not None:
                self.actor(in_role, agent)
            else:  # LIDO needs an actor: the anonymous one, by the name harvesters read as such
                actor = self.el(in_role, "actor")
                self.appellation(actor, "nameActorSet", [Text(ANONYMOUS_STATE, "fr")])
            for role in view.values(participation, MUSENOR.role):
                self.concept(in_role, "roleActor", role)
            for text in attributions:
                if text.value != ANONYMOUS_STATE:
                    self.el(in_role, "attributionQualifierActor", text.value, text.lang)
            for text in view.texts(participation, DC.description):
                self.el(in_role, "extentActor", text.value, text.lang)
        for culture in view.values(event, MUSENOR.culture):
            self.concept(element, "culture", culture)
        self.date(element, "eventDate", view.timespan(event), view.texts(event, MUSENOR.displayDate))
        periods = [p for p in view.values(event, DCTERMS.temporal) if not view.has_type(p, EDM.TimeSpan)]
        if is_production and not periods:
            # a source that gives the object a period of creation but not its production event (Joconde PERI)
            periods = self.loose_periods()
        for period in periods:
            self.concept(element, "periodName", period)
        for place in view.values(event, EDM.happenedAt):
            self.place(element, "eventPlace", place)
        if view.values(event, DCTERMS.medium) or view.values(event, DC.format):
            self.materials(self.el(element, "eventMaterialsTech"), view.values(event, DCTERMS.medium),
                           view.values(event, DC.format))
        for text in view.texts(event, DC.description):
            self.el(self.el(element, "eventDescriptionSet"), "descriptiveNoteValue", text.value, text.lang)

    def loose_periods(self) -> list[Node]:
        """Periods of the object that no event names."""
        view = self.view
        named = {p for event in view.events() for p in view.values(event, DCTERMS.temporal)}
        return [p for p in view.values(view.cho, DCTERMS.temporal)
                if not view.has_type(p, EDM.TimeSpan) and p not in named]

    def subject_dates(self) -> list[Node]:
        """Periods of the object that are not its production's: the dates its subject is about."""
        production = self.view.production()
        if production is None:
            return []  # the implied production event names them all
        own = [p for p in self.view.values(production, DCTERMS.temporal) if not self.view.has_type(p, EDM.TimeSpan)]
        return self.loose_periods() if own else []

    def relations(self, parent: etree._Element) -> None:
        view, cho = self.view, self.view.cho
        subjects = view.values(cho, DC.subject)
        dates = self.subject_dates()
        related = [(work, predicate, label) for predicate, label in RELATION_TYPES
                   for work in view.values(cho, predicate)]
        if not subjects and not related and not dates:
            return
        wrap = self.el(parent, "objectRelationWrap")
        if subjects or dates:
            subject_set = self.el(self.el(wrap, "subjectWrap"), "subjectSet")
            # a subject the museum only wrote as text is displaySubject, as most exports give it
            for node in subjects:
                if isinstance(node, Literal):
                    self.el(subject_set, "displaySubject", str(node), node.language)
            agents = [s for s in subjects if view.has_type(s, EDM.Agent)]
            places = [s for s in subjects if view.has_type(s, EDM.Place)]
            concepts = [s for s in subjects if isinstance(s, URIRef) and s not in agents and s not in places]
            if concepts or agents or places or dates:
                subject = self.el(subject_set, "subject")
                for node in concepts:
                    self.concept(subject, "subjectConcept", node)
                for node in agents:
                    self.actor(self.el(subject, "subjectActor"), node)
                for node in dates:
                    date = self.el(subject, "subjectDate")
                    for text in view.labels(node):
                        self.el(date, "displayDate", text.value, text.lang)
                for node in places:
                    self.place(subject, "subjectPlace", node)
        if related:
            works = self.el(wrap, "relatedWorksWrap")
            for work, predicate, label in related:
                holder = self.el(self.el(works, "relatedWorkSet"), "relatedWork")
                if isinstance(work, URIRef):
                    for text in view.labels(work) if view.properties(work) else []:
                        self.el(holder, "displayObject", text.value, text.lang)
                    self.identifier(self.el(holder, "object"), "objectID", str(work))
                else:
                    self.el(holder, "displayObject", str(work), work.language)
                rel_type = self.el(holder.getparent(), "relatedWorkRelType")
                self.el(rel_type, "conceptID", str(predicate), type=URI_ID, source="DCMI")
                self.el(rel_type, "term", label, "en")

    def administrative(self, parent: etree._Element) -> None:
        view, cho, record = self.view, self.view.cho, self.view.record
        holder = view.value(cho, MUSENOR.rightsHolder)
        self.rights(self.el(parent, "rightsWorkWrap"), "rightsWorkSet", view.resources(cho, DC.rights),
                    view.texts(cho, DC.rights), holder if isinstance(holder, URIRef) else None)
        if not len(parent[0]):
            parent.remove(parent[0])
        wrap = self.el(parent, "recordWrap")
        self.el(wrap, "recordID", view.local_id(), type=LOCAL_ID)
        self.el(self.el(wrap, "recordType"), "term", "item", "en")
        # the institution that wrote the record as received, else the museum that sent it
        sources = view.resources(record, MUSENOR.recordSource) or view.resources(record, EDM.intermediateProvider) \
            or [view.museum()]
        for source in sources:
            self.legal_body(wrap, "recordSource", source)
        record_rights = view.values(record, MUSENOR.recordRights)
        statements = [r for r in record_rights if isinstance(r, URIRef)]
        credits = [Text(xml_text(str(r)), r.language) for r in record_rights if isinstance(r, Literal)]
        # one recordRights per statement, as harvesters read one statement from each
        for n, statement in enumerate(statements or [None]):
            self.rights(wrap, "recordRights", [statement] if statement is not None else [],
                        credits if n == 0 else [])
        links = view.resources(record, EDM.isShownAt)
        generated = view.value(record, PROV.generatedAtTime)
        if links or generated is not None:
            info = self.el(wrap, "recordInfoSet")
            for link in links:
                self.el(info, "recordInfoLink", str(link))
            if generated is not None:
                self.el(info, "recordMetadataDate", str(generated), type="modified")
        resources = view.web_resources()
        if resources:
            wrap = self.el(parent, "resourceWrap")
            for resource in resources:
                self.resource(self.el(wrap, "resourceSet"), resource)

    def resource(self, parent: etree._Element, resource: URIRef) -> None:
        view = self.view
        for number in view.texts(resource, DC.identifier):  # the museum's numbers of the photograph
            self.el(parent, "resourceID", number.value, type=LOCAL_ID)
        representation = self.el(parent, "resourceRepresentation")
        media_type = view.value(resource, DC.format)
        link = self.el(representation, "linkResource", str(resource))
        if media_type is not None:
            link.set(_q("formatResource"), xml_text(str(media_type)))
        for thumbnail in view.resources(resource, MUSENOR.thumbnail):
            self.el(self.el(parent, "resourceRepresentation", type="thumbnail"), "linkResource", str(thumbnail))
        for text in view.texts(resource, DC.description):
            self.el(parent, "resourceDescription", text.value, text.lang)
        for photographer in view.texts(resource, DCTERMS.creator):
            self.appellation(self.el(parent, "resourceSource", type="photographer"), "legalBodyName", [photographer])
        statements = view.resources(resource, EDM.rights) or view.resources(view.record, EDM.rights)
        self.rights(parent, "rightsResource", statements, view.texts(resource, DC.rights))


PLACE_DEPTH = 12  # as the LIDO dialect reads them


def render_lido(graph: Graph, record_uri: URIRef, context: RenderContext) -> etree._Element:
    return _Writer(RecordGraph.of(graph, record_uri, context)).lido()
