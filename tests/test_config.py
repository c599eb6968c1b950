"""musenor.toml: what a valid file gives, and the exact error each mistake gets."""

from pathlib import Path

import pytest

from musenor.catalogue.config import ConfigError, load_config

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


# -- the checker finds every problem in one run, each with its file, line, museum and key ------------------

def problems_of(tmp_path: Path, text: str) -> list[tuple[int | None, str | None, str | None, str]]:
    from musenor.cli import check_configuration

    _, problems = check_configuration(write(tmp_path, text))
    return [(p.line, p.museum, p.key, p.reason) for p in problems]


def test_every_problem_is_reported_at_once_with_its_line(tmp_path):
    text = VALID.replace('city = "Lille"', 'citty = "Lille"').replace(
        '"0 3 * * *"', '"0 25 * * *"').replace('repository_identifier = "musenor.fr"',
                                                 'repository_identifier = "musenor.fr"\ntimezone = "Europe/Lile"')
    assert problems_of(tmp_path, text) == [
        (8, None, "hub.timezone", "'Europe/Lile' is not a timezone of the IANA database (e.g. Europe/Paris)"),
        (10, "M0629", "museums.M0629.city", "missing"),
        (12, "M0629", "museums.M0629.citty", "unknown key; did you mean 'city'?"),
        (13, "M0629", "museums.M0629.schedule", "'0 25 * * *' is not a valid cron expression: Error validating "
                                                "expression '25': the last value (25) is higher than the maximum "
                                                "value (23)"),
    ]


def test_the_error_message_names_file_line_museum_and_key(tmp_path):
    path = write(tmp_path, VALID.replace('city = "Lille"', 'citty = "Lille"'))
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).splitlines() == [
        f"{path}:9: museum M0629: key 'museums.M0629.city': missing",
        f"{path}:11: museum M0629: key 'museums.M0629.citty': unknown key; did you mean 'city'?"]
    assert len(err.value.problems) == 2


def test_source_settings_are_checked_in_the_same_run(tmp_path):
    text = VALID.replace('endpoint = "http://127.0.0.1:8001/oai"',
                         'url = "ftp://127.0.0.1/oai"\ntimeout = 0\ngranularity = "hourly"\nmetadataPrefix = "lido"')
    assert problems_of(tmp_path, text) == [
        (15, "M0629", "museums.M0629.source.url", "the endpoint's http(s) base URL is required"),
        (16, "M0629", "museums.M0629.source.timeout", "must be a number of at least 0.1"),
        (17, "M0629", "museums.M0629.source.granularity",
         "must be one of auto, YYYY-MM-DD, YYYY-MM-DDThh:mm:ssZ"),
        (18, "M0629", "museums.M0629.source.metadataPrefix",
         "unknown key for an oai-pmh source; did you mean 'metadata_prefix'?"),
    ]


def test_an_export_path_that_does_not_exist(tmp_path):
    text = VALID.replace('kind = "oai-pmh"\nendpoint = "http://127.0.0.1:8001/oai"',
                         'kind = "pop-file"\npath = "exports/sandelin.txt"')
    assert problems_of(tmp_path, text) == [
        (15, "M0629", "museums.M0629.source.path", f"{tmp_path / 'exports' / 'sandelin.txt'} does not exist")]


def test_an_export_location_that_is_neither_a_path_nor_http(tmp_path):
    text = VALID.replace('kind = "oai-pmh"\nendpoint = "http://127.0.0.1:8001/oai"',
                         'kind = "lido-file"\npath = "ftp://museum.example/export.zip"')
    assert problems_of(tmp_path, text) == [
        (15, "M0629", "museums.M0629.source.path", "'ftp://museum.example/export.zip' is neither a path nor an "
                                                   "http(s) URL")]


def test_a_website_that_is_not_http(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, VALID.replace('city = "Lille"', 'city = "Lille"\nwebsite = "www.pba-lille.fr"')))
    assert (err.value.line, err.value.key, err.value.reason) == (
        12, "museums.M0629.website", "'www.pba-lille.fr' is not an http(s) URL")


def test_a_misspelt_hub_key_gets_did_you_mean(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, VALID.replace("page_size", "x").replace("data_dir", "datadir")))
    assert [(p.key, p.reason) for p in err.value.problems] == [
        ("hub.data_dir", "missing"), ("hub.datadir", "unknown key; did you mean 'data_dir'?")]


def test_timezone_defaults_to_paris(tmp_path):
    config = load_config(write(tmp_path, VALID))
    assert config.timezone == "Europe/Paris"


def test_next_harvest_is_said_in_the_hubs_timezone(tmp_path):
    from datetime import datetime, timezone

    from musenor.harvester.scheduler import next_harvests

    config = load_config(write(tmp_path, VALID))
    summer = next_harvests(config, datetime(2026, 7, 1, 12, 0, tzinfo=timezone.utc))["M0629"]
    winter = next_harvests(config, datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc))["M0629"]
    assert summer.isoformat() == "2026-07-02T03:00:00+02:00"
    assert winter.isoformat() == "2026-12-02T03:00:00+01:00"


def test_alerts_table_is_checked_like_the_others(tmp_path):
    text = VALID + '\n[alerts]\nemail_to = ["ops"]\nsmtp_port = 70000\nwebhook_url = "hooks.example.org"\n'
    assert [(key, reason) for _, _, key, reason in problems_of(tmp_path, text)] == [
        ("alerts.email_to", "'ops' is not an e-mail address"),
        ("alerts.smtp_port", "must be a whole number from 1 to 65535"),
        ("alerts.webhook_url", "'hooks.example.org' is not an http(s) URL"),
    ]


def test_a_misspelt_table_gets_did_you_mean(tmp_path):
    assert problems_of(tmp_path, VALID + '\n[alert]\nemail_to = ["ops@musenor.example"]\n') == [
        (21, None, "alert", "unknown table; did you mean 'alerts'?")]


def test_the_ledger_is_embedded_unless_hub_ledger_names_a_postgresql_database(tmp_path):
    assert load_config(write(tmp_path, VALID)).ledger is None
    url = "postgresql://musenor@db.example:5433/musenor"
    with_ledger = VALID.replace('repository_identifier = "musenor.fr"\n',
                                f'repository_identifier = "musenor.fr"\nledger = "{url}"\n')
    assert load_config(write(tmp_path, with_ledger)).ledger == url


@pytest.mark.parametrize("value", ['"mysql://hub@db/musenor"', '"/var/lib/musenor/ledger.sqlite3"', "5432"])
def test_a_ledger_that_is_not_a_postgresql_url_is_refused_naming_the_key(tmp_path, value):
    text = VALID.replace('repository_identifier = "musenor.fr"\n', f'repository_identifier = "musenor.fr"\nledger = {value}\n')
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert caught.value.key == "hub.ledger"
    assert caught.value.reason == "must be a postgresql://user@host/database URL (leave it out for the embedded ledger)"
