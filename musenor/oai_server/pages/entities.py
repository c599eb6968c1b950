"""The pages of the entities records name: a person (or organisation), a place, a vocabulary concept.

What the entity is comes from the graph (``linked_data.describe``: what is said of it, bounded); the works
listed with it come from the search index (``SearchIndex.entity_works``), where each record's agents, places and
concepts were filed when the record was indexed: no graph query walks the catalogue for a page. Every label is
in the page's language where the record or the vocabulary has one (``labels.pick``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Response, render_template, request, url_for
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DC, DCTERMS, FOAF, OWL, RDF, SKOS

from musenor.catalogue.search import short_key
from musenor.mappings.namespaces import EDM, WGS84
from musenor.oai_server import current_catalogue, current_config
from musenor.oai_server.pages import i18n, schema_org
from musenor.oai_server.pages.labels import pick

RDAGR2 = Namespace("http://rdvocab.info/ElementsGr2/")
WORKS_SHOWN = 60
LANGUAGE_NAMES = {"fr": ("français", "French"), "en": ("anglais", "English"), "de": ("allemand", "German"),
                  "nl": ("néerlandais", "Dutch"), "it": ("italien", "Italian"), "es": ("espagnol", "Spanish"),
                  "la": ("latin", "Latin"), "": ("sans langue", "no language")}
MONTHS = (("janvier", "January"), ("février", "February"), ("mars", "March"), ("avril", "April"), ("mai", "May"),
          ("juin", "June"), ("juillet", "July"), ("août", "August"), ("septembre", "September"),
          ("octobre", "October"), ("novembre", "November"), ("décembre", "December"))
# The authority files whose identifiers records carry (owl:sameAs, skos:exactMatch), by the host and path of
# their URIs; any other http(s) URI is shown by its host.
AUTHORITIES = (("vocab.getty.edu/ulan/", "ULAN"), ("vocab.getty.edu/tgn/", "TGN"), ("vocab.getty.edu/aat/", "AAT"),
               ("d-nb.info/gnd/", "GND"), ("viaf.org/", "VIAF"), ("wikidata.org/", "Wikidata"),
               ("data.bnf.fr/", "BnF"), ("catalogue.bnf.fr/", "BnF"), ("idref.fr/", "IdRef"),
               ("geonames.org/", "GeoNames"), ("iconclass.org/", "Iconclass"), ("isni.org/", "ISNI"))


@dataclass
class Link:
    label: str
    url: str | None = None  # a page of this hub, or an http(s) URI elsewhere; None: text only


def authority_name(uri: str) -> str:
    """"ULAN", "GND", "VIAF", "Wikidata"... for an authority URI; else its host."""
    bare = "." + re.sub(r"^https?://", "", uri)
    for prefix, name in AUTHORITIES:
        if bare.startswith("." + prefix) or f".{prefix}" in bare.split("/", 1)[0] + "/":
            return name
    return urlsplit(uri).hostname or uri


def life_date(value: Any, lang: str) -> str:
    """An xsd:gYear or xsd:date as read in ``lang``: "1840", "14 novembre 1840" / "14 November 1840";
    a negative year as "450 av. J.-C." / "450 BCE"."""
    text = str(value).strip()
    match = re.fullmatch(r"(-?)(\d{1,4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if match is None:
        return text
    minus, year, month, day = match.groups()
    year = str(int(year))
    if minus:
        year = f"{year} av. J.-C." if lang == "fr" else f"{year} BCE"
    if month and 1 <= int(month) <= 12:
        name = MONTHS[int(month) - 1][0 if lang == "fr" else 1]
        if day:
            first = "1er" if lang == "fr" and int(day) == 1 else str(int(day))
            return f"{first} {name} {year}"
        return f"{name} {year}"
    return year


class EntityView:
    """What the page of one entity shows, read from its described graph."""

    def __init__(self, graph: Graph, uri: str, lang: str, labels: Any) -> None:
        self.graph, self.node, self.uri, self.lang, self.labels = graph, URIRef(uri), uri, lang, labels
        self.base = current_config().base_uri

    def labels_of(self, term: Any) -> dict[str, str]:
        """The term's labels by language: the record's own, with the vocabulary's for the languages it lacks."""
        own = {(o.language or ""): str(o) for o in self.graph.objects(term, SKOS.prefLabel)
               if isinstance(o, Literal)}
        return {**self.labels(str(term)), **own} if isinstance(term, URIRef) else own

    def label(self, term: Any) -> str:
        if isinstance(term, Literal):
            return str(term)
        return pick(self.labels_of(term), self.lang) or str(term).rstrip("/").rsplit("/", 1)[-1]

    def link(self, term: Any) -> Link:
        """A term as a link: the hub's entity page for a hub URI, the URI itself for another http(s) URI."""
        if isinstance(term, URIRef):
            url = str(term)
            if url.startswith(self.base + "/"):
                url = url.removeprefix(self.base) + ("?lang=en" if self.lang == "en" else "")
            return Link(self.label(term), url)
        return Link(str(term))

    def values(self, *predicates: URIRef) -> list[Any]:
        return [o for p in predicates for o in self.graph.objects(self.node, p)]

    def name(self) -> str:
        return self.label(self.node)

    def other_names(self, preferred: bool = True) -> list[str]:
        """Alternative labels, and (with ``preferred``) the preferred labels of the other languages, each once."""
        main = self.name()
        names = [str(o) for o in self.graph.objects(self.node, SKOS.prefLabel) if isinstance(o, Literal)] \
            if preferred else []
        names += [str(o) for o in self.graph.objects(self.node, SKOS.altLabel) if isinstance(o, Literal)]
        return [n for n in dict.fromkeys(names) if n != main]

    def authorities(self) -> list[Link]:
        found = [str(o) for o in self.values(OWL.sameAs, SKOS.exactMatch, SKOS.closeMatch)
                 if isinstance(o, URIRef) and str(o).lower().startswith(("http://", "https://"))
                 and not str(o).startswith(self.base + "/")]
        return sorted((Link(authority_name(u), u) for u in dict.fromkeys(found)), key=lambda link: link.label)

    def in_language(self, predicate: URIRef) -> list[str]:
        """Texts of ``predicate`` in the page's language, else in the first language that has some."""
        by_lang: dict[str, list[str]] = {}
        for o in self.graph.objects(self.node, predicate):
            if isinstance(o, Literal):
                by_lang.setdefault(o.language or "", []).append(str(o))
        for choice in (self.lang, "fr", "", "en", *by_lang):
            if by_lang.get(choice):
                return by_lang[choice]
        return []


