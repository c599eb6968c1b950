"""``/admin/campaigns``: the photo campaigns of musenor.toml, their report per museum and their lists to print.

Read-only, like the rest of the admin area's pages: the plan is computed from the ledger (the museums' remote
images are not fetched from the web process; ``musenor campaign plan`` does that), and a delivery is
ingested with ``musenor campaign ingest``, which this page tells the administrator how to run.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, render_template

from musenor.campaigns.plan import CampaignPlan, plan_campaign, plan_csv, plan_html
from musenor.campaigns.report import campaign_report
from musenor.campaigns.settings import Campaign, load_campaigns
from musenor.catalogue.enrichments import Enrichments
from musenor.mappings.base import RenderContext
from musenor.mappings.uris import HubURIs
from musenor.oai_server.admin import _catalogue, _config, blueprint


def _campaign(key: str) -> Campaign:
    found = load_campaigns(_config()).get(key)
    if found is None:
        abort(404)
    return found


def _plan(found: Campaign) -> tuple[CampaignPlan, list[str]]:
    config = _config()
    museums = [code for code in sorted(config.museums) if found.covers(code)]
    context = RenderContext(uris=HubURIs(config.base_uri, config.repository_identifier),
                            hub_name=config.repository_name,
                            museum_names={code: m.name for code, m in config.museums.items()})
    return plan_campaign(_catalogue(), context, found, museums, None), museums


@blueprint.get("/campaigns")
def campaigns() -> str:
    listed: list[dict[str, Any]] = []
    enrichments = Enrichments(_catalogue().ledger)
    for found in load_campaigns(_config()).values():
        plan, museums = _plan(found)
        listed.append({"campaign": found, "rows": campaign_report(enrichments, plan, museums)})
    return render_template("admin/campaigns.html", campaigns=listed)


@blueprint.get("/campaigns/<key>/plan.csv")
def campaign_plan_csv(key: str) -> Response:
    plan, _ = _plan(_campaign(key))
    return Response(plan_csv(plan), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{key}-plan.csv"'})


@blueprint.get("/campaigns/<key>/plan.html")
def campaign_plan_html(key: str) -> Response:
    plan, _ = _plan(_campaign(key))
    return Response(plan_html(plan, {code: m.name for code, m in _config().museums.items()}), mimetype="text/html")
