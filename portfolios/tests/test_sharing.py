"""Who sees a portfolio, changing it, and secret links for people outside."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from catalog.services import hash_token
from core.models import Visibility
from portfolios import sharing
from portfolios.models import SecretLink
from portfolios.services import add_block, add_entry, create_portfolio

pytestmark = pytest.mark.django_db


def make_portfolio(owner, *, title="Data apprenticeship", **sharing_kwargs):
    """A process portfolio with a shared block, a private block and a journal entry whose reflection is private."""
    portfolio = create_portfolio(owner=owner, title=title, kind="process", **sharing_kwargs)
    page = portfolio.pages.order_by("position").first()
    add_block(actor=owner, page=page, kind="text", title="What I built", body="A pipeline for **sales** data.")
    add_block(actor=owner, page=page, kind="text", title="Diary", body="PINEAPPLE worries", private=True)
    add_entry(
        actor=owner,
        portfolio=portfolio,
        title="First sprint",
        body="We shipped the loader.",
        answers=[{"prompt": "What happened?", "answer": "MANGO reflection"}],
        reflection_private=True,
    )
    portfolio.refresh_from_db()
    return portfolio


def secret_link(portfolio, **kwargs):
    return sharing.create_secret_link(actor=portfolio.item.owner, portfolio=portfolio, **kwargs)


# --- who can see it -------------------------------------------------------------------------------------------


def test_it_says_in_plain_words_who_can_see_a_private_portfolio(personas):
    told = sharing.audience(make_portfolio(personas.alice))
    assert told.headline == "Only you can see it."
    assert not any("administrators" in line for line in told.details)


def test_it_names_the_people_a_portfolio_is_shared_with(personas):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.PEOPLE, shared_with=[personas.mo])
    told = sharing.audience(portfolio)
    assert told.headline == "You and 1 person you named can see it."
    assert told.people == [personas.mo]
    assert "Site administrators can see it too." in told.details


def test_it_counts_working_secret_links_in_who_can_see_it(personas):
    portfolio = make_portfolio(personas.alice)
    secret_link(portfolio)
    revoked, _ = secret_link(portfolio)
    sharing.revoke_secret_link(actor=personas.alice, link=revoked)
    assert sharing.audience(portfolio).live_links == 1


def test_changing_sharing_never_makes_a_portfolio_public(personas):
    portfolio = make_portfolio(personas.alice)
    with pytest.raises(ValidationError, match="never public"):
        sharing.change_sharing(actor=personas.alice, portfolio=portfolio, visibility=Visibility.PUBLIC, shared_with=[])


def test_only_the_owner_changes_who_sees_it(personas):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.ORGANISATION)
    with pytest.raises(PermissionDenied):
        sharing.change_sharing(actor=personas.ada, portfolio=portfolio, visibility=Visibility.PRIVATE, shared_with=[])


def test_a_portfolio_moves_into_a_space_its_owner_belongs_to(personas):
    portfolio = make_portfolio(personas.alice)
    sharing.change_sharing(
        actor=personas.alice, portfolio=portfolio, visibility=Visibility.SPACE, shared_with=[], space=personas.team
    )
    portfolio.item.refresh_from_db()
    assert (portfolio.item.space, portfolio.item.visibility) == (personas.team, Visibility.SPACE)


def test_a_portfolio_cannot_move_into_a_space_its_owner_is_not_in(personas):
    portfolio = make_portfolio(personas.alice)
    with pytest.raises(PermissionDenied):
        sharing.change_sharing(
            actor=personas.alice,
            portfolio=portfolio,
            visibility=Visibility.SPACE,
            shared_with=[],
            space=personas.elsewhere,
        )


# --- the sharing page -----------------------------------------------------------------------------------------


def test_the_sharing_page_is_the_owners(personas, client_for):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.ORGANISATION)
    assert client_for(personas.alice).get(f"/portfolios/{portfolio.pk}/share/").status_code == 200
    assert client_for(personas.mo).get(f"/portfolios/{portfolio.pk}/share/").status_code == 403
    assert client_for(personas.gus).get(f"/portfolios/{portfolio.pk}/share/").status_code == 404


def test_the_sharing_page_names_who_can_see_it(personas, client_for):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.PEOPLE, shared_with=[personas.mo])
    page = client_for(personas.alice).get(f"/portfolios/{portfolio.pk}/share/").content.decode()
    assert "You and 1 person you named can see it." in page
    assert "Mo Mentor" in page


def test_saving_the_sharing_form_shares_it_with_named_people(personas, client_for):
    portfolio = make_portfolio(personas.alice)
    response = client_for(personas.alice).post(
        f"/portfolios/{portfolio.pk}/share/", {"visibility": "people", "shared_with": "mo, lee"}
    )
    assert response.status_code == 302
    portfolio.item.refresh_from_db()
    assert portfolio.item.visibility == Visibility.PEOPLE
    assert set(portfolio.item.shared_with.all()) == {personas.mo, personas.lee}


def test_the_sharing_form_explains_a_space_visibility_without_a_space(personas, client_for):
    portfolio = make_portfolio(personas.alice)
    response = client_for(personas.alice).post(f"/portfolios/{portfolio.pk}/share/", {"visibility": "space"})
    assert response.status_code == 400
    assert "Choose the space whose members may see it." in response.content.decode()
    portfolio.item.refresh_from_db()
    assert portfolio.item.visibility == Visibility.PRIVATE


def test_the_sharing_form_offers_no_public_choice(personas, client_for):
    portfolio = make_portfolio(personas.alice)
    response = client_for(personas.alice).post(f"/portfolios/{portfolio.pk}/share/", {"visibility": "public"})
    assert response.status_code == 400
    portfolio.item.refresh_from_db()
    assert portfolio.item.visibility == Visibility.PRIVATE


# --- secret links ---------------------------------------------------------------------------------------------


def test_only_a_hash_of_a_secret_links_token_is_kept(personas):
    link, token = secret_link(make_portfolio(personas.alice), label="Panel")
    stored = SecretLink.objects.get(pk=link.pk)
    assert stored.token_hash == hash_token(token)
    assert token not in str(SecretLink.objects.filter(pk=link.pk).values().first())


def test_a_secret_link_shows_the_portfolio_without_signing_in(personas, client):
    portfolio = make_portfolio(personas.alice)
    _, token = secret_link(portfolio)
    response = client.get(f"/portfolios/s/{token}/")
    assert response.status_code == 200
    assert "Data apprenticeship" in response.content.decode()


def test_a_secret_link_never_shows_private_blocks_reflections_or_feedback(personas, client):
    portfolio = make_portfolio(personas.alice)
    sharing.change_sharing(
        actor=personas.alice, portfolio=portfolio, visibility=Visibility.PEOPLE, shared_with=[personas.mo]
    )
    sharing.give_feedback(actor=personas.mo, portfolio=portfolio, body="KIWI remark", private=False)
    _, token = secret_link(portfolio)
    body = "".join(client.get(f"/portfolios/s/{token}/{page.slug}/").content.decode() for page in portfolio.pages.all())
    assert "What I built" in body
    for secret in ("PINEAPPLE", "MANGO", "KIWI"):
        assert secret not in body


def test_a_secret_link_page_tells_search_engines_to_stay_away(personas, client):
    _, token = secret_link(make_portfolio(personas.alice))
    response = client.get(f"/portfolios/s/{token}/")
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex' in response.content.decode()


def test_a_revoked_secret_link_stops_working_with_a_friendly_page(personas, client):
    link, token = secret_link(make_portfolio(personas.alice))
    sharing.revoke_secret_link(actor=personas.alice, link=link)
    response = client.get(f"/portfolios/s/{token}/")
    assert response.status_code == 404
    assert "doesn't work any more" in response.content.decode()
    assert "Data apprenticeship" not in response.content.decode()


def test_an_expired_secret_link_stops_working(personas, client):
    link, token = secret_link(make_portfolio(personas.alice), expires=timezone.now() + timedelta(hours=1))
    SecretLink.objects.filter(pk=link.pk).update(expires=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/portfolios/s/{token}/").status_code == 404
    assert sharing.open_secret_link(token) is None


def test_a_secret_link_to_a_deleted_portfolio_stops_working(personas, client):
    from portfolios.services import delete_portfolio

    portfolio = make_portfolio(personas.alice)
    _, token = secret_link(portfolio)
    delete_portfolio(actor=personas.alice, portfolio=portfolio)
    assert client.get(f"/portfolios/s/{token}/").status_code == 404


def test_unknown_and_malformed_tokens_get_the_same_friendly_404(client):
    assert client.get("/portfolios/s/not-a-token/").status_code == 404
    assert client.get(f"/portfolios/s/{'x' * 300}/").status_code == 404


def test_a_secret_link_cannot_expire_in_the_past(personas):
    with pytest.raises(ValidationError, match="future"):
        secret_link(make_portfolio(personas.alice), expires=timezone.now() - timedelta(days=1))


def test_only_the_owner_makes_and_revokes_secret_links(personas):
    portfolio = make_portfolio(personas.alice, visibility=Visibility.ORGANISATION)
    with pytest.raises(PermissionDenied):
        sharing.create_secret_link(actor=personas.ada, portfolio=portfolio)
    link, _ = secret_link(portfolio)
    with pytest.raises(PermissionDenied):
        sharing.revoke_secret_link(actor=personas.ada, link=link)


def test_making_a_secret_link_shows_its_address_once_and_not_in_any_cache(personas, client_for):
    portfolio = make_portfolio(personas.alice)
    owner = client_for(personas.alice)
    response = owner.post(f"/portfolios/{portfolio.pk}/share/links/", {"label": "Panel", "expires": ""})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = response.content.decode().split("/portfolios/s/")[1].split("/")[0]
    assert sharing.open_secret_link(token) is not None
    assert f"/portfolios/s/{token}/" not in owner.get(f"/portfolios/{portfolio.pk}/share/").content.decode()


def test_revoking_a_secret_link_from_the_sharing_page(personas, client_for):
    portfolio = make_portfolio(personas.alice)
    link, token = secret_link(portfolio)
    response = client_for(personas.alice).post(f"/portfolios/{portfolio.pk}/share/links/{link.pk}/revoke")
    assert response.status_code == 302
    assert sharing.open_secret_link(token) is None


def test_secret_link_use_is_counted_without_a_write_per_view(personas, client):
    link, token = secret_link(make_portfolio(personas.alice))
    for _ in range(5):
        client.get(f"/portfolios/s/{token}/")
    link.refresh_from_db()
    assert link.use_count == 1  # the first view is written at once, the next four wait in the cache
    assert link.last_used is not None
    cache.delete(f"portfolios:secret-link:{link.pk}:uses:written")  # a minute later
    client.get(f"/portfolios/s/{token}/")
    link.refresh_from_db()
    assert link.use_count == 6


def test_a_secret_link_view_writes_nothing_to_the_database_within_the_minute(personas, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, token = secret_link(make_portfolio(personas.alice))
    client.get(f"/portfolios/s/{token}/")
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/portfolios/s/{token}/")
    assert not [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]


def test_an_unknown_page_of_a_secret_link_is_a_friendly_404(personas, client):
    _, token = secret_link(make_portfolio(personas.alice))
    response = client.get(f"/portfolios/s/{token}/no-such-page/")
    assert response.status_code == 404
    assert "no such page" in response.content.decode()


# --- what a secret link opens besides the pages -------------------------------------------------------------------


def _png(name="work.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _with_files(personas):
    """alice's portfolio showing her own private picture, mo's file, and a picture of hers on a private block."""
    from files.services import upload_file

    portfolio = make_portfolio(personas.alice)
    page = portfolio.pages.order_by("position").first()
    mine = upload_file(owner=personas.alice, uploaded=_png("mine.png"), visibility=Visibility.PRIVATE)
    hidden = upload_file(owner=personas.alice, uploaded=_png("hidden.png"), visibility=Visibility.PRIVATE)
    theirs = upload_file(owner=personas.mo, uploaded=_png("theirs.png"), visibility=Visibility.ORGANISATION)
    add_block(actor=personas.alice, page=page, kind="artefact", title="My work", item=mine)
    add_block(actor=personas.alice, page=page, kind="embed", title="Mo's work", item=theirs)
    add_block(actor=personas.alice, page=page, kind="artefact", title="Hidden", item=hidden, private=True)
    return portfolio, mine, hidden, theirs


def test_a_secret_link_opens_the_owners_own_files_on_its_pages(personas, client):
    portfolio, mine, _, _ = _with_files(personas)
    _, token = secret_link(portfolio)
    page = client.get(f"/portfolios/s/{token}/").content.decode()
    assert f"/portfolios/s/{token}/files/{mine.pk}/download" in page
    response = client.get(f"/portfolios/s/{token}/files/{mine.pk}/download")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_secret_link_never_opens_other_peoples_items_or_files_on_private_blocks(personas, client):
    portfolio, _, hidden, theirs = _with_files(personas)
    _, token = secret_link(portfolio)
    page = client.get(f"/portfolios/s/{token}/").content.decode()
    assert "theirs.png" not in page and "This item is not shared with you." in page
    for item in (hidden, theirs):
        assert client.get(f"/portfolios/s/{token}/files/{item.pk}/download").status_code == 404


def test_a_revoked_secret_link_no_longer_opens_files(personas, client):
    portfolio, mine, _, _ = _with_files(personas)
    link, token = secret_link(portfolio)
    sharing.revoke_secret_link(actor=personas.alice, link=link)
    assert client.get(f"/portfolios/s/{token}/files/{mine.pk}/download").status_code == 404


def test_a_secret_link_shows_the_journal_without_private_reflections(personas, client):
    portfolio = make_portfolio(personas.alice)
    add_entry(
        actor=personas.alice,
        portfolio=portfolio,
        title="Second sprint",
        answers=[{"prompt": "What happened?", "answer": "LIME open reflection"}],
    )
    _, token = secret_link(portfolio)
    response = client.get(f"/portfolios/s/{token}/journal/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "First sprint" in body and "LIME open reflection" in body
    assert "MANGO" not in body
    assert "noindex" in response["X-Robots-Tag"]
