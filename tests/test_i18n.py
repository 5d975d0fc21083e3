"""The site in English and Simplified Chinese.

- Catalogue: every message of locale/zh_Hans/LC_MESSAGES/django.po is translated (not fuzzy, not a
  copy of the English unless allowed below), keeps its placeholders, and the compiled .mo says the
  same as the .po (so a fresh clone serves Chinese without msgfmt).
- Coverage: every string the templates and the Python code mark for translation has a Chinese
  translation at run time, and no template shows text outside the translate tags.
- Pages: the Chinese pages speak Chinese (dates included), the English ones English.
- Language choice: the first visit follows Accept-Language; the footer's switcher (a plain POST form
  to set_language, no JavaScript) stores the choice in a cookie, and the cookie then wins.
"""

import ast
import datetime as dt
import re
from html import unescape
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import engines
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.test import Client
from django.utils import timezone, translation

from tests.community import factories as f
from tests.training.factories import BenchmarkFactory, finished_sweep

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
PO_PATH = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
PYTHON_DIRS = ("community", "training", "alerts", "config")
ZH = "zh-hans"

# Messages whose Chinese is rightly the English: identifiers, units and names that are not translated.
SAME_IN_CHINESE = {"arXiv id", "DOI", "ORCID", "CPU", "English", "%(kib).1f KiB", "ETag", "Last-Modified"}

# Text a template may show outside translate tags: names of things, formats and symbols (N: a count).
UNTRANSLATED_WORDS = {"DeepCommons", "arXiv", "DOI", "PDF", "BibTeX", "ORCID", "UTC", "CSV", "JSON", "N"}

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[-+ #0-9.]*[sdfr]|%%|%s|\{[a-z_]+\}")


@pytest.fixture
def back_to_english():
    """A request under /zh-hans/ leaves Chinese active in the test's thread; later reverse() and
    gettext calls must not inherit it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _catalogue() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def _zh(ctx: str | None, msgid: str, plural: str | None = None) -> str:
    with translation.override(ZH):
        if plural is not None:
            return (
                translation.npgettext(ctx, msgid, plural, 1)
                if ctx
                else translation.ngettext(msgid, plural, 1)
            )
        return translation.pgettext(ctx, msgid) if ctx else translation.gettext(msgid)


# --- the catalogue ------------------------------------------------------------------------------------


def test_every_message_has_a_chinese_translation():
    problems = []
    for entry in _catalogue():
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not all(texts):
            problems.append(f"untranslated: {entry.msgid!r}")
        elif entry.msgid not in SAME_IN_CHINESE and texts[0] == entry.msgid:
            problems.append(f"same as the English: {entry.msgid!r}")
    assert not problems, "\n".join(problems)


def test_translations_keep_the_placeholders_of_the_english():
    # The two exceptions leave out an English model name on purpose (see the kinds' `noun` and
    # `plural` in community/kinds.py for the words they use instead).
    problems = []
    for entry in _catalogue():
        if entry.obsolete or not entry.translated():
            continue
        english = entry.msgid_plural or entry.msgid
        chinese = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
        if sorted(PLACEHOLDER.findall(english)) != sorted(PLACEHOLDER.findall(chinese)):
            problems.append(f"{entry.msgid!r} -> {chinese!r}")
    assert not problems, "\n".join(problems)


def test_the_compiled_catalogue_matches_the_po():
    """The .mo is committed: a clone serves Chinese without gettext installed. It must be current."""
    assert MO_PATH.exists(), "run: manage.py compilemessages -l zh_Hans --ignore=.venv"

    def pairs(catalogue) -> dict:
        found = {}
        for entry in catalogue:
            if entry.obsolete or not entry.msgid or "fuzzy" in entry.flags:
                continue
            found[(entry.msgctxt, entry.msgid)] = (
                tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
                if entry.msgid_plural
                else entry.msgstr
            )
        return found

    assert pairs(polib.mofile(str(MO_PATH))) == pairs(_catalogue()), "compilemessages is out of date"


def test_the_header_declares_chinese_with_one_plural_form():
    metadata = _catalogue().metadata
    assert metadata["Language"] == "zh_Hans"
    assert metadata["Plural-Forms"].startswith("nplurals=1;")
    assert "utf-8" in metadata["Content-Type"].lower()


# --- every marked string is translated ------------------------------------------------------------


def _template_files() -> list[Path]:
    return sorted(path for path in TEMPLATES.rglob("*") if path.suffix in (".html", ".txt"))


def _template_messages(path: Path) -> list[tuple[str | None, str, str | None]]:
    """(context, msgid, plural) for each translate and blocktranslate tag and each _("...") argument,
    exactly as the template looks them up at run time."""
    source = path.read_text(encoding="utf-8")
    template = engines["django"].from_string(source).template
    found = []
    for node in template.nodelist.get_nodes_by_type(TranslateNode):
        var = node.filter_expression.var
        literal = getattr(var, "literal", None)
        if isinstance(literal, str) and not node.noop:
            ctx = node.message_context.var if node.message_context else None
            found.append((ctx, literal.replace("%", "%%"), None))
    for node in template.nodelist.get_nodes_by_type(BlockTranslateNode):
        singular, _vars = node.render_token_list(node.singular)
        plural = node.render_token_list(node.plural)[0] if node.plural else None
        ctx = node.message_context.var if node.message_context else None
        found.append((ctx, singular, plural))
    # _("...") in a filter argument or an include/with value (|date:_("j F Y"), heading=_("Papers")).
    for match in re.finditer(r"""\b_\((?:"([^"]*)"|'([^']*)')\)""", source):
        found.append((None, (match.group(1) or match.group(2)).replace("%", "%%"), None))
    return found


