"""ListMetadataFormats (OAI-PMH 2.0 section 4.4): the formats of the repository, or of one item."""

from __future__ import annotations

from lxml import etree

from musenor.oai_server.oai.arguments import OAIRequest, VerbArguments
from musenor.oai_server.oai.dissemination import CannotRender
from musenor.oai_server.oai.envelope import sub
from musenor.oai_server.oai.errors import IdDoesNotExist, NoMetadataFormats
from musenor.oai_server.oai.repository import Repository

ARGUMENTS = VerbArguments(optional=frozenset({"identifier"}))


def respond(request: OAIRequest, repository: Repository, root: etree._Element) -> None:
    prefixes = sorted(repository.formats)
    if request.identifier is not None:
        record = repository.listing.record(request.identifier)
        if record is None:
            raise IdDoesNotExist()
        if not record.deleted:
            # An item's formats are those that can render it; a deleted item's header goes out in any.
            prefixes = [p for p in prefixes if _renders(repository, record, p)]
    if not prefixes:
        raise NoMetadataFormats()
    element = sub(root, "ListMetadataFormats")
    for prefix in prefixes:
        fmt = repository.formats[prefix]
        item = sub(element, "metadataFormat")
        sub(item, "metadataPrefix", prefix)
        sub(item, "schema", fmt.schema or "")
        sub(item, "metadataNamespace", fmt.namespace or "")


def _renders(repository: Repository, record, prefix: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        repository.disseminator.metadata(record, prefix)
    except CannotRender:
        return False
    return True
