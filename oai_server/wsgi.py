"""Running the hub's WSGI application in production.

``musenor serve`` runs it in waitress (a production WSGI server, pure Python, threads). Any other WSGI
server can run it from its factory, in ONE process with threads: the graph store is an embedded database
that a single process holds (a second process would serve OAI-PMH and pages but not SPARQL)::

    MUSENOR_CONFIG=/etc/musenor/musenor.toml gunicorn --workers 1 --threads 8 'oai_server.wsgi:create()'
"""

from __future__ import annotations

import os

from flask import Flask

from catalogue import load_config

DEFAULT_THREADS = 8


def create() -> Flask:
    """The application for the configuration named by ``MUSENOR_CONFIG`` (default ``musenor.toml``)."""
    from oai_server import create_app

    app = create_app(load_config(os.environ.get("MUSENOR_CONFIG", "musenor.toml")))
    app.extensions["musenor.graph_sync"].follow()
    return app


def serve(app: Flask, host: str, port: int, threads: int = DEFAULT_THREADS) -> None:
    """Serve ``app`` until interrupted; ``threads`` requests are answered at once, the rest queue."""
    import waitress

    app.extensions["musenor.graph_sync"].follow()
    # A ListRecords page of LIDO can take a while to render on a small machine: keep the connection.
    waitress.serve(app, host=host, port=port, threads=threads, ident="Musenor hub", channel_timeout=300)
