"""GetRecord (OAI-PMH 2.0 section 4.1): one record, as it is now, in one format."""

from __future__ import annotations

from lxml import etree

from musenor.oai_server.oai.arguments import OAIRequest, VerbArguments
from musenor.oai_server.oai.dissemination import current_header, record_element
from musenor.oai_server.oai.envelope import sub
from musenor.oai_server.oai.errors import CannotDisseminateFormat, IdDoesNotExist
from musenor.oai_server.oai.repository import Repository

ARGUMENTS = VerbArguments(required=frozenset({"identifier", "metadataPrefix"}))


def respond(request: OAIRequest, repository: Repository, root: etree._Element) -> None:
    prefix = request.metadata_prefix
    assert prefix is not None and request.identifier is not None
    record = repository.listing.record(request.identifier)
    if record is None:
        raise IdDoesNotExist()
    if prefix not in repository.formats:
        raise CannotDisseminateFormat()
    element = sub(root, "GetRecord")
    if record_element(element, current_header(record), record, prefix, repository.disseminator) is None:
        raise CannotDisseminateFormat(f"the record {record.identifier} cannot be disseminated as {prefix}")
