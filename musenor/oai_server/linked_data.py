"""Linked data: every hub URI dereferences, with content negotiation; records cite themselves; the dumps.

Formats, by ``Accept`` or by ``?format=``: HTML (``html``), Turtle (``ttl``), JSON-LD (``jsonld``),
RDF/XML (``rdfxml``), N-Triples (``nt``) and, for records and objects, Linked Art JSON-LD (``linked-art``, or
``Accept: application/ld+json;profile="https://linked.art/ns/v1/linked-art.json"``). Every answer carries
``Vary: Accept``; a type nobody offers gets 406.

303 or direct:

- ``/id/record/{code}/{local}`` — the record is a document (the ``ore:Aggregation`` and the named graph that
  holds the record): its RDF is served directly (200) from the ledger, description and provenance; HTML is a
  303 to the record's public page ``/notice/{code}/{local}``. A withdrawn record answers 410 Gone.
- ``/id/object/{code}/{local}`` — the object is a thing, not a document: always 303 See Other, to the record
  for RDF (the format parameter kept) and to the record's page for HTML.
- ``/id/museum/{code}`` — 303 to the museum page for HTML; RDF served directly: the museum as the graph
  describes it, with its name, city and website from the configuration.
- ``/id/agent/…``, ``/id/place/…``, ``/id/timespan/…``, ``/vocab/{scheme}/{id}`` — served directly (200) in every
  format, described by a bounded query over the graph: what is said about the URI, and (up to 200) what
  points at it. HTML is a page of the same description.
- ``/.well-known/void``, ``/id/dataset`` and the other dataset URIs are answered by ``musenor.oai_server.dataset``.
- ``/dumps/`` — the whole graph as gzipped N-Triples and Turtle, rewritten in a background thread after each
  sync that applied new ledger changes (``musenor.catalogue.export`` writes a part file and renames it).
"""

from __future__ import annotations

import logging
import threading
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph

from flask import (Blueprint, Flask, Response, abort, current_app, redirect, render_template, request,
                   send_file, url_for)
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS

from musenor.catalogue import Catalogue
from musenor.catalogue.ledger import PublishedRecord
from musenor.mappings import HubURIs, RenderContext, get_format
from musenor.mappings.namespaces import EDM, bind_prefixes
from musenor.mappings.version import code_digest
from musenor.oai_server import current_catalogue, current_config
from musenor.oai_server.dataset_statistics import StatisticsFile
from musenor.oai_server.citation import CITATION_TYPES, Citation, cite
from musenor.oai_server.http_cache import DUMP_CACHE, RECORD_CACHE, entity_tag, if_current, last_modified, stamp
from musenor.oai_server.pages import i18n
from musenor.oai_server.pages.labels import LabelLookup, pick

blueprint = Blueprint("linked_data", __name__)

RDF_TYPES = {
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdfxml": ("application/rdf+xml", "pretty-xml"),
    "nt": ("application/n-triples", "nt"),
}
FORMAT_NAMES = {"ttl": "ttl", "turtle": "ttl", "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld",
                "rdfxml": "rdfxml", "rdf": "rdfxml", "xml": "rdfxml", "nt": "nt", "ntriples": "nt",
                "n-triples": "nt", "html": "html", "linked-art": "linked-art", "linkedart": "linked-art",
                "csl-json": "csl-json", "csljson": "csl-json", "bibtex": "bibtex"}
# Records and objects are also offered as citations (oai_server.citation), by format= or by Accept.
CITATION_ACCEPTED = {media: name for name, media in CITATION_TYPES.items()}
ACCEPTED = {"text/html": "html", "application/xhtml+xml": "html", "text/turtle": "ttl",
            "application/x-turtle": "ttl", "application/ld+json": "jsonld", "application/json": "jsonld",
            "application/rdf+xml": "rdfxml", "application/n-triples": "nt", "text/plain": "nt"}
LINKED_ART_PROFILE = "https://linked.art/ns/v1/linked-art.json"
DESCRIBE_LIMIT = 2000
INCOMING_LIMIT = 200
DUMPS = {"nt": "musenor.nt.gz", "ttl": "musenor.ttl.gz"}
DUMP_SEQ_FILE = "applied-change-seq"
UNRESERVED = "-._~"  # RFC 3986 section 2.3; quote() keeps letters and digits
IRIREF_EXCLUDED = frozenset('<>"{}|^`\\')  # SPARQL 1.1 grammar, IRIREF (production 139)


class NotAcceptable(Exception):
    pass


