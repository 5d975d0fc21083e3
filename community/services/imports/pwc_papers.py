"""Papers (papers-with-abstracts) and their code (links-between-papers-and-code), a batch at a time.

A paper is matched by arXiv id, then DOI, then its Papers with Code page, then normalised title and
year; a paper the catalogue had before (the seed's landmark papers) keeps what it has and only gains
what it lacked, its PwC page and its code. Authors are matched by their exact name. A repository is a
Project, one per normalised address, merged with an existing one, linked to the paper (PaperCode).
"""

from django.utils.translation import gettext

from community.identifiers import normalize_title
from community.importers.pwc.records import CodeLinkRow, PaperRow
from community.models import Authorship, Method, Paper, PaperCode, Person, Project, PwcPaper, Task

from .pwc_context import Context, paper_key
from .pwc_links import links_prune
from .pwc_people import likely_duplicates_flag
from .pwc_store import Item, insert_rows
from .pwc_venues import pages_proceeding_update

PAPER_FIELDS = ("title", "abstract", "year", "arxiv_id", "doi", "url", "pdf_url")
CODE_FIELDS = ("is_official", "framework", "mentioned_in_paper", "mentioned_in_github")  # of a PaperCode


def _title_index() -> dict[tuple[str, int], int]:
    """(normalised title, year) -> paper id of the papers no archive page names yet (the catalogue's
    own: few, whatever the archive's size)."""
    rows = Paper.objects.filter(pwc__isnull=True).values_list("pk", "title", "year")
    return {(normalize_title(title), year): pk for pk, title, year in rows}


def write_papers(ctx: Context, rows: list[PaperRow]) -> None:
    if not hasattr(ctx, "title_index"):
        ctx.title_index = _title_index()
    arxiv = {r.arxiv_id for r in rows if r.arxiv_id}
    dois = {r.doi for r in rows if r.doi}
    urls = {r.pwc_url for r in rows if r.pwc_url}
    titled = {ctx.title_index.get((normalize_title(r.title), r.year)) for r in rows} - {None}
    # One indexed lookup per identifier (an OR across them, with the join, would scan the table).
    ids = set(titled)
    ids.update(Paper.objects.filter(arxiv_id__in=arxiv).values_list("pk", flat=True) if arxiv else ())
    ids.update(Paper.objects.filter(doi__in=dois).values_list("pk", flat=True) if dois else ())
    ids.update(PwcPaper.objects.filter(url__in=urls).values_list("paper_id", flat=True) if urls else ())
    papers = Paper.objects.filter(pk__in=ids).select_related("pwc") if ids else []
    by = {}
    for paper in papers:
        by[("pk", paper.pk)] = paper
        for key in (("arxiv", paper.arxiv_id), ("doi", paper.doi)):
            if key[1]:
                by[key] = paper
        if hasattr(paper, "pwc"):
            by[("pwc", paper.pwc.url)] = paper

    items, pages, claimed = [], [], {}
    for row in rows:
        paper = (
            by.get(("arxiv", row.arxiv_id))
            or by.get(("doi", row.doi))
            or by.get(("pwc", row.pwc_url))
            or by.get(("pk", ctx.title_index.get((normalize_title(row.title), row.year))))
        )
        key = paper.pk if paper else ("new", row.arxiv_id or row.doi or row.pwc_url or row.ref)
        if key in claimed:
            ctx.reject("paper", row.ref, gettext("the same paper as %(ref)s") % {"ref": claimed[key]})
            continue
        page = getattr(paper, "pwc", None) if paper else None
        if page is not None and row.pwc_url and page.url != row.pwc_url:
            ctx.reject(
                "paper", row.ref, gettext("the same paper as the archive's %(url)s") % {"url": page.url}
            )
            continue
        claimed[key] = row.ref
        values = {name: getattr(row, name) for name in PAPER_FIELDS} | ctx.venues().of(row.proceeding)
        fill_only = paper is not None and (page is None or not page.created_by_archive)
        items.append(Item(key=row.ref, values=values, ref=row.ref, obj=paper, slug_text=row.title,
                          fill_only=fill_only))  # fmt: skip
        pages.append(page is None and row.pwc_url)

    rows_by_ref = {row.ref: row for row in rows}
    links_prune(items, rows_by_ref)
    pages_proceeding_update(items, rows_by_ref)
    people = _people(ctx, {name for item in items for name in rows_by_ref[item.ref].authors})
    current = _author_lists([item.obj.pk for item in items if item.obj is not None])
    for item in items:
        row = rows_by_ref[item.ref]
        wanted = [people[name] for name in row.authors]
        if item.obj is not None and row.authors and (not item.fill_only or not current.get(item.obj.pk)):
            before = current.get(item.obj.pk, [])
            if before != wanted:
                item.changes["authors"] = [before, wanted]
    ctx.store.sync(Paper, items)
    _write_authors(items, rows_by_ref, people)
    # Every page the catalogue has under one of the batch's addresses is in `by` (looked up above):
    # a page whose address another paper holds is not added, nor a second one in the batch.
    taken = {key[1] for key in by if key[0] == "pwc"}
    new_pages = []
    for item, url in zip(items, pages, strict=True):
        if url and url not in taken:
            taken.add(url)
            new_pages.append((item.obj.pk, url, item.outcome == "created", rows_by_ref[item.ref].proceeding))
    insert_rows(PwcPaper, ("paper_id", "url", "created_by_archive", "proceeding"), new_pages)
    paged = {page[0] for page in new_pages}
    for item in items:
        # A paper the catalogue had gains its archive page: that is a change too.
        outcome = "updated" if item.outcome == "unchanged" and item.obj.pk in paged else item.outcome
        ctx.outcome("paper", item.ref, outcome, notes=rows_by_ref[item.ref].notes)
    _link_tasks_and_methods(ctx, items, rows_by_ref)


