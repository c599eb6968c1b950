"""LIDO 1.0 and 1.1 records into the graph of docs/profile.md.

The raw record is a ``lido:lido`` element, a ``lido:lidoWrap`` holding one, or an OAI-PMH ``<metadata>``
element holding either. It is parsed strictly (no DTD, no entities, no network): a museum export that is not
well-formed XML is refused with the parser's reason. Real LIDO is messy (issue 4): the attribute spellings are
read by ``musenor.mappings.lido_terms``, terms and URIs matched against the vocabularies, display dates parsed by
``musenor.mappings.dates``. Every source element holding text that the mapping does not read is counted in
``MappedRecord.unmapped`` under its path, so that nothing is dropped silently.

Options (``context.options``): ``local_id``: ``"lidoRecID"`` (default) or ``"recordID"``.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from lxml import etree
from rdflib import Literal, URIRef
from rdflib.term import Node

from musenor.mappings.attribution import ANONYMOUS_STATE, is_anonymous
from musenor.mappings.base import MappedRecord, MappingContext, MappingError
from musenor.mappings.dates import DateSpan, parse_display_date, parse_iso_date, timespan_triples
from musenor.mappings.measurements import (add_dimension, decimal_value, dimension_key, parse_display, types_of,
                                          unit_key)
from musenor.mappings.lido_terms import (authority_uri, is_lido_terminology, language_tag, materials_tech_kind,
                                 pref_kind)
from musenor.mappings.namespaces import (DC, DCTERMS, EDM, FOAF, MUSENOR, ORE, OWL, RDAGR2, RDF, SKOS, WGS84, XSD)
from musenor.mappings.rights import count_off_europeana_list, is_own_spelling, rights_statement
from musenor.mappings.triples import RecordTriples
from musenor.vocabularies.normalise import fold, looks_like_uri

LIDO_NS = "http://www.lido-schema.org"
OAI_NS = "http://www.openarchives.org/OAI/2.0/"
GML_NS = "http://www.opengis.net/gml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS = {"lido": LIDO_NS, "gml": GML_NS, "skos": SKOS_NS, "rdf": RDF_NS}
# A record that states no rights: nobody has evaluated them (Europeana's CNE; UND would claim an evaluation).
UNKNOWN_RIGHTS = URIRef("http://rightsstatements.org/vocab/CNE/1.0/")
_STATEMENT_PREFIXES = ("http://rightsstatements.org/", "http://creativecommons.org/")
MAPPING_VERSION = "lido/5"  # 2: school and culture as musenor:culture; 3: issue 13 (rights, holder, ids...); 4: measurements (issue 13.6); 5: source terms beside the hub concept, qualified dates (13.4, 13.5)

# Object-type concepts whose Europeana type is not "3D" (EDM's five types; everything physical else is 3D).
_EDM_TYPE_OF_CONCEPT = {
    "peinture": "IMAGE", "dessin": "IMAGE", "aquarelle": "IMAGE", "estampe": "IMAGE", "photographie": "IMAGE",
    "affiche": "IMAGE", "carte": "IMAGE", "miniature": "IMAGE", "livre": "TEXT", "manuscrit": "TEXT",
    "document": "TEXT", "esquisse": "IMAGE", "retable": "IMAGE",
}
_EDM_TYPES = {"IMAGE", "TEXT", "3D", "SOUND", "VIDEO"}
CULTURE_SCHEME = "ministry-ecol"  # schools (Joconde T517); lido:culture terms match it in any language
SCHOOL_TYPES = {"ecole", "school", "schule", "culture", "kultur", "cultuur"}
_PRODUCTION_EVENTS = {"production", "creation", "designing"}

_PART_OF = re.compile(r"part of|partie de|teil von|\bdeel van|is part|ispartof|fait partie|gehort zu|lido00617",
                      re.I)
_HAS_PART = re.compile(r"has part|haspart|comprend|enthalt|hat teil|bestaat uit|lido00618", re.I)
_PLACE_DEPTH = 12  # partOfPlace levels read (a street, a city, a region, a nation... and no further)
_THUMBNAIL = re.compile(r"thumb|preview|vignette|lido00451|lido00465", re.I)


def parse_record(raw: bytes) -> etree._Element:
    """The one ``lido:lido`` element of ``raw``; MappingError with the parser's reason when it is not there."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as error:
        raise MappingError(f"not well-formed XML: {error}") from None
    if root.getroottree().docinfo.doctype:
        raise MappingError("a DOCTYPE is not accepted in a LIDO record (no DTDs or entities)")
    if root.tag == f"{{{LIDO_NS}}}lido":
        return root
    if root.tag in (f"{{{LIDO_NS}}}lidoWrap", f"{{{OAI_NS}}}metadata", "metadata"):
        records = root.findall(f".//{{{LIDO_NS}}}lido")
        if len(records) == 1:
            return records[0]
        raise MappingError(f"expected one lido:lido record in {etree.QName(root).localname}, found {len(records)}")
    raise MappingError(f"not a LIDO record: root element {{{etree.QName(root).namespace or ''}}}"
                       f"{etree.QName(root).localname}")


_compiled = threading.local()


def _xpath(path: str) -> etree.XPath:
    # Compiled once per path and thread: the same few hundred paths are asked of every record, and harvests map
    # several museums at once in worker threads (lxml does not promise that one XPath object serves them all).
    cache = getattr(_compiled, "paths", None)
    if cache is None:
        cache = _compiled.paths = {}
    found = cache.get(path)
    if found is None:
        found = cache[path] = etree.XPath(path, namespaces=NS)
    return found


def _decimal(number: Decimal) -> Literal:
    """xsd:decimal in its canonical lexical form ("56.0", "81.5"), so that equal values give equal triples."""
    text = format(number.normalize(), "f")
    return Literal(text if "." in text else f"{text}.0", datatype=XSD.decimal)


def _clean(text: str | None) -> str:
    # str.split() cuts at exactly what \s matches in a str pattern (Unicode white space), and faster.
    return " ".join(text.split()) if text else ""


