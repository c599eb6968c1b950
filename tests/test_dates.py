"""Display dates into begin/end (mappings.dates): every pattern met in French, German, Dutch and English records."""

from __future__ import annotations

import pytest
from rdflib import Literal
from rdflib.namespace import XSD

from musenor.mappings.dates import DateSpan, parse_display_date, parse_iso_date


@pytest.mark.parametrize("text, begin, end", [
    # plain years and approximations
    ("1850", "1850", "1850"),
    ("vers 1850", "1850", "1850"),
    ("ca. 1500", "1500", "1500"),
    ("c. 1500", "1500", "1500"),
    ("um 1500", "1500", "1500"),
    ("Um 1950", "1950", "1950"),
    ("omstreeks 1650", "1650", "1650"),
    ("1850 ?", "1850", "1850"),
    # ranges
    ("1850-1860", "1850", "1860"),
    ("1850 - 1860", "1850", "1860"),
    ("1850–1860", "1850", "1860"),
    ("1762/1775", "1762", "1775"),
    ("1850-60", "1850", "1860"),
    ("entre 1850 et 1860", "1850", "1860"),
    ("zwischen 1850 und 1860", "1850", "1860"),
    ("vers 1808-1812", "1808", "1812"),
    ("um 1939/1940?", "1939", "1940"),
    ("1971-1981 (wahrscheinlich)", "1971", "1981"),
    # centuries and their parts
    ("XIXe siècle", "1800", "1899"),
    ("19e siècle", "1800", "1899"),
    ("XIXème siècle", "1800", "1899"),
    ("1er quart 19e siècle", "1800", "1824"),
    ("2e quart du XIXe siècle", "1825", "1849"),
    ("2e moitié 19e siècle", "1850", "1899"),
    ("début XXe siècle", "1900", "1933"),
    ("fin XVIIIe - début XIXe siècle", "1767", "1833"),
    ("19th century", "1800", "1899"),
    ("late 19th century", "1867", "1899"),
    ("mid-19th century", "1834", "1866"),
    ("first half of the 19th century", "1800", "1849"),
    ("19. Jahrhundert", "1800", "1899"),
    ("2. Halfte 20. Jahrhundert", "1950", "1999"),
    ("2. Hälfte 20. Jahrhundert", "1950", "1999"),
    ("Ende 19. Jahrhundert/Anfang 20. Jahrhundert", "1867", "1933"),
    ("19de eeuw", "1800", "1899"),
    ("tweede helft 19de eeuw", "1850", "1899"),
    ("1er siècle", "0001", "0099"),
    # decades
    ("années 1850", "1850", "1859"),
    ("1850s", "1850", "1859"),
    ("1850er Jahre", "1850", "1859"),
    # before and after the common era (astronomical years, as xsd:gYear)
    ("-0300", "-0300", "-0300"),
    ("300 av. J.-C.", "-0299", "-0299"),
    ("IIIe siècle av. J.-C.", "-0299", "-0200"),
    ("1er millénaire av. J.-C.", "-0999", "0000"),
    ("211-244 n. Chr.", "0211", "0244"),
    # days and months
    ("1869-03-10", "1869-03-10", "1869-03-10"),
    ("10.03.1869", "1869-03-10", "1869-03-10"),
    ("10/03/1869", "1869-03-10", "1869-03-10"),
    ("15. Mai 2014", "2014-05-15", "2014-05-15"),
    ("10 mars 1869", "1869-03-10", "1869-03-10"),
    ("1er mars 1869", "1869-03-01", "1869-03-01"),
    ("March 10, 1869", "1869-03-10", "1869-03-10"),
    ("August 2005", "2005-08-01", "2005-08-31"),
    ("07/2015", "2015-07-01", "2015-07-31"),
    ("10.1923", "1923-10-01", "1923-10-31"),
    ("février 1900", "1900-02-01", "1900-02-28"),
    # other scripts (DDB records carry translated display dates)
    ("1953年", "1953", "1953"),
    ("1869年03月10日", "1869-03-10", "1869-03-10"),
    ("1869년 03월 10일", "1869-03-10", "1869-03-10"),
    ("١٠/٠٣/١٨٦٩", "1869-03-10", "1869-03-10"),
    ("1869. március 10.", "1869-03-10", "1869-03-10"),
    ("10 Maret 1869", "1869-03-10", "1869-03-10"),
    # alternatives span both
    ("um 1480 oder 1482/1485", "1480", "1485"),
    ("1850 ou 1851", "1850", "1851"),
])
def test_display_date(text, begin, end):
    span = parse_display_date(text)
    assert span is not None, text
    assert (span.begin, span.end) == (begin, end)


@pytest.mark.parametrize("text", ["", "   ", None, "s.d.", "sans date", "o.J.", "undatiert", "hello", "12", "XIX",
                                  "règne de Louis XV", "31.02.1900", "۳۰/۰۵/۲۴۹۰", "1900-1850", "25e siècle"])
def test_no_date(text):
    assert parse_display_date(text) is None


def test_approximation_is_flagged():
    assert parse_display_date("vers 1850").approximate is True
    assert parse_display_date("1850").approximate is False


def test_years_are_gyear_and_days_are_date():
    span = parse_display_date("XIXe siècle")
    assert span.begin_literal() == Literal("1800", datatype=XSD.gYear)
    assert span.label == "1800/1899"
    day = parse_display_date("10.03.1869")
    assert day.end_literal() == Literal("1869-03-10", datatype=XSD.date)
    assert day.label == "1869-03-10"


def test_bce_literal_is_a_negative_gyear():
    assert parse_display_date("-0300").begin_literal() == Literal("-0300", datatype=XSD.gYear)


@pytest.mark.parametrize("text, end, expected", [
    ("1850", False, "1850"), ("1850-03", False, "1850-03-01"), ("1850-03", True, "1850-03-31"),
    ("1850-03-10", True, "1850-03-10"), ("-0300", False, "-0300"), ("1850-02-30", False, None), ("", False, None),
])
def test_iso_date(text, end, expected):
    assert parse_iso_date(text, end=end) == expected


def test_datespan_is_a_value():
    assert DateSpan("1850", "1899") == DateSpan("1850", "1899")
