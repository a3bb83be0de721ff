"""The issue catalogue: one entry per code, every code documented once."""

from __future__ import annotations

import re
import string
from pathlib import Path

from aban.claims.parse import COLUMNS
from aban.vocab.issues import ISSUE_CODES, STAGES, codes_for

ROOT = Path(__file__).resolve().parents[2]


def test_every_code_is_documented_once() -> None:
    documented = (ROOT / "docs" / "issues.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z-]+)` \|", documented, flags=re.MULTILINE)
    assert sorted(rows) == sorted(ISSUE_CODES)


def test_codes_are_kebab_case_with_known_stages_and_severities() -> None:
    for code, entry in ISSUE_CODES.items():
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", code), code
        assert entry.severity in ("fatal", "error", "warning"), code
        assert entry.stages, code
        assert set(entry.stages) <= set(STAGES), code
        assert list(entry.stages) == [s for s in STAGES if s in entry.stages], code


def test_every_stage_has_its_codes_in_catalogue_order() -> None:
    for stage in STAGES:
        codes = list(codes_for(stage))
        assert codes == [c for c in ISSUE_CODES if c in codes]
    assert set().union(*(codes_for(s) for s in STAGES)) == set(ISSUE_CODES)


def test_templates_name_plain_fields() -> None:
    for code, entry in ISSUE_CODES.items():
        fields = [f for _, f, _, _ in string.Formatter().parse(entry.template) if f]
        assert all(f.isidentifier() for f in fields), code
        assert entry.template == entry.template.strip(), code
        assert not entry.template.endswith("."), code


def test_the_claims_messages_list_the_claims_columns() -> None:
    columns = ", ".join(COLUMNS)
    assert columns in ISSUE_CODES["claims-column-missing"].template
    assert f"({columns})" in ISSUE_CODES["claims-column-unknown"].template


def test_format_words_are_fields_of_the_template() -> None:
    message = ISSUE_CODES["unknown-column"].message(fmt="records", kept="ignored")
    assert message == "column is not part of the records format; its values are ignored"
