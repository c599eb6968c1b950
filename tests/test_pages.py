"""The public catalogue pages: home, search with facets and paging, record, museum and exhibition pages."""

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
import webcatalogue  # noqa: E402


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    config, catalogue = webcatalogue.build_catalogue(tmp_path_factory.mktemp("pages"))
    app = webcatalogue.make_app(config, catalogue)
    yield app, catalogue
    webcatalogue.close_app(app, catalogue)


@pytest.fixture
def client(web):
    return web[0].test_client()


def titles(page: str) -> list[str]:
    return re.findall(r'<h3 class="card-title">(.*?)</h3>', page)


def facet_values(page: str, facet: str) -> list[tuple[str, str]]:
    section = page.split(f'data-facet="{facet}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<span class="facet-label">(.*?)</span>\s*<span class="facet-count">(\d+)</span>', section)


def test_home_lists_the_museums_with_counts(client):
    page = client.get("/").data.decode()
    assert '<html lang="fr">' in page
    assert re.search(r"Palais des Beaux-Arts de Lille</span>\s*<span class=\"museum-city\">Lille</span>\s*"
                     r"<span class=\"museum-count\">2 œuvres</span>", page)
    assert re.search(r"Musée de la Chartreuse</span>\s*<span class=\"museum-city\">Douai</span>\s*"
                     r"<span class=\"museum-count\">1 œuvre</span>", page)
    assert "Paysages du Nord" in page


def test_search_is_accent_insensitive(client):
    page = client.get("/search?q=eglise").data.decode()
    assert titles(page) == ["Paysage flamand avec église", "Vue de l&#39;église Saint-Maurice"]
    assert "2 résultats" in page


def test_search_folds_ligatures(client):
    assert titles(client.get("/search?q=coeur").data.decode()) == ["Échantillon de tissu « cœur fleuri »"]
    assert titles(client.get("/search?q=OEUVRE").data.decode()) == ["Échantillon de tissu « cœur fleuri »"]


@pytest.mark.parametrize("words,expected", [
    ("corot", ["Vue de l&#39;église Saint-Maurice"]),          # creator
    ("roubaix", ["Échantillon de tissu « cœur fleuri »",      # place and description
                 "Vase à décor de paysage"]),                  # the city of its museum
    ("moulin", ["Paysage flamand avec église"]),               # description
    ("P.1799.1", ["Les Vieilles"]),                            # inventory number
])
def test_search_covers_creators_places_descriptions(client, words, expected):
    assert titles(client.get(f"/search?q={words}").data.decode()) == expected


def test_facets_show_counts(client):
    page = client.get("/search").data.decode()
    # most works first, ties by Museofile code
    assert facet_values(page, "museum") == [("Palais des Beaux-Arts de Lille", "2"),
                                            ("La Piscine, musée d&#39;Art et d&#39;Industrie André Diligent", "2"),
                                            ("Musée de la Chartreuse", "1")]
    assert facet_values(page, "type") == [("peinture", "3"), ("vase", "1"), ("échantillon textile", "1")]
    assert ("XIXe siècle", "2") in facet_values(page, "period")
    assert facet_values(page, "material")[0] == ("huile", "3")


def test_a_facet_filters_and_counts_within(client):
    page = client.get("/search?type=http://hub.test/vocab/object-type/peinture").data.decode()
    assert "3 résultats" in page
    assert facet_values(page, "museum") == [("Palais des Beaux-Arts de Lille", "2"), ("Musée de la Chartreuse", "1")]
    assert 'aria-current="true"' in page


def test_facets_and_words_combine(client):
    page = client.get("/search?q=eglise&museum=M0631").data.decode()
    assert titles(page) == ["Paysage flamand avec église"]


def test_facet_labels_in_english(client):
    page = client.get("/search?lang=en").data.decode()
    assert '<html lang="en">' in page
    assert ("painting", "3") in facet_values(page, "type")
    assert ("19th century", "2") in facet_values(page, "period")


def test_accept_language_chooses_english(client):
    page = client.get("/search", headers={"Accept-Language": "en-GB,en;q=0.9"}).data.decode()
    assert "Refine" in page and "5 results" in page


