"""Planning and reporting a campaign; the polite link checker; the command line."""

from __future__ import annotations

import csv
import io

import pytest
import requests
from click.testing import CliRunner
from test_campaign_ingest import CODE, IDENTIFIER, Hub, photograph

from musenor.campaigns.plan import DEAD_LINK, TOO_SMALL, LinkChecker, plan_campaign, plan_csv, plan_html
from musenor.campaigns.report import MuseumReport, campaign_report
from musenor.campaigns.settings import Campaign, campaign
from musenor.catalogue.enrichments import Enrichments
from musenor.mappings.base import RenderContext
from musenor.mappings.uris import HubURIs
from musenor.cli import main

CONTEXT = RenderContext(HubURIs("http://hub.test"))


@pytest.fixture
def hub(tmp_path):
    opened = Hub(tmp_path)
    yield opened
    opened.catalogue.close()


def plan(hub, found: Campaign | None = None, links=None):
    return plan_campaign(hub.catalogue, CONTEXT, found or campaign(hub.config, "photo-2026"), [CODE], links)


def test_every_work_without_an_image_is_planned_with_its_inventory_title_and_creator(hub):
    items = plan(hub).items
    assert [(i.inventory, i.title, i.creator, i.reason) for i in items] == [
        ("2004.1.1", "Vue de Roubaix", "Weerts, Jean-Joseph", "no image"),
        ("2004.1.2", "Baigneuse", "Bouchard, Henri", "no image"),
        ("2004.1.3", "Le Canal", "Leman, Henri", "no image")]


def test_ranking_puts_exhibitions_then_domains_then_the_museums_list_first(hub):
    hub.catalogue.ledger.set_memberships("exhibition:piscine", [f"oai:musenor.fr:{CODE}:M0634000003"])
    found = Campaign("c", "C", "http://creativecommons.org/licenses/by/4.0/", domains=("Sculpture",),
                     priorities={CODE: ("2004.1.1",)})
    assert [i.inventory for i in plan(hub, found).items] == ["2004.1.3", "2004.1.2", "2004.1.1"]


def test_a_photographed_work_leaves_the_plan_and_a_small_image_stays_in_it(hub):
    hub.deliver({"2004.1.1.jpg": photograph(), "2004.1.2.jpg": photograph(size=(80, 60))})
    items = plan(hub).items
    assert [(i.inventory, i.reason, i.detail) for i in items] == [("2004.1.2", TOO_SMALL, "80 px"),
                                                                 ("2004.1.3", "no image", "")]
    assert items[0].thumbnail.startswith(f"http://hub.test/images/{CODE}/thumbs/")


class FakeResponse:
    def __init__(self, status: int, body: bytes) -> None:
        self.status_code, self.body = status, body

    def iter_content(self, size: int):
        yield from (self.body[n:n + size] for n in range(0, len(self.body), size))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class FakeSession:
    """Answers by URL as a museum's image server would; records each request."""

    def __init__(self, answers: dict[str, FakeResponse | Exception]) -> None:
        self.answers, self.requested, self.headers = answers, [], {}

    def get(self, url, stream, timeout):
        self.requested.append(url)
        answer = self.answers[url]
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_the_link_checker_waits_between_requests_to_one_host_and_asks_each_url_once():
    now, waits = [0.0], []
    session = FakeSession({"http://a/1.jpg": FakeResponse(200, photograph(size=(2000, 1500))),
                           "http://a/2.jpg": FakeResponse(404, b""),
                           "http://a/3.jpg": requests.ConnectionError("refused")})
    checker = LinkChecker("catalogue@musenor.fr", delay=1.5, session=session, clock=lambda: now[0],
                          sleep=waits.append)
    found = [checker.long_side(u) for u in ("http://a/1.jpg", "http://a/2.jpg", "http://a/1.jpg", "http://a/3.jpg")]
    assert found == [(2000, ""), (None, "HTTP 404"), (2000, ""), (None, "ConnectionError")]
    assert session.requested == ["http://a/1.jpg", "http://a/2.jpg", "http://a/3.jpg"]
    assert waits == [1.5, 1.5]
    assert session.headers["User-Agent"] == "Musenor hub campaign planner (+mailto:catalogue@musenor.fr)"


