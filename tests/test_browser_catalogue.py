"""The public catalogue in headless Chromium at 1366 and 390 px wide: stemmed search, merged facets ORed
within a facet, the zoom viewer loading the IIIF manifest, the phone layout, the focus ring, the person, place
(its Leaflet map drawing tiles from a local tile server) and concept pages, and axe-core (vendored from npm,
tests/vendor/axe-core) finding no WCAG 2.1 A/AA violation on any page kind.

Skips, saying why, where Chromium is absent. Screenshots are kept in tests/artifacts/.
"""

import functools
import http.server
import json
import shutil
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
import webcatalogue  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).parent / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars"]
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PICTURES = {"lille/P.1850.3.jpg": (2400, 1800, (190, 140, 90)), "lille/P.1850.3-thumb.jpg": (200, 150, (190, 140, 90)),
            "douai/D17.jpg": (1200, 1600, (80, 120, 70)), "douai/D17-thumb.jpg": (150, 200, (80, 120, 70)),
            "douai/D40.jpg": (900, 1200, (120, 60, 50)), "roubaix/T204.jpg": (800, 600, (60, 110, 160))}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                       reason="headless Chromium is not installed (apt-get install chromium chromium-driver)"),
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The hub on a live server, its records' images fetched by the harvester from a stand-in museum server."""
    from PIL import Image, ImageDraw

    from musenor.harvester.images import MuseumImageFetcher

    root = tmp_path_factory.mktemp("museum-images")
    for name, (width, height, colour) in PICTURES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        picture = Image.new("RGB", (width, height), colour)
        draw = ImageDraw.Draw(picture)
        for i in range(0, width, max(20, width // 12)):
            draw.line([(i, height), (i + width // 4, 0)], fill=tuple(min(255, c + 50) for c in colour),
                      width=max(4, width // 60))
        picture.save(path, "JPEG")
    images = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=images.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{images.server_port}/"
    data = tmp_path_factory.mktemp("browser-catalogue")
    config, catalogue = webcatalogue.build_catalogue(data, image_base=base, more=True)
    for museum, name in (("M0629", "lille/P.1850.3.jpg"), ("M0631", "douai/D17.jpg"), ("M0631", "douai/D40.jpg"),
                         ("M0630", "roubaix/T204.jpg")):
        MuseumImageFetcher(data, museum, interval=0).fetch(base + name)
    app = webcatalogue.make_app(config, catalogue)
    with webcatalogue.LiveServer(app) as server:
        yield server.url
    webcatalogue.close_app(app, catalogue)
    images.shutdown()
    thread.join(10)


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def browser(request, tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    width, height = WIDTHS[request.param]
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    options.add_argument(f"--window-size={width},{height}")
    options.add_argument("--lang=fr-FR")
    options.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    driver.layout = request.param
    driver.set_window_size(width, height)
    yield driver
    driver.quit()
    shutil.rmtree(tmp_path / "chromium-profile", ignore_errors=True)


def wait_for(driver, css: str, text: str | None = None, timeout: int = 20):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def found(d):
        elements = d.find_elements(By.CSS_SELECTOR, css)
        return elements[0] if elements and (text is None or elements[0].text == text) else False

    return WebDriverWait(driver, timeout).until(found)


def screenshot(driver, name: str) -> None:
    """The whole page at the layout's width (the window is grown to the page's height for the picture)."""
    ARTIFACTS.mkdir(exist_ok=True)
    width, height = WIDTHS[driver.layout]
    full = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(full, height), 5000))
    driver.save_screenshot(str(ARTIFACTS / f"catalogue-{driver.layout}-{name}.png"))
    driver.set_window_size(width, height)


def axe_violations(driver) -> list[dict]:
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}))))"
        ".catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));", WCAG_TAGS)
    return found


def card_titles(driver) -> list[str]:
    from selenium.webdriver.common.by import By

    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".card-title")]


