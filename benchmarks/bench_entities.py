"""The works list of person, place and concept pages (p50, p95, max) on a synthetic catalogue.

    python benchmarks/bench_entities.py                  # 50 000 records
    python benchmarks/bench_entities.py --records 10000  # quicker

Builds profile-shaped records through the real ledger API (bench_sparql's generator), the search index and
the graph store from the ledger as a publish does, then asks for the works of agents, places and concepts as
their pages do: the count and the first 60, oldest first, from the search index (``SearchIndex.entity_works``).

Baseline, measured in the same run on the same data: the same list read from the graph store by SPARQL (the
works that point at the entity, their titles and years, counted and sorted), what a page without the index
would do. Ratio = baseline p95 / index p95. It asserts nothing: it prints.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_sparql import BASE, MATERIALS, PLACES, TYPES, build  # noqa: E402
from bench_search import percentile  # noqa: E402

PREDICATES = {"agent": "http://purl.org/dc/elements/1.1/creator", "place": "http://purl.org/dc/terms/spatial",
              "concept": "http://purl.org/dc/terms/medium"}


def baseline_query(uri: str, predicate: str) -> tuple[str, str]:
    where = (f"?record <http://www.europeana.eu/schemas/edm/aggregatedCHO> ?cho . ?cho <{predicate}> <{uri}> ; "
             f"<http://purl.org/dc/elements/1.1/title> ?title . OPTIONAL {{ ?cho <http://purl.org/dc/terms/temporal> "
             f"?span . ?span <http://www.europeana.eu/schemas/edm/begin> ?year }}")
    return (f"SELECT (COUNT(DISTINCT ?record) AS ?n) WHERE {{ {where} }}",
            f"SELECT DISTINCT ?record ?title ?year WHERE {{ {where} }} ORDER BY ?year ?title LIMIT 60")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--museums", type=int, default=20)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()

    from musenor.catalogue.search import SearchIndex, sync_search
    from musenor.oai_server.pages.labels import LabelLookup

    with tempfile.TemporaryDirectory(prefix="musenor-bench-entities-") as tmp:
        data_dir = Path(tmp)
        print(f"building {args.records} records in {args.museums} museums ...", flush=True)
        config, catalogue, ledger_time = build(data_dir, args.records, args.museums, args.seed)
        started = time.perf_counter()
        sync_search(catalogue, LabelLookup(catalogue, config))
        index_time = time.perf_counter() - started
        started = time.perf_counter()
        catalogue.sync_graph()
        graph_time = time.perf_counter() - started
        print(f"ledger publish {ledger_time:.1f} s; search index {index_time:.1f} s; graph store {graph_time:.1f} s")
        index = SearchIndex(data_dir / "search.sqlite3")
        rng = random.Random(args.seed)
        agents = [row[0] for row in index.conn.execute(
            "SELECT uri FROM entity_works WHERE relation = 'creator' GROUP BY uri ORDER BY COUNT(*) DESC, uri")]
        entities = {"agent": rng.sample(agents, min(30, len(agents))),
                    "place": [f"{BASE}/id/place/{p.lower()}" for p in PLACES][:30],
                    "concept": [f"{BASE}/vocab/material/{m}" for m in MATERIALS][:30]}
        relations = {"agent": ("creator", "contributor"), "place": ("made", "place", "kept"), "concept": None}
        every, baseline = [], []
        print(f"\n{'works of':10} {'asked':>6} {'works p50':>10} {'index p50':>10} {'index p95':>10} "
              f"{'SPARQL p50':>11} {'SPARQL p95':>11}")
        for kind, uris in entities.items():
            times, sparql, totals = [], [], []
            for uri in uris:
                started = time.perf_counter()
                total, hits = index.entity_works([uri], relations[kind], limit=60)
                times.append((time.perf_counter() - started) * 1000)
                totals.append(total)
                count, page = baseline_query(uri, PREDICATES[kind])
                started = time.perf_counter()
                list(catalogue.graph.query(count))
                list(catalogue.graph.query(page))
                sparql.append((time.perf_counter() - started) * 1000)
            every += times
            baseline += sparql
            print(f"{kind:10} {len(uris):6d} {statistics.median(totals):10.0f} {statistics.median(times):10.2f} "
                  f"{percentile(times, .95):10.2f} {statistics.median(sparql):11.1f} {percentile(sparql, .95):11.1f}",
                  flush=True)
        p95, base95 = percentile(every, .95), percentile(baseline, .95)
        print(f"\nall: index p95 {p95:.2f} ms, SPARQL p95 {base95:.1f} ms; "
              f"ratio SPARQL p95 / index p95: {base95 / p95:.0f}x at {args.records} records "
              f"({len(TYPES)} types, {len(MATERIALS)} materials, {len(PLACES)} places)")
        index.close()
        catalogue.close()


if __name__ == "__main__":
    main()
