"""Fixtures of the browser journeys: one headless Chromium per test, and a French page in it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections

from tests.e2e.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, LAPTOP, new_page, playwright_sync


@pytest.fixture
def browser(browser_env: None) -> Iterator[Any]:
    """Debian's Chromium; a journey with several users opens a context each with `new_page`."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make chromium` installs Debian's Chromium")
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright_sync.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        yield chromium
        chromium.close()
    # ORM calls made while Playwright's loop runs open connections of their own; close
    # them here, or PostgreSQL refuses to drop the test database ("being accessed").
    connections.close_all()


@pytest.fixture
def viewport() -> dict[str, int]:
    """The screen size of `page`; a journey module overrides this fixture to change it."""
    return LAPTOP


@pytest.fixture
def page(browser: Any, viewport: dict[str, int]) -> Iterator[Any]:
    page = new_page(browser, viewport)
    yield page
    page.context.close()