@dataclass
class LidoRecord:
    """The graph of one record under construction, and what the mapping read of the source."""

    root: etree._Element
    context: MappingContext
    local_id: str
    graph: RecordTriples = field(default_factory=RecordTriples)
    consumed: set[etree._Element] = field(default_factory=set)
    unmatched: Counter[tuple[str, str]] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    sets: list[str] = field(default_factory=list)
    holder: URIRef | None = None  # the institution the record names as holding the object
    owner: URIRef | None = None  # the institution it names as owning it, where the export says so
    # (type, value, unit, occurrence) -> dimension node, so that a repeated descriptiveMetadata adds no copies
    dimensions: dict[tuple[str, str, str | None, int], URIRef] = field(default_factory=dict)

    def __post_init__(self) -> None:
        uris, code = self.context.uris, self.context.museum_code
        self.cho = uris.object(code, self.local_id)
        self.record = uris.record(code, self.local_id)
        self.language = language_tag(self.root.get(XML_LANG)) or self.context.default_language
        self._langs: dict[etree._Element, str] = {}

    # -- reading ------------------------------------------------------------------------------------------------
    def all(self, element: etree._Element, path: str) -> list[etree._Element]:
        return _xpath(path)(element)

    def text(self, element: etree._Element | None) -> str:
        """The element's text (normalised spaces), and the element marked as read."""
        if element is None:
            return ""
        self.consumed.add(element)
        return _clean("".join(element.itertext()))

    def lang(self, element: etree._Element) -> str:
        """The element's language: its own xml:lang or its nearest ancestor's, else the record's."""
        cached = self._langs.get(element)
        if cached is not None:
            return cached
        own = language_tag(element.get(XML_LANG))
        parent = element.getparent()
        tag = own or (self.lang(parent) if parent is not None else self.language)
        self._langs[element] = tag
        return tag

    def literal(self, element: etree._Element) -> Literal | None:
        value = self.text(element)
        return Literal(value, lang=self.lang(element)) if value else None

    def texts(self, element: etree._Element, path: str) -> list[Literal]:
        return [lit for e in self.all(element, path) if (lit := self.literal(e)) is not None]

    def add(self, s: Node, p: URIRef, o: Node | None) -> None:
        if o is not None:
            self.graph.add((s, p, o))

    # -- vocabulary terms ---------------------------------------------------------------------------------------
    def concept(self, scheme: str, holder: etree._Element, *, count: bool = True) -> list[Node]:
        """A LIDO concept (conceptID* + term*): our vocabulary concept when an ID or a term matches, with the
        source's own concept beside it (``source_beside``); else the external authority URI (labelled with the
        terms), else the terms as literals. The hub's concept, when there is one, comes first."""
        vocabularies = self.context.vocabularies
        ids = [(self.text(c), c.get(f"{{{LIDO_NS}}}type"), c.get(f"{{{LIDO_NS}}}source"))
               for c in self.all(holder, "lido:conceptID")]
        # LIDO 1.1 may embed the concept as SKOS (skos:Concept rdf:about, prefLabel, altLabel) instead.
        embedded = self.all(holder, "skos:Concept")
        ids += [(c.get(f"{{{RDF_NS}}}about") or "", "uri", None) for c in embedded]
        terms = self.all(holder, "lido:term") + self.all(holder, "skos:Concept/skos:prefLabel")
        term_literals = [lit for t in terms if (lit := self.literal(t)) is not None]
        # Terms an export adds for search ("Metall" beside "Silber") are not the concept's name.
        named = [lit for t in terms if (lit := self.literal(t)) is not None
                 and fold(t.get(f"{{{LIDO_NS}}}addedSearchTerm") or "") not in ("yes", "ja", "oui", "true")]
        for label in self.all(holder, "skos:Concept/skos:altLabel | skos:Concept/skos:exactMatch | "
                                      "skos:Concept/skos:closeMatch | skos:Concept/*[local-name()='mappingRelation']"):
            self.text(label)
        authorities: list[str] = []
        found: URIRef | None = None
        for value, id_type, id_source in ids:
            uri = authority_uri(value, id_type, id_source)
            if uri:
                authorities.append(uri)
            if vocabularies is not None and value and found is None:
                found = vocabularies.match(scheme, uri or value)
        if vocabularies is not None and found is None:
            for term in term_literals:
                found = vocabularies.match(scheme, str(term), term.language)
                if found is not None:
                    break
        if found is not None:
            return [found, *self.source_beside(found, authorities, named)]
        external = [URIRef(u) for u in authorities if not is_lido_terminology(u)]
        if external:
            for uri in external:
                self.graph.add((uri, RDF.type, SKOS.Concept))
                for term in term_literals:
                    self.graph.add((uri, SKOS.prefLabel, term))
            return external[:1]
        if count:
            for term in term_literals:
                self.unmatched[(scheme, str(term))] += 1
        return list(term_literals)

    def source_beside(self, hub: URIRef, authorities: list[str], terms: list[Literal]) -> list[Node]:
        """What the source said of a concept the hub matched, kept beside the hub's concept (issue 13).

        With authority URIs of its own (AAT, GND, Wikidata, a museum system's terminology), the source's concept
        is its first such URI: labelled with the source's terms that are not the hub concept's own name, the
        element's other URIs as its ``skos:exactMatch``, and ``skos:exactMatch`` the hub's concept when one of
        them is the hub's own equivalent, else ``skos:broader`` it ("Kabinettschrank", AAT 300379868, under
        furniture). Without, each term that is not the hub concept's own name, as a literal in its language
        ("Palisander" beside wood). A term that is the hub concept's name adds nothing: the hub concept says it."""
        vocabularies = self.context.vocabularies
        if vocabularies is None:
            return []
        equivalents = {str(m) for m in vocabularies.exact_matches(hub)}
        uris = [u for u in dict.fromkeys(authorities) if not is_lido_terminology(u) and not vocabularies.is_concept(u)]
        own = [u for u in uris if u not in equivalents]
        terms = [term for term in terms if not vocabularies.names(hub, str(term))]
        source = URIRef(own[0]) if own else None
        g = self.graph
        if source is not None and any(hub_ != hub for p in (SKOS.broader, SKOS.exactMatch)
                                      for hub_ in g.objects(source, p) if vocabularies.is_concept(hub_)):
            # One URI given for two of the hub's concepts (a record's "Inventor" and "Holzschneider" both
            # AAT 300025845): the first use keeps it, this one keeps its terms.
            self.warnings.append(f"concept {source} names two concepts of the hub: kept as its terms here")
            source = None
        if source is None:
            return list(terms)
        g.add((source, RDF.type, SKOS.Concept))
        g.add((source, SKOS.exactMatch if len(own) < len(uris) else SKOS.broader, hub))
        for other in uris[1:] if uris[0] == own[0] else [u for u in uris if u != own[0]]:
            g.add((source, SKOS.exactMatch, URIRef(other)))
        for term in terms:
            g.add((source, SKOS.prefLabel, term))
        return [source]

    # -- contextual entities ------------------------------------------------------------------------------------
    def agent(self, actor: etree._Element, display: str = "") -> URIRef | None:
        names = self.all(actor, "lido:nameActorSet/lido:appellationValue")
        preferred = [n for n in names if pref_kind(n.get(f"{{{LIDO_NS}}}pref")) != "alternate"] or names
        name = self.text(preferred[0]) if preferred else display
        if not name:
            return None
        earliest = next(iter(self.all(actor, "lido:vitalDatesActor/lido:earliestDate")), None)
        latest = next(iter(self.all(actor, "lido:vitalDatesActor/lido:latestDate")), None)
        # A typed vital date is a birth or a death only when its type says so: "evidenceDate" (LIDO 1.1) is a
        # date the actor is known to have been alive or active at, kept as the agent's dc:date (issue 13).
        evidence = [e for e in (earliest, latest) if e is not None and not _is_life_date(e)]
        birth_text = self.text(earliest) if earliest is not None and earliest not in evidence else ""
        death_text = self.text(latest) if latest is not None and latest not in evidence else ""
        birth = parse_iso_date(birth_text) or (span.begin if (span := parse_display_date(birth_text)) else None)
        death = parse_iso_date(death_text, end=True) or (span.end if (span := parse_display_date(death_text)) else None)
        if not birth and not death:
            vital = self.text(next(iter(self.all(actor, "lido:vitalDatesActor/lido:displayDate")), None))
            match = re.fullmatch(r"\(?\s*(\d{4})\s*[-–/]\s*(\d{4})\s*\)?", vital or "")
            if match:
                birth, death = match.group(1), match.group(2)
        birth_year = birth.lstrip("-")[:4].lstrip("0") if birth else None
        agent = self.context.uris.agent(name, birth_year)
        g = self.graph
        g.add((agent, RDF.type, EDM.Agent))
        lang = self.lang(preferred[0]) if preferred else self.language
        g.add((agent, SKOS.prefLabel, Literal(name, lang=lang)))
        for other in names:
            value = self.text(other)
            if value and value != name:
                g.add((agent, SKOS.altLabel, Literal(value, lang=self.lang(other))))
        for element in evidence:
            value = self.text(element)
            if value:
                g.add((agent, DC.date, Literal(value)))
        if birth:
            g.add((agent, RDAGR2.dateOfBirth, DateSpan(birth, birth).begin_literal()))
        if death:
            g.add((agent, RDAGR2.dateOfDeath, DateSpan(death, death).begin_literal()))
        for actor_id in self.all(actor, "lido:actorID"):
            # read, and marked as read only when kept: a local actor id the graph cannot say stays unmapped
            uri = authority_uri(_clean("".join(actor_id.itertext())), actor_id.get(f"{{{LIDO_NS}}}type"),
                                actor_id.get(f"{{{LIDO_NS}}}source"))
            if uri:
                self.text(actor_id)
                g.add((agent, OWL.sameAs, URIRef(uri)))
        kind = (actor.get(f"{{{LIDO_NS}}}type") or "").lower()
        if "person" in kind:
            g.add((agent, DC.type, Literal("person")))
        elif any(word in kind for word in ("organi", "corporat", "group", "institution")):
            g.add((agent, DC.type, Literal("corporate")))
        return agent

    def institution(self, legal_body: etree._Element) -> URIRef | None:
        """The institution a ``legalBodyRefComplexType`` names (repositoryName, recordSource): the harvested museum
        when it names that museum, else an organisation of its own, with its identifiers as ``owl:sameAs``."""
        names = self.all(legal_body, "lido:legalBodyName/lido:appellationValue")
        preferred = [n for n in names if pref_kind(n.get(f"{{{LIDO_NS}}}pref")) != "alternate"] or names
        name = self.text(preferred[0]) if preferred else ""
        ids = [(self.text(e), e.get(f"{{{LIDO_NS}}}type"), e.get(f"{{{LIDO_NS}}}source"))
               for e in self.all(legal_body, "lido:legalBodyID")]
        links = [self.text(e) for e in self.all(legal_body, "lido:legalBodyWeblink")]
        for other in names:
            self.text(other)
        context = self.context
        museums = [value for value, id_type, _ in ids
                   if _MUSEOFILE.match(value) or "museofile" in (id_type or "").lower()]
        hub_museum = f"{context.uris.base}/id/museum/"
        museums += [value[len(hub_museum):] for value, _, _ in ids if value.startswith(hub_museum)]
        if not name and not ids:
            return None
        g = self.graph
        if context.museum_code in museums or not museums and (not name or _same_institution(name, context.museum_name)):
            return context.uris.museum(context.museum_code)
        if museums:  # another member museum (a deposit from it): its own URI within the hub
            uri = context.uris.museum(museums[0])
            g.add((uri, MUSENOR.museofileCode, Literal(museums[0])))
        else:
            uri = context.uris.agent(name)
        g.add((uri, RDF.type, EDM.Agent))
        g.add((uri, RDF.type, FOAF.Organization))
        if name:
            g.add((uri, SKOS.prefLabel, Literal(name, lang=self.lang(preferred[0]))))
        for other in names:
            value = self.text(other)
            if value and value != name:
                g.add((uri, SKOS.altLabel, Literal(value, lang=self.lang(other))))
        for value, id_type, id_source in ids:
            if not value or value in museums or value.startswith(f"{context.uris.base}/id/"):
                continue  # the hub's own URIs and Museofile codes: the URI says them
            same = authority_uri(value, id_type, id_source)
            g.add((uri, OWL.sameAs, URIRef(same)) if same else (uri, DC.identifier, Literal(value)))  # ISIL...
        for link in links:
            if re.match(r"^https?://\S+$", link):
                g.add((uri, FOAF.homepage, URIRef(link)))
        return uri

    def place(self, place: etree._Element, display: str = "", depth: int = 0) -> URIRef | None:
        uri = self._place(place, display)
        # LIDO's partOfPlace nests the broader places (commune, province, nation): each one a place of its own,
        # the narrower dcterms:isPartOf the broader. Bounded: a hostile export may nest without end.
        for parent in self.all(place, "lido:partOfPlace")[:1] if depth < _PLACE_DEPTH else []:
            broader = self.place(parent, depth=depth + 1)
            if uri is not None and broader is not None and broader != uri:
                self.graph.add((uri, DCTERMS.isPartOf, broader))
        return uri

    def _place(self, place: etree._Element, display: str = "") -> URIRef | None:
        names = self.all(place, "lido:namePlaceSet/lido:appellationValue")
        preferred = [n for n in names if pref_kind(n.get(f"{{{LIDO_NS}}}pref")) != "alternate"] or names
        name = self.text(preferred[0]) if preferred else display
        if not name:
            return None
        uri = self.context.uris.place(name)
        g = self.graph
        g.add((uri, RDF.type, EDM.Place))
        g.add((uri, SKOS.prefLabel, Literal(name, lang=self.lang(preferred[0]) if preferred else self.language)))
        for other in names:
            value = self.text(other)
            if value and value != name:
                g.add((uri, SKOS.altLabel, Literal(value, lang=self.lang(other))))
        for place_id in self.all(place, "lido:placeID"):
            same = authority_uri(self.text(place_id), place_id.get(f"{{{LIDO_NS}}}type"),
                                 place_id.get(f"{{{LIDO_NS}}}source"))
            if same:
                g.add((uri, OWL.sameAs, URIRef(same)))
        for pos in self.all(place, ".//gml:pos | .//gml:coordinates"):
            numbers = re.split(r"[\s,]+", self.text(pos))
            try:
                lat, long = (Decimal(n) for n in numbers[:2])
            except (InvalidOperation, ValueError):
                self.warnings.append(f"place {name!r}: coordinates {' '.join(numbers)!r} not understood")
                continue
            if -90 <= lat <= 90 and -180 <= long <= 180:
                g.add((uri, WGS84.lat, _decimal(lat)))
                g.add((uri, WGS84.long, _decimal(long)))
        return uri

    def timespan(self, span: DateSpan) -> URIRef:
        uri = self.context.uris.timespan(span.begin, span.end, span.qualifier)
        for triple in timespan_triples(uri, span):
            self.graph.add(triple)
        return uri


