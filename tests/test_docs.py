"""The documentation cannot drift from the code: every registered name and every command is documented."""

import re
from pathlib import Path

import pytest

from musenor import mappings
from musenor.catalogue.config import parse_config
from musenor.harvester.sources import SOURCE_KINDS
from musenor.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CONFIGURATION = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_cli_command_is_in_the_readme(command):
    assert f"`musenor {command}" in README


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_cli_command_has_help(command):
    assert main.commands[command].help, f"musenor {command} has no --help text"


@pytest.mark.parametrize("kind", sorted(SOURCE_KINDS))
def test_every_source_kind_is_documented(kind):
    assert f"`{kind}`" in CONFIGURATION
    module = SOURCE_KINDS[kind].partition(":")[0]
    assert (ROOT / (module.replace(".", "/") + ".py")).exists(), f"{kind} is registered but {module} is missing"


@pytest.mark.parametrize("dialect", sorted(mappings.DIALECTS))
def test_every_dialect_is_documented_and_loads(dialect):
    assert f"`{dialect}`" in CONFIGURATION
    assert callable(mappings.get_dialect(dialect).load())


@pytest.mark.parametrize("fmt", sorted(mappings.FORMATS))
def test_every_output_format_loads(fmt):
    assert callable(mappings.get_format(fmt).load())


def test_every_oai_prefix_is_in_the_readme():
    for prefix in mappings.oai_formats():
        assert f"`{prefix}`" in README


def test_every_hub_key_is_documented():
    from musenor.catalogue.config import HUB_KEYS

    for key in HUB_KEYS:
        assert f"`{key}`" in CONFIGURATION, f"hub key {key} is not in docs/configuration.md"


def test_documented_example_config_parses(tmp_path):
    import tomllib

    block = README.split("```toml\n", 1)[1].split("```", 1)[0]
    assert "endpoint" not in block  # the key is url
    hub = {"hub": {"base_uri": "http://hub.test", "data_dir": "var", "repository_name": "Musenor",
                   "admin_email": "a@musenor.example", "repository_identifier": "musenor.fr"}}
    config = parse_config({**hub, **tomllib.loads(block)}, path=tmp_path / "musenor.toml")
    assert config.museums["M0644"].source_kind in SOURCE_KINDS


def test_every_command_the_readme_documents_exists():
    documented = set(re.findall(r"^\| `musenor ([a-z-]+)", README, flags=re.M))
    assert documented == set(main.commands)


def test_the_key_reference_is_generated_from_the_code():
    from musenor.reference import current, reference

    assert current(CONFIGURATION) == reference(), "run: python -m musenor.reference --write"


@pytest.mark.parametrize("kind", sorted(SOURCE_KINDS))
def test_every_key_a_source_kind_accepts_is_in_its_settings_table(kind):
    from musenor.harvester.sources import source_class
    from musenor.reference import DIALECT_KEYS, documented_source_keys

    accepted = source_class(kind).settings_keys - {"kind", "_base_dir"} - DIALECT_KEYS
    assert documented_source_keys(kind) == accepted
