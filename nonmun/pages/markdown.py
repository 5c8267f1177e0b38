"""Review bodies as safe HTML, and their excerpts.

Markdown is read by markdown-it-py (CommonMark, with tables, strikethrough and
footnotes from mdit-py-plugins); code blocks are highlighted here, at build time,
by Pygments (CSS classes, styled by the site's stylesheet); ``$N^2-N$`` and
``$$…$$`` become MathML (latex2mathml), which browsers lay out themselves: no
script, no font download, offline. Raw HTML in a body is kept only as far as nh3
(a maintained sanitiser) allows: no scripts, no event attributes, no
``javascript:`` or ``data:`` links. The math is put in after sanitising, from
placeholders, so that nh3 never needs to allow MathML written by a user.

Excerpts honour a ``<!--more-->`` mark; otherwise they are cut from the plain
text, by characters for Korean and by words for other languages, and never inside
a word (Hugo's CJK summaries, issues #5443 and #1266, cut mid-word or not at all).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from latex2mathml.converter import convert as latex_to_mathml
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

MORE = "<!--more-->"
_MARK = re.compile("[\ue000\ue001]")  # placeholders' brackets: removed from every input
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
_MORE = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
EXCERPT_CHARS = 160  # Korean (and other unspaced-dense scripts): characters
EXCERPT_WORDS = 45  # other languages: words
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id", "class"},
    "img": {"src", "alt", "title", "width", "height"},
    "li": {"id", "class"},
    "sup": {"id", "class"},
    "section": {"class"},
    "hr": {"class"},
    "span": {"class"},
    "code": {"class"},
    "pre": {"class"},
    "div": {"class"},
    "th": {"style"},
    "td": {"style"},
    "ol": {"start"},
}
_TAGS = nh3.ALLOWED_TAGS | {"section"}
_FORMATTER = HtmlFormatter(nowrap=True)


def render(body: str) -> str:
    """The HTML of a Markdown body, sanitised, with code highlighted and math as MathML."""
    maths: list[str] = []
    text = _MARK.sub("", body)
    md = _parser()
    md.options["maths"] = maths  # read by _math during this render
    try:
        raw = md.render(text)
    finally:
        md.options.pop("maths", None)
    clean = nh3.clean(
        raw,
        tags=_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        filter_style_properties={"text-align"},
    )
    return _PLACEHOLDER.sub(lambda m: maths[int(m.group(1))], clean)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "highlight": _highlight})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(dollarmath_plugin, allow_space=False, double_inline=True, renderer=_math_of(md))
    return md


def _math_of(md: MarkdownIt):  # type: ignore[no-untyped-def]
    def _math(content: str, options: dict[str, object]) -> str:
        """MathML for ``content`` (kept aside as a placeholder until after sanitising)."""
        display = bool(options.get("display_mode"))
        try:
            mathml = latex_to_mathml(content, display="block" if display else "inline")
        except Exception:  # latex2mathml raises many kinds on input it cannot read
            mathml = f'<code class="math-error">{html.escape(content)}</code>'
        maths: list[str] = md.options["maths"]
        maths.append(mathml)
        return f"\ue000{len(maths) - 1}\ue001"

    return _math


def _highlight(code: str, lang: str, attrs: str) -> str:
    """Code in a known language as Pygments' spans; anything else escaped as it is."""
    if not lang:
        return ""  # markdown-it escapes it itself
    try:
        lexer = get_lexer_by_name(lang.split()[0], stripnl=False)
    except ClassNotFound:
        return ""
    return str(highlight(code, lexer, _FORMATTER))


def plain_text(body: str) -> str:
    """The words of a Markdown body without markup, code or math (for excerpts, feeds)."""
    tokens = _parser().parse(_MARK.sub("", body))
    blocks = []
    for token in tokens:
        if token.type == "inline" and token.children:
            parts = [
                c.content if c.type in ("text", "code_inline") else " "
                for c in token.children
                if c.type in ("text", "code_inline", "softbreak", "hardbreak")
            ]
            blocks.append("".join(parts))
    return re.sub(r"\s+", " ", " ".join(blocks)).strip()


def excerpt(body: str, language: str | None = None) -> tuple[str, bool]:
    """A summary of ``body`` as plain text, and whether the body goes on after it.

    Up to a ``<!--more-->`` mark when there is one; else the first ``EXCERPT_CHARS``
    characters of Korean or ``EXCERPT_WORDS`` words of other text, ended at a space.
    """
    mark = _MORE.search(body)
    if mark:
        rest = body[mark.end() :].strip()
        return plain_text(body[: mark.start()]), bool(rest)
    text = plain_text(body)
    korean = language == "ko" or (language is None and bool(_HANGUL.search(text)))
    cut = _cut_chars(text, EXCERPT_CHARS) if korean else _cut_words(text, EXCERPT_WORDS)
    return cut, len(cut) < len(text)


def _cut_chars(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = head.rfind(" ")
    return (head[:space] if space > limit // 2 else head).rstrip(" ,.·") + "…"


def _cut_words(text: str, limit: int) -> str:
    words = text.split(" ")
    if len(words) <= limit:
        return text
    return " ".join(words[:limit]).rstrip(" ,.;:") + "…"


def code_css() -> str:
    """Pygments' rules for highlighted code: light, and dark under the reader's scheme."""
    light = HtmlFormatter(style="default").get_style_defs(".body pre")
    dark = HtmlFormatter(style="monokai").get_style_defs(".body pre")
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
