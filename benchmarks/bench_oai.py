"""OAI-PMH: the hub against the oaipmh 4.0.0 peer provider over HTTP, GetRecord p95, page 1,000 / page 1.

    python benchmarks/bench_oai.py                         # 10,000 records, 100 a page
    python benchmarks/bench_oai.py --records 100000        # page 1,000 exists from 99,901 records a list
    python benchmarks/bench_oai.py --backend postgresql    # the hub's ledger in a throwaway PostgreSQL cluster

Builds a catalogue of profile-shaped records through the real ledger API (three museums, one publish each,
so that whole harvests share a datestamp, the hard case for a keyset), renders their OAI metadata once as a
harvest does after publishing (timed), then:
- starts the hub and, in the same run, the peer provider: the ``oaipmh`` 4.0.0 server (the maintained fork of
  pyoai) behind Flask, holding the same records' Dublin Core in memory, 100 a page, each on 127.0.0.1 on a
  port the OS picks; harvests both whole with sickle ListRecords oai_dc over HTTP and prints records/s and
  the ratio hub / peer (the baseline); then the hub's lido and edm;
- times GetRecord over HTTP for ``--get-records`` random records and prints the median and p95, then the
  same requests in process (the hub's own time, without socket and server thread);
- follows ListIdentifiers to page 1,000 in-process and times page 1 and page 1,000 (medians of ``--repeat``)
  for ListIdentifiers and ListRecords, beside the same page read with SQL OFFSET (the baseline a keyset
  avoids), when the list has a page 1,000.
It asserts nothing: it prints.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "oai"))

import oaicatalogue as oc  # noqa: E402

from musenor.oai_server.oai import current_repository  # noqa: E402
from musenor.oai_server.oai.tokens import ResumptionToken  # noqa: E402

PAGE = 1000


def timed(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """``app`` on 127.0.0.1, on a port the OS picks, in a thread; yields its OAI base URL."""
    import logging

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # a line a request would bury the figures
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/oai"
    finally:
        server.shutdown()
        thread.join(10)


DC_FIELDS = ("title", "creator", "subject", "description", "publisher", "contributor", "date", "type", "format",
             "identifier", "source", "language", "relation", "coverage", "rights")


class PeerCatalogue:
    """The oaipmh 4.0.0 IBatchingOAI interface over records held in memory: the peer's best case."""

    def __init__(self, records: list[tuple[Any, Any, None]], base_url: str) -> None:
        self.records = records
        self.by_identifier = {header.identifier(): (header, metadata, about) for header, metadata, about in records}
        self.base_url = base_url

    def identify(self) -> Any:
        from oaipmh import common

        return common.Identify(repositoryName="peer", baseURL=self.base_url, protocolVersion="2.0",
                               adminEmails=["peer@example.org"], earliestDatestamp=datetime(2020, 1, 1),
                               deletedRecord="no", granularity="YYYY-MM-DDThh:mm:ssZ", compression=["identity"])

    def listMetadataFormats(self, identifier: str | None = None) -> list[tuple[str, str, str]]:
        return [("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", "http://www.openarchives.org/OAI/2.0/oai_dc/")]

    def listSets(self, cursor: int = 0, batch_size: int = 10) -> list[Any]:
        return []

    def listRecords(self, metadataPrefix: str, set: str | None = None, from_: Any = None, until: Any = None,
                    cursor: int = 0, batch_size: int = 10) -> list[Any]:
        return self.records[cursor:cursor + batch_size]

    def listIdentifiers(self, metadataPrefix: str, set: str | None = None, from_: Any = None, until: Any = None,
                        cursor: int = 0, batch_size: int = 10) -> list[Any]:
        return [header for header, _, _ in self.records[cursor:cursor + batch_size]]

    def getRecord(self, metadataPrefix: str, identifier: str) -> Any:
        return self.by_identifier[identifier]


def peer_app(catalogue: Any, page_size: int) -> Any:
    """A Flask app serving the oaipmh 4.0.0 provider on the hub's records (their Dublin Core, as the hub
    renders it), read into memory first."""
    from flask import Flask, Response, request
    from lxml import etree
    from oaipmh import common, metadata, server

    dc = "{http://purl.org/dc/elements/1.1/}"
    records = []
    for record in catalogue.ledger.records(include_deleted=False):
        rendered = catalogue.ledger.renderings([record.identifier], "oai_dc", VERSION[0])[record.identifier][1]
        fields: dict[str, list[str]] = {}
        for element in etree.fromstring(rendered):
            fields.setdefault(element.tag.removeprefix(dc), []).append(element.text or "")
        header = common.Header(None, record.identifier, datetime.strptime(record.hub_datestamp, "%Y-%m-%dT%H:%M:%SZ"),
                               sorted(record.sets), False)
        records.append((header, common.Metadata(None, fields), None))
    registry = metadata.MetadataRegistry()
    registry.registerWriter("oai_dc", server.oai_dc_writer)
    provider = server.BatchingServer(PeerCatalogue(records, "http://127.0.0.1/oai"), metadata_registry=registry,
                                     resumption_batch_size=page_size)
    app = Flask("peer")

    @app.route("/oai")
    def oai() -> Any:
        return Response(provider.handleRequest(request.args.to_dict()), mimetype="text/xml")

    return app


VERSION: list[str] = []


def sickle_harvest(url: str, prefix: str) -> tuple[int, float]:
    from sickle import Sickle

    start = time.perf_counter()
    count = sum(1 for _ in Sickle(url, timeout=120).ListRecords(metadataPrefix=prefix))
    return count, time.perf_counter() - start


