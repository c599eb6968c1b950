"""The graph back out as POP / Joconde CSV: the layout the ministry's POP platform imports.

So that the hub can feed the national database for members whose own system cannot: any record, whatever its
source dialect, gives one row of POP field codes (``;``-separated, ``"``-quoted, the CSV import layout).
``render_joconde_row`` is the registered ``joconde`` format (one record as a CSV document with its header
line); ``export_rows`` and ``write_export`` make a whole museum's export from published records.

What goes where is the inverse of ``musenor.mappings.joconde_fields`` (see there); multi-values are joined with
`` ; ``. RDF keeps no order among values, so they come out sorted; REF is the record's local id.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from musenor.mappings.attribution import ANONYMOUS_STATE
from musenor.mappings.base import RenderContext
from musenor.mappings.joconde_fields import MAPPED_FIELDS, THESAURUS_SCHEME, period_span
from musenor.mappings.namespaces import DC, DCTERMS, EDM, MUSENOR, PROV, RDF, SKOS, WGS84
from musenor.mappings.uris import decode_local_id

HEADER = MAPPED_FIELDS
SEPARATOR = " ; "
LANGUAGE = "fr"


class _Reader:
    def __init__(self, graph: Graph, record: URIRef, context: RenderContext) -> None:
        self.graph, self.record, self.context = graph, record, context
        self.cho = graph.value(record, EDM.aggregatedCHO)
        self.base = context.uris.base

    def label(self, node: Node) -> str:
        if isinstance(node, Literal):
            return str(node)
        if self.context.vocabularies is not None:
            label = self.context.vocabularies.label(node, LANGUAGE)
            if label:
                return label
        labels = list(self.graph.objects(node, SKOS.prefLabel))
        for label in labels:
            if isinstance(label, Literal) and label.language == LANGUAGE:
                return str(label)
        if labels:
            return str(sorted(labels)[0])
        return str(node).rstrip("/").rsplit("/", 1)[-1]

    def texts(self, subject: Node | None, predicate: URIRef) -> list[str]:
        if subject is None:
            return []
        values = list(self.graph.objects(subject, predicate))
        literals = [str(v) for v in values if isinstance(v, Literal)]
        out = set(literals)
        for value in values:
            if isinstance(value, URIRef):
                label = self.label(value)
                # a qualified term keeps its whole text as a literal beside the concept of its head, and so
                # does a statement beside the concepts of its terms: the text is the field's value
                if not any(lit.startswith(f"{label} (") for lit in literals) and not self.in_statement(value, literals):
                    out.add(label)
        return sorted(out)

    def in_statement(self, concept: URIRef, statements: list[str]) -> bool:
        vocabularies = self.context.vocabularies
        scheme = vocabularies.scheme_of(concept) if vocabularies is not None else None
        return scheme is not None and any(
            (scheme, concept) in vocabularies.match_statement((scheme,), text, LANGUAGE) for text in statements)

    def preferred(self, subject: Node | None, predicate: URIRef) -> list[str]:
        """One language's values: French when there is French (a title per language otherwise)."""
        if subject is None:
            return []
        values = [v for v in self.graph.objects(subject, predicate) if isinstance(v, Literal)]
        french = [v for v in values if v.language == LANGUAGE]
        return sorted({str(v) for v in (french or values)})

    def events(self, event_type: str) -> list[URIRef]:
        kind = self.context.uris.concept("event-type", event_type)
        return sorted(e for e in self.graph.objects(self.cho, EDM.wasPresentAt)
                      if (e, EDM.hasType, kind) in self.graph)


def _participation_order(uri: Node) -> tuple[int, str]:
    tail = str(uri).rsplit("-", 1)[-1]
    return (int(tail) if tail.isdigit() else 0, str(uri))