def test_results_are_paged(web, monkeypatch):
    import musenor.oai_server.pages as pages

    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    client = web[0].test_client()
    first = client.get("/search").data.decode()
    third = client.get("/search?page=3").data.decode()
    # without words, by title with accents folded: "Échantillon" files under E
    assert titles(first) == ["Échantillon de tissu « cœur fleuri »", "Les Vieilles"]
    assert titles(third) == ["Vue de l&#39;église Saint-Maurice"]
    assert "Page 1 sur 3" in first and 'rel="next" href="?page=2"' in first
    assert 'rel="prev"' in third and 'rel="next"' not in third


def test_nonsense_page_number_is_page_one(client):
    assert titles(client.get("/search?page=abc").data.decode())[:1] == ["Échantillon de tissu « cœur fleuri »"]


EVERY_TITLE = ["Échantillon de tissu « cœur fleuri »", "Les Vieilles", "Paysage flamand avec église",
               "Vase à décor de paysage", "Vue de l&#39;église Saint-Maurice"]


# FTS5 syntax is never interpreted: punctuation alone is no word (every record), operators are words to find
@pytest.mark.parametrize("words,expected", [
    ('"', EVERY_TITLE), ("*", EVERY_TITLE), ("NEAR(a b)", []), ("title:x OR", []),
    # AND is no operator (words are ANDed anyway) and "a" is "à" folded
    ("a AND AND", ["Vase à décor de paysage", "Échantillon de tissu « cœur fleuri »"]),
    ("'; DROP TABLE documents; --", []), ('vieilles"', ["Les Vieilles"]), ("(vieilles*", ["Les Vieilles"]),
])
def test_hostile_search_input_is_just_words(client, words, expected):
    response = client.get("/search", query_string={"q": words})
    assert response.status_code == 200
    assert titles(response.data.decode()) == expected


def test_record_page_shows_every_field(client):
    page = client.get("/notice/M0629/P.1850.3").data.decode()
    assert "<h1>Vue de l&#39;église Saint-Maurice</h1>" in page
    for text in ("Corot, Camille", "vers 1850", "peinture", "huile", "H. 73 cm ; L. 92 cm", "Lille",
                 "Huile sur toile montrant", "P.1850.3", "Palais des Beaux-Arts de Lille", "Domaine public",
                 '<a class="image-link" href="http://img.test/lille/P.1850.3.jpg" rel="external"',
                 # the hub holds no copy: the museum's thumbnail is shown, its full image only linked
                 'src="http://img.test/lille/P.1850.3-thumb.jpg"', 'href="https://pba.lille.fr/collections/P.1850.3"'):
        assert text in page, text


def test_record_page_links_every_machine_format(client):
    page = client.get("/notice/M0629/P.1850.3").data.decode()
    for fmt in ("ttl", "jsonld", "rdfxml", "nt", "linked-art"):
        assert f'href="/id/record/M0629/P.1850.3?format={fmt}"' in page
    for prefix in ("oai_dc", "lido", "edm"):
        assert f"metadataPrefix={prefix}&amp;identifier=oai%3Amusenor.fr%3AM0629%3AP.1850.3" in page


def test_record_without_rights_says_undetermined(client):
    page = client.get("/notice/M0629/P.1799.1").data.decode()
    assert "Statut des droits non déterminé" in page


def test_record_page_in_english(client):
    page = client.get("/notice/M0629/P.1850.3?lang=en").data.decode()
    assert "<h1>View of the Saint-Maurice church</h1>" in page
    assert "painting" in page and "Public domain" in page


def test_unknown_record_page_is_404(client):
    assert client.get("/notice/M0629/NOPE").status_code == 404


def test_museum_page(client):
    page = client.get("/musees/M0630").data.decode()
    assert "<h1>La Piscine, musée d&#39;Art et d&#39;Industrie André Diligent</h1>" in page
    assert sorted(titles(page)) == ["Vase à décor de paysage", "Échantillon de tissu « cœur fleuri »"]
    assert client.get("/musees/M9999").status_code == 404


