"""``musenor check-source``: connect, map a sample, validate, say the verdict; publish nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from demo.museum_endpoint import EndpointRecord, serve_repository
from fixtures.harvest.museum import hub_config, lido_record, repository
from fixtures.hub_toml import hub_toml
from musenor.harvester.check import check_source
from musenor.cli import EXIT_FAILED, main
from demo.museum_endpoint import Repository

CODE = "M0629"
DEMO = Path(__file__).resolve().parents[1] / "demo" / "data"
LILLE = {"name": "Palais des Beaux-Arts", "city": "Lille"}


@pytest.fixture
def endpoint():
    with serve_repository(repository(30, page_size=10)) as running:
        yield running


def oai_config(tmp_path, endpoint, **settings):
    return hub_config(tmp_path, {CODE: {"kind": "oai-pmh", "url": endpoint.oai_url, "timeout": 2,
                                        "max_retries": 0, **settings}})


def test_an_oai_source_reports_identify_and_its_formats_and_maps_the_sample(tmp_path, endpoint):
    check = check_source(oai_config(tmp_path, endpoint), CODE, sample=3)
    facts = dict(check.facts)
    assert facts["protocolVersion"] == "2.0"
    assert "lido" in facts["metadata formats"].split(", ")
    assert facts["completeListSize"] == "30"
    assert [(s.local_id, s.problems) for s in check.samples] == [
        ("PBA-P-1", []), ("PBA-P-10", []), ("PBA-P-11", [])]
    assert "<http://hub.test/id/object/M0629/PBA-P-1> a edm:ProvidedCHO" in check.samples[0].turtle
    assert (check.ok, check.verdict) == (True, "ready: 3 of 3 sample records map and validate")


def test_nothing_is_published_or_written_to_the_data_dir(tmp_path, endpoint):
    config = oai_config(tmp_path, endpoint)
    check_source(config, CODE)
    assert not config.data_dir.exists()


def test_a_prefix_the_endpoint_does_not_offer_fails_the_check(tmp_path, endpoint):
    check = check_source(oai_config(tmp_path, endpoint, metadata_prefix="oai_dc"), CODE)
    assert check.failure == "the endpoint does not offer metadataPrefix 'oai_dc' (it offers lido)"
    assert not check.ok and check.samples == []


def test_an_unreachable_endpoint_fails_with_its_reason(tmp_path):
    config = hub_config(tmp_path, {CODE: {"kind": "oai-pmh", "url": "http://127.0.0.1:9/oai", "timeout": 1,
                                          "max_retries": 0}})
    check = check_source(config, CODE)
    assert check.failure is not None and "127.0.0.1:9" in check.failure
    assert check.verdict.startswith("cannot be harvested: ")


def test_a_record_that_does_not_map_is_named_with_its_reason(tmp_path):
    records = [EndpointRecord("oai:pba.lille.fr:PBA-P-1", "2026-01-15",
                              metadata={"lido": lido_record("PBA-P-1")}),
               EndpointRecord("oai:pba.lille.fr:broken", "2026-01-15",
                              metadata={"lido": b'<lido:lido xmlns:lido="http://www.lido-schema.org"/>'})]
    with serve_repository(Repository(records, repository_identifier="pba.lille.fr")) as running:
        check = check_source(oai_config(tmp_path, running), CODE)
    assert [s.ok for s in check.samples] == [True, False]
    assert check.samples[1].problems[0].startswith("does not map: ")
    assert check.verdict == "1 of 2 sample records fail (see each reason)"


def test_a_pop_export_is_checked_from_its_file_and_its_images_stay_out_of_the_hub(tmp_path):
    saint_omer = DEMO / "M0650-saint-omer"
    config = hub_config(tmp_path, {"M0650": {"kind": "pop-file", "path": str(saint_omer / "sandelin-export-pop.txt"),
                                             "images": str(saint_omer / "images")}})
    check = check_source(config, "M0650", sample=2)
    assert [(s.local_id, s.ok) for s in check.samples] == [("06500000001", True), ("06500000002", True)]
    assert not config.data_dir.exists()


def test_the_command_prints_the_mapped_record_and_the_verdict(tmp_path, endpoint):
    config = tmp_path / "musenor.toml"
    config.write_text(hub_toml({CODE: {**LILLE, "source": {"kind": "oai-pmh", "url": endpoint.oai_url}}}),
                      encoding="utf-8")
    result = CliRunner().invoke(main, ["check-source", "m0629", "-n", "1", "-c", str(config)])
    assert result.exit_code == 0, result.output
    assert "record PBA-P-1: ok" in result.output
    assert "record PBA-P-1 as the hub would publish it (Turtle):" in result.output
    assert result.output.rstrip().endswith("M0629: ready: 1 of 1 sample records map and validate")
    assert not (tmp_path / "var").exists()


def test_the_command_exits_1_when_the_source_fails(tmp_path):
    config = tmp_path / "musenor.toml"
    config.write_text(hub_toml({CODE: {**LILLE, "source": {"kind": "lido-file", "path": str(tmp_path / "absent.zip")}}}),
                      encoding="utf-8")
    result = CliRunner().invoke(main, ["check-source", CODE, "-c", str(config)])
    assert result.exit_code == EXIT_FAILED
    assert f"M0629: cannot be harvested: the export {tmp_path / 'absent.zip'} does not exist" in result.output
