"""The current user and their personal API tokens."""

from __future__ import annotations

from fastapi import APIRouter, status

from acurelief.services import accounts
from acurelief.web.deps import CurrentActor, NowDep, UowDep
from acurelief.web.schemas import Me, TokenCreate, TokenIssued

router = APIRouter(tags=["account"])


@router.get("/me")
def me(actor: CurrentActor) -> Me:
    return Me(
        user_id=actor.user_id,
        role=actor.role.value,
        clinic_id=actor.clinic_id,
        patient_id=actor.patient_id,
    )


@router.post("/tokens", status_code=status.HTTP_201_CREATED)
def create_token(body: TokenCreate, actor: CurrentActor, uow: UowDep, now: NowDep) -> TokenIssued:
    """A new personal bearer token. It is shown once: store it safely."""
    with uow() as work:
        token = accounts.issue_token(work, actor.user_id, body.label, now)
        work.commit()
    return TokenIssued(token=token, label=body.label)
