"""The ``oai-pmh`` source kind: a museum's OAI-PMH 2.0 data provider (Axiell/Adlib, MuseumPlus, Skinsoft...).

Settings (``[museums.X.source]``):

| key | meaning | default |
|---|---|---|
| ``url`` (or ``endpoint``) | the base URL of the OAI-PMH endpoint (required) | |
| ``metadata_prefix`` | the metadataPrefix asked for | ``lido`` |
| ``dialect`` | the input dialect mapping what that prefix returns (``lido``, ``oai_dc``) | the prefix |
| ``sets`` | list of setSpecs to harvest, one list each (default: the whole repository) | ``[]`` |
| ``timeout`` | seconds one whole response may take, connection and body (a timed-out request is retried once) | ``20`` |
| ``max_retries`` | retries of one request on 429/5xx, broken connections, truncated bodies | ``5`` |
| ``backoff_seconds`` | first wait between retries, doubled at each (``Retry-After`` wins) | ``2`` |
| ``max_wait_seconds`` | longest wait a ``Retry-After`` may ask before the run fails | ``600`` |
| ``max_response_bytes`` | size cap of one response | ``104857600`` (100 MiB) |
| ``auth_env`` | name of an environment variable holding ``user:password`` (or a token, see below) | |
| ``auth_scheme`` | ``basic`` (``user:password``) or ``bearer`` (the variable holds the token) | ``basic`` |
| ``allow_redirect_hosts`` | hosts a redirect may lead to besides the endpoint's own | ``[]`` |
| ``granularity`` | ``auto`` (from Identify), ``YYYY-MM-DD`` or ``YYYY-MM-DDThh:mm:ssZ`` | ``auto`` |
| ``overlap_seconds`` | an incremental harvest asks ``from`` the last successful run's start minus this | ``300`` |

Credentials never sit in the configuration file: only the name of the variable does.

Each page of ``ListRecords`` is one ``SourcePage`` whose checkpoint is the resumptionToken that follows it
(and which set list it belongs to), so a killed harvest resumes with the next page. A list ends properly only
with an empty or absent resumptionToken on a page that brings the count to ``completeListSize``; a token
handed back twice is a loop, and so is a list whose tokens change while its records repeat: it stops after
``STALLED_PAGES`` pages in a row bring no record it has not seen, or when it runs past twice the pages its
``completeListSize`` needs at the size of its first page. A ``badResumptionToken`` raises ``TokenRejected``
(the run restarts the list). A record without a header identifier is its own failure, named by its page and
place in it.
Each record's source URL is its ``GetRecord`` request, which is also how a deleted header finds the record
it deletes.
"""

from __future__ import annotations

import os
from copy import deepcopy
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode, urlsplit

from lxml import etree

from musenor.catalogue import ConfigError, HubConfig, MuseumConfig
from musenor.harvester.oai_client import DEFAULT_TIMEOUT, OAI_NS, OAIClient, OAIProtocolError
from musenor.harvester.sources.base import Source, SourceError, SourcePage, SourceRecord, TokenRejected

DAY = "YYYY-MM-DD"
SECONDS = "YYYY-MM-DDThh:mm:ssZ"
GRANULARITIES = ("auto", DAY, SECONDS)
LIDO_REC_ID = "{http://www.lido-schema.org}lidoRecID"
SETTINGS = {"kind", "endpoint", "url", "metadata_prefix", "dialect", "sets", "timeout", "max_retries",
            "backoff_seconds", "max_wait_seconds", "max_response_bytes", "auth_env", "auth_scheme",
            "allow_redirect_hosts", "granularity", "overlap_seconds", "_base_dir"}
# Settings the dialect reads (context.options) pass through, so any other key is refused by name.
DIALECT_SETTINGS = {"columns", "local_id", "ignore"}

_NS = {"oai": OAI_NS}
STALLED_PAGES = 3  # pages in a row without a record not seen before in the list: it no longer advances


def _number(settings: dict[str, Any], key: str, default: float, *, museum: str, minimum: float = 0,
            integer: bool = False) -> float:
    value = settings.get(key, default)
    kinds = (int,) if integer else (int, float)
    if not isinstance(value, kinds) or isinstance(value, bool) or value < minimum:
        raise ConfigError(f"must be a {'whole ' if integer else ''}number of at least {minimum:g}",
                          key=f"museums.{museum}.source.{key}", museum=museum)
    return value


