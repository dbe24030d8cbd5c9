"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright against the running app."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the tests still talk to
# the database synchronously to arrange data, which Django allows with this switch.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Every browser test logs in from 127.0.0.1: without a fresh cache, a worker that ran many
    of them would reach allauth's limit of logins per minute and be sent back to the login page."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make test`, which installs it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-CA")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def log_in_as(page):
    """Log in through the real login page, as a person would."""
    from laurier.testing.factories import PASSWORD

    def log_in(user):
        page.goto("/accounts/login/")
        page.fill("input[name=login]", user.email)
        page.fill("input[name=password]", PASSWORD)
        # Wait for the login's own navigation: a page opened before it lands would cancel it.
        with page.expect_navigation():
            page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state()
        return page

    return log_in
