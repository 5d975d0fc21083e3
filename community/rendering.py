"""Markdown written by contributors -> HTML that is safe to put in a page.

Python-Markdown passes raw HTML through, so its output is never trusted: nh3 (ammonia) then keeps only
an allowlist of tags, attributes and URL schemes. LaTeX (`$...$`, `$$...$$`, `\\(...\\)`, `\\[...\\]`) is
lifted out before Markdown runs, so `*` and `_` inside formulas are not read as emphasis, and put back
as escaped text in a `math` span that KaTeX can pick up later.
"""

import html
import re
import secrets

import markdown
import nh3
from pygments.token import STANDARD_TYPES

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
# Never `style` (the strict CSP would block it anyway) and never `id` (a contributor could clobber the
# page's own ids). `class` is not here: see ALLOWED_CLASSES.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}
# Only the classes this renderer itself writes: codehilite's wrapper and Pygments' token classes (and
# `hll`, a highlighted line), and the math spans that static/js/math.js hands to KaTeX. Any other class
# is dropped, so a contributor cannot dress text as the site's own interface (a fake error banner).
ALLOWED_CLASSES = {
    "div": {"codehilite"},
    "span": {name for name in STANDARD_TYPES.values() if name} | {"hll", "math", "math-inline", "math-display"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_MATH = re.compile(
    r"""
    (?P<code>^(?P<fence>```|~~~).*?^(?P=fence)|`[^`\n]+`)   # code is left alone: matched first, kept
    | (?<!\\)\$\$.+?(?<!\\)\$\$          # display: $$ ... $$ (may span lines)
    | \\\[.+?\\\]                      # display: \[ ... \]
    | \\\(.+?\\\)                      # inline: \( ... \)
    | (?<![\\$])\$(?=\S)[^$\n]+?(?<=\S)(?<!\\)\$(?!\d)   # inline: $x$, not "$5 and $6"
    """,
    re.DOTALL | re.VERBOSE | re.MULTILINE,
)


def _protect_math(text: str, nonce: str) -> tuple[str, list[str]]:
    found: list[str] = []

    def stash(match: re.Match) -> str:
        if match.group("code"):
            return match.group(0)
        found.append(match.group(0))
        # Letters and digits only, so Markdown leaves the placeholder alone.
        return f"math{nonce}x{len(found) - 1}x"

    return _MATH.sub(stash, text), found


def _restore_math(rendered: str, found: list[str], nonce: str) -> str:
    def put_back(match: re.Match) -> str:
        index = int(match.group(1))
        if index >= len(found):
            return match.group(0)
        source = found[index]
        display = source.startswith(("$$", "\\["))
        css = "math math-display" if display else "math math-inline"
        return f'<span class="{css}">{html.escape(source, quote=False)}</span>'

    return re.sub(f"math{nonce}x(\\d+)x", put_back, rendered)


def _shift_headings(rendered: str, offset: int) -> str:
    """`<h1>` -> `<h2>` for offset 1 (capped at h6), so a body's headings sit under the page's own h1."""

    def shift(match: re.Match) -> str:
        level = min(int(match.group(2)) + offset, 6)
        return f"<{match.group(1)}h{level}"

    return re.sub(r"<(/?)h([1-6])(?=[\s>])", shift, rendered)


def render_markdown(text: str, *, heading_offset: int = 0) -> str:
    """Markdown (tables, fenced code, highlighted code) -> sanitised HTML; the result is safe to mark safe.

    `heading_offset` demotes headings (1: `#` becomes h2) for bodies shown under a page title.
    """
    if not text:
        return ""
    # A fresh random token per call, so a contributor cannot forge a placeholder.
    nonce = secrets.token_hex(8)
    protected, found = _protect_math(text, nonce)
    rendered = markdown.markdown(
        protected,
        extensions=["tables", "fenced_code", "codehilite", "def_list", "abbr", "sane_lists"],
        extension_configs={
            # Classes, not inline styles: the CSP forbids style attributes; site.css colours them.
            "codehilite": {"guess_lang": False, "css_class": "codehilite"},
            # `align` instead of `style="text-align: ..."` for the same reason.
            "tables": {"use_align_attribute": True},
        },
        output_format="html",
    )
    rendered = _restore_math(rendered, found, nonce)
    if heading_offset:
        rendered = _shift_headings(rendered, heading_offset)
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
