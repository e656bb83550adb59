"""Writes shared by every item kind: items, tags, activities, watches."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from core.models import Activity, Item, SiteConfig, Tag, Visibility, Watch


def parse_tags(text: str) -> list[str]:
    """Tags typed as 'python, data science' or '#python #data'."""
    names = []
    for part in text.replace("#", ",").split(","):
        name = " ".join(part.split())[:60]
        if name and slugify(name) and name.lower() not in (n.lower() for n in names):
            names.append(name)
    return names


def set_tags(*, item: Item, names: Iterable[str]) -> None:
    """Label the item with exactly these tags, making the ones nobody used before (three queries at most)."""
    wanted: dict[str, str] = {}
    for name in names:
        slug = slugify(name)[:60]
        if slug and slug not in wanted:
            wanted[slug] = " ".join(name.split())[:60]
    tags = list(Tag.objects.filter(slug__in=wanted)) if wanted else []
    missing = wanted.keys() - {tag.slug for tag in tags}
    if missing:
        # ignore_conflicts: someone else may make the same tag at the same moment.
        Tag.objects.bulk_create([Tag(slug=slug, name=wanted[slug]) for slug in missing], ignore_conflicts=True)
        tags += Tag.objects.filter(slug__in=missing)
    item.tags.set(tags)


def record_activity(*, actor, verb: str, item=None, space=None, target=None, extra=None) -> Activity:
    """Write an activity and, once the transaction commits, queue its fan-out."""
    from core.tasks import fan_out_activity

    if space is None and item is not None:
        space = item.space
    activity = Activity.objects.create(actor=actor, verb=verb, item=item, space=space, target=target, extra=extra or {})
    if not activity.extra.get("quiet"):  # one row of a bulk change that announces itself once: nobody to tell
        transaction.on_commit(lambda: fan_out_activity.enqueue(activity.pk))
    return activity


def check_visibility(*, visibility: str, space, shared_with: Sequence, noun: str = "file") -> None:
    """Refuse a visibility that cannot hold for this item, with a message that says why."""
    if visibility not in Visibility.values:
        raise ValidationError(f"“{visibility}” is not a visibility; choose one of: {', '.join(Visibility.values)}.")
    if visibility == Visibility.SPACE and space is None:
        raise ValidationError(f"Only a {noun} in a space can be limited to the space's members.")
    if visibility == Visibility.PUBLIC and not SiteConfig.load().public_web:
        raise ValidationError("This site does not allow items to be public on the web.")
    if visibility == Visibility.PEOPLE and not shared_with:
        raise ValidationError(f"Name at least one person to share the {noun} with.")


@transaction.atomic
def create_item(
    *,
    owner,
    kind: str,
    title: str,
    summary: str = "",
    space=None,
    visibility: str,
    tags: Iterable[str] = (),
    shared_with: Iterable = (),
) -> Item:
    item = Item.objects.create(
        owner=owner, kind=kind, title=title.strip(), summary=summary.strip(), space=space, visibility=visibility
    )
    set_tags(item=item, names=tags)
    if shared_with:
        item.shared_with.set(shared_with)
    return item


@transaction.atomic
def update_item(
    *, item: Item, title: str, summary: str, visibility: str, tags: Iterable[str], shared_with=None
) -> Item:
    item.title = title.strip()
    item.summary = summary.strip()
    item.visibility = visibility
    item.save()
    set_tags(item=item, names=tags)
    if shared_with is not None:
        item.shared_with.set(shared_with)
    return item


def watch(*, user, space=None, item=None) -> Watch:
    watch, _ = Watch.objects.get_or_create(user=user, space=space, item=item)
    return watch


def unwatch(*, user, space=None, item=None) -> None:
    Watch.objects.filter(user=user, space=space, item=item).delete()
