"""The admin looks up who saw a patient's record, and exports it, at a desk and on a phone."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import LiveApp, check_page, log_in


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_admin_filters_the_audit_by_patient_and_exports_it(
    live_app: LiveApp, width: str, request: pytest.FixtureRequest
) -> None:
    page: Page = request.getfixturevalue(width)
    log_in(page, live_app, "admin@demo.example", "acurelief-demo")
    page.goto(f"{live_app.url}/patients")
    first = page.locator("table.worklist tbody tr").first.get_by_role("link").first
    match = re.search(r"/patients/(\d+)$", first.get_attribute("href") or "")
    assert match is not None
    patient_id = match.group(1)
    first.click()  # a read of that patient's record, to be found in the audit
    page.wait_for_load_state()

    page.get_by_role("link", name="Audit").click()
    page.wait_for_load_state()
    check_page(page, "audit")
    page.get_by_label("Patient id").fill(patient_id)
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert f"patient_id={patient_id}" in page.url
    rows = page.locator("table.audit tbody tr")
    assert rows.count() >= 1
    patients = {
        rows.nth(i).locator('td[data-label="Patient"]').inner_text() for i in range(rows.count())
    }
    assert patients == {patient_id}
    check_page(page, "audit-patient")

    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    text = download.value.path().read_text(encoding="utf-8")
    exported = list(csv.DictReader(io.StringIO(text)))
    assert len(exported) >= rows.count()
    assert {r["patient_id"] for r in exported} == {patient_id}
    assert "read" in {r["action"] for r in exported}
    assert {r["channel"] for r in exported} >= {"web"}