@pytest.mark.parametrize("path", _template_files(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_strings_have_a_chinese_translation(path):
    missing = [
        msgid
        for ctx, msgid, plural in _template_messages(path)
        if msgid.strip() and msgid not in SAME_IN_CHINESE and _zh(ctx, msgid, plural) == msgid
    ]
    assert not missing, "run makemessages and translate: " + "; ".join(map(repr, missing))


_GETTEXT_NAMES = {
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


def _python_messages(path: Path) -> list[tuple[str | None, str, str | None, int]]:
    """(context, msgid, plural, line) of every gettext call with literal arguments in one module,
    `_` included where the module imports a gettext function under that name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in _GETTEXT_NAMES:
                    names[alias.asname or alias.name] = _GETTEXT_NAMES[alias.name]
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names):
            continue
        ctx_at, msgid_at, plural_at = names[node.func.id]

        def literal(index, node=node):
            if index is None or index >= len(node.args):
                return None
            arg = node.args[index]
            return arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None

        msgid = literal(msgid_at)
        if msgid:
            found.append((literal(ctx_at), msgid, literal(plural_at), node.lineno))
    return found


def _python_files() -> list[Path]:
    files = []
    for folder in PYTHON_DIRS:
        files += [
            path
            for path in sorted((ROOT / folder).rglob("*.py"))
            if "migrations" not in path.parts and "reference" not in path.parts
        ]
    return files


def test_python_strings_marked_for_translation_have_a_chinese_translation():
    missing = []
    for path in _python_files():
        for ctx, msgid, plural, line in _python_messages(path):
            if msgid.strip() and msgid not in SAME_IN_CHINESE and _zh(ctx, msgid, plural) == msgid:
                missing.append(f"{path.relative_to(ROOT)}:{line}: {msgid!r}")
    assert not missing, "run makemessages and translate:\n" + "\n".join(missing)


def test_the_python_scan_finds_what_it_should():
    """The scan above would pass on nothing; make sure it reads the modules it is meant to."""
    found = {msgid for path in _python_files() for _ctx, msgid, _plural, _line in _python_messages(path)}
    assert {"Papers", "Pending review", "Reproduced", "Simplified Chinese", "%s (descending)"} <= found
    found = {msgid for path in _template_files() for _ctx, msgid, _plural in _template_messages(path)}
    assert {"Skip to main content", "Filter and sort", "j F Y", "Page %(number)s of %(total)s"} <= found


# --- no visible text outside the translate tags ---------------------------------------------------

_STRIP = [
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S),
    re.compile(r"{#.*?#}", re.S),
    re.compile(r"{%\s*(blocktranslate|blocktrans)\b.*?{%\s*(endblocktranslate|endblocktrans)\s*%}", re.S),
    re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I),
    # CSS classes, not text: those the admin's templates add to <body>, and page.html's head_class.
    re.compile(r"{%\s*block (?:bodyclass|head_class)\s*%}.*?{%\s*endblock\s*%}", re.S),
]
_TAGS = re.compile(r"{%.*?%}|{{.*?}}", re.S)
_VISIBLE_ATTRIBUTES = re.compile(
    r'\b(placeholder|title|alt|aria-label|aria-description)\s*=\s*"([^"]*)"', re.I
)
_ALLOWED = re.compile(r"^(?:[^A-Za-z]|\b(?:" + "|".join(map(re.escape, UNTRANSLATED_WORDS)) + r")\b)*$")
_LITERAL_ARGUMENTS = re.compile(r"""\|(?:default|yesno):("[^"]*"|'[^']*')""")


def _untranslated_text(source: str) -> list[str]:
    """Text with letters a template shows that no translate tag covers (a heuristic)."""
    for pattern in _STRIP:
        source = pattern.sub(" ", source)
    problems = []
    for match in _VISIBLE_ATTRIBUTES.finditer(source):
        problems.append(f"{match.group(1)}={_TAGS.sub(' ', match.group(2)).strip()!r}")
    for match in _LITERAL_ARGUMENTS.finditer(source):
        if re.search(r"[A-Za-z]{2,}\s", match.group(1)):  # words, not 'true,false' or a symbol
            problems.append(f"literal {match.group(0)}")
    text = re.sub(r"<[^>]*>", "\n", _TAGS.sub(" ", source))
    problems += [line.strip() for line in text.splitlines() if line.strip()]
    return [p for p in problems if not _ALLOWED.match(unescape(p.split("=", 1)[-1].strip("'\"")))]


# The API's Swagger UI page: its text is the vendored library's and the schema's, not ours to translate.
_NOT_PORTAL_TEXT = {"api/swagger_ui.html"}


@pytest.mark.parametrize(
    "path",
    [p for p in _template_files() if p.relative_to(TEMPLATES).as_posix() not in _NOT_PORTAL_TEXT],
    ids=lambda p: str(p.relative_to(TEMPLATES)),
)
def test_templates_show_no_text_outside_translate_tags(path):
    assert not _untranslated_text(path.read_text(encoding="utf-8"))


def test_the_untranslated_text_check_catches_what_it_should():
    source = """{% load i18n %}<h1>{% translate "Papers" %}</h1><p>Plain words</p>
      <input placeholder="Type here"><a title="{% translate 'ok' %}">DeepCommons</a>
      {{ value|default:"Nothing here" }} {% blocktranslate %}Covered {{ x }}{% endblocktranslate %}
      <span>arXiv · DOI</span>"""
    assert _untranslated_text(source) == [
        "placeholder='Type here'",
        'literal |default:"Nothing here"',
        "Plain words",
    ]


# --- the pages in each language -------------------------------------------------------------------

DUE = dt.datetime(2031, 3, 5, 14, 30, tzinfo=dt.UTC)


@pytest.fixture
def catalogue(db):
    paper = f.fully_linked_paper()
    deadline = f.linked_deadline(due_at=DUE, timezone_label="UTC", label="")
    guide = f.linked_guide()
    bench = BenchmarkFactory(name="MNIST-1D · MLP")
    sweep = finished_sweep(bench, accs=(0.67, 0.68))
    return {"paper": paper, "deadline": deadline, "guide": guide, "benchmark": bench, "sweep": sweep}


def _page(client, path: str, **headers) -> str:
    response = client.get(path, **headers)
    assert response.status_code == 200, path
    return response.content.decode()


ENGLISH_CHROME = ["Skip to main content", "Search the catalogue", "Log in", "Sign up", "Privacy"]
CHINESE_CHROME = ["跳到主要内容", "搜索目录", "登录", "注册", "隐私", "论文", "会议与期刊", "职位"]


@pytest.mark.usefixtures("back_to_english")
@pytest.mark.parametrize(
    ("path", "chinese", "english"),
    [
        (
            "/zh-hans/",
            ["深度学习社区的知识库", "即将到来的截止日期", "最新论文", "2031年3月5日 14:30"],
            ["Upcoming deadlines", "New papers", "March"],
        ),
        (
            "/zh-hans/papers/",
            ["筛选和排序", "排序方式", "添加日期（降序）", "个结果"],
            ["Filter and sort", "Sort by", "(descending)", " results"],
        ),
        (
            "/zh-hans/results/",
            ["参考结果", "比较多次运行的曲线", "已发布的扫描，按", "最佳种子"],
            ["Reference results", "Compare the curves", "Published sweeps of", "Best seed"],
        ),
        (
            "/zh-hans/deadlines/",
            ["论文提交", "添加到日历", "2031年3月5日 14:30"],
            ["Add to calendar", "Paper", "March"],
        ),
    ],
)
def test_chinese_pages_speak_chinese(client, catalogue, path, chinese, english):
    html = _page(client, path)
    assert '<html lang="zh-hans"' in html
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S))
    for words in CHINESE_CHROME + chinese:
        assert words in text, words
    for words in ENGLISH_CHROME + english:
        assert words not in text, words


