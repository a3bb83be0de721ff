"""Search keys: one key for a name in both scripts, and the JavaScript port's parity."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from aban.site.people import Place, PublishedPerson
from aban.site.search import name_keys, query_keys, search_index, search_script
from aban.text import normalise_name
from aban.text.keys import name_form, skeleton, sound_key

NAMES_JS = Path(__file__).parents[2] / "aban" / "site" / "static" / "names.js"
#: Synthetic names in both scripts, with the spellings and noise lists carry.
NAMES = [
    "Mohammad Reza Karimi",
    "Mohammad-Reza Karimi",
    "Mohammadreza Karimi",
    "محمدرضا کریمی",
    "محمد‌رضا کریمی",
    "محمد رضا کريمي",
    "Seyed Ali Hosseini",
    "سید علی حسینی",
    "Seyyedeh Zahra Moradi",
    "سیده زهرا مرادی",
    "Fatemeh Ghasemi",
    "فاطمة قاسمی",
    "Pooya Dehghan",
    "Puya Dehqan",
    "پویا دهقان",
    "Kourosh",
    "کوروش",
    "Zhaleh Rahimpour",
    "ژاله رحیم‌پور",
    "Ra'na Abbasi",
    "رعنا عباسی",
    "Hossein Ali-zadeh",
    "حسین علی‌زاده",
    "Khadijeh Amiri",
    "خدیجه امیری",
    "Mahmoud Yazdani",
    "محمود یزدانی",
    "Haj Taghi Sadeghi",
    "حاج تقی صادقی",
    "Martyr Seyed Ali Rostami",
    "شهید حاج احمد کاظمی",
    "Seyed-Ali Rostami",
    "سیدعلی رستمی",
    "Haji Zadeh",
    "حاجی زاده",
    "Émile Garçon",
    "Weiß Straße",
    "كاظم رضائي",
    "آرش ۱۲۳",
    "Ali\u200fReza",
    "  spaced\t name  ",
    "Seyed",
    "O\u2019Neil Ch. Schmidt",
    "Mehdi Gholami",
    "مهدی غلامی",
    "Yusuf Vahidi",
    "یوسف وحیدی",
    "Ehsan",
    "احسان",
    "Eisa",
    "عیسی",
    "Shahrzad Ghaffari",
    "شهرزاد غفاری",
    "Behnoosh Khosrowshahi",
    "بهنوش خسروشاهی",
    "",
    "۱۳۹۸",
    "Mohammad_Hossein.Jafari",
    "محمدحسین جعفری",
]


@pytest.mark.parametrize(
    ("latin", "persian"),
    [
        ("Pooya Dehghan", "پویا دهقان"),
        ("Puya Dehqan", "پویا دهقان"),
        ("Mahmoud Yazdani", "محمود یزدانی"),
        ("Zhaleh", "ژاله"),
        ("Parham Dehghanzadeh", "پرهام دهقان‌زاده"),
    ],
)
def test_a_name_has_one_key_in_both_scripts(latin: str, persian: str) -> None:
    assert name_keys(latin) == name_keys(persian) != ""


def test_search_does_not_load_the_linkage_stage() -> None:
    # Name keys are text functions (issue 12): the search index needs no pandas.
    code = (
        "import sys, aban.site.search; "
        "print(sorted({'pandas', 'aban.linkage'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stderr


def test_keys_are_sound_keys_of_each_word() -> None:
    assert name_keys("Pooya Dehghan") == "pUI dhqn"
    assert name_keys("Mohammad-Reza  Karimi") == "mhmd rz krImI"
    assert name_keys("") == ""


def test_query_keys_drop_honorifics_in_front() -> None:
    assert query_keys("Seyed Ali") == [(sound_key("ali"), skeleton("ali"))]
    assert query_keys("سید علی") == query_keys("علی")
    assert query_keys("Seyed") == [(sound_key("seyed"), skeleton("seyed"))]
    assert query_keys("Kourosh") == [("kUrS", "krS")]
    assert query_keys("کوروش") == [("kUrUS", "krS")]


def _person(
    pid: str, names: dict[str, str], city: Place | None = None
) -> PublishedPerson:
    values: dict[str, Any] = {"date_of_death": "2019-11-16"}
    if city:
        values["city"] = city
    return PublishedPerson(pid, "public", names, {}, values)


def test_the_index_holds_named_persons_only() -> None:
    persons = [
        _person(
            "P000001",
            {"persian": "پویا دهقان", "latin": "Puya Dehqan"},
            Place("Tehran", "تهران"),
        ),
        _person("P000002", {}),
        _person("P000003", {"latin": "Ali </script> Test"}),
    ]
    assert search_index(persons) == [
        [
            "P000001",
            "Puya Dehqan",
            "پویا دهقان",
            ["pUI dhqn"],
            "Tehran",
            "تهران",
            "2019-11-16",
            "۲۵ آبان ۱۳۹۸",
            ["teheran", "tehran", "تهران"],
        ],
        [
            "P000003",
            "Ali </script> Test",
            "Ali </script> Test",
            [name_keys("Ali </script> Test")],
            "",
            "",
            "2019-11-16",
            "۲۵ آبان ۱۳۹۸",
            [],
        ],
    ]
    script = search_script(persons).decode("utf-8")
    assert script.startswith("window.ABAN_SEARCH=[[") and script.endswith("];\n")
    assert "</script>" not in script and "<\\/script>" in script
    assert json.loads(script[len("window.ABAN_SEARCH=") : -2].replace("<\\/", "</"))


def _python_keys(name: str) -> dict[str, Any]:
    words = normalise_name(name).split()
    return {
        "normalise": normalise_name(name),
        "form": name_form(name),
        "sound": [sound_key(w) for w in words],
        "skeleton": [skeleton(w) for w in words],
        "keySkeleton": [skeleton(w) for w in words],
        "keys": name_keys(name),
        "query": [list(pair) for pair in query_keys(name)],
    }


_JS = """names => names.map(name => {
  const n = window.AbanNames;
  const words = n.normaliseName(name) === "" ? [] : n.normaliseName(name).split(" ");
  return {normalise: n.normaliseName(name), form: n.nameForm(name),
          sound: words.map(n.soundKey), skeleton: words.map(n.skeleton),
          keySkeleton: words.map(w => n.keySkeleton(n.soundKey(w))),
          keys: n.nameKeys(name), query: n.queryKeys(name)};
})"""


@pytest.mark.browser
def test_the_javascript_port_gives_the_same_keys(offline_page: Any) -> None:
    offline_page.set_content("<!doctype html><meta charset='utf-8'><title>t</title>")
    offline_page.add_script_tag(path=str(NAMES_JS))
    got = offline_page.evaluate(_JS, NAMES)
    expected = [_python_keys(name) for name in NAMES]
    for name, mine, theirs in zip(NAMES, expected, got, strict=True):
        assert theirs == mine, name
    assert offline_page.errors == [] and offline_page.offsite == []
