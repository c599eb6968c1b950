"""The catalogue's listing interface (as of a fixed until, keyset pages) and the curated sets."""

from __future__ import annotations

import re
import sys
from datetime import timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "oai"))
import oaicatalogue as oc  # noqa: E402

from musenor.catalogue import open_ledger  # noqa: E402
from musenor.catalogue.ledger import format_datestamp, parse_datestamp  # noqa: E402
from musenor.catalogue.listing import Listing, Window, in_set, with_ancestors  # noqa: E402
from musenor.catalogue.sets import refresh_curated_sets, set_hierarchy  # noqa: E402

NS = oc.NS


def ident(code: str, n: int) -> str:
    return oc.URIS.oai_identifier(code, oc.local_id(n))


def _built(tmp_path, ledger_location):
    config, catalogue = oc.build(tmp_path, count=30, page_size=7, ledger=ledger_location)
    oc.settle(catalogue)
    return config, catalogue


@pytest.fixture
def built(tmp_path, ledger_location):
    """A catalogue of 30 records on each ledger backend."""
    config, catalogue = _built(tmp_path, ledger_location)
    yield config, catalogue
    catalogue.close()


@pytest.fixture
def sqlite_built(tmp_path):
    """The same catalogue on the embedded ledger alone, for what only SQLite has (query plans, file upgrades)."""
    config, catalogue = _built(tmp_path, None)
    yield config, catalogue
    catalogue.close()


def test_keyset_pages_within_one_datestamp_cover_the_list_once(built):
    _, catalogue = built
    listing = Listing(catalogue.ledger)
    window = Window(listing.stable_until())
    seen, after = [], None
    while True:
        page = listing.headers(window, after=after, limit=4)
        if not page:
            break
        seen += [h.identifier for h in page]
        after = page[-1].cursor
    assert seen == sorted(seen, key=lambda i: (catalogue.ledger.record(i).hub_datestamp, i))
    assert set(seen) == oc.identifiers(catalogue) and len(seen) == 30


# One step of an EXPLAIN QUERY PLAN, in the wordings of SQLite before and after 3.36 ("SEARCH TABLE t AS k ..." then
# "SEARCH k ..."; "USING COVERING INDEX" when the index holds every column read).
PLAN_STEP = re.compile(r"(?P<op>SEARCH|SCAN) (?:TABLE \w+ AS )?(?:TABLE )?(?P<table>\w+)"
                       r"(?: USING (?:COVERING )?(?:INDEX (?P<index>\w+)|(?P<key>PRIMARY KEY)))?"
                       r"(?: \((?P<terms>[^)]*)\))?\Z")


def plan_step(detail: str) -> tuple[str, ...]:
    """(operation, table alias, index used, its constraints): what a plan does, without SQLite's wording."""
    step = PLAN_STEP.match(detail)
    if step is None:
        return (detail,)  # a temporary B-tree for ORDER BY and the like: kept whole, so it fails the comparison
    return (step["op"], step["table"], step["index"] or step["key"] or "", step["terms"] or "")


def plans_of_a_page_after_a_cursor(catalogue, window_of) -> list[list[tuple[str, ...]]]:
    conn = catalogue.ledger.conn
    listing = Listing(catalogue.ledger)
    window = window_of(listing.stable_until())
    plans = []
    original = conn.execute

    class Recorder:
        def execute(self, sql, params=()):
            if sql.startswith("SELECT") and "hub_datestamp" in sql and "COUNT" not in sql:
                plans.append([plan_step(r[3]) for r in original("EXPLAIN QUERY PLAN " + sql, params)])
            return original(sql, params)

    catalogue.ledger._local.conn = Recorder()  # the same connection, its plans noted
    try:
        listing.headers(window, after=("2000-01-01T00:00:00Z", "oai:x"), limit=5)
    finally:
        catalogue.ledger._local.conn = conn
    return plans


def test_a_page_after_a_cursor_seeks_the_index_rather_than_scanning(sqlite_built):
    plans = plans_of_a_page_after_a_cursor(sqlite_built[1], lambda until: Window(until, "2000-01-01T00:00:00Z"))
    assert plans == [[("SEARCH", "k", "record_versions_as_of", "hub_datestamp=? AND identifier>?")],
                     [("SEARCH", "k", "record_versions_as_of", "hub_datestamp>? AND hub_datestamp<?")]]


def test_a_page_of_a_set_after_a_cursor_seeks_that_sets_range(sqlite_built):
    plans = plans_of_a_page_after_a_cursor(sqlite_built[1], lambda until: Window(until, "2000-01-01T00:00:00Z",
                                                                         "museum:M0629"))
    record = ("SEARCH", "v", "sqlite_autoindex_record_versions_1", "identifier=? AND hub_datestamp=?")
    assert plans == [
        [("SEARCH", "k", "PRIMARY KEY", "set_spec=? AND hub_datestamp=? AND identifier>?"), record],
        [("SEARCH", "k", "PRIMARY KEY", "set_spec=? AND hub_datestamp>? AND hub_datestamp<?"), record]]


