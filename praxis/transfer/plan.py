"""An import's plan: every file of the source read once to know its note (its id, its title,
its other names), so that each file's links can then be written again to the notes they name,
whatever the order of the files. Nothing is written here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import frontmatter
import yaml
from sqlmodel import Session, col, select

from praxis.db import reader_of
from praxis.errors import Invalid
from praxis.models import ImportSource
from praxis.notes import fields
from praxis.notes import links as note_links
from praxis.notes import notes as note_service
from praxis.transfer import attached, collection_files, front_matter, import_check, sources, vault_links
from praxis.transfer.sources import Source, SourceFile

# Characters of what files say kept between the passes of an import (the posts read, the
# bodies rewritten): about 100 MB at most; past it, files are read again.
_KEPT_CHARS = 25_000_000


@dataclass
class Options:
    """What the command line says of every file that does not say it itself."""

    author: str | None = None
    visibility: str | None = None
    carnet: str | None = None  # the title of the carnet every note of the import is filed in


@dataclass
class Planned:
    """A note file of the import and the id its note has (its own, or one chosen for it)."""

    file: SourceFile
    note_id: str
    own_id: bool  # the file names its id


@dataclass
class Prepared:
    note_id: str
    state: note_service.NoteState
    dates: dict
    rewritten: vault_links.Rewritten
    file: SourceFile
    own_id: bool
    attachments: list[attached.Planned] = field(default_factory=list)  # the files it refers to


@dataclass
class Plan:
    source: Source
    options: Options = field(default_factory=Options)
    notes: list[Planned] = field(default_factory=list)
    carnets: list[tuple[SourceFile, frontmatter.Post]] = field(default_factory=list)
    bases: list[tuple[SourceFile, frontmatter.Post]] = field(default_factory=list)
    problems: list[tuple[SourceFile, Invalid]] = field(default_factory=list)  # files that could not be read
    index: vault_links.Index = field(default_factory=lambda: vault_links.Index([]))
    imported_before: set[str] = field(default_factory=set)  # paths of files imported before (no id of their own)
    files: attached.Files | None = None  # the other files its notes refer to
    # What reading a file gives, kept from one pass to the next (the plan, the check, the
    # writing) within a memory budget, so that a file is read and rewritten once.
    posts: dict[str, frontmatter.Post] = field(default_factory=dict)
    rewrites: dict[str, tuple[vault_links.Rewritten, list[attached.Planned]]] = field(default_factory=dict)
    kept_chars: int = 0

    @property
    def root(self) -> str:
        """The name the source's files are known by, from one import to the next: its folder's."""
        return sources.nfc(self.source.root.name)[:255] or "-"

    @property
    def rewrites_links(self) -> bool:
        """A Praxis export's wikilinks name notes by title or id already, as Praxis reads them."""
        return self.source.kind != sources.PRAXIS

    def load(self, file: SourceFile) -> frontmatter.Post:
        return self.posts.get(file.rel) or load(file)

    def keep(self, chars: int) -> bool:
        """Whether what is read may be kept for the next pass (`chars` more of it)."""
        if self.kept_chars + chars > _KEPT_CHARS:
            return False
        self.kept_chars += chars
        return True

    def defaults(self, file: SourceFile, post: frontmatter.Post) -> tuple[str | None, str]:
        """The title a file without one gets from its source, and its body (without the heading
        that became its title)."""
        if "title" in post.metadata:
            return None, post.content
        return sources.own_title(self.source.kind, file, post.content)

    def prepare(self, session: Session, planned: Planned, post: frontmatter.Post | None = None) -> Prepared:
        """A note file as its note: links written again, every value checked (see
        `import_check.read_note` for the people it names)."""
        post = post or self.load(planned.file)
        title, body = self.defaults(planned.file, post)
        if cached := self.rewrites.get(planned.file.rel):
            rewritten, kept = cached
        else:
            rewritten, kept = self._rewrite(planned, post, body)
        _id, state, dates = import_check.read_note(
            session,
            planned.file.where,
            post,
            import_check.Defaults(
                title=title,
                body=rewritten.body,
                author=self.options.author,
                modified=sources.modified(planned.file.path),
                visibility=self.options.visibility,
                tags=vault_links.hashtags(rewritten.body) if self.rewrites_links else [],
            ),
        )
        return Prepared(planned.note_id, state, dates, rewritten, planned.file, planned.own_id, kept)

    def _rewrite(
        self, planned: Planned, post: frontmatter.Post, body: str
    ) -> tuple[vault_links.Rewritten, list[attached.Planned]]:
        """A note's body with its links and files written again (kept for the next pass)."""
        kept: list[attached.Planned] = []
        files = self.files

        def file_link(file: SourceFile, label: str, extra: str | None, in_place: bool) -> str:
            assert files is not None
            found = files.plan(planned.note_id, file, planned.file.rel)
            if found is None:
                return label  # refused: a problem of the import, which writes nothing
            kept.append(found)
            return attached.markdown(planned.note_id, found, label, extra, in_place)

        rewritten = vault_links.rewrite(
            body,
            planned.file,
            self.index,
            known_id=lambda target: target in self.index.ids,
            file_link=file_link if files is not None else None,
            notes=self.rewrites_links,
        )
        listed = post.metadata.get("attachments")
        listed = [listed] if isinstance(listed, str) else listed
        if files is not None and isinstance(listed, list):  # files the body may not show (an export's)
            for written in listed:
                found = self.index.file(str(written), planned.file)
                planned_file = (
                    files.plan(planned.note_id, found.file, planned.file.rel) if found and found.file else None
                )
                if planned_file is None:
                    if not (found and found.file):
                        rewritten.unresolved.append(f"attachments: {written}")
                    continue
                if all(k.attachment_id != planned_file.attachment_id for k in kept):
                    kept.append(planned_file)
        if self.keep(len(rewritten.body)):
            self.rewrites[planned.file.rel] = (rewritten, kept)
        return rewritten, kept


