"""Text no database can store (NUL, other control characters, lone surrogates) answers 422."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import SEEDED_DATE
from tests.conftest import World


@pytest.mark.parametrize("bad", ["before\x00after", "bell\x07", "escape\x1b[2J"])
def test_a_diary_note_with_a_control_character_is_refused_naming_the_field(
    client: TestClient, world: World, tokens: dict[str, dict[str, str]], bad: str
) -> None:
    pid = world.patients["p1"]
    answer = client.put(
        f"/api/v1/patients/{pid}/diary/{SEEDED_DATE}",
        json={"headache": False, "notes": bad},
        headers=tokens["p1"],
    )
    assert answer.status_code == 422
    fields = [e["field"] for e in answer.json()["errors"]]
    assert fields == ["notes"]
    assert bad not in answer.text  # the answer says where, not what


def test_tabs_and_line_breaks_are_ordinary_text(
    client: TestClient, world: World, tokens: dict[str, dict[str, str]]
) -> None:
    pid = world.patients["p1"]
    note = "woke with it\r\n\tbetter by noon"
    answer = client.put(
        f"/api/v1/patients/{pid}/diary/{SEEDED_DATE}",
        json={"headache": False, "notes": note},
        headers=tokens["p1"],
    )
    assert answer.status_code == 200
    assert answer.json()["notes"] == note


def test_a_patient_name_with_nul_is_refused(
    client: TestClient, tokens: dict[str, dict[str, str]]
) -> None:
    answer = client.post(
        "/api/v1/patients",
        json={"name": "Ann\x00e", "date_of_birth": "1980-01-01", "sex": "female"},
        headers=tokens["practitioner_a"],
    )
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["name"]
