"""Open inputs, checked with generated values: whatever a museum types, the layouts carry it unchanged."""

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal

from musenor.mappings import HubURIs, MappingContext, RenderContext
from musenor.mappings.dialects.pop import map_pop_notice, parse_text_notice
from musenor.mappings.formats.joconde import joconde_fields
from musenor.mappings.joconde_fields import is_empty, split_values
from musenor.mappings.namespaces import DC

URIS = HubURIs("http://hub.test")
CONTEXT = MappingContext("M0629", "Palais des Beaux-Arts de Lille", URIS)

# One-line values as museum systems write them: any printable text, no line breaks, not blank and not one of
# the placeholders that mean "nothing" ("?", "Non renseigné").
value = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=60).filter(
    lambda s: not is_empty(s) and not s.rstrip().endswith(" -") and s.strip() != "//")


@given(title=value, description=value)
@settings(max_examples=150, deadline=None)
def test_text_layout_carries_any_one_line_value(title, description):
    notice = f"REF\n06290000999\nTITR\n{title}\nDESC\n{description}\n"
    assert parse_text_notice(notice) == [("REF", "06290000999"), ("TITR", title.strip()),
                                         ("DESC", description.strip())]


@given(title=value)
@settings(max_examples=150, deadline=None)
def test_csv_layout_carries_any_title_through_graph_and_back(title):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quotechar='"', lineterminator="\n")
    writer.writerow(["REF", "TITR"])
    writer.writerow(["06290000999", title])
    mapped = map_pop_notice(buffer.getvalue().encode(), CONTEXT)
    expected = " ".join(title.split())
    assert (mapped.cho, DC.title, Literal(expected, lang="fr")) in mapped.graph
    assert joconde_fields(mapped.graph, mapped.record_uri, RenderContext(URIS))["TITR"] == expected


def balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@given(items=st.lists(st.text("abcdeé ()-'", min_size=1, max_size=12).filter(lambda s: s.strip() and balanced(s)),
                      min_size=1, max_size=5))
@settings(max_examples=200, deadline=None)
def test_split_values_keeps_every_item_of_balanced_text(items):
    cleaned = [" ".join(i.split()) for i in items]
    cleaned = [i for i in cleaned if i.lower() not in ("", "?", "néant", "neant")]
    assert split_values(" ; ".join(items)) == cleaned
