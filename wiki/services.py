"""Writes for the wiki: create, save (with three-way merge), revert, move, delete and restore pages; templates.

No edit is ever lost. Every save names the revision it started from (``base_number``). If someone saved
since, the two edits are merged line by line (``wiki.diffing.merge_texts``); when they overlap nothing
is written and the caller gets a ``Conflict`` holding both texts, so the editor can show them and the
person's own text is still in hand. The unique (page, number) constraint is the final guard: two saves
racing past the check cannot both become revision n + 1, and the loser is merged again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from core.access import can_admin, can_create_in, can_edit
from core.models import Activity, Item, ItemKind, Visibility, Watch
from core.services import check_visibility, create_item, record_activity, update_item, watch
from search.index import schedule_index
from wiki import diffing, markdown
from wiki.models import Page, PageLink, PageTemplate, Revision

TITLE_MAX = 200
TEXT_MAX = 300_000  # characters: a long handbook fits; parsing more would let one save tie up a worker
SUMMARY_MAX = 300
SAVE_ATTEMPTS = 5
SUMMARY_SOURCE_CHARS = 8_000
# Addresses a space's wiki uses for itself (wiki/urls.py), which no page may take.
RESERVED_SLUGS = frozenset({"import", "export.zip"})


@dataclass
class Conflict:
    """Two edits that touch the same lines: nothing was saved; both versions are here to resolve."""

    base: Revision  # what the person started from
    theirs: Revision  # the latest revision, saved meanwhile by someone else
    mine: str  # the person's own text, untouched
    marked: str  # a merge of the two with conflict markers around each overlapping region
    regions: int  # how many overlapping regions


@dataclass
class SaveResult:
    page: Page
    revision: Revision | None  # None when there was a conflict, or nothing changed
    merged: bool = False  # saved by merging with edits made meanwhile
    conflict: Conflict | None = None
    unchanged: bool = False  # the text and title were the same as the latest revision: nothing to save


# ---------------------------------------------------------------------------------------------- checks


def _summary(text: str) -> str:
    """The page's card summary: its first paragraph, found in the text's start (parsing a 200 KB page
    for it would double the cost of a save)."""
    return markdown.plain_summary(text[:SUMMARY_SOURCE_CHARS])


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError("A page needs a title.")
    if len(title) > TITLE_MAX:
        raise ValidationError(f"Titles are at most {TITLE_MAX} characters.")
    if "[[" in title or "]]" in title or "|" in title:
        raise ValidationError("Titles cannot contain “[[”, “]]” or “|”, which wiki links use.")
    return title


def _clean_text(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > TEXT_MAX:
        raise ValidationError(f"A page is at most {TEXT_MAX:,} characters; this text has {len(text):,}.")
    if "\x00" in text:
        raise ValidationError("The text contains a NUL character, which pages cannot hold.")
    return text


def _clean_summary(summary: str) -> str:
    summary = " ".join((summary or "").split())
    if len(summary) > SUMMARY_MAX:
        raise ValidationError(f"Edit summaries are at most {SUMMARY_MAX} characters.")
    return summary


def title_key(title: str) -> str:
    """What a [[link]] to ``title`` matches: the title case-folded, spaces collapsed."""
    return " ".join(title.split()).casefold()[:200]


def unique_slug(*, title: str, space=None, area_owner=None, exclude_pk: int | None = None) -> str:
    base = slugify(title, allow_unicode=True)[:180] or "page"
    pages = (
        Page.objects.filter(space=space)
        if space is not None
        else Page.objects.filter(space__isnull=True, area_owner=area_owner)
    )
    if exclude_pk is not None:
        pages = pages.exclude(pk=exclude_pk)
    taken = set(pages.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_parent(*, parent: Page | None, space, area_owner, page: Page | None = None) -> None:
    if parent is None:
        return
    if parent.space_id != (space.pk if space else None) or (
        space is None and parent.area_owner_id != (area_owner.pk if area_owner else None)
    ):
        raise ValidationError("A page's parent must be in the same wiki.")
    if parent.item.deleted_at is not None:
        raise ValidationError("The parent page has been deleted.")
    if page is not None:
        ancestor, depth = parent, 0
        while ancestor is not None and depth < 100:
            if ancestor.pk == page.pk:
                raise ValidationError("A page cannot be moved under itself or one of its own sub-pages.")
            ancestor, depth = ancestor.parent, depth + 1


# ------------------------------------------------------------------------------------------ page writes


@transaction.atomic
def create_page(
    *,
    author,
    title: str,
    text: str = "",
    space=None,
    parent: Page | None = None,
    visibility: str = Visibility.ORGANISATION,
    tags: Iterable[str] = (),
    shared_with: Sequence = (),
    summary: str = "",
    created=None,
    notify: bool = True,
) -> Page:
    """A new page in ``space`` (or the author's own area), with its first revision."""
    if not can_create_in(author, space):
        raise PermissionDenied("Only members of a space can write pages in it.")
    title = _clean_title(title)
    text = _clean_text(text)
    summary = _clean_summary(summary)
    check_visibility(visibility=visibility, space=space, shared_with=shared_with, noun="page")
    area_owner = None if space is not None else author
    _check_parent(parent=parent, space=space, area_owner=area_owner)
    item = create_item(
        owner=author,
        kind=ItemKind.PAGE,
        title=title,
        summary=_summary(text),
        space=space,
        visibility=visibility,
        tags=tags,
        shared_with=shared_with,
    )
    if created is not None:
        Item.objects.filter(pk=item.pk).update(created=created)
        item.created = created
    position = Page.objects.filter(space=space, area_owner=area_owner, parent=parent).count()
    page = Page.objects.create(
        item=item,
        space=space,
        area_owner=area_owner,
        parent=parent,
        slug=unique_slug(title=title, space=space, area_owner=area_owner),
        title_key=title_key(title),
        position=position,
    )
    revision = _write_revision(
        page=page,
        author=author,
        title=title,
        text=text,
        base=None,
        summary=summary or "Created the page",
        minor=False,
        created=created,
    )
    _set_links(page=page, text=text)
    _adopt_links_to(page=page)
    Watch.objects.create(user=author, item=item)
    extra = {"revision": revision.number} | ({} if notify else {"quiet": True})
    record_activity(actor=author, verb=Activity.Verb.CREATED, item=item, extra=extra)
    schedule_index(item)
    return page


def save_page(
    *,
    page: Page,
    author,
    text: str,
    base_number: int,
    title: str | None = None,
    summary: str = "",
    minor: bool = False,
    created=None,
    notify: bool = True,
) -> SaveResult:
    """Save an edit made from revision ``base_number``, merging with anything saved since.

    Returns the new revision, or a ``Conflict`` (nothing written) when the edits overlap.
    """
    if not can_edit(author, page.item):
        raise PermissionDenied("You cannot edit this page.")
    text = _clean_text(text)
    new_title = _clean_title(title) if title is not None else None
    summary = _clean_summary(summary)
    for _ in range(SAVE_ATTEMPTS):
        try:
            with transaction.atomic():
                return _save_once(
                    page=page,
                    author=author,
                    text=text,
                    base_number=base_number,
                    title=new_title,
                    summary=summary,
                    minor=minor,
                    created=created,
                    notify=notify,
                )
        except IntegrityError:
            # Someone else's revision took the number between our read and our write: merge again.
            page.refresh_from_db()
            continue
    raise ValidationError("The page is being saved by many people at once; please save again.")


def _save_once(*, page, author, text, base_number, title, summary, minor, created, notify) -> SaveResult:
    page = Page.objects.select_for_update(of=("self",)).select_related("item", "current").get(pk=page.pk)
    latest = page.current
    if base_number > latest.number or base_number < 1:
        raise ValidationError(f"This page has no revision {base_number}.")
    merged = False
    if base_number != latest.number:
        base = Revision.objects.get(page=page, number=base_number)
        result = diffing.merge_texts(base.text, text, latest.text)
        if result.conflicts:
            return SaveResult(
                page=page,
                revision=None,
                conflict=Conflict(base=base, theirs=latest, mine=text, marked=result.marked, regions=result.conflicts),
            )
        # A title changed on one side only follows that side; changed on both, the later save wins.
        if title is None or title == base.title:
            title = latest.title
        text, merged = result.text, True
    else:
        base = latest
    title = title or latest.title
    if text == latest.text and title == latest.title:
        return SaveResult(page=page, revision=None, unchanged=True)
    revision = _write_revision(
        page=page,
        author=author,
        title=title,
        text=text,
        base=base,
        summary=summary,
        minor=minor,
        merged=merged,
        created=created,
    )
    item = page.item
    changed_title = title != item.title
    if changed_title:
        page.title_key = title_key(title)
        Page.objects.filter(pk=page.pk).update(title_key=page.title_key)
    item.title = title
    item.summary = _summary(text)
    item.save(update_fields=["title", "summary", "updated"])
    if changed_title:
        _adopt_links_to(page=page)
    _set_links(page=page, text=text)
    watch(user=author, item=item)
    record_activity(
        actor=author,
        verb=Activity.Verb.UPDATED,
        item=item,
        extra={"revision": revision.number, "summary": summary, "minor": minor, "merged": merged}
        | ({} if notify else {"quiet": True}),
    )
    schedule_index(item)
    return SaveResult(page=page, revision=revision, merged=merged)


def _write_revision(
    *,
    page: Page,
    author,
    title: str,
    text: str,
    base: Revision | None,
    summary: str,
    minor: bool,
    merged: bool = False,
    reverted_to: int | None = None,
    created=None,
) -> Revision:
    previous = page.current
    number = (previous.number if previous else 0) + 1
    attribution = diffing.attribute(
        previous.attribution if previous else [], previous.text if previous else "", text, number
    )
    revision = Revision.objects.create(
        page=page,
        number=number,
        base=base,
        author=author,
        created=created or timezone.now(),
        title=title,
        text=text,
        summary=summary,
        minor=minor,
        size=len(text),
        merged=merged,
        reverted_to=reverted_to,
        attribution=attribution,
    )
    Page.objects.filter(pk=page.pk).update(current=revision, revision_count=F("revision_count") + 1)
    page.current = revision
    page.revision_count += 1
    return revision


@transaction.atomic
def revert_page(*, page: Page, author, number: int) -> Revision:
    """Make revision ``number``'s text and title current again, as a new revision."""
    if not can_edit(author, page.item):
        raise PermissionDenied("You cannot edit this page.")
    page = Page.objects.select_for_update(of=("self",)).select_related("item", "current").get(pk=page.pk)
    old = Revision.objects.filter(page=page, number=number).first()
    if old is None:
        raise ValidationError(f"This page has no revision {number}.")
    if old.pk == page.current_id:
        raise ValidationError("That is already the current revision.")
    revision = _write_revision(
        page=page,
        author=author,
        title=old.title,
        text=old.text,
        base=page.current,
        summary=f"Reverted to revision {number}",
        minor=False,
        reverted_to=number,
    )
    item = page.item
    if old.title != item.title:
        page.title_key = title_key(old.title)
        Page.objects.filter(pk=page.pk).update(title_key=page.title_key)
        _adopt_links_to(page=page)
    item.title = old.title
    item.summary = _summary(old.text)
    item.save(update_fields=["title", "summary", "updated"])
    _set_links(page=page, text=old.text)
    record_activity(
        actor=author, verb=Activity.Verb.UPDATED, item=item, extra={"revision": revision.number, "reverted_to": number}
    )
    schedule_index(item)
    return revision


@transaction.atomic
def update_page_settings(
    *,
    page: Page,
    actor,
    parent: Page | None,
    visibility: str,
    tags: Iterable[str],
    shared_with: Sequence | None = None,
    slug: str | None = None,
) -> Page:
    """Move a page under another parent, change who may see it, its tags or its address."""
    item = page.item
    if not can_edit(actor, item):
        raise PermissionDenied("You cannot change this page.")
    if visibility != item.visibility and not can_admin(actor, item):
        raise PermissionDenied("Only the page's owner or a space moderator can change who may see it.")
    check_visibility(visibility=visibility, space=page.space, shared_with=shared_with or [], noun="page")
    _check_parent(parent=parent, space=page.space, area_owner=page.area_owner, page=page)
    if slug is not None and slug != page.slug:
        clean = slugify(slug, allow_unicode=True)[:200]
        if not clean:
            raise ValidationError("An address needs at least one letter or digit.")
        if unique_slug(title=clean, space=page.space, area_owner=page.area_owner, exclude_pk=page.pk) != clean:
            raise ValidationError(f"Another page in this wiki already has the address “{clean}”.")
        page.slug = clean
    if parent != page.parent:
        page.parent = parent
        page.position = Page.objects.filter(space=page.space, area_owner=page.area_owner, parent=parent).count()
    page.save()
    update_item(
        item=item, title=item.title, summary=item.summary, visibility=visibility, tags=tags, shared_with=shared_with
    )
    record_activity(actor=actor, verb=Activity.Verb.UPDATED, item=item, extra={"settings": True, "minor": True})
    schedule_index(item)
    return page


@transaction.atomic
def delete_page(*, page: Page, actor) -> None:
    """Soft delete: the page and its history stay, hidden, until someone restores it."""
    item = page.item
    if not can_admin(actor, item):
        raise PermissionDenied("Only the page's owner, a space moderator or an administrator can delete it.")
    item.deleted_at = timezone.now()
    item.save(update_fields=["deleted_at"])
    # Sub-pages move up to the deleted page's parent rather than disappearing with it.
    Page.objects.filter(parent=page).update(parent=page.parent)
    PageLink.objects.filter(target=page).update(target=None)
    record_activity(actor=actor, verb=Activity.Verb.DELETED, item=item)
    schedule_index(item)


@transaction.atomic
def restore_page(*, page: Page, actor) -> None:
    """Undo ``delete_page``."""
    item = page.item
    if not can_admin(actor, item):
        raise PermissionDenied("Only the page's owner, a space moderator or an administrator can restore it.")
    item.deleted_at = None
    item.save(update_fields=["deleted_at"])
    _adopt_links_to(page=page)
    record_activity(actor=actor, verb=Activity.Verb.UPDATED, item=item, extra={"restored": True})
    schedule_index(item)


# ----------------------------------------------------------------------------------------------- links


def find_page(*, title: str, space=None, area_owner=None) -> Page | None:
    """The live page with this title (case-insensitive) in a space's wiki, or in a person's own area."""
    pages = Page.objects.filter(item__deleted_at__isnull=True, title_key=title_key(title))
    pages = pages.filter(space=space) if space is not None else pages.filter(space__isnull=True, area_owner=area_owner)
    return pages.select_related("item").order_by("pk").first()


def _set_links(*, page: Page, text: str) -> None:
    """Record the page's ``[[links]]``, resolved to pages where they exist, for backlinks and red links."""
    from spaces.models import Space

    PageLink.objects.filter(source=page).delete()
    links = markdown.extract_links(text)
    spaces = {s.slug: s for s in Space.objects.filter(slug__in={link.space for link in links if link.space})}
    wanted: dict[tuple[int | None, str], object] = {}
    for link in links:
        space = spaces.get(link.space) if link.space else page.space
        if link.space and space is None:
            continue  # a space that does not exist (or was renamed): nothing to point at
        wanted.setdefault((space.pk if space else None, title_key(link.title)), (space, link.title))
    found = _pages_by_title(wanted, area_owner=page.area_owner)
    PageLink.objects.bulk_create(
        PageLink(source=page, target=found.get(key), target_space=space, target_title=title[:200], target_key=key[1])
        for key, (space, title) in wanted.items()
    )


def _pages_by_title(wanted: dict, *, area_owner) -> dict:
    """{(space id or None, lower-case title): Page} for the live pages among ``wanted``, one query a wiki."""
    found = {}
    by_space: dict[int | None, set[str]] = {}
    for space_id, title in wanted:
        by_space.setdefault(space_id, set()).add(title)
    for space_id, titles in by_space.items():
        pages = Page.objects.filter(item__deleted_at__isnull=True)
        if space_id is None:
            pages = pages.filter(space__isnull=True, area_owner=area_owner)
        else:
            pages = pages.filter(space_id=space_id)
        for p in pages.filter(title_key__in=titles).order_by("pk"):
            found.setdefault((space_id, p.title_key), p)
    return found


def _adopt_links_to(*, page: Page) -> None:
    """Links written before this page existed (or under its new title) now point at it."""
    links = PageLink.objects.filter(target__isnull=True, target_space=page.space, target_key=page.title_key)
    if page.space is None:
        links = links.filter(source__area_owner=page.area_owner)
    links.update(target=page)


# ------------------------------------------------------------------------------------------- templates


def _check_curator(user) -> None:
    from core.access import is_site_admin

    if not (getattr(user, "role", None) == "curator" or is_site_admin(user)):
        raise PermissionDenied("Only curators and administrators manage page templates.")


def create_template(*, actor, name: str, text: str, description: str = "") -> PageTemplate:
    _check_curator(actor)
    name = " ".join((name or "").split())
    if not name or len(name) > 80:
        raise ValidationError("A template needs a name of at most 80 characters.")
    if PageTemplate.objects.filter(name__iexact=name).exists():
        raise ValidationError(f"There is already a template called “{name}”.")
    return PageTemplate.objects.create(
        name=name, description=_clean_summary(description)[:200], text=_clean_text(text), created_by=actor
    )


def update_template(*, template: PageTemplate, actor, name: str, text: str, description: str = "") -> PageTemplate:
    _check_curator(actor)
    name = " ".join((name or "").split())
    if not name or len(name) > 80:
        raise ValidationError("A template needs a name of at most 80 characters.")
    if PageTemplate.objects.filter(name__iexact=name).exclude(pk=template.pk).exists():
        raise ValidationError(f"There is already a template called “{name}”.")
    template.name, template.text = name, _clean_text(text)
    template.description = _clean_summary(description)[:200]
    template.save()
    return template


def delete_template(*, template: PageTemplate, actor) -> None:
    _check_curator(actor)
    template.delete()
