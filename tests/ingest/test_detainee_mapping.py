"""Mappings of detainee lists (issue 15): their own columns as targets, set for
every row, refused in a records import; suggested from Persian and English headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from aban.ingest.issues import FileIssueError
from aban.ingest.mapping import load_mapping
from aban.ingest.suggest import suggest_mapping

SHAPES = Path(__file__).parent.parent / "data" / "shapes"
MAPPING = """columns:
  "Arrest date": arrest_date
  Prison: facility
set: {charges: assembly}
"""


def test_a_detainee_lists_mapping_names_its_own_columns(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(MAPPING, encoding="utf-8")
    found = load_mapping(path, detainee_list=True)
    assert found.columns == {"Arrest date": "arrest_date", "Prison": "facility"}
    assert found.constants == {"charges": "assembly"}
    with pytest.raises(FileIssueError) as err:
        load_mapping(path)
    assert err.value.issue.render() == (
        "m.yaml: the mapping file is invalid: ['arrest_date', 'facility'] are "
        "columns of a detainee list: import the list with 'aban detentions import' "
        "[mapping-invalid]"
    )
    path.write_text("columns: {Prison: prison}\n", encoding="utf-8")
    with pytest.raises(FileIssueError) as err:
        load_mapping(path, detainee_list=True)
    assert "unknown target columns ['prison']" in err.value.issue.render()


SUGGESTED = """\
# A mapping guessed from the header of detainees.csv: check each line,
# then: aban detentions import FILE --source NAME --mapping THIS_FILE (a detainee list)
columns:
  "ID": record_id
  "Name": full_name
  "Age": age
  "City": city
  "Arrest date": arrest_date
  "Prison": facility
  "Current status": status
  "Date of last news": status_date
  "Sentence": sentence
  "Charges": charges
  "Family visits": family_access
  "Lawyer": lawyer_access
  "Release date": release_date
  "Source URL": source_url
set: {}  # a value for every row, e.g. {facility: Evin} for a list of one prison
"""


def test_the_suggestion_for_a_detainee_list(tmp_path: Path) -> None:
    found = suggest_mapping(SHAPES / "detainees.csv")
    assert found.detainee_list and found.to_yaml() == SUGGESTED
    # Accepted as written by 'aban detentions import' (and the same as the shape's).
    path = tmp_path / "m.yaml"
    path.write_text(found.to_yaml(), encoding="utf-8")
    columns = load_mapping(path, detainee_list=True).columns
    shape = load_mapping(SHAPES / "detainees.yaml", detainee_list=True).columns
    assert columns.items() >= shape.items()


def test_the_suggestion_for_a_persian_detainee_list() -> None:
    found = suggest_mapping(SHAPES / "detainees_fa.csv")
    assert found.detainee_list
    assert found.columns == {
        "شناسه": "record_id",
        "نام و نام خانوادگی": "full_name",
        "سن": "age",
        "شهر": "city",
        "تاریخ بازداشت": "arrest_date",
        "محل نگهداری": "facility",
        "وضعیت": "status",
        "تاریخ آخرین خبر": "status_date",
        "حکم": "sentence",
        "اتهام": "charges",
        "ملاقات": "family_access",
        "وکیل": "lawyer_access",
        "تاریخ آزادی": "release_date",
    }


def test_a_list_of_the_dead_with_a_source_url_is_no_detainee_list() -> None:
    found = suggest_mapping(SHAPES / "media_en.csv")
    assert not found.detainee_list
    assert "source_url" not in found.columns.values()
    assert '# "Source URL": kept as raw data' in found.to_yaml()
