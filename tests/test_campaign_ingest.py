"""A campaign end to end on a harvested museum: ingest, re-harvest, deletion, and every output."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from musenor.campaigns.ingest import DeliveryError, ingest
from musenor.campaigns.settings import campaign
from musenor.catalogue import Catalogue, load_config
from musenor.catalogue.enrichments import Enrichments
from musenor.harvester import harvest_museums
from musenor.oai_server import create_app

CODE = "M0634"
HEADER = "REF;Numero_inventaire;Denomination;Titre;Auteur;Materiaux_techniques;Domaine;Code_Museofile"
ROWS = [
    f"M0634000001;2004.1.1;tableau;Vue de Roubaix;Weerts, Jean-Joseph;huile sur toile;peinture;{CODE}",
    f"M0634000002;2004.1.2;statue;Baigneuse;Bouchard, Henri;plâtre;sculpture;{CODE}",
    f"M0634000003;2004.1.3;tableau;Le Canal;Leman, Henri;huile sur toile;peinture;{CODE}",
]
CONFIG = f"""
[hub]
base_uri = "http://hub.test"
data_dir = "data"
repository_name = "Musenor"
admin_email = "catalogue@musenor.fr"
repository_identifier = "musenor.fr"

[museums.{CODE}]
name = "La Piscine"
city = "Roubaix"
rights = "http://creativecommons.org/publicdomain/mark/1.0/"
max_shrink = 0.5
[museums.{CODE}.source]
kind = "csv-file"
path = "export.csv"

