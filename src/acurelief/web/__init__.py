"""The web edge: a FastAPI app with a versioned JSON API and server-rendered pages."""

from acurelief.web.app import create_app

__all__ = ["create_app"]
