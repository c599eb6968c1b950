"""The `pop-file` source kind: both POP layouts, encodings, images, and broken exports reported per notice."""

import shutil
from pathlib import Path

import pytest
from PIL import Image

from musenor.catalogue import ConfigError
from musenor.catalogue.config import parse_config
from musenor.harvester.sources import source_for, validate_museum_source
from musenor.harvester.sources.base import SourceError, TokenRejected
from musenor.harvester.sources.pop import POPSource, decode_export
from musenor.mappings import HubURIs, MappingContext
from musenor.mappings.dialects.pop import map_pop_notice
from musenor.mappings.namespaces import EDM

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "joconde"
TEXT_EXPORT = FIXTURES / "pba-lille-ajout-pilote.txt"
CSV_EXPORT = FIXTURES / "pba-lille-export.csv"
IMAGES = ["M0629_06290000101_p.jpg", "M0629_06290000102_p.jpg", "M0629_06290000102_v.jpg"]


def hub_config(tmp_path: Path, page_size: int = 100, **source):
    data = {
        "hub": {"base_uri": "http://hub.test", "data_dir": "var", "repository_name": "Musenor",
                "admin_email": "a@musenor.example", "repository_identifier": "musenor.fr", "page_size": page_size},
        "museums": {"M0629": {"name": "Palais des Beaux-Arts", "city": "Lille",
                              "source": {"kind": "pop-file", **source}}},
    }
    return parse_config(data, path=tmp_path / "musenor.toml")


def make_images(folder: Path, names=IMAGES, size=(600, 400)):
    folder.mkdir(parents=True, exist_ok=True)
    for n, name in enumerate(names):
        Image.new("RGB", size, (40 * n, 90, 160)).save(folder / name, "JPEG")


def export_dir(tmp_path: Path, export: Path = TEXT_EXPORT, data: bytes | None = None, name=None) -> Path:
    folder = tmp_path / "export"
    folder.mkdir(exist_ok=True)
    target = folder / (name or export.name)
    if data is None:
        shutil.copy(export, target)
    else:
        target.write_bytes(data)
    return target


def harvest(tmp_path, **source):
    config = hub_config(tmp_path, **source)
    src = source_for(config.museums["M0629"], config)
    pages = list(src.pages(checkpoint=None, from_datestamp=None, full=True))
    return config, pages


def all_records(pages):
    return [r for p in pages for r in p.records]


def all_errors(pages):
    return [(error[0], error[1]) for p in pages for error in p.errors]


def failed_refs(pages):
    """The REFs the errors name (the run names those errors by hub identifier)."""
    return [error[3] for p in pages for error in p.errors if len(error) > 3]


# -- settings ----------------------------------------------------------------------------------------------

def test_valid_settings_pass(tmp_path):
    config = hub_config(tmp_path, path="export.txt", layout="text", encoding="cp1252", images="photos")
    validate_museum_source(config.museums["M0629"])


@pytest.mark.parametrize("key, value, message", [
    ("layout", "xml", "must be one of text, csv, auto"),
    ("encoding", "latin-9", "must be one of utf-8, cp1252, auto"),
    ("dialect", "lido", "a pop-file source speaks the 'pop' dialect"),
    ("images", "", "must be a folder path"),
    ("colums", {}, "unknown key for a pop-file source"),
])
def test_bad_settings_name_the_key(tmp_path, key, value, message):
    config = hub_config(tmp_path, path="export.txt", **{key: value})
    with pytest.raises(ConfigError, match=message) as caught:
        validate_museum_source(config.museums["M0629"])
    assert caught.value.key == f"museums.M0629.source.{key}"


def test_path_is_required(tmp_path):
    with pytest.raises(ConfigError, match="the export file or folder is required"):
        validate_museum_source(hub_config(tmp_path).museums["M0629"])


def test_kind_is_registered():
    from musenor.harvester.sources import source_class

    assert source_class("pop-file") is POPSource


# -- both layouts --------------------------------------------------------------------------------------------

def test_text_export_yields_each_notice_with_ref_and_dmaj(tmp_path):
    make_images(tmp_path / "export")
    _, pages = harvest(tmp_path, path=str(export_dir(tmp_path)))
    records = all_records(pages)
    assert [(r.local_id, r.datestamp) for r in records] == [
        ("06290000101", "2023-05-12"), ("06290000102", "2022-11-03"), ("06290000103", "2024-01-09")]
    assert [r.position for r in records] == [
        "pba-lille-ajout-pilote.txt line 1 (REF 06290000101)", "pba-lille-ajout-pilote.txt line 47 (REF 06290000102)",
        "pba-lille-ajout-pilote.txt line 80 (REF 06290000103)"]
    assert all_errors(pages) == [] and pages[-1].checkpoint is None and pages[0].complete_list_size == 3


