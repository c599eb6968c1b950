"""The search arrays (search_arrays): computed at publish, they answer exactly what the SQL path answers.

A generated catalogue in the benchmark's shape (several creators or none, undated records, records without
image, shared and distinct titles) is indexed once; every generated search is asked of it and of a copy of
the index without its arrays, which answers by SQL alone: totals, pages in every order, facet counts and
sizes must be the same.
"""

from __future__ import annotations

import random
import sqlite3
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from musenor.catalogue import Catalogue, search_arrays
from musenor.catalogue.search import FACETS, SearchIndex, search_index, sync_search

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
from webcatalogue import publish, staged_record  # noqa: E402

BASE = "http://hub.test"
MUSEUMS = ["M0601", "M0602", "M0603"]
TYPES = ["peinture", "dessin", "estampe", "sculpture"]
MATERIALS = ["huile", "toile", "bois", "bronze", "papier"]
CREATORS = ["Corot", "Boudin", "Morisot", "Millet", "Hals"]
WORDS = ["église", "paysage", "portrait", "marine", "moulin", "nature morte", "port", "saint"]
DC, DCT, EDM = "http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/", "http://www.europeana.eu/schemas/edm/"
SKOS = "http://www.w3.org/2004/02/skos/core#prefLabel"


def record(rng: random.Random, code: str, n: int) -> tuple[str, str]:
    uri = f"{BASE}/id/record/{code}/INV.{n}"
    cho = f"<{BASE}/id/object/{code}/INV.{n}>"
    title = " ".join(rng.sample(WORDS, 2)).capitalize()
    if rng.random() < 0.5:  # half the titles are shared by several records: ties the order must settle
        title += f" {n}"
    lines = [f"<{uri}> <{EDM}aggregatedCHO> {cho} .", f"<{uri}> <{EDM}dataProvider> <{BASE}/id/museum/{code}> .",
             f'<{BASE}/id/museum/{code}> <{SKOS}> "Musée {code}"@fr .',
             f'{cho} <{DC}identifier> "INV.{n}" .', f'{cho} <{DC}title> "{title}"@fr .',
             f'{cho} <{DC}description> "{" ".join(rng.choices(WORDS, k=6))}"@fr .',
             f"{cho} <{DC}type> <{BASE}/vocab/object-type/{rng.choice(TYPES)}> ."]
    for material in rng.sample(MATERIALS, rng.randint(0, 2)):
        lines.append(f"{cho} <{DCT}medium> <{BASE}/vocab/material/{material}> .")
    for name in rng.sample(CREATORS, rng.choice([0, 1, 1, 2])):
        agent = f"<{BASE}/id/agent/{name.lower()}>"
        lines += [f"{cho} <{DC}creator> {agent} .", f'{agent} <{SKOS}> "{name}"@fr .']
    if rng.random() < 0.8:  # some records have no date at all: they sort last by date, past any year range
        begin = rng.randint(1450, 1950)
        span = f"<{BASE}/id/timespan/{code}-{n}>"
        lines += [f"{cho} <{DCT}temporal> {span} .", f'{span} <{EDM}begin> "{begin}" .',
                  f'{span} <{EDM}end> "{begin + rng.choice([0, 0, 30, 120])}" .']
    if rng.random() < 0.6:
        lines.append(f"<{uri}> <{EDM}isShownBy> <http://img.test/{code}/{n}.jpg> .")
    return uri, "\n".join(lines) + "\n"


def sql_only(path: Path, copy: Path) -> SearchIndex:
    """A copy of the index without its arrays: every search on it takes the SQL path."""
    with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
        target.execute("DELETE FROM arrays")
    return SearchIndex(copy)


