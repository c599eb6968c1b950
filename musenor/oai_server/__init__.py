"""The hub's web application: OAI-PMH, SPARQL, linked data and the public catalogue pages.

Built by ``create_app(config)`` (Flask's application factory) so that tests make as many apps as they need,
each on its own data directory. One blueprint per concern; they share the catalogue, not each other.
Servers read the catalogue and never import the harvester.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, g
from werkzeug.exceptions import RequestEntityTooLarge

from musenor.catalogue import Catalogue, GraphStoreBusy, HubConfig
from musenor.catalogue.rebase import BaseURIMismatch, RebaseUnfinished, check_base_uri
from musenor.catalogue.sets import CuratedSetFollower

# Blueprints by module; each module exposes ``blueprint``. Order is URL-precedence order.
BLUEPRINTS = (
    "musenor.oai_server.oai",
    "musenor.oai_server.sparql",
    "musenor.oai_server.linked_data",
    "musenor.oai_server.dataset",
    "musenor.oai_server.exhibitions",
    "musenor.oai_server.pages",
    "musenor.oai_server.images",
    "musenor.oai_server.iiif",
    "musenor.oai_server.cors",
    "musenor.oai_server.health",
    "musenor.oai_server.admin",
)

# The server owns the on-disk graph store while it runs; a harvest in another process only writes the
# ledger, and the server applies the new ledger changes before it answers from the graph.
SYNC_INTERVAL_SECONDS = 2.0

log = logging.getLogger(__name__)


def open_catalogue(config: HubConfig, *, open_graph: bool = True, check_base: bool = True) -> Catalogue:
    """The catalogue of ``config`` with the shipped vocabularies as static graphs.

    Raises BaseURIMismatch when the catalogue was minted under another base URI than ``config``'s (a harvest
    or a server under it would mix both), and RebaseUnfinished when a re-mint has stores left to rebuild;
    ``check_base=False`` is for the re-mint itself.
    """
    from musenor.vocabularies import static_graphs

    catalogue = Catalogue.from_config(config, open_graph=open_graph,
                                      static_graphs=static_graphs(config.base_uri))
    if check_base:
        try:
            check_base_uri(catalogue.ledger, config.base_uri, data_dir=str(config.data_dir))
        except (BaseURIMismatch, RebaseUnfinished):
            catalogue.close()
            raise
    return catalogue


CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' https: http: data:; script-src 'self'; "
                           "style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                           "frame-ancestors 'self'")


def content_security_policy(tile_url: str) -> str:
    """The pages' policy with the map tile server (``[map] tile_url``) named among image sources, and there
    only: Leaflet draws tiles as <img>, so the tile host needs no script, style or connect rights."""
    parts = urlsplit(tile_url)
    origin = f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"
    return CONTENT_SECURITY_POLICY.replace("img-src 'self' ", f"img-src 'self' {origin} ", 1)


class GraphSync:
    """Applies ledger changes to the graph store at most every SYNC_INTERVAL_SECONDS, one thread at a time."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._lock = threading.Lock()
        self._checked = 0.0
        # Stores derived beside the graph (search index, dumps): called after each sync, cheap when idle.
        self.listeners: list[Any] = []

    def __call__(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._checked < SYNC_INTERVAL_SECONDS:
            return
        if not self._lock.acquire(blocking=force):
            return
        try:
            self._checked = now
            # A graph on a SPARQL server is shared by every server of the hub: the scheduler writes it, once.
            if self.catalogue.has_graph and not getattr(self.catalogue.graph, "shared", False) and \
                    self.catalogue.ledger.last_change_seq() > self.catalogue.graph.applied_change_seq():
                self.catalogue.sync_graph()
            for listener in self.listeners:
                listener(self.catalogue)
        finally:
            self._lock.release()

    def follow(self, stop: threading.Event | None = None) -> threading.Thread:
        """Apply new ledger changes in a background thread every SYNC_INTERVAL_SECONDS until ``stop`` is set.

        A served hub then takes a harvest published by another process within seconds, even when nobody
        asks, and no request pays for applying it: a request finding a sync under way goes on at once.
        """
        stop = stop or threading.Event()

        def run() -> None:
            while not stop.wait(SYNC_INTERVAL_SECONDS):
                try:
                    self()
                except Exception:  # a failed sync is retried at the next tick; the server goes on
                    log.exception("applying ledger changes to the graph store failed")

        thread = threading.Thread(target=run, name="musenor-graph-sync", daemon=True)
        thread.start()
        return thread


def create_app(config: HubConfig, catalogue: Catalogue | None = None, **overrides: Any) -> Flask:
    app = Flask(__name__)
    # Operators tune the server from the environment (MUSENOR_SPARQL_TIMEOUT=30, MUSENOR_OAI_MAX_CONCURRENT=16):
    # values are read as JSON, so numbers stay numbers. Arguments given here win.
    app.config.from_prefixed_env("MUSENOR")
    app.config.update(MUSENOR=config, JSON_AS_ASCII=False, **overrides)
    _limit_request_bodies(app)
    if catalogue is None:
        try:
            catalogue = open_catalogue(config)
        except GraphStoreBusy:
            # Another server holds the graph store: this one serves OAI and pages from the ledger alone.
            catalogue = open_catalogue(config, open_graph=False)
    app.extensions["musenor.catalogue"] = catalogue
    page_policy = content_security_policy(config.map["tile_url"])
    sync = GraphSync(catalogue)
    app.extensions["musenor.graph_sync"] = sync
    sync.listeners.append(CuratedSetFollower(config))
    sync(force=True)

    @app.before_request
    def _sync_graph() -> None:
        g.catalogue = catalogue
        sync()

    @app.after_request
    def _security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if response.mimetype == "text/html":
            # Pages carry museums' text: only our own script and style run, images may come from any museum.
            response.headers.setdefault("Content-Security-Policy", page_policy)
            response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        return response

    for module_name in BLUEPRINTS:
        module = importlib.import_module(module_name)
        init = getattr(module, "init_app", None)
        if init is not None:
            init(app)
        app.register_blueprint(module.blueprint)
    return app


# No request the hub answers needs a large body: the longest is a SPARQL query (guard.MAX_QUERY_LENGTH
# characters, form-encoded). Anything larger is refused from its Content-Length before a byte is read
# (Werkzeug checks MAX_CONTENT_LENGTH when the body is first asked for, and caps a chunked body as it reads).
MAX_CONTENT_LENGTH = 2 * 1024 * 1024


def _limit_request_bodies(app: Flask) -> None:
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # MUSENOR_MAX_CONTENT_LENGTH or an override wins
        app.config["MAX_CONTENT_LENGTH"] = MAX_CONTENT_LENGTH

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(_: RequestEntityTooLarge) -> Response:
        return Response(f"the request body is larger than this hub takes ({app.config['MAX_CONTENT_LENGTH']} "
                        "bytes at most)\n", status=413, mimetype="text/plain")


def current_catalogue() -> Catalogue:
    from flask import current_app

    return current_app.extensions["musenor.catalogue"]


def current_config() -> HubConfig:
    from flask import current_app

    return current_app.config["MUSENOR"]
