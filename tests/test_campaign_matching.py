"""Matching a campaign's files to records: exact names, view suffixes, REFIM, ambiguous and unmatched files."""

from __future__ import annotations

from musenor.campaigns.matching import Match, RecordIndex, RecordNames, match_files

INDEX = RecordIndex([
    RecordNames("oai:m:M0629:1", "M0629000001", ("D.1998.1.1",)),
    RecordNames("oai:m:M0629:2", "M0629000002", ("P.12",)),
    RecordNames("oai:m:M0629:3", "M0629000003", ("P.12-2",)),
    RecordNames("oai:m:M0629:4", "M0629000004", ("1998.11",)),
    RecordNames("oai:m:M0629:5", "M0629000005", ("Éventail 3",), ("m0629_0005_p.jpg",)),
])


def test_a_file_named_by_inventory_number_matches_its_record():
    assert match_files(["D.1998.1.1.jpg"], INDEX).matched == [Match("D.1998.1.1.jpg", "oai:m:M0629:1", "")]


def test_case_punctuation_and_accents_do_not_matter():
    assert match_files(["d_1998_1_1.JPG", "eventail-3.tif"], INDEX).matched == [
        Match("d_1998_1_1.JPG", "oai:m:M0629:1", ""), Match("eventail-3.tif", "oai:m:M0629:5", "")]


def test_view_suffixes_name_the_view_of_the_record():
    report = match_files(["D.1998.1.1_a.jpg", "D.1998.1.1_verso.jpg", "D.1998.1.1-2.jpg"], INDEX)
    assert report.matched == [Match("D.1998.1.1-2.jpg", "oai:m:M0629:1", "2"),
                              Match("D.1998.1.1_a.jpg", "oai:m:M0629:1", "a"),
                              Match("D.1998.1.1_verso.jpg", "oai:m:M0629:1", "verso")]


def test_the_record_id_and_an_existing_refim_name_match_too():
    assert match_files(["M0629000002.jpg", "m0629_0005_p_b.jpg"], INDEX).matched == [
        Match("M0629000002.jpg", "oai:m:M0629:2", ""), Match("m0629_0005_p_b.jpg", "oai:m:M0629:5", "b")]


def test_a_name_that_is_both_a_work_and_a_view_of_another_is_ambiguous():
    assert match_files(["P.12-2.jpg"], INDEX).ambiguous == {"P.12-2.jpg": ["oai:m:M0629:2", "oai:m:M0629:3"]}


def test_names_that_compare_equal_for_two_records_are_ambiguous():
    index = RecordIndex([RecordNames("oai:m:M0629:a", "a", ("1998.1.1",)),
                         RecordNames("oai:m:M0629:b", "b", ("1998.11",))])
    assert match_files(["1998.1.1.jpg"], index).ambiguous == {"1998.1.1.jpg": ["oai:m:M0629:a", "oai:m:M0629:b"]}


def test_a_name_of_no_record_is_unmatched_and_a_non_image_skipped():
    report = match_files(["P.999.jpg", "Thumbs.db", "notes.txt"], INDEX)
    assert (report.matched, report.unmatched, report.skipped) == ([], ["P.999.jpg"], ["Thumbs.db", "notes.txt"])
