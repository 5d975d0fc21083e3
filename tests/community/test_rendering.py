"""Markdown -> sanitised HTML: the formatting a guide needs survives, anything executable does not."""

import pytest

from community.rendering import render_markdown


def test_keeps_headings_lists_code_links_and_tables():
    html = render_markdown(
        "# Title\n\n## Section\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n"
        "Some `inline()` code and **bold** and *em*.\n\n"
        "```python\nx = 1 < 2\n```\n\n"
        "[PyTorch](https://pytorch.org/) and <https://example.org>\n\n"
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n"
        "> quoted\n"
    )
    assert "<h1>Title</h1>" in html and "<h2>Section</h2>" in html
    assert "<ul>" in html and "<li>one</li>" in html and "<ol>" in html
    assert "<code>inline()</code>" in html and "<strong>bold</strong>" in html and "<em>em</em>" in html
    assert '<div class="codehilite"><pre>' in html and "&lt;" in html
    assert '<a href="https://pytorch.org/" rel="nofollow noopener noreferrer">PyTorch</a>' in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">' in html
    assert "<table>" in html and '<th align="left">a</th>' in html and '<td align="right">2</td>' in html
    assert "<blockquote>" in html


@pytest.mark.parametrize(
    "markdown, forbidden",
    [
        ("<script>alert(1)</script>", ["<script", "alert(1)"]),
        ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", ["<script", "evil.example"]),
        ('<img src=x onerror="alert(1)">', ["onerror"]),
        ('<a href="javascript:alert(1)">x</a>', ["javascript:"]),
        ("[click](javascript:alert(1))", ["javascript:"]),
        ("[click](JaVaScRiPt:alert(1))", ["javascript:", "JaVaScRiPt"]),
        ("[click](vbscript:msgbox(1))", ["vbscript:"]),
        ("[click](data:text/html;base64,PHNjcmlwdD4=)", ["data:"]),
        ("![x](javascript:alert(1))", ["javascript:"]),
        ('<div style="background:url(x)" onclick="alert(1)">d</div>', ["style=", "onclick"]),
        ("<iframe src=https://evil.example></iframe>", ["<iframe"]),
        ("<svg onload=alert(1)>", ["<svg", "onload"]),
        ("<object data=x></object><embed src=x>", ["<object", "<embed"]),
        ("<form action=https://evil.example><input name=a></form>", ["<form", "<input"]),
        ('<a href="https://ok.example" onmouseover="alert(1)">x</a>', ["onmouseover"]),
        ("<style>body{display:none}</style>", ["<style", "display:none"]),
        ('<h2 id="main">clobber</h2>', ['id="main"']),
        ("<!-- secret comment -->", ["secret comment"]),
        ("# H {: onclick=alert(1) }", ["<h1 onclick"]),  # no attr_list extension
    ],
)
def test_strips_anything_executable(markdown, forbidden):
    html = render_markdown(markdown)
    for needle in forbidden:
        assert needle.lower() not in html.lower(), html


def test_latex_is_left_as_text_for_katex():
    html = render_markdown("Loss $\\mathcal{L} = a*b*c$ and\n\n$$\\sum_{i=1}^n x_i * w_i$$\n\nand \\(y_1\\).")
    assert '<span class="math math-inline">$\\mathcal{L} = a*b*c$</span>' in html
    assert '<span class="math math-display">$$\\sum_{i=1}^n x_i * w_i$$</span>' in html
    assert '<span class="math math-inline">\\(y_1\\)</span>' in html
    assert "<em>" not in html  # the asterisks inside the formulas were not read as emphasis


def test_math_is_escaped_and_dollar_amounts_are_not_math():
    html = render_markdown("Costs $5 and $6. Formula $a<b$.")
    assert "$5 and $6" in html
    assert '<span class="math math-inline">$a&lt;b$</span>' in html


def test_math_inside_code_is_left_as_code():
    html = render_markdown("`$x$` and\n\n```\n$y*z*$\n```\n")
    assert "<code>$x$</code>" in html
    assert "math" not in html


def test_a_forged_placeholder_does_nothing():
    html = render_markdown("mathdeadbeefdeadbeefx0x and $x$")
    assert "mathdeadbeefdeadbeefx0x" in html


def test_heading_offset_demotes_headings():
    html = render_markdown("# One\n\n###### Six", heading_offset=1)
    assert "<h2>One</h2>" in html and "<h6>Six</h6>" in html and "<h1>" not in html


@pytest.mark.parametrize("empty", ["", None])
def test_empty_input_is_empty_output(empty):
    assert render_markdown(empty) == ""