def negotiate(*, linked_art: bool = False) -> str:
    """html, ttl, jsonld, rdfxml, nt, or for records linked-art, csl-json or bibtex, from ``format=`` or Accept
    (default Turtle)."""
    record_formats = ("linked-art", *CITATION_TYPES)
    asked = request.args.get("format")
    if asked:
        name = FORMAT_NAMES.get(asked.strip().lower())
        if name is None or (name in record_formats and not linked_art):
            raise NotAcceptable(f"format {asked!r} is not offered here")
        return name
    header = request.headers.get("Accept", "")
    if linked_art and LINKED_ART_PROFILE in header and "application/ld+json" in header:
        return "linked-art"
    if not header.strip():
        return "ttl"
    offered = {**ACCEPTED, **(CITATION_ACCEPTED if linked_art else {})}
    best = request.accept_mimetypes.best_match(["text/turtle", *offered], default=None)
    if best is None:
        raise NotAcceptable("none of the types in Accept is offered: " + ", ".join(dict.fromkeys(
            ["text/html", "text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples",
             *(CITATION_ACCEPTED if linked_art else ())])))
    return offered[best]


def not_acceptable(exc: Exception) -> Response:
    response = Response(f"{exc}\n", status=406, mimetype="text/plain")
    response.vary.add("Accept")
    return response


def see_other(location: str) -> Response:
    response = redirect(location, code=303)
    response.vary.add("Accept")
    return response


def graph_response(graph: Graph, fmt: str) -> Response:
    media, rdflib_format = RDF_TYPES[fmt]
    bind_prefixes(graph)
    body = graph.serialize(format=rdflib_format, encoding="utf-8")
    response = Response(body, status=200, content_type=f"{media}; charset=utf-8")
    response.vary.add("Accept")
    return response


def hub_iri(*segments: str) -> str:
    """The hub IRI of a URL path, each segment as the router decoded it.

    The one place an IRI is built from request path segments: each is percent-encoded again exactly as
    ``musenor.mappings.uris`` mints them (RFC 3986 unreserved characters kept), so ``/id/timespan/1850%3A`` finds the
    minted ``1850%3A`` and a ``[`` or ``>`` from a URL never reaches a SPARQL query unescaped.
    """
    return "/".join([current_config().base_uri, *(quote(segment, safe=UNRESERVED) for segment in segments)])


def is_iri(text: str) -> bool:
    """True for an absolute http(s) IRI that SPARQL's IRIREF accepts (checked by Oxigraph's own IRI parser)."""
    if not text.startswith(("http://", "https://")):
        return False
    try:
        pyoxigraph.NamedNode(text)
    except ValueError:
        return False
    return not any(c in IRIREF_EXCLUDED or ord(c) <= 0x20 for c in text)


def _uris() -> HubURIs:
    config = current_config()
    return HubURIs(config.base_uri, config.repository_identifier)


def _labels() -> LabelLookup:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    lookup = app.extensions.get("musenor.labels")
    if lookup is None:
        lookup = app.extensions["musenor.labels"] = LabelLookup(current_catalogue())
    return lookup


def _query_param(name: str) -> dict[str, str]:
    return {name: request.args[name]} if name in request.args else {}


# -- records and objects ------------------------------------------------------------------------------

@blueprint.route("/id/record/<code>/<path:local>")
def record(code: str, local: str) -> Response:
    try:
        fmt = negotiate(linked_art=True)
    except NotAcceptable as exc:
        return not_acceptable(exc)
    if fmt == "html":
        return see_other(url_for("pages.record", code=code, local=local, **_query_param("lang")))
    uris = _uris()
    record_uri = uris.record(code, local)
    found = current_catalogue().ledger.record_by_uri(str(record_uri))
    if found is None:
        abort(404)
    if found.deleted:
        response = Response(f"the record {record_uri} was withdrawn by its museum\n", status=410,
                            mimetype="text/plain")
        response.vary.add("Accept")
        return response
    # A citation carries the day it was accessed: its representation changes with the day.
    day = utc_today() if fmt in CITATION_TYPES else None
    # The change sequence tells apart two publishes within the datestamp's second; the code digest, two
    # renderings of one publish by different versions of the hub (a cached Linked Art of the old mapping).
    etag = entity_tag("record", record_uri, found.hub_datestamp, found.change_seq, fmt, code_digest(),
                      f"{day}/{i18n.current_language()}" if day else "")
    modified = last_modified(found.hub_datestamp)
    current = if_current(etag, modified, RECORD_CACHE)
    if current is not None:
        return current
    graph = Graph()
    graph.parse(data=found.ntriples, format="nt")
    if fmt == "linked-art":
        response = _linked_art(graph, record_uri)
    elif fmt in CITATION_TYPES:
        response = _citation(graph, record_uri, code, fmt, day or utc_today())
    else:
        response = graph_response(graph, fmt)
    return stamp(response, etag, modified, RECORD_CACHE) if response.status_code == 200 else response


