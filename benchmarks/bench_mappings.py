"""Mapping throughput: LIDO -> graph and graph -> each output format, on 10,000 records, with peak memory.

    python benchmarks/bench_mappings.py [--records 10000]

Records are the LIDO of ../shared/data/lido-* and of the demo museum (demo/data/M0629-lille), cycled up to the
count. The baseline, measured in the same run on the same records, is a plain lxml parse of each record: the
least any LIDO mapping must do. Rendering cycles over the distinct mapped graphs (the OAI server renders from
one record's graph at a time). Both sides use the shipped vocabularies, as in production. Peak memory: tracemalloc's peak over 500 records of each step (run apart, as
tracemalloc slows what it watches) and the process's peak resident set. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from musenor.mappings import HubURIs, MappingContext, MappingError, RenderContext, get_dialect, get_format  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
LIDO = "{http://www.lido-schema.org}lido"
FORMATS = ("oai_dc", "lido", "edm", "linked-art")


def lido_records() -> list[bytes]:
    """Every lido:lido element of the real and demo files, serialised alone."""
    paths = sorted(p for folder in SHARED.glob("lido-*") for p in folder.glob("*.xml"))
    paths += sorted((ROOT / "demo" / "data" / "M0629-lille" / "records").glob("*.xml"))
    records = []
    for path in paths:
        try:
            tree = etree.parse(str(path))
        except etree.XMLSyntaxError:
            continue
        records.extend(etree.tostring(element) for element in tree.getroot().iter(LIDO))
    return records


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:10.0f} records/s ({seconds:6.2f} s)"


def timed(items: Sequence[Any], count: int, step: Callable[[Any], Any]) -> float:
    started = time.perf_counter()
    for item in itertools.islice(itertools.cycle(items), count):
        step(item)
    return time.perf_counter() - started


def traced_peak(items: Sequence[Any], step: Callable[[Any], Any], count: int = 500) -> float:
    tracemalloc.start()
    for item in itertools.islice(itertools.cycle(items), count):
        step(item)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    args = parser.parse_args(argv)

    records = lido_records()
    if not records:
        sys.exit("no LIDO records found (../shared/data/lido-* and demo/data are both absent)")
    try:
        map_lido = get_dialect("lido").load()
    except (ImportError, AttributeError) as exc:
        sys.exit(f"the lido dialect is not available: {exc}")
    uris = HubURIs("https://musenor.fr")
    # as the harvester and the OAI server run: terms matched against, and labels read from, the vocabularies
    from musenor.vocabularies import load_vocabularies
    vocabularies = load_vocabularies(uris.base)
    mapping_context = MappingContext("M0629", "Palais des Beaux-Arts de Lille", uris, vocabularies=vocabularies)
    render_context = RenderContext(uris, museum_names={"M0629": "Palais des Beaux-Arts de Lille"},
                                   vocabularies=vocabularies)

    mapped, refused = [], 0
    for raw in records:
        try:
            mapped.append(map_lido(raw, mapping_context))
        except MappingError:
            refused += 1
    print(f"{len(records)} distinct LIDO records ({refused} refused by the dialect), {args.records} per step")

    def map_one(raw: bytes) -> None:
        try:
            map_lido(raw, mapping_context)
        except MappingError:
            pass

    baseline = timed(records, args.records, etree.fromstring)
    mapping = timed(records, args.records, map_one)
    print(f"baseline  lxml parse        {rate(args.records, baseline)}")
    print(f"LIDO -> graph               {rate(args.records, mapping)}   {mapping / baseline:6.1f}x the baseline's time")
    peaks = {"LIDO -> graph": traced_peak(records, map_one)}

    for name in FORMATS:
        render = get_format(name).load()

        def render_one(record: Any, render: Callable[..., Any] = render) -> None:
            render(record.graph, record.record_uri, render_context)

        seconds = timed(mapped, args.records, render_one)
        print(f"graph -> {name:<18} {rate(args.records, seconds)}   {seconds / baseline:6.1f}x the baseline's time")
        peaks[f"graph -> {name}"] = traced_peak(mapped, render_one)

    for step, peak in peaks.items():
        print(f"peak traced memory, {step:<22} {peak:8.1f} MB (500 records)")
    print(f"peak resident set of the run      {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.1f} MB")


if __name__ == "__main__":
    main()
