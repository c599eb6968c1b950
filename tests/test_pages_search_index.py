"""The search index (SQLite FTS5, or PostgreSQL's full-text search): derived from the ledger by change sequence,
rebuildable, accent-insensitive."""

import sys
from pathlib import Path

import pytest

from musenor.catalogue import Catalogue
from musenor.catalogue.search import (SearchIndex, century_labels, fts_query, index_record, rebuild_search, search_index,
                              sync_search)

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
import webcatalogue  # noqa: E402

RECORD = "http://hub.test/id/record/M0629/P.1850.3"
DC = "http://purl.org/dc/elements/1.1/"


@pytest.fixture(params=["sqlite", "postgresql"])
def catalogue(request, tmp_path):
    """The catalogue, its search index embedded or in PostgreSQL (``[hub] search``)."""
    search = request.getfixturevalue("postgres_cluster").create_database() if request.param == "postgresql" else None
    _, catalogue = webcatalogue.build_catalogue(tmp_path, search=search)
    yield catalogue
    catalogue.close()


FR = "{title_fr creator_fr description_fr place_fr other_fr}"
EN = "{title_en creator_en description_en place_en other_en}"


def test_fts_query_quotes_every_word_and_stems_it_both_ways():
    assert fts_query("églises NEAR(x") == (f'(({FR} : "eglis"* OR {EN} : "eglis"*)) AND '
                                           f'(({FR} : "near x" OR {EN} : "near x"))')
    assert fts_query("  ,;  ") is None
    assert fts_query("Œuvres") == f'(({FR} : "oeuvr"* OR {EN} : "oeuvr"*))'


@pytest.mark.parametrize("century,fr,en", [(19, "XIXe siècle", "19th century"), (1, "Ier siècle", "1st century"),
                                           (21, "XXIe siècle", "21st century"), (12, "XIIe siècle", "12th century"),
                                           (-5, "5e siècle av. J.-C.", "5th century BCE")])
def test_century_labels(century, fr, en):
    assert century_labels(century) == {"fr": fr, "en": en}


def test_index_record_extracts_profile_fields():
    record = index_record("oai:musenor.fr:M0629:P.1850.3", RECORD, webcatalogue.record_graphs()[RECORD])
    assert record.museum == "M0629"
    assert record.facets == {
        "museum": ["M0629"], "type": ["object-type/peinture"],
        "creator": ["agent/corot-camille-1796"], "period": ["century:19"],
        "material": ["material/huile"]}
    assert record.text["creator"] == ["Corot, Camille"]
    assert record.text["place"] == ["Lille", "Palais des Beaux-Arts de Lille"]  # the museum is searchable
    assert record.summary["thumbnail"] == "http://img.test/lille/P.1850.3-thumb.jpg"
    assert record.summary["title"] == {"fr": "Vue de l'église Saint-Maurice", "en": "View of the Saint-Maurice church"}
    assert record.labels[("museum", "M0629")] == {"fr": "Palais des Beaux-Arts de Lille"}


def test_concept_labels_come_from_the_lookup():
    record = index_record("oai:musenor.fr:M0629:P.1850.3", RECORD, webcatalogue.record_graphs()[RECORD],
                          labels=lambda uri: {"fr": "PEINTURE", "en": "PAINTING"} if uri.endswith("peinture") else {})
    assert record.labels[("type", "object-type/peinture")] == {"fr": "PEINTURE", "en": "PAINTING"}


def test_sync_applies_ledger_changes_once(catalogue):
    assert sync_search(catalogue) == 5
    assert sync_search(catalogue) == 0
    index = search_index(catalogue)
    assert index.applied_change_seq() == catalogue.ledger.last_change_seq()
    assert index.count() == 5


def test_a_sync_applies_what_was_published_when_it_began_not_what_a_harvest_goes_on_publishing(catalogue,
                                                                                                 monkeypatch):
    """A server catching up in a request while a harvest publishes again and again applies the changes there
    when it began, and returns: it never chases the harvest (a request once waited a minute doing so)."""
    monkeypatch.setattr("musenor.catalogue.search.SYNC_BATCH", 2)
    monkeypatch.setattr("musenor.catalogue.search_postgresql.SYNC_BATCH", 2)
    target = catalogue.ledger.last_change_seq()
    ledger_changes = catalogue.ledger.changes_since
    published = []

    def changes_since(change_seq, limit=1000):  # type: ignore[no-untyped-def]
        found = ledger_changes(change_seq, limit)
        if len(published) < 20:  # each batch the index reads, a harvest publishes one more record meanwhile
            uri = f"http://hub.test/id/record/M0629/NEW.{len(published)}"
            webcatalogue.publish(catalogue, [webcatalogue.staged_record(uri, f'<{uri}> <{DC}title> "x" .\n')])
            published.append(uri)
        return found

    monkeypatch.setattr(catalogue.ledger, "changes_since", changes_since)
    assert sync_search(catalogue) == 5
    index = search_index(catalogue)
    assert index.applied_change_seq() == target < catalogue.ledger.last_change_seq()
    assert len(published) == 3  # one batch read each: 2 + 2 + 1 changes
    monkeypatch.undo()
    assert sync_search(catalogue) == 3  # the next sync applies the rest
    assert index.count() == 8


