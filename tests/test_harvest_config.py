"""Source settings are checked at load, naming the museum and the key (every CLI command calls this)."""

from __future__ import annotations

import pytest

from musenor.catalogue import ConfigError
from fixtures.harvest.museum import hub_config
from musenor.harvester import validate_sources


OAI = {"kind": "oai-pmh", "endpoint": "https://collections.example.org/oai"}


@pytest.mark.parametrize("source,key,reason", [
    ({**OAI, "endpont": "x"}, "museums.M0629.source.endpont", "unknown key for an oai-pmh source"),
    ({"kind": "oai-pmh"}, "museums.M0629.source.url", "the endpoint's http(s) base URL is required"),
    ({**OAI, "endpoint": "ftp://example.org/oai"}, "museums.M0629.source.endpoint", "the endpoint's http(s)"),
    ({**OAI, "endpoint": "https://conservateur:motdepasse@example.org/oai"}, "museums.M0629.source.endpoint",
     "credentials do not belong in the URL"),
    ({**OAI, "metadata_prefix": "marc21"}, "museums.M0629.source.dialect", "no input dialect 'marc21'"),
    ({**OAI, "sets": "peinture"}, "museums.M0629.source.sets", "must be a list of names"),
    ({**OAI, "timeout": 0}, "museums.M0629.source.timeout", "must be a number of at least 0.1"),
    ({**OAI, "max_retries": 2.5}, "museums.M0629.source.max_retries", "must be a whole number of at least 0"),
    ({**OAI, "granularity": "YYYY"}, "museums.M0629.source.granularity", "must be one of auto, YYYY-MM-DD"),
    ({**OAI, "auth_scheme": "digest"}, "museums.M0629.source.auth_scheme", "must be 'basic' or 'bearer'"),
    ({**OAI, "auth_env": ""}, "museums.M0629.source.auth_env", "must name an environment variable"),
    ({"kind": "lido-file"}, "museums.M0629.source.path", "the export's path or http(s) URL is required"),
    ({"kind": "lido-file", "path": "x.zip", "max_ratio": 0}, "museums.M0629.source.max_ratio", "must be a number"),
    ({"kind": "csv-file", "path": "x.csv", "encoding": "klingon"}, "museums.M0629.source.encoding",
     "unknown encoding 'klingon'"),
    ({"kind": "csv-file", "path": "x.csv", "delimiter": "#"}, "museums.M0629.source.delimiter", "must be auto or"),
    ({"kind": "ftp"}, "museums.M0629.source.kind", "unknown source kind 'ftp'"),
])
def test_a_bad_source_setting_names_the_museum_and_key(tmp_path, source, key, reason):
    config = hub_config(tmp_path, {"M0629": source})
    with pytest.raises(ConfigError) as raised:
        validate_sources(config)
    assert (raised.value.museum, raised.value.key) == ("M0629", key)
    assert raised.value.reason.startswith(reason)


def test_good_settings_of_each_kind_pass(tmp_path):
    config = hub_config(tmp_path, {
        "M0629": {**OAI, "metadata_prefix": "lido", "sets": ["peinture"], "auth_env": "M0629_OAI",
                  "auth_scheme": "bearer", "allow_redirect_hosts": ["oai.example.org"], "granularity": "YYYY-MM-DD",
                  "overlap_seconds": 600, "max_response_bytes": 10_000_000},
        "M0640": {"kind": "oai-pmh", "url": "http://127.0.0.1:8008/M0640/oai", "metadata_prefix": "oai_dc"},
        "M0634": {"kind": "lido-file", "path": "https://example.org/export.tar.gz", "max_entries": 10},
        "M0619": {"kind": "csv-file", "path": "x.csv", "delimiter": ";", "id_column": "REF",
                  "columns": {"TITR": "Titre"}},
    })
    validate_sources(config)
