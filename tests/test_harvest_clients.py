"""Real clients agree: sickle harvesting the hub's own OAI-PMH endpoint sees exactly what our harvester
published (live records and tombstones), page after page of resumption tokens."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone

from sickle import Sickle
from werkzeug.serving import make_server

from demo.museum_endpoint import serve_repository
from fixtures.harvest.museum import hub_config, repository
from musenor.harvester import harvest_museums
from musenor.oai_server import create_app, open_catalogue



def test_sickle_on_the_hub_endpoint_sees_the_set_our_harvester_published(tmp_path):
    repo = repository(40, page_size=15)
    with serve_repository(repo) as museum:
        config = hub_config(tmp_path, {"M0629": {"kind": "oai-pmh", "endpoint": museum.oai_url,
                                                 "backoff_seconds": 0}}, page_size=7)
        catalogue = open_catalogue(config, open_graph=False)
        harvest_museums(config, catalogue, ["M0629"], jobs=1)
        today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
        repo.delete("oai:pba.lille.fr:PBA-P-9", today)
        repo.delete("oai:pba.lille.fr:PBA-P-31", today)
        [report] = harvest_museums(config, catalogue, ["M0629"], jobs=1)
    assert report.counts["deleted"] == 2
    published = {(r.identifier, r.deleted) for r in catalogue.ledger.records("M0629")}
    # OAI lists stop one second short of now (the current second may still be published into): let the
    # second of the last publish pass, as any harvester coming later would.
    time.sleep(1.1)
    app = create_app(config, catalogue)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        client = Sickle(f"http://127.0.0.1:{server.server_port}/oai", max_retries=0, timeout=30)
        headers = {(h.identifier, h.deleted) for h in
                   client.ListIdentifiers(metadataPrefix="oai_dc", set="museum:M0629", ignore_deleted=False)}
    finally:
        server.shutdown()
        catalogue.close()
    assert len(published) == 40 and sum(deleted for _, deleted in published) == 2
    assert headers == published
