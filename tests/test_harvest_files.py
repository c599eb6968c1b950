"""Harvesting file exports: LIDO files, folders, archives (hostile ones too), URLs, and CSV spreadsheets."""

from __future__ import annotations

import io
import tarfile
import time
import zipfile

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Response

from musenor.catalogue import Catalogue
from fixtures.harvest.museum import hub_config, lido_record, lido_wrap
from musenor.harvester import harvest_museums
from musenor.harvester.sanitise import SanitisingReader, sanitise_xml
from musenor.harvester.sources.csv_file import decode_export, detect_delimiter


CODE = "M0634"


@pytest.fixture
def catalogue(tmp_path):
    opened = Catalogue(tmp_path / "data", open_graph=False)
    yield opened
    opened.close()


def harvest(tmp_path, catalogue, source, **hub):
    config = hub_config(tmp_path, {CODE: source}, **hub)
    [report] = harvest_museums(config, catalogue, [CODE], jobs=1)
    return report


def live_ids(catalogue):
    return sorted(r.local_id for r in catalogue.ledger.records(CODE, include_deleted=False))


def records(ids):
    return [lido_record(i, n=int(i.rsplit(".", 1)[1]), museum=CODE) for i in ids]


def write_export(tmp_path, ids, name="export.xml"):
    path = tmp_path / name
    path.write_bytes(lido_wrap(records(ids)))
    return path


IDS = [f"LPR-1994.{n}" for n in range(1, 13)]


def test_a_lido_wrap_file_is_harvested_as_a_full_run(tmp_path, catalogue):
    path = write_export(tmp_path, IDS)
    report = harvest(tmp_path, catalogue, {"kind": "lido-file", "path": str(path)}, page_size=5)
    assert (report.status, report.counts["new"]) == ("succeeded", 12)
    assert live_ids(catalogue) == sorted(IDS)
    assert catalogue.ledger.run(report.run_id).full
    record = catalogue.ledger.record(f"oai:musenor.fr:{CODE}:LPR-1994.3")
    assert record.source_url == path.resolve().as_uri()
    assert record.raw.startswith(b'<lido:lido xmlns:lido="http://www.lido-schema.org">')


def test_a_relative_path_is_read_from_the_config_files_folder(tmp_path, catalogue):
    write_export(tmp_path, IDS[:3])
    report = harvest(tmp_path, catalogue, {"kind": "lido-file", "path": "export.xml"})
    assert (report.status, report.counts["new"]) == ("succeeded", 3)


def test_an_unchanged_export_changes_nothing_and_a_shrunk_one_tombstones_the_missing_record(tmp_path, catalogue):
    path = write_export(tmp_path, IDS)
    source = {"kind": "lido-file", "path": str(path)}
    harvest(tmp_path, catalogue, source)
    stamps = {r.identifier: r.hub_datestamp for r in catalogue.ledger.records(CODE)}
    again = harvest(tmp_path, catalogue, source)
    assert (again.counts["unchanged"], again.counts["new"], again.counts["changed"]) == (12, 0, 0)
    assert {r.identifier: r.hub_datestamp for r in catalogue.ledger.records(CODE)} == stamps
    write_export(tmp_path, IDS[1:])
    shrunk = harvest(tmp_path, catalogue, source)
    assert (shrunk.counts["deleted"], shrunk.counts["unchanged"]) == (1, 11)
    assert catalogue.ledger.record(f"oai:musenor.fr:{CODE}:LPR-1994.1").deleted


