"""French first, English available: the interface words of the public pages in both languages.

The language is ``?lang=fr|en`` when given, else the best of the browser's Accept-Language, else French.
Templates get ``t(key)`` and ``lang``; links keep ``?lang=en`` so a reader stays in the language chosen.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request

LANGUAGES = ("fr", "en")

WORDS: dict[str, tuple[str, str]] = {
    "site_tagline": ("Les collections des musées du Nord-Pas-de-Calais",
                     "The collections of the museums of Nord-Pas-de-Calais"),
    "home": ("Accueil", "Home"),
    "search": ("Rechercher", "Search"),
    "search_placeholder": ("Titre, artiste, lieu, description…", "Title, artist, place, description…"),
    "search_label": ("Rechercher dans les collections", "Search the collections"),
    "museums": ("Musées", "Museums"),
    "exhibitions": ("Expositions", "Exhibitions"),
    "sparql": ("SPARQL", "SPARQL"),
    "data": ("Données ouvertes", "Open data"),
    "works": ("œuvres", "works"),
    "no_results": ("Aucun résultat. Essayez un autre mot ou retirez un filtre.",
                   "No results. Try another word or remove a filter."),
    "facet_museum": ("Musée", "Museum"),
    "facet_type": ("Type d'objet", "Object type"),
    "facet_creator": ("Créateur", "Creator"),
    "facet_period": ("Période", "Period"),
    "facet_material": ("Matériau", "Material"),
    "remove_filter": ("Retirer le filtre", "Remove filter"),
    "search_help": ("Astuces : \"une expression\" entre guillemets, portrait OR paysage, -esquisse pour exclure.",
                    "Tips: \"a phrase\" in quotes, portrait OR landscape, -sketch to exclude."),
    "sort_by": ("Trier par", "Sort by"),
    "sort_relevance": ("Pertinence", "Relevance"),
    "sort_title": ("Titre", "Title"),
    "sort_date": ("Date (plus ancienne d'abord)", "Date (oldest first)"),
    "sort_-date": ("Date (plus récente d'abord)", "Date (newest first)"),
    "sort_museum": ("Musée", "Museum"),
    "years": ("Années", "Years"),
    "year_from": ("De", "From"),
    "year_to": ("À", "To"),
    "only_images": ("Avec image seulement", "Only with images"),
    "apply": ("Appliquer", "Apply"),
    "bad_parameter": ("Paramètre « {parameter} » illisible : {reason}.", "Unreadable parameter \"{parameter}\": {reason}."),
    "no_such_page": ("Cette page n'existe pas", "There is no such page"),
    "no_such_page_detail": ("Il n'y a pas de page {page} : la dernière page de cette recherche est la page {pages}.",
                            "There is no page {page}: the last page of this search is page {pages}."),
    "first_page": ("Première page", "First page"),
    "last_page": ("Dernière page", "Last page"),
    "page_n": ("Page {page}", "Page {page}"),
    "show_all": ("Tout afficher ({n})", "Show all ({n})"),
    "show_fewer": ("Afficher moins", "Show fewer"),
    "zoom": ("Zoomer sur l'image", "Zoom into the image"),
    "close_zoom": ("Fermer le zoom", "Close the zoom"),
    "zoom_viewer": ("Visionneuse zoomable", "Zoomable viewer"),
    "iiif_manifest": ("Manifeste IIIF", "IIIF manifest"),
    "full_image": ("Image du musée", "The museum's image"),
    "works_heading": ("Œuvres", "Works"),
    "filters": ("Affiner", "Refine"),
    "previous": ("Précédent", "Previous"),
    "next": ("Suivant", "Next"),
    "page_of": ("Page {page} sur {pages}", "Page {page} of {pages}"),
    "pagination": ("Pagination", "Pagination"),
    "no_image": ("Pas d'image", "No image"),
    "title": ("Titre", "Title"),
    "inventory": ("Numéro d'inventaire", "Inventory number"),
    "creator": ("Créateur", "Creator"),
    "date": ("Date", "Date"),
    "object_type": ("Type d'objet", "Object type"),
    "material": ("Matériaux", "Materials"),
    "technique": ("Techniques", "Techniques"),
    "dimensions": ("Dimensions", "Dimensions"),
    "description": ("Description", "Description"),
    "subject": ("Sujets", "Subjects"),
    "places": ("Lieux", "Places"),
    "period": ("Période", "Period"),
    "domain": ("Domaine", "Domain"),
    "school": ("École", "School"),
    "provenance": ("Historique", "Provenance"),
    "alternative": ("Autres titres", "Other titles"),
    "museum": ("Musée", "Museum"),
    "rights": ("Droits", "Rights"),
    "credit": ("Crédit", "Credit"),
    "rights_unknown": ("Statut des droits non déterminé", "Copyright not determined"),
    "see_at_museum": ("Voir sur le site du musée", "See on the museum's website"),
    "on_deposit_from": ("Dépôt de {name}", "On deposit from {name}"),
    "machine_formats": ("Formats pour les machines", "Machine-readable formats"),
    "record_uri": ("URI de la notice", "Record URI"),
    "object_uri": ("URI de l'objet", "Object URI"),
    "last_update": ("Mise à jour", "Updated"),
    "city": ("Ville", "City"),
    "website": ("Site web", "Website"),
    "browse_works": ("Parcourir les œuvres", "Browse the works"),
    "members": ("Les musées membres", "Member museums"),
    "home_intro": ("Musenor réunit en un seul catalogue les collections des musées membres de l'Association "
                   "des conservateurs des musées du Nord-Pas-de-Calais, pour les professionnels, les amateurs "
                   "d'art et le grand public.",
                   "Musenor gathers in one catalogue the collections of the member museums of the Association "
                   "des conservateurs des musées du Nord-Pas-de-Calais, for professionals, art lovers and the "
                   "general public."),
    "query_page": ("Interroger le catalogue en SPARQL", "Query the catalogue with SPARQL"),
    "query_intro": ("Point d'accès SPARQL 1.1 en lecture seule. Les requêtes sont limitées en durée et en "
                    "nombre de lignes.", "Read-only SPARQL 1.1 endpoint. Queries are limited in time and "
                    "in rows."),
    "limits": ("Limites : {s} s par requête, {n} lignes au plus.", "Limits: {s} s a query, at most {n} rows."),
    "examples": ("Exemples", "Examples"),
    "query": ("Requête", "Query"),
    "run_query": ("Exécuter", "Run"),
    "result_format": ("Format du résultat", "Result format"),
    "table": ("Tableau", "Table"),
    "download": ("Télécharger", "Download"),
    "truncated": ("Résultat tronqué à {n} lignes.", "Result cut at {n} rows."),
    "error": ("Erreur", "Error"),
    "not_found": ("Page introuvable", "Page not found"),
    "described_by": ("Décrit dans", "Described in"),
    "related_works": ("Œuvres liées", "Related works"),
    "labels": ("Noms", "Names"),
    "properties": ("Propriétés", "Properties"),
    "language": ("Langue", "Language"),
    "skip": ("Aller au contenu", "Skip to content"),
    "dumps": ("Export complet", "Full dumps"),
    # virtual exhibitions (oai_server.exhibitions)
    "exhibitions_current": ("Expositions en cours", "Current exhibitions"),
    "exhibitions_upcoming": ("Expositions à venir", "Upcoming exhibitions"),
    "exhibitions_past": ("Expositions passées", "Past exhibitions"),
    "exhibition_sections": ("Parcours de l'exposition", "Exhibition sections"),
    "exhibition_venues": ("Lieux et dates", "Venues and dates"),
    "exhibition_slideshow": ("Voir en plein écran", "View full screen"),
    "exhibition_checklist": ("Liste des œuvres (à imprimer)", "Checklist of works (printable)"),
    "exhibition_back": ("Retour à l'exposition", "Back to the exhibition"),
    "exhibition_iiif": ("Collection IIIF", "IIIF Collection"),
    "slideshow_close": ("Fermer", "Close"),
    "slideshow_previous": ("Image précédente", "Previous image"),
    "slideshow_next": ("Image suivante", "Next image"),
    "slideshow_help": ("Flèches du clavier ou glisser pour changer d'image, Échap pour fermer.",
                       "Arrow keys or swipe to change image, Escape to close."),
    "inventory_number": ("Inventaire", "Inventory"),
    # entity pages (pages.entities)
    "kind_agent": ("Personne ou organisation", "Person or organisation"),
    "kind_person": ("Personne", "Person"),
    "kind_organisation": ("Organisation", "Organisation"),
    "kind_place": ("Lieu", "Place"),
    "kind_concept": ("Concept", "Concept"),
    "kind_timespan": ("Période", "Time span"),
    "other_names": ("Autres noms", "Other names"),
    "born": ("Naissance", "Born"),
    "died": ("Mort", "Died"),
    "roles": ("Rôles", "Roles"),
    "biography": ("Biographie", "Biography"),
    "authority_links": ("Référentiels", "Authority files"),
    "works_by": ("Œuvres", "Works"),
    "depicted_in": ("Représenté dans", "Depicted in"),
    "part_of": ("Fait partie de", "Part of"),
    "has_parts": ("Comprend", "Includes"),
    "coordinates": ("Coordonnées", "Coordinates"),
    "map": ("Carte", "Map"),
    "works_made_here": ("Œuvres réalisées ici", "Works made here"),
    "works_kept_here": ("Œuvres conservées ici", "Works kept here"),
    "works_related_place": ("Autres œuvres liées à ce lieu", "Other works related to this place"),
    "labels_by_language": ("Libellés par langue", "Labels by language"),
    "scheme": ("Vocabulaire", "Vocabulary"),
    "broader": ("Terme générique", "Broader"),
    "narrower": ("Termes spécifiques", "Narrower"),
    "related_concepts": ("Termes associés", "Related"),
    "definition": ("Définition", "Definition"),
    "shown_of_total": ("{shown} premières sur {total}", "First {shown} of {total}"),
    "about": ("En bref", "Overview"),
    "date_range": ("du {start} au {end}", "{start} to {end}"),
}


# The dimension keys of docs/profile.md (musenor:dimensionType) as a page says them.
DIMENSIONS: dict[str, tuple[str, str]] = {
    "height": ("Hauteur", "Height"), "width": ("Largeur", "Width"), "depth": ("Profondeur", "Depth"),
    "diameter": ("Diamètre", "Diameter"), "length": ("Longueur", "Length"), "weight": ("Poids", "Weight"),
    "thickness": ("Épaisseur", "Thickness"),
}


def dimension(kind: str, value: str, unit: str, lang: str) -> str:
    """"Hauteur 224 cm" / "Height 224 cm"; "12,5" in French, "12.5" in English; no trailing ".0"."""
    try:
        number = f"{float(value):g}"
    except ValueError:
        number = value
    if lang == "fr":
        number = number.replace(".", ",")
    names = DIMENSIONS.get(kind)
    name = names[LANGUAGES.index(lang) if lang in LANGUAGES else 0] if names else kind
    return " ".join(part for part in (name, number, unit) if part)


# Counted words: (French singular, plural), (English singular, plural). French takes the singular for 0
# and 1 ("0 œuvre"), English only for 1.
PLURALS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "work_count": (("{n} œuvre", "{n} œuvres"), ("{n} work", "{n} works")),
    "results": (("{n} résultat", "{n} résultats"), ("{n} result", "{n} results")),
    "rows": (("{n} ligne", "{n} lignes"), ("{n} row", "{n} rows")),
}


def format_count(n: int, lang: str) -> str:
    """12 345 in French (narrow no-break space between thousands), 12,345 in English."""
    grouped = f"{n:,}"
    return grouped.replace(",", "\u202f") if lang == "fr" else grouped


def current_language() -> str:
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES, default="fr") if request.accept_languages else "fr"


def translate(key: str, lang: str, **values: Any) -> str:
    forms = PLURALS.get(key)
    if forms is not None and isinstance(values.get("n"), int):
        n = values["n"]
        singular, plural = forms[LANGUAGES.index(lang) if lang in LANGUAGES else 0]
        one = n <= 1 if lang != "en" else n == 1
        return (singular if one else plural).format(**{**values, "n": format_count(n, lang)})
    words = WORDS.get(key)
    if words is None:
        return key
    text = words[LANGUAGES.index(lang) if lang in LANGUAGES else 0]
    return text.format(**values) if values else text


def init_app(app: Flask) -> None:
    """Give every template ``lang`` and ``t``; idempotent, as each public blueprint calls it."""
    if app.extensions.get("musenor.i18n"):
        return
    app.extensions["musenor.i18n"] = True

    @app.template_filter("http_only")
    def http_only(url: object) -> str:
        """A museum's URL as a link target only if it is http(s): a javascript: IRI is valid RDF too."""
        text = str(url or "").strip()
        return text if text.lower().startswith(("http://", "https://", "/")) and not text.startswith("//") else ""

    @app.context_processor
    def _language() -> dict[str, Any]:
        lang = current_language()
        return {"lang": lang, "t": lambda key, **values: translate(key, lang, **values)}
