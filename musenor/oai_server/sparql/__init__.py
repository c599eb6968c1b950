"""The SPARQL 1.1 endpoint at ``/sparql`` and its query page for people.

Protocol (SPARQL 1.1 Protocol, section 2.1): a query by GET (``query``), by form POST
(``application/x-www-form-urlencoded``) or directly (``application/sparql-query`` body), with optional
``default-graph-uri`` and ``named-graph-uri``. Without them the default graph is the union of every named
graph (records and vocabularies), each triple once, however many record graphs repeat it (the label of a
museum, an agent, a time-span); ``GRAPH ?record { ... }`` reaches one record's graph.
Results by content negotiation or ``format=``:

- SELECT and ASK: SPARQL JSON (default), XML, CSV, TSV (``format=json|xml|csv|tsv``);
- CONSTRUCT and DESCRIBE: Turtle (default), N-Triples, JSON-LD, RDF/XML (``format=ttl|nt|jsonld|rdfxml``);
- ``text/html`` (a browser, or ``format=html``): the query page with the results as a table.

Safety: the request is parsed first (``guard.py``) and updates, LOAD and SERVICE are refused with 400 before
anything runs. Queries run in a pool of worker processes over read-only snapshots (``pool.py``): each gets
``SPARQL_TIMEOUT`` seconds (then 503 and its worker is replaced) and at most ``SPARQL_MAX_ROWS`` rows or
triples (the header ``Musenor-Truncated: true`` says when the cap cut the answer); at most
``SPARQL_WORKERS`` queries run at once, and a query that finds no free worker within
``SPARQL_QUEUE_TIMEOUT`` seconds gets 503 with Retry-After. No write endpoint exists.
"""

from __future__ import annotations

import atexit
import json
import threading
from typing import Any

from flask import Blueprint, Flask, Response, current_app, render_template, request
from werkzeug.datastructures import MIMEAccept

from musenor.catalogue import OxigraphStore
from musenor.mappings.namespaces import PREFIXES
from musenor.oai_server import current_catalogue, current_config
from musenor.oai_server.pages import i18n
from musenor.oai_server.sparql import editor
from musenor.oai_server.sparql.examples import EXAMPLES, EXAMPLES_BY_KEY
from musenor.oai_server.sparql.guard import CheckedQuery, QueryRefused, check_dataset, check_query
from musenor.oai_server.sparql.pool import EndpointBusy, QueryTimeout, Snapshots, WorkerFailed, WorkerPool
from musenor.oai_server.sparql.results import RESULTS_MEDIA_TYPES
from musenor.oai_server.sparql.service_description import service_description
from musenor.oai_server.sparql.worker import Answer, Job, run_job

blueprint = Blueprint("sparql", __name__)

DEFAULTS = {"SPARQL_WORKERS": 4, "SPARQL_TIMEOUT": 10.0, "SPARQL_QUEUE_TIMEOUT": 5.0, "SPARQL_MAX_ROWS": 10_000,
            "SPARQL_HTML_ROWS": 1000}

# Media types a client may ask for, and the format= names.
RESULTS_ACCEPT = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_ACCEPT = {
    "text/turtle": "text/turtle", "application/x-turtle": "text/turtle",
    "application/n-triples": "application/n-triples", "text/plain": "application/n-triples",
    "application/ld+json": "application/ld+json", "application/json": "application/ld+json",
    "application/rdf+xml": "application/rdf+xml", "application/xml": "application/rdf+xml",
}
RESULTS_NAMES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv",
                 **{media: name for media, name in RESULTS_ACCEPT.items()}}
GRAPH_NAMES = {"ttl": "text/turtle", "turtle": "text/turtle", "nt": "application/n-triples",
               "ntriples": "application/n-triples", "n-triples": "application/n-triples",
               "jsonld": "application/ld+json", "json-ld": "application/ld+json", "json": "application/ld+json",
               "rdfxml": "application/rdf+xml", "rdf": "application/rdf+xml", "xml": "application/rdf+xml",
               **GRAPH_ACCEPT}
