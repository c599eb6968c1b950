"""Running the hub's WSGI application in production.

``musenor serve`` runs it in waitress (a production WSGI server, pure Python, threads). Any other WSGI
server can run it from its factory, in ONE process with threads: the graph store is an embedded database
that a single process holds (a second process would serve OAI-PMH and pages but not SPARQL)::

    MUSENOR_CONFIG=/etc/musenor/musenor.toml gunicorn --workers 1 --threads 8 'musenor.oai_server.wsgi:create()'
"""

from __future__ import annotations

import errno
import logging
import os
import socket
from typing import Any

from flask import Flask

from musenor.catalogue import load_config

DEFAULT_THREADS = 8
LISTEN_BACKLOG = 1024  # waitress's own default


class PortUnavailable(OSError):
    """The address to serve on cannot be bound; says which one and why, before any work is done."""

    def __init__(self, host: str, port: int, reason: str) -> None:
        self.host = host
        self.port = port
        self.reason = reason
        super().__init__(f"cannot serve on {host}:{port}: {reason}")


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (0: a free port the OS picks), bound before the caller harvests
    or opens anything, so a busy port is told at once rather than after minutes of work. Raises
    PortUnavailable naming the address and the reason (in use, not permitted, no such address)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise PortUnavailable(host, port, f"no such address ({exc.strerror})") from None
    family, socktype, proto, _, address = infos[0]
    sock = socket.socket(family, socktype, proto)
    try:
        # As waitress does: a restarted server may rebind at once over connections in TIME_WAIT, but two
        # listeners never share a port (SO_REUSEADDR does not allow that on Linux).
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(LISTEN_BACKLOG)
    except OSError as exc:
        sock.close()
        reasons = {errno.EADDRINUSE: "the port is already in use by another program (another hub or server?); "
                                     "stop it or choose another port with --port",
                   errno.EACCES: "not permitted (ports below 1024 need privileges); choose another port with --port",
                   errno.EADDRNOTAVAIL: "this machine has no such address; check --host"}
        raise PortUnavailable(host, port, reasons.get(exc.errno, exc.strerror or str(exc))) from None
    return sock


def bound_port(sock: socket.socket) -> int:
    return int(sock.getsockname()[1])


def create() -> Flask:
    """The application for the configuration named by ``MUSENOR_CONFIG`` (default ``musenor.toml``)."""
    from musenor.oai_server import create_app

    app = create_app(load_config(os.environ.get("MUSENOR_CONFIG", "musenor.toml")))
    app.extensions["musenor.graph_sync"].follow()
    return app


def create_server(app: Flask, sock: socket.socket, threads: int = DEFAULT_THREADS) -> Any:
    """The waitress server of ``app`` on the listening socket ``sock`` (from ``bind``), not yet running."""
    import waitress.server

    # waitress refuses an oversized body itself (413) from its Content-Length, before spooling a byte of it.
    limit = app.config.get("MAX_CONTENT_LENGTH")
    extra = {"max_request_body_size": int(limit)} if limit else {}
    # A ListRecords page of LIDO can take a while to render on a small machine: keep the connection.
    return waitress.server.create_server(app, sockets=[sock], threads=threads, ident="Musenor hub",
                                         channel_timeout=300, **extra)


def serve(app: Flask, sock: socket.socket, threads: int = DEFAULT_THREADS) -> None:
    """Serve ``app`` on ``sock`` until interrupted; ``threads`` requests are answered at once, the rest queue."""
    server = create_server(app, sock, threads)
    app.extensions["musenor.graph_sync"].follow()
    logging.basicConfig()  # as waitress.serve: its warnings (queue depth) reach the operator
    server.print_listen("Serving on http://{}:{}")
    try:
        server.run()
    finally:
        server.close()