def test_stemmed_query_finds_singular_and_plural(site, browser):
    from selenium.webdriver.common.by import By

    browser.get(site + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("portraits")
    box.submit()
    assert wait_for(browser, "#result-count", "2 résultats")
    assert sorted(card_titles(browser)) == ["Portrait d'un échevin", "Portraits des enfants du peintre"]
    screenshot(browser, "search-stemmed")


def test_merged_facet_value_and_or_within_a_facet(site, browser):
    from selenium.webdriver.common.by import By

    browser.get(site + "/search")
    wait_for(browser, "#result-count", "8 résultats")
    panel = browser.find_element(By.CSS_SELECTOR, "details.facet-panel")
    if browser.layout == "phone":
        assert panel.get_attribute("open") is None  # closed on a phone: the results come first
        panel.find_element(By.TAG_NAME, "summary").click()
    types = browser.find_elements(By.CSS_SELECTOR, '[data-facet="type"] .facet-value')
    assert [t.text.replace("\n", " ") for t in types] == ["tableau 6", "vase 1", "échantillon textile 1"]
    browser.find_element(By.CSS_SELECTOR, '[data-facet="period"]').find_element(
        By.PARTIAL_LINK_TEXT, "XVIIe siècle").click()
    assert wait_for(browser, "#result-count", "1 résultat")
    if browser.layout == "phone":
        browser.find_element(By.CSS_SELECTOR, "details.facet-panel summary").click()
    browser.find_element(By.CSS_SELECTOR, '[data-facet="period"]').find_element(
        By.PARTIAL_LINK_TEXT, "XVIIIe siècle").click()
    assert wait_for(browser, "#result-count", "3 résultats")  # 17th OR 18th century
    assert sorted(card_titles(browser)) == ["Paysage flamand avec église", "Portrait d'un échevin",
                                            "Vase à décor de paysage"]
    assert "period=century%3A17&period=century%3A18" in browser.current_url
    screenshot(browser, "facets-or")


def test_zoom_viewer_loads_the_manifest(site, browser):
    from selenium.webdriver.common.by import By

    browser.get(site + "/notice/M0629/P.1850.3")
    image = wait_for(browser, ".record-image img")
    assert image.get_attribute("src").startswith(site + "/images/M0629/display/")
    assert browser.execute_script("return arguments[0].naturalWidth", image) == 1600
    button = browser.find_element(By.CSS_SELECTOR, "button.zoom")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    viewer = wait_for(browser, '#viewer[data-state="open"]')
    assert button.get_attribute("aria-expanded") == "true"
    assert viewer.find_elements(By.CSS_SELECTOR, ".openseadragon-canvas canvas")
    loaded = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert site + "/iiif/M0629/P.1850.3/manifest.json" in loaded
    screenshot(browser, "record-zoom")


@pytest.mark.parametrize("browser", ["phone"], indirect=True)
def test_phone_shows_results_before_the_filters(site, browser):
    from selenium.webdriver.common.by import By

    browser.get(site + "/search?q=portrait")
    wait_for(browser, ".card")
    first_card = browser.find_element(By.CSS_SELECTOR, ".card").rect
    assert first_card["y"] < WIDTHS["phone"][1]  # on the first screen
    assert browser.find_element(By.CSS_SELECTOR, "details.facet-panel").get_attribute("open") is None
    screenshot(browser, "search-phone")


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(css: str) -> tuple[int, int, int]:
    parts = css[css.index("(") + 1:css.index(")")].split(",")
    return tuple(int(float(p)) for p in parts[:3])  # type: ignore[return-value]


def test_focus_ring_contrasts_at_least_three_to_one(site, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(site + "/search?q=portrait")
    wait_for(browser, ".card")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)  # the skip link
    for _ in range(30):  # the header, the search form, then the first result
        focused = browser.switch_to.active_element
        if "card-link" in (focused.get_attribute("class") or ""):
            break
        focused.send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert "card-link" in focused.get_attribute("class")
    style = browser.execute_script(
        "const s = getComputedStyle(arguments[0]); return [s.outlineStyle, s.outlineWidth, s.outlineColor,"
        " getComputedStyle(document.body).backgroundColor];", focused)
    assert style[0] == "solid" and float(style[1].removesuffix("px")) >= 2
    ring, page = _luminance(_rgb(style[2])), _luminance(_rgb(style[3]))
    assert (max(ring, page) + 0.05) / (min(ring, page) + 0.05) >= 3
    screenshot(browser, "focus")


PAGE_KINDS = {
    "home": "/", "search": "/search?q=portrait", "search-facets": "/search?type=denomination/tableau&period=century:19",
    "search-empty": "/search?q=zzzyx", "search-out-of-range": "/search?q=portrait&page=9",
    "record": "/notice/M0629/P.1850.3", "record-english": "/notice/M0629/P.1850.3?lang=en",
    "record-without-image": "/notice/M0629/P.1799.1", "museums": "/musees", "museum": "/musees/M0631",
    "exhibitions": "/expositions", "exhibition": "/expositions/paysages", "not-found": "/notice/M0629/NOPE",
}


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_axe_finds_no_wcag_violation(site, browser, kind):
    browser.get(site + PAGE_KINDS[kind])
    wait_for(browser, "main")
    violations = axe_violations(browser)
    if kind == "record":  # the open viewer is part of the page too
        from selenium.webdriver.common.by import By

        browser.find_element(By.CSS_SELECTOR, "button.zoom").click()
        wait_for(browser, '#viewer[data-state="open"]')
        violations += axe_violations(browser)
    screenshot(browser, f"axe-{kind}")
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)