SERVICE_DESCRIPTION_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt",
                               "application/ld+json": "json-ld", "application/rdf+xml": "pretty-xml"}
DOWNLOADS = {"SELECT": ("csv", "tsv", "json", "xml"), "ASK": ("json", "xml"),
             "CONSTRUCT": ("ttl", "nt", "jsonld", "rdfxml"), "DESCRIBE": ("ttl", "nt", "jsonld", "rdfxml")}


class NotAcceptable(Exception):
    pass


def init_app(app: Flask) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    i18n.init_app(app)


_pool_lock = threading.Lock()


def query_pool() -> WorkerPool:
    """The app's worker pool, started on the first query (tests that never query start no process)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with _pool_lock:
        return app.extensions.get("musenor.sparql_pool") or _start_pool(app)


def _start_pool(app: Flask) -> WorkerPool:
    catalogue = current_catalogue()
    graph = catalogue.graph if catalogue.has_graph else None
    if not isinstance(graph, OxigraphStore) or graph.path is None:
        raise EndpointBusy("the SPARQL endpoint needs the on-disk graph store, which another process holds")
    snapshots = Snapshots(catalogue.data_dir / "sparql-snapshots", graph, graph.applied_change_seq)
    pool = WorkerPool(snapshots, size=int(app.config["SPARQL_WORKERS"]), timeout=float(app.config["SPARQL_TIMEOUT"]),
                      queue_timeout=float(app.config["SPARQL_QUEUE_TIMEOUT"]))
    app.extensions["musenor.sparql_pool"] = pool
    atexit.register(pool.close)
    return pool


def _text(status: int, message: str, **headers: str) -> Response:
    response = Response(message + "\n", status=status, mimetype="text/plain")
    response.headers.update(headers)
    return response


def _query_text() -> tuple[str | None, list[str], list[str]]:
    """The query and the dataset parameters of a GET, form POST or direct POST (Protocol 2.1.1-2.1.3)."""
    if request.method == "GET":
        params = request.args
        if "update" in params:
            raise QueryRefused("this endpoint is read-only: SPARQL Update is refused")
        queries = params.getlist("query")
    else:
        media = request.mimetype
        if media == "application/x-www-form-urlencoded":
            params = request.form
            if "update" in params:
                raise QueryRefused("this endpoint is read-only: SPARQL Update is refused")
            queries = params.getlist("query")
        elif media == "application/sparql-query":
            params = request.args
            queries = [request.get_data(as_text=True)]
        elif media == "application/sparql-update":
            raise QueryRefused("this endpoint is read-only: SPARQL Update is refused")
        else:
            raise _Unsupported(media)
    if len(queries) > 1:
        raise QueryRefused("give exactly one 'query' parameter")
    return (queries[0] if queries else None), params.getlist("default-graph-uri"), params.getlist("named-graph-uri")


class _Unsupported(Exception):
    pass


def _negotiate(form: str) -> tuple[str, str]:
    """("results", json|xml|csv|tsv) or ("graph", media type) or ("html", "")."""
    asked = request.values.get("format") or request.args.get("output")
    graph_form = form in ("CONSTRUCT", "DESCRIBE")
    if asked:
        asked = asked.strip().lower()
        if asked == "html":
            return "html", ""
        if graph_form and asked in GRAPH_NAMES:
            return "graph", GRAPH_NAMES[asked]
        if not graph_form and asked in RESULTS_NAMES:
            return "results", RESULTS_NAMES[asked]
        choices = "ttl, nt, jsonld, rdfxml" if graph_form else "json, xml, csv, tsv"
        raise NotAcceptable(f"format {asked!r} is not offered for a {form} query (offered: {choices}, html)")
    accept: MIMEAccept = request.accept_mimetypes
    table = GRAPH_ACCEPT if graph_form else RESULTS_ACCEPT
    default = "text/turtle" if graph_form else "application/sparql-results+json"
    if not request.headers.get("Accept", "").strip():
        return ("graph", default) if graph_form else ("results", "json")
    best = accept.best_match([default, *table, "text/html"], default=None)
    if best is None:
        raise NotAcceptable(f"none of the types in Accept is offered for a {form} query "
                            f"(offered: {', '.join(dict.fromkeys(table.values() if graph_form else RESULTS_MEDIA_TYPES.values()))})")
    if best == "text/html":
        return "html", ""
    return ("graph", table[best]) if graph_form else ("results", table[best])


def _run(checked: CheckedQuery, results_format: str, graph_media: str, max_rows: int,
         default_graphs: list[str], named_graphs: list[str]) -> Answer:
    prefixes = tuple((p, str(ns)) for p, ns in PREFIXES.items())
    catalogue = current_catalogue()
    if catalogue.has_graph and getattr(catalogue.graph, "shared", False):
        return _run_on_server(catalogue.graph, Job(
            snapshot="", query=checked.text, results_format=results_format, graph_media_type=graph_media,
            max_rows=max_rows, default_graphs=tuple(default_graphs), named_graphs=tuple(named_graphs),
            prefixes=prefixes))
    return query_pool().run(lambda snapshot: Job(
        snapshot=snapshot, query=checked.text, results_format=results_format, graph_media_type=graph_media,
        max_rows=max_rows, default_graphs=tuple(default_graphs), named_graphs=tuple(named_graphs),
        prefixes=prefixes))


class _TimedQueries:
    """A graph on a SPARQL server, each query under the endpoint's time limit."""

    def __init__(self, graph: Any, timeout: float) -> None:
        self.graph, self.timeout = graph, timeout

    def query(self, text: str, **options: Any) -> Any:
        return self.graph.query(text, timeout=self.timeout, **options)


