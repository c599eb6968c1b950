"""Scale: N synthetic LIDO records harvested from files, published, rendered, graph-synced and searchable.

    python benchmarks/bench_scale.py 100000            # the figures asked of a change to the write path
    python benchmarks/bench_scale.py 1000000 --work /var/tmp/scale   # the full-size run (about an hour)
    python benchmarks/bench_scale.py 100000 --backend postgresql      # ledger and search index in PostgreSQL

Writes ``N`` LIDO records (the Lille export's shape, each its own id, creator, type and year) into
``--files`` ``lidoWrap`` files of a folder, then, timing each step:
1. harvests the folder as one museum's ``lido-file`` source as ``musenor harvest`` does (read, map, stage page
   by page, publish behind the gate, render the OAI formats while the pyoxigraph graph store applies the
   publish), printing the resident memory when 10%, 30% and 100% of the records are staged (at 1M: 100k,
   300k and 1M) — flat in N is the goal;
2. finishes the graph store sync and builds the search index;
3. ``reindex`` as ``musenor reindex`` runs it: rebuilds the graph store, the search index, the curated sets and
   the dumps from the ledger, then renders every record anew, as a renderer upgrade would make it;
and prints the on-disk size of the ledger, the graph store and the search index, and the peak resident
memory (VmHWM). The baseline each time is the time to write the export files themselves. With ``--backend
postgresql`` the ledger and the search index are in a throwaway PostgreSQL cluster the bench starts (initdb and
pg_ctl from Debian's packages, as the tests do), and their sizes are PostgreSQL's. It prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

CODE = "M0634"


def status(field: str) -> float:
    """A /proc/self/status figure (VmRSS, VmHWM) in MiB."""
    with open("/proc/self/status") as lines:
        return next(int(line.split()[1]) for line in lines if line.startswith(field + ":")) / 1024


def size_mib(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1024 ** 2
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1024 ** 2 if path.exists() else 0.0


def write_exports(folder: Path, count: int, files: int) -> None:
    from fixtures.harvest.museum import lido_record

    folder.mkdir(parents=True, exist_ok=True)
    per_file = -(-count // files)
    for index in range(files):
        first = index * per_file + 1
        last = min(count, first + per_file - 1)
        if first > last:
            break
        with (folder / f"export-{index:03d}.xml").open("wb") as out:
            out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<lido:lidoWrap xmlns:lido="http://www.lido-schema.org">\n')
            for n in range(first, last + 1):
                out.write(lido_record(f"LPR-{n}", n=n, museum=CODE).replace(
                    b' xmlns:lido="http://www.lido-schema.org"', b"", 1))
                out.write(b"\n")
            out.write(b"</lido:lidoWrap>\n")


def timed(label: str, call: Any, baseline: float) -> Any:
    start = time.perf_counter()
    result = call()
    elapsed = time.perf_counter() - start
    print(f"{label}: {elapsed:.1f} s ({elapsed / baseline:.1f}x writing the export), "
          f"RSS {status('VmRSS'):.0f} MiB", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("records", type=int, help="how many records (100000 here, 1000000 for the full run)")
    parser.add_argument("--files", type=int, default=20, help="export files the records are spread over")
    parser.add_argument("--work", type=Path, default=None, help="working folder (default: a temporary one)")
    parser.add_argument("--backend", choices=("embedded", "postgresql"), default="embedded",
                        help="where the ledger and the search index live")
    args = parser.parse_args()
    if args.backend == "postgresql":
        import postgres

        reason = postgres.unavailable()
        if reason:
            raise SystemExit(f"no PostgreSQL here: {reason}")
        with postgres.cluster() as cluster:
            run(args, cluster.create_database())
    else:
        run(args, None)


def database_sizes(url: str) -> tuple[float, float]:
    """(the whole database, the search index's tables) in MiB."""
    import psycopg

    with psycopg.connect(url) as conn:
        whole = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        search = conn.execute("SELECT COALESCE(SUM(pg_total_relation_size(oid)), 0) FROM pg_class "
                              "WHERE relkind = 'r' AND relname LIKE 'search\\_%'").fetchone()[0]
    return int(whole) / 1024 ** 2, int(search) / 1024 ** 2


def run(args: argparse.Namespace, database: str | None) -> None:

    from musenor.catalogue import Catalogue
    from musenor.catalogue.search import search_index, sync_search
    from musenor.cli import reindex_hub
    from fixtures.harvest.museum import hub_config
    from musenor.harvester import harvest_museums
    from musenor.oai_server.pages.labels import LabelLookup

    work = args.work or Path(tempfile.mkdtemp(prefix="musenor-scale-"))
    try:
        start = time.perf_counter()
        write_exports(work / "exports", args.records, args.files)
        baseline = time.perf_counter() - start
        print(f"{args.records} LIDO records in {args.files} files ({size_mib(work / 'exports'):.0f} MiB) written in "
              f"{baseline:.1f} s (baseline)", flush=True)
        stores = {"ledger": database, "search": database} if database else {}
        config = hub_config(work, {CODE: {"kind": "lido-file", "path": str(work / "exports")}}, page_size=500,
                            **stores)
        checkpoints = sorted({max(1, args.records // 10), max(1, args.records * 3 // 10), args.records})

        def progress(code: str, done: int, total: int | None) -> None:
            while checkpoints and done >= checkpoints[0]:
                print(f"  {checkpoints.pop(0)} records staged: RSS {status('VmRSS'):.0f} MiB", flush=True)

        # The graph store open, as `musenor harvest` opens it when no server holds it: the harvest syncs it
        # while the pool renders.
        catalogue = Catalogue.from_config(config)
        searchable = time.perf_counter()
        [report] = timed("harvest (read, map, stage, publish; render with the graph store sync alongside)",
                         lambda: harvest_museums(config, catalogue, [CODE], full=True, jobs=1, progress=progress),
                         baseline)
        if report.status != "succeeded":
            raise SystemExit(f"harvest failed: {report.reason}")
        timed("graph store sync (what the harvest left of it)", catalogue.sync_graph, baseline)
        timed("search index", lambda: sync_search(catalogue, LabelLookup(catalogue)), baseline)
        print(f"  harvested, published, graph-synced and searchable in {time.perf_counter() - searchable:.1f} s",
              flush=True)
        hits = search_index(catalogue).search("Étude").total
        print(f"  search 'Étude': {hits} hits", flush=True)

        with catalogue.ledger.transaction() as conn:  # as a renderer upgrade leaves them
            conn.execute("UPDATE renderings SET renderer_version = 'older'")
        # what `musenor reindex` runs: every derived store rebuilt while every record is rendered anew
        timed("reindex (graph store, search index, every rendering)", lambda: reindex_hub(config, catalogue),
              baseline)
        catalogue.close()
        data = config.data_dir
        if database:
            whole, search = database_sizes(database)
            print(f"on disk: PostgreSQL ledger {whole - search:.0f} MiB, search index {search:.0f} MiB, "
                  f"graph {size_mib(data / 'graph'):.0f} MiB")
            print(f"peak RSS (VmHWM): {status('VmHWM'):.0f} MiB")
            return
        print(f"on disk: ledger {size_mib(data / 'ledger.sqlite3') + size_mib(data / 'ledger.sqlite3-wal'):.0f} MiB, "
              f"graph {size_mib(data / 'graph'):.0f} MiB, search index "
              f"{sum(size_mib(p) for p in data.glob('search*')):.0f} MiB")
        print(f"peak RSS (VmHWM): {status('VmHWM'):.0f} MiB")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
