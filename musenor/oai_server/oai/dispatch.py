"""The verbs of OAI-PMH 2.0 (section 4), each a module with its ARGUMENTS and its ``respond``."""

from __future__ import annotations

from types import ModuleType

from musenor.oai_server.oai import (get_record, identify, list_identifiers, list_metadata_formats, list_records,
                            list_sets)
from musenor.oai_server.oai.arguments import VerbArguments

VERBS: dict[str, ModuleType] = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
    "GetRecord": get_record,
}

VERB_ARGUMENTS: dict[str, VerbArguments] = {verb: module.ARGUMENTS for verb, module in VERBS.items()}