# -- entity pages: person, place (with its map), concept ----------------------------------------------------

class _Tiles(http.server.BaseHTTPRequestHandler):
    """A stand-in tile server: one 256 px PNG for any /{z}/{x}/{y}.png, each request remembered."""

    tile = b""
    asked: list = []

    def do_GET(self):  # noqa: N802 - the http.server API
        if not self.path.endswith(".png"):
            self.send_error(404)
            return
        type(self).asked.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(self.tile)))
        self.end_headers()
        self.wfile.write(self.tile)

    def log_message(self, *args):
        pass


def _serve(handler) -> tuple[http.server.ThreadingHTTPServer, threading.Thread, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread, f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="module")
def entity_site(tmp_path_factory):
    """The hub with the entity records (entity_records.trig), the image of one fetched from a stand-in museum
    server, and the place map's tiles ([map] tile_url) from a stand-in tile server."""
    import dataclasses
    import io

    from PIL import Image

    from musenor.harvester.images import MuseumImageFetcher

    root = tmp_path_factory.mktemp("entity-images")
    (root / "douai").mkdir()
    Image.new("RGB", (1200, 900), (70, 110, 150)).save(root / "douai" / "E1.jpg", "JPEG")
    Image.new("RGB", (200, 150), (70, 110, 150)).save(root / "douai" / "E1-thumb.jpg", "JPEG")
    tile = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 220, 200)).save(tile, "PNG")
    _Tiles.tile, _Tiles.asked = tile.getvalue(), []
    images, images_thread, images_url = _serve(functools.partial(_Quiet, directory=str(root)))
    tiles, tiles_thread, tiles_url = _serve(_Tiles)
    data = tmp_path_factory.mktemp("browser-entities")
    config, catalogue = webcatalogue.build_catalogue(data, image_base=images_url + "/", entities=True)
    MuseumImageFetcher(data, "M0631", interval=0).fetch(images_url + "/douai/E1.jpg")
    config = dataclasses.replace(config, tables={**config.tables, "map": {
        **config.map, "tile_url": tiles_url + "/{z}/{x}/{y}.png", "attribution": "Test tiles"}})
    app = webcatalogue.make_app(config, catalogue)
    with webcatalogue.LiveServer(app) as server:
        yield server.url, tiles_url
    webcatalogue.close_app(app, catalogue)
    for server_, thread in ((images, images_thread), (tiles, tiles_thread)):
        server_.shutdown()
        thread.join(10)


def _texts(driver, css: str) -> list[str]:
    from selenium.webdriver.common.by import By

    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, css)]


