"""The patient dashboard (GET /patients/{id}) as a practitioner reads it, on both databases."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from fastapi.testclient import TestClient

from acurelief.outcomes.questionnaires import PHQ9_ITEM9_ALERT
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.api.dashboard_data import course, phq9
from tests.api.forms import login
from tests.conftest import PASSWORD, World

CELL = re.compile(
    r'<td class="(?P<css>[^"]*)"(?P<focus> tabindex="0")? aria-label="(?P<label>[^"]*)"[^>]*>'
    r'<span class="d" aria-hidden="true">(?P<day>\d+)</span>'
    r'<span class="p" aria-hidden="true">(?P<text>[^<]*)</span>'
)


def _text(page: str) -> str:
    """The page as words: no SVG, no tags, entities decoded, spaces collapsed."""
    page = re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def _staff(client: TestClient, world: World) -> None:
    login(client, world.personas["practitioner_a"].email, PASSWORD)


def _page(client: TestClient, pid: int, query: str = "") -> str:
    response = client.get(f"/patients/{pid}{query}")
    assert response.status_code == 200, response.text[:500]
    return response.text


def _verdict(page: str) -> str:
    found = re.search(r'<p class="verdict ([a-z-]+)" id="verdict">([^<]+)</p>', page)
    assert found is not None
    return html.unescape(found.group(2))


@pytest.mark.parametrize(
    ("baseline_every", "after_every", "headline", "css"),
    [
        (2, 7, "Fewer headache days than before treatment", "fewer"),
        (2, 2, "No clear change yet", "no-clear-change"),
        (7, 2, "More headache days than before treatment", "more"),
    ],
)
def test_the_verdict_follows_the_rate_ratio_interval(
    client: TestClient,
    uow_factory: SqlUnitOfWorkFactory,
    world: World,
    baseline_every: int,
    after_every: int,
    headline: str,
    css: str,
) -> None:
    pid = course(uow_factory, world, baseline_every=baseline_every, after_every=after_every)
    _staff(client, world)
    page = _page(client, pid)
    verdict = _verdict(page)
    assert verdict.startswith(headline)
    assert f'class="verdict {css}"' in page
    # The verdict, the figures and the ratio all rest on the same two windows.
    words = _text(page)
    figures = re.search(
        r"Headache days per 28 days: ([\d.]+) at baseline \(28 of 28 days recorded, "
        r"24 Feb – 23 Mar 2026\) → ([\d.]+) in weeks 1–12 \(83 of 84 days recorded, "
        r"24 Mar – 15 Jun 2026\)\.",
        words,
    )
    assert figures is not None, words[:1500]
    ratio = re.search(
        r"Rate ratio weeks 1–12 vs baseline ([\d.]+) \(95% CI ([\d.]+)–([\d.]+);", words
    )
    assert ratio is not None
    base, treated = float(figures.group(1)), float(figures.group(2))
    estimate, low, high = (float(ratio.group(i)) for i in (1, 2, 3))
    assert treated / base == pytest.approx(estimate, abs=0.01)
    assert f"95% CI {ratio.group(2)}–{ratio.group(3)}" in verdict
    assert (high < 1) == (css == "fewer")
    assert (low > 1) == (css == "more")
    assert "regression to the mean" in words
    assert "placebo" in words


def test_every_figure_names_its_window(
    client: TestClient, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = course(uow_factory, world)
    _staff(client, world)
    words = _text(_page(client, pid))
    assert "14.0 at baseline (28 of 28 days recorded, 24 Feb – 23 Mar 2026)" in words
    assert "4.0 in weeks 1–12 (83 of 84 days recorded, 24 Mar – 15 Jun 2026)" in words
    assert "Rate ratio weeks 1–12 vs baseline 0.29" in words
    assert (
        "Latest complete 4 weeks (weeks 9–12, 19 May – 15 Jun 2026): 4.1 headache days per 28 "
        "(27 of 28 days recorded)." in words
    )
    # Each key figure says what it counts and the days it rests on.
    assert "14.0 headache days / 28, baseline 24 Feb – 23 Mar 2026 · 28 of 28 days" in words
    assert "4.0 headache days / 28, weeks 1–12 24 Mar – 15 Jun 2026 · 83 of 84 days" in words
    assert "3.0 points less pain just after a session" in words
    assert "27/28 diary days recorded last 28 days, 19 May – 15 Jun 2026" in words
    # The table of windows: each row with its dates and recorded days.
    assert "baseline 24 Feb – 23 Mar 2026 28 of 28 14.0" in words
    assert "weeks 9–12 19 May – 15 Jun 2026 27 of 28 4.1" in words


def test_without_enough_baseline_the_verdict_says_what_is_missing(
    client: TestClient, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = course(uow_factory, world, baseline_recorded=10)
    _staff(client, world)
    page = _page(client, pid)
    assert _verdict(page).startswith(
        "Not enough diary yet: 10 of 28 baseline days recorded (21 needed)"
    )
    words = _text(page)
    assert "at baseline (10 of 28 days recorded, 24 Feb – 23 Mar 2026)" in words
    assert "Rate ratio weeks 1–12" not in words
    assert "baseline: 10 of 28 days recorded, 23 needed" in words


def test_without_a_session_there_is_no_baseline_yet(
    client: TestClient, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = course(uow_factory, world, sessions=False)
    _staff(client, world)
    page = _page(client, pid)
    assert _verdict(page).startswith("No treatment session yet")
    words = _text(page)
    assert "No sessions recorded." in words
    assert "27/28 diary days recorded" in words
    assert 'id="headache-chart"' in page  # the diary is charted all the same


def test_the_charts_are_figures_labelled_by_their_captions(
    client: TestClient, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = course(uow_factory, world)
    phq9(uow_factory, pid, dt.date(2026, 3, 20), 2, 0)
    phq9(uow_factory, pid, dt.date(2026, 6, 12), 1, 0)
    _staff(client, world)
    page = _page(client, pid)
    for name in ("headache", "medication", "pain", "mood", "scores"):
        figure = re.search(
            rf'<figure class="card chart-card" id="{name}-chart">(.*?)</figure>', page, re.S
        )
        assert figure is not None, name
        body = figure.group(1)
        assert f'aria-describedby="{name}-chart-caption"' in body, name  # the image's text
        caption = re.search(rf'<figcaption id="{name}-chart-caption">([^<]+)</figcaption>', body)
        assert caption is not None, name
        assert len(caption.group(1)) > 40, name
    words = _text(page)
    assert "Baseline: 14.0; the dotted line is half of it (7.0)" in words
    assert "Ticks along the bottom: 12 sessions, 24 Mar – 9 Jun 2026" in words
    assert "on average 3.0 points lower after" in words
    assert "a meaningful drop (≥2 points and ≥30%) in 12 of 12" in words
    assert "PHQ-9: 16 (moderately severe) on 20 Mar 2026 → 8 (mild) on 12 Jun 2026" in words
    assert "ICHD-3 8.2" in words
    # No id twice.
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def _month_links(page: str) -> dict[str, str]:
    found = re.findall(r'<a href="\?month=(\d{4}-\d\d)#calendar" rel="(prev|next)"', page)
    return {rel: month for month, rel in found}


def test_the_calendar_pages_back_to_the_first_diary_month_and_no_further(
    client: TestClient, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = course(uow_factory, world)
    _staff(client, world)
    page = _page(client, pid)
    assert "Diary: June 2026" in page
    assert "next" not in _month_links(page)
    seen = []
    while (previous := _month_links(page).get("prev")) is not None:
        seen.append(previous)
        page = _page(client, pid, f"?month={previous}")
        assert f"Diary: {dt.date.fromisoformat(previous + '-01'):%B %Y}" in page
    assert seen == ["2026-05", "2026-04", "2026-03", "2026-02"]
    assert "First month of the diary" in page
    assert _month_links(page) == {"next": "2026-03"}
    # Months outside the diary show its nearest month; a malformed month is refused.
    assert "Diary: February 2026" in _page(client, pid, "?month=2025-11")
    assert "Diary: June 2026" in _page(client, pid, "?month=2027-01")
    for bad in ("2026-13", "June", "2026-06-01", "0-1"):
        refused = client.get(f"/patients/{pid}?month={bad}")
        assert refused.status_code == 422
        assert "2026-03" in refused.text
        assert "<!doctype html>" in refused.text


def test_each_day_prints_its_pain_and_says_it_to_a_screen_reader(
    client: TestClient, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = course(uow_factory, world)
    _staff(client, world)
    page = _page(client, pid)
    cells = {int(m["day"]): m for m in CELL.finditer(page)}
    assert sorted(cells) == list(range(1, 31))
    severe = cells[9]
    assert severe["text"] == "8"
    assert severe["label"] == "Tuesday 9 June: headache, pain 8, session"
    assert severe["css"] == "severe session"
    assert cells[2]["text"] == "6"
    assert cells[2]["css"] == "ache session"
    assert (cells[10]["text"], cells[10]["label"]) == ("?", "Wednesday 10 June: not recorded")
    assert (cells[8]["text"], cells[8]["label"]) == ("–", "Monday 8 June: no headache")
    assert all(cells[d]["focus"] for d in range(1, 16))  # recorded and missing days
    assert not any(cells[d]["focus"] for d in range(16, 31))  # still to come
    assert cells[16]["label"] == "Tuesday 16 June: still to come"
    assert (
        "June 2026: 14 days recorded, 1 missing, 2 with headache (mean peak pain 7.0), "
        "2 sessions, 15 days still to come." in _text(page)
    )
    february = {int(m["day"]): m for m in CELL.finditer(_page(client, pid, "?month=2026-02"))}
    assert not february[23]["focus"]
    assert february[23]["label"] == "Monday 23 February: before the diary began"
    assert february[24]["label"] == "Tuesday 24 February: headache, pain 6"


def test_sessions_show_practitioner_points_notes_and_adverse_events(
    client: TestClient, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = course(uow_factory, world)
    _staff(client, world)
    words = _text(_page(client, pid))
    name = world.personas["practitioner_a"].email  # the display name of the test world
    assert f"2026-06-09 10:00 · {name}" in words
    assert "Points GB20 both, LI4 L" in words
    assert "Stimulation manual, 20 min retention" in words
    assert "Pain before → after 6 → 3 at 20 min" in words
    assert "Mood before → after 5 → 7" in words
    assert "Notes Felt lighter afterwards" in words
    assert "Adverse events haematoma (small bruise)" in words
    assert words.index("2026-06-09 10:00") < words.index("2026-03-24 09:00")  # newest first


def test_an_open_phq9_item9_alert_comes_first_until_a_later_answer_closes_it(
    client: TestClient, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = course(uow_factory, world)
    phq9(uow_factory, pid, dt.date(2026, 6, 1), 1, 2)
    _staff(client, world)
    page = _page(client, pid)
    alert = re.search(r'<div class="alert dash-alert" role="alert">(.*?)</div>', page, re.S)
    assert alert is not None
    assert PHQ9_ITEM9_ALERT in html.unescape(alert.group(1))
    assert "PHQ-9 of 1 Jun 2026" in alert.group(1)
    assert page.index('role="alert"') < page.index('id="verdict"')
    phq9(uow_factory, pid, dt.date(2026, 6, 14), 1, 0)
    assert 'role="alert"' not in _page(client, pid)


def test_the_page_keeps_the_diagnosis_and_links_to_the_next_tasks(
    client: TestClient, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = course(uow_factory, world)
    _staff(client, world)
    page = _page(client, pid)
    assert "Diagnosis (ICHD-3)" in page
    assert f'<a class="btn" href="/patients/{pid}/sessions/new">Chart a session</a>' in page
    assert f'href="/patients/{pid}/intake">Headache history</a>' in page
    assert f'href="/patients/{pid}/questionnaires">Questionnaires</a>' in page
    assert f'href="/patients/{pid}/invite">Patient login link</a>' in page


def test_a_patient_is_sent_to_my_progress_and_sees_no_one_elses(
    client: TestClient, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = course(uow_factory, world)
    login(client, world.personas["p1"].email, PASSWORD)
    own = client.get(f"/patients/{pid}")
    assert own.status_code == 303
    assert own.headers["location"] == "/progress"
    assert client.get(f"/patients/{world.patients['p2']}").status_code == 404
    assert client.get(f"/patients/{world.patients['p3']}").status_code == 404
