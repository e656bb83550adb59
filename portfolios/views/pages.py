"""Portfolio views: my portfolios, the guided start, reading a portfolio's pages and journal, the page editor
(layouts, blocks, pages), settings, journal entries, and the curators' templates and reflection prompts.

Views are thin: they find what the person may see (404 otherwise), check what they may change (403
otherwise), call portfolios.services and render. Every form works without JavaScript; htmx swaps the
editor's columns or one block in place. What someone typed is never dropped: a refusal renders the form
again with their text and the reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, register_converter, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from core.access import can_edit, can_view
from core.models import Item, Visibility
from lib.htmx import render_page
from lib.pagecache import cache_for_viewer
from lib.pagination import paginate
from lib.uploads import UploadRejected
from lib.urls import reverse_args, reverse_one
from portfolios import queries, services
from portfolios.forms import (
    LAYOUT_HELP,
    AddPageForm,
    BlockForm,
    EntryForm,
    PageForm,
    PromptSetForm,
    SettingsForm,
    StartForm,
    StructureEditor,
    TemplateForm,
)
from portfolios.models import (
    Block,
    JournalEntry,
    Layout,
    Portfolio,
    PortfolioPage,
    PortfolioTemplate,
    ReflectionTemplate,
)

MAX_ID = 2**63 - 1
JOURNAL_PER_PAGE = 20
LIST_PER_PAGE = 24

# Plain words for the guided start: what each kind is for and what goes in it.
KINDS = [
    {
        "value": Portfolio.Kind.SHOWCASE,
        "name": "Showcase",
        "for": "Show your best work to someone who does not know you yet: a hiring panel, a new team, a mentor.",
        "holds": "A few pieces of work you are proud of, what each shows about you, and the skills they prove.",
        "pages": services.GUIDED_START[Portfolio.Kind.SHOWCASE],
    },
    {
        "value": Portfolio.Kind.PROCESS,
        "name": "Process",
        "for": "Keep track of something you are learning over weeks or months, and look back on how it went.",
        "holds": "Your goals, a dated journal of what you did with a short reflection each time, and milestones.",
        "pages": services.GUIDED_START[Portfolio.Kind.PROCESS],
    },
]

BLOCK_KINDS = [
    (Block.Kind.TEXT, "Text", "Your words, with headings, lists and links."),
    (Block.Kind.ARTEFACT, "Artefact", "A file, a link, something you made here, or a course you completed."),
    (Block.Kind.GALLERY, "Image gallery", "Photos, screenshots or diagrams, with captions."),
    (Block.Kind.EMBED, "Embedded item", "A wiki page, board, file or link from here, shown on the page."),
    (Block.Kind.REFLECTION, "Reflection", "Answers to the reflection prompts; can be kept private."),
    (Block.Kind.SKILLS, "Skills claimed", "The skills this portfolio shows, with their endorsements."),
    (Block.Kind.TIMELINE, "Timeline", "Milestones with dates, and the journal's entries."),
]


class PageSlugConverter:
    """A page's slug, never one of the words the portfolio's own addresses use (services.RESERVED_SLUGS), so
    /portfolios/<id>/journal/ and the other areas' addresses are never taken for a page."""

    regex = r"(?!(?:" + "|".join(sorted(services.RESERVED_SLUGS, key=len, reverse=True)) + r")(?:/|$))[^/]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(PageSlugConverter, "pageslug")


# --- lookups ----------------------------------------------------------------------------------------------


