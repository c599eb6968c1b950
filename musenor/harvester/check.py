"""``musenor check-source CODE``: try a museum's source before trusting it with a harvest.

What REPOX and Europeana Metis give their operators: connect to the source (OAI-PMH ``Identify`` and
``ListMetadataFormats``; a file export's first page of records), map a sample of records with the museum's
dialect, render each into every format the hub republishes, validate the EDM against its schema, and say
what would be published — without publishing anything: the ledger is never opened, and whatever the
source writes while reading (POP images, downloaded exports) goes to a temporary folder.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from musenor.catalogue import HubConfig
from musenor.harvester.run import mapping_context
from musenor.harvester.sources import Source, SourceError, source_for
from musenor.mappings import MappingContext, MappingError, RenderContext, get_dialect, oai_formats
from musenor.mappings.namespaces import bind_prefixes
from musenor.mappings.rendering import Triple, record_triples
from musenor.mappings.triples import RecordTriples

EDM_SCHEMA = Path(__file__).resolve().parents[1] / "mappings" / "formats" / "schemas" / "edm.xsd"
DEFAULT_SAMPLE = 5


@dataclass
class SampleRecord:
    """One record of the sample: where it came from, what it maps to and what is wrong with it."""

    position: str
    local_id: str | None = None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    unmatched: list[tuple[str, str]] = field(default_factory=list)
    turtle: str | None = None
    deleted: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class SourceCheck:
    museum: str
    kind: str
    location: str
    facts: list[tuple[str, str]] = field(default_factory=list)  # what the connection learnt, in order
    samples: list[SampleRecord] = field(default_factory=list)
    failure: str | None = None  # the source as a whole cannot be harvested

    @property
    def ok(self) -> bool:
        return self.failure is None and bool(self.samples) and all(s.ok for s in self.samples)

    @property
    def verdict(self) -> str:
        if self.failure:
            return f"cannot be harvested: {self.failure}"
        if not self.samples:
            return "the source answered but gave no record"
        good = sum(s.ok for s in self.samples)
        if good == len(self.samples):
            return f"ready: {good} of {len(self.samples)} sample records map and validate"
        return f"{len(self.samples) - good} of {len(self.samples)} sample records fail (see each reason)"


@cache
def edm_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(EDM_SCHEMA)))


def _oai_facts(source: Any) -> list[tuple[str, str]]:
    """Identify and ListMetadataFormats, as an operator wants them said; raises SourceError when the
    endpoint is not OAI-PMH or does not offer the prefix the museum asks for."""
    identify = source.client.request(verb="Identify")
    facts = [(name, identify.find(f".//oai:{name}").text or "") for name in
             ("repositoryName", "protocolVersion", "earliestDatestamp", "granularity", "deletedRecord")
             if identify.find(f".//oai:{name}") is not None]
    formats = source.client.request(verb="ListMetadataFormats")
    prefixes = [e.text or "" for e in formats.findall(".//oai:metadataPrefix")]
    facts.append(("metadata formats", ", ".join(prefixes)))
    if source.metadata_prefix not in prefixes:
        raise SourceError(f"the endpoint does not offer metadataPrefix {source.metadata_prefix!r} "
                          f"(it offers {', '.join(prefixes) or 'none'})")
    return facts


def check_source(config: HubConfig, code: str, *, sample: int = DEFAULT_SAMPLE, vocabularies: Any = None,
                 context: MappingContext | None = None) -> SourceCheck:
    """Connect to museum ``code``'s source, map and validate up to ``sample`` records; publish nothing."""
    museum = config.museum(code)
    with tempfile.TemporaryDirectory(prefix=f"musenor-check-{museum.code}-") as scratch:
        source = source_for(museum, replace(config, data_dir=Path(scratch)))
        check = SourceCheck(museum=museum.code, kind=museum.source_kind, location=_location(source))
        try:
            if hasattr(source, "metadata_prefix") and hasattr(source, "client"):
                check.facts += _oai_facts(source)
            records = _first_records(source, sample, check)
        except SourceError as exc:
            check.failure = exc.reason
            return check
        finally:
            source.close()
        context = context or mapping_context(config, museum, source, vocabularies)
        render = RenderContext(uris=context.uris, hub_name=config.repository_name,
                               museum_names={c: m.name for c, m in config.museums.items()},
                               vocabularies=vocabularies)
        for record in records:
            check.samples.append(_check_record(source, record, context, render))
    return check


def _location(source: Source) -> str:
    try:
        return source.source_url
    except (SourceError, NotImplementedError, OSError):
        return str(source.settings.get("url") or source.settings.get("endpoint") or source.settings.get("path"))


def _first_records(source: Source, sample: int, check: SourceCheck) -> list[Any]:
    records: list[Any] = []
    for page in source.pages(checkpoint=None, from_datestamp=None, full=True):
        if page.complete_list_size is not None:
            check.facts.append(("completeListSize", str(page.complete_list_size)))
        for error in page.errors[:sample]:
            check.samples.append(SampleRecord(position=str(error[0]), problems=[str(error[1])],
                                              local_id=error[3] if len(error) > 3 else None))
        records += page.records[:sample - len(records)]
        break  # the first page is enough to judge; the rest would be a harvest
    return records


def _check_record(source: Source, record: Any, context: MappingContext, render: RenderContext) -> SampleRecord:
    checked = SampleRecord(position=record.position, local_id=record.local_id, deleted=record.deleted)
    if record.deleted:
        return checked
    try:
        mapped = get_dialect(record.dialect or source.dialect).load()(record.raw, context)
    except MappingError as exc:
        checked.problems.append(f"does not map: {exc.reason}")
        return checked
    checked.local_id = mapped.local_id
    checked.warnings = list(mapped.warnings)
    checked.unmapped = sorted(mapped.unmapped)
    checked.unmatched = sorted(mapped.unmatched)
    graph = mapped.graph.graph()
    bind_prefixes(graph)  # mappings bind none (they write N-Triples); a curator reads these prefixes
    checked.turtle = graph.serialize(format="turtle")
    for prefix, output in oai_formats().items():
        try:
            rendered = output.load()(_reparsed(mapped.graph), mapped.record_uri, render)
        except Exception as exc:  # noqa: BLE001 - any failure of a format is this record's verdict
            checked.problems.append(f"cannot be disseminated as {prefix}: {exc.__class__.__name__}: {exc}")
            continue
        if prefix == "edm" and not edm_schema().validate(rendered):
            error = edm_schema().error_log.last_error
            checked.problems.append(f"its EDM is not valid: line {error.line}: {error.message}")
    return checked


def _reparsed(graph: RecordTriples) -> list[Triple]:
    """The triples as the OAI renderings read them back from the ledger (N-Triples), not as the dialect built
    them."""
    return record_triples(graph.ntriples())