def utc_today() -> date:
    return datetime.now(timezone.utc).date()


def record_citation(graph: Graph, record_uri: URIRef, code: str, accessed: date) -> Citation:
    """The citation of a record of the museum ``code``, as of the day ``accessed``."""
    config = current_config()
    museum = config.museums.get(code)
    return cite(graph, record_uri, museum=museum.name if museum else code, city=museum.city if museum else None,
                publisher=config.repository_name, accessed=accessed, lang=i18n.current_language())


def page_citation(found: PublishedRecord) -> Citation:
    """The citation a record page shows (the template global ``record_citation``)."""
    graph = Graph()
    graph.parse(data=found.graph or "", format="nt")
    return record_citation(graph, URIRef(found.record_uri), found.museum, utc_today())


def _citation(graph: Graph, record_uri: URIRef, code: str, fmt: str, accessed: date) -> Response:
    citation = record_citation(graph, record_uri, code, accessed)
    body = citation.as_csl_json() if fmt == "csl-json" else citation.as_bibtex()
    response = Response(body, status=200, content_type=f"{CITATION_TYPES[fmt]}; charset=utf-8")
    response.vary.add("Accept")
    return response


def _linked_art(graph: Graph, record_uri: URIRef) -> Response:
    config = current_config()
    output = get_format("linked-art")
    try:
        render = output.load()
    except (ImportError, AttributeError):
        return Response("Linked Art is not available on this hub yet\n", status=406, mimetype="text/plain")
    context = RenderContext(uris=_uris(), hub_name=config.repository_name,
                            museum_names={c: m.name for c, m in config.museums.items()})
    body = render(graph, record_uri, context)
    if isinstance(body, str):
        body = body.encode("utf-8")
    response = Response(body, status=200, content_type=output.media_type)
    response.vary.add("Accept")
    return response


@blueprint.route("/id/object/<code>/<path:local>")
def cho(code: str, local: str) -> Response:
    try:
        fmt = negotiate(linked_art=True)
    except NotAcceptable as exc:
        return not_acceptable(exc)
    if current_catalogue().ledger.record_by_uri(str(_uris().record(code, local))) is None:
        abort(404)
    if fmt == "html":
        return see_other(url_for("pages.record", code=code, local=local, **_query_param("lang")))
    # The object is not a document: 303 to the record that describes it (httpRange-14), format kept.
    location = url_for("linked_data.record", code=code, local=local, **_query_param("format"))
    return see_other(location)


# -- museums, agents, places, time-spans, concepts -------------------------------------------------------

def describe(catalogue: Catalogue, uri: str, incoming: tuple[URIRef, ...] | None = None) -> Graph:
    """What the graph says about ``uri`` and what points at it (bounded), as one rdflib Graph; with
    ``incoming``, only what points at it by those predicates."""
    graph = Graph()
    if not catalogue.has_graph or not is_iri(uri):
        return graph
    node = URIRef(uri)
    for row in catalogue.graph.query(f"SELECT DISTINCT ?p ?o WHERE {{ <{uri}> ?p ?o }} LIMIT {DESCRIBE_LIMIT}"):
        graph.add((node, _to_rdflib(row["p"]), _to_rdflib(row["o"])))
    if incoming is not None:
        if not incoming:
            return graph
        pattern = f"VALUES ?p {{ {' '.join(f'<{p}>' for p in incoming)} }} ?s ?p <{uri}>"
    else:
        pattern = f"?s ?p <{uri}> FILTER (!CONTAINS(STR(?s), \"#\"))"
    for row in catalogue.graph.query(f"SELECT DISTINCT ?s ?p WHERE {{ {pattern} }} LIMIT {INCOMING_LIMIT}"):
        graph.add((_to_rdflib(row["s"]), _to_rdflib(row["p"]), node))
    return graph


def _to_rdflib(term: Any) -> Any:
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _resource(uri: str, *, extra: Graph | None = None, kind: str = "") -> Response:
    try:
        fmt = negotiate()
    except NotAcceptable as exc:
        return not_acceptable(exc)
    # An entity's page lists its works from the search index: of what points at it, it needs only its
    # narrower concepts and the places within it.
    incoming = ENTITY_PAGE_INCOMING.get(kind) if fmt == "html" else None
    graph = describe(current_catalogue(), uri, incoming)
    if extra is not None:
        graph += extra
    if len(graph) == 0:
        abort(404)
    if fmt == "html":
        return resource_page(graph, uri, kind)
    return graph_response(graph, fmt)


