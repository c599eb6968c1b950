"""``/health`` and ``/metrics``: what a monitoring system asks of the hub.

``/health`` answers 200 while the hub can serve (its ledger answers, its graph store answers SPARQL) and 503
when it cannot, with the last run of every museum in the body: a failed harvest is news for the
administrators, not a reason for a load balancer to take the server out.

``/metrics`` is the Prometheus text format (``prometheus-client``): records per museum and harvest run
durations and outcomes, read from the ledger at each scrape (the harvests run in another process), and the
count and latency of OAI-PMH and SPARQL requests, measured here.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector

from musenor.catalogue import Catalogue, HubConfig

blueprint = Blueprint("health", __name__)

# The services whose requests are counted, by the path they answer; anything else is a page or an asset.
SERVICES = {"/oai": "oai", "/sparql": "sparql"}
OAI_VERBS = frozenset({"Identify", "ListMetadataFormats", "ListSets", "ListIdentifiers", "ListRecords", "GetRecord"})
# Seconds: an OAI page of LIDO takes tens of milliseconds, a SPARQL query may run to its 10 s limit.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def seconds_between(started: str | None, ended: str | None) -> float | None:
    if not started or not ended:
        return None
    return (datetime.fromisoformat(ended.replace("Z", "+00:00"))
            - datetime.fromisoformat(started.replace("Z", "+00:00"))).total_seconds()


class LedgerCollector(Collector):
    """Per museum: records, tombstones, the last run (duration, success) and runs by outcome."""

    def __init__(self, config: HubConfig, catalogue: Catalogue) -> None:
        self.config = config
        self.catalogue = catalogue

    def collect(self) -> Iterator[GaugeMetricFamily]:
        ledger = self.catalogue.ledger
        counts = ledger.museum_counts()
        records = GaugeMetricFamily("musenor_records", "Live records published per museum", labels=["museum"])
        deleted = GaugeMetricFamily("musenor_records_deleted", "Tombstones per museum", labels=["museum"])
        duration = GaugeMetricFamily("musenor_last_harvest_duration_seconds",
                                     "Duration of each museum's last finished harvest run", labels=["museum"])
        success = GaugeMetricFamily("musenor_last_harvest_succeeded",
                                    "1 when each museum's last finished harvest run succeeded", labels=["museum"])
        ended = GaugeMetricFamily("musenor_last_harvest_end_timestamp_seconds",
                                  "When each museum's last finished harvest run ended", labels=["museum"])
        runs = GaugeMetricFamily("musenor_harvest_runs", "Harvest runs by outcome since the hub began",
                                 labels=["museum", "status"])
        for code in sorted(self.config.museums):
            records.add_metric([code], counts.get(code, {}).get("records", 0))
            deleted.add_metric([code], counts.get(code, {}).get("deleted", 0))
            last = next((run for run in ledger.runs(code, limit=5) if run.status != "running"), None)
            if last is not None:
                seconds = seconds_between(last.started, last.ended)
                if seconds is not None:
                    duration.add_metric([code], seconds)
                    ended.add_metric([code], datetime.fromisoformat(last.ended.replace("Z", "+00:00")).timestamp())
                success.add_metric([code], 1.0 if last.status == "succeeded" else 0.0)
        for (code, status), n in sorted(ledger.run_outcomes().items()):
            runs.add_metric([code, status], n)
        yield from (records, deleted, duration, success, ended, runs)


class RequestMetrics:
    """Counts and times OAI-PMH and SPARQL requests, by service, verb and HTTP status."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter("musenor_requests", "Requests answered", ["service", "verb", "status"],
                                registry=registry)
        self.latency = Histogram("musenor_request_duration_seconds", "Time to answer a request (to its first "
                                 "byte for a streamed answer)", ["service", "verb"], buckets=LATENCY_BUCKETS,
                                 registry=registry)

    def start(self) -> None:
        service = SERVICES.get(request.path.rstrip("/"))
        if service is not None:
            g.metrics_started = (service, time.perf_counter())

    def finish(self, response: Response) -> Response:
        started = g.pop("metrics_started", None)
        if started is not None:
            service, t0 = started
            verb = request.values.get("verb", "") if service == "oai" else request.method
            verb = verb if service != "oai" or verb in OAI_VERBS else "other"
            self.latency.labels(service, verb).observe(time.perf_counter() - t0)
            self.requests.labels(service, verb, str(response.status_code)).inc()
        return response


def init_app(app: Flask) -> None:
    config: HubConfig = app.config["MUSENOR"]
    registry = CollectorRegistry()
    registry.register(LedgerCollector(config, app.extensions["musenor.catalogue"]))
    metrics = RequestMetrics(registry)
    app.extensions["musenor.metrics"] = registry
    app.before_request(metrics.start)
    app.after_request(metrics.finish)


def _graph_health(catalogue: Catalogue) -> dict[str, Any]:
    if not catalogue.has_graph:
        return {"ok": False, "reason": "the graph store is held by another process: no SPARQL here"}
    try:
        answer = catalogue.graph.query("ASK { ?s ?p ?o }")
        return {"ok": True, "triples": bool(answer)}
    except Exception as exc:  # noqa: BLE001 - whatever breaks the store is what the health check reports
        return {"ok": False, "reason": f"{exc.__class__.__name__}: {exc}"}


@blueprint.get("/health")
def health() -> Response:
    config: HubConfig = current_app.config["MUSENOR"]
    catalogue: Catalogue = current_app.extensions["musenor.catalogue"]
    body: dict[str, Any] = {"museums": {}}
    try:
        counts = catalogue.ledger.museum_counts()
        body["ledger"] = {"ok": True, "records": sum(c["records"] for c in counts.values())}
        for code in sorted(config.museums):
            runs = catalogue.ledger.runs(code, limit=1)
            last = runs[0] if runs else None
            body["museums"][code] = {"records": counts.get(code, {}).get("records", 0),
                                     "last_run": last.id if last else None,
                                     "last_status": last.status if last else None,
                                     "last_ended": last.ended if last else None,
                                     "reason": last.reason if last else None}
    except Exception as exc:  # noqa: BLE001 - a ledger that cannot answer is the finding
        body["ledger"] = {"ok": False, "reason": f"{exc.__class__.__name__}: {exc}"}
    body["graph"] = _graph_health(catalogue)
    serving = body["ledger"]["ok"] and body["graph"]["ok"]
    failed = sorted(code for code, m in body["museums"].items() if m["last_status"] == "failed")
    body["status"] = "failing" if not serving else "degraded" if failed else "ok"
    if failed:
        body["failed_museums"] = failed
    response = jsonify(body)
    response.status_code = 200 if serving else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/metrics")
def metrics() -> Response:
    registry: CollectorRegistry = current_app.extensions["musenor.metrics"]
    # The exposition format the scraper asks for (Prometheus 2 and 3 differ; OpenMetrics on request).
    encoder, content_type = choose_encoder(request.headers.get("Accept", ""))
    response = Response(encoder(registry), headers={"Cache-Control": "no-store"})
    response.headers["Content-Type"] = content_type
    return response
