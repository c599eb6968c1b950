"""``musenor serve``: a production WSGI server in front of the app, on the configured port."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request

from test_cli import POP_CONFIG, run

LISTENING = re.compile(r"Musenor hub on http://127\.0\.0\.1:(\d+)/")


def _lines_of(stream) -> queue.Queue:
    """The server's output, line by line, read by a thread so that the test waits with a deadline."""
    lines: queue.Queue = queue.Queue()

    def read() -> None:
        for line in iter(stream.readline, b""):
            lines.put(line.decode("utf-8", "replace"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return lines


def test_serve_answers_oai_from_waitress_on_the_port_it_bound_and_stops_on_sigint(tmp_path):
    assert run(tmp_path, "harvest", "M0650", config=POP_CONFIG).exit_code == 0
    # port 0: the server binds a free port itself and prints it, so no other process can take it in between
    server = subprocess.Popen([sys.executable, "-m", "musenor.cli", "--config", str(tmp_path / "musenor.toml"),
                               "serve", "--port", "0", "--threads", "2"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              env={**os.environ, "PYTHONUNBUFFERED": "1"},
                              # a pytest-xdist worker ignores SIGINT and a child inherits that: give the server
                              # the disposition a terminal's Ctrl-C meets
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    output: list[str] = []
    lines = _lines_of(server.stdout)
    try:
        port = None
        while port is None:
            try:
                line = lines.get(timeout=120)
            except queue.Empty:
                raise AssertionError("the server did not say where it listens within 120 s: " + "".join(output)) from None
            assert line is not None, "the server stopped before listening: " + "".join(output)
            output.append(line)
            found = LISTENING.search(line)
            port = int(found.group(1)) if found else None
        assert port != 0
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/oai?verb=Identify", timeout=30) as response:
            body, server_header = response.read(), response.headers["Server"]
        assert b"<repositoryName>Musenor test</repositoryName>" in body
        assert server_header == "Musenor hub"
    finally:
        server.send_signal(signal.SIGINT)
        try:
            # generous: on a loaded machine closing the graph store can take a while; a hang still fails
            stopped = server.wait(timeout=120) is not None
        except subprocess.TimeoutExpired:
            stopped = False
            server.kill()
            server.wait()
    while (line := lines.get(timeout=30)) is not None:  # the reader ends when the stopped server's pipe closes
        output.append(line)
    assert stopped, "SIGINT did not stop the server within 120 s: " + "".join(output)
    assert server.returncode == 0, "".join(output)


def test_a_served_hub_applies_a_harvest_from_another_process_without_being_asked(tmp_path):
    import threading

    from musenor.catalogue import Catalogue, load_config
    from musenor.harvester import harvest_museums
    from musenor.oai_server import create_app

    (tmp_path / "musenor.toml").write_text(POP_CONFIG, encoding="utf-8")
    config = load_config(tmp_path / "musenor.toml")
    app = create_app(config, TESTING=True)
    served = app.extensions["musenor.catalogue"]
    stop = threading.Event()
    follower = app.extensions["musenor.graph_sync"].follow(stop)
    try:
        harvester_side = Catalogue(config.data_dir, open_graph=False)  # as `musenor schedule` opens it
        [report] = harvest_museums(config, harvester_side, ["M0650"], full=True, jobs=1)
        harvester_side.close()
        assert report.status == "succeeded"
        deadline = time.monotonic() + 30
        while served.graph.applied_change_seq() < served.ledger.last_change_seq():  # no request is made
            assert time.monotonic() < deadline, "the graph store was not brought up to date within 30 s"
            time.sleep(0.2)
        rows = list(served.graph.query("SELECT (COUNT(?cho) AS ?n) WHERE { "
                                       "?cho a <http://www.europeana.eu/schemas/edm/ProvidedCHO> }"))
        assert int(rows[0]["n"].value) == 44
    finally:
        stop.set()
        follower.join(timeout=30)
        served.close()
