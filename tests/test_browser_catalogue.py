"""The public catalogue in headless Chromium at 1366 and 390 px wide: stemmed search, merged facets ORed
within a facet, the zoom viewer loading the IIIF manifest, the phone layout, the focus ring, and axe-core
(vendored from npm, tests/vendor/axe-core) finding no WCAG 2.1 A/AA violation on any page kind.

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
