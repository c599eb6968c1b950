"""Person, place and concept pages (issue #15): names, life dates and places, roles, authority links; a place's
hierarchy, coordinates and map; a concept's labels by language and broader/narrower terms; the works of each,
read from the search index; schema.org JSON-LD; record pages in the page's language; the map's tile host in the
Content-Security-Policy; EDM linking each held image to the record's IIIF manifest.
"""

import dataclasses
import functools
import http.server
import json
import re
import sys
import threading
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
import webcatalogue  # noqa: E402

from musenor.catalogue.config import ConfigError, parse_config  # noqa: E402
from musenor.catalogue.search import search_index  # noqa: E402
from musenor.oai_server.pages.entities import authority_name, life_date  # noqa: E402

MONET = "http://hub.test/id/agent/monet-claude-1840"
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def web(request, tmp_path_factory):
    """The catalogue, the works of its entities read from the embedded index or from PostgreSQL's."""
    search = request.getfixturevalue("postgres_cluster").create_database() if request.param == "postgresql" else None
    config, catalogue = webcatalogue.build_catalogue(tmp_path_factory.mktemp("entities"), entities=True,
                                                     search=search)
    app = webcatalogue.make_app(config, catalogue)
    yield app, catalogue
    webcatalogue.close_app(app, catalogue)


@pytest.fixture
def client(web):
    return web[0].test_client()


def page(client, path: str) -> str:
    response = client.get(path, headers=HTML)
    assert response.status_code == 200, response.status_code
    return response.data.decode()


def dd(html: str, css_class: str) -> str:
    return re.search(rf'<dd class="{css_class}">(.*?)</dd>', html, re.S).group(1)


def section_titles(html: str, section: str) -> list[str]:
    found = re.search(rf'<section class="entity-works" aria-labelledby="{section}">(.*?)</section>', html, re.S)
    return re.findall(r'<h3 class="card-title">(.*?)</h3>', found.group(1)) if found else []


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


# -- person pages ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang,born,died,role", [
    ("fr", '<time datetime="1840-11-14">14 novembre 1840</time>, <a href="/id/place/paris">Paris</a>',
     '<time datetime="1926-12-05">5 décembre 1926</time>, <a href="/id/place/giverny">Giverny</a>', "peintre"),
    ("en", '<time datetime="1840-11-14">14 November 1840</time>, <a href="/id/place/paris?lang=en">Paris</a>',
     '<time datetime="1926-12-05">5 December 1926</time>, <a href="/id/place/giverny?lang=en">Giverny</a>',
     "painter"),
])
def test_person_page_names_life_dates_places_and_roles(client, lang, born, died, role):
    html = page(client, f"/id/agent/monet-claude-1840?lang={lang}")
    assert "<h1>Monet, Claude</h1>" in html
    assert dd(html, "other-names") == "Oscar-Claude Monet"
    assert dd(html, "born") == born
    assert dd(html, "died") == died
    assert dd(html, "roles") == role
    assert '<p class="entity-kind">' + ("Personne" if lang == "fr" else "Person") + "</p>" in html


def test_person_page_links_the_authority_files(client):
    html = page(client, "/id/agent/monet-claude-1840")
    links = re.findall(r'<a href="([^"]+)" rel="external" data-authority="([^"]+)">', html)
    assert links == [("https://d-nb.info/gnd/118583387", "GND"), ("http://vocab.getty.edu/ulan/500019484", "ULAN"),
                     ("http://viaf.org/viaf/24604287", "VIAF"), ("http://www.wikidata.org/entity/Q296", "Wikidata")]


def test_person_page_lists_their_works_with_thumbnails_and_where_they_are_depicted(client):
    html = page(client, "/id/agent/monet-claude-1840")
    assert section_titles(html, "works") == ["Le Pont japonais à Giverny", "Nymphéas"]  # oldest first
    assert '<img src="http://img.test/douai/E1-thumb.jpg" alt=""' in html
    assert section_titles(html, "depicted") == ["Portrait de Claude Monet"]
    assert '<a class="button" href="/search?creator=agent/monet-claude-1840">' in html


def test_person_page_json_ld_is_a_person(client):
    data = json_ld(page(client, "/id/agent/monet-claude-1840"))
    assert data == {"@context": "https://schema.org", "@type": "Person", "@id": MONET,
                    "name": "Monet, Claude", "url": "http://localhost/id/agent/monet-claude-1840",
                    "birthDate": "1840-11-14", "deathDate": "1926-12-05",
                    "sameAs": ["https://d-nb.info/gnd/118583387", "http://vocab.getty.edu/ulan/500019484",
                               "http://viaf.org/viaf/24604287", "http://www.wikidata.org/entity/Q296"],
                    "birthPlace": {"@type": "Place", "name": "Paris"},
                    "deathPlace": {"@type": "Place", "name": "Giverny"}}


