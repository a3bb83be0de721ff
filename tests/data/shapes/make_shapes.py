"""Write the synthetic lists of tests/data/shapes: four shapes of real lists.

Every name is drawn from the simulator's synthetic name bank (aban/sim/names.py) by a
fixed rule; no row is a real person. Run ``python tests/data/shapes/make_shapes.py``
to rewrite the files here (the tests write them afresh into a temporary folder).

- ``ngo_fa.xlsx``: a Persian NGO's workbook: a merged title row, a blank row, the
  header on row 3, Persian digits, "۱۷ ساله" ages, dates such as "۲۵ آبان ۱۳۹۸", no
  status column (a list of the dead), and a totals row "جمع / ۱۲ نفر".
- ``media_en.csv``: a media outlet's English list: "#", Name, Age, City, Date,
  Source URL, "Unknown" for what is missing, no status column.
- ``form_kobo.json``: a form app's export (KoBoToolbox style): the victim's and the
  incident's fields in groups, ``_id``, ``_submission_time``, ``_geolocation``.
- ``family_cp1256.csv``: a family association's list in Windows-1256, its headers
  and names written with the Arabic letters ي and ك.
- ``form_repeat.json``: a form whose submissions each list several victims in a
  repeat group.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

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
MONTH_DAYS = (("۲۵ آبان ۱۳۹۸", "November 16, 2019"), ("1398/08/26", "17 Nov 2019"))


def person(i: int) -> dict[str, str]:
    """The i-th synthetic person: names from the name bank by a fixed stride."""
    female = i % 4 == 3
    given = (_FEMALE if female else _MALE)[(i * 7) % 20]
    family = _FAMILY[(i * 5 + 3) % 40]
    father = _MALE[(i * 3 + 11) % 30]
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
        "date_fa": MONTH_DAYS[i % 2][0],
        "date_en": MONTH_DAYS[i % 2][1],
    }


def ngo_xlsx(path: Path, count: int = 12) -> None:
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
    for i in range(1, count + 1):
        p = person(i)
        age = f"{persian_digits(p['age'])} ساله" if i % 2 else persian_digits(p["age"])
        sheet.append([
            persian_digits(str(i)), p["given_fa"], p["family_fa"], p["father_fa"], age,
            p["sex_fa"], p["city_fa"], p["province"], p["date_fa"],
            "سر" if i % 3 else "سینه",
        ])  # fmt: skip
    last = sheet.max_row + 1
    sheet.append([f"جمع / {persian_digits(str(count))} نفر"])
    sheet.merge_cells(start_row=last, start_column=1, end_row=last, end_column=5)
    book.properties.creator = "aban tests"
    book.save(path)


def media_csv(path: Path, count: int = 10) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["#", "Name", "Age", "City", "Date", "Source URL"])
    for i in range(1, count + 1):
        p = person(i + 40)
        writer.writerow([
            i, f"{p['given_en']} {p['family_en']}",
            "Unknown" if i % 4 == 0 else p["age"],
            "Unknown" if i % 5 == 0 else p["city_en"], p["date_en"],
            f"https://news.example/story/{1000 + i}",
        ])  # fmt: skip
    path.write_text(out.getvalue(), encoding="utf-8")


def form_json(path: Path, count: int = 8) -> None:
    submissions = []
    for i in range(1, count + 1):
        p = person(i + 80)
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
                "date": "2019-11-16", "city": p["city_fa"], "status": "killed",
            },
            "_geolocation": [29.6 + i / 100, 52.5],
        })  # fmt: skip
    path.write_text(json.dumps(submissions, ensure_ascii=False, indent=1) + "\n")


def form_repeat_json(path: Path, count: int = 4) -> None:
    submissions = []
    for i in range(1, count + 1):
        victims = []
        for k in range(1, i % 3 + 2):  # 2, 3, 1, 2 victims
            p = person(i * 10 + k + 120)
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


def family_csv(path: Path, count: int = 9) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = ["رديف", "نام و نام خانوادگي", "نام پدر", "سن", "شهر", "تاريخ فوت",
              "وضعيت", "ملاحظات"]  # fmt: skip
    writer.writerow(header)
    for i in range(1, count + 1):
        p = person(i + 160)
        writer.writerow([
            i, _arabic_letters(f"{p['given_fa']} {p['family_fa']}"),
            _arabic_letters(p["father_fa"]), p["age"], _arabic_letters(p["city_fa"]),
            "1398/08/25", "كشته", "",
        ])  # fmt: skip
    path.write_bytes(out.getvalue().encode("cp1256"))


SHAPES = {
    "ngo_fa.xlsx": ngo_xlsx,
    "media_en.csv": media_csv,
    "form_kobo.json": form_json,
    "form_repeat.json": form_repeat_json,
    "family_cp1256.csv": family_csv,
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
