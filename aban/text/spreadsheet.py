"""Text bound for a spreadsheet: cells that it would run as a formula, neutralised.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and some
after a tab, carriage return or line feed) as a formula, and some read the
full-width forms of the four signs (``＝＋－＠``) as the signs themselves. Any text a
source controls (a name, a record id, a source's name, a file name) can start so
(CSV injection). :func:`neutralise` puts a single quote in front of such a cell, as
OWASP recommends; a spreadsheet shows the rest as text. Every CSV file aban writes
(exports, the site's open data, an import's issues report, dedupe's clusters) passes
its cells through it.
"""

from __future__ import annotations

__all__ = ["FORMULA_STARTS", "neutralise"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

_FIRST = frozenset(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """``text`` with a single quote in front if it could start a formula.

    Example:
        >>> neutralise("=HYPERLINK(\\"http://x\\")")
        '\\'=HYPERLINK("http://x")'
        >>> neutralise("＝1+1")
        "'＝1+1"
        >>> neutralise("Tehran")
        'Tehran'
    """
    return "'" + text if text[:1] in _FIRST else text
