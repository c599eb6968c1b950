"""The Joconde field conventions, one at a time: multi-values, qualifiers, authors, dates, measurements."""

from decimal import Decimal

import pytest

from musenor.mappings.joconde_fields import (Author, LifeDates, Measurement, Span, acquisition_span, image_files,
                                     millesime_span, parse_author, parse_life_dates, parse_measurements,
                                     period_span, safe_image_file, split_qualifier, split_values)


def test_multi_values_split_on_semicolon_and_comma():
    assert split_values("histoire,costume - accessoires du costume ; ethnologie") == [
        "histoire", "costume - accessoires du costume", "ethnologie"]


def test_separators_inside_parentheses_do_not_split():
    assert split_values("coton (imprimé, cuivre), soie") == ["coton (imprimé, cuivre)", "soie"]


def test_placeholder_values_are_empty():
    assert split_values("Non renseigné ; ; bois") == ["bois"]


def test_qualifier_is_split_from_its_term():
    assert split_qualifier("huile sur toile (support)") == ("huile sur toile", "support")


def test_nested_qualifier_stays_whole():
    assert split_qualifier("papier (lithographie (colorié au pinceau))") == (
        "papier", "lithographie (colorié au pinceau)")


def test_author_roles_from_the_qualifier():
    assert parse_author("Buquet (atelier, graveur)") == Author("Buquet", ("atelier", "graveur"), None)


def test_author_attribution_is_not_a_role():
    assert parse_author("anonyme (d'après)") == Author("anonyme", (), "d'après")


def test_author_without_qualifier():
    assert parse_author("LANTE Louis Marie") == Author("LANTE Louis Marie")


def test_life_dates_with_places_and_full_dates():
    assert parse_life_dates("GUITTON : Lignières (18), 1817/01/10 ; Châtillon-sur-Indre (36), 1889/03/01 ; "
                            "nationalité : Française") == LifeDates("1817-01-10", "1889-03-01")


def test_life_dates_with_unknown_death():
    assert parse_life_dates("?, 1789 ; ?, ?") == LifeDates("1789", None)


def test_life_dates_after_a_name():
    assert parse_life_dates("Colin Adèle-Anaïs (dessinateur) : 1822 ; 1897 ; femme") == LifeDates("1822", "1897")


@pytest.mark.parametrize("term, span", [
    ("19e siècle", Span("1800", "1899")),
    ("1er quart 19e siècle", Span("1800", "1824")),
    ("4e quart 19e siècle", Span("1875", "1899")),
    ("1ère moitié 20e siècle", Span("1900", "1949")),
    ("2e moitié 19e siècle", Span("1850", "1899")),
    ("19 e siècle", Span("1800", "1899")),
    ("XVIIe siècle", Span("1600", "1699")),
    ("fin 16e siècle", Span("1567", "1599")),
    ("1er siècle", Span("0001", "0099")),
    ("2e siècle av JC", Span("-0199", "-0100")),
    ("1er siècle av. J.-C.", Span("-0099", "0000")),
])
def test_period_spans(term, span):
    assert period_span(term) == span


def test_period_not_a_century_is_none():
    assert period_span("gallo-romain") is None


def test_impossible_quarter_is_none():
    assert period_span("5e quart 19e siècle") is None


def test_uncertain_period_is_none():
    assert period_span("incertain") is None


def test_early_years_have_four_digits():
    assert millesime_span("850 vers") == Span("0850", "0850", approximate=True)


@pytest.mark.parametrize("text, span", [
    ("1870 entre,1875 et", Span("1870", "1875")),
    ("1880 vers", Span("1880", "1880", approximate=True)),
    ("1832", Span("1832", "1832")),
    ("1815 entre ; 1820 et", Span("1815", "1820")),
])
def test_millesime_spans(text, span):
    assert millesime_span(text) == span


def test_millesime_without_year_is_none():
    assert millesime_span("date inconnue") is None


def test_acquisition_takes_the_first_date():
    assert acquisition_span("1973/02/27 décision dation ; 1973 date d'acquisition") == Span("1973-02-27",
                                                                                            "1973-02-27")


def test_measurements_in_the_long_form():
    assert parse_measurements("Hauteur en cm 1.64 ; Longueur en cm 6.6 ; Epaisseur en cm") == [
        Measurement("height", Decimal("1.64"), "cm"), Measurement("length", Decimal("6.6"), "cm")]


def test_measurements_abbreviated_with_decimal_comma():
    assert parse_measurements("H. 21 cm, D. 69,5 cm") == [
        Measurement("height", Decimal("21"), "cm"), Measurement("diameter", Decimal("69.5"), "cm")]


def test_measurement_unit_before_the_number():
    assert parse_measurements("D. en mm 21") == [Measurement("diameter", Decimal("21"), "mm")]


def test_measurement_with_a_precision_in_parentheses():
    assert parse_measurements("Hauteur en cm (de la feuille) 25.5") == [Measurement("height", Decimal("25.5"),
                                                                                    "cm")]


def test_unmeasurable_gives_nothing():
    assert parse_measurements("Mesurage impossible") == []


def test_image_files_from_refim():
    assert image_files("M016183_0016630_P.JPG,DS1,,0016630.JPG;M016183_0016631_P.JPG,DS1,,0016631.JPG") == [
        "M016183_0016630_P.JPG", "M016183_0016631_P.JPG"]


def test_image_file_names_keep_no_folder():
    assert image_files(r"C:\photos\M0629_1.jpg") == ["M0629_1.jpg"]


@pytest.mark.parametrize("name", ["../etc/passwd", ".hidden.jpg", "a b.jpg", "é.jpg", ""])
def test_unsafe_image_names(name):
    assert not safe_image_file(name)


@pytest.mark.parametrize("text, expected", [
    ("H=41 cm; l=21,2 cm; P=13 cm", [("height", "41", "cm"), ("width", "21.2", "cm"), ("depth", "13", "cm")]),
    ("Î=41 cm; l=21,2 cm; A=13 cm", [("height", "41", "cm"), ("width", "21.2", "cm"), ("depth", "13", "cm")]),
    ("Dia. 0,018 m", [("diameter", "0.018", "m")]),
])
def test_measurements_written_with_equals_in_french_and_romanian(text, expected):
    assert [(m.dimension, str(m.value), m.unit) for m in parse_measurements(text)] == expected