def _people(ctx: Context, names: set[str]) -> dict[str, int]:
    """Person ids by exact name for every author of the batch, the missing people created."""
    if not names:
        return {}
    # The import's map of names to people (see Context): asked of the database once per name.
    known = ctx.people
    found: dict[str, int] = {name: known[name] for name in names if name in known}
    unseen = names - set(found)
    if unseen:
        query = Person.objects.filter(name__in=unseen).order_by("-pk").values_list("pk", "name")
        for pk, name in query:
            found[name] = pk  # the oldest of a shared name wins
    ctx.store.provenance(Person, found.values())
    ctx.counts.add("person", "unchanged", len(found))
    missing = [
        Item(key=name, values={"name": name}, ref=name, slug_text=name) for name in sorted(names - set(found))
    ]
    ctx.store.sync(Person, missing)
    for item in missing:
        found[item.key] = item.obj.pk
    known.update(found)
    ctx.counts.add("person", "created", len(missing))
    likely_duplicates_flag([(item.obj.pk, item.key) for item in missing], counts=ctx.counts)
    return found


def _author_lists(paper_ids: list[int]) -> dict[int, list[int]]:
    lists: dict[int, list[int]] = {}
    for paper_id, person_id in (
        Authorship.objects.filter(paper_id__in=paper_ids).order_by("paper_id", "position").values_list("paper_id", "person_id")
    ):  # fmt: skip
        lists.setdefault(paper_id, []).append(person_id)
    return lists


def _write_authors(items: list[Item], rows_by_ref: dict[str, PaperRow], people: dict[str, int]) -> None:
    rewrite = [item for item in items if item.outcome == "created" or "authors" in item.changes]
    Authorship.objects.filter(
        paper_id__in=[item.obj.pk for item in rewrite if item.outcome != "created"]
    ).delete()
    insert_rows(
        Authorship,
        ("paper_id", "person_id", "position"),
        [
            (item.obj.pk, people[name], position)
            for item in rewrite
            for position, name in enumerate(rows_by_ref[item.ref].authors)
        ],
    )


def _link_tasks_and_methods(ctx: Context, items: list[Item], rows_by_ref: dict[str, PaperRow]) -> None:
    """A paper's tasks and methods, by name (made when missing); links are only ever added."""
    task_names = sorted({name for item in items for name in rows_by_ref[item.ref].tasks})
    tasks = ctx.ensure_tasks(task_names, "papers") if task_names else {}
    _link(
        Task.papers.through,
        ("task_id", "paper_id"),
        [(item, (tasks[name].pk, item.obj.pk)) for item in items for name in rows_by_ref[item.ref].tasks],
    )
    known = ctx.methods()
    mentions = {}
    for item in items:
        for mention in rows_by_ref[item.ref].methods:
            mentions.setdefault(mention.name.lower(), mention)
    missing = [
        Item(key=key, values={"name": m.name, "full_name": m.full_name, "description": m.description},
             ref=f"papers: {m.name}", slug_text=m.name)
        for key, m in mentions.items() if key not in known
    ]  # fmt: skip
    for item in ctx.store.sync(Method, missing):
        known[item.key] = item.obj
        ctx.outcome("method", item.ref, item.outcome)
    _link(
        Method.papers.through,
        ("method_id", "paper_id"),
        [
            (item, (known[m.name.lower()].pk, item.obj.pk))
            for item in items
            for m in rows_by_ref[item.ref].methods
        ],
    )


