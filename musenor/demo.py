"""``musenor demo``: harvest the bundled demo museums and serve the union catalogue on 127.0.0.1.

The demo hub is ``demo/musenor.toml`` at the repository root. Two of its museums (Lille, Arras) publish
over OAI-PMH: the demo starts their endpoint (``demo/museum_endpoint.py``) on a free loopback port in a
thread and points those sources at it in the loaded configuration only, never in the file. Every museum is
harvested in full, so that a second run sees every record again and reports it unchanged, and withdrawn
records become tombstones.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import musenor
from catalogue import ConfigError, HubConfig, load_config

DEMO_DIR = Path(musenor.__file__).resolve().parents[1] / "demo"
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
def museum_endpoint() -> Iterator[str]:
    """The demo museums' OAI-PMH endpoint on a free loopback port; yields its base URL."""
    endpoint = _endpoint_module().start_demo_endpoint(DEMO_DIR / "data", host=HOST, port=0)
    try:
        yield endpoint.base_url
    finally:
        endpoint.stop()


def demo_config(endpoint_url: str, *, data_dir: Path | None = None, base_uri: str | None = None) -> HubConfig:
    """The demo configuration with its OAI-PMH sources pointed at ``endpoint_url`` (``/<code>/oai``)."""
    config = load_config(DEMO_CONFIG)
    museums = {
        code: replace(museum, source={**museum.source, "url": f"{endpoint_url.rstrip('/')}/{code}/oai"})
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

    Returns the exit code: 0, or 1 when a museum's harvest failed (the others are still published and
    served), or 2 when the demo configuration is broken.
    """
    from rich.console import Console

    from catalogue.sets import refresh_curated_sets
    from harvester import harvest_museums, validate_sources
    from musenor.cli import harvest_reports_table
    from oai_server import create_app, open_catalogue

    console = console or Console(stderr=True)
    # URIs are minted under the address the hub is served at, so that linked data resolves on another port.
    base_uri = f"http://{HOST}:{port}" if serve and port not in (DEFAULT_PORT, 0) else None
    with museum_endpoint() as endpoint_url:
        try:
            config = demo_config(endpoint_url, data_dir=data_dir, base_uri=base_uri)
            validate_sources(config)
        except ConfigError as exc:
            console.print(f"[red]demo configuration error[/red]: {exc}")
            return EXIT_CONFIG
        console.print(f"Demo museums' OAI-PMH endpoint: {endpoint_url} ; catalogue in {config.data_dir}")
        catalogue = open_catalogue(config)
        try:
            reports = harvest_museums(config, catalogue, sorted(config.museums), full=True,
                                      jobs=config.concurrency)
            console.print(harvest_reports_table(reports))
            for report in reports:
                for identifier, reason in report.errors[:10]:
                    console.print(f"[yellow]{report.museum}[/yellow] record {identifier}: {reason}")
            catalogue.sync_graph()
            refresh_curated_sets(catalogue, config)
            catalogue.sync_graph()
            failed = any(r.status == "failed" for r in reports)
            if serve:
                app = create_app(config, catalogue)
                console.print(f"Musenor hub on http://{HOST}:{port}/  (OAI-PMH: http://{HOST}:{port}/oai?verb=Identify,"
                              f" SPARQL: http://{HOST}:{port}/sparql)  Ctrl-C stops it.")
                app.run(host=HOST, port=port, threaded=True)
        finally:
            catalogue.close()
    return EXIT_FAILED if failed else EXIT_OK
