"""The command line: thin commands that parse options, call the library and report.

Every ``NonmunError`` becomes one line on stderr and its exit status; nothing a
user can cause prints a traceback.
"""

from __future__ import annotations

import logging
import re
import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.markup import escape as esc

from nonmun import __version__, files
from nonmun.config import Settings, load_settings
from nonmun.errors import InputError, NonmunError, NotFoundError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from nonmun.catalog.arxiv_api import ArxivClient
    from nonmun.catalog.importer import ImportSummary
    from nonmun.db.engine import Hub


class _Console(Console):
    """A console that never prints control characters from the data (a title holding
    ``ESC ]52;…`` would write the clipboard); rich adds its own styles after this."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        from nonmun.text.normalize import printable

        super().print(*(printable(o) if isinstance(o, str) else o for o in objects), **kwargs)

    def on_broken_pipe(self) -> None:
        """`nonmun papers list | head`: the reader has what it wanted; that is success."""
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(0)


class Kind(StrEnum):
    paper = "paper"
    review = "review"


CATEGORY_HELP = "arXiv category or group (cs.CV, cs.)."
REVIEWED_HELP = "Only papers that a review reviews."
SOURCE_HELP = "Only papers that this source's reviews review or mention (#id, name or its start)."
PARTIAL = 6  # exit status of an import that skipped some inputs and imported the rest

out = _Console(highlight=False, soft_wrap=True)
err = _Console(stderr=True, highlight=False, soft_wrap=True)

app = typer.Typer(
    help="nonmun (논문): a self-hosted hub for machine-learning paper reviews.",
    context_settings={"max_content_width": 120},
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
papers_app = typer.Typer(help="The catalog of papers: show, list, import, add, export…")
app.add_typer(papers_app, name="papers")


reviews_app = typer.Typer(help="Read and manage the hub's reviews: list, show, delete.")
app.add_typer(reviews_app, name="reviews")
sources_app = typer.Typer(help="The hub's sources (blogs, feeds, folders): list, rename, remove.")
app.add_typer(sources_app, name="sources")
digest_app = typer.Typer(help="Weekly digests: new (a draft of a week), edit, publish, render.")
app.add_typer(digest_app, name="digest")
export_app = typer.Typer(help="Write the hub out in other forms.")
app.add_typer(export_app, name="export")
eval_app = typer.Typer(help="Measure quality on labeled data.")
app.add_typer(eval_app, name="eval")
links_app = typer.Typer(help="A review's links: show, confirm, reject, add.")
app.add_typer(links_app, name="links")

HubOption = Annotated[
    Path | None,
    typer.Option("--hub", help="Hub directory (default: $NONMUN_HUB or the current directory)."),
]


def _version(value: bool) -> None:
    if value:
        out.print(f"nonmun {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    hub: HubOption = None,
    database_url: Annotated[
        str | None,
        typer.Option(help="SQLAlchemy URL, e.g. postgresql+psycopg://… (or $NONMUN_DATABASE_URL)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """nonmun keeps one record per paper and ties every review to the papers it discusses."""
    ctx.obj = {"hub": hub, "database_url": database_url}


def _settings(ctx: typer.Context) -> Settings:
    return load_settings(ctx.obj["hub"], database_url=ctx.obj["database_url"])


@contextmanager
def _hub(ctx: typer.Context, write: bool = False, create: bool = False) -> Iterator[Hub]:
    """The hub; a writing command may upgrade an older schema (only `init` creates one)."""
    from nonmun.db.engine import open_hub

    settings = _settings(ctx)
    hub = open_hub(settings, create=create, upgrade=write, on_wait=lambda m: err.print(m))
    try:
        yield hub
    finally:
        hub.close()


@contextmanager
def _reading(ctx: typer.Context) -> Iterator[Session]:
    """A read-only session: it never waits for a writer."""
    with _hub(ctx) as hub, hub.session(write=False) as session:
        yield session


def command_name() -> str:
    """How to run this nonmun again, as the user can type it (``nonmun`` only if on PATH)."""
    import os
    import shutil

    argv0 = sys.argv[0] if sys.argv else "nonmun"
    if argv0.endswith("__main__.py"):
        return f"{Path(sys.executable).name} -m nonmun"
    on_path = shutil.which("nonmun")
    if on_path and os.path.realpath(on_path) == os.path.realpath(argv0):
        return "nonmun"
    return argv0 if "/" in argv0 else str(Path(argv0).resolve())


def _json(data: Any) -> None:
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


@app.command()
def init(ctx: typer.Context) -> None:
    """Create a hub here (or in --hub), or upgrade its schema."""
    from nonmun.db.engine import head_revision

    with _hub(ctx, create=True) as hub:
        out.print(f"hub ready: {hub.settings.url_for_display} (schema {head_revision()})")


@app.command()
def demo(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="Where to build the demo hub.")] = Path(
        "demo-hub"
    ),
    force: Annotated[
        bool, typer.Option("--force", help="Replace the database of a hub that is there.")
    ] = False,
) -> None:
    """Build the demo hub: sample pages and a small catalog.

    Only in a new or empty folder, or over a demo hub (--force: over any hub).
    """
    from nonmun.demo import build_demo

    with err.status("building the demo hub…"):
        replaced = build_demo(directory, _settings(ctx), force=force)
    if replaced:
        err.print(f"replaced {replaced} in {directory}")
    out.print(f"demo hub ready in {directory}; try: {command_name()} --hub {directory} overview")


@app.command()
def overview(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, help="Papers to show (most reviewed first).")] = 20,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """What the hub holds: counts, sources, most reviewed papers."""
    from nonmun.overview import overview as build

    with _reading(ctx) as session:
        view = build(session, limit)
        if as_json:
            _json(view.as_json())
            return
        out.print(", ".join(f"{n} {name}" for name, n in view.counts.items()))
        out.print("\nSources:")
        for source, n in view.sources:
            out.print(f"  {source.name} ({source.kind}): {n} review(s)", markup=False)
        out.print("\nPapers with reviews (most first):")
        for item in view.papers:
            ident = item.paper.arxiv_id or item.paper.doi or f"#{item.paper.id}"
            out.print(f"  [{ident}] {item.paper.title}", markup=False)
            for m in item.mentions:
                review = m.review
                line = f"#{review.id} {review.source.name}: {review.title[:70]}"
                out.print(f"      {m.role:<9} {line}", markup=False)
        more = view.counts["papers with reviews"] - len(view.papers)
        if more > 0:
            err.print(f"… and {more} more papers with reviews (--limit; papers list --reviewed)")


@papers_app.command("import")
def papers_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="arXiv snapshot JSON lines (.gz/.xz) or .bib file.")],
    fmt: Annotated[str, typer.Option("--format", help="auto, snapshot or bibtex.")] = "auto",
    skip_invalid: Annotated[
        bool, typer.Option(help="Skip malformed lines, count them and list the first few.")
    ] = False,
    restart: Annotated[
        bool, typer.Option(help="Ignore a checkpoint left by an interrupted import.")
    ] = False,
) -> None:
    """Import papers from an arXiv snapshot or a BibTeX file.

    Idempotent and resumable: run the same command again after an interruption.
    """
    from nonmun.catalog import bibtex
    from nonmun.catalog.importer import store_records

    if fmt not in ("auto", "snapshot", "bibtex"):
        raise InputError("--format must be auto, snapshot or bibtex", source=fmt)
    kind = fmt if fmt != "auto" else "bibtex" if file.suffix.lower() == ".bib" else "snapshot"
    with _hub(ctx, write=True) as hub:
        if kind == "bibtex":
            summary = store_records(hub, bibtex.read_bibtex(file), str(file))
        else:
            summary = _import_with_progress(hub, file, skip_invalid, restart)
        _relink_for(hub, summary)
    _print_summary(summary)


def _import_with_progress(hub: Hub, file: Path, skip_invalid: bool, restart: bool) -> ImportSummary:
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from nonmun.catalog.importer import import_snapshot

    columns = [
        TextColumn("importing {task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(file.name, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            return import_snapshot(
                hub, file, skip_invalid=skip_invalid, restart=restart, progress=advance
            )
        except KeyboardInterrupt:
            raise NonmunError(
                "interrupted; whole batches are stored, run the same command to resume",
                source=str(file),
            ) from None


def _relink_for(hub: Hub, summary: ImportSummary) -> None:
    """New papers: the reviews already in the hub are linked to them as well, so the
    links do not depend on which came first."""
    from nonmun.linking.mentions import relink_hub

    if summary.new or summary.updated:
        with err.status("linking the hub's reviews to the new papers…"), hub.session() as session:
            changed = relink_hub(session)
        if changed:
            err.print(f"{changed} review(s) linked again to the new papers")


def _print_summary(summary: ImportSummary) -> None:
    resumed = f" (resumed after line {summary.resumed_at})" if summary.resumed_at else ""
    out.print(
        f"{summary.source}{resumed}: {summary.new} new, {summary.updated} updated, "
        f"{summary.unchanged} unchanged, {summary.invalid} invalid"
    )
    for example in summary.invalid_examples:
        err.print(f"skipped {summary.source}: {example}", markup=False)


@papers_app.command("add")
def papers_add(
    ctx: typer.Context,
    ids: Annotated[list[str], typer.Argument(help="arXiv ids or abs/pdf URLs.")],
) -> None:
    """Fetch papers from the arXiv API by id.

    One request for all of them; requests are 3 s apart, as arXiv asks.
    """
    from nonmun.catalog.identifiers import require_arxiv_id
    from nonmun.catalog.importer import store_records

    wanted = [require_arxiv_id(i) for i in ids]
    client = _arxiv_client(ctx)
    try:
        with err.status(f"asking arXiv for {len(wanted)} paper(s)…"):
            found = client.fetch(wanted)
    finally:
        client.close()
    missing = [str(a) for a in wanted if a.id not in found]
    if missing:
        raise NotFoundError("arXiv has no such paper; nothing was added", source=", ".join(missing))
    with _hub(ctx, write=True) as hub:
        summary = store_records(hub, found.values(), "arXiv API")
        _relink_for(hub, summary)
    _print_summary(summary)


def _arxiv_client(ctx: typer.Context) -> ArxivClient:
    from nonmun.catalog.arxiv_api import ArxivClient

    settings = _settings(ctx)
    return ArxivClient(
        settings.arxiv_api_url,
        delay=settings.arxiv_delay,
        timeout=settings.arxiv_timeout,
        retries=settings.arxiv_retries,
        on_retry=lambda message: err.print(message),
    )


@papers_app.command("resolve")
def papers_resolve(
    ctx: typer.Context,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many papers.")] = None,
) -> None:
    """Complete provisional papers from the arXiv API.

    Provisional papers are named in reviews but absent from the catalog.
    """
    from nonmun.linking.provisional import resolve

    client = _arxiv_client(ctx)
    try:
        with _hub(ctx) as hub, hub.session() as session, err.status("asking arXiv…"):
            summary = resolve(session, client, limit)
    finally:
        client.close()
    for line in summary.completed + summary.folded:
        out.print(f"  resolved {line}")
    for line in summary.unresolved:
        out.print(f"  unresolved {line}")
    out.print(
        f"{len(summary.completed)} completed, {len(summary.folded)} folded into catalog papers, "
        f"{len(summary.unresolved)} still provisional"
    )


@papers_app.command("related")
def papers_related(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="arXiv id/URL, DOI, #id …")],
    limit: Annotated[int, typer.Option(min=1, max=100)] = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Papers related to one paper, each with its reasons."""
    from nonmun.catalog.lookup import find_paper
    from nonmun.search.related import related_papers

    with _reading(ctx) as session:
        found = related_papers(session, find_paper(session, ident), limit)
    _print_related(found, as_json)


