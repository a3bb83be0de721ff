"""Reading a claims CSV: ``claimant, date, low, high, kind, scope, method, citation``
(and, optionally, ``claimant_fa, kind_fa``).

Rules (DESIGN.md 4; each broken rule is an issue of :mod:`aban.vocab.issues`):

* UTF-8 with or without a byte-order mark (Persian Windows-1256 is read as for
  records files). Header names are matched without case or surrounding spaces.
  ``claimant``, ``date``, ``low``, ``high`` and ``citation`` must be in the header;
  ``kind``, ``scope`` and ``method`` may be left out; any other column refuses the
  file (a misspelt ``hihg`` would otherwise lose a figure). Blank lines are skipped.
* ``claimant_fa`` and ``kind_fa`` (optional) give the claimant and the kind in
  Persian, for the site's Persian pages (which show the English where they are
  empty). They must hold Persian letters. They are not part of the claim's
  identity: the same claim with its Persian words added is the same claim.
* ``low`` and ``high`` are whole numbers of persons (digits in any script, thousands
  grouped with commas or spaces allowed: ``1,500``). ``low`` alone means "at least
  low", ``high`` alone "at most high", both a range; a single figure (``about
  200``) is written as the same number in both. Both empty, or low above high, is
  an error.
* ``date`` is the day the figure was published: ISO ``2019-12-15``, day-first
  ``15/12/2019``, ``15 December 2019``, Solar Hijri ``1398/09/24`` or ``۲۴ آذر
  ۱۳۹۸`` (any layout of :func:`aban.text.dates.parse_date`), or a Gregorian month
  when the day is not known: ``2019-12`` or ``December 2019``. It is stored as ISO
  text (``2019-12-15``, ``2019-12``). It is required and may not be in the future.
* ``kind`` is an open vocabulary (:data:`KNOWN_KINDS` are the usual ones), stored
  in lower case. ``claimant`` and ``citation`` (publisher, date, and title where
  known) are required. Runs of whitespace in text cells become one space.
* The same claim twice in one file is an error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from aban.config import Settings
from aban.ingest.csv import read_csv
from aban.ingest.issues import Issue, fail, make_issue
from aban.ingest.validate import RowContext, cell_issues
from aban.text.dates import JALALI_YEAR_LIMIT, DateError, parse_date
from aban.text.digits import normalise_digits

__all__ = [
    "COLUMNS",
    "KNOWN_KINDS",
    "MAX_FIGURE",
    "Claim",
    "ClaimCellError",
    "ClaimsFile",
    "parse_claim_date",
    "parse_count",
    "read_claims",
]

#: The columns of a claims CSV, in order; the issue catalogue's claims messages list
#: them (a test checks that they agree).
COLUMNS = (
    "claimant",
    "date",
    "low",
    "high",
    "kind",
    "scope",
    "method",
    "citation",
    "claimant_fa",
    "kind_fa",
)
REQUIRED_COLUMNS = ("claimant", "date", "low", "high", "citation")

#: The usual kinds of claim; others are accepted as written.
KNOWN_KINDS = (
    "official",
    "verified count",
    "estimate",
    "opposition count",
    "media report",
    "statement",
)
#: The largest figure a claim may give.
MAX_FIGURE = 1_000_000_000
_GROUPED = re.compile(r"\d{1,3}(?:([, ])\d{3})(?:\1\d{3})*")
_MONTH_NUMERIC = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})")
_MONTH_NAMED = re.compile(r"[^\W\d_]+\.?,?\s*\d{4}")
_PERSIAN = re.compile("[\u0600-\u06ff]")


class ClaimCellError(ValueError):
    """A cell of a claims CSV is unreadable; ``code`` is its issue code."""

    def __init__(self, code: str, **fields: Any) -> None:
        super().__init__(code)
        self.code = code
        self.fields = fields


@dataclass(frozen=True)
class Claim:
    """A published toll figure.

    Attributes:
        claimant: who published it.
        date: when, as ISO text: a day (``2019-12-15``) or a month (``2019-12``).
        low: the least number claimed, or None ("at most high").
        high: the greatest number claimed, or None ("at least low").
        citation: publisher, date, and title where known.
        kind: official, verified count, estimate, opposition count, ... (lower case).
        scope: what the figure covers (event, places, dates).
        method: how the claimant arrived at it.
        claim_id: its id in the register, once stored.
        row: its row in the file it was read from.
        claimant_fa: the claimant in Persian, or None.
        kind_fa: the kind in Persian, or None.
    """

    claimant: str
    date: str
    low: int | None
    high: int | None
    citation: str
    kind: str | None = None
    scope: str | None = None
    method: str | None = None
    claim_id: int | None = field(default=None, compare=False)
    row: int | None = field(default=None, compare=False)
    claimant_fa: str | None = field(default=None, compare=False)
    kind_fa: str | None = field(default=None, compare=False)

    @property
    def figure(self) -> str:
        """The figure in words: ``304``, ``at least 100``, ``350 to 1,500``."""
        low, high = self.low, self.high
        if low is None:
            return "no figure" if high is None else f"at most {high:,}"
        if high is None:
            return f"at least {low:,}"
        return f"{low:,}" if low == high else f"{low:,} to {high:,}"

    @property
    def precision(self) -> Literal["day", "month"]:
        """Whether the date names a day or only a month."""
        return "month" if len(self.date) == 7 else "day"

    def digest(self) -> str:
        """The SHA-256 of the claim's fields: the same claim has the same digest."""
        fields = [self.claimant, self.date, self.low, self.high, self.kind]
        fields += [self.scope, self.method, self.citation]
        text = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the CSV's fields, the id, the precision and the figure."""
        return {
            "id": self.claim_id,
            "claimant": self.claimant,
            "date": self.date,
            "precision": self.precision,
            "low": self.low,
            "high": self.high,
            "figure": self.figure,
            "kind": self.kind,
            "scope": self.scope,
            "method": self.method,
            "citation": self.citation,
            # Only when given, so a claim without them publishes as before.
            **({"claimant_fa": self.claimant_fa} if self.claimant_fa else {}),
            **({"kind_fa": self.kind_fa} if self.kind_fa else {}),
        }


