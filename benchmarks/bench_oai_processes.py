"""OAI-PMH ListRecords served by 1, 2 and 4 ``musenor serve`` processes over one PostgreSQL ledger.

    python benchmarks/bench_oai_processes.py                       # 10,000 records, 8 harvesters
    python benchmarks/bench_oai_processes.py --records 50000 --processes 1 2 4 --harvesters 8

Starts a throwaway PostgreSQL cluster (initdb/pg_ctl from Debian's packages, as the tests do), builds a
catalogue of profile-shaped records in it through the real ledger API and renders their OAI metadata once,
as a harvest does. Then, for each number of processes, starts that many ``musenor serve`` processes (the real
command, each with its own data_dir, all on the one ledger and one token secret, as behind a load balancer),
and runs ``--harvesters`` whole ListRecords oai_dc harvests at once from as many client processes, each page
sent to the next server in turn (a round-robin balancer: a resumption token from one server is followed on
another). Prints records/s for each number of processes and the ratio to one process (the baseline, measured
in the same run on the same records). On a machine with fewer cores than processes plus harvesters, the
processes share the cores: the figure to read is the growth from one process to as many as there are cores.
It asserts nothing: it prints.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import secrets
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "oai"))

import oaicatalogue as oc  # noqa: E402
from bench_oai import process  # noqa: E402
import postgres  # noqa: E402
from hub_toml import _table  # noqa: E402

TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>")
RECORD = re.compile(rb"<record>")
SECRET_ENV = "MUSENOR_BENCH_OAI_SECRET"


def write_config(directory: Path, ledger: str, page_size: int) -> Path:
    data = oc.config_data(directory / "var", page_size=page_size, ledger=ledger)
    data["hub"]["secret_key_env"] = SECRET_ENV
    lines = _table("hub", data["hub"])
    for code, museum in data["museums"].items():
        lines += [""] + _table(f"museums.{code}", museum)
    path = directory / "musenor.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def server(directory: Path, ledger: str, page_size: int, env: dict[str, str]) -> Any:
    """One ``musenor serve`` process on a port the OS picks; yields its OAI base URL."""
    directory.mkdir(parents=True)
    config = write_config(directory, ledger, page_size)
    return process([sys.executable, "-m", "musenor.cli", "--config", str(config), "serve", "--port", "0",
                    "--no-access-log", "--threads", "8"], "musenor serve", env=env)


def harvest(args: tuple[list[str], int]) -> int:
    """One whole ListRecords oai_dc harvest, page n to server (first + n) mod N; returns the records read."""
    urls, first = args
    session = requests.Session()
    params: dict[str, str] = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    records, page = 0, 0
    while True:
        body = session.get(urls[(first + page) % len(urls)], params=params, timeout=120).content
        records += len(RECORD.findall(body))
        token = TOKEN.search(body)
        if not token:
            return records
        params = {"verb": "ListRecords", "resumptionToken": token.group(1).decode()}
        page += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--harvesters", type=int, default=8)
    args = parser.parse_args()

    reason = postgres.unavailable()
    if reason:
        sys.exit(f"no PostgreSQL here: {reason}")
    from musenor.harvester.rendering import render_stale

    env = {**os.environ, SECRET_ENV: secrets.token_hex(32), "PYTHONPATH": str(ROOT)}
    os.environ[SECRET_ENV] = env[SECRET_ENV]
    print(f"machine: {os.cpu_count()} cores; {args.records} records, {args.page_size} a page, "
          f"{args.harvesters} harvests at once")
    with postgres.cluster() as cluster, tempfile.TemporaryDirectory(prefix="bench-oai-processes-") as tmp:
        ledger = cluster.create_database()
        start = time.perf_counter()
        config, catalogue = oc.build(Path(tmp) / "build", count=args.records, page_size=args.page_size,
                                     ledger=ledger)
        rendered = render_stale(config, catalogue)
        oc.settle(catalogue)
        catalogue.close()
        print(f"catalogue in PostgreSQL: {args.records} records built and {rendered} rendered in "
              f"{time.perf_counter() - start:.1f} s\n")
        baseline = 0.0
        print(f"{'processes':>10}{'records':>10}{'seconds':>10}{'records/s':>11}{'vs 1':>7}")
        for turn, count in enumerate(args.processes):
            with ExitStack() as stack:
                urls = [stack.enter_context(server(Path(tmp) / f"run-{turn}" / f"server-{i}", ledger,
                                                   args.page_size, env)) for i in range(count)]
                jobs = [(urls, i) for i in range(args.harvesters)]
                with multiprocessing.get_context("spawn").Pool(args.harvesters) as pool:
                    pool.map(harvest, [(urls, 0)])  # warm: each server's first pages, the pool's imports
                    start = time.perf_counter()
                    read = sum(pool.map(harvest, jobs))
                    elapsed = time.perf_counter() - start
            rate = read / elapsed
            baseline = baseline or rate
            print(f"{count:>10}{read:>10}{elapsed:>10.1f}{rate:>11.0f}{rate / baseline:>7.2f}")


if __name__ == "__main__":
    main()