# -- the parts of a record ----------------------------------------------------------------------------------------
def _object_type(b: LidoRecord, descriptive: etree._Element) -> list[Node]:
    found: list[Node] = []
    classified: list[Node] = []
    for work_type in b.all(descriptive, "lido:objectClassificationWrap/lido:objectWorkTypeWrap/lido:objectWorkType"):
        for value in b.concept("object-type", work_type):
            b.graph.add((b.cho, DC.type, value))
            found.append(value)
    for classification in b.all(descriptive, "lido:objectClassificationWrap/lido:classificationWrap/"
                                             "lido:classification"):
        terms = [b.text(t) for t in b.all(classification, "lido:term")]
        europeana = [t for t in terms if t.upper() in _EDM_TYPES and (
            "europeana" in (classification.get(f"{{{LIDO_NS}}}type") or "").lower() or t.isupper())]
        if europeana:
            b.graph.add((b.cho, EDM.type, Literal(europeana[0].upper())))
            continue
        if _is_school(classification.get(f"{{{LIDO_NS}}}type")):
            # A school given as a classification (Flora and Micromusée exports type it "école") is the
            # culture of the production, as lido:culture says it.
            for value in b.concept(CULTURE_SCHEME, classification):
                b.graph.add((b.cho, MUSENOR.culture, value))
            continue
        for value in b.concept("object-type", classification, count=False):
            b.graph.add((b.cho, MUSENOR.classification, value))
            classified.append(value)
    if not found and classified:
        # objectWorkType is required but exports leave it empty where their classification says what the
        # object is (DDB exports: "Münze" as a classification): the classifications type the object.
        for value in classified:
            b.graph.add((b.cho, DC.type, value))
        found = classified
        b.warnings.append("objectWorkType empty: the classifications type the object")
    return found


