"""``musenor serve``'s access log: one Common Log Format line a request, written when the response is sent."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, abort
from werkzeug.test import Client

from fixtures.hub_toml import ROUBAIX_UNDELIVERED, hub_toml
from musenor.oai_server.access_log import AccessLog

PARIS = ZoneInfo("Europe/Paris")


def logged_app() -> tuple[Client, io.StringIO]:
    app = Flask(__name__)

    @app.get("/oai")
    def oai() -> str:
        return "hello"

    @app.get("/gone")
    def gone() -> str:
        abort(410)

    stream = io.StringIO()
    app.wsgi_app = AccessLog(app.wsgi_app, stream, PARIS,  # type: ignore[method-assign]
                             clock=lambda zone: datetime(2026, 7, 14, 2, 30, 5, tzinfo=zone))
    return Client(app), stream


def test_a_request_is_one_common_log_format_line_in_the_hubs_timezone():
    client, stream = logged_app()
    client.get("/oai?verb=Identify", environ_base={"REMOTE_ADDR": "192.0.2.7"}, buffered=True)
    assert stream.getvalue() == ('192.0.2.7 - - [14/Jul/2026:02:30:05 +0200] "GET /oai?verb=Identify HTTP/1.1" '
                                 "200 5\n")


def test_an_error_status_and_an_empty_body_are_logged_as_such():
    client, stream = logged_app()
    client.head("/gone", environ_base={"REMOTE_ADDR": "192.0.2.7"}, buffered=True)
    assert stream.getvalue() == '192.0.2.7 - - [14/Jul/2026:02:30:05 +0200] "HEAD /gone HTTP/1.1" 410 -\n'


def test_a_forged_request_line_cannot_add_a_field_or_a_line():
    client, stream = logged_app()
    client.get("/oai", query_string='verb=Identify" 200 1\n1.2.3.4 - - [x] "GET /', environ_base={"REMOTE_ADDR": "192.0.2.7"}, buffered=True)
    line = stream.getvalue()
    assert line.count("\n") == 1 and line.count('"') == 2
    assert '"GET /oai?verb=Identify\\x22 200 1\\x0a1.2.3.4' in line


def test_musenor_serve_logs_each_request_to_the_access_log_file(tmp_path, monkeypatch):
    import re

    from click.testing import CliRunner

    import musenor.oai_server.wsgi
    from musenor.cli import main

    def serve(app, sock, threads):  # what waitress would do with one request, then stop
        Client(app).get("/oai?verb=Identify", environ_base={"REMOTE_ADDR": "192.0.2.7"}, buffered=True)

    monkeypatch.setattr(musenor.oai_server.wsgi, "serve", serve)
    roubaix = {**ROUBAIX_UNDELIVERED, "source": {"kind": "lido-file", "path": "export.xml"}}
    (tmp_path / "musenor.toml").write_text(hub_toml({"M0634": roubaix}, timezone="UTC"), encoding="utf-8")
    log = tmp_path / "access.log"
    # --port 0: the port the OS picks, never 5000, which a hub running on this machine may hold
    result = CliRunner().invoke(main, ["serve", "-c", str(tmp_path / "musenor.toml"), "--port", "0",
                                       "--access-log", str(log)])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r'192\.0\.2\.7 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET /oai\?verb=Identify '
                        r'HTTP/1\.1" 200 \d+\n', log.read_text(encoding="utf-8"))
