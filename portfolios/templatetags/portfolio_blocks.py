"""A portfolio page's blocks, read-only, built in Python: a page holds up to a hundred blocks of seven kinds, and
an ``{% include %}`` per block and per kind (with the item card inside) cost most of the page's time.

Each block is printed as ``portfolios.queries.prepare_blocks`` readied it: what the viewer may not see is
already left out or marked ``hidden`` there, so nothing here decides visibility. An empty block shows its
guidance ("what to put here") to the owner only; an item the viewer may not see is "not shared with you".

Plain string building with every value escaped by ``_e`` (Django's ``escape``, without its lazy-string wrapper):
``format_html`` costs several times as much and a page calls it hundreds of times.
"""

from __future__ import annotations

import html
from functools import lru_cache

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.safestring import SafeData, SafeString
from django.utils.text import Truncator
from django.utils.timezone import template_localtime
from django.utils.translation import get_language

from core.templatetags.core_cards import icon
from lib.urls import reverse_one, reverse_plain
from people.templatetags.people_tags import level_label
from portfolios.models import Block
from portfolios.queries import Shown

register = template.Library()

Kind = Block.Kind
PRIVATE_BADGE = '<span class="badge pf-private-badge" title="Even when the page is shared">Private: only you</span>'


def _e(value) -> str:
    """``value`` escaped for HTML text or a quoted attribute, unless it is already safe markup."""
    return value if isinstance(value, SafeData) else html.escape(str(value))


@register.simple_tag
def portfolio_block(block, viewer_is_owner=False, in_editor=False) -> SafeString:
    """One block (any kind), as readers see it; ``in_editor`` inside the page editor, which adds its own tools."""
    return block_html(block, viewer_is_owner=bool(viewer_is_owner), in_editor=bool(in_editor))


@register.simple_tag
def shown_card(s: Shown) -> SafeString:
    """An item shown in a block or a journal entry (a ``queries.Shown``): its picture, kind, and where to open
    or download it."""
    thumb = f'<img src="{_e(s.thumb_url)}" alt="" loading="lazy">' if s.thumb_url else icon(s.icon, "32")
    download = (
        f'<p class="small"><a class="no-print" href="{_e(s.download_url)}">Download {_e(s.file_name)}</a></p>'
        if s.download_url
        else ""
    )
    return SafeString(
        '<div class="pf-artefact">\n'
        f'  <a class="pf-thumb" href="{_e(s.url)}" tabindex="-1" aria-hidden="true">{thumb}</a>\n'
        '  <div class="pf-artefact-body">\n'
        f'    <span class="pill">{_e(s.kind_label)}</span>\n'
        f'    <p class="pf-artefact-title"><a href="{_e(s.url)}" data-print-url="{_e(s.print_url)}">'
        f"{_e(s.title)}</a></p>\n"
        f"    {_external(s)}{download}{_by(s)}\n"
        "  </div>\n"
        "</div>\n"
    )


def block_html(block, *, viewer_is_owner: bool, in_editor: bool = False) -> SafeString:
    if block.empty and not viewer_is_owner:
        return SafeString("")
    badge = block.private and viewer_is_owner and not in_editor
    classes = f"pf-block pf-block-{_e(block.kind)}{' is-empty' if block.empty else ''}"
    classes += " is-private" if block.private else ""
    anchor = "" if in_editor else f' id="block-{block.pk}"'
    label = f' aria-label="{_e(block.title)}"' if block.title else ""
    head = ""
    if block.title or badge:
        title = f'<h3 class="pf-block-title">{_e(block.title)}</h3>' if block.title else ""
        head = f'\n  <div class="pf-block-head">{title}{PRIVATE_BADGE if badge else ""}</div>'
    if block.empty:
        body = _hint(block, in_editor)
    else:
        body = _BODIES.get(block.kind, _nothing)(block, viewer_is_owner, in_editor)
    return SafeString(f'<section class="{classes}"{anchor}{label}>{head}\n  {body}\n</section>\n')