@pytest.fixture(scope="module")
def indexes(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("arrays")
    catalogue = Catalogue(data_dir)
    rng = random.Random(15)
    publish(catalogue, [staged_record(*record(rng, code, n)) for code in MUSEUMS for n in range(80)])
    # A second publish replaces and deletes some records: the arrays have holes in their document ids.
    publish(catalogue, [staged_record(*record(rng, "M0601", n)) for n in range(0, 20)]
            + [staged_record(f"{BASE}/id/record/M0602/INV.{n}", "", deleted=True) for n in range(10, 30)])
    sync_search(catalogue)
    index = search_index(catalogue)
    yield index, sql_only(index.path, data_dir / "sql-only.sqlite3")
    catalogue.close()


def answer(index: SearchIndex, **params):  # type: ignore[no-untyped-def]
    results = index.search(**params)
    return (results.total, [h.record_uri for h in results.hits], results.facet_sizes,
            {f: [(v.key, v.count, v.selected) for v in values] for f, values in results.facets.items()})


def test_the_arrays_are_used_and_the_copy_has_none(indexes):
    index, sql = indexes
    assert search_arrays.stored_seq(index.conn) == index.applied_change_seq()
    assert search_arrays.stored_seq(sql.conn) is None


FILTER_VALUES = {"museum": MUSEUMS + ["M0999"], "type": [f"object-type/{t}" for t in TYPES],
                 "creator": [f"agent/{c.lower()}" for c in CREATORS], "material": [f"material/{m}" for m in MATERIALS],
                 "period": [f"century:{c}" for c in range(15, 21)]}
searches = st.fixed_dictionaries({
    "text": st.sampled_from(["", "portrait", "paysages", "nature morte", '"nature morte"', "port OR moulin",
                             "saint -église", "-marine", "corot", "INV.12", "1850", "zzz"]),
    "filters": st.dictionaries(st.sampled_from(sorted(FILTER_VALUES)), st.just(None), max_size=3),
    "sort": st.sampled_from([None, "relevance", "title", "date", "-date", "museum"]),
    "page": st.sampled_from([1, 1, 2, 5, 40]),
    "page_size": st.sampled_from([3, 20]),
    "year_from": st.sampled_from([None, 1500, 1800]),
    "year_to": st.sampled_from([None, 1600, 1900]),
    "with_images": st.booleans(),
    "facet_limit": st.sampled_from([None, 2]),
}, optional={"pick": st.randoms(use_true_random=False)})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=searches)
def test_arrays_answer_what_sql_answers(indexes, params):
    index, sql = indexes
    pick = params.pop("pick", None) or random.Random(0)
    params["filters"] = {facet: pick.sample(FILTER_VALUES[facet], pick.randint(1, 2)) for facet in params["filters"]}
    index._counts.clear()
    sql._counts.clear()
    assert answer(index, **params) == answer(sql, **params)


def test_every_order_pages_through_every_record_once(indexes):
    index, _ = indexes
    for sort in ("title", "date", "-date", "museum"):
        seen = [h.record_uri for page in range(1, 14) for h in index.search("", sort=sort, page=page).hits]
        assert len(seen) == len(set(seen)) == index.count() == 220


def test_a_value_chosen_past_the_shown_ones_keeps_its_count(indexes):
    index, sql = indexes
    creators = index.search("", facet_limit=1).facets["creator"]
    assert len(creators) == 1
    last = index.search("", facet_limit=1000).facets["creator"][-1]
    chosen = index.search("", {"creator": [last.key]}, facet_limit=1).facets["creator"]
    assert [(v.key, v.count, v.selected) for v in chosen if v.selected] == [(last.key, last.count, True)]
    assert answer(index, filters={"creator": [last.key]}, facet_limit=1) == \
        answer(sql, filters={"creator": [last.key]}, facet_limit=1)