def test_a_script_for_an_authority_link_is_not_a_link_and_a_name_cannot_close_the_script(client):
    html = page(client, "/id/agent/x-script")
    assert "javascript:" not in html
    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"] == "X </script><script>alert(1)</script>"
    assert "sameAs" not in json_ld(html)


# -- place pages -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang,chain", [
    ("fr", '<a href="/id/place/eure">Eure</a> › <a href="/id/place/normandie">Normandie</a>'),
    ("en", '<a href="/id/place/eure?lang=en">Eure</a> › <a href="/id/place/normandie?lang=en">Normandy</a>'),
])
def test_place_page_shows_its_hierarchy_in_the_page_language(client, lang, chain):
    assert dd(page(client, f"/id/place/giverny?lang={lang}"), "part-of") == chain


def test_place_page_has_coordinates_and_a_map_of_the_configured_tiles(client):
    html = page(client, "/id/place/giverny")
    assert dd(html, "coordinates") == '<span class="geo">49.0758, 1.5339</span>'
    assert 'data-lat="49.0758" data-long="1.5339"' in html
    assert 'data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in html
    assert '<script src="/static/vendor/leaflet/leaflet.js" defer></script>' in html
    assert 'data-authority="GeoNames"' in html


def test_place_page_lists_works_made_there_and_works_kept_there(client):
    giverny = page(client, "/id/place/giverny")
    assert section_titles(giverny, "made") == ["Le Pont japonais à Giverny", "Nymphéas"]
    assert section_titles(giverny, "kept") == []
    assert section_titles(giverny, "related") == []  # made there already: not listed twice
    douai = page(client, "/id/place/douai")
    assert section_titles(douai, "kept") == ["Portrait de Claude Monet", "Le Pont japonais à Giverny"]
    assert section_titles(douai, "made") == []


def test_place_page_json_ld_is_a_place(client):
    data = json_ld(page(client, "/id/place/giverny?lang=en"))
    assert data == {"@context": "https://schema.org", "@type": "Place", "@id": "http://hub.test/id/place/giverny",
                    "name": "Giverny", "url": "http://localhost/id/place/giverny",
                    "geo": {"@type": "GeoCoordinates", "latitude": 49.0758, "longitude": 1.5339},
                    "containedInPlace": {"@type": "Place", "name": "Eure"},
                    "sameAs": ["https://sws.geonames.org/3016078/"]}


def test_a_place_with_unreadable_coordinates_and_a_looping_hierarchy_still_answers(client):
    html = page(client, "/id/place/atlantide")
    assert 'id="place-map"' not in html and "leaflet.js" not in html  # no map rather than a wrong one
    assert dd(html, "part-of") == '<a href="/id/place/mu">Mu</a>'  # the loop back to itself is cut
    assert section_titles(html, "related") == ["Carte de l&#39;Atlantide"]


def test_the_csp_allows_the_tile_host_for_images_only(tmp_path):
    config, catalogue = webcatalogue.build_catalogue(tmp_path, entities=True)
    tiles = {**config.map, "tile_url": "https://{s}.tiles.example.org:8443/{z}/{x}/{y}.png"}
    app = webcatalogue.make_app(dataclasses.replace(config, tables={**config.tables, "map": tiles}), catalogue)
    try:
        response = app.test_client().get("/id/place/giverny", headers=HTML)
        directives = dict(d.strip().split(" ", 1) for d in response.headers["Content-Security-Policy"].split(";"))
        assert directives["img-src"].split() == ["'self'", "https://*.tiles.example.org:8443", "https:", "http:",
                                                 "data:"]
        assert [name for name, value in directives.items() if "tiles.example.org" in value] == ["img-src"]
        assert 'data-tiles="https://{s}.tiles.example.org:8443/{z}/{x}/{y}.png"' in response.data.decode()
    finally:
        webcatalogue.close_app(app, catalogue)