@papers_app.command("recommend")
def papers_recommend(
    ctx: typer.Context,
    idents: Annotated[list[str], typer.Argument(metavar="ID…", help="Papers you liked.")],
    limit: Annotated[int, typer.Option(min=1, max=100)] = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """What to read next, given a few papers you liked."""
    from nonmun.catalog.lookup import find_paper
    from nonmun.search.recommend import recommend

    with _reading(ctx) as session:
        seeds = [find_paper(session, ident).id for ident in idents]
        found = recommend(session, seeds, limit)
    _print_related(found, as_json)


def _print_related(found: list[Any], as_json: bool) -> None:
    if as_json:
        _json([r.as_json() for r in found])
        return
    for r in found:
        out.print(f"{r.arxiv or '#' + str(r.id):<12} {r.year or '':<5} {r.title}", markup=False)
        for reason in r.reasons:
            out.print(f"  [dim]{esc(reason)}[/dim]")


@papers_app.command("show")
def papers_show(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="arXiv id/URL, DOI, #id …")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show one paper and every review of it."""
    from nonmun.catalog.lookup import find_paper
    from nonmun.pages.addresses import Addresses
    from nonmun.pages.items import to_json
    from nonmun.pages.paper import paper_page

    with _reading(ctx) as session:
        paper = find_paper(session, ident)
        data = to_json(paper_page(session, paper, Addresses.load(session, also=[paper.id])))
    if as_json:
        _json(data)
        return
    _print_paper(data)


def _print_paper(data: dict[str, Any]) -> None:
    paper = data["paper"]
    out.print(f"[bold]{esc(paper['title'])}[/bold]")
    if data["provisional"]:
        out.print("[yellow]provisional: named in a review, not yet in the catalog[/yellow]")
    out.print(", ".join(paper["authors"]) or "(authors unknown)", markup=False)
    facts = [
        f"arXiv:{paper['arxiv']}" if paper["arxiv"] else "",
        str(paper["year"] or ""),
        data["venue"] or "",
        " ".join(data["categories"]),
    ]
    out.print(" · ".join(f for f in facts if f), markup=False)
    if data["aliases"]:
        out.print("also known as: " + ", ".join(data["aliases"]), markup=False)
    for link in data["links"]:
        out.print(f"  {link['name']}: {link['url']}", markup=False)
    if data["abstract"]:
        out.print(f"\n{data['abstract']}", markup=False)
    out.print(f"\nReviews ({len(data['reviews'])}):")
    for each in data["reviews"]:
        r = each["review"]
        authors = ", ".join(a["name"] for a in r["authors"])
        facts = [r["ref"], r["source"]["name"], authors, r["date"]]
        line = " · ".join(f for f in facts if f)
        out.print(f"  {each['role']:<9} {line}: {r['title']}", markup=False)
    if data["reviews"]:
        out.print(f"[dim]  {command_name()} reviews show #ID shows one whole[/dim]")


@papers_app.command("list")
def papers_list(
    ctx: typer.Context,
    years: Annotated[str | None, typer.Option(help="2019, 2019:2021, 2019: or :2021.")] = None,
    category: Annotated[
        str | None, typer.Option(help="arXiv category or group (cs.CV, cs.).")
    ] = None,
    author: Annotated[str | None, typer.Option(help="Part of an author's name.")] = None,
    alias: Annotated[str | None, typer.Option(help="A nickname, e.g. ViT.")] = None,
    reviewed: Annotated[bool, typer.Option("--reviewed", help=REVIEWED_HELP)] = False,
    source: Annotated[str | None, typer.Option(help=SOURCE_HELP)] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List papers, newest first, with filters."""
    from nonmun.catalog.lookup import (
        PaperFilter,
        count_matching,
        list_papers,
        paper_dict,
        parse_years,
    )

    start, end = parse_years(years)
    flt = PaperFilter(start, end, category, author, alias, limit, offset, reviewed, source)
    with _reading(ctx) as session:
        rows = [paper_dict(p) for p in list_papers(session, flt)]
        total = count_matching(session, flt)
    if as_json:
        _json(rows)
        return
    for row in rows:
        ident = row["arxiv"] or row["doi"] or f"#{row['id']}"
        first = (
            row["authors"][0] + (" et al." if len(row["authors"]) > 1 else "")
            if row["authors"]
            else ""
        )
        mark = " (provisional)" if row["provisional"] else ""
        line = f"{ident:<16} {row['year'] or '':<5} {esc(row['title'])}"
        out.print(f"{line}  [dim]{esc(first + mark)}[/dim]")
    _print_count(len(rows), total, offset, "paper")


@papers_app.command("export")
def papers_export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="bibtex or csl-json.")] = "bibtex",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File (default: stdout).")
    ] = None,
    years: Annotated[str | None, typer.Option(help="2019, 2019:2021, 2019: or :2021.")] = None,
    category: Annotated[
        str | None, typer.Option(help="arXiv category or group (cs.CV, cs.).")
    ] = None,
    author: Annotated[str | None, typer.Option(help="Part of an author's name.")] = None,
    reviewed: Annotated[bool, typer.Option("--reviewed", help=REVIEWED_HELP)] = False,
    source: Annotated[str | None, typer.Option(help=SOURCE_HELP)] = None,
    limit: Annotated[int, typer.Option(min=1)] = 1_000_000,
) -> None:
    """Export papers as BibTeX or CSL-JSON (Zotero, Pandoc, LaTeX)."""
    from nonmun.catalog import bibtex
    from nonmun.catalog.lookup import PaperFilter, list_papers, parse_years

    if fmt not in ("bibtex", "csl-json"):
        raise NonmunError("--format must be bibtex or csl-json", source=fmt)
    start, end = parse_years(years)
    with _reading(ctx) as session, err.status("exporting…"):
        flt = PaperFilter(start, end, category, author, None, limit, 0, reviewed, source)
        papers = list_papers(session, flt)
        papers.reverse()
        text = (
            bibtex.write_bibtex(papers)
            if fmt == "bibtex"
            else orjson.dumps(bibtex.csl_json(papers), option=orjson.OPT_INDENT_2).decode() + "\n"
        )
    files.write_output(output, text)
    if output is not None and str(output) != "-":
        err.print(f"{len(papers)} paper(s) written to {output}")


