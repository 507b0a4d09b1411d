"""The password policy, in one place: long enough, not common, not the login's own name.

NIST SP 800-63B (section 5.1.1.2, "Memorized Secret Verifiers") asks for at least 8
characters, no composition rules, and a check against passwords known to be common or
breached. A clinic's logins reach health data, so we ask for **12** characters, and refuse:

* any of the 30,000 most common passwords in the list shipped with the pinned ``zxcvbn``
  package (Dropbox's password strength estimator; its "passwords" list comes from Mark
  Burnett's 10-million-password set, most common first), compared case-insensitively and
  also with digits and symbols stripped from the ends (``Password2024!`` is ``password``);
* a password that contains the local part of the login's e-mail (``lin.wei`` in
  ``lin.wei@clinic.example``), or is mostly that name.

Every refusal names the field and says what to do instead.
"""

from __future__ import annotations

import re
from functools import lru_cache

from acurelief.errors import InvalidInput

MIN_LENGTH = 12
MAX_LENGTH = 256  # argon2 copes with more; a longer "password" is a paste accident
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The common-password list, lower-cased; loaded on first use, not at import."""
    from zxcvbn.frequency_lists import (  # type: ignore[import-untyped]
        FREQUENCY_LISTS,
    )

    return frozenset(str(p).lower() for p in FREQUENCY_LISTS["passwords"])


def _core(password: str) -> str:
    """The password lower-cased, without the digits and symbols people pad the ends with."""
    return _EDGES.sub("", password.lower())


def problem(password: str, email: str = "") -> str | None:
    """Why the password is refused, in words for the user; None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return (
            f"must be at least {MIN_LENGTH} characters; a few unrelated words make a long "
            "password that is easy to remember"
        )
    if len(password) > MAX_LENGTH:
        return f"must be at most {MAX_LENGTH} characters"
    lowered = password.lower()
    common = common_passwords()
    if lowered in common or _core(password) in common or lowered.replace(" ", "") in common:
        return "is one of the most commonly used passwords; please choose another"
    name = email.strip().lower().split("@")[0]
    if len(name) >= 3 and (name in lowered or _core(password) in name):
        return "must not contain the name in your e-mail address; please choose another"
    if len(set(password)) < 4:
        return "repeats too few different characters; please choose another"
    return None


def check(password: str, email: str = "", field: str = "password") -> None:
    """Refuse (InvalidInput naming ``field``) a password the policy does not accept."""
    reason = problem(password, email)
    if reason is not None:
        raise InvalidInput.single(field, reason)
