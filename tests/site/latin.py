"""Finding English left on a Persian page: runs of two or more Latin words.

A Persian page may hold Latin script only in names, source titles and URLs
(issue 17). The templates mark names and titles (``class="name"``, as
:meth:`aban.site.i18n.Locale.name` writes them) and a source's words quoted as
it wrote them, a citation (``class="written"``); code (setting names, file
formats) is in ``code`` elements. :func:`latin_runs` drops those, and the
scripts and styles, then returns every run of two or more Latin words left in
the page's text and in the attributes a reader hears (``alt``, ``aria-label``,
``title``), with URLs and e-mail addresses taken out.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

_URL = re.compile(r"(?:https?://|mailto:)\S+|\S+@\S+\.\w+")
_WORD = r"[A-Za-z][A-Za-z'’.\-]*"
_RUN = re.compile(rf"{_WORD}(?:[\s,;:()/&+\-]+{_WORD})+")
_HEARD = ("alt", "aria-label", "title")


def latin_runs(html: str) -> list[str]:
    """The runs of two or more Latin words outside names, titles, code and URLs."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.select("script, style, code, .name, .written, head"):
        tag.decompose()
    texts = [soup.get_text(" ")]
    texts += [str(tag[a]) for a in _HEARD for tag in soup.find_all(attrs={a: True})]
    found = []
    for text in texts:
        found += _RUN.findall(_URL.sub(" ", text))
    return found
