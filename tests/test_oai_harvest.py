"""Real OAI-PMH clients harvest a 10,000-record catalogue from a real local HTTP server: sickle and pyoai.
And a harvest while other harvests publish sees every record once."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from oaipmh.client import Client
from oaipmh.metadata import MetadataRegistry, oai_dc_reader
from sickle import Sickle
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "oai"))
import oaicatalogue as oc  # noqa: E402

RECORDS = 10_000


class Server:
    """The app on 127.0.0.1, port 0, in a thread."""

    def __init__(self, app) -> None:
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}/oai"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._thread.join(10)


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("oai-harvest")
    config, catalogue = oc.build(data_dir, count=RECORDS, page_size=500)
    deleted = [oc.staged("M0629", oc.local_id(n), n, deleted=True) for n in range(0, 300, 3)]
    oc.publish(catalogue, "M0629", deleted)
    oc.settle(catalogue)
    server = Server(oc.make_app(config, catalogue))
    yield server, catalogue, {d.identifier for d in deleted}
    server.close()
    catalogue.close()


def test_sickle_harvests_every_record(large):
    server, catalogue, deleted = large
    harvested, gone = [], set()
    for record in Sickle(server.url, timeout=60).ListRecords(metadataPrefix="oai_dc", ignore_deleted=False):
        harvested.append(record.header.identifier)
        if record.deleted:
            gone.add(record.header.identifier)
        else:
            number = int(record.header.identifier.rsplit("%20", 1)[1].split("%2F")[0])
            assert record.metadata["title"] == [f"Œuvre n° {number}"]
    assert len(harvested) == len(set(harvested)) == RECORDS
    assert set(harvested) == oc.identifiers(catalogue)
    assert gone == deleted


def test_pyoai_harvests_every_record(large):
    server, catalogue, deleted = large
    registry = MetadataRegistry()
    registry.registerReader("oai_dc", oai_dc_reader)
    client = Client(server.url, registry)
    assert client.identify().repositoryName() == "Musenor (tests)"
    harvested, gone = [], set()
    for header, metadata, _ in client.listRecords(metadataPrefix="oai_dc"):
        harvested.append(header.identifier())
        if header.isDeleted():
            gone.add(header.identifier())
            assert metadata is None
        else:
            assert metadata.getField("creator") == ["Carolus-Duran"]
    assert len(harvested) == len(set(harvested)) == RECORDS
    assert set(harvested) == oc.identifiers(catalogue)
    assert gone == deleted


def test_pyoai_lists_identifiers_of_a_set(large):
    server, catalogue, _ = large
    client = Client(server.url, MetadataRegistry())
    got = [h.identifier() for h in client.listIdentifiers(metadataPrefix="lido", set="museum:M0634")]
    assert len(got) == len(set(got))
    assert set(got) == {i for i in oc.identifiers(catalogue) if ":M0634:" in i}


def test_harvest_during_concurrent_publishing_has_no_duplicate_and_no_missing(tmp_path):
    config, catalogue = oc.build(tmp_path, count=1500, page_size=40)
    oc.settle(catalogue)
    server = Server(oc.make_app(config, catalogue))
    before = oc.identifiers(catalogue)
    stop = threading.Event()
    published = []
    a_publish_landed = threading.Event()
    list_fixed = threading.Event()  # the first page is read: the list's until is fixed before any publish

    def publish_continuously() -> None:
        n = 0
        list_fixed.wait(120)
        while not stop.is_set():
            n += 1
            changed = [oc.staged("M0629", oc.local_id(k), k, title=f"v{n}") for k in range(n % 3, 1500, 9)]
            new = [oc.staged("M0634", f"NEW-{n}-{k}", k) for k in range(20)]
            oc.publish(catalogue, "M0629", changed)
            oc.publish(catalogue, "M0634", new)
            oc.publish(catalogue, "M0619", [oc.staged("M0619", oc.local_id(2 + 3 * (n % 400)), 2, deleted=True)])
            published.append(n)
            a_publish_landed.set()

    writer = threading.Thread(target=publish_continuously)
    writer.start()
    harvested = []
    try:
        for header in Sickle(server.url, timeout=60).ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False):
            if not harvested:
                # the first page is read: the rest of the list is read only after a whole publish cycle landed
                at_first_page = len(published)
                list_fixed.set()
                assert a_publish_landed.wait(120), "no publish landed within 120 s"
            harvested.append(header.identifier)
        at_last_page = len(published)
    finally:
        stop.set()
        writer.join(60)
        server.close()
    after = oc.identifiers(catalogue)
    catalogue.close()
    assert at_last_page > at_first_page  # publish cycles landed between the first page and the last
    assert len(harvested) == len(set(harvested))
    assert set(harvested) == before and before < after
