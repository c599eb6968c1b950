"""``musenor serve``'s access log: one Common Log Format line a request, written when the response is sent."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, abort
from werkzeug.test import Client

from oai_server.access_log import AccessLog

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
