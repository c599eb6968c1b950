"""``musenor demo``: every demo museum harvested (Lille and Arras over real OAI-PMH HTTP), twice.

The first run goes through the CLI (``musenor demo --no-serve``), the second calls ``run_demo`` directly;
both on a temporary data directory. The expected records are read from the demo exports themselves.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from lxml import etree
from rich.console import Console

from musenor.catalogue import Catalogue, HarvestRun
from demo.works import all_works
from musenor.cli import main
from musenor.demo import DEMO_CONFIG, run_demo

DEMO = Path(__file__).resolve().parents[1] / "demo"
DATA = DEMO / "data"
REPOSITORY = "musenor.fr"


def expected_records() -> dict[str, dict[str, bool]]:
    """Museum -> local id -> withdrawn, read from each museum's export as its source kind would."""
    expected: dict[str, dict[str, bool]] = {}
    for code, folder in (("M0629", "M0629-lille"), ("M0640", "M0640-arras")):
        index = json.loads((DATA / folder / "index.json").read_text(encoding="utf-8"))
        expected[code] = {r["local_id"]: r["deleted"] for r in index["records"]}
    with zipfile.ZipFile(DATA / "M0634-roubaix" / "la-piscine-export-lido-1.0.zip") as archive:
        ids = [rec_id.text for name in archive.namelist()
               for rec_id in etree.fromstring(archive.read(name)).iter("{http://www.lido-schema.org}lidoRecID")]
    expected["M0634"] = {i: False for i in ids}
    rows = csv.DictReader(io.StringIO((DATA / "M0619-douai" / "joconde-douai-chartreuse.csv").read_text("utf-8")))
    expected["M0619"] = {row["Numero_inventaire"]: False for row in rows}
    lines = (DATA / "M0650-saint-omer" / "sandelin-export-pop.txt").read_text("utf-8").splitlines()
    expected["M0650"] = {lines[i + 1]: False for i, line in enumerate(lines) if line == "REF"}
    return expected


@dataclass
class Header:
    hub_datestamp: str
    deleted: bool
    checksum: str | None
    sets: tuple[str, ...]
    change_seq: int


@dataclass
class DemoRuns:
    data_dir: Path
    first_exit: int
    second_exit: int
    first: dict[str, Header]
    second: dict[str, Header]
    first_seq: int
    second_seq: int
    last_runs: dict[str, dict[str, int]]
    source_urls: dict[str, str | None]
    first_output: str
    lille_runs: list[HarvestRun]


def _headers(data_dir: Path) -> tuple[dict[str, Header], int]:
    catalogue = Catalogue(data_dir, open_graph=False)
    try:
        headers = {r.identifier: Header(r.hub_datestamp, r.deleted, r.checksum, tuple(sorted(r.sets)), r.change_seq)
                   for r in catalogue.ledger.records()}
        return headers, catalogue.ledger.last_change_seq()
    finally:
        catalogue.close()


@pytest.fixture(scope="module")
def demo_runs(tmp_path_factory: pytest.TempPathFactory) -> DemoRuns:
    data_dir = tmp_path_factory.mktemp("demo") / "var"
    config_before = DEMO_CONFIG.read_bytes()
    result = CliRunner().invoke(main, ["demo", "--no-serve", "--data-dir", str(data_dir)])
    first, first_seq = _headers(data_dir)
    second_exit = run_demo(port=0, serve=False, data_dir=data_dir, console=Console(file=io.StringIO()))
    second, second_seq = _headers(data_dir)
    assert DEMO_CONFIG.read_bytes() == config_before  # the endpoint address is rewritten in memory only
    catalogue = Catalogue(data_dir, open_graph=False)
    last_runs = {code: catalogue.ledger.runs(code, limit=1)[0].counts for code in expected_records()}
    source_urls = {r.identifier: r.source_url for r in catalogue.ledger.records()}
    lille_runs = sorted(catalogue.ledger.runs("M0629"), key=lambda run: run.id)
    catalogue.close()
    return DemoRuns(data_dir, result.exit_code, second_exit, first, second, first_seq, second_seq, last_runs,
                    source_urls, result.output, lille_runs)


