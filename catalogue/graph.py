"""The RDF graph store behind SPARQL: one named graph per record, derived from the ledger.

``GraphStore`` is the narrow interface the harvester and the servers see. ``OxigraphStore`` is the
embedded default (pyoxigraph on disk); a remote SPARQL 1.1 store can implement the same methods with
SPARQL Update and the SPARQL Protocol without the harvester or the servers changing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph

# The last ledger change applied is kept in a file beside the store, written after the change: replaying a
# change is harmless (drop and insert), so a crash between the two costs a replay, never a lost change.
APPLIED_SEQ_FILE = "applied-change-seq"


class GraphStoreBusy(Exception):
    """Another process holds the on-disk store (a running server): it applies the changes itself."""


class GraphStore(Protocol):
    def replace_record(self, graph_uri: str, ntriples: str) -> None: ...
    def remove_record(self, graph_uri: str) -> None: ...
    def replace_static_graph(self, graph_uri: str, data: bytes, mime_type: str) -> None: ...
    def query(self, sparql: str, **options: Any) -> Any: ...
    def applied_change_seq(self) -> int: ...
    def set_applied_change_seq(self, seq: int) -> None: ...
    def clear(self) -> None: ...
    def record_graphs(self) -> Iterable[str]: ...
    def dump(self, output: Any, mime_type: str) -> None: ...


# The default graph holds each triple of the named graphs once: the set union SPARQL 1.1 means by "the RDF
# merge". Oxigraph's use_default_graph_as_union answers a triple once per graph holding it, and every
# record graph repeats the labels of its museum, creators and places, so joins and counts multiplied.
# It is kept current in the same update as each record's graph: a triple leaves the default graph only
# when no other graph still holds it.
UNION_MARKER_FILE = "union-default-graph"


def _withdraw(graph_uri: str) -> str:
    return (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph_uri}> {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != <{graph_uri}>) }} }} ;\n"
            f"DROP SILENT GRAPH <{graph_uri}>")


def _replace(graph_uri: str, ntriples: str | None) -> str:
    # One SPARQL Update request is one transaction in Oxigraph: readers never see a record half replaced.
    if not ntriples:
        return _withdraw(graph_uri)
    return (f"{_withdraw(graph_uri)} ;\nINSERT DATA {{ GRAPH <{graph_uri}> {{\n{ntriples}\n}} }} ;\n"
            f"ADD SILENT <{graph_uri}> TO DEFAULT")


class OxigraphStore:
    """pyoxigraph Store on disk (or in memory when ``path`` is None)."""

    def __init__(self, path: Path | str | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path else None
        try:
            if self.path is None:
                self._store = pyoxigraph.Store()
            elif read_only:
                self._store = pyoxigraph.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = pyoxigraph.Store(str(self.path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise GraphStoreBusy(f"graph store {self.path} is in use by another process") from exc
            raise
        self._write_lock = threading.Lock()
        self._applied_in_memory = 0
        if self.path is not None and not read_only:
            self._fill_default_graph()

    def _fill_default_graph(self) -> None:
        """A store written before the default graph held the union gets it once, when first opened."""
        assert self.path is not None
        marker = self.path / UNION_MARKER_FILE
        if marker.exists():
            return
        if any(True for _ in self._store.named_graphs()):
            self._store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
            self._store.flush()
        marker.write_text("1\n")

    @property
    def store(self) -> pyoxigraph.Store:
        return self._store

    def replace_record(self, graph_uri: str, ntriples: str) -> None:
        with self._write_lock:
            self._store.update(_replace(graph_uri, ntriples))

    def remove_record(self, graph_uri: str) -> None:
        with self._write_lock:
            self._store.update(_withdraw(graph_uri))

    def replace_static_graph(self, graph_uri: str, data: bytes, mime_type: str) -> None:
        """Load a whole file (a vocabulary) into its own named graph, replacing what was there."""
        triples = pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.from_media_type(mime_type))
        ntriples = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES) or b""
        with self._write_lock:
            self._store.update(_replace(graph_uri, ntriples.decode("utf-8")))

    def query(self, sparql: str, **options: Any) -> Any:
        """Evaluate a query; its default graph is the union of every named graph, each triple once."""
        return self._store.query(sparql, **options)

    def applied_change_seq(self) -> int:
        if self.path is None:
            return self._applied_in_memory
        try:
            return int((self.path / APPLIED_SEQ_FILE).read_text().strip() or 0)
        except FileNotFoundError:
            return 0

    def set_applied_change_seq(self, seq: int) -> None:
        if self.path is None:
            self._applied_in_memory = seq
            return
        self._store.flush()
        tmp = self.path / (APPLIED_SEQ_FILE + ".part")
        tmp.write_text(str(int(seq)))
        tmp.replace(self.path / APPLIED_SEQ_FILE)

    def apply_changes(self, changes: Iterable[tuple[str, str | None]], last_seq: int) -> None:
        """Apply (graph URI, N-Triples or None to remove) changes in one transaction, then note the seq."""
        parts = [_replace(graph_uri, ntriples) for graph_uri, ntriples in changes]
        if parts:
            with self._write_lock:
                self._store.update(" ;\n".join(parts))
        self.set_applied_change_seq(last_seq)

    def clear(self) -> None:
        with self._write_lock:
            self._store.clear()

    def record_graphs(self) -> Iterable[str]:
        return [g.value for g in self._store.named_graphs() if isinstance(g, pyoxigraph.NamedNode)]

    def dump(self, output: Any, mime_type: str) -> None:
        """Write the union of every named graph (records and vocabularies) as triples, each once."""
        fmt = pyoxigraph.RdfFormat.from_media_type(mime_type)
        triples = self._store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        pyoxigraph.serialize(triples, output, format=fmt)

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    def close(self) -> None:
        """Release the on-disk store (RocksDB holds a process lock until the Store is dropped)."""
        self.flush()
        del self._store