@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(help="Pages (text or HTML), feeds, OPML lists, Markdown folders, or URLs."),
    ],
    shape: Annotated[
        str | None,
        typer.Option("--as", help="Force a shape: listing, category, newsletter, digest."),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            help="Source name (default: a feed's or site's own name; for a text page, which "
            "names none, the URL's host or the file's name)."
        ),
    ] = None,
) -> None:
    """Import reviews from pages and link them to the hub's papers."""
    from nonmun.ingest.importer import import_paths

    with _hub(ctx, write=True) as hub, err.status("importing…") as status:
        report = import_paths(
            hub, list(paths), shape=shape, source=source, progress=lambda m: status.update(esc(m))
        )
    for path, found in report.shapes.items():
        out.print(f"{path}: {found}")
    out.print(
        f"{report.imported} imported, {report.updated} updated, {report.unchanged} unchanged, "
        f"{len(report.skipped)} skipped"
    )
    for reason in report.skipped:
        err.print(f"skipped {reason}", markup=False)
    for named, where in report.named.items():
        err.print(
            f"{where} names no blog: its reviews are in source {named!r}; name it with "
            f"`{command_name()} sources rename {shlex.quote(named)} NEW` or --source",
            markup=False,
        )
    if report.skipped:  # 6: some inputs in, some skipped; 2: nothing came in at all
        raise typer.Exit(PARTIAL if report.imported + report.updated + report.unchanged else 2)


