"""A re-harvest maps only what changed: raw bytes, mapping code and museum settings name a record's mapping."""

from __future__ import annotations

import dataclasses

import pytest

from musenor.catalogue import Catalogue
from fixtures.harvest.museum import hub_config, lido_record, lido_wrap
from musenor.harvester import harvest_museums
from musenor.harvester.run import RecordMapper

CODE = "M0634"
IDS = [f"LPR-1994.{n}" for n in range(1, 9)]
UNMAPPED_LIDO = b"<lido:displayStateEditionWrap><lido:displayState>1er etat</lido:displayState></lido:displayStateEditionWrap>"


@pytest.fixture
def catalogue(tmp_path):
    opened = Catalogue(tmp_path / "data", open_graph=False)
    yield opened
    opened.close()


@pytest.fixture
def mapped(monkeypatch):
    """The local ids of the records the harvests map, in order."""
    calls: list[str] = []
    real = RecordMapper.map

    def counting(self, record):
        result = real(self, record)
        calls.append(result[0].local_id)
        return result

    monkeypatch.setattr(RecordMapper, "map", counting)
    return calls


def export(tmp_path, titles: dict[str, str] | None = None) -> str:
    titles = titles or {}
    path = tmp_path / "export.xml"
    path.write_bytes(lido_wrap([lido_record(i, titles.get(i), n=n, museum=CODE) for n, i in enumerate(IDS, 1)]))
    return str(path)


def harvest(tmp_path, catalogue, path: str, name: str = "Musée de Roubaix"):
    config = hub_config(tmp_path, {CODE: {"kind": "lido-file", "path": path}}, page_size=3)
    config.museums[CODE] = dataclasses.replace(config.museums[CODE], name=name)
    [report] = harvest_museums(config, catalogue, [CODE], jobs=1)
    assert report.status == "succeeded", report.reason
    return report


def test_a_reharvest_of_an_unchanged_export_maps_no_record(tmp_path, catalogue, mapped):
    path = export(tmp_path)
    harvest(tmp_path, catalogue, path)
    first = {r.identifier: (r.hub_datestamp, r.change_seq) for r in catalogue.ledger.records(CODE)}
    mapped.clear()
    report = harvest(tmp_path, catalogue, path)
    assert mapped == []
    assert (report.counts["unchanged"], report.counts["new"], report.counts["changed"]) == (8, 0, 0)
    assert {r.identifier: (r.hub_datestamp, r.change_seq) for r in catalogue.ledger.records(CODE)} == first


def test_only_the_record_whose_bytes_changed_is_mapped_again(tmp_path, catalogue, mapped):
    harvest(tmp_path, catalogue, export(tmp_path))
    mapped.clear()
    report = harvest(tmp_path, catalogue, export(tmp_path, {"LPR-1994.5": "Fileuse au rouet"}))
    assert mapped == ["LPR-1994.5"]
    assert (report.counts["unchanged"], report.counts["changed"]) == (7, 1)
    assert "Fileuse au rouet" in catalogue.ledger.record(f"oai:musenor.fr:{CODE}:LPR-1994.5").graph


def test_a_changed_museum_setting_maps_every_record_again(tmp_path, catalogue, mapped):
    path = export(tmp_path)
    harvest(tmp_path, catalogue, path)
    mapped.clear()
    report = harvest(tmp_path, catalogue, path, name="La Piscine, musée d'art et d'industrie André Diligent")
    assert sorted(mapped) == sorted(IDS)
    assert report.counts["unchanged"] + report.counts["changed"] == 8


def test_a_record_no_longer_published_as_mapped_is_mapped_again(tmp_path, catalogue, mapped):
    path = export(tmp_path)
    harvest(tmp_path, catalogue, path)
    identifier = f"oai:musenor.fr:{CODE}:LPR-1994.2"
    with catalogue.ledger.transaction() as conn:  # as a curator's fix or a reindex under another base would
        conn.execute("UPDATE records SET checksum = 'other' WHERE identifier = ?", (identifier,))
    mapped.clear()
    harvest(tmp_path, catalogue, path)
    assert mapped == ["LPR-1994.2"]


def test_the_worklists_of_a_skipped_record_are_kept(tmp_path, catalogue):
    records = [lido_record(i, n=n, museum=CODE) for n, i in enumerate(IDS, 1)]
    records[0] = records[0].replace(b"</lido:descriptiveMetadata>", b"</lido:descriptiveMetadata>", 1)
    records[0] = records[0].replace(b"<lido:objectIdentificationWrap>",
                                    b"<lido:objectIdentificationWrap>" + UNMAPPED_LIDO, 1)
    path = tmp_path / "export.xml"
    path.write_bytes(lido_wrap(records))
    harvest(tmp_path, catalogue, str(path))
    first = (catalogue.ledger.unmapped(CODE), catalogue.ledger.unmatched_terms(CODE))
    harvest(tmp_path, catalogue, str(path))
    assert (catalogue.ledger.unmapped(CODE), catalogue.ledger.unmatched_terms(CODE)) == first
    assert first[0] != {} or first[1] != []