# vitalDatesActor dates typed as evidence of the actor's existence (LIDO 1.1 "evidenceDate"; "floruit",
# "Wirkungsdaten", "nachweisbar" in German exports): a date the actor was alive or active at, not a birth or death.
_EVIDENCE_DATE_TYPES = re.compile(r"evidence|floruit|nachweis|wirkung|activ|aktiv|tatig", re.I)


def _is_life_date(element: etree._Element) -> bool:
    return not _EVIDENCE_DATE_TYPES.search(fold(element.get(f"{{{LIDO_NS}}}type") or ""))


def _is_school(classification_type: str | None) -> bool:
    return fold(classification_type or "").strip() in SCHOOL_TYPES


def _titles(b: LidoRecord, descriptive: etree._Element) -> None:
    titled: set[str] = set(
        lit.language or "" for lit in b.graph.objects(b.cho, DC.title) if isinstance(lit, Literal))
    for title_set in b.all(descriptive, "lido:objectIdentificationWrap/lido:titleWrap/lido:titleSet"):
        set_kind = pref_kind(title_set.get(f"{{{LIDO_NS}}}pref")) or pref_kind(title_set.get(f"{{{LIDO_NS}}}type"))
        for value in b.all(title_set, "lido:appellationValue"):
            literal = b.literal(value)
            if literal is None:
                continue
            kind = pref_kind(value.get(f"{{{LIDO_NS}}}pref")) or set_kind
            language = literal.language or ""
            if kind != "alternate" and language not in titled:
                b.graph.add((b.cho, DC.title, literal))
                titled.add(language)
            elif (b.cho, DC.title, literal) not in b.graph:
                b.graph.add((b.cho, DCTERMS.alternative, literal))


def _inscriptions(b: LidoRecord, descriptive: etree._Element, start: int) -> int:
    n = start
    for inscription in b.all(descriptive, "lido:objectIdentificationWrap/lido:inscriptionsWrap/lido:inscriptions"):
        transcriptions = b.texts(inscription, "lido:inscriptionTranscription")
        descriptions = b.texts(inscription, "lido:inscriptionDescription/lido:descriptiveNoteValue")
        if not transcriptions and not descriptions:
            continue
        n += 1
        node = b.context.uris.inscription(b.cho, n)
        b.graph.add((b.cho, MUSENOR.inscription, node))
        for value in transcriptions:
            b.graph.add((node, RDF.value, value))
        for value in descriptions:
            b.graph.add((node, DC.description, value))
    return n


_MUSEOFILE = re.compile(r"^M\d{4}$")
_OWNER = re.compile(r"owner|eigentum|eigent[uü]mer|propri[eé]t|eigenaar|bruikleengever|lender|d[eé]posant", re.I)


def _repository(b: LidoRecord, descriptive: etree._Element) -> None:
    """The holder (the current repository), the owner where a repositorySet says so, and the inventory numbers.

    French museums hold many works on deposit (the State's, another museum's): the holder, the owner and the
    museum that sent the record are three facts, each kept (docs/profile.md)."""
    sets = b.all(descriptive, "lido:objectIdentificationWrap/lido:repositoryWrap/lido:repositorySet")
    current = [s for s in sets if "former" not in (s.get(f"{{{LIDO_NS}}}type") or "").lower()] or sets
    for repository in current:
        owner = bool(_OWNER.search(repository.get(f"{{{LIDO_NS}}}type") or ""))
        for name in b.all(repository, "lido:repositoryName"):
            institution = b.institution(name)
            if institution is None:
                continue
            if owner:
                b.owner = b.owner or institution
            else:
                b.holder = b.holder or institution
        if owner:
            continue
        for work_id in b.all(repository, "lido:workID"):
            value = b.text(work_id)
            if value:
                b.graph.add((b.cho, DC.identifier, Literal(value)))
        for location in b.all(repository, "lido:repositoryLocation"):
            place = b.place(location)
            if place is not None:
                b.graph.add((b.cho, EDM.currentLocation, place))


_INSTITUTION_STOP_WORDS = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "der", "die", "das", "und", "van",
                           "het", "of", "the", "museum", "musee", "musees"}


def _same_institution(name: str, museum_name: str) -> bool:
    """Whether a record's name for an institution is the harvested museum's: exports write their own name
    their own way ("Palais des Beaux-Arts, Lille" for "Palais des Beaux-Arts de Lille"), so the significant
    words of one must all be in the other."""
    words = [set(fold(text).replace("-", " ").replace("'", " ").split()) - _INSTITUTION_STOP_WORDS
             for text in (name, museum_name)]
    words = [{w.strip(",.;:()") for w in ws} - {""} for ws in words]
    return bool(words[0]) and bool(words[1]) and (words[0] <= words[1] or words[1] <= words[0])


_MEASUREMENT_QUALIFIERS = ("lido:extentMeasurements", "lido:qualifierMeasurements", "lido:shapeMeasurements",
                           "lido:formatMeasurements", "lido:scaleMeasurements")
# An export template's unfilled field path ("or_record.objectMeasurements.extent_measurements"): not a label.
_TEMPLATE_PATH = re.compile(r"^[A-Za-z_]+(?:\.[A-Za-z_]+)+$")


def _readings(b: LidoRecord, element: etree._Element) -> list[str]:
    """Each text a measurementType or measurementUnit gives, apart: its own text, or (LIDO 1.1) its
    conceptID/term/skos:Concept's URI and labels, so that "height", "Höhe" and an AAT URI are read one by one."""
    b.text(element)
    texts = [_clean(t) for t in element.xpath(".//text()") if _clean(t)]
    texts += [c.get(f"{{{RDF_NS}}}about") or "" for c in b.all(element, ".//skos:Concept")]
    return [t for t in texts if t]


def _measurement_label(b: LidoRecord, element: etree._Element) -> tuple[Literal | None, str | None]:
    """An extentMeasurements as (the part measured, a list of types it gives): "Blatt" -> (Blatt, None),
    "Objektmaß (H x B x L/T)" -> (Objektmaß, "H x B x L/T")."""
    text = b.text(element)
    if not text or _TEMPLATE_PATH.match(text):
        return None, None
    hint = types_of(text) or None
    label = _clean(re.sub(r"\(\s*\)", "", text.replace(hint, "") if hint else text)).strip(" :()") or None
    return (Literal(label, lang=b.lang(element)) if label else None), hint


