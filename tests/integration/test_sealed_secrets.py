"""TOTP keys are stored sealed: the database, a backup or a replica does not give them away."""

from __future__ import annotations

import datetime as dt

import pyotp
from sqlalchemy import Engine, text

from acurelief.services import two_factor
from acurelief.storage.sealed import SEALED_PREFIX, SecretBox
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.conftest import NOW, World

KEY = b"k" * 48


def _stored(engine: Engine, user_id: int) -> str:
    with engine.connect() as conn:
        value = conn.execute(
            text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user_id}
        ).scalar_one()
    assert isinstance(value, str)
    return value


def test_a_totp_key_is_sealed_at_rest_and_works_for_logins(engine: Engine, world: World) -> None:
    keyed = SqlUnitOfWorkFactory(engine, audit_key=KEY)
    actor = world.actor("practitioner_a")
    with keyed() as uow:
        enrolment = two_factor.begin_enrolment(uow, actor, "a@example.org")
    stored = _stored(engine, actor.user_id)
    assert stored.startswith(SEALED_PREFIX)
    assert enrolment.secret not in stored

    code = pyotp.TOTP(enrolment.secret).at(NOW)
    with keyed() as uow:
        assert len(two_factor.finish_enrolment(uow, actor, code, NOW)) == 10
    later = NOW + dt.timedelta(minutes=1)
    with keyed() as uow:
        assert two_factor.verify_login_code(
            uow, actor.user_id, pyotp.TOTP(enrolment.secret).at(later), later
        )
        uow.commit()

    with SqlUnitOfWorkFactory(engine, audit_key=b"another key " * 4)() as uow:
        assert uow.logins.totp(actor.user_id) == (None, True)  # another key cannot read it


def test_the_box_round_trips_and_passes_unsealed_values_through() -> None:
    box = SecretBox(KEY)
    sealed = box.seal("JBSWY3DPEHPK3PXP")
    assert sealed is not None
    assert sealed.startswith(SEALED_PREFIX)
    assert box.open(sealed) == "JBSWY3DPEHPK3PXP"
    assert box.seal(None) is None
    assert box.open(None) is None
    assert box.open("JBSWY3DPEHPK3PXP") == "JBSWY3DPEHPK3PXP"  # stored before keys were set
    assert SecretBox(b"").seal("x") == "x"
    assert SecretBox(b"").open(sealed) is None
