import os
import sys
from pathlib import Path

from hypothesis import settings

# tests import their helpers (schemas.py) as plain modules
sys.path.insert(0, str(Path(__file__).resolve().parent))

# CI must never fail at random: there every property test draws the same examples on every run (derandomize
# derives them from the test itself) and replays nothing from a local example database. Elsewhere the
# examples vary from run to run, to find new failures; `--hypothesis-seed=N` reproduces one run.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