def _link(through, columns: tuple[str, str], pairs: list[tuple[Item, tuple[int, int]]]) -> None:
    """Add many-to-many links: a new paper's by COPY (it has none yet), others' unless they exist."""
    insert_rows(through, columns, sorted({pair for item, pair in pairs if item.outcome == "created"}))
    through.objects.bulk_create(
        [
            through(**dict(zip(columns, pair, strict=True)))
            for item, pair in pairs
            if item.outcome != "created"
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )


def write_links(ctx: Context, rows: list[CodeLinkRow]) -> None:
    found = ctx.papers_named(
        pwc_urls=[r.paper_pwc_url for r in rows], arxiv_ids=[r.paper_arxiv_id for r in rows]
    )
    addressed = [
        (row, found.get(row.paper_pwc_url) or found.get(f"arxiv:{row.paper_arxiv_id}")) for row in rows
    ]
    # By title only the links neither address found: no index serves a title lookup, so it reads
    # the whole paper table (0.4 s a batch at 500k papers).
    untitled = [row.paper_title for row, paper_id in addressed if paper_id is None]
    if untitled:
        found.update(ctx.papers_named(titles=untitled))
    linked: list[tuple[CodeLinkRow, int]] = []
    for row, paper_id in addressed:
        paper_id = paper_id or paper_key(found, title=row.paper_title)
        if paper_id is None:
            ctx.reject(
                "code link", row.ref, gettext("its paper is not in the catalogue (import the papers first)")
            )
            continue
        linked.append((row, paper_id))
    projects = {
        p.repository_url: p
        for p in Project.objects.filter(repository_url__in={r.repo_url for r, _ in linked})
    }
    new = {}
    for row, _ in linked:
        if row.repo_url not in projects and row.repo_url not in new:
            # github.com/owner/repo: named by the repository, its slug by owner and repository.
            owner_repo = row.repo_url.split("/", 3)[-1]
            name = owner_repo.rsplit("/", 1)[-1][:200]
            values = {"name": name, "repository_url": row.repo_url, "kind": Project.Kind.TOOL}
            new[row.repo_url] = Item(key=row.repo_url, values=values, ref=row.ref, slug_text=owner_repo)
    ctx.store.sync(Project, list(new.values()))
    for item in new.values():
        projects[item.key] = item.obj
        ctx.outcome("project", item.ref, "created")
    ctx.store.provenance(Project, [p.pk for url, p in projects.items() if url not in new])
    existing = {
        (code.paper_id, code.project_id): code
        for code in PaperCode.objects.filter(
            paper_id__in={p for _, p in linked}, project_id__in={p.pk for p in projects.values()}
        )
    }
    create, update = {}, []
    for row, paper_id in linked:
        values = {name: getattr(row, name) for name in CODE_FIELDS}
        pair = (paper_id, projects[row.repo_url].pk)
        code = existing.get(pair)
        if pair in create:
            ctx.reject("code link", row.ref, gettext("the same paper and repository as an earlier record"))
            continue
        if code is None:
            create[pair] = (*pair, *(values[name] for name in CODE_FIELDS))
            outcome = "created"
        elif any(getattr(code, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(code, k, v)
            update.append(code)
            outcome = "updated"
        else:
            outcome = "unchanged"
        ctx.outcome("code link", row.ref, outcome, notes=row.notes)
    # New pairs only (the existing ones were read above): by COPY on PostgreSQL.
    insert_rows(PaperCode, ("paper_id", "project_id", *CODE_FIELDS), list(create.values()))
    if update:
        PaperCode.objects.bulk_update(update, list(CODE_FIELDS))
    if create:
        # The plain link may be there already (an editor linked the project by hand).
        through = Paper.projects.through
        linked_before = through.objects.filter(
            paper_id__in={p for p, _ in create}, project_id__in={q for _, q in create}
        ).values_list("paper_id", "project_id")
        insert_rows(through, ("paper_id", "project_id"), sorted(set(create) - set(linked_before)))