def test_both_runs_succeed(demo_runs: DemoRuns) -> None:
    assert (demo_runs.first_exit, demo_runs.second_exit) == (0, 0), demo_runs.first_output


def test_records_and_tombstones_per_museum(demo_runs: DemoRuns) -> None:
    catalogue = Catalogue(demo_runs.data_dir, open_graph=False)
    counts = catalogue.ledger.museum_counts()
    catalogue.close()
    assert counts == {
        "M0629": {"records": 70, "deleted": 2},
        "M0634": {"records": 52, "deleted": 0},
        "M0619": {"records": 50, "deleted": 0},
        "M0650": {"records": 44, "deleted": 0},
        "M0640": {"records": 46, "deleted": 0},
    }


def test_every_demo_record_is_in_the_catalogue_once(demo_runs: DemoRuns) -> None:
    expected = sorted(f"oai:{REPOSITORY}:{code}:{local}" for code, ids in expected_records().items() for local in ids)
    assert len(expected) == 264
    assert sorted(demo_runs.first) == expected


def test_withdrawn_lille_records_are_tombstones(demo_runs: DemoRuns) -> None:
    withdrawn = sorted(f"oai:{REPOSITORY}:M0629:{local}" for local, deleted in expected_records()["M0629"].items()
                       if deleted)
    assert withdrawn == ["oai:musenor.fr:M0629:PBA-P-1475", "oai:musenor.fr:M0629:PBA-P-584"]
    assert sorted(i for i, h in demo_runs.second.items() if h.deleted) == withdrawn


def test_oai_museums_were_harvested_over_http_from_the_demo_endpoint(demo_runs: DemoRuns) -> None:
    for code in ("M0629", "M0640"):
        urls = {url for identifier, url in demo_runs.source_urls.items()
                if identifier.startswith(f"oai:{REPOSITORY}:{code}:") and not demo_runs.second[identifier].deleted}
        assert len(urls) == {"M0629": 70, "M0640": 46}[code]  # each record's own GetRecord request
        assert all(url.startswith("http://127.0.0.1:") and f"/{code}/oai?verb=GetRecord&" in url
                   and ":8008/" not in url for url in urls), sorted(urls)[:3]


def test_second_run_reports_every_record_unchanged(demo_runs: DemoRuns) -> None:
    def unchanged(n: int) -> dict[str, int]:
        return {"new": 0, "changed": 0, "unchanged": n, "deleted": 0, "failed": 0, "sanitised": 0}

    # Lille's two tombstones are seen again as deleted headers: unchanged too
    assert demo_runs.last_runs == {"M0629": unchanged(72), "M0634": unchanged(52), "M0619": unchanged(50),
                                   "M0650": unchanged(44), "M0640": unchanged(46)}


def test_first_run_replays_lille_before_its_withdrawals(demo_runs: DemoRuns) -> None:
    """A new catalogue sees Lille as it was (72 records), then as it is (2 of them deleted)."""
    replay, current, second = demo_runs.lille_runs
    assert (replay.status, replay.full, replay.counts["new"], replay.counts["deleted"]) == ("succeeded", True, 72, 0)
    assert (current.counts["unchanged"], current.counts["deleted"], current.counts["new"]) == (70, 2, 0)
    assert second.counts["unchanged"] == 72


def test_second_run_changes_no_hub_datestamp(demo_runs: DemoRuns) -> None:
    assert demo_runs.second == demo_runs.first
    assert demo_runs.second_seq == demo_runs.first_seq


# A row of the harvest report: museum, run, status, new, changed, unchanged, deleted, failed, time.
REPORT_ROW = re.compile(r"^\s*(M\d{4})\s+(?:\d+|-)\s+(\w+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\S+\s*$",
                        flags=re.M)


def test_first_run_prints_the_report_of_each_museum(demo_runs: DemoRuns) -> None:
    rows = [(museum, status, *map(int, counts))
            for museum, status, *counts in REPORT_ROW.findall(demo_runs.first_output)]
    # Lille replayed as it was (72 new), then every museum: Lille's 2 withdrawals arrive as deletions
    assert rows == [("M0629", "succeeded", 72, 0, 0, 0, 0),
                    ("M0619", "succeeded", 50, 0, 0, 0, 0),
                    ("M0629", "succeeded", 0, 0, 70, 2, 0),
                    ("M0634", "succeeded", 52, 0, 0, 0, 0),
                    ("M0640", "succeeded", 46, 0, 0, 0, 0),
                    ("M0650", "succeeded", 44, 0, 0, 0, 0)], demo_runs.first_output


