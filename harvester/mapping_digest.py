"""The digest of the code and data a record's mapping reads: the ``mappings`` and ``vocabularies`` packages.

A mapping fixed without a new MAPPING_VERSION, or a vocabulary that gained a term, changes what a record maps
to: the digest changes with it, and a re-harvest maps every record again instead of reusing what it mapped.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import mappings
import vocabularies


@lru_cache(maxsize=1)
def code_digest() -> str:
    digest = hashlib.sha256()
    for package in (mappings, vocabularies):
        root = Path(package.__file__).resolve().parent
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".py", ".ttl", ".json", ".csv"}):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()
