"""The graph out as Linked Art JSON-LD (the CIDOC-CRM profile of https://linked.art), one HumanMadeObject.

For researchers who model with CIDOC-CRM. The shapes follow the Linked Art model: names and inventory numbers in
``identified_by`` (classified with the AAT terms Linked Art requires: Primary Name, Accession Number), object
type in ``classified_as`` (itself classified as "Type of Work"), texts in ``referred_to_by`` as LinguisticObjects
classified as "Brief Text" statements (description, material, dimension, provenance, inscription), production
with its agents, time-span, places and techniques in ``produced_by``, materials in ``made_of``, measurements in
``dimension``, the museum in ``current_owner``, images in ``representation`` and the museum's page in
``subject_of``. AAT identifiers are the ones of the Linked Art context and cromulent's tables.

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
from musenor.mappings.formats.graph_reading import RecordGraph, Text, xml_text
from musenor.mappings.formats.terms import DC, DCTERMS, EDM, FOAF, MUSENOR, OWL, RDF

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
STATEMENTS = {
    "description": ("300435416", "Description"), "material": ("300435429", "Material Statement"),
    "dimension": ("300435430", "Dimension Statement"), "provenance": ("300435438", "Provenance Statement"),
    "inscription": ("300435414", "Inscription"), "production": ("300435436", "Production Statement"),
    "credit": ("300026687", "Credit Statement"),
}
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

    def place(self, place: Node) -> dict[str, Any]:
        if isinstance(place, Literal):
            return {"type": "Place", "_label": xml_text(str(place))}
        out: dict[str, Any] = {"id": str(place), "type": "Place", "_label": self.view.label(place)}
        same = self.view.resources(place, OWL.sameAs)
        if same:
            out["equivalent"] = [{"id": str(s), "type": "Place"} for s in same]
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

    def production(self) -> dict[str, Any] | None:
        view, cho = self.view, self.view.cho
        event = view.production()
        out: dict[str, Any] = {"id": str(event)} if event is not None else {}
        out["type"] = "Production"
        carried: list[dict[str, Any]] = []
        influences: list[dict[str, Any]] = []
        parts: list[dict[str, Any]] = []
        for participation in view.participations(event) if event is not None else []:
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
            part: dict[str, Any] = {"type": "Production", "carried_out_by": [self.actor(agent)]}
            if roles:
                part["classified_as"] = [self.term(role) for role in roles]
            if attributions:
                part["referred_to_by"] = [_statement("production", text) for text in attributions]
            parts.append(part)
        if event is None or not view.participations(event):
            carried = [self.actor(agent) for agent in view.values(cho, DC.creator)]
        if carried:
            out["carried_out_by"] = carried
        if influences:
            out["influenced_by"] = influences
        if parts:
            out["part"] = parts
        display = view.texts(event, MUSENOR.displayDate) if event is not None else []
        span = self.timespan(view.timespan(event) if event is not None else None,
                             display or view.texts(cho, DCTERMS.created))
        if span is not None:
            out["timespan"] = span
        places = view.values(event, EDM.happenedAt) if event is not None else []
        if places:
            out["took_place_at"] = [self.place(p) for p in places]
        techniques = view.values(event, DC.format) if event is not None else view.values(cho, DC.format)
        if techniques:
            out["technique"] = [self.term(t) for t in techniques]
        notes = view.texts(event, DC.description) if event is not None else []
        if notes:
            out["referred_to_by"] = [_statement("production", text) for text in notes]
        return out if len(out) > 1 else None

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
            credits = view.texts(image, DC.rights) + view.texts(image, DCTERMS.creator)
            if credits:
                digital["referred_to_by"] = [_statement("credit", text) for text in dict.fromkeys(credits)]
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
        if names:
            out["identified_by"] = names
        statements = [_statement("description", t) for t in view.texts(cho, DC.description)]
        statements += [_statement("material", t) for p in (DCTERMS.medium, DC.format) for t in view.texts(cho, p)]
        statements += [_statement("dimension", t) for t in view.texts(cho, DCTERMS.extent)]
        statements += [_statement("provenance", t) for t in view.texts(cho, DCTERMS.provenance)]
        for inscription in view.resources(cho, MUSENOR.inscription):
            statements += [_statement("inscription", t) for p in (RDF.value, DC.description)
                           for t in view.texts(inscription, p)]
        if statements:
            out["referred_to_by"] = statements
        production = self.production()
        if production is not None:
            out["produced_by"] = production
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