def _measurements(b: LidoRecord, descriptive: etree._Element, start: int) -> int:
    """Structured measurements (measurementsSet), else the dimensions the displayed text states; each with
    the label the source gives it (extentMeasurements, @lido:label, "Blatt: ..."). A record repeating its
    descriptive metadata in another language repeats its measurements: the copies add their labels."""
    n = start
    g = b.graph
    seen: Counter[tuple[str, str, str | None]] = Counter()
    carried = False
    path = "lido:objectIdentificationWrap/lido:objectMeasurementsWrap/lido:objectMeasurementsSet"

    def add(kind: str, value: Decimal, unit: str | None, labels: list[Literal]) -> None:
        nonlocal n, carried
        carried = True
        key = (kind, str(value), unit)
        seen[key] += 1
        node = b.dimensions.get((*key, seen[key]))
        if node is None:
            n += 1
            node = b.dimensions[(*key, seen[key])] = b.context.uris.dimension(b.cho, n)
            add_dimension(g, node, b.cho, kind, value, unit)
        for label in labels:
            g.add((node, SKOS.prefLabel, label))

    for measurement_set in b.all(descriptive, path):
        displays = b.all(measurement_set, "lido:displayObjectMeasurements")
        for display in displays:
            if (literal := b.literal(display)) is not None:
                g.add((b.cho, DCTERMS.extent, literal))
        set_labels = [Literal(_clean(d.get(f"{{{LIDO_NS}}}label")), lang=b.lang(d)) for d in displays
                      if _clean(d.get(f"{{{LIDO_NS}}}label"))]
        structured = False
        labels, hint = set_labels, None
        unlabelled: list[etree._Element] = []  # extentMeasurements, kept as labels of the dimensions they name
        carried = False
        for measurements in b.all(measurement_set, "lido:objectMeasurements"):
            parts: list[Literal] = []
            for extent in b.all(measurements, "lido:extentMeasurements"):
                part, hint_here = _measurement_label(b, extent)
                parts += [part] if part is not None else []
                hint = hint_here or hint
            labels = parts or set_labels
            for qualifier in b.all(measurements, " | ".join(_MEASUREMENT_QUALIFIERS[1:])):
                if (value := b.literal(qualifier)) is not None:
                    g.add((b.cho, DCTERMS.extent, value))
            unlabelled.extend(e for e in b.all(measurements, "lido:extentMeasurements") if b.literal(e) is not None)
            for measurement in b.all(measurements, "lido:measurementsSet"):
                types = [r for t in b.all(measurement, "lido:measurementType") for r in _readings(b, t)]
                units = [r for u in b.all(measurement, "lido:measurementUnit") for r in _readings(b, u)]
                raw = next((v for v in (b.text(e) for e in b.all(measurement, "lido:measurementValue")) if v), "")
                if not raw:
                    continue
                lang = b.lang(measurement)
                unit = next((k for u in units if (k := unit_key(u))), units[0] if units else None)
                # "Höhe x Breite" / "39,8 x 28,1": two measurements in one set
                listed = parse_display(f"{types[0]}: {raw}", lang) if types and re.search(r"\d\s*[x×]", raw) else []
                if listed:
                    for found in listed:
                        add(found.kind, found.value, unit, labels)
                        structured = True
                    continue
                value = decimal_value(raw)
                if value is None:
                    b.warnings.append(f"measurement value {raw!r} is not a number")
                    continue
                kind = next((k for t in types if (k := dimension_key(t, lang))), types[0] if types else "unknown")
                add(kind, value, unit, labels)
                structured = True
        if not structured:
            # No structured measurement: the first display that states dimensions (the others translate it).
            for display in displays:
                text = b.text(display)
                lang = b.lang(display)
                found = parse_display(text, lang, types_hint=hint)
                if found:
                    for dimension in found:
                        named = [Literal(dimension.label, lang=lang)] if dimension.label else labels
                        add(dimension.kind, dimension.value, dimension.unit, named)
                    break
        if not carried:
            # no dimension here to carry the part measured ("Bildformat (Foto)"): it stays as text
            for extent in unlabelled:
                g.add((b.cho, DCTERMS.extent, b.literal(extent)))
    return n


def _event(b: LidoRecord, event: etree._Element, n: int, event_set: etree._Element) -> None:
    g, cho, uris = b.graph, b.cho, b.context.uris
    uri = uris.event(cho, n)
    g.add((uri, RDF.type, EDM.Event))
    g.add((cho, EDM.wasPresentAt, uri))
    types: list[Node] = []
    for event_type in b.all(event, "lido:eventType"):
        types = types or b.concept("event-type", event_type)
    if not types and b.context.vocabularies is not None:
        types = [uris.concept("event-type", "unknown")]
    known = list(g.objects(uri, EDM.hasType))
    if known:
        # The same event told again in another language's descriptiveMetadata: its first type stands, and
        # this copy's own term ("Herstellung" beside "Production") is kept beside it (issue 13).
        def hub(t: Node) -> bool:
            return isinstance(t, URIRef) and str(t).startswith(f"{uris.base}/vocab/")
        extra = [t for t in types if t not in known and not hub(t)]
        if any(hub(t) and t not in known for t in types):  # this copy names another type: its words stay
            extra += [lit for element in b.all(event, "lido:eventType") for lit in b.texts(element, "lido:term")
                      if lit not in extra and lit not in known]
        types = known + extra
    for value in types:
        g.add((uri, EDM.hasType, value))
    hub_types = [t for t in types if isinstance(t, URIRef) and str(t).startswith(f"{uris.base}/vocab/")]
    type_id = str(hub_types[0]).rsplit("/", 1)[-1] if hub_types else (
        str(types[0]).rsplit("/", 1)[-1] if types and isinstance(types[0], URIRef) else "")
    production = type_id in _PRODUCTION_EVENTS
    for name in b.texts(event_set, "lido:displayEvent") + b.texts(event, "lido:eventName/lido:appellationValue"):
        g.add((uri, SKOS.prefLabel, name))

    # actors
    m = 0
    for actor_holder in b.all(event, "lido:eventActor"):
        display = b.text(next(iter(b.all(actor_holder, "lido:displayActorInRole")), None))
        for in_role in b.all(actor_holder, "lido:actorInRole") or [None]:
            actor = next(iter(b.all(in_role, "lido:actor")), None) if in_role is not None else None
            names = [b.text(e) for e in b.all(actor, "lido:nameActorSet/lido:appellationValue")] \
                if actor is not None else [display]
            anonymous = bool(names) and all(is_anonymous(name) for name in names if name) and any(names)
            agent = b.agent(actor, display) if actor is not None and not anonymous else None
            if agent is None and display and in_role is None and not anonymous:
                agent = uris.agent(display)
                g.add((agent, RDF.type, EDM.Agent))
                g.add((agent, SKOS.prefLabel, Literal(display, lang=b.lang(actor_holder))))
            if agent is None and not anonymous:
                continue
            m += 1
            participation = uris.participation(cho, n, m)
            g.add((uri, MUSENOR.participation, participation))
            g.add((participation, RDF.type, MUSENOR.Participation))
            if anonymous:  # "anonym", "unbekannt": an attribution state, not a person
                g.add((participation, MUSENOR.attribution, Literal(ANONYMOUS_STATE, lang="fr")))
            else:
                g.add((participation, MUSENOR.agent, agent))
            if production and agent is not None:
                g.add((cho, DC.creator, agent))
            if in_role is None:
                continue
            for role in b.all(in_role, "lido:roleActor"):
                for value in b.concept("role", role):
                    g.add((participation, MUSENOR.role, value))
            for qualifier in b.texts(in_role, "lido:attributionQualifierActor"):
                g.add((participation, MUSENOR.attribution, qualifier))
            for extent in b.texts(in_role, "lido:extentActor"):
                g.add((participation, DC.description, extent))

    # dates
    for event_date in b.all(event, "lido:eventDate"):
        displays = b.texts(event_date, "lido:displayDate")
        for display in displays:
            g.add((uri, MUSENOR.displayDate, display))
            if production:
                g.add((cho, DCTERMS.created, display))
        earliest = b.text(next(iter(b.all(event_date, "lido:date/lido:earliestDate")), None))
        latest = b.text(next(iter(b.all(event_date, "lido:date/lido:latestDate")), None))
        begin = parse_iso_date(earliest) if earliest else None
        end = parse_iso_date(latest, end=True) if latest else None
        read = next((found for display in displays if (found := parse_display_date(str(display)))), None)
        span = read
        if begin or end:
            # The machine-readable bounds stand; the display date says how sure they are ("vers 1807" with
            # earliestDate 1807 is approximate, "ab 1664" with no latestDate has no end: issue 13).
            qualified = read is not None
            span = DateSpan(begin or end, end or begin, qualified and read.approximate,  # type: ignore[arg-type]
                            open_begin=not begin and qualified and read.open_begin,
                            open_end=not end and qualified and read.open_end)
        elif span is None and displays:
            b.warnings.append(f"date {str(displays[0])!r} not understood: kept as displayed")
        if span is not None:
            timespan = b.timespan(span)
            g.add((uri, EDM.occurredAt, timespan))
            if production:
                g.add((cho, DCTERMS.temporal, timespan))
    for period in b.all(event, "lido:periodName"):
        for value in b.concept("period", period, count=False):
            g.add((uri, DCTERMS.temporal, value))
            if production:
                g.add((cho, DCTERMS.temporal, value))

    # places
    for event_place in b.all(event, "lido:eventPlace"):
        displays = [b.text(d) for d in b.all(event_place, "lido:displayPlace")]
        display = displays[0] if displays else ""
        place_element = next(iter(b.all(event_place, "lido:place")), None)
        place = b.place(place_element, display) if place_element is not None else None
        if place is None and display:
            place = uris.place(display)
            g.add((place, RDF.type, EDM.Place))
            g.add((place, SKOS.prefLabel, Literal(display, lang=b.lang(event_place))))
        if place is not None:
            g.add((uri, EDM.happenedAt, place))
            if production:
                g.add((cho, DCTERMS.spatial, place))

    # materials and techniques
    for materials in b.all(event, "lido:eventMaterialsTech"):
        for display in b.texts(materials, "lido:displayMaterialsTech"):
            g.add((uri, DCTERMS.medium, display))
            g.add((cho, DCTERMS.medium, display))
        for term in b.all(materials, "lido:materialsTech/lido:termMaterialsTech"):
            kind = materials_tech_kind(term.get(f"{{{LIDO_NS}}}type"))
            scheme = kind or "material"
            values = b.concept(scheme, term, count=kind is not None)
            if kind is None and values and all(isinstance(v, Literal) for v in values):
                technique = b.concept("technique", term, count=False)
                if technique and isinstance(technique[0], URIRef):
                    scheme, values = "technique", technique
                else:
                    for value in values:
                        b.unmatched[("material", str(value))] += 1
            predicate = DC.format if scheme == "technique" else DCTERMS.medium
            for value in values:
                g.add((uri, predicate, value))
                g.add((cho, predicate, value))
        for extent in b.all(materials, "lido:materialsTech/lido:extentMaterialsTech"):
            b.text(extent)  # which part a material is of: kept in the display text
    for description in b.all(event, "lido:eventDescriptionSet"):
        for value in b.texts(description, "lido:descriptiveNoteValue"):
            g.add((uri, DC.description, value))
    for culture in b.all(event, "lido:culture"):
        for value in b.concept(CULTURE_SCHEME, culture):
            g.add((uri, MUSENOR.culture, value))
            if production:
                g.add((cho, MUSENOR.culture, value))


