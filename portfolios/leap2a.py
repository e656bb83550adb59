"""Leap2A 2010-07 (http://www.leapspecs.org/2010-07/2A/): portfolios out to a zip other systems read, and
Leap2A exports (Mahara's and ours) in, planned before anything is written.

The words below are the specification's; "§" names the section of the 2A specification a rule comes from
(Feed, Items, Types, Relationships, Literals, Categories), and "2010-07 changes" the page listing what
changed from 2009-03.

**What an export holds** (a zip: ``leap2a.xml`` and ``files/``):

- the feed (§ Feed): ``leap2:version``, id, title, updated, generator, and the person as the feed's author;
- the person (Types: person) with ``leap2:persondata`` (§ Literals: persondata);
- each portfolio as a ``leap2:selection`` in category ``selection_type#Website`` (what Mahara rebuilds as a
  collection), ``leap2:has_part`` its pages in order (``leap2:display_order``);
- each page as a ``leap2:selection`` of ``selection_type#Webpage``, ``has_part`` its blocks, with Mahara's
  ``mahara:view`` layout (rows, columns, block instances with JSON-array configuration, the form Mahara's
  importer reads) so Mahara rebuilds the page, and its rendering as XHTML content for every other reader;
- each block as an item of its own: text, reflection, timeline, skills and embedded items as
  ``leap2:entry``; an artefact holding a file as a ``leap2:resource`` whose file is an ``enclosure`` in
  ``files/`` (2010-07 changes: "Files"); a link to another item as a ``leap2:resource`` with an Atom
  ``related`` link to its permalink; a course completion as a ``leap2:achievement``; a gallery as a
  ``leap2:selection`` of ``selection_type#Folder`` whose parts are the image resources;
- a process portfolio's journal as a ``leap2:selection`` of ``selection_type#Blog``, its dated entries as
  ``leap2:entry`` parts, and each entry's reflection as a ``leap2:entry`` that ``leap2:reflects_on`` it;
- skill claims as ``leap2:ability`` items (Types: ability, "self-defined and self-claimed ability": the
  skill's name as title, the claim in the content), grouped per portfolio in a ``selection_type#Abilities``
  selection, linked to what supports them with ``leap2:has_evidence`` (and ``leap2:is_evidence_of`` back),
  endorsements as entries authored by the endorser that are evidence of the claim. That is the
  competency map Mahara's own export drops.

Everything needed to rebuild our structures exactly (block kinds, columns, Markdown sources, reflection
prompts, levels, frameworks, privacy) is also written as JSON in elements of our own namespace (Atom
allows foreign markup; other readers skip it). An owner's export is their own data, so it includes
private blocks and private reflections, marked as such (a ``Private`` category and our extension).
Endorsements carry a signature made with this site's secret, so an import re-creates them only when they
are this site's own, for the person they were given to.

**Import** reads a zip (``leap2a.xml`` plus files) or a bare XML file: ``plan_import`` parses defensively
(no DTDs or entities, size caps, zip bombs and path tricks refused, namespaces matched by their tail since
Mahara's 2022 exports rewrote the leap2 and categories URIs to web.archive.org addresses) and says what
would be created and what cannot be mapped, with reasons; ``apply_import`` writes it in one transaction.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html import escape as html_escape
from html.parser import HTMLParser
from pathlib import PurePosixPath
from typing import IO
from urllib.parse import unquote
from xml.etree import ElementTree as ET
from xml.parsers import expat
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File as DjangoFile
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.text import slugify

from core.access import can_view
from core.models import Activity, Item, ItemKind, Visibility
from core.services import create_item, record_activity, watch
from files.models import File
from lib.uploads import UploadRejected, clean_filename, inspect_upload
from portfolios import queries
from portfolios.models import (
    COLUMNS,
    Block,
    BlockImage,
    ClaimEvidence,
    Endorsement,
    Framework,
    ImportJob,
    JournalEntry,
    Layout,
    Portfolio,
    PortfolioPage,
    SkillClaim,
)
from search.index import schedule_index
from wiki.markdown import render as render_markdown
from wiki.markdown import sanitise

# --- the vocabulary ----------------------------------------------------------------------------------

LEAP2A_VERSION = "http://www.leapspecs.org/2010-07/2A/"  # § Feed: the leap2:version element's value
NS_ATOM = "http://www.w3.org/2005/Atom"
NS_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS_LEAP2 = "http://terms.leapspecs.org/"
NS_CATEGORIES = "http://wiki.leapspecs.org/2A/categories/"
# Mahara's extension namespace as Mahara wrote it until 2022; today's Mahara reads this one and its new one.
NS_MAHARA = "http://wiki.mahara.org/Developer_Area/Import%2F%2FExport/LEAP_Extensions#"
NS_XHTML = "http://www.w3.org/1999/xhtml"
NS_WC = "urn:watercooler:leap2a:1"

# § Types: the item types of Leap2A 2010-07.
ITEM_TYPES = frozenset(
    {
        "entry",
        "resource",
        "publication",
        "selection",
        "plan",
        "activity",
        "achievement",
        "ability",
        "affiliation",
        "meeting",
        "person",
        "organization",
    }
)
# Mahara's column widths for each of our layouts (its view_layout_columns), row widths joined by "-".
MAHARA_LAYOUTS = {Layout.ONE: "100", Layout.TWO: "50,50", Layout.WIDE_LEFT: "67,33", Layout.THREE: "33,33,33"}
MAHARA_OWNER_FORMAT = 6  # View::FORMAT_NAME_DISPLAYNAME

MB = 1024 * 1024
READ_CHUNK = 1024 * 1024
MAX_ARCHIVE_BYTES = 4096 * MB  # an export of a person's 500 MB of files re-imports with room to spare
MAX_XML_BYTES = 64 * MB
MAX_MEMBERS = 20_000
MAX_TOTAL_UNPACKED = 8192 * MB
MAX_RATIO = 200  # unpacked ÷ packed for a member over 1 MB: real files are far below, zip bombs far above
MAX_ENTRIES = 20_000  # Atom entries in one feed
MAX_TEXT = 200_000  # characters of one block's text or one journal entry


class ArchiveError(ValidationError):
    """The upload cannot be read as Leap2A at all (not a zip or XML, too large, not well-formed, no feed)."""


# --- small helpers shared by export and import ----------------------------------------------------------

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"})


def _text(value) -> str:
    """Text safe in an XML document: characters XML 1.0 cannot hold removed, markup escaped."""
    return xml_escape(_XML_ILLEGAL.sub("", str(value)))


def _attr(value) -> str:
    return quoteattr(_XML_ILLEGAL.sub("", str(value)))


def _stamp(value: datetime | None) -> str:
    """An RFC 3339 date-time, as Atom's updated and published require (RFC 4287 §3.3)."""
    value = value or timezone.now()
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class _Xhtml(HTMLParser):
    """Sanitised HTML re-written as well-formed XHTML, which Atom's type="xhtml" content must be."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = "".join(
            f" {name}={_attr(value if value is not None else name)}"
            for name, value in attrs
            if re.fullmatch(r"[a-z][a-z0-9_-]*", name)
        )
        if tag in VOID_ELEMENTS:
            self.out.append(f"<{tag}{names}/>")
        else:
            self.out.append(f"<{tag}{names}>")
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag not in self.open:
            return
        while self.open:
            top = self.open.pop()
            self.out.append(f"</{top}>")
            if top == tag:
                break

    def handle_data(self, data):
        self.out.append(_text(data))

    def result(self) -> str:
        self.close()
        while self.open:
            self.out.append(f"</{self.open.pop()}>")
        return "".join(self.out)


def to_xhtml(html: str) -> str:
    parser = _Xhtml()
    parser.feed(html or "")
    return parser.result()


def markdown_html(text: str) -> str:
    return render_markdown(text or "").html


def _answers_html(answers: list[dict]) -> str:
    rows = "".join(
        f"<dt>{html_escape(a.get('prompt', ''))}</dt><dd>{markdown_html(a.get('answer', ''))}</dd>"
        for a in answers or []
    )
    return f"<dl>{rows}</dl>" if rows else ""


def _events_html(events: list[dict]) -> str:
    rows = "".join(
        f"<li><time datetime={quoteattr(e.get('date', ''))}>{html_escape(e.get('date', ''))}</time> "
        f"<strong>{html_escape(e.get('title', ''))}</strong> {html_escape(e.get('text', ''))}</li>"
        for e in events or []
    )
    return f"<ul>{rows}</ul>" if rows else ""


def zip_safe_name(name: str) -> str:
    """A file name for a zip entry and an enclosure href: no folders, no spaces (an href is an IRI)."""
    cleaned = clean_filename(name or "file")
    cleaned = re.sub(r"[^\w.\-]+", "_", cleaned, flags=re.ASCII).strip("._") or "file"
    return cleaned[:120]


def _endorsement_value(*, claim: SkillClaim, endorser_id: int, level: int, created: datetime) -> str:
    return f"{claim.person_id}:{claim.skill_id}:{claim.framework_id or 0}:{endorser_id}:{level}:{_stamp(created)}"


def _signer() -> signing.Signer:
    return signing.Signer(salt="portfolios.leap2a.endorsement")


# =========================================================================================== export


@dataclass
class ExportedFile:
    """One file item carried in ``files/``: where it goes in the zip and how big it is."""

    item_id: int
    path: str
    name: str
    content_type: str
    size: int
    sha256: str
    title: str
    blob_name: str


@dataclass
class ExportSummary:
    """What an export wrote, for the job's report and the shell command."""

    portfolios: int = 0
    pages: int = 0
    blocks: int = 0
    journal_entries: int = 0
    claims: int = 0
    endorsements: int = 0
    files: int = 0
    file_bytes: int = 0
    entries: int = 0
    private_parts: int = 0
    left_out: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "portfolios": self.portfolios,
            "pages": self.pages,
            "blocks": self.blocks,
            "journal_entries": self.journal_entries,
            "claims": self.claims,
            "endorsements": self.endorsements,
            "files": self.files,
            "file_bytes": self.file_bytes,
            "entries": self.entries,
            "private_parts": self.private_parts,
            "left_out": self.left_out[:200],
        }


class Collection:
    """Everything one export covers, read through ``portfolios.queries`` as the owner sees it.

    ``portfolio`` None means everything the person owns: every portfolio and every skill claim. The
    owner is the only viewer an export has, so private blocks and reflections are included (marked).
    """

    def __init__(self, owner, portfolio: Portfolio | None = None):
        self.owner = owner
        qs = Portfolio.objects.filter(item__owner=owner, item__deleted_at__isnull=True).select_related("item")
        if portfolio is not None:
            qs = qs.filter(pk=portfolio.pk)
        self.portfolios = list(qs.prefetch_related("item__tags").order_by("item__created", "pk"))
        self.pages: dict[int, list[PortfolioPage]] = defaultdict(list)
        for page in PortfolioPage.objects.filter(portfolio__in=self.portfolios).order_by("position", "pk"):
            self.pages[page.portfolio_id].append(page)
        by_pk = {p.pk: p for p in self.portfolios}
        self.blocks: dict[int, list[Block]] = {}
        for pages in self.pages.values():
            for page in pages:
                page.portfolio = by_pk[page.portfolio_id]
                self.blocks[page.pk] = list(
                    queries.visible_blocks(owner, page)
                    .select_related("item", "enrolment__course__item")
                    .prefetch_related(Prefetch("images", queryset=BlockImage.objects.select_related("item")))
                    .order_by("column", "position", "pk")
                )
        self.entries: dict[int, list[JournalEntry]] = {}
        for p in self.portfolios:
            entries = list(queries.journal(owner, p).order_by("happened", "pk"))
            for entry in entries:
                entry.portfolio = p
            self.entries[p.pk] = entries
        claims = SkillClaim.objects.filter(person=owner)
        if portfolio is not None:
            claims = claims.filter(portfolio=portfolio)
        self.claims = list(
            claims.select_related("skill", "framework")
            .prefetch_related(
                Prefetch(
                    "evidence",
                    queryset=ClaimEvidence.objects.select_related(
                        "item", "block__page__portfolio__item", "enrolment__course__item"
                    ),
                ),
                Prefetch("endorsements", queryset=Endorsement.objects.select_related("endorser")),
            )
            .order_by("created", "pk")
        )
        self.block_ids = {b.pk for blocks in self.blocks.values() for b in blocks}
        self._visible_items = self._load_visible_items()
        self.files = self._files()

    def _referenced_items(self) -> set[int]:
        ids = set()
        for blocks in self.blocks.values():
            for block in blocks:
                if block.item_id:
                    ids.add(block.item_id)
                ids.update(image.item_id for image in block.images.all())
        for entries in self.entries.values():
            ids.update(e.item_id for e in entries if e.item_id)
        for claim in self.claims:
            ids.update(ev.item_id for ev in claim.evidence.all() if ev.item_id)
        return ids

    def _load_visible_items(self) -> set[int]:
        ids = self._referenced_items()
        if not ids:
            return set()
        return set(Item.objects.visible_to(self.owner).filter(pk__in=ids).values_list("pk", flat=True))

    def visible(self, item_id: int | None) -> bool:
        return item_id is not None and item_id in self._visible_items

    def _files(self) -> dict[int, ExportedFile]:
        file_rows = File.objects.filter(item_id__in=self._visible_items).select_related("item").order_by("item_id")
        out = {}
        for n, detail in enumerate(file_rows):
            out[detail.item_id] = ExportedFile(
                item_id=detail.item_id,
                path=f"files/{n}-{zip_safe_name(detail.original_name)}",
                name=detail.original_name,
                content_type=detail.content_type,
                size=detail.size,
                sha256=detail.sha256,
                title=detail.item.title,
                blob_name=detail.blob.name,
            )
        return out

    @property
    def file_bytes(self) -> int:
        return sum(f.size for f in self.files.values())

    def work(self) -> int:
        """Units of progress: one per KiB of file content, one per Atom entry (a rough, honest measure)."""
        entries = 2 + len(self.claims) * 2
        for p in self.portfolios:
            entries += 3 + len(self.pages[p.pk]) + 2 * len(self.entries[p.pk])
            entries += sum(len(self.blocks[page.pk]) for page in self.pages[p.pk])
        return entries + self.file_bytes // 1024


