"""Exhibition Markdown files: front matter, introduction, ordered sections, captions, safe rendering, errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from musenor.catalogue.exhibitions import (ExhibitedWork, ExhibitionError, Venue, load_exhibitions, parse_exhibition,
                                   plain_text, render_markdown)

RENAISSANCE = """+++
title = "La Renaissance italienne"
title_en = "The Italian Renaissance"
cover = "M0629:P.1"

[[venues]]
name = "Palais des Beaux-Arts"
city = "Lille"
start = 2025-03-01
end = 2025-06-30
+++

Des *peintres* venus d'Italie.

## Les portraits | Portraits

Visages de **marchands**.

::: work M0629:P.1
fr: Portrait d'homme
en: Portrait of a man
:::

::: work oai:musenor.fr:M0640:A.2
fr: Madone
:::

## Les paysages

Rien que des collines.
"""


def parse(text: str, name: str = "renaissance.md") -> object:
    return parse_exhibition(Path("/hub/exhibitions") / name, text)


def test_front_matter_gives_titles_cover_and_venues():
    exhibition = parse(RENAISSANCE)
    assert (exhibition.key, exhibition.title("fr"), exhibition.title("en"), exhibition.cover) == (
        "renaissance", "La Renaissance italienne", "The Italian Renaissance", "M0629:P.1")
    assert exhibition.venues == (Venue("Palais des Beaux-Arts", "Lille", date(2025, 3, 1), date(2025, 6, 30)),)
    assert exhibition.set_spec == "exhibition:renaissance"


def test_sections_keep_their_order_text_and_works_with_captions():
    exhibition = parse(RENAISSANCE)
    assert [(s.title("fr"), s.title("en")) for s in exhibition.sections] == [
        ("Les portraits", "Portraits"), ("Les paysages", "Les paysages")]
    assert exhibition.sections[0].works == (ExhibitedWork("M0629:P.1", "Portrait d'homme", "Portrait of a man"),
                                            ExhibitedWork("oai:musenor.fr:M0640:A.2", "Madone", ""))
    assert exhibition.sections[0].html == "<p>Visages de <strong>marchands</strong>.</p>\n"
    assert exhibition.sections[1].works == ()


def test_a_caption_missing_in_english_falls_back_to_french():
    assert parse(RENAISSANCE).sections[0].works[1].caption("en") == "Madone"


def test_introduction_is_rendered_and_given_as_plain_text():
    exhibition = parse(RENAISSANCE)
    assert exhibition.introduction_html == "<p>Des <em>peintres</em> venus d'Italie.</p>\n"
    assert exhibition.introduction_text == "Des peintres venus d'Italie."


def test_raw_html_is_shown_as_text_never_run():
    assert render_markdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">') == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
        "<p>&lt;img src=x onerror=&quot;alert(2)&quot;&gt;</p>\n")


def test_javascript_links_are_not_made_links():
    assert "href" not in render_markdown("[clic](javascript:alert(1))")


def test_plain_text_joins_soft_breaks_with_a_space():
    assert plain_text("une *ligne*\net `deux`") == "une ligne et deux"


@pytest.mark.parametrize("text, reason, line", [
    ("title = 'x'\n", "must open with TOML front matter between '+++' lines", 1),
    ("+++\ntitle = 'x'\n", "front matter opened with '+++' is never closed", 1),
    ("+++\n+++\n", "front matter needs 'title'", None),
    ("+++\ntitle = 'x'\n+++\n::: work M0629:1\n:::\n", "a work must be inside a section ('## Title | English title')",
     4),
    ("+++\ntitle = 'x'\n+++\n## S\n::: work M0629:1\nfr: a\n", "the work block of M0629:1 is never closed with ':::'",
     5),
    ("+++\ntitle = 'x'\n+++\n## S\n::: work M0629:1\nde: a\n:::\n",
     "a work block holds only 'fr:' and 'en:' caption lines", 6),
    ("+++\ntitle = 'x'\ncover = 'M0629:9'\n+++\n", "the cover M0629:9 is not one of the exhibition's works", None),
    ("+++\ntitle = 'x'\n[[venues]]\nname = 'v'\nstart = 2025-02-01\nend = 2025-01-01\n+++\n",
     "venue 1 ends (2025-01-01) before it starts (2025-02-01)", None),
    ("+++\ntitle = 'x'\n[[venues]]\nname = 'v'\nstart = '1er mars'\n+++\n",
     "venue 1 needs 'start' and 'end' as TOML dates (2026-03-01)", None),
])
def test_broken_files_are_refused_with_file_line_and_reason(text, reason, line):
    with pytest.raises(ExhibitionError) as raised:
        parse(text)
    assert (raised.value.reason, raised.value.line) == (reason, line)
    assert raised.value.file == Path("/hub/exhibitions/renaissance.md")


def test_a_file_name_that_is_no_set_key_is_refused():
    with pytest.raises(ExhibitionError, match="the file name is the set key"):
        parse(RENAISSANCE, name="la renaissance.md")


def test_status_follows_the_venues_dates():
    exhibition = parse(RENAISSANCE)
    assert [exhibition.status(date(2025, d[0], d[1])) for d in ((1, 1), (4, 1), (9, 1))] == [
        "upcoming", "current", "past"]


def test_load_reads_every_markdown_file_of_the_folder(tmp_path):
    (tmp_path / "renaissance.md").write_text(RENAISSANCE, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not an exhibition", encoding="utf-8")
    assert list(load_exhibitions(tmp_path)) == ["renaissance"]
    assert load_exhibitions(tmp_path / "absent") == {}


def test_a_file_not_in_utf8_is_refused_naming_it(tmp_path):
    (tmp_path / "tresors.md").write_bytes("+++\ntitle = 'Trésors'\n+++\n".encode("latin-1"))
    with pytest.raises(ExhibitionError, match=r"tresors.md: not UTF-8"):
        load_exhibitions(tmp_path)
