"""Characters XML 1.0 does not allow (section 2.2 of the XML Recommendation) never reach a response."""

from __future__ import annotations

import re

# Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The same characters written as N-Triples escapes (\\u0001, \\U0000FFFE...).
ILLEGAL_ESCAPE = re.compile(r"\\u(?:000[0-8bBcCeEfF]|001[0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[eEfF])"
                            r"|\\U0000(?:000[0-8bBcCeEfF]|001[0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2}|"
                            r"[fF]{3}[eEfF])")
REPLACEMENT = "\ufffd"


def has_illegal_characters(text: str) -> bool:
    return ILLEGAL.search(text) is not None


def clean(text: str) -> str:
    """The text with every character XML forbids replaced by U+FFFD."""
    return ILLEGAL.sub(REPLACEMENT, text)
