"""A POP export end to end: harvest (the run loop), publish, republish over OAI-PMH with its images served;
then broken exports that are reported per notice and lose nothing already published."""

from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from musenor.catalogue import Catalogue
from musenor.catalogue.config import parse_config
from musenor.harvester.run import harvest_museum
from schemas import assert_valid

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "joconde"
EXPORT = (FIXTURES / "pba-lille-ajout-pilote.txt").read_text(encoding="utf-8")
IMAGES = ["M0629_06290000101_p.jpg", "M0629_06290000102_p.jpg", "M0629_06290000102_v.jpg"]
OAI = "{http://www.openarchives.org/OAI/2.0/}"


@pytest.fixture()
def hub(tmp_path):
    export = tmp_path / "export"
    export.mkdir()
    for n, name in enumerate(IMAGES):
        Image.new("RGB", (640, 480), (50 * n, 100, 150)).save(export / name, "JPEG")
    (export / "pba-lille.txt").write_text(EXPORT, encoding="utf-8")
    config = parse_config({
        "hub": {"base_uri": "http://hub.test", "data_dir": "var", "repository_name": "Musenor",
                "admin_email": "a@musenor.example", "repository_identifier": "musenor.fr"},
        "museums": {"M0629": {"name": "Palais des Beaux-Arts", "city": "Lille", "max_shrink": 0.5,
                              "source": {"kind": "pop-file", "path": "export/pba-lille.txt"}}},
    }, path=tmp_path / "musenor.toml")
    catalogue = Catalogue(config.data_dir, open_graph=False)
    yield config, catalogue, export
    catalogue.close()


def published(catalogue):
    return {r.local_id: r for r in catalogue.ledger.records("M0629", include_deleted=False)}


def test_first_harvest_publishes_every_notice(hub):
    config, catalogue, _ = hub
    report = harvest_museum(config, catalogue, "M0629")
    assert (report.status, report.errors) == ("succeeded", [])
    assert sorted(published(catalogue)) == ["06290000101", "06290000102", "06290000103"]
    record = published(catalogue)["06290000101"]
    assert (record.source_datestamp, record.dialect) == ("2023-05-12", "pop")
    assert catalogue.ledger.unmapped("M0629") == {"XYZW": 1}


def test_second_harvest_of_the_same_export_changes_nothing(hub):
    config, catalogue, _ = hub
    harvest_museum(config, catalogue, "M0629")
    before = {k: r.hub_datestamp for k, r in published(catalogue).items()}
    report = harvest_museum(config, catalogue, "M0629")
    assert report.status == "succeeded" and report.counts["unchanged"] == 3
    assert {k: r.hub_datestamp for k, r in published(catalogue).items()} == before


def test_missing_image_keeps_the_published_version(hub):
    config, catalogue, export = hub
    harvest_museum(config, catalogue, "M0629")
    before = published(catalogue)["06290000102"]
    (export / IMAGES[2]).unlink()
    report = harvest_museum(config, catalogue, "M0629")
    assert report.status == "succeeded"
    assert report.errors == [("oai:musenor.fr:M0629:06290000102",
                              f"image M0629_06290000102_v.jpg: missing from {export}")]
    after = published(catalogue)
    assert sorted(after) == ["06290000101", "06290000102", "06290000103"]
    assert (after["06290000102"].checksum, after["06290000102"].hub_datestamp) == (before.checksum,
                                                                                 before.hub_datestamp)


def test_broken_export_is_reported_per_notice_and_loses_nothing(hub):
    config, catalogue, export = hub
    harvest_museum(config, catalogue, "M0629")
    before = {k: r.checksum for k, r in published(catalogue).items()}
    broken = EXPORT.replace("DMAJ\n2022/11/03\n//\n", "DMAJ\n2022/11/03\n", 1)  # a missing //
    broken = broken.replace("Les Vieilles", "Les Vieilles (Le Temps)")
    (export / "pba-lille.txt").write_text(broken, encoding="utf-8")
    report = harvest_museum(config, catalogue, "M0629")
    assert report.status == "succeeded"
    reason = "two notices (REF 06290000102, 06290000103) with no '//' between them"
    assert report.errors == [("oai:musenor.fr:M0629:06290000102", reason),
                             ("oai:musenor.fr:M0629:06290000103", reason)]
    after = published(catalogue)
    assert sorted(after) == ["06290000101", "06290000102", "06290000103"]
    assert after["06290000101"].checksum != before["06290000101"]  # the good notice's change is published
    assert [after[k].checksum for k in ("06290000102", "06290000103")] == [before["06290000102"],
                                                                           before["06290000103"]]


def test_duplicate_ref_is_reported_and_the_published_record_stays(hub):
    config, catalogue, export = hub
    harvest_museum(config, catalogue, "M0629")
    before = published(catalogue)["06290000101"].checksum
    duplicated = EXPORT + EXPORT.split("//\n")[0].replace("Les Vieilles", "Les Jeunes") + "//\n"
    (export / "pba-lille.txt").write_text(duplicated, encoding="utf-8")
    report = harvest_museum(config, catalogue, "M0629")
    assert report.status == "succeeded"
    assert report.errors == [("oai:musenor.fr:M0629:06290000101",
                              "REF 06290000101 appears 2 times in the export: no copy is taken")]
    assert published(catalogue)["06290000101"].checksum == before


def test_notice_gone_from_a_complete_export_is_a_tombstone(hub):
    config, catalogue, export = hub
    harvest_museum(config, catalogue, "M0629")
    shorter = "//\n".join(EXPORT.split("//\n")[:2]) + "//\n"
    (export / "pba-lille.txt").write_text(shorter, encoding="utf-8")
    report = harvest_museum(config, catalogue, "M0629")
    assert report.status == "succeeded" and report.counts["deleted"] == 1
    assert catalogue.ledger.record("oai:musenor.fr:M0629:06290000103").deleted


def test_republished_over_oai_with_images_served(hub):
    from musenor.oai_server import create_app

    config, catalogue, _ = hub
    harvest_museum(config, catalogue, "M0629")
    client = create_app(config, catalogue).test_client()
    response = client.get("/oai?verb=GetRecord&metadataPrefix=lido&identifier=oai:musenor.fr:M0629:06290000102")
    assert response.status_code == 200
    assert_valid("oai-pmh", response.data)
    document = etree.fromstring(response.data)
    assert document.find(f"{OAI}GetRecord") is not None
    links = [e.text for e in document.iter("{http://www.lido-schema.org}linkResource")]
    assert "http://hub.test/images/M0629/M0629_06290000102_p.jpg" in links
    thumb = client.get("/images/M0629/thumbs/M0629_06290000102_p.jpg")
    assert (thumb.status_code, thumb.mimetype) == (200, "image/jpeg")
    dc = client.get("/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:musenor.fr:M0629:06290000101")
    assert_valid("oai-pmh", dc.data)
    assert "Les Vieilles" in dc.data.decode("utf-8")
