"""Moving an embedded hub's ledger into PostgreSQL (``musenor migrate --to postgresql://…``), nothing lost.

Every table is copied row for row, harvest run ids, change sequence numbers, hub datestamps, header history
and stored renderings included: harvesters holding resumption tokens, derived stores (graph, search) that
remember the last change they applied, and clients' incremental harvests all carry on as if nothing moved.
The copy is one PostgreSQL transaction read from one SQLite snapshot, so it lands whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import psycopg

from musenor.catalogue.ledger import Ledger, LedgerError
from musenor.catalogue.ledger_postgresql import PostgresLedger

# In dependency-free order; every table of the ledger's schema (a new table must be added here too: the
# check below refuses a copy that would leave one behind).
TABLES = ("meta", "harvest_runs", "records", "record_sets", "record_versions", "record_version_sets",
          "staged_records", "record_errors", "renderings", "mapping_cache", "unmapped_elements", "unmatched_terms",
          "campaign_images")
# Tables a ledger has only once the feature that writes them was used.
OPTIONAL_TABLES = {"campaign_images"}
BYTEA_COLUMNS = {"raw", "body"}
COPY_BATCH = 2000


@dataclass
class MigrationReport:
    target: str
    rows: dict[str, int]


def copy_ledger(source: Ledger, target: PostgresLedger,
                progress: Callable[[str, int], None] | None = None) -> MigrationReport:
    """Copy every row of ``source`` into the empty PostgreSQL ledger ``target``; returns rows per table."""
    found = {row[0] for row in source.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    if found - set(TABLES):
        raise LedgerError(f"the ledger has tables this release cannot copy: {', '.join(sorted(found - set(TABLES)))}")
    held = target.conn.execute("SELECT COUNT(*) FROM records").fetchone()[0] + target.conn.execute(
        "SELECT COUNT(*) FROM harvest_runs").fetchone()[0]
    if held:
        raise LedgerError("the target database already holds a catalogue (records or harvest runs): migrate into "
                          "an empty database")
    rows: dict[str, int] = {}
    with source.snapshot() as reader, target.transaction() as writer:
        writer.execute("DELETE FROM meta")  # the fresh schema's own counters give way to the source's
        for table in [t for t in TABLES if t in found or t not in OPTIONAL_TABLES]:
            cursor = reader.execute(f"SELECT * FROM {table}")
            columns = [d[0] for d in cursor.description]
            binary = [name in BYTEA_COLUMNS for name in columns]
            quoted = ", ".join(f'"{name}"' for name in columns)
            count = 0
            try:
                with writer.raw.cursor().copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    while batch := cursor.fetchmany(COPY_BATCH):
                        for row in batch:
                            copy.write_row([value.encode() if is_bytes and isinstance(value, str) else value
                                            for value, is_bytes in zip(row, binary)])
                        count += len(batch)
                        if progress:
                            progress(table, count)
            except psycopg.DataError as exc:
                raise LedgerError(f"table {table}, row {count + 1}: PostgreSQL refused a value: {exc}") from None
            rows[table] = count
        writer.execute("SELECT setval(pg_get_serial_sequence('harvest_runs', 'id'), "
                       "COALESCE((SELECT MAX(id) FROM harvest_runs), 0) + 1, false)")
        for table in rows:
            copied = writer.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            if copied != rows[table]:
                raise LedgerError(f"table {table}: read {rows[table]} rows but {copied} are in the target")
    return MigrationReport(target=target.url, rows=rows)
