"""A museum's Joconde export from the catalogue: POP export -> ledger -> POP CSV for the national database."""

import csv
import io
from pathlib import Path

from musenor.catalogue import Catalogue, StagedRecord
from musenor.catalogue.config import parse_config
from musenor.harvester.sources.pop import POPSource
from musenor.mappings import HubURIs, MappingContext, RenderContext
from musenor.mappings.dialects.pop import map_pop_notice
from musenor.mappings.formats.joconde import write_export
from musenor.mappings.provenance import provenance_graph

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "joconde"


def test_published_records_export_as_pop_csv(tmp_path):
    from PIL import Image

    for name in ("M0629_06290000101_p.jpg", "M0629_06290000102_p.jpg", "M0629_06290000102_v.jpg"):
        Image.new("RGB", (20, 20)).save(tmp_path / name, "JPEG")
    (tmp_path / "export.csv").write_bytes((FIXTURES / "pba-lille-export.csv").read_bytes())
    config = parse_config({
        "hub": {"base_uri": "http://hub.test", "data_dir": "var", "repository_name": "Musenor",
                "admin_email": "a@musenor.example", "repository_identifier": "musenor.fr"},
        "museums": {"M0629": {"name": "Palais des Beaux-Arts", "city": "Lille",
                              "source": {"kind": "pop-file", "path": "export.csv"}}},
    }, path=tmp_path / "musenor.toml")
    museum = config.museums["M0629"]
    uris = HubURIs(config.base_uri, config.repository_identifier)
    context = MappingContext("M0629", museum.name, uris)
    catalogue = Catalogue(config.data_dir, open_graph=False)
    try:
        ledger = catalogue.ledger
        run = ledger.begin_run("M0629", "pop-file", full=True)
        for page in POPSource(museum, config).pages(checkpoint=None, from_datestamp=None, full=True):
            staged = []
            for source_record in page.records:
                mapped = map_pop_notice(source_record.raw, context)
                provenance = provenance_graph(uris, museum="M0629", local_id=mapped.local_id, run_id=run.id,
                                              run_started=run.started, generated_at="2026-11-28T10:00:00Z",
                                              source_url=source_record.source_url, raw_media_type="text/csv",
                                              mapping_version="pop/1")
                staged.append(StagedRecord(
                    identifier=uris.oai_identifier("M0629", mapped.local_id), museum="M0629",
                    local_id=mapped.local_id, record_uri=str(mapped.record_uri), raw=source_record.raw,
                    source_datestamp=mapped.source_datestamp, graph=mapped.graph.serialize(format="nt"),
                    provenance=provenance.serialize(format="nt"), dialect="pop"))
            ledger.stage(run.id, staged, checkpoint=page.checkpoint, errors=page.errors)
        assert ledger.publish(run.id, complete=True).new == 3

        out = io.BytesIO()
        records = ((r.record_uri, r.ntriples) for r in ledger.records("M0629", include_deleted=False))
        assert write_export(records, out, RenderContext(uris)) == 3
    finally:
        catalogue.close()
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"), newline=""), delimiter=";"))
    assert [(r["REF"], r["TITR"], r["DMAJ"]) for r in rows] == [
        ("06290000101", "Les Vieilles", "2026-11-28"), ("06290000102", "Plat à décor de chinoiseries", "2026-11-28"),
        ("06290000103", "Étude de mains", "2026-11-28")]
    assert rows[0]["AUTR"] == "GOYA Y LUCIENTES Francisco de (peintre)"
    assert rows[1]["AUTR"] == "BOUSSEMART François (atelier de) ; anonyme (d'après)"