@reviews_app.command("list")
def reviews_list(
    ctx: typer.Context,
    source: Annotated[str | None, typer.Option(help="A source: #id, name or its start.")] = None,
    author: Annotated[str | None, typer.Option(help="Part of a writer's name.")] = None,
    tag: Annotated[str | None, typer.Option(help="One of the review's tags.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date on (2023-04-01).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (2023-04-30).")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List reviews, newest first, with their #id and papers."""
    from nonmun.pages.addresses import Addresses
    from nonmun.pages.items import review_item, to_json
    from nonmun.reviews import ReviewFilter, list_reviews, parse_day

    flt = ReviewFilter(
        source, author, tag, parse_day(since, "--since"), parse_day(until, "--until"), limit, offset
    )
    with _reading(ctx) as session:
        found, total = list_reviews(session, flt)
        where = Addresses.load(session)
        rows = [to_json(review_item(r, where)) for r in found]
    if as_json:
        _json({"total": total, "offset": offset, "reviews": rows})
        return
    for row in rows:
        reviewed = [p["ref"] for p in row["papers"] if p["role"] == "reviewed"]
        about = f"  → {', '.join(reviewed[:3])}" if reviewed else ""
        authors = ", ".join(a["name"] for a in row["authors"])
        facts = [row["date"] or "undated", row["source"]["name"], authors]
        line = " · ".join(f for f in facts if f) + about
        out.print(f"{row['ref']:<7} {esc(row['title'])}  [dim]{esc(line)}[/dim]")
    _print_count(len(rows), total, offset, "review")


def _print_count(shown: int, total: int, offset: int, noun: str) -> None:
    """Under a list, on stderr (not the data): "1–50 of 91 papers; --offset 50 for more"."""
    if total == 0:
        err.print(f"no {noun}s" + (" match" if offset == 0 else " there"))
    elif offset + shown < total:
        err.print(
            f"{offset + 1}–{offset + shown} of {total} {noun}s; --offset {offset + shown} for "
            "more (or --limit)"
        )
    else:
        err.print(f"{total} {noun}(s)")


@reviews_app.command("show")
def reviews_show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REVIEW", help="#id or one of its URLs.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show one review whole, with its papers and why.

    Where it is from, its URLs and tags, the papers it links to with role, method,
    confidence and evidence, and its text.
    """
    from nonmun.pages.addresses import Addresses
    from nonmun.pages.items import to_json
    from nonmun.pages.review import page_of_review
    from nonmun.reviews import find_review

    with _reading(ctx) as session:
        review = find_review(session, ref)
        data = to_json(page_of_review(session, review, Addresses.load(session)))
    if as_json:
        _json(data)
        return
    item = data["review"]
    out.print(f"[bold]{esc(item['title'])}[/bold]")
    by = ", ".join(a["name"] for a in item["authors"])
    facts = [item["ref"], item["date"] or "undated", by, item["source"]["name"]]
    out.print(" · ".join(f for f in facts if f), markup=False)
    for url in data["originals"]:
        out.print(f"  {url}", markup=False)
    if item["tags"] or data["category"]:
        where = f"  ({data['category']['name']})" if data["category"] else ""
        out.print("tags: " + ", ".join(t["name"] for t in item["tags"]) + where, markup=False)
    papers = item["papers"] + data["suggestions"]
    out.print(f"\nPapers ({len(papers)}):")
    for p in papers:
        kind = "suggested" if p["suggestion"] else p["role"]
        out.print(f"  {kind:<9} {p['ref']:<12} {p['title']}", markup=False)
        why = f"{p['method']} {p['confidence']:.2f}: “{p['evidence'][:80]}”"
        out.print(f"            [dim]{esc(why)}[/dim]")
    out.print(f"\n{data['body']}", markup=False)


@sources_app.command("list")
def sources_list(
    ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """Every source, with its #id, kind and counts."""
    from nonmun.sources import list_sources

    with _reading(ctx) as session:
        found = list_sources(session)
    if as_json:
        _json([s.as_json() for s in found])
        return
    for s in found:
        facts = f"{s.kind} · {s.reviews} review(s) · {s.digests} digest(s) {s.url or ''}"
        out.print(f"#{s.id:<5} {esc(s.name)}  [dim]{esc(facts)}[/dim]")
    _print_count(len(found), len(found), 0, "source")


@sources_app.command("rename")
def sources_rename(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="SOURCE", help="#id, name or its start.")],
    name: Annotated[str, typer.Argument(help="The new name.")],
) -> None:
    """Rename a source (its reviews stay as they are)."""
    from nonmun.sources import rename_source

    with _hub(ctx, write=True) as hub, hub.session() as session:
        old = rename_source(session, ref, name)
        out.print(f"#{old.id} is now named {old.name}")


