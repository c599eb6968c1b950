"""The demo museums' exports: reproducible from demo/generate.py, valid in their own formats, realistic."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from musenor.catalogue import load_config
from demo.generate import JOCONDE_COLUMNS, generate
from demo.works import all_works

from schemas import schema

DEMO = Path(__file__).resolve().parents[1] / "demo"
DATA = DEMO / "data"
LIDO = "{http://www.lido-schema.org}"


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_committed_exports_are_what_generate_writes(tmp_path: Path) -> None:
    generate(tmp_path / "data")
    written = _files(tmp_path / "data")
    committed = _files(DATA)
    assert sorted(written) == sorted(committed)
    assert [name for name in written if written[name] != committed[name]] == []


def test_five_museums_and_262_live_records() -> None:
    works = all_works()
    assert {code: sum(not w.deleted for w in ws) for code, ws in works.items()} == {
        "M0629": 70, "M0634": 52, "M0619": 50, "M0650": 44, "M0640": 46}
    assert [w.local_id for w in works["M0629"] if w.deleted] == ["PBA-P-1475", "PBA-P-584"]
    for code, ws in works.items():
        assert len({w.local_id for w in ws}) == len(ws), code
        assert len({w.inventory for w in ws}) == len(ws), code


def test_lille_records_are_valid_lido_1_1() -> None:
    lido_11 = schema("lido-1.1")
    files = sorted((DATA / "M0629-lille" / "records").glob("*.xml"))
    assert len(files) == 70
    invalid = [f.name for f in files if not lido_11.validate(etree.parse(str(f)))]
    assert invalid == []


def test_roubaix_export_is_a_zip_of_valid_lido_1_0_wraps() -> None:
    lido_10 = schema("lido-1.0")
    with zipfile.ZipFile(DATA / "M0634-roubaix" / "la-piscine-export-lido-1.0.zip") as archive:
        names = archive.namelist()
        docs = [etree.fromstring(archive.read(name)) for name in names]
    assert names == [f"export-lido/la-piscine-lido-{n:03d}.xml" for n in (1, 2, 3)]
    assert [len(doc.findall(f"{LIDO}lido")) for doc in docs] == [20, 20, 12]
    assert [lido_10.validate(doc) for doc in docs] == [True, True, True]


def test_arras_records_are_valid_oai_dc() -> None:
    oai_dc = schema("oai_dc")
    files = sorted((DATA / "M0640-arras" / "records").glob("*.xml"))
    assert len(files) == 46
    assert [f.name for f in files if not oai_dc.validate(etree.parse(str(f)))] == []


def test_oai_indexes_list_every_record_file_and_the_withdrawn_ones() -> None:
    lille = json.loads((DATA / "M0629-lille" / "index.json").read_text(encoding="utf-8"))
    assert lille["metadataPrefix"] == "lido"
    deleted = [r for r in lille["records"] if r["deleted"]]
    assert len(lille["records"]) == 72 and len(deleted) == 2
    assert all("file" not in r for r in deleted)
    # the versions published before the withdrawal, which the demo replays on a new catalogue
    lido_11 = schema("lido-1.1")
    assert [r["withdrawn"] for r in deleted] == [
        {"file": "withdrawn/PBA-P-1475.xml", "datestamp": "2018-11-05"},
        {"file": "withdrawn/PBA-P-584.xml", "datestamp": "2018-11-05"}]
    assert all(lido_11.validate(etree.parse(str(DATA / "M0629-lille" / r["withdrawn"]["file"]))) for r in deleted)
    assert all((DATA / "M0629-lille" / r["file"]).is_file() for r in lille["records"] if not r["deleted"])
    assert lille["records"][0] == {"identifier": "oai:pba.lille.fr:PBA-P-222", "local_id": "PBA-P-222",
                                   "datestamp": lille["records"][0]["datestamp"], "deleted": False,
                                   "sets": ["peinture"], "file": "records/PBA-P-222.xml"}


def test_douai_csv_has_the_joconde_columns_and_50_rows() -> None:
    text = (DATA / "M0619-douai" / "joconde-douai-chartreuse.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == JOCONDE_COLUMNS
    assert len(rows) == 50
    assert rows[0]["Numero_inventaire"] == "A2184"
    assert rows[0]["Auteur"] == "BELLEGAMBE Jean (peintre)"
    assert rows[0]["Precisions_sur_l_auteur"] == "Douai, 1470 ; Douai, 1535"
    assert {r["Code_Museofile"] for r in rows} == {"M0619"}


def test_saint_omer_pop_export_names_an_existing_small_jpeg_for_each_notice() -> None:
    text = (DATA / "M0650-saint-omer" / "sandelin-export-pop.txt").read_text(encoding="utf-8")
    notices = [n for n in text.split("//\n") if n.strip()]
    assert len(notices) == 44
    for notice in notices:
        lines = notice.splitlines()
        assert lines[0] == "REF" and len(lines[1]) == 11
        refim = lines[lines.index("REFIM") + 1].split(",")[0]
        image = DATA / "M0650-saint-omer" / "images" / refim
        assert 1_000 < image.stat().st_size < 10_000, refim
        with Image.open(image) as picture:
            assert (picture.format, picture.size) == ("JPEG", (160, 120))
        # POP wraps long values with a trailing " -"; no line is longer than the wrap width plus marker
        assert max(len(line) for line in lines) <= 80


def test_demo_config_is_valid_and_names_every_source_file() -> None:
    from musenor.harvester import validate_sources

    config = load_config(DEMO / "musenor.toml")
    validate_sources(config)
    assert sorted(config.museums) == ["M0619", "M0629", "M0634", "M0640", "M0650"]
    assert {c: m.source_kind for c, m in config.museums.items()} == {
        "M0629": "oai-pmh", "M0634": "lido-file", "M0619": "csv-file", "M0650": "pop-file", "M0640": "oai-pmh"}
    assert config.data_dir == (DEMO.parent / "var" / "demo").resolve()
    assert config.base_uri == "http://127.0.0.1:5000"
    for museum in config.museums.values():
        if "path" in museum.source:
            assert (DEMO / museum.source["path"]).exists(), museum.code
    assert sorted(config.sets) == ["arts-du-feu", "tresors"]
    assert len(config.sets["tresors"].records) == 8


@pytest.mark.parametrize("code", ["M0629", "M0634", "M0619", "M0650", "M0640"])
def test_each_museum_has_dated_attributed_works_with_rights(code: str) -> None:
    works = [w for w in all_works()[code] if not w.deleted]
    assert all(w.title and w.inventory and w.dating.display and w.technique and w.dimensions for w in works)
    assert all(w.creators and w.description for w in works)
    assert all(w.image_rights.startswith("http://") for w in works)
