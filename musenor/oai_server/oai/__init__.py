"""The OAI-PMH 2.0 endpoint at ``/oai``: six verbs over GET and POST, every answer a valid envelope.

- Arguments are checked first (``arguments.py``), then the verb runs (``dispatch.VERBS``); protocol errors
  are answered with HTTP 200 inside the envelope (section 3.6), anything else is logged and answered as a
  500 without leaking internals.
- Lists are stable while harvests publish: resumption tokens are signed and carry the ``until`` fixed at
  the first request and a keyset cursor (``paging.py``, ``tokens.py``, ``musenor.catalogue.listing``).
- Bodies are gzip- or deflate-encoded when the client accepts it. The XML names ``static/oai.xsl``; a
  browser (Accept prefers text/html to XML) gets that stylesheet's page rendered by the server, since
  browsers are dropping XSLT. Harvesters, which send no Accept, ``*/*`` or an XML type, get the XML.
- At most ``OAI_MAX_CONCURRENT`` requests are answered at once; one that waits more than
  ``OAI_QUEUE_SECONDS`` for its turn gets 503 with ``Retry-After: OAI_RETRY_AFTER`` (section 3.1.2.2
  flow control), rather than a timeout. ``OAI_RENDER_CACHE`` rendered metadata are kept (LRU).
"""

from __future__ import annotations

import gzip
import logging
import threading
import zlib
from datetime import datetime
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, request, url_for
from lxml import etree
from werkzeug.datastructures import MultiDict

from musenor.oai_server.http_cache import OAI_RECORD_CACHE, entity_tag, if_current, last_modified, stamp
from musenor.oai_server.oai.arguments import OAIRequest, parse_request
from musenor.oai_server.oai.dispatch import VERB_ARGUMENTS, VERBS
from musenor.oai_server.oai.envelope import envelope, error_document, serialise
from musenor.oai_server.oai.errors import OAIError
from musenor.oai_server.oai.repository import Repository

log = logging.getLogger(__name__)

blueprint = Blueprint("oai", __name__, static_folder="static", static_url_path="/oai/static")

DEFAULTS = {"OAI_MAX_CONCURRENT": 8, "OAI_QUEUE_SECONDS": 2.0, "OAI_RETRY_AFTER": 30, "OAI_RENDER_CACHE": 4096}
STYLESHEET = "/oai/static/oai.xsl"
# The page the stylesheet makes keeps its style in a <style> element; nothing else is inline.
PAGE_POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'"
_stylesheets = threading.local()  # an XSLT object per thread (lxml's are not to be shared while running)
MEDIA_TYPE = "text/xml; charset=utf-8"
SLOTS = "musenor.oai_slots"
REPOSITORY = "musenor.oai"


def init_app(app: Flask) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.extensions[SLOTS] = threading.BoundedSemaphore(int(app.config["OAI_MAX_CONCURRENT"]))
    app.extensions[f"{REPOSITORY}.lock"] = threading.Lock()


def current_repository() -> Repository:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    repository = app.extensions.get(REPOSITORY)
    if repository is None:
        with app.extensions[f"{REPOSITORY}.lock"]:
            repository = app.extensions.get(REPOSITORY)
            if repository is None:
                repository = Repository.build(app.config["MUSENOR"], app.extensions["musenor.catalogue"],
                                              render_cache=int(app.config["OAI_RENDER_CACHE"]))
                app.extensions[REPOSITORY] = repository
    return repository


def _parameters() -> MultiDict[str, str]:
    # Section 3.1.1.2: POST carries the arguments as application/x-www-form-urlencoded in the body.
    if request.method == "POST":
        return request.form if request.mimetype == "application/x-www-form-urlencoded" else MultiDict()
    return request.args


def answer(params: MultiDict[str, str], repository: Repository, stylesheet: str | None = STYLESHEET) -> bytes:
    """The response document to one request's arguments."""
    oai_request: OAIRequest | None = None
    try:
        oai_request = parse_request(params, VERB_ARGUMENTS)
        root = envelope(repository.base_url, oai_request.verb, oai_request.arguments)
        # A list verb gives its items as bytes, to be put in their place as they are (envelope.splice_point).
        items = VERBS[oai_request.verb].respond(oai_request, repository, root)
    except OAIError as error:
        verb = oai_request.verb if oai_request is not None else None
        arguments = oai_request.arguments if oai_request is not None else {}
        root, items = error_document(repository.base_url, verb, arguments, error), None
    return serialise(root, stylesheet, items)