class _Progress:
    """Calls ``report(done)`` at most every ``every`` units, so a large export writes its progress rarely."""

    def __init__(self, report: Callable[[int], None] | None, every: int = 4096):
        self.report, self.every, self.done, self._last = report, every, 0, 0

    def add(self, units: int) -> None:
        self.done += units
        if self.report is not None and self.done - self._last >= self.every:
            self._last = self.done
            self.report(self.done)

    def finish(self) -> None:
        if self.report is not None:
            self.report(self.done)


def _copy_file(archive: zipfile.ZipFile, exported: ExportedFile, progress: _Progress) -> bool:
    """Stream one stored file into the zip in chunks; no file is ever held in memory whole."""
    info = zipfile.ZipInfo(exported.path, date_time=timezone.localtime().timetuple()[:6])
    # Images, video and office documents are compressed already: deflating them costs time and saves nothing.
    compressible = exported.content_type.startswith("text/") or exported.content_type in ("application/rtf",)
    info.compress_type = zipfile.ZIP_DEFLATED if compressible else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    try:
        source = default_storage.open(exported.blob_name, "rb")
    except OSError:
        return False
    with source, archive.open(info, "w", force_zip64=True) as target:
        while chunk := source.read(READ_CHUNK):
            target.write(chunk)
            progress.add(len(chunk) // 1024)
    return True


class _Feed:
    """Writes leap2a.xml entry by entry into the zip member, so the XML is never held whole either."""

    def __init__(self, stream: IO[str], prefix: str):
        self.stream, self.prefix, self.count = stream, prefix, 0

    def write(self, text: str) -> None:
        self.stream.write(text)

    def entry(
        self,
        *,
        id: str,
        title: str,
        type: str,
        updated: datetime | None,
        published: datetime | None = None,
        author: str = "",
        summary: str = "",
        html: str | None = None,
        text: str | None = None,
        links: Iterable[tuple] = (),
        categories: Iterable[tuple] = (),
        dates: Iterable[tuple] = (),
        mahara: str = "",
        extension: tuple[str, dict] | None = None,
        persondata: Iterable[tuple] = (),
    ) -> None:
        """One Atom entry (§ Items: id, title and updated are required by Atom; rdf:type says the item type)."""
        assert type in ITEM_TYPES, type
        out = ["<entry>", f"<title>{_text(title or 'Untitled')}</title>", f"<id>{_text(id)}</id>"]
        if author:
            out.append(f"<author><name>{_text(author)}</name></author>")
        out.append(f"<updated>{_stamp(updated)}</updated>")
        if published:
            out.append(f"<published>{_stamp(published)}</published>")
        if summary:
            out.append(f"<summary>{_text(summary)}</summary>")
        if html is not None:
            out.append(f'<content type="xhtml"><div xmlns="{NS_XHTML}">{to_xhtml(html)}</div></content>')
        else:
            out.append(f"<content>{_text(text or '')}</content>")
        out.append(f'<rdf:type rdf:resource="leap2:{type}"/>')
        if mahara:
            out.append(mahara)
        for link in links:
            rel, href, *rest = link
            extra = rest[0] if rest else {}
            attrs = "".join(f" {k}={_attr(v)}" for k, v in extra.items() if v not in (None, ""))
            out.append(f"<link rel={_attr(rel)} href={_attr(href)}{attrs}/>")
        for scheme, term, *label in categories:
            scheme_attr = f' scheme="categories:{scheme}#"' if scheme else ""
            label_attr = f" label={_attr(label[0])}" if label and label[0] else ""
            out.append(f"<category term={_attr(term)}{scheme_attr}{label_attr}/>")
        for point, value, label in dates:
            out.append(f'<leap2:date leap2:point="{point}" leap2:label={_attr(label)}>{_text(value)}</leap2:date>')
        for name, value, label in persondata:
            out.append(
                f'<leap2:persondata leap2:field="{name}" leap2:label={_attr(label)}>{_text(value)}</leap2:persondata>'
            )
        if extension is not None:
            tag, data = extension
            out.append(f"<wc:{tag}>{_text(json.dumps(data, ensure_ascii=False, sort_keys=True))}</wc:{tag}>")
        out.append("</entry>\n")
        self.write("".join(out))
        self.count += 1


def _order(n: int) -> dict:
    return {"leap2:display_order": str(n + 1)}


def write_leap2a(
    out: IO[bytes], *, owner, portfolio: Portfolio | None = None, progress: Callable[[int, int], None] | None = None
) -> ExportSummary:
    """Write ``owner``'s portfolio (or everything they own) to ``out`` as a Leap2A zip.

    ``out`` is any writable binary file. Files are streamed in 1 MB chunks and the XML entry by entry, so
    memory stays bounded whatever the size; ``progress(done, total)`` is called now and then.
    """
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
        info = zipfile.ZipInfo("leap2a.xml", date_time=timezone.localtime().timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        with archive.open(info, "w", force_zip64=True) as raw:
            stream = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
            _LeapWriter(collection, _Feed(stream, ""), summary, tracker).write()
            stream.flush()
            stream.detach()
    tracker.finish()
    return summary


class _LeapWriter:
    """The feed: header, person, then each portfolio's items, then the person's other claims."""

    def __init__(self, collection: Collection, feed: _Feed, summary: ExportSummary, progress: _Progress):
        self.c, self.feed, self.summary, self.progress = collection, feed, summary, progress
        self.owner = collection.owner
        self.site = settings.SITE_URL.rstrip("/")
        self.written_resources: set[str] = set()

    # -- the feed ----------------------------------------------------------------------------------

    def write(self) -> None:
        now = timezone.now()
        stamp = int(now.timestamp())
        owner = self.owner
        self.feed.write(
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f'<feed xmlns="{NS_ATOM}" xmlns:rdf="{NS_RDF}" xmlns:leap2="{NS_LEAP2}" '
            f'xmlns:categories="{NS_CATEGORIES}" '
            f"xmlns:portfolio={_attr(f'{self.site}/portfolios/export/leap/{owner.pk}/{stamp}/')} "
            f'xmlns:mahara="{_text(NS_MAHARA)}" xmlns:wc="{NS_WC}">\n'
            f"<leap2:version>{LEAP2A_VERSION}</leap2:version>\n"
            f"<id>{_text(f'{self.site}/portfolios/export/{owner.pk}/{stamp}')}</id>\n"
            f"<title>{_text(f'Leap2A export for {owner.name}, {timezone.localtime(now):%Y-%m-%d %H:%M}')}</title>\n"
            f"<updated>{_stamp(now)}</updated>\n"
            f'<generator uri={_attr(self.site + "/")} version="1">Watercooler</generator>\n'
            f"<author><name>{_text(owner.name)}</name>"
            + (f"<email>{_text(owner.email)}</email>" if owner.email else "")
            + "<uri>portfolio:person</uri></author>\n"
        )
        self._person()
        for p in self.c.portfolios:
            self._portfolio(p)
        loose = [claim for claim in self.c.claims if claim.portfolio_id not in {p.pk for p in self.c.portfolios}]
        if loose:
            self._abilities("portfolio:abilities", "Skills claimed", loose, portfolio=None)
        self._claims(self.c.claims)
        self.feed.write("</feed>\n")
        self.summary.entries = self.feed.count

    def _person(self) -> None:
        owner = self.owner
        data = [("preferred_given_name", owner.name, "Name")]
        if owner.first_name:
            data.append(("legal_given_name", owner.first_name, "First name"))
        if owner.last_name:
            data.append(("legal_family_name", owner.last_name, "Last name"))
        if owner.email:
            data.append(("email", owner.email, "Email address"))
        if getattr(owner, "job_title", ""):
            data.append(("other", owner.job_title, "Job title"))
        self.feed.entry(
            id="portfolio:person",
            title=owner.name,
            type="person",
            updated=owner.date_joined,
            html=markdown_html(getattr(owner, "bio", "")) if getattr(owner, "bio", "") else None,
            # § Categories: person_type "Self" marks the portfolio holder's own person entry.
            categories=[("person_type", "Self")],
            persondata=data,
            mahara='<mahara:artefactplugin mahara:type="internal" mahara:plugin="internal"/>',
        )
        self.progress.add(1)

    # -- portfolios and pages ----------------------------------------------------------------------

    def _portfolio(self, p: Portfolio) -> None:
        item = p.item
        pages = self.c.pages[p.pk]
        entries = self.c.entries[p.pk]
        claims = [claim for claim in self.c.claims if claim.portfolio_id == p.pk]
        links = [("leap2:has_part", f"portfolio:page{page.pk}", _order(n)) for n, page in enumerate(pages)]
        if entries:
            links.append(("leap2:has_part", f"portfolio:journal{p.pk}", _order(len(pages))))
        tags = sorted(t.name for t in item.tags.all())
        self.feed.entry(
            id=f"portfolio:portfolio{p.pk}",
            title=item.title,
            type="selection",
            updated=item.updated,
            published=item.created,
            summary=item.summary,
            text=item.summary,
            links=links,
            # Mahara rebuilds a selection of type "Website" as a collection of its pages.
            categories=[("selection_type", "Website"), *((None, t) for t in tags)],
            extension=(
                "portfolio",
                {
                    "kind": p.kind,
                    "tags": tags,
                    "site": self.site,
                    "reflection_prompts": p.prompts(),
                    "visibility": item.visibility,
                },
            ),
        )
        self.summary.portfolios += 1
        self.progress.add(1)
        for n, page in enumerate(pages):
            self._page(p, page, n)
        if entries:
            self._journal(p, entries)
        if claims:
            self._abilities(f"portfolio:abilities{p.pk}", f"Skills claimed in {item.title}", claims, portfolio=p)

    def _page(self, p: Portfolio, page: PortfolioPage, position: int) -> None:
        blocks = self.c.blocks[page.pk]
        columns: list[list[Block]] = [[] for _ in range(page.columns)]
        for block in blocks:
            columns[min(block.column, page.columns - 1)].append(block)
        rendered = "".join(
            f'<div class="column">{"".join(self._block_html(b) for b in column)}</div>' for column in columns
        )
        links = [("leap2:is_part_of", f"portfolio:portfolio{p.pk}")]
        links += [("leap2:has_part", f"portfolio:block{b.pk}", _order(n)) for n, b in enumerate(blocks)]
        self.feed.entry(
            id=f"portfolio:page{page.pk}",
            title=page.title,
            type="selection",
            updated=page.updated,
            published=page.created,
            html=rendered,
            links=links,
            categories=[("selection_type", "Webpage")],
            mahara=self._mahara_view(page, columns),
            extension=("page", {"layout": page.layout, "guidance": page.guidance, "slug": page.slug}),
        )
        self.summary.pages += 1
        self.progress.add(1)
        for block in blocks:
            self._block(p, page, block)

    def _mahara_view(self, page: PortfolioPage, columns: list[list[Block]]) -> str:
        """Mahara's own layout element (its importer's get_mahara_view_entry_data): one row of columns,
        each block instance with its configuration as JSON arrays of one value."""
        out = [
            f'<mahara:view mahara:layout="{MAHARA_LAYOUTS[page.layout]}" mahara:type="portfolio" '
            f'mahara:ownerformat="{MAHARA_OWNER_FORMAT}"><mahara:row>'
        ]
        for column in columns:
            out.append("<mahara:column>")
            for block in column:
                blocktype, config = self._mahara_block(block)
                out.append(
                    f'<mahara:blockinstance mahara:blocktype="{blocktype}" mahara:blocktitle={_attr(block.title)}>'
                )
                for name, value in config.items():
                    out.append(f"<mahara:{name}>{_text(json.dumps([value]))}</mahara:{name}>")
                out.append("</mahara:blockinstance>")
            out.append("</mahara:column>")
        out.append("</mahara:row></mahara:view>")
        return "".join(out)

    def _mahara_block(self, block: Block) -> tuple[str, dict]:
        if block.kind == Block.Kind.ARTEFACT and block.item_id in self.c.files:
            exported = self.c.files[block.item_id]
            if exported.content_type.startswith("image/"):
                return "image", {"artefactid": f"portfolio:block{block.pk}"}
            return "filedownload", {"artefactids": [f"portfolio:block{block.pk}"]}
        if block.kind == Block.Kind.GALLERY:
            ids = [f"portfolio:file{i.item_id}" for i in block.images.all() if i.item_id in self.c.files]
            return "gallery", {"select": 1, "artefactids": ids}
        return "text", {"text": to_xhtml(self._block_html(block, heading=False))}

    def _block_html(self, block: Block, *, heading: bool = True) -> str:
        title = f"<h3>{html_escape(block.title)}</h3>" if heading and block.title else ""
        private = '<p class="private"><em>Private: only you see this.</em></p>' if block.private else ""
        return f"<section>{title}{private}{self._block_body(block)}</section>"

    def _block_body(self, block: Block) -> str:
        kind = block.kind
        if kind == Block.Kind.TEXT:
            return markdown_html(block.body)
        if kind == Block.Kind.REFLECTION:
            return _answers_html(block.answers)
        if kind == Block.Kind.TIMELINE:
            return markdown_html(block.body) + _events_html(block.events)
        if kind == Block.Kind.SKILLS:
            claims = [c for c in self.c.claims if c.portfolio_id == block.page.portfolio_id]
            rows = "".join(
                f"<li>{html_escape(c.skill.name)}: {html_escape(self._level_name(c, c.level))}</li>" for c in claims
            )
            return f"<ul>{rows}</ul>" if rows else "<p>No skills claimed yet.</p>"
        if kind == Block.Kind.GALLERY:
            names = [
                html_escape(self.c.files[i.item_id].title) for i in block.images.all() if i.item_id in self.c.files
            ]
            return "<ul>" + "".join(f"<li>{n}</li>" for n in names) + "</ul>"
        if block.enrolment_id:
            return f"<p>Completed the course {html_escape(block.enrolment.course.item.title)}.</p>"
        if block.item_id and self.c.visible(block.item_id):
            url = f"{self.site}/i/{block.item_id}/"
            body = markdown_html(block.body) if block.body else ""
            return f'{body}<p><a href="{html_escape(url)}">{html_escape(block.item.title)}</a></p>'
        return markdown_html(block.body)

    def _level_name(self, claim: SkillClaim, level: int) -> str:
        if claim.framework_id:
            for row in claim.framework.levels or []:
                if row.get("level") == level:
                    return f"{row.get('name') or level} ({claim.framework.title})"
        from people.models import PersonSkill

        labels = dict(PersonSkill.Level.choices)
        return str(labels.get(level, f"level {level}"))

    # -- blocks --------------------------------------------------------------------------------------

    def _block_data(self, block: Block) -> dict:
        data = {
            "kind": block.kind,
            "column": block.column,
            "position": block.position,
            "title": block.title,
            "body": block.body,
            "answers": block.answers,
            "events": block.events,
            "private": block.private,
            "guidance": block.guidance,
        }
        if block.item_id and self.c.visible(block.item_id):
            data["item"] = block.item_id
            data["item_url"] = f"{self.site}/i/{block.item_id}/"
            data["item_title"] = block.item.title
            data["item_kind"] = block.item.kind
            if block.item_id in self.c.files:
                data["file"] = self.c.files[block.item_id].path
                data["sha256"] = self.c.files[block.item_id].sha256
        if block.enrolment_id:
            data["enrolment"] = block.enrolment_id
            data["course"] = block.enrolment.course.item.title
        if block.kind == Block.Kind.GALLERY:
            data["images"] = [
                {
                    "item": image.item_id,
                    "caption": image.caption,
                    "file": self.c.files[image.item_id].path,
                    "sha256": self.c.files[image.item_id].sha256,
                }
                for image in block.images.all()
                if image.item_id in self.c.files
            ]
        return data

    def _evidence_of(self, ref: str) -> list[tuple]:
        return [("leap2:is_evidence_of", f"portfolio:claim{claim.pk}") for claim in self._claims_citing(ref)]

    def _claims_citing(self, ref: str) -> list[SkillClaim]:
        if not hasattr(self, "_citing"):
            self._citing: dict[str, list[SkillClaim]] = defaultdict(list)
            for claim in self.c.claims:
                for ev in claim.evidence.all():
                    self._citing[self._evidence_ref(ev)].append(claim)
        return self._citing.get(ref, [])

    def _block(self, p: Portfolio, page: PortfolioPage, block: Block) -> None:
        ref = f"portfolio:block{block.pk}"
        links = [("leap2:is_part_of", f"portfolio:page{page.pk}"), *self._evidence_of(ref)]
        categories = [("", "Private", "Only the owner sees this")] if block.private else []
        if block.private:
            self.summary.private_parts += 1
        common = {
            "id": ref,
            "title": block.title or block.get_kind_display(),
            "updated": block.updated,
            "published": block.created,
            "extension": ("block", self._block_data(block)),
        }
        kind = block.kind
        if kind == Block.Kind.ARTEFACT and block.item_id in self.c.files:
            exported = self.c.files[block.item_id]
            links.append(("enclosure", exported.path, {"type": exported.content_type, "length": exported.size}))
            self.feed.entry(
                type="resource",
                html=markdown_html(block.body) if block.body else None,
                text="" if not block.body else None,
                links=links,
                categories=[("resource_type", "Offline", "File"), *categories],
                mahara=self._mahara_file_plugin(exported),
                **common,
            )
        elif kind == Block.Kind.ARTEFACT and block.enrolment_id:
            course = block.enrolment.course.item.title
            finished = block.enrolment.completed_at
            self.feed.entry(
                type="achievement",
                html=self._block_body(block),
                links=links,
                categories=categories,
                dates=[("end", finished.date().isoformat(), "Completed")] if finished else [],
                summary=f"Completed {course}",
                **common,
            )
        elif kind in (Block.Kind.ARTEFACT, Block.Kind.EMBED) and block.item_id and self.c.visible(block.item_id):
            links.append(("related", f"{self.site}/i/{block.item_id}/", {"title": block.item.title}))
            self.feed.entry(
                type="resource",
                html=self._block_body(block),
                links=links,
                categories=[("resource_type", "Web"), *categories],
                **common,
            )
        elif kind == Block.Kind.GALLERY:
            images = [i for i in block.images.all() if i.item_id in self.c.files]
            for n, image in enumerate(images):
                links.append(("leap2:has_part", f"portfolio:file{image.item_id}", _order(n)))
            self.feed.entry(
                type="selection",
                html=self._block_body(block),
                links=links,
                categories=[("selection_type", "Folder"), *categories],
                mahara='<mahara:artefactplugin mahara:type="folder" mahara:plugin="file"/>',
                **common,
            )
            for image in images:
                self._file_resource(image.item_id, part_of=ref)
        else:
            if kind == Block.Kind.REFLECTION:
                # § Relationships: reflects_on, from a reflection to what it reflects on: here, its page.
                links.append(("leap2:reflects_on", f"portfolio:page{page.pk}"))
            if kind == Block.Kind.SKILLS and any(c.portfolio_id == p.pk for c in self.c.claims):
                links.append(("leap2:relation", f"portfolio:abilities{p.pk}"))
            self.feed.entry(type="entry", html=self._block_body(block), links=links, categories=categories, **common)
        self.summary.blocks += 1
        self.progress.add(1)

    def _mahara_file_plugin(self, exported: ExportedFile) -> str:
        kind = "image" if exported.content_type.startswith("image/") else "file"
        return f'<mahara:artefactplugin mahara:type="{kind}" mahara:plugin="file"/>'

    def _file_resource(self, item_id: int, *, part_of: str = "", extra_links: Iterable[tuple] = ()) -> None:
        """A file item as a resource of its own (gallery images, journal evidence), written once."""
        ref = f"portfolio:file{item_id}"
        if ref in self.written_resources:
            return
        self.written_resources.add(ref)
        exported = self.c.files[item_id]
        links = [("enclosure", exported.path, {"type": exported.content_type, "length": exported.size})]
        if part_of:
            links.append(("leap2:is_part_of", part_of))
        links += [*extra_links, *self._evidence_of(ref)]
        self.feed.entry(
            id=ref,
            title=exported.title,
            type="resource",
            updated=None,
            text="",
            links=links,
            categories=[("resource_type", "Offline", "File")],
            mahara=self._mahara_file_plugin(exported),
            extension=("file", {"item": item_id, "name": exported.name, "sha256": exported.sha256}),
        )
        self.progress.add(1)

    def _item_resource(self, item: Item) -> None:
        """Any other item (a wiki page, a link, a board...) as a web resource pointing at its permalink."""
        ref = f"portfolio:item{item.pk}"
        if ref in self.written_resources:
            return
        self.written_resources.add(ref)
        url = f"{self.site}/i/{item.pk}/"
        self.feed.entry(
            id=ref,
            title=item.title,
            type="resource",
            updated=item.updated,
            html=f'<p><a href="{html_escape(url)}">{html_escape(item.title)}</a></p>',
            links=[("related", url, {"title": item.title}), *self._evidence_of(ref)],
            categories=[("resource_type", "Web")],
            extension=("item", {"item": item.pk, "url": url, "kind": item.kind}),
        )
        self.progress.add(1)

    # -- the journal ----------------------------------------------------------------------------------

    def _journal(self, p: Portfolio, entries: list[JournalEntry]) -> None:
        ref = f"portfolio:journal{p.pk}"
        self.feed.entry(
            id=ref,
            title=f"{p.item.title}: journal",
            type="selection",
            updated=p.item.updated,
            text="",
            links=[("leap2:is_part_of", f"portfolio:portfolio{p.pk}")]
            + [("leap2:has_part", f"portfolio:entry{e.pk}", _order(n)) for n, e in enumerate(entries)],
            categories=[("selection_type", "Blog")],
            mahara='<mahara:artefactplugin mahara:type="blog" mahara:plugin="blog"/>',
        )
        self.progress.add(1)
        for entry in entries:
            self._journal_entry(p, entry, ref)

    def _journal_entry(self, p: Portfolio, entry: JournalEntry, journal_ref: str) -> None:
        ref = f"portfolio:entry{entry.pk}"
        answers = queries.entry_answers(self.owner, entry)
        has_reflection = any((a.get("answer") or "").strip() for a in answers)
        links = [("leap2:is_part_of", journal_ref)]
        data = {"happened": entry.happened.isoformat(), "body": entry.body}
        if has_reflection:
            links.append(("leap2:reflected_on_by", f"portfolio:reflection{entry.pk}"))
        if entry.item_id and self.c.visible(entry.item_id):
            data["item"] = entry.item_id
            target = (
                f"portfolio:file{entry.item_id}" if entry.item_id in self.c.files else f"portfolio:item{entry.item_id}"
            )
            if entry.item_id in self.c.files:
                data["file"] = self.c.files[entry.item_id].path
                data["sha256"] = self.c.files[entry.item_id].sha256
            links.append(("leap2:relation", target))
        self.feed.entry(
            id=ref,
            title=entry.title,
            type="entry",
            updated=entry.updated,
            published=entry.created,
            html=markdown_html(entry.body),
            links=links,
            # § Literals: date, with point "start" for when the work the entry is about took place.
            dates=[("start", entry.happened.isoformat(), "Happened")],
            mahara='<mahara:artefactplugin mahara:type="blogpost" mahara:plugin="blog"/>',
            extension=("entry", data),
        )
        self.summary.journal_entries += 1
        self.progress.add(1)
        if entry.item_id and self.c.visible(entry.item_id):
            if entry.item_id in self.c.files:
                self._file_resource(entry.item_id)
            else:
                self._item_resource(entry.item)
        if has_reflection:
            private = entry.reflection_private
            if private:
                self.summary.private_parts += 1
            self.feed.entry(
                id=f"portfolio:reflection{entry.pk}",
                title=f"Reflection on {entry.title}",
                type="entry",
                updated=entry.updated,
                html=("<p><em>Private: only you see this.</em></p>" if private else "") + _answers_html(answers),
                links=[("leap2:reflects_on", ref)],
                categories=[("", "Private", "Only the owner sees this")] if private else [],
                extension=("reflection", {"answers": answers, "private": private}),
            )
            self.progress.add(1)

    # -- skill claims: the competency map -------------------------------------------------------------

    def _abilities(self, ref: str, title: str, claims: list[SkillClaim], *, portfolio: Portfolio | None) -> None:
        links = [("leap2:has_part", f"portfolio:claim{c.pk}", _order(n)) for n, c in enumerate(claims)]
        if portfolio is not None:
            links.append(("leap2:is_part_of", f"portfolio:portfolio{portfolio.pk}"))
        self.feed.entry(
            id=ref,
            title=title,
            type="selection",
            updated=max((c.updated for c in claims), default=None),
            text="",
            links=links,
            # Types: ability, "See also: selection of type Abilities".
            categories=[("selection_type", "Abilities")],
        )
        self.progress.add(1)

    def _evidence_ref(self, ev: ClaimEvidence) -> str:
        if ev.block_id and ev.block_id in self.c.block_ids:
            return f"portfolio:block{ev.block_id}"
        if ev.item_id and ev.item_id in self.c.files:
            return f"portfolio:file{ev.item_id}"
        if ev.item_id and self.c.visible(ev.item_id):
            return f"portfolio:item{ev.item_id}"
        return f"portfolio:evidence{ev.pk}"

    def _claims(self, claims: list[SkillClaim]) -> None:
        for claim in claims:
            self._claim(claim)

    def _claim(self, claim: SkillClaim) -> None:
        ref = f"portfolio:claim{claim.pk}"
        evidence = list(claim.evidence.all())
        endorsements = list(claim.endorsements.all())
        links = []
        if claim.portfolio_id in {p.pk for p in self.c.portfolios}:
            links.append(("leap2:is_part_of", f"portfolio:abilities{claim.portfolio_id}"))
        else:
            links.append(("leap2:is_part_of", "portfolio:abilities"))
        evidence_data = []
        for ev in evidence:
            target = self._evidence_ref(ev)
            links.append(("leap2:has_evidence", target, {"title": ev.note}))
            evidence_data.append({"ref": target, "note": ev.note, "position": ev.position})
        for e in endorsements:
            links.append(("leap2:has_evidence", f"portfolio:endorsement{e.pk}", {"title": "Endorsement"}))
        framework = claim.framework
        level_name = self._level_name(claim, claim.level)
        html = (
            f"<p>{html_escape(claim.skill.name)}: {html_escape(level_name)}. "
            f"{html_escape(claim.get_state_display())}.</p>{markdown_html(claim.statement)}"
        )
        self.feed.entry(
            id=ref,
            title=claim.skill.name,
            type="ability",
            updated=claim.updated,
            published=claim.created,
            html=html,
            links=links,
            extension=(
                "claim",
                {
                    "skill": claim.skill.name,
                    "skill_slug": claim.skill.slug,
                    "skill_uri": claim.skill.uri,
                    "level": claim.level,
                    "level_name": level_name,
                    "statement": claim.statement,
                    "state": claim.state,
                    "endorsed_at": claim.endorsed_at.isoformat() if claim.endorsed_at else None,
                    "framework": (
                        {"title": framework.title, "description": framework.description, "levels": framework.levels}
                        if framework
                        else None
                    ),
                    "evidence": evidence_data,
                },
            ),
        )
        self.summary.claims += 1
        self.progress.add(1)
        for ev in evidence:
            self._evidence_entry(claim, ev)
        for e in endorsements:
            self._endorsement(claim, e)

    def _evidence_entry(self, claim: SkillClaim, ev: ClaimEvidence) -> None:
        """Evidence that is not a block of this export gets an item of its own, so every link has a target."""
        target = self._evidence_ref(ev)
        if target.startswith("portfolio:block"):
            return
        if target.startswith("portfolio:file"):
            self._file_resource(ev.item_id)
            return
        if target.startswith("portfolio:item"):
            self._item_resource(ev.item)
            return
        back = [("leap2:is_evidence_of", f"portfolio:claim{claim.pk}")]
        if ev.enrolment_id:
            course = ev.enrolment.course.item.title
            finished = ev.enrolment.completed_at
            self.feed.entry(
                id=target,
                title=f"Completed {course}",
                type="achievement",
                updated=ev.enrolment.updated,
                text=ev.note,
                links=back,
                dates=[("end", finished.date().isoformat(), "Completed")] if finished else [],
                extension=("evidence", {"enrolment": ev.enrolment_id, "course": course, "note": ev.note}),
            )
        else:
            # A block of another portfolio (not in this export), or an item no longer there.
            title = ev.note or "Evidence no longer available"
            url_links = []
            if ev.block_id and can_view(self.owner, ev.block.page.portfolio.item):
                title = ev.block.title or ev.block.page.portfolio.item.title
                url_links = [("related", f"{self.site}/i/{ev.block.page.portfolio_id}/")]
            self.feed.entry(
                id=target,
                title=title,
                type="resource",
                updated=claim.updated,
                text=ev.note,
                links=[*url_links, *back],
                categories=[("resource_type", "Web")] if url_links else [],
                extension=("evidence", {"note": ev.note}),
            )
        self.progress.add(1)

    def _endorsement(self, claim: SkillClaim, e: Endorsement) -> None:
        value = _endorsement_value(claim=claim, endorser_id=e.endorser_id, level=e.level, created=e.created)
        level_name = self._level_name(claim, e.level)
        self.feed.entry(
            id=f"portfolio:endorsement{e.pk}",
            title=f"{e.endorser.name} endorses {claim.skill.name}",
            type="entry",
            # Atom author: the endorser wrote this item, not the portfolio holder (§ Relationships: author).
            author=e.endorser.name,
            updated=e.created,
            published=e.created,
            html=f"<p>Endorsed at {html_escape(level_name)}.</p>{markdown_html(e.comment)}",
            links=[("leap2:is_evidence_of", f"portfolio:claim{claim.pk}")],
            extension=(
                "endorsement",
                {
                    "endorser": e.endorser.username,
                    "endorser_id": e.endorser_id,
                    "endorser_name": e.endorser.name,
                    "level": e.level,
                    "comment": e.comment,
                    "created": _stamp(e.created),
                    "signature": _signer().signature(value),
                },
            ),
        )
        self.summary.endorsements += 1
        self.progress.add(1)


# =========================================================================================== import

ATOM_RELS = frozenset({"enclosure", "related", "alternate", "self", "via"})


def namespace_kind(uri: str) -> str:
    """Which vocabulary a namespace URI is, judged by its tail: Mahara 22.10 and later write the leap2 and
    categories namespaces as web.archive.org copies of the original addresses, and older Leap2A (2009-03)
    used wiki.cetis.ac.uk ones, so an exact comparison would find nothing in those files."""
    u = (uri or "").strip().lower().rstrip("#/")
    if u.endswith("www.w3.org/2005/atom"):
        return "atom"
    if u.endswith("1999/02/22-rdf-syntax-ns"):
        return "rdf"
    if u.endswith(("terms.leapspecs.org", "leap2a_predicates", "leap2a_types")):
        return "leap2"
    if u.endswith(("2a/categories", "leap2a_categories")):
        return "categories"
    if u.endswith("leap_extensions"):
        return "mahara"
    if u == NS_WC:
        return "wc"
    if u.endswith("1999/xhtml"):
        return "xhtml"
    return ""


def _split(tag) -> tuple[str, str]:
    if not isinstance(tag, str):
        return "", ""
    if tag.startswith("{"):
        uri, _, local = tag[1:].partition("}")
        return uri, local
    return "", tag


def _refuse_dtd(data: bytes) -> None:
    """Leap2A never needs a DTD or entities; refusing them rules out entity expansion ("billion laughs")
    and external entities before the real parse."""
    parser = expat.ParserCreate()

    def refuse(*_args):
        raise ArchiveError("The XML declares a document type or entities, which Leap2A never needs; it was refused.")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise ArchiveError(
            f"The Leap2A XML is not well-formed (line {exc.lineno}): {expat.errors.messages[exc.code]}."
        ) from exc


@dataclass
class LinkRef:
    rel: str
    href: str
    type: str = ""
    title: str = ""
    order: int | None = None


@dataclass
class LeapEntry:
    """One Atom entry as read: its Leap2A types, categories, links, content and our extension data."""

    id: str
    title: str
    types: set[str]
    categories: list[tuple[str, str, str]]
    links: list[LinkRef]
    html: str
    text: str
    summary: str
    published: str
    updated: str
    author: str
    dates: list[tuple[str, str, str]]
    persondata: list[tuple[str, str, str]]
    mahara_type: str
    mahara_view: ET.Element | None
    ext: dict[str, dict]

    def category(self, scheme: str) -> set[str]:
        return {term for s, term, _ in self.categories if s == scheme}

    @property
    def tags(self) -> list[str]:
        return [label or term for s, term, label in self.categories if not s and term != "Private"]

    def targets(self, rel: str) -> list[str]:
        links = [link for link in self.links if link.rel == rel]
        if any(link.order is not None for link in links):
            links.sort(key=lambda link: (link.order is None, link.order or 0))
        return [link.href for link in links]

    def body_html(self) -> str:
        if self.html:
            return self.html
        if self.text.strip():
            return "".join(f"<p>{html_escape(p.strip())}</p>" for p in re.split(r"\n\s*\n", self.text) if p.strip())
        return ""


@dataclass
class Feed:
    title: str
    generator: str
    version: str
    author: str
    entries: list[LeapEntry]
    warnings: list[str]


class _Reader:
    """Reads the feed with the prefixes the document declared, so CURIEs (``leap2:selection``,
    ``categories:selection_type#``) resolve to their vocabularies (§ Feed: CURIEs may be used)."""

    def __init__(self, prefixes: dict[str, str]):
        self.prefixes = prefixes

    def kind(self, el) -> tuple[str, str]:
        uri, local = _split(el.tag)
        return namespace_kind(uri), local

    def children(self, el, kind: str, local: str | None = None):
        for child in el:
            k, name = self.kind(child)
            if k == kind and (local is None or name == local):
                yield child

    def first(self, el, kind: str, local: str):
        return next(self.children(el, kind, local), None)

    def attr(self, el, kind: str, local: str) -> str:
        for key, value in el.attrib.items():
            uri, name = _split(key)
            if name == local and (namespace_kind(uri) == kind or (not uri and kind == "")):
                return value
        return ""

    def curie(self, value: str) -> tuple[str, str]:
        """(vocabulary, local name) of a CURIE or a full URI."""
        value = (value or "").strip()
        if re.match(r"^[A-Za-z][\w.-]*:(?!//)", value):
            prefix, _, local = value.partition(":")
            uri = self.prefixes.get(prefix)
            if uri is not None:
                return namespace_kind(uri), local.rstrip("#")
            guessed = {"leap2": "leap2", "leap": "leap2", "leaptype": "leap2", "categories": "categories"}
            if prefix in guessed and "/" not in local:
                return guessed[prefix], local.rstrip("#")
        stripped = value.rstrip("#/")
        head, _, tail = stripped.rpartition("/")
        kind = namespace_kind(head)
        if kind:
            return kind, tail
        head, _, tail = stripped.rpartition("#")
        return namespace_kind(head), tail

    def rel(self, value: str) -> str:
        value = (value or "").strip()
        if value in ATOM_RELS:
            return value
        kind, local = self.curie(value)
        return f"{kind}:{local}" if kind else value


def _inner_html(el) -> str:
    parts = [html_escape(el.text or "", quote=False)]
    for child in el:
        parts.append(_outer_html(child))
        parts.append(html_escape(child.tail or "", quote=False))
    return "".join(parts)


def _outer_html(el) -> str:
    _, tag = _split(el.tag)
    if not tag:
        return ""
    attrs = "".join(f' {_split(k)[1]}="{html_escape(v)}"' for k, v in el.attrib.items() if _split(k)[1])
    if tag in VOID_ELEMENTS:
        return f"<{tag}{attrs}>"
    return f"<{tag}{attrs}>{_inner_html(el)}</{tag}>"


def clean_html(html: str) -> str:
    """Imported HTML, sanitised, on as few lines as Markdown needs to keep it one raw HTML block: a blank
    line or a four-space indent inside would otherwise turn the rest into paragraphs or code."""
    safe = sanitise(html or "")
    return "\n".join(line.strip() for line in safe.splitlines() if line.strip())[:MAX_TEXT]


def _content(reader: _Reader, el) -> tuple[str, str]:
    """(html, text) of an Atom text construct: xhtml is a div's inside, html is escaped markup, text is text."""
    if el is None:
        return "", ""
    kind = (el.get("type") or "text").lower()
    if kind == "xhtml":
        div = next(iter(el), None)
        return (_inner_html(div) if div is not None else html_escape(el.text or "")), ""
    if kind in ("html", "text/html"):
        return el.text or "", ""
    return "", "".join(el.itertext())


def parse_feed(data: bytes) -> Feed:
    """The feed's entries, read defensively: size-capped, no DTD, namespaces matched by their tail."""
    if len(data) > MAX_XML_BYTES:
        raise ArchiveError(f"The Leap2A XML is {len(data) // MB} MB; it may be at most {MAX_XML_BYTES // MB} MB.")
    _refuse_dtd(data)
    prefixes: dict[str, str] = {}
    root = None
    try:
        # S314: defusedxml is not among our dependencies; _refuse_dtd above has already refused every DTD
        # and entity declaration, which is what defusedxml guards against, and expat fetches nothing.
        for event, obj in ET.iterparse(io.BytesIO(data), events=("start-ns", "start")):  # noqa: S314
            if event == "start-ns":
                prefixes.setdefault(obj[0], obj[1])
            elif root is None:
                root = obj
    except ET.ParseError as exc:
        raise ArchiveError(f"The Leap2A XML is not well-formed: {exc}.") from exc
    reader = _Reader(prefixes)
    if root is None or reader.kind(root) != ("atom", "feed"):
        raise ArchiveError("This file is not a Leap2A export: its XML is not an Atom feed.")
    warnings = []
    version_el = reader.first(root, "leap2", "version")
    version = (version_el.text or "").strip() if version_el is not None else ""
    if not version:
        warnings.append("The feed has no leap2:version; it was read as Leap2A 2009-03.")
    elif version.rstrip("/") != LEAP2A_VERSION.rstrip("/"):
        warnings.append(f"The feed says Leap2A version {version}; it was read as 2010-07.")
    generator = reader.first(root, "atom", "generator")
    author = reader.first(root, "atom", "author")
    entries = []
    for el in reader.children(root, "atom", "entry"):
        if len(entries) >= MAX_ENTRIES:
            warnings.append(f"Only the first {MAX_ENTRIES:,} entries were read.")
            break
        entries.append(_entry(reader, el))
    return Feed(
        title=_child_text(reader, root, "title"),
        generator=(generator.text or "").strip() if generator is not None else "",
        version=version,
        author=_child_text(reader, author, "name") if author is not None else "",
        entries=entries,
        warnings=warnings,
    )


def _child_text(reader: _Reader, el, local: str) -> str:
    child = reader.first(el, "atom", local) if el is not None else None
    return " ".join("".join(child.itertext()).split()) if child is not None else ""


def _entry(reader: _Reader, el) -> LeapEntry:
    types = set()
    for t in reader.children(el, "rdf", "type"):
        kind, local = reader.curie(reader.attr(t, "rdf", "resource"))
        if kind == "leap2" and local:
            types.add(local)
    categories = []
    for c in reader.children(el, "atom", "category"):
        scheme = c.get("scheme") or ""
        scheme_local = reader.curie(scheme)[1] if scheme else ""
        categories.append((scheme_local, (c.get("term") or "").strip(), (c.get("label") or "").strip()))
    links = []
    for link in reader.children(el, "atom", "link"):
        order = reader.attr(link, "leap2", "display_order")
        links.append(
            LinkRef(
                rel=reader.rel(link.get("rel") or "alternate"),
                href=(link.get("href") or "").strip(),
                type=(link.get("type") or "").strip(),
                title=(link.get("title") or "").strip(),
                order=int(order) if order.strip().isdigit() else None,
            )
        )
    content = reader.first(el, "atom", "content")
    if content is not None and content.get("src"):
        # 2010-07 changes, "Files": out-of-line content is read as an enclosure with no description.
        links.append(LinkRef(rel="enclosure", href=content.get("src", ""), type=content.get("type", "")))
        html, text = "", ""
    else:
        html, text = _content(reader, content)
    summary_html, summary_text = _content(reader, reader.first(el, "atom", "summary"))
    summary = summary_text or " ".join(re.sub(r"<[^>]+>", " ", summary_html).split())
    author = reader.first(el, "atom", "author")
    plugin = reader.first(el, "mahara", "artefactplugin")
    ext = {}
    for child in reader.children(el, "wc"):
        try:
            value = json.loads(child.text or "{}")
        except ValueError:
            continue
        if isinstance(value, dict):
            ext[reader.kind(child)[1]] = value
    return LeapEntry(
        id=_child_text(reader, el, "id"),
        title=_child_text(reader, el, "title"),
        types=types,
        categories=categories,
        links=links,
        html=html,
        text=text,
        summary=summary,
        published=_child_text(reader, el, "published"),
        updated=_child_text(reader, el, "updated"),
        author=_child_text(reader, author, "name") if author is not None else "",
        dates=[
            (reader.attr(d, "leap2", "point"), (d.text or "").strip(), reader.attr(d, "leap2", "label"))
            for d in reader.children(el, "leap2", "date")
        ],
        persondata=[
            (reader.attr(d, "leap2", "field"), (d.text or "").strip(), reader.attr(d, "leap2", "label"))
            for d in reader.children(el, "leap2", "persondata")
        ],
        mahara_type=reader.attr(plugin, "mahara", "type") if plugin is not None else "",
        mahara_view=reader.first(el, "mahara", "view"),
        ext=ext,
    )


# --- the upload: a zip with leap2a.xml and files, or a bare XML file ---------------------------------


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n < 10 * MB else f"{n // MB} MB"


def _member_problem(info: zipfile.ZipInfo) -> str:
    name = info.filename.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "its path is absolute"
    if ".." in name.split("/"):
        return "its path leads outside the archive (“..”)"
    if info.flag_bits & 0x1:
        return "it is encrypted"
    if (info.external_attr >> 16) & 0o170000 == 0o120000:
        return "it is a symbolic link"
    if info.file_size > MB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return "it unpacks to far more than it takes in the archive (a zip bomb?)"
    return ""


class Source:
    """An uploaded Leap2A export, checked: where its XML is and which files it carries."""

    def __init__(self, fileobj: IO[bytes], *, name: str = "leap2a.zip"):
        self.name = name
        self.fileobj = fileobj
        self.archive: zipfile.ZipFile | None = None
        self.members: dict[str, zipfile.ZipInfo] = {}
        self.base = ""
        self.refused: list[dict] = []
        try:
            fileobj.seek(0, os.SEEK_END)
            size = fileobj.tell()
            fileobj.seek(0)
            head = fileobj.read(8)
            fileobj.seek(0)
        except (AttributeError, OSError) as exc:
            raise ArchiveError("The upload cannot be read as a file.") from exc
        if not size:
            raise ArchiveError("The file is empty.")
        if size > MAX_ARCHIVE_BYTES:
            raise ArchiveError(f"The file is {_size(size)}; an import may be at most {_size(MAX_ARCHIVE_BYTES)}.")
        if head.startswith(b"PK"):
            self.format = "zip"
            self._open_zip()
        else:
            self.format = "xml"
            data = fileobj.read(MAX_XML_BYTES + 1)
            if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                raise ArchiveError("This is neither a zip nor an XML file, so it cannot be a Leap2A export.")
            self.xml = data

    def _open_zip(self) -> None:
        try:
            self.archive = zipfile.ZipFile(self.fileobj)
            infos = self.archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise ArchiveError("This is not a zip file (or it is damaged), so nothing in it can be imported.") from exc
        if len(infos) > MAX_MEMBERS:
            raise ArchiveError(f"The zip holds {len(infos):,} files; an import may hold at most {MAX_MEMBERS:,}.")
        if sum(i.file_size for i in infos) > MAX_TOTAL_UNPACKED:
            raise ArchiveError(f"The zip unpacks to more than {_size(MAX_TOTAL_UNPACKED)}; it was refused.")
        candidates = []
        for info in infos:
            if info.is_dir():
                continue
            problem = _member_problem(info)
            if problem:
                self.refused.append({"what": info.filename[:200], "reason": f"Not read: {problem}."})
                continue
            self.members[info.filename] = info
            path = PurePosixPath(info.filename)
            if path.name.lower() == "leap2a.xml" and "__MACOSX" not in path.parts and len(path.parts) <= 3:
                candidates.append(info)
        if not candidates:
            raise ArchiveError("The zip has no leap2a.xml, so it is not a Leap2A export.")
        xml_info = min(candidates, key=lambda i: len(PurePosixPath(i.filename).parts))
        self.base = str(PurePosixPath(xml_info.filename).parent).lstrip(".")
        if xml_info.file_size > MAX_XML_BYTES:
            raise ArchiveError(f"leap2a.xml is {_size(xml_info.file_size)}; it may be at most {_size(MAX_XML_BYTES)}.")
        self.xml = self._read_all(xml_info, MAX_XML_BYTES)

    def _read_all(self, info: zipfile.ZipInfo, limit: int) -> bytes:
        data = bytearray()
        try:
            with self.archive.open(info) as fh:
                while chunk := fh.read(READ_CHUNK):
                    data += chunk
                    if len(data) > min(limit, info.file_size):
                        raise ArchiveError(f"{info.filename} unpacks to more than the zip declares; it was refused.")
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
            raise ArchiveError(f"{info.filename} in the zip is damaged and cannot be read.") from exc
        return bytes(data)

    def member(self, href: str) -> zipfile.ZipInfo | None:
        """The zip member an enclosure's href names (relative to leap2a.xml; Mahara writes names with
        spaces unescaped, others percent-encode them), or None."""
        if self.archive is None or not href or re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
            return None
        for candidate in (href, unquote(href)):
            parts = [p for p in candidate.replace("\\", "/").split("/") if p not in ("", ".")]
            if ".." in parts:
                return None
            name = "/".join([self.base, *parts]) if self.base else "/".join(parts)
            if name in self.members:
                return self.members[name]
        return None

    def extract(self, info: zipfile.ZipInfo) -> IO[bytes]:
        """The member's bytes in a temporary file, read in chunks and stopped at the declared size."""
        out = tempfile.SpooledTemporaryFile(max_size=4 * MB)  # noqa: SIM115 - the caller closes it
        written = 0
        try:
            with self.archive.open(info) as fh:
                while chunk := fh.read(READ_CHUNK):
                    written += len(chunk)
                    if written > info.file_size:
                        raise ArchiveError(f"{info.filename} unpacks to more than the zip declares; it was refused.")
                    out.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
            out.close()
            raise ArchiveError(f"{info.filename} in the zip is damaged and cannot be read.") from exc
        except BaseException:
            out.close()
            raise
        out.seek(0)
        return out

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()


def open_source(path_or_file, *, name: str = "") -> Source:
    """A ``Source`` from a path or an open binary file (which stays the caller's to close)."""
    if isinstance(path_or_file, (str, os.PathLike)):
        try:
            fileobj = open(path_or_file, "rb")  # noqa: SIM115 - kept open for the Source's lifetime
        except OSError as exc:
            raise ArchiveError(f"The file cannot be read: {exc.strerror}.") from exc
        return Source(fileobj, name=name or os.path.basename(str(path_or_file)))
    return Source(path_or_file, name=name or getattr(path_or_file, "name", "") or "leap2a.zip")


# --- planning: what would be created, and what cannot be mapped (nothing is written) -----------------

# Mahara block types with nothing to carry over, and why (shown in the preview and the report).
MAHARA_BLOCK_REASONS = {
    "profileinfo": "it shows fields of your Mahara profile; your profile here stays as it is",
    "socialprofile": "it shows your Mahara profile's social media links; your profile here stays as it is",
    "myviews": "it lists your Mahara pages; your portfolios here are listed for you",
    "mygroups": "it lists your Mahara groups; spaces here are joined, not imported",
    "myfriends": "it lists your Mahara friends; there is no friends list here",
    "wall": "it is Mahara's wall of messages, which belong to that site",
    "newviews": "it lists pages others shared with you on Mahara",
    "inbox": "it shows Mahara's inbox of messages, which belong to that site",
    "watchlist": "it shows what you watched on Mahara",
    "recentforumposts": "it shows Mahara forum posts, which belong to that site",
    "groupviews": "it lists a Mahara group's pages",
    "blog": "it shows a Mahara journal; the journal itself is imported as a process portfolio",
    "blogpost": "it shows a Mahara journal entry; the journal itself is imported as a process portfolio",
    "recentposts": "it lists recent journal entries; the journal itself is imported as a process portfolio",
    "taggedposts": "it lists journal entries by tag; the journal itself is imported as a process portfolio",
    "navigation": "it is Mahara's collection navigation; portfolios here have their own",
    "comment": "it shows comments made on Mahara",
    "externalfeed": "it shows an outside feed, which is not content of the portfolio",
    "plans": "it shows Mahara plans, which have no counterpart here",
    "entireresume": "it shows the Mahara résumé, which has no counterpart here",
    "resumefield": "it shows part of the Mahara résumé, which has no counterpart here",
}
MAHARA_PAGE_REASONS = {
    "profile": "Mahara's profile page is built from that site's profile; your profile here stays as it is",
    "dashboard": "Mahara's dashboard is that site's home page; your home page here is arranged on its own",
    "grouphomepage": "a Mahara group's home page belongs to the group",
}
TYPE_REASONS = {
    "person": "Your profile here stays as it is; the name and contact details in the file were not copied.",
    "plan": "Plans and tasks have no counterpart in a portfolio here.",
    "activity": "CV activities (jobs, studies) have no counterpart here.",
    "affiliation": "CV affiliations have no counterpart here.",
    "achievement": "Achievements listed outside a page have no counterpart here.",
    "meeting": "Meetings have no counterpart here.",
    "organization": "Organisations have no counterpart here.",
}


def _date(value: str) -> date | None:
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except (ValueError, AttributeError):
        try:
            return date.fromisoformat(value.strip()[:10])
        except (ValueError, AttributeError):
            return None


def _title(value: str, fallback: str) -> str:
    value = " ".join((value or "").split())
    return (value or fallback)[:200]


class _Planner:
    def __init__(self, feed: Feed, source: Source, user):
        self.feed, self.source, self.user = feed, source, user
        self.by_id: dict[str, LeapEntry] = {}
        for entry in feed.entries:
            self.by_id.setdefault(entry.id, entry)
        self.used: set[str] = set()
        self.block_keys: set[str] = set()
        self.files: dict[str, dict] = {}
        self.file_problems: dict[str, str] = {}
        self.unmapped: list[dict] = list(source.refused)
        self.warnings: list[str] = list(feed.warnings)
        self.site = settings.SITE_URL.rstrip("/")
        self.claimed: set[tuple[int, int | None]] = set(
            SkillClaim.objects.filter(person=user).values_list("skill_id", "framework_id")
        )

    def refuse(self, what: str, reason: str) -> None:
        self.unmapped.append({"what": what[:300], "reason": reason})

    # -- files ---------------------------------------------------------------------------------------

    def file_for(self, entry: LeapEntry | None, *, href: str = "", title: str = "", data: dict | None = None) -> str:
        """The planned file (its key: the zip member) an entry's enclosure names, checked; "" with a reason
        recorded when it cannot be imported."""
        data = data or {}
        if not href and entry is not None:
            hrefs = entry.targets("enclosure")
            href = hrefs[0] if hrefs else ""
        if not href:
            return ""
        reuse = self._reusable(data)
        info = self.source.member(href)
        if info is None and reuse is None:
            why = (
                "it is not in the upload (a bare XML file carries no files)"
                if self.source.format == "xml"
                else "it is not in the zip"
            )
            self.file_problems[href] = why
            return ""
        key = info.filename if info is not None else f"reuse:{reuse}"
        if key in self.files:
            return key
        if key in self.file_problems:
            return ""
        name = PurePosixPath(unquote(href)).name
        name = re.sub(r"^\d+-", "", name) if self.feed.generator.startswith("Mahara") else name
        name = data.get("name") or name
        if reuse is not None:
            self.files[key] = {"name": name, "title": title or name, "reuse": reuse, "size": 0}
            return key
        max_bytes = settings.WATERCOOLER_MAX_UPLOAD_MB * MB
        if info.file_size > max_bytes:
            self.file_problems[key] = f"it is {_size(info.file_size)}; files may be at most {_size(max_bytes)}"
            return ""
        try:
            with self.source.extract(info) as tmp:
                inspection = inspect_upload(DjangoFile(tmp, name=name), max_bytes=max_bytes)
        except UploadRejected as exc:
            self.file_problems[key] = exc.message
            return ""
        except ArchiveError as exc:
            self.file_problems[key] = " ".join(exc.messages)
            return ""
        self.files[key] = {
            "name": inspection.name,
            "title": _title(title, inspection.name),
            "size": inspection.size,
            "content_type": inspection.content_type,
            "family": inspection.family,
            "reuse": None,
        }
        return key

    def _reusable(self, data: dict) -> int | None:
        """A file of this site the importer can already see, with the very same bytes: linked, not copied."""
        item_id, sha = data.get("item"), data.get("sha256")
        if not (isinstance(item_id, int) and sha and self._same_site()):
            return None
        found = File.objects.filter(item_id=item_id, sha256=sha).select_related("item").first()
        if found is None or found.item.deleted_at is not None or not can_view(self.user, found.item):
            return None
        return item_id

    def _same_site(self) -> bool:
        return self.site_of_export == self.site

    @property
    def site_of_export(self) -> str:
        for entry in self.feed.entries:
            if "portfolio" in entry.ext:
                return str(entry.ext["portfolio"].get("site", ""))
        return ""

    def visible_item(self, item_id) -> int | None:
        if not isinstance(item_id, int) or not self._same_site():
            return None
        item = Item.objects.filter(pk=item_id, deleted_at__isnull=True).first()
        return item_id if item is not None and can_view(self.user, item) else None

    def file_problem(self, entry: LeapEntry) -> str:
        for href in entry.targets("enclosure"):
            info = self.source.member(href)
            key = info.filename if info is not None else href
            if key in self.file_problems:
                return f"“{PurePosixPath(unquote(href)).name}”: {self.file_problems[key]}"
        return "it has no file"

    # -- the whole feed ---------------------------------------------------------------------------------

    def plan(self) -> dict:
        portfolios = []
        selections = [e for e in self.feed.entries if "selection" in e.types]
        for entry in selections:
            if "Website" in entry.category("selection_type"):
                portfolios.append(self.portfolio_from_website(entry))
        for entry in selections:
            if entry.id in self.used or "Webpage" not in entry.category("selection_type"):
                continue
            page_type = self._mahara_page_type(entry)
            if page_type in MAHARA_PAGE_REASONS:
                self.used.add(entry.id)
                self.refuse(f"Page “{entry.title}”", MAHARA_PAGE_REASONS[page_type] + ".")
                self._refuse_view_blocks(entry)
                continue
            portfolio = self._new_portfolio(entry, kind=Portfolio.Kind.SHOWCASE)
            portfolio["pages"].append(self.page(entry, 0))
            portfolios.append(portfolio)
        for entry in selections:
            if entry.id in self.used or "Blog" not in entry.category("selection_type"):
                continue
            portfolio = self._new_portfolio(entry, kind=Portfolio.Kind.PROCESS)
            portfolio["journal"] = self.journal(entry)
            portfolio["pages"].append(self._journal_page())
            portfolios.append(portfolio)
        loose_claims = []
        for entry in selections:
            if entry.id not in self.used and "Abilities" in entry.category("selection_type"):
                self.used.add(entry.id)
                loose_claims += self.claims_of(entry.targets("leap2:has_part"))
        loose_claims += self.claims_of([e.id for e in self.feed.entries if "ability" in e.types])
        self._leftover_entries(portfolios)
        self._leftovers()
        for p in portfolios:
            p["pages"] = p["pages"][:50]
        return self._result(portfolios, loose_claims)

    def _result(self, portfolios: list[dict], claims: list[dict]) -> dict:
        counts = {
            "portfolios": len(portfolios),
            "pages": sum(len(p["pages"]) for p in portfolios),
            "blocks": sum(len(page["blocks"]) for p in portfolios for page in p["pages"]),
            "journal_entries": sum(len(p["journal"]) for p in portfolios),
            "files": sum(1 for f in self.files.values() if not f["reuse"]),
            "files_linked": sum(1 for f in self.files.values() if f["reuse"]),
            "claims": len(claims) + sum(len(p["claims"]) for p in portfolios),
            "endorsements": sum(len(c["endorsements"]) for p in portfolios for c in p["claims"])
            + sum(len(c["endorsements"]) for c in claims),
            "unmapped": len(self.unmapped),
        }
        return {
            "source": {
                "name": self.source.name,
                "format": self.source.format,
                "title": self.feed.title,
                "generator": self.feed.generator,
                "author": self.feed.author,
                "version": self.feed.version,
                "entries": len(self.feed.entries),
            },
            "portfolios": portfolios,
            "claims": claims,
            "files": self.files,
            "unmapped": self.unmapped,
            "warnings": self.warnings,
            "counts": counts,
        }

    def _leftovers(self) -> None:
        for entry in self.feed.entries:
            if entry.id in self.used:
                continue
            self.used.add(entry.id)
            kind = next(
                (
                    t
                    for t in ("person", "plan", "activity", "affiliation", "achievement", "meeting", "organization")
                    if t in entry.types
                ),
                "",
            )
            if kind:
                self.refuse(f"{kind.capitalize()} “{entry.title}”", TYPE_REASONS[kind])
            elif "resource" in entry.types or "publication" in entry.types:
                if entry.targets("enclosure"):
                    key = self.file_for(entry, title=entry.title, data=entry.ext.get("file"))
                    if not key:
                        self.refuse(f"File “{entry.title}”", f"Not imported: {self.file_problem(entry)}.")
                else:
                    self.refuse(f"Link “{entry.title}”", "A web resource shown on no page has no place to go here.")
            elif "selection" in entry.types:
                terms = ", ".join(sorted(entry.category("selection_type"))) or "untyped"
                self.refuse(f"Selection “{entry.title}” ({terms})", "This kind of grouping has no counterpart here.")
            elif not entry.types:
                self.refuse(f"Entry “{entry.title}”", "It has no Leap2A type (rdf:type), so its meaning is unknown.")

    def _leftover_entries(self, portfolios: list[dict]) -> None:
        """Free-standing leap2:entry items (notes, posts outside a journal) become the journal of one
        process portfolio, rather than being lost."""
        loose = [
            e
            for e in self.feed.entries
            if e.id not in self.used
            and e.types & {"entry"}
            and not e.targets("leap2:reflects_on")
            and not e.targets("leap2:is_evidence_of")
            and "endorsement" not in e.ext
        ]
        if not loose:
            return
        portfolio = {
            "key": "imported-entries",
            "title": "Imported entries",
            "summary": f"Entries from {self.source.name} that belonged to no page or journal.",
            "kind": Portfolio.Kind.PROCESS,
            "tags": [],
            "pages": [self._journal_page()],
            "journal": [self.journal_entry(e) for e in loose],
            "claims": [],
        }
        portfolios.append(portfolio)

    def _journal_page(self) -> dict:
        return {
            "key": "",
            "title": "Journal",
            "layout": Layout.ONE,
            "guidance": "",
            "blocks": [
                {
                    "kind": Block.Kind.TIMELINE,
                    "column": 0,
                    "position": 0,
                    "title": "Timeline",
                    "body": "",
                    "answers": [],
                    "events": [],
                    "private": False,
                    "guidance": "",
                }
            ],
        }

    # -- portfolios ----------------------------------------------------------------------------------

    def _new_portfolio(self, entry: LeapEntry, *, kind: str) -> dict:
        self.used.add(entry.id)
        data = entry.ext.get("portfolio", {})
        kind = data.get("kind") if data.get("kind") in Portfolio.Kind.values else kind
        return {
            "key": entry.id,
            "title": _title(entry.title, "Imported portfolio"),
            "summary": (entry.summary or entry.text or "").strip()[:2000],
            "kind": kind,
            "tags": [t[:60] for t in (data.get("tags") or entry.tags)][:20],
            "pages": [],
            "journal": [],
            "claims": [],
        }

    def portfolio_from_website(self, entry: LeapEntry) -> dict:
        portfolio = self._new_portfolio(entry, kind=Portfolio.Kind.SHOWCASE)
        for ref in entry.targets("leap2:has_part"):
            part = self.by_id.get(ref)
            if part is None:
                self.refuse(f"Part {ref} of “{entry.title}”", "The file names it but has no such entry.")
                continue
            terms = part.category("selection_type")
            if "Webpage" in terms and part.id not in self.used:
                self.used.add(part.id)
                portfolio["pages"].append(self.page(part, len(portfolio["pages"])))
            elif "Blog" in terms and part.id not in self.used:
                portfolio["journal"] += self.journal(part)
                if portfolio["kind"] != Portfolio.Kind.PROCESS and "portfolio" not in entry.ext:
                    portfolio["kind"] = Portfolio.Kind.PROCESS
        for other in self.feed.entries:
            if "Abilities" in other.category("selection_type") and entry.id in other.targets("leap2:is_part_of"):
                self.used.add(other.id)
                portfolio["claims"] += self.claims_of(other.targets("leap2:has_part"))
        if not portfolio["pages"]:
            portfolio["pages"].append(self._journal_page() if portfolio["journal"] else self._empty_page())
        return portfolio

    def _empty_page(self) -> dict:
        return {"key": "", "title": "Welcome", "layout": Layout.ONE, "guidance": "", "blocks": []}

    # -- pages ---------------------------------------------------------------------------------------

    def _mahara_page_type(self, entry: LeapEntry) -> str:
        view = entry.mahara_view
        if view is None:
            return ""
        for key, value in view.attrib.items():
            if _split(key)[1] == "type":
                return value
        return ""

    def page(self, entry: LeapEntry, position: int) -> dict:
        self.used.add(entry.id)
        data = entry.ext.get("page")
        page = {
            "key": entry.id,
            "title": _title(entry.title, f"Page {position + 1}"),
            "layout": Layout.ONE,
            "guidance": "",
            "blocks": [],
        }
        if data is not None:
            page["layout"] = data.get("layout") if data.get("layout") in Layout.values else Layout.ONE
            page["guidance"] = str(data.get("guidance", ""))[:2000]
            for ref in entry.targets("leap2:has_part"):
                part = self.by_id.get(ref)
                if part is not None and "block" in part.ext:
                    block = self.block_from_ours(part)
                    if block is not None:
                        page["blocks"].append(block)
        elif entry.mahara_view is not None:
            self._blocks_from_mahara(entry, page)
        else:
            self._blocks_from_parts(entry, page)
        columns = COLUMNS[page["layout"]]
        self.block_keys.update(b["key"] for b in page["blocks"] if b.get("key"))
        for block in page["blocks"]:
            block["column"] = max(0, min(int(block.get("column", 0) or 0), columns - 1))
        if len(page["blocks"]) > 100:
            self.refuse(f"Blocks after the 100th on “{page['title']}”", "A page holds at most 100 blocks.")
            page["blocks"] = page["blocks"][:100]
        return page

    def block_from_ours(self, part: LeapEntry) -> dict | None:
        self.used.add(part.id)
        d = part.ext["block"]
        kind = d.get("kind")
        if kind not in Block.Kind.values:
            self.refuse(f"Block “{part.title}”", f"Its kind “{kind}” is unknown here.")
            return None
        block = {
            "key": part.id,
            "kind": kind,
            "column": int(d.get("column") or 0),
            "position": int(d.get("position") or 0),
            "title": str(d.get("title", ""))[:200],
            "body": str(d.get("body", ""))[:MAX_TEXT],
            "answers": [a for a in d.get("answers") or [] if isinstance(a, dict)],
            "events": [e for e in d.get("events") or [] if isinstance(e, dict)],
            "private": bool(d.get("private")),
            "guidance": str(d.get("guidance", ""))[:2000],
        }
        if kind == Block.Kind.GALLERY:
            block["images"] = []
            for image in d.get("images") or []:
                key = self.file_for(None, href=image.get("file", ""), data=image)
                if key:
                    block["images"].append({"file": key, "caption": str(image.get("caption", ""))[:300]})
                else:
                    self.refuse(f"An image of the gallery “{part.title}”", "Its file could not be imported.")
        elif d.get("file"):
            key = self.file_for(part, href=d["file"], title=d.get("item_title", ""), data=d)
            if key:
                block["file"] = key
            else:
                self.refuse(f"The file of the block “{part.title}”", f"Not imported: {self.file_problem(part)}.")
        elif d.get("item"):
            item_id = self.visible_item(d.get("item"))
            if item_id:
                block["item"] = item_id
            else:
                url, title = d.get("item_url", ""), d.get("item_title") or "the linked item"
                block["body"] = (block["body"] + f"\n\n[{title}]({url})").strip() if url else block["body"]
                self.warnings.append(f"“{part.title}” showed {title}, which is not yours to see here: kept as a link.")
        if d.get("enrolment"):
            enrolment = self._own_enrolment(d.get("enrolment"))
            if enrolment:
                block["enrolment"] = enrolment
            else:
                course = d.get("course") or "a course"
                block["body"] = (block["body"] + f"\n\nCompleted {course}.").strip()
                self.warnings.append(
                    f"“{part.title}” showed a completion of {course}, which the catalogue here has no record of: "
                    "kept as text."
                )
        return block

    def _own_enrolment(self, pk) -> int | None:
        from catalog.models import Enrolment

        if not isinstance(pk, int) or not self._same_site():
            return None
        return pk if Enrolment.objects.filter(pk=pk, person=self.user).exists() else None

    def _blocks_from_parts(self, entry: LeapEntry, page: dict) -> None:
        """A page from a system without Mahara's layout: each part becomes a block, in order."""
        for ref in entry.targets("leap2:has_part"):
            part = self.by_id.get(ref)
            if part is None:
                self.refuse(f"Part {ref} of “{entry.title}”", "The file names it but has no such entry.")
                continue
            block = self.block_from_item(part)
            if block is not None:
                block["key"] = part.id
                block["position"] = len(page["blocks"])
                page["blocks"].append(block)
        if not page["blocks"] and entry.body_html():
            page["blocks"].append(self._text_block(entry.title, entry.body_html(), 0, 0))

    def _text_block(self, title: str, html: str, column: int, position: int) -> dict:
        return {
            "kind": Block.Kind.TEXT,
            "column": column,
            "position": position,
            "title": _title(title, "")[:200],
            "body": clean_html(html),
            "answers": [],
            "events": [],
            "private": False,
            "guidance": "",
        }

    def block_from_item(self, part: LeapEntry) -> dict | None:
        self.used.add(part.id)
        if ("resource" in part.types or "publication" in part.types) and part.targets("enclosure"):
            key = self.file_for(part, title=part.title, data=part.ext.get("file"))
            if not key:
                self.refuse(f"File “{part.title}”", f"Not imported: {self.file_problem(part)}.")
                return None
            block = self._text_block(part.title, part.body_html(), 0, 0)
            block.update(kind=Block.Kind.ARTEFACT, file=key)
            return block
        if "selection" in part.types and "Folder" in part.category("selection_type"):
            images = []
            for ref in part.targets("leap2:has_part"):
                image = self.by_id.get(ref)
                if image is None:
                    continue
                self.used.add(image.id)
                key = self.file_for(image, title=image.title)
                if key and self.files[key].get("family", "image") == "image":
                    images.append({"file": key, "caption": image.title[:300]})
            block = self._text_block(part.title, "", 0, 0)
            block.update(kind=Block.Kind.GALLERY, images=images)
            return block
        html = part.body_html()
        related = part.targets("related") or part.targets("alternate")
        if related and related[0].startswith(("http://", "https://")):
            html += f'<p><a href="{html_escape(related[0])}">{html_escape(part.title or related[0])}</a></p>'
        if "ability" in part.types or "selection" in part.types or not (html or part.title):
            self.used.discard(part.id)
            return None
        return self._text_block(part.title, html, 0, 0)

    def _mahara_config(self, instance) -> dict:
        config = {}
        for child in instance:
            uri, name = _split(child.tag)
            if namespace_kind(uri) != "mahara":
                continue
            try:
                value = json.loads(child.text or "null")
            except ValueError:
                continue
            if isinstance(value, list) and value:
                config[name] = value[0]
        return config

    def _mahara_instances(self, view) -> tuple[str, list[tuple[int, dict, ET.Element]]]:
        """(layout, [(column, attributes, element)]) from Mahara's view element: rows of columns (its
        1.8+ layout), columns alone (before 1.8) or gridstack positions (``newlayout``)."""
        attrs = {_split(k)[1]: v for k, v in view.attrib.items()}

        def mahara_children(el, local):
            return [c for c in el if namespace_kind(_split(c.tag)[0]) == "mahara" and _split(c.tag)[1] == local]

        placed = []
        if attrs.get("newlayout"):
            instances = mahara_children(view, "blockinstance")
            found = []
            for inst in instances:
                a = {_split(k)[1]: v for k, v in inst.attrib.items()}
                x = int(a.get("positionx") or 0) if str(a.get("positionx", "0")).isdigit() else 0
                y = int(a.get("positiony") or 0) if str(a.get("positiony", "0")).isdigit() else 0
                w = int(a.get("width") or 12) if str(a.get("width", "12")).isdigit() else 12
                found.append((y, x, w, a, inst))
            widths = {w for _, _, w, _, _ in found}
            columns = 1 if widths <= {12} else (2 if widths <= {6, 12} else 3)
            for _y, x, _w, a, inst in sorted(found, key=lambda f: (f[0], f[1])):
                placed.append((min(x * columns // 12, columns - 1), a, inst))
        else:
            rows = mahara_children(view, "row") or [view]
            columns = max((len(mahara_children(row, "column")) for row in rows), default=1) or 1
            for row in rows:
                for n, column in enumerate(mahara_children(row, "column")):
                    for inst in mahara_children(column, "blockinstance"):
                        a = {_split(k)[1]: v for k, v in inst.attrib.items()}
                        placed.append((min(n, 2), a, inst))
            columns = min(columns, 3)
        layout = {1: Layout.ONE, 2: Layout.TWO, 3: Layout.THREE}[columns]
        first_row = (attrs.get("layout") or "").split("-")[0].split(",")
        widths = [int(w) for w in first_row if w.strip().isdigit()]
        if columns == 2 and len(widths) == 2 and widths[0] > widths[1]:
            layout = Layout.WIDE_LEFT
        return layout, placed

    def _refuse_view_blocks(self, entry: LeapEntry) -> None:
        _layout, placed = self._mahara_instances(entry.mahara_view)
        for _column, attrs, _inst in placed:
            blocktype = attrs.get("blocktype", "?")
            reason = MAHARA_BLOCK_REASONS.get(blocktype, "the page it is on is not imported")
            self.refuse(
                f"Mahara block “{attrs.get('blocktitle') or blocktype}” on “{entry.title}”", reason.capitalize() + "."
            )

    def _blocks_from_mahara(self, entry: LeapEntry, page: dict) -> None:
        layout, placed = self._mahara_instances(entry.mahara_view)
        page["layout"] = layout
        positions: dict[int, int] = defaultdict(int)
        for column, attrs, inst in placed:
            blocktype = attrs.get("blocktype", "")
            title = attrs.get("blocktitle", "")
            config = self._mahara_config(inst)
            what = f"Mahara block “{title or blocktype}” on “{entry.title}”"
            made = []
            if blocktype in ("text", "textbox"):
                html = config.get("text") if isinstance(config.get("text"), str) else ""
                source = self.by_id.get(str(config.get("artefactid", "")))
                if not html and source is not None:
                    self.used.add(source.id)
                    html = source.body_html()
                    title = title or source.title
                made.append(self._text_block(title, html, column, 0))
            elif blocktype in ("image", "filedownload", "internalmedia", "pdf", "html"):
                ids = config.get("artefactids") if isinstance(config.get("artefactids"), list) else []
                ids = ids or ([config["artefactid"]] if config.get("artefactid") else [])
                for ref in ids:
                    part = self.by_id.get(str(ref))
                    if part is None:
                        self.refuse(what, f"It shows {ref}, which the file does not contain.")
                        continue
                    self.used.add(part.id)
                    key = self.file_for(part, title=part.title)
                    if not key:
                        self.refuse(what, f"Not imported: {self.file_problem(part)}.")
                        continue
                    block = self._text_block(title or part.title, "", column, 0)
                    block.update(kind=Block.Kind.ARTEFACT, file=key)
                    made.append(block)
            elif blocktype == "gallery":
                ids = config.get("artefactids") if isinstance(config.get("artefactids"), list) else []
                if not ids and config.get("artefactid"):
                    folder = self.by_id.get(str(config["artefactid"]))
                    ids = folder.targets("leap2:has_part") if folder is not None else []
                images = []
                for ref in ids:
                    part = self.by_id.get(str(ref))
                    key = self.file_for(part, title=part.title) if part is not None else ""
                    if part is not None:
                        self.used.add(part.id)
                    if key:
                        images.append({"file": key, "caption": part.title[:300]})
                    else:
                        self.refuse(what, "One of its images is not in the upload.")
                if images:
                    block = self._text_block(title, "", column, 0)
                    block.update(kind=Block.Kind.GALLERY, images=images)
                    made.append(block)
            else:
                reason = MAHARA_BLOCK_REASONS.get(blocktype, f"Mahara's “{blocktype}” block has no counterpart here")
                self.refuse(what, reason[0].upper() + reason[1:] + ".")
            for block in made:
                block["column"] = column
                block["position"] = positions[column]
                positions[column] += 1
                page["blocks"].append(block)

    # -- the journal -----------------------------------------------------------------------------------

    def journal(self, blog: LeapEntry) -> list[dict]:
        self.used.add(blog.id)
        refs = blog.targets("leap2:has_part")
        refs += [e.id for e in self.feed.entries if blog.id in e.targets("leap2:is_part_of") and e.id not in refs]
        out = []
        for ref in refs:
            entry = self.by_id.get(ref)
            if entry is not None and entry.id not in self.used and "entry" in entry.types:
                out.append(self.journal_entry(entry))
        return out

    def journal_entry(self, entry: LeapEntry) -> dict:
        self.used.add(entry.id)
        data = entry.ext.get("entry")
        happened = None
        for point, value, _label in entry.dates:
            if point == "start":
                happened = _date(value)
        happened = happened or _date(entry.published) or _date(entry.updated) or timezone.localdate()
        planned = {
            "key": entry.id,
            "title": _title(entry.title, "Untitled entry"),
            "happened": happened.isoformat(),
            "body": str(data.get("body", ""))[:MAX_TEXT] if data else clean_html(entry.body_html()),
            "answers": [],
            "reflection_private": False,
        }
        reflections = list(entry.targets("leap2:reflected_on_by"))
        reflections += [e.id for e in self.feed.entries if entry.id in e.targets("leap2:reflects_on")]
        for ref in dict.fromkeys(reflections):
            reflection = self.by_id.get(ref)
            if reflection is None or reflection.id in self.used:
                continue
            self.used.add(reflection.id)
            ours = reflection.ext.get("reflection")
            if ours:
                planned["answers"] += [
                    {"prompt": str(a.get("prompt", ""))[:300], "answer": str(a.get("answer", ""))[:20000]}
                    for a in ours.get("answers") or []
                    if isinstance(a, dict) and str(a.get("prompt", "")).strip()
                ]
                planned["reflection_private"] = bool(ours.get("private"))
            else:
                planned["answers"].append(
                    {"prompt": _title(reflection.title, "Reflection"), "answer": clean_html(reflection.body_html())}
                )
        if data and data.get("item"):
            if data.get("file"):
                key = self.file_for(None, href=data["file"], data=data)
                if key:
                    planned["file"] = key
            elif self.visible_item(data.get("item")):
                planned["item"] = data["item"]
        else:
            for ref in entry.targets("leap2:relation") + entry.targets("enclosure"):
                target = self.by_id.get(ref)
                if target is not None and target.targets("enclosure"):
                    self.used.add(target.id)
                    key = self.file_for(target, title=target.title)
                    if key:
                        planned["file"] = key
                        break
        return planned

    # -- skill claims ----------------------------------------------------------------------------------

    def claims_of(self, refs: Iterable[str]) -> list[dict]:
        out = []
        for ref in refs:
            entry = self.by_id.get(ref)
            if entry is None or entry.id in self.used or "ability" not in entry.types:
                continue
            self.used.add(entry.id)
            claim = self.claim(entry)
            if claim is not None:
                out.append(claim)
        return out

    def _skill(self, data: dict, title: str):
        from people.models import Skill

        if data.get("skill_slug"):
            skill = Skill.objects.filter(slug=data["skill_slug"], name__iexact=data.get("skill", title)).first()
            if skill is not None:
                return skill
        if data.get("skill_uri"):
            skill = Skill.objects.filter(uri=data["skill_uri"]).first()
            if skill is not None:
                return skill
        return Skill.objects.filter(name__iexact=(data.get("skill") or title).strip()).order_by("depth", "pk").first()

    def claim(self, entry: LeapEntry) -> dict | None:
        data = entry.ext.get("claim", {})
        what = f"Skill claim “{entry.title}”"
        skill = self._skill(data, entry.title)
        if skill is None:
            self.refuse(what, "No skill of that name is in the skills taxonomy here; a curator can add it.")
            return None
        framework = None
        if data.get("framework"):
            framework = Framework.objects.filter(title=data["framework"].get("title", "")).first()
            if framework is None:
                self.warnings.append(
                    f"{what}: the framework “{data['framework'].get('title', '')}” is not on this site, so the "
                    "claim uses the taxonomy's levels."
                )
        key = (skill.pk, framework.pk if framework else None)
        if key in self.claimed:
            self.refuse(what, f"You already claim {skill.name} here; the imported claim was not merged into yours.")
            return None
        self.claimed.add(key)
        level = data.get("level")
        state = data.get("state") if data.get("state") in SkillClaim.State.values else SkillClaim.State.DRAFT
        if not isinstance(level, int) or not 1 <= level <= 10:
            level, state = 1, SkillClaim.State.DRAFT
            self.warnings.append(f"{what}: the file gives no level, so it is imported as a draft at level 1.")
        statement = data.get("statement") if data else clean_html(entry.body_html())
        claim = {
            "key": entry.id,
            "skill": skill.pk,
            "skill_name": skill.name,
            "framework": framework.pk if framework else None,
            "level": level,
            "statement": str(statement or "")[:MAX_TEXT],
            "state": state,
            "evidence": [],
            "endorsements": [],
            "endorsed_at": data.get("endorsed_at"),
        }
        notes = {e.get("ref"): e for e in data.get("evidence") or [] if isinstance(e, dict)}
        for link in [lk for lk in entry.links if lk.rel == "leap2:has_evidence"]:
            target = self.by_id.get(link.href)
            if target is not None and "endorsement" in target.ext:
                self.used.add(target.id)
                endorsement = self._endorsement(target, claim, skill, framework)
                if endorsement is not None:
                    claim["endorsements"].append(endorsement)
                continue
            note = str(notes.get(link.href, {}).get("note", link.title if link.title != "Endorsement" else ""))[:300]
            evidence = self._evidence(link.href, target, what)
            if evidence is not None:
                claim["evidence"].append({**evidence, "ref": link.href, "note": note})
        if claim["state"] == SkillClaim.State.ENDORSED and not claim["endorsements"]:
            claim["state"] = SkillClaim.State.CLAIMED
        return claim

    def _evidence(self, ref: str, target: LeapEntry | None, what: str) -> dict | None:
        """What a has_evidence link points to, as the import will find it: a block made from that entry (known
        by its id), a file, an item or a course completion of this site; None, with a reason, otherwise."""
        if target is None:
            self.refuse(
                f"Evidence {ref} of the {what[0].lower()}{what[1:]}", "The file names it but has no such entry."
            )
            return None
        if "block" in target.ext or target.id in self.block_keys:
            return {}
        self.used.add(target.id)
        if target.targets("enclosure"):
            key = self.file_for(target, title=target.title, data=target.ext.get("file"))
            if key:
                return {"file": key}
        item = target.ext.get("item", {}).get("item") if "item" in target.ext else None
        if item and self.visible_item(item):
            return {"item": item}
        enrolment = target.ext.get("evidence", {}).get("enrolment")
        if enrolment and self._own_enrolment(enrolment):
            return {"enrolment": enrolment}
        self.refuse(
            f"Evidence “{target.title}” of the {what[0].lower()}{what[1:]}",
            "It is not a page block, a file in the upload, or something of yours on this site.",
        )
        return None

    def _endorsement(self, entry: LeapEntry, claim: dict, skill, framework) -> dict | None:
        from people.models import User

        data = entry.ext["endorsement"]
        who = data.get("endorser_name") or entry.author or "someone"
        what = f"Endorsement of {claim['skill_name']} by {who}"
        endorser = User.objects.filter(
            pk=data.get("endorser_id"), username=data.get("endorser"), is_active=True
        ).first()
        created = data.get("created", "")
        level = data.get("level")
        if endorser is None or endorser.pk == self.user.pk or not isinstance(level, int) or not self._same_site():
            self.refuse(what, "Endorsements are vouched for by people on this site; this one cannot be verified here.")
            return None
        value = f"{self.user.pk}:{skill.pk}:{framework.pk if framework else 0}:{endorser.pk}:{level}:{created}"
        if not constant_time_compare(_signer().signature(value), str(data.get("signature", ""))):
            self.refuse(
                what,
                "Its signature does not match: endorsements are carried over only from this site's own exports, "
                "for the person they were given to.",
            )
            return None
        return {
            "endorser": endorser.pk,
            "level": level,
            "comment": str(data.get("comment", ""))[:5000],
            "created": created,
        }


def plan_import(source: Source, *, user) -> dict:
    """Read the upload and say what importing it would do. Writes nothing."""
    feed = parse_feed(source.xml)
    if not feed.entries:
        raise ArchiveError("The feed has no entries, so there is nothing to import.")
    return _Planner(feed, source, user).plan()


# --- applying a plan: one transaction ------------------------------------------------------------------


@dataclass
class ImportReport:
    created: dict = field(default_factory=dict)
    portfolios: list[dict] = field(default_factory=list)
    unmapped: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "portfolios": self.portfolios,
            "unmapped": self.unmapped[:500],
            "unmapped_count": len(self.unmapped),
            "warnings": self.warnings[:200],
        }


def _store_file(source: Source, key: str, planned: dict, stored: list[str]) -> File:
    """Copy one file out of the zip into storage (before the transaction), checked again as any upload is."""
    info = source.members[key]
    with source.extract(info) as tmp:
        inspection = inspect_upload(
            DjangoFile(tmp, name=planned["name"]), max_bytes=settings.WATERCOOLER_MAX_UPLOAD_MB * MB
        )
        token = hashlib.sha256(f"{key}:{inspection.sha256}:{os.urandom(8).hex()}".encode()).hexdigest()[:32]
        detail = File(
            original_name=inspection.name,
            content_type=inspection.content_type,
            family=inspection.family,
            size=inspection.size,
            sha256=inspection.sha256,
            width=inspection.width,
            height=inspection.height,
        )
        tmp.seek(0)
        detail.blob.save(f"{token}.{inspection.extension}", DjangoFile(tmp), save=False)
        stored.append(detail.blob.name)
        if inspection.thumbnail:
            detail.thumbnail.save(f"{token}.jpg", ContentFile(inspection.thumbnail), save=False)
            stored.append(detail.thumbnail.name)
    return detail


def apply_import(plan: dict, source: Source, *, user, claim: Callable[[], bool] | None = None) -> ImportReport:
    """Create what ``plan`` says, all in one transaction: either everything is imported or nothing is.

    Files are copied into storage first (so a large copy never holds the database's write lock) and
    removed again if anything fails. ``claim`` runs first inside the transaction; returning False stops
    the import (a job someone already confirmed).
    """
    stored: list[str] = []
    report = ImportReport(unmapped=list(plan.get("unmapped", [])), warnings=list(plan.get("warnings", [])))
    try:
        details = {}
        for key, planned in plan["files"].items():
            if not planned.get("reuse"):
                details[key] = _store_file(source, key, planned, stored)
        with transaction.atomic():
            if claim is not None and not claim():
                raise ValidationError("This import has been carried out already.")
            _Applier(plan, user, details, report).run()
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return report


class _Applier:
    def __init__(self, plan: dict, user, details: dict[str, File], report: ImportReport):
        self.plan, self.user, self.details, self.report = plan, user, details, report
        self.items: dict[str, int] = {}  # file key → item id
        self.blocks: dict[str, Block] = {}  # entry id → block made from it
        self.created = defaultdict(int)

    def run(self) -> None:
        for key, planned in self.plan["files"].items():
            if planned.get("reuse"):
                self.items[key] = planned["reuse"]
                self.created["files_linked"] += 1
                continue
            detail = self.details[key]
            item = create_item(
                owner=self.user, kind=ItemKind.FILE, title=planned["title"], visibility=Visibility.PRIVATE
            )
            detail.item = item
            detail.save()
            watch(user=self.user, item=item)
            record_activity(actor=self.user, verb=Activity.Verb.CREATED, item=item, extra={"quiet": True})
            schedule_index(item)
            self.items[key] = item.pk
            self.created["files"] += 1
        for planned in self.plan["portfolios"]:
            self.portfolio(planned)
        for planned in self.plan.get("claims", []):
            self.claim(planned, None)
        self.report.created = dict(self.created)

    def portfolio(self, planned: dict) -> None:
        item = create_item(
            owner=self.user,
            kind=ItemKind.PORTFOLIO,
            title=planned["title"],
            summary=planned.get("summary", ""),
            visibility=Visibility.PRIVATE,
            tags=planned.get("tags", []),
        )
        portfolio = Portfolio.objects.create(item=item, kind=planned["kind"])
        slugs: set[str] = set()
        for n, page_plan in enumerate(planned["pages"]):
            base = slugify(page_plan["title"], allow_unicode=True)[:180] or "page"
            slug, k = base, 2
            while slug in slugs:
                slug, k = f"{base}-{k}", k + 1
            slugs.add(slug)
            page = PortfolioPage.objects.create(
                portfolio=portfolio,
                title=page_plan["title"],
                slug=slug,
                position=n,
                layout=page_plan["layout"],
                guidance=page_plan.get("guidance", ""),
            )
            self.created["pages"] += 1
            for block_plan in page_plan["blocks"]:
                self.block(page, block_plan)
        for entry_plan in planned["journal"]:
            JournalEntry.objects.create(
                portfolio=portfolio,
                title=entry_plan["title"],
                happened=date.fromisoformat(entry_plan["happened"]),
                body=entry_plan["body"],
                answers=entry_plan["answers"],
                reflection_private=entry_plan["reflection_private"],
                item_id=self.items.get(entry_plan.get("file", "")) or entry_plan.get("item"),
            )
            self.created["journal_entries"] += 1
        Portfolio.objects.filter(pk=portfolio.pk).update(
            page_count=len(planned["pages"]), entry_count=len(planned["journal"])
        )
        for claim_plan in planned["claims"]:
            self.claim(claim_plan, portfolio)
        watch(user=self.user, item=item)
        record_activity(actor=self.user, verb=Activity.Verb.CREATED, item=item, extra={"imported": "leap2a"})
        schedule_index(item)
        self.created["portfolios"] += 1
        self.report.portfolios.append({"id": item.pk, "title": item.title, "url": f"/i/{item.pk}/"})

    def block(self, page: PortfolioPage, plan: dict) -> None:
        block = Block.objects.create(
            page=page,
            kind=plan["kind"],
            column=plan["column"],
            position=plan["position"],
            title=plan["title"],
            body=plan["body"],
            **queries.block_body_html(plan["body"]),
            answers=plan["answers"],
            events=plan["events"],
            private=plan["private"],
            guidance=plan["guidance"],
            item_id=self.items.get(plan.get("file", "")) or plan.get("item"),
            enrolment_id=plan.get("enrolment"),
        )
        images = [
            BlockImage(block=block, item_id=self.items[image["file"]], position=n, caption=image["caption"])
            for n, image in enumerate(plan.get("images", []))
            if image["file"] in self.items
        ]
        BlockImage.objects.bulk_create(images)
        if plan.get("key"):
            self.blocks[plan["key"]] = block
        self.created["blocks"] += 1

    def claim(self, plan: dict, portfolio: Portfolio | None) -> None:
        endorsed = plan["endorsements"]
        endorsed_at = None
        if endorsed:
            endorsed_at = _parse_stamp(plan.get("endorsed_at")) or max(_parse_stamp(e["created"]) for e in endorsed)
        claim = SkillClaim.objects.create(
            person=self.user,
            skill_id=plan["skill"],
            framework_id=plan["framework"],
            level=plan["level"],
            statement=plan["statement"],
            portfolio=portfolio,
            state=SkillClaim.State.ENDORSED if endorsed else plan["state"],
            endorsed_at=endorsed_at,
        )
        self.created["claims"] += 1
        for n, ev in enumerate(plan["evidence"]):
            target = {}
            if ev["ref"] in self.blocks:
                target["block"] = self.blocks[ev["ref"]]
            elif ev.get("file") in self.items:
                target["item_id"] = self.items[ev["file"]]
            elif ev.get("item"):
                target["item_id"] = ev["item"]
            elif ev.get("enrolment"):
                target["enrolment_id"] = ev["enrolment"]
            if not target:
                self.report.unmapped.append(
                    {
                        "what": f"Evidence {ev.get('note') or ev['ref']} for {plan['skill_name']}",
                        "reason": "What it points to was not imported, so the claim keeps its other evidence.",
                    }
                )
                continue
            ClaimEvidence.objects.create(claim=claim, note=ev.get("note", ""), position=n, **target)
        for e in endorsed:
            Endorsement.objects.create(
                claim=claim,
                endorser_id=e["endorser"],
                level=e["level"],
                comment=e["comment"],
                created=_parse_stamp(e["created"]) or timezone.now(),
            )
            self.created["endorsements"] += 1


def _parse_stamp(value) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)


# --- the import job: upload and plan, then confirm -------------------------------------------------------


def create_import_job(*, user, upload) -> ImportJob:
    """Keep the upload and its plan for the preview; an upload that cannot be read raises and is not kept."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Sign in to import a portfolio.")
    name = clean_filename(getattr(upload, "name", "") or "leap2a.zip")
    source = open_source(upload, name=name)
    try:
        plan = plan_import(source, user=user)
    finally:
        source.close()
    job = ImportJob(owner=user, name=name[:255], plan=plan)
    upload.seek(0)
    job.upload.save(f"{user.pk}-{zip_safe_name(name)}", DjangoFile(upload), save=False)
    job.save()
    return job


def confirm_import(*, job: ImportJob, actor) -> ImportReport:
    """Carry out the import the person previewed, once. The upload is planned again (the site may have
    changed since the preview) and the plan applied in one transaction; the upload is then deleted."""
    if job.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied("Only the person who uploaded the file can import it.")
    if job.state != ImportJob.State.PLANNED:
        raise ValidationError("This import has been carried out already.")

    def claim() -> bool:
        return bool(
            ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.PLANNED).update(state=ImportJob.State.DONE)
        )

    try:
        with job.upload.open("rb") as fh:
            source = open_source(fh, name=job.name)
            try:
                plan = plan_import(source, user=actor)
                report = apply_import(plan, source, user=actor, claim=claim)
            finally:
                source.close()
    except OSError as exc:
        _fail(job, "The uploaded file is no longer there; upload it again.")
        raise ValidationError("The uploaded file is no longer there; upload it again.") from exc
    except ValidationError as exc:
        if ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.PLANNED).exists():
            _fail(job, " ".join(exc.messages))
        raise
    ImportJob.objects.filter(pk=job.pk).update(report=report.as_dict(), finished=timezone.now())
    job.upload.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(upload="")
    job.refresh_from_db()
    return report


def _fail(job: ImportJob, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.FAILED, report={"error": message}, finished=timezone.now()
    )
