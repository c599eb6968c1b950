"""musenor.toml: what a valid file gives, and the exact error each mistake gets."""

from pathlib import Path

import pytest

from catalogue.config import ConfigError, load_config

VALID = """
[hub]
base_uri = "http://127.0.0.1:5000/"
data_dir = "var/hub"
repository_name = "Musenor"
admin_email = "catalogue@musenor.example"
repository_identifier = "musenor.fr"

[museums.M0629]
name = "Palais des Beaux-Arts de Lille"
city = "Lille"
schedule = "0 3 * * *"
[museums.M0629.source]
kind = "oai-pmh"
endpoint = "http://127.0.0.1:8001/oai"

[sets.tresors]
name = "Trésors des musées du nord de la France"
records = ["oai:musenor.fr:M0629:P.45"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "musenor.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_config_resolves_data_dir_beside_the_file(tmp_path):
    config = load_config(write(tmp_path, VALID))
    assert config.data_dir == (tmp_path / "var" / "hub").resolve()
    assert config.base_uri == "http://127.0.0.1:5000"
    assert config.museums["M0629"].source_kind == "oai-pmh"
    assert config.museums["M0629"].set_spec == "museum:M0629"
    assert config.sets["tresors"].set_spec == "exhibition:tresors"
    assert config.max_shrink == 0.2


def test_museum_id_must_be_a_museofile_code(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, VALID.replace("M0629", "LILLE")))
    assert err.value.museum == "LILLE"
    assert err.value.key == "museums.LILLE"
    assert "Museofile code" in err.value.reason


def test_missing_source_kind_names_museum_and_key(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, VALID.replace('kind = "oai-pmh"\n', "")))
    assert (err.value.museum, err.value.key, err.value.reason) == ("M0629", "museums.M0629.source.kind", "missing")
    assert str(err.value).endswith("museum M0629: key 'museums.M0629.source.kind': missing")


def test_unknown_museum_key_is_refused(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, VALID.replace('city = "Lille"', 'city = "Lille"\ncitty = "Lille"')))
    assert err.value.key == "museums.M0629.citty"


def test_bad_schedule_is_refused(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, VALID.replace('"0 3 * * *"', '"every night"')))
    assert err.value.key == "museums.M0629.schedule"


def test_bad_admin_email(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, VALID.replace("catalogue@musenor.example", "nobody")))
    assert err.value.key == "hub.admin_email"


def test_repository_identifier_must_be_a_domain(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, VALID.replace('"musenor.fr"', '"musenor"')))
    assert err.value.key == "hub.repository_identifier"


def test_max_shrink_must_be_a_share(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, VALID.replace("[museums.M0629]", "max_shrink = 20\n\n[museums.M0629]")))
    assert err.value.key == "hub.max_shrink"


def test_curated_set_needs_records_or_query(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, VALID.replace('records = ["oai:musenor.fr:M0629:P.45"]', "")))
    assert err.value.key == "sets.tresors"


def test_broken_toml_names_the_file(tmp_path):
    path = write(tmp_path, VALID + "\n[hub\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.path == str(path)
    assert "not valid TOML" in err.value.reason


def test_not_utf8(tmp_path):
    path = tmp_path / "musenor.toml"
    path.write_bytes(VALID.replace("Trésors", "Tr\xe9sors").encode("latin-1"))
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "not UTF-8" in err.value.reason


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path / "absent.toml")
    assert "cannot read" in err.value.reason
