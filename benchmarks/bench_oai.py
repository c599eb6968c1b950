"""OAI-PMH: page 1 vs page 1,000 latency, and records/s of full ListRecords harvests (oai_dc, lido).

    python benchmarks/bench_oai.py                      # 100 000 records (several minutes on 2 cores)
    python benchmarks/bench_oai.py --records 20000 --page-size 20    # quicker; page 1,000 still exists

Builds a catalogue of profile-shaped records through the real ledger API (three museums, one publish each,
so that whole harvests share a datestamp, the hard case for a keyset), then, through the Flask app:
- follows ListIdentifiers to page 1,000 and times page 1 and page 1,000 (medians of ``--repeat`` requests)
  for ListIdentifiers and ListRecords (rendering cache off); the ratio page 1,000 / page 1 should be near 1.
  Page 1 is timed twice: with the list's size already counted (every harvester but the first after a
  publish) and with it uncounted (the first, which pays one index-only COUNT for completeListSize);
  The same page read with SQL OFFSET is timed beside it as the baseline a keyset avoids;
- harvests the whole catalogue with ListRecords in oai_dc and in lido, following tokens, and prints records/s.
It asserts nothing: it prints.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "oai"))

import oaicatalogue as oc  # noqa: E402

from oai_server.oai import current_repository  # noqa: E402
from oai_server.oai.tokens import ResumptionToken  # noqa: E402

PAGE = 1000


def timed(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--skip-harvest", action="store_true", help="only the page latencies")
    args = parser.parse_args()
    if args.records <= (PAGE - 1) * args.page_size:
        parser.error(f"page {PAGE} needs more than {(PAGE - 1) * args.page_size} records at page size "
                     f"{args.page_size}")

    with tempfile.TemporaryDirectory(prefix="bench-oai-") as tmp:
        start = time.perf_counter()
        config, catalogue = oc.build(Path(tmp), count=args.records, page_size=args.page_size)
        oc.settle(catalogue)
        print(f"catalogue: {args.records} records built in {time.perf_counter() - start:.1f} s")
        app = oc.make_app(config, catalogue, OAI_RENDER_CACHE=0)
        client = app.test_client()

        query = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}
        start = time.perf_counter()
        for _ in range(PAGE - 1):
            root = oc.parse(client.get("/oai", query_string=query).data)
            query = {"verb": "ListIdentifiers", "resumptionToken": oc.token_of(root)}
        walk = time.perf_counter() - start
        print(f"walked ListIdentifiers to page {PAGE} in {walk:.1f} s ({(PAGE - 1) / walk:.0f} pages/s)")
        with app.app_context():
            repository = current_repository()
            deep = repository.tokens.decode(query["resumptionToken"], "ListIdentifiers")
            records_token, _ = repository.tokens.encode(ResumptionToken("ListRecords", *[
                getattr(deep, f) for f in ("metadata_prefix", "set_spec", "from_", "until", "after", "position",
                                           "complete_list_size")]))
        print(f"\npage latency, median of {args.repeat} (page size {args.page_size}):")
        print(f"{'':18}{'page 1':>10}{'page ' + str(PAGE):>12}{'ratio':>8}")
        for verb, deep_query in (("ListIdentifiers", query), ("ListRecords", {"verb": "ListRecords",
                                                                               "resumptionToken": records_token})):
            first = timed(lambda verb=verb: client.get("/oai", query_string={"verb": verb, "metadataPrefix": "oai_dc"}),
                          args.repeat)
            later = timed(lambda deep_query=deep_query: client.get("/oai", query_string=deep_query), args.repeat)
            print(f"{verb:18}{first * 1000:>8.1f}ms{later * 1000:>10.1f}ms{later / first:>8.2f}")

            def cold_first_page(verb: str = verb) -> None:
                repository.listing._counts.clear()  # as the first harvester after a publish finds it
                client.get("/oai", query_string={"verb": verb, "metadataPrefix": "oai_dc"})

            cold = timed(cold_first_page, args.repeat)
            print(f"{'  size uncounted':18}{cold * 1000:>8.1f}ms{later * 1000:>10.1f}ms{later / cold:>8.2f}")

        conn = catalogue.ledger.conn
        offset_sql = ("SELECT identifier, hub_datestamp, deleted, sets FROM record_versions "
                      "WHERE superseded_at IS NULL ORDER BY hub_datestamp, identifier LIMIT ? OFFSET ?")
        first = timed(lambda: conn.execute(offset_sql, (args.page_size, 0)).fetchall(), args.repeat)
        later = timed(lambda: conn.execute(offset_sql, (args.page_size, (PAGE - 1) * args.page_size)).fetchall(),
                      args.repeat)
        keyset_first = timed(lambda: repository.listing.headers(_window(deep), after=None, limit=args.page_size),
                             args.repeat)
        keyset_later = timed(lambda: repository.listing.headers(_window(deep), after=deep.after, limit=args.page_size),
                             args.repeat)
        print(f"{'SQL OFFSET':18}{first * 1000:>8.2f}ms{later * 1000:>10.2f}ms{later / first:>8.1f}   (baseline)")
        print(f"{'SQL keyset':18}{keyset_first * 1000:>8.2f}ms{keyset_later * 1000:>10.2f}ms"
              f"{keyset_later / keyset_first:>8.1f}")

        if not args.skip_harvest:
            print("\nfull ListRecords harvests (tokens followed to the end, rendering cache off):")
            for prefix in ("oai_dc", "lido"):
                start = time.perf_counter()
                count = 0
                query = {"verb": "ListRecords", "metadataPrefix": prefix}
                while True:
                    root = oc.parse(client.get("/oai", query_string=query).data)
                    count += len(root.findall(f"{{{oc.OAI}}}ListRecords/{{{oc.OAI}}}record"))
                    token = oc.token_of(root)
                    if token is None:
                        break
                    query = {"verb": "ListRecords", "resumptionToken": token}
                elapsed = time.perf_counter() - start
                print(f"{prefix:8}{count:>8} records in {elapsed:6.1f} s: {count / elapsed:7.0f} records/s")
        catalogue.close()


def _window(token: ResumptionToken):
    from catalogue.listing import Window

    return Window(token.until, token.from_, token.set_spec)


if __name__ == "__main__":
    main()
