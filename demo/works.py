"""The demonstration works of the five demo museums, built deterministically.

Demonstration data, not the museums' real catalogue: the creators are real and often have works in these
museums, but the inventory numbers, dimensions, provenances and most descriptions are invented. Every
writer in ``demo/generate.py`` reads the same ``Work`` objects, so one work looks the same in LIDO,
Joconde CSV, POP and Dublin Core.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

PDM = "http://creativecommons.org/publicdomain/mark/1.0/"
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/"
LICENCE_OUVERTE = "Licence Ouverte / Open Licence 2.0 (Etalab)"


@dataclass(frozen=True)
class Creator:
    surname: str
    forename: str
    birth: str | None
    death: str | None
    role: str  # in the museum's words: peintre, sculpteur, manufacture...
    birth_place: str | None = None
    death_place: str | None = None
    school: str | None = None  # "école flamande"
    corporate: bool = False

    @property
    def display(self) -> str:
        """'Rubens, Pierre Paul' (inverted, as LIDO and Dublin Core records give names)."""
        return f"{self.surname}, {self.forename}" if self.forename else self.surname

    @property
    def natural(self) -> str:
        return f"{self.forename} {self.surname}" if self.forename else self.surname

    @property
    def joconde(self) -> str:
        """'RUBENS Pierre Paul' (Joconde writes a person's surname in capitals, a firm's name as it is)."""
        if self.corporate:
            return self.surname
        return f"{self.surname.upper()} {self.forename}".strip()

    @property
    def life(self) -> str:
        if not self.birth and not self.death:
            return ""
        return f"{self.birth or '?'}-{self.death or '?'}"


@dataclass(frozen=True)
class Dating:
    display: str  # as the museum writes it: "vers 1650", "1er quart 19e siècle", "1874"
    begin: int
    end: int

    @property
    def century(self) -> str:
        c = self.begin // 100 + 1
        return f"{c}e siècle"


@dataclass(frozen=True)
class Dimension:
    kind: str  # hauteur, largeur, profondeur, diamètre
    value: float
    unit: str = "cm"

    @property
    def english(self) -> str:
        return {"hauteur": "height", "largeur": "width", "profondeur": "depth", "diamètre": "diameter",
                "longueur": "length"}[self.kind]

    @property
    def short(self) -> str:
        return {"hauteur": "H.", "largeur": "L.", "profondeur": "P.", "diamètre": "D.", "longueur": "L."}[self.kind]

    @property
    def number(self) -> str:
        text = f"{self.value:.1f}".rstrip("0").rstrip(".")
        return text


@dataclass(frozen=True)
class Work:
    museum: str
    local_id: str
    inventory: str
    title: str
    denomination: str
    domains: tuple[str, ...]
    creators: tuple[tuple[Creator, str, str | None], ...]  # (creator, role in this work, attribution)
    dating: Dating
    technique: str  # displayed: "huile sur toile"
    techniques: tuple[str, ...]
    materials: tuple[str, ...]
    dimensions: tuple[Dimension, ...]
    subjects: tuple[str, ...]
    description: str
    acquisition: str
    place: str | None = None  # place of creation
    inscription: str | None = None
    image: str | None = None  # URL, or file name for exports shipping their images
    image_rights: str = PDM
    photo_credit: str = ""
    edm_type: str = "IMAGE"
    deleted: bool = False
    datestamp: str = "2024-01-15"
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def measurements(self) -> str:
        """'H. 73 cm ; L. 92 cm'"""
        return " ; ".join(f"{d.short} {d.number.replace('.', ',')} {d.unit}" for d in self.dimensions)

    @property
    def school(self) -> str | None:
        return next((c.school for c, _, _ in self.creators if c.school), None)


# --- how museums write dates -----------------------------------------------------------------------------

def year(y: int) -> Dating:
    return Dating(str(y), y, y)


def circa(y: int) -> Dating:
    return Dating(f"vers {y}", y - 5, y + 5)


def years(a: int, b: int) -> Dating:
    return Dating(f"{a}-{b}", a, b)


def century_part(century: int, part: str) -> Dating:
    """'1er quart 19e siècle', '2e moitié 17e siècle', '19e siècle' (Joconde's period vocabulary)."""
    start = (century - 1) * 100
    spans = {
        "": (0, 99, ""), "1er quart": (0, 25, "1er quart "), "2e quart": (25, 50, "2e quart "),
        "3e quart": (50, 75, "3e quart "), "4e quart": (75, 99, "4e quart "),
        "1ère moitié": (0, 50, "1ère moitié "), "2e moitié": (50, 99, "2e moitié "),
    }
    a, b, prefix = spans[part]
    return Dating(f"{prefix}{century}e siècle", start + a, start + b)


# --- kinds of objects: denomination, domain, technique, materials, size ---------------------------------

@dataclass(frozen=True)
class Kind:
    denomination: str
    domains: tuple[str, ...]
    technique: str
    techniques: tuple[str, ...]
    materials: tuple[str, ...]
    size: tuple[tuple[str, float, float], ...]  # (dimension, min, max)
    edm_type: str = "IMAGE"


KINDS: dict[str, Kind] = {
    "huile-toile": Kind("tableau", ("peinture",), "huile sur toile", ("peinture à l'huile",), ("toile",),
                        (("hauteur", 32, 240), ("largeur", 40, 280))),
    "huile-bois": Kind("tableau", ("peinture",), "huile sur bois", ("peinture à l'huile",), ("bois",),
                       (("hauteur", 25, 120), ("largeur", 20, 90))),
    "pierre-noire": Kind("dessin", ("dessin",), "pierre noire, rehauts de craie blanche sur papier bleu",
                         ("pierre noire", "rehaut"), ("papier", "craie"), (("hauteur", 18, 45), ("largeur", 14, 38))),
    "plume": Kind("dessin", ("dessin",), "plume et encre brune, lavis brun sur papier", ("plume", "lavis"),
                  ("papier", "encre"), (("hauteur", 12, 35), ("largeur", 15, 42))),
    "aquarelle": Kind("dessin", ("dessin",), "aquarelle sur papier", ("aquarelle",), ("papier",),
                      (("hauteur", 14, 40), ("largeur", 20, 55))),
    "marbre": Kind("buste", ("sculpture",), "marbre, taille directe", ("taille directe",), ("marbre",),
                   (("hauteur", 45, 90), ("largeur", 30, 60), ("profondeur", 22, 40)), "3D"),
    "bronze": Kind("statuette", ("sculpture",), "bronze, fonte à la cire perdue, patine brune",
                   ("fonte à la cire perdue",), ("bronze",), (("hauteur", 20, 75), ("largeur", 10, 40),
                                                              ("profondeur", 10, 30)), "3D"),
    "platre": Kind("statue", ("sculpture",), "plâtre patiné", ("moulage",), ("plâtre",),
                   (("hauteur", 60, 200), ("largeur", 30, 110), ("profondeur", 30, 90)), "3D"),
    "terre-cuite": Kind("esquisse", ("sculpture",), "terre cuite modelée", ("modelage",), ("terre cuite",),
                        (("hauteur", 18, 50), ("largeur", 10, 30), ("profondeur", 10, 25)), "3D"),
    "faience": Kind("plat", ("céramique",), "faïence stannifère, décor peint en camaïeu bleu de grand feu",
                    ("peint", "grand feu"), ("faïence",), (("hauteur", 3, 7), ("diamètre", 22, 48)), "3D"),
    "faience-poly": Kind("assiette", ("céramique",), "faïence stannifère, décor polychrome de grand feu",
                         ("peint", "grand feu"), ("faïence",), (("hauteur", 2, 4), ("diamètre", 21, 25)), "3D"),
    "porcelaine": Kind("assiette", ("céramique",), "porcelaine tendre, décor polychrome et or",
                       ("peint", "dorure"), ("porcelaine tendre",), (("hauteur", 2, 4), ("diamètre", 22, 25)), "3D"),
    "gres": Kind("vase", ("céramique",), "grès émaillé, tourné", ("tournage", "émaillage"), ("grès",),
                 (("hauteur", 18, 45), ("diamètre", 10, 28)), "3D"),
    "soie": Kind("échantillon", ("textile",), "soie, tissage jacquard", ("tissage jacquard",), ("soie",),
                 (("hauteur", 20, 60), ("largeur", 15, 50))),
    "laine": Kind("échantillon", ("textile",), "laine peignée, armure sergé", ("tissage",), ("laine",),
                  (("hauteur", 15, 40), ("largeur", 12, 35))),
    "meuble": Kind("cabinet", ("mobilier",), "chêne sculpté, placage d'ébène, marqueterie",
                   ("sculpture sur bois", "marqueterie"), ("chêne", "ébène"),
                   (("hauteur", 80, 210), ("largeur", 60, 160), ("profondeur", 30, 65)), "3D"),
    "pipe": Kind("pipe", ("arts et traditions populaires",), "terre de pipe moulée, décor peint",
                 ("moulage", "peint"), ("terre de pipe",), (("longueur", 12, 30), ("hauteur", 4, 9)), "3D"),
    "orfevrerie": Kind("calice", ("orfèvrerie",), "argent doré, repoussé, ciselé", ("repoussé", "ciselure"),
                       ("argent doré",), (("hauteur", 18, 32), ("diamètre", 10, 16)), "3D"),
    "ivoire": Kind("statuette", ("sculpture",), "ivoire sculpté", ("sculpture",), ("ivoire",),
                   (("hauteur", 8, 30), ("largeur", 3, 10)), "3D"),
    "albumine": Kind("photographie", ("photographie",), "tirage sur papier albuminé d'après négatif verre",
                     ("tirage albuminé",), ("papier albuminé",), (("hauteur", 12, 30), ("largeur", 16, 40))),
    "eau-forte": Kind("estampe", ("estampe",), "eau-forte sur papier vergé", ("eau-forte",), ("papier vergé",),
                      (("hauteur", 10, 35), ("largeur", 12, 45))),
}


# --- the creators ---------------------------------------------------------------------------------------

def person(surname: str, forename: str, birth: str | None, death: str | None, role: str,
           birth_place: str | None = None, death_place: str | None = None, school: str | None = None) -> Creator:
    return Creator(surname, forename, birth, death, role, birth_place, death_place, school)


GOYA = person("Goya y Lucientes", "Francisco de", "1746", "1828", "peintre", "Fuendetodos", "Bordeaux",
              "école espagnole")
RUBENS = person("Rubens", "Pierre Paul", "1577", "1640", "peintre", "Siegen", "Anvers", "école flamande")
VAN_DYCK = person("Van Dyck", "Antoine", "1599", "1641", "peintre", "Anvers", "Londres", "école flamande")
JORDAENS = person("Jordaens", "Jacob", "1593", "1678", "peintre", "Anvers", "Anvers", "école flamande")
DELACROIX = person("Delacroix", "Eugène", "1798", "1863", "peintre", "Charenton-Saint-Maurice", "Paris",
                   "école française")
COURBET = person("Courbet", "Gustave", "1819", "1877", "peintre", "Ornans", "La Tour-de-Peilz", "école française")
CARPEAUX = person("Carpeaux", "Jean-Baptiste", "1827", "1875", "sculpteur", "Valenciennes", "Courbevoie",
                  "école française")
COROT = person("Corot", "Jean-Baptiste Camille", "1796", "1875", "peintre", "Paris", "Paris", "école française")
BOILLY = person("Boilly", "Louis-Léopold", "1761", "1845", "peintre", "La Bassée", "Paris", "école française")
CHARDIN = person("Chardin", "Jean Siméon", "1699", "1779", "peintre", "Paris", "Paris", "école française")
CAROLUS = person("Carolus-Duran", "", "1837", "1917", "peintre", "Lille", "Saint-Aygulf", "école française")
BOUTS = person("Bouts", "Dieric", "1415", "1475", "peintre", "Haarlem", "Louvain", "école flamande")
BRETON = person("Breton", "Jules", "1827", "1906", "peintre", "Courrières", "Paris", "école française")
WATTEAU_L = person("Watteau", "Louis Joseph", "1731", "1798", "peintre", "Valenciennes", "Lille", "école française")
VERONESE = person("Caliari", "Paolo, dit Véronèse", "1528", "1588", "peintre", "Vérone", "Venise",
                  "école vénitienne")

COGGHE = person("Cogghe", "Rémy", "1854", "1935", "peintre", "Mouscron", "Roubaix", "école belge")
CLAUDEL = person("Claudel", "Camille", "1864", "1943", "sculpteur", "Fère-en-Tardenois", "Montfavet",
                 "école française")
WEERTS = person("Weerts", "Jean-Joseph", "1846", "1927", "peintre", "Roubaix", "Paris", "école française")
GROMAIRE = person("Gromaire", "Marcel", "1892", "1971", "peintre", "Noyelles-sur-Sambre", "Paris", "école française")
BOUCHARD = person("Bouchard", "Henri", "1875", "1960", "sculpteur", "Dijon", "Paris", "école française")
LEMPEREUR = person("Lempereur-Haut", "Marianne", "1922", "1985", "céramiste", "Paris", None, None)
MOTTE_BOSSUT = Creator("Motte-Bossut et fils", "", "1843", "1983", "manufacture", "Roubaix", None, None, True)
SEVRES = Creator("Manufacture nationale de Sèvres", "", "1756", None, "manufacture", "Sèvres", None, None, True)
DELAHERCHE = person("Delaherche", "Auguste", "1857", "1940", "céramiste", "Beauvais", "Paris", "école française")

BELLEGAMBE = person("Bellegambe", "Jean", "1470", "1535", "peintre", "Douai", "Douai", "école flamande")
CROSS = person("Cross", "Henri-Edmond", "1856", "1910", "peintre", "Douai", "Saint-Clair", "école française")
GIAMBOLOGNA = person("Boulogne", "Jean de, dit Giambologna", "1529", "1608", "sculpteur", "Douai", "Florence",
                     "école flamande")
SCOREL = person("Scorel", "Jan van", "1495", "1562", "peintre", "Schoorl", "Utrecht", "école hollandaise")
BRUEGHEL_J = person("Brueghel", "Pieter, le Jeune", "1564", "1638", "peintre", "Bruxelles", "Anvers",
                    "école flamande")
CHAMPAIGNE = person("Champaigne", "Philippe de", "1602", "1674", "peintre", "Bruxelles", "Paris", "école française")
ANON_FLAMAND = Creator("anonyme", "", None, None, "peintre", school="école flamande")

FIOLET = Creator("Manufacture Fiolet", "", "1765", "1921", "manufacture", "Saint-Omer", None, None, True)
SAINT_OMER_FAIENCE = Creator("Manufacture Levesque", "", "1751", "1795",
                             "manufacture", "Saint-Omer", None, None, True)
GRIEKSCHE_A = Creator("De Grieksche A", "", "1658", "1820", "manufacture", "Delft", None, "Delft", True)
PORCELEYNE_FLES = Creator("De Porceleyne Fles", "", "1653", None, "manufacture", "Delft", None, "Delft", True)
BOONEN = person("Boonen", "Arnold", "1669", "1729", "peintre", "Dordrecht", "Amsterdam", "école hollandaise")
DEWASME = person("Dewasme", "Pierre", "1690", "1750", "ébéniste", "Saint-Omer", "Saint-Omer", None)
ANON_SO = Creator("anonyme", "", None, None, "orfèvre", school="art mosan")

DUTILLEUX = person("Dutilleux", "Constant", "1807", "1865", "peintre", "Douai", "Paris", "école française")
DESAVARY = person("Desavary", "Charles", "1837", "1885", "photographe", "Arras", "Arras", "école française")
DEMONT = person("Demont", "Adrien", "1851", "1928", "peintre", "Douai", "Montgeron", "école française")
DEMONT_BRETON = person("Demont-Breton", "Virginie", "1859", "1935", "peintre", "Courrières", "Paris",
                       "école française")
LA_HYRE = person("La Hyre", "Laurent de", "1606", "1656", "peintre", "Paris", "Paris", "école française")
ARRAS_PORCELAINE = Creator("Manufacture de porcelaine d'Arras", "", "1770", "1790", "manufacture", "Arras",
                           None, None, True)


# --- the works of each museum ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Notable:
    """A work described by hand; the rest of each collection is drawn from ``Series``."""

    creator: Creator
    kind: str
    title: str
    dating: Dating
    subjects: tuple[str, ...]
    description: str
    denomination: str | None = None
    inscription: str | None = None
    attribution: str | None = None
    size: tuple[float, ...] = ()  # the real work's size, in the kind's dimensions' order
    acquisition: str | None = None


@dataclass(frozen=True)
class Series:
    creator: Creator
    kind: str
    titles: tuple[str, ...]
    span: tuple[int, int]  # years within which the works are dated
    subjects: tuple[str, ...]
    denomination: str | None = None
    attribution: str | None = None


LILLE_NOTABLE = (
    Notable(GOYA, "huile-toile", "Les Jeunes", circa(1813), ("scène de genre", "femme", "lettre"),
            "Une jeune femme lit une lettre sous une ombrelle que tient sa servante ; au second plan, des "
            "lavandières travaillent au bord de l'eau. Pendant des « Vieilles », le tableau oppose la jeunesse "
            "insouciante au labeur.", size=(181, 122), acquisition="achat de la ville, 1874"),
    Notable(GOYA, "huile-toile", "Les Vieilles ou Le Temps", Dating("vers 1808-1812", 1808, 1812),
            ("allégorie", "vieillesse", "Temps"),
            "Deux vieilles femmes parées se contemplent dans un miroir dont le revers porte l'inscription "
            "« Qué tal ? » ; derrière elles, le Temps lève son balai. Satire de la coquetterie et de la cour.",
            size=(181, 125), acquisition="achat de la ville, 1874"),
    Notable(RUBENS, "huile-toile", "La Descente de croix", years(1616, 1617),
            ("Descente de croix", "Christ", "Passion"),
            "Grand tableau d'autel peint pour l'église des Capucins de Lille. Le corps du Christ glisse le long "
            "du linceul blanc, recueilli par saint Jean, la Vierge et Marie-Madeleine.",
            denomination="tableau d'autel", size=(425, 295), acquisition="saisie révolutionnaire, 1795"),
    Notable(RUBENS, "huile-bois", "Sainte Madeleine en extase", circa(1620), ("Marie-Madeleine", "extase"),
            "Soutenue par deux anges, la sainte défaille, le regard tourné vers le ciel."),
    Notable(VAN_DYCK, "huile-toile", "Le Christ en croix", circa(1630), ("crucifixion", "Christ"),
            "Le Christ expire sur un ciel d'orage ; saint François embrasse le pied de la croix.",
            inscription="signé en bas à gauche : ANT. VAN DYCK"),
    Notable(JORDAENS, "huile-toile", "Le Christ chassant les marchands du Temple", circa(1650),
            ("Christ", "marchands du Temple"),
            "Scène tumultueuse où se mêlent bêtes, marchands et changeurs renversés par le Christ."),
    Notable(DELACROIX, "huile-toile", "Médée furieuse", year(1838), ("mythologie", "Médée", "infanticide"),
            "Réfugiée dans une grotte, Médée serre contre elle ses enfants qu'elle s'apprête à tuer pour se "
            "venger de Jason. Acquis par l'État au Salon de 1838.",
            inscription="signé et daté en bas à gauche : Eug. Delacroix 1838", size=(260, 165),
            acquisition="envoi de l'État, 1838"),
    Notable(COURBET, "huile-toile", "L'Après-dînée à Ornans", year(1849), ("scène de genre", "musique", "Ornans"),
            "Le peintre, son père et deux amis écoutent un violoniste dans la cuisine de la maison familiale. "
            "Première grande scène de la vie rurale de Courbet, achetée par l'État au Salon de 1849.",
            inscription="signé en bas à gauche : G. Courbet", size=(195, 257),
            acquisition="envoi de l'État, 1849"),
    Notable(CARPEAUX, "platre", "Ugolin et ses fils", years(1857, 1861), ("Ugolin", "Dante", "Enfer"),
            "Modèle en plâtre du groupe inspiré du chant XXXIII de l'Enfer de Dante, conçu à la Villa Médicis.",
            denomination="groupe sculpté"),
    Notable(CARPEAUX, "terre-cuite", "Le Pêcheur à la coquille", year(1858), ("pêcheur", "enfant", "coquillage"),
            "Esquisse du jeune pêcheur napolitain qui porte une coquille à son oreille."),
    Notable(BOILLY, "huile-toile", "Trente-cinq têtes d'expression", circa(1825),
            ("expression", "grimace", "portrait"),
            "Ensemble de visages grimaçants où le peintre, né à La Bassée, se représente lui-même à plusieurs "
            "reprises."),
    Notable(BOILLY, "huile-toile", "L'Entrée du jardin turc", year(1812), ("scène de genre", "café", "Paris"),
            "La foule élégante se presse à l'entrée d'un café du boulevard du Temple."),
    Notable(CHARDIN, "huile-toile", "Nature morte au gobelet d'argent", circa(1728),
            ("nature morte", "gobelet", "fruits"),
            "Un gobelet d'argent, des pêches et des prunes sur un entablement de pierre."),
    Notable(CAROLUS, "huile-toile", "L'Homme endormi", year(1861), ("homme", "sommeil"),
            "Peint à Rome par le jeune Lillois, le tableau lui valut une médaille et l'achat par la ville.",
            inscription="signé et daté en bas à droite : Carolus-Duran 1861"),
    Notable(BOUTS, "huile-bois", "Le Paradis", circa(1450), ("Paradis", "élus", "fontaine de vie"),
            "Volet d'un triptyque du Jugement dernier : les élus, guidés par des anges, gagnent la fontaine de "
            "vie.", denomination="volet de retable"),
    Notable(BOUTS, "huile-bois", "La Chute des damnés", circa(1450), ("Enfer", "damnés", "démon"),
            "Pendant du « Paradis » : les damnés sont précipités par des démons dans un paysage de feu.",
            denomination="volet de retable"),
    Notable(WATTEAU_L, "huile-toile", "La Procession de Lille", year(1789), ("procession", "Lille", "fête"),
            "La procession de Notre-Dame de la Treille traverse la Grand-Place de Lille."),
    Notable(VERONESE, "huile-toile", "Le Martyre de saint Georges", circa(1565), ("saint Georges", "martyre"),
            "Esquisse préparatoire pour le grand tableau de San Giorgio in Braida à Vérone.",
            denomination="esquisse"),
)

LILLE_SERIES = (
    Series(BOILLY, "huile-toile", ("Portrait de jeune femme", "La Leçon de musique", "Le Jeu de billard",
                                   "Portrait d'homme en habit bleu", "La Toilette"), (1790, 1830),
           ("portrait", "scène de genre")),
    Series(BOILLY, "pierre-noire", ("Étude de tête de femme", "Étude d'homme assis", "Groupe de spectateurs"),
           (1795, 1825), ("étude", "figure")),
    Series(COROT, "huile-toile", ("Souvenir des environs de Lac de Nemi", "Le Matin, danse des nymphes",
                                  "Paysage au bord de l'eau", "La Route d'Arras", "Le Moulin de Saint-Nicolas-lez-Arras"),
           (1850, 1874), ("paysage",)),
    Series(RUBENS, "plume", ("Étude pour une Descente de croix", "Tête de vieillard barbu"), (1610, 1630),
           ("étude", "Christ")),
    Series(JORDAENS, "huile-toile", ("Le Satyre et le paysan", "Le roi boit", "Étude de tête de vieillard"),
           (1620, 1660), ("scène de genre", "fable")),
    Series(VAN_DYCK, "huile-toile", ("Portrait d'un gentilhomme génois", "Saint Sébastien", "La Vierge à l'Enfant"),
           (1618, 1640), ("portrait", "scène religieuse")),
    Series(DELACROIX, "plume", ("Étude pour Médée furieuse", "Lion dévorant un cheval", "Arabe à cheval"),
           (1830, 1860), ("étude", "animal")),
    Series(CAROLUS, "huile-toile", ("Portrait de Madame Carolus-Duran", "Portrait d'enfant", "Le Baiser"),
           (1865, 1905), ("portrait",)),
    Series(BRETON, "huile-toile", ("La Bénédiction des blés en Artois", "Les Sarcleuses", "Le Soir dans les hameaux"),
           (1855, 1895), ("paysan", "Artois", "paysage")),
    Series(CARPEAUX, "bronze", ("Buste de jeune Chinoise", "La Rieuse napolitaine", "L'Amour blessé"),
           (1860, 1874), ("buste", "femme")),
    Series(WATTEAU_L, "huile-toile", ("La Braderie de Lille", "Le Marchand de coco", "Vue de la citadelle de Lille"),
           (1770, 1795), ("Lille", "scène de genre")),
    Series(COURBET, "huile-toile", ("Paysage du Jura", "La Source de la Loue"), (1860, 1875), ("paysage", "Jura")),
)

ROUBAIX_NOTABLE = (
    Notable(COGGHE, "huile-toile", "Combat de coqs en Flandre", year(1889), ("combat de coqs", "Flandre", "estaminet"),
            "Dans un estaminet, une foule d'hommes se presse autour de l'arène où s'affrontent deux coqs ; le "
            "peintre mouscronnois décrit avec humour la passion populaire du Nord.",
            inscription="signé et daté en bas à droite : R. Cogghe 1889", size=(200, 288)),
    Notable(COGGHE, "huile-toile", "Madame Veuve Cogghe et ses enfants", year(1908), ("portrait", "famille"),
            "Portrait de la mère du peintre entourée de ses enfants, dans l'intérieur familial."),
    Notable(CLAUDEL, "marbre", "La Petite Châtelaine", years(1895, 1896), ("enfant", "portrait", "buste"),
            "Buste d'une fillette au regard inquiet, modelée au château de l'Islette en Touraine. Le marbre "
            "laisse la chevelure en tresse à peine dégagée du bloc."),
    Notable(CLAUDEL, "bronze", "L'Abandon", year(1905), ("couple", "amour", "Sakountala"),
            "Version réduite du groupe « Sakountala » : un homme agenouillé enlace une femme qui s'abandonne."),
    Notable(CLAUDEL, "bronze", "La Valse", years(1889, 1905), ("danse", "couple"),
            "Un couple de danseurs tournoie, emporté par le mouvement, dans les voiles de la femme."),
    Notable(WEERTS, "huile-toile", "Pour l'humanité, pour la patrie", year(1895), ("allégorie", "médecine"),
            "Grand tableau célébrant le dévouement des médecins, du Roubaisien Jean-Joseph Weerts."),
    Notable(BOUCHARD, "bronze", "Le Débardeur", year(1905), ("travail", "ouvrier", "port"),
            "Un ouvrier du port porte un sac sur l'épaule : la sculpture sociale du début du siècle."),
    Notable(MOTTE_BOSSUT, "soie", "Livre d'échantillons de tissus pour robes, collection été 1925", year(1925),
            ("échantillon", "mode", "industrie textile"),
            "Registre de la maison Motte-Bossut réunissant les étoffes proposées aux confectionneurs.",
            denomination="livre d'échantillons"),
)

ROUBAIX_SERIES = (
    Series(MOTTE_BOSSUT, "soie", ("Échantillon de tissu à motif floral", "Échantillon de tissu à rayures",
                                  "Échantillon de tissu à motif géométrique", "Échantillon de velours façonné",
                                  "Échantillon de tissu pour ameublement"), (1880, 1938),
           ("échantillon", "industrie textile", "motif floral")),
    Series(MOTTE_BOSSUT, "laine", ("Échantillon de drap de laine", "Échantillon de tweed", "Carte de coloris"),
           (1890, 1935), ("échantillon", "industrie textile")),
    Series(COGGHE, "huile-toile", ("La Partie de cartes", "Portrait de Madame Cogghe", "Le Marché aux poissons",
                                   "Intérieur flamand"), (1885, 1925), ("scène de genre", "Flandre")),
    Series(WEERTS, "huile-toile", ("Portrait de Gustave Nadaud", "La Mort de Bara, esquisse", "Portrait d'industriel"),
           (1875, 1915), ("portrait", "histoire")),
    Series(GROMAIRE, "huile-toile", ("Le Faucheur flamand", "Paysage du Nord", "Nu à la fenêtre"), (1920, 1960),
           ("paysan", "Flandre", "nu")),
    Series(SEVRES, "porcelaine", ("Vase Bouchard", "Assiette du service des Départements", "Vase de Saint-Cloud"),
           (1898, 1935), ("arts décoratifs",), denomination="vase"),
    Series(DELAHERCHE, "gres", ("Vase à coulures", "Pichet à décor de feuilles", "Vase boule"), (1890, 1910),
           ("arts décoratifs", "céramique")),
    Series(LEMPEREUR, "gres", ("Coupe", "Vase à décor incisé"), (1955, 1975), ("céramique",)),
    Series(BOUCHARD, "platre", ("Haleurs", "Paysanne bourguignonne", "Monument aux morts, esquisse"), (1900, 1935),
           ("travail", "monument")),
    Series(CLAUDEL, "terre-cuite", ("Tête d'enfant", "Étude pour la Petite Châtelaine"), (1893, 1900),
           ("enfant", "étude")),
)

DOUAI_NOTABLE = (
    Notable(BELLEGAMBE, "huile-bois", "Polyptyque d'Anchin : l'Adoration de la Trinité", years(1511, 1513),
            ("Trinité", "polyptyque", "abbaye d'Anchin"),
            "Panneau central du grand polyptyque commandé par Charles Coguin, abbé d'Anchin : les élus adorent "
            "la Trinité entourée d'anges musiciens.", denomination="polyptyque", size=(159, 120),
            acquisition="saisie révolutionnaire (abbaye d'Anchin), 1792"),
    Notable(BELLEGAMBE, "huile-bois", "Polyptyque d'Anchin : l'Adoration de la Croix", years(1511, 1513),
            ("Croix", "polyptyque", "abbaye d'Anchin"),
            "Revers fermé du polyptyque : l'abbé et ses moines en adoration devant la croix.",
            denomination="polyptyque", size=(159, 120), acquisition="saisie révolutionnaire (abbaye d'Anchin), 1792"),
    Notable(VERONESE, "huile-toile", "Portrait d'une dame vénitienne", circa(1560), ("portrait", "femme", "Venise"),
            "Jeune femme vêtue de soie, un éventail de plumes à la main."),
    Notable(GIAMBOLOGNA, "bronze", "Mercure volant", Dating("fin 16e siècle", 1580, 1600), ("Mercure", "mythologie"),
            "Réduction du célèbre Mercure du sculpteur né à Douai, en équilibre sur un souffle de Zéphyr."),
    Notable(CROSS, "huile-toile", "La Plage de Baigne-Cul", year(1891), ("paysage", "plage", "Méditerranée"),
            "Une des premières toiles divisionnistes du peintre douaisien, installé dans le Var.",
            inscription="signé en bas à droite : Henri Edmond Cross"),
    Notable(SCOREL, "huile-bois", "Le Christ entrant à Jérusalem", circa(1526), ("Christ", "Jérusalem", "Rameaux"),
            "Le Christ, monté sur un âne, est accueilli par une foule qui jette des manteaux sous ses pas."),
    Notable(BRUEGHEL_J, "huile-bois", "Le Dénombrement de Bethléem", circa(1610), ("Bethléem", "hiver", "village"),
            "Variante de la composition de Pieter Bruegel l'Ancien : Marie et Joseph arrivent dans un village "
            "flamand sous la neige.", attribution="d'après Pieter Bruegel l'Ancien"),
)

DOUAI_SERIES = (
    Series(ANON_FLAMAND, "huile-bois", ("Vierge à l'Enfant", "Portrait de donateur", "Saint Jérôme pénitent",
                                        "L'Adoration des mages", "Paysage avec la fuite en Égypte"), (1500, 1620),
           ("scène religieuse", "portrait")),
    Series(BELLEGAMBE, "huile-bois", ("Triptyque du bain mystique", "Saint André", "Sainte Barbe"), (1515, 1530),
           ("scène religieuse", "saint")),
    Series(CROSS, "huile-toile", ("Les Îles d'Or", "Le Cap Nègre", "Vieux cimetière de Douai", "Portrait de Madame Cross"),
           (1882, 1909), ("paysage", "portrait")),
    Series(CROSS, "aquarelle", ("Venise, le Grand Canal", "Pins au bord de la mer", "Étude de figure"), (1895, 1909),
           ("paysage", "étude")),
    Series(CHAMPAIGNE, "huile-toile", ("Portrait d'un échevin", "Le Christ mort", "Saint Augustin"), (1630, 1670),
           ("portrait", "scène religieuse")),
    Series(DUTILLEUX, "huile-toile", ("Bords de la Scarpe", "La Forêt de Fontainebleau"), (1840, 1864),
           ("paysage",)),
    Series(GIAMBOLOGNA, "bronze", ("Vénus sortant du bain", "Hercule et le centaure", "Cheval au pas"), (1570, 1605),
           ("mythologie", "cheval"), attribution="atelier de"),
    Series(VERONESE, "plume", ("Étude pour un plafond", "Études de figures drapées"), (1555, 1585), ("étude",)),
)

SAINT_OMER_NOTABLE = (
    Notable(ANON_SO, "orfevrerie", "Pied de croix de Saint-Bertin", Dating("vers 1180", 1175, 1185),
            ("croix", "évangélistes", "orfèvrerie mosane"),
            "Pied de croix en cuivre doré et émaillé provenant de l'abbaye de Saint-Bertin ; les quatre "
            "évangélistes entourent la base, ornée de scènes typologiques.", denomination="pied de croix",
            size=(31, 16), acquisition="ancien fonds de l'abbaye de Saint-Bertin"),
    Notable(GRIEKSCHE_A, "faience", "Plat à décor de chinois dans un jardin", century_part(17, "4e quart"),
            ("chinoiserie", "jardin"), "Grand plat de Delft au marli décoré de rinceaux, le bassin orné de "
            "personnages chinois.", inscription="marque au revers : AK en monogramme"),
    Notable(SAINT_OMER_FAIENCE, "faience-poly", "Soupière en forme de chou", century_part(18, "3e quart"),
            ("trompe-l'œil", "chou"), "Soupière en trompe-l'œil, spécialité des faïenciers audomarois.",
            denomination="soupière"),
    Notable(BOONEN, "huile-toile", "Portrait d'un magistrat audomarois", circa(1710), ("portrait", "magistrat"),
            "Portrait en buste d'un échevin de Saint-Omer vêtu de noir, au rabat blanc."),
    Notable(DEWASME, "meuble", "Armoire à deux portes", century_part(18, "1ère moitié"), ("mobilier", "Artois"),
            "Armoire en chêne sculpté de rocailles et de guirlandes, caractéristique de l'Audomarois.",
            denomination="armoire"),
    Notable(FIOLET, "pipe", "Pipe à tête de zouave", century_part(19, "2e moitié"), ("pipe", "zouave", "portrait"),
            "Pipe en terre dont le fourneau figure la tête d'un zouave, produite par la célèbre fabrique "
            "Fiolet de Saint-Omer."),
)

SAINT_OMER_SERIES = (
    Series(GRIEKSCHE_A, "faience", ("Assiette à décor de paysage", "Pot à tabac", "Vase couvert", "Plaque murale"),
           (1680, 1740), ("paysage", "chinoiserie")),
    Series(PORCELEYNE_FLES, "faience", ("Plat à décor de fleurs", "Carreau de revêtement", "Bouteille"),
           (1700, 1780), ("fleur", "décor floral")),
    Series(SAINT_OMER_FAIENCE, "faience-poly", ("Assiette à la rose", "Pichet à décor de bouquet",
                                                "Plat à décor de coq", "Assiette à l'oiseau"), (1755, 1790),
           ("fleur", "oiseau")),
    Series(FIOLET, "pipe", ("Pipe à tête de Jacob", "Pipe à tête de femme coiffée", "Pipe à tête de Gambetta",
                            "Pipe à tête de Bacchus"), (1830, 1900), ("pipe", "portrait")),
    Series(DEWASME, "meuble", ("Commode", "Cabinet à deux corps", "Coffre", "Fauteuil"), (1700, 1760),
           ("mobilier",)),
    Series(BOONEN, "huile-toile", ("Portrait de femme", "Jeune garçon à la chandelle", "Portrait d'officier"),
           (1690, 1725), ("portrait", "scène de genre")),
    Series(ANON_SO, "ivoire", ("Vierge à l'Enfant", "Valve de miroir", "Crucifix"), (1300, 1500),
           ("scène religieuse",)),
)

ARRAS_NOTABLE = (
    Notable(COROT, "huile-toile", "Souvenir d'Arleux-du-Nord", year(1871), ("paysage", "Arleux"),
            "Saules et eau calme près d'Arleux, village où séjournait le peintre chez son ami Alfred Robaut."),
    Notable(COROT, "huile-toile", "La Route de Sin-le-Noble", year(1873), ("paysage", "route", "Douaisis"),
            "Un chemin bordé d'arbres aux environs de Douai, baigné d'une lumière argentée.",
            inscription="signé en bas à gauche : COROT"),
    Notable(DUTILLEUX, "huile-toile", "Paysage aux environs d'Arras", circa(1850), ("paysage", "Arras"),
            "Le peintre, ami et hôte de Corot à Arras, peint la campagne artésienne au soleil couchant."),
    Notable(LA_HYRE, "huile-toile", "Le Christ apparaissant aux trois Marie", year(1649),
            ("Christ", "Résurrection", "saintes femmes"),
            "Le Christ ressuscité se manifeste aux saintes femmes venues au tombeau.",
            inscription="signé et daté : L. de La Hyre in. et f. 1649"),
    Notable(ARRAS_PORCELAINE, "porcelaine", "Assiette à décor de barbeaux", century_part(18, "4e quart"),
            ("décor floral", "barbeau"),
            "Porcelaine tendre de la manufacture d'Arras des demoiselles Delemer, semée de bleuets.",
            inscription="marque au revers : AR en bleu"),
    Notable(DESAVARY, "albumine", "Corot peignant dans le jardin de Dutilleux", year(1871),
            ("Corot", "photographie", "peintre"), "Portrait de Corot au travail, par le photographe arrageois "
            "gendre de Dutilleux."),
    Notable(DEMONT_BRETON, "huile-toile", "Le Bain", year(1896), ("enfant", "mer", "Wissant"),
            "Une mère baigne son enfant dans les vagues de Wissant.",
            inscription="signé en bas à droite : Virginie Demont-Breton"),
)

ARRAS_SERIES = (
    Series(COROT, "huile-toile", ("Le Beffroi de Douai", "Le Marais de Saint-Nicolas", "Étang à Ville-d'Avray",
                                  "Le Bouquet d'arbres"), (1850, 1874), ("paysage",)),
    Series(DUTILLEUX, "huile-toile", ("Sous-bois", "La Vallée de la Scarpe", "Chaumière en Artois",
                                      "Portrait de Madame Dutilleux"), (1835, 1864), ("paysage", "portrait")),
    Series(DESAVARY, "albumine", ("Arras, la Grand-Place", "Le Beffroi d'Arras", "Étude d'arbres, cliché-verre",
                                  "L'Abbaye Saint-Vaast"), (1860, 1885), ("Arras", "architecture", "paysage")),
    Series(DEMONT, "huile-toile", ("La Nuit de la Saint-Jean", "Les Dunes de Wissant", "Le Soir"), (1880, 1920),
           ("paysage", "nuit")),
    Series(ARRAS_PORCELAINE, "porcelaine", ("Tasse et soucoupe", "Sucrier couvert", "Assiette à décor d'œillets"),
           (1772, 1790), ("décor floral",)),
    Series(LA_HYRE, "pierre-noire", ("Étude de draperie", "Tête de jeune homme"), (1630, 1656), ("étude",)),
)


# --- inventory numbers as each museum writes them ---------------------------------------------------------

def _lille_inventory(rng: random.Random, kind: str, used: set[str]) -> str:
    prefix, low, high = {"pierre-noire": ("Pl", 100, 4000), "plume": ("Pl", 100, 4000),
                         "platre": ("Sc", 1, 450), "terre-cuite": ("Sc", 1, 450), "bronze": ("Sc", 1, 450),
                         "marbre": ("Sc", 1, 450)}.get(kind, ("P", 1, 2200))
    return _unique(used, lambda: f"{prefix} {rng.randint(low, high)}")


def _roubaix_inventory(rng: random.Random, kind: str, used: set[str]) -> str:
    return _unique(used, lambda: f"{rng.randint(1990, 2012)}.{rng.randint(1, 40)}.{rng.randint(1, 25)}")


def _douai_inventory(rng: random.Random, kind: str, used: set[str]) -> str:
    letter = "S" if KINDS[kind].domains == ("sculpture",) else "D" if KINDS[kind].domains == ("dessin",) else "A"
    return _unique(used, lambda: f"{letter}{rng.randint(100, 3500)}")


def _saint_omer_inventory(rng: random.Random, kind: str, used: set[str]) -> str:
    if rng.random() < 0.5:
        return _unique(used, lambda: f"{rng.randint(1200, 4999):04d}")
    return _unique(used, lambda: f"{rng.randint(1975, 2015)}.{rng.randint(1, 12)}.{rng.randint(1, 30)}")


def _arras_inventory(rng: random.Random, kind: str, used: set[str]) -> str:
    return _unique(used, lambda: f"{rng.randint(850, 999)}.{rng.randint(1, 30)}")


def _unique(used: set[str], draw) -> str:  # type: ignore[no-untyped-def]
    while True:
        value = draw()
        if value not in used:
            used.add(value)
            return value


# --- acquisitions and photo credits -------------------------------------------------------------------------

LILLE_ACQUISITIONS = ("legs Wicar, 1834", "envoi de l'État, 1872", "don de M. Antoine Brasseur, 1883",
                      "achat de la ville, 1881", "saisie révolutionnaire, 1795", "dépôt de l'État, 1849",
                      "legs de M. Alexandre Leleux, 1873")
ROUBAIX_ACQUISITIONS = ("don de la famille Motte, 1998", "achat, 2002", "dation, 2007",
                        "don de la Société industrielle du Nord, 1929", "dépôt du Centre national des arts "
                        "plastiques, 2001", "don de l'artiste, 1912")
DOUAI_ACQUISITIONS = ("saisie révolutionnaire (abbaye d'Anchin), 1792", "don de M. Escallier, 1857",
                      "legs de Madame Cross, 1937", "envoi de l'État, 1876", "achat de la ville, 1904")
SAINT_OMER_ACQUISITIONS = ("don de la famille du Teil, 1904", "legs Hippolyte Fiolet, 1921",
                           "achat en vente publique, 1996", "ancien fonds de l'abbaye de Saint-Bertin",
                           "don de la Société des antiquaires de la Morinie, 1876")
ARRAS_ACQUISITIONS = ("don de M. Charles Desavary, 1885", "envoi de l'État, 1872", "achat de la ville, 1953",
                      "legs de Madame Dutilleux, 1889", "don des amis du musée, 1990")

LILLE_CREDITS = ("© RMN-Grand Palais / Hervé Lewandowski", "© RMN-Grand Palais / Stéphane Maréchalle",
                 "Photo : PBA Lille / Jean-Marie Dautel", "© RMN-Grand Palais / Philipp Bernard")
ROUBAIX_CREDITS = ("Photo : Alain Leprince / La Piscine, Roubaix", "© Roubaix, La Piscine / Arnaud Loubry")
SAINT_OMER_CREDITS = ("Photo : musée Sandelin / Jacques Quecq d'Henripret",
                      "© musée de l'hôtel Sandelin / Philippe Beurtheret")
ARRAS_CREDITS = ("Photo : musée des Beaux-Arts d'Arras / Claude Thériez", "© RMN-Grand Palais / Hervé Lewandowski")


# --- descriptions for works drawn from a series -----------------------------------------------------------------

SUBJECT_SENTENCES = {
    "portrait": "Le modèle, vu en buste, se détache sur un fond sombre.",
    "paysage": "La composition s'ouvre sur un ciel lumineux qui occupe la moitié de la surface.",
    "scène de genre": "Une scène de la vie quotidienne observée avec un sens aigu du détail.",
    "scène religieuse": "Œuvre de dévotion destinée à un oratoire privé ou à une chapelle.",
    "étude": "Feuille d'étude préparatoire, travaillée rapidement d'après le modèle.",
    "échantillon": "Échantillon conservé dans les archives de production de l'entreprise roubaisienne.",
    "arts décoratifs": "Pièce présentée à l'Exposition universelle, représentative du renouveau des arts du feu.",
    "céramique": "Pièce de forme tournée, couverte d'un émail épais aux nuances changeantes.",
    "pipe": "Les fourneaux à figure, moulés en série, faisaient la renommée des pipiers audomarois.",
    "mobilier": "Meuble régional caractéristique des intérieurs bourgeois de l'Artois.",
    "fleur": "Le décor floral, peint avec aisance, couvre l'aile et le bassin.",
    "chinoiserie": "Le décor s'inspire des porcelaines chinoises importées par la Compagnie des Indes.",
    "Arras": "Un témoignage sur la ville d'Arras avant les destructions de la Grande Guerre.",
    "travail": "La sculpture célèbre la dignité du travail ouvrier.",
    "mythologie": "Sujet mythologique traité avec une grande virtuosité.",
    "décor floral": "Le décor floral, peint avec délicatesse, est rehaussé d'un filet d'or.",
    "nuit": "L'effet nocturne est rendu par une gamme de bleus profonds.",
}


def _description(series: Series, title: str, dating: Dating, kind: Kind) -> str:
    first = f"{kind.denomination.capitalize()} ({kind.technique}), {dating.display}."
    for subject in series.subjects:
        if subject in SUBJECT_SENTENCES:
            return f"{first} {SUBJECT_SENTENCES[subject]}"
    return first


def _dating(rng: random.Random, span: tuple[int, int]) -> Dating:
    y = rng.randint(*span)
    style = rng.random()
    if style < 0.4:
        return year(y)
    if style < 0.65:
        return circa(y)
    if style < 0.8:
        return years(y, min(y + rng.randint(1, 4), span[1] + 4))
    part = ("1er quart", "2e quart", "3e quart", "4e quart")[(y % 100) // 25]
    if style < 0.9:
        return century_part(y // 100 + 1, part)
    return century_part(y // 100 + 1, "1ère moitié" if y % 100 < 50 else "2e moitié")


def _dimensions(rng: random.Random, kind: Kind, size: tuple[float, ...] = ()) -> tuple[Dimension, ...]:
    if size:
        return tuple(Dimension(name, float(value)) for (name, _, _), value in zip(kind.size, size))
    dims: list[Dimension] = []
    for name, low, high in kind.size:
        if dims and name == "largeur" and len(kind.size) == 2:
            # Pictures keep a painter's proportions (portrait to landscape), not two independent draws.
            value = dims[0].value * rng.uniform(0.72, 1.38)
        else:
            value = rng.uniform(low, high)
        dims.append(Dimension(name, round(value * 2) / 2 if value < 60 else float(round(value))))
    return tuple(dims)


@dataclass(frozen=True)
class MuseumPlan:
    code: str
    total: int
    notable: tuple[Notable, ...]
    series: tuple[Series, ...]
    inventory: object  # (rng, kind, used) -> str
    local_id: object  # (inventory, n) -> str
    acquisitions: tuple[str, ...]
    credits: tuple[str, ...]
    image: object  # (local_id, inventory) -> str | None
    place: str
    seed: int


def _image_url(site: str):  # type: ignore[no-untyped-def]
    def url(local_id: str, inventory: str) -> str:
        return f"{site}/{inventory.replace(' ', '-').replace('.', '-').lower()}.jpg"
    return url


PLANS = (
    MuseumPlan("M0629", 72, LILLE_NOTABLE, LILLE_SERIES, _lille_inventory,
               lambda inv, n: "PBA-" + inv.replace(" ", "-"), LILLE_ACQUISITIONS, LILLE_CREDITS,
               _image_url("https://pba.lille.fr/collections/images"), "Lille", 629),
    MuseumPlan("M0634", 52, ROUBAIX_NOTABLE, ROUBAIX_SERIES, _roubaix_inventory,
               lambda inv, n: f"LPR-{inv}", ROUBAIX_ACQUISITIONS, ROUBAIX_CREDITS,
               _image_url("https://www.roubaix-lapiscine.com/collections/images"), "Roubaix", 634),
    MuseumPlan("M0619", 50, DOUAI_NOTABLE, DOUAI_SERIES, _douai_inventory,
               lambda inv, n: inv, DOUAI_ACQUISITIONS, (), lambda local, inv: None, "Douai", 619),
    MuseumPlan("M0650", 44, SAINT_OMER_NOTABLE, SAINT_OMER_SERIES, _saint_omer_inventory,
               lambda inv, n: f"0650{n:07d}", SAINT_OMER_ACQUISITIONS, SAINT_OMER_CREDITS,
               lambda local, inv: f"M0650_{local}_p.jpg", "Saint-Omer", 650),
    MuseumPlan("M0640", 46, ARRAS_NOTABLE, ARRAS_SERIES, _arras_inventory,
               lambda inv, n: inv, ARRAS_ACQUISITIONS, ARRAS_CREDITS,
               _image_url("https://collections.arras.fr/images"), "Arras", 640),
)

# Works by creators dead less than 70 years ago are in copyright; their images carry the ADAGP credit.
COPYRIGHT_UNTIL = 1955


def _rights(creators: tuple[tuple[Creator, str, str | None], ...], credit: str) -> tuple[str, str]:
    for creator, _, _ in creators:
        if not creator.corporate and creator.death and int(creator.death) > COPYRIGHT_UNTIL:
            return IN_COPYRIGHT, f"© Adagp, Paris ; {credit}" if credit else "© Adagp, Paris"
        if not creator.corporate and creator.death is None and creator.birth and int(creator.birth) > 1880:
            return IN_COPYRIGHT, f"© Adagp, Paris ; {credit}" if credit else "© Adagp, Paris"
    return PDM, credit


def museum_works(plan: MuseumPlan) -> list[Work]:
    """The works of one museum: its notable works first, then works drawn from its series."""
    rng = random.Random(plan.seed)
    used: set[str] = set()
    works: list[Work] = []

    def add(creator: Creator, kind_name: str, title: str, dating: Dating, subjects: tuple[str, ...],
            description: str, denomination: str | None, inscription: str | None, attribution: str | None,
            size: tuple[float, ...] = (), acquisition: str | None = None) -> None:
        kind = KINDS[kind_name]
        inventory = plan.inventory(rng, kind_name, used)  # type: ignore[operator]
        n = len(works) + 1
        local_id = plan.local_id(inventory, n)  # type: ignore[operator]
        credit = plan.credits[n % len(plan.credits)] if plan.credits else ""
        creators = ((creator, creator.role, attribution),)
        rights, credit = _rights(creators, credit)
        # Datestamps spread over the last years, as a real catalogue's last-modified dates are.
        datestamp = f"20{rng.randint(19, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        works.append(Work(
            museum=plan.code, local_id=local_id, inventory=inventory, title=title,
            denomination=denomination or kind.denomination, domains=kind.domains, creators=creators,
            dating=dating, technique=kind.technique, techniques=kind.techniques, materials=kind.materials,
            dimensions=_dimensions(rng, kind, size), subjects=subjects, description=description,
            acquisition=acquisition or rng.choice(plan.acquisitions),
            place=creator.birth_place if creator.corporate else None,
            inscription=inscription, image=plan.image(local_id, inventory),  # type: ignore[operator]
            image_rights=rights, photo_credit=credit, edm_type=kind.edm_type, datestamp=datestamp,
        ))

    for notable in plan.notable:
        add(notable.creator, notable.kind, notable.title, notable.dating, notable.subjects, notable.description,
            notable.denomination, notable.inscription, notable.attribution, notable.size, notable.acquisition)
    turn = 0
    while len(works) < plan.total:
        series = plan.series[turn % len(plan.series)]
        title = series.titles[(turn // len(plan.series)) % len(series.titles)]
        turn += 1
        dating = _dating(rng, series.span)
        kind = KINDS[series.kind]
        add(series.creator, series.kind, title, dating, series.subjects,
            _description(series, title, dating, kind), series.denomination, None, series.attribution)
    return works


def all_works() -> dict[str, list[Work]]:
    """Every demo museum's works, by Museofile code. Two Lille works are withdrawn (deleted records)."""
    works = {plan.code: museum_works(plan) for plan in PLANS}
    lille = works["M0629"]
    # The last two Lille records were withdrawn from the online catalogue: the museum's OAI-PMH
    # repository announces them as deleted, and the hub keeps them as tombstones.
    for i in (len(lille) - 2, len(lille) - 1):
        lille[i] = replace(lille[i], deleted=True)
    return works