@sources_app.command("remove")
def sources_remove(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="SOURCE", help="#id, name or its start.")],
    yes: Annotated[bool, typer.Option("--yes", help="Remove without asking.")] = False,
) -> None:
    """Remove a source with its reviews and digests."""
    from nonmun.sources import find_source, remove_source

    with _hub(ctx, write=True) as hub, hub.session() as session:
        source = find_source(session, ref)
        if not yes and not typer.confirm(f"remove {source.name} and its reviews?", err=True):
            raise typer.Exit(1)
        name, count = remove_source(session, ref)
    out.print(f"removed {name} and {count} review(s)")


@reviews_app.command("delete")
def reviews_delete(
    ctx: typer.Context,
    refs: Annotated[list[str], typer.Argument(metavar="REVIEW…", help="#id or URL.")],
) -> None:
    """Delete reviews, with their links and search entries."""
    from nonmun.reviews import delete_reviews, find_review

    with _hub(ctx) as hub, hub.session() as session:
        done = delete_reviews(session, [find_review(session, ref) for ref in refs])
    out.print(f"{done} review(s) deleted")


ReviewArg = Annotated[str, typer.Argument(metavar="REVIEW", help="#id or one of its URLs.")]
PaperArg = Annotated[str, typer.Argument(metavar="PAPER", help="arXiv id, DOI or #id.")]
RoleOption = Annotated[str | None, typer.Option("--role", help="reviewed or mentioned.")]


