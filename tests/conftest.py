import os
import sys
from pathlib import Path

from hypothesis import settings

# tests import their helpers (schemas.py) as plain modules
sys.path.insert(0, str(Path(__file__).resolve().parent))

from hypothesis_profiles import profile_for  # noqa: E402

settings.load_profile(profile_for(os.environ))

import pytest  # noqa: E402

import postgres  # noqa: E402
import sparql_server  # noqa: E402


@pytest.fixture(scope="session")
def postgres_cluster():
    """One throwaway PostgreSQL cluster for the session (see tests/postgres.py)."""
    reason = postgres.unavailable()
    if reason:
        pytest.skip(f"no PostgreSQL for the tests: {reason}")
    with postgres.cluster() as cluster:
        yield cluster


@pytest.fixture(scope="session")
def oxigraph_server():
    """The base URL of one throwaway Oxigraph server for the session (see tests/sparql_server.py)."""
    reason = sparql_server.unavailable()
    if reason:
        pytest.skip(f"no SPARQL server for the tests: {reason}")
    with sparql_server.server() as url:
        yield url


LEDGER_BACKENDS = ["sqlite", "postgresql"]


def _ledger_location(request):
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("postgres_cluster").create_database()


@pytest.fixture(params=LEDGER_BACKENDS)
def ledger_location(request):
    """Where a test's ledger lives: None (the embedded SQLite file) or a fresh PostgreSQL database's URL."""
    return _ledger_location(request)


@pytest.fixture(scope="module", params=LEDGER_BACKENDS)
def module_ledger_location(request):
    """``ledger_location`` for a module's shared catalogue."""
    return _ledger_location(request)
