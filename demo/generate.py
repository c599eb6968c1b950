"""Write the demo museums' exports into ``demo/data`` from ``demo/works.py``.

Run from the repository root: ``python -m demo.generate`` (or ``python demo/generate.py``). The output is
deterministic (seeded draws, fixed zip timestamps, sorted files) and committed beside this script, so a
second run changes no byte. Each museum exports in the form its own system would:

- M0629 Lille: one LIDO 1.1 record a file, with an index of OAI datestamps and withdrawn records, served
  over OAI-PMH by ``demo/museum_endpoint.py``;
- M0634 Roubaix: a LIDO 1.0 export, several ``lido:lidoWrap`` files zipped;
- M0619 Douai: a Joconde-style CSV export (the columns of the Joconde open-data extracts);
- M0650 Saint-Omer: a POP "ajout piloté" text export and its JPEG images named by REFIM;
- M0640 Arras: one ``oai_dc`` record a file with its index, served over OAI-PMH like Lille.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import shutil
import sys
import textwrap
import zipfile
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lxml import etree  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from demo.works import CC0, LICENCE_OUVERTE, PDM, Creator, Work, all_works  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"

LIDO = "http://www.lido-schema.org"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LIDO_SCHEMA = {"1.0": "http://www.lido-schema.org http://www.lido-schema.org/schema/v1.0/lido-v1.0.xsd",
               "1.1": "http://www.lido-schema.org http://www.lido-schema.org/schema/v1.1/lido-v1.1.xsd"}

# LIDO 1.1 terminology URIs (http://terminology.lido-schema.org)
T_LOCAL = "http://terminology.lido-schema.org/lido00100"  # local identifier
T_URI = "http://terminology.lido-schema.org/lido00099"  # URI
T_PRODUCTION = "http://terminology.lido-schema.org/lido00007"
T_ACQUISITION = "http://terminology.lido-schema.org/lido00001"
T_MATERIAL = "http://terminology.lido-schema.org/lido00132"
T_TECHNIQUE = "http://terminology.lido-schema.org/lido00131"
T_INVENTORY = "http://terminology.lido-schema.org/lido00113"
T_IMAGE_MASTER = "http://terminology.lido-schema.org/lido00451"
T_PERSON = "http://terminology.lido-schema.org/lido00163"
T_CORPORATION = "http://terminology.lido-schema.org/lido00165"

RIGHTS_LABELS = {PDM: "Domaine public", CC0: "CC0 1.0",
                 "http://rightsstatements.org/vocab/InC/1.0/": "Protégé par le droit d'auteur"}

MUSEUMS = {
    "M0629": {"name": "Palais des Beaux-Arts de Lille", "city": "Lille", "site": "https://pba.lille.fr",
              "place": ("Lille", "Nord", 50.630965, 3.060647)},
    "M0634": {"name": "La Piscine – musée d'art et d'industrie André Diligent", "city": "Roubaix",
              "site": "https://www.roubaix-lapiscine.com", "place": ("Roubaix", "Nord", 50.693026, 3.16791)},
    "M0619": {"name": "Musée de la Chartreuse", "city": "Douai", "site": "https://www.museedelachartreuse.fr",
              "place": ("Douai", "Nord", 50.374404, 3.07548)},
    "M0650": {"name": "Musée de l'hôtel Sandelin", "city": "Saint-Omer", "site": "https://www.musees-saint-omer.fr",
              "place": ("Saint-Omer", "Pas-de-Calais", 50.749007, 2.254521)},
    "M0640": {"name": "Musée des Beaux-Arts d'Arras", "city": "Arras", "site": "https://www.arras.fr/musee",
              "place": ("Arras", "Pas-de-Calais", 50.291759, 2.772987)},
}

# The datestamp of the last version of a withdrawn record before the museum deleted it.
WITHDRAWN_FROM = "2018-11-05"

FOLDERS = {"M0629": "M0629-lille", "M0634": "M0634-roubaix", "M0619": "M0619-douai",
           "M0650": "M0650-saint-omer", "M0640": "M0640-arras"}


def folder(out: Path, code: str) -> Path:
    return out / FOLDERS[code]


def landing_page(work: Work) -> str:
    return f"{MUSEUMS[work.museum]['site']}/collections/{work.local_id}"


def actor_display(creator: Creator, role: str, attribution: str | None) -> str:
    life = f" ({creator.life})" if creator.life else ""
    prefix = f"{attribution} " if attribution else ""
    return f"{prefix}{creator.display}{life}, {role}"


def acquisition_year(work: Work) -> str | None:
    found = re.findall(r"\b(1[5-9]\d\d|20\d\d)\b", work.acquisition)
    return found[-1] if found else None


# --- LIDO (1.1 for Lille over OAI-PMH, 1.0 for Roubaix's file export) ------------------------------------

class LidoWriter:
    def __init__(self, version: str) -> None:
        self.version = version
        self.v11 = version == "1.1"

    def el(self, parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
        node = etree.SubElement(parent, f"{{{LIDO}}}{name}")
        for key, value in attrs.items():
            node.set(XML_LANG if key == "lang" else f"{{{LIDO}}}{key}", value)
        if text is not None:
            node.text = text
        return node

    def term(self, parent: etree._Element, name: str, label: str, *, concept: str | None = None,
             type_: str | None = None) -> etree._Element:
        wrapper = self.el(parent, name, **({"type": type_} if type_ else {}))
        if concept and self.v11:
            self.el(wrapper, "conceptID", concept, type=T_URI)
        self.el(wrapper, "term", label)
        return wrapper

    def record(self, work: Work, museum: dict) -> etree._Element:
        root = etree.Element(f"{{{LIDO}}}lido", nsmap={"lido": LIDO, "xsi": XSI})
        rec_type = T_LOCAL if self.v11 else "local"
        self.el(root, "lidoRecID", work.local_id, source=museum["name"], type=rec_type)
        if self.v11:
            self.el(root, "objectPublishedID", landing_page(work), type=T_URI)
        category = self.el(root, "category")
        self.el(category, "conceptID", "http://www.cidoc-crm.org/crm-concepts/E22", type="URI")
        self.el(category, "term", "Objet fabriqué par l'homme", lang="fr")

        desc = self.el(root, "descriptiveMetadata", lang="fr")
        classification = self.el(desc, "objectClassificationWrap")
        self.term(self.el(classification, "objectWorkTypeWrap"), "objectWorkType", work.denomination)
        classes = self.el(classification, "classificationWrap")
        for domain in work.domains:
            self.term(classes, "classification", domain, type_="domaine")
        if work.school:
            self.term(classes, "classification", work.school, type_="école")

        ident = self.el(desc, "objectIdentificationWrap")
        titles = self.el(ident, "titleWrap")
        title_set = self.el(titles, "titleSet")
        self.el(title_set, "appellationValue", work.title, pref="preferred", lang="fr")
        if work.inscription:
            inscriptions = self.el(self.el(ident, "inscriptionsWrap"), "inscriptions")
            self.el(inscriptions, "inscriptionTranscription", work.inscription, lang="fr")
        repository = self.el(self.el(ident, "repositoryWrap"), "repositorySet", type="current")
        name = self.el(repository, "repositoryName")
        self.el(name, "legalBodyID", work.museum, type="Museofile", source="Ministère de la Culture")
        self.el(self.el(name, "legalBodyName"), "appellationValue", museum["name"])
        self.el(name, "legalBodyWeblink", museum["site"])
        self.el(repository, "workID", work.inventory, type=T_INVENTORY if self.v11 else "inventory number")
        city, dept, lat, lon = museum["place"]
        location = self.el(repository, "repositoryLocation")
        self.el(self.el(location, "namePlaceSet"), "appellationValue", city)
        description = self.el(self.el(ident, "objectDescriptionWrap"), "objectDescriptionSet", type="description")
        self.el(description, "descriptiveNoteValue", work.description, lang="fr")
        measurements = self.el(self.el(ident, "objectMeasurementsWrap"), "objectMeasurementsSet")
        self.el(measurements, "displayObjectMeasurements", work.measurements)
        measured = self.el(measurements, "objectMeasurements")
        for dimension in work.dimensions:
            one = self.el(measured, "measurementsSet")
            self.el(one, "measurementType", dimension.kind, lang="fr")
            self.el(one, "measurementUnit", dimension.unit)
            self.el(one, "measurementValue", dimension.number)

        events = self.el(desc, "eventWrap")
        production = self.el(self.el(events, "eventSet"), "event")
        self.term(production, "eventType", "Production", concept=T_PRODUCTION)
        for creator, role, attribution in work.creators:
            self.actor(production, creator, role, attribution)
        date = self.el(production, "eventDate")
        self.el(date, "displayDate", work.dating.display, lang="fr")
        span = self.el(date, "date")
        self.el(span, "earliestDate", str(work.dating.begin))
        self.el(span, "latestDate", str(work.dating.end))
        self.term(production, "periodName", work.dating.century)
        if work.place:
            place = self.el(production, "eventPlace")
            self.el(place, "displayPlace", work.place)
        materials = self.el(production, "eventMaterialsTech")
        self.el(materials, "displayMaterialsTech", work.technique, lang="fr")
        tech = self.el(materials, "materialsTech")
        for material in work.materials:
            self.term(tech, "termMaterialsTech", material, type_=T_MATERIAL if self.v11 else "material")
        for technique in work.techniques:
            self.term(tech, "termMaterialsTech", technique, type_=T_TECHNIQUE if self.v11 else "technique")
        acquisition = self.el(self.el(events, "eventSet"), "event")
        self.term(acquisition, "eventType", "Acquisition", concept=T_ACQUISITION)
        year = acquisition_year(work)
        if year:
            acq_date = self.el(acquisition, "eventDate")
            self.el(acq_date, "displayDate", year)
            acq_span = self.el(acq_date, "date")
            self.el(acq_span, "earliestDate", year)
            self.el(acq_span, "latestDate", year)
        self.el(self.el(acquisition, "eventDescriptionSet"), "descriptiveNoteValue", work.acquisition, lang="fr")

        subjects = self.el(self.el(desc, "objectRelationWrap"), "subjectWrap")
        subject_set = self.el(subjects, "subjectSet")
        subject = self.el(subject_set, "subject")
        for label in work.subjects:
            self.term(subject, "subjectConcept", label)

        admin = self.el(root, "administrativeMetadata", lang="fr")
        rights_work = self.el(self.el(admin, "rightsWorkWrap"), "rightsWorkSet")
        self.term(rights_work, "rightsType", "propriété de la commune")
        self.el(self.el(rights_work, "rightsHolder"), "legalBodyName").append(
            self._appellation(f"Ville de {museum['city']}"))
        record = self.el(admin, "recordWrap")
        self.el(record, "recordID", work.local_id, type=T_LOCAL if self.v11 else "local")
        self.term(record, "recordType", "objet")
        source = self.el(record, "recordSource")
        self.el(self.el(source, "legalBodyName"), "appellationValue", museum["name"])
        record_rights = self.el(record, "recordRights")
        self.term(record_rights, "rightsType", "Licence Ouverte / Open Licence 2.0",
                  concept="https://www.etalab.gouv.fr/licence-ouverte-open-licence")
        info = self.el(record, "recordInfoSet")
        self.el(info, "recordInfoLink", landing_page(work))
        self.el(info, "recordMetadataDate", work.datestamp, type="modified")
        if work.image:
            resource = self.el(self.el(admin, "resourceWrap"), "resourceSet")
            representation = self.el(resource, "resourceRepresentation",
                                     type=T_IMAGE_MASTER if self.v11 else "image_master")
            link = self.el(representation, "linkResource", work.image)
            if self.v11:
                link.set(f"{{{LIDO}}}formatResource", "image/jpeg")
            self.term(resource, "resourceType", "image numérique")
            rights = self.el(resource, "rightsResource")
            rights_type = self.el(rights, "rightsType")
            self.el(rights_type, "conceptID", work.image_rights, type="URI")
            self.el(rights_type, "term", RIGHTS_LABELS.get(work.image_rights, work.image_rights))
            if work.photo_credit:
                self.el(rights, "creditLine", work.photo_credit)
        return root

    def _appellation(self, text: str) -> etree._Element:
        node = etree.Element(f"{{{LIDO}}}appellationValue")
        node.text = text
        return node

    def actor(self, event: etree._Element, creator: Creator, role: str, attribution: str | None) -> None:
        event_actor = self.el(event, "eventActor")
        self.el(event_actor, "displayActorInRole", actor_display(creator, role, attribution))
        in_role = self.el(event_actor, "actorInRole")
        kind = ("corporation" if creator.corporate else "person") if not self.v11 else \
            (T_CORPORATION if creator.corporate else T_PERSON)
        actor = self.el(in_role, "actor", type=kind)
        self.el(self.el(actor, "nameActorSet"), "appellationValue", creator.display, pref="preferred")
        if creator.school and not creator.corporate:
            self.el(self.el(actor, "nationalityActor"), "term", creator.school)
        if creator.birth or creator.death:
            vital = self.el(actor, "vitalDatesActor")
            if creator.birth:
                self.el(vital, "earliestDate", creator.birth, type="birthDate")
            if creator.death:
                self.el(vital, "latestDate", creator.death, type="deathDate")
        self.term(in_role, "roleActor", role)
        if attribution:
            self.el(in_role, "attributionQualifierActor", attribution)


def _xml_bytes(root: etree._Element, schema_location: str | None = None) -> bytes:
    if schema_location:
        root.set(f"{{{XSI}}}schemaLocation", schema_location)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_oai_museum(out: Path, code: str, works: list[Work], render: Callable[[Work], bytes],
                     metadata_prefix: str, repository: str) -> None:
    """One XML record a file under records/, and index.json: OAI identifier, datestamp, deleted.

    A withdrawn record is listed as deleted; the version the museum published before withdrawing it is
    kept in withdrawn/ (named by the entry's ``withdrawn``), so that the demo can replay the museum's
    history on a new catalogue: harvest it once as it was, then see it deleted.
    """
    base = folder(out, code)
    records = base / "records"
    records.mkdir(parents=True, exist_ok=True)
    index = []
    for work in works:
        file_name = f"{work.local_id}.xml"
        entry: dict[str, object] = {"identifier": f"oai:{repository}:{work.local_id}", "local_id": work.local_id,
                                    "datestamp": work.datestamp, "deleted": work.deleted, "sets": [work.domains[0]]}
        if work.deleted:
            (base / "withdrawn").mkdir(exist_ok=True)
            (base / "withdrawn" / file_name).write_bytes(render(work))
            entry["withdrawn"] = {"file": f"withdrawn/{file_name}", "datestamp": WITHDRAWN_FROM}
        else:
            (records / file_name).write_bytes(render(work))
            entry["file"] = f"records/{file_name}"
        index.append(entry)
    (base / "index.json").write_text(json.dumps({"metadataPrefix": metadata_prefix, "repositoryIdentifier": repository,
                                                 "records": index}, ensure_ascii=False, indent=1) + "\n",
                                     encoding="utf-8")


def write_lille(out: Path, works: list[Work]) -> None:
    writer = LidoWriter("1.1")
    museum = MUSEUMS["M0629"]
    write_oai_museum(out, "M0629", works, lambda w: _xml_bytes(writer.record(w, museum), LIDO_SCHEMA["1.1"]),
                     "lido", "pba.lille.fr")


def write_roubaix(out: Path, works: list[Work]) -> None:
    """LIDO 1.0 in three lidoWrap files of the museum's export, zipped with fixed timestamps."""
    writer = LidoWriter("1.0")
    museum = MUSEUMS["M0634"]
    base = folder(out, "M0634")
    base.mkdir(parents=True, exist_ok=True)
    chunk = 20
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for n, start in enumerate(range(0, len(works), chunk), start=1):
            wrap = etree.Element(f"{{{LIDO}}}lidoWrap", nsmap={"lido": LIDO, "xsi": XSI})
            for work in works[start:start + chunk]:
                wrap.append(writer.record(work, museum))
            info = zipfile.ZipInfo(f"export-lido/la-piscine-lido-{n:03d}.xml", date_time=(2024, 3, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, _xml_bytes(wrap, LIDO_SCHEMA["1.0"]))
    (base / "la-piscine-export-lido-1.0.zip").write_bytes(buffer.getvalue())


def write_arras(out: Path, works: list[Work]) -> None:
    museum = MUSEUMS["M0640"]

    def render(work: Work) -> bytes:
        root = etree.Element(f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})

        def dc(name: str, text: str, lang: str | None = None) -> None:
            node = etree.SubElement(root, f"{{{DC}}}{name}")
            node.text = text
            if lang:
                node.set(XML_LANG, lang)

        dc("title", work.title, "fr")
        for creator, _role, _attribution in work.creators:
            dc("creator", f"{creator.display} ({creator.life})" if creator.life else creator.display)
        for subject in work.subjects:
            dc("subject", subject, "fr")
        dc("description", work.description, "fr")
        dc("publisher", museum["name"])
        dc("date", work.dating.display)
        dc("type", work.denomination, "fr")
        dc("type", "Image" if work.edm_type == "IMAGE" else "PhysicalObject")
        dc("format", work.technique, "fr")
        dc("format", work.measurements, "fr")
        dc("identifier", work.inventory)
        dc("identifier", landing_page(work))
        if work.image:  # as most Dublin Core museum feeds give their image: one more identifier
            dc("identifier", work.image)
        dc("language", "fr")
        dc("rights", RIGHTS_LABELS.get(work.image_rights, work.image_rights) + " ; " + work.image_rights)
        if work.photo_credit:
            dc("rights", work.photo_credit)
        dc("rights", LICENCE_OUVERTE)
        return _xml_bytes(root, f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")

    write_oai_museum(out, "M0640", works, render, "oai_dc", "musee.arras.fr")


# --- Joconde CSV (Douai) ----------------------------------------------------------------------------------

JOCONDE_COLUMNS = [
    "Localisation", "Nom_officiel_musee", "lat", "long", "Code_Museofile", "Region", "Departement", "Ville",
    "Numero_inventaire", "Domaine", "Denomination_1", "Denomination_2", "Denomination 3", "Denomination 4",
    "Denomination 5", "Denomination 6", "Denomination 7", "Appellation", "Utilisation", "Precisions_utilisation",
    "Description", "Materiaux_techniques", "Inscription", "Precisions_inscriptions", "Auteur",
    "Precisions_sur_l_auteur", "Sujet_Represente", "Precisions_sujets_representes", "Mesures", "Titre",
    "Periode_de_creation_1", "Periode_de_creation_2", "Periode_de_creation_3", "Periode_de_creation_4",
    "Millesime_de_creation_initial", "Millesime_de_creation 1", "Millesime_de_creation 2", "Epoque",
    "Ancienne_appartenance", "Ancienne_attribution", "Bibliographie", "Commentaires", "Presence_image",
    "Date_d_acquisition", "Exposition",
]


def joconde_author(creator: Creator, role: str, attribution: str | None) -> str:
    name = "anonyme" if creator.surname == "anonyme" else creator.joconde
    qualifier = f"{attribution} " if attribution else ""
    return f"{qualifier}{name} ({role})"


def author_details(creator: Creator) -> str:
    """Joconde's PAUT: 'Douai, 1470 ; Douai, 1535' (a person's birth and death; a firm gets none)."""
    if creator.corporate:
        return ""
    parts = []
    if creator.birth or creator.birth_place:
        parts.append(", ".join(p for p in (creator.birth_place, creator.birth) if p))
    if creator.death or creator.death_place:
        parts.append(", ".join(p for p in (creator.death_place, creator.death) if p))
    return " ; ".join(parts)


def joconde_dating(work: Work) -> tuple[str, str]:
    """(period, millésime): Joconde puts centuries in the period and years in the millésime."""
    if "siècle" in work.dating.display:
        return work.dating.display, ""
    return work.dating.century, work.dating.display


def write_douai(out: Path, works: list[Work]) -> None:
    museum = MUSEUMS["M0619"]
    city, dept, lat, lon = museum["place"]
    base = folder(out, "M0619")
    base.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=JOCONDE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for work in works:
        creator, role, attribution = work.creators[0]
        period, millesime = joconde_dating(work)
        year = acquisition_year(work)
        writer.writerow({
            "Localisation": "Douai ; musée de la Chartreuse", "Nom_officiel_musee": museum["name"],
            "lat": lat, "long": lon, "Code_Museofile": "M0619", "Region": "Hauts-de-France",
            "Departement": dept, "Ville": city, "Numero_inventaire": work.inventory,
            "Domaine": ",".join(work.domains), "Denomination_1": work.denomination,
            "Description": work.description, "Materiaux_techniques": work.technique,
            "Inscription": "signature" if work.inscription else "",
            "Precisions_inscriptions": work.inscription or "",
            "Auteur": joconde_author(creator, role, attribution), "Precisions_sur_l_auteur": author_details(creator),
            "Sujet_Represente": " ; ".join(work.subjects), "Mesures": work.measurements.replace(" ; ", ", "),
            "Titre": work.title, "Periode_de_creation_1": period, "Millesime_de_creation_initial": millesime,
            "Ancienne_appartenance": work.acquisition.split(",")[0] if "abbaye" in work.acquisition else "",
            "Ancienne_attribution": "", "Presence_image": "non",
            "Date_d_acquisition": f"{year} ; {work.acquisition}" if year else work.acquisition,
            "Commentaires": f"école : {work.school}" if work.school else "",
        })
    (base / "joconde-douai-chartreuse.csv").write_text(out.getvalue(), encoding="utf-8")


# --- POP text export with images (Saint-Omer) -----------------------------------------------------------------

POP_LINE = 78


def pop_value(value: str) -> list[str]:
    """POP wraps long values over several lines, ending each but the last with ' -'."""
    lines = textwrap.wrap(value, POP_LINE, break_long_words=False, break_on_hyphens=False) or [""]
    return [line + " -" for line in lines[:-1]] + [lines[-1]]


POP_DIMENSIONS = {"hauteur": "Hauteur", "largeur": "Largeur", "profondeur": "Profondeur", "diamètre": "Diamètre",
                  "longueur": "Longueur"}


def pop_notice(work: Work) -> list[tuple[str, str]]:
    creator, role, attribution = work.creators[0]
    period, millesime = joconde_dating(work)
    year = acquisition_year(work)
    fields = [
        ("REF", work.local_id),
        ("MUSEO", "M0650"),
        ("LABEL", "Musée de France#au sens de la loi n°2002-5 du 4 janvier 2002"),
        ("INV", work.inventory),
        ("DOMN", " ; ".join(work.domains)),
        ("DENO", work.denomination),
        ("TITR", work.title),
        ("AUTR", joconde_author(creator, role, attribution)),
        ("PAUT", author_details(creator)),
        ("ECOL", work.school or ""),
        ("PERI", period),
        ("MILL", millesime),
        ("TECH", work.technique),
        ("DIMS", " ; ".join(f"{POP_DIMENSIONS[d.kind]} en {d.unit} {d.number}" for d in work.dimensions)),
        ("INSC", "marque" if work.inscription and work.inscription.startswith("marque") else
         "signature" if work.inscription else ""),
        ("PINS", work.inscription or ""),
        ("REPR", " ; ".join(work.subjects)),
        ("DESC", work.description),
        ("LIEUX", f"France, Pas-de-Calais, {work.place} (lieu d'exécution)" if work.place == "Saint-Omer" else
         f"{work.place} (lieu d'exécution)" if work.place else ""),
        ("LOCA", "Saint-Omer ; musée de l'hôtel Sandelin"),
        ("STAT", f"propriété de la commune ; {work.acquisition.split(',')[0]} ; Saint-Omer ; "
                 "musée de l'hôtel Sandelin"),
        ("DACQ", f"{year} acquis" if year else ""),
        ("PHOT", work.photo_credit),
        ("REFIM", f"{work.image},DS1,,{work.image}" if work.image else ""),
        ("COPY", "© Saint-Omer, musée de l'hôtel Sandelin, © Service des musées de France, 2019"),
        ("IMAGE", "Oui" if work.image else "Non"),
        ("DMAJ", work.datestamp),
    ]
    return [(code, value) for code, value in fields if value]


def write_saint_omer(out: Path, works: list[Work]) -> None:
    base = folder(out, "M0650")
    images = base / "images"
    images.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    for work in works:
        for code, value in pop_notice(work):
            lines.append(code)
            lines.extend(pop_value(value))
        lines.append("//")
        if work.image:
            (images / work.image).write_bytes(demo_image(work))
    (base / "sandelin-export-pop.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


# Earth and glaze colours by domain, so that a thumbnail looks like the kind of object it stands for.
PALETTES = {
    "céramique": ((238, 234, 222), (38, 66, 140), (120, 140, 190)),
    "peinture": ((92, 70, 44), (176, 140, 86), (40, 34, 28)),
    "mobilier": ((110, 72, 40), (70, 44, 24), (150, 104, 60)),
    "arts et traditions populaires": ((214, 208, 196), (246, 244, 238), (120, 90, 70)),
    "orfèvrerie": ((60, 48, 40), (212, 170, 80), (140, 30, 40)),
    "sculpture": ((50, 50, 56), (232, 222, 200), (180, 168, 150)),
}


def demo_image(work: Work) -> bytes:
    """A small JPEG that looks like a photograph of the object on a studio background."""
    background, body, accent = PALETTES.get(work.domains[0], PALETTES["peinture"])
    seed = sum(map(ord, work.local_id))
    width, height = 160, 120
    image = Image.new("RGB", (width, height), (96, 96, 100) if work.domains[0] != "peinture" else background)
    draw = ImageDraw.Draw(image)
    for y in range(height):  # studio light: a soft vertical gradient
        shade = int(28 * y / height)
        draw.line([(0, y), (width, y)], fill=tuple(max(0, c - shade) for c in image.getpixel((0, y))))
    if work.domains[0] == "céramique":
        # Polychrome wares (Saint-Omer) in manganese, copper green and antimony yellow; Delft in cobalt.
        colours = [(38, 66, 140)] if "camaïeu bleu" in work.technique else [(120, 60, 110), (60, 130, 70),
                                                                             (214, 170, 40), (38, 66, 140)]
        draw.ellipse([30, 10, 130, 110], fill=background, outline=accent, width=3)
        draw.ellipse([52, 32, 108, 88], outline=colours[0], width=2)
        petals = 6 + seed % 7
        for i in range(petals):
            angle = 2 * math.pi * i / petals
            x, y = 80 + int(40 * math.cos(angle)), 60 + int(40 * math.sin(angle))
            draw.ellipse([x - 5, y - 5, x + 5, y + 5], fill=colours[i % len(colours)])
        for i in range(3 + seed % 3):
            draw.line([(64 + 6 * i, 70 - seed % 11), (78 + 5 * i, 48 + (seed >> i) % 9)],
                      fill=colours[(i + 1) % len(colours)], width=3)
    elif work.domains[0] == "peinture":
        draw.rectangle([14, 10, 146, 110], outline=(150, 120, 60), width=6)
        draw.rectangle([20, 16, 140, 104], fill=body)
        draw.ellipse([60 + seed % 20, 30, 100 + seed % 20, 80], fill=accent)
        draw.rectangle([20, 80, 140, 104], fill=tuple(c // 2 for c in body))
    elif work.domains[0] == "mobilier":
        draw.rectangle([40, 14, 120, 112], fill=body, outline=accent, width=2)
        draw.rectangle([48, 24, 78, 100], outline=accent, width=2)
        draw.rectangle([82, 24, 112, 100], outline=accent, width=2)
    elif work.domains[0] == "arts et traditions populaires":
        draw.line([(20, 70), (110, 58)], fill=body, width=5)
        draw.ellipse([104, 36, 140, 80], fill=body, outline=accent, width=2)
        draw.ellipse([114, 46, 124, 54], fill=accent)
    else:
        draw.polygon([(80, 12), (112, 60), (98, 110), (62, 110), (48, 60)], fill=body, outline=accent)
        draw.ellipse([70, 40, 90, 60], fill=accent)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue()


def generate(out: Path = DATA) -> dict[str, list[Work]]:
    """Write every demo export under ``out`` (afresh: no file of an earlier draw lingers)."""
    works = all_works()
    if out.exists():
        shutil.rmtree(out)
    write_lille(out, works["M0629"])
    write_roubaix(out, works["M0634"])
    write_douai(out, works["M0619"])
    write_saint_omer(out, works["M0650"])
    write_arras(out, works["M0640"])
    return works


def main() -> int:
    works = generate(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA)
    for code, museum_works in works.items():
        live = sum(not w.deleted for w in museum_works)
        print(f"{code} {MUSEUMS[code]['name']}: {live} records, {len(museum_works) - live} deleted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
