"""Search as readers use it: stemming both languages, every field, query syntax, sorts, years, images,
numbered pages, merged facets ORed within and ANDed across, short keys, show all — on the embedded index and
on PostgreSQL's full-text search, with the same answers."""

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
import webcatalogue  # noqa: E402


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def web(request, tmp_path_factory):
    """The catalogue, its search index embedded or in PostgreSQL: every expectation below holds on both."""
    search = request.getfixturevalue("postgres_cluster").create_database() if request.param == "postgresql" else None
    config, catalogue = webcatalogue.build_catalogue(tmp_path_factory.mktemp("search"), more=True, search=search)
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


def search(client, **params) -> str:
    response = client.get("/search", query_string=params)
    assert response.status_code == 200, response.status_code
    return response.data.decode()


@pytest.mark.parametrize("words,expected", [
    ("portraits", ["Portrait d&#39;un échevin", "Portraits des enfants du peintre"]),  # French plural -> stem
    ("PORTRAIT", ["Portrait d&#39;un échevin", "Portraits des enfants du peintre"]),
    ("cheval", ["Portraits des enfants du peintre"]),            # "chevaux" in the description
    ("horse", ["Horses in the snow"]),                           # English plural -> stem
    ("studies", ["Horses in the snow"]),                         # "studies" and "study" meet
    ("echevins", ["Portrait d&#39;un échevin"]),                 # accents folded, then stemmed
])
def test_stemmed_and_folded_words_match(client, words, expected):
    assert sorted(titles(search(client, q=words))) == sorted(expected)


@pytest.mark.parametrize("words,expected", [
    ("douai", ["Paysage flamand avec église", "Portrait d&#39;un échevin", "Portraits des enfants du peintre"]),
    ("chartreuse", ["Paysage flamand avec église", "Portrait d&#39;un échevin", "Portraits des enfants du peintre"]),
    ("1710", ["Portrait d&#39;un échevin"]),                      # a year of its dates
    ("D.41", ["Portraits des enfants du peintre"]),               # inventory number, as a whole
    ("toile", ["Portrait d&#39;un échevin", "Portraits des enfants du peintre",  # materials, text or concept
               "Vue de l&#39;église Saint-Maurice"]),                          # and the description
])
def test_museum_city_year_inventory_and_materials_are_searched(client, words, expected):
    assert sorted(titles(search(client, q=words))) == sorted(expected)


def test_a_quoted_phrase_matches_words_in_that_order(client):
    assert titles(search(client, q='"enfants du peintre"')) == ["Portraits des enfants du peintre"]
    assert titles(search(client, q='"peintre du enfants"')) == []


def test_or_matches_either_term(client):
    assert sorted(titles(search(client, q="goya OR corot"))) == ["Les Vieilles", "Vue de l&#39;église Saint-Maurice"]
    assert sorted(titles(search(client, q="goya OU corot"))) == ["Les Vieilles", "Vue de l&#39;église Saint-Maurice"]


def test_a_minus_excludes_a_word_or_a_phrase(client):
    assert titles(search(client, q="portrait -enfants")) == ["Portrait d&#39;un échevin"]
    assert titles(search(client, q='portrait -"un échevin"')) == ["Portraits des enfants du peintre"]


def test_sorts(client):
    assert titles(search(client, q="portrait", sort="date")) == [
        "Portrait d&#39;un échevin", "Portraits des enfants du peintre"]
    assert titles(search(client, q="portrait", sort="-date")) == [
        "Portraits des enfants du peintre", "Portrait d&#39;un échevin"]
    by_museum = titles(search(client, sort="museum"))
    # La Piscine (Roubaix), Musée de la Chartreuse (Douai), Palais des Beaux-Arts (Lille); by title within
    assert by_museum[:2] == ["Échantillon de tissu « cœur fleuri »", "Vase à décor de paysage"]  # É files as E
    assert by_museum[-1] == "Vue de l&#39;église Saint-Maurice"


def test_unknown_sort_is_a_clear_400(client):
    response = client.get("/search?sort=price")
    assert response.status_code == 400
    assert "Paramètre « sort » illisible : &#39;price&#39; is not one of relevance, title, date, -date, museum." \
        in response.data.decode()


def test_year_range_keeps_records_whose_dates_overlap(client):
    assert sorted(titles(search(client, **{"from": "1700", "to": "1799"}))) == [
        "Portrait d&#39;un échevin", "Vase à décor de paysage"]
    assert titles(search(client, **{"from": "1900"})) == ["Échantillon de tissu « cœur fleuri »", "Horses in the snow"]