def _run_on_server(graph: Any, job: Job) -> Answer:
    """A query forwarded to the graph's SPARQL server, behind the same guards as the embedded store: the
    query was checked read-only before, at most SPARQL_WORKERS run at once, each has SPARQL_TIMEOUT seconds
    and the answer stops at the row cap. The server evaluates; the hub writes the answer, so its formats,
    headers and truncation are the same whichever store is behind."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with _pool_lock:
        slots = app.extensions.setdefault("musenor.sparql_slots",
                                          threading.BoundedSemaphore(int(app.config["SPARQL_WORKERS"])))
    if not slots.acquire(timeout=float(app.config["SPARQL_QUEUE_TIMEOUT"])):
        raise EndpointBusy("every SPARQL query slot is busy")
    try:
        return run_job(_TimedQueries(graph, float(app.config["SPARQL_TIMEOUT"])), job)  # type: ignore[arg-type]
    except TimeoutError as exc:
        raise QueryTimeout(f"the query took longer than {app.config['SPARQL_TIMEOUT']:g} s") from exc
    finally:
        slots.release()


def _page(query: str = "", *, status: int = 200, error: str | None = None, table: dict[str, Any] | None = None,
          form: str | None = None) -> Response:
    config = current_config()
    # A query the request named (query= or example=) goes into the editor; otherwise YASGUI keeps the
    # reader's tabs, or the query of a permalink's fragment.
    given = query if ("query" in request.values or "example" in request.args) else ""
    html = render_template("sparql.html", query=query, error=error, table=table, form=form,
                           editor_config=editor.editor_config(config.base_uri, given),
                           examples=[(e, e.query(config.base_uri)) for e in EXAMPLES],
                           downloads=DOWNLOADS.get(form or "", ()), hub=config,
                           max_rows=current_app.config["SPARQL_MAX_ROWS"],
                           timeout=current_app.config["SPARQL_TIMEOUT"])
    response = Response(html, status=status, mimetype="text/html")
    response.vary.add("Accept")
    response.headers["Content-Security-Policy"] = editor.EDITOR_POLICY
    return response


@blueprint.route("/sparql/prefixes.json")
def prefixes() -> Response:
    """The hub's prefixes, in prefix.cc's JSON shape, for the query editor's prefix completion."""
    response = Response(json.dumps({p: str(ns) for p, ns in sorted(PREFIXES.items())}),
                        mimetype="application/json")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def _description_media() -> str | None:
    """The RDF type of the Service Description when a request without a query asks for RDF (or for nothing
    in particular); None when it asks for query results, which need a query."""
    asked = request.args.get("format")
    if asked:
        media = GRAPH_NAMES.get(asked.strip().lower())
        return media if media in SERVICE_DESCRIPTION_FORMATS and asked not in RESULTS_NAMES else None
    if not request.headers.get("Accept", "").strip():
        return "text/turtle"
    best = request.accept_mimetypes.best_match([*SERVICE_DESCRIPTION_FORMATS, *RESULTS_ACCEPT], default=None)
    return best if best in SERVICE_DESCRIPTION_FORMATS else None


