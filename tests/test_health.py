"""``/health`` and ``/metrics`` of a served hub, after a real harvest of the Saint-Omer POP export."""

from __future__ import annotations


import pytest
from click.testing import CliRunner

from fixtures.hub_toml import ROUBAIX_UNDELIVERED, SAINT_OMER_POP, hub_toml
from musenor.catalogue import Catalogue, load_config
from musenor.cli import main
from musenor.oai_server import create_app, open_catalogue

CONFIG = hub_toml({"M0650": SAINT_OMER_POP, "M0634": ROUBAIX_UNDELIVERED})


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    root = tmp_path_factory.mktemp("hub")
    (root / "musenor.toml").write_text(CONFIG, encoding="utf-8")
    CliRunner().invoke(main, ["harvest", "-c", str(root / "musenor.toml")])
    return load_config(root / "musenor.toml")


@pytest.fixture(scope="module")
def client(hub):
    catalogue = open_catalogue(hub)
    yield create_app(hub, catalogue).test_client()
    catalogue.close()


def test_health_says_what_serves_and_which_museum_failed(client):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["status"], body["ledger"], body["graph"]) == ("degraded", {"ok": True, "records": 44},
                                                                {"ok": True, "triples": True})
    assert body["failed_museums"] == ["M0634"]
    assert body["museums"]["M0650"]["last_status"] == "succeeded"
    assert body["museums"]["M0634"]["reason"].endswith("not-delivered.zip does not exist (source key 'path')")


def test_health_is_503_without_a_graph_store(hub):
    catalogue = Catalogue(hub.data_dir, open_graph=False)
    try:
        response = create_app(hub, catalogue).test_client().get("/health")
    finally:
        catalogue.close()
    assert response.status_code == 503
    assert response.get_json()["status"] == "failing"
    assert response.get_json()["graph"] == {
        "ok": False, "reason": "the graph store is held by another process: no SPARQL here"}


def test_metrics_give_records_and_runs_per_museum(client):
    text = client.get("/metrics").get_data(as_text=True)
    lines = set(text.splitlines())
    assert 'musenor_records{museum="M0650"} 44.0' in lines
    assert 'musenor_records{museum="M0634"} 0.0' in lines
    assert 'musenor_last_harvest_succeeded{museum="M0650"} 1.0' in lines
    assert 'musenor_last_harvest_succeeded{museum="M0634"} 0.0' in lines
    assert 'musenor_harvest_runs{museum="M0634",status="failed"} 1.0' in lines
    assert 'musenor_harvest_runs{museum="M0650",status="succeeded"} 1.0' in lines
    assert any(line.startswith('musenor_last_harvest_duration_seconds{museum="M0650"} ') for line in lines)


def test_metrics_count_and_time_oai_and_sparql_requests(client):
    client.get("/oai?verb=Identify")
    client.get("/oai?verb=Identify")
    client.get("/oai?verb=Nonsense")
    client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"},
               headers={"Accept": "application/sparql-results+json"})
    response = client.get("/metrics", headers={"Accept": "text/plain"})
    assert response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    lines = set(response.get_data(as_text=True).splitlines())
    assert 'musenor_requests_total{service="oai",status="200",verb="Identify"} 2.0' in lines
    assert 'musenor_requests_total{service="oai",status="200",verb="other"} 1.0' in lines
    assert 'musenor_requests_total{service="sparql",status="200",verb="GET"} 1.0' in lines
    assert 'musenor_request_duration_seconds_count{service="oai",verb="Identify"} 2.0' in lines
    assert 'musenor_request_duration_seconds_bucket{le="+Inf",service="sparql",verb="GET"} 1.0' in lines
