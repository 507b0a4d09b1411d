"""The password policy: length, the common-password list, and the login's own name."""

from __future__ import annotations

import pytest

from acurelief.errors import InvalidInput
from acurelief.services import passwords


@pytest.mark.parametrize(
    ("password", "because"),
    [
        ("11 chars ok", "at least 12 characters"),
        ("password1234", "most commonly used"),
        ("Password2024!", "most commonly used"),  # padded with digits and symbols
        ("QWERTYUIOP!!", "most commonly used"),  # case does not help
        ("lin.wei is here", "name in your e-mail"),
        ("aaaaaaaaaaaaaaaa", "too few different characters"),
        ("x" * 257, "at most 256"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password: str, because: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        passwords.check(password, "Lin.Wei@clinic.example", field="new_password")
    assert refused.value.problems[0].field == "new_password"
    assert because in refused.value.problems[0].message


@pytest.mark.parametrize(
    "password",
    ["correct horse battery", "acurelief-demo", "a long enough password", "12 chars ok!"],
)
def test_long_uncommon_passwords_pass(password: str) -> None:
    assert passwords.problem(password, "lin.wei@clinic.example") is None


def test_the_list_holds_the_well_known_ones() -> None:
    common = passwords.common_passwords()
    assert len(common) >= 10_000
    assert {"123456", "password", "qwerty", "iloveyou"} <= common
