"""The graph out as Linked Art JSON-LD (the CIDOC-CRM profile of https://linked.art), one HumanMadeObject.

For researchers who model with CIDOC-CRM. The shapes follow the Linked Art model: names and inventory numbers in
``identified_by`` (classified with the AAT terms Linked Art requires: Primary Name, Accession Number), object
type in ``classified_as`` (itself classified as "Type of Work"), texts in ``referred_to_by`` as LinguisticObjects
classified as "Brief Text" statements (description, material, dimension, provenance, inscription), production
with its agents, time-span, places and techniques in ``produced_by``, every other event of the graph under the
object's property for its kind (``EVENTS``: ``modified_by``, ``destroyed_by``, ``changed_ownership_through``,
``encountered_by``, ``used_for``..., else ``present_at``) with the same details, materials in ``made_of``,
measurements in ``dimension`` (named by the part measured), places with their broader places in ``part_of``, the
museum in ``current_owner``, the rights holder as the possessor of a Right the object is ``subject_to``, images in
``representation`` (with their numbers and captions) and the museum's page in ``subject_of``. AAT identifiers
are the ones of the Linked Art context and cromulent's tables.

Linked Art is rendered from the record's stored graph when asked (``musenor.oai_server.linked_data``), so a
record mapped again is answered with what its graph now says.

A concept of our vocabularies is written with its AAT equivalent as ``id`` when it has one (Linked Art's
classifications are AAT), else with its own URI. A term that is only a literal becomes an unidentified Type
with its label, so nothing the museum wrote is dropped. A participant "d'après" (after) did not carry out the
production: the production was ``influenced_by`` them.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from musenor.mappings.base import RenderContext
from musenor.mappings.formats.graph_reading import PRODUCTION_EVENTS, RecordGraph, Text, xml_text
from musenor.mappings.formats.terms import DC, DCTERMS, EDM, FOAF, MUSENOR, OWL, RDF, SKOS

CONTEXT = "https://linked.art/ns/v1/linked-art.json"
AAT = "http://vocab.getty.edu/aat/"


def _aat(number: str, label: str, kind: str = "Type") -> dict[str, Any]:
    return {"id": AAT + number, "type": kind, "_label": label}


PRIMARY_NAME = _aat("300404670", "Primary Name")
ALTERNATE_NAME = _aat("300264273", "Alternate Name")
ACCESSION_NUMBER = _aat("300312355", "Accession Number")
WORK_TYPE = _aat("300435443", "Type of Work")
BRIEF_TEXT = _aat("300418049", "Brief Text")
DIGITAL_IMAGE = _aat("300215302", "Digital Image")
WEB_PAGE = _aat("300264578", "Web Page")
LOCAL_NUMBER = _aat("300404621", "Owner-Assigned Number")
UNIQUE_IDENTIFIER = _aat("300404012", "Unique Identifier")
COPYRIGHT = _aat("300055598", "Copyright")
STATEMENTS = {
    "description": ("300435416", "Description"), "material": ("300435429", "Material Statement"),
    "dimension": ("300435430", "Dimension Statement"), "provenance": ("300435438", "Provenance Statement"),
    "inscription": ("300435414", "Inscription"), "production": ("300435436", "Production Statement"),
    "credit": ("300026687", "Credit Statement"), "rights": ("300435434", "Copyright/License Statement"),
}
# The profile's event types (docs/profile.md) -> the Linked Art property of the object and the event's class.
# Production, creation and designing make the object (``produced_by``, the others its parts); every other
# event the object was present at keeps its own class where Linked Art has one, else is an Activity.
EVENTS = {
    "modification": ("modified_by", "Modification"), "restoration": ("modified_by", "Modification"),
    "conservation": ("modified_by", "Modification"), "part-addition": ("modified_by", "Modification"),
    "part-removal": ("modified_by", "Modification"), "destruction": ("destroyed_by", "Destruction"),
    "acquisition": ("changed_ownership_through", "Acquisition"),
    "transfer-of-custody": ("custody_transferred_through", "TransferOfCustody"),
    "change-of-custody": ("custody_transferred_through", "TransferOfCustody"),
    "find": ("encountered_by", "Encounter"), "finding": ("encountered_by", "Encounter"),
    "excavation": ("encountered_by", "Encounter"), "collecting": ("encountered_by", "Encounter"),
    "use": ("used_for", "Activity"), "performance": ("used_for", "Activity"), "move": ("moved_by", "Move"),
}
OTHER_EVENT = ("present_at", "Activity")
SINGLE_VALUED = {"destroyed_by"}  # crm:P13i: an object is destroyed once; a second one is an event it was at
PLACE_DEPTH = 12
DIMENSIONS = {
    "height": ("300055644", "Height"), "width": ("300055647", "Width"), "depth": ("300072633", "Depth"),
    "diameter": ("300055624", "Diameter"), "weight": ("300056240", "Weight"), "length": ("300055645", "Length"),
    "thickness": ("300055646", "Thickness"),
}
UNITS = {
    "cm": ("300379098", "centimeters"), "mm": ("300379097", "millimeters"), "m": ("300379099", "meters"),
    "kg": ("300379226", "kilograms"), "g": ("300379225", "grams"), "in": ("300379100", "inches"),
}
LANGUAGES = {
    "fr": ("300388306", "French"), "en": ("300388277", "English"), "de": ("300388344", "German"),
    "nl": ("300388256", "Dutch"), "es": ("300389311", "Spanish"), "it": ("300388474", "Italian"),
    "la": ("300388693", "Latin"),
}
AFTER = ("d'après", "d’après", "after", "nach", "naar")


def _language(lang: str | None) -> list[dict[str, Any]]:
    known = LANGUAGES.get((lang or "").split("-")[0].lower())
    return [_aat(known[0], known[1], "Language")] if known else []


def _statement(kind: str, text: Text) -> dict[str, Any]:
    number, label = STATEMENTS[kind]
    statement: dict[str, Any] = {"type": "LinguisticObject", "classified_as": [
        {**_aat(number, label), "classified_as": [BRIEF_TEXT]}], "content": text.value}
    if language := _language(text.lang):
        statement["language"] = language
    return statement


# The order of an activity's properties in the document (the production's, as it always was).
ACTIVITY_ORDER = ("id", "type", "_label", "classified_as", "identified_by", "carried_out_by", "influenced_by", "part",
                  "timespan", "took_place_at", "technique", "referred_to_by")


def _ordered(activity: dict[str, Any]) -> dict[str, Any]:
    return {key: activity[key] for key in ACTIVITY_ORDER if key in activity}


def _instant(value: str, end: bool) -> str | None:
    """An edm:begin/edm:end (xsd:gYear "1808", "-0300"; xsd:date "1864-12-08") as a Linked Art dateTime bound."""
    text = value.strip()
    sign = "-" if text.startswith("-") else ""
    body = text.lstrip("-")
    parts = body.split("-")
    if not parts[0].isdigit():
        return None
    year = parts[0].zfill(4)
    if len(parts) == 1:
        return f"{sign}{year}-12-31T23:59:59Z" if end else f"{sign}{year}-01-01T00:00:00Z"
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{sign}{year}-{parts[1]}-{parts[2]}T{'23:59:59' if end else '00:00:00'}Z"
    return None


class _Writer:
    def __init__(self, view: RecordGraph) -> None:
        self.view = view

    def aat_or_self(self, node: URIRef) -> str:
        if "vocab.getty.edu/aat/" in str(node) or "vocab.getty.edu/page/aat/" in str(node):
            return AAT + str(node).rstrip("/").rsplit("/", 1)[-1]
        for match in self.view.exact_matches(node):
            if "vocab.getty.edu/aat/" in str(match):
                return AAT + str(match).rstrip("/").rsplit("/", 1)[-1]
        return str(node)

    def term(self, node: Node, kind: str = "Type", metatype: dict[str, Any] | None = None) -> dict[str, Any]:
        if isinstance(node, Literal):
            out: dict[str, Any] = {"type": kind, "_label": xml_text(str(node))}
        else:
            out = {"id": self.aat_or_self(node), "type": kind}
            label = self.view.label(node)
            if label != str(node):  # no label known: the URI says it all
                out["_label"] = label
            if out["id"] != str(node):
                out["equivalent"] = [{"id": str(node), "type": kind}]
        if metatype is not None:
            out["classified_as"] = [metatype]
        return out

    def actor(self, agent: Node) -> dict[str, Any]:
        view = self.view
        if isinstance(agent, Literal):
            return {"type": "Person", "_label": xml_text(str(agent))}
        corporate = (str(view.value(agent, DC.type) or "") == "corporate" or view.has_type(agent, FOAF.Organization))
        out: dict[str, Any] = {"id": str(agent), "type": "Group" if corporate else "Person",
                               "_label": view.label(agent)}
        same = view.resources(agent, OWL.sameAs)
        if same:
            out["equivalent"] = [{"id": str(s), "type": out["type"]} for s in same]
        return out

    def place(self, place: Node, depth: int = 0) -> dict[str, Any]:
        if isinstance(place, Literal):
            return {"type": "Place", "_label": xml_text(str(place))}
        out: dict[str, Any] = {"id": str(place), "type": "Place", "_label": self.view.label(place)}
        same = self.view.resources(place, OWL.sameAs)
        if same:
            out["equivalent"] = [{"id": str(s), "type": "Place"} for s in same]
        # the broader places (LIDO partOfPlace): Linked Art's part_of on Place (crm:P89_falls_within)
        broader = [b for b in self.view.resources(place, DCTERMS.isPartOf) if b != place]
        if broader and depth < PLACE_DEPTH:
            out["part_of"] = [self.place(b, depth + 1) for b in broader]
        return out

    def timespan(self, span: Node | None, display: list[Text]) -> dict[str, Any] | None:
        view = self.view
        out: dict[str, Any] = {"type": "TimeSpan"}
        if span is not None:
            out = {"id": str(span), "type": "TimeSpan"}
            begin, end = view.value(span, EDM.begin), view.value(span, EDM.end)
            if begin is not None and (instant := _instant(str(begin), end=False)):
                out["begin_of_the_begin"] = instant
            if end is not None and (instant := _instant(str(end), end=True)):
                out["end_of_the_end"] = instant
        if display:
            out["identified_by"] = [{"type": "Name", "content": text.value} for text in display]
        return out if len(out) > 1 or span is not None else None

    def activity(self, event: URIRef, kind: str) -> dict[str, Any]:
        """One event of the graph as a Linked Art activity of class ``kind``: its type, name, agents (with
        their roles and attribution qualifiers), time-span, places, techniques and notes."""
        view = self.view
        out: dict[str, Any] = {"id": str(event), "type": kind}
        names = view.texts(event, SKOS.prefLabel)
        if names:
            out["_label"] = names[0].value
        event_type = view.value(event, EDM.hasType)
        if kind != "Production" and event_type is not None:
            out["classified_as"] = [self.term(event_type)]
        if names:
            out["identified_by"] = [self.name(text) for text in names]
        carried: list[dict[str, Any]] = []
        influences: list[dict[str, Any]] = []
        parts: list[dict[str, Any]] = []
        for participation in view.participations(event):
            agent = view.value(participation, MUSENOR.agent)
            if agent is None:
                continue
            roles = view.values(participation, MUSENOR.role)
            attributions = view.texts(participation, MUSENOR.attribution)
            if any(a.value.strip().lower() in AFTER for a in attributions):
                influences.append(self.actor(agent))
                continue
            if not roles and not attributions:
                carried.append(self.actor(agent))
                continue
            part: dict[str, Any] = {"type": kind, "carried_out_by": [self.actor(agent)]}
            if roles:
                part["classified_as"] = [self.term(role) for role in roles]
            if attributions:
                part["referred_to_by"] = [_statement("production", text) for text in attributions]
            parts.append(part)
        if carried:
            out["carried_out_by"] = carried
        if influences:
            out["influenced_by"] = influences
        if parts:
            out["part"] = parts
        span = self.timespan(view.timespan(event), view.texts(event, MUSENOR.displayDate))
        if span is not None:
            out["timespan"] = span
        places = view.values(event, EDM.happenedAt)
        if places:
            out["took_place_at"] = [self.place(p) for p in places]
        techniques = view.values(event, DC.format)
        if techniques:
            out["technique"] = [self.term(t) for t in techniques]
        notes = view.texts(event, DC.description)
        if notes:
            out["referred_to_by"] = [_statement("production" if kind == "Production" else "description", text)
                                     for text in notes]
        return out

    def name(self, text: Text, kind: dict[str, Any] | None = None) -> dict[str, Any]:
        name: dict[str, Any] = {"type": "Name", "content": text.value}
        if kind is not None:
            name["classified_as"] = [kind]
        if language := _language(text.lang):
            name["language"] = language
        return name

    def production(self) -> dict[str, Any] | None:
        view, cho = self.view, self.view.cho
        event = view.production()
        if event is not None:
            out = self.activity(event, "Production")
            if not view.texts(event, MUSENOR.displayDate):  # the production date as displayed on the object
                span = self.timespan(view.timespan(event), view.texts(cho, DCTERMS.created))
                if span is not None:
                    out["timespan"] = span
            # the other events that made the object (a designing beside the production) are its parts
            others = [self.activity(e, "Production") for e in view.events()
                      if e != event and view.event_type_id(e) in PRODUCTION_EVENTS]
            if others:
                out["part"] = out.get("part", []) + others
        else:
            out = {"type": "Production"}
        if event is None or not view.participations(event):
            carried = [self.actor(agent) for agent in view.values(cho, DC.creator)]
            if carried:
                out["carried_out_by"] = carried
        if "timespan" not in out:
            span = self.timespan(None, view.texts(cho, DCTERMS.created))
            if span is not None:
                out["timespan"] = span
        if event is None and (techniques := view.values(cho, DC.format)):
            out["technique"] = [self.term(t) for t in techniques]
        return _ordered(out) if len(out) > 1 else None

    def events(self) -> dict[str, Any]:
        """Every event of the graph other than the production, under the object's property for its kind."""
        view = self.view
        out: dict[str, Any] = {}
        for event in view.events():
            type_id = view.event_type_id(event)
            if type_id in PRODUCTION_EVENTS:
                continue
            prop, kind = EVENTS.get(type_id or "", OTHER_EVENT)
            if prop in SINGLE_VALUED and prop in out:
                prop, kind = OTHER_EVENT[0], kind
            activity = self.activity(event, kind)
            if prop in SINGLE_VALUED:
                out[prop] = activity
            else:
                out.setdefault(prop, []).append(activity)
        return out

    def representation(self) -> list[dict[str, Any]]:
        view = self.view
        statement = view.value(view.record, EDM.rights)
        out = []
        for image in view.web_resources():
            digital: dict[str, Any] = {"type": "DigitalObject", "classified_as": [DIGITAL_IMAGE],
                                       "access_point": [{"id": str(image), "type": "DigitalObject"}]}
            media_type = view.value(image, DC.format)
            if media_type is not None:
                digital["format"] = xml_text(str(media_type))
            rights = view.value(image, EDM.rights) or statement
            if isinstance(rights, URIRef):
                digital["subject_to"] = [{"type": "Right", "classified_as": [self.term(rights)]}]
            numbers = view.texts(image, DC.identifier)  # the museum's numbers of the photograph
            if numbers:
                digital["identified_by"] = [{"type": "Identifier", "classified_as": [LOCAL_NUMBER],
                                             "content": n.value} for n in numbers]
            credits = view.texts(image, DC.rights) + view.texts(image, DCTERMS.creator)
            statements = [_statement("description", text) for text in view.texts(image, DC.description)]
            statements += [_statement("credit", text) for text in dict.fromkeys(credits)]
            if statements:
                digital["referred_to_by"] = statements
            out.append({"type": "VisualItem", "digitally_shown_by": [digital]})
        return out

    def object(self) -> dict[str, Any]:
        view, cho, record = self.view, self.view.cho, self.view.record
        titles = view.texts(cho, DC.title)
        label = next((t.value for t in titles if t.lang == view.language), titles[0].value if titles else str(cho))
        out: dict[str, Any] = {"@context": CONTEXT, "id": str(cho), "type": "HumanMadeObject", "_label": label}
        types = view.values(cho, DC.type)
        if types:
            out["classified_as"] = [self.term(t, metatype=WORK_TYPE) for t in types]
        names: list[dict[str, Any]] = []
        for kind, texts in ((PRIMARY_NAME, titles), (ALTERNATE_NAME, view.texts(cho, DCTERMS.alternative))):
            for text in texts:
                name: dict[str, Any] = {"type": "Name", "classified_as": [kind], "content": text.value}
                if language := _language(text.lang):
                    name["language"] = language
                names.append(name)
        for number in view.texts(cho, DC.identifier):
            names.append({"type": "Identifier", "classified_as": [ACCESSION_NUMBER], "content": number.value})
        for same in view.resources(cho, OWL.sameAs):  # the object's persistent identifiers elsewhere
            names.append({"type": "Identifier", "classified_as": [UNIQUE_IDENTIFIER], "content": str(same)})
        if names:
            out["identified_by"] = names
        statements = [_statement("description", t) for t in view.texts(cho, DC.description)]
        statements += [_statement("material", t) for p in (DCTERMS.medium, DC.format) for t in view.texts(cho, p)]
        statements += [_statement("dimension", t) for t in view.texts(cho, DCTERMS.extent)]
        statements += [_statement("provenance", t) for t in view.texts(cho, DCTERMS.provenance)]
        statements += [_statement("rights", t) for t in view.texts(cho, DC.rights)]
        for inscription in view.resources(cho, MUSENOR.inscription):
            statements += [_statement("inscription", t) for p in (RDF.value, DC.description)
                           for t in view.texts(inscription, p)]
        if statements:
            out["referred_to_by"] = statements
        production = self.production()
        if production is not None:
            out["produced_by"] = production
        out.update(self.events())
        materials = view.resources(cho, DCTERMS.medium)
        if materials:
            out["made_of"] = [self.term(m, "Material") for m in materials]
        dimensions = []
        for dimension in view.resources(cho, MUSENOR.dimension):
            value = view.value(dimension, RDF.value)
            try:
                number = float(str(value))
            except (TypeError, ValueError):
                continue
            item: dict[str, Any] = {"type": "Dimension", "value": number}
            kind = DIMENSIONS.get(str(view.value(dimension, MUSENOR.dimensionType) or ""))
            if kind:
                item["classified_as"] = [_aat(*kind)]
            unit = UNITS.get(str(view.value(dimension, MUSENOR.unit) or "").strip().lower())
            if unit:
                item["unit"] = _aat(unit[0], unit[1], "MeasurementUnit")
            labels = view.texts(dimension, SKOS.prefLabel)  # the part measured ("Blatt", "cadre")
            if labels:
                item["identified_by"] = [self.name(text) for text in labels]
            dimensions.append(item)
        if dimensions:
            out["dimension"] = dimensions
        subjects = view.values(cho, DC.subject)
        if subjects:
            visual: dict[str, Any] = {"type": "VisualItem"}
            depicted = [s for s in subjects if view.has_type(s, EDM.Agent) or view.has_type(s, EDM.Place)]
            if depicted:
                visual["represents"] = [self.actor(s) if view.has_type(s, EDM.Agent) else self.place(s)
                                        for s in depicted]
            themes = [s for s in subjects if s not in depicted]
            if themes:
                visual["about"] = [self.term(s) for s in themes]
            out["shows"] = [visual]
        museum = view.museum()
        owner = view.value(cho, MUSENOR.owner)
        if museum is not None:
            holder = {"id": str(museum), "type": "Group", "_label": view.museum_name()}
            if isinstance(owner, URIRef):  # on deposit: the holder has custody, the owner keeps ownership
                out["current_custodian"] = [holder]
                out["current_owner"] = [{"id": str(owner), "type": "Group", "_label": view.label(owner)}]
            else:
                out["current_owner"] = [holder]
        location = view.value(cho, EDM.currentLocation)
        if isinstance(location, URIRef):
            out["current_location"] = self.place(location)
        parents = view.resources(cho, DCTERMS.isPartOf)
        if parents:
            out["part_of"] = [{"id": str(p), "type": "HumanMadeObject"} for p in parents]
        holders = view.resources(cho, MUSENOR.rightsHolder)
        if holders:  # the rights in the work and who holds them (LIDO rightsWorkSet/rightsHolder)
            out["subject_to"] = [{"type": "Right", "classified_as": [COPYRIGHT], "possessed_by": [
                {"id": str(h), "type": "Group", "_label": view.label(h)} for h in holders]}]
        images = self.representation()
        if images:
            out["representation"] = images
        pages = view.resources(record, EDM.isShownAt)
        if pages:
            out["subject_of"] = [{"type": "LinguisticObject", "digitally_carried_by": [
                {"type": "DigitalObject", "classified_as": [WEB_PAGE], "format": "text/html",
                 "access_point": [{"id": str(page), "type": "DigitalObject"}]}]} for page in pages]
        return out


def linked_art(graph: Graph, record_uri: URIRef, context: RenderContext) -> dict[str, Any]:
    """The Linked Art document as a Python object (what ``render_linked_art`` serialises)."""
    return _Writer(RecordGraph.of(graph, record_uri, context)).object()


def render_linked_art(graph: Graph, record_uri: URIRef, context: RenderContext) -> bytes:
    return json.dumps(linked_art(graph, record_uri, context), ensure_ascii=False, indent=2).encode("utf-8")
