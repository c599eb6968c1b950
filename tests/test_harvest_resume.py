"""Checkpoints of the file sources, progress reports and Retry-After: the small parts a resumed or watched
harvest relies on."""

from __future__ import annotations

import os
from datetime import datetime, timezone

import pytest

from musenor.catalogue import Catalogue
from demo.museum_endpoint import serve_repository
from fixtures.harvest.museum import hub_config, lido_record, lido_wrap, repository
from musenor.harvester import harvest_museums
from musenor.harvester.oai_client import retry_after_seconds
from musenor.harvester.sources import TokenRejected, source_for


IDS = [f"LPR-2001.{n}" for n in range(1, 8)]


def lido_source(tmp_path, path):
    config = hub_config(tmp_path, {"M0634": {"kind": "lido-file", "path": str(path)}}, page_size=3)
    return source_for(config.museums["M0634"], config)


def csv_source(tmp_path, path):
    config = hub_config(tmp_path, {"M0619": {"kind": "csv-file", "path": str(path)}}, page_size=3)
    return source_for(config.museums["M0619"], config)


def ids_of(pages):
    return [r.local_id for page in pages for r in page.records]


def test_a_lido_export_resumes_after_its_checkpoint_with_no_gap_and_no_repeat(tmp_path):
    path = tmp_path / "export.xml"
    path.write_bytes(lido_wrap([lido_record(i, n=n) for n, i in enumerate(IDS)]))
    source = lido_source(tmp_path, path)
    pages = list(source.pages(checkpoint=None, from_datestamp=None, full=True))
    assert [len(p.records) for p in pages] == [3, 3, 1]
    assert [p.checkpoint for p in pages][-1] is None
    resumed = list(source.pages(checkpoint=pages[0].checkpoint, from_datestamp=None, full=True))
    assert ids_of(resumed) == IDS[3:]


def test_a_lido_export_replaced_mid_run_rejects_the_checkpoint(tmp_path):
    path = tmp_path / "export.xml"
    path.write_bytes(lido_wrap([lido_record(i, n=n) for n, i in enumerate(IDS)]))
    source = lido_source(tmp_path, path)
    checkpoint = next(iter(source.pages(checkpoint=None, from_datestamp=None, full=True))).checkpoint
    path.write_bytes(lido_wrap([lido_record(i, n=n) for n, i in enumerate(IDS[2:])]))
    os.utime(path, ns=(1, 1))
    with pytest.raises(TokenRejected, match="the export changed since this harvest began"):
        list(source.pages(checkpoint=checkpoint, from_datestamp=None, full=True))


def test_a_csv_export_resumes_after_its_checkpoint(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("REF,Titre\n" + "".join(f"M0619{n:06},Titre {n}\n" for n in range(1, 8)), encoding="utf-8")
    source = csv_source(tmp_path, path)
    first = next(iter(source.pages(checkpoint=None, from_datestamp=None, full=True)))
    rest = list(source.pages(checkpoint=first.checkpoint, from_datestamp=None, full=True))
    assert [r.raw for p in rest for r in p.records][0] == b"REF,Titre\nM0619000004,Titre 4\n"
    assert sum(len(p.records) for p in rest) == 4


def test_progress_is_reported_page_by_page_against_complete_list_size(tmp_path):
    calls = []
    with serve_repository(repository(25, page_size=10)) as endpoint:
        config = hub_config(tmp_path, {"M0629": {"kind": "oai-pmh", "endpoint": endpoint.oai_url}})
        catalogue = Catalogue(config.data_dir, open_graph=False)
        harvest_museums(config, catalogue, ["M0629"], jobs=1, progress=lambda *args: calls.append(args))
        catalogue.close()
    assert calls == [("M0629", 10, 25), ("M0629", 20, 25), ("M0629", 25, 25)]


@pytest.mark.parametrize("value,seconds", [
    ("120", 120.0),
    ("Wed, 21 Oct 2026 07:28:30 GMT", 30.0),
    ("Wed, 21 Oct 2026 07:27:00 GMT", 0.0),  # already past
    ("soon", None),
    ("", None),
    (None, None),
])
def test_retry_after_is_read_as_seconds_or_as_an_http_date(value, seconds):
    now = datetime(2026, 10, 21, 7, 28, 0, tzinfo=timezone.utc)
    assert retry_after_seconds(value, now) == seconds


def test_a_resumed_export_counts_each_replaced_character_once(tmp_path):
    data = lido_wrap([lido_record(i, n=n) for n, i in enumerate(IDS)]).replace(
        b"</lido:displayObjectMeasurements>", b"\x0b</lido:displayObjectMeasurements>")
    path = tmp_path / "export.xml"
    path.write_bytes(data)
    source = lido_source(tmp_path, path)
    pages = list(source.pages(checkpoint=None, from_datestamp=None, full=True))
    assert sum(p.sanitised for p in pages) == 7
    resumed = list(source.pages(checkpoint=pages[0].checkpoint, from_datestamp=None, full=True))
    assert pages[0].sanitised + sum(p.sanitised for p in resumed) == 7


def test_a_list_resumed_from_its_checkpoint_fetches_no_page_twice(tmp_path):
    """A harvest killed (SIGKILL, the ledger's crash point) right after its second page was staged resumes
    with the checkpoint's resumptionToken: each page of the list is fetched once in all."""
    import json
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from musenor.catalogue.ledger import CRASH_VARIABLE

    child = Path(__file__).resolve().parent / "fixtures" / "harvest" / "harvest_child.py"
    with serve_repository(repository(45, page_size=10)) as endpoint:
        config_path = tmp_path / "musenor.toml"
        config_path.write_text(f"""
[hub]
base_uri = "http://hub.test"
data_dir = "data"
repository_name = "Musenor"
admin_email = "catalogue@musenor.fr"
repository_identifier = "musenor.fr"

[museums.M0629]
name = "Palais des Beaux-Arts de Lille"
city = "Lille"

[museums.M0629.source]
kind = "oai-pmh"
endpoint = "{endpoint.oai_url}"
backoff_seconds = 0
""", encoding="utf-8")
        env = {**os.environ, CRASH_VARIABLE: "stage:2"}
        killed = subprocess.run([sys.executable, str(child), str(config_path), "M0629"], capture_output=True,
                                text=True, timeout=120, env=env)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        catalogue = Catalogue(tmp_path / "data", open_graph=False)
        checkpoint = catalogue.ledger.unfinished_run("M0629").checkpoint
        catalogue.close()
        before_kill = [r for r in endpoint.requests if r.get("verb") == "ListRecords"]
        env.pop(CRASH_VARIABLE)
        resumed = subprocess.run([sys.executable, str(child), str(config_path), "M0629"], capture_output=True,
                                 text=True, timeout=120, env=env)
        lists = [r for r in endpoint.requests if r.get("verb") == "ListRecords"]
    assert json.loads(resumed.stdout.splitlines()[-1])["counts"]["new"] == 45
    assert len(before_kill) == 2
    assert lists[2] == {"verb": "ListRecords", "resumptionToken": checkpoint["source"]["token"]}
    assert len(lists) == 5 and len({json.dumps(r, sort_keys=True) for r in lists}) == 5
