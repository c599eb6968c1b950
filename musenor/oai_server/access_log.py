"""An access log in the Common Log Format, one line a request, for ``musenor serve``.

Waitress logs no requests itself. The Common Log Format (NCSA httpd, the first field set of Apache's
``%h %l %u %t "%r" %>s %b``) is what log analysers, fail2ban and a harvester's complaint ("your OAI endpoint
answered 503 at 02:14") can all be matched against. The line is written when the server closes the
response, so it counts the bytes actually sent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, tzinfo
from typing import Any, TextIO
from urllib.parse import quote

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def request_line(environ: dict[str, Any]) -> str:
    path = quote(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""), safe="/;:@&=+$,~!*'()%")
    query = environ.get("QUERY_STRING")
    target = f"{path}?{query}" if query else path
    # A request line is the client's text: quotes and control characters would forge a second field or line.
    line = f"{environ.get('REQUEST_METHOD', '-')} {target} {environ.get('SERVER_PROTOCOL', '-')}"
    return "".join(c if c.isprintable() and c != '"' else f"\\x{ord(c):02x}" for c in line)


def log_line(environ: dict[str, Any], status: str, size: int, when: datetime) -> str:
    host = environ.get("REMOTE_ADDR") or "-"
    user = environ.get("REMOTE_USER") or "-"
    return (f'{host} - {user} [{when:%d/%b/%Y:%H:%M:%S %z}] "{request_line(environ)}" {status} '
            f"{size if size else '-'}")


class AccessLog:
    """WSGI middleware writing one Common Log Format line per request to ``stream``."""

    def __init__(self, app: WSGIApp, stream: TextIO, zone: tzinfo,
                 clock: Callable[[tzinfo], datetime] = datetime.now) -> None:
        self.app = app
        self.stream = stream
        self.zone = zone
        self.clock = clock
        self._lock = threading.Lock()

    def write(self, line: str) -> None:
        with self._lock:
            self.stream.write(line + "\n")
            self.stream.flush()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        when = self.clock(self.zone)
        status = ["-"]

        def start(status_line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status[0] = status_line.split(" ", 1)[0]
            return start_response(status_line, headers, exc_info)

        try:
            body = self.app(environ, start)
        except BaseException:
            self.write(log_line(environ, "500", 0, when))
            raise
        return _Counted(body, lambda size: self.write(log_line(environ, status[0], size, when)))


class _Counted:
    """The response body, counted as the server sends it; logged once when the server closes it."""

    def __init__(self, body: Iterable[bytes], done: Callable[[int], None]) -> None:
        self.body = body
        self.done = done
        self.size = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.body:
            self.size += len(chunk)
            yield chunk

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self.done(self.size)
