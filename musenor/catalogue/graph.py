"""The RDF graph store behind SPARQL: one named graph per record, derived from the ledger.

``GraphStore`` is the narrow interface the harvester and the servers see. ``OxigraphStore`` is the
embedded default (pyoxigraph on disk); ``graph_remote.RemoteSparqlStore`` is the same on a SPARQL 1.1 server.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
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
    def apply_changes(self, changes: Iterable[tuple[str, str | None]], last_seq: int | None = None) -> None: ...
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
# So the default graph is a real graph, written with each record's graph: a record's triples go into both
# in one bulk insert (a triple the default graph already has is not added twice), and a triple leaves the
# default graph only when no named graph holds it any more, which one lookup in the quad index tells. No
# SPARQL on the write path: parsing and evaluating SPARQL UPDATE text was 40 s of a 10,000-record publish.
UNION_MARKER_FILE = "union-default-graph"
NQUADS = pyoxigraph.RdfFormat.N_QUADS
DEFAULT_GRAPH = pyoxigraph.DefaultGraph()


def nquads(graph_uri: str, ntriples: str) -> str:
    """A record's N-Triples as N-Quads, twice: in the default graph (an N-Triples line is an N-Quads line of
    the default graph) and in its named graph. One document, so a blank node label names one node in both."""
    lines = [line.rstrip() for line in ntriples.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    for line in lines:
        if not line.endswith("."):
            raise ValueError(f"graph {graph_uri}: not an N-Triples line: {line[:200]!r}")
    suffix = f" <{graph_uri}> .\n"
    return "".join(line + "\n" for line in lines) + "".join(line[:-1].rstrip() + suffix for line in lines)


class ChangeBatches:
    """The single-record writes of a store that applies batches of changes (``apply_changes``)."""

    def apply_changes(self, changes: Iterable[tuple[str, str | None]], last_seq: int | None = None) -> None:
        raise NotImplementedError

    def replace_record(self, graph_uri: str, ntriples: str) -> None:
        self.apply_changes([(graph_uri, ntriples)])

    def remove_record(self, graph_uri: str) -> None:
        self.apply_changes([(graph_uri, None)])

    def replace_static_graph(self, graph_uri: str, data: bytes, mime_type: str) -> None:
        """Load a whole file (a vocabulary) into its own named graph, replacing what was there."""
        triples = pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.from_media_type(mime_type))
        ntriples = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES) or b""
        self.apply_changes([(graph_uri, ntriples.decode("utf-8"))])


class OxigraphStore(ChangeBatches):
    """pyoxigraph Store on disk (or in memory when ``path`` is None)."""

    def __init__(self, path: Path | str | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path else None
        self.read_only = read_only
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
        self._write_lock = threading.RLock()
        self._publishing = 0
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
            self._store.bulk_extend(pyoxigraph.Quad(q.subject, q.predicate, q.object, DEFAULT_GRAPH)
                                    for q in self._store.quads_for_pattern(None, None, None)
                                    if not isinstance(q.graph_name, pyoxigraph.DefaultGraph))
            self._store.flush()
        marker.write_text("1\n")

    @property
    def store(self) -> pyoxigraph.Store:
        return self._store

    # -- publishes as a whole ---------------------------------------------------------------------------

    @contextmanager
    def publishing(self) -> Iterator[None]:
        """Hold the store for a whole publish, written in several batches: a snapshot (``backup``) waits
        until it is written, so a SPARQL reader sees a publish whole or not at all (issue #11, item 9)."""
        with self._write_lock:
            self._publishing += 1
            try:
                yield
            finally:
                self._publishing -= 1

    @property
    def busy(self) -> bool:
        """A publish is being written: a reader should keep the snapshot it has rather than wait."""
        return self._publishing > 0

    def backup(self, path: str | Path) -> None:
        """A read-only checkpoint of the store between two publishes (RocksDB hard links: milliseconds)."""
        with self._write_lock:
            self._store.flush()
            self._store.backup(str(path))

    # -- writing ------------------------------------------------------------------------------------------

    def apply_changes(self, changes: Iterable[tuple[str, str | None]], last_seq: int | None = None) -> None:
        """Apply (graph URI, N-Triples or None to remove) changes as one batch, then note ``last_seq``.

        The replaced graphs are dropped, the new triples go in with one ``bulk_extend`` of the quads of
        one N-Quads document (parsed whole first: a broken record fails the batch before anything is
        written), then what the dropped graphs held and no graph holds any more leaves the default graph.
        A crash midway leaves the applied seq before the batch, whose replay (drop, insert) is harmless.
        """
        changes = list(changes)
        with self._write_lock:
            withdrawn: set[pyoxigraph.Triple] = set()
            for graph_uri, _ in changes:
                graph = pyoxigraph.NamedNode(graph_uri)
                if self._store.contains_named_graph(graph):
                    withdrawn.update(q.triple for q in self._store.quads_for_pattern(None, None, None, graph))
                    self._store.remove_graph(graph)
            document = "".join(nquads(graph_uri, ntriples) for graph_uri, ntriples in changes if ntriples)
            if document:
                # A transactional ``extend`` reads each quad's indexes back before writing it: 3x slower.
                self._store.bulk_extend(list(pyoxigraph.parse(document, format=NQUADS)))
            for triple in withdrawn:
                if not self._held_by_a_named_graph(triple):
                    self._store.remove(pyoxigraph.Quad(triple.subject, triple.predicate, triple.object,
                                                       DEFAULT_GRAPH))
            if last_seq is not None:
                self.set_applied_change_seq(last_seq)

    def _held_by_a_named_graph(self, triple: pyoxigraph.Triple) -> bool:
        return any(not isinstance(quad.graph_name, pyoxigraph.DefaultGraph)
                   for quad in self._store.quads_for_pattern(triple.subject, triple.predicate, triple.object))

    # -- reading ------------------------------------------------------------------------------------------

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

    def clear(self) -> None:
        with self._write_lock:
            self._store.clear()

    def record_graphs(self) -> Iterable[str]:
        return [g.value for g in self._store.named_graphs() if isinstance(g, pyoxigraph.NamedNode)]

    def dump(self, output: Any, mime_type: str) -> None:
        """Write the union of every named graph (records and vocabularies) as triples, each once."""
        # The default graph is that union, kept as a real graph (above): read from its index as it is stored,
        # it is written without evaluating a query (30,000 records' 1.3M triples: 6.6 s against 9.1 s).
        fmt = pyoxigraph.RdfFormat.from_media_type(mime_type)
        self._store.dump(output, format=fmt, from_graph=DEFAULT_GRAPH)

    def flush(self) -> None:
        if self.path is not None and not self.read_only:
            self._store.flush()

    def close(self) -> None:
        """Release the on-disk store (RocksDB holds a process lock until the Store is dropped)."""
        self.flush()
        del self._store
