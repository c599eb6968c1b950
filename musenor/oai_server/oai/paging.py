"""Incomplete lists and resumption (OAI-PMH 2.0 section 3.5) for ListIdentifiers and ListRecords.

The first request fixes the list: its ``until`` (the stable second before now, or the one asked if
earlier), its size (counted once: the list as of ``until`` does not change) and the keyset cursor. Each
page reads ``page_size`` items after the cursor, then looks for one more deliverable item: only then is
a resumptionToken issued, so the list never ends on an empty page. The page that ends a resumed list
carries an empty resumptionToken with the list size and cursor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from lxml import etree

from musenor.catalogue.listing import Header, Window, in_set
from musenor.oai_server.oai.arguments import OAIRequest
from musenor.oai_server.oai.envelope import splice_point, sub
from musenor.oai_server.oai.errors import BadResumptionToken, CannotDisseminateFormat, NoRecordsMatch, NoSetHierarchy
from musenor.oai_server.oai.repository import Repository
from musenor.oai_server.oai.tokens import ResumptionToken

# An item of the list as bytes, or None when the item cannot be delivered (it is skipped); it is given its
# header and what ``RecordReader`` read for it (None for a deleted header, or when the list reads no record).
ItemWriter = Callable[[Header, Any], "bytes | None"]
# The records of a chunk of headers, by identifier, in one read.
RecordReader = Callable[[list[str]], Mapping[str, Any]]


@dataclass(frozen=True)
class ListState:
    prefix: str
    window: Window
    after: tuple[str, str] | None
    position: int
    complete_list_size: int


def start(request: OAIRequest, repository: Repository) -> ListState:
    """The list's state: from the token, or fixed now from the arguments."""
    if request.resumption_token is not None:
        token = repository.tokens.decode(request.resumption_token, request.verb)
        if token.metadata_prefix not in repository.formats:
            raise BadResumptionToken("the resumptionToken names a format this repository no longer offers")
        return ListState(token.metadata_prefix, Window(token.until, token.from_, token.set_spec), token.after,
                         token.position, token.complete_list_size)
    prefix = request.metadata_prefix
    assert prefix is not None
    if prefix not in repository.formats:
        raise CannotDisseminateFormat()
    if request.set_spec is not None and not repository.sets():
        raise NoSetHierarchy()
    until = repository.listing.stable_until()
    if request.until is not None and request.until < until:
        until = request.until
    window = Window(until, request.from_, request.set_spec)
    if request.from_ is not None and request.from_ > until:
        raise NoRecordsMatch()
    size = repository.listing.count(window)
    if size == 0:
        raise NoRecordsMatch()
    return ListState(prefix, window, None, 0, size)


def write_page(request: OAIRequest, repository: Repository, list_element: etree._Element, state: ListState,
               write_item: ItemWriter, *, read_records: RecordReader | None = None) -> bytes:
    """Write one page of the list; returns its items, concatenated, for the splice point in ``list_element``.
    ``read_records`` reads the records of each chunk of live headers, before their items are written."""
    page_size = repository.page_size
    listing = repository.listing
    items: list[bytes] = []
    last: Header | None = None
    more = False
    cursor = state.after
    while not more:
        headers = listing.headers(state.window, after=cursor, limit=page_size + 1)
        if not headers:
            break
        records = read_records([h.identifier for h in headers if not h.deleted]) if read_records else {}
        for header in headers:
            cursor = header.cursor
            if state.window.set_spec is not None and not in_set(header.sets, state.window.set_spec):
                continue  # the SQL filter already chose; kept as a guard on what goes out
            item = write_item(header, records.get(header.identifier))
            if item is None:
                continue
            if len(items) < page_size:
                items.append(item)
                last = header
            else:  # one more deliverable item: only then is a resumptionToken issued
                more = True
                break
        if len(headers) < page_size + 1:
            break
    if not items:
        raise NoRecordsMatch("no record of this list can be delivered in this format")
    splice_point(list_element)
    attributes = {"completeListSize": str(state.complete_list_size), "cursor": str(state.position)}
    if more:
        assert last is not None
        token = ResumptionToken(request.verb, state.prefix, state.window.set_spec, state.window.from_,
                                state.window.until, last.cursor, state.position + len(items),
                                state.complete_list_size)
        text, expires = repository.tokens.encode(token)
        sub(list_element, "resumptionToken", text, expirationDate=expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
            **attributes)
    elif state.after is not None:
        sub(list_element, "resumptionToken", **attributes)
    return b"".join(items)
