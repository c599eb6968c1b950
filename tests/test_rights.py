"""Rights (issue 13, class 2): every known spelling to its current statement, the source's statement kept as
text, a museum's own wording mapped by musenor.toml, and statements Europeana refuses reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from musenor.catalogue.config import ConfigError, load_config
from musenor.mappings import HubURIs, MappingContext
from musenor.mappings.dialects.lido import map_lido
from musenor.mappings.dialects.oai_dc import map_oai_dc
from musenor.mappings.namespaces import DC, EDM
from musenor.mappings.rights import europeana_statement, rights_statement
from musenor.vocabularies import load_vocabularies

BASE = "https://musenor.fr"
URIS = HubURIs(BASE)
INC = URIRef("http://rightsstatements.org/vocab/InC/1.0/")
CNE = URIRef("http://rightsstatements.org/vocab/CNE/1.0/")
PDM = URIRef("http://creativecommons.org/publicdomain/mark/1.0/")
IMAGE = URIRef("https://museum.example/img/1.jpg")


def context(**kwargs) -> MappingContext:
    return MappingContext("M0629", "Palais des Beaux-Arts de Lille", URIS, load_vocabularies(BASE), **kwargs)


def lido_with_resource_rights(rights_type: str) -> bytes:
    """A LIDO record whose one image states its rights as ``rights_type`` (the inside of lido:rightsType)."""
    return f"""<lido:lido xmlns:lido="http://www.lido-schema.org">
      <lido:lidoRecID lido:type="local">R-1</lido:lidoRecID>
      <lido:descriptiveMetadata xml:lang="de">
        <lido:objectClassificationWrap><lido:objectWorkTypeWrap><lido:objectWorkType>
          <lido:term>Gemälde</lido:term></lido:objectWorkType></lido:objectWorkTypeWrap>
        </lido:objectClassificationWrap>
        <lido:objectIdentificationWrap><lido:titleWrap><lido:titleSet>
          <lido:appellationValue>Landschaft</lido:appellationValue></lido:titleSet></lido:titleWrap>
        </lido:objectIdentificationWrap>
      </lido:descriptiveMetadata>
      <lido:administrativeMetadata xml:lang="de">
        <lido:resourceWrap><lido:resourceSet>
          <lido:resourceRepresentation><lido:linkResource>{IMAGE}</lido:linkResource></lido:resourceRepresentation>
          <lido:rightsResource><lido:rightsType>{rights_type}</lido:rightsType></lido:rightsResource>
        </lido:resourceSet></lido:resourceWrap>
      </lido:administrativeMetadata>
    </lido:lido>""".encode()


@pytest.mark.parametrize("legacy, current", [
    ("http://www.europeana.eu/rights/rr-f/", INC),
    ("http://www.europeana.eu/rights/rr-p/", INC),
    ("http://www.europeana.eu/rights/rr-r/", INC),
    ("http://www.europeana.eu/rights/unknown/", CNE),
    ("http://www.deutsche-digitale-bibliothek.de/lizenzen/rv-fz/", INC),
    ("https://www.deutsche-digitale-bibliothek.de/content/lizenzen/rv-fz/", INC),
])
def test_a_retired_rights_uri_becomes_its_current_statement_and_is_kept_as_text(legacy, current):
    mapped = map_lido(lido_with_resource_rights(f"<lido:conceptID>{legacy}</lido:conceptID>"), context())
    graph, record = mapped.graph, mapped.record_uri
    assert list(graph.objects(IMAGE, EDM.rights)) == [current]
    assert list(graph.objects(record, EDM.rights)) == [current]
    assert list(graph.objects(IMAGE, DC.rights)) == [Literal(legacy)]
    assert list(graph.objects(record, DC.rights)) == [Literal(legacy)]


@pytest.mark.parametrize("spelling", [
    "https://creativecommons.org/publicdomain/mark/1.0/",
    "http://creativecommons.org/publicdomain/mark/1.0",
    "https://creativecommons.org/publicdomain/mark/1.0/deed.de",
])
def test_another_spelling_of_a_statement_is_the_statement_and_adds_no_text(spelling):
    mapped = map_lido(lido_with_resource_rights(f"<lido:conceptID>{spelling}</lido:conceptID>"), context())
    assert list(mapped.graph.objects(IMAGE, EDM.rights)) == [PDM]
    assert list(mapped.graph.objects(IMAGE, DC.rights)) == []


def test_a_museums_own_wording_is_mapped_by_its_rights_map_and_kept():
    rights_map = {"Domaine public": str(PDM)}
    mapped = map_lido(lido_with_resource_rights("<lido:term>domaine  PUBLIC</lido:term>"),
                      context(rights_map=rights_map))
    assert list(mapped.graph.objects(IMAGE, EDM.rights)) == [PDM]
    assert list(mapped.graph.objects(IMAGE, DC.rights)) == [Literal("domaine PUBLIC", lang="de")]
    assert mapped.unmatched == {}


def test_unmapped_wording_is_counted_and_the_status_is_not_evaluated():
    mapped = map_lido(lido_with_resource_rights("<lido:term>Nutzung nach Absprache</lido:term>"), context())
    assert list(mapped.graph.objects(IMAGE, EDM.rights)) == [CNE]
    assert mapped.unmatched[("rights", "Nutzung nach Absprache")] == 1


def test_a_statement_europeana_refuses_is_reported_on_the_worklist():
    mapped = map_lido(lido_with_resource_rights(
        "<lido:conceptID>http://rightsstatements.org/vocab/InC-NC/1.0/</lido:conceptID>"), context())
    assert list(mapped.graph.objects(IMAGE, EDM.rights)) == [URIRef("http://rightsstatements.org/vocab/InC-NC/1.0/")]
    assert mapped.unmatched[("europeana-rights", "http://rightsstatements.org/vocab/InC-NC/1.0/")] == 1


def test_a_statement_on_europeanas_list_is_not_reported():
    mapped = map_lido(lido_with_resource_rights(f"<lido:conceptID>{PDM}</lido:conceptID>"), context())
    assert [key for key in mapped.unmatched if key[0] == "europeana-rights"] == []


def test_oai_dc_retired_europeana_uri_is_its_statement_and_kept():
    raw = b"""<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
        xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>x</dc:title><dc:type>dessin</dc:type>
        <dc:identifier>D 1</dc:identifier><dc:rights>http://www.europeana.eu/rights/rr-r/</dc:rights></oai_dc:dc>"""
    mapped = map_oai_dc(raw, context())
    assert list(mapped.graph.objects(mapped.record_uri, EDM.rights)) == [INC]
    assert list(mapped.graph.objects(mapped.record_uri, DC.rights)) == [Literal("http://www.europeana.eu/rights/rr-r/")]


