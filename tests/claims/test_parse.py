"""Reading a claims CSV: figures, dates, required cells, header and file problems."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aban.claims.parse import (
    MAX_FIGURE,
    Claim,
    ClaimCellError,
    parse_claim_date,
    parse_count,
    read_claims,
)
from aban.ingest.issues import FileIssueError
from aban.vocab.issues import ISSUE_CODES
from tests.claims.helpers import EXAMPLE, HEADER, csv_bytes

TODAY = dt.date(2024, 12, 31)


def read(*rows: str, **options: object) -> tuple[list[Claim], list[str]]:
    parsed = read_claims(csv_bytes(*rows, **options), "c.csv", today=TODAY)  # type: ignore[arg-type]
    return list(parsed.claims), [i.render() for i in parsed.issues]


def test_range_at_least_at_most_and_single_figure() -> None:
    claims, issues = read(
        'Reuters,2019-12,350,1500,Media Report,,,"Reuters, December 2019"',
        'NGO A,2019-11-19,100,,verified count,,,"NGO A, 19 November 2019"',
        'Ministry B,2020-05-31,,200,official,,,"Ministry B, 31 May 2020"',
        'Group C,2019-12-15,"1,500",1500,opposition count,,,"Group C, 2019"',
    )
    assert issues == []
    assert [(c.low, c.high, c.figure) for c in claims] == [
        (350, 1500, "350 to 1,500"),
        (100, None, "at least 100"),
        (None, 200, "at most 200"),
        (1500, 1500, "1,500"),
    ]
    assert claims[0].kind == "media report"
    assert claims[0].date == "2019-12" and claims[0].precision == "month"
    assert claims[1].date == "2019-11-19" and claims[1].precision == "day"
    assert [c.row for c in claims] == [2, 3, 4, 5]


def test_missing_both_figures() -> None:
    claims, issues = read("NGO A,2019-11-19,,,statement,,,NGO A")
    assert claims == []
    assert issues == [
        "c.csv:2: low and high are both empty; give low alone for 'at least', high "
        "alone for 'at most', both for a range (the same number twice for one "
        "figure) [claim-figure-missing]"
    ]


def test_low_above_high() -> None:
    _, issues = read("NGO A,2019-11-19,1500,350,,,,NGO A")
    assert issues == [
        "c.csv:2:low: low is greater than high; swap them [claim-range-reversed]"
    ]


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("about 200", "claim-figure-not-a-number"),
        ("-5", "claim-figure-not-a-number"),
        ("1,50", "claim-figure-not-a-number"),
        ("2.5", "claim-figure-not-a-number"),
        (str(MAX_FIGURE + 1), "claim-figure-not-a-number"),
    ],
)
def test_bad_figure(cell: str, code: str) -> None:
    _, issues = read(f'NGO A,2019-11-19,"{cell}",,,,,NGO A')
    assert len(issues) == 1
    assert issues[0].startswith(
        "c.csv:2:low: not a whole number of persons from 0 to 1,000,000,000;"
    )
    assert issues[0].endswith(f"[{code}]")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1500", 1500),
        ("1,500", 1500),
        ("1 500", 1500),
        ("۱٬۵۰۰", 1500),
        ("۳۰۴", 304),
        ("1\u202f500", 1500),
        ("0", 0),
        ("  ", None),
        ("", None),
    ],
)
def test_parse_count(text: str, expected: int | None) -> None:
    assert parse_count(text) == expected


@given(st.integers(min_value=0, max_value=MAX_FIGURE))
def test_parse_count_reads_plain_and_grouped(n: int) -> None:
    assert parse_count(str(n)) == n
    assert parse_count(f"{n:,}") == n


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-12-15", "2019-12-15"),
        ("15/12/2019", "2019-12-15"),
        ("15 December 2019", "2019-12-15"),
        ("1398/09/24", "2019-12-15"),
        ("۱۳۹۸/۰۹/۲۴", "2019-12-15"),
        ("۲۴ آذر ۱۳۹۸", "2019-12-15"),
        ("2019-12", "2019-12"),
        ("2019/1", "2019-01"),
        ("December 2019", "2019-12"),
        ("Dec 2019", "2019-12"),
        ("  ", None),
    ],
)
def test_parse_claim_date(text: str, expected: str | None) -> None:
    assert parse_claim_date(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("yesterday", "claim-date-unparseable"),
        ("2019-13-45", "date-impossible"),
        ("2019-13", "date-impossible"),
        ("1398/12/30", "date-impossible"),
        ("1398/09", "claim-date-jalali-month"),
        ("Azar 1398", "claim-date-jalali-month"),
        ("آذر ۱۳۹۸", "claim-date-jalali-month"),
        ("Smarch 2019", "claim-date-unparseable"),
    ],
)
def test_parse_claim_date_refuses(text: str, code: str) -> None:
    with pytest.raises(ClaimCellError) as err:
        parse_claim_date(text)
    assert err.value.code == code


def test_bad_date_solar_hijri_date_and_future_date() -> None:
    claims, issues = read(
        "NGO A,yesterday,100,,,,,NGO A",
        "NGO A,۱۳۹۸/۰۹/۲۴,100,,,,,NGO A",
        "NGO A,2025-01-01,100,,,,,NGO A",
        "NGO A,2025-01,100,,,,,NGO A",
        "NGO A,2024-12,101,,,,,NGO A",
    )
    assert [(c.date, c.row) for c in claims] == [("2019-12-15", 3), ("2024-12", 6)]
    assert issues == [
        "c.csv:2:date: not a date in any accepted layout (ISO 2019-12-15 or a month "
        "2019-12, day-first 15/12/2019, 15 December 2019 or December 2019, Solar "
        "Hijri 1398/09/24); fix the cell [claim-date-unparseable]",
        "c.csv:4:date: the date is in the future; fix the cell [claim-date-in-future]",
        "c.csv:5:date: the date is in the future; fix the cell [claim-date-in-future]",
    ]


def test_required_cells() -> None:
    claims, issues = read(
        ",2019-11-19,100,,,,,NGO A",
        "NGO A,,100,,,,,NGO A",
        "NGO A,2019-11-19,100,,,,,  ",
    )
    assert claims == []
    assert issues == [
        "c.csv:2:claimant: claimant is empty; name who published the figure "
        "[claimant-missing]",
        "c.csv:3:date: date is empty; give the day the figure was published "
        "(2019-12-15), or its month (2019-12) [claim-date-missing]",
        "c.csv:4:citation: citation is empty; cite the publisher, the date and the "
        "title where known [claim-citation-missing]",
    ]


def test_bom_header_case_optional_columns_and_whitespace() -> None:
    parsed = read_claims(
        csv_bytes(
            '  NGO   A ,2019-11-19,100,,"Verified  Count","NGO A,  2019"',
            header=" Claimant ,DATE,low,High,kind,citation",
            bom=True,
        ),
        "c.csv",
        today=TODAY,
    )
    assert parsed.issues == ()
    (claim,) = parsed.claims
    assert (claim.claimant, claim.kind, claim.citation) == (
        "NGO A",
        "verified count",
        "NGO A, 2019",
    )
    assert claim.scope is None and claim.method is None


def test_duplicate_row_blank_lines_and_row_length() -> None:
    claims, issues = read(
        "NGO A,2019-11-19,100,,,,,NGO A",
        "",
        "NGO A,2019-11-19,100,,,,,NGO A",
        "NGO A,2019-11-19,100,,,,NGO A",
    )
    assert len(claims) == 1
    assert issues == [
        "c.csv:4: the row repeats row 2; remove one of them [claim-duplicate]",
        "c.csv:5: the row has 7 cells but the header has 8; check for a stray or "
        "missing delimiter [row-length]",
    ]


def test_formula_and_control_characters_are_refused() -> None:
    _, issues = read(
        'NGO A,2019-11-19,100,,,,,"=HYPERLINK(""x"")"',
        "NGO A,2019-11-19,100,,,\x07,,NGO A",
    )
    assert [i.rsplit("[", 1)[1] for i in issues] == [
        "formula-in-cell]",
        "control-characters]",
    ]
    assert issues[0].startswith("c.csv:2:citation: ")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            csv_bytes("x", header="claimant,date,low,high,figure,citation"),
            "c.csv:1:figure: column is not part of the claims format (claimant, date, "
            "low, high, kind, scope, method, citation, claimant_fa, kind_fa); rename "
            "or remove it [claims-column-unknown]",
        ),
        (
            csv_bytes("x", header="claimant,date,low,kind"),
            "c.csv:1: the header lacks high, citation; a claims CSV has the columns "
            "claimant, date, low, high, kind, scope, method, citation, claimant_fa, "
            "kind_fa [claims-column-missing]",
        ),
        (
            csv_bytes("", ""),
            "c.csv:1: the file holds no claims; check that it is "
            "the right file [claims-file-empty]",
        ),
        (
            b"claimant,date\x00",
            "c.csv: binary content (NUL byte at offset 13); "
            "export the list as CSV, XLSX or JSON [file-binary]",
        ),
        (
            csv_bytes(header=HEADER + ",low"),
            "c.csv:1:low: column appears twice in the header; rename or remove one of "
            "them [header-duplicate-column]",
        ),
    ],
)
def test_file_problems(data: bytes, expected: str) -> None:
    with pytest.raises(FileIssueError) as err:
        read_claims(data, "c.csv", today=TODAY)
    assert str(err.value) == expected


def test_the_shipped_example_reads_clean() -> None:
    parsed = read_claims(EXAMPLE.read_bytes(), EXAMPLE.name, today=TODAY)
    assert parsed.issues == ()
    assert [(c.claimant, c.date, c.low, c.high, c.kind) for c in parsed.claims] == [
        ("Amnesty International", "2019-11-19", 100, None, "verified count"),
        (
            "National Council of Resistance of Iran (opposition)",
            "2019-12-15",
            1500,
            1500,
            "opposition count",
        ),
        ("Reuters", "2019-12", 350, 1500, "media report"),
        ("Amnesty International", "2020-05-20", 304, None, "verified count"),
        (
            "Interior Minister Abdolreza Rahmani-Fazli",
            "2020-05-31",
            200,
            200,
            "official",
        ),
        (
            "Association of Families of Flight PS752 Victims",
            "2024-11",
            1500,
            None,
            "statement",
        ),
    ]
    assert all(c.citation for c in parsed.claims)


CODE_CASES = {
    "claimant-missing": ",2019-11-19,100,,,,,NGO A",
    "claim-date-missing": "NGO A,,100,,,,,NGO A",
    "claim-date-unparseable": "NGO A,soon,100,,,,,NGO A",
    "claim-date-in-future": "NGO A,2030-01-01,100,,,,,NGO A",
    "claim-date-jalali-month": "NGO A,1398/09,100,,,,,NGO A",
    "claim-figure-missing": "NGO A,2019-11-19,,,,,,NGO A",
    "claim-figure-not-a-number": "NGO A,2019-11-19,many,,,,,NGO A",
    "claim-range-reversed": "NGO A,2019-11-19,9,1,,,,NGO A",
    "claim-citation-missing": "NGO A,2019-11-19,9,,,,,",
}
FILE_CASES = {
    "claims-file-empty": csv_bytes(),
    "claims-column-missing": csv_bytes(header="claimant"),
    "claims-column-unknown": csv_bytes(header=HEADER + ",note"),
}


def test_every_claims_code_is_reachable() -> None:
    for code, row in CODE_CASES.items():
        _, issues = read(row)
        assert [i.rsplit("[", 1)[1] for i in issues] == [f"{code}]"], code
    for code, data in FILE_CASES.items():
        with pytest.raises(FileIssueError) as err:
            read_claims(data, "c.csv", today=TODAY)
        assert err.value.issue.code == code
    _, issues = read("NGO A,2019-11-19,9,,,,,NGO A", "NGO A,2019-11-19,9,,,,,NGO A")
    assert issues[0].endswith("[claim-duplicate]")
    persian = "claimant,date,low,high,citation,claimant_fa"
    _, issues = read("NGO A,2019-11-19,9,,NGO A,NGO A", header=persian)
    assert issues == [
        "c.csv:2:claimant_fa: holds no Persian letters; give the Persian words, or "
        "leave it empty for the English [claim-not-persian]"
    ]
    covered = {*CODE_CASES, *FILE_CASES, "claim-duplicate", "claim-not-persian"}
    claims_only = {c for c, entry in ISSUE_CODES.items() if entry.stages == ("claims",)}
    assert covered == claims_only