ENTITY_PAGES = ("agent", "place", "concept")
ENTITY_PAGE_INCOMING: dict[str, tuple[URIRef, ...]] = {
    "agent": (), "place": (DCTERMS.isPartOf,), "concept": (SKOS.broader, SKOS.narrower)}


def resource_page(graph: Graph, uri: str, kind: str) -> Response:
    """The HTML page of a URI: a person, place or concept page (``pages.entities``), else its properties."""
    lang = i18n.current_language()
    labels = _labels()
    if kind in ENTITY_PAGES:
        from musenor.oai_server.pages.entities import entity_page

        return entity_page(graph, uri, kind, labels)
    node = URIRef(uri)

    def label(term: Any) -> str:
        if isinstance(term, Literal):
            return str(term)
        own = {(o.language or ""): str(o) for o in graph.objects(term, SKOS.prefLabel) if isinstance(o, Literal)}
        return pick(own or labels(str(term)), lang) or str(term)

    properties = [(graph.qname(p) if _has_prefix(graph, p) else str(p), p, o, label(o))
                  for p, o in sorted(graph.predicate_objects(node))]
    titles = _titles(current_catalogue(), [str(s) for s in set(graph.subjects(None, node)) if isinstance(s, URIRef)],
                     lang)
    incoming = sorted({(s, titles.get(str(s)) or label(s)) for s in graph.subjects(None, node)}, key=lambda x: x[1])
    html = render_template("resource.html", uri=uri, title=label(node), properties=properties,
                           incoming=incoming, kind=kind, hub=current_config(),
                           formats=[(name, RDF_TYPES[name][0]) for name in RDF_TYPES])
    response = Response(html, mimetype="text/html")
    response.vary.add("Accept")
    return response


def _titles(catalogue: Catalogue, uris: list[str], lang: str) -> dict[str, str]:
    """dc:title of the objects among ``uris``, in ``lang`` when there is one."""
    safe = [u for u in uris if is_iri(u)]
    if not safe or not catalogue.has_graph:
        return {}
    values = " ".join(f"<{u}>" for u in safe[:INCOMING_LIMIT])
    found: dict[str, dict[str, str]] = {}
    for row in catalogue.graph.query(f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {values} }} "
                                     f"?s <http://purl.org/dc/elements/1.1/title> ?t }}"):
        found.setdefault(row["s"].value, {}).setdefault(row["t"].language or "", row["t"].value)
    return {uri: pick(titles, lang) or uri for uri, titles in found.items()}


def _has_prefix(graph: Graph, uri: URIRef) -> bool:
    try:
        graph.compute_qname(uri, generate=False)
        return True
    except (KeyError, ValueError):
        return False


@blueprint.route("/id/museum/<code>")
def museum(code: str) -> Response:
    config = current_config()
    try:
        fmt = negotiate()
    except NotAcceptable as exc:
        return not_acceptable(exc)
    known = config.museums.get(code)
    if fmt == "html":
        if known is None:
            abort(404)
        return see_other(url_for("pages.museum", code=code, **_query_param("lang")))
    uri = URIRef(hub_iri("id", "museum", code))
    extra = Graph()
    if known is not None:
        extra.add((uri, RDF.type, EDM.Agent))
        extra.add((uri, RDF.type, FOAF.Organization))
        extra.add((uri, SKOS.prefLabel, Literal(known.name, lang="fr")))
        extra.add((uri, URIRef("https://w3id.org/musenor/ns#museofileCode"), Literal(code)))
        if known.website:
            extra.add((uri, FOAF.homepage, URIRef(known.website)))
    graph = describe(current_catalogue(), str(uri)) + extra
    if len(graph) == 0:
        abort(404)
    return graph_response(graph, fmt)


@blueprint.route("/id/agent/<slug>")
def agent(slug: str) -> Response:
    return _resource(hub_iri("id", "agent", slug), kind="agent")


@blueprint.route("/id/place/<slug>")
def place(slug: str) -> Response:
    return _resource(hub_iri("id", "place", slug), kind="place")


@blueprint.route("/id/timespan/<span>")
def timespan(span: str) -> Response:
    return _resource(hub_iri("id", "timespan", span), kind="timespan")


@blueprint.route("/vocab/<scheme>/<concept>")
def concept(scheme: str, concept: str) -> Response:
    return _resource(hub_iri("vocab", scheme, concept), kind="concept")


