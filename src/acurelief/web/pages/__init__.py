"""Server-rendered pages, one module per audience, all behind the CSRF check.

``auth`` holds logging in and out; ``staff`` the practitioner's pages; ``patient`` the
patient's own. Every state-changing form posts a CSRF token (see ``web.csrf``).
"""

from fastapi import APIRouter, Depends

from acurelief.web import csrf
from acurelief.web.pages import (
    account,
    audit,
    auth,
    chart_images,
    enrol,
    intake,
    patient_diary,
    progress,
    questionnaires,
    session_chart,
    staff,
    welcome,
    worklist,
)

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.verify_form)])
# enrol before staff: its /patients/new must win over staff's /patients/{patient_id}.
for module in (
    auth,
    account,
    audit,
    worklist,
    enrol,
    staff,
    chart_images,
    patient_diary,
    intake,
    session_chart,
    progress,
    questionnaires,
    welcome,
):
    router.include_router(module.router)

__all__ = ["router"]
