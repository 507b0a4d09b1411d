"""``acurelief demo`` and ``acurelief patient``, on one demo practice seeded once for the module.

Everything here only reads, or runs commands that must not change anything; the module's
fixtures run ``init``, ``demo --json`` and the listings once and share what they printed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from tests.cli.cli_runner import assert_clean_failure, cli_env, flat, run_cli

PATIENT_LOGIN = "patient@demo.example"


@dataclass(frozen=True)
class Demo:
    env: dict[str, str]
    summary: dict[str, Any]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    env = cli_env(tmp_path_factory.mktemp("demo"))
    init = run_cli(env, "init")
    assert init.code == 0, f"{init}"
    summary: dict[str, Any] = run_cli(env, "demo", "--json").json()
    return Demo(env, summary)


@pytest.fixture(scope="module")
def admin_patients(demo: Demo) -> list[dict[str, Any]]:
    """``patient list --json`` without --as: acting as the practice's only admin."""
    found: list[dict[str, Any]] = run_cli(demo.env, "patient", "list", "--json").json()
    return found


@pytest.fixture(scope="module")
def own_patients(demo: Demo) -> list[dict[str, Any]]:
    """``patient list --json`` as the demo's patient login."""
    found: list[dict[str, Any]] = run_cli(
        demo.env, "patient", "list", "--as", PATIENT_LOGIN, "--json"
    ).json()
    return found


def test_demo_json_reports_what_it_seeded(demo: Demo) -> None:
    summary = demo.summary

    assert summary["patients"] >= 12
    assert summary["diary_days"] > 0
    assert summary["sessions"] > 0
    assert sorted(login["role"] for login in summary["logins"]) == [
        "admin",
        "patient",
        "practitioner",
        "practitioner",
    ]
    assert PATIENT_LOGIN in {login["email"] for login in summary["logins"]}
    assert all(login["password"] for login in summary["logins"])


def test_second_demo_is_a_conflict_and_if_empty_seeds_nothing(
    demo: Demo, admin_patients: list[dict[str, Any]]
) -> None:
    again = run_cli(demo.env, "demo")
    if_empty = run_cli(demo.env, "demo", "--if-empty")
    after = run_cli(demo.env, "patient", "list", "--json").json()

    assert_clean_failure(again, code=3, mentions="already exists")
    assert if_empty.code == 0, f"{if_empty}"
    assert "no demo seeded" in flat(if_empty.stdout), f"{if_empty}"
    assert len(after) == len(admin_patients) == demo.summary["patients"]


def test_patient_list_acts_as_the_only_admin(
    demo: Demo, admin_patients: list[dict[str, Any]]
) -> None:
    assert len(admin_patients) >= 12
    assert len(admin_patients) == demo.summary["patients"]
    assert len({p["id"] for p in admin_patients}) == len(admin_patients)
    for patient in admin_patients:
        assert isinstance(patient["id"], int)
        assert isinstance(patient["name"], str)
        assert patient["name"]
        assert dt.date.fromisoformat(patient["date_of_birth"]) < dt.date.today()


def test_patient_login_lists_only_their_own_record(
    own_patients: list[dict[str, Any]], admin_patients: list[dict[str, Any]]
) -> None:
    assert len(own_patients) == 1
    assert own_patients[0] in admin_patients


def test_acting_as_an_unknown_user_fails_cleanly(demo: Demo) -> None:
    result = run_cli(demo.env, "patient", "list", "--as", "nobody@x.org", "--json")

    assert_clean_failure(result, code=1, mentions="nobody@x.org")
    assert "not found" in result.stderr


def test_a_long_error_stays_on_one_line(demo: Demo) -> None:
    """BUG: rich wraps stderr at 80 columns when it is not a terminal, so a long message
    (a long e-mail, a long path, a database error) becomes several lines."""
    email = "konstantina.papadopoulou-oikonomou@university-hospital.example"

    result = run_cli(demo.env, "patient", "list", "--as", email)

    line = assert_clean_failure(result, code=1, mentions="not found")
    assert line == f"error: user {email} not found"


def test_patient_show_json(demo: Demo, admin_patients: list[dict[str, Any]]) -> None:
    patient = admin_patients[0]

    shown = run_cli(demo.env, "patient", "show", str(patient["id"]), "--json").json()

    assert shown["id"] == patient["id"]
    assert shown["name"] == patient["name"]
    assert shown["date_of_birth"] == patient["date_of_birth"]
    last_28 = shown["last_28_days"]
    assert 0 < last_28["recorded"] <= 28
    assert 0 <= last_28["headache_days"] <= last_28["recorded"]
    assert isinstance(shown["sessions"], int)
    assert shown["sessions"] >= 1


def test_patient_show_unknown_id_is_not_found(demo: Demo) -> None:
    result = run_cli(demo.env, "patient", "show", "99999")

    line = assert_clean_failure(result, code=1, mentions="not found")
    assert "99999" in line


def test_patient_login_cannot_tell_another_patient_exists(
    demo: Demo, own_patients: list[dict[str, Any]], admin_patients: list[dict[str, Any]]
) -> None:
    own_id = own_patients[0]["id"]
    other_id = next(p["id"] for p in admin_patients if p["id"] != own_id)
    as_patient = ("--as", PATIENT_LOGIN, "--json")

    own = run_cli(demo.env, "patient", "show", str(own_id), *as_patient)
    other = run_cli(demo.env, "patient", "show", str(other_id), *as_patient)

    assert own.json()["id"] == own_id
    line = assert_clean_failure(other, code=1, mentions="not found")
    assert line == f"error: patient {other_id} not found"  # as for an id that does not exist
