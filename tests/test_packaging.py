"""What a package needs to be installed and trusted: a licence, metadata, a changelog, a clean lint."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_tree_passes_ruff():
    if importlib.util.find_spec("ruff") is None:
        pytest.skip("ruff is not installed: pip install -e '.[test]'")
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", str(ROOT)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_licence_file_is_the_licence_the_metadata_names():
    assert PROJECT["license"] == {"text": "MIT"}
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    assert "License :: OSI Approved :: MIT License" in PROJECT["classifiers"]


def test_the_metadata_says_where_the_project_lives():
    assert set(PROJECT["urls"]) == {"Homepage", "Documentation", "Source", "Issues", "Changelog"}
    assert all(url.startswith("https://") for url in PROJECT["urls"].values())
    assert f"Programming Language :: Python :: {PROJECT['requires-python'].removeprefix('>=')}" in PROJECT[
        "classifiers"]


def test_the_changelog_has_the_current_version():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{PROJECT['version']}]" in changelog


def test_the_only_top_level_import_name_is_musenor():
    # A bare `catalogue` (spaCy's dependency) or `mappings` would shadow, or be shadowed by, another
    # distribution installed beside the hub.
    from setuptools import find_packages

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = find_packages(where=str(ROOT), include=include)
    assert {name.split(".")[0] for name in packages} == {"musenor"}
    assert {"musenor.catalogue", "musenor.harvester", "musenor.mappings", "musenor.oai_server",
            "musenor.vocabularies", "musenor.campaigns"} <= set(packages)
