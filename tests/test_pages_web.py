"""The web's conventions: /api/search, sitemap.xml (split past 50,000 URLs), robots.txt, schema.org JSON-LD
and OpenGraph in the pages, dimensions in the page's language, heading order."""

import json
import re
import sys
from pathlib import Path

import pytest
from lxml import etree

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
import webcatalogue  # noqa: E402

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    config, catalogue = webcatalogue.build_catalogue(tmp_path_factory.mktemp("web"), more=True)
    app = webcatalogue.make_app(config, catalogue)
    yield app, catalogue
    webcatalogue.close_app(app, catalogue)


@pytest.fixture
def client(web):
    return web[0].test_client()


def json_ld(page: str) -> dict:
    return json.loads(page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0])


def test_api_search_answers_hits_and_facets(client):
    body = client.get("/api/search?q=portraits&sort=date&lang=en").get_json()
    assert body["total"] == 2 and body["pages"] == 1 and body["sort"] == "date"
    assert [h["title"] for h in body["hits"]] == ["Portrait of an alderman", "Portraits des enfants du peintre"]
    first = body["hits"][0]
    assert first["identifier"] == "oai:musenor.fr:M0631:D.40"
    assert first["page"] == "http://localhost/notice/M0631/D.40?lang=en"
    assert first["museum"] == {"code": "M0631", "name": "Musée de la Chartreuse"}
    assert body["facets"]["type"]["values"] == [{"key": "denomination/tableau", "label": "painting", "count": 2,
                                                 "selected": False}]
    assert body["query"] == {"q": "portraits", "filters": {}, "from": None, "to": None, "images": False,
                             "sort": "date", "page": 1}


def test_api_search_takes_the_page_parameters(client):
    page = client.get("/search?period=century:18&period=century:17&museum=M0631").data.decode()
    body = client.get("/api/search?period=century:18&period=century:17&museum=M0631").get_json()
    assert body["total"] == 2
    assert [h["title"] for h in body["hits"]] == ["Paysage flamand avec église", "Portrait d'un échevin"]
    assert re.findall(r'<h3 class="card-title">(.*?)</h3>', page) == [
        "Paysage flamand avec église", "Portrait d&#39;un échevin"]
    assert [(v["key"], v["count"], v["selected"]) for v in body["facets"]["period"]["values"]][:2] == [
        ("century:17", 1, True), ("century:18", 1, True)]


@pytest.mark.parametrize("query,parameter,reason", [
    ("from=abc", "from", "'abc' is not a year"),
    ("sort=price", "sort", "'price' is not one of relevance, title, date, -date, museum"),
    ("page_size=1000", "page_size", "1000 is not between 1 and 100"),
    ("page_size=x", "page_size", "'x' is not a number"),
])
def test_api_search_bad_parameter_is_a_400_naming_it(client, query, parameter, reason):
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 400
    assert response.get_json() == {"error": {"parameter": parameter, "reason": reason}}


def test_api_search_past_the_last_page_is_a_404_with_the_total(client):
    response = client.get("/api/search?q=portrait&page=7")
    assert response.status_code == 404
    assert response.get_json()["total"] == 2 and response.get_json()["hits"] == []


def test_sitemap_lists_pages_and_records(client):
    response = client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    root = etree.fromstring(response.data)
    assert root.tag == f"{SITEMAP}urlset"
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert locations[:3] == ["http://localhost/", "http://localhost/musees", "http://localhost/expositions"]
    assert "http://localhost/notice/M0630/T%20204" in locations
    assert len(locations) == 3 + 3 + 1 + 8  # fixed pages, museums, exhibitions, records
    assert all(u.find(f"{SITEMAP}lastmod") is not None for u in root if "/notice/" in u[0].text)


