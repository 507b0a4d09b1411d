"""The Jinja2 templates shared by the pages and the error handler, with their helpers."""

from pathlib import Path

from fastapi.templating import Jinja2Templates

from acurelief.web.csrf import csrf_field

templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
templates.env.globals["csrf_field"] = csrf_field