def test_rights_map_is_compared_without_case_accents_or_spaces():
    assert rights_statement(" Droits réservés ", {"droits reserves": str(INC)}) == str(INC)
    assert rights_statement("Droits réservés", {}) is None


def test_europeana_list_is_the_one_of_edm_xsd():
    assert europeana_statement("http://rightsstatements.org/vocab/CNE/1.0/") == str(CNE)
    assert europeana_statement("http://rightsstatements.org/vocab/UND/1.0/") is None
    assert europeana_statement("http://creativecommons.org/licenses/by-nc/2.5/scotland/") == \
        "http://creativecommons.org/licenses/by-nc/2.5/scotland/"
    assert europeana_statement("https://www.etalab.gouv.fr/licence-ouverte-open-licence") is None


CONFIG = """
[hub]
base_uri = "http://127.0.0.1:5000/"
data_dir = "var/hub"
repository_name = "Musenor"
admin_email = "catalogue@musenor.example"
repository_identifier = "musenor.fr"

[museums.M0629]
name = "Palais des Beaux-Arts de Lille"
city = "Lille"
[museums.M0629.source]
kind = "oai-pmh"
endpoint = "http://127.0.0.1:8001/oai"
[museums.M0629.rights_map]
"Domaine public" = "http://creativecommons.org/publicdomain/mark/1.0/"
"""


def test_config_reads_a_museums_rights_map(tmp_path: Path):
    path = tmp_path / "musenor.toml"
    path.write_text(CONFIG, encoding="utf-8")
    assert load_config(path).museums["M0629"].rights_map == {"Domaine public": str(PDM)}


def test_config_refuses_a_rights_map_to_something_not_a_statement(tmp_path: Path):
    path = tmp_path / "musenor.toml"
    path.write_text(CONFIG.replace("http://creativecommons.org/publicdomain/mark/1.0/", "libre"), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert (err.value.museum, err.value.key) == ("M0629", "museums.M0629.rights_map")
    assert err.value.reason == ("'Domaine public': 'libre' is not a rightsstatements.org or Creative Commons "
                                "statement URI")