def joconde_fields(graph: Graph, record_uri: URIRef, context: RenderContext) -> dict[str, str]:
    """``{POP field code: text}`` of one record's graph."""
    r = _Reader(graph, record_uri, context)
    cho, g = r.cho, graph
    fields: dict[str, list[str]] = {code: [] for code in HEADER}
    record = str(record_uri)
    prefix = f"{r.base}/id/record/"
    museum_code = None
    if record.startswith(prefix):
        museum_code, _, local = record[len(prefix):].partition("/")
        fields["REF"] = [decode_local_id(local)]
    fields["INV"] = sorted(str(v) for v in g.objects(cho, DC.identifier))
    fields["DOMN"] = r.texts(cho, MUSENOR.classification)
    fields["ECOL"] = r.texts(cho, MUSENOR.culture)
    fields["DENO"] = r.texts(cho, DC.type)
    fields["APPL"] = r.preferred(cho, DCTERMS.alternative)
    fields["TITR"] = r.preferred(cho, DC.title)[:1]
    fields["DESC"] = r.preferred(cho, DC.description)
    fields["COMM"] = r.preferred(cho, SKOS.note)
    fields["REPR"] = r.texts(cho, DC.subject)
    fields["TECH"] = sorted(set(r.texts(cho, DCTERMS.medium)) | set(r.texts(cho, DC.format)))
    fields["MILL"] = r.preferred(cho, DCTERMS.created)
    fields["APTN"] = r.preferred(cho, DCTERMS.provenance)
    extent = r.preferred(cho, DCTERMS.extent)
    fields["DIMS"] = extent or _dimensions_text(g, cho)

    periods, styles = [], []
    for value in g.objects(cho, DCTERMS.temporal):
        if (value, RDF.type, EDM.TimeSpan) in g:
            continue
        label = r.label(value)
        scheme_of = str(value)
        if isinstance(value, URIRef) and f"/vocab/{THESAURUS_SCHEME['EPOQ']}/" in scheme_of:
            styles.append(label)
        elif isinstance(value, URIRef) and f"/vocab/{THESAURUS_SCHEME['PERI']}/" in scheme_of:
            periods.append(label)
        else:
            (periods if period_span(label) else styles).append(label)
    fields["PERI"], fields["EPOQ"] = sorted(set(periods)), sorted(set(styles))

    for event in r.events("production")[:1]:
        authors = []
        for participation in sorted(g.objects(event, MUSENOR.participation), key=_participation_order):
            agent = g.value(participation, MUSENOR.agent)
            attributions = [str(a) for a in g.objects(participation, MUSENOR.attribution)]
            if agent is None and ANONYMOUS_STATE not in attributions:
                continue
            qualifiers = [r.label(role) for role in sorted(g.objects(participation, MUSENOR.role))]
            qualifiers += sorted(a for a in attributions if a != ANONYMOUS_STATE)
            name = r.label(agent) if agent is not None else ANONYMOUS_STATE  # "anonyme (orfèvre)", as AUTR says it
            authors.append(f"{name} ({', '.join(qualifiers)})" if qualifiers else name)
        fields["AUTR"] = authors
        fields["PAUT"] = r.preferred(event, DC.description)
        fields["LIEUX"] = sorted({r.label(p) for p in g.objects(event, EDM.happenedAt)})
        if not fields["MILL"]:
            fields["MILL"] = r.preferred(event, MUSENOR.displayDate)[:1] if not fields["PERI"] else []
    if not fields["AUTR"]:
        fields["AUTR"] = sorted({r.label(a) for a in g.objects(cho, DC.creator)})
    for event in r.events("acquisition")[:1]:
        fields["DACQ"] = r.preferred(event, MUSENOR.displayDate)
        fields["STAT"] = r.preferred(event, DC.description)

    for inscription in sorted(g.objects(cho, MUSENOR.inscription))[:1]:
        fields["INSC"] = r.preferred(inscription, DC.description)
        fields["PINS"] = r.preferred(inscription, RDF.value)
    holder = g.value(cho, MUSENOR.repository) or g.value(record_uri, EDM.dataProvider)
    if holder is not None:
        fields["MUSEO"] = [str(holder).rstrip("/").rsplit("/", 1)[-1]]
    location = g.value(cho, EDM.currentLocation)
    if location is not None:
        fields["LOCA"] = [r.label(location)]
        lat, long = g.value(location, WGS84.lat), g.value(location, WGS84.long)
        if lat is not None and long is not None:
            fields["POP_COORDONNEES"] = [f"{lat}{SEPARATOR}{long}"]
    fields["COPY"] = r.preferred(record_uri, DC.rights)

    shown = g.value(record_uri, EDM.isShownBy)
    resources = ([shown] if shown is not None else []) + sorted(g.objects(record_uri, EDM.hasView))
    served = f"{r.base}/images/{museum_code}/" if museum_code else None
    for resource in resources:
        url = str(resource)
        if served and url.startswith(served) and "/" not in url[len(served):]:
            fields["REFIM"].append(url[len(served):])
        else:
            fields["IMG"].append(url)
    # The photographer of the first image that names one: a campaign's photograph may follow a museum's
    # uncredited image, and POP wants the credit to travel with the REFIM.
    fields["PHOT"] = next((credit for resource in resources if (credit := r.preferred(resource, DCTERMS.creator))),
                          [])
    generated = g.value(record_uri, PROV.generatedAtTime)
    if generated is not None:
        fields["DMAJ"] = [str(generated)[:10]]
    return {code: SEPARATOR.join(values) for code, values in fields.items() if values}


