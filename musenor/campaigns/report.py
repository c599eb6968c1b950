"""A campaign's report per museum: works photographed, images added, works still lacking a usable image."""

from __future__ import annotations

from dataclasses import dataclass

from musenor.campaigns.plan import CampaignPlan
from musenor.catalogue.enrichments import Enrichments


@dataclass(frozen=True)
class MuseumReport:
    museum: str
    works_photographed: int
    images_added: int
    works_lacking: int


def campaign_report(enrichments: Enrichments, plan: CampaignPlan, museums: list[str]) -> list[MuseumReport]:
    """``plan`` is the campaign's plan as of now (the images it added count as usable)."""
    lacking: dict[str, int] = {}
    for item in plan.items:
        lacking[item.museum] = lacking.get(item.museum, 0) + 1
    found = []
    for museum in museums:
        # a record its museum withdrew took its photographs with it: they no longer count as published
        images = [i for i in enrichments.of_campaign(plan.campaign.key, museum)
                  if (record := enrichments.ledger.record(i.identifier)) is not None and not record.deleted]
        found.append(MuseumReport(museum, len({i.identifier for i in images}), len(images), lacking.get(museum, 0)))
    return found
