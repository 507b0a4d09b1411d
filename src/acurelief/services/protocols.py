"""Use cases for point protocols: the published ones and each practice's own."""

from __future__ import annotations

from collections.abc import Sequence

from acurelief.domain.access import Action, Actor
from acurelief.errors import Conflict, NotFound
from acurelief.knowledge.protocols import PROTOCOLS, Protocol
from acurelief.services.access import require
from acurelief.services.ports import UnitOfWork


def available(uow: UnitOfWork, actor: Actor) -> Sequence[Protocol]:
    """The published protocols, then the actor's practice's own."""
    return [*PROTOCOLS.values(), *uow.protocols.for_clinic(actor.clinic_id)]


def put_protocol(uow: UnitOfWork, actor: Actor, protocol: Protocol) -> Protocol:
    """Store (or replace) a practice protocol under its key; published keys are reserved."""
    require(actor, Action.RECORD_SESSION)
    if protocol.key in PROTOCOLS:
        raise Conflict(f"{protocol.key!r} is a published protocol; choose another key")
    uow.protocols.put(actor.clinic_id, protocol)
    uow.commit()
    return protocol


def resolve(uow: UnitOfWork, actor: Actor, key: str) -> Protocol:
    """The protocol a session can start from: published, or of the actor's practice."""
    for protocol in available(uow, actor):
        if protocol.key == key:
            return protocol
    raise NotFound("protocol", f"{key!r} (GET /api/v1/clinic/protocols lists them)")
