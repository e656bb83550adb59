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
    from api.tokens import router as tokens_router
    from core.api import router as items_router
    from home.api import router as notifications_router

    api.add_router("/items/", items_router, tags=["items"])
    from people.api import router as people_router
    from people.api import skills_router

    api.add_router("/people/", people_router, tags=["people"])
    api.add_router("/skills/", skills_router, tags=["skills"])
    from files.api import router as files_router

    api.add_router("/files/", files_router, tags=["files"])
    api.add_router("/notifications/", notifications_router, tags=["notifications"])
    api.add_router("/tokens/", tokens_router, tags=["tokens"])
    from spaces.api import router as spaces_router

    api.add_router("/spaces/", spaces_router, tags=["spaces"])
    from search.api import router as search_router

    api.add_router("/search/", search_router, tags=["search"])
    from wiki.api import router as wiki_router

    api.add_router("/wiki/", wiki_router, tags=["wiki"])
    from links.api import router as links_router

    api.add_router("/links/", links_router, tags=["links"])
    from reviews.api import router as reviews_router

    api.add_router("/reviews/", reviews_router, tags=["reviews"])
    from catalog.api import router as catalog_router

    api.add_router("/catalog/", catalog_router, tags=["catalog"])
    from portfolios.api import router as portfolios_router

    api.add_router("/portfolios/", portfolios_router, tags=["portfolios"])
    from mentoring.api import router as mentoring_router

    api.add_router("/mentoring/", mentoring_router, tags=["mentoring"])
    from messaging.api import router as messaging_router

    api.add_router("/messages/", messaging_router, tags=["messages"])


mount_routers()
