"""The versioned JSON API, one router per resource, all under ``/api/v1``."""

from fastapi import APIRouter

from acurelief.web.api import account, diary, patients, sessions

router = APIRouter(prefix="/api/v1")
for module in (account, patients, diary, sessions):
    router.include_router(module.router)
