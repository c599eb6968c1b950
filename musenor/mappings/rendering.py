"""A record's OAI metadata rendered once, from its stored N-Triples, into bytes that are served as they are.

Rendering (parse the record's triples into rdflib, walk them, build the XML) costs milliseconds a record; a
record changes rarely and is read often. So every OAI format is rendered when a record's content changes and
the bytes are kept with it, under the renderer version: the digest of the renderers' code and vocabularies
(``musenor.mappings.version``) and of the settings a rendering reads (base URI, hub and museum names). A new version
makes every stored rendering stale.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from typing import Any

import pyoxigraph
from lxml import etree
from rdflib import BNode, Graph, Literal, URIRef

from musenor.mappings.base import RenderContext
from musenor.mappings.registry import OutputFormat
from musenor.mappings.uris import HubURIs
from musenor.mappings.version import code_digest
from musenor.mappings.xmltext import ILLEGAL, ILLEGAL_ESCAPE, clean

log = logging.getLogger(__name__)

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class CannotRender(Exception):
    """A record that a format cannot disseminate (its renderer failed)."""


def record_graph(ntriples: str) -> Graph:
    """The record's graph in rdflib, for the renderers; parsed by pyoxigraph, which is faster than rdflib's
    own N-Triples parser. A record names the same few URIs many times: each is made into an rdflib term once."""
    graph = Graph()
    add = graph.add
    terms: dict[Any, Any] = {}

    def term(node: Any) -> Any:
        found = terms.get(node)
        if found is None:
            if isinstance(node, pyoxigraph.NamedNode):
                found = URIRef(node.value)
            elif isinstance(node, pyoxigraph.Literal):
                datatype = node.datatype.value
                found = Literal(node.value, lang=node.language) if node.language else Literal(node.value) \
                    if datatype == XSD_STRING else Literal(node.value, datatype=URIRef(datatype))
            else:
                found = BNode(node.value)
            terms[node] = found
        return found

    for triple in pyoxigraph.parse(ntriples.encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES):
        add((term(triple.subject), term(triple.predicate), term(triple.object)))
    if ILLEGAL.search(ntriples) or ILLEGAL_ESCAPE.search(ntriples):
        # The harvester sanitises what it maps, but a record must never carry a forbidden character into
        # XML, whatever wrote it: replace them in every literal.
        for s, p, o in list(graph):
            if isinstance(o, Literal) and ILLEGAL.search(str(o)):
                graph.remove((s, p, o))
                graph.add((s, p, Literal(clean(str(o)), lang=o.language, datatype=o.datatype)))
    return graph


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
    settings = [code_digest(), context.uris.base, context.uris.repository_identifier, context.hub_name,
                sorted(context.museum_names.items())]
    return hashlib.sha256(json.dumps(settings, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]


def render_element(graph: Graph, record_uri: str, identifier: str, fmt: OutputFormat,
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
    graph = record_graph(ntriples)
    rendered: dict[str, bytes | None] = {}
    for prefix, fmt in formats.items():
        try:
            rendered[prefix] = etree.tostring(render_element(graph, record_uri, identifier, fmt, context),
                                              encoding="UTF-8", xml_declaration=False)
        except CannotRender:
            rendered[prefix] = None
    return rendered
