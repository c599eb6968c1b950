"""docs/researchers.md cannot rot: each worked query is run on the demo catalogue, through the SPARQL
endpoint as a notebook would ask (``Accept: text/csv``), and must answer exactly the CSV printed under it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console

from musenor.demo import demo_config, run_demo
from musenor.oai_server import create_app

DOC = Path(__file__).resolve().parents[1] / "docs" / "researchers.md"
# A worked query: a sparql block, then (after some prose at most) the csv block of its answer.
WORKED = re.compile(r"^```sparql\n(?P<query>(?:(?!```)[^\n]*\n)*?)```\n(?:(?!```)[^\n]*\n)*?"
                    r"```csv\n(?P<answer>(?:(?!```)[^\n]*\n)*?)```", re.M)


def worked_queries() -> list[tuple[str, str, str]]:
    text = DOC.read_text(encoding="utf-8")
    headings = [(m.start(), m.group(1)) for m in re.finditer(r"^### (.+)$", text, re.M)]
    found = []
    for match in WORKED.finditer(text):
        title = [h for start, h in headings if start < match.start()][-1]
        found.append((title, match.group("query"), match.group("answer")))
    return found


def test_the_documentation_has_the_three_worked_queries():
    assert [title for title, _, _ in worked_queries()] == [
        "Works per century per museum", "Creators across museums", "Materials over time"]


@pytest.fixture(scope="module")
def demo_endpoint(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("researchers-demo") / "var"
    assert run_demo(port=0, serve=False, data_dir=data_dir, console=Console(file=io.StringIO())) == 0
    app = create_app(demo_config("http://127.0.0.1:9/unused", data_dir=data_dir), SPARQL_WORKERS=1)
    yield app.test_client()
    pool = app.extensions.get("musenor.sparql_pool")
    if pool is not None:
        pool.close()
    app.extensions["musenor.dumps"].wait()
    app.extensions["musenor.catalogue"].close()


@pytest.mark.parametrize("title,query,answer", worked_queries(), ids=[t for t, _, _ in worked_queries()])
def test_each_worked_query_answers_as_documented(demo_endpoint, title, query, answer):
    response = demo_endpoint.post("/sparql", data={"query": query}, headers={"Accept": "text/csv"})
    assert response.status_code == 200, response.data
    assert response.headers.get("Musenor-Truncated") is None
    assert response.data.decode("utf-8").replace("\r\n", "\n") == answer
