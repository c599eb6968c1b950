"""Joconde agents (issue 13, class 3): life dates only where Joconde puts them, "anonyme" an attribution state,
attribution qualifiers neither role nor name, a hyphenated double name one agent."""

from __future__ import annotations

import csv
import io

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from musenor.mappings import HubURIs, MappingContext
from musenor.mappings.dialects.joconde_csv import map_joconde_row
from musenor.mappings.joconde_fields import LifeDates, author_blocks, parse_author, parse_life_dates
from musenor.mappings.namespaces import DC, MUSENOR, RDAGR2, RDF

BASE = "http://hub.test"
URIS = HubURIs(BASE)
COLUMNS = {"INV": ["Numero_inventaire"], "TITR": ["Titre"], "DOMN": ["Domaine"], "AUTR": ["Auteur"],
           "PAUT": ["Precisions_sur_l_auteur"]}


def notice(author: str, precisions: str = ""):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([["Numero_inventaire", "Titre", "Domaine", "Auteur", "Precisions_sur_l_auteur"],
                      ["C 1", "Robe", "costume", author, precisions]])
    context = MappingContext("M0644", "Cité de la dentelle et de la mode", URIS, options={"columns": COLUMNS})
    return map_joconde_row(buffer.getvalue().encode(), context)


def agents(mapped) -> list[URIRef]:
    return sorted(mapped.graph.objects(mapped.cho, DC.creator))


# -- life dates ----------------------------------------------------------------------------------------------------
def test_prose_in_the_author_notes_gives_no_life_date():
    mapped = notice("Manufacture Dollfus", "usine qui cessa son activité vers 1900")
    [agent] = agents(mapped)
    assert agent == URIRef(f"{BASE}/id/agent/manufacture-dollfus")
    assert list(mapped.graph.objects(agent, RDAGR2.dateOfBirth)) == []
    assert list(mapped.graph.objects(agent, RDAGR2.dateOfDeath)) == []


@pytest.mark.parametrize("precisions", ["Actif à partir de 1834", "Bernard SIRVEN (Actif à partir de 1834)",
                                        "PELLERIN & Cie, Imp.-édit. (Actif de 1890 à 1921)"])
def test_an_activity_period_is_not_a_birth(precisions):
    assert parse_life_dates(precisions) == LifeDates()


def test_parenthesised_dates_after_the_name_are_life_dates():
    author = parse_author("BOILLY Louis Léopold (1761-1845)")
    assert (author.name, author.roles, author.life) == ("BOILLY Louis Léopold", (), LifeDates("1761", "1845"))
    mapped = notice("BOILLY Louis Léopold (1761-1845)")
    agent = URIRef(f"{BASE}/id/agent/boilly-louis-leopold-1761")
    assert agents(mapped) == [agent]
    assert list(mapped.graph.objects(agent, RDAGR2.dateOfBirth)) == [Literal("1761", datatype=XSD.gYear)]
    assert list(mapped.graph.objects(agent, RDAGR2.dateOfDeath)) == [Literal("1845", datatype=XSD.gYear)]


def test_each_author_gets_the_dates_of_the_paut_block_naming_them():
    mapped = notice("LANTE Louis Marie (dessinateur);GATINE Georges-Jacques (graveur)",
                    "Lanté Louis-Marie (dessinateur) : Paris, 1789 ; Fontainebleau, 1871 ; "
                    "Gatine Georges-Jacques (graveur) : Caen, 1773 ; 1824")
    lante = URIRef(f"{BASE}/id/agent/lante-louis-marie-1789")
    gatine = URIRef(f"{BASE}/id/agent/gatine-georges-jacques-1773")
    assert agents(mapped) == [gatine, lante]
    assert list(mapped.graph.objects(gatine, RDAGR2.dateOfDeath)) == [Literal("1824", datatype=XSD.gYear)]


def test_paut_blocks_split_on_hash_and_on_a_new_name():
    assert author_blocks("GALARD DE : Château-de-l'Isle, 1779 ; Le Bouscat, 1841#GAULON : Saint-Domingue, 1777") == [
        ("GALARD DE", " Château-de-l'Isle, 1779 ; Le Bouscat, 1841"), ("GAULON", " Saint-Domingue, 1777")]


def test_an_unnamed_paut_block_belongs_to_the_only_named_author():
    mapped = notice("LANTE Louis Marie", "?, 1789 ; ?, ?")
    assert agents(mapped) == [URIRef(f"{BASE}/id/agent/lante-louis-marie-1789")]


