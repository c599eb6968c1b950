"""The admin area in a real headless Chromium: sign in, find the failed museum, ask for a source check,
see the scheduler's answer.

Needs Debian's ``chromium`` and ``chromium-driver``; skips, saying so, where they are absent. Screenshots are
kept in tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from musenor.catalogue import Catalogue, load_config
from fixtures.admin_hub import PASSWORD, harvested_hub
from musenor.oai_server import create_app
from test_browser import CHROMEDRIVER, CHROMIUM, browser, screenshot, wait_for  # noqa: F401 - the fixture

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
from webcatalogue import LiveServer  # noqa: E402

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                       reason="headless Chromium is not installed (apt-get install chromium chromium-driver)"),
]


@pytest.fixture
def admin_site(tmp_path):
    config = load_config(harvested_hub(tmp_path))
    catalogue = Catalogue(config.data_dir, open_graph=False)
    with LiveServer(create_app(config, catalogue)) as server:
        yield config, server.url
    catalogue.close()


def test_sign_in_look_at_a_failed_museum_and_ask_for_a_source_check(admin_site, browser):  # noqa: F811
    from selenium.webdriver.common.by import By

    from musenor.harvester import load_vocabularies
    from musenor.harvester.scheduler import answer_requests

    config, site = admin_site
    browser.get(site + "/admin/")
    wait_for(browser, "form.login")
    assert browser.current_url == site + "/admin/login?next=/admin/"
    browser.find_element(By.ID, "user").send_keys("admin")
    browser.find_element(By.ID, "password").send_keys("not the password")
    browser.find_element(By.CSS_SELECTOR, "form.login button").click()
    assert wait_for(browser, "#login-error", "Wrong user name or password.")
    browser.find_element(By.ID, "user").send_keys("admin")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.login button").click()

    wait_for(browser, "#museums")
    assert browser.find_element(By.ID, "admin-user").text == "admin"
    statuses = {row.get_attribute("data-museum"): row.find_element(By.CSS_SELECTOR, "td[class^=status]").text
                for row in browser.find_elements(By.CSS_SELECTOR, "#museums tbody tr")}
    assert statuses == {"M0619": "succeeded", "M0634": "failed", "M0650": "succeeded"}
    screenshot(browser, "admin-01-museums")

    browser.find_element(By.LINK_TEXT, "M0634").click()
    wait_for(browser, "h1", "M0634 La Piscine, Roubaix")
    assert "not-delivered.zip does not exist" in browser.find_element(By.CSS_SELECTOR, "#runs tbody tr").text
    browser.get(site + "/admin/museums/M0650")
    wait_for(browser, "h1", "M0650 Musée de l'hôtel Sandelin, Saint-Omer")
    browser.find_element(By.CSS_SELECTOR, 'button[data-action="check"]').click()
    notice = wait_for(browser, "#requested")
    assert notice.text.startswith("Request ") and notice.text.endswith(" is waiting for the scheduler.")
    assert browser.find_element(By.CSS_SELECTOR, ".requests tbody tr td.status-pending").text == "pending"
    screenshot(browser, "admin-02-check-asked")

    # what `musenor schedule` does every few seconds, done here once
    assert answer_requests(config, lambda code, full: None, lambda line: None, load_vocabularies(config)) == 1
    browser.refresh()
    row = wait_for(browser, ".requests tbody tr")
    cells = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
    assert (cells[1], cells[2], cells[4], cells[5]) == (
        "Check source", "admin", "done", "ready: 5 of 5 sample records map and validate")
    assert browser.find_elements(By.ID, "requested") == []  # the notice went with the wait
    screenshot(browser, "admin-03-check-done")

    browser.find_element(By.CSS_SELECTOR, "header form button").click()
    wait_for(browser, "form.login")
    browser.get(site + "/admin/")
    wait_for(browser, "form.login")  # signed out: back to the login form
