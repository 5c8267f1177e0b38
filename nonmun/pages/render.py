"""Pages to HTML: the Jinja environment the site and the web app share.

Templates are looked up first in the hub's own ``templates/`` folder, then in the
package's (``nonmun/pages/templates``), so a user overrides any template by
dropping a file of the same name into the hub, as Hugo and Pelican allow. Every
link in a page is relative to the page (``root`` leads back to the site's root),
so a site works at any address: a domain, a GitHub Pages project folder, a preview.
A broken template is an error that names the template and its line.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from nonmun.config import Settings
from nonmun.errors import InputError
from nonmun.pages import PACKAGE_TEMPLATES
from nonmun.pages.words import long_date, word


@dataclass(frozen=True)
class Site:
    """What every page needs to know of the site."""

    title: str
    base_url: str  # ends with "/"
    language: str  # of the interface: ko or en
    page_size: int

    @classmethod
    def of(cls, settings: Settings) -> Site:
        base = settings.base_url if settings.base_url.endswith("/") else settings.base_url + "/"
        return cls(settings.site_title, base, settings.ui_language, settings.page_size)


class Renderer:
    """Renders pages with the hub's templates over the package's."""

    def __init__(self, site: Site, hub: Path | None = None) -> None:
        self.site = site
        folders = [hub / "templates"] if hub and (hub / "templates").is_dir() else []
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([*folders, PACKAGE_TEMPLATES]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals["w"] = lambda key: word(key, site.language)
        self.env.filters["long_date"] = lambda day: long_date(day, site.language)
        self.env.filters["role"] = lambda role: word(role, site.language)
        self.env.globals["card"] = self._card
        self._cards: dict[tuple[int, str, str | None, str | None], tuple[Any, Markup]] = {}

    def _card(
        self, review: Any, root: str, role: str | None = None, skip: str | None = None
    ) -> Markup:
        """A review as a card (the ``review_card`` macro of ``_items.html``), rendered once
        for each place it takes in lists: a review shows on a dozen list pages (a paper
        page's card, which leaves out that paper, is made for that page alone).
        Page items are frozen, so the same item at the same depth is the same card; the
        cache holds the item itself, so its ``id`` is not reused while it is cached."""
        macro = self.env.get_template("_items.html").module.review_card  # type: ignore[attr-defined]
        if skip is not None:
            return Markup(macro(review, root, role, skip))
        key = (id(review), root, role, skip)
        cached = self._cards.get(key)
        if cached is None or cached[0] is not review:
            cached = self._cards[key] = (review, Markup(macro(review, root, role, skip)))
        return cached[1]

    def render(self, template: str, path: str, *, absolute: bool = False, **context: Any) -> str:
        """The page at ``path`` (``papers/2010.01412/``) from ``template``; with
        ``absolute``, its links lead to the site's address (a page sent on its own)."""
        depth = path.count("/")
        root = self.site.base_url if absolute else "../" * depth or "./"
        try:
            return self.env.get_template(template).render(
                site=self.site,
                path=path,
                root=root,
                canonical=self.site.base_url + path,
                **context,
            )
        except jinja2.TemplateSyntaxError as exc:
            where = f"{exc.filename or exc.name or template}:{exc.lineno}"
            raise InputError(f"template error: {exc.message}", source=where) from None
        except jinja2.TemplateNotFound as exc:
            raise InputError("template not found", source=str(exc.name)) from None
        except (jinja2.UndefinedError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(
                f"template error: {exc}", source=_template_line(exc, template)
            ) from None


def _template_line(exc: BaseException, template: str) -> str:
    """``file.html:12``: the template frame an error was raised in (Jinja rewrites its
    tracebacks to point at template lines)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else template
