"""The search index's own postings (search_words): the same hits as FTS5, ranked by the same bm25() to the bit.

A catalogue with texts in several scripts, accents, ligatures, words repeated across columns, replaced and
deleted records (holes in the document ids, blocks emptied) is indexed with tiny blocks, so that words span
many blocks; every query is asked of the postings and of FTS5 itself.
"""

from __future__ import annotations

import random
import sqlite3
import sys
from pathlib import Path

import numpy as np
import pytest

from musenor.catalogue import Catalogue, search_query, search_words
from musenor.catalogue.search import COLUMNS, RANK, SEARCH_FILE, SearchIndex, search_index, sync_search

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
from webcatalogue import publish, staged_record  # noqa: E402

BASE = "http://hub.test"
DC, EDM = "http://purl.org/dc/elements/1.1/", "http://www.europeana.eu/schemas/edm/"
SKOS = "http://www.w3.org/2004/02/skos/core#prefLabel"
TEXTS = ["Portrait de femme", "Portraits d'enfants", "Église Saint-Maurice à Lille", "Œuvre de l'église",
         "Paysage d'hiver, port de Calais", "Porte de Paris", "Портрет женщины", "Πορτρέτο", "東京の港",
         "Nature morte aux fruits", "nature et morte", "P.1799.1", "Hafen von Brügge", "portrait portrait portrait"]


def record(rng: random.Random, n: int) -> tuple[str, str]:
    uri = f"{BASE}/id/record/M0601/INV.{n}"
    cho = f"<{BASE}/id/object/M0601/INV.{n}>"
    lines = [f"<{uri}> <{EDM}aggregatedCHO> {cho} .", f"<{uri}> <{EDM}dataProvider> <{BASE}/id/museum/M0601> .",
             f'{cho} <{DC}identifier> "INV.{n}" .', f'{cho} <{DC}title> "{rng.choice(TEXTS)}"@fr .']
    for _ in range(rng.randint(0, 3)):
        lines.append(f'{cho} <{DC}description> "{" ".join(rng.sample(TEXTS, 2))}"@{rng.choice(["fr", "en"])} .')
    if rng.random() < 0.5:
        lines.append(f'{cho} <{DC}subject> "{rng.choice(TEXTS)}" .')
    return uri, "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    patch = pytest.MonkeyPatch()
    patch.setattr(search_words, "BLOCK_BITS", 3)  # eight documents a block: every word spans many blocks
    catalogue = Catalogue(tmp_path_factory.mktemp("words"))
    rng = random.Random(7)
    publish(catalogue, [staged_record(*record(rng, n)) for n in range(120)])
    sync_search(catalogue)
    publish(catalogue, [staged_record(*record(rng, n)) for n in range(0, 30)]
            + [staged_record(f"{BASE}/id/record/M0601/INV.{n}", "", deleted=True) for n in range(40, 64)])
    sync_search(catalogue)
    yield search_index(catalogue)
    patch.undo()
    catalogue.close()


def fts5(index, term_text: str) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    match = search_query.parse(term_text).match(COLUMNS)
    rows = index.conn.execute(f"SELECT rowid, {RANK} FROM documents_text WHERE documents_text MATCH ? "
                              f"ORDER BY rowid", [match]).fetchall()
    return np.array([r[0] for r in rows], dtype=np.int64), np.array([r[1] for r in rows], dtype=np.float64)


def ours(index, term_text: str) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    with index._reading() as arrays:
        scorer = search_words.Scorer(index.conn, search_words.DocumentLengths(arrays.length, arrays.alive),
                                     index._phrase)
        return scorer.match(search_query.parse(term_text))


@pytest.mark.parametrize("text", ["portrait", "portraits", "por", "port", "eglise", "ÉGLISE", "oeuvre", "œuvre",
                                  "portrait femme", "portrait OR paysage", "hiver OR porte OR zzz", "портрет",
                                  "πορτρετο", "東京の港", "brugge", "1799", "zzz", "de", "a", '"nature morte"',
                                  '"portrait"', "Saint-Maurice lille", 'portrait -"nature morte"', '"morte nature"',
                                  "P.1799.1", 'portrait "nature morte aux"', '"port de calais" OR femme',
                                  '"morte aux fruits" -hiver', '"port calais de"'])
def test_hits_and_bm25_are_fts5s_to_the_bit(index, text):
    expected_ids, expected_rank = fts5(index, text)
    ids, rank = ours(index, text)
    assert ids.tolist() == expected_ids.tolist()
    assert rank.tobytes() == expected_rank.tobytes()  # no rounding apart: the same page order, ties included


