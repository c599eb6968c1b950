"""The public pages in a real headless Chromium: search, facet, open a record, follow to its Turtle.

Needs Debian's ``chromium`` and ``chromium-driver`` (/usr/bin/chromium, /usr/bin/chromedriver); skips,
saying so, where they are absent. Screenshots are kept in tests/artifacts/ (git-ignored).
"""

import functools
import http.server
import shutil
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
import webcatalogue  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).parent / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]
IMAGES = {"lille/P.1850.3.jpg": (190, 140, 90), "lille/P.1850.3-thumb.jpg": (190, 140, 90),
          "roubaix/T204.jpg": (60, 110, 160), "douai/D17.jpg": (80, 120, 70), "douai/D17-thumb.jpg": (80, 120, 70)}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                       reason="headless Chromium is not installed (apt-get install chromium chromium-driver)"),
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # noqa: D401 - keep test output clean
        pass


@pytest.fixture
def image_server(tmp_path):
    """The museums' image server, stood in for by a local one serving generated pictures."""
    from PIL import Image, ImageDraw

    root = tmp_path / "images"
    for name, colour in IMAGES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        picture = Image.new("RGB", (480, 360), colour)
        draw = ImageDraw.Draw(picture)
        for i in range(0, 480, 40):
            draw.line([(i, 360), (i + 120, 0)], fill=tuple(min(255, c + 40) for c in colour), width=8)
        picture.save(path, "JPEG")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture
def site(tmp_path, image_server):
    config, catalogue = webcatalogue.build_catalogue(tmp_path / "data", image_base=image_server)
    app = webcatalogue.make_app(config, catalogue)
    with webcatalogue.LiveServer(app) as server:
        yield server.url
    webcatalogue.close_app(app, catalogue)


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    options.add_argument("--window-size=1280,900")
    options.add_argument("--lang=fr-FR")  # a French reader: the pages answer in French
    options.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(tmp_path / "chromium-profile", ignore_errors=True)


def wait_for(driver, css: str, text: str | None = None):
    """The element once the page that has it is loaded (a click or a submit navigates asynchronously)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def found(d):
        elements = d.find_elements(By.CSS_SELECTOR, css)
        return elements[0] if elements and (text is None or elements[0].text == text) else False

    return WebDriverWait(driver, 15).until(found)


def screenshot(driver, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    width = driver.execute_script("return window.innerWidth")
    driver.set_window_size(max(width, 360), min(max(height, 600), 4000))
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def test_search_facet_record_turtle(site, browser):
    from selenium.webdriver.common.by import By

    browser.get(site + "/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Musenor (test)"
    screenshot(browser, "01-home")

    box = browser.find_element(By.ID, "q")
    box.send_keys("eglise")
    box.submit()
    assert wait_for(browser, "#result-count", "2 résultats")
    cards = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".card-title")]
    assert cards == ["Paysage flamand avec église", "Vue de l'église Saint-Maurice"]
    thumbs = browser.find_elements(By.CSS_SELECTOR, ".card img")
    # both results have an image, each served as a 480-pixel thumbnail
    assert [browser.execute_script("return arguments[0].naturalWidth", img) for img in thumbs] == [480, 480]
    screenshot(browser, "02-search")

    museum_facet = browser.find_element(By.CSS_SELECTOR, '[data-facet="museum"]')
    museum_facet.find_element(By.PARTIAL_LINK_TEXT, "Chartreuse").click()
    assert wait_for(browser, "#result-count", "1 résultat")
    assert browser.find_element(By.CSS_SELECTOR, ".facet-value.selected").text.startswith("Musée de la Chartreuse")
    screenshot(browser, "03-facet")

    browser.find_element(By.CSS_SELECTOR, ".card-link").click()
    assert wait_for(browser, "h1", "Paysage flamand avec église")
    assert "Brueghel, Jan l'Ancien" in browser.find_element(By.CSS_SELECTOR, ".record-creator").text
    screenshot(browser, "04-record")

    browser.set_window_size(390, 844)
    screenshot(browser, "05-record-mobile")
    browser.set_window_size(1280, 900)

    browser.find_element(By.CSS_SELECTOR, 'a[data-format="ttl"]').click()
    wait_for(browser, "pre")  # Chromium shows a text/* document in a <pre>
    assert browser.current_url == site + "/id/record/M0631/D.17?format=ttl"
    turtle = browser.find_element(By.TAG_NAME, "body").text
    assert 'dc:title "Paysage flamand avec église"@fr' in turtle
    screenshot(browser, "06-turtle")


def test_an_image_that_fails_to_load_gives_way_to_the_placeholder(site, browser, tmp_path):
    from selenium.webdriver.common.by import By

    (tmp_path / "images" / "lille" / "P.1850.3.jpg").unlink()  # the museum moved its picture
    (tmp_path / "images" / "lille" / "P.1850.3-thumb.jpg").unlink()  # and the thumbnail the page shows
    browser.get(site + "/notice/M0629/P.1850.3")
    placeholder = wait_for(browser, ".record-image .no-image", "Pas d'image")
    assert placeholder.is_displayed()
    assert not browser.find_element(By.CSS_SELECTOR, ".record-image img").is_displayed()
    assert browser.find_elements(By.CSS_SELECTOR, ".record-image a.image-link") == []  # no link to nothing
    screenshot(browser, "08-record-image-gone")


def test_english_pages(site, browser):
    from selenium.webdriver.common.by import By

    browser.get(site + "/search?q=eglise")
    browser.find_element(By.LINK_TEXT, "English").click()
    assert wait_for(browser, "#result-count", "2 results")
    assert browser.find_element(By.CSS_SELECTOR, '[data-facet="type"] .facet-label').text == "painting"
    screenshot(browser, "07-search-english")


# -- the SPARQL query editor (YASGUI) ------------------------------------------------------------------

WORKS_PER_MUSEUM_CSV = ("museum,name,works\r\n"
                        "http://hub.test/id/museum/M0629,Palais des Beaux-Arts de Lille,2\r\n"
                        "http://hub.test/id/museum/M0630,\"La Piscine, musée d'Art et d'Industrie André Diligent\",2\r\n"
                        "http://hub.test/id/museum/M0631,\"Musée de la Chartreuse, Douai\",1\r\n")
WORKS_PER_MUSEUM_ROWS = [["museum:M0629", '"Palais des Beaux-Arts de Lille"@fr', '"2"^^xsd:integer'],
                         ["museum:M0630", '"La Piscine, musée d\'Art et d\'Industrie André Diligent"@fr', '"2"^^xsd:integer'],
                         ["museum:M0631", '"Musée de la Chartreuse, Douai"@fr', '"1"^^xsd:integer']]
RECORD_CSP_VIOLATIONS = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
                         "e => window.__csp.push([e.violatedDirective, e.sourceFile, e.lineNumber]));")


def open_editor(browser, url: str):
    """The query page with its editor started; CSP violations are recorded from the first byte."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_CSP_VIOLATIONS})
    browser.get(url)
    WebDriverWait(browser, 15).until(lambda d: d.execute_script("return !!window.musenorYasgui"))