@pytest.mark.parametrize("tile_url,problem", [
    ("https://tiles.example.org/{z}/{x}.png", "lacks {y}"),
    ("ftp://tiles.example.org/{z}/{x}/{y}.png", "is not an http(s) URL"),
])
def test_a_tile_url_must_be_an_http_template_of_z_x_y(tmp_path, tile_url, problem):
    data = {"hub": {"base_uri": "http://hub.test", "data_dir": str(tmp_path), "repository_name": "T",
                    "admin_email": "a@b.fr", "repository_identifier": "hub.test"},
            "map": {"tile_url": tile_url}}
    with pytest.raises(ConfigError, match=re.escape(problem)):
        parse_config(data, path=tmp_path / "musenor.toml")


# -- concept pages ---------------------------------------------------------------------------------------

def test_concept_page_shows_labels_by_language_broader_and_narrower(client):
    html = page(client, "/vocab/subject/paysage?lang=en")
    assert "<h1>landscape</h1>" in html
    assert re.findall(r"<tr><td>(.*?)</td><td lang=\"(.*?)\">(.*?)</td></tr>", html) == [
        ("English", "en", "landscape"), ("German", "de", "Landschaft"), ("French", "fr", "paysage")]
    assert dd(html, "broader") == '<a href="/vocab/subject/nature?lang=en">nature</a>'
    assert dd(html, "narrower") == '<a href="/vocab/subject/jardin?lang=en">garden</a>'
    assert dd(html, "other-names") == "vue"
    assert "<p>A picture of natural scenery.</p>" in html
    assert section_titles(html, "works") == ["The Japanese bridge at Giverny"]


def test_concept_page_finds_the_works_that_name_it_in_text(client):
    # "huile sur toile" and "Huile sur toile", as two museums wrote it, are the vocabulary's concept
    html = page(client, "/vocab/material/huile-sur-toile?lang=en")
    assert "<h1>oil on canvas</h1>" in html
    assert section_titles(html, "works") == ["Portrait de Claude Monet", "The Japanese bridge at Giverny"]


def test_concept_page_json_ld_is_a_defined_term(client):
    data = json_ld(page(client, "/vocab/subject/paysage"))
    assert data == {"@context": "https://schema.org", "@type": "DefinedTerm",
                    "@id": "http://hub.test/vocab/subject/paysage", "name": "paysage",
                    "url": "http://localhost/vocab/subject/paysage", "alternateName": ["Landschaft", "landscape"],
                    "inDefinedTermSet": "http://hub.test/vocab/subject",
                    "sameAs": ["http://vocab.getty.edu/aat/300015636"]}


@pytest.mark.parametrize("path", ["/id/agent/monet-claude-1840", "/id/place/giverny", "/vocab/subject/paysage"])
def test_entity_pages_never_skip_a_heading_level(client, path):
    levels = [int(n) for n in re.findall(r"<h([1-6])[\s>]", page(client, path))]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels


# -- the works come from the search index ----------------------------------------------------------------

def test_the_works_of_an_entity_are_read_from_the_search_index(web):
    app, catalogue = web
    index = search_index(catalogue)
    total, hits = index.entity_works([MONET], ("creator",))
    assert (total, [h.record_uri for h in hits]) == (2, ["http://hub.test/id/record/M0631/E.1",
                                                         "http://hub.test/id/record/M0629/E.2"])
    assert index.entity_roles([MONET], "en") == ["painter"]
    queries = []
    real = catalogue.graph.query

    def spy(query, *args, **kwargs):
        queries.append(query)
        return real(query, *args, **kwargs)

    catalogue.graph.query = spy
    try:
        page(app.test_client(), "/id/agent/monet-claude-1840")
    finally:
        del catalogue.graph.query
    # the entity's own description only: no query reaches the works that point at it
    assert queries and not any(f"?p <{MONET}>" in q or "dc/elements/1.1/creator" in q for q in queries), queries


def test_a_withdrawn_work_leaves_its_entities_pages(tmp_path):
    config, catalogue = webcatalogue.build_catalogue(tmp_path, entities=True)
    webcatalogue.publish(catalogue, [webcatalogue.staged_record("http://hub.test/id/record/M0629/E.2", "",
                                                                deleted=True)])
    app = webcatalogue.make_app(config, catalogue)
    try:
        html = page(app.test_client(), "/id/agent/monet-claude-1840")
        assert section_titles(html, "works") == ["Le Pont japonais à Giverny"]
    finally:
        webcatalogue.close_app(app, catalogue)


# -- record pages in the page's language ------------------------------------------------------------------

