"""Searching finds a page many people saved once, not once per save."""

from core.models import Visibility
from links.services import save_link
from search.queries import search


def test_a_link_saved_by_several_people_is_one_result_on_the_search_page(personas, reindex, client):
    for person in (personas.alice, personas.mo, personas.lee):
        save_link(
            user=person, url="https://pep8.example/", title="PEP 8 style guide", visibility=Visibility.ORGANISATION
        )
    save_link(
        user=personas.mo, url="https://other.example/", title="Another style guide", visibility=Visibility.ORGANISATION
    )
    reindex()

    found = [result.title for result in search(personas.olly, "style guide", one_per_link=True)]
    assert found.count("PEP 8 style guide") == 1 and "Another style guide" in found
    assert [r.title for r in search(personas.olly, "style guide")].count("PEP 8 style guide") == 3  # pickers

    client.force_login(personas.olly)
    shown = [result.title for result in client.get("/search/?q=style+guide").context["results"]]
    assert shown.count("PEP 8 style guide") == 1
