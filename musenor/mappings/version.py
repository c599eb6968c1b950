"""The digest of the code and data mappings and renderers read: the ``mappings`` and ``vocabularies`` packages.

A mapping or a renderer fixed without a new MAPPING_VERSION, or a vocabulary that gained a term, changes what
a record maps or renders to: the digest changes with it, so a re-harvest maps every record again and the
stored renderings are made anew, instead of reusing what an older code made.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from musenor import vocabularies


@lru_cache(maxsize=1)
def code_digest() -> str:
    digest = hashlib.sha256()
    for root in (Path(__file__).resolve().parent, Path(vocabularies.__file__).resolve().parent):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".py", ".ttl", ".json", ".csv"}):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()