@blueprint.route("/vocab/<scheme>")
def scheme(scheme: str) -> Response:
    return _resource(hub_iri("vocab", scheme), kind="scheme")


@blueprint.route("/.well-known/void")
@blueprint.route("/void")
def void() -> Response:
    # Pages link to this endpoint by name; the description itself is oai_server.dataset's, which builds on
    # this module (hence imported here, when first asked).
    from musenor.oai_server.dataset import void as description_document

    return description_document()


# -- dumps ----------------------------------------------------------------------------------------------

class DumpWriter:
    """Rewrites the dumps in a background thread when the graph has applied ledger changes they lack."""

    def __init__(self, directory: Path, statistics: StatisticsFile | None = None) -> None:
        self.directory = directory
        self.statistics = statistics
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._again = False

    def written_seq(self) -> int:
        try:
            return int((self.directory / DUMP_SEQ_FILE).read_text().strip() or -1)
        except (FileNotFoundError, ValueError):
            return -1

    def __call__(self, catalogue: Catalogue) -> None:
        if not catalogue.has_graph or catalogue.graph.applied_change_seq() == self.written_seq():
            return
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._again = True
                return
            self._thread = threading.Thread(target=self._write, args=(catalogue,), daemon=True,
                                            name="musenor-dumps")
            self._thread.start()

    def write_now(self, catalogue: Catalogue) -> None:
        """Rewrite the dumps in this thread, until they hold the graph's last applied change."""
        self._write_until_current(catalogue)

    def _write(self, catalogue: Catalogue) -> None:
        try:
            self._write_until_current(catalogue)
        except Exception:  # noqa: BLE001 - a background thread: log, and the next sync tries again
            logging.getLogger(__name__).exception("writing the dumps failed")

    def _write_until_current(self, catalogue: Catalogue) -> None:
        while True:
            seq = catalogue.graph.applied_change_seq()
            for fmt, name in DUMPS.items():
                catalogue.export(self.directory / name, fmt)
            if self.statistics is not None:
                self.statistics.write(catalogue, seq)
            tmp = self.directory / (DUMP_SEQ_FILE + ".part")
            tmp.write_text(str(seq))
            tmp.replace(self.directory / DUMP_SEQ_FILE)
            with self._lock:
                if not self._again and catalogue.graph.applied_change_seq() == seq:
                    return
                self._again = False

    def wait(self, timeout: float = 60.0) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)


def dump_writer(app: Flask) -> DumpWriter:
    return app.extensions["musenor.dumps"]


@blueprint.route("/dumps/")
def dumps() -> Response:
    directory = current_catalogue().data_dir / "dumps"
    files = [(name, (directory / name).stat().st_size) for name in DUMPS.values() if (directory / name).exists()]
    html = render_template("dumps.html", files=files, hub=current_config())
    return Response(html, mimetype="text/html")


@blueprint.route("/dumps/<name>")
def dump_file(name: str) -> Response:
    if name not in DUMPS.values():
        abort(404)
    directory = current_catalogue().data_dir / "dumps"
    path = directory / name
    try:
        stat = path.stat()
    except FileNotFoundError:
        abort(404)
    # The dump of a publish sequence; its size and write time are in the tag too, since the file is replaced
    # a moment before the sequence it was written at is recorded.
    seq = dump_writer(current_app).written_seq()
    etag = entity_tag("dump", name, seq, stat.st_mtime_ns, stat.st_size)
    modified = datetime.fromtimestamp(stat.st_mtime, timezone.utc)
    current = if_current(etag, modified, DUMP_CACHE, vary=())
    if current is not None:
        return current
    response = send_file(path, mimetype="application/gzip", as_attachment=True, download_name=name,
                         conditional=True, etag=False, last_modified=modified)
    return stamp(response, etag, modified, DUMP_CACHE)


def init_app(app: Flask) -> None:
    i18n.init_app(app)
    app.jinja_env.globals["record_citation"] = page_citation
    catalogue = app.extensions["musenor.catalogue"]
    config = app.config["MUSENOR"]
    statistics = StatisticsFile(catalogue.data_dir / "dumps", config.base_uri, sorted(config.museums))
    app.extensions["musenor.dataset_statistics"] = statistics
    writer = DumpWriter(catalogue.data_dir / "dumps", statistics)
    app.extensions["musenor.dumps"] = writer
    sync = app.extensions.get("musenor.graph_sync")
    if sync is not None:
        sync.listeners.append(writer)
    writer(catalogue)
