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
