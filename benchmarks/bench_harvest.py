"""Harvest throughput against a bare sickle fetch, a re-harvest of an unchanged source, and peak memory of a
streamed LIDO export.

    python benchmarks/bench_harvest.py                      # 10 000 records over OAI, a 100 000-record export
    python benchmarks/bench_harvest.py --records 2000 --export-records 20000   # quicker

1. A local museum endpoint (``demo/museum_endpoint.py``) serves ``--records`` records, ``--page-size`` a page,
   in LIDO and in oai_dc. For each, the baseline is a bare sickle ``ListRecords`` over the same pages (fetch
   and parse only); ours is a full harvest: hardened fetch, mapping through the dialect, staging each page with
   its checkpoint, publishing, rendering the OAI formats and applying the changes to the pyoxigraph graph
   store. Then a second full harvest of the unchanged source (what a nightly ``--full`` costs). It prints
   times and the ratios ours / bare sickle and re-harvest / first harvest.
2. A ``lidoWrap`` export of ``--export-records`` records is written to a temporary file, then read in a child
   process twice: by the ``lido-file`` source (iterparse, each record freed once handed on) and by a plain
   ``lxml.etree.parse`` of the whole file (the baseline), each reporting its peak resident memory. With
   ``--export-harvest`` the child runs the whole harvest of the export (map, stage, publish) instead of the read.

It asserts nothing: it prints figures.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from musenor.catalogue.config import parse_config  # noqa: E402

CHILD = r"""
import json, sys, time
sys.path.insert(0, {root!r}); sys.path.insert(0, {tests!r})
mode, path, data_dir = sys.argv[1], sys.argv[2], sys.argv[3]
start = time.perf_counter()
if mode == "lxml":
    from lxml import etree
    tree = etree.parse(path, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    count = len(tree.getroot())
else:
    from fixtures.harvest.museum import hub_config
    from pathlib import Path
    config = hub_config(Path(data_dir), {{"M0634": {{"kind": "lido-file", "path": path}}}}, page_size=500)
    if mode == "stream":
        from musenor.harvester.sources import source_for
        source = source_for(config.museums["M0634"], config)
        count = sum(len(page.records) for page in source.pages(checkpoint=None, from_datestamp=None, full=True))
    else:
        from musenor.catalogue import Catalogue
        from musenor.harvester import harvest_museums
        catalogue = Catalogue(config.data_dir, open_graph=False)
        [report] = harvest_museums(config, catalogue, ["M0634"], jobs=1)
        count = report.counts.get("new", 0)
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the parent, which held the OAI harvest
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({{"count": count, "seconds": time.perf_counter() - start, "peak_mib": hwm / 1024}}))
"""


TYPES = ("tableau", "dessin", "sculpture", "estampe", "objet d'art")


def oai_dc_record(n: int) -> bytes:
    """One oai_dc record as the Arras collection system exposes it."""
    return f"""<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <dc:title xml:lang="fr">Paysage de la Scarpe n° {n}</dc:title>
  <dc:creator>Dutilleux, Constant (1807-1865)</dc:creator>
  <dc:subject xml:lang="fr">paysage</dc:subject>
  <dc:description xml:lang="fr">Tableau (huile sur toile), vers {1800 + n % 100}.</dc:description>
  <dc:publisher>Musée des Beaux-Arts d'Arras</dc:publisher>
  <dc:date>vers {1800 + n % 100}</dc:date>
  <dc:type xml:lang="fr">{TYPES[n % len(TYPES)]}</dc:type>
  <dc:format xml:lang="fr">huile sur toile</dc:format>
  <dc:identifier>850.{n}</dc:identifier>
  <dc:language>fr</dc:language>
  <dc:rights>Domaine public ; http://creativecommons.org/publicdomain/mark/1.0/</dc:rights>
