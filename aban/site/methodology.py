"""The methodology page's body: :func:`aban.grade.methodology` rendered to HTML.

The Markdown comes from the grading rules in force (and the latest estimate's
settings), so the page always describes what produced the figures. Raw HTML in
the Markdown is not passed through (``html`` off): the text is escaped.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

from aban.site.svg import Markup

__all__ = ["methodology_html"]


def methodology_html(markdown: str) -> Markup:
    """The methodology Markdown as HTML (headings, lists, emphasis, tables)."""
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    return Markup(parser.render(markdown))
