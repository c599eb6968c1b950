"""Identify (OAI-PMH 2.0 section 4.2): the repository, its datestamps and its identifier scheme."""

from __future__ import annotations

from lxml import etree

from musenor.catalogue.ledger import format_datestamp, utc_now
from musenor.oai_server.oai.arguments import OAIRequest, VerbArguments
from musenor.oai_server.oai.envelope import sub
from musenor.oai_server.oai.repository import Repository
from musenor.oai_server.oai.xmltext import clean

ARGUMENTS = VerbArguments()

OAI_IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
COMPRESSIONS = ("gzip", "deflate")


def respond(request: OAIRequest, repository: Repository, root: etree._Element) -> None:
    config = repository.config
    identify = sub(root, "Identify")
    sub(identify, "repositoryName", clean(config.repository_name))
    sub(identify, "baseURL", repository.base_url)
    sub(identify, "protocolVersion", "2.0")
    sub(identify, "adminEmail", config.admin_email)
    # An empty catalogue still answers a datestamp: nothing will be stamped before now.
    sub(identify, "earliestDatestamp", repository.listing.earliest_datestamp() or format_datestamp(utc_now()))
    sub(identify, "deletedRecord", "persistent")
    sub(identify, "granularity", "YYYY-MM-DDThh:mm:ssZ")
    for encoding in COMPRESSIONS:
        sub(identify, "compression", encoding)
    description = sub(identify, "description")
    scheme = etree.SubElement(description, f"{{{OAI_IDENTIFIER_NS}}}oai-identifier",
                              nsmap={None: OAI_IDENTIFIER_NS, "xsi": XSI_NS})
    scheme.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_IDENTIFIER_NS} {OAI_IDENTIFIER_SCHEMA}")
    for tag, text in (("scheme", "oai"), ("repositoryIdentifier", config.repository_identifier),
                      ("delimiter", ":"), ("sampleIdentifier", sample_identifier(repository))):
        etree.SubElement(scheme, f"{{{OAI_IDENTIFIER_NS}}}{tag}").text = text


def sample_identifier(repository: Repository) -> str:
    """A real identifier when the catalogue has one; else one shaped like ours (oai:<repo>:<code>:<local>)."""
    row = repository.listing.ledger.conn.execute(
        "SELECT identifier FROM records ORDER BY identifier LIMIT 1").fetchone()
    if row is not None:
        return row[0]
    code = min(repository.config.museums, default="M0000")
    return f"oai:{repository.config.repository_identifier}:{code}:1"
