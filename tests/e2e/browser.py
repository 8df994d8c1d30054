"""What the browser journeys share: Debian's Chromium driven by Playwright, logging in through the
form, screenshots in test-artifacts/, and a few steps several journeys take the same way.
The fixtures built on these (`browser`, `viewport`, `page`) live in conftest.py."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.factories import PASSWORD

if TYPE_CHECKING:
    from jalon.projects.models import Task

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

# Debian's package (`make chromium`): Playwright never downloads a browser here.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

LAPTOP = {"width": 1280, "height": 860}
# The planning pages (Gantt, timesheet, status report) are screenshot on a wider screen.
WIDE = {"width": 1360, "height": 900}


def new_page(browser: Any, viewport: dict[str, int]) -> Any:
    """A page in a fresh context (its own cookies, so its own logged-in user), in French."""
    context = browser.new_context(locale="fr-FR", viewport=viewport, accept_downloads=True)
    return context.new_page()


def fill_login_form(page: Any, username: str, password: str = PASSWORD) -> None:
    """Log in on the login page the browser is showing."""
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def log_in(page: Any, live_server: Any, username: str, password: str = PASSWORD, *, path: str = "/connexion/") -> None:
    """Open `path` (the login page, or a page that sends an anonymous visitor to it) and log in;
    after login the application returns to `path`."""
    page.goto(live_server.url + path)
    fill_login_form(page, username, password)


def shot(page: Any, name: str) -> None:
    """Save the whole page as test-artifacts/<name>.png."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def wait_for_htmx(page: Any) -> None:
    """htmx is loaded with `defer`: it may run a moment after the text is on screen."""
    try:
        page.wait_for_function("() => typeof window.htmx === 'object'", timeout=5000)
    except playwright_sync.TimeoutError:
        pytest.fail("htmx is not served: `make static` copies it from node_modules into jalon/static/vendor/")


def add_requirement(page: Any, title: str, priority: str, criteria: str) -> None:
    """Add a requirement on the cahier des charges page (the first one's form is already open)."""
    form = page.locator("#exigences form").last
    if not form.is_visible():
        page.get_by_text("Ajouter une exigence").click()
    form.get_by_label("Intitulé").fill(title)
    form.get_by_label("Priorité MoSCoW").select_option(label=priority)
    form.get_by_label("Critères d'acceptation").fill(criteria)
    form.get_by_role("button", name="Ajouter l'exigence").click()
    expect(page.locator("#exigences tbody")).to_contain_text(title)


def add_person_with_skill(page: Any, first_name: str, last_name: str, job_title: str, skill: str, level: int) -> None:
    """On the Équipe page: add a collaborator, then give them `skill` at `level` on their page."""
    page.get_by_text("Ajouter un collaborateur").click()
    page.get_by_label("Prénom").fill(first_name)
    page.get_by_label("Nom", exact=True).fill(last_name)
    page.get_by_label("Métier").fill(job_title)
    page.get_by_role("button", name="Ajouter le collaborateur").click()
    expect(page.get_by_role("heading", name=f"{first_name} {last_name}")).to_be_visible()
    page.get_by_label("Compétence").select_option(label=skill)
    page.get_by_label("Niveau").fill(str(level))
    page.get_by_role("button", name="Ajouter ou modifier").click()
    expect(page.locator("#competences")).to_contain_text(f"niveau {level}/5")


def gantt_bar_title(task: Task) -> str:
    """What the Gantt bar's <title> says of a planned task, in the engine's dates."""
    if task.is_milestone:
        return f"{task.name}\nJalon le {task.start:%d/%m/%Y}"
    return f"{task.name}\nDu {task.start:%d/%m/%Y} au {task.finish:%d/%m/%Y}"


def download_to(link: Any, to: Path) -> Path:
    """Click `link` (a locator) and save the file the server sends as `to`."""
    with link.page.expect_download() as download:
        link.click()
    download.value.save_as(to)
    return to


def pdf_text(pdf: Path) -> str:
    """The PDF's text as poppler's pdftotext lays it out."""
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