def test_exhibition_page_lists_its_records(client):
    page = client.get("/expositions/paysages").data.decode()
    assert "<h1>Paysages du Nord</h1>" in page
    assert re.findall(r'class="work-title">(.*?)</a>', page) == ["Vue de l&#39;église Saint-Maurice",
                                                                 "Paysage flamand avec église"]
    assert client.get("/expositions/nope").status_code == 404
    assert "Paysages du Nord" in client.get("/expositions").data.decode()


@pytest.fixture
def own_web(tmp_path):
    """A catalogue of the test's own, for a test that publishes: the module's shared one stays as built."""
    config, catalogue = webcatalogue.build_catalogue(tmp_path)
    app = webcatalogue.make_app(config, catalogue)
    yield app, catalogue
    webcatalogue.close_app(app, catalogue)


def test_search_index_follows_a_new_publish(own_web):
    app, catalogue = own_web
    graph = ('<http://hub.test/id/record/M0631/D.99> <http://www.europeana.eu/schemas/edm/aggregatedCHO> '
             '<http://hub.test/id/object/M0631/D.99> .\n'
             '<http://hub.test/id/object/M0631/D.99> <http://purl.org/dc/elements/1.1/title> "Cathédrale d\'Arras"@fr .\n')
    webcatalogue.publish(catalogue, [webcatalogue.staged_record("http://hub.test/id/record/M0631/D.99", graph)])
    client = app.test_client()
    assert titles(client.get("/search?q=cathedrale").data.decode()) == ["Cathédrale d&#39;Arras"]
    webcatalogue.publish(catalogue, [webcatalogue.staged_record("http://hub.test/id/record/M0631/D.99", "",
                                                                deleted=True)])
    assert titles(client.get("/search?q=cathedrale").data.decode()) == []


@pytest.mark.parametrize("path", ["/", "/search", "/notice/M0629/P.1850.3", "/sparql"])
def test_no_write_endpoint(client, path):
    assert client.put(path).status_code == 405
    assert client.delete(path).status_code == 405


def test_pages_are_accessible_markup(client):
    page = client.get("/search?q=eglise").data.decode()
    assert '<a class="skip" href="#main">' in page
    assert 'role="search"' in page and '<label for="q"' in page
    assert 'lang="en">English</a>' in page
    assert '<meta name="viewport"' in page
    assert "http" not in page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]


def test_stylesheet_is_served_locally(client):
    response = client.get("/static/musenor.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert "@import" not in response.data.decode() and "url(http" not in response.data.decode()


def test_hostile_urls_from_a_museum_are_not_links(tmp_path):
    config, catalogue = webcatalogue.build_catalogue(tmp_path)
    uri = "http://hub.test/id/record/M0631/EVIL"
    graph = (f'<{uri}> <http://www.europeana.eu/schemas/edm/aggregatedCHO> <http://hub.test/id/object/M0631/EVIL> .\n'
             f'<{uri}> <http://www.europeana.eu/schemas/edm/isShownAt> <javascript:alert(1)> .\n'
             f'<{uri}> <http://www.europeana.eu/schemas/edm/object> <javascript:alert(2)> .\n'
             '<http://hub.test/id/object/M0631/EVIL> <http://purl.org/dc/elements/1.1/title> "<script>alert(3)</script>"@fr .\n')
    webcatalogue.publish(catalogue, [webcatalogue.staged_record(uri, graph)])
    app = webcatalogue.make_app(config, catalogue)
    try:
        client = app.test_client()
        for page in (client.get("/notice/M0631/EVIL").data.decode(), client.get("/search?q=alert").data.decode()):
            assert "javascript:" not in page
            assert "<script>" not in page
            assert "&lt;script&gt;alert(3)&lt;/script&gt;" in page
    finally:
        webcatalogue.close_app(app, catalogue)


@pytest.mark.parametrize("lang,n,text", [
    ("fr", 0, "0 œuvre"), ("fr", 1, "1 œuvre"), ("fr", 2, "2 œuvres"), ("fr", 12345, "12\u202f345 œuvres"),
    ("en", 0, "0 works"), ("en", 1, "1 work"), ("en", 12345, "12,345 works"),
])
def test_counted_words_agree_with_their_number(lang, n, text):
    from musenor.oai_server.pages.i18n import translate

    assert translate("work_count", lang, n=n) == text


def test_pages_allow_only_their_own_script_and_style(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "object-src 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
