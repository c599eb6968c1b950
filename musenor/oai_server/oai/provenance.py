"""The ``about`` container of re-exposed records: where a record harvested over OAI-PMH came from.

OAI-PMH 2.0 section 2.5 and the OAI provenance guidelines
(http://www.openarchives.org/OAI/2.0/guidelines-provenance.htm): a repository that re-exposes harvested
metadata describes the origin in ``about/provenance/originDescription``: the source repository's base URL,
the record's identifier and datestamp there, the namespace of the metadata harvested, and when. ``altered``
is always true: the hub maps the source into its own graph and renders every format from it.

Only records harvested over OAI-PMH get one; a file export has no base URL, identifier or datestamp in
the protocol's sense (its origin is in the record's PROV-O triples instead).
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

from lxml import etree

from musenor.catalogue import HarvestRun
from musenor.catalogue.ledger import Ledger, LedgerError
from musenor.catalogue.listing import ListedRecord
from musenor.oai_server.oai.envelope import sub
from musenor.oai_server.oai.xmltext import clean

NAMESPACE = "http://www.openarchives.org/OAI/2.0/provenance"
SCHEMA = "http://www.openarchives.org/OAI/2.0/provenance.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_SOURCE_KIND = "oai-pmh"
# provenance:UTCdatetimeType is xs:date or xs:dateTime; a source's odd datestamp leaves the origin out.
UTC_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?Z)?$")
RUN_CACHE_SIZE = 4096


@dataclass(frozen=True)
class Origin:
    base_url: str
    identifier: str
    datestamp: str
    metadata_namespace: str
    harvest_date: str


class Origins:
    """Finds each record's origin. Harvest runs are read once (a finished run never changes), and so is the
    namespace of each run's records: a run harvests one metadataPrefix of one repository, whose namespace
    ListMetadataFormats declares once (OAI-PMH 2.0 section 4.4), so the root of the first raw record read
    names it for the run, and a list page reads no record's raw bytes (a LIDO record's are tens of kB)."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self._runs: dict[int, HarvestRun | None] = {}
        self._namespaces: dict[int, str] = {}
        self._lock = threading.Lock()

    def _run(self, run_id: int) -> HarvestRun | None:
        with self._lock:
            if run_id in self._runs:
                return self._runs[run_id]
        try:
            run: HarvestRun | None = self.ledger.run(run_id)
        except LedgerError:
            run = None
        with self._lock:
            if len(self._runs) >= RUN_CACHE_SIZE:
                self._runs.clear()
            self._runs[run_id] = run
        return run

    def _namespace(self, record: ListedRecord, run_id: int) -> str | None:
        with self._lock:
            if run_id in self._namespaces:
                return self._namespaces[run_id]
        row = self.ledger.conn.execute("SELECT raw FROM records WHERE identifier = ?", (record.identifier,)).fetchone()
        raw = row[0] if row is not None else None
        namespace = _root_namespace(bytes(raw)) if raw else None
        if namespace is not None:  # a record without one says nothing of its run's other records
            with self._lock:
                if len(self._namespaces) >= RUN_CACHE_SIZE:
                    self._namespaces.clear()
                self._namespaces[run_id] = namespace
        return namespace

    def origin(self, record: ListedRecord) -> Origin | None:
        if record.run_id is None or not record.source_url or not record.source_datestamp:
            return None
        run = self._run(record.run_id)
        if run is None or run.source_kind != OAI_SOURCE_KIND or not run.source_url:
            return None
        # The harvester keeps each record's GetRecord URL: its identifier argument is the source's identifier.
        identifier = parse_qs(urlsplit(record.source_url).query).get("identifier", [None])[0]
        if not identifier or not UTC_DATETIME.match(record.source_datestamp):
            return None
        namespace = self._namespace(record, record.run_id)
        if not namespace:
            return None
        return Origin(run.source_url, identifier, record.source_datestamp, namespace, run.started)


def _root_namespace(raw: bytes) -> str | None:
    try:
        for _, element in etree.iterparse(io.BytesIO(raw), events=("start",), resolve_entities=False,
                                          no_network=True, huge_tree=False):
            return etree.QName(element).namespace
    except etree.XMLSyntaxError:
        return None
    return None


def _uri(text: str) -> str:
    """As an xs:anyURI: characters a URI cannot hold (a space in a museum's identifier) percent-encoded."""
    return quote(clean(text), safe=":/?#[]@!$&'()*+,;=%~-._")


def about_element(parent: etree._Element, origin: Origin) -> etree._Element:
    about = sub(parent, "about")
    provenance = etree.SubElement(about, f"{{{NAMESPACE}}}provenance", nsmap={None: NAMESPACE, "xsi": XSI})
    provenance.set(f"{{{XSI}}}schemaLocation", f"{NAMESPACE} {SCHEMA}")
    description = etree.SubElement(provenance, f"{{{NAMESPACE}}}originDescription",
                                   harvestDate=origin.harvest_date, altered="true")
    for name, value in (("baseURL", origin.base_url), ("identifier", origin.identifier),
                        ("datestamp", origin.datestamp), ("metadataNamespace", origin.metadata_namespace)):
        etree.SubElement(description, f"{{{NAMESPACE}}}{name}").text = _uri(value) if name != "datestamp" else value
    return about