def test_a_year_that_is_not_one_is_a_400(client):
    assert client.get("/search?from=18e").status_code == 400


def test_only_with_images(client):
    assert titles(search(client, images="1")) == [
        "Échantillon de tissu « cœur fleuri »", "Paysage flamand avec église", "Portrait d&#39;un échevin",
        "Vue de l&#39;église Saint-Maurice"]


def test_one_facet_value_per_meaning(client):
    page = search(client)
    # "tableau" (a denomination) is skos:exactMatch "peinture": one value, six works, filed under the least
    # URI of the cluster whichever concept a museum used
    assert facet_values(page, "type") == [("tableau", "6"), ("vase", "1"), ("échantillon textile", "1")]
    # "Huile sur toile" as a museum wrote it and the concept "huile sur toile" are one value
    assert ("huile sur toile", "2") in facet_values(page, "material")


def test_merged_value_in_english(client):
    page = search(client, lang="en")
    assert facet_values(page, "type")[0] == ("painting", "6")
    assert ("oil on canvas", "2") in facet_values(page, "material")


def test_values_of_one_facet_are_ored_and_facets_anded(client):
    page = search(client, period=["century:17", "century:18"])
    assert sorted(titles(page)) == ["Paysage flamand avec église", "Portrait d&#39;un échevin",
                                    "Vase à décor de paysage"]
    # the period facet is counted without its own filter: the other centuries show what they would add
    assert ("XIXe siècle", "3") in facet_values(page, "period")
    both = search(client, period=["century:17", "century:18"], museum="M0631")
    assert sorted(titles(both)) == ["Paysage flamand avec église", "Portrait d&#39;un échevin"]
    assert facet_values(both, "museum") == [("Musée de la Chartreuse", "2"),
                                            ("La Piscine, musée d&#39;Art et d&#39;Industrie André Diligent", "1")]


def test_facet_links_carry_short_keys(client):
    page = search(client)
    assert 'href="?type=denomination%2Ftableau"' in page
    assert "http%3A%2F%2Fhub.test%2Fvocab" not in page


def test_a_merged_concept_or_full_uri_in_a_link_finds_its_value(client):
    by_tableau = search(client, type="denomination/tableau")
    by_uri = search(client, type="http://hub.test/vocab/object-type/peinture")
    assert len(titles(by_tableau)) == 6 and titles(by_tableau) == titles(by_uri)


def test_show_all_values_of_a_facet(web, monkeypatch):
    import musenor.catalogue.search

    monkeypatch.setattr(musenor.catalogue.search, "FACET_LIMIT", 1)
    client = web[0].test_client()
    page = client.get("/search").data.decode()
    monkeypatch.undo()
    assert facet_values(page, "type") == [("tableau", "6")]
    assert 'href="?more=type">Tout afficher (3)' in page
    page = client.get("/search?more=type").data.decode()
    assert len(facet_values(page, "type")) == 3
    assert 'Afficher moins' in page


def test_numbered_pages(web, monkeypatch):
    import musenor.oai_server.pages as pages

    monkeypatch.setattr(pages, "PAGE_SIZE", 1)
    client = web[0].test_client()
    page = client.get("/search?page=5").data.decode()
    numbers = re.findall(r'<li><a (?:aria-current="page" )?href="\?page=(\d+)"', page)
    assert numbers == ["1", "3", "4", "5", "6", "7", "8"]
    assert 'aria-current="page" href="?page=5"' in page
    assert page.count('<li class="gap" aria-hidden="true">…</li>') == 1


def test_a_page_past_the_last_is_a_clean_404(client):
    response = client.get("/search?q=portrait&page=99")
    page = response.data.decode()
    assert response.status_code == 404
    assert "Cette page n&#39;existe pas" in page
    assert "2 résultats" not in page and "Aucun résultat" not in page
    assert 'href="?q=portrait&amp;page=1">Dernière page' in page


def test_no_result_is_said_once(client):
    page = search(client, q="zzzyx")
    assert "0 résultat" in page and page.count("Aucun résultat") == 1
    assert 'class="pagination"' not in page


def test_only_an_exclusion_lists_every_other_record(client):
    page = search(client, q="-portrait -paysage")
    assert "4 résultats" in page
    assert "Portrait d&#39;un échevin" not in titles(page)
    assert "Paysage flamand avec église" not in titles(page)