def test_a_sync_cut_before_its_arrays_is_answered_by_sql_then_repaired(tmp_path, monkeypatch):
    catalogue = Catalogue(tmp_path)
    rng = random.Random(3)
    publish(catalogue, [staged_record(*record(rng, "M0601", n)) for n in range(10)])
    sync_search(catalogue)
    index = search_index(catalogue)
    uri, nt = record(rng, "M0602", 99)
    publish(catalogue, [staged_record(uri, nt + f'<{BASE}/id/object/M0602/INV.99> <{DC}subject> "bélandre" .\n')])

    def cut(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt  # the process stopped between the last batch and the arrays

    monkeypatch.setattr(search_arrays, "compute", cut)
    with pytest.raises(KeyboardInterrupt):
        sync_search(catalogue)
    monkeypatch.undo()
    assert search_arrays.stored_seq(index.conn) != index.applied_change_seq()
    assert [h.record_uri for h in index.search("bélandre").hits] == [uri]  # the SQL path sees the new record
    assert index.search("", {"museum": ["M0602"]}).total == 1
    sync_search(catalogue)  # nothing left to apply, but the arrays are computed again
    assert search_arrays.stored_seq(index.conn) == index.applied_change_seq()
    assert [h.record_uri for h in index.search("bélandre").hits] == [uri]
    catalogue.close()


def test_an_index_of_no_document(tmp_path):
    catalogue = Catalogue(tmp_path)
    # A graph the index cannot read is left out of it: the sync applies the change and indexes nothing.
    publish(catalogue, [staged_record(f"{BASE}/id/record/M0601/INV.1", "<broken")])
    assert sync_search(catalogue) == 1
    index = search_index(catalogue)
    assert index.count() == 0 and index.published()
    results = index.search("", {"museum": ["M0601"]}, year_from=1500, with_images=True)
    assert (results.total, results.hits, results.facet_sizes["museum"]) == (0, [], 0)
    assert [(v.key, v.count, v.selected) for v in results.facets["museum"]] == [("M0601", 0, True)]
    assert index.search("portrait", sort="relevance").total == 0
    catalogue.close()


def test_arrays_of_another_format_are_computed_anew_at_the_next_sync(tmp_path):
    catalogue = Catalogue(tmp_path)
    publish(catalogue, [staged_record(*record(random.Random(5), "M0601", n)) for n in range(4)])
    sync_search(catalogue)
    index = search_index(catalogue)
    with index.conn:
        index.conn.execute("UPDATE arrays SET data = ? WHERE name = 'seq'", (f"1 {index.applied_change_seq()}",))
    assert search_arrays.stored_seq(index.conn) is None and not index.published()
    assert index.search("", {"museum": ["M0601"]}).total == 4  # answered by the SQL path meanwhile
    assert sync_search(catalogue) == 0
    assert index.published()
    assert index.search("", {"museum": ["M0601"]}).total == 4
    catalogue.close()


@pytest.mark.parametrize("wide_min", [1, 10**9])
def test_bit_sets_and_the_pass_over_a_facet_count_alike(indexes, monkeypatch, wide_min):
    """Every value counted by bit sets (wide_min 1), or none (10**9), under masks of every density: the counts
    are those of one pass over each document's values."""
    index, _ = indexes
    monkeypatch.setattr(search_arrays, "WIDE_MIN", wide_min)
    monkeypatch.setattr(search_arrays, "FEW", 0)  # never the few-hits path: the one under test is the other
    arrays = search_arrays.Arrays(index.conn, FACETS)
    rng = np.random.default_rng(4)
    for facet, column in arrays.facets.items():
        assert len(column.wide) == (len(column.keys) if wide_min == 1 else 0)
        for density in (0.0, 0.1, 0.5, 1.0):
            mask = (rng.random(arrays.size) < density) & arrays.alive
            expected = np.bincount(column.values[mask[column.docs]], minlength=len(column.keys))
            counted = column.count(mask, int(mask.sum()), search_arrays.packed)
            assert counted.tolist() == expected.tolist(), (facet, density)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="mallopt is glibc's")
def test_a_searchs_freed_arrays_are_reused_without_page_faults():
    """Arrays of a million documents are allocated on every search: once the memory of one search is freed,
    the next one's arrays reuse it instead of faulting in fresh zero-filled pages."""
    import resource

    assert search_arrays.keep_freed_memory()

    def faults_of_one_search() -> int:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        arrays = [np.ones(1_000_000, dtype=np.float64) for _ in range(3)]  # 8 MB each, written through
        del arrays
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

    faults_of_one_search()
    assert faults_of_one_search() < 100  # without it: 1,300-1,800 faults here (glibc mmaps some of them anew)
