"""Rebuilding every store the server derives from the ledger: graph, search index, curated sets and dumps.

``musenor reindex`` and ``musenor rebase-uri`` call this with the graph store held (no server running). Each
store is rebuilt whole from the ledger, so nothing of an earlier state (records under an older base URI, a
graph directory lost) survives in any of them.
"""

from __future__ import annotations

from collections.abc import Callable

from musenor.catalogue import Catalogue, HubConfig
from musenor.catalogue.rebase import RebaseReport, finish_rebase, rebase_ledger, rebase_pending
from musenor.catalogue.search import rebuild_search
from musenor.catalogue.sets import CuratedSetFollower
from musenor.oai_server.linked_data import DumpWriter
from musenor.oai_server.pages.labels import LabelLookup


def rebuild_derived_stores(config: HubConfig, catalogue: Catalogue,
                           progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the graph store, the search index, the curated sets and the dumps; returns the ledger changes
    the graph applied."""
    applied = catalogue.reindex(progress)
    # Query sets read the graph: refreshed once it is whole. Their membership changes are ledger changes,
    # which the follower applies to the graph before the search index is rebuilt from the ledger.
    CuratedSetFollower(config)(catalogue)
    rebuild_search(catalogue, LabelLookup(catalogue, config))  # the museums' names and cities are searched
    DumpWriter(catalogue.data_dir / "dumps").write_now(catalogue)
    return applied


def rebase_catalogue(config: HubConfig, catalogue: Catalogue,
                     progress: Callable[[int, int], None] | None = None) -> tuple[RebaseReport, str | None]:
    """Re-mint the catalogue under ``config.base_uri``: the ledger in one transaction, then every derived
    store; a re-mint interrupted after its ledger transaction is finished here. Returns the ledger's report and
    the base the rebuilt stores came from (None when nothing was to rebuild)."""
    report = rebase_ledger(catalogue.ledger, config.base_uri)
    pending = rebase_pending(catalogue.ledger)
    if pending is not None:
        rebuild_derived_stores(config, catalogue, progress)
        finish_rebase(catalogue.ledger)
    return report, pending