def test_a_folder_a_zip_and_a_tar_gz_give_the_same_records(tmp_path, catalogue):
    folder = tmp_path / "folder"
    (folder / "sub").mkdir(parents=True)
    for n, record in enumerate(records(IDS)):
        (folder / ("sub" if n % 2 else ".") / f"r{n:02}.xml").write_bytes(record)
    (folder / "notes.txt").write_text("not an export file")
    with zipfile.ZipFile(tmp_path / "export.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("part-1.xml", lido_wrap(records(IDS[:6])))
        archive.writestr("part-2.xml", lido_wrap(records(IDS[6:])))
        archive.writestr("images/readme.txt", "photographs sent separately")
    with tarfile.open(tmp_path / "export.tar.gz", "w:gz") as archive:
        data = lido_wrap(records(IDS))
        info = tarfile.TarInfo("lido/all.xml")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    for path in ("folder", "export.zip", "export.tar.gz"):
        report = harvest(tmp_path, catalogue, {"kind": "lido-file", "path": path})
        assert report.status == "succeeded", report.reason
        assert live_ids(catalogue) == sorted(IDS)


def _zip(tmp_path, entries, compression=zipfile.ZIP_DEFLATED):
    path = tmp_path / "hostile.zip"
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("entries,settings,reason", [
    ([("../../etc/cron.d/evil.xml", lido_wrap(records(IDS[:1])))], {},
     "hostile.zip: entry '../../etc/cron.d/evil.xml' would escape the archive"),
    ([("/abs/evil.xml", lido_wrap(records(IDS[:1])))], {}, "hostile.zip: entry '/abs/evil.xml' would escape the archive"),
    ([(f"r{n}.xml", lido_wrap(records(IDS[:1]))) for n in range(6)], {"max_entries": 5},
     "hostile.zip holds 6 entries, above max_entries 5"),
    ([("bomb.xml", b"<a>" + b" " * 5_000_000 + b"</a>")], {}, "hostile.zip: entry 'bomb.xml' inflates"),
    ([("big.xml", lido_wrap(records(IDS)))], {"max_total_bytes": 1000, "max_ratio": 1000},
     "hostile.zip unpacks to"),
])
def test_a_hostile_archive_fails_the_run_before_anything_is_parsed(tmp_path, catalogue, entries, settings, reason):
    write_export(tmp_path, IDS)
    harvest(tmp_path, catalogue, {"kind": "lido-file", "path": "export.xml"})
    path = _zip(tmp_path, entries)
    report = harvest(tmp_path, catalogue, {"kind": "lido-file", "path": str(path), **settings})
    assert report.status == "failed"
    assert report.reason.startswith(reason)
    assert live_ids(catalogue) == sorted(IDS)


def test_a_tar_with_a_symlink_is_refused(tmp_path, catalogue):
    path = tmp_path / "links.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("export.xml")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        archive.addfile(info)
    report = harvest(tmp_path, catalogue, {"kind": "lido-file", "path": str(path)})
    assert report.reason == "links.tar.gz: entry 'export.xml' is a link or a device"


def test_a_broken_file_fails_its_records_only_and_keeps_their_published_versions(tmp_path, catalogue):
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.xml").write_bytes(lido_wrap(records(IDS[:6])))
    (folder / "b.xml").write_bytes(lido_wrap(records(IDS[6:])))
    source = {"kind": "lido-file", "path": "folder"}
    harvest(tmp_path, catalogue, source)
    before = {r.identifier: r.hub_datestamp for r in catalogue.ledger.records(CODE)}
    # the file is cut in the middle of its third record, as an interrupted FTP upload leaves it
    data = lido_wrap(records(IDS[6:]))
    third = data.index(b"<lido:lido>", data.index(IDS[8].encode()) - 200)
    (folder / "b.xml").write_bytes(data[:third + 800])
    report = harvest(tmp_path, catalogue, source)
    assert report.status == "succeeded", report.reason
    failed = dict(report.errors)
    assert list(failed) == [f"oai:musenor.fr:{CODE}:{IDS[8]}"]  # named by its lidoRecID, found in the bytes
    assert failed[f"oai:musenor.fr:{CODE}:{IDS[8]}"].startswith("b.xml is not well-formed XML: ")
    # the records after the break cannot be known: the run publishes what it read and deletes nothing
    assert (report.counts["deleted"], report.counts["unchanged"]) == (0, 8)
    assert {r.identifier: r.hub_datestamp for r in catalogue.ledger.records(CODE)} == before
    assert live_ids(catalogue) == sorted(IDS)


def test_a_dtd_with_entities_is_not_expanded(tmp_path, catalogue):
    path = tmp_path / "xxe.xml"
    path.write_bytes(b'<?xml version="1.0"?><!DOCTYPE lido:lidoWrap [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                     + lido_wrap(records(IDS[:1])).split(b"?>", 1)[1].replace(b"</lido:appellationValue>",
                                                                              b"&xxe;</lido:appellationValue>", 1))
    report = harvest(tmp_path, catalogue, {"kind": "lido-file", "path": str(path)})
    # the reference stays a reference: the record fails alone, and /etc/passwd is nowhere
    assert (report.status, report.counts["new"]) == ("succeeded", 0)
    assert [identifier for identifier, _ in report.errors] == [f"oai:musenor.fr:{CODE}:{IDS[0]}"]
    [raw] = [r["raw"] for r in catalogue.ledger.conn.execute("SELECT raw FROM record_errors")]
    assert b"&xxe;" in raw and b"root:" not in raw