def test_an_unnamed_paut_block_is_nobodys_when_two_authors_are_named():
    mapped = notice("LANTE Louis Marie;GATINE", "?, 1789 ; ?, ?")
    assert not list(mapped.graph.subject_objects(RDAGR2.dateOfBirth))


def test_day_first_dates_are_read():
    assert parse_life_dates("Denis Maurice : Granville, 25/11/1870 ; Paris, 13/11/1943") == \
        LifeDates("1870-11-25", "1943-11-13")


# -- anonyme, qualifiers, double names -----------------------------------------------------------------------------
def test_anonyme_is_an_attribution_state_and_not_a_person():
    mapped = notice("anonyme (orfèvre)")
    participation = URIRef(f"{mapped.cho}#event-1-actor-1")
    assert agents(mapped) == []
    assert (participation, MUSENOR.agent, None) not in mapped.graph
    assert (participation, MUSENOR.attribution, Literal("anonyme", lang="fr")) in mapped.graph
    assert [a for a in mapped.graph.subjects(RDF.type, URIRef("http://www.europeana.eu/schemas/edm/Agent"))
            if "/id/agent/" in str(a)] == []


@pytest.mark.parametrize("qualifier", ["d'après", "attribué à", "atelier de", "école de", "genre de"])
def test_an_attribution_qualifier_is_neither_role_nor_name(qualifier):
    author = parse_author(f"RUBENS Pierre Paul ({qualifier})")
    assert (author.name, author.roles, author.attribution) == ("RUBENS Pierre Paul", (), qualifier)
    mapped = notice(f"RUBENS Pierre Paul ({qualifier}, peintre)")
    participation = URIRef(f"{mapped.cho}#event-1-actor-1")
    assert list(mapped.graph.objects(participation, MUSENOR.attribution)) == [Literal(qualifier, lang="fr")]
    assert agents(mapped) == [URIRef(f"{BASE}/id/agent/rubens-pierre-paul")]


def test_a_leading_attribution_is_taken_off_the_name():
    author = parse_author("atelier de RUBENS Pierre Paul")
    assert (author.name, author.attribution) == ("RUBENS Pierre Paul", "atelier de")


def test_a_hyphenated_double_name_is_one_agent():
    mapped = notice("FORNET-DECOURCELLES (atelier)")
    assert agents(mapped) == [URIRef(f"{BASE}/id/agent/fornet-decourcelles")]
    mapped = notice("Olivier-Pinot (imprimeur, éditeur)")
    assert agents(mapped) == [URIRef(f"{BASE}/id/agent/olivier-pinot")]


@pytest.mark.parametrize("precisions, life", [
    ("né en 1768 ; mort en 1841", LifeDates("1768", "1841")),
    ("FROMENT-MEURICE : 1802 - 1855", LifeDates("1802", "1855")),
    ("BROWN : Boston, 1761 ; ?, 1831 (d'après)", LifeDates("1761", "1831")),
])
def test_the_other_ways_paut_writes_life_dates(precisions, life):
    assert parse_life_dates(precisions) == life


def test_paut_days_refine_the_years_after_the_name():
    mapped = notice("Boudin Eugène (1824-1898)", "BOUDIN : Honfleur, 1824/07/12 ; Deauville, 1898/08/08")
    agent = URIRef(f"{BASE}/id/agent/boudin-eugene-1824")
    assert list(mapped.graph.objects(agent, RDAGR2.dateOfBirth)) == [Literal("1824-07-12", datatype=XSD.date)]
    assert list(mapped.graph.objects(agent, RDAGR2.dateOfDeath)) == [Literal("1898-08-08", datatype=XSD.date)]


@pytest.mark.parametrize("item, life, roles", [
    ("Blard Jacques Nicolas Théodore (1795-1871) (atelier)", LifeDates("1795", "1871"), ("atelier",)),
    ("Lanté Louis-Marie (1789-18..)", LifeDates("1789", None), ()),
    ("DESJARDINS Louis-Joseph-Isnard (Paris, 1814 ; L’Haÿ-les-Roses, 1894)", LifeDates("1814", "1894"), ()),
])
def test_each_parenthesised_group_after_the_name_is_read_on_its_own(item, life, roles):
    author = parse_author(item)
    assert (author.life, author.roles) == (life, roles)
