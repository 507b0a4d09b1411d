"""The practitioner finds a patient on the worklist, at a desk and on a small tablet/phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import LiveApp, check_page, log_in


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_practitioner_searches_and_sorts_the_worklist(
    live_app: LiveApp, width: str, request: pytest.FixtureRequest
) -> None:
    page: Page = request.getfixturevalue(width)
    log_in(page, live_app, "lin@demo.example", "acurelief-demo")
    assert page.url.endswith("/patients")
    rows = page.locator("table.worklist tbody tr")
    assert rows.count() == live_app.demo.patients
    check_page(page, "worklist")
    page.get_by_label("Search by name").fill("berg")
    page.get_by_label("Sort by").select_option("last_session")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert rows.count() == 1
    assert "Anna Berg" in rows.first.inner_text()
    check_page(page, "worklist-search")
    rows.first.get_by_role("link", name="Anna Berg").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Anna Berg").first.is_visible()
