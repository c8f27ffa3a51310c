"""Contract: a real browser (headless chromium) can use the app: register, add a note, log out."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from actions import new_account
from support import chrome

clause = pytest.mark.clause


@pytest.fixture()
def browser():
    driver = chrome.start()
    yield driver
    chrome.stop(driver)


def fill_and_submit(driver, action_path, values_by_kind):
    """Type into the form posting to ``action_path`` (values per field kind, in order), submit
    it, and wait until the browser has left this page and loaded the next one."""
    from selenium.webdriver.common.by import By

    forms = [
        f
        for f in driver.find_elements(By.TAG_NAME, "form")
        if urlsplit(f.get_attribute("action")).path == action_path
    ]
    assert forms, f"no form posting to {action_path} on {driver.current_url}"
    form = forms[0]
    for kind, values in values_by_kind.items():
        selector = "textarea" if kind == "textarea" else f"input[type={kind}]"
        fields = form.find_elements(By.CSS_SELECTOR, selector)
        assert len(fields) == len(values), f"{action_path}: {len(fields)} {kind} fields"
        for field, value in zip(fields, values, strict=True):
            field.clear()
            field.send_keys(value)
    click_and_wait(
        driver, form.find_element(By.CSS_SELECTOR, "button[type=submit], input[type=submit]")
    )


def click_and_wait(driver, element):
    """Click ``element`` and wait until the browser has left this page and fully loaded the
    next one (the URL alone changes before the new document is ready)."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    old_page = driver.find_element(By.TAG_NAME, "html")

    def left_the_page(_):
        try:
            old_page.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            # Chrome, asked about the old page while it is being replaced, says its node "does
            # not belong to the document": gone, as stale is.
            if "does not belong to the document" in (error.msg or ""):
                return True
            raise
        return False

    element.click()
    wait = WebDriverWait(driver, 30)
    wait.until(left_the_page)
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")


def wait_for_path(driver, path):
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 30).until(lambda d: urlsplit(d.current_url).path == path)


@clause("§1 Routes", "a real browser registers, adds a note and logs out")
def test_a_real_browser_registers_adds_a_note_and_logs_out(deployment, browser):
    from selenium.webdriver.common.by import By

    account = new_account("browser")
    browser.get(f"{deployment.url}/")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "a[href$='/auth/register']"))
    wait_for_path(browser, "/auth/register")
    fill_and_submit(
        browser,
        "/auth/register",
        {
            "text": [account.username],
            "email": [account.email],
            "password": [account.password, account.password],
        },
    )
    wait_for_path(browser, "/notes")
    fill_and_submit(
        browser,
        "/notes",
        {"text": ["Bought by a browser"], "textarea": ["<em>typed</em> in chromium"]},
    )
    wait_for_path(browser, "/notes")
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "Bought by a browser" in page, "the note added in chromium is not shown"
    assert "<em>typed</em> in chromium" in page, "the note's body is not shown as text"
    assert account.username in page, "the notes page does not show the username"
    if os.environ.get("WEBCUTTER_SCREENSHOTS"):  # a folder: keep what each skeleton looks like
        folder = Path(os.environ["WEBCUTTER_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(folder / f"{deployment.framework}-{deployment.database}.png"))
    browser.get(f"{deployment.url}/")
    fill_and_submit(browser, "/auth/logout", {})
    wait_for_path(browser, "/")
    assert browser.find_elements(By.CSS_SELECTOR, "a[href$='/auth/login']"), (
        "after logging out in chromium the home page has no link to /auth/login"
    )
    browser.get(f"{deployment.url}/notes")
    wait_for_path(browser, "/auth/login")
