"""Curated sets through re-harvests: the demo's exhibitions must not make unchanged records churn.

A harvest knows nothing of musenor.toml's exhibitions, so publishing an unchanged record must keep its
``exhibition:`` memberships and its hub datestamp; a changed record keeps them too, until the next refresh
of the curated sets says otherwise.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from musenor.catalogue.ledger import Ledger, StagedRecord

GRAPH = ('<http://127.0.0.1:5000/id/object/M0629/PBA-P-222> '
         '<http://purl.org/dc/elements/1.1/title> "Les Jeunes"@fr .\n')


def staged(title: str = "Les Jeunes") -> StagedRecord:
    return StagedRecord(identifier="oai:musenor.fr:M0629:PBA-P-222", museum="M0629", local_id="PBA-P-222",
                        record_uri="http://127.0.0.1:5000/id/record/M0629/PBA-P-222",
                        sets=["museum", "museum:M0629"], graph=GRAPH.replace("Les Jeunes", title))


def harvest(ledger: Ledger, record: StagedRecord) -> dict[str, int]:
    run = ledger.begin_run("M0629", "oai-pmh", full=True)
    ledger.stage(run.id, [record], checkpoint=None)
    return ledger.publish(run.id, complete=True).as_counts()


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    yield ledger
    ledger.close()


def test_unchanged_record_keeps_its_exhibition_and_datestamp(ledger: Ledger) -> None:
    harvest(ledger, staged())
    assert ledger.set_memberships("exhibition:tresors", ["oai:musenor.fr:M0629:PBA-P-222"]) == 1
    before = ledger.record("oai:musenor.fr:M0629:PBA-P-222")
    counts = harvest(ledger, staged())
    after = ledger.record("oai:musenor.fr:M0629:PBA-P-222")
    assert counts == {"new": 0, "changed": 0, "unchanged": 1, "deleted": 0, "failed": 0}
    assert (after.hub_datestamp, after.change_seq, after.sets) == \
        (before.hub_datestamp, before.change_seq, ["exhibition:tresors", "museum", "museum:M0629"])
    assert ledger.set_memberships("exhibition:tresors", ["oai:musenor.fr:M0629:PBA-P-222"]) == 0


def test_changed_record_is_republished_still_in_its_exhibition(ledger: Ledger) -> None:
    harvest(ledger, staged())
    ledger.set_memberships("exhibition:tresors", ["oai:musenor.fr:M0629:PBA-P-222"])
    counts = harvest(ledger, staged("Les Jeunes ou La Lettre"))
    record = ledger.record("oai:musenor.fr:M0629:PBA-P-222")
    assert counts["changed"] == 1
    assert record.sets == ["exhibition:tresors", "museum", "museum:M0629"]
    assert "La Lettre" in record.graph
    assert ledger.set_memberships("exhibition:tresors", ["oai:musenor.fr:M0629:PBA-P-222"]) == 0
