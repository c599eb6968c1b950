"""Simple Dublin Core (``oai_dc:dc``) into the graph of docs/profile.md, for museums whose system only speaks DC.

The raw record is an ``oai_dc:dc`` element, or an OAI-PMH ``<metadata>`` or ``<record>`` holding one. The
fifteen elements carry little structure, so the mapping reads what the common museum systems put in them:
``dc:identifier`` holds the inventory number and often the landing page or image URL as well; ``dc:creator``
names the maker (production event); ``dc:date`` the production date as displayed; ``dc:format`` either the
dimensions or the materials and techniques, often as one statement ("pierre noire, rehauts de craie blanche sur
papier bleu": its techniques' concepts in ``dc:format``, its materials' in ``dcterms:medium``, the statement as
said beside them); ``dc:type`` the object type or a DCMI type.

The local id is the first ``dc:identifier`` that is not a URL (the museum's record or inventory number), or
with ``context.options["local_id"] = "header"`` the OAI identifier's last ``:`` part when a ``<record>`` is given.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from lxml import etree
from rdflib import Literal, URIRef
from rdflib.term import Node

from musenor.mappings.base import MappedRecord, MappingContext, MappingError
from musenor.mappings.dates import parse_display_date, timespan_triples
from musenor.mappings.lido_terms import language_tag
from musenor.mappings.namespaces import DC, DCTERMS, EDM, FOAF, MUSENOR, ORE, RDF, SKOS
from musenor.mappings.rights import count_off_europeana_list, is_own_spelling, rights_statement
from musenor.mappings.triples import RecordTriples
from musenor.vocabularies.normalise import canonical_uri, looks_like_uri

MAPPING_VERSION = "oai_dc/3"  # 2: rights: retired URIs, museum wording, CNE when none; 3: source terms kept beside the hub concept (13.4)

if TYPE_CHECKING:
    from musenor.vocabularies import Vocabularies

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
UNKNOWN_RIGHTS = URIRef("http://rightsstatements.org/vocab/CNE/1.0/")  # none stated: not evaluated
ELEMENTS = ("title", "creator", "subject", "description", "publisher", "contributor", "date", "type", "format",
            "identifier", "source", "language", "relation", "coverage", "rights")

# DCMI Type vocabulary -> Europeana's edm:type.
_DCMI_TYPES = {"image": "IMAGE", "stillimage": "IMAGE", "text": "TEXT", "physicalobject": "3D", "sound": "SOUND",
               "movingimage": "VIDEO", "3d": "3D", "video": "VIDEO"}
_EDM_TYPE_OF_CONCEPT = {"peinture": "IMAGE", "dessin": "IMAGE", "aquarelle": "IMAGE", "estampe": "IMAGE",
                        "photographie": "IMAGE", "affiche": "IMAGE", "carte": "IMAGE", "miniature": "IMAGE",
                        "livre": "TEXT", "manuscrit": "TEXT", "document": "TEXT"}
_IMAGE_URL = re.compile(r"^https?://\S+\.(?:jpe?g|png|gif|tiff?|webp)(?:\?\S*)?$", re.I)
_HTTP = re.compile(r"^https?://\S+$", re.I)
_MEASURE = re.compile(r"\d\s*(?:[.,]\d+)?\s*(?:mm|cm|m|g|kg)\b|\b[hlp]\.?\s*\d|\d+\s*[x×]\s*\d+", re.I)
_MEDIA_TYPE = re.compile(r"^(?:image|text|audio|video|application)/[\w.+-]+$", re.I)


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _find_dc(raw: bytes) -> tuple[etree._Element, str | None]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True,
                             remove_pis=True)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as error:
        raise MappingError(f"not well-formed XML: {error}") from None
    if root.getroottree().docinfo.doctype:
        raise MappingError("a DOCTYPE is not accepted in a Dublin Core record (no DTDs or entities)")
    header_id = None
    header = root.find(f"{{{OAI_NS}}}header") if root.tag == f"{{{OAI_NS}}}record" else None
    if header is not None:
        header_id = _clean(header.findtext(f"{{{OAI_NS}}}identifier")) or None
    if root.tag == f"{{{OAI_DC_NS}}}dc":
        return root, header_id
    found = root.findall(f".//{{{OAI_DC_NS}}}dc")
    if len(found) == 1:
        return found[0], header_id
    raise MappingError(f"expected one oai_dc:dc element, found {len(found)} in {etree.QName(root).localname}")


def _materials_and_techniques(text: str, lang: str, concept: Callable[[str, str, str], Node],
                              vocabularies: Vocabularies | None) -> list[tuple[URIRef, Node]]:
    """A ``dc:format`` statement as techniques (``dc:format``) and materials (``dcterms:medium``)."""
    if vocabularies is not None and not looks_like_uri(text) and vocabularies.match("technique", text, lang) is None:
        parts = vocabularies.match_statement(("technique", "material"), text, lang)
        if parts:
            return [(DC.format if scheme == "technique" else DCTERMS.medium, value) for scheme, value in parts] + [
                (DC.format, Literal(text, lang=lang))]
    return [(DC.format, concept("technique", text, lang))]


def map_oai_dc(raw: bytes, context: MappingContext) -> MappedRecord:
    """One simple Dublin Core record into the graph (see the module docstring)."""
    dc, header_id = _find_dc(raw)
    record_lang = language_tag(dc.get(XML_LANG)) or context.default_language
    values: dict[str, list[tuple[str, str]]] = {name: [] for name in ELEMENTS}
    unmapped: Counter[str] = Counter()
    for child in dc:
        if not isinstance(child.tag, str):
            continue
        qname = etree.QName(child)
        text = _clean("".join(child.itertext()))
        if qname.namespace != DC_NS or qname.localname not in values:
            if text:
                unmapped[f"{qname.localname}"] += 1
            continue
        if text:
            values[qname.localname].append((text, language_tag(child.get(XML_LANG)) or record_lang))

    identifiers = [text for text, _ in values["identifier"]]
    if context.options.get("local_id") == "header" and header_id:
        local_id = header_id.rsplit(":", 1)[-1]
    else:
        local_id = next((i for i in identifiers if not _HTTP.match(i)), None) or (
            header_id.rsplit(":", 1)[-1] if header_id else None)
    if not local_id:
        raise MappingError("no dc:identifier that names the record (and no OAI header)", museum=context.museum_code)

    g = RecordTriples()
    uris, code = context.uris, context.museum_code
    cho, record = uris.object(code, local_id), uris.record(code, local_id)
    vocabularies = context.vocabularies
    unmatched: Counter[tuple[str, str]] = Counter()
    warnings: list[str] = []
    sets: list[str] = []

    def concept(scheme: str, text: str, lang: str, *, count: bool = True) -> Node:
        if looks_like_uri(text):
            uri = canonical_uri(text) or text
            found = vocabularies.match(scheme, uri) if vocabularies is not None else None
            return found or URIRef(uri)
        found = vocabularies.match(scheme, text, lang) if vocabularies is not None else None
        if found is not None:
            return found
        if count:
            unmatched[(scheme, text)] += 1
        return Literal(text, lang=lang)

    def beside(value: Node, text: str, lang: str) -> list[Node]:
        """The source's word kept beside the hub concept it matched, unless it is that concept's own name
        ("Kabinettschrank" beside furniture, issue 13)."""
        if isinstance(value, URIRef) and vocabularies is not None and vocabularies.is_concept(value) \
                and not looks_like_uri(text) and not vocabularies.names(value, text):
            return [Literal(text, lang=lang)]
        return []

    g.add((cho, RDF.type, EDM.ProvidedCHO))
    titled: set[str] = set()
    for text, lang in values["title"]:
        if lang in titled:
            g.add((cho, DCTERMS.alternative, Literal(text, lang=lang)))
        else:
            g.add((cho, DC.title, Literal(text, lang=lang)))
            titled.add(lang)
    for text, lang in values["description"]:
        g.add((cho, DC.description, Literal(text, lang=lang)))
    if not values["title"] and not values["description"]:
        raise MappingError("no title and no description (Europeana requires one of them)", local_id=local_id,
                           museum=code)

    edm_type = None
    types: list[Node] = []
    for text, lang in values["type"]:
        dcmi = _DCMI_TYPES.get(re.sub(r"[^a-z0-9]", "", text.lower().rsplit("/", 1)[-1]))
        if dcmi:
            edm_type = edm_type or dcmi
            continue
        value = concept("object-type", text, lang)
        for kept in [value, *beside(value, text, lang)]:
            g.add((cho, DC.type, kept))
        types.append(value)
    if not types:
        # Europeana's dc:type/subject requirement: the DCMI type is all we have; kept as a literal.
        for text, lang in values["type"]:
            g.add((cho, DC.type, Literal(text, lang=lang)))
            types.append(Literal(text, lang=lang))
    if not types:
        raise MappingError("no dc:type (every record needs an object type)", local_id=local_id, museum=code)
    for value in types:
        if isinstance(value, URIRef) and vocabularies is not None and vocabularies.scheme_of(value) == "object-type":
            concept_id = vocabularies.concept_id(value) or ""
            edm_type = edm_type or _EDM_TYPE_OF_CONCEPT.get(concept_id, "3D")
            if f"type:{concept_id}" not in sets:
                sets.append(f"type:{concept_id}")
    if not titled:
        label = str(types[0]) if isinstance(types[0], Literal) else (
            vocabularies.label(types[0], record_lang) if vocabularies is not None else None) or "sans titre"
        g.add((cho, DC.title, Literal(label, lang=record_lang)))
        warnings.append(f"no title: {label} (the object type) stands as title")
    g.add((cho, EDM.type, Literal(edm_type or "3D")))

    for text, lang in values["subject"]:
        value = concept("subject", text, lang, count=False)
        for kept in [value, *beside(value, text, lang)]:
            g.add((cho, DC.subject, kept))
    for text, lang in values["coverage"]:
        span = parse_display_date(text)
        g.add((cho, DCTERMS.temporal if span else DCTERMS.spatial, Literal(text, lang=lang)))
    for text, _lang in values["language"]:
        tag = language_tag(text)
        g.add((cho, DC.language, Literal(tag if tag and len(tag) <= 3 else text)))
    for text, lang in values["format"]:
        if _MEDIA_TYPE.match(text):
            continue  # the media type of the digital object: set on the web resource below
        if _MEASURE.search(text):
            g.add((cho, DCTERMS.extent, Literal(text, lang=lang)))
        else:
            for predicate, value in _materials_and_techniques(text, lang, concept, vocabularies):
                g.add((cho, predicate, value))
                if predicate == DC.format and vocabularies is not None and vocabularies.match("technique", text,
                                                                                             lang) == value:
                    for kept in beside(value, text, lang):  # the statement's own word, when one term
                        g.add((cho, predicate, kept))
    for name, predicate in (("publisher", DC.publisher), ("contributor", DC.contributor), ("source", DC.source)):
        for text, lang in values[name]:
            g.add((cho, predicate, URIRef(text) if _HTTP.match(text) else Literal(text, lang=lang)))
    for text, lang in values["relation"]:
        g.add((cho, EDM.isRelatedTo, URIRef(text) if _HTTP.match(text) else Literal(text, lang=lang)))

    # The production: creators and the date, as an event (docs/profile.md lists dc:creator in the event too).
    if values["creator"] or values["date"]:
        event = uris.event(cho, 1)
        g.add((event, RDF.type, EDM.Event))
        g.add((event, EDM.hasType, uris.concept("event-type", "production")))
        g.add((cho, EDM.wasPresentAt, event))
        for m, (text, lang) in enumerate(values["creator"], start=1):
            name, _, life = text.partition(" (")
            years = re.findall(r"-?\d{4}", life)
            agent = uris.agent(name.strip(), years[0] if years else None)
            g.add((agent, RDF.type, EDM.Agent))
            g.add((agent, SKOS.prefLabel, Literal(name.strip(), lang=lang)))
            g.add((cho, DC.creator, agent))
            participation = uris.participation(cho, 1, m)
            g.add((event, MUSENOR.participation, participation))
            g.add((participation, RDF.type, MUSENOR.Participation))
            g.add((participation, MUSENOR.agent, agent))
        for text, lang in values["date"]:
            display = Literal(text, lang=lang)
            g.add((event, MUSENOR.displayDate, display))
            g.add((cho, DCTERMS.created, display))
            span = parse_display_date(text)
            if span is None:
                warnings.append(f"date {text!r} not understood: kept as displayed")
                continue
            timespan = uris.timespan(span.begin, span.end, span.qualifier)
            for triple in timespan_triples(timespan, span):
                g.add(triple)
            g.add((event, EDM.occurredAt, timespan))
            g.add((cho, DCTERMS.temporal, timespan))

    # The aggregation: identifiers that are URLs are the landing page or the image.
    museum = uris.museum(code)
    g.add((record, RDF.type, ORE.Aggregation))
    g.add((record, EDM.aggregatedCHO, cho))
    g.add((record, EDM.dataProvider, museum))
    g.add((museum, RDF.type, EDM.Agent))
    g.add((museum, RDF.type, FOAF.Organization))
    g.add((museum, SKOS.prefLabel, Literal(context.museum_name, lang=context.default_language)))
    g.add((museum, MUSENOR.museofileCode, Literal(code)))
    g.add((record, EDM.provider, Literal(context.hub_name)))
    g.add((cho, MUSENOR.repository, museum))
    for text in identifiers:
        if not _HTTP.match(text):
            g.add((cho, DC.identifier, Literal(text)))
    rights: URIRef | None = None
    for text, lang in values["rights"]:
        statement = rights_statement(text, context.rights_map)
        value = URIRef(statement) if statement else concept("rights", text, lang, count=False)
        if isinstance(value, URIRef) and str(value).startswith(("http://rightsstatements.org/",
                                                                "http://creativecommons.org/")):
            rights = rights or value
            if not is_own_spelling(text, str(value)):  # a retired URI, the museum's words: the source's, kept
                g.add((record, DC.rights, Literal(text) if _HTTP.match(text) else Literal(text, lang=lang)))
        else:
            g.add((record, DC.rights, Literal(text, lang=lang)))
    rights = rights or URIRef(context.default_rights or UNKNOWN_RIGHTS)
    g.add((record, EDM.rights, rights))
    images = [i for i in identifiers if _IMAGE_URL.match(i)]
    pages = [i for i in identifiers if _HTTP.match(i) and i not in images]
    if pages:
        g.add((record, EDM.isShownAt, URIRef(pages[0])))
    media = next((text for text, _ in values["format"] if _MEDIA_TYPE.match(text)), None)
    for n, url in enumerate(images):
        image = URIRef(url)
        g.add((record, EDM.isShownBy if n == 0 else EDM.hasView, image))
        g.add((image, RDF.type, EDM.WebResource))
        g.add((image, EDM.rights, rights))
        if media:
            g.add((image, DC.format, Literal(media)))
    count_off_europeana_list(g, record, unmatched)
    return MappedRecord(local_id=local_id, graph=g, cho=cho, record_uri=record, sets=sets, unmapped=unmapped,
                        unmatched=unmatched, warnings=warnings)