def sickle_pages(url: str, prefix: str) -> tuple[int, float]:
    """A whole ListRecords with sickle, each page parsed by lxml but no record made a Python object: what
    the provider serves, when the harvester's own per-record work (sickle's Record, 0.2-0.3 ms each on
    this machine) would otherwise be most of the time on both sides."""
    from sickle import Sickle
    from sickle.iterator import OAIResponseIterator

    start = time.perf_counter()
    count = 0
    for response in Sickle(url, iterator=OAIResponseIterator, timeout=120).ListRecords(metadataPrefix=prefix):
        count += len(response.xml.findall(".//{http://www.openarchives.org/OAI/2.0/}record"))
    return count, time.perf_counter() - start


def get_record_in_process(client: Any, identifiers: list[str]) -> list[float]:
    times = []
    for identifier in identifiers:
        query = {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": identifier}
        start = time.perf_counter()
        client.get("/oai", query_string=query).get_data()
        times.append(time.perf_counter() - start)
    return times


def get_record_latencies(url: str, identifiers: list[str]) -> list[float]:
    times = []
    for identifier in identifiers:
        query = urlencode({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": identifier})
        start = time.perf_counter()
        with urllib.request.urlopen(f"{url}?{query}", timeout=60) as response:
            response.read()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--get-records", type=int, default=500)
    parser.add_argument("--skip-harvest", action="store_true", help="only the page latencies")
    parser.add_argument("--backend", choices=("embedded", "postgresql"), default="embedded",
                        help="the ledger the hub serves from: SQLite, or a throwaway PostgreSQL cluster")
    args = parser.parse_args()
    if args.backend == "postgresql":
        sys.path.insert(0, str(ROOT / "tests"))
        import postgres

        reason = postgres.unavailable()
        if reason:
            raise SystemExit(f"no PostgreSQL here: {reason}")
        with postgres.cluster() as cluster:
            run(args, cluster.create_database())
    else:
        run(args, None)


def run(args: argparse.Namespace, ledger: str | None) -> None:

    from musenor.harvester.rendering import render_stale

    with tempfile.TemporaryDirectory(prefix="bench-oai-") as tmp:
        start = time.perf_counter()
        config, catalogue = oc.build(Path(tmp), count=args.records, page_size=args.page_size, ledger=ledger)
        print(f"catalogue: {args.records} records built in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        rendered = render_stale(config, catalogue)
        print(f"rendered once (oai_dc, lido, edm): {rendered} records in {time.perf_counter() - start:.1f} s")
        oc.settle(catalogue)
        app = oc.make_app(config, catalogue, OAI_RENDER_CACHE=0)
        client = app.test_client()
        with app.app_context():
            VERSION.append(current_repository().disseminator.renderer_version)

        if not args.skip_harvest:
            print(f"\nwhole ListRecords harvests with sickle over HTTP ({args.page_size} a page):")
            with serving(app) as hub_url, serving(peer_app(catalogue, args.page_size)) as peer_url:
                peer_count, peer_time = sickle_harvest(peer_url, "oai_dc")
                print(f"  oaipmh 4.0.0 peer, oai_dc (baseline): {peer_count:>8} records in {peer_time:6.1f} s: "
                      f"{peer_count / peer_time:7.0f} records/s")
                hub_rate = 0.0
                for prefix in ("oai_dc", "lido", "edm"):
                    count, elapsed = sickle_harvest(hub_url, prefix)
                    print(f"  hub, {prefix:6}:{count:>27} records in {elapsed:6.1f} s: {count / elapsed:7.0f} records/s")
                    if prefix == "oai_dc":
                        hub_rate = count / elapsed
                print(f"  ratio hub / peer records/s on oai_dc: {hub_rate / (peer_count / peer_time):.2f}")
                print("\nthe same, each page parsed but no record made a Python object (the provider's share):")
                rates = {}
                for name, url in (("oaipmh 4.0.0 peer", peer_url), ("hub", hub_url)):
                    count, elapsed = sickle_pages(url, "oai_dc")
                    rates[name] = count / elapsed
                    print(f"  {name + ', oai_dc':36} {count:>8} records in {elapsed:6.1f} s: {rates[name]:7.0f} records/s")
                print(f"  ratio hub / peer records/s on oai_dc: {rates['hub'] / rates['oaipmh 4.0.0 peer']:.2f}")
                sample = random.Random(12).sample(sorted(oc.identifiers(catalogue)),
                                                  min(args.get_records, args.records))
                times = sorted(get_record_latencies(hub_url, sample))
                peer_times = sorted(get_record_latencies(peer_url, sample))
                p95 = times[int(0.95 * (len(times) - 1))]
                peer_p95 = peer_times[int(0.95 * (len(peer_times) - 1))]
                print(f"\nGetRecord oai_dc over HTTP, {len(times)} random records: hub median "
                      f"{statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms; peer median "
                      f"{statistics.median(peer_times) * 1000:.1f} ms, p95 {peer_p95 * 1000:.1f} ms")
                # The hub's own share, without the socket and the threaded test server (on a loaded machine,
                # scheduling the server's thread is most of the p95 above, for the peer as much as the hub).
                local = sorted(get_record_in_process(client, sample))
                print(f"GetRecord oai_dc in process (WSGI call, no socket): hub median "
                      f"{statistics.median(local) * 1000:.2f} ms, p95 {local[int(0.95 * (len(local) - 1))] * 1000:.2f} ms")

        if args.records <= (PAGE - 1) * args.page_size:
            print(f"\npage {PAGE} latency: needs more than {(PAGE - 1) * args.page_size} records at page size "
                  f"{args.page_size}; skipped")
            catalogue.close()
            return

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

        catalogue.close()


def _window(token: ResumptionToken):
    from musenor.catalogue.listing import Window

    return Window(token.until, token.from_, token.set_spec)


if __name__ == "__main__":
    main()
