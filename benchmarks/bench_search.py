"""Search latency of the public catalogue (p50, p95, max) on a synthetic catalogue, uncached.

    python benchmarks/bench_search.py                  # 100 000 records (several minutes on 2 cores)
    python benchmarks/bench_search.py --records 10000  # quicker
    python benchmarks/bench_search.py --data-dir D     # keep the built ledger in D and reuse it on the next run
    python benchmarks/bench_search.py --data-dir D --keep-index  # and its search index, if up to date

Builds profile-shaped records through the real ledger API (bench_sparql's generator), builds the search
index from the ledger as a publish does, then runs each kind of search readers make (stemmed words, a phrase,
OR, exclusion, facets ORed within and ANDed across, a year range, images only, sorts, a deep page) with
varied words and values, the count cache emptied before each run so that every figure is a first request.

Baseline, measured in the same run on the same data: a substring scan of the same records' summaries
(``LIKE '%word%'``, what a catalogue without a text index does). Ratio = baseline p95 / search p95.
It asserts nothing: it prints.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_sparql import LAST, MATERIALS, PLACES, TYPES, WORDS, build, configure, open_catalogue  # noqa: E402

from musenor.catalogue.search import SEARCH_FILE  # noqa: E402

PLURALS = ["églises", "paysages", "portraits", "marines", "moulins", "chevaux", "enfants", "femmes", "fleurs"]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def searches(rng: random.Random, museums: list[str], runs: int) -> dict[str, list[dict]]:
    def word() -> str:
        return rng.choice(WORDS).split()[0]

    kinds: dict[str, list[dict]] = {
        "one word": [{"text": word()} for _ in range(runs)],
        "stemmed plural": [{"text": w} for w in (PLURALS * runs)[:runs]],
        "two words": [{"text": f"{word()} {rng.choice(PLACES)}"} for _ in range(runs)],
        "phrase": [{"text": f'"{rng.choice(["nature morte", "saint", "port"])}"'} for _ in range(runs)],
        "OR": [{"text": f"{word()} OR {word()}"} for _ in range(runs)],
        "exclusion": [{"text": f"{word()} -{word()}"} for _ in range(runs)],
        "creator name": [{"text": rng.choice(LAST)} for _ in range(runs)],
        "no words, facets OR+AND": [{"filters": {"type": [f"object-type/{rng.choice(TYPES)}",
                                                          f"object-type/{rng.choice(TYPES)}"],
                                                 "museum": [rng.choice(museums)]}} for _ in range(runs)],
        "words + two centuries": [{"text": word(), "filters": {"period": [f"century:{rng.randint(15, 19)}",
                                                                          f"century:{rng.randint(15, 19)}"]}}
                                  for _ in range(runs)],
        "year range, by date": [{"year_from": (y := rng.randint(1450, 1900)), "year_to": y + 50, "sort": "date"}
                                for _ in range(runs)],
        "images only, by museum": [{"text": word(), "with_images": True, "sort": "museum"} for _ in range(runs)],
        "material, page 50": [{"filters": {"material": [f"material/{rng.choice(MATERIALS)}"]}, "page": 50}
                              for _ in range(runs)],
        "all, first page": [{} for _ in range(runs)],
    }
    return kinds


def reusable(data_dir: Path, args: argparse.Namespace) -> bool:
    """A ledger built by an earlier run with the same records, museums and seed."""
    try:
        built = json.loads((data_dir / "bench.json").read_text())
    except (OSError, ValueError):
        return False
    return all(built.get(k) == getattr(args, k) for k in ("records", "museums", "seed"))


def reopen(data_dir: Path, museums: int) -> tuple[object, object, float]:
    return configure(data_dir, museums), open_catalogue(data_dir), 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--museums", type=int, default=40)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--runs", type=int, default=20, help="searches of each kind")
    parser.add_argument("--keep-index", action="store_true",
                        help="with --data-dir: reuse the search index left there if it is of this version")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="keep the ledger here and reuse it when it already holds --records records "
                             "(the search index is rebuilt from it in every run)")
    args = parser.parse_args()

    from musenor.catalogue.search import SearchIndex, sync_search
    from musenor.oai_server.pages.labels import LabelLookup

    with tempfile.TemporaryDirectory(prefix="musenor-bench-search-") as tmp:
        data_dir = args.data_dir or Path(tmp)
        data_dir.mkdir(parents=True, exist_ok=True)
        if reusable(data_dir, args):
            print(f"reusing the ledger of {args.records} records in {data_dir}", flush=True)
            config, catalogue, ledger_time = reopen(data_dir, args.museums)
        else:
            print(f"building {args.records} records in {args.museums} museums ...", flush=True)
            config, catalogue, ledger_time = build(data_dir, args.records, args.museums, args.seed)
            (data_dir / "bench.json").write_text(json.dumps(vars(args) | {"data_dir": str(data_dir)}))
        if not (args.keep_index and args.data_dir):  # else sync_search below rebuilds only what is not current
            for suffix in ("", "-wal", "-shm"):
                (data_dir / (SEARCH_FILE + suffix)).unlink(missing_ok=True)
        started = time.perf_counter()
        applied = sync_search(catalogue, LabelLookup(catalogue, config))
        index_time = time.perf_counter() - started
        if applied:
            print(f"ledger publish {ledger_time:.1f} s; search index built in {index_time:.1f} s "
                  f"({args.records / index_time:,.0f} records/s)")
        else:
            print("search index reused (--keep-index)")
        index = SearchIndex(data_dir / SEARCH_FILE)
        # The arrays computed at publish (facets, years, sort ranks) are read once per publish by a server
        # process, as SQLite's pages are: loaded here before the timings, and their load timed on its own.
        started = time.perf_counter()
        index.search("")
        print(f"first search after the publish (loads the arrays): {(time.perf_counter() - started) * 1000:.0f} ms")
        museums = sorted(config.museums)
        rng = random.Random(args.seed)
        every: list[float] = []
        print(f"\n{'search':28} {'runs':>5} {'hits p50':>9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for kind, runs in searches(rng, museums, args.runs).items():
            times, totals = [], []
            for params in runs:
                index._counts.clear()  # every figure is a first request: no cached counts
                started = time.perf_counter()
                results = index.search(**params, page_size=20, lang="fr")
                times.append((time.perf_counter() - started) * 1000)
                totals.append(results.total)
            every += times
            print(f"{kind:28} {len(times):5d} {statistics.median(totals):9.0f} {statistics.median(times):8.1f} "
                  f"{percentile(times, .95):8.1f} {max(times):8.1f}", flush=True)
        baseline = []
        for _ in range(args.runs):
            pattern = f"%{rng.choice(WORDS).split()[0]}%"
            started = time.perf_counter()
            index.conn.execute("SELECT COUNT(*) FROM documents WHERE summary LIKE ?", (pattern,)).fetchone()
            index.conn.execute("SELECT summary FROM documents WHERE summary LIKE ? ORDER BY sort_title LIMIT 20",
                               (pattern,)).fetchall()
            baseline.append((time.perf_counter() - started) * 1000)
        p95, base95 = percentile(every, .95), percentile(baseline, .95)
        print(f"\nall searches: {len(every)} runs, p50 {statistics.median(every):.1f} ms, p95 {p95:.1f} ms, "
              f"max {max(every):.1f} ms")
        print(f"baseline (substring scan of the summaries, no index): p95 {base95:.1f} ms")
        print(f"ratio baseline p95 / search p95: {base95 / p95:.1f}x at {args.records} records")
        index.close()
        catalogue.close()


if __name__ == "__main__":
    main()