def _search() -> Any:
    from musenor.oai_server.pages import index

    return index()


def _canonical(uri: str) -> list[str]:
    from musenor.oai_server.pages import labels

    return list(dict.fromkeys([uri, labels().canonical(uri)]))


def _works(uris: list[str], relations: tuple[str, ...] | None = None, unless: tuple[str, ...] = ()) -> dict[str, Any]:
    total, hits = _search().entity_works(uris, relations, unless=unless, limit=WORKS_SHOWN)
    return {"total": total, "hits": hits}


def _place_chain(uri: str, lang: str, view: EntityView) -> list[Link]:
    """The places ``uri`` is part of (dcterms:isPartOf, EDM's place hierarchy), nearest first."""
    catalogue = current_catalogue()
    if not catalogue.has_graph:
        return []
    chain: list[Link] = []
    seen = {uri}
    current = uri
    for _ in range(12):  # a hierarchy deeper than a continent is a loop in a museum's data
        rows = list(catalogue.graph.query(
            f"SELECT ?p ?l WHERE {{ <{current}> <{DCTERMS.isPartOf}> ?p . "
            f"OPTIONAL {{ ?p <{SKOS.prefLabel}> ?l }} }} LIMIT 20"))
        parents: dict[str, dict[str, str]] = {}
        for row in rows:
            if row["p"] is None or not hasattr(row["p"], "value") or row["p"].value in seen:
                continue
            labels = parents.setdefault(row["p"].value, {})
            if row["l"] is not None:
                labels.setdefault(row["l"].language or "", row["l"].value)
        if not parents:
            break
        parent = sorted(parents)[0]
        seen.add(parent)
        label = pick({**view.labels(parent), **parents[parent]}, lang) or parent.rsplit("/", 1)[-1]
        link = view.link(URIRef(parent))
        chain.append(Link(label, link.url))
        current = parent
    return chain


