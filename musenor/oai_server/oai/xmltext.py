"""Characters XML 1.0 does not allow never reach a response: the rules live with the renderers (mappings)."""

from musenor.mappings.xmltext import ILLEGAL, ILLEGAL_ESCAPE, REPLACEMENT, clean, has_illegal_characters

__all__ = ["ILLEGAL", "ILLEGAL_ESCAPE", "REPLACEMENT", "clean", "has_illegal_characters"]
