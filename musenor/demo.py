"""``musenor demo``: harvest the bundled demo museums and serve the union catalogue on 127.0.0.1.

The demo hub is ``demo/musenor.toml`` at the repository root. Two of its museums (Lille, Arras) publish
over OAI-PMH: the demo starts their endpoint (``demo/museum_endpoint.py``) on a free loopback port in a
thread and points those sources at it in the loaded configuration only, never in the file. Every museum is
harvested in full, so that a second run sees every record again and reports it unchanged.

Lille has withdrawn two records: its endpoint lists them as deleted. On a new catalogue the demo first
harvests Lille as it was before (the withdrawn versions kept in ``demo/data/M0629-lille/withdrawn``), then
as it is, so that the hub keeps those two as tombstones, as it would have after years of harvesting.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any

from lxml import etree

import musenor
from musenor.catalogue import ConfigError, HubConfig, load_config

def _demo_dir() -> Path:
    """``demo/`` beside the package in a checkout (an editable install); else in the working directory,
    for an install that did not take the repository's demo folder with it."""
    beside = Path(musenor.__file__).resolve().parents[1] / "demo"
    if (beside / "musenor.toml").is_file():
        return beside
    return Path.cwd() / "demo"


DEMO_DIR = _demo_dir()
DEMO_CONFIG = DEMO_DIR / "musenor.toml"
DEFAULT_PORT = 5000
HOST = "127.0.0.1"

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_CONFIG = 2


def _endpoint_module() -> ModuleType:
    """``demo/museum_endpoint.py``, found beside the demo config (``demo`` is not an installed package)."""
    name = "demo.museum_endpoint"
    if name in sys.modules:
        return sys.modules[name]
    path = DEMO_DIR / "museum_endpoint.py"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@contextmanager
def museum_endpoint() -> Iterator[Any]:
    """The demo museums' OAI-PMH endpoint on a free loopback port (its ``base_url``, ``museums`` by code)."""
    endpoint = _endpoint_module().start_demo_endpoint(DEMO_DIR / "data", host=HOST, port=0)
    try:
        yield endpoint
    finally:
        endpoint.stop()


@dataclass(frozen=True)
class Withdrawal:
    museum: str
    identifier: str  # at the museum's endpoint
    deleted_on: str  # the deleted header's datestamp


def restore_withdrawn(endpoint: Any, museums: set[str]) -> list[Withdrawal]:
    """Serve again, for ``museums``, the records they have withdrawn, as they were before (index.json's
    ``withdrawn`` entries); returns what ``withdraw`` must delete again."""
    module = _endpoint_module()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=True)
    restored: list[Withdrawal] = []
    for folder in sorted((DEMO_DIR / "data").iterdir()):
        code = folder.name.split("-", 1)[0]
        index_path = folder / "index.json"
        if code not in museums or code not in endpoint.museums or not index_path.is_file():
            continue
        index = json.loads(index_path.read_text(encoding="utf-8"))
        for entry in index["records"]:
            earlier = entry.get("withdrawn")
            if not entry.get("deleted") or not earlier:
                continue
            element = etree.parse(str(folder / earlier["file"]), parser).getroot()
            endpoint.museums[code].put(module.EndpointRecord(
                entry["identifier"], earlier["datestamp"],
                metadata={index["metadataPrefix"]: etree.tostring(element, encoding="UTF-8")},
                sets=list(entry.get("sets", []))))
            restored.append(Withdrawal(code, entry["identifier"], entry["datestamp"]))
    return restored


def withdraw(endpoint: Any, withdrawals: list[Withdrawal]) -> None:
    for w in withdrawals:
        endpoint.museums[w.museum].delete(w.identifier, w.deleted_on)


def _endpoint_key(source: dict[str, Any]) -> str:
    """The oai-pmh source takes its address from ``endpoint``, or ``url``: rewrite the one the file uses."""
    return "endpoint" if "endpoint" in source else "url"


def demo_config(endpoint_url: str, *, data_dir: Path | None = None, base_uri: str | None = None) -> HubConfig:
    """The demo configuration with its OAI-PMH sources pointed at ``endpoint_url`` (``/<code>/oai``)."""
    config = load_config(DEMO_CONFIG)
    museums = {
        code: replace(museum, source={**museum.source, _endpoint_key(museum.source):
                                      f"{endpoint_url.rstrip('/')}/{code}/oai"})
        if museum.source_kind == "oai-pmh" else museum
        for code, museum in config.museums.items()
    }
    changes: dict[str, Any] = {"museums": museums}
    if data_dir is not None:
        changes["data_dir"] = Path(data_dir).resolve()
    if base_uri is not None:
        changes["base_uri"] = base_uri
    return replace(config, **changes)


