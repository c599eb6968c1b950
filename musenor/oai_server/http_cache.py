"""HTTP caching of the hub's stable answers (RFC 9110 section 8.8, 13; RFC 9111 section 5.2).

A record's representations change only when the record is republished, so the validators are derived from
what the catalogue already knows: the record's hub datestamp (which moves forward at every republication),
or the publish sequence a dump was written at. The validator also names the representation (format, the
content coding, the language of a page), since a strong ETag promises the same bytes. Conditional requests
(If-None-Match, then If-Modified-Since) are answered 304 Not Modified by Werkzeug's evaluation of the
preconditions.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from flask import Response, request

from musenor.catalogue.ledger import parse_datestamp

# Cache-Control by kind of answer. Record descriptions and Linked Art change at a republication, which a
# harvest may bring any hour: caches keep them a little and revalidate (cheap, a 304). OAI GetRecord is
# read by harvesters that revalidate anyway. Dumps are large and rewritten after publishes: revalidate
# after an hour.
RECORD_CACHE = "public, max-age=300, must-revalidate"
OAI_RECORD_CACHE = "public, max-age=60, must-revalidate"
DUMP_CACHE = "public, max-age=3600, must-revalidate"
# Bumped when what a representation holds for the same record changes (a new serialiser, a new field).
REPRESENTATION_VERSION = "1"


def entity_tag(*parts: object) -> str:
    """A strong entity tag naming one representation of one state of a resource."""
    text = "\x1f".join(str(part) for part in (REPRESENTATION_VERSION, *parts))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def last_modified(datestamp: str) -> datetime:
    """A hub datestamp (``YYYY-MM-DDThh:mm:ssZ``) as the aware datetime HTTP's Last-Modified needs."""
    return parse_datestamp(datestamp).replace(tzinfo=timezone.utc)


def not_modified(etag: str, modified: datetime | None) -> bool:
    """Whether the request's conditions say the client already holds this state (RFC 9110 section 13.2.2).

    If-None-Match is decided first and, when present, If-Modified-Since is ignored.
    """
    if request.method not in ("GET", "HEAD"):
        return False
    if request.if_none_match:
        return request.if_none_match.contains(etag)  # weak comparison, as section 13.1.2 requires for GET
    since = request.if_modified_since
    return modified is not None and since is not None and modified.replace(microsecond=0) <= since


def stamp(response: Response, etag: str, modified: datetime | None, cache_control: str) -> Response:
    """``response`` with its validators and its Cache-Control."""
    response.set_etag(etag)
    if modified is not None:
        response.last_modified = modified
    response.headers["Cache-Control"] = cache_control
    return response


def if_current(etag: str, modified: datetime | None, cache_control: str,
               vary: tuple[str, ...] = ("Accept",)) -> Response | None:
    """A 304 when the client already holds this state, before any body is made; None otherwise.

    A 304 carries the validators, Cache-Control and Vary the 200 would have (RFC 9110 section 15.4.5).
    """
    if not not_modified(etag, modified):
        return None
    response = Response(status=304)
    response.vary.update(vary)
    return stamp(response, etag, modified, cache_control)