def test_curated_list_set_holds_the_eight_treasures(demo_runs: DemoRuns) -> None:
    members = sorted(i for i, h in demo_runs.second.items() if "exhibition:tresors" in h.sets)
    assert members == sorted([
        "oai:musenor.fr:M0629:PBA-P-222", "oai:musenor.fr:M0629:PBA-P-2139", "oai:musenor.fr:M0629:PBA-P-987",
        "oai:musenor.fr:M0634:LPR-1994.15.21", "oai:musenor.fr:M0634:LPR-1994.25.20", "oai:musenor.fr:M0619:A2184",
        "oai:musenor.fr:M0650:06500000001", "oai:musenor.fr:M0640:854.22",
    ])


def test_virtual_exhibition_by_query_holds_every_ceramic(demo_runs: DemoRuns) -> None:
    ceramics = sorted(f"oai:{REPOSITORY}:{w.museum}:{w.local_id}" for ws in all_works().values() for w in ws
                      if not w.deleted and {"faïence", "porcelaine tendre", "grès"} & set(w.materials))
    assert len(ceramics) == 39
    members = sorted(i for i, h in demo_runs.second.items() if "exhibition:arts-du-feu" in h.sets)
    assert members == ceramics


def test_graph_holds_every_live_object(demo_runs: DemoRuns) -> None:
    from musenor.oai_server import open_catalogue
    from musenor.demo import demo_config

    catalogue = open_catalogue(demo_config("http://127.0.0.1:1", data_dir=demo_runs.data_dir))
    try:
        rows = list(catalogue.graph.query(
            "SELECT (COUNT(DISTINCT ?cho) AS ?n) WHERE { ?cho a <http://www.europeana.eu/schemas/edm/ProvidedCHO> }"))
        assert int(rows[0]["n"].value) == 262
    finally:
        catalogue.close()


def test_hub_lists_every_demo_record_over_oai_pmh(demo_runs: DemoRuns) -> None:
    """What a downstream aggregator sees: ListIdentifiers, page after page, every record once."""
    from lxml import etree as et

    from musenor.demo import demo_config
    from musenor.oai_server import create_app, open_catalogue

    config = demo_config("http://127.0.0.1:1", data_dir=demo_runs.data_dir)
    catalogue = open_catalogue(config)
    oai = "{http://www.openarchives.org/OAI/2.0/}"
    try:
        client = create_app(config, catalogue).test_client()
        headers, pages = [], 0
        query = "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc"
        while query:
            page = et.fromstring(client.get(query).data)
            pages += 1
            headers += [(h.findtext(f"{oai}identifier"), h.get("status")) for h in page.iter(f"{oai}header")]
            token = page.findtext(f".//{oai}resumptionToken")
            query = f"/oai?verb=ListIdentifiers&resumptionToken={quote(token)}" if token else ""
    finally:
        catalogue.close()
    assert pages == 6  # page_size = 50 in demo/musenor.toml
    assert len(headers) == len(set(headers)) == 264
    assert sorted(i for i, status in headers if status == "deleted") == [
        "oai:musenor.fr:M0629:PBA-P-1475", "oai:musenor.fr:M0629:PBA-P-584"]


def test_first_run_ingests_the_demo_campaign(demo_runs: DemoRuns) -> None:
    assert ("Photo campaign photo-2026: 5 photographs attached to 4 works of M0619; unmatched: A9999.jpg"
            in demo_runs.first_output)
    catalogue = Catalogue(demo_runs.data_dir, open_graph=False)
    try:
        from musenor.catalogue.enrichments import Enrichments

        images = Enrichments(catalogue.ledger).of_campaign("photo-2026")
    finally:
        catalogue.close()
    assert len(images) == 5 and {i.photographer for i in images} == {"Studio Delattre, Lille"}
    assert ("oai:musenor.fr:M0619:A2184", "verso") in {(i.identifier, i.view) for i in images}
