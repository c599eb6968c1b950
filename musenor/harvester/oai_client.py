"""A hardened OAI-PMH request: sickle's protocol vocabulary with none of its unsafe defaults.

sickle (no release since 2020) parses with ``recover=True``, so a page cut before its resumptionToken
silently ends a list and an HTML maintenance page served with 200 yields zero records; it has no timeout
and crashes on ``Retry-After`` given as an HTTP date. This adapter keeps sickle's typed OAI errors
(``sickle.oaiexceptions``, one class per error code) and does the HTTP and the parsing itself:

- a deadline per attempt covering the whole exchange (connect, headers and body): a server that drips a
  byte a second never trips a per-read timeout, so at the deadline the socket is shut down under the read;
- bounded retries with exponential backoff on 429, 500, 502, 503, 504, connection failures and bodies cut
  short, honouring ``Retry-After`` in seconds and as an HTTP date (RFC 9110 10.2.3); an attempt that ran
  out of time is retried once only (an endpoint that hangs twice is hung, not busy, and each more attempt
  would cost the whole timeout again), and a body that is malformed before its end (an undefined entity,
  a bad character reference) is not retried at all: the same bytes would come back;
- 401 and 403 stop at once (retrying a refused credential only gets the hub's address banned);
- the body is streamed and counted against a size cap;
- strict parsing: no recovery, no DTD, no entities, no network; a document type declaration is refused;
- the root must be ``OAI-PMH`` in the OAI 2.0 namespace (an HTML page is named as such);
- redirects are followed only to the same host or to hosts configured as allowed;
- characters illegal in XML 1.0, references to surrogates and bytes that are not UTF-8 are replaced
  before parsing, and counted.
"""

from __future__ import annotations

import random
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests
import requests.adapters
import requests.auth
from lxml import etree
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from sickle import oaiexceptions

from musenor.harvester.sanitise import sanitise_xml
from musenor.harvester.sources.base import SourceError

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REFUSED_STATUSES = frozenset({401, 403})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
DEFAULT_TIMEOUT = 20.0  # seconds for one whole response: a hung endpoint costs at most two of them a request
TIMED_OUT_RETRIES = 1


def strict_parser() -> etree.XMLParser:
    return etree.XMLParser(recover=False, resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_blank_text=False)


class OAIProtocolError(SourceError):
    """The endpoint answered with an OAI-PMH error element; ``code`` is the spec's error code."""

    def __init__(self, code: str, message: str, *, museum: str | None = None) -> None:
        self.code = code
        self.message = message
        # sickle's class for the code, so callers can catch by protocol name
        self.oai_exception = getattr(oaiexceptions, code[:1].upper() + code[1:], oaiexceptions.OAIError)
        super().__init__(f"the endpoint answered OAI-PMH error {code}: {message}", museum=museum)


@dataclass
class OAIResponse:
    root: etree._Element
    url: str
    size: int  # bytes received
    sanitised: int  # illegal characters replaced

    def find(self, path: str) -> etree._Element | None:
        return self.root.find(path, {"oai": OAI_NS})

    def findall(self, path: str) -> list[etree._Element]:
        return self.root.findall(path, {"oai": OAI_NS})


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds to wait: delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (moment - (now or datetime.now(timezone.utc))).total_seconds())


def describe_body(body: bytes, content_type: str) -> str:
    head = body[:512].lstrip().lower()
    if b"<html" in head or b"<!doctype html" in head or "html" in content_type.lower():
        return "an HTML page (a maintenance or error page?)"
    if not head:
        return "an empty body"
    return f"a {content_type or 'document'} that is not OAI-PMH"