def test_csv_export_yields_the_same_graphs(tmp_path):
    make_images(tmp_path / "export")
    _, text_pages = harvest(tmp_path, path=str(export_dir(tmp_path)))
    csv_path = export_dir(tmp_path, CSV_EXPORT)
    _, csv_pages = harvest(tmp_path, path=str(csv_path))
    context = MappingContext("M0629", "PBA", HubURIs("http://hub.test"))
    text_graphs = [set(map_pop_notice(r.raw, context).graph) for r in all_records(text_pages)]
    csv_graphs = [set(map_pop_notice(r.raw, context).graph) for r in all_records(csv_pages)]
    assert csv_graphs == text_graphs


def test_relative_path_is_taken_from_the_config_folder(tmp_path):
    make_images(tmp_path / "export")
    export_dir(tmp_path)
    _, pages = harvest(tmp_path, path="export/pba-lille-ajout-pilote.txt")
    assert len(all_records(pages)) == 3


def test_a_folder_holds_the_export_and_its_images(tmp_path):
    make_images(tmp_path / "export")
    export_dir(tmp_path)
    config, pages = harvest(tmp_path, path="export")
    assert len(all_records(pages)) == 3
    assert sorted(p.name for p in (config.data_dir / "images" / "M0629").glob("*.jpg")) == sorted(IMAGES)