def standalone(element: etree._Element) -> bytes:
    """The metadata element as its own document, without the envelope's namespace declarations."""
    copy = deepcopy(element)
    etree.cleanup_namespaces(copy)
    return etree.tostring(copy, encoding="UTF-8")


class OAIPMHSource(Source):
    kind = "oai-pmh"
    settings_keys = frozenset(SETTINGS | DIALECT_SETTINGS)
    default_dialect = "lido"
    incremental = True

    def __init__(self, museum: MuseumConfig, hub: HubConfig) -> None:
        super().__init__(museum, hub)
        self._client: OAIClient | None = None

    @classmethod
    def check_settings(cls, museum: MuseumConfig) -> list[ConfigError]:
        problems: list[ConfigError] = []
        settings, code = museum.source, museum.code
        where = f"museums.{code}.source"
        endpoint = settings.get("endpoint", settings.get("url"))
        url_key = f"{where}.{'endpoint' if 'endpoint' in settings else 'url'}"
        if not isinstance(endpoint, str) or urlsplit(endpoint).scheme not in ("http", "https") \
                or not urlsplit(endpoint).hostname:
            problems.append(ConfigError("the endpoint's http(s) base URL is required", key=url_key, museum=code))
        elif urlsplit(endpoint).username or urlsplit(endpoint).password:
            problems.append(ConfigError("credentials do not belong in the URL: name an environment variable in "
                                        "auth_env", key=url_key, museum=code))
        for key in ("metadata_prefix", "dialect"):
            if key in settings and (not isinstance(settings[key], str) or not settings[key].strip()):
                problems.append(ConfigError("must be a non-empty name", key=f"{where}.{key}", museum=code))
        from musenor.mappings import DIALECTS

        dialect = settings.get("dialect", settings.get("metadata_prefix", "lido"))
        if dialect not in DIALECTS:
            problems.append(ConfigError(f"no input dialect {dialect!r} (known: {', '.join(sorted(DIALECTS))}); name one "
                              "in 'dialect'", key=f"{where}.dialect", museum=code))
        for key in ("sets", "allow_redirect_hosts"):
            value = settings.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                problems.append(ConfigError("must be a list of names", key=f"{where}.{key}", museum=code))
        for key, default, minimum, integer in (
                ("timeout", DEFAULT_TIMEOUT, 0.1, False), ("max_retries", 5, 0, True), ("backoff_seconds", 2, 0, False),
                ("max_wait_seconds", 600, 0, False), ("max_response_bytes", 100 * 1024 * 1024, 1024, True),
                ("overlap_seconds", 300, 0, True)):
            try:
                _number(settings, key, default, museum=code, minimum=minimum, integer=integer)
            except ConfigError as exc:
                problems.append(exc)
        if settings.get("granularity", "auto") not in GRANULARITIES:
            problems.append(ConfigError(f"must be one of {', '.join(GRANULARITIES)}", key=f"{where}.granularity", museum=code))
        if "auth_env" in settings and (not isinstance(settings["auth_env"], str) or not settings["auth_env"]):
            problems.append(ConfigError("must name an environment variable (the credentials never sit in this file)",
                              key=f"{where}.auth_env", museum=code))
        if settings.get("auth_scheme", "basic") not in ("basic", "bearer"):
            problems.append(ConfigError("must be 'basic' or 'bearer'", key=f"{where}.auth_scheme", museum=code))
        return problems

    # -- settings ---------------------------------------------------------------------------------

    @property
    def endpoint(self) -> str:
        return str(self.settings.get("endpoint", self.settings.get("url")))

    @property
    def metadata_prefix(self) -> str:
        return str(self.settings.get("metadata_prefix", "lido"))

    @property
    def dialect(self) -> str:
        return str(self.settings.get("dialect", self.metadata_prefix))

    @property
    def source_url(self) -> str:
        return self.endpoint

    def record_url(self, identifier: str) -> str:
        """The GetRecord request of one record: where its raw bytes can be fetched again."""
        return f"{self.endpoint}?{urlencode({'verb': 'GetRecord', 'metadataPrefix': self.metadata_prefix, 'identifier': identifier})}"

    @property
    def client(self) -> OAIClient:
        if self._client is None:
            s = self.settings
            headers, auth = {}, None
            if s.get("auth_env"):
                secret = os.environ.get(s["auth_env"])
                if not secret:
                    raise SourceError(f"the environment variable {s['auth_env']} (auth_env) is not set",
                                      museum=self.museum.code)
                if s.get("auth_scheme", "basic") == "bearer":
                    headers["Authorization"] = f"Bearer {secret}"
                else:
                    user, sep, password = secret.partition(":")
                    if not sep:
                        raise SourceError(f"the environment variable {s['auth_env']} must hold user:password",
                                          museum=self.museum.code)
                    auth = (user, password)
            self._client = OAIClient(
                self.endpoint, museum=self.museum.code, timeout=float(s.get("timeout", DEFAULT_TIMEOUT)),
                max_retries=int(s.get("max_retries", 5)), backoff=float(s.get("backoff_seconds", 2)),
                max_wait=float(s.get("max_wait_seconds", 600)),
                max_response_bytes=int(s.get("max_response_bytes", 100 * 1024 * 1024)),
                headers=headers, auth=auth, allow_redirect_hosts=list(s.get("allow_redirect_hosts", [])),
                user_agent=self.hub.user_agent)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- incremental harvesting ------------------------------------------------------------------------

    def granularity(self) -> str:
        configured = self.settings.get("granularity", "auto")
        if configured != "auto":
            return str(configured)
        identify = self.client.request(verb="Identify")
        found = identify.find("oai:Identify/oai:granularity")
        value = (found.text or "").strip() if found is not None else ""
        # A repository that declares nothing supports days only (OAI-PMH 2.0 section 3.3.2).
        return SECONDS if value == SECONDS else DAY

    def from_datestamp(self, since: datetime) -> str:
        moment = since - timedelta(seconds=int(self.settings.get("overlap_seconds", 300)))
        moment = moment.astimezone(timezone.utc)
        if self.granularity() == SECONDS:
            return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        return moment.strftime("%Y-%m-%d")

    # -- the lists ---------------------------------------------------------------------------------

    def pages(self, *, checkpoint: dict[str, Any] | None, from_datestamp: str | None,
              full: bool) -> Iterator[SourcePage]:
        set_specs: list[str | None] = list(self.settings.get("sets") or []) or [None]
        state = dict(checkpoint or {})
        first_list = int(state.get("list", 0))
        for list_index in range(first_list, len(set_specs)):
            resuming = list_index == first_list and state.get("token")
            token: str | None = state.get("token") if resuming else None
            seen = int(state.get("seen", 0)) if resuming else 0
            list_size = state.get("list_size") if resuming else None
            page_number = int(state.get("page", 0)) if resuming else 0
            issued: set[str] = {token} if token else set()
            progress = ListProgress(self.museum.code)
            while True:
                if token:
                    params = {"verb": "ListRecords", "resumptionToken": token}
                else:
                    params = {"verb": "ListRecords", "metadataPrefix": self.metadata_prefix}
                    if from_datestamp and not full:
                        params["from"] = from_datestamp
                    if set_specs[list_index] is not None:
                        params["set"] = str(set_specs[list_index])
                try:
                    response = self.client.request(**params)
                except OAIProtocolError as exc:
                    if exc.code == "badResumptionToken":
                        raise TokenRejected(f"the endpoint rejected resumptionToken {token!r}: {exc.message}",
                                            museum=self.museum.code) from None
                    raise
                if response.find("oai:error[@code='noRecordsMatch']") is not None:
                    next_token, size = "", list_size
                    page = SourcePage(records=[], checkpoint=None, sanitised=response.sanitised)
                else:
                    body = response.find("oai:ListRecords")
                    if body is None:
                        raise SourceError("the ListRecords response holds no ListRecords element",
                                          museum=self.museum.code)
                    page = self._page(body, response.sanitised, page_number)
                    token_element = body.find("oai:resumptionToken", _NS)
                    next_token = (token_element.text or "").strip() if token_element is not None else ""
                    size_text = token_element.get("completeListSize") if token_element is not None else None
                    size = int(size_text) if size_text and size_text.isdigit() else list_size
                seen += len(page.records) + len(page.errors)
                page_number += 1
                if next_token:
                    progress.check(page, page_number, size)
                    if next_token in issued:
                        raise SourceError(f"the endpoint handed back resumptionToken {next_token!r} a second "
                                          "time: the list would loop forever", museum=self.museum.code)
                    issued.add(next_token)
                elif size is not None and seen < size:
                    raise SourceError(f"the list ended after {seen} of the {size} records announced by "
                                      "completeListSize (a page without its resumptionToken)",
                                      museum=self.museum.code)
                if len(set_specs) == 1:
                    page.complete_list_size = size
                if next_token:
                    page.checkpoint = {"list": list_index, "token": next_token, "seen": seen, "list_size": size,
                                       "page": page_number}
                elif list_index + 1 < len(set_specs):
                    page.checkpoint = {"list": list_index + 1}
                else:
                    page.checkpoint = None
                yield page
                if not next_token:
                    break
                token, list_size = next_token, size
            state = {}

    def _page(self, body: etree._Element, sanitised: int, page_number: int) -> SourcePage:
        page = SourcePage(records=[], checkpoint=None, sanitised=sanitised)
        for place, record in enumerate(body.iterfind("oai:record", _NS), start=1):
            header = record.find("oai:header", _NS)
            identifier_el = header.find("oai:identifier", _NS) if header is not None else None
            identifier = (identifier_el.text or "").strip() if identifier_el is not None else ""
            if not identifier:
                # Nothing names it, so its page and place do: each such record is its own failure.
                page.errors.append((f"(no identifier) page {page_number + 1} of the list, record {place}",
                                    "a record without a header identifier", etree.tostring(record, encoding="UTF-8")))
                continue
            datestamp_el = header.find("oai:datestamp", _NS)
            sets = [(s.text or "").strip() for s in header.iterfind("oai:setSpec", _NS) if (s.text or "").strip()]
            common = dict(position=identifier, datestamp=(datestamp_el.text or "").strip() if datestamp_el is not None
                          else None, source_url=self.record_url(identifier), sets=sets)
            if header.get("status") == "deleted":
                page.records.append(SourceRecord(raw=b"", deleted=True, **common))
                continue
            metadata = record.find("oai:metadata", _NS)
            element = next((c for c in metadata.iterchildren() if isinstance(c.tag, str)), None) \
                if metadata is not None else None
            if element is None:
                page.errors.append((identifier, "the record has no metadata (and is not marked deleted)",
                                    etree.tostring(record, encoding="UTF-8")))
                continue
            rec_id = element.find(LIDO_REC_ID)
            local_id = (rec_id.text or "").strip() or None if rec_id is not None else None
            page.records.append(SourceRecord(raw=standalone(element), local_id=local_id,
                                             **common))
        return page


