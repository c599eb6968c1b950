"""A harvest of a file export that fails after it staged a changed record publishes nothing (issue 18): LIDO
file, folder and zip, Joconde CSV and POP, each with its first page staged before the fault."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from musenor.catalogue import Catalogue
from fixtures.harvest.museum import hub_config, lido_record, lido_wrap
from musenor.harvester import harvest_museums

CODE = "M0634"
PAGE_SIZE = 3
POP_EXPORT = (Path(__file__).resolve().parent / "fixtures" / "joconde" / "pba-lille-ajout-pilote.txt").read_text(
    encoding="utf-8")


def lido_records(numbers: list[int], retitled: int | None) -> list[bytes]:
    return [lido_record(f"LPR-1994.{n}", "Titre changé" if n == retitled else None, n=n, museum=CODE)
            for n in numbers]


def lido_file(tmp_path: Path, numbers: list[int], retitled: int | None) -> dict:
    (tmp_path / "export.xml").write_bytes(lido_wrap(lido_records(numbers, retitled)))
    return {"kind": "lido-file", "path": "export.xml"}


def lido_folder(tmp_path: Path, numbers: list[int], retitled: int | None) -> dict:
    folder = tmp_path / "export"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.xml"):
        old.unlink()
    for n, record in zip(numbers, lido_records(numbers, retitled)):
        (folder / f"{n:03}.xml").write_bytes(lido_wrap([record]))
    return {"kind": "lido-file", "path": "export"}


def lido_zip(tmp_path: Path, numbers: list[int], retitled: int | None) -> dict:
    with zipfile.ZipFile(tmp_path / "export.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for n, record in zip(numbers, lido_records(numbers, retitled)):
            archive.writestr(f"{n:03}.xml", lido_wrap([record]))
    return {"kind": "lido-file", "path": "export.zip"}


def joconde_csv(tmp_path: Path, numbers: list[int], retitled: int | None) -> dict:
    header = "REF;Numero_inventaire;Denomination;Titre;Auteur;Materiaux_techniques;Code_Museofile"
    rows = [f"M0634{n:06};{n}.2.{n};tableau;{'Titre changé' if n == retitled else f'Vue de Roubaix n° {n}'};"
            f"Weerts, Jean-Joseph;huile sur toile;{CODE}" for n in numbers]
    (tmp_path / "export.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return {"kind": "csv-file", "path": "export.csv"}


def pop_file(tmp_path: Path, numbers: list[int], retitled: int | None) -> dict:
    # the fixture's first notice, without its images, under as many REFs as asked
    first = POP_EXPORT.split("\n//\n")[0]
    lines = first.split("\n")
    kept = []
    skip = False
    for line in lines:
        if line in ("REFIM", "VIDEO"):
            skip = True
            continue
        if skip and line.isupper() and line.isalpha() and len(line) <= 5:
            skip = False
        if not skip:
            kept.append(line)
    template = "\n".join(kept)
    notices = [template.replace("06290000101", f"0634{n:07}").replace("M0629", CODE)
               .replace("Les Vieilles", "Titre changé" if n == retitled else f"Les Vieilles {n}") for n in numbers]
    (tmp_path / "export.txt").write_text("\n//\n".join(notices) + "\n//\n", encoding="utf-8")
    return {"kind": "pop-file", "path": "export.txt"}


KINDS = {"lido-file": lido_file, "lido-folder": lido_folder, "lido-zip": lido_zip, "joconde-csv": joconde_csv,
         "pop": pop_file}


@pytest.fixture
def catalogue(tmp_path):
    opened = Catalogue(tmp_path / "data", open_graph=False)
    yield opened
    opened.close()


def harvest(tmp_path, catalogue, source, progress=None):
    config = hub_config(tmp_path, {CODE: source}, page_size=PAGE_SIZE)
    [report] = harvest_museums(config, catalogue, [CODE], jobs=1, progress=progress)
    return report


def published(catalogue):
    return {r.identifier: (r.hub_datestamp, r.deleted, r.checksum) for r in catalogue.ledger.records(CODE)}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_an_export_refused_at_the_gate_after_a_changed_record_was_staged_publishes_nothing(tmp_path, catalogue,
                                                                                          kind):
    write = KINDS[kind]
    first = harvest(tmp_path, catalogue, write(tmp_path, list(range(1, 11)), None))
    assert (first.status, first.counts["new"]) == ("succeeded", 10), (first.reason, first.errors)
    before = published(catalogue)
    seq = catalogue.ledger.last_change_seq()
    staged = []
    # record 1 (first page) changed, records 6 to 10 gone: half the museum
    report = harvest(tmp_path, catalogue, write(tmp_path, list(range(1, 6)), 1),
                     progress=lambda code, done, size: staged.append(done))
    assert report.status == "failed"
    assert report.reason == "a full harvest would delete 5 of 10 published records (50%, above the 20% guard)"
    assert staged[0] == PAGE_SIZE
    assert published(catalogue) == before and catalogue.ledger.last_change_seq() == seq
    assert all("Titre changé" not in r.graph for r in catalogue.ledger.records(CODE))
    assert catalogue.ledger.staged_count(report.run_id) == 0


def corrupt_entry(path: Path, name: str) -> None:
    """Flip bytes in the middle of one entry's compressed data, as a bad disk or a cut upload leaves it."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    data = bytearray(path.read_bytes())
    name_length = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little")
    extra_length = int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length + info.compress_size // 3
    for i in range(start, start + 32):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def test_a_zip_entry_corrupt_after_the_first_page_fails_the_run_and_publishes_nothing(tmp_path, catalogue):
    harvest(tmp_path, catalogue, lido_zip(tmp_path, list(range(1, 11)), None))
    before = published(catalogue)
    source = lido_zip(tmp_path, list(range(1, 11)), 1)
    corrupt_entry(tmp_path / "export.zip", "008.xml")
    staged = []
    report = harvest(tmp_path, catalogue, source, progress=lambda code, done, size: staged.append(done))
    assert report.status == "failed"
    assert report.reason.startswith("export.zip: 008.xml cannot be read: ")
    assert staged == [3, 6]
    assert published(catalogue) == before
    assert "Titre changé" not in catalogue.ledger.record(f"oai:musenor.fr:{CODE}:LPR-1994.1").graph
