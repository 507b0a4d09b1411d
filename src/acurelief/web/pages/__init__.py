"""Server-rendered pages, one module per audience, all behind the CSRF check.

``auth`` holds logging in and out; ``staff`` the practitioner's pages; ``patient`` the
patient's own. Every state-changing form posts a CSRF token (see ``web.csrf``).
"""

from fastapi import APIRouter, Depends

from acurelief.web import csrf
from acurelief.web.pages import auth, staff

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.verify_form)])
for module in (auth, staff):
    router.include_router(module.router)

__all__ = ["router"]