def _subjects(b: LidoRecord, descriptive: etree._Element) -> None:
    g, cho = b.graph, b.cho
    for subject_set in b.all(descriptive, "lido:objectRelationWrap/lido:subjectWrap/lido:subjectSet"):
        for display in b.texts(subject_set, "lido:displaySubject"):
            g.add((cho, DC.subject, display))
        for subject in b.all(subject_set, "lido:subject"):
            for concept in b.all(subject, "lido:subjectConcept"):
                for value in b.concept("subject", concept, count=False):
                    g.add((cho, DC.subject, value))
            for actor in b.all(subject, "lido:subjectActor/lido:actor"):
                display = b.text(next(iter(b.all(actor, "../lido:displayActor")), None))
                agent = b.agent(actor, display)
                if agent is not None:
                    g.add((cho, DC.subject, agent))
            for holder in b.all(subject, "lido:subjectPlace"):
                display = b.text(next(iter(b.all(holder, "lido:displayPlace")), None))
                place_element = next(iter(b.all(holder, "lido:place")), None)
                place = b.place(place_element, display) if place_element is not None else None
                if place is not None:
                    g.add((cho, DC.subject, place))
                    g.add((cho, DCTERMS.spatial, place))
            for date in b.texts(subject, "lido:subjectDate/lido:displayDate"):
                g.add((cho, DCTERMS.temporal, date))
            for event in b.texts(subject, "lido:subjectEvent/lido:displayEvent"):
                g.add((cho, DC.subject, event))
            for obj in b.texts(subject, "lido:subjectObject/lido:displayObject"):
                g.add((cho, DC.subject, obj))


def _related_works(b: LidoRecord, descriptive: etree._Element) -> None:
    g, cho, uris, code = b.graph, b.cho, b.context.uris, b.context.museum_code
    for related in b.all(descriptive, "lido:objectRelationWrap/lido:relatedWorksWrap/lido:relatedWorkSet"):
        relation = " ".join(b.text(e) for e in b.all(related, "lido:relatedWorkRelType/lido:term | "
                                                              "lido:relatedWorkRelType/lido:conceptID"))
        predicate = DCTERMS.isPartOf if _PART_OF.search(relation) else (
            DCTERMS.hasPart if _HAS_PART.search(relation) else EDM.isRelatedTo)
        targets: list[Node] = []
        for web in b.all(related, "lido:relatedWork/lido:object/lido:objectWebResource"):
            link = b.text(web)
            if re.match(r"^https?://\S+$", link):
                targets.append(URIRef(link))
        for object_id in b.all(related, "lido:relatedWork/lido:object/lido:objectID"):
            value = b.text(object_id)
            uri = authority_uri(value, object_id.get(f"{{{LIDO_NS}}}type"), object_id.get(f"{{{LIDO_NS}}}source"))
            if uri:
                targets.append(URIRef(uri))
            elif value and not targets:
                # A local id names a record of the same museum: its object URI within the hub.
                targets.append(uris.object(code, value))
        displays = b.texts(related, "lido:relatedWork/lido:displayObject")
        if not targets:
            targets.extend(displays)
        for target in targets:
            g.add((cho, predicate, target))


def _descriptions(b: LidoRecord, descriptive: etree._Element) -> None:
    path = "lido:objectIdentificationWrap/lido:objectDescriptionWrap/lido:objectDescriptionSet"
    for description_set in b.all(descriptive, path):
        for value in b.texts(description_set, "lido:descriptiveNoteValue"):
            b.graph.add((b.cho, DC.description, value))


