"""``musenor init``: a commented starter ``musenor.toml`` that passes ``musenor validate-config`` as written.

The ``[hub]`` part is written from the keys' own records (``musenor.catalogue.config.HUB_KEYS``), so a key added to
the hub is offered to new hubs with its meaning and default, without anyone remembering to add it here.
"""

from __future__ import annotations

import json
import textwrap

from musenor.catalogue.config import HUB_KEYS, REQUIRED

# Values a new hub starts from: it runs on this machine until it has a public name.
STARTER_VALUES = {
    "base_uri": "http://127.0.0.1:5000",
    "data_dir": "var",
    "repository_name": "Musenor",
    "admin_email": "catalogue@example.org",
    "repository_identifier": "musenor.example.org",
}

MUSEUMS = '''
# One table per member museum, named by its Museofile code.
# Then: musenor validate-config && musenor check-source M0644 && musenor harvest M0644

[museums.M0644]
name = "Musée des Beaux-Arts de Calais"
city = "Calais"
website = "https://www.calais.fr/"
schedule = "30 2 * * *"          # cron: minute hour day month weekday, in the hub's timezone
# rights = "http://rightsstatements.org/vocab/InC/1.0/"   # for records that state none

[museums.M0644.source]
kind = "oai-pmh"                 # or lido-file, csv-file, pop-file (docs/configuration.md)
url = "https://collections.example.org/oai"
metadata_prefix = "lido"

# A museum that sends a LIDO export instead (a file, a folder, a .zip or .tar.gz, or its URL):
# [museums.M0634]
# name = "La Piscine"
# city = "Roubaix"
# [museums.M0634.source]
# kind = "lido-file"
# path = "exports/M0634/export-lido.zip"

# A museum whose collection system writes the POP (Joconde) export:
# [museums.M0650]
# name = "Musée de l'hôtel Sandelin"
# city = "Saint-Omer"
# [museums.M0650.source]
# kind = "pop-file"
# path = "exports/M0650/"

# An exhibition published as the OAI set exhibition:<key> and as a page:
# [sets.tresors]
# name = "Trésors des musées du Nord"
# records = ["oai:musenor.example.org:M0644:2011.3.1"]
'''


def _toml(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    return repr(value)


def starter_config() -> str:
    lines = ["# musenor.toml: the configuration of a Musenor hub (every key: docs/configuration.md).", "",
             "[hub]"]
    for name, key in HUB_KEYS.items():
        comment = textwrap.wrap(key.meaning.replace("`", ""), 100)
        lines += [f"# {line}" for line in comment]
        if key.default is REQUIRED:
            lines.append(f"{name} = {_toml(STARTER_VALUES[name])}")
        elif key.default not in (None, ""):
            lines.append(f"# {name} = {_toml(key.default)}")
        else:
            lines.append(f"# {name} = ...")
    return "\n".join(lines) + "\n" + MUSEUMS