def load(file: SourceFile) -> frontmatter.Post:
    """A file's front matter and text (in NFC), or an error naming the file."""
    where = file.where
    try:
        text = file.path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(f"{where}: not UTF-8 text; save it as UTF-8.") from None
    try:
        post = frontmatter.loads(sources.nfc(text))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" near line {mark.line + 1}" if mark is not None else ""
        raise Invalid(f"{where}: the front matter is not valid YAML{line} ({exc.__class__.__name__}).") from None
    if not isinstance(post.metadata, dict):
        raise Invalid(f"{where}: the front matter must be keys and values.")
    return post


def make_plan(session: Session, source: Source, options: Options) -> Plan:
    """Read every Markdown file once: carnets and bases apart, each note's id (its own, the one
    the same file was imported as before, or one chosen now), title and other names, for its
    links to be found."""
    plan = Plan(source=source, options=options)
    found: list[tuple[SourceFile, str | None, str, list[str]]] = []  # file, its own id, title, aliases
    for file in source.notes:
        try:
            post = load(file)
        except Invalid as exc:
            plan.problems.append((file, exc))
            continue
        if plan.keep(len(post.content)):
            plan.posts[file.rel] = post
        kind = post.metadata.get("kind")
        if kind == "carnet":
            plan.carnets.append((file, post))
            continue
        if kind == "base":
            plan.bases.append((file, post))
            continue
        try:
            own = import_check.note_id_of(post.metadata, file.where)
        except Invalid as exc:
            plan.problems.append((file, exc))
            own = None
        title, _body = plan.defaults(file, post)
        try:
            aliases = front_matter.aliases(post.metadata, file.where)
        except Invalid:
            aliases = []  # said when the file is checked
        written = post.metadata.get("title")
        found.append((file, own, str(written) if written not in (None, "") else title or "", aliases))
    before = imported_before(session, plan.root, [file.rel for file, own, _t, _a in found if own is None])
    plan.imported_before = set(before)
    entries: list[vault_links.Entry] = []
    for file, own, title, aliases in found:
        note_id = own or before.get(file.rel) or note_service.new_id()
        plan.notes.append(Planned(file, note_id, own is not None))
        entries.append(vault_links.Entry(file, note_id, title, aliases))
    plan.index = vault_links.Index(entries, source.files)
    plan.files = attached.Files.for_session(session)
    plan.files.load_existing(session, [planned.note_id for planned in plan.notes])
    return plan


