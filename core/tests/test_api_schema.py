import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_it_serves_a_valid_openapi_document(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["paths"] and "/api/items/" in schema["paths"]
    assert {"TokenAuth", "CookieSessionAuth"} <= set(schema["components"]["securitySchemes"])


def test_it_tags_every_operation(schema):
    untagged = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in METHODS and not operation.get("tags")
    ]
    assert untagged == []


def test_it_mounts_items_notifications_and_tokens_under_their_tags(schema):
    tags = {op["tags"][0] for ops in schema["paths"].values() for m, op in ops.items() if m in METHODS}
    assert {"items", "notifications", "tokens"} <= tags


def test_it_says_which_operations_anonymous_callers_may_use(schema):
    assert {} in schema["paths"]["/api/items/"]["get"]["security"]
    assert {} not in schema["paths"]["/api/notifications/"]["get"]["security"]


def test_it_serves_the_docs_page(db):
    response = Client().get("/api/docs")
    assert response.status_code == 200 and b"openapi.json" in response.content