def test_plan_steps_read_alike_in_old_and_new_sqlite_wordings():
    assert plan_step("SEARCH TABLE record_versions AS k USING COVERING INDEX record_versions_as_of "
                     "(hub_datestamp=? AND identifier>?)") \
        == plan_step("SEARCH k USING INDEX record_versions_as_of (hub_datestamp=? AND identifier>?)") \
        == ("SEARCH", "k", "record_versions_as_of", "hub_datestamp=? AND identifier>?")
    assert plan_step("SCAN TABLE record_versions") == plan_step("SCAN record_versions") \
        == ("SCAN", "record_versions", "", "")
    assert plan_step("USE TEMP B-TREE FOR ORDER BY") == ("USE TEMP B-TREE FOR ORDER BY",)


def test_a_list_as_of_until_ignores_later_versions_and_records(built):
    _, catalogue = built
    listing = Listing(catalogue.ledger)
    until = listing.stable_until()
    before = {h.identifier: h.datestamp for h in listing.headers(Window(until), after=None, limit=100)}
    oc.publish(catalogue, "M0629", [oc.staged("M0629", oc.local_id(0), 0, title="Changé"),
                                    oc.staged("M0629", oc.local_id(999), 999),
                                    oc.staged("M0629", oc.local_id(3), 3, deleted=True)])
    after = {h.identifier: (h.datestamp, h.deleted) for h in listing.headers(Window(until), after=None, limit=100)}
    assert {i: d for i, (d, _) in after.items()} == before
    assert not any(deleted for _, deleted in after.values())
    assert listing.count(Window(until)) == 30


def test_until_stops_before_a_publish_under_way(built, tmp_path, ledger_location):
    _, catalogue = built
    listing = Listing(catalogue.ledger)
    last = catalogue.ledger.get_meta("last_hub_datestamp")
    writer = open_ledger(ledger_location, tmp_path)  # another process's ledger, on the same database
    # the clock is injected, one hour past the last publish, so no second boundary can fall between two reads
    now = parse_datestamp(last) + timedelta(hours=1)
    try:
        with writer.transaction():  # a publish holds the ledger; its stamp is at least the last one
            until = listing.stable_until(now)
    finally:
        writer.close()
    assert until == format_datestamp(parse_datestamp(last) - timedelta(seconds=1))


def test_until_is_the_second_before_now_when_no_publish_is_under_way(built):
    _, catalogue = built
    now = parse_datestamp(catalogue.ledger.get_meta("last_hub_datestamp")) + timedelta(hours=1)
    assert Listing(catalogue.ledger).stable_until(now) == format_datestamp(now - timedelta(seconds=1))


def test_set_membership_is_the_set_or_a_descendant():
    specs = with_ancestors(["museum:M0629", "exhibition:tresors:salle-1"])
    assert specs == ("exhibition", "exhibition:tresors", "exhibition:tresors:salle-1", "museum", "museum:M0629")
    assert in_set(specs, "exhibition:tresors") and not in_set(("museum:M06290",), "museum:M0629")


def test_set_hierarchy_names_every_set_and_its_parents(tmp_path):
    config = oc.make_config(tmp_path, sets={"tresors": {"name": "Trésors", "records": ["M0629:x"]}})
    sets = set_hierarchy(config, {"type:peinture", "museum:M0999", "other:thing"},
                         type_label=lambda concept: {"peinture": "Peinture"}.get(concept))
    assert [(s.spec, s.name) for s in sets] == [
        ("exhibition", "Expositions"), ("exhibition:tresors", "Trésors"),
        ("museum", "Musées"), ("museum:M0619", "Musée de la Chartreuse"),
        ("museum:M0629", "Palais des Beaux-Arts de Lille"),
        ("museum:M0634", "La Piscine"), ("museum:M0999", "M0999"), ("other", "other"), ("other:thing", "other:thing"),
        ("type", "Types d'objets"), ("type:peinture", "Peinture")]


