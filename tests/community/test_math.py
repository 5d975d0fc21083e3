"""LaTeX on guide pages: the renderer keeps formulas intact for KaTeX, and KaTeX is shipped with the
site (static/vendor/katex) and loaded from it, never from a CDN."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from community.rendering import render_markdown
from tests.community import factories as f

VENDOR = Path(settings.BASE_DIR) / "static" / "vendor" / "katex"


def test_katex_is_vendored_with_every_font_its_stylesheet_names():
    for name in ("katex.min.js", "katex.min.css", "contrib/auto-render.min.js", "LICENSE"):
        assert (VENDOR / name).is_file(), name
    css = (VENDOR / "katex.min.css").read_text()
    fonts = re.findall(r"url\(([^)]+)\)", css)
    assert fonts, "no fonts referenced"
    for font in fonts:
        # Manifest storage (production) fails collectstatic on a missing file, so each must exist.
        assert (VENDOR / font).is_file(), font
        assert font.endswith(".woff2")


def test_math_js_typesets_only_the_spans_the_renderer_marked():
    source = (Path(settings.BASE_DIR) / "static" / "js" / "math.js").read_text()
    assert "renderMathInElement" in source
    assert "[data-math]" in source and ".math" in source


def test_formulas_keep_their_stars_and_underscores():
    html = render_markdown("Compare $a*b*c$ with $x_1 + y_2$ and *this*.\n\n$$\\sum_i w_i * x_i$$")
    assert '<span class="math math-inline">$a*b*c$</span>' in html
    assert '<span class="math math-inline">$x_1 + y_2$</span>' in html
    assert "<em>this</em>" in html
    assert "<em>" not in html.split("<em>this</em>")[0].split("</span>")[0]


@pytest.mark.django_db
def test_the_guide_page_loads_katex_from_this_site(client):
    guide = f.GuideFactory(body="Energy: $E = mc^2$")
    html = client.get(guide.get_absolute_url()).content.decode()
    for asset in (
        "vendor/katex/katex.min.css",
        "vendor/katex/katex.min.js",
        "vendor/katex/contrib/auto-render.min.js",
        "js/math.js",
    ):
        assert f"{settings.STATIC_URL}{asset}" in html, asset
    assert 'class="prose guide-body" data-math' in html
    assert not re.search(r'(src|href)="(https?:)?//', html.split("<body")[0])  # nothing from elsewhere
