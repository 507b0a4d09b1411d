"""One-time invitation links for patient logins, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, text

from acurelief.domain import Patient, Role, Sex
from acurelief.domain.access import Actor
from acurelief.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound
from acurelief.services import accounts, invitations
from acurelief.services.invitations import InvitationState
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from tests.conftest import NOW, PASSWORD, World

NEW_PASSWORD = "a long new passphrase"
TTL = invitations.DEFAULT_TTL


def _new_patient(uow_factory: SqlUnitOfWorkFactory, world: World, clinic: str = "a") -> int:
    """A patient of the clinic without a login."""
    with uow_factory() as uow:
        patient = uow.patients.add(
            Patient(
                clinic_id=world.clinics[clinic],
                practitioner_id=world.actor(f"practitioner_{clinic}").user_id,
                name="Patient New",
                date_of_birth=dt.date(1975, 3, 2),
                sex=Sex.MALE,
                time_zone="Europe/Berlin",
            )
        )
        uow.commit()
    assert patient.id is not None
    return patient.id


def _invite(
    uow_factory: SqlUnitOfWorkFactory,
    world: World,
    patient_id: int,
    email: str | None = "New.Patient@Example.org",
    who: str = "practitioner_a",
) -> invitations.Invitation:
    with uow_factory() as uow:
        return invitations.invite_patient(uow, world.actor(who), patient_id, email, NOW)


def _status(uow_factory: SqlUnitOfWorkFactory, token: str, now: dt.datetime = NOW) -> str:
    with uow_factory() as uow:
        return invitations.invitation_status(uow, token, now).state.value


def _redeem(
    uow_factory: SqlUnitOfWorkFactory, token: str, password: str = NEW_PASSWORD, **kw: dt.datetime
) -> Actor:
    with uow_factory() as uow:
        return invitations.redeem_invitation(uow, token, password, kw.get("now", NOW))


def test_an_invited_patient_sets_a_password_and_logs_in(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = _new_patient(uow_factory, world)
    invitation = _invite(uow_factory, world, pid)
    assert invitation.email == "new.patient@example.org"
    assert invitation.expires_at == NOW + TTL
    assert invitation.token not in repr(invitation)
    with uow_factory() as uow:
        status = invitations.invitation_status(uow, invitation.token, NOW)
    assert status == invitations.InvitationStatus(
        InvitationState.VALID, invitation.email, invitations.LinkPurpose.WELCOME
    )  # a new patient's link welcomes them to the diary, not a password reset
    actor = _redeem(uow_factory, invitation.token, now=NOW + dt.timedelta(hours=1))
    assert (actor.role, actor.patient_id, actor.clinic_id) == (
        Role.PATIENT,
        pid,
        world.clinics["a"],
    )
    with uow_factory() as uow:
        assert accounts.authenticate(uow, "NEW.patient@example.org", NEW_PASSWORD) == actor


def test_the_new_login_cannot_be_used_before_the_link_is_redeemed(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = _new_patient(uow_factory, world)
    invitation = _invite(uow_factory, world, pid)
    with uow_factory() as uow:
        creds = uow.users.credentials(invitation.email)
    assert creds is not None
    assert creds.password_hash.startswith(accounts.UNUSABLE_PASSWORD_PREFIX)
    for password in ("", creds.password_hash, creds.password_hash[1:], NEW_PASSWORD):
        with pytest.raises(NotAuthenticated), uow_factory() as uow:
            accounts.authenticate(uow, invitation.email, password)


def test_an_expired_link_is_refused(uow_factory: SqlUnitOfWorkFactory, world: World) -> None:
    invitation = _invite(uow_factory, world, _new_patient(uow_factory, world))
    late = NOW + TTL + dt.timedelta(seconds=1)
    with uow_factory() as uow:
        status = invitations.invitation_status(uow, invitation.token, late)
    assert status == invitations.InvitationStatus(InvitationState.EXPIRED)  # no e-mail shown
    with pytest.raises(InvalidInput, match="expired") as caught:
        _redeem(uow_factory, invitation.token, now=late)
    assert [p.field for p in caught.value.problems] == ["token"]


def test_a_link_works_once(uow_factory: SqlUnitOfWorkFactory, world: World) -> None:
    invitation = _invite(uow_factory, world, _new_patient(uow_factory, world))
    _redeem(uow_factory, invitation.token)
    assert _status(uow_factory, invitation.token) == "used"
    with pytest.raises(InvalidInput, match="already been used") as caught:
        _redeem(uow_factory, invitation.token, "someone else's password")
    assert [p.field for p in caught.value.problems] == ["token"]
    with uow_factory() as uow:
        accounts.authenticate(uow, invitation.email, NEW_PASSWORD)


def test_unknown_links_are_refused(uow_factory: SqlUnitOfWorkFactory, world: World) -> None:
    invitation = _invite(uow_factory, world, _new_patient(uow_factory, world))
    for token in ("", "nonsense", invitation.token + "x", "x" * 10_000):
        assert _status(uow_factory, token) == "unknown"
        with pytest.raises(InvalidInput, match="not valid"):
            _redeem(uow_factory, token)


def test_a_new_link_for_an_existing_login_invalidates_the_older_one(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid, email = world.patients["p1"], world.personas["p1"].email
    first = _invite(uow_factory, world, pid, email=None)
    second = _invite(uow_factory, world, pid, email="")
    assert first.email == second.email == email
    assert (_status(uow_factory, first.token), _status(uow_factory, second.token)) == (
        "expired",
        "valid",
    )
    with pytest.raises(InvalidInput, match="token"):
        _redeem(uow_factory, first.token)
    _redeem(uow_factory, second.token)
    with uow_factory() as uow:
        assert accounts.authenticate(uow, email, NEW_PASSWORD) == world.actor("p1")
    with pytest.raises(NotAuthenticated), uow_factory() as uow:
        accounts.authenticate(uow, email, PASSWORD)


def test_a_new_link_may_correct_the_logins_address(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = _new_patient(uow_factory, world)
    _invite(uow_factory, world, pid, email="typo@exmaple.org")
    fixed = _invite(uow_factory, world, pid, email="Right@Example.org")
    assert fixed.email == "right@example.org"
    _redeem(uow_factory, fixed.token)
    with uow_factory() as uow:
        assert accounts.authenticate(uow, "right@example.org", NEW_PASSWORD).patient_id == pid
        assert uow.users.credentials("typo@exmaple.org") is None


def test_only_staff_who_reach_the_patient_may_invite(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = _new_patient(uow_factory, world, clinic="a")
    for who in ("practitioner_b", "admin_b", "p3"):
        with pytest.raises(NotFound):
            _invite(uow_factory, world, pid, who=who)
    with pytest.raises(Forbidden):
        _invite(uow_factory, world, world.patients["p1"], email=None, who="p1")
    assert _invite(uow_factory, world, pid, who="admin_a").email == "new.patient@example.org"


def test_a_bad_address_or_a_missing_one_names_the_field(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = _new_patient(uow_factory, world)
    for email in ("not an address", None, "  "):
        with pytest.raises(InvalidInput) as caught:
            _invite(uow_factory, world, pid, email=email)
        assert [p.field for p in caught.value.problems] == ["email"]
    with pytest.raises(InvalidInput) as caught:
        _invite(uow_factory, world, world.patients["p1"], email="still not one")
    assert [p.field for p in caught.value.problems] == ["email"]
    with uow_factory() as uow:
        assert uow.users.for_patient(pid) is None


def test_an_address_of_another_login_is_a_conflict(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = _new_patient(uow_factory, world)
    with pytest.raises(Conflict):
        _invite(uow_factory, world, pid, email="P2@example.org")
    with pytest.raises(Conflict):
        _invite(uow_factory, world, world.patients["p1"], email="admin.b@example.org")


def test_a_short_password_names_the_field_and_leaves_the_link_usable(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    invitation = _invite(uow_factory, world, _new_patient(uow_factory, world))
    with pytest.raises(InvalidInput) as caught:
        _redeem(uow_factory, invitation.token, "short")
    assert [p.field for p in caught.value.problems] == ["password"]
    assert _status(uow_factory, invitation.token) == "valid"
    _redeem(uow_factory, invitation.token)


def test_a_link_lasts_between_a_moment_and_a_month(
    uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = _new_patient(uow_factory, world)
    for ttl in (dt.timedelta(0), invitations.MAX_TTL + dt.timedelta(seconds=1)):
        with pytest.raises(InvalidInput, match="ttl"), uow_factory() as uow:
            invitations.invite_patient(uow, world.actor("admin_a"), pid, "x@example.org", NOW, ttl)


def test_only_the_digest_is_stored_and_the_audit_holds_no_address(
    engine: Engine, uow_factory: SqlUnitOfWorkFactory, world: World
) -> None:
    pid = _new_patient(uow_factory, world)
    invitation = _invite(uow_factory, world, pid)
    with engine.connect() as conn:
        stored = " ".join(str(r) for r in conn.execute(text("SELECT * FROM invitations")))
        audit = " ".join(str(r) for r in conn.execute(text("SELECT * FROM audit_log")))
    assert invitation.token not in stored
    assert accounts.token_digest(invitation.token) in stored
    assert "new.patient" not in audit
    actor = _redeem(uow_factory, invitation.token)
    with uow_factory() as uow:
        entries = [(e.user_id, e.action) for e in uow.audit.for_patient(pid)]
    staff = world.actor("practitioner_a").user_id
    assert entries == [
        (staff, "manage_patients"),
        (staff, "invite_patient"),
        (actor.user_id, "redeem_invitation"),
    ]
