"""Ingesting a campaign's delivery: a folder or a zip of photographs for one museum.

Files are matched to the museum's live records (``matching``), read for their metadata and stored once
(``store``), then attached to their records as the hub's enrichment: a row per image (``musenor.catalogue.enrichments``)
and the record's enrichment triples (``musenor.mappings.enrichment``) in the ledger, which gives the record a new hub
datestamp so aggregators fetch it again. What cannot be attached is reported by file with the reason; nothing
already published is lost.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from rdflib import Graph, URIRef
from rdflib.namespace import DC

from musenor.campaigns.matching import VIEW_SUFFIX, Match, MatchReport, RecordIndex, RecordNames, match_files, name_key
from musenor.campaigns.settings import Campaign
from musenor.campaigns.store import ImageRejected, content_hash, store_image
from musenor.catalogue import Catalogue
from musenor.catalogue.enrichments import CampaignImage, Enrichments
from musenor.catalogue.ledger import format_datestamp, utc_now
from musenor.mappings.enrichment import campaign_image_graph
from musenor.mappings.namespaces import EDM

MAX_FILE_BYTES = 512 * 1024 * 1024  # a TIFF of a large canvas is big; a larger zip member is not a photograph


class DeliveryError(Exception):
    """A delivery that cannot be read at all (no such folder, not a zip)."""


@dataclass
class IngestReport:
    campaign: str
    museum: str
    attached: list[tuple[str, str, str]] = field(default_factory=list)  # (file, identifier, stored file)
    already: list[tuple[str, str]] = field(default_factory=list)  # (file, identifier it is attached to)
    unmatched: list[str] = field(default_factory=list)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    records_enriched: int = 0


def record_names(catalogue: Catalogue, base: str, museum: str) -> Iterator[RecordNames]:
    """Every live record of a museum with the names it may be photographed under."""
    served = f"{base}/images/{museum}/"
    for record in catalogue.ledger.records(museum, include_deleted=False):
        graph = Graph().parse(data=record.graph or "", format="nt")
        record_uri = URIRef(record.record_uri)
        cho = graph.value(record_uri, EDM.aggregatedCHO)
        inventory = tuple(str(v) for v in graph.objects(cho, DC.identifier)) if cho is not None else ()
        images = [str(o) for p in (EDM.isShownBy, EDM.hasView) for o in graph.objects(record_uri, p)]
        names = tuple(url[len(served):] for url in images if url.startswith(served) and "/" not in url[len(served):])
        yield RecordNames(record.identifier, record.local_id, inventory, names)


TOO_LARGE = f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"


def delivered_files(source: Path) -> Iterator[tuple[str, bytes | str]]:
    """(file name, its bytes or why they cannot be read) of each file of a folder or zip. Only the base name
    counts: a zip's folders (and any ``../``) are not paths the hub writes to."""
    if source.is_dir():
        for path in sorted(source.rglob("*")):
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(source).parts):
                yield path.name, path.read_bytes() if path.stat().st_size <= MAX_FILE_BYTES else TOO_LARGE
        return
    if not source.is_file():
        raise DeliveryError(f"{source}: no such folder or zip file")
    if not zipfile.is_zipfile(source):
        raise DeliveryError(f"{source}: neither a folder nor a zip file")
    with zipfile.ZipFile(source) as archive:
        for member in archive.infolist():
            name = PurePosixPath(member.filename.replace("\\", "/")).name
            if member.is_dir() or not name or name.startswith(".") or "__MACOSX" in member.filename:
                continue
            if member.file_size > MAX_FILE_BYTES:
                yield name, TOO_LARGE
                continue
            try:
                yield name, archive.read(member)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as exc:
                yield name, f"cannot be read from the zip ({exc})"  # a bad CRC, an unknown compression


def stored_stem(match: Match) -> str:
    """The work and view a stored name starts with: ``200411-0`` for the main view, ``200411-verso``."""
    stem = PurePosixPath(match.file).stem
    if match.view:
        suffixed = VIEW_SUFFIX.match(stem)
        stem = suffixed.group("base") if suffixed else stem
    return f"{name_key(stem)[:40]}-{name_key(match.view) or '0'}"


def enrichment_ntriples(images: list[CampaignImage], record_uri: str, base: str, museum: str) -> str | None:
    if not images:
        return None
    return campaign_image_graph(URIRef(record_uri), base, museum, images).serialize(format="nt")


def refresh_enrichment(catalogue: Catalogue, enrichments: Enrichments, base: str, identifier: str) -> bool:
    """Rewrite a record's enrichment triples from its stored images; True when they changed."""
    record = catalogue.ledger.record(identifier)
    if record is None or record.deleted:
        return False
    images = enrichments.of_record(identifier)
    return catalogue.ledger.set_enrichment(identifier, enrichment_ntriples(images, record.record_uri, base,
                                                                           record.museum))


def ingest(catalogue: Catalogue, base: str, campaign: Campaign, museum: str, source: Path) -> IngestReport:
    if not campaign.covers(museum):
        raise DeliveryError(f"campaign {campaign.key} does not cover museum {museum} "
                            f"(it covers {', '.join(campaign.museums)})")
    report = IngestReport(campaign.key, museum)
    enrichments = Enrichments(catalogue.ledger)
    index = RecordIndex(record_names(catalogue, base, museum))
    files = dict(delivered_files(source))
    matches: MatchReport = match_files(files, index)
    report.unmatched, report.ambiguous, report.skipped = matches.unmatched, matches.ambiguous, matches.skipped
    images_dir = Path(catalogue.data_dir) / "images" / museum
    touched: set[str] = set()
    for match in matches.matched:
        data = files[match.file]
        if isinstance(data, str):
            report.rejected.append((match.file, data))
            continue
        holders = [i.identifier for i in enrichments.by_hash(museum, content_hash(data))]
        if holders:
            report.already.append((match.file, holders[0]))
            continue
        try:
            stored = store_image(data, match.file, images_dir, stem=stored_stem(match))
        except ImageRejected as exc:
            report.rejected.append((match.file, exc.reason))
            continue
        meta = stored.metadata
        enrichments.add(CampaignImage(
            sha256=stored.sha256, identifier=match.identifier, museum=museum, campaign=campaign.key,
            file=stored.file, view=match.view, source_name=match.file, media_type=stored.media_type,
            width=stored.width, height=stored.height, photographer=meta.photographer or campaign.photographer,
            taken=meta.taken, credit=meta.copyright or campaign.credit, rights=campaign.rights,
            added=format_datestamp(utc_now())))
        report.attached.append((match.file, match.identifier, stored.file))
        touched.add(match.identifier)
    for identifier in sorted(touched):
        report.records_enriched += refresh_enrichment(catalogue, enrichments, base, identifier)
    return report