def test_an_export_at_an_http_url_is_downloaded_and_harvested(tmp_path, catalogue):
    data = lido_wrap(records(IDS))
    server = make_server("127.0.0.1", 0, Response(data, mimetype="application/xml"), threaded=True)
    import threading

    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/exports/la-piscine.xml"
        report = harvest(tmp_path, catalogue, {"kind": "lido-file", "path": url})
    finally:
        server.shutdown()
    assert (report.status, report.counts["new"]) == ("succeeded", 12)
    assert catalogue.ledger.record(f"oai:musenor.fr:{CODE}:{IDS[0]}").source_url == url


def test_illegal_characters_in_an_export_are_replaced_and_counted(tmp_path, catalogue):
    data = lido_wrap(records(IDS[:2])).replace(b"</lido:displayObjectMeasurements>",
                                               b"\x0b&#x1F;</lido:displayObjectMeasurements>")
    (tmp_path / "export.xml").write_bytes(data)
    report = harvest(tmp_path, catalogue, {"kind": "lido-file", "path": "export.xml"})
    assert (report.status, report.counts["new"], report.counts["sanitised"]) == ("succeeded", 2, 4)


def test_sanitising_reader_matches_sanitising_at_once_across_chunk_boundaries():
    data = (b"<a>\x01&#11;ok&#x1F;\xef\xbf\xbe&amp;&#65;</a>" * 50)
    expected, count = sanitise_xml(data)
    for chunk in (1, 2, 3, 7, 64):
        reader = SanitisingReader(io.BytesIO(data), chunk_size=chunk)
        out = b"".join(iter(lambda reader=reader: reader.read(5), b""))
        assert (out, reader.replaced) == (expected, count)
    assert count == 4 * 50 and b"&#65;" in expected


def test_sanitising_reader_never_splits_a_utf8_character_at_a_chunk_end():
    data = "<a>Châtelaine – œuvre 𝄞 ok</a>".encode("utf-8") * 20
    for chunk in range(1, 12):
        reader = SanitisingReader(io.BytesIO(data), chunk_size=chunk)
        out = b"".join(iter(lambda reader=reader: reader.read(7), b""))
        assert (out, reader.replaced) == (data, 0), chunk


# -- CSV ------------------------------------------------------------------------------------------------

HEADER = "REF;Numero_inventaire;Denomination;Titre;Auteur;Materiaux_techniques;Code_Museofile"


def csv_rows(n):
    return [f"M0634{k:06};{k}.2.{k};tableau;Vue de Roubaix n° {k};Weerts, Jean-Joseph;huile sur toile;{CODE}"
            for k in range(1, n + 1)]


def test_a_cp1252_semicolon_export_is_read_and_each_row_handed_over_as_utf8(tmp_path, catalogue):
    text = "\r\n".join([HEADER, *csv_rows(7)]) + "\r\n"
    (tmp_path / "export.csv").write_bytes(text.encode("cp1252"))
    report = harvest(tmp_path, catalogue, {"kind": "csv-file", "path": "export.csv"}, page_size=3)
    assert (report.status, report.counts["new"]) == ("succeeded", 7), (report.reason, report.errors)
    record = catalogue.ledger.record(f"oai:musenor.fr:{CODE}:M0634000002")
    assert record.raw.decode("utf-8") == f"{HEADER}\nM0634000002;2.2.2;tableau;Vue de Roubaix n° 2;" \
                                         f"Weerts, Jean-Joseph;huile sur toile;{CODE}\n"
    assert "Vue de Roubaix n° 2" in record.graph


def test_a_row_with_too_many_cells_is_a_record_error_and_the_rest_is_published(tmp_path, catalogue):
    rows = csv_rows(4)
    rows[1] += ";surplus"
    (tmp_path / "export.csv").write_text("\n".join([HEADER, *rows]), encoding="utf-8-sig")
    report = harvest(tmp_path, catalogue, {"kind": "csv-file", "path": "export.csv", "id_column": "REF"})
    assert (report.status, report.counts["new"]) == ("succeeded", 3)
    assert report.errors == [(f"oai:musenor.fr:{CODE}:M0634000002", "the row has 8 cells for 7 columns")]


