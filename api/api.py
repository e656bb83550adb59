"""The JSON API: one Ninja instance, one router per app, errors as {"detail": ...}."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from api.auth import api_auth

api = NinjaAPI(
    title="Watercooler API",
    version="1",
    description="Everything the pages do. Authenticate with `Authorization: Bearer <token>` "
    "(create one under Settings → API tokens, or `manage.py createtoken <username>`).",
    auth=api_auth,
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not allowed."}, status=403)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    return api.create_response(request, {"detail": "; ".join(exc.messages)}, status=400)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "Authentication required."}, status=401)


@api.exception_handler(NinjaValidationError)
def bad_input(request, exc):
    return api.create_response(request, {"detail": exc.errors}, status=422)


def mount_routers() -> None:
    from core.api import router as items_router

    api.add_router("/items/", items_router, tags=["items"])


mount_routers()