def _rights_uri(b: LidoRecord, rights: etree._Element) -> tuple[URIRef | None, list[Literal]]:
    """The rights statement the rightsTypes name (conceptID or term, any known spelling, or the museum's own
    wording as musenor.toml maps it), and the source's texts that are not that statement's own URI, to keep.

    Exports often give two rightsTypes, the kind of right ("Urheberrecht", "Verwertungsrecht") and the statement
    or licence; only when none names a statement are the terms counted as unmatched."""
    found: URIRef | None = None
    stated: list[Literal] = []
    unmatched: list[str] = []
    vocabularies = b.context.vocabularies
    for rights_type in b.all(rights, "lido:rightsType"):
        for element in b.all(rights_type, "lido:conceptID | lido:term"):
            text = b.text(element)
            if not text:
                continue
            statement = rights_statement(text, b.context.rights_map)
            if statement is not None and not is_own_spelling(text, statement):  # a retired URI, the museum's words
                stated.append(Literal(text, lang=None if looks_like_uri(text) else b.lang(element)))
            if statement is None and vocabularies is not None and not looks_like_uri(text):
                match = vocabularies.match("rights", text, b.lang(element))  # a statement's own label
                statement = str(match) if match is not None else None
            if statement is not None and str(statement).startswith(_STATEMENT_PREFIXES):
                found = found or URIRef(statement)
            elif etree.QName(element).localname == "term":
                unmatched.append(text)
    if found is None:
        for term in unmatched:
            b.unmatched[("rights", term)] += 1
    return found, stated


def _rights_credit(b: LidoRecord, rights: etree._Element) -> list[Literal]:
    # a statement's URI given as credit (as our own LIDO output writes a retired one) has no language
    credits = [Literal(str(c)) if looks_like_uri(str(c)) else c for c in b.texts(rights, "lido:creditLine")]
    holders = b.texts(rights, "lido:rightsHolder/lido:legalBodyName/lido:appellationValue")
    dates = b.texts(rights, "lido:rightsDate/lido:displayDate")
    if credits:
        return credits
    if holders:
        year = f" {dates[0]}" if dates else ""
        return [Literal(f"© {h}{year}", lang=h.language) for h in holders]
    return []


def _administrative(b: LidoRecord) -> tuple[str | None]:
    g, cho, record, context = b.graph, b.cho, b.record, b.context
    museum = context.uris.museum(context.museum_code)
    g.add((record, RDF.type, ORE.Aggregation))
    g.add((record, EDM.aggregatedCHO, cho))
    g.add((museum, RDF.type, EDM.Agent))
    g.add((museum, RDF.type, FOAF.Organization))
    g.add((museum, SKOS.prefLabel, Literal(context.museum_name, lang=context.default_language)))
    g.add((museum, MUSENOR.museofileCode, Literal(context.museum_code)))
    g.add((record, EDM.provider, Literal(context.hub_name)))
    datestamp = None
    source_of_record: URIRef | None = None
    for admin in b.all(b.root, "lido:administrativeMetadata"):
        for rights in b.all(admin, "lido:rightsWorkWrap/lido:rightsWorkSet"):
            for value in b.texts(rights, "lido:rightsType/lido:term"):
                g.add((cho, DC.rights, value))
            for credit in _rights_credit(b, rights):
                g.add((cho, DC.rights, credit))
            for holder in b.all(rights, "lido:rightsHolder"):
                institution = b.institution(holder)
                if institution is not None:
                    g.add((cho, MUSENOR.rightsHolder, institution))
            for concept_id in b.all(rights, "lido:rightsType/lido:conceptID"):
                b.text(concept_id)
        for record_wrap in b.all(admin, "lido:recordWrap"):
            for element in b.all(record_wrap, "lido:recordID | lido:recordType/lido:term | "
                                              "lido:recordType/lido:conceptID"):
                b.text(element)  # the record's own id and type: the aggregation says them
            for source in b.all(record_wrap, "lido:recordSource"):
                institution = b.institution(source)
                if institution is not None and institution != museum:  # another institution wrote the record
                    g.add((record, MUSENOR.recordSource, institution))
                    source_of_record = source_of_record or institution
            for rights in b.all(record_wrap, "lido:recordRights"):
                uri, _ = _rights_uri(b, rights)
                if uri is not None:
                    g.add((record, MUSENOR.recordRights, uri))
                for credit in _rights_credit(b, rights):
                    g.add((record, MUSENOR.recordRights, credit))
            links = [b.text(link) for link in b.all(record_wrap, "lido:recordInfoSet/lido:recordInfoLink")]
            for link in links:
                if re.match(r"^https?://\S+$", link):
                    g.add((record, EDM.isShownAt, URIRef(link)))
                    break
            dates = b.all(record_wrap, "lido:recordInfoSet/lido:recordMetadataDate")
            modified = [d for d in dates if "modif" in (d.get(f"{{{LIDO_NS}}}type") or "").lower()] or dates
            for date in modified:
                value = b.text(date)
                if value:
                    datestamp = value
                    break
            for date in dates:
                b.text(date)
        _resources(b, admin)
    # edm:dataProvider is the institution the record names (its repository, else its source), the harvested
    # museum failing both; that museum is the intermediate provider where it is another institution.
    holder = b.holder or source_of_record or museum
    g.add((cho, MUSENOR.repository, holder))
    g.add((record, EDM.dataProvider, holder))
    if holder != museum:
        g.add((record, EDM.intermediateProvider, museum))
    if b.owner is not None and b.owner != holder:
        g.add((cho, MUSENOR.owner, b.owner))
    return (datestamp,)


def _resources(b: LidoRecord, admin: etree._Element) -> None:
    g, record, context = b.graph, b.record, b.context
    rights_of_record: URIRef | None = None
    stated_of_record: list[Literal] = []
    shown: list[URIRef] = []
    thumbnails: list[URIRef] = []
    for resource in b.all(admin, "lido:resourceWrap/lido:resourceSet"):
        rights_uri = None
        credits: list[Literal] = []
        for rights in b.all(resource, "lido:rightsResource"):
            found, stated = _rights_uri(b, rights)
            rights_uri = rights_uri or found
            credits.extend(stated)
            credits.extend(_rights_credit(b, rights))
        if rights_of_record is None and rights_uri is not None:
            rights_of_record = rights_uri
            stated_of_record = [c for c in credits if looks_like_uri(str(c))]
        main: URIRef | None = None
        thumb: URIRef | None = None
        for representation in b.all(resource, "lido:resourceRepresentation"):
            kind = representation.get(f"{{{LIDO_NS}}}type") or ""
            for link in b.all(representation, "lido:linkResource"):
                url = b.text(link)
                if not re.match(r"^https?://\S+$", url):
                    if url:
                        b.warnings.append(f"resource {url!r} is not an http(s) address: not published")
                    continue
                node = URIRef(url)
                if _THUMBNAIL.search(kind):
                    thumb = thumb or node
                    continue
                main = main or node
                g.add((node, RDF.type, EDM.WebResource))
                media = link.get(f"{{{LIDO_NS}}}formatResource")
                if media and "/" in media:
                    g.add((node, DC.format, Literal(media.strip())))
        main = main or thumb
        if main is None:
            continue
        # The museum's numbers of the photograph (resourceID: "DE-MUS-019118/794675/4948631", a negative number)
        for resource_id in b.all(resource, "lido:resourceID"):
            if value := b.text(resource_id):
                g.add((main, DC.identifier, Literal(value)))
        g.add((main, RDF.type, EDM.WebResource))
        if thumb is not None and thumb != main:
            g.add((main, MUSENOR.thumbnail, thumb))
            thumbnails.append(thumb)
        shown.append(main)
        g.add((main, EDM.rights, rights_uri or URIRef(context.default_rights or UNKNOWN_RIGHTS)))
        for credit in credits:
            g.add((main, DC.rights, credit))
        for description in b.texts(resource, "lido:resourceDescription"):
            g.add((main, DC.description, description))
    for n, node in enumerate(dict.fromkeys(shown)):
        g.add((record, EDM.isShownBy if n == 0 else EDM.hasView, node))
    if thumbnails:
        g.add((record, EDM.object, thumbnails[0]))
    if rights_of_record is not None:
        g.add((record, EDM.rights, rights_of_record))
        for stated in stated_of_record:  # the statement as the museum spelled it (a retired Europeana URI...)
            g.add((record, DC.rights, stated))


