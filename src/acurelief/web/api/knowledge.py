"""Reference data: the acupoint catalogue, the published protocols, the intake schema."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from acurelief.diagnosis.intake import json_schema
from acurelief.errors import NotFound
from acurelief.knowledge.acupoints import UnknownPoint, catalogue
from acurelief.knowledge.protocols import PROTOCOLS
from acurelief.services import protocols
from acurelief.web.api.params import PointCode, ProtocolKey
from acurelief.web.deps import CurrentActor, UowDep
from acurelief.web.schemas import PointPublic, ProtocolCreate, ProtocolPublic

router = APIRouter(tags=["reference"])


@router.get("/points")
def list_points(
    meridian: Annotated[str | None, Query(description="e.g. GB, LR (LV), EX")] = None,
) -> list[PointPublic]:
    """The 361 WHO standard points and the head-and-neck extra points."""
    cat = catalogue()
    found = [*cat.standard(), *cat.extra()] if meridian is None else cat.by_meridian(meridian)
    return [PointPublic.of(p) for p in found]


@router.get("/points/{code}")
def get_point(code: PointCode) -> PointPublic:
    """One point by code or alias (LV3, SJ5, GV24+); unknown codes name the nearest ones."""
    try:
        return PointPublic.of(catalogue().parse(code))
    except UnknownPoint as exc:
        raise NotFound("point", f"{code!r} ({exc})") from None


@router.get("/protocols")
def list_protocols() -> list[ProtocolPublic]:
    return [ProtocolPublic.of_protocol(p) for p in PROTOCOLS.values()]


@router.get("/intake-schema")
def intake_schema() -> dict[str, Any]:
    """The JSON Schema of a headache history (PUT /patients/{id}/intake)."""
    return json_schema()


@router.get("/clinic/protocols", tags=["protocols"])
def clinic_protocols(actor: CurrentActor, uow: UowDep) -> list[ProtocolPublic]:
    """The protocols a session can start from: published ones and your practice's own."""
    with uow(read_only=True) as work:
        found = protocols.available(work, actor)
    return [ProtocolPublic.of_protocol(p) for p in found]


@router.put("/clinic/protocols/{key}", tags=["protocols"])
def put_clinic_protocol(
    key: ProtocolKey, body: ProtocolCreate, actor: CurrentActor, uow: UowDep
) -> ProtocolPublic:
    """Store your practice's protocol under ``key`` (replacing one of the same key)."""
    protocol = body.to_protocol(key)
    with uow() as work:
        return ProtocolPublic.of_protocol(protocols.put_protocol(work, actor, protocol))
