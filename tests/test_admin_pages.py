"""The back office opens the list and (where allowed) the add page of every model for a site admin."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_project_model_is_in_the_back_office():
    ours = {"core", "people", "spaces", "files", "search", "home", "api"}
    from django.apps import apps

    models = {m for app in ours for m in apps.get_app_config(app).get_models()}
    assert models - set(admin.site._registry) == set()


def test_every_changelist_opens_for_an_admin(personas, client_for):
    personas.ada.is_superuser = True
    personas.ada.save()
    client = client_for(personas.ada)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
