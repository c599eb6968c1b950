"""ListRecords (OAI-PMH 2.0 section 4.5): the records of a list in one format, deleted ones as headers.

A record the format cannot render is left out of the list (and logged), never a server error.
"""

from __future__ import annotations

from lxml import etree

from musenor.catalogue.listing import Header, ListedRecord
from musenor.oai_server.oai import paging
from musenor.oai_server.oai.arguments import OAIRequest, VerbArguments
from musenor.oai_server.oai.dissemination import record_bytes
from musenor.oai_server.oai.envelope import sub
from musenor.oai_server.oai.repository import Repository

ARGUMENTS = VerbArguments(required=frozenset({"metadataPrefix"}), optional=frozenset({"from", "until", "set"}),
                          resumable=True)


def respond(request: OAIRequest, repository: Repository, root: etree._Element) -> bytes:
    state = paging.start(request, repository)
    element = sub(root, "ListRecords")
    version = repository.disseminator.renderer_version

    def read(identifiers: list[str]) -> dict[str, ListedRecord]:
        return repository.listing.listed(identifiers, state.prefix, version)

    def write(header: Header, record: ListedRecord | None) -> bytes | None:
        return record_bytes(header, record, state.prefix, repository.disseminator)

    return paging.write_page(request, repository, element, state, write, read_records=read)
