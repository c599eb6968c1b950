"""GetRecord (OAI-PMH 2.0 section 4.1): one record, as it is now, in one format.

Served as the list verbs serve a page: the record's row without its graph joined with its stored rendering,
put in as bytes (``dissemination.record_bytes``); nothing is parsed or rendered on the request unless the rendering
is missing (a record published since the last rendering pass).
"""

from __future__ import annotations

from lxml import etree

from musenor.oai_server.oai.arguments import OAIRequest, VerbArguments
from musenor.catalogue.listing import Header
from musenor.oai_server.oai.dissemination import record_bytes
from musenor.oai_server.oai.envelope import splice_point, sub
from musenor.oai_server.oai.errors import CannotDisseminateFormat, IdDoesNotExist
from musenor.oai_server.oai.repository import Repository

ARGUMENTS = VerbArguments(required=frozenset({"identifier", "metadataPrefix"}))


def respond(request: OAIRequest, repository: Repository, root: etree._Element) -> bytes:
    prefix = request.metadata_prefix
    assert prefix is not None and request.identifier is not None
    version = repository.disseminator.renderer_version
    record = repository.listing.listed([request.identifier], prefix, version).get(request.identifier)
    if record is None:
        raise IdDoesNotExist()
    if prefix not in repository.formats:
        raise CannotDisseminateFormat()
    header = Header(record.identifier, record.hub_datestamp, record.deleted, record.sets)
    body = record_bytes(header, record, prefix, repository.disseminator)
    if body is None:
        raise CannotDisseminateFormat(f"the record {record.identifier} cannot be disseminated as {prefix}")
    splice_point(sub(root, "GetRecord"))
    return body
