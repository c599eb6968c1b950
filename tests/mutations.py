"""Mutation check of the harvester's and the ledger's headline promises (issue 18): each mutation below breaks
one promise in the production code of a temporary copy of the tree, the tests named beside it run there, and
the mutation is "caught" when they fail, "survived" when they pass.

Run by hand, not by pytest (slow: it runs the SIGKILL tests)::

    .venv/bin/python tests/mutations.py            # every mutation
    .venv/bin/python tests/mutations.py resume     # those whose name holds "resume"

Exit status 1 when a mutation survives or no longer applies (its text is gone from the code).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IGNORED = shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info", ".pytest_cache")


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str  # production file, relative to the root
    original: str  # text that must occur exactly once
    mutated: str
    tests: tuple[str, ...]  # pytest node ids or files, relative to the root


MUTATIONS = [
    Mutation(
        "publish the staged records when a harvest fails with a source error",
        "musenor/harvester/run.py",
        '        except SourceError as exc:\n            status, reason = "failed", exc.reason\n',
        '        except SourceError as exc:\n            status, reason = "failed", exc.reason\n'
        "            try:\n"
        "                self.ledger.publish(run_id, complete=True, max_shrink=1.0)\n"
        "            except Exception:\n"
        "                pass\n",
        ("tests/test_harvest_oai.py::test_a_misbehaving_endpoint_fails_the_run_with_its_reason_and_publishes_nothing",
         "tests/test_harvest_failures.py::test_a_zip_entry_corrupt_after_the_first_page_fails_the_run_and_publishes_nothing"),
    ),
    Mutation(
        "publish commits record by record",
        "musenor/catalogue/ledger.py",
        "                self._write_version(conn, row, stamp, run_id)\n",
        "                self._write_version(conn, row, stamp, run_id)\n"
        '                conn.execute("COMMIT")\n'
        '                conn.execute("BEGIN IMMEDIATE")\n',
        ("tests/test_ledger.py::test_sigkill_during_publish_leaves_previous_state",
         "tests/test_harvest_kill.py::test_a_kill_inside_a_publish_of_changes_leaves_the_previous_catalogue_whole"),
    ),
    Mutation(
        "resume disabled",
        "musenor/harvester/run.py",
        "        if run is not None:\n            return run\n",
        "        if run is not None:\n            self.ledger.fail_run(run.id, \"abandoned\")\n",
        ("tests/test_harvest_resume.py::test_a_list_resumed_from_its_checkpoint_fetches_no_page_twice",
         "tests/test_harvest_kill.py::test_a_kill_inside_the_first_publish_leaves_an_empty_catalogue_and_the_resumed_run_publishes_all"),
    ),
    Mutation(
        "the mass-deletion guard ignores records that failed to map",
        "musenor/catalogue/ledger.py",
        '                "r.identifier IN (SELECT identifier FROM record_errors WHERE run_id = ?))",\n'
        "                (run.museum, run.id, run.id)).fetchone()[0]\n",
        '                "r.identifier IN (SELECT identifier FROM record_errors WHERE run_id = ? AND 0))",\n'
        "                (run.museum, run.id, run.id)).fetchone()[0]\n",
        ("tests/test_ledger.py::test_records_that_failed_to_map_are_seen_by_the_mass_deletion_guard",),
    ),
    Mutation(
        "record history deleted",
        "musenor/catalogue/ledger.py",
        '        """The record\'s new current header, in the history and under each of its set specs."""\n',
        '        """The record\'s new current header, in the history and under each of its set specs."""\n'
        '        conn.execute("DELETE FROM record_versions WHERE identifier = ?", (identifier,))\n'
        '        conn.execute("DELETE FROM record_version_sets WHERE identifier = ?", (identifier,))\n',
        ("tests/test_ledger.py::test_changed_content_gets_new_version_and_history",
         "tests/test_ledger.py::test_a_tombstone_supersedes_the_live_version_in_the_history"),
    ),
    Mutation(
        "old versions not superseded",
        "musenor/catalogue/ledger.py",
        "    def _supersede(self, conn: sqlite3.Connection, identifier: str, stamp: str) -> None:\n",
        "    def _supersede(self, conn: sqlite3.Connection, identifier: str, stamp: str) -> None:\n        return\n",
        ("tests/test_ledger.py::test_changed_content_gets_new_version_and_history",
         "tests/test_ledger.py::test_a_tombstone_supersedes_the_live_version_in_the_history"),
    ),
    Mutation(
        "a mapping failure stored under the source's identifier (full harvests tombstone it)",
        "musenor/harvester/run.py",
        "mapper.identifier_of(record, exc.local_id)",
        "mapper.identifier_of(record)",
        ("tests/test_harvest_oai.py::test_a_full_harvest_keeps_a_published_record_that_now_fails_to_map",),
    ),
    Mutation(
        "the incremental run's deletions not guarded",
        "musenor/catalogue/ledger.py",
        '        kind = "an incremental harvest"\n',
        '        kind = "an incremental harvest"\n        deleting = 0 if not run.full else deleting\n'
        "        staged_live = staged_live or (0 if run.full else 1)\n",
        ("tests/test_ledger.py::test_an_incremental_run_where_every_record_arrives_deleted_is_refused",
         "tests/test_ledger.py::test_the_mass_deletion_guard_holds_for_incremental_deletions",
         "tests/test_harvest_oai.py::test_an_incremental_harvest_in_which_every_record_arrives_deleted_is_refused"),
    ),
    Mutation(
        "the deadline shuts no socket down (per-read timeouts only)",
        "musenor/harvester/oai_client.py",
        "        for sock in sockets:\n            _shut_down(sock)\n",
        "        for sock in sockets:\n            pass\n",
        ("tests/test_harvest_hostile.py::test_a_response_dripped_a_byte_at_a_time_is_cut_at_the_timeout_and_retried_once",),
    ),
    Mutation(
        "a stalled list not detected",
        "musenor/harvester/sources/oai_pmh.py",
        "        if self.stalled >= STALLED_PAGES:\n",
        "        if False:\n",
        ("tests/test_harvest_hostile.py::test_a_list_whose_tokens_change_while_its_records_repeat_is_stopped",),
    ),
    Mutation(
        "bytes that are not UTF-8 left as they are",
        "musenor/harvester/sanitise.py",
        "        data, repaired = repair_utf8(data)\n",
        "        pass\n",
        ("tests/test_harvest_hostile.py::test_surrogate_references_and_bytes_that_are_not_utf8_are_replaced_and_counted",),
    ),
    Mutation(
        "records without an identifier collapse into one failure",
        "musenor/harvester/sources/oai_pmh.py",
        'page.errors.append((f"(no identifier) page {page_number + 1} of the list, record {place}",',
        'page.errors.append(("(no identifier)",',
        ("tests/test_harvest_hostile.py::test_each_record_without_a_header_identifier_is_its_own_failure_and_the_gate_counts_them",),
    ),
]


