"""The backend: FastAPI routes over SQLAlchemy Core (`sfterm.server.app.create_app`)."""

from sfterm.core.models import build_input_models

build_input_models()  # before any route takes an input body as its own (see there)