def test_sitemap_is_split_past_its_limit(web, monkeypatch):
    import musenor.oai_server.pages.discovery as discovery

    monkeypatch.setattr(discovery, "SITEMAP_LIMIT", 6)
    client = web[0].test_client()
    index = etree.fromstring(client.get("/sitemap.xml").data)
    assert index.tag == f"{SITEMAP}sitemapindex"
    parts = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert parts == ["http://localhost/sitemap-1.xml", "http://localhost/sitemap-2.xml", "http://localhost/sitemap-3.xml"]
    listed = [loc.text for n in (1, 2, 3) for loc in
              etree.fromstring(client.get(f"/sitemap-{n}.xml").data).iter(f"{SITEMAP}loc")]
    assert len(listed) == len(set(listed)) == 15
    assert client.get("/sitemap-4.xml").status_code == 404


def test_robots_txt(client):
    text = client.get("/robots.txt").data.decode()
    assert text.splitlines() == ["User-agent: *", "Disallow: /sparql", "Disallow: /api/", "Disallow: /oai",
                                 "Disallow: /search?", "Allow: /", "Sitemap: http://localhost/sitemap.xml"]


def test_record_page_has_a_visual_artwork(client):
    data = json_ld(client.get("/notice/M0629/P.1850.3").data.decode())
    assert data["@context"] == "https://schema.org" and data["@type"] == "VisualArtwork"
    assert data["name"] == "Vue de l'église Saint-Maurice"
    assert data["creator"] == [{"@type": "Person", "@id": "http://hub.test/id/agent/corot-camille-1796",
                                "name": "Corot, Camille"}]
    assert data["provider"]["@type"] == "Museum" and data["provider"]["name"] == "Palais des Beaux-Arts de Lille"
    assert data["license"] == "http://creativecommons.org/publicdomain/mark/1.0/"
    assert data["identifier"] == "P.1850.3"


def test_record_page_opengraph(client):
    page = client.get("/notice/M0629/P.1850.3?lang=en").data.decode()
    assert '<meta property="og:title" content="View of the Saint-Maurice church">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:image" content="http://img.test/lille/P.1850.3-thumb.jpg">' in page
    assert '<meta property="og:locale" content="en_GB">' in page


def test_museum_page_has_a_museum(client):
    data = json_ld(client.get("/musees/M0631").data.decode())
    assert data == {"@context": "https://schema.org", "@type": "Museum", "@id": "http://hub.test/id/museum/M0631",
                    "name": "Musée de la Chartreuse", "url": "http://localhost/musees/M0631",
                    "address": {"@type": "PostalAddress", "addressLocality": "Douai", "addressCountry": "FR"}}


def test_home_page_offers_a_search_action(client):
    data = json_ld(client.get("/").data.decode())
    assert data["@type"] == "WebSite"
    assert data["potentialAction"]["target"] == "http://localhost/search?q={search_term_string}"


def test_museum_text_cannot_close_the_json_ld_script(tmp_path):
    config, catalogue = webcatalogue.build_catalogue(tmp_path)
    uri = "http://hub.test/id/record/M0631/EVIL"
    graph = (f'<{uri}> <http://www.europeana.eu/schemas/edm/aggregatedCHO> <http://hub.test/id/object/M0631/EVIL> .\n'
             '<http://hub.test/id/object/M0631/EVIL> <http://purl.org/dc/elements/1.1/title> '
             '"</script><script>alert(1)</script>"@fr .\n')
    webcatalogue.publish(catalogue, [webcatalogue.staged_record(uri, graph)])
    app = webcatalogue.make_app(config, catalogue)
    try:
        page = app.test_client().get("/notice/M0631/EVIL").data.decode()
        assert "</script><script>alert(1)" not in page
        assert json_ld(page)["name"] == "</script><script>alert(1)</script>"
    finally:
        webcatalogue.close_app(app, catalogue)


@pytest.mark.parametrize("lang,expected", [("fr", "Hauteur 224 cm ; Largeur 180,5 cm"),
                                           ("en", "Height 224 cm ; Width 180.5 cm")])