def imported_before(session: Session, root: str, paths: list[str]) -> dict[str, str]:
    """The notes these files of the folder `root` were imported as, by path."""
    found: dict[str, str] = {}
    for start in range(0, len(paths), 1000):
        found.update(
            session.exec(
                select(ImportSource.path, ImportSource.note_id).where(
                    ImportSource.root == root, col(ImportSource.path).in_(paths[start : start + 1000])
                )
            ).all()
        )
    return found


def source_rows(plan: Plan, created: list[Prepared]) -> list[dict]:
    """The `import_source` rows of new notes made from files without an id of their own."""
    return [
        {"root": plan.root, "path": p.file.rel, "note_id": p.note_id}
        for p in created
        if not p.own_id and p.file.rel not in plan.imported_before
    ]


def unresolved_on_site(session: Session, written: list[str]) -> list[str]:
    """Of these wikilinks as written, those that no note of the site answers either (by id,
    title or other name): the rendering finds the others."""
    targets = {link: vault_links.target_of(link) for link in written}
    wanted = sorted({t for t in targets.values() if t})
    resolve = note_links.resolver(session)
    found: set[str] = set()
    for start in range(0, len(wanted), note_links.MAX_WIKILINKS):
        found.update(resolve(wanted[start : start + note_links.MAX_WIKILINKS]))
    return [link for link, target in targets.items() if not target or target not in found]


_CHECKED_AT_ONCE = 500  # files checked in one read transaction: a long one keeps SQLite's WAL from being emptied


@dataclass
class Checked:
    """What checking every file found: the problems that stop the import (each naming its
    file), and what it says without stopping (links that lead nowhere, names several files share)."""

    problems: list[Invalid] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unreferenced: list[str] = field(default_factory=list)  # files no note refers to: not imported


def check(session: Session, plan: Plan, step: Callable[[int], None]) -> Checked:
    """Read and check every file as the import would write it, writing nothing."""
    checked = Checked()
    found = list(plan.problems)  # by file, said in the files' order
    unresolved: list[tuple[str, str]] = []
    with reader_of(session) as reader, fields.checking_only(reader), fields.remembering_people(reader):
        for number, planned in enumerate(plan.notes, 1):
            try:
                prepared = plan.prepare(reader, planned)
                unresolved += [(planned.file.where, link) for link in prepared.rewritten.unresolved]
                checked.warnings += [
                    f"{planned.file.where}: several files are named {choice}" for choice in prepared.rewritten.ambiguous
                ]
            except Invalid as exc:
                if not any(file is planned.file for file, _ in found):
                    found.append((planned.file, exc))
            step(1)
            if number % _CHECKED_AT_ONCE == 0:
                reader.expunge_all()
                reader.rollback()
        if plan.files is not None:
            found += list(plan.files.problems.values())
            checked.unreferenced = plan.files.unreferenced(plan.source.files)
        order = {file.rel: number for number, file in enumerate(plan.source.notes + plan.source.files)}
        checked.problems = [exc for _file, exc in sorted(found, key=lambda pair: order.get(pair[0].rel, 0))]
        # Carnets name notes of the import and bases carnets of the import, which do not exist yet.
        note_ids = {planned.note_id for planned in plan.notes if planned.own_id}
        carnet_ids = {
            carnet_id for _file, post in plan.carnets if isinstance(carnet_id := post.metadata.get("id"), str)
        }  # a wrong id is its own file's problem, said below
        for file, post in plan.carnets + plan.bases:
            try:
                if post.metadata["kind"] == "carnet":
                    collection_files.check_carnet(reader, post.metadata, post.content, file.where, note_ids)
                else:
                    collection_files.import_base(
                        reader, post.metadata, post.content, file.where, carnet_ids, write=False
                    )
            except Invalid as exc:
                checked.problems.append(exc)
        if unresolved:
            nowhere = set(unresolved_on_site(reader, sorted({link for _rel, link in unresolved})))
            checked.warnings += [
                f"{rel}: {link} leads to no note or file of the import (left as written)"
                for rel, link in unresolved
                if link in nowhere
            ]
    return checked


def refusal(problems: list[Invalid]) -> Invalid:
    """One error naming every bad file."""
    if len(problems) == 1:
        return problems[0]
    return Invalid(
        f"{len(problems)} files cannot be imported; nothing was written:\n" + "\n".join(p.message for p in problems),
        field=problems[0].field,
    )