def test_person_page(entity_site, browser):
    from selenium.webdriver.common.by import By

    site, _ = entity_site
    browser.get(site + "/id/agent/monet-claude-1840")
    assert wait_for(browser, "h1").text == "Monet, Claude"
    assert browser.find_element(By.CSS_SELECTOR, "dd.born time").text == "14 novembre 1840"
    assert browser.find_element(By.CSS_SELECTOR, "dd.born time").get_attribute("datetime") == "1840-11-14"
    ulan = browser.find_element(By.CSS_SELECTOR, 'a[data-authority="ULAN"]')
    assert (ulan.text, ulan.get_attribute("href")) == ("ULAN", "http://vocab.getty.edu/ulan/500019484")
    assert _texts(browser, "#works ~ .card-grid .card-title") == ["Le Pont japonais à Giverny", "Nymphéas"]
    thumb = browser.find_element(By.CSS_SELECTOR, "#works ~ .card-grid .card img")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", thumb)
    assert thumb.get_attribute("src").startswith(site + "/images/M0631/thumbs/")
    wait_for_script(browser, "return arguments[0].complete && arguments[0].naturalWidth", thumb)
    assert browser.execute_script("return arguments[0].naturalWidth", thumb) == 400
    screenshot(browser, "entity-person")


def test_place_page_map_loads_tiles_from_the_configured_server(entity_site, browser):
    from selenium.webdriver.common.by import By

    site, tiles_url = entity_site
    browser.get(site + "/id/place/giverny?lang=en")
    assert wait_for(browser, "h1").text == "Giverny"
    assert browser.find_element(By.CSS_SELECTOR, "dd.part-of").text == "Eure › Normandy"
    assert browser.find_element(By.CSS_SELECTOR, "dd.coordinates").text == "49.0758, 1.5339"
    map_element = browser.find_element(By.ID, "place-map")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", map_element)
    wait_for(browser, '#place-map[data-state="loaded"]')
    loaded = browser.find_elements(By.CSS_SELECTOR, "#place-map img.leaflet-tile-loaded")
    assert loaded and all(img.get_attribute("src").startswith(tiles_url + "/10/") for img in loaded)
    assert browser.find_element(By.CSS_SELECTOR, "#place-map .leaflet-marker-icon").get_attribute("alt") == "Giverny"
    assert "Test tiles" in browser.find_element(By.CSS_SELECTOR, ".leaflet-control-attribution").text
    assert _texts(browser, "#made ~ .card-grid .card-title") == ["The Japanese bridge at Giverny", "Water lilies"]
    screenshot(browser, "entity-place")


def test_concept_page(entity_site, browser):
    site, _ = entity_site
    browser.get(site + "/vocab/subject/paysage?lang=en")
    assert wait_for(browser, "h1").text == "landscape"
    assert _texts(browser, ".labels-by-language tbody tr") == ["English landscape", "German Landschaft",
                                                               "French paysage"]
    assert _texts(browser, "dd.narrower a") == ["garden"]
    assert _texts(browser, "#works ~ .card-grid .card-title") == ["The Japanese bridge at Giverny"]
    screenshot(browser, "entity-concept")


def wait_for_script(driver, script: str, *args, timeout: int = 20):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: d.execute_script(script, *args))


ENTITY_PAGES = {"person": "/id/agent/monet-claude-1840", "place": "/id/place/giverny",
                "place-english": "/id/place/giverny?lang=en", "concept": "/vocab/subject/paysage?lang=en",
                "record-english": "/notice/M0631/E.1?lang=en"}


@pytest.mark.parametrize("kind", list(ENTITY_PAGES))
def test_axe_finds_no_wcag_violation_on_entity_pages(entity_site, browser, kind):
    site, _ = entity_site
    browser.get(site + ENTITY_PAGES[kind])
    wait_for(browser, "main")
    if kind.startswith("place"):
        wait_for(browser, '#place-map[data-state="loaded"]')
    violations = axe_violations(browser)
    screenshot(browser, f"axe-entity-{kind}")
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)