class OAIClient:
    """Requests to one OAI-PMH endpoint, one verb at a time."""

    def __init__(self, endpoint: str, *, museum: str | None = None, timeout: float = DEFAULT_TIMEOUT,
                 max_retries: int = 5,
                 max_response_bytes: int = 100 * 1024 * 1024, backoff: float = 2.0, max_wait: float = 600.0,
                 headers: dict[str, str] | None = None, auth: tuple[str, str] | None = None,
                 allow_redirect_hosts: list[str] | None = None, user_agent: str = "Musenor-hub",
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.endpoint = endpoint
        self.museum = museum
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_response_bytes = max_response_bytes
        self.backoff = backoff
        self.max_wait = max_wait
        self.allowed_hosts = {urlsplit(endpoint).hostname or ""} | {h.lower() for h in allow_redirect_hosts or ()}
        self.sleep = sleep
        self.session = requests.Session()
        adapter = _DeadlineAdapter()
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({"User-Agent": user_agent, "Accept": "text/xml, application/xml"})
        self.session.headers.update(headers or {})
        # Credentials come only from the variable named in config: an explicit (possibly empty) auth keeps
        # requests from reading ~/.netrc, while proxies from the environment still apply.
        self.session.auth = auth or _NoCredentials()

    def close(self) -> None:
        self.session.close()

    def _fail(self, reason: str) -> SourceError:
        return SourceError(reason, museum=self.museum)

    def request(self, **params: str) -> OAIResponse:
        """One verb, retried as configured; raises SourceError (or OAIProtocolError) with the reason."""
        attempt = timed_out = 0
        while True:
            try:
                return self._attempt(params)
            except _Retryable as exc:
                attempt += 1
                timed_out += exc.timed_out
                if attempt > self.max_retries or timed_out > TIMED_OUT_RETRIES:
                    raise self._fail(f"{exc.reason}; gave up after {attempt} attempts") from None
                wait = exc.retry_after
                if wait is None:
                    wait = self.backoff * (2 ** (attempt - 1)) * (1 + random.random() / 4)
                if wait > self.max_wait:
                    raise self._fail(f"{exc.reason}; the endpoint asks to retry in {wait:.0f} s, more than "
                                     f"the {self.max_wait:.0f} s this harvest waits") from None
                self.sleep(wait)

    def _attempt(self, params: dict[str, str]) -> OAIResponse:
        deadline = _Deadline(self.timeout)
        _WATCHED.deadline = deadline
        try:
            return self._exchange(params, deadline)
        except (requests.RequestException, _Retryable, SourceError) as exc:
            if deadline.expired or getattr(exc, "timed_out", False):
                raise _Retryable(f"no complete answer from {self.endpoint} within the {self.timeout:g} s timeout",
                                 timed_out=True) from None
            raise
        finally:
            deadline.cancel()
            _WATCHED.deadline = None

    def _exchange(self, params: dict[str, str], deadline: _Deadline) -> OAIResponse:
        url = self.endpoint
        query: dict[str, str] | None = params
        for _ in range(MAX_REDIRECTS + 1):
            try:
                wait = max(0.001, deadline.remaining())
                response = self.session.get(url, params=query, timeout=(wait, wait), stream=True,
                                            allow_redirects=False)
            except requests.Timeout:
                raise _Retryable("timed out", timed_out=True) from None
            except requests.ConnectionError as exc:
                if deadline.expired:
                    raise
                raise _Retryable(f"cannot connect to {url}: {exc.__class__.__name__}") from None
            with response:
                status = response.status_code
                if status in REDIRECT_STATUSES:
                    target = urljoin(response.url, response.headers.get("Location", ""))
                    host = (urlsplit(target).hostname or "").lower()
                    if host not in self.allowed_hosts:
                        raise self._fail(f"the endpoint redirects to another host ({target}); add {host!r} to "
                                         "allow_redirect_hosts if the museum moved it")
                    url, query = target, None
                    continue
                if status in REFUSED_STATUSES:
                    raise self._fail(f"the endpoint refused access (HTTP {status}): check the credentials "
                                     "(auth_env) with the museum")
                if status in RETRY_STATUSES:
                    raise _Retryable(f"the endpoint answered HTTP {status}",
                                     retry_after_seconds(response.headers.get("Retry-After")))
                if status != 200:
                    raise self._fail(f"the endpoint answered HTTP {status} to {response.url}")
                body = self._read_body(response)
                if deadline.expired:  # the socket was shut down under the read: what came is cut short
                    raise _Retryable("timed out", timed_out=True)
                return self._parse(body, response.url, response.headers.get("Content-Type", ""))
        raise self._fail(f"more than {MAX_REDIRECTS} redirects from {self.endpoint}")

    def _read_body(self, response: requests.Response) -> bytes:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_response_bytes:
            raise self._fail(f"the response announces {int(declared)} bytes, above max_response_bytes "
                             f"{self.max_response_bytes}")
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(chunk_size=1 << 16):
                size += len(chunk)
                if size > self.max_response_bytes:
                    raise self._fail(f"the response is larger than max_response_bytes {self.max_response_bytes}")
                chunks.append(chunk)
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError) as exc:
            raise _Retryable(f"the connection broke while reading the response ({exc.__class__.__name__})") from None
        except requests.Timeout:
            raise _Retryable("timed out", timed_out=True) from None
        return b"".join(chunks)

    def _parse(self, body: bytes, url: str, content_type: str) -> OAIResponse:
        clean, replaced = sanitise_xml(body)
        try:
            root = etree.fromstring(clean, strict_parser())
        except etree.XMLSyntaxError as exc:
            what = describe_body(body, content_type)
            if what.startswith("an HTML page"):
                raise self._fail(f"the endpoint answered {what} instead of OAI-PMH") from None
            if cut_short(clean, exc):
                # A page cut off in transit (or by the museum's server) is worth another try.
                raise _Retryable(f"the response is not well-formed XML ({exc.msg}, line {exc.lineno}): "
                                 "truncated?") from None
            where = record_at(clean, exc.lineno)
            raise self._fail(f"the response is not well-formed XML ({exc.msg}){where}: the document is malformed "
                             "as the endpoint wrote it, so asking again would bring the same error") from None
        if root.tag != f"{{{OAI_NS}}}OAI-PMH":
            what = describe_body(body, content_type)
            if what.startswith("an HTML page"):
                raise self._fail(f"the endpoint answered {what} instead of OAI-PMH")
            raise self._fail(f"the endpoint answered {what} (root element {etree.QName(root).localname!r}) "
                             "instead of OAI-PMH")
        if root.getroottree().docinfo.internalDTD is not None or root.getroottree().docinfo.doctype:
            raise self._fail("the response declares a DTD, which an OAI-PMH response never does")
        for error in root.findall(f"{{{OAI_NS}}}error"):
            code = error.get("code", "unknown")
            if code != "noRecordsMatch":
                raise OAIProtocolError(code, (error.text or "").strip(), museum=self.museum)
        return OAIResponse(root=root, url=url, size=len(body), sanitised=replaced)


