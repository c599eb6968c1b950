"""ListSets (OAI-PMH 2.0 section 4.6): the set hierarchy with names and oai_dc descriptions.

Paged like the other lists, with a keyset cursor on the set spec.
"""

from __future__ import annotations

from lxml import etree

from musenor.catalogue.ledger import format_datestamp, utc_now
from musenor.oai_server.oai.arguments import OAIRequest, VerbArguments
from musenor.oai_server.oai.envelope import sub
from musenor.oai_server.oai.errors import BadResumptionToken, NoSetHierarchy
from musenor.oai_server.oai.repository import Repository
from musenor.oai_server.oai.tokens import ResumptionToken
from musenor.oai_server.oai.xmltext import clean

ARGUMENTS = VerbArguments(resumable=True)

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def respond(request: OAIRequest, repository: Repository, root: etree._Element) -> None:
    if request.resumption_token is not None:
        token = repository.tokens.decode(request.resumption_token, request.verb)
        after, position, until = token.after[1], token.position, token.until
    else:
        after, position, until = None, 0, format_datestamp(utc_now())
    sets = repository.sets()
    if not sets:
        raise NoSetHierarchy()
    remaining = [s for s in sets if after is None or s.spec > after]
    page = remaining[:repository.page_size]
    if not page:
        raise BadResumptionToken("the set hierarchy changed since this resumptionToken was issued")
    element = sub(root, "ListSets")
    for description in page:
        item = sub(element, "set")
        sub(item, "setSpec", description.spec)
        sub(item, "setName", clean(description.name))
        texts = [(lang, clean(text)) for lang, text in description.descriptions if text]
        if texts:
            dc = etree.SubElement(sub(item, "setDescription"), f"{{{OAI_DC_NS}}}dc",
                                  nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS})
            dc.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
            for lang, text in texts:
                etree.SubElement(dc, f"{{{DC_NS}}}description", {XML_LANG: lang}).text = text
    attributes = {"completeListSize": str(len(sets)), "cursor": str(position)}
    if len(remaining) > len(page):
        token = ResumptionToken(request.verb, None, None, None, until, ("", page[-1].spec),
                                position + len(page), len(sets))
        text, expires = repository.tokens.encode(token)
        sub(element, "resumptionToken", text, expirationDate=expires.strftime("%Y-%m-%dT%H:%M:%SZ"), **attributes)
    elif after is not None:
        sub(element, "resumptionToken", **attributes)