DIMENSION_LABELS = {"height": "Hauteur", "width": "Largeur", "length": "Longueur", "depth": "Profondeur",
                    "diameter": "Diamètre", "thickness": "Epaisseur", "weight": "Poids"}


def _dimensions_text(graph: Graph, cho: Node) -> list[str]:
    parts = []
    for dimension in sorted(graph.objects(cho, MUSENOR.dimension), key=_participation_order):
        kind = str(graph.value(dimension, MUSENOR.dimensionType) or "")
        value = graph.value(dimension, RDF.value)
        unit = graph.value(dimension, MUSENOR.unit)
        if value is None:
            continue
        parts.append(f"{DIMENSION_LABELS.get(kind, kind.capitalize())} en {unit or 'cm'} {value}")
    return [" ; ".join(parts)] if parts else []


def _csv_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=";", quotechar='"', quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerow(cells)
    return out.getvalue()


def header_line() -> str:
    return _csv_line(list(HEADER))


def row_line(fields: dict[str, str]) -> str:
    return _csv_line([fields.get(code, "") for code in HEADER])


def render_joconde_row(graph: Graph, record_uri: URIRef, context: RenderContext, *, header: bool = True) -> bytes:
    """One record as POP CSV: the header line (unless ``header=False``) and its row, UTF-8."""
    row = row_line(joconde_fields(graph, record_uri, context))
    return ((header_line() if header else "") + row).encode("utf-8")


def export_rows(records: Iterable[tuple[str, str]], context: RenderContext) -> Iterator[str]:
    """Rows, without header, of published records given as (record URI, N-Triples of its graph)."""
    for record_uri, ntriples in records:
        graph = Graph()
        graph.parse(data=ntriples, format="nt")
        yield row_line(joconde_fields(graph, URIRef(record_uri), context))


def write_export(records: Iterable[tuple[str, str]], out: BinaryIO, context: RenderContext,
                 encoding: str = "utf-8") -> int:
    """A museum's POP CSV export: the header, then one row per record; returns the number of rows.

    The CLI feeds it ``(r.record_uri, r.ntriples)`` for ``r in catalogue.ledger.records(code,
    include_deleted=False)``. ``encoding="cp1252"`` writes what older POP import tools expect; characters
    Windows-1252 lacks become ``?``.
    """
    out.write(header_line().encode(encoding, errors="replace"))
    count = 0
    for line in export_rows(records, context):
        out.write(line.encode(encoding, errors="replace"))
        count += 1
    return count
