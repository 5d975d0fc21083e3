"""A page's name, written once: `templates/page.html` shows the page's title block as its heading.

A page names itself in `{% block title %}` (the window title); `{% title_heading %}` renders that same
block again where the page head wants it, so the title and the `<h1>` cannot drift apart. It reads the
block the way `{% block %}` itself does (the template's block context): a page that names no title
gets base.html's, and a template rendered without `{% extends %}` gets nothing.
"""

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY

register = template.Library()


class TitleHeadingNode(template.Node):
    def render(self, context):
        blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
        block = blocks.get_block("title") if blocks is not None else None
        if block is None:
            return ""
        with context.push():
            return block.nodelist.render(context)


@register.tag
def title_heading(parser, token):
    """`{% title_heading %}`: the page's title block, rendered again (see the module)."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("title_heading takes no arguments")
    return TitleHeadingNode()
