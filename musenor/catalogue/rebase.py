"""The base URI a catalogue was minted under, and re-minting it under another one.

Every URI the hub mints (records, objects, agents, places, time-spans, concepts, harvest runs, images) starts
with ``hub.base_uri``. Records are keyed by OAI identifier, which does not carry the base, while the graph
store and the search index are keyed by record URI: a harvest under another base (a port change, http ->
https, staging -> production) would give each record a second URI beside the first, and every derived store
would hold it twice. So the ledger records the base it was built under (meta ``base_uri``); opening the
catalogue under another base is refused (``BaseURIMismatch``), and so is publishing a run minted under
another base; ``rebase_ledger`` re-mints every published and staged record under the new base in one
transaction, and marks the derived stores for a rebuild (meta ``rebase_pending``) until they are rebuilt.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from musenor.catalogue.ledger import BASE_URI_META, Ledger, canonical_ntriples, content_checksum

BASE_URI_KEY = BASE_URI_META
REBASE_PENDING_KEY = "rebase_pending"
RECORD_PATH = "/id/record/"  # mappings.uris.HubURIs.record: {base}/id/record/{code}/{local id}
REBASE_COMMAND = "musenor rebase-uri"
BATCH = 500

# One N-Triples statement (RDF 1.1 N-Triples, section 2): subject and predicate hold no whitespace; the object
# is an IRI, a blank node or a literal, possibly typed by an IRI.
_STATEMENT = re.compile(r"^(\S+)\s+(\S+)\s+(.*?)\s*\.\s*$")
_TYPED_LITERAL = re.compile(r'^(".*")\^\^<([^>]*)>$', re.DOTALL)


class BaseURIMismatch(Exception):
    """The catalogue was minted under one base URI and the configuration names another."""

    def __init__(self, built: str, configured: str, data_dir: str = "") -> None:
        self.built = built
        self.configured = configured
        where = f" in {data_dir}" if data_dir else ""
        super().__init__(
            f"the catalogue{where} was built under base URI {built}, but the configuration's hub.base_uri is "
            f"{configured}; going on would mix two URI bases in search, SPARQL and sets. Either set "
            f"hub.base_uri back to {built}, or re-mint the whole catalogue under {configured} with "
            f"'{REBASE_COMMAND}' (server stopped)")


class RebaseUnfinished(Exception):
    """A re-mint committed the ledger but the derived stores were not rebuilt yet (the process stopped)."""

    def __init__(self, base: str) -> None:
        self.base = base
        super().__init__(f"the catalogue was re-minted under {base} but its graph store, search index and dumps "
                         f"were not rebuilt yet: run '{REBASE_COMMAND}' to finish")


@dataclass
class RebaseReport:
    old_base: str | None
    new_base: str
    live: int = 0  # re-minted records, each with a new hub datestamp
    tombstones: int = 0
    staged: int = 0  # records of unfinished harvest runs, re-minted too

    @property
    def changed(self) -> bool:
        return self.old_base is not None and self.old_base != self.new_base


def base_of_record_uri(record_uri: str) -> str | None:
    base, found, _ = record_uri.partition(RECORD_PATH)
    return base if found else None


def recorded_base_uri(ledger: Ledger) -> str | None:
    """The base the catalogue was minted under: its meta, else (a catalogue older than that meta) the base of
    a published record's URI; None for a catalogue with no record yet."""
    recorded = ledger.get_meta(BASE_URI_KEY)
    if recorded:
        return recorded
    row = ledger.conn.execute("SELECT record_uri FROM records LIMIT 1").fetchone()
    return base_of_record_uri(row["record_uri"]) if row else None


def _is_empty(ledger: Ledger) -> bool:
    """Nothing minted yet, published or staged: any base may be claimed."""
    return ledger.conn.execute("SELECT NOT EXISTS (SELECT 1 FROM records) AND "
                               "NOT EXISTS (SELECT 1 FROM staged_records)").fetchone()[0] == 1


def check_base_uri(ledger: Ledger, base_uri: str, *, data_dir: str = "") -> None:
    """Claim ``base_uri`` for a catalogue that has none yet; raise BaseURIMismatch if it was built under
    another, RebaseUnfinished if a re-mint still has derived stores to rebuild."""
    base_uri = base_uri.rstrip("/")
    built = recorded_base_uri(ledger)
    if built is not None and built != base_uri and not _is_empty(ledger):
        raise BaseURIMismatch(built, base_uri, data_dir)
    if ledger.get_meta(REBASE_PENDING_KEY):
        raise RebaseUnfinished(base_uri)
    if ledger.get_meta(BASE_URI_KEY) != base_uri:
        ledger.set_meta(BASE_URI_KEY, base_uri)


def rebase_iri(iri: str, old: str, new: str) -> str:
    if iri == old or iri.startswith((old + "/", old + "#")):
        return new + iri[len(old):]
    return iri


