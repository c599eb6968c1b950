"""The response envelope (OAI-PMH 2.0 section 3.2): root element, responseDate, request, then the verb's
element or the errors; serialised as UTF-8 with a stylesheet so that a browser shows a readable page."""

from __future__ import annotations

from datetime import datetime

from lxml import etree

from musenor.catalogue.ledger import format_datestamp, utc_now
from musenor.oai_server.oai.errors import OAIError
from musenor.oai_server.oai.xmltext import clean

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
NSMAP = {None: OAI_NS, "xsi": XSI_NS}


def oai(tag: str) -> str:
    return f"{{{OAI_NS}}}{tag}"


def sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, oai(tag), attributes)
    if text is not None:
        element.text = text
    return element


def envelope(base_url: str, verb: str | None, arguments: dict[str, str], *,
             response_date: datetime | None = None) -> etree._Element:
    """The root element with responseDate and request; ``verb`` None for badVerb and badArgument answers,
    whose request element must carry no attribute (section 3.2)."""
    root = etree.Element(oai("OAI-PMH"), nsmap=NSMAP)
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    sub(root, "responseDate", format_datestamp(response_date or utc_now()))
    request = sub(root, "request", base_url)
    if verb is not None:
        request.set("verb", verb)
        for name in sorted(arguments):
            request.set(name, arguments[name])
    return root


def error_document(base_url: str, verb: str | None, arguments: dict[str, str], error: OAIError) -> etree._Element:
    root = envelope(base_url, verb if error.echo_arguments else None, arguments if error.echo_arguments else {})
    sub(root, "error", clean(error.message), code=error.code)
    return root


# A list's items are concatenated as bytes (stored renderings, headers written as text) rather than built as
# elements: a placeholder element marks where they go, and serialising puts them there.
SPLICE_TAG = "hub-items"


def splice_point(parent: etree._Element) -> etree._Element:
    """The place in ``parent`` where the items given to ``serialise`` as ``items`` go."""
    return etree.SubElement(parent, oai(SPLICE_TAG))


def serialise(root: etree._Element, stylesheet: str | None, items: bytes | None = None) -> bytes:
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n'
    if stylesheet:
        head += f'<?xml-stylesheet type="text/xsl" href="{stylesheet}"?>\n'.encode("utf-8")
    body = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    if items is not None:
        body = body.replace(f"<{SPLICE_TAG}/>".encode(), items, 1)
    return head + body