[campaigns.photo-2026]
name = "Campagne 2026"
photographer = "Studio par défaut"
credit = "Association des conservateurs"
rights = "http://creativecommons.org/licenses/by/4.0/"
min_long_side = 100
"""
IDENTIFIER = f"oai:musenor.fr:{CODE}:M0634000001"


def photograph(artist: str | None = None, size: tuple[int, int] = (240, 180), colour: str = "teal") -> bytes:
    tags = Image.Exif()
    if artist:
        tags[0x013B] = artist
        tags.get_ifd(0x8769)[0x9003] = "2026:03:14 09:30:00"
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", exif=tags.tobytes())
    return buffer.getvalue()


class Hub:
    def __init__(self, tmp_path: Path) -> None:
        self.root = tmp_path
        (tmp_path / "musenor.toml").write_text(CONFIG, encoding="utf-8")
        self.config = load_config(tmp_path / "musenor.toml")
        self.catalogue = Catalogue(self.config.data_dir, open_graph=False)
        self.write_export(ROWS)
        self.harvest()

    def write_export(self, rows: list[str]) -> None:
        (self.root / "export.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")

    def harvest(self) -> None:
        [report] = harvest_museums(self.config, self.catalogue, [CODE], jobs=1)
        assert report.status == "succeeded", report.reason

    def deliver(self, files: dict[str, bytes], name: str = "delivery"):
        folder = self.root / name
        folder.mkdir()
        for file, data in files.items():
            (folder / file).write_bytes(data)
        return ingest(self.catalogue, self.config.base_uri, campaign(self.config, "photo-2026"), CODE, folder)

    def get(self, path: str) -> str:
        app = create_app(self.config, self.catalogue)
        response = app.test_client().get(path)
        assert response.status_code == 200, response.status_code
        return response.get_data(as_text=True)


@pytest.fixture
def hub(tmp_path):
    opened = Hub(tmp_path)
    yield opened
    opened.catalogue.close()


def test_ingest_attaches_matched_files_and_reports_the_rest(hub):
    report = hub.deliver({"2004.1.1.jpg": photograph("Jeanne Photographe"),
                          "2004.1.1_verso.jpg": photograph(colour="red"),
                          "2009.9.9.jpg": photograph(), "broken.jpg": b"not a jpeg", "notes.txt": b"x"})
    assert [(f, i) for f, i, _ in report.attached] == [("2004.1.1.jpg", IDENTIFIER), ("2004.1.1_verso.jpg", IDENTIFIER)]
    assert (report.unmatched, report.skipped, report.records_enriched) == (["2009.9.9.jpg", "broken.jpg"],
                                                                           ["notes.txt"], 1)
    images = Enrichments(hub.catalogue.ledger).of_record(IDENTIFIER)
    assert [(i.view, i.photographer, i.taken, i.credit, i.width) for i in images] == [
        ("", "Jeanne Photographe", "2026-03-14", "Association des conservateurs", 240),
        ("verso", "Studio par défaut", None, "Association des conservateurs", 240)]


def test_each_image_is_stored_once_with_thumbnail_and_display_copies(hub):
    [(_, _, file)] = hub.deliver({"2004.1.1.jpg": photograph()}).attached
    assert re.fullmatch(r"200411-0-[0-9a-f]{16}\.jpg", file)  # the work, its main view, the content's hash
    folder = hub.config.data_dir / "images" / CODE
    assert Image.open(folder / "thumbs" / file).size == (150, 113)
    assert Image.open(folder / "display" / file).size == (240, 180)
    again = hub.deliver({"2004.1.1-2.jpg": photograph()}, name="again")
    assert (again.attached, again.already) == ([], [("2004.1.1-2.jpg", IDENTIFIER)])


def test_a_corrupt_image_is_rejected_with_its_reason(hub):
    report = hub.deliver({"2004.1.2.jpg": b"\xff\xd8\xff\xe0 truncated"})
    assert [f for f, _ in report.rejected] == ["2004.1.2.jpg"]
    assert report.rejected[0][1].startswith("not a readable image")
    assert hub.catalogue.ledger.record(f"oai:musenor.fr:{CODE}:M0634000002").enrichment is None


def test_a_zip_delivery_is_read_by_base_name(hub):
    archive = hub.root / "delivery.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("campagne/../2004.1.3.jpg", photograph())
        zipped.writestr("__MACOSX/._2004.1.3.jpg", b"resource fork")
    report = ingest(hub.catalogue, hub.config.base_uri, campaign(hub.config, "photo-2026"), CODE, archive)
    assert [(f, i) for f, i, _ in report.attached] == [("2004.1.3.jpg", f"oai:musenor.fr:{CODE}:M0634000003")]


def test_a_delivery_that_is_neither_folder_nor_zip_is_refused(hub):
    (hub.root / "photos.rar").write_bytes(b"Rar!")
    with pytest.raises(DeliveryError, match="photos.rar: neither a folder nor a zip file"):
        ingest(hub.catalogue, hub.config.base_uri, campaign(hub.config, "photo-2026"), CODE, hub.root / "photos.rar")


def test_an_enriched_record_gets_a_new_hub_datestamp_but_keeps_the_museums_checksum(hub):
    before = hub.catalogue.ledger.record(IDENTIFIER)
    hub.deliver({"2004.1.1.jpg": photograph()})
    after = hub.catalogue.ledger.record(IDENTIFIER)
    # datestamps are to the second (OAI-PMH seconds granularity): the change sequence proves the new version
    assert after.hub_datestamp >= before.hub_datestamp and after.change_seq > before.change_seq
    assert (after.checksum, after.graph) == (before.checksum, before.graph)


def test_a_reharvest_keeps_the_campaign_images_unchanged_or_changed(hub):
    [(_, _, file)] = hub.deliver({"2004.1.1.jpg": photograph()}).attached
    enrichment = hub.catalogue.ledger.record(IDENTIFIER).enrichment
    hub.harvest()
    assert hub.catalogue.ledger.record(IDENTIFIER).enrichment == enrichment
    hub.write_export([ROWS[0].replace("Vue de Roubaix", "Vue de Roubaix, le soir"), *ROWS[1:]])
    hub.harvest()
    record = hub.catalogue.ledger.record(IDENTIFIER)
    assert "le soir" in record.graph and record.enrichment == enrichment
    assert f"<http://hub.test/images/{CODE}/{file}>" in record.ntriples


def test_a_record_withdrawn_by_its_museum_withdraws_its_images(hub):
    hub.deliver({"2004.1.1.jpg": photograph()})
    hub.write_export(ROWS[1:])
    [report] = harvest_museums(hub.config, hub.catalogue, [CODE], full=True, jobs=1)
    assert report.status == "succeeded", report.reason
    record = hub.catalogue.ledger.record(IDENTIFIER)
    assert record.deleted and record.ntriples == ""
    assert [c.ntriples for c in hub.catalogue.ledger.changes_since(record.change_seq - 1)] == [None]


def test_edm_carries_the_image_as_has_view_with_credit_and_rights(hub):
    [(_, _, file)] = hub.deliver({"2004.1.1.jpg": photograph("Jeanne Photographe")}).attached
    xml = hub.get(f"/oai?verb=GetRecord&metadataPrefix=edm&identifier={IDENTIFIER}")
    url = f"http://hub.test/images/{CODE}/{file}"
    assert f'<edm:hasView rdf:resource="{url}"/>' in xml
    assert f'<edm:WebResource rdf:about="{url}">' in xml
    assert "<dc:creator>Jeanne Photographe</dc:creator>" in xml.split(f'<edm:WebResource rdf:about="{url}">', 1)[1]
    assert '<edm:rights rdf:resource="http://creativecommons.org/licenses/by/4.0/"/>' in xml


def test_lido_carries_the_image_in_a_resource_set(hub):
    [(_, _, file)] = hub.deliver({"2004.1.1.jpg": photograph("Jeanne Photographe")}).attached
    xml = hub.get(f"/oai?verb=GetRecord&metadataPrefix=lido&identifier={IDENTIFIER}")
    assert "<lido:resourceSet>" in xml
    assert f"http://hub.test/images/{CODE}/{file}</lido:linkResource>" in xml


def test_the_joconde_export_names_the_image_by_refim_with_the_photographer(hub):
    from musenor.mappings.base import RenderContext
    from musenor.mappings.formats.joconde import joconde_fields
    from musenor.mappings.uris import HubURIs
    from rdflib import Graph, URIRef

    [(_, _, file)] = hub.deliver({"2004.1.1.jpg": photograph("Jeanne Photographe")}).attached
    record = hub.catalogue.ledger.record(IDENTIFIER)
    fields = joconde_fields(Graph().parse(data=record.ntriples, format="nt"), URIRef(record.record_uri),
                            RenderContext(HubURIs("http://hub.test")))
    assert (fields["REFIM"], fields["PHOT"]) == (file, "Jeanne Photographe")


def test_a_broken_campaign_table_is_a_configuration_error_of_every_command(hub):
    from click.testing import CliRunner

    from musenor.cli import main

    path = hub.root / "musenor.toml"
    path.write_text(CONFIG.replace('rights = "http://creativecommons.org/licenses/by/4.0/"', 'rights = "CC BY"'),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(path), "validate-config"])
    assert result.exit_code == 2
    assert "key 'campaigns.photo-2026.rights': needs a rights statement URI" in result.output


def test_a_broken_exhibition_file_is_a_configuration_error_naming_file_and_line(hub):
    from click.testing import CliRunner

    from musenor.cli import main

    (hub.root / "exhibitions").mkdir()
    (hub.root / "exhibitions" / "nord.md").write_text("+++\ntitle = 'Nord'\n+++\n## S\n::: work M0634:1\nfr: x\n",
                                                     encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(hub.root / "musenor.toml"), "validate-config"])
    assert result.exit_code == 2
    assert "exhibitions/nord.md:5: the work block of M0634:1 is never closed with ':::'" in result.output


def test_the_joconde_photographer_is_the_first_image_that_names_one():
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import DCTERMS

    from musenor.mappings.base import RenderContext
    from musenor.mappings.formats.joconde import joconde_fields
    from musenor.mappings.namespaces import EDM
    from musenor.mappings.uris import HubURIs

    record, museums_image, campaign_image = (URIRef("http://hub.test/id/record/M0634/1"),
                                             URIRef("http://hub.test/images/M0634/museum.jpg"),
                                             URIRef("http://hub.test/images/M0634/abc.jpg"))
    g = Graph()
    g.add((record, EDM.aggregatedCHO, URIRef("http://hub.test/id/object/M0634/1")))
    g.add((record, EDM.isShownBy, museums_image))
    g.add((record, EDM.hasView, campaign_image))
    g.add((campaign_image, DCTERMS.creator, Literal("Jeanne Photographe")))
    fields = joconde_fields(g, record, RenderContext(HubURIs("http://hub.test")))
    assert (fields["REFIM"], fields["PHOT"]) == ("museum.jpg ; abc.jpg", "Jeanne Photographe")


def test_rebase_uri_re_mints_the_campaign_images_too(hub):
    from musenor.catalogue.rebase import rebase_ledger

    [(_, _, file)] = hub.deliver({"2004.1.1.jpg": photograph()}).attached
    rebase_ledger(hub.catalogue.ledger, "https://musenor.fr")
    enrichment = hub.catalogue.ledger.record(IDENTIFIER).enrichment
    assert f"<https://musenor.fr/images/{CODE}/{file}>" in enrichment
    assert "http://hub.test" not in enrichment


def test_the_record_page_shows_the_campaign_photographs_with_their_credit(hub):
    [(_, _, main), (_, _, verso)] = hub.deliver({"2004.1.1.jpg": photograph("Jeanne Photographe"),
                                                  "2004.1.1_verso.jpg": photograph(colour="red")}).attached
    html = hub.get(f"/notice/{CODE}/M0634000001")
    figure = html.split('<figure class="record-image">', 1)[1]
    # the hub's own display copy of the campaign photograph, with the zoom viewer on its manifest
    assert f'<img src="/images/M0634/{main}" alt="Vue de Roubaix" width="240" height="180">' in figure
    assert 'data-manifest="/iiif/M0634/M0634000001/manifest.json"' in figure
    views = html.split('<ul class="record-views">', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'<img src="http://hub.test/images/M0634/thumbs/([^"]+)"', views) == [main, verso]
    assert "<small>Jeanne Photographe · Association des conservateurs</small>" in views


def test_search_results_show_the_campaign_thumbnail(hub):
    [(_, _, file)] = hub.deliver({"2004.1.1.jpg": photograph()}).attached
    html = hub.get("/search?q=Roubaix")
    assert f'<img src="http://hub.test/images/{CODE}/thumbs/{file}"' in html


def test_a_corrupt_zip_member_is_rejected_and_the_others_attached(hub):
    archive = hub.root / "delivery.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zipped:
        zipped.writestr("2004.1.1.jpg", photograph())
        zipped.writestr("2004.1.2.jpg", photograph(colour="navy"))
    data = bytearray(archive.read_bytes())
    second = data.rfind(b"\xff\xd8\xff", 0, data.find(b"PK\x01\x02"))  # the second member's JPEG
    data[second + 200] ^= 0xFF  # its CRC no longer matches
    archive.write_bytes(bytes(data))
    report = ingest(hub.catalogue, hub.config.base_uri, campaign(hub.config, "photo-2026"), CODE, archive)
    assert [f for f, _, _ in report.attached] == ["2004.1.1.jpg"]
    assert [(f, r.startswith("cannot be read from the zip")) for f, r in report.rejected] == [("2004.1.2.jpg", True)]


def test_the_stored_renderings_carry_the_campaign_image_as_the_live_ones_do(hub):
    from musenor.harvester.rendering import render_stale

    [(_, _, file)] = hub.deliver({"2004.1.1.jpg": photograph("Jeanne Photographe")}).attached
    live = hub.get(f"/oai?verb=GetRecord&metadataPrefix=edm&identifier={IDENTIFIER}")
    assert render_stale(hub.config, hub.catalogue) >= 1
    stored = hub.get(f"/oai?verb=GetRecord&metadataPrefix=edm&identifier={IDENTIFIER}")
    url = f"http://hub.test/images/{CODE}/{file}"
    assert f'<edm:hasView rdf:resource="{url}"/>' in stored
    assert stored.split("<metadata>", 1)[1] == live.split("<metadata>", 1)[1]


def test_the_manifest_the_record_page_names_shows_the_campaign_photograph(hub):
    [(_, _, main)] = hub.deliver({"2004.1.1.jpg": photograph("Jeanne Photographe")}).attached
    assert 'data-manifest="/iiif/M0634/M0634000001/manifest.json"' in hub.get(f"/notice/{CODE}/M0634000001")
    manifest = json.loads(hub.get(f"/iiif/{CODE}/M0634000001/manifest.json"))
    [canvas] = manifest["items"]
    [annotation] = canvas["items"][0]["items"]
    assert annotation["body"] == {"id": f"http://localhost/images/{CODE}/{main}", "type": "Image", "height": 180,
                                  "width": 240, "format": "image/jpeg"}
