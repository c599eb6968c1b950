"""SIGKILL inside a publish, on purpose and at random moments, on both ledger backends: a harvest killed anywhere resumes with no
duplicate and no gap, and the published catalogue is never partial (issue 3 "Done when", issue 18).

The deterministic kills use the ledger's crash point (``MUSENOR_CRASH_AT=publish:<n>``: SIGKILL after the
n-th record written inside the publish transaction), so they land inside a publish every time; the random
kills land wherever they land. Every child is waited for with a timeout and the loop has a fixed number of
turns: the test fails, it never hangs.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from musenor.catalogue import Catalogue
from musenor.catalogue.ledger import CRASH_VARIABLE
from demo.museum_endpoint import EndpointRecord, serve_repository
from fixtures.harvest.museum import lido_record, repository

CHILD = Path(__file__).resolve().parent / "fixtures" / "harvest" / "harvest_child.py"
RECORDS = 1000
PAGE_SIZE = 50  # 20 pages
TURNS = 14  # random kills: a child killed at a random moment of its run, or left to end
# A resumed run has less left to do than the whole run the kill window is measured on, so how many of TURNS
# turns end before their kill depends on the machine's load: turns go on (up to MAX_TURNS) until
# MIN_RANDOM_KILLS children were killed, rather than a count of kills being asked of a fixed number of turns.
MAX_TURNS = 60
KILL_WINDOW = 10.0  # seconds after a child is ready within which it is killed (a whole run takes about that)
MIN_RANDOM_KILLS = 7
CHILD_TIMEOUT = 240  # seconds one child may take before the test fails
CODE = "M0629"
EXPECTED = {f"oai:musenor.fr:{CODE}:PBA-P-{n}" for n in range(1, RECORDS + 1)}


def write_config(tmp_path: Path, endpoint_url: str, ledger: str | None) -> Path:
    path = tmp_path / "musenor.toml"
    ledger_line = f'ledger = "{ledger}"\n' if ledger else ""
    path.write_text(f"""
[hub]
base_uri = "http://hub.test"
data_dir = "data"
{ledger_line}repository_name = "Musenor"
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


def published_state(data_dir: Path, ledger: str | None) -> dict[str, str]:
    catalogue = Catalogue(data_dir, open_graph=False, ledger=ledger)
    try:
        rows = catalogue.ledger.conn.execute(
            "SELECT identifier, record_uri, graph FROM records WHERE museum = ? AND deleted = 0", (CODE,)).fetchall()
        assert len({r["record_uri"] for r in rows}) == len(rows)
        return {r["identifier"]: r["graph"] for r in rows}
    finally:
        catalogue.close()


def run_child(config: Path, crash_at: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != CRASH_VARIABLE}
    if crash_at:
        env[CRASH_VARIABLE] = crash_at
    return subprocess.run([sys.executable, str(CHILD), str(config), CODE, "--full"], capture_output=True, text=True,
                          timeout=CHILD_TIMEOUT, env=env)


def final_report(proc: subprocess.CompletedProcess) -> dict:
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def retitle(repo, local_ids: list[str], title: str) -> None:
    for n, local_id in enumerate(local_ids):
        repo.put(EndpointRecord(f"oai:pba.lille.fr:{local_id}", "2026-02-01",
                                metadata={"lido": lido_record(local_id, f"{title} {n}", n=n)}))


@pytest.mark.slow
def test_a_kill_inside_the_first_publish_leaves_an_empty_catalogue_and_the_resumed_run_publishes_all(
        tmp_path, ledger_location):
    with serve_repository(repository(RECORDS, page_size=PAGE_SIZE)) as endpoint:
        config = write_config(tmp_path, endpoint.oai_url, ledger_location)
        killed = run_child(config, crash_at=f"publish:{RECORDS // 2}")
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        assert published_state(tmp_path / "data", ledger_location) == {}
        lists_before = len([r for r in endpoint.requests if r.get("verb") == "ListRecords"])
        report = final_report(run_child(config))
        lists_after = len([r for r in endpoint.requests if r.get("verb") == "ListRecords"])
    assert (report["status"], report["counts"]["new"]) == ("succeeded", RECORDS)
    assert set(published_state(tmp_path / "data", ledger_location)) == EXPECTED
    assert lists_after == lists_before  # every page was staged before the kill: the resumed run fetched none