def _unmapped(b: LidoRecord) -> Counter[str]:
    """Source elements with text that no part of the mapping read, by path from the record."""
    counts: Counter[str] = Counter()
    for element in b.root.iter():
        if not isinstance(element.tag, str) or element in b.consumed or len(element):
            continue
        if not _clean(element.text):
            continue
        if any(ancestor in b.consumed for ancestor in element.iterancestors()):
            continue
        path = [etree.QName(element).localname]
        for ancestor in element.iterancestors():
            if ancestor is b.root:
                break
            path.append(etree.QName(ancestor).localname)
        counts["/".join(reversed(path))] += 1
    return counts


def map_lido(raw: bytes, context: MappingContext) -> MappedRecord:
    """One LIDO record into the graph of docs/profile.md (see the module docstring)."""
    root = parse_record(raw)
    local_id, fallback = _record_id(root, context.options.get("local_id", "lidoRecID"))
    if local_id is None:
        raise MappingError("no lidoRecID, recordID, objectPublishedID or workID: the record has no identifier",
                           museum=context.museum_code)
    b = LidoRecord(root, context, local_id)
    if fallback:
        b.warnings.append(fallback)
    for element in _xpath("lido:lidoRecID | lido:category/*")(root):
        b.text(element)  # identifiers of the record itself and its CIDOC category: the record URI says them
    g, cho = b.graph, b.cho
    for published in _xpath("lido:objectPublishedID")(root):
        # The object's persistent identifier (the Flemish Art Collection's resolvable PIDs, a museum's ARK).
        value = b.text(published)
        pid = authority_uri(value, published.get(f"{{{LIDO_NS}}}type"), published.get(f"{{{LIDO_NS}}}source"))
        if pid and not pid.startswith(f"{context.uris.base}/"):  # our own LIDO output names the hub's URI
            g.add((cho, OWL.sameAs, URIRef(pid)))
    g.add((cho, RDF.type, EDM.ProvidedCHO))

    descriptives = _xpath("lido:descriptiveMetadata")(root)
    if not descriptives:
        raise MappingError("no descriptiveMetadata", local_id=local_id, museum=context.museum_code)
    types: list[Node] = []
    inscriptions = dimensions = 0
    for descriptive in descriptives:
        types += _object_type(b, descriptive)
        _titles(b, descriptive)
        inscriptions = _inscriptions(b, descriptive, inscriptions)
        _repository(b, descriptive)
        dimensions = _measurements(b, descriptive, dimensions)
        _descriptions(b, descriptive)
        # Events are numbered once, in source order; a record repeating its descriptive metadata in another
        # language repeats its events, which are the same events: the later copies add their texts to them.
        for n, (event_set, event) in enumerate(
                ((e.getparent(), e) for e in _xpath("lido:eventWrap/lido:eventSet/lido:event")(descriptive)),
                start=1):
            _event(b, event, n, event_set)
        _subjects(b, descriptive)
        _related_works(b, descriptive)

    (datestamp,) = _administrative(b)
    record = b.record
    if (record, EDM.rights, None) not in g:
        g.add((record, EDM.rights, URIRef(context.default_rights or UNKNOWN_RIGHTS)))

    # Europeana's minimum: a title or a description; a title is always given, from the type when needed.
    if (cho, DC.title, None) not in g:
        if (cho, DC.description, None) not in g:
            raise MappingError("no title and no description (Europeana requires one of them)",
                               local_id=local_id, museum=context.museum_code)
        fallback = next((t for t in types if isinstance(t, Literal)), None)
        if fallback is None and types and context.vocabularies is not None:
            label = context.vocabularies.label(types[0], b.language)
            fallback = Literal(label, lang=b.language) if label else None
        if fallback is None:
            fallback = Literal("sans titre", lang="fr")
        g.add((cho, DC.title, fallback))
        b.warnings.append(f"no title: {fallback!s} (the object type) stands as title")
    if not types:
        raise MappingError("no objectWorkType (LIDO requires one)", local_id=local_id, museum=context.museum_code)

    if (cho, EDM.type, None) not in g:
        g.add((cho, EDM.type, Literal(_edm_type(b, types))))
    vocabularies = context.vocabularies
    if vocabularies is not None:
        for value in types:
            if isinstance(value, URIRef) and vocabularies.scheme_of(value) == "object-type":
                concept_id = vocabularies.concept_id(value)
                if concept_id and f"type:{concept_id}" not in b.sets:
                    b.sets.append(f"type:{concept_id}")
    count_off_europeana_list(g, record, b.unmatched)
    return MappedRecord(local_id=local_id, graph=g, cho=cho, record_uri=record, sets=b.sets,
                        source_datestamp=datestamp, unmapped=_unmapped(b), unmatched=b.unmatched,
                        warnings=b.warnings)


# Identifiers that identify nothing: exports fill a required lidoRecID with "0", "-", "n/a", "unknown" or the
# element's own name, the same in every record of every file.
_PLACEHOLDER_ID = re.compile(r"^[\W0_]*$|^(n/?a|none|null|nil|unknown|inconnu|unbekannt|onbekend|tbd|todo|x+|id|"
                             r"lidorecid|recordid|placeholder|dummy)$", re.I)
_RECORD_IDS = {
    "lidoRecID": "lido:lidoRecID",
    "recordID": "lido:administrativeMetadata/lido:recordWrap/lido:recordID",
    "objectPublishedID": "lido:objectPublishedID",
    "workID": "lido:descriptiveMetadata/lido:objectIdentificationWrap/lido:repositoryWrap/lido:repositorySet/"
              "lido:workID",
}


def _record_id(root: etree._Element, preferred: str) -> tuple[str | None, str | None]:
    """The record's local id: the configured identifier (lidoRecID by default), else the first other stable
    identifier of the record (recordID, objectPublishedID, the inventory number), with a warning saying so."""
    order = [preferred] + [name for name in _RECORD_IDS if name != preferred]
    given: str | None = None
    for name in order:
        for element in _xpath(_RECORD_IDS[name])(root):
            value = _clean(element.text)
            if value and not _PLACEHOLDER_ID.match(value):
                if name == preferred:
                    return value, None
                what = f"the placeholder {given!r}" if given else "empty"
                return value, f"{preferred} is {what}: {name} {value!r} identifies the record"
            if name == preferred and value:
                given = value
    return None, None


def _edm_type(b: LidoRecord, types: list[Node]) -> str:
    vocabularies = b.context.vocabularies
    for value in types:
        if isinstance(value, URIRef) and vocabularies is not None:
            concept_id = vocabularies.concept_id(value)
            if concept_id in _EDM_TYPE_OF_CONCEPT:
                return _EDM_TYPE_OF_CONCEPT[concept_id]
            if concept_id:
                return "3D"
    return "3D"