def entity_page(graph: Graph, uri: str, kind: str, labels: Any) -> Response:
    lang = i18n.current_language()
    view = EntityView(graph, uri, lang, labels)
    root = request.host_url.rstrip("/")
    page_url = request.base_url
    # A concept's preferred labels are in its table of labels by language: the other names are its altLabels.
    context: dict[str, Any] = {"uri": uri, "kind": kind, "name": view.name(),
                               "other_names": view.other_names(preferred=kind != "concept"),
                               "authorities": view.authorities(), "museum_names": {
                                   code: m.name for code, m in current_config().museums.items()}}
    keys = _canonical(uri)
    if kind == "agent":
        birth, death = (next(iter(view.values(p)), None) for p in (RDAGR2.dateOfBirth, RDAGR2.dateOfDeath))
        born_at, died_at = (next(iter(view.values(p)), None) for p in (RDAGR2.placeOfBirth, RDAGR2.placeOfDeath))
        organisation = (view.node, RDF.type, FOAF.Organization) in graph or \
            any(str(o) == "corporate" for o in view.values(DC.type))
        context.update(
            kind_label="kind_organisation" if organisation else "kind_person",
            birth=life_date(birth, lang) if birth is not None else None,
            death=life_date(death, lang) if death is not None else None,
            birth_iso=str(birth) if birth is not None else None, death_iso=str(death) if death is not None else None,
            birth_place=view.link(born_at) if born_at is not None else None,
            death_place=view.link(died_at) if died_at is not None else None,
            biography=view.in_language(RDAGR2.biographicalInformation),
            roles=_search().entity_roles(keys, lang),
            works=_works(keys, ("creator", "contributor")),
            depicted=_works(keys, ("subject",), unless=("creator", "contributor")),
            browse=url_for("pages.search", creator=short_key(uri), **({"lang": lang} if lang != "fr" else {})))
        structured = schema_org.person(
            view.name(), uri, page_url, birth=context["birth_iso"], death=context["death_iso"],
            same_as=[a.url for a in context["authorities"] if a.url],
            birth_place=context["birth_place"].label if context["birth_place"] else None,
            death_place=context["death_place"].label if context["death_place"] else None)
    elif kind == "place":
        lat, long = (next((o for o in view.values(p) if isinstance(o, Literal)), None) for p in (WGS84.lat, WGS84.long))
        point = None
        try:
            if lat is not None and long is not None and -90 <= float(lat) <= 90 and -180 <= float(long) <= 180:
                point = (float(lat), float(long))
        except ValueError:
            point = None  # a museum's "48°51'N" is not a number: no map rather than a wrong one
        parts = sorted({view.label(s): view.link(s) for s in graph.subjects(DCTERMS.isPartOf, view.node)
                        if isinstance(s, URIRef)}.values(), key=lambda link: link.label)
        parts += [view.link(o) for o in view.values(DCTERMS.hasPart) if isinstance(o, URIRef)]
        chain = _place_chain(uri, lang, view)
        tiles = current_config().map
        context.update(point=point, chain=chain, parts=list({p.url or p.label: p for p in parts}.values()),
                       tiles=tiles,
                       made=_works(keys, ("made",)), kept=_works(keys, ("kept",)),
                       related=_works(keys, ("place", "subject"), unless=("made", "kept")))
        structured = schema_org.place(view.name(), uri, page_url, point=point,
                                      contained_in=chain[0].label if chain else None,
                                      same_as=[a.url for a in context["authorities"] if a.url])
    else:
        scheme = next(iter(view.values(SKOS.inScheme)), None)
        broader = [view.link(o) for o in view.values(SKOS.broader)]
        broader += [view.link(s) for s in graph.subjects(SKOS.narrower, view.node)]
        narrower = [view.link(o) for o in view.values(SKOS.narrower)]
        narrower += [view.link(s) for s in graph.subjects(SKOS.broader, view.node)]
        by_language = sorted(
            ((code, LANGUAGE_NAMES.get(code, (code, code))[0 if lang == "fr" else 1], str(o))
             for o in graph.objects(view.node, SKOS.prefLabel) if isinstance(o, Literal)
             for code in [o.language or ""]), key=lambda row: (row[0] != lang, row[0]))
        related_concepts = [view.link(o) for o in view.values(SKOS.related)]
        context.update(
            scheme=view.link(scheme) if scheme is not None else None,
            label_rows=by_language, broader=_unique(broader), narrower=_unique(narrower),
            related_concepts=_unique(related_concepts),
            definition=view.in_language(SKOS.definition) + view.in_language(SKOS.scopeNote),
            works=_works(keys))
        structured = schema_org.defined_term(
            view.name(), uri, page_url, alternate=[row[2] for row in by_language if row[2] != view.name()],
            term_set=str(scheme) if scheme is not None else None,
            same_as=[a.url for a in context["authorities"] if a.url])
    if (view.node, RDF.type, EDM.TimeSpan) in graph:
        context["kind"] = "timespan"
    og = schema_org.opengraph(view.name(), request.url, lang, site=current_config().repository_name)
    html = render_template("entity.html", structured=schema_org.script(structured), og=og, root=root,
                           formats=_formats(), **context)
    response = Response(html, mimetype="text/html")
    response.vary.add("Accept")
    response.vary.add("Accept-Language")
    return response


def _unique(links: list[Link]) -> list[Link]:
    return sorted({(link.url or link.label): link for link in links}.values(), key=lambda link: link.label)


def _formats() -> list[tuple[str, str]]:
    from musenor.oai_server.linked_data import RDF_TYPES

    return [(name, RDF_TYPES[name][0]) for name in RDF_TYPES]
