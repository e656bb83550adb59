"""One search interface, two engines: SQLite FTS5 and PostgreSQL full-text search.

Design, and why:

- ``SearchDocument`` is the same model and the same migrations on both engines. What only one
  engine can have is created by a migration step that looks at the connection's vendor
  (``install_fulltext``): on SQLite an FTS5 table ``search_fts`` whose content lives in
  ``search_searchdocument`` (external content, so the text is stored once), kept in step by
  triggers; on PostgreSQL a stored generated ``search_vector`` column (title weight A, tags B,
  body C, 'english') with a GIN index. A Django ``SearchVectorField`` would exist only on
  PostgreSQL and would make the migrations differ, so the column is used through raw SQL here.
  A generated column needs no code on save and keeps bulk inserts a single statement; the price
  is that PostgreSQL refuses to change the type of title, body or tags while it depends on
  them, so such a migration must drop ``search_vector`` first and call ``install_fulltext``
  again.
- Django rebuilds a SQLite table for many schema changes, which drops its triggers. The
  ``post_migrate`` hook (``ensure_fulltext``) recreates missing triggers and rebuilds the index,
  so a later migration of ``SearchDocument`` cannot silently stop the index from updating.
- Who may find what is decided by the queryset of documents the caller passes in (built from
  ``core.access.search_document_filter``); the engines only match, rank and highlight within it.
  On SQLite that queryset becomes a subquery joined to the FTS table, which SQLite flattens, so
  FTS5 sorts its matches by ``rank`` itself and the access test runs only until a page is full.
- User text never reaches either engine's query syntax unchecked: ``parse_query`` reduces it
  to words, quoted phrases, ``or`` and ``-excluded`` words; FTS5 gets every term as a quoted
  string, PostgreSQL gets ``websearch_to_tsquery`` (which accepts any text) plus one quoted
  prefix term. The last word is matched as a prefix so results follow as-you-type.
- Snippets come back with control characters as highlight markers; everything else is escaped
  and only then are the markers turned into ``<mark>`` tags, so indexed text can never inject HTML.
"""

from __future__ import annotations

import abc
import html
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import NotSupportedError, connection, connections
from django.db.models import BooleanField, FloatField, TextField
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MARK_START, MARK_END = "\x01", "\x02"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# A prefix of one or two letters matches most documents, and ranking them all is slow while
# telling little; such a short word is matched whole until a third letter is typed.
MIN_PREFIX = 3

# FTS5 ranks with bm25 per column in table order: title, body, tags. Lower is better.
BM25_WEIGHTS = "bm25(10.0, 1.0, 4.0)"
SNIPPET_TOKENS = 24


# The user's words


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """What a person typed, reduced to terms both engines can match safely."""

    clauses: tuple[tuple[Term, ...], ...] = ()  # every clause must match; a clause is alternatives
    excluded: tuple[Term, ...] = ()
    prefix: bool = False  # the last term of the last clause is still being typed
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.clauses


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')

# PostgreSQL's english.stop (the Snowball list). PostgreSQL leaves these words out of a query by
# itself; leaving them out before either engine sees the query makes a search mean the same on
# both, and spares FTS5 from ranking the three quarters of all documents that contain "to".
_STOP_WORDS_TEXT = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her
    hers herself it its itself they them their theirs themselves what which who whom this that these
    those am is are was were be been being have has had having do does did doing a an the and but if or
    because as until while of at by for with about against between into through during before after
    above below to from up down in out on off over under again further then once here there when where
    why how all any both each few more most other some such no nor not only own same so than too very s
    t can will just don should now
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


_LINE_BREAKS = str.maketrans("\t\n", "  ")


