"""A record's OAI metadata rendered once, from its stored N-Triples, into bytes that are served as they are.

Rendering (parse the record's triples into rdflib, walk them, build the XML) costs milliseconds a record; a
record changes rarely and is read often. So every OAI format is rendered when a record's content changes and
the bytes are kept with it, under the renderer version: the digest of the renderers' code and vocabularies
(``musenor.mappings.version``) and of the settings a rendering reads (base URI, hub and museum names). A new version
makes every stored rendering stale.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Mapping
from typing import Any

import pyoxigraph
from lxml import etree
from rdflib import BNode, Graph, Literal, URIRef

from musenor.mappings.base import RenderContext
from musenor.mappings.formats.graph_reading import RecordGraph
from musenor.mappings.registry import OutputFormat
from musenor.mappings.uris import HubURIs
from musenor.mappings.version import code_digest
from musenor.mappings.xmltext import ILLEGAL, clean

log = logging.getLogger(__name__)

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# What a stored rendering is made of, in the renderer version: 2 since it reads the hub's enrichment beside the
# record's description and provenance (before, a campaign's images left the stored renderings, so every
# rendering made from the description alone is made anew).
RENDERED_TRIPLES = 2


class CannotRender(Exception):
    """A record that a format cannot disseminate (its renderer failed)."""


Triple = tuple[Any, Any, Any]


@functools.lru_cache(maxsize=65536)
def _uri(value: str) -> URIRef:
    # Predicates, classes, museums, vocabulary concepts and places come back in every record rendered.
    return URIRef(value)


def record_triples(ntriples: str) -> list[Triple]:
    """The record's triples as rdflib terms, each once, for the renderers; parsed by pyoxigraph, which is faster
    than rdflib's own N-Triples parser. The renderers only index the triples (``RecordGraph``), so no rdflib
    Graph is built: it would be a container costing more than the rendering. A record names the same few URIs
    many times: each is made into an rdflib term once."""
    terms: dict[Any, Any] = {}

    def term(node: Any) -> Any:
        found = terms.get(node)
        if found is None:
            if isinstance(node, pyoxigraph.NamedNode):
                found = _uri(node.value)
            elif isinstance(node, pyoxigraph.Literal):
                value = node.value
                if ILLEGAL.search(value):
                    # The harvester sanitises what it maps, but a record must never carry a forbidden
                    # character into XML, whatever wrote it: replace them in every literal.
                    value = clean(value)
                datatype = node.datatype.value
                found = Literal(value, lang=node.language) if node.language else Literal(value) \
                    if datatype == XSD_STRING else Literal(value, datatype=URIRef(datatype))
            else:
                found = BNode(node.value)
            terms[node] = found
        return found

    # graph and provenance are concatenated: a triple both state is one triple
    triples = dict.fromkeys((term(t.subject), term(t.predicate), term(t.object)) for t in
                            pyoxigraph.parse(ntriples.encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES))
    return list(triples)


def render_context(base_uri: str, repository_identifier: str, hub_name: str, museum_names: Mapping[str, str],
                   vocabularies: Any = None, holds_image: Any = None) -> RenderContext:
    """The context every rendering of a hub reads (vocabularies None: the shipped ones, loaded once)."""
    if vocabularies is None:
        from musenor.vocabularies import load_vocabularies

        vocabularies = load_vocabularies(base_uri)
    return RenderContext(uris=HubURIs(base_uri, repository_identifier), hub_name=hub_name,
                         museum_names=dict(museum_names), vocabularies=vocabularies, holds_image=holds_image)


def renderer_version(context: RenderContext) -> str:
    """What names the renderings a context makes: renderer code, vocabularies, and the settings read."""
    settings = [code_digest(), RENDERED_TRIPLES, context.uris.base, context.uris.repository_identifier, context.hub_name,
                sorted(context.museum_names.items())]
    return hashlib.sha256(json.dumps(settings, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]


def render_element(graph: Graph | list[Triple] | RecordGraph, record_uri: str, identifier: str, fmt: OutputFormat,
                   context: RenderContext) -> etree._Element:
    """The record's metadata element in one XML format; raises CannotRender."""
    try:
        element = fmt.load()(graph, URIRef(record_uri), context)
        if not isinstance(element, etree._Element):
            raise TypeError(f"the {fmt.name} renderer returned {type(element).__name__}, not an element")
    except Exception as exc:
        log.warning("record %s cannot be disseminated as %s: %s", identifier, fmt.name, exc)
        raise CannotRender(f"{identifier} cannot be disseminated as {fmt.name}: {exc}") from exc
    return element


def render_oai(ntriples: str, record_uri: str, identifier: str, formats: Mapping[str, OutputFormat],
               context: RenderContext) -> dict[str, bytes | None]:
    """Each OAI format's metadata as UTF-8 bytes without declaration, or None where it cannot be rendered."""
    triples = record_triples(ntriples)
    graph: list[Triple] | RecordGraph = triples
    try:
        graph = RecordGraph(triples, URIRef(record_uri), context)  # indexed once for every format
    except Exception:  # noqa: BLE001 - each format then fails on its own and says why (render_element)
        pass
    rendered: dict[str, bytes | None] = {}
    for prefix, fmt in formats.items():
        try:
            rendered[prefix] = etree.tostring(render_element(graph, record_uri, identifier, fmt, context),
                                              encoding="UTF-8", xml_declaration=False)
        except CannotRender:
            rendered[prefix] = None
    return rendered