@pytest.mark.usefixtures("back_to_english")
def test_a_chinese_guide_page_has_its_interface_in_chinese(client, catalogue):
    guide = catalogue["guide"]
    html = _page(client, f"/zh-hans/guides/{guide.slug}/")
    for words in ["指南", "更新于", "相关条目", "完善此页面", "提出修改建议", "报告问题"]:
        assert words in html, words
    for words in ["Linked items", "Improve this page", "Suggest an edit", "Report a problem", "updated "]:
        assert words not in html, words


def test_the_english_pages_stay_english(client, catalogue):
    html = _page(client, "/")
    assert '<html lang="en"' in html
    for words in ENGLISH_CHROME + ["Upcoming deadlines", "5 March 2031, 14:30"]:
        assert words in html, words
    assert not re.search(r"[\u4e00-\u9fff]", html.replace("简体中文", "")), "Chinese on the English home page"


@pytest.mark.usefixtures("back_to_english")
def test_numbers_are_grouped_the_chinese_way(client, catalogue):
    run = catalogue["sweep"].runs.order_by("seed").first()
    run.n_params = 1234567
    run.save(update_fields=["n_params"])
    assert "1,234,567" in _page(client, f"/zh-hans/results/runs/{run.pk}/")


@pytest.mark.usefixtures("back_to_english")
def test_the_countdown_gets_its_words_from_the_page(client, db):
    assert 'data-closed-text="已截止" data-days-text="%(days)s 天"' in _page(client, "/zh-hans/")
    assert 'data-closed-text="closed" data-days-text="%(days)s d"' in _page(client, "/")