@links_app.command("show")
def links_show(ctx: typer.Context, ref: ReviewArg) -> None:
    """A review's links: evidence, method, confidence, decisions."""
    from nonmun.linking.decisions import review_links
    from nonmun.reviews import find_review

    with _reading(ctx) as session:
        review = find_review(session, ref)
        out.print(f"#{review.id} {review.title}", markup=False)
        for link in review_links(session, review):
            paper = link.paper
            ident = paper.arxiv_id or paper.doi or f"#{paper.id}"
            role = link.role or "rejected"
            sure = f"{link.confidence:.2f}" if link.confidence is not None else "    "
            by = f" [{link.decision}ed by a person]" if link.decision else ""
            out.print(f"  {role:<9} {sure} {ident:<16} {paper.title}{by}", markup=False)
            if link.evidence:
                out.print(f"            [dim]{esc(link.method)}: “{esc(link.evidence[:80])}”[/dim]")


def _decide(ctx: typer.Context, review_ref: str, paper_ref: str, decision: str,
            role: str | None) -> None:  # fmt: skip
    from nonmun.catalog.lookup import find_paper
    from nonmun.linking.decisions import decide
    from nonmun.reviews import find_review

    with _hub(ctx) as hub, hub.session() as session:
        review, paper = find_review(session, review_ref), find_paper(session, paper_ref)
        decide(session, review, paper, decision, role)
        title = paper.title
    out.print(f"#{review.id} → {title}: {decision}ed" + (f" as {role}" if role else ""))


@links_app.command("confirm")
def links_confirm(ctx: typer.Context, review: ReviewArg, paper: PaperArg,
                  role: RoleOption = None) -> None:  # fmt: skip
    """Confirm a review's link or suggestion (in its role, or --role)."""
    _decide(ctx, review, paper, "confirm", role)


@links_app.command("reject")
def links_reject(ctx: typer.Context, review: ReviewArg, paper: PaperArg) -> None:
    """Reject a link: re-linking never brings it back."""
    _decide(ctx, review, paper, "reject", None)


@links_app.command("add")
def links_add(ctx: typer.Context, review: ReviewArg, paper: PaperArg,
              role: RoleOption = None) -> None:  # fmt: skip
    """Link a paper the linker missed (--role reviewed or mentioned)."""
    _decide(ctx, review, paper, "add", role)


@app.command("search")
def search_query(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(metavar="WORDS", help="Words in any language, or an arXiv id/DOI."),
    ],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    years: Annotated[str | None, typer.Option(help="2019, 2019:2021, 2019: or :2021.")] = None,
    author: Annotated[str | None, typer.Option(help="A paper's author or a review's.")] = None,
    tag: Annotated[str | None, typer.Option(help="Reviews with this tag.")] = None,
    category: Annotated[
        str | None, typer.Option(help="Papers in this arXiv category or group (cs.CV, cs.).")
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="Reviews from this source (#id, name or its start).")
    ] = None,
    lang: Annotated[
        str | None, typer.Option(help="Reviews in this language (ko, en, zh, ja).")
    ] = None,
    reviewed: Annotated[bool, typer.Option(help="Only papers that have reviews.")] = False,
    kind: Annotated[Kind | None, typer.Option(help="Only papers, or only reviews.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 10,
) -> None:
    """Search papers and reviews; Korean and English queries find both."""
    from nonmun.catalog.lookup import parse_years
    from nonmun.search.query import SearchFilter, search

    start, end = parse_years(years)
    what = kind.value if kind else None
    where = SearchFilter(start, end, author, tag, category, source, lang, reviewed, what, limit)
    with _reading(ctx) as session:
        hits = search(session, " ".join(words), where)
    if as_json:
        _json([h.as_json() for h in hits])
        return
    if not hits:
        out.print("no results")
    for h in hits:
        ref = (h.arxiv or f"#{h.id}") if h.kind == "paper" else f"#{h.id} {h.source or ''}"
        reviews = f"{h.reviews} review(s)" if h.kind == "paper" and h.reviews else ""
        facts = " · ".join(str(f) for f in (h.kind, ref.strip(), h.year, reviews) if f)
        out.print(f"[bold]{esc(h.title)}[/bold]  [dim]{esc(facts)}[/dim]")
        marked = h.snippet.replace("[", "\\[")
        out.print("  " + re.sub(r"\*\*(.+?)\*\*", r"[bold yellow]\1[/bold yellow]", marked))


@app.command("reindex")
def search_reindex(ctx: typer.Context) -> None:
    """Rebuild the search index and the linker's titles."""
    from nonmun.linking.titles import rebuild
    from nonmun.search.index import reindex

    with _hub(ctx, write=True) as hub, hub.session() as session, err.status("indexing…") as bar:
        count = reindex(session, lambda done, total: bar.update(f"indexing {done} of {total}"))
        bar.update("the linker's titles")
        titles = rebuild(session.connection())
    out.print(f"{count} documents indexed; {titles} papers' titles for the linker")


@export_app.command("markdown")
def export_markdown(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="Folder to write (replaced if an export).")],
) -> None:
    """The whole hub as Markdown files with front matter.

    `nonmun import DIR` restores it.
    """
    from nonmun.ingest.archive import export_markdown as export

    with _reading(ctx) as session, err.status("exporting…") as bar:
        summary = export(session, directory, lambda message: bar.update(esc(message)))
    out.print(
        f"{summary.papers} papers, {summary.reviews} reviews, {summary.digests} digests "
        f"written to {directory}"
    )


