"""A hardened OAI-PMH request: sickle's protocol vocabulary with none of its unsafe defaults.

sickle (no release since 2020) parses with ``recover=True``, so a page cut before its resumptionToken
silently ends a list and an HTML maintenance page served with 200 yields zero records; it has no timeout
and crashes on ``Retry-After`` given as an HTTP date. This adapter keeps sickle's typed OAI errors
(``sickle.oaiexceptions``, one class per error code) and does the HTTP and the parsing itself:

- a real timeout per attempt (connect, each read, and the whole body);
- bounded retries with exponential backoff on 429, 500, 502, 503, 504, connection failures and bodies that
  are not well-formed XML, honouring ``Retry-After`` in seconds and as an HTTP date (RFC 9110 10.2.3);
- 401 and 403 stop at once (retrying a refused credential only gets the hub's address banned);
- the body is streamed and counted against a size cap;
- strict parsing: no recovery, no DTD, no entities, no network; a document type declaration is refused;
- the root must be ``OAI-PMH`` in the OAI 2.0 namespace (an HTML page is named as such);
- redirects are followed only to the same host or to hosts configured as allowed;
- characters illegal in XML 1.0 are replaced before parsing, and counted.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests
import requests.auth
from lxml import etree
from sickle import oaiexceptions

from harvester.sanitise import sanitise_xml
from harvester.sources.base import SourceError

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REFUSED_STATUSES = frozenset({401, 403})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5


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

    def __init__(self, endpoint: str, *, museum: str | None = None, timeout: float = 60.0, max_retries: int = 5,
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
        attempt = 0
        while True:
            try:
                return self._attempt(params)
            except _Retryable as exc:
                attempt += 1
                if attempt > self.max_retries:
                    raise self._fail(f"{exc.reason}; gave up after {attempt} attempts") from None
                wait = exc.retry_after
                if wait is None:
                    wait = self.backoff * (2 ** (attempt - 1)) * (1 + random.random() / 4)
                if wait > self.max_wait:
                    raise self._fail(f"{exc.reason}; the endpoint asks to retry in {wait:.0f} s, more than "
                                     f"the {self.max_wait:.0f} s this harvest waits") from None
                self.sleep(wait)

    def _attempt(self, params: dict[str, str]) -> OAIResponse:
        url = self.endpoint
        query: dict[str, str] | None = params
        for _ in range(MAX_REDIRECTS + 1):
            deadline = time.monotonic() + self.timeout
            try:
                response = self.session.get(url, params=query, timeout=(self.timeout, self.timeout), stream=True,
                                            allow_redirects=False)
            except requests.Timeout:
                raise _Retryable(f"no answer from {url} within {self.timeout:.0f} s") from None
            except requests.ConnectionError as exc:
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
                body = self._read_body(response, deadline)
                return self._parse(body, response.url, response.headers.get("Content-Type", ""))
        raise self._fail(f"more than {MAX_REDIRECTS} redirects from {self.endpoint}")

    def _read_body(self, response: requests.Response, deadline: float) -> bytes:
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
                if time.monotonic() > deadline:
                    raise _Retryable(f"the response took longer than {self.timeout:.0f} s to arrive")
                chunks.append(chunk)
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError) as exc:
            raise _Retryable(f"the connection broke while reading the response ({exc.__class__.__name__})") from None
        except requests.Timeout:
            raise _Retryable(f"the response stalled for more than {self.timeout:.0f} s") from None
        return b"".join(chunks)

    def _parse(self, body: bytes, url: str, content_type: str) -> OAIResponse:
        clean, replaced = sanitise_xml(body)
        try:
            root = etree.fromstring(clean, strict_parser())
        except etree.XMLSyntaxError as exc:
            what = describe_body(body, content_type)
            if what.startswith("an HTML page"):
                raise self._fail(f"the endpoint answered {what} instead of OAI-PMH") from None
            # A page cut off in transit (or by the museum's server) is worth another try.
            raise _Retryable(f"the response is not well-formed XML ({exc.msg}, line {exc.lineno}): truncated?") \
                from None
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


class _NoCredentials(requests.auth.AuthBase):
    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        self.reason = reason
        self.retry_after = retry_after
        super().__init__(reason)
