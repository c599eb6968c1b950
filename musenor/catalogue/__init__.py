"""The Musenor catalogue store, shared by the harvester (writes) and the servers (read).

The ledger (SQLite embedded, or PostgreSQL) is the source of truth. The graph store (pyoxigraph on disk, or a SPARQL server) is derived from it and can be
rebuilt from it at any time (``Catalogue.reindex``). This package imports none of the others.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

from musenor.catalogue.config import ConfigError, CuratedSet, HubConfig, MuseumConfig, load_config
from musenor.catalogue.graph import GraphStore, GraphStoreBusy, OxigraphStore
from musenor.catalogue.graph_remote import SparqlEndpoints
from musenor.catalogue.ledger import (HarvestRun, Ledger, LedgerError, PublishedRecord, PublishRefused, PublishReport,
                              StagedRecord)

__all__ = [
    "LEDGER_FILE", "Catalogue", "ConfigError", "CuratedSet", "GraphStore", "GraphStoreBusy", "HarvestRun", "HubConfig",
    "Ledger", "LedgerError", "MuseumConfig", "open_ledger", "OxigraphStore", "PublishRefused", "PublishReport",
    "PublishedRecord", "StagedRecord", "load_config",
]

SYNC_BATCH = 2000
LEDGER_FILE = "ledger.sqlite3"
EXPORT_FORMATS = {"nt": "application/n-triples", "ttl": "text/turtle"}

StaticGraphs = dict[str, tuple[bytes, str]]  # graph URI -> (data, media type)


def open_ledger(location: str | None, data_dir: Path) -> Ledger:
    """The ledger ``hub.ledger`` names: a PostgreSQL database by its URL, else the embedded SQLite file."""
    if location:
        from musenor.catalogue.ledger_postgresql import PostgresLedger  # psycopg is needed only by hubs that use it

        return PostgresLedger(location)
    return Ledger(data_dir / LEDGER_FILE)


class Catalogue:
    """The ledger and the graph store of one hub, in ``data_dir``."""

    def __init__(self, data_dir: Path | str, *, graph: GraphStore | None = None, open_graph: bool = True,
                 static_graphs: StaticGraphs | None = None, ledger: str | None = None,
                 graph_server: SparqlEndpoints | None = None, graph_timeout: float = 60.0,
                 search: str | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.search_location = search  # a postgresql:// URL; None: the embedded index in data_dir
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.ledger = open_ledger(ledger, self.data_dir)
        self.static_graphs = static_graphs or {}
        self._graph: GraphStore | None = graph
        if self._graph is None and open_graph:
            self._graph = (self._remote_graph(graph_server, graph_timeout) if graph_server
                           else OxigraphStore(self.graph_path))

    def _remote_graph(self, endpoints: SparqlEndpoints, timeout: float) -> GraphStore:
        from musenor.catalogue.graph_remote import RemoteSparqlStore

        # The applied change is the ledger's to keep: every process of the hub shares the ledger, and the
        # SPARQL server's files are not ours to write.
        key = f"graph_applied_change_seq {endpoints.store}"
        return RemoteSparqlStore(endpoints, timeout=timeout, applied_seq=(
            lambda: int(self.ledger.get_meta(key) or 0), lambda seq: self.ledger.set_meta(key, str(seq))))

    @classmethod
    def from_config(cls, config: HubConfig, **kwargs: object) -> Catalogue:
        server = (SparqlEndpoints.of(config.graph, config.graph_query or "", config.graph_update or "",
                                     config.graph_store or "") if config.graph else None)
        return cls(config.data_dir, ledger=config.ledger, graph_server=server,  # type: ignore[arg-type]
                   graph_timeout=float(config.graph_timeout), search=config.search, **kwargs)

    @property
    def graph_path(self) -> Path:
        return self.data_dir / "graph"

    @property
    def graph(self) -> GraphStore:
        if self._graph is None:
            raise GraphStoreBusy("this catalogue was opened without its graph store")
        return self._graph

    @property
    def has_graph(self) -> bool:
        return self._graph is not None

    def sync_graph(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Apply to the graph store every ledger change it has not applied yet; returns how many.

        The target is the ledger's last change when the sync begins: a publish is one ledger transaction,
        so that is the end of a publish, and the store is held for the whole sync (``publishing``) so that
        SPARQL snapshots see every publish whole, however many batches it takes.
        """
        graph = self.graph
        publishing = getattr(graph, "publishing", None)
        with publishing() if publishing is not None else nullcontext():
            return self._apply_changes(graph, progress)

    def _apply_changes(self, graph: GraphStore, progress: Callable[[int, int], None] | None) -> int:
        applied = graph.applied_change_seq()
        target = self.ledger.last_change_seq()
        if applied == 0 and self.static_graphs:
            self.load_static_graphs()
        total = 0
        while applied < target:
            changes = self.ledger.changes_since(applied, limit=SYNC_BATCH)
            if not changes:
                break
            last = changes[-1].change_seq
            graph.apply_changes(((c.record_uri, c.ntriples) for c in changes), last)
            applied = last
            total += len(changes)
            if progress:
                progress(total, max(total, target))
        return total

    def load_static_graphs(self) -> None:
        for uri, (data, media_type) in self.static_graphs.items():
            self.graph.replace_static_graph(uri, data, media_type)

    def reindex(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Rebuild the graph store from the ledger alone."""
        graph = self.graph
        publishing = getattr(graph, "publishing", None)
        with publishing() if publishing is not None else nullcontext():
            graph.clear()
            self.load_static_graphs()
            graph.set_applied_change_seq(0)
            return self._apply_changes(graph, progress)

    def export(self, path: Path | str, fmt: str = "nt") -> Path:
        """Dump the whole graph (records and vocabularies), gzipped, as N-Triples or Turtle."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"export format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        with gzip.open(tmp, "wb") as out:
            self.graph.dump(out, EXPORT_FORMATS[fmt])
        tmp.replace(path)
        return path

    def close(self) -> None:
        close = getattr(self._graph, "close", None)
        if close:
            close()
        self._graph = None
        self.ledger.close()