def _problem(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    if isinstance(exc, UploadRejected):
        return [exc.message]
    return [str(exc) or "You may not do that."]


def _portfolio_or_404(request, pk: int) -> Portfolio:
    if pk > MAX_ID:
        raise Http404("Not found")
    portfolio = queries.portfolio_for_view(request.user, pk)
    if portfolio is None:
        raise Http404("Not found")
    return portfolio


def _editable_or_404(request, pk: int) -> Portfolio:
    portfolio = _portfolio_or_404(request, pk)
    if not can_edit(request.user, portfolio.item):
        raise PermissionDenied("Only the portfolio's owner can change it.")
    return portfolio


def _owned_or_404(request, pk: int) -> Portfolio:
    """What only the owner does (the journal and its reflections are theirs)."""
    portfolio = _portfolio_or_404(request, pk)
    if not queries.is_owner(request.user, portfolio):
        raise PermissionDenied("Only the portfolio's owner can write in its journal.")
    return portfolio


def _page_in(pages: list[PortfolioPage], slug: str) -> PortfolioPage:
    for page in pages:
        if page.slug == slug:
            return page
    raise Http404("No such page")


def _block_or_404(request, portfolio: Portfolio, block_pk: int) -> Block:
    """A block of the portfolio that the editor may see (a private block is its owner's alone)."""
    if block_pk > MAX_ID:
        raise Http404("Not found")
    block = Block.objects.select_related("page").filter(pk=block_pk, page__portfolio=portfolio).first()
    if block is None or (block.private and not queries.is_owner(request.user, portfolio)):
        raise Http404("No such block")
    block.page.portfolio = portfolio
    return block


def _journal_or_404(request, pk: int) -> Portfolio:
    portfolio = _portfolio_or_404(request, pk)
    if portfolio.kind != Portfolio.Kind.PROCESS:
        raise Http404("Only a process portfolio keeps a journal.")
    return portfolio


def _entry_or_404(portfolio: Portfolio, entry_pk: int) -> JournalEntry:
    entry = JournalEntry.objects.select_related("item").filter(pk=min(entry_pk, MAX_ID), portfolio=portfolio).first()
    if entry is None:
        raise Http404("No such entry")
    entry.portfolio = portfolio
    return entry


def _curator(user) -> bool:
    return bool(getattr(user, "is_curator", False))


def _require_curator(request) -> None:
    if not _curator(request.user):
        raise PermissionDenied("Only curators look after portfolio templates and reflection prompts.")


def page_url(portfolio: Portfolio, page: PortfolioPage) -> str:
    return reverse("portfolios:page", args=[portfolio.pk, page.slug])


def editor_url(portfolio: Portfolio, page: PortfolioPage, block: Block | None = None) -> str:
    url = reverse("portfolios:page-edit", args=[portfolio.pk, page.slug])
    return f"{url}#block-{block.pk}" if block is not None else url


def _shared_with_words(item: Item) -> str:
    """Who sees a portfolio, in the words its card and header use."""
    if item.visibility == Visibility.PRIVATE:
        return "Only you"
    if item.visibility == Visibility.PEOPLE:
        names = [p.name for p in item.shared_with.all()]
        return "Shared with " + (", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else ""))
    if item.visibility == Visibility.SPACE:
        return f"Members of {item.space.name}" if item.space_id else "Space members"
    return item.get_visibility_display()


# The portfolio's own addresses its frame links to (each takes the portfolio's pk), as urls.<name with underscores>.
FRAME_URLS = ("share", "feedback", "settings", "submit", "save-as-template", "delete", "journal", "entry-new")


def _frame(request, portfolio: Portfolio, pages: list[PortfolioPage], *, tab: str, **extra) -> dict:
    """What every view of one portfolio shows around itself: its header, its pages' navigation, its actions."""
    user = request.user
    item = portfolio.item
    owner = queries.is_owner(user, portfolio)
    pk = portfolio.pk
    shown = extra.get("page")
    for each in [*pages, shown] if isinstance(shown, PortfolioPage) else pages:  # navigation, and the editor's
        each.url = reverse_args("portfolios:page", pk, each.slug)
        each.edit_url = reverse_args("portfolios:page-edit", pk, each.slug)
    context = {
        "portfolio": portfolio,
        "item": item,
        "pages": pages,
        "urls": {name.replace("-", "_"): reverse_one(f"portfolios:{name}", pk) for name in FRAME_URLS},
        "tab": tab,
        "is_owner": owner,
        "can_edit": can_edit(user, item),
        "is_curator": _curator(user),
        "tags": list(item.tags.all()),
        "sharing_words": _shared_with_words(item) if owner else "",
    }
    context.update(extra)
    return context


# --- my portfolios and the guided start -------------------------------------------------------------------


@login_required
@require_GET
def portfolio_list(request):
    """My portfolios, or (``?shared=1``) the ones other people let me see."""
    shared = request.GET.get("shared") == "1"
    items = queries.shared_with_me(request.user) if shared else queries.my_portfolios(request.user)
    page = paginate(items, request, per_page=LIST_PER_PAGE)
    for item in page.rows:
        item.sharing_words = _shared_with_words(item)
    context = {"page": page, "shared": shared, "templates": list(queries.published_templates()[:6])}
    return render_page(request, "portfolios/list.html", context, partial="results")


@login_required
@require_http_methods(["GET", "POST"])
def start(request):
    """The guided start: a showcase or a process portfolio (or a curator's template), laid out with pages and
    empty blocks that each say what to put in them."""
    templates = list(queries.published_templates())
    for template in templates:
        template.start_value = f"template-{template.pk}"
    status = 200
    if request.method == "POST":
        form = StartForm(request.POST, user=request.user, templates=templates)
        if form.is_valid():
            data = form.cleaned_data
            try:
                portfolio = services.create_portfolio(
                    owner=request.user,
                    title=data["title"],
                    kind=data["kind"],
                    summary=data["summary"],
                    space=data["space"],
                    visibility=data["visibility"],
                    shared_with=data["shared_with"],
                    template=data["template"],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _problem(exc))
                status = 400
            else:
                messages.success(
                    request,
                    f"“{portfolio.item.title}” is ready. Each empty block says what to put in it; "
                    "only you see those hints.",
                )
                first = queries.pages_of(portfolio)[0]
                return redirect(editor_url(portfolio, first))
        else:
            status = 400
    else:
        chosen = request.GET.get("start", "")
        form = StartForm(
            initial={"start": chosen or Portfolio.Kind.SHOWCASE, "visibility": Visibility.PRIVATE},
            user=request.user,
            templates=templates,
        )
    context = {"form": form, "kinds": KINDS, "templates": templates}
    return render(request, "portfolios/start.html", context, status=status)


# --- reading ----------------------------------------------------------------------------------------------


def _show_page(request, portfolio: Portfolio, slug: str | None):
    pages = queries.pages_of(portfolio)
    if not pages:
        raise Http404("This portfolio has no pages.")
    page = pages[0] if slug is None else _page_in(pages, slug)
    columns = queries.page_blocks(request.user, page)
    index = pages.index(page)
    context = _frame(
        request,
        portfolio,
        pages,
        tab="page",
        page=page,
        columns=columns,
        previous=pages[index - 1] if index > 0 else None,
        next=pages[index + 1] if index + 1 < len(pages) else None,
        page_guidance=page.guidance,
        empty_blocks=sum(1 for column in columns for block in column if block.empty),
    )
    return render(request, "portfolios/page.html", context)


@cache_for_viewer
def _portfolio_item(request, item):
    return _show_page(request, _portfolio_or_404(request, item.pk), None)


def portfolio_item(request, item):
    """The portfolio's permalink /i/<id>/: its first page, after core has checked it may be seen."""
    return _portfolio_item(request, item)


@cache_for_viewer
@require_safe
def page_view(request, pk: int, slug: str):
    return _show_page(request, _portfolio_or_404(request, pk), slug)


@cache_for_viewer
@require_safe
def journal(request, pk: int):
    """A process portfolio's dated journal, newest first; private reflections show to the owner only."""
    portfolio = _journal_or_404(request, pk)
    pages = queries.pages_of(portfolio)
    page = paginate(queries.journal(request.user, portfolio), request, per_page=JOURNAL_PER_PAGE)
    entries = queries.entries_for(request.user, portfolio, page.rows)
    context = _frame(request, portfolio, pages, tab="journal", page=page, entries=entries)
    return render(request, "portfolios/journal.html", context)


# --- the page editor --------------------------------------------------------------------------------------


def _editor_context(request, portfolio: Portfolio, pages, page: PortfolioPage, **extra) -> dict:
    columns = queries.page_blocks(request.user, page)
    context = _frame(
        request,
        portfolio,
        pages,
        tab="edit",
        page=page,
        columns=columns,
        column_numbers=list(range(page.columns)),
        block_kinds=BLOCK_KINDS,
        layouts=[(value, label, LAYOUT_HELP[value]) for value, label in Layout.choices],
        page_form=extra.pop("page_form", None) or PageForm(initial={"title": page.title, "layout": page.layout}),
        add_page_form=extra.pop("add_page_form", None) or AddPageForm(),
    )
    context.update(extra)
    return context


def _editor(request, portfolio: Portfolio, page: PortfolioPage, *, status: int = 200, **extra):
    pages = queries.pages_of(portfolio)
    page = _page_in(pages, page.slug)
    context = _editor_context(request, portfolio, pages, page, **extra)
    return render_page(request, "portfolios/page_edit.html", context, partial="columns", status=status)


@login_required
@require_GET
def page_edit(request, pk: int, slug: str):
    portfolio = _editable_or_404(request, pk)
    pages = queries.pages_of(portfolio)
    page = _page_in(pages, slug)
    return render(request, "portfolios/page_edit.html", _editor_context(request, portfolio, pages, page))


def _after_block_change(request, portfolio: Portfolio, page: PortfolioPage, block: Block | None = None):
    """htmx swaps the editor's columns; without it the editor loads again at the block."""
    if getattr(request, "htmx", None):
        return _editor(request, portfolio, page)
    return redirect(editor_url(portfolio, page, block))


def _refused(request, portfolio: Portfolio, page: PortfolioPage, exc: Exception):
    # htmx swaps no 4xx answer, so the columns come back as a 200 with the reason above them.
    if getattr(request, "htmx", None):
        return _editor(request, portfolio, page, problems=_problem(exc))
    for problem in _problem(exc):
        messages.error(request, problem)
    return redirect(editor_url(portfolio, page))


@login_required
@require_POST
def page_update(request, pk: int, slug: str):
    """Rename a page or change its layout."""
    portfolio = _editable_or_404(request, pk)
    page = _page_in(queries.pages_of(portfolio), slug)
    form = PageForm(request.POST)
    if not form.is_valid():
        pages = queries.pages_of(portfolio)
        context = _editor_context(request, portfolio, pages, _page_in(pages, slug), page_form=form)
        return render(request, "portfolios/page_edit.html", context, status=400)
    try:
        services.update_page(actor=request.user, page=page, **form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, portfolio, page, exc)
    messages.success(request, "The page is saved.")
    return redirect(editor_url(portfolio, page))


@login_required
@require_POST
def page_add(request, pk: int):
    portfolio = _editable_or_404(request, pk)
    form = AddPageForm(request.POST)
    pages = queries.pages_of(portfolio)
    back = pages[0]
    if request.POST.get("from"):
        back = next((p for p in pages if p.slug == request.POST["from"]), back)
    if not form.is_valid():
        context = _editor_context(request, portfolio, pages, back, add_page_form=form)
        return render(request, "portfolios/page_edit.html", context, status=400)
    try:
        page = services.add_page(actor=request.user, portfolio=portfolio, **form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, portfolio, back, exc)
    messages.success(request, f"The page “{page.title}” is added. Add blocks to it below.")
    return redirect(editor_url(portfolio, page))


@login_required
@require_POST
def page_move(request, pk: int, slug: str):
    """One place earlier or later in the portfolio's navigation."""
    portfolio = _editable_or_404(request, pk)
    pages = queries.pages_of(portfolio)
    page = _page_in(pages, slug)
    step = -1 if request.POST.get("direction") == "up" else 1
    services.move_page(actor=request.user, page=page, position=max(0, pages.index(page) + step))
    back = next((p for p in pages if p.slug == request.POST.get("from")), page)
    return redirect(editor_url(portfolio, back) + "#pages")


@login_required
@require_POST
def page_delete(request, pk: int, slug: str):
    portfolio = _editable_or_404(request, pk)
    pages = queries.pages_of(portfolio)
    page = _page_in(pages, slug)
    try:
        services.delete_page(actor=request.user, page=page)
    except ValidationError as exc:
        return _refused(request, portfolio, page, exc)
    messages.success(request, f"The page “{page.title}” is deleted.")
    remaining = [p for p in pages if p.pk != page.pk]
    return redirect(editor_url(portfolio, remaining[0]))


@login_required
@require_POST
def block_add(request, pk: int, slug: str):
    portfolio = _editable_or_404(request, pk)
    page = _page_in(queries.pages_of(portfolio), slug)
    try:
        column = int(request.POST.get("column", 0))
    except ValueError:
        column = -1
    try:
        block = services.add_block(actor=request.user, page=page, kind=request.POST.get("kind", ""), column=column)
    except ValidationError as exc:
        return _refused(request, portfolio, page, exc)
    if getattr(request, "htmx", None):
        return _editor(request, portfolio, page, opened=block.pk)
    return redirect(reverse("portfolios:block-edit", args=[portfolio.pk, block.pk]))


def _block_form(request, portfolio: Portfolio, block: Block, data=None, files=None) -> BlockForm:
    completions = []
    if block.kind == Block.Kind.ARTEFACT:
        completions = list(queries.completions_of(request.user))
    return BlockForm(data, files, block=block, prompts=portfolio.prompts(), completions=completions)


def _block_form_context(request, portfolio: Portfolio, block: Block, form: BlockForm, **extra) -> dict:
    queries.prepare_blocks(request.user, portfolio, [block])
    find = (request.GET.get("find") or "").strip()[:200]
    wants_images = block.kind == Block.Kind.GALLERY
    context = {
        "portfolio": portfolio,
        "item": portfolio.item,
        "page": block.page,
        "edited": block,  # not "block": inside a {% block %} tag that name is the tag itself
        "form": form,
        "find": find,
        "found": queries.find_items(request.user, find, images_only=wants_images, exclude=portfolio.pk)
        if block.kind in (Block.Kind.ARTEFACT, Block.Kind.EMBED, Block.Kind.GALLERY)
        else [],
        "pick": "add_image" if wants_images else "item",
        "picker_id": f"found-{block.pk}",
        "is_owner": queries.is_owner(request.user, portfolio),
    }
    context.update(extra)
    return context


def _apply_block_form(request, portfolio: Portfolio, block: Block, form: BlockForm) -> None:
    """Everything the block's form asks for, or nothing: sources are checked (an upload inspected) first."""
    data = form.cleaned_data
    actor = request.user
    changes = form.changes()
    source = data.get("source", "")
    if block.kind == Block.Kind.ARTEFACT:
        if source == "upload":
            changes["item"] = services.evidence_from_upload(
                actor=actor, portfolio=portfolio, uploaded=data["upload"], title=data["title"]
            )
        elif source == "url":
            changes["item"] = services.evidence_from_link(
                actor=actor, portfolio=portfolio, url=data["url"], title=data["title"]
            )
        elif source == "enrolment":
            enrolment = form.completions.get(data["enrolment"])
            if enrolment is None:
                raise ValidationError("Choose one of the courses you completed.")
            changes["enrolment"] = enrolment
        elif source == "clear":
            changes["item"], changes["enrolment"] = None, None
    if source == "item":
        changes["item"] = _visible_item(request, data["item"])
    elif source == "clear" and block.kind == Block.Kind.EMBED:
        changes["item"] = None
    if block.kind == Block.Kind.GALLERY:
        changes["images"] = _gallery_images(request, block)
        uploads = data.get("uploads") or []
        services.check_images(uploads)  # a refused upload leaves the gallery as it was
        services.update_block(actor=actor, block=block, **changes)
        if uploads:
            services.add_gallery_uploads(actor=actor, block=block, uploads=uploads)
        return
    services.update_block(actor=actor, block=block, **changes)


def _visible_item(request, pk) -> Item:
    item = Item.objects.select_related("file").filter(pk=min(int(pk), MAX_ID), deleted_at__isnull=True).first()
    if item is None or not can_view(request.user, item):
        raise ValidationError("That item does not exist.")
    return item


def _gallery_images(request, block: Block) -> list[tuple[Item, str]]:
    """The gallery's images as the form leaves them: captions changed, some removed, chosen ones added."""
    post = request.POST
    kept = [
        (image.item, post.get(f"caption_{image.pk}", image.caption))
        for image in block.images.select_related("item__file").order_by("position", "pk")
        if not post.get(f"remove_{image.pk}")
    ]
    have = {item.pk for item, _ in kept}
    for pk in post.getlist("add_image"):
        try:
            item = _visible_item(request, pk)
        except (ValueError, TypeError):
            raise ValidationError("Choose images from the list.") from None
        if item.pk not in have:
            kept.append((item, ""))
            have.add(item.pk)
    return kept


@login_required
@require_http_methods(["GET", "POST"])
def block_edit(request, pk: int, block_pk: int):
    """One block's form: a page of its own without JavaScript, swapped in place in the editor with htmx."""
    portfolio = _editable_or_404(request, pk)
    block = _block_or_404(request, portfolio, block_pk)
    status = 200
    if request.method == "POST":
        form = _block_form(request, portfolio, block, request.POST, request.FILES)
        if form.is_valid():
            try:
                _apply_block_form(request, portfolio, block, form)
            except (ValidationError, UploadRejected) as exc:
                form.add_error(None, _problem(exc))
                status = getattr(exc, "status", 400)
            else:
                if getattr(request, "htmx", None):
                    return _editor(request, portfolio, block.page)
                messages.success(request, "The block is saved.")
                return redirect(editor_url(portfolio, block.page, block))
        else:
            status = 400
        block.refresh_from_db()
        block.page.portfolio = portfolio
    else:
        form = _block_form(request, portfolio, block)
    context = _block_form_context(request, portfolio, block, form)
    if getattr(request, "htmx", None) and not request.htmx.boosted:
        # A refused save goes back into the block's place (htmx swaps no 4xx answer, hence the 200).
        response = render(request, "portfolios/page_edit_block.html#block-form", context)
        if request.method == "POST":
            response["HX-Retarget"] = f"#block-{block.pk}"
            response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "portfolios/page_edit_block.html", context, status=status)


@login_required
@require_GET
def find(request, pk: int):
    """Items to choose from as the person types (an htmx fragment of the block and entry forms)."""
    portfolio = _editable_or_404(request, pk)
    images = request.GET.get("pick") == "add_image"
    found = queries.find_items(request.user, request.GET.get("find", ""), images_only=images, exclude=portfolio.pk)
    context = {"found": found, "find": request.GET.get("find", ""), "pick": "add_image" if images else "item"}
    return render(request, "portfolios/partials/block_found.html", context)


@login_required
@require_POST
def block_move(request, pk: int, block_pk: int):
    portfolio = _editable_or_404(request, pk)
    block = _block_or_404(request, portfolio, block_pk)
    try:
        services.nudge_block(actor=request.user, block=block, direction=request.POST.get("direction", ""))
    except ValidationError as exc:
        return _refused(request, portfolio, block.page, exc)
    return _after_block_change(request, portfolio, block.page, block)


@login_required
@require_POST
def block_private(request, pk: int, block_pk: int):
    """Make a block private to the owner, or show it again to whoever sees the page."""
    portfolio = _editable_or_404(request, pk)
    block = _block_or_404(request, portfolio, block_pk)
    if not queries.is_owner(request.user, portfolio):
        raise PermissionDenied("Only the portfolio's owner decides what is private.")
    services.update_block(actor=request.user, block=block, private=request.POST.get("private") == "1")
    return _after_block_change(request, portfolio, block.page, block)


@login_required
@require_POST
def block_delete(request, pk: int, block_pk: int):
    portfolio = _editable_or_404(request, pk)
    block = _block_or_404(request, portfolio, block_pk)
    services.delete_block(actor=request.user, block=block)
    if not getattr(request, "htmx", None):
        messages.success(request, "The block is deleted.")
    return _after_block_change(request, portfolio, block.page)


@login_required
@require_POST
def preview(request):
    """The Markdown preview under a text box (htmx)."""
    text = request.POST.get("body", "")
    if len(text) > services.BODY_MAX:
        return render(request, "portfolios/partials/preview.html", {"error": "The text is too long to preview."})
    return render(request, "portfolios/partials/preview.html", {"html": queries.render_markdown(text)})


# --- settings ---------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def portfolio_settings(request, pk: int):
    portfolio = _editable_or_404(request, pk)
    pages = queries.pages_of(portfolio)
    status = 200
    if request.method == "POST":
        form = SettingsForm(request.POST, user=request.user, portfolio=portfolio)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_portfolio(
                    actor=request.user,
                    portfolio=portfolio,
                    title=data["title"],
                    summary=data["summary"],
                    visibility=data["visibility"],
                    tags=data["tags"],
                    shared_with=data["shared_with"],
                    reflection_template=data["prompts"],
                )
                if data["share_evidence"]:
                    shared, refused = services.share_evidence_like_portfolio(actor=request.user, portfolio=portfolio)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _problem(exc))
                status = 400
            else:
                messages.success(request, "The portfolio's settings are saved.")
                if data["share_evidence"]:
                    messages.info(request, f"{shared} of your items on its pages are now shown to the same people.")
                    if refused:
                        messages.warning(
                            request,
                            "These belong to another space, so its members still cannot see them: "
                            + ", ".join(f"“{t}”" for t in refused),
                        )
                return redirect(portfolio.item)
        else:
            status = 400
    else:
        form = SettingsForm(user=request.user, portfolio=portfolio)
    context = _frame(request, portfolio, pages, tab="settings", form=form)
    return render(request, "portfolios/portfolio_settings.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def portfolio_delete(request, pk: int):
    portfolio = _editable_or_404(request, pk)
    if request.method == "POST":
        services.delete_portfolio(actor=request.user, portfolio=portfolio)
        messages.success(request, f"“{portfolio.item.title}” is deleted. An administrator can restore it.")
        return redirect("portfolios:list")
    context = _frame(request, portfolio, queries.pages_of(portfolio), tab="settings")
    return render(request, "portfolios/portfolio_delete.html", context)


@login_required
@require_POST
def save_as_template(request, pk: int):
    """A curator turns one of their portfolios into a template: its pages, layouts, blocks and guidance, none of
    its content."""
    portfolio = _editable_or_404(request, pk)
    _require_curator(request)
    template = services.save_template(
        actor=request.user,
        title=f"{portfolio.item.title} (template)"[: services.TITLE_MAX],
        kind=portfolio.kind,
        description=portfolio.item.summary,
        structure=services.template_from_portfolio(portfolio),
        reflection_template=portfolio.reflection_template,
    )
    messages.success(request, "The template is saved as a draft. Check its guidance, then publish it.")
    return redirect("portfolios:template-edit", template_pk=template.pk)


# --- the journal ------------------------------------------------------------------------------------------


def _entry_evidence(request, portfolio: Portfolio, form: EntryForm, current: Item | None) -> Item | None:
    data = form.cleaned_data
    source = data["source"]
    if source == "upload":
        return services.evidence_from_upload(actor=request.user, portfolio=portfolio, uploaded=data["upload"])
    if source == "url":
        return services.evidence_from_link(actor=request.user, portfolio=portfolio, url=data["url"])
    if source == "item":
        return _visible_item(request, data["item"])
    if source == "clear":
        return None
    return current


def _entry_form_view(request, portfolio: Portfolio, entry: JournalEntry | None):
    status = 200
    if request.method == "POST":
        form = EntryForm(request.POST, request.FILES, prompts=portfolio.prompts(), entry=entry)
        if form.is_valid():
            data = form.cleaned_data
            try:
                evidence = _entry_evidence(request, portfolio, form, entry.item if entry else None)
                fields = {
                    "title": data["title"],
                    "happened": data["happened"],
                    "body": data["body"],
                    "answers": form.answers(),
                    "reflection_private": data["reflection_private"],
                    "item": evidence,
                }
                if entry is None:
                    entry = services.add_entry(actor=request.user, portfolio=portfolio, **fields)
                else:
                    services.update_entry(actor=request.user, entry=entry, **fields)
            except (ValidationError, PermissionDenied, UploadRejected) as exc:
                form.add_error(None, _problem(exc))
                status = getattr(exc, "status", 400)
            else:
                messages.success(request, "The journal entry is saved.")
                return redirect(reverse("portfolios:journal", args=[portfolio.pk]) + f"#entry-{entry.pk}")
        else:
            status = 400
    else:
        form = EntryForm(prompts=portfolio.prompts(), entry=entry)
    find = (request.GET.get("find") or "").strip()[:200]
    if entry is not None:
        queries.entries_for(request.user, portfolio, [entry])
    context = _frame(
        request,
        portfolio,
        queries.pages_of(portfolio),
        tab="journal",
        form=form,
        entry=entry,
        find=find,
        found=queries.find_items(request.user, find, exclude=portfolio.pk),
        pick="item",
        picker_id="found-entry",
    )
    return render(request, "portfolios/entry_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def entry_new(request, pk: int):
    _journal_or_404(request, pk)
    return _entry_form_view(request, _owned_or_404(request, pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, pk: int, entry_pk: int):
    _journal_or_404(request, pk)
    portfolio = _owned_or_404(request, pk)
    return _entry_form_view(request, portfolio, _entry_or_404(portfolio, entry_pk))


@login_required
@require_POST
def entry_delete(request, pk: int, entry_pk: int):
    _journal_or_404(request, pk)
    portfolio = _owned_or_404(request, pk)
    entry = _entry_or_404(portfolio, entry_pk)
    services.delete_entry(actor=request.user, entry=entry)
    messages.success(request, f"The entry “{entry.title}” is deleted.")
    return redirect("portfolios:journal", pk=portfolio.pk)


# --- curators: templates and reflection prompts -----------------------------------------------------------


@login_required
@require_GET
def template_list(request):
    context = {
        "templates": list(queries.templates_for(request.user)),
        "prompt_sets": list(ReflectionTemplate.objects.order_by("name")),
        "curator": _curator(request.user),
    }
    return render(request, "portfolios/templates.html", context)


def _template_or_404(template_pk: int) -> PortfolioTemplate:
    template = PortfolioTemplate.objects.filter(pk=min(template_pk, MAX_ID)).first()
    if template is None:
        raise Http404("No such template")
    return template


def _template_form_view(request, template: PortfolioTemplate | None):
    _require_curator(request)
    status = 200
    if request.method == "POST":
        form = TemplateForm(request.POST)
        editor = StructureEditor(data=request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                template = services.save_template(
                    actor=request.user,
                    template=template,
                    title=data["title"],
                    kind=data["kind"],
                    structure=editor.structure,
                    description=data["description"],
                    audience=data["audience"],
                    skill=data["skill"],
                    reflection_template=data["reflection_template"],
                    published=data["published"],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _problem(exc))
                status = 400
            else:
                if request.POST.get("then") == "more":
                    messages.success(request, "Saved. A blank page and blank blocks are ready below.")
                    return redirect("portfolios:template-edit", template_pk=template.pk)
                messages.success(request, f"The template “{template.title}” is saved.")
                return redirect("portfolios:templates")
        else:
            status = 400
    else:
        initial = {"kind": Portfolio.Kind.SHOWCASE}
        if template is not None:
            initial = {
                "title": template.title,
                "kind": template.kind,
                "audience": template.audience,
                "description": template.description,
                "skill": template.skill.name if template.skill_id else "",
                "reflection_template": template.reflection_template_id,
                "published": template.published,
            }
        form = TemplateForm(initial=initial)
        editor = StructureEditor(template.structure if template is not None else services.GUIDED_START[initial["kind"]])
    context = {
        "form": form,
        "template": template,
        "pages": editor.rows(),
        "layouts": Layout.choices,
        "block_kinds": Block.Kind.choices,
    }
    return render(request, "portfolios/template_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def template_new(request):
    return _template_form_view(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, template_pk: int):
    _require_curator(request)
    return _template_form_view(request, _template_or_404(template_pk))


@login_required
@require_POST
def template_delete(request, template_pk: int):
    _require_curator(request)
    template = _template_or_404(template_pk)
    services.delete_template(actor=request.user, template=template)
    messages.success(
        request, f"The template “{template.title}” is deleted. Portfolios started from it keep their pages."
    )
    return redirect("portfolios:templates")


def _prompts_or_404(prompts_pk: int) -> ReflectionTemplate:
    prompts = ReflectionTemplate.objects.filter(pk=min(prompts_pk, MAX_ID)).first()
    if prompts is None:
        raise Http404("No such set of prompts")
    return prompts


def _prompts_form_view(request, prompts: ReflectionTemplate | None):
    _require_curator(request)
    status = 200
    current = prompts.prompts if prompts is not None else services.default_prompts()
    if request.method == "POST":
        form = PromptSetForm(request.POST, prompts=current)
        if form.is_valid():
            try:
                prompts = services.save_reflection_template(
                    actor=request.user,
                    template=prompts,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    prompts=form.prompts(),
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _problem(exc))
                status = 400
            else:
                messages.success(request, f"The prompts “{prompts.name}” are saved.")
                return redirect(reverse("portfolios:templates") + "#prompts")
        else:
            status = 400
    else:
        initial = {"name": prompts.name, "description": prompts.description} if prompts else {}
        form = PromptSetForm(initial=initial, prompts=current)
    return render(request, "portfolios/template_prompts.html", {"form": form, "prompts": prompts}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def prompts_new(request):
    return _prompts_form_view(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def prompts_edit(request, prompts_pk: int):
    _require_curator(request)
    return _prompts_form_view(request, _prompts_or_404(prompts_pk))


@login_required
@require_POST
def prompts_delete(request, prompts_pk: int):
    _require_curator(request)
    prompts = _prompts_or_404(prompts_pk)
    services.delete_reflection_template(actor=request.user, template=prompts)
    messages.success(request, f"The prompts “{prompts.name}” are deleted; portfolios using them use the built-in ones.")
    return redirect(reverse("portfolios:templates") + "#prompts")


# /portfolios/ — a portfolio's own address is its item's permalink /i/<id>/ (its first page).
urlpatterns = [
    path("", portfolio_list, name="list"),
    path("new/", start, name="new"),
    path("preview", preview, name="preview"),
    path("templates/", template_list, name="templates"),
    path("templates/new/", template_new, name="template-new"),
    path("templates/<int:template_pk>/", template_edit, name="template-edit"),
    path("templates/<int:template_pk>/delete", template_delete, name="template-delete"),
    path("prompts/new/", prompts_new, name="prompts-new"),
    path("prompts/<int:prompts_pk>/", prompts_edit, name="prompts-edit"),
    path("prompts/<int:prompts_pk>/delete", prompts_delete, name="prompts-delete"),
    path("<int:pk>/settings/", portfolio_settings, name="settings"),
    path("<int:pk>/delete/", portfolio_delete, name="delete"),
    path("<int:pk>/as-template", save_as_template, name="save-as-template"),
    path("<int:pk>/find", find, name="find"),
    path("<int:pk>/journal/", journal, name="journal"),
    path("<int:pk>/journal/new/", entry_new, name="entry-new"),
    path("<int:pk>/journal/<int:entry_pk>/edit/", entry_edit, name="entry-edit"),
    path("<int:pk>/journal/<int:entry_pk>/delete", entry_delete, name="entry-delete"),
    path("<int:pk>/pages/add", page_add, name="page-add"),
    path("<int:pk>/blocks/<int:block_pk>/edit/", block_edit, name="block-edit"),
    path("<int:pk>/blocks/<int:block_pk>/move", block_move, name="block-move"),
    path("<int:pk>/blocks/<int:block_pk>/private", block_private, name="block-private"),
    path("<int:pk>/blocks/<int:block_pk>/delete", block_delete, name="block-delete"),
    path("<int:pk>/<pageslug:slug>/", page_view, name="page"),
    path("<int:pk>/<pageslug:slug>/edit/", page_edit, name="page-edit"),
    path("<int:pk>/<pageslug:slug>/update", page_update, name="page-update"),
    path("<int:pk>/<pageslug:slug>/move", page_move, name="page-move"),
    path("<int:pk>/<pageslug:slug>/delete", page_delete, name="page-delete"),
    path("<int:pk>/<pageslug:slug>/blocks/add", block_add, name="block-add"),
]
