"""``musenor serve``: a production WSGI server in front of the app, on the configured port."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request

from test_cli import POP_CONFIG, run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_oai_from_waitress_and_stops_on_sigint(tmp_path):
    assert run(tmp_path, "harvest", "M0650", config=POP_CONFIG).exit_code == 0
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "musenor.cli", "--config", str(tmp_path / "musenor.toml"),
                               "serve", "--port", str(port), "--threads", "2"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/oai?verb=Identify", timeout=5) as response:
                    body, server_header = response.read(), response.headers["Server"]
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "the server did not answer within 60 s"
                time.sleep(0.3)
        assert b"<repositoryName>Musenor test</repositoryName>" in body
        assert server_header == "Musenor hub"
    finally:
        server.send_signal(signal.SIGINT)
        try:
            stopped = server.wait(timeout=30) is not None
        except subprocess.TimeoutExpired:
            stopped = False
            server.kill()
    assert stopped, "SIGINT did not stop the server within 30 s"


def test_a_served_hub_applies_a_harvest_from_another_process_without_being_asked(tmp_path):
    import threading

    from catalogue import Catalogue, load_config
    from harvester import harvest_museums
    from oai_server import create_app

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
