"""Write the synthetic lists of tests/data/shapes: the shapes of real lists.

Every name is drawn from the simulator's synthetic name bank (aban/sim/names.py) by a
fixed rule; no row is a real person. Run ``python tests/data/shapes/make_shapes.py``
to rewrite the files here (the tests write them afresh into a temporary folder).

- ``ngo_fa.xlsx``: a Persian NGO's workbook: a merged title row, a blank row, the
  header on row 3, Persian digits, "۱۷ ساله" ages, dates such as "۲۵ آبان ۱۳۹۸", no
  status column (a list of the dead), and a totals row "جمع / ۱۲ نفر".
- ``media_en.csv``: a media outlet's English list: "#", Name, Age, City, Date,
  Source URL, "Unknown" for what is missing, no status column.
  ``media_en_v2.csv`` is its corrected version: one row added, one changed, one
  dropped (:data:`MEDIA_V2`).
- ``form_kobo.json``: a form app's export (KoBoToolbox style): the victim's and the
  incident's fields in groups, ``_id``, ``_submission_time``, ``_geolocation``.
- ``family_cp1256.csv``: a family association's list in Windows-1256, its headers
  and names written with the Arabic letters ي and ك.
- ``form_repeat.json``: a form whose submissions each list several victims in a
  repeat group.
- ``gsheet_en.csv``: a Google Sheets export (UTF-8, CRLF): a title row, the header
  with a "Timestamp" column and two empty columns at the end, no id column,
  "Unknown" and "n/a" for what is missing, honorifics (Seyed, Haj) before names,
  a status column with one person injured.
- ``gsheet_us.csv``: a Google Sheet in US format: dates month first (``11/16/2019``
  is 16 November, ``11/12/2019`` 12 November), a date of birth column whose every
  date could be read either way, two empty columns at the end (:data:`GSHEET_US`).
- ``book_fa.xlsx``: a workbook of several sheets: notes on the first ("README"),
  the list on the second, a second list of the same organisation (persons added
  later, the row numbers continuing) on the third; honorifics (شهید, حاج, سید)
  before names, a date without its year ("۲۵ آبان"), no status column.
- ``form_server.jsonl``: JSON Lines from a form server (ODK Central style): one
  submission per line, groups nested two deep (``incident/place/city``), ``__id``,
  ``meta/instanceID`` and a ``__system`` group.

Who is on which list is known: :data:`TRUTH` gives, for each list (by the source
name the tests import it under), the person numbers of its rows in order; a number
is one synthetic person (:func:`person`) wherever it appears. The lists share
persons on purpose, so that linkage, grades and estimates can be checked by hand.
No two persons share a given name or a family name.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from aban.sim.names import _FAMILY, _FEMALE, _MALE  # noqa: E402
from aban.text.digits import persian_digits  # noqa: E402

CITIES = (
    ("شیراز", "Shiraz"),
    ("اهواز", "Ahvaz"),
    ("کرج", "Karaj"),
    ("تهران", "Tehran"),
)
PROVINCES = ("فارس", "خوزستان", "البرز", "تهران")
PROVINCES_EN = ("Fars", "Khuzestan", "Alborz", "Tehran")
MONTH_DAYS = (("۲۵ آبان ۱۳۹۸", "November 16, 2019"), ("1398/08/26", "17 Nov 2019"))
ISO_DAYS = ("2019-11-16", "2019-11-17")

#: The persons on each list, by the source name the tests import it under: the
#: person number of each row, in file order (a repeat group's items in order).
TRUTH: dict[str, tuple[int, ...]] = {
    "ngo": tuple(range(1, 13)),
    "media": (7, 8, 9, 10, 11, 12, 13, 14, 16, 28),
    "form": tuple(range(13, 21)),
    "repeat": (1, 17, 2, 18, 19, 3, 20, 5),
    "family": (2, 4, 6, 8, 10, 12, 14, 18, 20),
    "gsheet": (11, 15, 19, 21, 22, 23),
    "book": (1, 5, 9, 24, 25, 26),
    "book_added": (13, 17, 26, 27),
    "odk": (3, 7, 19, 29, 30, 21),
}
#: The file of each list (book and book_added are two sheets of one workbook).
FILES = {
    "ngo": "ngo_fa.xlsx",
    "media": "media_en.csv",
    "form": "form_kobo.json",
    "repeat": "form_repeat.json",
    "family": "family_cp1256.csv",
    "gsheet": "gsheet_en.csv",
    "book": "book_fa.xlsx",
    "book_added": "book_fa.xlsx",
    "odk": "form_server.jsonl",
}
#: Lists whose every person was killed though they have no status column.
NO_STATUS = ("ngo", "media", "book", "book_added")
#: The persons who were not killed (the gsheet list's status column says injured).
INJURED = (23,)
#: Persons whose every list leaves the place out (written "Unknown").
PLACE_UNKNOWN = (22, 28)
#: Rows of media_en.csv whose city is "Unknown" (by "#"), and whose age is.
MEDIA_CITY_UNKNOWN = (5, 10)
MEDIA_AGE_UNKNOWN = (4, 8)
#: media_en_v2.csv, a corrected version of media_en.csv: row "#" 11 added (person
#: 31, on no other list), row 10's city (person 28, on no other list) given as
#: its person's city instead of "Unknown", row 9 (person 16, also on the form
#: list) dropped.
MEDIA_V2: dict[str, Any] = {"added": {11: 31}, "changed": (10,), "dropped": (9,)}
#: Honorifics written before given names: (list, person) -> honorific.
HONORIFICS = {
    ("gsheet", 21): "Seyed",
    ("gsheet", 22): "Haj",
    ("book", 1): "شهید",
    ("book", 24): "حاج",
    ("book", 25): "سید",
}
#: gsheet_us.csv, a sheet in US format: its persons (on no other list), each with
#: the day of death written month first; its dates of birth are the person's age in
#: years before 2019 on a day whose number is 12 or below, readable either way.
GSHEET_US: dict[int, dt.date] = {
    32: dt.date(2019, 11, 16),
    33: dt.date(2019, 11, 12),
    34: dt.date(2019, 11, 17),
    35: dt.date(2019, 12, 1),
    36: dt.date(2019, 11, 16),
    37: dt.date(2019, 11, 15),
}


def us_birth(k: int) -> dt.date:
    """The date of birth of person ``k`` of gsheet_us.csv (month and day both 12 or
    below, and different: a date read either way)."""
    return dt.date(2019 - int(person(k)["age"]), k % 12 + 1, k % 11 + 1)


#: The book's sheets: notes first, then the list, then the persons added later.
BOOK_SHEETS = ("README", "فهرست", "تکمیلی")
#: The book's row whose date has no year (its person number).
BOOK_NO_YEAR = 25


def person(i: int) -> dict[str, str]:
    """The i-th synthetic person: names from the name bank by a fixed stride.

    Persons 1 to 20 take given names from the first 30 of the bank and family names
    from its first 40; persons 21 on take the bank's later names, so that no two
    persons share a given or a family name."""
    female = i % 4 == 3
    if i <= 20:
        given = (_FEMALE if female else _MALE)[(i * 7) % 20]
        family = _FAMILY[(i * 7 + 3) % 40]
        father = _MALE[(i * 3 + 11) % 30]
    else:
        given = _FEMALE[20 + i % 10] if female else _MALE[30 + (i * 3) % 60]
        family = _FAMILY[40 + (i * 7) % 76]
        father = _MALE[60 + (i * 11) % 30]
    fa_city, en_city = CITIES[i % 4]
    return {
        "given_fa": given[0],
        "given_en": given[1],
        "family_fa": family[0],
        "family_en": family[1],
        "father_fa": father[0],
        "sex_fa": "زن" if female else "مرد",
        "sex_en": "female" if female else "male",
        "age": str(16 + (i * 3) % 30),
        "city_fa": fa_city,
        "city_en": en_city,
        "province": PROVINCES[i % 4],
        "province_en": PROVINCES_EN[i % 4],
        "date_fa": MONTH_DAYS[i % 2][0],
        "date_en": MONTH_DAYS[i % 2][1],
        "date_iso": ISO_DAYS[i % 2],
    }


def ngo_xlsx(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    header = [
        "ردیف", "نام", "نام خانوادگی", "نام پدر", "سن", "جنسیت", "شهر", "استان",
        "تاریخ فوت", "محل اصابت",
    ]  # fmt: skip
    sheet.append(["فهرست جانباختگان آبان ۱۳۹۸ (نمونه ساختگی)"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append([])
    sheet.append(header)
    count = len(TRUTH["ngo"])
    for i, k in enumerate(TRUTH["ngo"], start=1):
        p = person(k)
        age = f"{persian_digits(p['age'])} ساله" if i % 2 else persian_digits(p["age"])
        sheet.append([
            persian_digits(str(i)), p["given_fa"], p["family_fa"], p["father_fa"], age,
            p["sex_fa"], p["city_fa"], p["province"], p["date_fa"],
            "سر" if i % 3 else "سینه",
        ])  # fmt: skip
    last = sheet.max_row + 1
    sheet.append([f"جمع / {persian_digits(str(count))} نفر"])
    sheet.merge_cells(start_row=last, start_column=1, end_row=last, end_column=5)
    _save(book, path)


def _save(book: Any, path: Path) -> None:
    """Save a workbook with fixed times, so that the file is the same every time."""
    stamp = dt.datetime(2019, 12, 5, 12, 0, 0)
    book.properties.creator = "aban tests"
    book.properties.created = book.properties.modified = stamp
    book.save(path)
    _fix_zip_times(path)


def _fix_zip_times(path: Path) -> None:
    """Rewrite the zip archive with fixed member times (openpyxl writes the time of
    saving into each member and into docProps/core.xml's modified date)."""
    with zipfile.ZipFile(path) as old:
        members = [(info, old.read(info)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in members:
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*",
                    rb"\g<1>2019-12-05T12:00:00Z",
                    data,
                )
            fixed = zipfile.ZipInfo(info.filename, (2019, 12, 5, 12, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            new.writestr(fixed, data)


def _media_rows(rows: dict[int, int], known: tuple[int, ...]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["#", "Name", "Age", "City", "Date", "Source URL"])
    for i, k in rows.items():
        p = person(k)
        writer.writerow([
            i, f"{p['given_en']} {p['family_en']}",
            "Unknown" if i in MEDIA_AGE_UNKNOWN else p["age"],
            "Unknown" if i in MEDIA_CITY_UNKNOWN and i not in known else p["city_en"],
            p["date_en"], f"https://news.example/story/{1000 + i}",
        ])  # fmt: skip
    return out.getvalue()


def media_csv(path: Path) -> None:
    rows = dict(enumerate(TRUTH["media"], start=1))
    path.write_text(_media_rows(rows, ()), encoding="utf-8")


def media_v2_csv(path: Path) -> None:
    """The media list corrected (:data:`MEDIA_V2`)."""
    rows = dict(enumerate(TRUTH["media"], start=1))
    for dropped in MEDIA_V2["dropped"]:
        del rows[dropped]
    rows.update(MEDIA_V2["added"])
    path.write_text(_media_rows(rows, MEDIA_V2["changed"]), encoding="utf-8")


def form_json(path: Path) -> None:
    submissions = []
    for i, k in enumerate(TRUTH["form"], start=1):
        p = person(k)
        submissions.append({
            "_id": 5000 + i,
            "_uuid": f"00000000-0000-4000-8000-{i:012d}",
            "_submission_time": f"2019-12-{i:02d}T10:00:00",
            "victim": {
                "name": f"{p['given_fa']} {p['family_fa']}",
                "father": p["father_fa"],
                "age": p["age"],
                "gender": p["sex_en"],
            },
            "incident": {
                "date": p["date_iso"], "city": p["city_fa"], "status": "killed",
            },
            "_geolocation": [29.6 + i / 100, 52.5],
        })  # fmt: skip
    path.write_text(json.dumps(submissions, ensure_ascii=False, indent=1) + "\n")


def form_repeat_json(path: Path) -> None:
    persons = iter(TRUTH["repeat"])
    submissions = []
    for i in range(1, 5):
        victims = []
        for _ in range(i % 3 + 1):  # 2, 3, 1, 2 victims
            p = person(next(persons))
            victims.append({
                "victims/name": f"{p['given_fa']} {p['family_fa']}",
                "victims/age": p["age"],
                "victims/city": p["city_fa"],
            })  # fmt: skip
        submissions.append({"_id": 7000 + i, "reporter": {"role": "relative"},
                            "victims": victims})  # fmt: skip
    path.write_text(json.dumps(submissions, ensure_ascii=False, indent=1) + "\n")


def _arabic_letters(text: str) -> str:
    """Persian ی and ک as the Arabic ي and ك of Windows-1256 lists."""
    return text.replace("ی", "ي").replace("ک", "ك")


def family_csv(path: Path) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = ["رديف", "نام و نام خانوادگي", "نام پدر", "سن", "شهر", "تاريخ فوت",
              "وضعيت", "ملاحظات"]  # fmt: skip
    writer.writerow(header)
    for i, k in enumerate(TRUTH["family"], start=1):
        p = person(k)
        writer.writerow([
            i, _arabic_letters(f"{p['given_fa']} {p['family_fa']}"),
            _arabic_letters(p["father_fa"]), p["age"], _arabic_letters(p["city_fa"]),
            p["date_fa"].replace("۲۵ آبان ۱۳۹۸", "1398/08/25"), "كشته", "",
        ])  # fmt: skip
    path.write_bytes(out.getvalue().encode("cp1256"))


def gsheet_csv(path: Path) -> None:
    """A Google Sheets export: every row as wide as the sheet's used range."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = ["Timestamp", "Full name", "Age", "Gender", "City", "Province",
              "Date of death", "Status", "", ""]  # fmt: skip
    writer.writerow(["Victims reported to us (synthetic sample)"] + [""] * 9)
    writer.writerow(header)
    for i, k in enumerate(TRUTH["gsheet"], start=1):
        p = person(k)
        honorific = HONORIFICS.get(("gsheet", k))
        given = f"{honorific} {p['given_en']}" if honorific else p["given_en"]
        unknown = k in PLACE_UNKNOWN
        writer.writerow([
            f"12/{i}/2019 14:0{i}:11", f"{given} {p['family_en']}",
            "n/a" if unknown else p["age"], p["sex_en"].title(),
            "Unknown" if unknown else p["city_en"],
            "Unknown" if unknown else p["province_en"], p["date_iso"],
            "Injured" if k in INJURED else "Killed", "", "",
        ])  # fmt: skip
    path.write_bytes(out.getvalue().encode("utf-8"))


def gsheet_us_csv(path: Path) -> None:
    """A Google Sheet in US format (:data:`GSHEET_US`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["ID", "Full name", "Gender", "City", "Date of birth",
                     "Date of death", "Status", "", ""])  # fmt: skip
    for i, (k, died) in enumerate(GSHEET_US.items(), start=1):
        p, born = person(k), us_birth(k)
        writer.writerow([
            i, f"{p['given_en']} {p['family_en']}", p["sex_en"].title(),
            p["city_en"], f"{born.month}/{born.day}/{born.year}",
            f"{died.month}/{died.day}/{died.year}", "Killed", "", "",
        ])  # fmt: skip
    path.write_bytes(out.getvalue().encode("utf-8"))


def _book_sheet(sheet: Any, source: str, first: int) -> None:
    sheet.append(["ردیف", "نام و نام خانوادگی", "سن", "جنسیت", "شهر", "استان",
                  "تاریخ فوت"])  # fmt: skip
    for i, k in enumerate(TRUTH[source], start=first):
        p = person(k)
        honorific = HONORIFICS.get((source, k))
        name = f"{p['given_fa']} {p['family_fa']}"
        date = "۲۵ آبان" if k == BOOK_NO_YEAR else p["date_fa"]
        sheet.append([
            i, f"{honorific} {name}" if honorific else name, int(p["age"]),
            p["sex_fa"], p["city_fa"], p["province"], date,
        ])  # fmt: skip


def book_xlsx(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    notes = book.active
    notes.title = BOOK_SHEETS[0]
    for line in (
        "About this workbook (synthetic sample)",
        f"Sheet {BOOK_SHEETS[1]}: the list; sheet {BOOK_SHEETS[2]}: persons added "
        "later, numbered on from the list.",
        "Every person on both sheets was killed.",
    ):
        notes.append([line])
    _book_sheet(book.create_sheet(BOOK_SHEETS[1]), "book", 1)
    _book_sheet(book.create_sheet(BOOK_SHEETS[2]), "book_added", len(TRUTH["book"]) + 1)
    _save(book, path)


def form_server_jsonl(path: Path) -> None:
    lines = []
    for i, k in enumerate(TRUTH["odk"], start=1):
        p = person(k)
        uuid = f"uuid:00000000-0000-4000-9000-{i:012d}"
        lines.append({
            "__id": uuid,
            "victim": {
                "first_name": p["given_fa"], "last_name": p["family_fa"],
                "father_name": p["father_fa"], "age": int(p["age"]),
                "gender": p["sex_en"],
            },
            "incident": {
                "date": p["date_iso"],
                "place": {"city": p["city_fa"], "province": p["province"]},
                "status": "killed", "wound": "سر",
            },
            "meta": {"instanceID": uuid},
            "__system": {
                "submissionDate": f"2019-12-{i:02d}T09:00:00.000Z",
                "submitterName": "team 2", "status": None, "reviewState": None,
            },
        })  # fmt: skip
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    path.write_text(text, encoding="utf-8")


SHAPES = {
    "ngo_fa.xlsx": ngo_xlsx,
    "media_en.csv": media_csv,
    "media_en_v2.csv": media_v2_csv,
    "form_kobo.json": form_json,
    "form_repeat.json": form_repeat_json,
    "family_cp1256.csv": family_csv,
    "gsheet_en.csv": gsheet_csv,
    "gsheet_us.csv": gsheet_us_csv,
    "book_fa.xlsx": book_xlsx,
    "form_server.jsonl": form_server_jsonl,
}


def write_all(folder: Path) -> dict[str, Path]:
    """Write every shape into ``folder``; their paths by file name."""
    paths = {}
    for name, write in SHAPES.items():
        paths[name] = folder / name
        write(paths[name])
    return paths


if __name__ == "__main__":
    for written in write_all(HERE).values():
        print(written.relative_to(HERE.parents[2]))  # noqa: T201
