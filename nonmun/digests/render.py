"""One digest on its own: as Markdown, as a web page, or as an e-mail.

The page is the site's digest page with links to the site's address; the e-mail
is its own template (``digest_email.html``): tables for layout, 600 px wide, no
script, every style inlined by css-inline, because mail programs drop style sheets.
"""

from __future__ import annotations

import css_inline
from sqlalchemy.orm import Session

from nonmun.config import Settings
from nonmun.db.schema import Digest
from nonmun.errors import InputError
from nonmun.pages.addresses import Addresses
from nonmun.pages.digest import DigestPage, digest_page
from nonmun.pages.render import Renderer, Site
from nonmun.pages.words import long_date

FORMATS = ("md", "html", "email")


def render_digest(session: Session, digest: Digest, settings: Settings, fmt: str) -> str:
    """``digest`` as ``md``, ``html`` or ``email``."""
    if fmt not in FORMATS:
        raise InputError(f"--format must be one of {', '.join(FORMATS)}", source=fmt)
    site = Site.of(settings)
    where = Addresses.load(session)
    if digest.id not in where.digests:
        where.digests[digest.id] = f"digests/draft-{digest.id}/"
    page = digest_page(session, digest, where)
    if fmt == "md":
        return markdown(digest, page, site)
    renderer = Renderer(site, settings.hub)
    if fmt == "html":
        return renderer.render("digest.html", page.url, absolute=True, page=page)
    html = renderer.render("digest_email.html", page.url, absolute=True, page=page)
    return str(css_inline.inline(html))


def markdown(digest: Digest, page: DigestPage, site: Site) -> str:
    """The issue as Markdown: its title, when and who, the introduction, every entry."""
    lines = [f"# {page.title}", ""]
    when = long_date(page.start, site.language) if page.start else ""
    editors = ", ".join(e.name for e in page.editors)
    facts = " · ".join(f for f in (page.label, when, editors) if f)
    if facts:
        lines += [f"*{facts}*", ""]
    if digest.intro.strip():
        lines += [digest.intro.strip(), ""]
    for entry, review in zip(page.entries, digest.reviews, strict=True):
        lines += [f"## {entry.review.title}", ""]
        if entry.review.authors:
            lines += ["*" + ", ".join(a.name for a in entry.review.authors) + "*", ""]
        lines += [review.body.strip(), "", f"<{site.base_url}{entry.review.url}>", ""]
    return "\n".join(lines).rstrip() + "\n"