def run_and_wait(browser):
    from selenium.webdriver.common.by import By

    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    wait_for(browser, '#yasgui[data-state="answered"] .yasr table tbody tr')


def result_rows(browser) -> list[list[str]]:
    from selenium.webdriver.common.by import By

    # textContent, not the rendered text: a narrow column may ellipse the language tag away.
    return [[td.get_attribute("textContent") for td in tr.find_elements(By.CSS_SELECTOR, "td")][1:]  # 1st: row number
            for tr in browser.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr")]


def test_query_editor_runs_an_example_with_prefixed_names_and_hub_links(site, browser):
    from selenium.webdriver.common.by import By

    open_editor(browser, site + "/sparql")
    browser.find_element(By.CSS_SELECTOR, 'a[data-example="works-per-museum"]').click()
    assert browser.execute_script("return window.musenorYasgui.getTab().getQuery()").startswith("PREFIX edm:")
    run_and_wait(browser)
    assert result_rows(browser) == WORKS_PER_MUSEUM_ROWS
    link = browser.find_element(By.CSS_SELECTOR, ".yasr table tbody tr td a.iri")
    assert (link.text, link.get_attribute("href")) == ("museum:M0629", "http://hub.test/id/museum/M0629")
    screenshot(browser, "08-sparql-editor")
    # Offline and inside the page's policy: every request went to this hub, nothing was refused.
    requests = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert requests and all(url.startswith(site + "/") for url in requests), requests
    assert browser.execute_script("return window.__csp") == []


def test_query_editor_downloads_the_results_as_csv(site, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    open_editor(browser, site + "/sparql")
    browser.find_element(By.CSS_SELECTOR, 'a[data-example="works-per-museum"]').click()
    run_and_wait(browser)
    assert [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#sparql-downloads a[data-download]")] == [
        "CSV", "TSV", "JSON"]
    browser.find_element(By.CSS_SELECTOR, '#sparql-downloads a[data-download="csv"]').click()
    target = downloads / "musenor-results.csv"
    WebDriverWait(browser, 15).until(lambda d: target.exists() and target.stat().st_size > 0)
    assert target.read_bytes().decode("utf-8") == WORKS_PER_MUSEUM_CSV


def test_query_editor_permalink_reloads_and_runs_the_query(site, browser):
    from selenium.webdriver.common.by import By

    open_editor(browser, site + "/sparql")
    browser.find_element(By.CSS_SELECTOR, 'a[data-example="works-per-museum"]').click()
    query = browser.execute_script("return window.musenorYasgui.getTab().getQuery()")
    permalink = browser.find_element(By.ID, "sparql-permalink").get_attribute("href")
    assert permalink.startswith(site + "/sparql#query=")
    browser.execute_script("localStorage.clear()")  # a reader who never saw this query
    browser.get("about:blank")
    open_editor(browser, permalink)
    wait_for(browser, '#yasgui[data-state="answered"] .yasr table tbody tr')
    assert browser.execute_script("return window.musenorYasgui.getTab().getQuery()") == query
    assert result_rows(browser) == WORKS_PER_MUSEUM_ROWS


def test_query_page_without_script_still_answers_with_a_table(site, browser):
    from selenium.webdriver.common.by import By

    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    browser.get(site + "/sparql?example=works-per-museum")
    browser.find_element(By.CSS_SELECTOR, ".editor button[type=submit]").click()
    wait_for(browser, ".results th")
    headers = [th.text for th in browser.find_elements(By.CSS_SELECTOR, ".results th")]
    assert headers == ["?museum", "?name", "?works"]
    assert len(browser.find_elements(By.CSS_SELECTOR, ".results tbody tr")) == 3
