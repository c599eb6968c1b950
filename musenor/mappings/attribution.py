"""How museum systems attribute a work: "anonyme" is a state of the attribution, not a person; "d'après",
"attribué à", "atelier de", "école de", "genre de" qualify the attribution, not the agent's name or role.

Joconde's AUTR writes them after the name in parentheses ("RUBENS Pierre Paul (d'après)", "anonyme (orfèvre)");
other exports write them before it ("atelier de Rubens"). Both are read here, for every dialect.
"""

from __future__ import annotations

import re

from musenor.vocabularies.normalise import fold

# Joconde's "précision d'attribution" and their usual spellings elsewhere.
ATTRIBUTIONS = frozenset({"d'après", "d’après", "attribué à", "attribue a", "atelier de", "entourage de",
                          "école de", "ecole de", "suiveur de", "copie d'après", "copie d’après", "genre de",
                          "style de", "manière de", "maniere de", "élève de", "eleve de", "attribué",
                          "cercle de", "dans le goût de", "?"})
# Names that say nobody is known: an anonymous attribution, in the languages of the exports met.
ANONYMOUS = frozenset({"anonyme", "anonymous", "anonym", "anoniem", "unbekannt", "unknown", "inconnu", "onbekend",
                       "artiste anonyme", "auteur anonyme", "maitre anonyme", "n.n.", "nn"})
ANONYMOUS_STATE = "anonyme"  # the attribution the graph says for it (musenor:attribution, French as Joconde)

_LEADING = re.compile(r"^(d['’]après|attribué à|atelier de|atelier d['’]|école de|école d['’]|genre de|"
                      r"entourage de|suiveur de|cercle de|manière de|style de|copie d['’]après|élève de)\s+(.+)$",
                      re.I)


def is_anonymous(name: str) -> bool:
    return " ".join(fold(name).replace("(", " ").replace(")", " ").split()).strip(" .") in \
        {fold(n).strip(" .") for n in ANONYMOUS}


def is_attribution(text: str) -> bool:
    return text.strip().lower() in ATTRIBUTIONS


def leading_attribution(name: str) -> tuple[str | None, str]:
    """'atelier de Rubens' -> ('atelier de', 'Rubens'); a name without one -> (None, name)."""
    match = _LEADING.match(name.strip())
    if match is None:
        return None, name.strip()
    qualifier = match.group(1)
    if qualifier.lower().endswith(("d'", "d’")):
        qualifier = qualifier[:-2] + "de"
    return qualifier, match.group(2).strip()
