"""The demo's photo campaign: a handful of generated photographs of Douai's works, which came without images.

A photographer's delivery is stood in for by pictures drawn with Pillow, each with the EXIF a studio camera
writes (artist, copyright, date taken), named by inventory number as the museum names them, a verso among
them, and one file for a work that is not in the catalogue, so that the ingest report has something to say.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

from musenor.campaigns.ingest import IngestReport, ingest
from musenor.campaigns.plan import plan_campaign
from musenor.campaigns.settings import campaign
from musenor.catalogue import Catalogue, HubConfig
from musenor.mappings.base import RenderContext
from musenor.mappings.uris import HubURIs

DEMO_CAMPAIGN = "photo-2026"
DEMO_MUSEUM = "M0619"
PHOTOGRAPHED = 4
PALETTE = [(122, 74, 48), (58, 86, 112), (96, 112, 64), (140, 112, 60), (88, 60, 96)]


def photograph(title: str, colour: tuple[int, int, int], *, verso: bool = False) -> bytes:
    """A 1600×1200 JPEG that looks like a work on an easel, with a studio's EXIF."""
    picture = Image.new("RGB", (1600, 1200), (236, 232, 224))
    draw = ImageDraw.Draw(picture)
    frame = (260, 140, 1340, 1060)
    draw.rectangle(frame, fill=(70, 52, 30) if not verso else (150, 128, 96))
    inner = (frame[0] + 40, frame[1] + 40, frame[2] - 40, frame[3] - 40)
    draw.rectangle(inner, fill=colour if not verso else (200, 184, 150))
    for n in range(0, 1000, 70):
        draw.line([(inner[0] + n, inner[3]), (inner[0] + n + 300, inner[1])],
                  fill=tuple(min(255, c + 35) for c in colour), width=14)
    draw.text((frame[0], frame[3] + 40), title[:80] + (" — verso" if verso else ""), fill=(40, 40, 40))
    exif = Image.Exif()
    exif[0x013B] = "Studio Delattre, Lille"  # Artist
    exif[0x8298] = "Association des conservateurs des musees du Nord-Pas-de-Calais"  # Copyright
    exif.get_ifd(0x8769)[0x9003] = "2026:03:14 10:00:00"  # DateTimeOriginal
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85, exif=exif.tobytes())
    return buffer.getvalue()


def write_delivery(config: HubConfig, catalogue: Catalogue, folder: Path) -> None:
    """The photographer's folder: the first works of the campaign's plan, as the museum names them."""
    found = campaign(config, DEMO_CAMPAIGN)
    context = RenderContext(uris=HubURIs(config.base_uri, config.repository_identifier))
    items = plan_campaign(catalogue, context, found, [DEMO_MUSEUM], None).items[:PHOTOGRAPHED]
    folder.mkdir(parents=True, exist_ok=True)
    for n, item in enumerate(items):
        (folder / f"{item.inventory}.jpg").write_bytes(photograph(item.title, PALETTE[n % len(PALETTE)]))
        if n == 0:
            (folder / f"{item.inventory}_verso.jpg").write_bytes(photograph(item.title, PALETTE[0], verso=True))
    (folder / "A9999.jpg").write_bytes(photograph("Œuvre hors catalogue", PALETTE[-1]))


def run_demo_campaign(config: HubConfig, catalogue: Catalogue) -> IngestReport:
    folder = Path(config.data_dir) / "campaign-delivery" / DEMO_CAMPAIGN
    if not folder.is_dir():
        write_delivery(config, catalogue, folder)
    return ingest(catalogue, config.base_uri, campaign(config, DEMO_CAMPAIGN), DEMO_MUSEUM, folder)