def mutated_tree(mutation: Mutation, into: Path) -> Path:
    tree = into / "tree"
    shutil.copytree(ROOT, tree, ignore=IGNORED, symlinks=True)
    target = tree / mutation.path
    text = target.read_text(encoding="utf-8")
    if text.count(mutation.original) != 1:
        raise LookupError(f"{mutation.path}: the text to mutate occurs {text.count(mutation.original)} times")
    target.write_text(text.replace(mutation.original, mutation.mutated), encoding="utf-8")
    return tree


def run_tests(tree: Path, tests: tuple[str, ...]) -> tuple[bool, str]:
    """(whether the tests passed, pytest's last line); the copy's modules come first on the path."""
    env = {**os.environ, "PYTHONPATH": str(tree) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("MUSENOR_CRASH_AT", None)
    check = subprocess.run([sys.executable, "-c", "import musenor.harvester.run, musenor.catalogue.ledger; "
                            "print(musenor.harvester.run.__file__, musenor.catalogue.ledger.__file__)"],
                           cwd=tree, env=env, capture_output=True, text=True, check=True)
    assert all(path.startswith(str(tree)) for path in check.stdout.split()), check.stdout
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
                          cwd=tree, env=env, capture_output=True, text=True, timeout=3600)
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    return proc.returncode == 0, lines[-1] if lines else proc.stderr.strip()[-200:]


def main(argv: list[str]) -> int:
    chosen = [m for m in MUTATIONS if not argv or any(word in m.name for word in argv)]
    failures = 0
    for mutation in chosen:
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="musenor-mutation-") as scratch:
            try:
                tree = mutated_tree(mutation, Path(scratch))
            except LookupError as exc:
                print(f"NOT APPLIED  {mutation.name}: {exc}", flush=True)
                failures += 1
                continue
            passed, last = run_tests(tree, mutation.tests)
        verdict = "survived" if passed else "caught"
        failures += passed
        print(f"{verdict:<9} {mutation.name}  [{last}; {time.monotonic() - started:.0f} s]", flush=True)
        for test in mutation.tests:
            print(f"            {test}", flush=True)
    print(f"{len(chosen) - failures} of {len(chosen)} mutations caught")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
