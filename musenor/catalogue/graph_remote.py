"""The graph store on a SPARQL 1.1 server (``[hub] graph = "http://…"``): Oxigraph's server, Fuseki, QLever…

The same ``GraphStore`` as the embedded ``OxigraphStore``, over HTTP, so that many hub servers on several hosts
read one graph that the scheduler writes. The dataset keeps the embedded store's shape: one named graph per
record (and per vocabulary), and a real default graph holding each of their triples once (SPARQL 1.1's RDF
merge, not a union that repeats a museum's label once per record; see ``graph.py``).

Writes, one batch of ledger changes at a time:

- the graphs a batch replaces or withdraws go in one SPARQL Update request per ``DROP_CHUNK`` graphs: for each,
  the default graph loses the triples no other named graph holds, then the graph is dropped. The Graph Store
  Protocol has no conditional delete, so this is the one place an update string is sent, once per chunk of
  graphs, never per triple;
- the new triples go in one N-Quads document POSTed to the server's dataset endpoint (Graph Store Protocol
  over the whole dataset, which Oxigraph (``/store``), Fuseki (the dataset URL) and GraphDB accept): each
  record's triples in its named graph and in the default graph, in one document so that a blank node names
  one node in both.

The last ledger change applied is kept in the ledger (``meta``), keyed by the dataset's URL: the ledger is
shared by every process of the hub, the server's own files are not ours to write.

Reads: ``query`` returns pyoxigraph's own result objects (``QuerySolutions``, ``QueryBoolean``, triples), so
the pages, linked data and the SPARQL endpoint's writers work on either store unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph
import requests

from musenor.catalogue.graph import ChangeBatches, nquads

DROP_CHUNK = 500
SOLUTIONS_MEDIA = "application/sparql-results+json"
TRIPLES_MEDIA = "application/n-triples"
# Asked for every query: a server answers SELECT and ASK in the first, CONSTRUCT and DESCRIBE in the second.
ACCEPT = f"{SOLUTIONS_MEDIA}, {TRIPLES_MEDIA};q=0.9"


class RemoteGraphError(RuntimeError):
    """The SPARQL server refused a request or could not be reached."""


class RemoteQueryError(ValueError):
    """The SPARQL server refused a query (its syntax, or its own limits): the query's fault, not the hub's."""


class RemoteQueryTimeout(TimeoutError):
    """The SPARQL server did not answer within the time limit."""


@dataclass(frozen=True)
class SparqlEndpoints:
    """The three URLs of a SPARQL 1.1 server: Query, Update and the Graph Store Protocol's dataset."""

    query: str
    update: str
    store: str

    @classmethod
    def of(cls, base: str, query: str = "", update: str = "", store: str = "") -> SparqlEndpoints:
        """Each URL as given, else Oxigraph server's layout under ``base`` (``/query``, ``/update``, ``/store``)."""
        base = base.rstrip("/")
        return cls(query or f"{base}/query", update or f"{base}/update", store or f"{base}/store")


