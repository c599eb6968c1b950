"""The hypothesis profiles of the suite, and which one a run loads (tests/conftest.py loads it)."""

from __future__ import annotations

from collections.abc import Mapping

from hypothesis import settings

# CI must never fail at random: there every property test draws the same examples on every run (derandomize
# derives them from the test itself) and replays nothing from a local example database. Elsewhere the
# examples vary from run to run, to find new failures; `--hypothesis-seed=N` reproduces one run.
# Both start from hypothesis' defaults, not from whatever profile is loaded (hypothesis loads its own "ci"
# profile by itself when it detects CI).
settings.register_profile("ci", settings.get_profile("default"), derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", settings.get_profile("default"), print_blob=True)


def profile_for(environ: Mapping[str, str]) -> str:
    """``HYPOTHESIS_PROFILE`` if set, else "ci" where the ``CI`` variable is set (as CI services and .ci/run do)."""
    return environ.get("HYPOTHESIS_PROFILE") or ("ci" if environ.get("CI") else "dev")