</oai_dc:dc>""".encode("utf-8")


def endpoint_records(count: int, prefix: str) -> list[Any]:
    from demo.museum_endpoint import EndpointRecord
    from fixtures.harvest.museum import lido_record

    if prefix == "lido":
        return [EndpointRecord(f"oai:pba.lille.fr:PBA-P-{n}", "2026-01-15", metadata={"lido": lido_record(f"PBA-P-{n}", n=n)})
                for n in range(1, count + 1)]
    return [EndpointRecord(f"oai:arras.fr:850.{n}", "2026-01-15", metadata={"oai_dc": oai_dc_record(n)})
            for n in range(1, count + 1)]


def bare_sickle(url: str, prefix: str) -> tuple[int, float]:
    from sickle import Sickle

    start = time.perf_counter()
    count = sum(1 for _ in Sickle(url, timeout=120).ListRecords(metadataPrefix=prefix, ignore_deleted=False))
    return count, time.perf_counter() - start


def harvest_config(url: str, work: Path, page_size: int, prefix: str) -> Any:
    source: dict[str, Any] = {"kind": "oai-pmh", "endpoint": url, "timeout": 120}
    if prefix != "lido":
        source["metadata_prefix"] = prefix
    return parse_config({
        "hub": {"base_uri": "http://bench.test", "data_dir": str(work / f"hub-{prefix}"), "repository_name": "Musenor",
                "admin_email": "catalogue@musenor.fr", "repository_identifier": "musenor.fr", "page_size": page_size},
        "museums": {"M0629": {"name": "Palais des Beaux-Arts de Lille", "city": "Lille", "source": source}}},
        path=work / "musenor.toml")


def our_harvest(config: Any) -> tuple[dict[str, int], float]:
    """A full harvest, as ``musenor harvest --full`` runs it: publish, renderings and graph store included."""
    from musenor.catalogue import Catalogue
    from musenor.harvester import harvest_museums

    catalogue = Catalogue(config.data_dir)
    start = time.perf_counter()
    [report] = harvest_museums(config, catalogue, ["M0629"], full=True, jobs=1)
    total = time.perf_counter() - start
    catalogue.close()
    if report.status != "succeeded":
        raise SystemExit(f"harvest failed: {report.reason}")
    return report.counts, total


def child(mode: str, path: Path, work: Path) -> dict[str, float]:
    code = CHILD.format(root=str(ROOT), tests=str(ROOT / "tests"))
    data_dir = work / f"export-{mode}"
    data_dir.mkdir(exist_ok=True)
    out = subprocess.run([sys.executable, "-c", code, mode, str(path), str(data_dir)], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.splitlines()[-1])


def write_export(path: Path, count: int) -> None:
    from fixtures.harvest.museum import lido_record

    with path.open("wb") as out:
        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<lido:lidoWrap xmlns:lido="http://www.lido-schema.org">\n')
        for n in range(1, count + 1):
            out.write(lido_record(f"LPR-{n}", n=n, museum="M0634").replace(
                b' xmlns:lido="http://www.lido-schema.org"', b"", 1))
            out.write(b"\n")
        out.write(b"</lido:lidoWrap>\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--export-records", type=int, default=100_000)
    parser.add_argument("--export-harvest", action="store_true", help="harvest the export, not only read it")
    parser.add_argument("--prefixes", default="lido,oai_dc", help="the formats harvested over OAI-PMH")
    args = parser.parse_args()

    from demo.museum_endpoint import Repository, serve_repository

    with tempfile.TemporaryDirectory(prefix="musenor-bench-") as tmp:
        work = Path(tmp)
        for prefix in args.prefixes.split(","):
            repo = Repository(endpoint_records(args.records, prefix), repository_identifier="pba.lille.fr",
                              page_size=args.page_size)
            with serve_repository(repo) as endpoint:
                print(f"OAI-PMH {prefix}: {args.records} records, {args.page_size} a page "
                      f"({-(-args.records // args.page_size)} pages), local endpoint")
                count, baseline = bare_sickle(endpoint.oai_url, prefix)
                print(f"  bare sickle fetch (baseline): {count} records in {baseline:.2f} s "
                      f"({count / baseline:.0f} records/s)")
                config = harvest_config(endpoint.oai_url, work, args.page_size, prefix)
                counts, first = our_harvest(config)
                print(f"  our full harvest (fetch, map, stage, publish, render, graph store): {counts.get('new', 0)} "
                      f"new records in {first:.2f} s ({counts.get('new', 0) / first:.0f} records/s)")
                print(f"  ratio ours / bare sickle: {first / baseline:.2f}")
                counts, again = our_harvest(config)
                print(f"  full re-harvest, nothing changed: {counts.get('unchanged', 0)} unchanged records in "
                      f"{again:.2f} s")
                print(f"  ratio re-harvest / first harvest: {again / first:.2f}")

        export = work / "export.xml"
        write_export(export, args.export_records)
        size_mib = export.stat().st_size / 1024 ** 2
        print(f"LIDO export: {args.export_records} records, {size_mib:.0f} MiB")
        ours_mode = "harvest" if args.export_harvest else "stream"
        streamed = child(ours_mode, export, work)
        print(f"  lido-file source ({'full harvest' if args.export_harvest else 'streamed read'}): "
              f"{streamed['count']} records in {streamed['seconds']:.1f} s, peak memory {streamed['peak_mib']:.0f} MiB")
        whole = child("lxml", export, work)
        print(f"  lxml parse of the whole file (baseline): {whole['count']} records in {whole['seconds']:.1f} s, "
              f"peak memory {whole['peak_mib']:.0f} MiB")
        print(f"  peak memory ratio streamed / whole-file: {streamed['peak_mib'] / whole['peak_mib']:.2f}")


if __name__ == "__main__":
    main()
