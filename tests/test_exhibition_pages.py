"""Exhibition pages, checklist, IIIF Collection and the OAI set of a curators' Markdown exhibition."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from lxml import etree

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
import exhibitionsite  # noqa: E402
import webcatalogue  # noqa: E402

OAI = {"oai": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    config, catalogue = exhibitionsite.build(tmp_path_factory.mktemp("exhibition"))
    app = webcatalogue.make_app(config, catalogue)
    yield app
    webcatalogue.close_app(app, catalogue)


@pytest.fixture
def client(web):
    return web.test_client()


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_exhibition_page_has_its_title_venues_and_introduction(client):
    html = page(client, "/expositions/nord")
    assert "<h1>Lumières du Nord</h1>" in html
    assert "<li>Musée de la Chartreuse, Douai — du 01/03/2024 au 30/06/2024</li>" in html
    assert '<div class="exhibition-text intro"><p>Trois regards sur la <em>lumière</em> du Nord.</p>\n</div>' in html


def test_sections_come_in_order_with_their_works_and_captions(client):
    html = page(client, "/expositions/nord")
    assert re.findall(r'<h2 id="section-\d-title">(.*?)</h2>', html) == ["Paysages", "Intérieurs"]
    assert re.findall(r'class="work-caption">(.*?)</span>', html) == [
        "Le clocher dans la brume", "Une campagne flamande", "Le motif du cœur"]


def test_english_gives_english_titles_and_captions_falling_back_to_french(client):
    html = page(client, "/expositions/nord?lang=en")
    assert "<h1>Northern Lights</h1>" in html
    assert re.findall(r'class="work-caption">(.*?)</span>', html) == [
        "The steeple in the mist", "A Flemish countryside", "Le motif du cœur"]


def test_a_curators_raw_html_is_shown_as_text(client):
    html = page(client, "/expositions/nord")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;curator&quot;)&lt;/script&gt;" in html


def test_the_cover_is_the_named_work(client):
    html = page(client, "/expositions/nord")
    cover = html.split('class="exhibition-cover"', 1)[1].split("</figure>", 1)[0]
    assert '<img src="http://img.test/douai/D17.jpg"' in cover


def test_the_full_screen_sequence_holds_every_work_with_an_image_in_order(client):
    html = page(client, "/expositions/nord")
    sequence = json.loads(re.search(r'data-sequence="([^"]*)"', html).group(1).replace("&#34;", '"')
                          .replace("&quot;", '"').replace("&#39;", "'").replace("&amp;", "&"))
    assert [item["image"] for item in sequence] == ["http://img.test/lille/P.1850.3.jpg",
                                                    "http://img.test/douai/D17.jpg"]
    assert sequence[0]["caption"] == "Le clocher dans la brume"


def test_the_checklist_lists_every_work_by_section(client):
    html = page(client, "/expositions/nord/liste")
    assert re.findall(r'<th scope="rowgroup" colspan="6">(.*?)</th>', html) == ["Paysages", "Intérieurs"]
    assert re.findall(r"<tr><td>(\d+)</td>", html) == ["1", "2", "3"]
    assert "<td>Musée de la Chartreuse</td><td>D.17</td>" in html


def test_the_index_lists_past_exhibitions_apart(client):
    html = page(client, "/expositions")
    past = html.split('id="group-past"', 1)[1].split("</section>", 1)[0]
    assert "Lumières du Nord" in past
    current = html.split('id="group-current"', 1)[1].split("</section>", 1)[0]
    assert "Paysages du Nord" in current  # a curated set without venues is always on


def test_an_unknown_exhibition_is_404(client):
    assert client.get("/expositions/absente").status_code == 404
    assert client.get("/expositions/absente/liste").status_code == 404
    assert client.get("/iiif/collection/exhibition/absente.json").status_code == 404


def test_the_iiif_collection_lists_the_manifests_of_the_works_with_images(client):
    response = client.get("/iiif/collection/exhibition/nord.json")
    assert response.headers["Content-Type"] == ('application/ld+json;profile='
                                                '"http://iiif.io/api/presentation/3/context.json"')
    body = response.get_json(force=True)
    assert (body["type"], body["label"], body["summary"]) == (
        "Collection", {"fr": ["Lumières du Nord"], "en": ["Northern Lights"]},
        {"fr": ["Trois regards sur la lumière du Nord."]})
    assert [(i["id"], i["type"], i.get("summary")) for i in body["items"]] == [
        ("http://localhost/iiif/M0629/P.1850.3/manifest.json", "Manifest", {"fr": ["Le clocher dans la brume"]}),
        ("http://localhost/iiif/M0631/D.17/manifest.json", "Manifest", {"fr": ["Une campagne flamande"]})]


def test_the_oai_set_carries_the_introduction_as_set_description(client):
    root = etree.fromstring(client.get("/oai?verb=ListSets").data)
    [found] = root.xpath("//oai:set[oai:setSpec='exhibition:nord']", namespaces=OAI)
    assert found.findtext("oai:setName", namespaces=OAI) == "Lumières du Nord"
    assert found.xpath(".//dc:description/text()", namespaces=OAI) == ["Trois regards sur la lumière du Nord."]


def test_the_exhibitions_works_are_its_oai_set_members(tmp_path):
    from datetime import timedelta

    from musenor.catalogue.ledger import utc_now
    from musenor.catalogue.listing import Listing, Window

    _, catalogue = exhibitionsite.build(tmp_path)
    try:
        # a list is fixed at the last stable second (catalogue.listing); the fixture published just now
        listing = Listing(catalogue.ledger)
        window = Window(listing.stable_until(utc_now() + timedelta(seconds=2)), None, "exhibition:nord")
        assert sorted(h.identifier for h in listing.headers(window, after=None, limit=10)) == [
            "oai:musenor.fr:M0629:P.1850.3", "oai:musenor.fr:M0630:C-88", "oai:musenor.fr:M0631:D.17"]
    finally:
        catalogue.close()