@pytest.mark.usefixtures("back_to_english")
def test_chinese_form_labels_and_errors(client, user):
    client.force_login(user)
    html = _page(client, "/zh-hans/submit/paper/")
    for words in ["会议/期刊", "届次", "主题", "作者"]:
        assert f">{words}" in html, words
    data = {"title": "Attention again", "authors": "Ada Lovelace\n", "year": "2017", "arxiv_id": "not-an-id"}
    html = client.post("/zh-hans/submit/paper/", data).content.decode()
    assert "部分字段需要您注意" in html
    assert "&#x27;not-an-id&#x27; 不是 arXiv 标识符（应形如 1706.03762 或 hep-th/9901001）。" in html
    html = client.post("/zh-hans/submit/paper/", {**data, "year": "1700", "arxiv_id": ""}).content.decode()
    assert "确保该值大于或等于1800。" in html  # Django's own message, in Django's own Chinese


# --- choosing the language ------------------------------------------------------------------------

ACCEPT_CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.5"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/", "/zh-hans/"),
        ("/papers/", "/zh-hans/papers/"),
        ("/papers/?page=2&q=net", "/zh-hans/papers/?page=2&q=net"),
    ],
)
def test_a_first_visit_follows_accept_language(client, path, target):
    response = client.get(path, **ACCEPT_CHINESE)
    assert response.status_code == 302
    assert response["Location"] == target
    assert {"accept-language", "cookie"} <= {v.strip().lower() for v in response["Vary"].split(",")}


