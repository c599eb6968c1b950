"""Curated query sets follow publishes, whoever holds the graph store: the CLI harvest or a running server."""

from __future__ import annotations

from fixtures.hub_toml import SAINT_OMER
from test_cli import POP_CONFIG, run

from musenor.catalogue import Catalogue, load_config

SET_SPEC = "exhibition:croix"


def notices_titled_croix() -> set[str]:
    expected = set()
    for notice in (SAINT_OMER / "sandelin-export-pop.txt").read_text(encoding="utf-8").split("\n//"):
        lines = notice.strip().splitlines()
        fields = dict(zip(lines[::2], lines[1::2]))
        if "croix" in fields.get("TITR", "").lower():
            expected.add(f"oai:musenor.fr:M0650:{fields['REF']}")
    return expected


def members(catalogue: Catalogue) -> set[str]:
    """The set's members, read from the ledger; closes the catalogue."""
    try:
        return {r[0] for r in catalogue.ledger.conn.execute(
            "SELECT identifier FROM record_sets WHERE set_spec = ?", (SET_SPEC,))}
    finally:
        catalogue.close()


def test_expected_members_include_the_pied_de_croix():
    assert "oai:musenor.fr:M0650:06500000001" in notices_titled_croix()


def test_cli_harvest_fills_the_curated_query_sets(tmp_path):
    assert run(tmp_path, "harvest", "M0650", config=POP_CONFIG).exit_code == 0
    assert members(Catalogue(tmp_path / "var", open_graph=False)) == notices_titled_croix()


def test_server_fills_the_sets_of_a_harvest_published_without_the_graph(tmp_path):
    from musenor.harvester import harvest_museums
    from musenor.oai_server import create_app

    (tmp_path / "musenor.toml").write_text(POP_CONFIG, encoding="utf-8")
    config = load_config(tmp_path / "musenor.toml")
    catalogue = Catalogue(config.data_dir, open_graph=False)  # as when a server holds the graph store
    [report] = harvest_museums(config, catalogue, ["M0650"], full=True, jobs=1)
    assert report.status == "succeeded"
    catalogue.close()
    app = create_app(config, TESTING=True)
    # (Not asked over OAI here: lists stop one second short of now, so a header stamped this second waits.)
    assert members(app.extensions["musenor.catalogue"]) == notices_titled_croix()