def test_a_dead_remote_image_puts_its_work_in_the_plan(hub):
    record = hub.catalogue.ledger.record(IDENTIFIER)
    shown_by = "<http://www.europeana.eu/schemas/edm/isShownBy>"
    hub.catalogue.ledger.set_enrichment(IDENTIFIER, f"<{record.record_uri}> {shown_by} <http://a/x.jpg> .\n")
    links = LinkChecker("c@m.fr", session=FakeSession({"http://a/x.jpg": FakeResponse(410, b"")}), sleep=lambda s: None)
    first = plan(hub, links=links).items[0]
    assert (first.inventory, first.reason, first.detail) == ("2004.1.1", DEAD_LINK, "HTTP 410")


def test_csv_and_printable_list(hub):
    result = plan(hub)
    rows = list(csv.DictReader(io.StringIO(plan_csv(result))))
    assert [(r["rank"], r["inventory"], r["reason"]) for r in rows] == [
        ("1", "2004.1.1", "no image"), ("2", "2004.1.2", "no image"), ("3", "2004.1.3", "no image")]
    html = plan_html(result, {CODE: "La Piscine"})
    assert "<td>2004.1.2</td><td>Baigneuse</td><td>Bouchard, Henri</td><td>La Piscine</td>" in html
    assert "@page{size:A4 landscape" in html


def test_a_hostile_title_is_escaped_in_the_printable_list(hub):
    result = plan(hub)
    result.items[0].title = "<script>alert(1)</script>"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in plan_html(result, {})


def test_report_counts_works_photographed_images_added_and_works_lacking(hub):
    hub.deliver({"2004.1.1.jpg": photograph(), "2004.1.1_b.jpg": photograph(colour="navy")})
    assert campaign_report(Enrichments(hub.catalogue.ledger), plan(hub), [CODE]) == [MuseumReport(CODE, 1, 2, 2)]


def test_cli_plan_ingest_and_report(hub):
    hub.catalogue.close()
    config = str(hub.root / "musenor.toml")
    runner = CliRunner()
    planned = runner.invoke(main, ["--config", config, "campaign", "plan", "photo-2026", "--no-check-links"])
    assert planned.exit_code == 0, planned.output
    assert "3 of 3 works lack a usable image" in planned.output
    assert (hub.config.data_dir / "campaigns" / "photo-2026" / "plan.csv").is_file()
    folder = hub.root / "photos"
    folder.mkdir()
    (folder / "2004.1.2.jpg").write_bytes(photograph())
    (folder / "9999.jpg").write_bytes(photograph())
    ingested = runner.invoke(main, ["--config", config, "campaign", "ingest", "photo-2026", CODE, str(folder)])
    assert ingested.exit_code == 1
    assert "1 images attached to 1 records" in ingested.output
    reported = runner.invoke(main, ["--config", config, "campaign", "report", "photo-2026"])
    assert reported.exit_code == 0 and "La Piscine" in reported.output


def test_cli_names_an_unknown_campaign(hub):
    result = CliRunner().invoke(main, ["--config", str(hub.root / "musenor.toml"), "campaign", "plan", "nope"])
    assert result.exit_code == 2
    assert "no campaign 'nope' (known: photo-2026)" in result.output


def test_a_withdrawn_records_images_leave_the_report(hub):
    from musenor.harvester import harvest_museums
    from test_campaign_ingest import ROWS

    hub.deliver({"2004.1.1.jpg": photograph(), "2004.1.2.jpg": photograph(colour="navy")})
    hub.write_export(ROWS[1:])
    [run] = harvest_museums(hub.config, hub.catalogue, [CODE], full=True, jobs=1)
    assert run.status == "succeeded", run.reason
    assert campaign_report(Enrichments(hub.catalogue.ledger), plan(hub), [CODE]) == [MuseumReport(CODE, 1, 1, 1)]