def test_missing_export_fails_the_source(tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        harvest(tmp_path, path="nowhere.txt")


def test_csv_header_that_is_not_field_codes_fails_the_source(tmp_path):
    path = export_dir(tmp_path, data='"Numéro";"Titre"\n"1";"x"\n'.encode(), name="bad.csv")
    with pytest.raises(SourceError, match="not POP field codes"):
        harvest(tmp_path, path=str(path))


def test_pages_and_checkpoint_resume(tmp_path):
    make_images(tmp_path / "export")
    config = hub_config(tmp_path, page_size=2, path=str(export_dir(tmp_path)))
    src = source_for(config.museums["M0629"], config)
    pages = list(src.pages(checkpoint=None, from_datestamp=None, full=True))
    assert [len(p.records) for p in pages] == [2, 1]
    assert [p.checkpoint["offset"] if p.checkpoint else None for p in pages] == [2, None]
    resumed = list(src.pages(checkpoint=pages[0].checkpoint, from_datestamp=None, full=True))
    assert [r.local_id for r in all_records(resumed)] == ["06290000103"]


def test_resuming_over_a_replaced_export_restarts_the_list(tmp_path):
    make_images(tmp_path / "export")
    path = export_dir(tmp_path)
    config = hub_config(tmp_path, page_size=2, path=str(path))
    src = source_for(config.museums["M0629"], config)
    checkpoint = next(iter(src.pages(checkpoint=None, from_datestamp=None, full=True))).checkpoint
    path.write_text(TEXT_EXPORT.read_text(encoding="utf-8") + "REF\n06290000104\nTITR\nMain\n//\n",
                    encoding="utf-8")
    with pytest.raises(TokenRejected, match="the export changed since this harvest began"):
        list(src.pages(checkpoint=checkpoint, from_datestamp=None, full=True))


# -- encodings -----------------------------------------------------------------------------------------------

def test_windows_1252_export_is_detected(tmp_path):
    make_images(tmp_path / "export")
    data = TEXT_EXPORT.read_text(encoding="utf-8").encode("cp1252")
    _, pages = harvest(tmp_path, path=str(export_dir(tmp_path, data=data)))
    records = all_records(pages)
    assert b"TITR\n\xc3\x89tude de mains" in records[2].raw  # handed over as UTF-8


def test_windows_1252_csv_export_by_setting(tmp_path):
    make_images(tmp_path / "export")
    data = CSV_EXPORT.read_text(encoding="utf-8").encode("cp1252")
    _, pages = harvest(tmp_path, path=str(export_dir(tmp_path, data=data, name="export.csv")), encoding="cp1252")
    assert "Étude de mains".encode() in all_records(pages)[2].raw


def test_utf8_bom_is_dropped():
    assert decode_export(b"\xef\xbb\xbfREF\n", "auto") == ("REF\n", "utf-8")


def test_auto_keeps_utf8_with_one_damaged_notice():
    text, encoding = decode_export("Étude ; Vieilles ; derrière ; parées".encode() + b" D\xe9part", "auto")
    assert encoding == "utf-8" and text.startswith("Étude")


def test_bad_byte_loses_only_its_notice(tmp_path):
    make_images(tmp_path / "export")
    data = TEXT_EXPORT.read_bytes().replace("Étude de mains".encode(), b"\xc9tude de mains")
    _, pages = harvest(tmp_path, path=str(export_dir(tmp_path, data=data)), encoding="utf-8")
    assert [r.local_id for r in all_records(pages)] == ["06290000101", "06290000102"]
    assert all_errors(pages) == [("pba-lille-ajout-pilote.txt line 80",
                                  "byte 0xc9 at line 91 is not utf-8: the export's encoding is wrong or the file "
                                  "is damaged")]


# -- broken exports ------------------------------------------------------------------------------------------

def test_missing_separator_reports_both_refs(tmp_path):
    make_images(tmp_path / "export")
    text = TEXT_EXPORT.read_text(encoding="utf-8")
    broken = text.replace("DMAJ\n2022/11/03\n//\n", "DMAJ\n2022/11/03\n", 1)
    _, pages = harvest(tmp_path, path=str(export_dir(tmp_path, data=broken.encode())))
    assert [r.local_id for r in all_records(pages)] == ["06290000101"]
    assert failed_refs(pages) == ["06290000102", "06290000103"]
    position = "pba-lille-ajout-pilote.txt line 47 (REF 06290000102, 06290000103)"
    reason = "two notices (REF 06290000102, 06290000103) with no '//' between them"
    assert all_errors(pages) == [(position, reason), (position, reason)]
    assert pages[0].complete_list_size == 3


def test_duplicate_ref_is_an_error_for_both(tmp_path):
    make_images(tmp_path / "export")
    text = TEXT_EXPORT.read_text(encoding="utf-8").replace("REF\n06290000103\n", "REF\n06290000101\n")
    _, pages = harvest(tmp_path, path=str(export_dir(tmp_path, data=text.encode())))
    assert [r.local_id for r in all_records(pages)] == ["06290000102"]
    reason = "REF 06290000101 appears 2 times in the export: no copy is taken"
    assert failed_refs(pages) == ["06290000101", "06290000101"]
    assert pages[0].complete_list_size == 2  # 06290000101 (failed) and 06290000102
    assert all_errors(pages) == [("pba-lille-ajout-pilote.txt line 1 (REF 06290000101)", reason),
                                 ("pba-lille-ajout-pilote.txt line 80 (REF 06290000101)", reason)]


def test_missing_image_is_an_error_of_its_notice(tmp_path):
    make_images(tmp_path / "export", names=IMAGES[:2])
    _, pages = harvest(tmp_path, path=str(export_dir(tmp_path)))
    assert [r.local_id for r in all_records(pages)] == ["06290000101", "06290000103"]
    folder = tmp_path / "export"
    assert failed_refs(pages) == ["06290000102"]
    assert all_errors(pages) == [("pba-lille-ajout-pilote.txt line 47 (REF 06290000102)",
                                  f"image M0629_06290000102_v.jpg: missing from {folder}")]


def test_unreadable_image_is_an_error_of_its_notice(tmp_path):
    make_images(tmp_path / "export")
    (tmp_path / "export" / IMAGES[0]).write_bytes(b"not a jpeg at all")
    _, pages = harvest(tmp_path, path=str(export_dir(tmp_path)))
    assert all_errors(pages) == [("pba-lille-ajout-pilote.txt line 1 (REF 06290000101)",
                                  "image M0629_06290000101_p.jpg: not a readable image (UnidentifiedImageError)")]


def test_notice_without_ref_is_reported(tmp_path):
    make_images(tmp_path / "export")
    data = TEXT_EXPORT.read_text(encoding="utf-8").replace("REF\n06290000103\n", "")
    _, pages = harvest(tmp_path, path=str(export_dir(tmp_path, data=data.encode())))
    assert all_errors(pages) == [("pba-lille-ajout-pilote.txt line 80", "the notice has no REF")]
    assert failed_refs(pages) == []


def test_csv_row_with_extra_cells_is_reported(tmp_path):
    data = '"REF";"TITR"\n"06290000201";"Main"\n"06290000202";"Pied";"de trop"\n'.encode()
    _, pages = harvest(tmp_path, path=str(export_dir(tmp_path, data=data, name="export.csv")))
    assert [r.local_id for r in all_records(pages)] == ["06290000201"]
    assert all_errors(pages) == [("export.csv line 3", "the row has 3 cells for 2 field codes")]


# -- images --------------------------------------------------------------------------------------------------

def test_images_are_copied_with_thumbnails_at_most_150px(tmp_path):
    make_images(tmp_path / "photos", size=(1200, 800))
    config, _ = harvest(tmp_path, path=str(export_dir(tmp_path)), images=str(tmp_path / "photos"))
    folder = config.data_dir / "images" / "M0629"
    assert (folder / IMAGES[0]).read_bytes() == (tmp_path / "photos" / IMAGES[0]).read_bytes()
    with Image.open(folder / "thumbs" / IMAGES[0]) as thumb:
        assert thumb.size == (150, 100) and thumb.format == "JPEG"


def test_portrait_thumbnail_is_150px_high(tmp_path):
    make_images(tmp_path / "export", size=(300, 900))
    config, _ = harvest(tmp_path, path=str(export_dir(tmp_path)))
    with Image.open(config.data_dir / "images" / "M0629" / "thumbs" / IMAGES[1]) as thumb:
        assert thumb.size == (50, 150)


def test_image_names_match_whatever_their_case(tmp_path):
    make_images(tmp_path / "export", names=[n.upper() for n in IMAGES])
    config, pages = harvest(tmp_path, path=str(export_dir(tmp_path)))
    assert all_errors(pages) == []
    assert (config.data_dir / "images" / "M0629" / IMAGES[0]).is_file()  # published under the REFIM name


def test_changed_image_is_republished(tmp_path):
    make_images(tmp_path / "export")
    config, _ = harvest(tmp_path, path=str(export_dir(tmp_path)))
    Image.new("RGB", (64, 64), (255, 0, 0)).save(tmp_path / "export" / IMAGES[0], "JPEG")
    harvest(tmp_path, path=str(export_dir(tmp_path)))
    with Image.open(config.data_dir / "images" / "M0629" / "thumbs" / IMAGES[0]) as thumb:
        assert thumb.size == (64, 64)


# -- the real notices ----------------------------------------------------------------------------------------

def test_real_pop_notices_harvest_without_their_images(tmp_path):
    from schemas import require_shared

    real = require_shared("data/joconde-fr-pop-schema/joconde-valid-UTF-8.txt")
    _, pages = harvest(tmp_path, path=str(export_dir(tmp_path, real)))
    assert all_records(pages) == []
    assert [position for position, _ in all_errors(pages)] == [
        "joconde-valid-UTF-8.txt line 1 (REF 01610014032)", "joconde-valid-UTF-8.txt line 60 (REF 01610014134)",
        "joconde-valid-UTF-8.txt line 106 (REF 01610014147)"]
    assert all("missing from" in reason for _, reason in all_errors(pages))


def test_real_pop_notices_harvest_with_their_images(tmp_path):
    from schemas import require_shared

    real = require_shared("data/joconde-fr-pop-schema/joconde-valid-UTF-8.txt")
    make_images(tmp_path / "export", names=["M016183_0016630_P.JPG", "M016183_0016631_P.JPG",
                                            "M016183_0016790_P.JPG", "M016183_0016803_P.JPG"])
    _, pages = harvest(tmp_path, path=str(export_dir(tmp_path, real)))
    assert [r.local_id for r in all_records(pages)] == ["01610014032", "01610014134", "01610014147"]


def test_demo_saint_omer_export_harvests_with_every_image(tmp_path):
    demo = Path(__file__).resolve().parents[1] / "demo" / "data" / "M0650-saint-omer"
    data = {
        "hub": {"base_uri": "http://hub.test", "data_dir": str(tmp_path / "var"), "repository_name": "Musenor",
                "admin_email": "a@musenor.example", "repository_identifier": "musenor.fr"},
        "museums": {"M0650": {"name": "Musée de l'hôtel Sandelin", "city": "Saint-Omer",
                              "source": {"kind": "pop-file", "path": str(demo / "sandelin-export-pop.txt"),
                                         "images": str(demo / "images"), "dialect": "pop"}}},
    }
    config = parse_config(data, path=tmp_path / "musenor.toml")
    validate_museum_source(config.museums["M0650"])
    pages = list(source_for(config.museums["M0650"], config).pages(checkpoint=None, from_datestamp=None,
                                                                    full=True))
    records = all_records(pages)
    context = MappingContext("M0650", "Musée de l'hôtel Sandelin", HubURIs("http://hub.test"))
    mapped = [map_pop_notice(r.raw, context) for r in records]
    assert all_errors(pages) == [] and len(records) == pages[0].complete_list_size
    thumbs = config.data_dir / "images" / "M0650" / "thumbs"
    for record in mapped:
        shown = str(record.graph.value(record.record_uri, EDM.isShownBy))
        assert shown.startswith("http://hub.test/images/M0650/")
        with Image.open(thumbs / shown.rsplit("/", 1)[-1]) as thumb:
            assert max(thumb.size) <= 150