def test_encoding_and_delimiter_detection():
    assert decode_export("\ufeffTitre\n".encode("utf-8"), "auto") == ("Titre\n", "utf-8")
    assert decode_export("Élément\n".encode("cp1252"), "auto") == ("Élément\n", "cp1252")
    assert detect_delimiter("a\tb\tc\n1\t2\t3\n") == "\t"
    assert detect_delimiter("a|b|c\n1|2|3\n") == "|"
    assert detect_delimiter(HEADER + "\n" + csv_rows(1)[0]) == ";"


def test_an_unreadable_csv_path_fails_the_run_with_the_path(tmp_path, catalogue):
    report = harvest(tmp_path, catalogue, {"kind": "csv-file", "path": "missing.csv"})
    assert report.status == "failed" and report.reason.startswith(f"cannot read {tmp_path / 'missing.csv'}")


def test_a_record_twice_in_an_export_keeps_its_first_copy_and_reports_the_second(tmp_path, catalogue):
    copies = records(IDS[:3]) + [lido_record(IDS[1], "Copie tardive", n=2, museum=CODE)]
    (tmp_path / "export.xml").write_bytes(lido_wrap(copies))
    report = harvest(tmp_path, catalogue, {"kind": "lido-file", "path": "export.xml"})
    assert (report.status, report.counts["new"], report.counts["failed"]) == ("succeeded", 3, 1)
    assert report.errors == [(f"oai:musenor.fr:{CODE}:{IDS[1]}", f"export.xml#4 gives the record {IDS[1]} a second "
                              "time (first in export.xml#2); the first copy is kept")]
    assert "Copie tardive" not in catalogue.ledger.record(f"oai:musenor.fr:{CODE}:{IDS[1]}").graph


def test_a_publish_forgets_header_versions_older_than_any_resumption_token(tmp_path, catalogue):
    path = write_export(tmp_path, IDS[:2])
    source = {"kind": "lido-file", "path": str(path)}
    harvest(tmp_path, catalogue, source)
    time.sleep(1.1)  # hub datestamps have seconds granularity: a change within the same second reuses its stamp
    path.write_bytes(lido_wrap([lido_record(IDS[0], n=1, museum=CODE, title="Nouveau titre"),
                                *records(IDS[1:2])]))
    assert harvest(tmp_path, catalogue, source).counts["changed"] == 1
    identifier = f"oai:musenor.fr:{CODE}:{IDS[0]}"

    def versions() -> int:
        return catalogue.ledger.conn.execute("SELECT COUNT(*) FROM record_versions WHERE identifier = ?", (identifier,)).fetchone()[0]

    assert versions() == 2  # the superseded header stays while a token (48 hours here) may still need it
    with catalogue.ledger.transaction() as tx:
        for table in ("record_versions", "record_version_sets"):
            tx.execute(f"UPDATE {table} SET superseded_at = '2000-01-01T00:00:00Z' WHERE superseded_at IS NOT NULL")
    harvest(tmp_path, catalogue, source)
    assert versions() == 1
    assert catalogue.ledger.conn.execute(
        "SELECT COUNT(*) FROM record_version_sets WHERE superseded_at IS NOT NULL").fetchone()[0] == 0


def test_a_harvest_returns_with_its_records_rendered_and_in_the_graph_store(tmp_path):
    from musenor.harvester.rendering import hub_render_context
    from musenor.mappings import oai_formats
    from musenor.mappings.rendering import renderer_version

    catalogue = Catalogue(tmp_path / "data")  # with its graph store: the harvest brings it up to date
    try:
        path = write_export(tmp_path, IDS)
        config = hub_config(tmp_path, {CODE: {"kind": "lido-file", "path": str(path)}}, page_size=5)
        [report] = harvest_museums(config, catalogue, [CODE], jobs=1)
        assert report.status == "succeeded"
        assert catalogue.graph.applied_change_seq() == catalogue.ledger.last_change_seq()
        graphs = catalogue.graph.query("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                                       "FILTER(CONTAINS(STR(?g), '/id/record/')) }")
        assert int(next(iter(graphs))["n"].value) == len(IDS)
        version = renderer_version(hub_render_context(config))
        assert catalogue.ledger.records_to_render(version, len(oai_formats())) == []
    finally:
        catalogue.close()
