"""Review bodies as safe HTML, and their excerpts.

Markdown is read by cmark-gfm (GitHub's CommonMark parser, through ``cmarkgfm``:
tables, strikethrough, autolinks and footnotes), about 25 times faster than a
parser written in Python; code blocks are highlighted here, at build time, by
Pygments (CSS classes, styled by the site's stylesheet). ``$N^2-N$`` and
``$$…$$`` become MathML (latex2mathml), which browsers lay out themselves: no
script, no font download, offline. The math is taken out before parsing (so that
Markdown never reads ``x_i * y_i`` as emphasis), outside code blocks and code
spans, by pandoc's rule: an opening ``$`` has a non-space on its right, a closing
one a non-space on its left and no digit after it (so "$5 and $10" stays text),
and ``\\$`` is a dollar. Raw HTML in a body is kept only as far as nh3 (a
maintained sanitiser) allows: no scripts, no event attributes, no ``javascript:``
or ``data:`` links. The math is put back after sanitising, from placeholders, so
that nh3 never needs to allow MathML written by a user.

Excerpts honour a ``<!--more-->`` mark; otherwise they are cut from the plain
text, by characters for Korean and by words for other languages, and never inside
a word (Hugo's CJK summaries, issues #5443 and #1266, cut mid-word or not at all).
"""

from __future__ import annotations

import html
import re

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from latex2mathml.converter import convert as latex_to_mathml
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

MORE = "<!--more-->"
_MARK = re.compile("[\ue000\ue001]")  # placeholders' brackets: removed from every input
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
_BLOCK_MATH = re.compile("<p>\ue000(\\d+)\ue001</p>")  # display math alone in its paragraph
_MORE = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_LINE = r"(?:[^$\\\n]|\\.|\n(?![ \t]*\n))"  # in math: no blank line, no unescaped $
_MATH = re.compile(
    rf"(?<!\\)\$\$(?P<display>{_LINE}+?)\$\$"
    rf"|(?<![\\$])\$(?![\s$])(?P<inline>{_LINE}*?[^\s\\$])\$(?!\d)"
)
_CODE_BLOCK = re.compile(r'<pre><code class="language-([^"\s]+)">(.*?)</code></pre>', re.DOTALL)
_NOT_TEXT = re.compile(
    r'<pre>.*?</pre>|<section class="footnotes".*?</section>|\ue000\d+\ue001', re.DOTALL
)
_TAG = re.compile(r"<[^>]*>")
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
_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
_OPTIONS |= Options.CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES  # no obsolete align=
_EXTENSIONS = ["table", "strikethrough", "autolink"]


def render(body: str) -> str:
    """The HTML of a Markdown body, sanitised, with code highlighted and math as MathML."""
    text, maths = _take_math(_MARK.sub("", body))
    raw = _CODE_BLOCK.sub(_highlighted, _markdown(text))
    clean = nh3.clean(
        raw,
        tags=_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        filter_style_properties={"text-align"},
    )
    clean = _BLOCK_MATH.sub(lambda m: _mathml(maths[int(m.group(1))], block=True), clean)
    return _PLACEHOLDER.sub(lambda m: _mathml(maths[int(m.group(1))]), clean)


def _markdown(text: str) -> str:
    return str(cmarkgfm.markdown_to_html_with_extensions(text, _OPTIONS, _EXTENSIONS))


def _take_math(text: str) -> tuple[str, list[tuple[str, bool]]]:
    """``text`` with its math replaced by numbered placeholders, and the math taken
    out: (TeX, whether displayed). Code blocks and code spans are left as they are."""
    maths: list[tuple[str, bool]] = []

    def placeholder(found: re.Match[str]) -> str:
        display = found.group("display")
        maths.append((display, True) if display is not None else (found.group("inline"), False))
        return f"\ue000{len(maths) - 1}\ue001"

    def prose(part: str) -> str:
        pieces, end = [], 0
        for span in _CODE_SPAN.finditer(part):
            pieces += [_MATH.sub(placeholder, part[end : span.start()]), span.group()]
            end = span.end()
        return "".join([*pieces, _MATH.sub(placeholder, part[end:])])

    return "".join(prose(p) if i % 2 == 0 else p for i, p in enumerate(_fenced(text))), maths


def _fenced(text: str) -> list[str]:
    """``text`` cut into prose and fenced code blocks, alternating (prose first)."""
    parts: list[str] = []
    current: list[str] = []
    fence = ""
    for line in text.splitlines(keepends=True):
        mark = _FENCE.match(line)
        if not fence and mark:
            parts.append("".join(current))
            current, fence = [], mark.group(1)
        current.append(line)
        if fence and mark and len(current) > 1 and _closes(mark.group(1), fence, line):
            parts.append("".join(current))
            current, fence = [], ""
    parts.append("".join(current))
    return parts if len(parts) % 2 else [*parts, ""]


def _closes(mark: str, fence: str, line: str) -> bool:
    """Whether ``line``, opening with ``mark``, closes a block opened by ``fence``."""
    return mark[0] == fence[0] and len(mark) >= len(fence) and not line.strip(" `~\n")


def _mathml(math: tuple[str, bool], block: bool = False) -> str:
    """MathML for TeX: a block of its own, or within a line (displayed or not)."""
    tex, display = math
    try:
        mathml = latex_to_mathml(tex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds on input it cannot read
        mathml = f'<code class="math-error">{html.escape(tex)}</code>'
    if block:
        return f'<div class="math block">{mathml}</div>'
    return f'<span class="math {"display" if display else "inline"}">{mathml}</span>'


def _highlighted(block: re.Match[str]) -> str:
    """A code block in a language Pygments knows, as its spans; others as they are."""
    try:
        lexer = get_lexer_by_name(block.group(1), stripnl=False)
    except ClassNotFound:
        return block.group()
    code = highlight(html.unescape(block.group(2)), lexer, _FORMATTER)
    return f'<pre><code class="language-{block.group(1)}">{code}</code></pre>'


def plain_text(body: str) -> str:
    """The words of a Markdown body without markup, code blocks, math or footnotes (for
    excerpts, feeds)."""
    text, _ = _take_math(_MARK.sub("", body))
    words = html.unescape(_TAG.sub("", _NOT_TEXT.sub(" ", _markdown(text))))  # blocks end in \n
    return re.sub(r"\s+", " ", words).strip()


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