def test_tombstone_removes_from_index(catalogue):
    sync_search(catalogue)
    webcatalogue.publish(catalogue, [webcatalogue.staged_record(RECORD, "", deleted=True)])
    assert sync_search(catalogue) == 1
    index = search_index(catalogue)
    assert index.search("corot").total == 0
    assert [v.key for v in index.search("").facets["creator"]] == [
        "agent/brueghel-jan-1568", "agent/goya-francisco-1746"]


def test_changed_record_is_replaced_not_duplicated(catalogue):
    sync_search(catalogue)
    graph = webcatalogue.record_graphs()[RECORD].replace("Vue de l'église Saint-Maurice", "Vue de la collégiale")
    webcatalogue.publish(catalogue, [webcatalogue.staged_record(RECORD, graph)])
    sync_search(catalogue)
    index = search_index(catalogue)
    assert index.count() == 5
    assert index.search("collegiale").total == 1
    assert index.search("collegiale").hits[0].summary["title"]["fr"] == "Vue de la collégiale"
    assert [h.summary["title"]["fr"] for h in index.search("eglise").hits] == [
        "Paysage flamand avec église", "Vue de la collégiale"]  # the description still names the church


def test_rebuild_gives_the_same_index(catalogue):
    sync_search(catalogue)
    index = search_index(catalogue)
    before = index.search("", page_size=10)
    assert rebuild_search(catalogue) == 5
    after = index.search("", page_size=10)
    assert [h.record_uri for h in after.hits] == [h.record_uri for h in before.hits]
    assert after.facets == before.facets


def test_index_survives_reopening(tmp_path):
    _, catalogue = webcatalogue.build_catalogue(tmp_path)
    sync_search(catalogue)
    catalogue.close()
    reopened = SearchIndex(tmp_path / "search.sqlite3")
    assert reopened.search("eglise").total == 2
    assert reopened.applied_change_seq() == Catalogue(tmp_path, open_graph=False).ledger.last_change_seq()


def test_selected_facet_value_with_no_hits_stays_visible(catalogue):
    sync_search(catalogue)
    results = search_index(catalogue).search("vase", {"museum": ["M0629"]})
    assert results.total == 0
    # OR within a facet: the museum facet is counted without its own filter, so La Piscine's vase shows
    assert [(v.key, v.count, v.selected) for v in results.facets["museum"]] == [("M0629", 0, True),
                                                                                 ("M0630", 1, False)]


def test_hub_thumbnail_is_preferred_for_result_lists():
    graph = webcatalogue.record_graphs()[RECORD] + (
        "<http://img.test/lille/P.1850.3.jpg> <https://w3id.org/musenor/ns#thumbnail> "
        "<http://hub.test/images/M0629/thumbs/P.1850.3.jpg> .\n")
    record = index_record("oai:musenor.fr:M0629:P.1850.3", RECORD, graph)
    assert record.summary["thumbnail"] == "http://hub.test/images/M0629/thumbs/P.1850.3.jpg"


def test_named_periods_are_facets_only_for_undated_records():
    period = "<http://hub.test/vocab/period/xixe>"
    cho = "<http://hub.test/id/object/M0629/P.1850.3>"
    dated = webcatalogue.record_graphs()[RECORD] + f"{cho} <http://purl.org/dc/terms/temporal> {period} .\n"
    record = index_record("oai:musenor.fr:M0629:P.1850.3", RECORD, dated)
    assert record.facets["period"] == ["century:19"]
    undated = "\n".join(line for line in dated.splitlines() if "/timespan/" not in line) + "\n"
    record = index_record("oai:musenor.fr:M0629:P.1850.3", RECORD, undated)
    assert record.facets["period"] == ["period/xixe"]
