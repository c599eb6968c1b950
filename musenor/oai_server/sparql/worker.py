"""A SPARQL worker process: runs one query at a time against a read-only snapshot of the graph store.

pyoxigraph has no query timeout and holds the GIL-free query in native code, so a runaway query can only be
stopped by ending the process that runs it. The pool (``pool.py``) sends ``Job``s over a pipe, waits up to
the time limit and kills the worker if it has not answered. Each worker opens the snapshot it is told
(``pyoxigraph.Store.read_only``) and keeps it open until told another: snapshots never change once written.
"""

from __future__ import annotations

import itertools
import os
import signal
from dataclasses import dataclass
from typing import Any

import pyoxigraph

from musenor.oai_server.sparql.results import write_boolean, write_solutions

RDF_FORMATS = {
    "text/turtle": pyoxigraph.RdfFormat.TURTLE,
    "application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES,
    "application/ld+json": pyoxigraph.RdfFormat.JSON_LD,
    "application/rdf+xml": pyoxigraph.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class Job:
    snapshot: str
    query: str
    results_format: str  # json, xml, csv, tsv: for SELECT and ASK
    graph_media_type: str  # for CONSTRUCT and DESCRIBE
    max_rows: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    prefixes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Answer:
    ok: bool
    body: bytes = b""
    kind: str = ""  # "solutions", "boolean", "graph"
    truncated: bool = False
    rows: int = 0
    error: str = ""


def run_job(store: pyoxigraph.Store, job: Job) -> Answer:
    options: dict[str, Any] = {}
    # Everything that reads the job is inside the try: whatever a request carries, the worker answers and lives.
    try:
        if job.default_graphs:
            options["default_graph"] = [pyoxigraph.NamedNode(g) for g in job.default_graphs]
        # Otherwise the store's own default graph: the union of the named graphs, each triple once.
        if job.named_graphs:
            options["named_graphs"] = [pyoxigraph.NamedNode(g) for g in job.named_graphs]
        result = store.query(job.query, **options)
        if isinstance(result, pyoxigraph.QueryBoolean):
            return Answer(True, write_boolean(bool(result), job.results_format), "boolean", rows=1)
        if isinstance(result, pyoxigraph.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = [list(s) for s in itertools.islice(result, job.max_rows + 1)]
            truncated = len(rows) > job.max_rows
            rows = rows[:job.max_rows]
            return Answer(True, write_solutions(variables, rows, job.results_format), "solutions", truncated,
                          len(rows))
        triples = list(itertools.islice(result, job.max_rows + 1))
        truncated = len(triples) > job.max_rows
        triples = triples[:job.max_rows]
        body = pyoxigraph.serialize(triples, format=RDF_FORMATS[job.graph_media_type],
                                    prefixes=dict(job.prefixes) or None)
        return Answer(True, body or b"", "graph", truncated, len(triples))
    except TimeoutError:
        raise  # a graph on a SPARQL server ran out of time: the endpoint's 503, not the query's 400
    except Exception as exc:  # noqa: BLE001 - any evaluation error is the query's, and the worker must live on
        return Answer(False, error=f"{type(exc).__name__}: {exc}")


def serve(conn: Any) -> None:
    """The worker's loop: one Job in, one Answer out, until the pipe closes."""
    # Ctrl-C in a terminal reaches the whole process group: it is the server's to handle (its pool stops the
    # workers), not a traceback per worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        os.nice(5)  # the web server's own threads come first on a busy machine
    except OSError:
        pass
    stores: dict[str, pyoxigraph.Store] = {}
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            return
        store = stores.get(job.snapshot)
        if store is None:
            stores.clear()  # the previous snapshot is no longer current
            try:
                store = stores[job.snapshot] = pyoxigraph.Store.read_only(job.snapshot)
            except OSError as exc:
                conn.send(Answer(False, error=f"cannot open the graph snapshot: {exc}"))
                continue
        conn.send(run_job(store, job))
