import pytest
from django.urls import reverse

from core.models import Item
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "core_item",
    "core_activity",
    "core_tag",
    "core_watch",
    "core_notification",
    "core_notificationpreference",
    "core_siteconfig",
    "files_file",
]


@pytest.fixture
def back_office(client_for):
    return client_for(UserFactory(username="root", is_staff=True, is_superuser=True))


def test_it_lists_every_core_and_file_model_in_the_back_office(personas, back_office, make_file):
    make_file(tags=["handbook"])
    for name in CHANGELISTS:
        assert back_office.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    filtered = back_office.get(
        reverse("admin:core_item_changelist"), {"tags__id__exact": Item.objects.get().tags.get().pk}
    )
    assert filtered.status_code == 200 and len(filtered.context["cl"].result_list) == 1


def test_it_soft_deletes_and_restores_files_from_the_back_office(personas, back_office, make_file):
    item = make_file()
    url = reverse("admin:files_file_changelist")
    back_office.post(url, {"action": "soft_delete", "_selected_action": [item.pk]})
    assert not Item.objects.visible_to(personas.alice).exists()
    back_office.post(url, {"action": "restore", "_selected_action": [item.pk]})
    assert Item.objects.visible_to(personas.alice).get() == item


def test_it_never_deletes_or_duplicates_the_site_settings(back_office):
    from core.models import SiteConfig

    SiteConfig.load()
    assert back_office.get(reverse("admin:core_siteconfig_add")).status_code == 403
    assert back_office.get(reverse("admin:core_siteconfig_delete", args=[1])).status_code == 403