class RemoteSparqlStore(ChangeBatches):
    """A graph store on a SPARQL 1.1 server, written by the harvesting process only (``shared``)."""

    # Several processes on several hosts read it: a serving process never writes it (GraphSync leaves it to
    # the scheduler, which applies the ledger's changes after each publish).
    shared = True

    def __init__(self, endpoints: SparqlEndpoints, *, applied_seq: tuple[Callable[[], int], Callable[[int], None]],
                 timeout: float = 60.0, session: requests.Session | None = None) -> None:
        self.endpoints = endpoints
        self.timeout = timeout
        self._get_seq, self._set_seq = applied_seq
        self._session = session or requests.Session()
        self._write_lock = threading.RLock()

    # -- writing ------------------------------------------------------------------------------------------

    def apply_changes(self, changes: Iterable[tuple[str, str | None]], last_seq: int | None = None) -> None:
        """Apply (graph URI, N-Triples or None to remove) changes as one batch, then note ``last_seq``.

        The document is built (and each line checked) before anything is sent: a broken record fails the batch
        with nothing written. A failure midway leaves the applied seq before the batch; replaying it (drop,
        insert) is harmless."""
        changes = list(changes)
        document = "".join(nquads(graph_uri, ntriples) for graph_uri, ntriples in changes if ntriples)
        with self._write_lock:
            graphs = list(dict.fromkeys(graph_uri for graph_uri, _ in changes))
            for start in range(0, len(graphs), DROP_CHUNK):
                self._update(";\n".join(_withdraw(graph_uri) for graph_uri in graphs[start:start + DROP_CHUNK]))
            if document:
                self._send("POST", self.endpoints.store, data=document.encode("utf-8"),
                           headers={"Content-Type": "application/n-quads"})
            if last_seq is not None:
                self.set_applied_change_seq(last_seq)

    def _update(self, update: str) -> None:
        self._send("POST", self.endpoints.update, data=update.encode("utf-8"),
                   headers={"Content-Type": "application/sparql-update"})

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        try:
            response = self._session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout as exc:
            raise RemoteGraphError(f"SPARQL server {url}: no answer within {self.timeout:g} s") from exc
        except requests.RequestException as exc:
            raise RemoteGraphError(f"SPARQL server {url}: {exc}") from exc
        if response.status_code >= 300:
            raise RemoteGraphError(f"SPARQL server {url} answered {response.status_code}: "
                                   f"{response.text.strip()[:500]}")
        return response

    # -- reading ------------------------------------------------------------------------------------------

    def query(self, sparql: str, *, default_graph: Any = None, named_graphs: Any = None,
              timeout: float | None = None, **_: Any) -> Any:
        """Evaluate a query on the server (SPARQL 1.1 Protocol, POST of a form): pyoxigraph result objects."""
        form: list[tuple[str, str]] = [("query", sparql)]
        for graph in _graph_list(default_graph):
            form.append(("default-graph-uri", graph))
        for graph in _graph_list(named_graphs):
            form.append(("named-graph-uri", graph))
        limit = timeout or self.timeout
        try:
            response = self._session.post(self.endpoints.query, data=form, headers={"Accept": ACCEPT},
                                          timeout=limit, stream=True)
        except requests.Timeout as exc:
            raise RemoteQueryTimeout(f"the SPARQL server gave no answer within {limit:g} s") from exc
        except requests.RequestException as exc:
            raise RemoteGraphError(f"SPARQL server {self.endpoints.query}: {exc}") from exc
        if response.status_code >= 400:
            text = response.text.strip()[:500]
            if response.status_code >= 500:
                raise RemoteGraphError(f"SPARQL server {self.endpoints.query} answered "
                                       f"{response.status_code}: {text}")
            raise RemoteQueryError(text or f"the SPARQL server refused the query ({response.status_code})")
        media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        body = response.content
        if media == SOLUTIONS_MEDIA or media == "application/json":
            return pyoxigraph.parse_query_results(body, format=pyoxigraph.QueryResultsFormat.JSON)
        if media == "application/sparql-results+xml":
            return pyoxigraph.parse_query_results(body, format=pyoxigraph.QueryResultsFormat.XML)
        rdf_format = pyoxigraph.RdfFormat.from_media_type(media) if media else None
        if rdf_format is None:
            raise RemoteGraphError(f"SPARQL server {self.endpoints.query} answered in {media or 'no type'}")
        return _triples(pyoxigraph.parse(body, format=rdf_format))

    def applied_change_seq(self) -> int:
        return self._get_seq()

    def set_applied_change_seq(self, seq: int) -> None:
        self._set_seq(int(seq))

    def clear(self) -> None:
        with self._write_lock:
            self._update("CLEAR SILENT ALL")

    def record_graphs(self) -> Iterable[str]:
        return [row["g"].value for row in self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")]

    def dump(self, output: Any, mime_type: str) -> None:
        """Write the default graph (each triple of every named graph once) in ``mime_type``."""
        triples = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        pyoxigraph.serialize(triples, output, format=pyoxigraph.RdfFormat.from_media_type(mime_type))

    def close(self) -> None:
        self._session.close()


def _withdraw(graph_uri: str) -> str:
    """An update that takes a named graph out: first its triples from the default graph where no other named
    graph holds them, then the graph itself. A graph that does not exist yet costs nothing (SILENT)."""
    graph = f"<{_iri(graph_uri)}>"
    return (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != {graph}) }} }};\n"
            f"DROP SILENT GRAPH {graph}")


def _iri(value: str) -> str:
    """``value`` checked as an IRI by Oxigraph's parser: an update string is never built from a broken one."""
    return pyoxigraph.NamedNode(value).value


def _graph_list(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else [value]
    return [item.value if hasattr(item, "value") else str(item) for item in items]


def _triples(quads: Iterable[Any]) -> Iterator[pyoxigraph.Triple]:
    for quad in quads:
        yield quad.triple
