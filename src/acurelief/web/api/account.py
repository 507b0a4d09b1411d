"""The current user and their personal API tokens: issue (from a browser session only),
list and revoke."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from acurelief.services import accounts
from acurelief.web.api.params import TokenId
from acurelief.web.deps import CurrentActor, NowDep, UowDep
from acurelief.web.schemas import Me, TokenCreate, TokenIssued, TokenPublic

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
def create_token(
    request: Request, body: TokenCreate, actor: CurrentActor, uow: UowDep, now: NowDep
) -> TokenIssued:
    """A new personal bearer token, valid for ``days`` (default 90, at most 365). It is shown
    once: store it safely. Only a logged-in browser session may issue one, never a token
    (403), so a leaked token cannot make itself new ones."""
    accounts.refuse_token_minting(bool(getattr(request.state, "via_token", False)))
    with uow() as work:
        token, record = accounts.issue_own_token(work, actor, body.label, body.days, now)
    assert record.expires_at is not None
    return TokenIssued(id=record.id, token=token, label=record.label, expires_at=record.expires_at)


@router.get("/tokens")
def list_tokens(actor: CurrentActor, uow: UowDep) -> list[TokenPublic]:
    """The caller's own tokens, newest first: label and dates, never the token."""
    with uow(read_only=True) as work:
        tokens = accounts.list_tokens(work, actor)
    return [TokenPublic.model_validate(t) for t in tokens]


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(token_id: TokenId, actor: CurrentActor, uow: UowDep, now: NowDep) -> Response:
    """Revoke one of the caller's tokens at once (404 for anyone else's)."""
    with uow() as work:
        accounts.revoke_token(work, actor, token_id, now)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
