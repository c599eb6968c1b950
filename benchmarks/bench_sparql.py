"""SPARQL example-query latency (the endpoint vs rdflib's in-memory engine, same data) and search-page latency.

    python benchmarks/bench_sparql.py                 # 100 000 records (several minutes on 2 cores)
    python benchmarks/bench_sparql.py --records 10000 # quicker

Builds a synthetic catalogue of profile-shaped records (docs/profile.md) through the real ledger API,
syncs the graph store and the search index, then times, through the Flask app:
- every example query of the query page, answered by the endpoint (worker pool, pyoxigraph snapshot), and the
  same query on an rdflib Graph holding the same triples; the ratio is rdflib time / endpoint time;
- search pages (words, facets, paging) against the FTS5 index.
Figures are medians of ``--repeat`` runs. It asserts nothing: it prints.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from musenor.catalogue import Catalogue, StagedRecord  # noqa: E402
from musenor.catalogue.config import parse_config  # noqa: E402

BASE = "http://bench.test"
WORDS = ["église", "paysage", "portrait", "nature morte", "marine", "moulin", "beffroi", "cathédrale", "dentelle",
         "faïence", "vase", "soleil", "hiver", "Flandre", "Artois", "mer", "port", "femme", "homme", "enfant",
         "cheval", "fleurs", "fruits", "ville", "rivière", "forêt", "bataille", "saint", "vierge", "tissu"]
TYPES = ["peinture", "dessin", "estampe", "sculpture", "vase", "textile", "photographie", "objet-d-art", "meuble",
         "monnaie"]
MATERIALS = ["huile", "toile", "bois", "bronze", "marbre", "faience", "coton", "papier", "encre", "plâtre",
             "verre", "soie", "argent", "terre-cuite", "pastel"]
FIRST = ["Jean", "Pierre", "Marie", "Louis", "Jacques", "Anne", "Camille", "Henri", "Jules", "Rosa"]
LAST = ["Dupont", "Lefebvre", "Carpeaux", "Corot", "Boudin", "Breton", "Matisse", "Goya", "Rubens", "Brueghel",
        "Watteau", "Boilly", "Fromentin", "Claudel", "Morisot", "Courbet", "Millet", "Monet", "Vermeer", "Hals"]
PLACES = ["Lille", "Roubaix", "Douai", "Arras", "Calais", "Saint-Omer", "Tourcoing", "Valenciennes", "Cambrai",
          "Boulogne-sur-Mer", "Dunkerque", "Bruges", "Gand", "Anvers", "Paris"]


def museum_codes(n: int) -> list[str]:
    return [f"M{600 + i:04d}" for i in range(n)]


def record_ntriples(rng: random.Random, code: str, local: str, museum_name: str) -> str:
    record = f"<{BASE}/id/record/{code}/{local}>"
    cho = f"<{BASE}/id/object/{code}/{local}>"
    museum = f"<{BASE}/id/museum/{code}>"
    year = rng.randint(1450, 1950)
    span = f"<{BASE}/id/timespan/{year}_{year}>"
    last, first = rng.choice(LAST), rng.choice(FIRST)
    agent = f"<{BASE}/id/agent/{last.lower()}-{first.lower()}-{rng.randint(1, 60)}>"
    place = rng.choice(PLACES)
    place_uri = f"<{BASE}/id/place/{place.lower()}>"
    kind = rng.choice(TYPES)
    title = " ".join(rng.sample(WORDS, 3)).capitalize()
    description = " ".join(rng.choices(WORDS, k=12))
    dc, dct, edm, skos = ("http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/",
                          "http://www.europeana.eu/schemas/edm/", "http://www.w3.org/2004/02/skos/core#")
    lines = [
        f"{record} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.openarchives.org/ore/terms/Aggregation> .",
        f"{record} <{edm}aggregatedCHO> {cho} .",
        f"{record} <{edm}dataProvider> {museum} .",
        f'{record} <{edm}provider> "Musenor" .',
        f"{museum} <{skos}prefLabel> \"{museum_name}\"@fr .",
        f"{cho} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{edm}ProvidedCHO> .",
        f'{cho} <{dc}identifier> "{local}" .',
        f'{cho} <{dc}title> "{title}"@fr .',
        f'{cho} <{dc}description> "{description}"@fr .',
        f"{cho} <{dc}type> <{BASE}/vocab/object-type/{kind}> .",
        f'{cho} <{edm}type> "IMAGE" .',
        f"{cho} <{dct}medium> <{BASE}/vocab/material/{rng.choice(MATERIALS)}> .",
        f"{cho} <{dc}creator> {agent} .",
        f'{cho} <{dct}created> "vers {year}"@fr .',
        f"{cho} <{dct}temporal> {span} .",
        f"{cho} <{dct}spatial> {place_uri} .",
        f"{cho} <https://w3id.org/musenor/ns#repository> {museum} .",
        f"{agent} <{skos}prefLabel> \"{last}, {first}\"@fr .",
        f'{span} <{edm}begin> "{year}"^^<http://www.w3.org/2001/XMLSchema#gYear> .',
        f'{span} <{edm}end> "{year}"^^<http://www.w3.org/2001/XMLSchema#gYear> .',
        f"{place_uri} <{skos}prefLabel> \"{place}\"@fr .",
    ]
    if rng.random() < 0.6:
        lines.append(f"{record} <{edm}isShownBy> <http://images.bench.test/{code}/{local}.jpg> .")
        lines.append(f"{record} <{edm}rights> <http://creativecommons.org/publicdomain/mark/1.0/> .")
    else:
        lines.append(f"{record} <{edm}rights> <http://rightsstatements.org/vocab/UND/1.0/> .")
    return "\n".join(lines) + "\n"


def vocabulary_turtle() -> bytes:
    lines = ["@prefix skos: <http://www.w3.org/2004/02/skos/core#> ."]
    for kind in TYPES:
        lines.append(f'<{BASE}/vocab/object-type/{kind}> a skos:Concept ; skos:prefLabel "{kind}"@fr .')
    for material in MATERIALS:
        lines.append(f'<{BASE}/vocab/material/{material}> a skos:Concept ; skos:prefLabel "{material}"@fr .')
    return "\n".join(lines).encode()


def configure(data_dir: Path, museums: int) -> object:
    """The hub configuration of the synthetic catalogue (its museums' names and cities)."""
    codes = museum_codes(museums)
    return parse_config({
        "hub": {"base_uri": BASE, "data_dir": str(data_dir), "repository_name": "Musenor (benchmark)",
                "admin_email": "bench@musenor.example", "repository_identifier": "musenor.fr"},
        "museums": {code: {"name": f"Musée {i}", "city": PLACES[i % len(PLACES)],
                           "source": {"kind": "lido-file", "path": "none.xml"}} for i, code in enumerate(codes)},
    }, path=data_dir / "musenor.toml")


def open_catalogue(data_dir: Path) -> Catalogue:
    return Catalogue(data_dir, static_graphs={f"{BASE}/vocab/bench": (vocabulary_turtle(), "text/turtle")})


def build(data_dir: Path, records: int, museums: int, seed: int) -> tuple[object, Catalogue, float]:
    codes = museum_codes(museums)
    config = configure(data_dir, museums)
    catalogue = open_catalogue(data_dir)
    rng = random.Random(seed)
    started = time.perf_counter()
    per_museum = records // museums
    for i, code in enumerate(codes):
        count = per_museum + (1 if i < records % museums else 0)
        run = catalogue.ledger.begin_run(code, "lido-file", full=True)
        for page_start in range(0, count, 2000):
            batch = []
            for n in range(page_start, min(count, page_start + 2000)):
                local = f"INV.{n}"
                batch.append(StagedRecord(
                    identifier=f"oai:musenor.fr:{code}:{local}", museum=code, local_id=local,
                    record_uri=f"{BASE}/id/record/{code}/{local}", sets=["museum", f"museum:{code}"],
                    graph=record_ntriples(rng, code, local, f"Musée {i}")))
            catalogue.ledger.stage(run.id, batch, checkpoint={"offset": page_start})
        catalogue.ledger.publish(run.id, complete=True, max_shrink=1.0)
    return config, catalogue, time.perf_counter() - started


SLOW = 20.0  # seconds: one run of something this slow is figure enough


def median_time(action, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
        if times[-1] > SLOW:
            break
    return statistics.median(times)


def rdflib_time(graph, query: str, repeat: int, budget: float) -> float | None:  # type: ignore[no-untyped-def]
    """Median time of ``query`` on the rdflib graph, in a forked child stopped after ``budget`` seconds."""
    import multiprocessing

    context = multiprocessing.get_context("fork")  # the child shares the loaded graph, copy-on-write
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=lambda: sender.send(median_time(lambda: list(graph.query(query)), repeat)))
    child.start()
    answered = receiver.poll(budget)
    result = receiver.recv() if answered else None
    child.kill()
    child.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--museums", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1999)
    parser.add_argument("--skip-rdflib", action="store_true", help="time the endpoint only")
    parser.add_argument("--rdflib-budget", type=float, default=300.0,
                        help="seconds rdflib may take per example query before it is stopped")
    args = parser.parse_args()

    from rdflib import Graph

    from musenor.catalogue.search import sync_search
    from musenor.oai_server import create_app
    from musenor.oai_server.sparql.examples import EXAMPLES

    with tempfile.TemporaryDirectory(prefix="musenor-bench-") as tmp:
        data_dir = Path(tmp)
        print(f"building {args.records} records in {args.museums} museums ...", flush=True)
        config, catalogue, ledger_time = build(data_dir, args.records, args.museums, args.seed)
        started = time.perf_counter()
        catalogue.sync_graph()
        graph_time = time.perf_counter() - started
        started = time.perf_counter()
        sync_search(catalogue)
        search_time = time.perf_counter() - started
        print(f"ledger publish {ledger_time:.1f} s, graph store sync {graph_time:.1f} s, search index {search_time:.1f} s")

        app = create_app(config, catalogue)
        app.config.update(SPARQL_TIMEOUT=120.0, SPARQL_MAX_ROWS=100_000)
        client = app.test_client()
        client.get("/sparql?query=" + quote("ASK {}"))  # start the worker pool

        rdflib_graph = None
        if not args.skip_rdflib:
            started = time.perf_counter()
            rdflib_graph = Graph()
            for record in catalogue.ledger.records(include_deleted=False):
                rdflib_graph.parse(data=record.graph, format="nt")
            rdflib_graph.parse(data=vocabulary_turtle(), format="turtle")
            print(f"rdflib in-memory load: {len(rdflib_graph)} triples in {time.perf_counter() - started:.1f} s",
                  flush=True)

        print(f"\n{'example query':<26}{'endpoint ms':>12}{'rdflib ms':>12}{'ratio':>8}  rows")
        for example in EXAMPLES:
            query = example.query(BASE)
            url = "/sparql?query=" + quote(query)
            response = client.get(url, headers={"Accept": "text/csv"})
            rows = response.data.count(b"\r\n") - 1
            endpoint = median_time(lambda url=url: client.get(url, headers={"Accept": "text/csv"}), args.repeat)
            if rdflib_graph is not None:
                baseline = rdflib_time(rdflib_graph, query, args.repeat, args.rdflib_budget)
                if baseline is None:
                    print(f"{example.key:<26}{endpoint * 1000:>12.1f}{'>' + str(int(args.rdflib_budget * 1000)):>12}"
                          f"{'>' + format(args.rdflib_budget / endpoint, '.0f'):>8}  {rows}", flush=True)
                else:
                    print(f"{example.key:<26}{endpoint * 1000:>12.1f}{baseline * 1000:>12.1f}"
                          f"{baseline / endpoint:>8.1f}  {rows}", flush=True)
            else:
                print(f"{example.key:<26}{endpoint * 1000:>12.1f}{'-':>12}{'-':>8}  {rows}", flush=True)

        searches = {
            "words": "/search?q=eglise",
            "two words": "/search?q=moulin+hiver",
            "no words (all)": "/search",
            "words + facet": "/search?q=paysage&type=" + quote(f"{BASE}/vocab/object-type/peinture"),
            "facet + page 5": "/search?museum=M0600&page=5",
            "rare word": "/search?q=dentelle+cathedrale+beffroi",
        }
        # The first request counts the hits and facets; repeats of the same words and filters (page turns,
        # popular searches) reuse those counts until the index changes.
        print(f"\n{'search page':<26}{'first ms':>12}{'repeat ms':>12}")
        for name, url in searches.items():
            first = median_time(lambda url=url: client.get(url), 1)
            print(f"{name:<26}{first * 1000:>12.1f}"
                  f"{median_time(lambda url=url: client.get(url), max(args.repeat, 10)) * 1000:>12.1f}", flush=True)
        record_url = f"/notice/M0600/INV.{args.records // args.museums // 2}"
        print(f"{'record page':<26}{median_time(lambda: client.get(record_url), 10) * 1000:>12.1f}")
        pool = app.extensions.get("musenor.sparql_pool")
        if pool is not None:
            pool.close()
        app.extensions["musenor.dumps"].wait(600)
        catalogue.close()


if __name__ == "__main__":
    main()