@pytest.mark.django_db
@pytest.mark.usefixtures("back_to_english")
def test_zh_hans_in_accept_language_is_understood_too(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-Hans")
    assert response.status_code == 302 and response["Location"] == "/zh-hans/"
    assert '<html lang="zh-hans"' in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_english_readers_and_readers_without_a_preference_get_english(client):
    for headers in ({}, {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.8"}, {"HTTP_ACCEPT_LANGUAGE": "de-DE"}):
        html = _page(client, "/", **headers)
        assert '<html lang="en"' in html


@pytest.mark.django_db
def test_the_stored_choice_wins_over_accept_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en"' in _page(client, "/", **ACCEPT_CHINESE)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = ZH
    response = client.get("/papers/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response["Location"] == "/zh-hans/papers/"


@pytest.mark.django_db
@pytest.mark.usefixtures("back_to_english")
def test_an_address_under_zh_hans_is_served_as_asked(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="zh-hans"' in _page(client, "/zh-hans/papers/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/api/v1/papers/", "application/json"),
        ("/feeds/latest.atom", "application/atom+xml"),
        ("/deadlines.ics", "text/calendar"),
        ("/admin/login/", "text/html"),
        ("/healthz", "application/json"),
    ],
)
def test_unprefixed_addresses_outside_the_portal_never_move(client, path, content_type):
    # Served where asked, in full: not redirected to /zh-hans/ (and not a 404 or 500 either).
    response = client.get(path, **ACCEPT_CHINESE)
    assert response.status_code == 200, (path, response.status_code, response.get("Location"))
    assert response["Content-Type"].startswith(content_type)
    assert not response.has_header("Location")


@pytest.mark.django_db
def test_a_post_is_never_redirected(client):
    response = client.post("/accounts/login/", {"username": "x", "password": "y"}, **ACCEPT_CHINESE)
    assert response.status_code == 200


def _switcher_form(html: str, language: str) -> dict:
    """The footer's form for `language`: its action and the fields a browser would post."""
    for form in re.findall(r"<form\b[^>]*>.*?</form>", html, flags=re.S):
        if f'name="language" value="{language}"' in form:
            action = re.search(r'action="([^"]+)"', form).group(1)
            method = re.search(r'method="([^"]+)"', form).group(1)
            fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
            fields["language"] = language
            assert re.search(r'<button type="submit"[^>]*name="language"', form)
            return {"action": unescape(action), "method": method, "fields": fields}
    raise AssertionError(f"no switcher form for {language}")


@pytest.mark.django_db
@pytest.mark.usefixtures("back_to_english")
def test_the_switcher_works_without_javascript_and_the_choice_sticks():
    browser = Client(enforce_csrf_checks=True)  # a real browser posts the CSRF token; so must we
    html = _page(browser, "/zh-hans/papers/?page=1")
    form = _switcher_form(html, "en")
    assert form["method"] == "post" and form["action"] == "/i18n/setlang/"
    assert form["fields"]["next"] == "/papers/?page=1"

    response = browser.post(form["action"], form["fields"])
    assert response.status_code == 302 and response["Location"] == "/papers/?page=1"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en" and int(cookie["max-age"]) >= 300 * 24 * 3600  # remembered, not per session
    # From now on the English addresses stay English, whatever the browser prefers.
    assert '<html lang="en"' in _page(browser, "/", **ACCEPT_CHINESE)

    # And back: choosing Chinese moves this page and every later bare address to /zh-hans/.
    form = _switcher_form(_page(browser, "/papers/"), ZH)
    response = browser.post(form["action"], form["fields"])
    assert response.status_code == 302 and response["Location"] == "/zh-hans/papers/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == ZH
    later = browser.get("/deadlines/")
    assert later.status_code == 302 and later["Location"] == "/zh-hans/deadlines/"


@pytest.mark.django_db
@pytest.mark.usefixtures("back_to_english")
def test_the_switcher_names_each_language_in_itself_and_marks_the_current_one(client):
    html = _page(client, "/zh-hans/")
    assert '<strong lang="zh-hans" aria-current="true">简体中文</strong>' in html
    assert 'value="en" lang="en">English</button>' in html
    html = _page(client, "/")
    assert '<strong lang="en" aria-current="true">English</strong>' in html
    assert 'value="zh-hans" lang="zh-hans">简体中文</button>' in html
    assert '<link rel="alternate" hreflang="zh-hans" href="/zh-hans/">' in html


def test_the_deadline_dates_use_the_readers_date_format():
    with translation.override(ZH):
        assert (
            engines["django"]
            .from_string('{% load i18n %}{{ d|date:_("j F Y, H:i") }}')
            .render({"d": timezone.make_aware(dt.datetime(2027, 5, 16, 23, 59), dt.UTC)})
            == "2027年5月16日 23:59"
        )
    with translation.override("en"):
        assert (
            engines["django"]
            .from_string('{% load i18n %}{{ d|date:_("j F Y, H:i") }}')
            .render({"d": timezone.make_aware(dt.datetime(2027, 5, 16, 23, 59), dt.UTC)})
            == "16 May 2027, 23:59"
        )
