"""Reading a skills taxonomy from CSV and planning its import, without writing anything.

Formats, recognised by their header row:
- ESCO skills hierarchy (``skillsHierarchy_en.csv``): one row per concept at levels 0–3, each row
  repeating the URIs and preferred terms of its ancestors.
- ESCO skill collections and the full skills file (``transversalSkillsCollection_en.csv``,
  ``digCompSkillsCollection_en.csv``, ``skills_en.csv``): ``conceptUri``, ``preferredLabel``,
  ``altLabels`` and the broader concepts (several, separated by ``|``).
- O*NET content model reference (tab-separated): dotted element IDs give the hierarchy.
- Our own simple format: ``name,parent,alt_labels,description`` (parent by name, alt labels
  separated by ``|``).

``parse_skills_file`` raises only ``ValidationError`` for a file it cannot read at all; rows it can
read but must refuse are reported one by one so that a curator sees what will happen before anything
is written (``plan_skill_import``), and the service applies the same plan in one transaction.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_ROWS = 50_000
MAX_NAME = 200
MAX_URI = 300
MAX_DESCRIPTION = 10_000
# ESCO descriptions run to a few thousand characters; the csv module's default limit is 128 KiB.
csv.field_size_limit(1024 * 1024)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Format:
    ESCO_HIERARCHY = "esco-hierarchy"
    ESCO_COLLECTION = "esco-collection"
    ONET = "onet"
    SIMPLE = "simple"


FORMAT_LABELS = {
    Format.ESCO_HIERARCHY: "ESCO skills hierarchy",
    Format.ESCO_COLLECTION: "ESCO skills or skill collection",
    Format.ONET: "O*NET content model",
    Format.SIMPLE: "simple list (name, parent, alt_labels, description)",
}


@dataclass(frozen=True)
class ParentRef:
    """A broader concept as the file names it: by URI (ESCO, O*NET), by name (simple), or both."""

    uri: str = ""
    name: str = ""


@dataclass
class SkillRow:
    line: int
    name: str
    uri: str = ""
    parents: list[ParentRef] = field(default_factory=list)
    # False when the file says nothing about the parent, so an update keeps the one it has.
    parent_given: bool = False
    alt_labels: list[str] = field(default_factory=list)
    description: str = ""


@dataclass
class Refusal:
    line: int
    name: str
    reason: str


@dataclass
class ParsedFile:
    format: str
    rows: list[SkillRow]
    refused: list[Refusal]

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS[self.format]


def _text(value: str | None) -> str:
    return _CONTROL.sub("", value or "").strip()


def _name(value: str | None) -> str:
    return " ".join(_text(value).split())


def _labels(value: str | None, *, besides: str) -> list[str]:
    out: list[str] = []
    seen = {besides.lower()}
    for part in re.split(r"[|\n]", _text(value)):
        label = " ".join(part.split())[:MAX_NAME]
        if label and label.lower() not in seen:
            seen.add(label.lower())
            out.append(label)
    return out


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in _text(value).split("|")]


def _decode(data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.", code="too_large")
    if b"\x00" in data:
        raise ValidationError("This is not a text file. Upload a CSV file.", code="binary")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            "The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.", code="encoding"
        )
    if not text.strip():
        raise ValidationError("The file is empty.", code="empty")
    return text


def _detect(header: list[str]) -> str:
    keys = {h.strip().lower() for h in header}
    if {"level 0 uri", "level 0 preferred term"} <= keys:
        return Format.ESCO_HIERARCHY
    if {"concepturi", "preferredlabel"} <= keys:
        return Format.ESCO_COLLECTION
    if {"element id", "element name"} <= keys:
        return Format.ONET
    if "name" in keys:
        return Format.SIMPLE
    raise ValidationError(
        "The columns are not a skills file we know. Use an ESCO CSV file, an O*NET content model file, "
        "or a CSV with the columns name, parent, alt_labels, description.",
        code="columns",
    )


def parse_skills_file(data: bytes) -> ParsedFile:
    """Read every row of a skills CSV; refuse rows one by one, or the whole file when unreadable."""
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if not header:
            raise ValidationError("The file has no header row.", code="empty")
        fmt = _detect(header)
        columns = [h.strip().lower() for h in header]
        rows: list[SkillRow] = []
        refused: list[Refusal] = []
        line = reader.line_num + 1
        for record in reader:
            if len(rows) + len(refused) >= MAX_ROWS:
                raise ValidationError(f"The file has more than {MAX_ROWS:,} rows.", code="too_many_rows")
            values = dict(zip(columns, record, strict=False))
            if any(v.strip() for v in record):
                _read_row(fmt, values, line, rows, refused)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ValidationError(f"Line {reader.line_num}: the CSV is malformed ({exc}).", code="csv")
    if not rows and not refused:
        raise ValidationError("The file has a header but no skills.", code="empty")
    return ParsedFile(format=fmt, rows=rows, refused=refused)


def _read_row(fmt: str, values: dict[str, str], line: int, rows: list[SkillRow], refused: list[Refusal]) -> None:
    try:
        row = _READERS[fmt](values, line)
    except _RowError as exc:
        refused.append(Refusal(line=line, name=exc.name, reason=exc.reason))
        return
    if not row.name:
        refused.append(Refusal(line=line, name="", reason="The name is empty."))
    elif len(row.name) > MAX_NAME:
        refused.append(Refusal(line=line, name=row.name[:60] + "…", reason=f"The name is over {MAX_NAME} characters."))
    elif len(row.uri) > MAX_URI or any(len(p.uri) > MAX_URI for p in row.parents):
        refused.append(Refusal(line=line, name=row.name, reason=f"A URI is over {MAX_URI} characters."))
    else:
        row.description = row.description[:MAX_DESCRIPTION]
        rows.append(row)


class _RowError(Exception):
    def __init__(self, name: str, reason: str):
        super().__init__(reason)
        self.name, self.reason = name, reason


def _esco_hierarchy(values: dict[str, str], line: int) -> SkillRow:
    levels = [(_text(values.get(f"level {i} uri")), _name(values.get(f"level {i} preferred term"))) for i in range(4)]
    deepest = max((i for i, (uri, _) in enumerate(levels) if uri), default=None)
    if deepest is None:
        raise _RowError(_name(values.get("level 0 preferred term")), "The row has no level URI.")
    uri, name = levels[deepest]
    missing = [i for i in range(deepest) if not levels[i][0]]
    if missing:
        raise _RowError(name, f"Level {missing[0]} URI is missing above level {deepest}.")
    description = _text(values.get("description"))
    scope = _text(values.get("scope note"))
    if scope:
        description = f"{description}\n\nScope: {scope}".strip()
    parents = [ParentRef(uri=levels[deepest - 1][0], name=levels[deepest - 1][1])] if deepest else []
    return SkillRow(line=line, name=name, uri=uri, parents=parents, parent_given=True, description=description)


def _esco_collection(values: dict[str, str], line: int) -> SkillRow:
    name = _name(values.get("preferredlabel"))
    status = _text(values.get("status")).lower()
    if status and status != "released":
        raise _RowError(name, f"Its ESCO status is “{status}”, not released.")
    uris = [u for u in _split(values.get("broaderconcepturi")) if u]
    names = [n for n in _split(values.get("broaderconceptpt")) if n]
    if len(names) != len(uris):
        names = [""] * len(uris)
    return SkillRow(
        line=line,
        name=name,
        uri=_text(values.get("concepturi")),
        parents=[ParentRef(uri=u, name=" ".join(n.split())) for u, n in zip(uris, names, strict=True)],
        parent_given=bool(uris),
        alt_labels=_labels(values.get("altlabels"), besides=name),
        description=_text(values.get("description")),
    )


def _onet(values: dict[str, str], line: int) -> SkillRow:
    element = _text(values.get("element id"))
    name = _name(values.get("element name"))
    if not re.fullmatch(r"[0-9A-Za-z]+(\.[0-9A-Za-z]+)*", element):
        raise _RowError(name, f"“{element[:40]}” is not an O*NET element ID.")
    parent = element.rpartition(".")[0]
    return SkillRow(
        line=line,
        name=name,
        uri=f"onet:{element}",
        parents=[ParentRef(uri=f"onet:{parent}")] if parent else [],
        parent_given=True,
        description=_text(values.get("description")),
    )


def _simple(values: dict[str, str], line: int) -> SkillRow:
    name = _name(values.get("name"))
    parent = _name(values.get("parent"))
    if parent and parent.lower() == name.lower():
        raise _RowError(name, "A skill cannot be its own parent.")
    return SkillRow(
        line=line,
        name=name,
        parents=[ParentRef(name=parent)] if parent else [],
        parent_given=bool(parent),
        alt_labels=_labels(values.get("alt_labels"), besides=name),
        description=_text(values.get("description")),
    )


_READERS = {
    Format.ESCO_HIERARCHY: _esco_hierarchy,
    Format.ESCO_COLLECTION: _esco_collection,
    Format.ONET: _onet,
    Format.SIMPLE: _simple,
}


# Planning: compare the rows with the taxonomy already stored.


@dataclass
class Existing:
    id: int
    name: str
    slug: str
    uri: str
    parent_id: int | None
    alt_labels: str
    description: str
    depth: int


@dataclass
class PlannedSkill:
    """One skill the import will create or change (or leave as it is)."""

    line: int
    name: str
    uri: str
    alt_labels: list[str]
    description: str
    existing: Existing | None
    parent_given: bool
    refs: list[ParentRef] = field(default_factory=list)
    # The parent as a key of the combined graph: ("row", index) or ("db", skill id), or None.
    parent: tuple[str, int] | None = None
    parent_name: str = ""
    # After planning: the parent as a stored skill id, or as another planned skill still to create.
    parent_id: int | None = None
    parent_row: PlannedSkill | None = field(default=None, repr=False)
    action: str = "create"
    depth: int = 0
    stub: bool = False
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    format: str
    planned: list[PlannedSkill]
    refused: list[Refusal]
    # Skills not in the file whose depth changes because an ancestor moved: {id: new depth}.
    depth_changes: dict[int, int] = field(default_factory=dict)

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS[self.format]

    def _with(self, action):
        return [p for p in self.planned if p.action == action]

    @property
    def to_create(self) -> list[PlannedSkill]:
        return self._with("create")

    @property
    def to_update(self) -> list[PlannedSkill]:
        return self._with("update")

    @property
    def unchanged(self) -> list[PlannedSkill]:
        return self._with("unchanged")

    @property
    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.to_create),
            "updated": len(self.to_update),
            "unchanged": len(self.unchanged),
            "refused": len(self.refused),
        }


def _load_existing() -> list[Existing]:
    from people.models import Skill

    fields = ("id", "name", "slug", "uri", "parent_id", "alt_labels", "description", "depth")
    return [Existing(**row) for row in Skill.objects.values(*fields)]


class _Graph:
    """Every skill after the import, stored and planned, keyed ("db", id) or ("row", index)."""

    def __init__(self, planned: list[PlannedSkill], existing: list[Existing]):
        self.planned = planned
        self.by_id = {e.id: e for e in existing}
        # A stored skill that a row updates is known by the row's key from then on.
        self.row_for_id = {p.existing.id: ("row", i) for i, p in enumerate(planned) if p.existing is not None}
        self.parent_of: dict[tuple, tuple | None] = {}
        for e in existing:
            if e.id not in self.row_for_id:
                self.parent_of[("db", e.id)] = self.node_for_id(e.parent_id)
        for index in range(len(planned)):
            self.parent_of[("row", index)] = self.planned_parent(index)

    def node_for_id(self, skill_id: int | None) -> tuple | None:
        if skill_id is None:
            return None
        return self.row_for_id.get(skill_id, ("db", skill_id))

    def planned_parent(self, index: int) -> tuple | None:
        skill = self.planned[index]
        if skill.parent is not None:
            kind, ident = skill.parent
            return self.node_for_id(ident) if kind == "db" else skill.parent
        if not skill.parent_given and skill.existing is not None:
            return self.node_for_id(skill.existing.parent_id)
        return None

    def stored_parent(self, index: int) -> tuple | None:
        existing = self.planned[index].existing
        return self.node_for_id(existing.parent_id) if existing is not None else None

    def name(self, key: tuple) -> str:
        kind, ident = key
        return self.planned[ident].name if kind == "row" else self.by_id[ident].name

    def stored_id(self, key: tuple | None) -> tuple:
        """("id", n) when ``key`` is a stored skill (directly or through the row updating it)."""
        if key is None:
            return ("id", None)
        kind, ident = key
        if kind == "db":
            return ("id", ident)
        existing = self.planned[ident].existing
        return ("id", existing.id) if existing is not None else ("new", ident)

    def depths(self) -> dict[tuple, int]:
        depth: dict[tuple, int] = {}
        for start in self.parent_of:
            chain: list[tuple] = []
            node = start
            while node is not None and node not in depth and node in self.parent_of:
                chain.append(node)
                node = self.parent_of[node]
                if len(chain) > len(self.parent_of):  # loops are refused before this; never spin
                    break
            base = depth.get(node, -1) if node is not None else -1
            for offset, key in enumerate(reversed(chain), start=1):
                depth[key] = base + offset
        return depth


def plan_skill_import(parsed: ParsedFile, existing: list[Existing] | None = None) -> ImportPlan:
    """What importing ``parsed`` would do to the stored taxonomy; reads the database, writes nothing."""
    existing = _load_existing() if existing is None else existing
    by_uri = {e.uri: e for e in existing if e.uri}
    by_name: dict[str, Existing] = {}
    # Several stored skills may share a name; a name-only row updates the one without a URI first.
    for e in sorted(existing, key=lambda e: (bool(e.uri), e.id), reverse=True):
        by_name[e.name.lower()] = e

    refused = list(parsed.refused)
    planned: list[PlannedSkill] = []
    row_by_uri: dict[str, int] = {}
    row_by_name: dict[str, int] = {}
    matched: dict[int, int] = {}
    for row in parsed.rows:
        taken = row_by_uri.get(row.uri) if row.uri else row_by_name.get(row.name.lower())
        if taken is not None:
            refused.append(Refusal(row.line, row.name, f"It repeats the skill on line {planned[taken].line}."))
            continue
        match = by_uri.get(row.uri) if row.uri else by_name.get(row.name.lower())
        if match is not None and match.id in matched:
            line = planned[matched[match.id]].line
            refused.append(Refusal(row.line, row.name, f"It matches the same stored skill as line {line}."))
            continue
        if match is not None:
            matched[match.id] = len(planned)
        if row.uri:
            row_by_uri[row.uri] = len(planned)
        row_by_name.setdefault(row.name.lower(), len(planned))
        planned.append(
            PlannedSkill(
                line=row.line,
                name=row.name,
                uri=row.uri,
                alt_labels=row.alt_labels,
                description=row.description,
                existing=match,
                parent_given=row.parent_given,
                refs=row.parents,
            )
        )

    rejected: set[int] = set()
    for index in range(len(planned)):
        skill = planned[index]
        if not skill.refs:
            continue
        parent = _resolve_parent(skill.refs, row_by_uri, row_by_name, by_uri, by_name)
        if parent is None:
            stub = next((ref for ref in skill.refs if ref.uri and ref.name), None)
            first = skill.refs[0]
            if stub is not None:
                parent = ("row", _add_stub(stub, skill.line, planned, row_by_uri, row_by_name))
            elif first.name and not first.uri:
                reason = f"Its parent “{first.name}” is not in the file or the taxonomy."
                refused.append(Refusal(skill.line, skill.name, reason))
                rejected.add(index)
                continue
            else:
                # A broader URI with no name to create it by: the skill stays where it is, or at the top.
                skill.parent_given = False
                continue
        skill.parent = parent

    graph = _Graph(planned, existing)
    for index in rejected:
        graph.parent_of[("row", index)] = graph.stored_parent(index)
    # A refused row goes back under its stored parent, which can close a new loop, so repeat until stable.
    while _refuse_loops(graph, rejected, refused) | _refuse_orphans(graph, rejected, refused):
        pass

    depth = graph.depths()
    depth_changes = {}
    for (kind, ident), value in depth.items():
        if kind == "row":
            planned[ident].depth = value
        elif graph.by_id[ident].depth != value:
            depth_changes[ident] = value
    for index, skill in enumerate(planned):
        if index in rejected:
            skill.action = "refused"
            continue
        parent = graph.parent_of[("row", index)]
        skill.parent_name = graph.name(parent) if parent else ""
        stored = graph.stored_id(parent)
        if stored[0] == "id":
            skill.parent_id = stored[1]
        else:
            skill.parent_row = planned[stored[1]]
        _decide_action(skill, stored)
    # A refused row that matched a stored skill leaves it as it was, but its depth may still move.
    for index in rejected:
        existing_skill = planned[index].existing
        if existing_skill is not None and existing_skill.depth != planned[index].depth:
            depth_changes[existing_skill.id] = planned[index].depth
    refused.sort(key=lambda r: r.line)
    return ImportPlan(
        format=parsed.format,
        planned=[p for p in planned if p.action != "refused"],
        refused=refused,
        depth_changes=depth_changes,
    )


def _resolve_parent(refs, row_by_uri, row_by_name, by_uri, by_name) -> tuple[str, int] | None:
    for ref in refs:
        if ref.uri:
            if ref.uri in row_by_uri:
                return ("row", row_by_uri[ref.uri])
            if ref.uri in by_uri:
                return ("db", by_uri[ref.uri].id)
        elif ref.name:
            if ref.name.lower() in row_by_name:
                return ("row", row_by_name[ref.name.lower()])
            if ref.name.lower() in by_name:
                return ("db", by_name[ref.name.lower()].id)
    return None


def _add_stub(ref: ParentRef, line: int, planned, row_by_uri, row_by_name) -> int:
    """A broader ESCO concept that is neither stored nor in this file: created by name and URI."""
    index = len(planned)
    planned.append(
        PlannedSkill(
            line=line,
            name=ref.name[:MAX_NAME],
            uri=ref.uri,
            alt_labels=[],
            description="",
            existing=None,
            parent_given=False,
            stub=True,
        )
    )
    row_by_uri[ref.uri] = index
    row_by_name.setdefault(ref.name.lower(), index)
    return index


def _refuse_loops(graph: _Graph, rejected: set[int], refused: list[Refusal]) -> bool:
    """Refuse rows whose new parent would put them under themselves; they keep their stored parent."""
    found = False
    for index, skill in enumerate(graph.planned):
        if index in rejected:
            continue
        key = ("row", index)
        seen = [key]
        node = graph.parent_of[key]
        while node is not None and node not in seen:
            seen.append(node)
            node = graph.parent_of.get(node)
        if node != key:
            continue
        names = " → ".join(graph.name(k) for k in [*seen, key])
        refused.append(Refusal(skill.line, skill.name, f"It would make a loop: {names}."))
        rejected.add(index)
        graph.parent_of[key] = graph.stored_parent(index)
        found = True
    return found


def _refuse_orphans(graph: _Graph, rejected: set[int], refused: list[Refusal]) -> bool:
    """Rows under a refused new skill cannot be placed, so they are refused too."""
    found = False
    for index, skill in enumerate(graph.planned):
        parent = graph.parent_of[("row", index)]
        if index in rejected or parent is None or parent[0] != "row" or parent[1] not in rejected:
            continue
        if graph.planned[parent[1]].existing is not None:
            continue  # the stored skill stays, so the row can still sit under it
        refused.append(
            Refusal(skill.line, skill.name, f"Its parent (line {graph.planned[parent[1]].line}) was refused.")
        )
        rejected.add(index)
        graph.parent_of[("row", index)] = graph.stored_parent(index)
        found = True
    return found


def _decide_action(skill: PlannedSkill, new_parent: tuple) -> None:
    existing = skill.existing
    if existing is None:
        skill.action = "create"
        return
    changes = []
    if skill.name != existing.name:
        changes.append("name")
    if skill.uri and skill.uri != existing.uri:
        changes.append("uri")
    if skill.alt_labels and "\n".join(skill.alt_labels) != existing.alt_labels:
        changes.append("alt labels")
    if skill.description and skill.description != existing.description:
        changes.append("description")
    if new_parent != ("id", existing.parent_id):
        changes.append("parent")
    if skill.depth != existing.depth:
        changes.append("depth")
    skill.changes = changes
    skill.action = "update" if changes else "unchanged"