@pytest.mark.parametrize("text", ["portrait", "port", "portrait OR paysage", '"nature morte" femme'])
def test_unranked_matches_are_the_ranked_ones_without_a_score(index, text):
    """A page sorted by date or title asks for no score: the same documents, and no rank computed."""
    with index._reading() as arrays:
        scorer = search_words.Scorer(index.conn, search_words.DocumentLengths(arrays.length, arrays.alive),
                                     index._phrase)
        ranked_ids, _ = scorer.match(search_query.parse(text))
        ids, rank = scorer.match(search_query.parse(text), ranked=False)
    assert rank is None
    assert ids.tolist() == ranked_ids.tolist() and len(ids)


@pytest.mark.parametrize("text", ['"nature morte aux fruits"', "Saint-Maurice-à-Lille portrait",
                                  '"hiver, port de Calais" OR femme'])
def test_phrases_of_four_words_are_fts5s_hits_and_rank(index, text):
    expected_ids, expected_rank = fts5(index, text)
    ids, rank = ours(index, text)
    assert ids.tolist() == expected_ids.tolist() and len(ids)
    assert np.allclose(rank, expected_rank, rtol=1e-12, atol=0)


def test_exclusions_are_the_documents_fts5_finds(index):
    query = search_query.parse("-portrait -\"nature morte\"")
    with index._reading() as arrays:
        excluded = search_words.Scorer(index.conn, search_words.DocumentLengths(arrays.length, arrays.alive),
                                     index._phrase).excluded(query)
    match = query.exclusion(COLUMNS)
    expected = [r[0] for r in index.conn.execute(
        "SELECT rowid FROM documents_text WHERE documents_text MATCH ? ORDER BY rowid", [match])]
    assert excluded.tolist() == expected and expected


def test_the_postings_hold_exactly_the_documents_left(index):
    """Every (word, document) of the stored postings is a token of that document, and every token is there:
    replaced and deleted records left nothing behind, and no block is stored empty."""
    conn = index.conn
    stored: dict[tuple[str, int], float] = {}
    for term, block, docs, freqs in conn.execute("SELECT term, block, docs, freqs FROM word_blocks"):
        docs, freqs = np.frombuffer(docs, dtype=np.int32), np.frombuffer(freqs, dtype=np.float32)
        assert len(docs) and (docs >> 3 == block).all() and (np.diff(docs) > 0).all()
        stored.update({(term, int(d)): float(f) for d, f in zip(docs, freqs)})
    columns = [name for lang in search_query.LANGUAGES for name in COLUMNS[lang]]
    expected: dict[tuple[str, int], float] = {}
    lengths = {}
    for row in conn.execute(f"SELECT rowid, {', '.join(columns)} FROM documents_text"):
        found, lengths[row[0]] = search_words.postings(
            row[1:], [10.0, 5.0, 1.0, 2.0, 1.0] * 2, ["fr"] * 5 + ["en"] * 5)
        expected.update({(term, row[0]): f for term, f in found.items()})
    assert stored == expected
    assert dict(conn.execute("SELECT id, length FROM documents")) == lengths
    assert {doc for _, doc in stored} == set(lengths) and len(lengths) == 120 - 24


def test_a_title_word_weighs_ten_a_description_word_one():
    found, length = search_words.postings(["portrait", "", "portrait femm", "", "", "", "", "", "", "portrait"],
                                          [10.0, 5.0, 1.0, 2.0, 1.0] * 2, ["fr"] * 5 + ["en"] * 5)
    assert found == {"fr:portrait": 11.0, "fr:femm": 1.0, "en:portrait": 1.0, "fr2:portrait femm": 1.0}
    assert length == 4


def test_an_index_of_the_layout_before_the_postings_is_rebuilt_with_them(tmp_path):
    """An index file written before the postings existed (layout 5: no word_blocks, no document lengths) is
    dropped when opened and rebuilt by the next sync: its words are then found through the postings."""
    catalogue = Catalogue(tmp_path)
    rng = random.Random(11)
    publish(catalogue, [staged_record(*record(rng, n)) for n in range(20)])
    sync_search(catalogue)
    expected = search_index(catalogue).search("portrait").total
    search_index(catalogue).close()
    path = tmp_path / SEARCH_FILE
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE word_blocks")
        conn.execute("ALTER TABLE documents DROP COLUMN length")
        conn.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    reopened = SearchIndex(path)
    assert reopened.count() == 0
    assert reopened.sync(catalogue.ledger) == 20
    assert reopened.search("portrait").total == expected > 0
    assert reopened.conn.execute("SELECT COUNT(*) FROM word_blocks WHERE term = 'fr:portrait'").fetchone()[0] > 0
    reopened.close()
    catalogue.close()


