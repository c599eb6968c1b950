"""Planning a campaign: per museum, the works that lack a usable image, ranked by what matters.

An image is usable when it answers and its long side reaches the campaign's ``min_long_side``. The hub's own
images (exports' and campaigns') are measured on disk; a museum's remote image is fetched politely
(``LinkChecker``): one request at a time, a pause between two requests to the same host, a timeout, a
User-Agent naming the hub and its contact, and only the first bytes, enough for Pillow to read the size.

Ranking, most urgent first: the work is in a curated set or exhibition; its domain is one the campaign puts
first; its place in the museum's own priority list; then its inventory number.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

import requests
from PIL import Image, ImageFile, UnidentifiedImageError
from rdflib import Graph, URIRef

from musenor.campaigns.matching import name_key
from musenor.campaigns.settings import Campaign
from musenor.catalogue import Catalogue
from musenor.mappings.base import RenderContext
from musenor.mappings.formats.joconde import joconde_fields
from musenor.mappings.namespaces import EDM, MUSENOR

NO_IMAGE, DEAD_LINK, TOO_SMALL = "no image", "dead link", "too small"
PROBE_BYTES = 1 << 20  # a JPEG or PNG states its size in its first kilobytes; a progressive one rarely later
FIELD_SEPARATOR = " ; "


@dataclass(frozen=True)
class ImageCheck:
    usable: bool
    reason: str = ""  # DEAD_LINK or TOO_SMALL when not usable
    detail: str = ""  # "HTTP 404", "640 px"


class LinkChecker:
    """Checks the museums' remote images politely; remembers each URL's answer for the run."""

    def __init__(self, contact: str, *, delay: float = 1.0, timeout: float = 10.0,
                 session: requests.Session | None = None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = f"Musenor hub campaign planner (+mailto:{contact})"
        self.delay, self.timeout = delay, timeout
        self._clock, self._sleep = clock, sleep
        self._last: dict[str, float] = {}
        self._seen: dict[str, tuple[int | None, str]] = {}

    def long_side(self, url: str) -> tuple[int | None, str]:
        """(long side in px, "") or (None, why it is dead)."""
        if url in self._seen:
            return self._seen[url]
        host = urlsplit(url).netloc
        wait = self._last.get(host, float("-inf")) + self.delay - self._clock()
        if wait > 0:
            self._sleep(wait)
        try:
            with self.session.get(url, stream=True, timeout=self.timeout) as response:
                if response.status_code >= 400:
                    found: tuple[int | None, str] = (None, f"HTTP {response.status_code}")
                else:
                    found = _probe(response.iter_content(1 << 14))
        except requests.RequestException as exc:
            found = (None, type(exc).__name__)
        self._last[host] = self._clock()
        self._seen[url] = found
        return found


def _probe(chunks: Iterable[bytes]) -> tuple[int | None, str]:
    parser = ImageFile.Parser()
    read = 0
    for chunk in chunks:
        read += len(chunk)
        try:
            parser.feed(chunk)
        except (OSError, SyntaxError, ValueError):
            return None, "not an image"
        if parser.image is not None:
            return max(parser.image.size), ""
        if read >= PROBE_BYTES:
            break
    return None, "not an image"


def local_long_side(path: Path) -> tuple[int | None, str]:
    try:
        with Image.open(path) as image:
            return max(image.size), ""
    except FileNotFoundError:
        return None, "file missing"
    except (UnidentifiedImageError, OSError) as exc:
        return None, f"unreadable ({exc})"


@dataclass
class PlanItem:
    identifier: str
    museum: str
    local_id: str
    inventory: str
    title: str
    creator: str
    location: str
    domain: str
    thumbnail: str | None
    reason: str
    detail: str = ""
    in_exhibition: bool = False
    in_domain: bool = False
    priority: int | None = None  # place in the museum's own list, from 1

    @property
    def rank_key(self) -> tuple:
        return (not self.in_exhibition, not self.in_domain, self.priority or float("inf"), name_key(self.inventory),
                self.identifier)


@dataclass
class CampaignPlan:
    campaign: Campaign
    items: list[PlanItem] = field(default_factory=list)
    works_checked: int = 0


class ImageJudge:
    """Whether a web resource of a record is usable, for one campaign's minimum size."""

    def __init__(self, data_dir: Path, base: str, min_long_side: int, links: LinkChecker | None) -> None:
        self.images = data_dir / "images"
        self.base, self.min_long_side, self.links = base, min_long_side, links

    def check(self, url: str) -> ImageCheck:
        served = f"{self.base}/images/"
        if url.startswith(served):
            museum, _, file = url[len(served):].partition("/")
            side, why = local_long_side(self.images / museum / file)
        elif self.links is None:
            return ImageCheck(True)  # not checked: taken as usable rather than photographed twice
        else:
            side, why = self.links.long_side(url)
        if side is None:
            return ImageCheck(False, DEAD_LINK, why)
        if side < self.min_long_side:
            return ImageCheck(False, TOO_SMALL, f"{side} px")
        return ImageCheck(True)