@pytest.mark.slow
def test_a_kill_inside_a_publish_of_changes_leaves_the_previous_catalogue_whole(tmp_path, ledger_location):
    repo = repository(RECORDS, page_size=PAGE_SIZE)
    changed = [f"PBA-P-{n}" for n in range(1, RECORDS + 1, 10)]  # 100 records retitled
    with serve_repository(repo) as endpoint:
        config = write_config(tmp_path, endpoint.oai_url, ledger_location)
        assert final_report(run_child(config))["status"] == "succeeded"
        before = published_state(tmp_path / "data", ledger_location)
        retitle(repo, changed, "Nouveau titre")
        for crash_at in ("publish:1", f"publish:{len(changed) // 2}", f"publish:{len(changed)}"):
            killed = run_child(config, crash_at=crash_at)
            assert killed.returncode == -signal.SIGKILL, killed.stderr
            assert published_state(tmp_path / "data", ledger_location) == before, crash_at
        report = final_report(run_child(config))
    assert (report["status"], report["counts"]["changed"]) == ("succeeded", len(changed))
    state = published_state(tmp_path / "data", ledger_location)
    assert set(state) == EXPECTED
    assert all("Nouveau titre" in state[f"oai:musenor.fr:{CODE}:{i}"] for i in changed)


def ready_to_exit_seconds(config: Path) -> float:
    """How long a harvest child runs between saying ready and ending, left alone."""
    child = subprocess.Popen([sys.executable, str(CHILD), str(config), CODE, "--full"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True,
                             env={k: v for k, v in os.environ.items() if k != CRASH_VARIABLE})
    try:
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
        started = time.monotonic()
        child.communicate(timeout=CHILD_TIMEOUT)
        assert child.returncode == 0
        return time.monotonic() - started
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=CHILD_TIMEOUT)


@pytest.mark.slow
def test_random_sigkills_never_leave_a_partial_catalogue_and_resume_without_duplicate_or_gap(tmp_path,
                                                                                             ledger_location):
    rng = random.Random(20261128)
    repo = repository(RECORDS, page_size=PAGE_SIZE)
    changed = [f"PBA-P-{n}" for n in range(1, RECORDS + 1, 20)]  # 50 records retitled after the first harvest
    kills = completed = 0
    with serve_repository(repo) as endpoint:
        config = write_config(tmp_path, endpoint.oai_url, ledger_location)
        assert final_report(run_child(config))["status"] == "succeeded"
        before = published_state(tmp_path / "data", ledger_location)
        # Kill moments are drawn within what a whole run takes here: an unchanged re-harvest maps nothing and
        # may end in a fraction of a second, and a load-dependent fixed window would let most runs end unkilled.
        window = min(KILL_WINDOW, ready_to_exit_seconds(config))
        retitle(repo, changed, "Nouveau titre")
        after = None
        turns = 0
        while turns < TURNS or (kills < MIN_RANDOM_KILLS and turns < MAX_TURNS):
            turns += 1
            child = subprocess.Popen([sys.executable, str(CHILD), str(config), CODE, "--full"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env={k: v for k, v in os.environ.items() if k != CRASH_VARIABLE})
            try:
                assert child.stdout.readline().strip() == "ready", child.stderr.read()
                time.sleep(rng.uniform(0.0, window))  # when to kill, not a synchronisation
                if child.poll() is None:
                    child.kill()
                    kills += 1
                else:
                    completed += 1
                child.wait(timeout=CHILD_TIMEOUT)
            finally:
                if child.poll() is None:
                    child.kill()
                    child.wait(timeout=CHILD_TIMEOUT)
                child.stdout.close()
                child.stderr.close()
            state = published_state(tmp_path / "data", ledger_location)
            # never partial: the catalogue before the retitling, or every record retitled, each exactly once
            assert set(state) == EXPECTED
            if state != before:
                after = after or state
                assert state == after
        assert kills >= MIN_RANDOM_KILLS, f"{kills} kills in {turns} turns"
        assert final_report(run_child(config))["status"] == "succeeded"
    state = published_state(tmp_path / "data", ledger_location)
    assert set(state) == EXPECTED
    assert all("Nouveau titre" in state[f"oai:musenor.fr:{CODE}:{i}"] for i in changed)
    catalogue = Catalogue(tmp_path / "data", open_graph=False, ledger=ledger_location)
    try:
        assert catalogue.ledger.conn.execute("SELECT COUNT(*) FROM staged_records").fetchone()[0] == 0
        runs = catalogue.ledger.runs(CODE, limit=200)
        # every killed run was resumed to its end, none abandoned or failed
        assert {r.status for r in runs} == {"succeeded"}
    finally:
        catalogue.close()
    print(f"{kills} kills, {completed} harvests that ended before their kill, {len(runs)} runs")
