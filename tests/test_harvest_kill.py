"""SIGKILL at random moments: a harvest killed anywhere resumes with no duplicate and no gap, and the
published catalogue is never partial (issue 3, "Done when")."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from catalogue import Catalogue
from demo.museum_endpoint import EndpointRecord, serve_repository
from fixtures.harvest.museum import lido_record, repository

CHILD = Path(__file__).resolve().parent / "fixtures" / "harvest" / "harvest_child.py"
RECORDS = 2000
PAGE_SIZE = 50  # 40 pages
KILLS = 30
CODE = "M0629"


def write_config(tmp_path: Path, endpoint_url: str) -> Path:
    path = tmp_path / "musenor.toml"
    path.write_text(f"""
[hub]
base_uri = "http://hub.test"
data_dir = "data"
repository_name = "Musenor"
admin_email = "catalogue@musenor.fr"
repository_identifier = "musenor.fr"

[museums.{CODE}]
name = "Palais des Beaux-Arts de Lille"
city = "Lille"

[museums.{CODE}.source]
kind = "oai-pmh"
endpoint = "{endpoint_url}"
backoff_seconds = 0
""", encoding="utf-8")
    return path


def published_state(data_dir: Path) -> dict[str, str]:
    catalogue = Catalogue(data_dir, open_graph=False)
    try:
        rows = catalogue.ledger.conn.execute(
            "SELECT identifier, record_uri, graph FROM records WHERE museum = ? AND deleted = 0", (CODE,)).fetchall()
        assert len({r["record_uri"] for r in rows}) == len(rows)
        return {r["identifier"]: r["graph"] for r in rows}
    finally:
        catalogue.close()


@pytest.mark.slow
def test_random_sigkills_never_leave_a_partial_catalogue_and_resume_without_duplicate_or_gap(tmp_path):
    rng = random.Random(20261128)
    repo = repository(RECORDS, page_size=PAGE_SIZE)
    expected = {f"oai:musenor.fr:{CODE}:PBA-P-{n}" for n in range(1, RECORDS + 1)}
    changed_ids = [f"PBA-P-{n}" for n in range(1, RECORDS + 1, 20)]  # 100 records retitled halfway through
    retitled = False
    with serve_repository(repo) as endpoint:
        config = write_config(tmp_path, endpoint.oai_url)
        kills = completed = 0
        while kills < KILLS or not retitled:
            child = subprocess.Popen([sys.executable, str(CHILD), str(config), CODE, "--full"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            assert child.stdout.readline().strip() == "ready", child.stderr.read()
            # longer windows until the first publish, so that most kills hit a catalogue that has content
            time.sleep(rng.uniform(0.0, 1.2 if retitled else 4.0))
            if child.poll() is None:
                child.kill()
                kills += 1
            else:
                completed += 1
            child.wait()
            state = published_state(tmp_path / "data")
            # never partial: nothing yet, or every record exactly once
            assert set(state) in (set(), expected)
            if state and not retitled:
                for n, local_id in enumerate(changed_ids):
                    repo.put(EndpointRecord(f"oai:pba.lille.fr:{local_id}", "2026-02-01",
                                            metadata={"lido": lido_record(local_id, f"Nouveau titre {n}", n=n)}))
                retitled = True
        final = subprocess.run([sys.executable, str(CHILD), str(config), CODE, "--full"], capture_output=True,
                               text=True, timeout=300)
        report = json.loads(final.stdout.splitlines()[-1])
        assert report["status"] == "succeeded", report["reason"]
        assert set(published_state(tmp_path / "data")) == expected
        # A run resumed across the retitling read its early pages before it: one more run sees every change.
        again = subprocess.run([sys.executable, str(CHILD), str(config), CODE, "--full"], capture_output=True,
                               text=True, timeout=300)
        completed += 1
    assert json.loads(again.stdout.splitlines()[-1])["status"] == "succeeded"
    state = published_state(tmp_path / "data")
    assert set(state) == expected
    assert all("Nouveau titre" in state[f"oai:musenor.fr:{CODE}:{i}"] for i in changed_ids)
    catalogue = Catalogue(tmp_path / "data", open_graph=False)
    try:
        assert catalogue.ledger.conn.execute("SELECT COUNT(*) FROM staged_records").fetchone()[0] == 0
        runs = catalogue.ledger.runs(CODE, limit=100)
        assert runs[0].status == "succeeded"
        # every killed run was resumed to its end, none abandoned or failed (a kill can land after a publish
        # committed, so there may be more succeeded runs than children that exited on their own)
        assert {r.status for r in runs} == {"succeeded"}
        assert len(runs) >= completed + 1
    finally:
        catalogue.close()
    assert kills >= KILLS and retitled
    print(f"{kills} kills, {completed} harvests that ended before their kill, {len(runs)} runs")
