"""OAI-PMH: the hub against the oaipmh 4.0.0 peer provider over HTTP, GetRecord p95, page 1,000 / page 1.

    python benchmarks/bench_oai.py                         # 10,000 records, 100 a page
    python benchmarks/bench_oai.py --records 100000        # page 1,000 exists from 99,901 records a list
    python benchmarks/bench_oai.py --backend postgresql    # the hub's ledger in a throwaway PostgreSQL cluster

Builds a catalogue of profile-shaped records through the real ledger API (three museums, one publish each,
so that whole harvests share a datestamp, the hard case for a keyset), renders their OAI metadata once as a
harvest does after publishing (timed), then:
- starts the hub (``musenor serve``, the real command: waitress) and, in the same run, the peer provider: the
  ``oaipmh`` 4.0.0 server (the maintained fork of pyoai) behind Flask, under waitress too, holding the same
  records' Dublin Core in memory, 100 a page; each in a process of its own on 127.0.0.1, as a harvester
  meets them. Harvests both whole with sickle ListRecords oai_dc over HTTP, in turns, ``--rounds`` times,
  and prints the best records/s of each and the ratio hub / peer (the baseline): once with sickle's records
  (each a Python object: the client's own work) and once with its pages only (the providers' share); then
  the hub's lido and edm;
- times GetRecord over HTTP for ``--get-records`` random records and prints the median and p95, then the
  same requests in process (the hub's own time, without socket and server);
- follows ListIdentifiers to page 1,000 in-process and times page 1 and page 1,000 (medians of ``--repeat``)
  for ListIdentifiers and ListRecords, beside the same page read with SQL OFFSET (the baseline a keyset
  avoids), when the list has a page 1,000.
It asserts nothing: it prints.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "oai"))

import oaicatalogue as oc  # noqa: E402
from hub_toml import _table  # noqa: E402

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


LISTENING = re.compile(r"http://127\.0\.0\.1:(\d+)/")

# The peer provider in a process of its own, served by waitress as ``musenor serve`` serves the hub: the two
# providers differ by their application alone.
PEER_CHILD = r"""
import sys
from pathlib import Path
sys.path[:0] = [{root!r}, {benchmarks!r}, {fixtures!r}]
import bench_oai, oaicatalogue as oc
from musenor.catalogue import Catalogue
from musenor.oai_server.wsgi import bind, bound_port
import waitress.server
data_dir, page_size, ledger, version = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] or None, sys.argv[4]
config = oc.make_config(data_dir, page_size=page_size, ledger=ledger)
catalogue = Catalogue.from_config(config, open_graph=False)
bench_oai.VERSION.append(version)
app = bench_oai.peer_app(catalogue, page_size)
sock = bind("127.0.0.1", 0)
server = waitress.server.create_server(app, sockets=[sock], threads=8)
print(f"http://127.0.0.1:{{bound_port(sock)}}/", flush=True)
server.run()
"""


@contextmanager
def process(command: list[str], what: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """A server process that prints the URL it listens on; yields its OAI base URL, stops it at the end."""
    import requests

    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    assert child.stdout is not None
    seen = []
    try:
        for line in child.stdout:
            seen.append(line)
            found = LISTENING.search(line)
            if found:
                url = f"http://127.0.0.1:{found.group(1)}/oai"
                break
        else:
            raise RuntimeError(f"{what} did not start:\n" + "".join(seen))
        # What a server opens on its first request is not the benchmark's to time.
        requests.get(url, params={"verb": "Identify"}, timeout=60).raise_for_status()
        yield url
    finally:
        child.terminate()
        child.wait(timeout=60)


def hub_process(data_dir: Path, page_size: int, ledger: str | None) -> Any:
    """``musenor serve`` (the real command: waitress, eight threads) on the bench's catalogue."""
    data = oc.config_data(data_dir, page_size=page_size, ledger=ledger)
    lines = _table("hub", data["hub"])
    for code, museum in data["museums"].items():
        lines += [""] + _table(f"museums.{code}", museum)
    config = data_dir / "bench-musenor.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return process([sys.executable, "-m", "musenor.cli", "--config", str(config), "serve", "--port", "0",
                    "--no-access-log"], "musenor serve")