def _hint(block, in_editor: bool) -> str:
    action = ""
    if not in_editor:
        portfolio_pk = block.page.portfolio_id
        if block.kind == Kind.SKILLS:
            url = f"{reverse_plain('portfolios:claim-new')}?portfolio={portfolio_pk}"
            action = f'<a class="btn btn-small no-print" href="{_e(url)}">Claim a skill</a>'
        else:
            url = reverse("portfolios:block-edit", args=[portfolio_pk, block.pk])
            action = f'<a class="btn btn-small no-print" href="{_e(url)}">Fill it in</a>'
    return (
        '<div class="pf-hint">\n    <p class="pf-hint-h">What to put here</p>\n'
        f"    <p>{_e(block.help)}</p>\n    {action}\n  </div>"
    )


def _prose(block) -> str:
    return f'<div class="prose">{_e(block.html)}</div>' if block.html else ""


def _nothing(block, viewer_is_owner: bool, in_editor: bool) -> str:
    return ""


def _text(block, viewer_is_owner: bool, in_editor: bool) -> str:
    return f'<div class="prose">{_e(block.html)}</div>'


def _artefact(block, viewer_is_owner: bool, in_editor: bool) -> str:
    if block.shown:
        shown = shown_card(block.shown)
    elif block.course:
        completed_at = block.enrolment.completed_at
        when = ""
        if completed_at:
            local = template_localtime(completed_at)
            when = f'<time datetime="{_e(date_filter(local, "c"))}">{_e(date_filter(local, "j M Y"))}</time>'
        source = "Recorded by the course" if block.enrolment.verified_completion else "Self-reported"
        shown = (
            '<div class="pf-completion">\n'
            '  <span class="pf-completion-mark" aria-hidden="true">✓</span>\n'
            '  <div class="pf-artefact-body">\n'
            '    <span class="pill">Course completed</span>\n'
            f'    <p class="pf-artefact-title"><a href="{_e(block.course.get_absolute_url())}">'
            f"{_e(block.course.title)}</a></p>\n"
            f'    <p class="meta">{when}<span>{source}</span></p>\n'
            "  </div>\n"
            "</div>"
        )
    elif block.hidden:
        shown = '<p class="pf-hidden">This piece of work is not shared with you.</p>'
    else:
        shown = ""
    return f"{shown}\n{_prose(block)}"


def _embed(block, viewer_is_owner: bool, in_editor: bool) -> str:
    s = block.shown
    if s:
        url, title, media_url = _e(s.url), _e(s.title), _e(s.media_url)
        if s.media == "image":
            media = f'<a href="{url}"><img class="pf-embed-media" src="{media_url}" alt="{title}" loading="lazy"></a>'
        elif s.media == "video":
            media = f'<video class="pf-embed-media" src="{media_url}" controls preload="metadata"></video>'
        elif s.media == "audio":
            media = f'<audio src="{media_url}" controls preload="metadata" style="width:100%"></audio>'
        elif s.media == "pdf":
            media = f'<iframe class="pf-embed-pdf" src="{media_url}" title="{title}" loading="lazy"></iframe>'
        else:
            summary = f"<p>{_e(Truncator(s.summary).chars(600))}</p>" if s.summary else ""
            media = (
                '<div class="pf-embed-card">\n'
                f'    <span class="pill">{_e(s.kind_label)}</span>\n'
                f'    <p class="pf-artefact-title"><a href="{url}" data-print-url="{_e(s.print_url)}">{title}</a></p>\n'
                f"    {summary}{_external(s)}{_by(s)}\n"
                "  </div>"
            )
        foot = ""
        if s.media:
            by = f"<span>by {_e(s.owner)}</span>" if s.owner else ""
            foot = (
                f'\n  <p class="pf-embed-foot meta"><a href="{url}" data-print-url="{_e(s.print_url)}">{title}</a>'
                f"{by}</p>"
            )
        shown = f'<div class="pf-embed">\n  {media}{foot}\n</div>'
    elif block.hidden:
        shown = '<p class="pf-hidden">This item is not shared with you.</p>'
    else:
        shown = ""
    return f"{shown}\n{_prose(block)}"


def _gallery(block, viewer_is_owner: bool, in_editor: bool) -> str:
    out = ""
    if block.images_shown:
        rows = []
        for image in block.images_shown:
            s = image.shown
            caption = f"<figcaption>{_e(image.caption)}</figcaption>" if image.caption else ""
            rows.append(
                f'  <li><figure>\n    <a href="{_e(s.url)}"><img src="{_e(s.thumb_url or s.media_url)}" '
                f'alt="{_e(image.caption or s.title)}" loading="lazy"></a>\n    {caption}\n  </figure></li>\n'
            )
        out = f'<ul class="pf-gallery" role="list">\n{"".join(rows)}</ul>\n'
    if block.images_hidden:
        count = block.images_hidden
        out += f'<p class="pf-hidden">{count} image{" is" if count == 1 else "s are"} not shared with you.</p>'
    return out


