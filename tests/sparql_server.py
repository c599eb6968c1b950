"""A throwaway Oxigraph server (the ``oxigraph`` command from PyPI) on a temporary directory, for the tests of
the graph on a SPARQL server. Stopped when the session ends; the tests skip, with the reason, without it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

# The server's own limit on a query, so that a test's runaway query (the hub stops waiting sooner) does not
# keep a core busy after the test.
SERVER_QUERY_TIMEOUT_S = 5


def binary() -> Path | None:
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return beside
    found = shutil.which("oxigraph")
    return Path(found) if found else None


def unavailable() -> str | None:
    if binary() is None:
        return "the oxigraph server is not installed (pip install oxigraph)"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server() -> Iterator[str]:
    """The base URL of a fresh Oxigraph server; a port taken by someone else between the pick and the bind
    makes the server exit, and another port is tried."""
    command = binary()
    assert command is not None
    with tempfile.TemporaryDirectory(prefix="musenor-oxigraph-") as root:
        for attempt in range(5):
            port = _free_port()
            log = open(Path(root) / f"log-{attempt}", "wb")
            process = subprocess.Popen(
                [str(command), "serve", "--location", str(Path(root) / f"data-{attempt}"),
                 "--bind", f"127.0.0.1:{port}", "--timeout-s", str(SERVER_QUERY_TIMEOUT_S)],
                stdout=log, stderr=subprocess.STDOUT)
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while process.poll() is None and time.monotonic() < deadline:
                try:
                    if requests.get(f"{url}/query", params={"query": "ASK {}"}, timeout=2).ok:
                        break
                except requests.RequestException:
                    time.sleep(0.1)  # the server is starting: poll its port, nothing to wait on instead
            if process.poll() is None:
                try:
                    yield url
                finally:
                    process.terminate()
                    process.wait(timeout=30)
                    log.close()
                return
            log.close()
        raise RuntimeError("the oxigraph server did not start: " + (Path(root) / "log-4").read_text()[-2000:])