@dataclass(frozen=True)
class ClaimsFile:
    """What a claims CSV holds: its claims and its problems (no personal data)."""

    name: str
    rows: int
    claims: tuple[Claim, ...]
    issues: tuple[Issue, ...]

    @property
    def errors(self) -> list[Issue]:
        """The issues that refuse the file."""
        return [i for i in self.issues if i.severity in ("error", "fatal")]


def parse_count(text: str) -> int | None:
    """Read a figure: a whole number of persons, or None for an empty cell.

    Digits may be Persian, Arabic-Indic or ASCII; thousands may be grouped with
    commas or spaces (``1,500``, ``۱٬۵۰۰``, ``1 500``).

    Raises:
        ClaimCellError: ``claim-figure-not-a-number``.
    """
    value = normalise_digits(text).replace("\u00a0", " ").replace("\u202f", " ")
    value = value.replace("\u2009", " ").strip()
    if not value:
        return None
    if _GROUPED.fullmatch(value):
        value = value.replace(",", "").replace(" ", "")
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_FIGURE:
        raise ClaimCellError("claim-figure-not-a-number", limit=MAX_FIGURE)
    return int(value)


def parse_claim_date(text: str) -> str | None:
    """Read a claim's date as ISO text (a day, or a month), None when empty.

    Raises:
        ClaimCellError: ``claim-date-unparseable``, ``date-impossible`` or
            ``claim-date-jalali-month``.

    Example:
        >>> parse_claim_date("1398/09/24"), parse_claim_date("December 2019")
        ('2019-12-15', '2019-12')
    """
    value = " ".join(normalise_digits(text).split())
    if not value:
        return None
    if match := _MONTH_NUMERIC.fullmatch(value):
        year, month = int(match[1]), int(match[2])
        if year < JALALI_YEAR_LIMIT:
            raise ClaimCellError("claim-date-jalali-month")
        if not 1 <= month <= 12:
            raise ClaimCellError("date-impossible")
        return f"{year:04d}-{month:02d}"
    if _MONTH_NAMED.fullmatch(value):
        return _named_month(value)
    try:
        day = parse_date(value)
    except DateError as err:
        code = "claim-date-unparseable" if err.code == "date-unparseable" else err.code
        raise ClaimCellError(code) from None
    return None if day is None else day.isoformat()


def _named_month(value: str) -> str:
    """A month name and a year: Gregorian months only."""
    try:
        first = parse_date(f"1 {value}")
    except DateError:
        raise ClaimCellError("claim-date-unparseable") from None
    # The first of a Solar Hijri month falls on the 19th to 23rd of a Gregorian
    # month, never on the first: a first means the name was a Gregorian month.
    if first is None or first.day != 1:
        raise ClaimCellError("claim-date-jalali-month")
    return first.isoformat()[:7]