def clean_text(text: str) -> str:
    """Drop control, format, surrogate and private-use characters: they are never meant, the
    highlight markers are control characters, and NUL or a lone surrogate makes drivers fail."""
    if text.translate(_LINE_BREAKS).isprintable():  # nearly always, and checked at C speed
        return text
    return "".join(ch for ch in text if ch in "\t\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def parse_query(text: str, *, prefix_last: bool = True) -> ParsedQuery:
    """Turn free text into clauses: ``python "data science" or ml -java`` is
    python AND ("data science" OR ml) AND NOT java."""
    text = clean_text(text or "")[:MAX_QUERY_LENGTH]
    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    last_bare = False
    count = 0
    for match in _TOKEN.finditer(text):
        if count >= MAX_TERMS:
            break
        quoted_neg, quoted, bare_neg, bare = match.groups()
        if quoted is not None:
            negated, term = bool(quoted_neg), Term(" ".join(quoted.split()), phrase=True)
        else:
            negated, term = bool(bare_neg), Term(bare)
            if not negated and bare.lower() == "or":
                pending_or = bool(clauses)
                last_bare = False
                continue
        if not _has_word(term.text) or (not term.phrase and term.text.lower() in STOP_WORDS):
            continue
        count += 1
        if negated:
            excluded.append(term)
            last_bare = False
        else:
            if pending_or:
                clauses[-1].append(term)
            else:
                clauses.append([term])
            last_bare = not term.phrase
        pending_or = False
    prefix = prefix_last and last_bare and not text[-1].isspace() and len(clauses[-1][-1].text) >= MIN_PREFIX
    return ParsedQuery(
        clauses=tuple(tuple(c) for c in clauses), excluded=tuple(excluded), prefix=prefix, text=text.strip()
    )


# Results


@dataclass
class Hit:
    """One matching document: which subject it is, and its highlighted title and snippet."""

    doc_id: int
    kind: str
    subject_id: int
    title_html: SafeString
    snippet_html: SafeString


_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_END}]*){MARK_END}")


def marked_html(text: str | None) -> SafeString:
    """Escape engine output, then turn its highlight markers (and only those) into <mark>."""
    escaped = escape(text or "")
    html = _MARKED.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(html.replace(MARK_START, "").replace(MARK_END, ""))  # noqa: S308 - escaped above


# Engines


class SearchBackend(abc.ABC):
    """Match, rank and highlight ``SearchDocument`` rows; subclasses speak one engine."""

    @abc.abstractmethod
    def search(self, docs, query: ParsedQuery, *, limit: int, offset: int) -> list[Hit]: ...

    @abc.abstractmethod
    def install(self, connection) -> None: ...

    @abc.abstractmethod
    def uninstall(self, connection) -> None: ...

    def ensure(self, connection) -> None:  # noqa: B027 - an optional hook, a no-op by default
        """Repair what a schema change may have dropped; no-op where nothing can be lost."""

    def pause_sync(self, connection) -> None:  # noqa: B027 - an optional hook
        """Stop per-row index upkeep before a bulk rebuild of the documents."""

    def resume_sync(self, connection) -> None:  # noqa: B027 - an optional hook
        """Resume per-row upkeep and catch up with everything written while paused."""


def _quote_fts(term: Term, *, prefix: bool = False) -> str:
    return '"' + term.text.replace('"', '""') + '"' + ("*" if prefix else "")


def fts5_expression(query: ParsedQuery) -> str:
    """An FTS5 MATCH expression in which every term is a quoted string, so no text is syntax."""
    parts = []
    for i, clause in enumerate(query.clauses):
        is_last = i == len(query.clauses) - 1
        alts = [
            _quote_fts(term, prefix=query.prefix and is_last and j == len(clause) - 1) for j, term in enumerate(clause)
        ]
        parts.append(alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")")
    expression = " AND ".join(parts)
    if query.excluded:
        expression = f"({expression})" + "".join(f" NOT {_quote_fts(term)}" for term in query.excluded)
    return expression