def cut_short(body: bytes, error: etree.XMLSyntaxError) -> bool:
    """Whether the parser stopped at the very end of ``body``: a document cut short, not a malformed one
    (libxml2 counts columns in characters)."""
    line, column = error.position
    last_line = body.rsplit(b"\n", 1)[-1].decode("utf-8", errors="replace")
    return line == body.count(b"\n") + 1 and column >= len(last_line)


_HEADER_IDENTIFIER = re.compile(rb"<(?:[\w.-]+:)?header\b[^>]*>\s*<(?:[\w.-]+:)?identifier>([^<]{1,300})<")


def record_at(body: bytes, line: int) -> str:
    """`` in record <its OAI identifier>`` for the record a parse error at ``line`` falls in, or ``""``."""
    head = b"\n".join(body.split(b"\n", line)[:line])
    found = _HEADER_IDENTIFIER.findall(head)
    return f" in record {found[-1].decode('utf-8', 'replace').strip()}" if found else ""


class _Deadline:
    """The moment one attempt must be over by. requests' timeout bounds each read, so a server sending a
    byte a second would hold a response for as long as it likes: at the deadline the sockets the attempt
    uses are shut down, which ends the blocked read at once."""

    def __init__(self, seconds: float) -> None:
        self.expires_at = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return self.expires_at - time.monotonic()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shut_down(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut_down(sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shut_down(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


_WATCHED = threading.local()  # the deadline of the attempt this thread is making


class _WatchedConnection:
    """Hands its socket to the current attempt's deadline: when it connects, and when it is reused. (The
    socket, not the connection: http.client lets go of a connection's socket once a response that closes
    it has begun, but the response goes on reading from it.)"""

    sock: socket.socket | None

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self._watch()

    def request(self, *args: object, **kwargs: object) -> None:
        if self.sock is not None:
            self._watch()
        super().request(*args, **kwargs)  # type: ignore[misc]

    def _watch(self) -> None:
        deadline = getattr(_WATCHED, "deadline", None)
        if deadline is not None and self.sock is not None:
            deadline.watch(self.sock)


class _WatchedHTTPConnection(_WatchedConnection, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_WatchedConnection, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _DeadlineAdapter(requests.adapters.HTTPAdapter):
    """Connections whose sockets the current attempt's deadline can shut down."""

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        super().init_poolmanager(*args, **kwargs)  # type: ignore[arg-type]
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class _NoCredentials(requests.auth.AuthBase):
    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None, *, timed_out: bool = False) -> None:
        self.reason = reason
        self.retry_after = retry_after
        self.timed_out = timed_out
        super().__init__(reason)