def _coding() -> str:
    """gzip or deflate (zlib, RFC 1950, as HTTP's 'deflate' is) when the client accepts one, else identity."""
    accepted = request.accept_encodings
    if accepted["gzip"] and accepted["gzip"] >= accepted["deflate"]:
        return "gzip"
    return "deflate" if accepted["deflate"] else "identity"


# Level 1, nginx's default gzip_comp_level: on a ListRecords page of 100 records it compresses 2.4 times
# faster than level 6 (oai_dc 0.13 against 0.32 ms, LIDO 0.58 against 1.37 ms, benchmarks/bench_oai.py's
# records) for bodies about a quarter larger: a provider's time is what limits a harvest, not the link.
COMPRESSION_LEVEL = 1


def _encode(body: bytes, response: Response) -> bytes:
    response.vary.add("Accept-Encoding")
    coding = _coding()
    if coding == "gzip":
        response.content_encoding = "gzip"
        return gzip.compress(body, compresslevel=COMPRESSION_LEVEL, mtime=0)
    if coding == "deflate":
        response.content_encoding = "deflate"
        return zlib.compress(body, COMPRESSION_LEVEL)
    return body


def _record_validators(params: MultiDict[str, str], repository: Repository) -> tuple[str, datetime] | None:
    """ETag and Last-Modified of a GetRecord answer, from the record's hub datestamp; None for other verbs.

    The datestamp moves at every republication of the record, so it stands for the record's state; the tag
    also names the format, the page-or-XML choice and the content coding, each a different representation.
    """
    if params.get("verb") != "GetRecord" or len(params.getlist("identifier")) != 1 or \
            params.get("metadataPrefix") not in repository.formats:
        return None
    header = repository.listing.header(params["identifier"])
    if header is None:
        return None
    etag = entity_tag("oai-getrecord", header.identifier, header.datestamp, params.get("metadataPrefix"),
                      "html" if _wants_html() else "xml", _coding())
    return etag, last_modified(header.datestamp)


@blueprint.route("/oai", methods=["GET", "POST"])
def endpoint() -> Response:
    slots: threading.BoundedSemaphore = current_app.extensions[SLOTS]
    if not slots.acquire(timeout=float(current_app.config["OAI_QUEUE_SECONDS"])):
        return Response("The OAI-PMH endpoint is busy; retry after the given delay.\n", status=503,
                        mimetype="text/plain", headers={"Retry-After": str(current_app.config["OAI_RETRY_AFTER"])})
    try:
        validators = _record_validators(_parameters(), current_repository())
        if validators is not None:
            current = if_current(*validators, OAI_RECORD_CACHE, vary=("Accept", "Accept-Encoding"))
            if current is not None:
                return current
        # Where the app is mounted under a prefix, the stylesheet is too.
        body = answer(_parameters(), current_repository(), url_for("oai.static", filename="oai.xsl"))
    finally:
        slots.release()
    if _wants_html():
        response = Response(mimetype="text/html")
        response.headers["Content-Security-Policy"] = PAGE_POLICY
        body = _as_html(body)
    else:
        response = Response(mimetype="text/xml")
        response.content_type = MEDIA_TYPE
    response.vary.add("Accept")
    response.set_data(_encode(body, response))
    return stamp(response, *validators, OAI_RECORD_CACHE) if validators else response


def _wants_html() -> bool:
    """A browser that prefers HTML to XML. Harvesters send no Accept, */* or an XML type: they get XML."""
    accepted = request.accept_mimetypes
    return accepted["text/html"] > max(accepted["text/xml"], accepted["application/xml"])


def _as_html(body: bytes) -> bytes:
    # Browsers are dropping XSLT (Chromium warns on every page that uses it): for a person the stylesheet the
    # XML names is applied here instead, so the page reads the same without it.
    transform = getattr(_stylesheets, "transform", None)
    if transform is None:
        path = Path(blueprint.static_folder or "") / "oai.xsl"
        transform = _stylesheets.transform = etree.XSLT(etree.parse(str(path)))
    return b"<!doctype html>\n" + bytes(transform(etree.fromstring(body)))


__all__ = ["answer", "blueprint", "current_repository", "init_app"]
