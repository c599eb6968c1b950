"""The ``[campaigns.<key>]`` tables of musenor.toml: a campaign's defaults and its ranking of works.

```toml
[campaigns.photo-2026]
name = "Campagne photographique 2026"
museums = ["M0629"]                       # the museums it covers (all when absent)
photographer = "Studio Delattre"          # when a photograph's own metadata names none
credit = "Association des conservateurs des musées du Nord-Pas-de-Calais"
rights = "http://creativecommons.org/licenses/by/4.0/"
min_long_side = 1200                      # px: a smaller image is not usable
domains = ["peinture", "sculpture"]       # these domains first
[campaigns.photo-2026.priorities]
M0629 = ["P.1998.1", "P.2001.4"]          # the museum's own priority list, by inventory number
```
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from musenor.catalogue.config import ConfigError, HubConfig

KEY = re.compile(r"^[A-Za-z0-9\-_.]+$")
RIGHTS = re.compile(r"^http://(rightsstatements\.org/vocab/|creativecommons\.org/)\S+$")
DEFAULT_MIN_LONG_SIDE = 1000


@dataclass(frozen=True)
class Campaign:
    key: str
    name: str
    rights: str
    museums: tuple[str, ...] = ()
    photographer: str | None = None
    credit: str | None = None
    min_long_side: int = DEFAULT_MIN_LONG_SIDE
    domains: tuple[str, ...] = ()
    priorities: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def covers(self, museum: str) -> bool:
        return not self.museums or museum in self.museums


def _strings(value: Any, key: str, path: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError("must be a list of strings", key=key, path=path)
    return tuple(value)


def parse_campaigns(data: dict[str, Any], config: HubConfig, path: Path) -> dict[str, Campaign]:
    tables = data.get("campaigns") or {}
    if not isinstance(tables, dict):
        raise ConfigError("must be a table of campaigns", key="campaigns", path=path)
    found: dict[str, Campaign] = {}
    for key, table in tables.items():
        where = f"campaigns.{key}"
        if not KEY.match(key) or not isinstance(table, dict):
            raise ConfigError("a campaign is a table named by letters, digits and - _ .", key=where, path=path)
        name = table.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError("needs a name", key=f"{where}.name", path=path)
        rights = table.get("rights")
        if not isinstance(rights, str) or not RIGHTS.match(rights):
            raise ConfigError("needs a rights statement URI (http://rightsstatements.org/… or "
                              "http://creativecommons.org/…), as Europeana takes them", key=f"{where}.rights",
                              path=path)
        museums = _strings(table.get("museums", []), f"{where}.museums", path)
        for code in museums:
            if code not in config.museums:
                raise ConfigError(f"no museum with code {code!r}", key=f"{where}.museums", path=path)
        min_side = table.get("min_long_side", DEFAULT_MIN_LONG_SIDE)
        if not isinstance(min_side, int) or isinstance(min_side, bool) or min_side < 1:
            raise ConfigError("must be a positive number of pixels", key=f"{where}.min_long_side", path=path)
        priorities = table.get("priorities", {})
        if not isinstance(priorities, dict):
            raise ConfigError("must be a table of museum codes", key=f"{where}.priorities", path=path)
        for text_key in ("photographer", "credit"):
            if text_key in table and not isinstance(table[text_key], str):
                raise ConfigError("must be a string", key=f"{where}.{text_key}", path=path)
        found[key] = Campaign(
            key=key, name=name.strip(), rights=rights, museums=museums,
            photographer=table.get("photographer") or None, credit=table.get("credit") or None,
            min_long_side=min_side, domains=_strings(table.get("domains", []), f"{where}.domains", path),
            priorities={code: _strings(items, f"{where}.priorities.{code}", path)
                        for code, items in priorities.items()})
    return found


def load_campaigns(config: HubConfig) -> dict[str, Campaign]:
    """The campaigns of the configuration file the hub was loaded from (none without one)."""
    if config.path is None:
        return {}
    path = Path(config.path)
    return parse_campaigns(tomllib.loads(path.read_text(encoding="utf-8")), config, path)


def campaign(config: HubConfig, key: str) -> Campaign:
    campaigns = load_campaigns(config)
    if key not in campaigns:
        raise ConfigError(f"no campaign {key!r} (known: {', '.join(sorted(campaigns)) or 'none'})",
                          key=f"campaigns.{key}", path=config.path)
    return campaigns[key]