@digest_app.command("new")
def digest_new(
    ctx: typer.Context,
    week: Annotated[str, typer.Option(help="2023-W17 or '2023년 4월 4주차'.")],
    by: Annotated[str, typer.Option(help="Order entries by date, editor or tag.")] = "date",
    title: Annotated[str | None, typer.Option(help="Default: the site's title and week.")] = None,
) -> None:
    """Gather a week's reviews and notes into a draft digest."""
    from nonmun.digests.issues import new_digest
    from nonmun.digests.weeks import parse_week

    settings = _settings(ctx)
    when = parse_week(week)
    name = title or f"[{when.korean_short}] {settings.site_title}"
    with _hub(ctx, write=True) as hub, hub.session() as session:
        draft = new_digest(session, when, name, by)
    out.print(f"#{draft.id} {draft.title}: a draft of {draft.entries} entries ({when.iso})")
    err.print(f"edit it with `{command_name()} digest edit #{draft.id} --intro-file FILE`, "
              f"then `{command_name()} digest publish #{draft.id}`")  # fmt: skip


@digest_app.command("list")
def digest_list(ctx: typer.Context) -> None:
    """Every digest, newest first, with its #id, week and state."""
    from nonmun.digests.issues import list_digests
    from nonmun.digests.weeks import Week

    with _reading(ctx) as session:
        for d in list_digests(session):
            week = Week.of(d.period_start).iso if d.period_start else "undated"
            line = f"{week} · {d.status} · {len(d.reviews)} entries"
            out.print(f"#{d.id:<5} {esc(d.title)}  [dim]{line}[/dim]")


@digest_app.command("edit")
def digest_edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="DIGEST", help="#id.")],
    title: Annotated[str | None, typer.Option(help="A new title.")] = None,
    intro: Annotated[str | None, typer.Option(help="The introduction (Markdown).")] = None,
    intro_file: Annotated[
        Path | None, typer.Option(help="The introduction from a Markdown file (- for stdin).")
    ] = None,
    editor: Annotated[list[str] | None, typer.Option(help="An editor (repeat for more).")] = None,
) -> None:
    """Change a digest's title, introduction or editors."""
    from nonmun import files
    from nonmun.digests.issues import edit_digest, find_digest

    text = intro
    if intro_file is not None:
        text = sys.stdin.read() if str(intro_file) == "-" else files.read_text(intro_file)
    with _hub(ctx, write=True) as hub, hub.session() as session:
        digest = edit_digest(
            session, find_digest(session, ref), title=title, intro=text, editors=editor
        )
        out.print(f"#{digest.id} {digest.title} ({digest.status})", markup=False)


@digest_app.command("publish")
def digest_publish(
    ctx: typer.Context, ref: Annotated[str, typer.Argument(metavar="DIGEST", help="#id.")]
) -> None:
    """Make a draft digest part of the site (at the next build)."""
    from nonmun.digests.issues import find_digest, publish_digest

    with _hub(ctx, write=True) as hub, hub.session() as session:
        digest = publish_digest(session, find_digest(session, ref))
        out.print(f"#{digest.id} {digest.title}: published", markup=False)


