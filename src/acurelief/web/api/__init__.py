"""The versioned JSON API, one router per resource, all under ``/api/v1``."""

from fastapi import APIRouter

from acurelief.web.api import account, diagnosis, diary, knowledge, outcomes, patients, sessions
from acurelief.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES)
for module in (account, patients, diary, sessions, diagnosis, outcomes, knowledge):
    router.include_router(module.router)
