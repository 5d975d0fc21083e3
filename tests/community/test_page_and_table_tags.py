"""The table tags (community/templatetags/table_tags.py) that the data tables of the site share, and
the page head of templates/page.html (community/templatetags/page_tags.py)."""

import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(source: str, **context) -> str:
    return Template("{% load table_tags %}" + source).render(Context(context))


def test_column_heads_writes_one_escaped_heading_a_label_in_order():
    html = render('{% column_heads "Run" label %}', label="<b>Seed</b>")
    assert html == '<th scope="col">Run</th><th scope="col">&lt;b&gt;Seed&lt;/b&gt;</th>'


def test_a_scroll_table_with_rows_is_a_data_table_in_a_scrolling_box():
    html = render(
        "{% scroll_table rows %}<tbody>{% for r in rows %}<tr><td>{{ r }}</td></tr>{% endfor %}</tbody>{% endscroll_table %}",
        rows=["<x>"],
    )
    assert (
        html
        == '<div class="table-scroll"><table class="data-table"><tbody><tr><td>&lt;x&gt;</td></tr></tbody></table></div>'
    )


def test_a_scroll_table_takes_its_table_class():
    assert 'table class="leaderboard"' in render(
        '{% scroll_table rows class="leaderboard" %}{% endscroll_table %}', rows=[1]
    )


@pytest.mark.parametrize("rows", [[], None, ""])
def test_a_scroll_table_without_rows_says_its_empty_sentence_escaped(rows):
    html = render(
        "{% scroll_table rows empty=message %}<tbody></tbody>{% endscroll_table %}",
        rows=rows,
        message="None <yet>",
    )
    assert html == '<p class="empty">None &lt;yet&gt;</p>'


def test_a_scroll_table_without_rows_or_sentence_writes_nothing():
    assert render("{% scroll_table rows %}<tbody></tbody>{% endscroll_table %}", rows=[]) == ""


@pytest.mark.parametrize(
    "tag", ["{% scroll_table %}", "{% scroll_table rows colour='red' %}", "{% scroll_table rows 'x' %}"]
)
def test_a_scroll_table_refuses_what_it_does_not_know(tag):
    with pytest.raises(TemplateSyntaxError):
        render(tag + "{% endscroll_table %}", rows=[1])


def test_a_page_built_on_page_html_shows_its_title_block_as_its_heading():
    html = Template(
        '{% extends "page.html" %}{% block title %}Moderation &amp; <i>queue</i>{% endblock %}'
        '{% block lead %}<p class="lead">Oldest first.</p>{% endblock %}{% block page %}<p>Body</p>{% endblock %}'
    ).render(Context({}))
    assert "<title>Moderation &amp; <i>queue</i> · DeepCommons</title>" in html
    assert '<div class="page-head">\n    <h1>Moderation &amp; <i>queue</i></h1>' in html
    head = html[html.index('<div class="page-head">') :]
    assert head.index("Oldest first.") < head.index("</div>") < head.index("<p>Body</p>")


def test_a_private_page_is_kept_out_of_search_engines_and_may_head_itself_with_more_than_its_title():
    page = '{% extends "private_page.html" %}{% block title %}Import{% endblock %}'
    assert '<meta name="robots" content="noindex">' in Template(page).render(Context({}))
    assert "<h1>Import</h1>" in Template(page).render(Context({}))
    html = Template(page + "{% block heading %}Import papers{% endblock %}").render(Context({}))
    assert "<h1>Import papers</h1>" in html and "<title>Import · DeepCommons</title>" in html