def _service_description(media: str) -> Response:
    """The endpoint's Service Description in ``media``."""
    graph = service_description(current_config().base_uri,
                                timeout_seconds=float(current_app.config["SPARQL_TIMEOUT"]),
                                max_rows=int(current_app.config["SPARQL_MAX_ROWS"]),
                                named_graphs=list(current_catalogue().static_graphs))
    body = graph.serialize(format=SERVICE_DESCRIPTION_FORMATS[media], encoding="utf-8")
    response = Response(body, status=200, content_type=f"{media}; charset=utf-8")
    response.vary.add("Accept")
    return response


@blueprint.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    wants_html = request.accept_mimetypes.best_match(["application/sparql-results+json", "text/html"]) == "text/html"
    try:
        text, default_graphs, named_graphs = _query_text()
    except _Unsupported as exc:
        return _text(415, f"unsupported request body type {exc.args[0] or '(none)'}: use "
                          "application/x-www-form-urlencoded or application/sparql-query")
    except QueryRefused as exc:
        return _page(error=str(exc), status=400) if wants_html else _text(400, str(exc))
    if text is None:
        example = EXAMPLES_BY_KEY.get(request.args.get("example", ""))
        if wants_html or request.args.get("format") == "html":
            return _page(example.query(current_config().base_uri) if example else EXAMPLES[0].query(
                current_config().base_uri))
        media = _description_media() if request.method in ("GET", "HEAD") else None
        if media is not None:
            return _service_description(media)
        return _text(400, "no query: pass it as 'query' (GET or form POST) or as an application/sparql-query body")
    try:
        checked = check_query(text)
        check_dataset(default_graphs, named_graphs)
        kind, choice = _negotiate(checked.form)
    except QueryRefused as exc:
        return _page(text, error=str(exc), status=400) if wants_html else _text(400, str(exc))
    except NotAcceptable as exc:
        return _text(406, str(exc))
    html = kind == "html"
    max_rows = int(current_app.config["SPARQL_HTML_ROWS" if html else "SPARQL_MAX_ROWS"])
    try:
        answer = _run(checked, "json" if html or kind == "graph" else choice,
                      "text/turtle" if html or kind == "results" else choice, max_rows, default_graphs,
                      named_graphs)
    except QueryTimeout as exc:
        return _page(text, error=str(exc), status=503, form=checked.form) if html else _text(503, str(exc))
    except EndpointBusy as exc:
        return _text(503, f"{exc}; try again shortly", **{"Retry-After": "5"})
    except WorkerFailed as exc:
        return _text(500, str(exc))
    if not answer.ok:
        message = f"the query could not be evaluated: {answer.error}"
        return _page(text, error=message, status=400, form=checked.form) if html else _text(400, message)
    if html:
        table = {"truncated": answer.truncated, "rows": answer.rows, "kind": answer.kind, "max_rows": max_rows}
        if answer.kind == "graph":
            table["turtle"] = answer.body.decode("utf-8")
        else:
            table.update(json.loads(answer.body))
        return _page(text, table=table, form=checked.form)
    media = RESULTS_MEDIA_TYPES[choice] if kind == "results" else choice
    response = Response(answer.body, status=200, content_type=media + (
        "; charset=utf-8" if media.startswith("text/") or media.endswith("json") else ""))
    response.vary.add("Accept")
    if answer.truncated:
        response.headers["Musenor-Truncated"] = "true"
    response.headers["Musenor-Row-Cap"] = str(max_rows)
    return response
