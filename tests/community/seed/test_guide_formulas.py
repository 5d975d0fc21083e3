"""Every formula of every guide, in both languages, is rendered by KaTeX itself (the vendored copy,
run by node) exactly as the guide page will hand it over; a parse error fails the test."""

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

from community.rendering import render_markdown

GUIDES = Path(settings.BASE_DIR) / "community" / "seed" / "guides"
KATEX = Path(settings.BASE_DIR) / "static" / "vendor" / "katex" / "katex.min.js"
SPAN = re.compile(r'<span class="math (math-display|math-inline)">(.*?)</span>', re.DOTALL)

RENDER_ALL = """
const katex = require(process.argv[1]);
const formulas = JSON.parse(require("fs").readFileSync(0, "utf8"));
const failures = [];
for (const [where, tex, display] of formulas) {
  try { katex.renderToString(tex, {displayMode: display, throwOnError: true, strict: "error"}); }
  catch (err) { failures.push(`${where}: ${tex}\\n  ${err.message}`); }
}
console.log(JSON.stringify({rendered: formulas.length - failures.length, failures}));
"""


def _formulas():
    for path in sorted(GUIDES.glob("*/*.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[2]  # after the front matter
        for kind, source in SPAN.findall(str(render_markdown(body))):
            source = html.unescape(source)
            display = kind == "math-display"
            tex = source[2:-2] if source.startswith(("$$", "\\[")) else source[1:-1]
            yield f"{path.parent.name}/{path.name}", tex.strip(), display


def test_every_guide_formula_renders_with_katex():
    formulas = list(_formulas())
    assert len(formulas) >= 50  # the guides really carry math (neuron, CNN, RNN, regression ...)
    node = shutil.which("node")
    assert node, "node is needed to run KaTeX"
    out = subprocess.run(
        [node, "-e", RENDER_ALL, str(KATEX)],
        input=json.dumps(formulas),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["failures"] == [], "\n".join(report["failures"])
    assert report["rendered"] == len(formulas)


def test_a_broken_formula_is_caught():
    out = subprocess.run(
        [shutil.which("node"), "-e", RENDER_ALL, str(KATEX)],
        input=json.dumps([["x", "\\frac{1}{", False]]), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert json.loads(out.stdout)["failures"]