@pytest.mark.parametrize("lang,fields", [
    ("fr", {"Matériaux": "huile sur toile", "Dimensions": "Hauteur 224 cm", "Sujets": "paysage"}),
    ("en", {"Materials": "oil on canvas", "Dimensions": "Height 224 cm", "Subjects": "landscape"}),
])
def test_record_page_reads_in_the_page_language(client, lang, fields):
    html = page(client, f"/notice/M0631/E.1?lang={lang}")
    shown = {dt: re.sub(r"<[^>]+>", "", value) for dt, value in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html)}
    assert {name: shown[name] for name in fields} == fields
    assert "Hauteur en cm" not in html


def test_a_period_a_museum_wrote_as_the_date_reads_in_english(client):
    fields = page(client, "/notice/M0631/E.3?lang=en").split('<dl class="fields">')[1].split("</dl>")[0]
    assert "<dt>Date</dt><dd>19th century</dd>" in fields
    assert "19e siècle" not in fields  # (the citation below quotes the museum's record as it is)


def test_a_period_written_as_the_date_reads_in_english_on_work_cards(client):
    html = page(client, "/id/agent/monet-claude-1840?lang=en")
    depicted = html.split('aria-labelledby="depicted"')[1]
    assert '<p class="card-date">19th century</p>' in depicted
    assert '<p class="card-date">19e siècle</p>' in page(client, "/id/agent/monet-claude-1840")


def test_record_page_links_people_places_and_concepts_to_their_pages(client):
    html = page(client, "/notice/M0631/E.1?lang=en")
    assert '<a href="/id/agent/monet-claude-1840?lang=en">Monet, Claude</a>' in html
    assert '<dt>Places</dt><dd><a href="/id/place/giverny?lang=en">Giverny</a></dd>' in html


# -- EDM links each image the hub holds to the record's IIIF manifest -----------------------------------------

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_edm_web_resource_is_referenced_by_the_iiif_manifest(tmp_path):
    from PIL import Image

    from musenor.harvester.images import MuseumImageFetcher

    served = tmp_path / "museum"
    (served / "douai").mkdir(parents=True)
    Image.new("RGB", (800, 600), (120, 90, 60)).save(served / "douai" / "E1.jpg", "JPEG")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(served)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}/"
    data = tmp_path / "data"
    config, catalogue = webcatalogue.build_catalogue(data, image_base=base, entities=True)
    try:
        MuseumImageFetcher(data, "M0631", interval=0).fetch(base + "douai/E1.jpg")
    finally:
        server.shutdown()
        thread.join(10)
    app = webcatalogue.make_app(config, catalogue)
    try:
        client = app.test_client()

        def edm(identifier: str) -> Graph:
            body = client.get(f"/oai?verb=GetRecord&metadataPrefix=edm&identifier={identifier}").data
            rdf = re.search(rb"<rdf:RDF.*</rdf:RDF>", body, re.S).group(0)
            return Graph().parse(data=rdf, format="xml")

        graph = edm("oai:musenor.fr:M0631:E.1")
        manifest = URIRef("http://hub.test/iiif/M0631/E.1/manifest.json")
        assert list(graph.triples((None, DCTERMS.isReferencedBy, None))) == [
            (URIRef(base + "douai/E1.jpg"), DCTERMS.isReferencedBy, manifest)]
        assert client.get("/iiif/M0631/E.1/manifest.json").status_code == 200
        # an image the hub holds no copy of has no manifest, so nothing refers to one
        assert list(edm("oai:musenor.fr:M0631:D.17").triples((None, DCTERMS.isReferencedBy, None))) == []
        assert client.get("/iiif/M0631/D.17/manifest.json").status_code == 404
    finally:
        webcatalogue.close_app(app, catalogue)


# -- helpers ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value,lang,expected", [
    ("1840-11-14", "fr", "14 novembre 1840"), ("1840-11-14", "en", "14 November 1840"),
    ("1926-12-01", "fr", "1er décembre 1926"), ("1841", "en", "1841"), ("-0450", "fr", "450 av. J.-C."),
    ("-0450", "en", "450 BCE"), ("1840-13", "en", "1840"), ("vers 1840", "fr", "vers 1840"),
])
def test_life_dates_read_in_the_page_language(value, lang, expected):
    assert life_date(value, lang) == expected


@pytest.mark.parametrize("uri,name", [
    ("http://vocab.getty.edu/ulan/500019484", "ULAN"), ("https://d-nb.info/gnd/118583387", "GND"),
    ("https://viaf.org/viaf/24604287", "VIAF"), ("https://www.wikidata.org/wiki/Q296", "Wikidata"),
    ("https://sws.geonames.org/3016078/", "GeoNames"), ("http://evil.example/viaf.org/1", "evil.example"),
])
def test_authority_names(uri, name):
    assert authority_name(uri) == name
