"""The offline site: a person's portfolio (or all of them) as a zip of web pages that open from disk.

Layout of the zip::

    index.html                  every portfolio, its pages and journal, and the skills claimed
    style.css                   the one stylesheet
    p12-my-best-work/about-me.html   one file per page
    p12-my-best-work/journal.html    a process portfolio's journal
    files/0-photo.png           the files the pages show

Every link is relative, so it works from ``file://`` with no server and no network. The owner is the
only person an export is made for, so private blocks and private reflections are in it, marked
"Private". Files are streamed into the zip in chunks (``portfolios.leap2a._copy_file``), and the pages
are rendered one at a time, so memory stays bounded.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import IO

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from portfolios import queries
from portfolios.leap2a import (
    Collection,
    ExportSummary,
    _copy_file,
    _Progress,
    markdown_html,
)
from portfolios.models import Block, Portfolio, PortfolioPage


def _folder(p: Portfolio) -> str:
    return f"p{p.pk}-{slugify(p.item.title)[:50] or 'portfolio'}"


def _page_file(page: PortfolioPage) -> str:
    return f"{page.slug or 'page'}.html"


class _Site:
    def __init__(self, collection: Collection, archive: zipfile.ZipFile, summary: ExportSummary, progress):
        self.c, self.archive, self.summary, self.progress = collection, archive, summary, progress
        self.exported = timezone.localtime()

    def put(self, name: str, text: str) -> None:
        info = zipfile.ZipInfo(name, date_time=self.exported.timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self.archive.writestr(info, text.encode("utf-8"))
        self.summary.entries += 1
        self.progress.add(1)

    def render(self, template: str, context: dict, *, root: str) -> str:
        return render_to_string(
            f"portfolios/{template}",
            {"root": root, "owner": self.c.owner, "exported": self.exported, **context},
        )

    def nav(self, p: Portfolio) -> list[dict]:
        items = [{"title": page.title, "href": _page_file(page)} for page in self.c.pages[p.pk]]
        if self.c.entries[p.pk]:
            items.append({"title": "Journal", "href": "journal.html"})
        return items

    def write(self) -> None:
        self.put("style.css", render_to_string("portfolios/export_site.css"))
        portfolios = []
        for p in self.c.portfolios:
            folder = _folder(p)
            pages = self.c.pages[p.pk]
            for page in pages:
                self.page(p, page, folder)
            if self.c.entries[p.pk]:
                self.journal(p, folder)
            first = f"{folder}/{_page_file(pages[0])}" if pages else f"{folder}/journal.html"
            portfolios.append(
                {
                    "title": p.item.title,
                    "summary": p.item.summary,
                    "kind": p.get_kind_display(),
                    "href": first,
                    "pages": [{"title": pg.title, "href": f"{folder}/{_page_file(pg)}"} for pg in pages],
                    "journal": f"{folder}/journal.html" if self.c.entries[p.pk] else "",
                }
            )
            self.summary.portfolios += 1
        claims = [self.claim(c) for c in self.c.claims]
        self.put(
            "index.html", self.render("export_site_index.html", {"portfolios": portfolios, "claims": claims}, root="")
        )

    def claim(self, claim) -> dict:
        self.summary.claims += 1
        self.summary.endorsements += len(claim.endorsements.all())
        return {
            "skill": claim.skill.name,
            "level": _level_name(claim, claim.level),
            "state": claim.get_state_display(),
            "statement": markdown_html(claim.statement),
            "evidence": [ev.note or "Evidence" for ev in claim.evidence.all()],
            "endorsements": [
                {"name": e.endorser.name, "level": _level_name(claim, e.level), "comment": e.comment}
                for e in claim.endorsements.all()
            ],
        }

    def page(self, p: Portfolio, page: PortfolioPage, folder: str) -> None:
        columns: list[list[dict]] = [[] for _ in range(page.columns)]
        for block in self.c.blocks[page.pk]:
            columns[min(block.column, page.columns - 1)].append(self.block(p, block))
            self.summary.blocks += 1
            if block.private:
                self.summary.private_parts += 1
        context = {
            "portfolio": p,
            "page": page,
            "columns": columns,
            "layout": page.layout,
            "nav": self.nav(p),
            "current": _page_file(page),
        }
        self.put(f"{folder}/{_page_file(page)}", self.render("export_site_page.html", context, root="../"))
        self.summary.pages += 1

    def file_href(self, item_id: int) -> str:
        exported = self.c.files.get(item_id)
        return f"../{exported.path}" if exported else ""

    def block(self, p: Portfolio, block: Block) -> dict:
        html = ""
        files = []
        kind = block.kind
        if kind == Block.Kind.TEXT:
            html = markdown_html(block.body)
        elif kind == Block.Kind.REFLECTION:
            html = "".join(
                f"<h4>{_esc(a.get('prompt', ''))}</h4>{markdown_html(a.get('answer', ''))}" for a in block.answers or []
            )
        elif kind == Block.Kind.TIMELINE:
            html = markdown_html(block.body)
            events = list(block.events or [])
            events += [
                {"date": e.happened.isoformat(), "title": e.title, "text": ""} for e in self.c.entries.get(p.pk, [])
            ]
            html += (
                "<ol class='timeline'>"
                + "".join(
                    f"<li><time>{_esc(e.get('date', ''))}</time> <strong>{_esc(e.get('title', ''))}</strong> "
                    f"{_esc(e.get('text', ''))}</li>"
                    for e in sorted(events, key=lambda e: e.get("date", ""))
                )
                + "</ol>"
            )
        elif kind == Block.Kind.SKILLS:
            claims = [c for c in self.c.claims if c.portfolio_id == p.pk]
            html = (
                "<ul>"
                + "".join(
                    f"<li>{_esc(c.skill.name)}: {_esc(_level_name(c, c.level))}"
                    f"{' (endorsed)' if c.state == c.State.ENDORSED else ''}</li>"
                    for c in claims
                )
                + "</ul>"
                if claims
                else "<p>No skills claimed yet.</p>"
            )
        elif kind == Block.Kind.GALLERY:
            for image in block.images.all():
                if image.item_id in self.c.files:
                    files.append(
                        {
                            "href": self.file_href(image.item_id),
                            "title": self.c.files[image.item_id].title,
                            "caption": image.caption,
                            "image": True,
                        }
                    )
        else:
            html = markdown_html(block.body)
            if block.enrolment_id:
                html += f"<p>Completed the course <strong>{_esc(block.enrolment.course.item.title)}</strong>.</p>"
            elif block.item_id in self.c.files:
                exported = self.c.files[block.item_id]
                files.append(
                    {
                        "href": self.file_href(block.item_id),
                        "title": exported.title,
                        "caption": exported.name,
                        "image": exported.content_type.startswith("image/"),
                    }
                )
            elif block.item_id and self.c.visible(block.item_id):
                html += f"<p>{_esc(block.item.get_kind_display())}: <strong>{_esc(block.item.title)}</strong></p>"
        return {
            "title": block.title,
            "kind": kind,
            "kind_label": block.get_kind_display(),
            "private": block.private,
            "html": html,
            "files": files,
        }

    def journal(self, p: Portfolio, folder: str) -> None:
        entries = []
        for entry in sorted(self.c.entries[p.pk], key=lambda e: (e.happened, e.pk), reverse=True):
            answers = queries.entry_answers(self.c.owner, entry)
            if entry.reflection_private and answers:
                self.summary.private_parts += 1
            evidence = None
            if entry.item_id in self.c.files:
                evidence = {"href": self.file_href(entry.item_id), "title": self.c.files[entry.item_id].title}
            entries.append(
                {
                    "title": entry.title,
                    "happened": entry.happened,
                    "body": markdown_html(entry.body),
                    "answers": [
                        {"prompt": a.get("prompt", ""), "answer": markdown_html(a.get("answer", ""))}
                        for a in answers
                        if (a.get("answer") or "").strip()
                    ],
                    "private": entry.reflection_private,
                    "evidence": evidence,
                }
            )
            self.summary.journal_entries += 1
        context = {"portfolio": p, "entries": entries, "nav": self.nav(p), "current": "journal.html"}
        self.put(f"{folder}/journal.html", self.render("export_site_journal.html", context, root="../"))


def _esc(value) -> str:
    from html import escape

    return escape(str(value))


def _level_name(claim, level: int) -> str:
    if claim.framework_id:
        for row in claim.framework.levels or []:
            if row.get("level") == level:
                return str(row.get("name") or level)
    from people.models import PersonSkill

    return str(dict(PersonSkill.Level.choices).get(level, f"level {level}"))


def write_site(
    out: IO[bytes], *, owner, portfolio: Portfolio | None = None, progress: Callable[[int, int], None] | None = None
) -> ExportSummary:
    """Write the offline site of ``owner``'s portfolio (or of everything they own) to ``out`` as a zip."""
    collection = Collection(owner, portfolio)
    total = collection.work()
    tracker = _Progress((lambda done: progress(min(done, total), total)) if progress else None)
    summary = ExportSummary()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        written = {}
        for exported in collection.files.values():
            if _copy_file(archive, exported, tracker):
                written[exported.item_id] = exported
                summary.files += 1
                summary.file_bytes += exported.size
            else:
                summary.left_out.append({"what": exported.name, "reason": "the stored file could not be read"})
        collection.files = written
        _Site(collection, archive, summary, tracker).write()
    tracker.finish()
    return summary


def site_bytes(owner, portfolio: Portfolio | None = None) -> bytes:
    """The whole zip in memory: for tests and small exports only."""
    out = io.BytesIO()
    write_site(out, owner=owner, portfolio=portfolio)
    return out.getvalue()