def peer_process(data_dir: Path, page_size: int, ledger: str | None) -> Any:
    code = PEER_CHILD.format(root=str(ROOT), benchmarks=str(ROOT / "benchmarks"),
                             fixtures=str(ROOT / "tests" / "fixtures" / "oai"))
    return process([sys.executable, "-c", code, str(data_dir), str(page_size), ledger or "", VERSION[0]],
                   "the oaipmh peer")


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


def compare_harvests(hub_url: str, peer_url: str, args: argparse.Namespace) -> None:
    """Whole ListRecords harvests of both providers, taken in turns ``--rounds`` times; each figure is the
    best round (what the provider can do when the machine's other work leaves it alone)."""
    print(f"\nwhole ListRecords harvests over HTTP, {args.page_size} a page, each provider in a process of its "
          f"own under waitress; best of {args.rounds} rounds taken in turns:")
    for client, harvest in (("sickle, each record a Python object", sickle_harvest),
                            ("sickle, each page parsed, no record object", sickle_pages),
                            ("one kept-alive connection, pages read, not parsed (the providers' share)", raw_pages)):
        best: dict[str, tuple[int, float]] = {}
        for _ in range(args.rounds):
            for name, url in (("oaipmh 4.0.0 peer", peer_url), ("hub", hub_url)):
                count, elapsed = harvest(url, "oai_dc")
                if name not in best or elapsed < best[name][1]:
                    best[name] = (count, elapsed)
        print(f"  {client}:")
        for name, (count, elapsed) in best.items():
            baseline = " (baseline)" if name != "hub" else ""
            print(f"    {name + ', oai_dc' + baseline:36} {count:>8} records in {elapsed:6.2f} s: "
                  f"{count / elapsed:7.0f} records/s")
        rate = {name: count / elapsed for name, (count, elapsed) in best.items()}
        print(f"    ratio hub / peer records/s on oai_dc: {rate['hub'] / rate['oaipmh 4.0.0 peer']:.2f}")
    for prefix in ("lido", "edm"):
        count, elapsed = min((sickle_harvest(hub_url, prefix) for _ in range(args.rounds)), key=lambda r: r[1])
        print(f"  hub, {prefix}, whole records: {count} records in {elapsed:.2f} s: {count / elapsed:.0f} records/s")


def raw_pages(url: str, prefix: str) -> tuple[int, float]:
    """A whole ListRecords over one kept-alive connection, each page read but not parsed (its records counted
    and its token found by pattern): what remains is the providers' own time and the HTTP round trip."""
    import requests

    session = requests.Session()
    params = {"verb": "ListRecords", "metadataPrefix": prefix}
    count = 0
    start = time.perf_counter()
    while True:
        body = session.get(url, params=params, timeout=120).content
        count += body.count(b"<record>")
        token = RESUMPTION_TOKEN.search(body)
        if not token:
            return count, time.perf_counter() - start
        params = {"verb": "ListRecords", "resumptionToken": token.group(1).decode()}


RESUMPTION_TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>")


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
    parser.add_argument("--rounds", type=int, default=3, help="whole harvests of each provider, best kept")
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
            with hub_process(Path(tmp), args.page_size, ledger) as hub_url, \
                    peer_process(Path(tmp), args.page_size, ledger) as peer_url:
                compare_harvests(hub_url, peer_url, args)
                sample = random.Random(12).sample(sorted(oc.identifiers(catalogue)),
                                                  min(args.get_records, args.records))
                times = sorted(get_record_latencies(hub_url, sample))
                peer_times = sorted(get_record_latencies(peer_url, sample))
                p95 = times[int(0.95 * (len(times) - 1))]
                peer_p95 = peer_times[int(0.95 * (len(peer_times) - 1))]
                print(f"\nGetRecord oai_dc over HTTP, {len(times)} random records: hub median "
                      f"{statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms; peer median "
                      f"{statistics.median(peer_times) * 1000:.1f} ms, p95 {peer_p95 * 1000:.1f} ms")
            # The hub's own share, without the socket and the server's threads.
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