class SqliteBackend(SearchBackend):
    TRIGGERS = {
        "search_fts_insert": """
            CREATE TRIGGER IF NOT EXISTS search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
              INSERT INTO search_fts(rowid, title, body, tags) VALUES (new.id, new.title, new.body, new.tags);
            END""",
        "search_fts_delete": """
            CREATE TRIGGER IF NOT EXISTS search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
              INSERT INTO search_fts(search_fts, rowid, title, body, tags)
              VALUES ('delete', old.id, old.title, old.body, old.tags);
            END""",
        "search_fts_update": """
            CREATE TRIGGER IF NOT EXISTS search_fts_update AFTER UPDATE OF title, body, tags ON search_searchdocument
            BEGIN
              INSERT INTO search_fts(search_fts, rowid, title, body, tags)
              VALUES ('delete', old.id, old.title, old.body, old.tags);
              INSERT INTO search_fts(rowid, title, body, tags) VALUES (new.id, new.title, new.body, new.tags);
            END""",
    }
    TABLE = """
        CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
          title, body, tags,
          content='search_searchdocument', content_rowid='id',
          tokenize='porter unicode61 remove_diacritics 2'
        )"""

    def install(self, connection) -> None:
        with connection.cursor() as cursor:
            cursor.execute(self.TABLE)
            for sql in self.TRIGGERS.values():
                cursor.execute(sql)
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")

    def uninstall(self, connection) -> None:
        with connection.cursor() as cursor:
            for name in self.TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute("DROP TABLE IF EXISTS search_fts")

    def _existing(self, connection) -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
            return {row[0] for row in cursor.fetchall() if row[0].startswith("search_fts")}

    def ensure(self, connection) -> None:  # noqa: B027 - an optional hook, a no-op by default
        existing = self._existing(connection)
        if "search_fts" not in existing:
            return  # not migrated this far yet
        if not set(self.TRIGGERS) <= existing:
            self.install(connection)

    def pause_sync(self, connection) -> None:  # noqa: B027 - an optional hook
        with connection.cursor() as cursor:
            for name in self.TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")

    def resume_sync(self, connection) -> None:  # noqa: B027 - an optional hook
        self.install(connection)

    def search(self, docs, query: ParsedQuery, *, limit: int, offset: int) -> list[Hit]:
        columns = docs.values("id", "kind", "item_id", "person_id", "space_id")
        try:
            docs_sql, docs_params = columns.query.get_compiler(using=docs.db).as_sql()
        except EmptyResultSet:  # the person may see nothing at all (an anonymous visitor)
            return []
        sql = f"""
            SELECT d.id, d.kind, COALESCE(d.item_id, d.person_id, d.space_id),
                   highlight(search_fts, 0, %s, %s),
                   snippet(search_fts, 1, %s, %s, '…', {SNIPPET_TOKENS})
            FROM search_fts JOIN ({docs_sql}) AS d ON d.id = search_fts.rowid
            WHERE search_fts MATCH %s AND search_fts.rank MATCH %s
            ORDER BY search_fts.rank
            LIMIT %s OFFSET %s
        """  # noqa: S608 - docs_sql is compiled by the ORM with its own parameters
        params = [
            MARK_START,
            MARK_END,
            MARK_START,
            MARK_END,
            *docs_params,
            fts5_expression(query),
            BM25_WEIGHTS,
            limit,
            offset,
        ]
        with connections[docs.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [
            Hit(doc_id, kind, subject, marked_html(title), marked_html(snippet))
            for doc_id, kind, subject, title, snippet in rows
        ]


def _websearch_text(query: ParsedQuery, clauses) -> str:
    def show(term: Term) -> str:
        return f'"{term.text}"' if term.phrase else term.text

    words = [" or ".join(show(t) for t in clause) for clause in clauses]
    words += ["-" + show(t) for t in query.excluded]
    return " ".join(words)


def _tsquery_literal(text: str) -> str:
    """One quoted to_tsquery operand: inside quotes only the quote and backslash are special."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "':*"


def _escaped(value: str) -> str:
    # PostgreSQL's parser takes anything between "<" and ">" for an HTML tag: to_tsvector drops
    # its words and ts_headline replaces it with a space, so "Using <div> well" would lose words.
    # Escaped first, the text keeps them, next to entities the parser ignores.
    return f"replace(replace(replace(coalesce({value}, ''), '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"


def _sql_escaped(table: str, column: str) -> str:
    return _escaped(f'"{table}"."{column}"')


def _unescaped_marked(text: str | None) -> SafeString:
    # Undo the escaping done in SQL, then escape again here: what reaches a page is escaped by
    # the same code on both engines, whatever the database returned.
    return marked_html(html.unescape(text or ""))


class PostgresBackend(SearchBackend):
    CONFIG = "english"
    # The text is escaped as for ts_headline (see _sql_escaped), so words between a "<" and a ">"
    # are indexed as words, as FTS5 does, and not dropped as an HTML tag.
    VECTOR = " || ".join(
        f"setweight(to_tsvector('english', {_escaped(column)}), '{weight}')"
        for column, weight in (("title", "A"), ("tags", "B"), ("body", "C"))
    )
    TITLE_OPTIONS = f"StartSel={MARK_START}, StopSel={MARK_END}, HighlightAll=true"
    SNIPPET_OPTIONS = (
        f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=28, MinWords=12, ShortWord=2, "
        'MaxFragments=2, FragmentDelimiter=" … "'
    )

    def install(self, connection) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "ALTER TABLE search_searchdocument ADD COLUMN IF NOT EXISTS search_vector tsvector "
                f"GENERATED ALWAYS AS ({self.VECTOR}) STORED"
            )
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS search_searchdocument_vector "
                "ON search_searchdocument USING gin (search_vector)"
            )

    def uninstall(self, connection) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS search_searchdocument_vector")
            cursor.execute("ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector")

    def tsquery(self, query: ParsedQuery) -> tuple[str, list]:
        clauses = query.clauses
        if not query.prefix:
            return "websearch_to_tsquery(%s::regconfig, %s)", [self.CONFIG, _websearch_text(query, clauses)]
        *head, last = clauses
        *alternatives, typing = last
        if alternatives:
            # "a or b<typing>": the typed word is one more alternative of the last clause.
            rest = _websearch_text(query, head)
            return (
                "(websearch_to_tsquery(%s::regconfig, %s) && "
                "(websearch_to_tsquery(%s::regconfig, %s) || to_tsquery(%s::regconfig, %s)))",
                [
                    self.CONFIG,
                    rest,
                    self.CONFIG,
                    " or ".join(f'"{t.text}"' if t.phrase else t.text for t in alternatives),
                    self.CONFIG,
                    _tsquery_literal(typing.text),
                ],
            )
        return (
            "(websearch_to_tsquery(%s::regconfig, %s) && to_tsquery(%s::regconfig, %s))",
            [self.CONFIG, _websearch_text(query, head), self.CONFIG, _tsquery_literal(typing.text)],
        )

    def search(self, docs, query: ParsedQuery, *, limit: int, offset: int) -> list[Hit]:
        # Only this module's SQL goes into the RawSQL text; the person's words are parameters.
        # ts_rank without length normalisation: normalising reads every lexeme of every match, which
        # made a word found in a third of 100,000 documents cost a third more, for little gain with
        # title, tags and body already weighted.
        tsq, tsq_params = self.tsquery(query)
        table = docs.model._meta.db_table
        vector = f'"{table}"."search_vector"'
        rows = (
            docs.filter(RawSQL(f"{vector} @@ {tsq}", tsq_params, output_field=BooleanField()))  # noqa: S611
            .annotate(
                rank=RawSQL(f"ts_rank({vector}, {tsq})", tsq_params, output_field=FloatField()),  # noqa: S611
                title_html=RawSQL(  # noqa: S611
                    f"ts_headline(%s::regconfig, {_sql_escaped(table, 'title')}, {tsq}, %s)",
                    [self.CONFIG, *tsq_params, self.TITLE_OPTIONS],
                    output_field=TextField(),
                ),
                snippet_html=RawSQL(  # noqa: S611
                    f"ts_headline(%s::regconfig, {_sql_escaped(table, 'body')}, {tsq}, %s)",
                    [self.CONFIG, *tsq_params, self.SNIPPET_OPTIONS],
                    output_field=TextField(),
                ),
            )
            .order_by("-rank", "id")
            .values_list("id", "kind", "item_id", "person_id", "space_id", "title_html", "snippet_html")[
                offset : offset + limit
            ]
        )
        return [
            Hit(doc_id, kind, item_id or person_id or space_id, _unescaped_marked(title), _unescaped_marked(snippet))
            for doc_id, kind, item_id, person_id, space_id, title, snippet in rows
        ]


_BACKENDS = {"sqlite": SqliteBackend, "postgresql": PostgresBackend}


def backend_for(conn=None) -> SearchBackend:
    conn = conn or connection
    try:
        return _BACKENDS[conn.vendor]()
    except KeyError:
        raise NotSupportedError(f"Search supports SQLite and PostgreSQL, not {conn.vendor}.") from None


def install_fulltext(apps, schema_editor) -> None:
    """Migration step: create the engine's own index structures (see the module docstring)."""
    backend_for(schema_editor.connection).install(schema_editor.connection)


def uninstall_fulltext(apps, schema_editor) -> None:
    backend_for(schema_editor.connection).uninstall(schema_editor.connection)


def ensure_fulltext(sender=None, using="default", **kwargs) -> None:
    """post_migrate: put back triggers a table rebuild dropped, and catch the index up."""
    conn = connections[using]
    if conn.vendor in _BACKENDS:
        backend_for(conn).ensure(conn)
