"""The practitioner reads an identified half-life, its booking date and its caveat on the
dashboard, at desktop and phone widths."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page

from acurelief.analysis.prevention import CAVEAT_CAUSE
from acurelief.domain import Patient, Sex
from tests.api.carry_over_data import diary, store
from tests.browser.conftest import LiveApp, check_page, log_in


def _patient_with_carry_over(app: LiveApp, email: str) -> int:
    """A new patient of the practitioner with ``email``, whose diary identifies a half-life."""
    with app.uow_factory() as uow:
        found = uow.users.credentials(email)
        assert found is not None
        patient = uow.patients.add(
            Patient(
                clinic_id=found.user.clinic_id,
                practitioner_id=found.user.id,
                name="Carry Over",
                date_of_birth=dt.date(1980, 4, 2),
                sex=Sex.FEMALE,
                time_zone="Europe/London",
            )
        )
        uow.commit()
    assert patient.id is not None
    store(app.uow_factory, patient.id, found.user.id, diary(-1.2))
    return patient.id


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_dashboard_shows_the_half_life_with_its_caveat(
    live_app: LiveApp, width: str, request: pytest.FixtureRequest
) -> None:
    page: Page = request.getfixturevalue(width)
    login = next(s for s in live_app.demo.logins if s.email.startswith("lin@"))
    pid = _patient_with_carry_over(live_app, login.email)
    log_in(page, live_app, login.email, login.password)
    page.goto(f"{live_app.url}/patients/{pid}")
    stat = page.locator("ul.stats > li", has_text="half-life of a session's protection")
    assert stat.count() == 1
    text = stat.inner_text()
    assert "95% CI" in text
    assert "book by" in text
    assert "(passed)" in text  # the course ended in March; today is 15 June
    assert CAVEAT_CAUSE in " ".join(text.split())
    assert stat.is_visible()
    check_page(page, "dashboard-half-life")
