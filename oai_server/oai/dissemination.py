"""Records as OAI ``record`` elements: the header, and the metadata rendered by the registered formats.

Parsing a record's N-Triples and rendering it is the cost of ListRecords, so rendered metadata is kept in a
small LRU keyed by (identifier, change sequence, metadataPrefix): a record's change sequence moves with
every change of its row, so a cached rendering is never stale.
"""

from __future__ import annotations

import copy
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from lxml import etree
import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef

from catalogue import HubConfig, PublishedRecord
from catalogue.listing import Header, with_ancestors
from mappings import HubURIs, OutputFormat, RenderContext
from oai_server.oai.envelope import sub
from oai_server.oai.provenance import Origins, about_element
from oai_server.oai.xmltext import ILLEGAL, ILLEGAL_ESCAPE, clean

log = logging.getLogger(__name__)

CACHE_SIZE = 4096
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class CannotRender(Exception):
    """A record that a format cannot disseminate (its renderer failed)."""


def load_vocabularies(base_uri: str) -> Any:
    """The shipped vocabularies for labels in outputs, or None when they cannot be loaded."""
    try:
        from vocabularies import load_vocabularies as load
    except ImportError:
        return None
    try:
        return load(base_uri)
    except Exception:  # a broken vocabulary file must not take the endpoint down; outputs lose labels only
        log.exception("vocabularies could not be loaded; OAI outputs go without their labels")
        return None


def record_graph(ntriples: str) -> Graph:
    """The record's graph in rdflib, for the renderers; parsed by pyoxigraph, which is faster than rdflib's
    own N-Triples parser on the hot path of ListRecords. A record names the same few URIs many times: each
    is made into an rdflib term once."""
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


class Disseminator:
    def __init__(self, config: HubConfig, formats: dict[str, OutputFormat],
                 vocabularies: Any = None, cache_size: int = CACHE_SIZE, origins: Origins | None = None) -> None:
        self.formats = formats
        self.origins = origins
        self.context = RenderContext(uris=HubURIs(config.base_uri, config.repository_identifier),
                                     hub_name=config.repository_name,
                                     museum_names={code: m.name for code, m in config.museums.items()},
                                     vocabularies=vocabularies)
        self._renderers: dict[str, Callable[..., etree._Element]] = {}
        self._cache: OrderedDict[tuple[str, int, str], etree._Element] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def renderer(self, prefix: str) -> Callable[..., etree._Element]:
        found = self._renderers.get(prefix)
        if found is None:
            found = self._renderers[prefix] = self.formats[prefix].load()
        return found

    def metadata(self, record: PublishedRecord, prefix: str) -> etree._Element:
        """The record's metadata in a format, a fresh element each call; raises CannotRender."""
        key = (record.identifier, record.change_seq, prefix)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
        if cached is None:
            try:
                graph = record_graph(record.ntriples)
                cached = self.renderer(prefix)(graph, URIRef(record.record_uri), self.context)
                if not isinstance(cached, etree._Element):
                    raise TypeError(f"the {prefix} renderer returned {type(cached).__name__}, not an element")
            except Exception as exc:
                log.warning("record %s cannot be disseminated as %s: %s", record.identifier, prefix, exc)
                raise CannotRender(f"{record.identifier} cannot be disseminated as {prefix}: {exc}") from exc
            with self._lock:
                self._cache[key] = cached
                if len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return copy.deepcopy(cached)


def header_element(parent: etree._Element, header: Header) -> etree._Element:
    element = sub(parent, "header", status="deleted") if header.deleted else sub(parent, "header")
    sub(element, "identifier", header.identifier)
    sub(element, "datestamp", header.datestamp)
    for spec in header.sets:
        sub(element, "setSpec", spec)
    return element


def current_header(record: PublishedRecord) -> Header:
    return Header(record.identifier, record.hub_datestamp, record.deleted, with_ancestors(record.sets))


def record_element(parent: etree._Element, header: Header, record: PublishedRecord | None,
                   prefix: str, disseminator: Disseminator) -> etree._Element | None:
    """A ``record`` for the header, or None when the format cannot disseminate it (then nothing is added).

    The header is the one the list was fixed at; a record deleted since is given as deleted.
    """
    if not header.deleted and (record is None or record.deleted):
        header = Header(header.identifier, record.hub_datestamp if record else header.datestamp, True, header.sets)
    metadata = None
    if not header.deleted:
        assert record is not None
        try:
            metadata = disseminator.metadata(record, prefix)
        except CannotRender:
            return None
    element = sub(parent, "record")
    header_element(element, header)
    if metadata is not None:
        sub(element, "metadata").append(metadata)
        origin = disseminator.origins.origin(record) if disseminator.origins and record else None
        if origin is not None:
            about_element(element, origin)
    return element