def postings_over_blocks() -> tuple[sqlite3.Connection, dict[int, float], dict[int, float]]:
    """Postings of 'fr:port' (every third document) and 'fr:porte' (every fifth) over 12,000 documents,
    three blocks of ids, written by two batches as a sync writes them."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(search_words.SCHEMA)
    port = {doc: 1.0 + doc % 7 for doc in range(0, 12_000, 3)}
    porte = {doc: 10.0 for doc in range(0, 12_000, 5)}
    for batch in (range(0, 6_000), range(6_000, 12_000)):
        writer = search_words.Writer()
        for doc in batch:
            found = {term: f for term, f in (("fr:port", port.get(doc)), ("fr:porte", porte.get(doc))) if f}
            if found:
                writer.add(doc, found)
        writer.write(conn)
    return conn, port, porte


def scorer_over(conn: sqlite3.Connection, size: int) -> search_words.Scorer:
    lengths = search_words.DocumentLengths(np.full(size, 10, dtype=np.int64), np.ones(size, dtype=np.bool_))
    return search_words.Scorer(conn, lengths, lambda term: (np.zeros(0), np.zeros(0)))


def test_one_terms_postings_are_read_across_blocks_in_document_order():
    conn, port, _ = postings_over_blocks()
    docs, freqs = scorer_over(conn, 12_000).frequencies("fr:port", prefix=False)
    assert docs.tolist() == sorted(port)
    assert freqs.tolist() == [port[d] for d in sorted(port)]


def test_a_prefixs_terms_are_summed_per_document():
    conn, port, porte = postings_over_blocks()
    docs, freqs = scorer_over(conn, 12_000).frequencies("fr:port", prefix=True)
    expected = {d: port.get(d, 0.0) + porte.get(d, 0.0) for d in sorted(port.keys() | porte.keys())}
    assert docs.tolist() == list(expected)
    assert freqs.tolist() == list(expected.values())


def test_documents_past_the_published_arrays_are_left_out():
    """A sync half applied has written postings of documents the arrays of this version do not hold yet."""
    conn, port, porte = postings_over_blocks()
    scorer = scorer_over(conn, 5_000)
    docs, _ = scorer.frequencies("fr:port", prefix=False)
    assert docs.tolist() == [d for d in sorted(port) if d < 5_000]
    docs, _ = scorer.frequencies("fr:port", prefix=True)
    assert docs.tolist() == sorted(d for d in port.keys() | porte.keys() if d < 5_000)


def test_an_unranked_read_gives_every_document_of_a_prefixs_terms_and_no_later_one():
    conn, port, porte = postings_over_blocks()
    assert set(scorer_over(conn, 12_000).documents("fr:port", prefix=True).tolist()) == port.keys() | porte.keys()
    assert set(scorer_over(conn, 5_000).documents("fr:port", prefix=True).tolist()) == \
        {d for d in port.keys() | porte.keys() if d < 5_000}
    assert scorer_over(conn, 12_000).documents("fr:zzz", prefix=True).tolist() == []


def test_a_phrase_of_three_words_is_read_from_the_postings_not_asked_of_fts5(index):
    """Boulogne-sur-Mer, Villeneuve-d'Ascq: three words readers type as one, answered like one word."""
    def fts5_phrase(term):  # type: ignore[no-untyped-def]
        raise AssertionError(f"asked FTS5 for {term.words}")

    with index._reading() as arrays:
        scorer = search_words.Scorer(index.conn, search_words.DocumentLengths(arrays.length, arrays.alive),
                                     fts5_phrase)
        ids, _ = scorer.match(search_query.parse('"port de calais"'))
    assert ids.tolist() == fts5(index, '"port de calais"')[0].tolist() and len(ids)


def test_a_long_backlog_taken_a_block_a_transaction_gives_the_same_postings(tmp_path, monkeypatch):
    monkeypatch.setattr(search_words, "BLOCK_BITS", 3)

    def built(name: str, bulk_batch: int) -> list[tuple]:
        monkeypatch.setattr("musenor.catalogue.search.BULK_BATCH", bulk_batch)
        catalogue = Catalogue(tmp_path / name)
        rng = random.Random(11)
        publish(catalogue, [staged_record(*record(rng, n)) for n in range(90)])
        transactions = []
        index = search_index(catalogue)
        begin = index._transaction

        def counted():  # type: ignore[no-untyped-def]
            transactions.append(1)
            return begin()

        monkeypatch.setattr(index, "_transaction", counted)
        sync_search(catalogue)
        rows = index.conn.execute("SELECT term, block, docs, freqs FROM word_blocks ORDER BY term, block").fetchall()
        catalogue.close()
        return [len(transactions), rows]

    bulk, small = built("bulk", 8), built("small", 10_000)
    assert bulk[1] == small[1] and len(bulk[1]) > 100
    # Eleven transactions of 8, the last 2 changes in one (a backlog no longer beyond 8), then the totals.
    assert (bulk[0], small[0]) == (11 + 1 + 1, 1 + 1)