@digest_app.command("render")
def digest_render(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="DIGEST", help="#id.")],
    fmt: Annotated[str, typer.Option("--format", help="md, html or email.")] = "md",
    output: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Write a digest as Markdown, a web page or e-mail-ready HTML."""
    from nonmun import files
    from nonmun.digests.issues import find_digest
    from nonmun.digests.render import render_digest

    with _reading(ctx) as session:
        text = render_digest(session, find_digest(session, ref), _settings(ctx), fmt)
    files.write_output(output, text)


@app.command()
def build(
    ctx: typer.Context,
    directory: Annotated[
        Path | None, typer.Argument(help="Folder to write the site in (default: HUB/site).")
    ] = None,
    all_papers: Annotated[
        bool, typer.Option("--all-papers", help="A page for every paper, not only reviewed ones.")
    ] = False,
    clean: Annotated[
        bool, typer.Option("--clean", help="Render every page, not only those that changed.")
    ] = False,
) -> None:
    """Publish the hub as a static site."""
    from nonmun.site.manifest import state_of

    settings = _settings(ctx)
    target = directory or settings.hub / "site"
    with _reading(ctx) as session, err.status("building…") as bar:
        state = state_of(session, settings, target, all_papers)
        if state.unchanged and not clean:
            out.print(f"nothing changed since the last build of {target}")
            return
        from nonmun.site.build import build_site  # the page layer: only when there is work

        done = build_site(
            session,
            settings,
            target,
            all_papers=all_papers,
            clean=clean,
            progress=lambda m: bar.update(m),
            state=state,
        )
    if done.unchanged:
        out.print(f"nothing changed since the last build of {target}")
        return
    out.print(
        f"{done.pages} pages ({done.reviews} reviews, {done.papers} papers) in {target}; "
        f"{done.rendered} written, the others as before"
    )


@app.command()
def preview(
    ctx: typer.Context,
    directory: Annotated[
        Path | None, typer.Argument(help="The built site (default: HUB/site).")
    ] = None,
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
) -> None:
    """Serve a built site on this machine to look at it."""
    from nonmun.site.preview import serve

    serve(directory or _settings(ctx).hub / "site", port, out.print)


@app.command()
def link(
    ctx: typer.Context,
    jsonl: Annotated[
        Path | None, typer.Option("--jsonl", help='Input: {"id", "text"} per line.')
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--out", help="Output: the papers of each text.")
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="Link every review of the hub again, keeping decisions.")
    ] = False,
) -> None:
    """Link texts in batch (JSON lines), or every review again (--all).

    --jsonl is a stable interface for scripts. --all links every review of the hub
    against the catalog as it is now; a person's decisions on links stand.
    """
    if every:
        from nonmun.linking.mentions import relink_hub

        with _hub(ctx) as hub, err.status("linking every review…"), hub.session() as session:
            changed = relink_hub(session)
        out.print(f"{changed} review(s) linked differently")
        return
    if jsonl is None or output is None:
        raise InputError("give --jsonl FILE and --out FILE, or --all")
    from nonmun.linking.batch import link_jsonl

    with _reading(ctx) as session, err.status("linking…"):
        count = link_jsonl(session, jsonl, output)
    err.print(f"{count} text(s) linked to {output}")


@eval_app.command("search")
def eval_search(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help='Labeled queries: {"query", "relevant"} lines.')],
    show_misses: Annotated[bool, typer.Option("--misses", help="List imperfect queries.")] = False,
) -> None:
    """nDCG@10 and Recall@10 of search on labeled queries."""
    from nonmun.search.evaluate import evaluate_search

    with _reading(ctx) as session, err.status("searching…"):
        scores = evaluate_search(session, file)
    out.print(f"{scores.count} queries  nDCG@10 {scores.ndcg:.3f}  Recall@10 {scores.recall:.3f}")
    for name, (ndcg, recall, n) in [*scores.by_type.items(), *scores.by_lang.items()]:
        out.print(f"  {name:<10} {n:>4} queries  nDCG@10 {ndcg:.3f}  Recall@10 {recall:.3f}")
    if scores.unjudged:
        out.print(f"  {scores.unjudged} queries left out: none of their papers is in this hub")
    if show_misses:
        for miss in scores.misses:
            out.print(f"  {miss}")


@eval_app.command("links")
def eval_links(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Labeled texts, as in links-dev.jsonl.")],
    show_errors: Annotated[bool, typer.Option("--errors", help="List misses.")] = False,
) -> None:
    """Precision and recall of the linker, per role."""
    from nonmun.linking.batch import evaluate_file

    with _reading(ctx) as session, err.status("linking the labeled texts…"):
        result = evaluate_file(session, file)
    for role, sc in result.scores.items():
        out.print(
            f"{role:<9} precision {sc.precision:.3f}  recall {sc.recall:.3f}  "
            f"({sc.true_positive} right of {sc.predicted} found, {sc.expected} labeled)"
        )
    if show_errors:
        for line in result.errors:
            out.print(f"  {line}")


GLOBAL_OPTIONS = ("--hub", "--database-url")


def global_options_first(args: list[str]) -> list[str]:
    """``--hub`` and ``--database-url`` may come anywhere (``nonmun papers show X --hub H``):
    move them before the command, where the app reads them."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS and "=" in arg:
            front.append(arg)
        elif name in GLOBAL_OPTIONS and i + 1 < len(args):
            front += args[i : i + 2]
            i += 1
        else:
            rest.append(arg)
        i += 1
    return front + rest


def main() -> None:
    """Entry point: run the app, turning nonmun's errors into one line and an exit status."""
    # SQLAlchemy logs, with a traceback, a connection it could not reset: a Ctrl-C that
    # lands while the pool resets one, for instance. The connection is dropped and what
    # failed is raised as usual, so the user gets nonmun's one line, not the log's dump.
    logging.getLogger("sqlalchemy").addHandler(logging.NullHandler())
    try:
        app(args=global_options_first(sys.argv[1:]), prog_name="nonmun")
        sys.stdout.flush()
    except NonmunError as exc:
        err.print(f"error: {exc}", markup=False)
        sys.exit(exc.exit_code)
    except BrokenPipeError:  # JSON written straight to stdout, read by `head`
        out.on_broken_pipe()