def test_curated_sets_from_lists_and_queries_and_stale_ones_emptied(tmp_path):
    query = (f"SELECT ?cho WHERE {{ ?cho <http://purl.org/dc/elements/1.1/type> "
             f"<{oc.BASE}/vocab/object-type/dessin> ; <https://w3id.org/musenor/ns#repository> "
             f"<{oc.BASE}/id/museum/M0634> }}")
    sets = {"tresors": {"name": "Trésors",
                        "records": [ident("M0629", 0), "M0634:" + oc.local_id(1), "M0629:absent"]},
            "dessins": {"name": "Dessins de Roubaix", "query": query}}
    config, catalogue = oc.build(tmp_path, count=12, page_size=5, sets=sets, open_graph=True)
    catalogue.sync_graph()
    catalogue.ledger.set_memberships("exhibition:old", [ident("M0619", 2)])
    stamp_before = catalogue.ledger.record(ident("M0629", 0)).hub_datestamp
    counts = refresh_curated_sets(catalogue, config)
    assert counts == {"exhibition:tresors": 2, "exhibition:dessins": 4}
    members = lambda spec: {r[0] for r in catalogue.ledger.conn.execute(  # noqa: E731
        "SELECT identifier FROM record_sets WHERE set_spec = ?", (spec,))}
    assert members("exhibition:tresors") == {ident("M0629", 0), ident("M0634", 1)}
    assert members("exhibition:dessins") == {ident("M0634", n) for n in (1, 4, 7, 10)}  # n % 3 == 1: dessin
    assert members("exhibition:old") == set()
    record = catalogue.ledger.record(ident("M0629", 0))
    assert "exhibition:tresors" in record.sets and record.hub_datestamp >= stamp_before
    assert refresh_curated_sets(catalogue, config) == counts  # idempotent
    catalogue.close()


def test_harvest_while_publishing_between_pages_has_no_duplicate_and_no_missing(built):
    config, catalogue = built
    client = oc.make_app(config, catalogue).test_client()
    expected = oc.identifiers(catalogue)
    query = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}
    seen: list[str] = []
    n = 1000
    while True:
        root = oc.parse(client.get("/oai", query_string=query).data)
        seen += [h.text for h in root.iterfind(".//oai:header/oai:identifier", NS)]
        # Between pages a harvest publishes: changed records on both sides of the cursor, new ones, deletions.
        oc.publish(catalogue, "M0629", [oc.staged("M0629", oc.local_id(k), k, title=f"v{n}") for k in (0, 27)]
                   + [oc.staged("M0629", oc.local_id(n), n)] + [oc.staged("M0634", oc.local_id(n % 30), 0)])
        oc.publish(catalogue, "M0619", [oc.staged("M0619", oc.local_id(n % 30 + 2), 2, deleted=True)])
        n += 1
        token = oc.token_of(root)
        if token is None:
            break
        query = {"verb": "ListIdentifiers", "resumptionToken": token}
    assert len(seen) == len(set(seen))
    assert set(seen) == expected


def test_a_remembered_list_size_is_forgotten_at_the_next_publish(built):
    _, catalogue = built
    listing = Listing(catalogue.ledger)
    window = Window("2999-01-01T00:00:00Z", set_spec="museum:M0629")
    before = listing.count(window)
    assert listing.count(window) == before  # the second answer is the remembered one
    oc.publish(catalogue, "M0629", [oc.staged("M0629", oc.local_id(999), 999)])
    assert listing.count(window) == before + 1


def test_a_set_list_holds_each_version_under_every_spec_and_parent(built):
    _, catalogue = built
    ledger = catalogue.ledger
    oc.publish(catalogue, "M0629", [oc.staged("M0629", oc.local_id(999), 999, extra_sets=["exhibition:tresors:salle-1"])])
    identifier = ident("M0629", 999)
    first = {tuple(r) for r in ledger.conn.execute(
        "SELECT set_spec, superseded_at FROM record_version_sets WHERE identifier = ?", (identifier,))}
    assert {spec for spec, _ in first} == {"museum", "museum:M0629", "exhibition", "exhibition:tresors",
                                           "exhibition:tresors:salle-1"} | {s for s, _ in first if s.startswith("type")}
    assert {superseded for _, superseded in first} == {None}
    ledger.set_memberships("exhibition:tresors:salle-1", [])  # leaving the exhibition is a new version
    stamp = ledger.record(identifier).hub_datestamp
    listing = Listing(ledger)
    window = Window("2999-01-01T00:00:00Z", set_spec="exhibition:tresors")
    assert [h.identifier for h in listing.headers(window, after=None, limit=10)] == []
    window = Window("2999-01-01T00:00:00Z", set_spec="museum:M0629")
    assert [h.datestamp for h in listing.headers(window, after=None, limit=100) if h.identifier == identifier] \
        == [stamp]


def test_a_ledger_from_before_the_set_history_is_filled_when_opened(sqlite_built):
    _, catalogue = sqlite_built
    ledger = catalogue.ledger
    expected = sorted(tuple(r) for r in ledger.conn.execute("SELECT * FROM record_version_sets"))
    with ledger.transaction() as conn:
        conn.execute("DELETE FROM record_version_sets")
        conn.execute("DELETE FROM meta WHERE key = 'version_sets'")
    from musenor.catalogue.ledger import Ledger

    reopened = Ledger(ledger.path)
    try:
        assert sorted(tuple(r) for r in reopened.conn.execute("SELECT * FROM record_version_sets")) == expected
        assert len(expected) >= 30 * 3
    finally:
        reopened.close()
