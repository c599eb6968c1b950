"""The search index in PostgreSQL, shared by every server of a hub: concurrent syncs apply each ledger change
once, and an index of another layout is rebuilt from the ledger. (The readers' expectations, the same on both
engines, are in test_pages_search.py and test_pages_search_index.py, run on each.)"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
import webcatalogue  # noqa: E402


@pytest.fixture
def shared(postgres_cluster, tmp_path):
    url = postgres_cluster.create_database()
    _, catalogue = webcatalogue.build_catalogue(tmp_path, search=url)
    yield url, catalogue
    catalogue.close()


def test_servers_syncing_at_once_apply_each_change_once(shared):
    from musenor.catalogue.search_postgresql import PostgresSearchIndex

    url, catalogue = shared
    servers = [PostgresSearchIndex(url) for _ in range(4)]
    applied: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(servers))

    def sync(index: PostgresSearchIndex) -> None:
        start.wait()
        try:
            applied.append(index.sync(catalogue.ledger))
        except BaseException as exc:  # a thread's failure is the test's, not a warning
            errors.append(exc)

    threads = [threading.Thread(target=sync, args=(index,)) for index in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sum(applied) == 5
    assert [index.count() for index in servers] == [5, 5, 5, 5]
    assert servers[0].search("eglise").total == 2
    for index in servers:
        index.close()


def test_an_index_of_another_layout_is_dropped_and_rebuilt_from_the_ledger(shared):
    import psycopg

    from musenor.catalogue.search_postgresql import PostgresSearchIndex

    url, catalogue = shared
    first = PostgresSearchIndex(url)
    assert first.sync(catalogue.ledger) == 5
    first.close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE search_meta SET value = 'older' WHERE key = 'schema_version'")
    reopened = PostgresSearchIndex(url)
    assert (reopened.applied_change_seq(), reopened.count()) == (0, 0)
    assert reopened.sync(catalogue.ledger) == 5
    assert reopened.search("eglise").total == 2
    reopened.close()


def test_an_unreachable_database_names_itself():
    from musenor.catalogue.search_postgresql import PostgresSearchIndex

    with pytest.raises(RuntimeError, match=r"search index postgresql://nobody@/nowhere\?host=/nonexistent: "
                                           r"cannot connect"):
        PostgresSearchIndex("postgresql://nobody@/nowhere?host=/nonexistent")