def _first(fields: dict[str, str], code: str) -> str:
    return fields.get(code, "").split(FIELD_SEPARATOR)[0]


def plan_campaign(catalogue: Catalogue, context: RenderContext, campaign: Campaign, museums: Iterable[str],
                  links: LinkChecker | None) -> CampaignPlan:
    judge = ImageJudge(Path(catalogue.data_dir), context.uris.base, campaign.min_long_side, links)
    domains = {name_key(d) for d in campaign.domains}
    result = CampaignPlan(campaign)
    for museum in museums:
        priorities = {name_key(n): k for k, n in enumerate(campaign.priorities.get(museum, ()), start=1)}
        for record in catalogue.ledger.records(museum, include_deleted=False):
            result.works_checked += 1
            graph = Graph().parse(data=record.ntriples, format="nt")
            record_uri = URIRef(record.record_uri)
            resources = [str(o) for p in (EDM.isShownBy, EDM.hasView) for o in graph.objects(record_uri, p)]
            checks = [judge.check(url) for url in dict.fromkeys(resources)]
            if any(c.usable for c in checks):
                continue
            worst = next((c for c in checks if c.reason == TOO_SMALL), checks[0] if checks else None)
            fields = joconde_fields(graph, record_uri, context)
            thumbnail = next((str(t) for url in resources for t in graph.objects(URIRef(url), MUSENOR.thumbnail)),
                             None)
            inventory = _first(fields, "INV") or record.local_id
            item_domains = fields.get("DOMN", "").split(FIELD_SEPARATOR)
            result.items.append(PlanItem(
                identifier=record.identifier, museum=museum, local_id=record.local_id, inventory=inventory,
                title=_first(fields, "TITR"), creator=fields.get("AUTR", ""), location=fields.get("LOCA", ""),
                domain=fields.get("DOMN", ""), thumbnail=thumbnail,
                reason=worst.reason if worst else NO_IMAGE, detail=worst.detail if worst else "",
                in_exhibition=any(s.startswith("exhibition:") for s in record.sets),
                in_domain=any(name_key(d) in domains for d in item_domains if d),
                priority=priorities.get(name_key(inventory)) or priorities.get(name_key(record.local_id))))
    result.items.sort(key=lambda item: item.rank_key)
    return result


CSV_COLUMNS = ("rank", "museum", "inventory", "title", "creator", "location", "domain", "reason", "detail",
               "in_exhibition", "priority", "identifier", "thumbnail")


def plan_csv(plan: CampaignPlan) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180, what spreadsheets open
    writer.writerow(CSV_COLUMNS)
    for rank, item in enumerate(plan.items, start=1):
        writer.writerow((rank, item.museum, item.inventory, item.title, item.creator, item.location, item.domain,
                         item.reason, item.detail, "yes" if item.in_exhibition else "",
                         item.priority or "", item.identifier, item.thumbnail or ""))
    return buffer.getvalue()


def plan_html(plan: CampaignPlan, museum_names: dict[str, str]) -> str:
    """A printable list for the photographer: one row per work, thumbnails where there are any."""
    rows = []
    for rank, item in enumerate(plan.items, start=1):
        thumb = (f'<img src="{escape(item.thumbnail)}" alt="" width="75">' if item.thumbnail else "")
        rows.append(
            f"<tr><td>{rank}</td><td>{escape(item.inventory)}</td><td>{escape(item.title)}</td>"
            f"<td>{escape(item.creator)}</td><td>{escape(museum_names.get(item.museum, item.museum))}"
            f"{'<br>' + escape(item.location) if item.location else ''}</td>"
            f"<td>{escape(item.reason)}{' (' + escape(item.detail) + ')' if item.detail else ''}</td>"
            f"<td>{thumb}</td><td class=check>☐</td></tr>")
    title = escape(plan.campaign.name)
    return (f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title><style>'
            "body{font:11pt sans-serif;margin:1.5cm}table{border-collapse:collapse;width:100%}"
            "th,td{border:1px solid #555;padding:4px;vertical-align:top;text-align:left}"
            "tr{break-inside:avoid}.check{font-size:16pt;text-align:center}"
            "@page{size:A4 landscape;margin:1cm}</style></head><body>"
            f"<h1>{title}</h1><p>{len(plan.items)} œuvres à photographier sur {plan.works_checked} "
            f"(image minimale : {plan.campaign.min_long_side} px de grand côté).</p>"
            "<table><thead><tr><th>#</th><th>Inventaire</th><th>Titre</th><th>Auteur</th><th>Lieu</th>"
            "<th>Motif</th><th>Image actuelle</th><th>Fait</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></body></html>\n")
