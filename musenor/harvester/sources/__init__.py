"""Source kinds, registered by name: ``kind = "oai-pmh"`` in a museum's ``[museums.X.source]``."""

from __future__ import annotations

import importlib
from pathlib import Path
from urllib.parse import urlsplit

from musenor.catalogue import ConfigError, HubConfig, MuseumConfig
from musenor.catalogue.config import did_you_mean
from musenor.harvester.sources.base import Source, SourceError, SourcePage, SourceRecord, TokenRejected
from musenor.harvester.images import IMAGE_SETTINGS

__all__ = ["SOURCE_KINDS", "Source", "SourceError", "SourcePage", "SourceRecord", "TokenRejected",
           "source_class", "source_for", "source_problems", "validate_museum_source"]

SOURCE_KINDS: dict[str, str] = {
    "oai-pmh": "musenor.harvester.sources.oai_pmh:OAIPMHSource",
    "lido-file": "musenor.harvester.sources.lido_file:LIDOFileSource",
    "csv-file": "musenor.harvester.sources.csv_file:CSVFileSource",
    "pop-file": "musenor.harvester.sources.pop:POPSource",
}


def source_class(kind: str) -> type[Source]:
    try:
        target = SOURCE_KINDS[kind]
    except KeyError:
        raise KeyError(kind) from None
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def validate_museum_source(museum: MuseumConfig) -> None:
    problems = source_problems(museum, check_paths=False)
    if problems:
        raise ConfigError.of(problems)


def source_problems(museum: MuseumConfig, *, check_paths: bool = True) -> list[ConfigError]:
    """Every problem of a museum's source settings: unknown keys (with the nearest known one), bad values,
    locations that are neither a path nor an http(s) URL, and (``check_paths``) local paths that do not
    exist. A missing export is the museum's own problem when harvesting (its run fails, naming the path),
    not a reason to stop harvesting the others: only the checker counts it against the configuration."""
    kind, code = museum.source_kind, museum.code
    if not kind:
        return []  # the configuration reader has reported it
    if kind not in SOURCE_KINDS:
        return [ConfigError(f"unknown source kind {kind!r} (known: {', '.join(sorted(SOURCE_KINDS))})",
                            key=f"museums.{code}.source.kind", museum=code)]
    cls = source_class(kind)
    where = f"museums.{code}.source."
    what = f" for {'an' if kind[0] in 'aeiou' else 'a'} {kind} source"
    known = cls.settings_keys | IMAGE_SETTINGS  # every kind's records may have images to fetch
    problems = [ConfigError(did_you_mean(key, known - {"kind"}, what), key=where + key, museum=code)
                for key in museum.source if key not in known]
    problems += cls.check_settings(museum)
    reported = {p.key for p in problems}
    for key in cls.path_settings:
        value = museum.source.get(key)
        if not isinstance(value, str) or not value.strip() or where + key in reported:
            continue
        scheme = urlsplit(value).scheme
        if scheme in ("http", "https"):
            continue
        if len(scheme) > 1:  # one letter is a Windows drive
            problems.append(ConfigError(f"{value!r} is neither a path nor an http(s) URL", key=where + key,
                                        museum=code))
            continue
        if not check_paths:
            continue
        path = Path(value).expanduser()
        if not path.is_absolute():
            path = Path(museum.source.get("_base_dir", ".")) / path
        if not path.exists():
            problems.append(ConfigError(f"{path} does not exist", key=where + key, museum=code))
    return problems


def source_for(museum: MuseumConfig, hub: HubConfig) -> Source:
    return source_class(museum.source_kind)(museum, hub)