def run_demo(port: int = DEFAULT_PORT, serve: bool = True, data_dir: Path | None = None,
             console: Any = None) -> int:
    """Harvest every demo museum, publish, refresh the curated sets, then serve (unless ``serve`` is False).

    Returns the exit code: 0, or 1 when a museum's harvest or any demo record failed (the rest is still
    published and served), or 2 when the demo configuration is broken.
    """
    from rich.console import Console

    from musenor.oai_server.wsgi import PortUnavailable, bind

    console = console or Console(stderr=True)
    if not DEMO_CONFIG.is_file():
        console.print(f"[red]no demo here[/red]: {DEMO_CONFIG} is missing; run musenor demo from a checkout of "
                      "the repository")
        return EXIT_CONFIG
    # The port is taken before the harvest, so that a busy one is told at once, not after the harvest.
    try:
        sock = bind(HOST, port) if serve else None
    except PortUnavailable as exc:
        console.print(f"[red]error[/red]: {exc}")
        return EXIT_CONFIG
    try:
        return _harvest_and_serve(port, sock, data_dir, console)
    finally:
        if sock is not None:
            sock.close()


def _harvest_and_serve(port: int, sock: Any, data_dir: Path | None, console: Any) -> int:
    from musenor.catalogue.sets import CuratedSetFollower
    from musenor.harvester import harvest_museums, validate_sources
    from musenor.demo_campaign import run_demo_campaign
    from musenor.cli import harvest_reports_table
    from musenor.oai_server import create_app, open_catalogue
    from musenor.oai_server.derived import rebase_catalogue
    from musenor.oai_server.wsgi import bound_port
    from musenor.oai_server.wsgi import serve as serve_wsgi

    serve = sock is not None
    # URIs are minted under the address the hub is served at, so that linked data resolves on another port.
    base_uri = f"http://{HOST}:{port}" if serve and port not in (DEFAULT_PORT, 0) else None
    with museum_endpoint() as endpoint:
        try:
            config = demo_config(endpoint.base_url, data_dir=data_dir, base_uri=base_uri)
            validate_sources(config)
        except ConfigError as exc:
            console.print(f"[red]demo configuration error[/red]: {exc}")
            return EXIT_CONFIG
        console.print(f"Demo museums' OAI-PMH endpoint: {endpoint.base_url}/<code>/oai ; "
                      f"catalogue in {config.data_dir}")
        catalogue = open_catalogue(config, check_base=False)
        try:
            # The demo's catalogue follows the port it is served on: re-minted whole, never mixed.
            report, _ = rebase_catalogue(config, catalogue)
            if report.changed:
                console.print(f"Re-minted the demo catalogue from {report.old_base} to {report.new_base} "
                              f"({report.live} records)")
            def harvest(codes: list[str]) -> list[Any]:
                reports = harvest_museums(config, catalogue, codes, full=True, jobs=config.concurrency)
                console.print(harvest_reports_table(reports))
                for report in reports:
                    for identifier, reason in report.errors[:10]:
                        console.print(f"[yellow]{report.museum}[/yellow] record {identifier}: {reason}")
                return reports

            # A new catalogue first sees the OAI museums as they were before they withdrew records, so
            # that the withdrawals reach the hub as deletions and stay as tombstones (a deleted header
            # for a record the hub never had leaves nothing to keep).
            new = {code for code, museum in config.museums.items()
                   if museum.source_kind == "oai-pmh" and catalogue.ledger.last_successful_run(code) is None}
            withdrawals = restore_withdrawn(endpoint, new)
            early_failed = False
            if withdrawals:
                console.print("First harvest: replaying the withdrawals of "
                              + ", ".join(sorted({w.museum for w in withdrawals})))
                early_failed = any(r.status == "failed" for r in harvest(sorted({w.museum for w in withdrawals})))
                withdraw(endpoint, withdrawals)
            reports = harvest(sorted(config.museums))
            campaign = run_demo_campaign(config, catalogue)
            console.print(f"Photo campaign {campaign.campaign}: {len(campaign.attached)} photographs attached to "
                          f"{campaign.records_enriched} works of {campaign.museum}"
                          + (f", {len(campaign.already)} already there" if campaign.already else "")
                          + (f"; unmatched: {', '.join(campaign.unmatched)}" if campaign.unmatched else ""))
            catalogue.sync_graph()
            sets = CuratedSetFollower(config)(catalogue) or {}
            console.print("Curated sets: " + ", ".join(f"{spec} ({n} records)" for spec, n in sets.items()))
            # The demo's records are ours: any record that fails to map is a defect, not museum data.
            failed = early_failed or any(r.status == "failed" or r.counts.get("failed") for r in reports)
            if serve:
                app = create_app(config, catalogue)
                port = bound_port(sock)
                console.print(f"Musenor hub on http://{HOST}:{port}/  (OAI-PMH: http://{HOST}:{port}/oai?verb=Identify,"
                              f" SPARQL: http://{HOST}:{port}/sparql)  Ctrl-C stops it.")
                serve_wsgi(app, sock)
        finally:
            catalogue.close()
    return EXIT_FAILED if failed else EXIT_OK