def test_dimensions_read_in_the_page_language(tmp_path, lang, expected):
    config, catalogue = webcatalogue.build_catalogue(tmp_path)
    uri = "http://hub.test/id/record/M0631/DIM"
    cho = "<http://hub.test/id/object/M0631/DIM>"
    ns = "https://w3id.org/musenor/ns#"
    graph = (f'<{uri}> <http://www.europeana.eu/schemas/edm/aggregatedCHO> {cho} .\n'
             f'{cho} <http://purl.org/dc/elements/1.1/title> "Grand tableau"@fr .\n'
             f'{cho} <http://purl.org/dc/terms/extent> "Hauteur en cm 224 ; Largeur en cm 180,5"@fr .\n')
    for n, (kind, value) in enumerate((("height", "224.0"), ("width", "180.5")), start=1):
        dim = f"<http://hub.test/id/object/M0631/DIM#dimension-{n}>"
        graph += (f'{cho} <{ns}dimension> {dim} .\n{dim} <{ns}dimensionType> "{kind}" .\n'
                  f'{dim} <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> '
                  f'"{value}"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n{dim} <{ns}unit> "cm" .\n')
    webcatalogue.publish(catalogue, [webcatalogue.staged_record(uri, graph)])
    app = webcatalogue.make_app(config, catalogue)
    try:
        page = app.test_client().get(f"/notice/M0631/DIM?lang={lang}").data.decode()
        assert f"<dd>{expected}</dd>" in page
        assert "Hauteur en cm" not in page
    finally:
        webcatalogue.close_app(app, catalogue)


def test_dimensions_in_source_order_with_the_part_measured(tmp_path):
    # issue 13.6: "#dimension-10" comes after "#dimension-2"; the part measured is said after its measurement
    config, catalogue = webcatalogue.build_catalogue(tmp_path)
    uri = "http://hub.test/id/record/M0631/PARTS"
    cho = "<http://hub.test/id/object/M0631/PARTS>"
    ns = "https://w3id.org/musenor/ns#"
    graph = (f'<{uri}> <http://www.europeana.eu/schemas/edm/aggregatedCHO> {cho} .\n'
             f'{cho} <http://purl.org/dc/elements/1.1/title> "Blatt"@de .\n')
    for n, kind, value, part in ((2, "height", "39.8", '"Blatt"@de'), (10, "height", "35.8", '"Darstellung"@de')):
        dim = f"<http://hub.test/id/object/M0631/PARTS#dimension-{n}>"
        graph += (f'{cho} <{ns}dimension> {dim} .\n{dim} <{ns}dimensionType> "{kind}" .\n'
                  f'{dim} <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> '
                  f'"{value}"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n{dim} <{ns}unit> "cm" .\n'
                  f'{dim} <http://www.w3.org/2004/02/skos/core#prefLabel> {part} .\n')
    webcatalogue.publish(catalogue, [webcatalogue.staged_record(uri, graph)])
    app = webcatalogue.make_app(config, catalogue)
    try:
        page = app.test_client().get("/notice/M0631/PARTS?lang=fr").data.decode()
        assert "<dd>Hauteur 39,8 cm (Blatt) ; Hauteur 35,8 cm (Darstellung)</dd>" in page
    finally:
        webcatalogue.close_app(app, catalogue)


@pytest.mark.parametrize("path", ["/", "/search?q=portrait", "/notice/M0629/P.1850.3", "/musees/M0631",
                                  "/expositions/paysages", "/musees"])
def test_headings_never_skip_a_level(client, path):
    levels = [int(n) for n in re.findall(r"<h([1-6])[\s>]", client.get(path).data.decode())]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels


@pytest.mark.parametrize("lang,expected", [("fr", "<dd>XIXe siècle</dd>"), ("en", "<dd>19th century</dd>")])
def test_a_dated_period_reads_as_its_century_in_the_page_language(client, lang, expected):
    assert expected in client.get(f"/notice/M0629/P.1850.3?lang={lang}").data.decode()


def test_api_search_past_the_facet_value_cap_is_a_400(client):
    from musenor.catalogue.search import MAX_FILTER_VALUES

    query = "&".join(f"museum=M{n:04d}" for n in range(MAX_FILTER_VALUES + 1))
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 400
    assert response.get_json() == {"error": {"parameter": "filters", "reason": f"{MAX_FILTER_VALUES + 1} facet "
                                             f"values selected; a search takes at most {MAX_FILTER_VALUES}"}}
