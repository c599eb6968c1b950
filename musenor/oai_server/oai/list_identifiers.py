"""ListIdentifiers (OAI-PMH 2.0 section 4.3): headers of the records of a list, deleted ones included.

Every record is listed for every offered format: each format renders every record of the profile, and
rendering a whole list to find the rare failure would make this verb as slow as ListRecords.
"""

from __future__ import annotations

from lxml import etree

from musenor.catalogue.listing import Header
from musenor.oai_server.oai import paging
from musenor.oai_server.oai.arguments import OAIRequest, VerbArguments
from musenor.oai_server.oai.dissemination import header_bytes
from musenor.oai_server.oai.envelope import sub
from musenor.oai_server.oai.repository import Repository

ARGUMENTS = VerbArguments(required=frozenset({"metadataPrefix"}), optional=frozenset({"from", "until", "set"}),
                          resumable=True)


def respond(request: OAIRequest, repository: Repository, root: etree._Element) -> bytes:
    state = paging.start(request, repository)
    element = sub(root, "ListIdentifiers")

    def write(header: Header, record: None) -> bytes:
        return header_bytes(header)

    return paging.write_page(request, repository, element, state, write)
