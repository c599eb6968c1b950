"""An exhibition in a real headless Chromium at a laptop's width (1366 px) and a phone's (390 px): the cover,
the sections, the full-screen sequence walked by keyboard and by swipe, the printable checklist.

Skips, saying why, without Debian's chromium and chromium-driver (as tests/test_browser.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from test_browser import CHROMEDRIVER, CHROMIUM, browser, image_server, screenshot, wait_for  # noqa: F401

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
import exhibitionsite  # noqa: E402
import webcatalogue  # noqa: E402

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                       reason="headless Chromium is not installed (apt-get install chromium chromium-driver)"),
]
WIDTHS = [(1366, 900), (390, 844)]


@pytest.fixture
def site(tmp_path, image_server):  # noqa: F811
    config, catalogue = exhibitionsite.build(tmp_path / "hub", image_base=image_server)
    app = webcatalogue.make_app(config, catalogue)
    with webcatalogue.LiveServer(app) as server:
        yield server.url
    webcatalogue.close_app(app, catalogue)


def current_image(driver) -> str:
    return driver.execute_script("return document.querySelector('dialog.slideshow img').getAttribute('src')")


def dialog_open(driver) -> bool:
    return driver.execute_script("return document.querySelector('dialog.slideshow').open")


@pytest.mark.parametrize("width, height", WIDTHS)
def test_the_exhibition_reads_without_sideways_scrolling(site, browser, width, height):  # noqa: F811
    from selenium.webdriver.common.by import By

    browser.set_window_size(width, height)
    browser.get(site + "/expositions/nord")
    assert wait_for(browser, "h1").text == "Lumières du Nord"
    assert [h.text for h in browser.find_elements(By.CSS_SELECTOR, ".exhibition-section h2")] == [
        "Paysages", "Intérieurs"]
    cover = browser.find_element(By.CSS_SELECTOR, ".exhibition-cover img")
    assert browser.execute_script("return arguments[0].naturalWidth", cover) == 480
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(browser, f"exhibition-{width}")


@pytest.mark.parametrize("width, height", WIDTHS)
def test_the_full_screen_sequence_follows_the_keyboard(site, browser, width, height):  # noqa: F811
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.set_window_size(width, height)
    browser.get(site + "/expositions/nord")
    wait_for(browser, ".slideshow-open").click()
    assert dialog_open(browser)
    assert current_image(browser).endswith("/lille/P.1850.3.jpg")
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()
    assert current_image(browser).endswith("/douai/D17.jpg")
    assert "Une campagne flamande" in browser.find_element(By.CSS_SELECTOR, "dialog.slideshow figcaption").text
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()
    assert current_image(browser).endswith("/lille/P.1850.3.jpg")  # after the last comes the first
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    assert not dialog_open(browser)
    assert browser.switch_to.active_element.get_attribute("class") == "slideshow-open"


def test_the_full_screen_sequence_follows_a_swipe(site, browser):  # noqa: F811
    browser.set_window_size(390, 844)
    browser.get(site + "/expositions/nord")
    wait_for(browser, ".slideshow-open").click()
    swipe = """
      const dialog = document.querySelector('dialog.slideshow');
      function touch(type, x) {
        const point = new Touch({identifier: 1, target: dialog, clientX: x, clientY: 300});
        const touches = type === 'touchstart' ? [point] : [];
        dialog.dispatchEvent(new TouchEvent(type, {changedTouches: [point], touches: touches, bubbles: true}));
      }
      touch('touchstart', arguments[0]); touch('touchend', arguments[1]);"""
    browser.execute_script(swipe, 300, 100)  # right to left: the next image
    assert current_image(browser).endswith("/douai/D17.jpg")
    browser.execute_script(swipe, 100, 300)
    assert current_image(browser).endswith("/lille/P.1850.3.jpg")
    browser.execute_script(swipe, 100, 120)  # a small drag is not a swipe
    assert current_image(browser).endswith("/lille/P.1850.3.jpg")


@pytest.mark.parametrize("width, height", WIDTHS)
def test_the_checklist_and_the_index(site, browser, width, height):  # noqa: F811
    from selenium.webdriver.common.by import By

    browser.set_window_size(width, height)
    browser.get(site + "/expositions/nord/liste")
    rows = browser.find_elements(By.CSS_SELECTOR, "tbody tr td:first-child")
    assert [r.text for r in rows] == ["1", "2", "3"]
    browser.get(site + "/expositions")
    assert "Lumières du Nord" in wait_for(browser, "#group-past").find_element(By.XPATH, "..").text