def read_claims(
    data: bytes,
    name: str,
    *,
    today: dt.date | None = None,
    settings: Settings | None = None,
) -> ClaimsFile:
    """Parse a claims CSV; every row problem becomes an issue.

    Args:
        data: the file's bytes.
        name: the file name for issue locations.
        today: the date after which claim dates are in the future (default: today).
        settings: the workspace settings (the longest cell accepted).

    Returns:
        The claims of the rows without errors, and every issue found.

    Raises:
        FileIssueError: the file cannot be read as claims at all (binary or not
            text, malformed CSV, a bad header, no claims).
    """
    table = read_csv(data, name)
    columns = _columns(table.header, name)
    today, settings = today or dt.date.today(), settings or Settings()
    claims: list[Claim] = []
    issues: list[Issue] = []
    first_row: dict[Claim, int] = {}
    rows = 0
    for number, cells in table.rows:
        if not any(cell.strip() for cell in cells):
            continue
        rows += 1
        if len(cells) != len(columns):
            found, expected = len(cells), len(columns)
            issues.append(
                make_issue("row-length", name, number, found=found, expected=expected)
            )
            continue
        claim, problems = _read_row(
            dict(zip(columns, cells, strict=True)), name, number, today, settings
        )
        if claim is not None and claim in first_row:
            problems.append(
                make_issue("claim-duplicate", name, number, first=first_row[claim])
            )
        issues.extend(problems)
        if claim is not None and not problems:
            first_row[claim] = number
            claims.append(claim)
    if rows == 0:
        raise fail("claims-file-empty", name, 1)
    return ClaimsFile(name, rows, tuple(claims), tuple(issues))


def _columns(header: list[str], name: str) -> list[str]:
    columns = [h.strip().lower() for h in header]
    seen: set[str] = set()
    for column in columns:
        if column not in COLUMNS:
            raise fail("claims-column-unknown", name, 1, column=column or None)
        if column in seen:
            raise fail("header-duplicate-column", name, 1, column=column)
        seen.add(column)
    missing = [c for c in REQUIRED_COLUMNS if c not in seen]
    if missing:
        raise fail("claims-column-missing", name, 1, columns=", ".join(missing))
    return columns


class _Row:
    """One row's cells, read one by one; problems are collected, not raised."""

    def __init__(self, values: dict[str, str], name: str, number: int) -> None:
        self.text = {c: " ".join(values.get(c, "").split()) for c in COLUMNS}
        self.name, self.number = name, number
        self.problems: list[Issue] = []

    def add(self, code: str, column: str | None = None, **fields: Any) -> None:
        self.problems.append(make_issue(code, self.name, self.number, column, **fields))

    def read(self, column: str, reader: Any) -> Any:
        try:
            return reader(self.text[column])
        except ClaimCellError as err:
            self.add(err.code, column, **err.fields)
            return None

    def required(self, column: str, code: str) -> None:
        if not self.text[column]:
            self.add(code, column)


def _read_row(
    values: dict[str, str], name: str, number: int, today: dt.date, settings: Settings
) -> tuple[Claim | None, list[Issue]]:
    problems = cell_issues(values, RowContext(name, number, None, None), settings)
    if problems:
        return None, problems
    row = _Row(values, name, number)
    row.required("claimant", "claimant-missing")
    date = row.read("date", parse_claim_date)
    if date is None and not any(p.column == "date" for p in row.problems):
        row.add("claim-date-missing", "date")
    elif date is not None and date[:10] > today.isoformat():
        row.add("claim-date-in-future", "date")
    low, high = row.read("low", parse_count), row.read("high", parse_count)
    if not row.text["low"] and not row.text["high"]:
        row.add("claim-figure-missing")
    elif low is not None and high is not None and low > high:
        row.add("claim-range-reversed", "low")
    row.required("citation", "claim-citation-missing")
    for column in ("claimant_fa", "kind_fa"):
        if row.text[column] and not _PERSIAN.search(row.text[column]):
            row.add("claim-not-persian", column)
    if row.problems:
        return None, row.problems
    text = row.text
    claim = Claim(
        text["claimant"],
        date,
        low,
        high,
        text["citation"],
        text["kind"].lower() or None,
        text["scope"] or None,
        text["method"] or None,
        row=number,
        claimant_fa=text["claimant_fa"] or None,
        kind_fa=text["kind_fa"] or None,
    )
    return claim, []