class ListProgress:
    """Whether a list still advances: endpoints have been seen handing out fresh tokens for pages that
    repeat the same records past ``completeListSize``, which a loop on the token alone never notices."""

    def __init__(self, museum: str) -> None:
        self.museum = museum
        self.identifiers: set[str] = set()
        self.stalled = 0
        self.first_page_size: int | None = None

    def check(self, page: SourcePage, page_number: int, list_size: int | None) -> None:
        """Raise SourceError when the list is not ending: call with each page that has a next token."""
        names = [r.position for r in page.records] + [str(e[0]) for e in page.errors]
        new = {n for n in names if n not in self.identifiers}
        self.identifiers.update(new)
        self.stalled = 0 if new else self.stalled + 1
        if self.stalled >= STALLED_PAGES:
            raise SourceError(f"the list brought no record it had not already given in {self.stalled} pages in a "
                              f"row (page {page_number}): its resumptionTokens change but it does not advance",
                              museum=self.museum)
        if self.first_page_size is None and names:
            self.first_page_size = len(names)
        if list_size and self.first_page_size:
            cap = 2 * -(-list_size // self.first_page_size)
            if page_number >= cap:
                raise SourceError(f"the list goes on past {page_number} pages, twice the {cap // 2} its "
                                  f"completeListSize {list_size} needs at {self.first_page_size} records a page",
                                  museum=self.museum)
