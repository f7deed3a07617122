"""Playwright driving Debian's Chromium, with axe-core and CSP checks.

Sync Playwright runs an event loop in the test thread, so Django's ORM refuses to work
unless DJANGO_ALLOW_ASYNC_UNSAFE is set: it is set only while a browser fixture is alive.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connections

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""

skipped_for_no_chromium = []


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in item.nodeid.split("/"):
            item.add_marker(pytest.mark.browser)


@contextmanager
def chromium_page(live_server, **context_options) -> Iterator:
    """A fresh Chromium page pointed at the live server, recording CSP violations.

    Chromium starts for each test, after the test's database setup: while Playwright's
    event loop runs, Django hands out other connection objects, so the database's
    serialized rollback would be skipped if a browser outlived one test.
    """
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required on CI: apt-get install chromium")
        skipped_for_no_chromium.append(1)
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            context = browser.new_context(base_url=live_server.url, **context_options)
            context.add_init_script(CSP_RECORDER)
            page = context.new_page()
            page.set_default_timeout(10_000)
            console_csp: list[str] = []
            page.on(
                "console",
                lambda message: (
                    console_csp.append(message.text)
                    if "Content Security Policy" in message.text
                    else None
                ),
            )
            page.console_csp = console_csp
            yield page
            context.close()
            browser.close()
            # Connections the test opened while Playwright's event loop ran belong to that
            # loop's context: close them here, or the test database cannot be dropped.
            connections.close_all()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def browser_page(live_server) -> Iterator:
    """A fresh Chromium page pointed at the live server; fails the test on CSP violations."""
    with chromium_page(live_server) as page:
        yield page


@pytest.fixture
def browser_page_without_js(live_server) -> Iterator:
    """The same, with JavaScript switched off: pages must work without it."""
    with chromium_page(live_server, java_script_enabled=False) as page:
        yield page


def axe_violations(page) -> list[dict]:
    """Run axe-core in the page and return its violations (id, impact, targets)."""
    page.evaluate(AXE_SOURCE.read_text())
    violations = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map((n) => n.target.join(" ")),
            }));
        }"""
    )
    return violations


def csp_violations(page) -> list[str]:
    return [*page.evaluate("window.__cspViolations || []"), *page.console_csp]


def assert_clean(page) -> None:
    """Zero axe-core violations and no CSP violation on the current page."""
    assert axe_violations(page) == []
    assert csp_violations(page) == []


def assert_no_horizontal_scroll(page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def pytest_terminal_summary(terminalreporter):
    if skipped_for_no_chromium:
        terminalreporter.write_line(
            f"NOTE: {len(skipped_for_no_chromium)} browser test(s) SKIPPED: Chromium is not "
            "installed (apt-get install chromium).",
            yellow=True,
        )


def fill_in_sign_in(page, username: str) -> None:
    """Fill in and send the sign-in form on the current page; wait for the home page."""
    import re

    from playwright.sync_api import expect

    from tests.factories import TEST_PASSWORD

    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Hello, "))).to_be_visible()


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    fill_in_sign_in(page, username)
