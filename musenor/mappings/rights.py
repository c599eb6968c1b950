"""Rights statements: every known spelling to its current statement, and Europeana's list of what it accepts.

Museum exports name rights in many ways for the same statement: Creative Commons with ``https:``, without the
trailing slash, with ``deed.de`` (``musenor.vocabularies.normalise.canonical_uri`` folds those), Europeana's own
rights URIs of 2012-2016 (``http://www.europeana.eu/rights/rr-f/``...) that it replaced by rightsstatements.org
in 2016, and the Deutsche Digitale Bibliothek's licence URIs (``canonical_uri`` spells those as the statements
they became). ``rights_statement`` gives the statement a source's text means today, reading first the museum's
own wording from ``musenor.toml`` (``[museums.X.rights_map]``); the dialects keep the source's text beside it
(``dc:rights``) whenever it is not already the statement's own URI.

Europeana accepts in ``edm:rights`` only the statements of its Available Rights Statements list (EDM.xsd,
``EDM-EXTERNAL-MAIN.xsd`` ``license_patterns``): the Creative Commons licences and public-domain tools, and six
of the twelve rightsstatements.org statements. Anything else (UND, NKC, InC-NC, Etalab's Licence Ouverte...)
cannot be said in Europeana's terms: the EDM output says ``CNE`` (copyright not evaluated in Europeana's
vocabulary) and keeps the statement as text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from rdflib import URIRef

from musenor.mappings.namespaces import EDM
from musenor.mappings.triples import RecordTriples
from musenor.vocabularies.normalise import canonical_uri, fold

RIGHTS_STATEMENTS = "http://rightsstatements.org/vocab/"
NOT_EVALUATED = "http://rightsstatements.org/vocab/CNE/1.0/"
IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/"

# EDM.xsd's license_patterns, as Europeana's ingestion checks edm:rights (CC ports as Creative Commons lists them).
_CC_PERMISSIONS = r"(?:by|by-sa|by-nd|by-nc|by-nc-sa|by-nc-nd)"
EUROPEANA_LIST = re.compile(
    r"^http://(?:"
    r"creativecommons\.org/licenses/(?:by|by-sa|by-nd|by-nc|by-nc-sa|by-nc-nd|by-nd-nc)/1\.0/(?:(?:fi|il|nl)/)?"
    rf"|creativecommons\.org/licenses/{_CC_PERMISSIONS}/4\.0/"
    rf"|creativecommons\.org/licenses/{_CC_PERMISSIONS}/2\.0/"
    r"(?:(?:au|at|be|br|ca|cl|hr|uk|fr|de|it|jp|nl|pl|kr|es|tw)/)?"
    rf"|creativecommons\.org/licenses/{_CC_PERMISSIONS}/2\.1/(?:au|es|jp)/"
    rf"|creativecommons\.org/licenses/{_CC_PERMISSIONS}/2\.5/(?:(?:ar|au|br|bg|ca|cn|co|hr|dk|hu|in|il|it|mk|my|mt|mx"
    r"|nl|pe|pl|pt|scotland|si|za|es|se|ch|tw)/)?"
    rf"|creativecommons\.org/licenses/{_CC_PERMISSIONS}/3\.0/(?:(?:au|at|br|cl|cn|cr|hr|cz|ec|eg|ee|fr|de|gr|gt|hk|igo"
    r"|ie|it|lu|nl|nz|no|ph|pl|pt|pr|ro|rs|sg|za|es|ch|tw|th|ug|us|ve|vn)/)?"
    r"|creativecommons\.org/publicdomain/(?:zero|mark)/1\.0/"
    r"|rightsstatements\.org/vocab/(?:NoC-NC|NoC-OKLR|InC|InC-EDU|InC-OW-EU|CNE)/1\.0/"
    r")$")

def current_statement(text: str) -> str | None:
    """The current rights statement URI that ``text`` spells (any known spelling), or None for a text that is
    no rights URI we know (a museum's own wording, Etalab's licence...)."""
    uri = canonical_uri(text)
    if uri and uri.startswith((RIGHTS_STATEMENTS, "http://creativecommons.org/")):
        return uri
    return None


def rights_statement(text: str, rights_map: Mapping[str, str] | None = None) -> str | None:
    """The statement a source's rights text means: the museum's own wording as ``musenor.toml`` maps it
    (compared case-, accent- and space-insensitively), else any known spelling of a statement URI, else None."""
    if rights_map:
        key = wording_key(text)
        for wording, statement in rights_map.items():
            if wording_key(wording) == key:
                return current_statement(statement) or statement
    return current_statement(text)


def is_own_spelling(text: str, statement: str) -> bool:
    """Whether ``text`` is the statement's own URI in another spelling (https:, no trailing slash, deed.fr),
    which says nothing more; a retired URI or a museum's words are the source's statement, kept as text."""
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", text.strip()).split("/", 1)[0].lower()
    return host == statement.split("/")[2] and current_statement(text) == statement


def wording_key(text: str) -> str:
    return " ".join(fold(text).split())


def europeana_statement(text: str | None) -> str | None:
    """The statement as Europeana accepts it in ``edm:rights``, or None when it is not on Europeana's list."""
    if text is None:
        return None
    uri = current_statement(str(text)) or str(text).strip()
    return uri if EUROPEANA_LIST.match(uri) else None


OFF_EUROPEANA_LIST = "europeana-rights"  # the worklist (``musenor status``) of statements Europeana refuses


def statements_off_europeana_list(graph: RecordTriples, record: URIRef) -> list[str]:
    """The rights statements of a record (its aggregation and its web resources) that Europeana does not accept,
    for the curators' worklist: the EDM output says CNE for them."""
    resources = [record, *graph.objects(record, EDM.isShownBy), *graph.objects(record, EDM.hasView)]
    found = {str(o) for r in resources for o in graph.objects(r, EDM.rights)}
    return sorted(s for s in found if europeana_statement(s) is None)


def count_off_europeana_list(graph: RecordTriples, record: URIRef, unmatched: Counter[tuple[str, str]]) -> None:
    """Each statement of the record that Europeana refuses, counted on the harvest's unmatched-terms worklist."""
    for statement in statements_off_europeana_list(graph, record):
        unmatched[(OFF_EUROPEANA_LIST, statement)] += 1