def _reflection(block, viewer_is_owner: bool, in_editor: bool) -> str:
    rows = "".join(
        f"<dt>{_e(a.get('prompt', ''))}</dt><dd>{linebreaksbr(str(a.get('answer', '')), autoescape=True)}</dd>"
        for a in block.answered
    )
    return f'<dl class="pf-reflection">\n    {rows}\n  </dl>'


def _skills(block, viewer_is_owner: bool, in_editor: bool) -> str:
    claims = ""
    if block.claims:
        claims = f'<ul class="pf-claims" role="list">\n{"".join(_claim(c) for c in block.claims)}</ul>\n'
    more = ""
    if viewer_is_owner and not in_editor:
        url = f"{reverse_plain('portfolios:claim-new')}?portfolio={block.page.portfolio_id}"
        more = f'<p class="no-print small" style="margin:.5rem 0 0"><a href="{_e(url)}">Claim another skill</a></p>'
    return f"{_prose(block)}\n{claims}{more}"


def _claim(claim) -> str:
    if claim.framework_id:
        level = f"{claim.framework.title}: level {claim.level}"
    else:
        level = level_label(claim.level) or claim.level
    endorsements = claim.endorsements.all()
    if endorsements:
        names = ", ".join(e.endorser.name for e in endorsements)
        badge = f'<span class="badge pf-endorsed" title="{_e(names)}">Endorsed by {len(endorsements)}</span>'
    elif claim.state == "draft":
        badge = '<span class="badge">Draft: only you</span>'
    else:
        badge = '<span class="badge">Claimed</span>'
    statement = ""
    if claim.statement:
        statement = f'<p class="pf-claim-statement">{_e(Truncator(claim.statement).chars(240))}</p>'
    skill = f'<a class="pf-claim-skill" href="{_e(claim.skill.get_absolute_url())}">{_e(claim.skill.name)}</a>'
    return (
        f'  <li>\n    {skill}\n    <span class="level-badge">{_e(level)}</span>\n    {badge}\n    {statement}\n'
        "  </li>\n"
    )


def _timeline(block, viewer_is_owner: bool, in_editor: bool) -> str:
    if not block.timeline:
        return ""
    journal = _e(reverse_one("portfolios:journal", block.page.portfolio_id))
    language = get_language()
    rows = []
    for row in block.timeline:
        iso, day = _day(row["date"], language)
        if row["entry"]:
            title = f'<a class="pf-timeline-title" href="{journal}#entry-{row["entry"]}">{_e(row["title"])}</a>'
            kind = "is-entry"
        else:
            title = f'<span class="pf-timeline-title">{_e(row["title"])}</span>'
            kind = "is-milestone"
        text = f"<p>{_e(row['text'])}</p>" if row["text"] else ""
        when = f'<time datetime="{iso}">{day}</time>'
        rows.append(f'  <li class="{kind}">\n    {when}\n    {title}\n    {text}\n  </li>\n')
    return f'<ol class="pf-timeline" role="list">\n{"".join(rows)}</ol>'


@lru_cache(maxsize=1024)
def _day(day, language: str) -> tuple[str, str]:
    # A timeline prints dates (not moments), the same few again and again; Django's date formatting is slow.
    return _e(date_filter(day, "Y-m-d")), _e(date_filter(day, "j M Y"))


def _external(s: Shown) -> str:
    if not s.external_url:
        return ""
    return f'<p class="small"><a href="{_e(s.external_url)}" rel="noopener noreferrer">{_e(s.domain)} ↗</a></p>'


def _by(s: Shown) -> str:
    return f'<p class="meta">by {_e(s.owner)}</p>' if s.owner else ""


_BODIES = {
    Kind.TEXT: _text,
    Kind.ARTEFACT: _artefact,
    Kind.GALLERY: _gallery,
    Kind.EMBED: _embed,
    Kind.REFLECTION: _reflection,
    Kind.SKILLS: _skills,
    Kind.TIMELINE: _timeline,
}