def _rebase_term(term: str, old: str, new: str) -> str:
    if term.startswith("<") and term.endswith(">"):
        return f"<{rebase_iri(term[1:-1], old, new)}>"
    typed = _TYPED_LITERAL.match(term)
    if typed:
        return f"{typed.group(1)}^^<{rebase_iri(typed.group(2), old, new)}>"
    return term  # a blank node or a plain literal: text is never rewritten, even when it quotes a URI


def rebase_ntriples(ntriples: str, old: str, new: str) -> str:
    """The same statements with every IRI under ``old`` moved under ``new``; literals untouched."""
    lines = []
    for line in ntriples.splitlines():
        statement = _STATEMENT.match(line)
        if statement is None:
            lines.append(line)  # a blank line or a comment
            continue
        lines.append(" ".join(_rebase_term(term, old, new) for term in statement.groups()) + " .")
    return "\n".join(lines) + ("\n" if ntriples.endswith("\n") else "")


def rebase_ledger(ledger: Ledger, new_base: str) -> RebaseReport:
    """Re-mint every record of the ledger under ``new_base``, in one transaction.

    Readers (OAI-PMH) see the catalogue before or after, never between. A live record's metadata changes (its
    URIs), so it gets a new hub datestamp and a new header version, as a publish would give it: incremental
    harvesters fetch it again. A tombstone's header does not change. Records staged by unfinished harvest runs
    are re-minted too, so a resumed run publishes under the new base. The derived stores (graph, search,
    curated sets, dumps) must then be rebuilt: ``rebase_pending`` says so until ``finish_rebase``.
    """
    new_base = new_base.rstrip("/")
    old_base = recorded_base_uri(ledger)
    report = RebaseReport(old_base=old_base, new_base=new_base)
    if old_base is None or old_base == new_base:
        ledger.set_meta(BASE_URI_KEY, new_base)
        return report
    with ledger.transaction() as conn:
        stamp = ledger._next_hub_datestamp(conn)
        last = ""
        while rows := conn.execute("SELECT identifier, record_uri, deleted, sets, graph, provenance, enrichment "
                                   "FROM records WHERE identifier > ? ORDER BY identifier LIMIT ?",
                                   (last, BATCH)).fetchall():
            last = rows[-1]["identifier"]
            for row in rows:
                record_uri = rebase_iri(row["record_uri"], old_base, new_base)
                seq = ledger._next_change_seq(conn)
                # the hub's own campaign images are minted under the base too, a tombstone's included
                enrichment = rebase_ntriples(row["enrichment"], old_base, new_base) if row["enrichment"] else None
                if row["deleted"]:
                    conn.execute("UPDATE records SET record_uri = ?, change_seq = ?, enrichment = ? "
                                 "WHERE identifier = ?", (record_uri, seq, enrichment, row["identifier"]))
                    report.tombstones += 1
                    continue
                graph = canonical_ntriples(rebase_ntriples(row["graph"] or "", old_base, new_base))
                provenance = rebase_ntriples(row["provenance"] or "", old_base, new_base) or None
                ledger._supersede(conn, row["identifier"], stamp)
                conn.execute("UPDATE records SET record_uri = ?, graph = ?, provenance = ?, checksum = ?, "
                             "hub_datestamp = ?, change_seq = ?, enrichment = ? WHERE identifier = ?",
                             (record_uri, graph, provenance, content_checksum(graph, json.loads(row["sets"]), False),
                              stamp, seq, enrichment, row["identifier"]))
                ledger._add_version(conn, row["identifier"], stamp, False, row["sets"])
                report.live += 1
        for row in conn.execute("SELECT run_id, identifier, record_uri, deleted, sets, graph, provenance "
                                "FROM staged_records").fetchall():
            graph = canonical_ntriples(rebase_ntriples(row["graph"], old_base, new_base)) if row["graph"] else None
            conn.execute("UPDATE staged_records SET record_uri = ?, graph = ?, provenance = ?, checksum = ? "
                         "WHERE run_id = ? AND identifier = ?",
                         (rebase_iri(row["record_uri"], old_base, new_base), graph,
                          rebase_ntriples(row["provenance"], old_base, new_base) if row["provenance"] else None,
                          content_checksum(graph, json.loads(row["sets"]), bool(row["deleted"])),
                          row["run_id"], row["identifier"]))
            report.staged += 1
        for key, value in ((BASE_URI_KEY, new_base), (REBASE_PENDING_KEY, old_base)):
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))
    return report


def rebase_pending(ledger: Ledger) -> str | None:
    """The base a committed re-mint came from, while its derived stores are not rebuilt yet."""
    return ledger.get_meta(REBASE_PENDING_KEY) or None


def finish_rebase(ledger: Ledger) -> None:
    with ledger.transaction() as conn:
        conn.execute("DELETE FROM meta WHERE key = ?", (REBASE_PENDING_KEY,))
