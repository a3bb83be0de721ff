"""Lists written apart from aban's simulator, for measuring linkage only (issue 16).

aban's linkage was written against aban's own simulator, whose spellings it knows.
These lists are made another way, so that a score on them says something about
lists nobody tuned for. This module imports nothing of ``aban`` (and so shares no
code or table with ``aban.sim``): its own name bank, its own romanisation, its own
noise, its own cities and dates.

* **Names.** Common Iranian given names and family names (the family names in
  rough order of frequency, then surnames made from a stem and a suffix, with or
  without a prefix: about 17,000, so that at 100,000 persons some 30% share
  their full name with someone), combined at random into invented persons;
  compound given names (Mohammadreza) are written joined, spaced or
  hyphenated. Each name is written once in Persian script and once in a
  phonemic code from which every Latin spelling is made: upper-case letters
  mark the sounds that romanisations disagree on (``Q`` ق, ``G`` غ, ``X`` خ,
  ``S`` ش, ``C`` چ, ``J`` ژ, ``W`` و as a consonant, ``U`` و as a vowel, ``I`` ی
  as a vowel, ``A`` long a, ``E`` a final silent ه, ``'`` ع).
* **Frequencies.** Family names follow a Zipf law whose exponent is set so that
  the commonest (Mohammadi) is 1.1% of persons, as in Iran's civil registry
  (960,505 Mohammadi among about 85 million, as reported by the Persian press).
* **Habits.** Each Latin-script list has its own romanisation: English
  newspaper style (gh, kh, sh, ou), a scholarly style (q for ق, u, e for final
  ه), a French style (ch for ش, tch for چ, j for ژ) and a careless one (g for
  ق/غ, x for خ, w for و, oo and ee); within a list a share of names follow
  another habit.
* **Noise.** Letters doubled or dropped and vowels swapped (``letters``),
  typing errors (``typo``), "Family, Given" with a comma (``comma_order``), a
  one-word name (``one_word``), the date of the report instead of the date of
  death (``report_date``), an age off by 4 years or more (``wide_age``) or by 1
  or 2 (``age``), another city (``city``), empty cells, and a share of persons
  listed twice by the same list.

Output (:func:`write_lists`): ``sources/<list>.csv`` in the records CSV
interchange format (``aban import`` reads them as they are) and
``truth/records.csv`` (``record_id, source, person_id, contradiction, duplicate,
noise``), the layout of ``aban simulate``'s truth, so that the linkage benchmark
scores both the same way; ``lists.json`` holds the settings and counts.

Usage: ``python -m bench.outside_lists OUT --persons 2000 --seed 1``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import random
from dataclasses import dataclass, replace
from functools import cache
from itertools import accumulate
from pathlib import Path

ZWNJ = "\u200c"

# fmt: off
#: Family names, commonest first: (Persian script, phonemic code).
FAMILY = (
    ("محمدی", "mohammadI"), ("حسینی", "hoseynI"), ("احمدی", "ahmadI"),
    ("رضایی", "rezA'I"), ("موسوی", "mUsawI"), ("کریمی", "karImI"),
    ("جعفری", "ja'farI"), ("رحیمی", "rahImI"), ("قاسمی", "QAsemI"),
    ("صادقی", "sAdeQI"), ("هاشمی", "hASemI"), ("کاظمی", "kAzemI"),
    ("اکبری", "akbarI"), ("عباسی", "'abbAsI"), ("باقری", "bAQerI"),
    ("ابراهیمی", "ebrAhImI"), ("نوری", "nUrI"), ("طاهری", "tAherI"),
    ("اسدی", "asadI"), ("یوسفی", "yUsefI"), ("صفری", "safarI"),
    ("شریفی", "SarIfI"), ("امینی", "amInI"), ("غلامی", "GolAmI"),
    ("خلیلی", "XalIlI"), ("داوودی", "dAwUdI"), ("بهرامی", "bahrAmI"),
    ("زارعی", "zAre'I"), ("نجفی", "najafI"), ("مرادی", "morAdI"),
    ("قربانی", "QorbAnI"), ("سلطانی", "soltAnI"), ("رستمی", "rostamI"),
    ("حیدری", "heydarI"), ("خسروی", "XosrawI"), ("فرهادی", "farhAdI"),
    ("شجاعی", "SojA'I"), ("ملکی", "malekI"), ("نظری", "nazarI"),
    ("جلالی", "jalAlI"), ("کرمانی", "kermAnI"), ("تهرانی", "tehrAnI"),
    ("اصفهانی", "esfahAnI"), ("چراغی", "CerAQI"), ("عسگری", "'asgarI"),
    ("مختاری", "moXtArI"), ("قنبری", "QanbarI"), ("یزدانی", "yazdAnI"),
    ("میرزایی", "mIrzA'I"), ("فلاحی", "fallAhI"), ("شهبازی", "SahbAzI"),
    ("نادری", "nAderI"), ("غفاری", "GaffArI"), ("خدایی", "XodA'I"),
    ("بختیاری", "baXtiyArI"), ("ژاله", "JAlE"), ("درویشی", "darwISI"),
    ("قلی‌پور", "Qolipur"), ("شاکری", "SAkerI"), ("وکیلی", "wakIlI"),
)
#: Stems and suffixes of the long tail of family names (Alizadeh, Karimpour...).
STEMS = (
    ("علی", "'alI"), ("حسن", "hasan"), ("حسین", "hoseyn"), ("احمد", "ahmad"),
    ("کریم", "karIm"), ("رحیم", "rahIm"), ("جعفر", "ja'far"), ("قاسم", "QAsem"),
    ("رضا", "rezA"), ("تقی", "taQI"), ("یعقوب", "ya'QUb"), ("صادق", "sAdeQ"),
    ("داوود", "dAwUd"), ("عزیز", "'azIz"), ("رحمان", "rahmAn"), ("مهدی", "mahdI"),
    ("نصیر", "nasIr"), ("امیر", "amIr"), ("اکبر", "akbar"), ("خداداد", "XodAdAd"),
    ("شیر", "SIr"), ("نیک", "nIk"), ("بهرام", "bahrAm"), ("قادر", "QAder"),
    ("غفور", "GafUr"), ("خلیل", "XalIl"), ("شکور", "SakUr"), ("ولی", "walI"),
    ("جهان", "jahAn"), ("فتح", "fath"), ("مظفر", "mozaffar"), ("نور", "nUr"),
    ("محمود", "mahmUd"), ("مسعود", "mas'Ud"), ("منصور", "mansUr"), ("ناصر", "nAser"),
    ("سلیمان", "soleymAn"), ("ابراهیم", "ebrAhIm"), ("اسماعیل", "esmA'Il"),
    ("موسی", "mUsA"), ("یحیی", "yahyA"), ("حبیب", "habIb"), ("نجیب", "najIb"),
    ("شریف", "SarIf"), ("لطیف", "latIf"), ("رشید", "raSId"), ("سعید", "sa'Id"),
    ("مجید", "majId"), ("حمید", "hamId"), ("وحید", "wahId"), ("فرید", "farId"),
    ("جمشید", "jamSId"), ("خورشید", "XorSId"), ("بهمن", "bahman"), ("کیا", "kiyA"),
    ("شاه", "SAh"), ("مهر", "mehr"), ("دوست", "dUst"), ("یار", "yAr"),
    ("رستم", "rostam"), ("سهراب", "sohrAb"), ("گودرز", "gUdarz"), ("فرخ", "farroX"),
    ("خسرو", "Xosrow"), ("بیژن", "biJan"), ("اسفندیار", "esfandiyAr"),
    ("نادر", "nAder"), ("طاهر", "tAher"), ("صالح", "sAleh"), ("فاضل", "fAzel"),
    ("عادل", "'Adel"), ("کمال", "kamAl"), ("جمال", "jamAl"), ("جلال", "jalAl"),
    ("رمضان", "ramazAn"), ("شعبان", "Sa'bAn"), ("رجب", "rajab"), ("صفر", "safar"),
    ("نوروز", "nowrUz"), ("قلی", "QolI"), ("غلام", "GolAm"), ("باقر", "bAQer"),
    ("کاظم", "kAzem"), ("هاشم", "hASem"), ("قربان", "QorbAn"), ("نظر", "nazar"),
    ("اسد", "asad"), ("درویش", "darwIS"), ("زمان", "zamAn"), ("ایزد", "Izad"),
    ("یزدان", "yazdAn"), ("خدا", "XodA"), ("دل", "del"), ("گل", "gol"),
    ("آزاد", "AzAd"), ("بهار", "bahAr"), ("شهاب", "SahAb"), ("ماهان", "mAhAn"),
)
SUFFIXES = (
    ("زاده", "zAdE"), ("پور", "pUr"), ("نژاد", "neJAd"), ("فر", "far"),
    ("نیا", "niyA"), ("وند", "wand"), ("لو", "lU"), ("خانی", "XAnI"),
    ("ی", "I"), ("یان", "yAn"), ("آبادی", "AbAdI"), ("بخش", "baXS"),
    ("منش", "maneS"), ("پناه", "panAh"), ("دوست", "dUst"), ("کار", "kAr"),
    ("بیگی", "beygI"), ("اللهی", "ollAhI"),
)
PREFIXES = (
    ("", ""), ("میر", "mIr"), ("پور", "pUr"), ("آقا", "AQA"), ("حاجی", "hAjI"),
    ("ملا", "mollA"), ("شیخ", "SeyX"), ("کربلایی", "karbalA'I"),
    ("مشهدی", "maShadI"), ("استاد", "ostAd"),
)
#: Men's and women's given names.
MEN = (
    ("محمد", "mohammad"), ("علی", "'alI"), ("حسین", "hoseyn"), ("رضا", "rezA"),
    ("محمدرضا", "mohammad+rezA"), ("امیرحسین", "amIr+hoseyn"),
    ("مهدی", "mahdI"), ("امیر", "amIr"), ("حسن", "hasan"), ("ابوالفضل", "abolfazl"),
    ("علیرضا", "'alI+rezA"), ("محمدحسین", "mohammad+hoseyn"),
    ("علی‌اکبر", "'alI+akbar"), ("محمدعلی", "mohammad+'alI"),
    ("امیرمحمد", "amIr+mohammad"), ("محمدمهدی", "mohammad+mahdI"),
    ("ابوالقاسم", "abol+QAsem"), ("حمیدرضا", "hamId+rezA"),
    ("محسن", "mohsen"), ("سعید", "sa'Id"), ("مجید", "majId"), ("احمد", "ahmad"),
    ("جواد", "jawAd"), ("حمید", "hamId"), ("مصطفی", "mostafA"), ("امید", "omId"),
    ("میلاد", "mIlAd"), ("سجاد", "sajjAd"), ("محمود", "mahmUd"), ("وحید", "wahId"),
    ("مرتضی", "mortezA"), ("عباس", "'abbAs"), ("یوسف", "yUsef"), ("کریم", "karIm"),
    ("قاسم", "QAsem"), ("هادی", "hAdI"), ("بهزاد", "behzAd"), ("پویا", "pUyA"),
    ("آرش", "ArAS"), ("نوید", "nawId"), ("مسعود", "mas'Ud"), ("کاظم", "kAzem"),
    ("فرهاد", "farhAd"), ("ایمان", "ImAn"), ("پژمان", "peJmAn"), ("خلیل", "XalIl"),
    ("شهرام", "SahrAm"), ("جعفر", "ja'far"), ("صادق", "sAdeQ"), ("یعقوب", "ya'QUb"),
    ("غلامرضا", "GolAmrezA"), ("باقر", "bAQer"), ("روح‌الله", "rUhollAh"),
    ("نیما", "nImA"), ("کیوان", "keywAn"), ("شاهین", "SAhIn"),
)
WOMEN = (
    ("فاطمه", "fAtemE"), ("زهرا", "zahrA"), ("مریم", "maryam"), ("نرگس", "narges"),
    ("سارا", "sArA"), ("نگین", "negIn"), ("مهسا", "mahsA"), ("نیکا", "nIkA"),
    ("ستاره", "setArE"), ("شیرین", "SIrIn"), ("الهه", "elAhE"), ("کیانا", "kiyAnA"),
    ("خدیجه", "XadIjE"), ("معصومه", "ma'sUmE"),
)
#: Cities (Persian script, code, weight): where the killings were most reported
#: weigh more.
CITIES = (
    ("تهران", "tehrAn", 10), ("کرج", "karaj", 4), ("شیراز", "SIrAz", 5),
    ("اصفهان", "esfahAn", 3), ("اهواز", "ahwAz", 5), ("ماهشهر", "mAhSahr", 6),
    ("کرمانشاه", "kermAnSAh", 4), ("مشهد", "maShad", 2), ("تبریز", "tabrIz", 2),
    ("رشت", "raSt", 1), ("بهبهان", "behbahAn", 4), ("سیرجان", "sIrjAn", 3),
    ("مریوان", "marIwAn", 3), ("جوانرود", "jawAnrUd", 4), ("شهریار", "Sahriyar", 5),
    ("اسلامشهر", "eslAmSahr", 4), ("قدس", "Qods", 3), ("ملارد", "malArd", 3),
    ("خرمشهر", "XorramSahr", 3), ("آبادان", "AbAdAn", 2), ("سنندج", "sanandaj", 2),
    ("کازرون", "kAzerUn", 2), ("صدرا", "sadrA", 2), ("پاکدشت", "pAkdaSt", 2),
    ("ورامین", "warAmIn", 1), ("قزوین", "QazwIn", 1), ("زاهدان", "zAhedAn", 1),
    ("ساری", "sArI", 1), ("اراک", "arAk", 1), ("کرمان", "kermAn", 1),
)
# fmt: on

#: How each habit writes the marked sounds (several choices: one at random).
HABITS: dict[str, dict[str, tuple[str, ...]]] = {
    "english": {
        "Q": ("gh",), "G": ("gh",), "X": ("kh",), "S": ("sh",), "C": ("ch",),
        "J": ("zh",), "W": ("v",), "U": ("ou",), "I": ("i",), "A": ("a",),
        "E": ("eh",), "'": ("",),
    },
    "scholarly": {
        "Q": ("q",), "G": ("gh",), "X": ("kh",), "S": ("sh",), "C": ("ch",),
        "J": ("zh",), "W": ("v",), "U": ("u",), "I": ("i",), "A": ("a",),
        "E": ("e",), "'": ("'", ""),
    },
    "french": {
        "Q": ("gh",), "G": ("gh",), "X": ("kh",), "S": ("ch",), "C": ("tch",),
        "J": ("j",), "W": ("v",), "U": ("ou",), "I": ("i",), "A": ("a",),
        "E": ("eh", "e"), "'": ("",),
    },
    "careless": {
        "Q": ("g", "q", "gh"), "G": ("g", "gh"), "X": ("x", "kh", "h"),
        "S": ("sh",), "C": ("ch",), "J": ("j", "zh"), "W": ("w", "v"),
        "U": ("oo", "u", "o"), "I": ("ee", "i", "y"), "A": ("a", "aa"),
        "E": ("e", "a", "eh"), "'": ("",),
    },
}  # fmt: skip


@dataclass(frozen=True)
class ListSpec:
    """One outside list: its script, its habit and how much it gets wrong."""

    name: str
    persian: float  # share of rows in Persian script
    habit: str
    other_habit: float  # share of Latin names written in another habit
    split_names: bool  # given and family name in their own columns
    reach: float  # logit of the chance to list a person of average visibility
    dates: tuple[str, ...]  # Latin date layouts
    letters: float
    typos: float
    comma: float
    one_word: float
    report: float
    wide_age: float
    twice: float  # persons listed twice


LISTS = (
    ListSpec("rights_group_fa", 1.0, "english", 0.0, True, -0.7, ("iso",),
             0.0, 0.0, 0.05, 0.03, 0.10, 0.05, 0.02),
    ListSpec("wire_en", 0.0, "english", 0.25, False, -1.4, ("text_us", "iso"),
             0.10, 0.02, 0.05, 0.03, 0.20, 0.08, 0.01),
    ListSpec("exile_fr", 0.0, "french", 0.3, True, -1.9, ("day_first", "text"),
             0.15, 0.04, 0.15, 0.04, 0.15, 0.10, 0.03),
    ListSpec("posts_mixed", 0.3, "careless", 0.4, False, -1.6,
             ("day_first", "text", "iso"), 0.30, 0.08, 0.10, 0.08, 0.20, 0.12, 0.05),
)  # fmt: skip

_MONTHS = ("January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December")  # fmt: skip
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
#: 1 Aban 1398 of the Solar Hijri calendar; Aban and Azar have 30 days each.
_ABAN_1 = dt.date(2019, 10, 23)
_FIRST_DEATH = dt.date(2019, 11, 15)


def _join(first: str, second: str) -> str:
    """Persian compound: joined after a non-joining letter, else with a ZWNJ."""
    return first + second if first[-1] in "اآدذرزژو" else first + ZWNJ + second


@cache
def family_bank() -> list[tuple[str, str]]:
    """The common family names, then prefix + stem + suffix ones (about 17,000)."""
    names = list(FAMILY)
    seen = {code for _, code in names}
    for pre_fa, pre_code in PREFIXES:
        for stem_fa, stem_code in STEMS:
            for suf_fa, suf_code in SUFFIXES:
                code = pre_code + stem_code + suf_code
                if code in seen or stem_code.endswith(("I", "A")) and suf_code == "I":
                    continue
                seen.add(code)
                fa = _join(stem_fa, suf_fa)
                names.append((_join(pre_fa, fa) if pre_fa else fa, code))
    return names


def zipf(n: int, top_share: float) -> list[float]:
    """Weights ``1 / rank ** s`` with ``s`` set so that rank 1 has ``top_share``."""
    low, high = 0.0, 3.0
    for _ in range(60):
        s = (low + high) / 2
        weights = [1 / r**s for r in range(1, n + 1)]
        if weights[0] / sum(weights) < top_share:
            low = s
        else:
            high = s
    return weights


#: How the parts of a compound name (``+`` in the code) are joined, and how often.
JOINS = (("", 0.6), (" ", 0.3), ("-", 0.1))


def romanise(code: str, habit: str, rng: random.Random) -> str:
    """A Latin spelling of a phonemic code in one habit, each part capitalised
    (a compound name is written joined, spaced or hyphenated)."""
    table = HABITS[habit]
    out = "".join(rng.choice(table[c]) if c in table else c for c in code)
    parts = out.split("+")
    if len(parts) > 1:
        join = rng.choices([j for j, _ in JOINS], [w for _, w in JOINS])[0]
        parts = [_capital(p) if join else p for p in parts]
        return _capital(join.join(parts))
    return _capital(out)


def _capital(word: str) -> str:
    """``word`` with its first letter upper-case (after a leading ``'``)."""
    first = 1 if word.startswith("'") else 0
    return word[:first] + word[first : first + 1].upper() + word[first + 1 :]


def letter_noise(word: str, rng: random.Random) -> str:
    """A letter doubled or dropped, or a vowel written as its neighbour."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    roll = rng.random()
    if roll < 0.35 and word[i] not in "aeiou":
        return word[:i] + word[i] + word[i:]
    if roll < 0.6 and word[i] == word[i - 1]:
        return word[:i] + word[i + 1 :]
    swaps = {"a": "e", "e": "a", "o": "u", "u": "o", "i": "e"}
    if word[i] in swaps:
        return word[:i] + swaps[word[i]] + word[i + 1 :]
    return word[:i] + word[i + 1 :] if word[i] == "h" else word[:i] + "h" + word[i:]


def typo(word: str, rng: random.Random) -> str:
    """Two letters swapped, one dropped or one replaced by its keyboard neighbour."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    roll = rng.random()
    if roll < 0.4:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if roll < 0.7:
        return word[:i] + word[i + 1 :]
    rows = "qwertyuiop", "asdfghjkl", "zxcvbnm"
    for row in rows:
        if word[i] in row:
            j = row.index(word[i])
            near = row[j - 1] if j else row[1]
            return word[:i] + near + word[i + 1 :]
    return word


@dataclass(frozen=True)
class Person:
    """One invented person: the truth behind the records."""

    pid: str
    given: tuple[str, str]
    family: tuple[str, str]
    sex: str
    age: int
    death: dt.date
    city: tuple[str, str, int]
    visibility: float


@cache
def _cumulative() -> dict[str, list[float]]:
    """Cumulative weights of family names, men's and women's names, cities, days."""
    weights = {
        "family": zipf(len(family_bank()), 0.011),
        "men": zipf(len(MEN), 0.12),
        "women": zipf(len(WOMEN), 0.2),
        "city": [float(c[2]) for c in CITIES],
        "day": [0.18, 0.32, 0.25, 0.12, 0.06, 0.03, 0.02, 0.02],
    }
    return {k: list(accumulate(w)) for k, w in weights.items()}


def draw_persons(n: int, rng: random.Random) -> list[Person]:
    """``n`` invented persons: mostly young men, deaths from 15 November 2019."""
    families, cum = family_bank(), _cumulative()
    persons = []
    for k in range(n):
        woman = rng.random() < 0.08
        given = rng.choices(
            WOMEN if woman else MEN, cum_weights=cum["women" if woman else "men"]
        )[0]
        age = max(2, min(90, round(rng.lognormvariate(math.log(26), 0.35))))
        day = rng.choices(range(len(cum["day"])), cum_weights=cum["day"])[0]
        persons.append(
            Person(
                pid=f"X{k + 1:07d}",
                given=given,
                family=rng.choices(families, cum_weights=cum["family"])[0],
                sex="f" if woman else "m",
                age=age,
                death=_FIRST_DEATH + dt.timedelta(days=day),
                city=rng.choices(CITIES, cum_weights=cum["city"])[0],
                visibility=rng.gauss(0.0, 1.2),
            )
        )
    return persons


def _solar(day: dt.date, persian_digits: bool) -> str:
    offset = (day - _ABAN_1).days
    month, date = 8 + offset // 30, offset % 30 + 1
    text = f"1398/{month:02d}/{date:02d}"
    return text.translate(_PERSIAN_DIGITS) if persian_digits else text


def _latin_date(day: dt.date, layout: str) -> str:
    if layout == "iso":
        return day.isoformat()
    if layout == "day_first":
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    if layout == "text":
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return f"{_MONTHS[day.month - 1][:3]} {day.day}, {day.year}"


def _latin_name(spec: ListSpec, code: str, rng: random.Random, kinds: set[str]) -> str:
    habit = spec.habit
    if rng.random() < spec.other_habit:
        habit = rng.choice([h for h in HABITS if h != spec.habit])
    word = romanise(code, habit, rng)
    english = romanise(code.replace("+", ""), "english", random.Random(0))
    if word.replace(" ", "").replace("-", "").lower() != english.lower():
        kinds.add("habit")
    if rng.random() < spec.letters:
        word, before = letter_noise(word, rng), word
        if word != before:
            kinds.add("letters")
    if rng.random() < spec.typos:
        word, before = typo(word, rng), word
        if word != before:
            kinds.add("typo")
    return word


def _persian_name(fa: str, rng: random.Random) -> str:
    if ZWNJ in fa and rng.random() < 0.5:
        fa = fa.replace(ZWNJ, rng.choice((" ", "")))
    if rng.random() < 0.15:
        fa = fa.replace("ی", "ي").replace("ک", "ك")
    return fa


def _names(
    spec: ListSpec, person: Person, persian: bool, rng: random.Random, kinds: set[str]
) -> tuple[str, str, str]:
    """Full, given and family name; the last two empty when only the full name
    is written (the list's way, a one-word name or "Family, Given")."""
    if persian:
        given = _persian_name(person.given[0], rng)
        family = _persian_name(person.family[0], rng)
    else:
        given = _latin_name(spec, person.given[1], rng, kinds)
        family = _latin_name(spec, person.family[1], rng, kinds)
    roll = rng.random()
    if roll < spec.one_word:
        kinds.add("one_word")
        return (family if rng.random() < 0.6 else given), "", ""
    if roll < spec.one_word + spec.comma:
        kinds.add("comma_order")
        return f"{family}{'، ' if persian else ', '}{given}", "", ""
    if not spec.split_names:
        return f"{given} {family}", "", ""
    return f"{given} {family}", given, family


def _values(
    spec: ListSpec, person: Person, rng: random.Random, kinds: set[str]
) -> tuple[dt.date, int, tuple[str, str, int], str]:
    """Date, age and city as the list has them, and the contradicting one."""
    death, age, city, wrong = person.death, person.age, person.city, ""
    if rng.random() < spec.report:
        death += dt.timedelta(days=rng.randint(1, 3))
        kinds.add("report_date")
    roll = rng.random()
    if roll < spec.wide_age:
        size = 4 + rng.randint(0, max(1, age // 5))
        age = age + size if rng.random() < 0.5 or age - size < 1 else age - size
        kinds.add("wide_age")
    elif roll < spec.wide_age + 0.08:
        age = max(1, age + rng.choice((-2, -1, 1, 2)))
        wrong = "age"
    if rng.random() < 0.03:
        city, wrong = rng.choice([c for c in CITIES if c != city]), "city"
    return death, age, city, wrong


def _record(
    spec: ListSpec, person: Person, rid: str, rng: random.Random
) -> tuple[dict[str, str], set[str], str]:
    """One record of ``person`` in list ``spec``, its noise kinds and what is wrong."""
    kinds: set[str] = set()
    persian = rng.random() < spec.persian
    full, given, family = _names(spec, person, persian, rng, kinds)
    death, age, city, wrong = _values(spec, person, rng, kinds)
    sure = "one_word" in kinds  # a one-word name comes with its date and city
    digits = persian and rng.random() < 0.6
    if persian:
        date, place = _solar(death, digits), city[0]
        sex = "زن" if person.sex == "f" else "مرد"
    else:
        date = _latin_date(death, rng.choice(spec.dates))
        sex = "F" if person.sex == "f" else "M"
        place = romanise(city[1], spec.habit, rng)
    row = {
        "record_id": rid,
        "source": spec.name,
        "full_name": full,
        "given_name": given,
        "family_name": family,
        "sex": "" if rng.random() < 0.1 else sex,
        "age": "" if rng.random() < 0.2 else str(age),
        "date_of_death": "" if rng.random() < 0.12 and not sure else date,
        "city": "" if rng.random() < 0.1 and not sure else place,
    }
    if digits:
        row["age"] = row["age"].translate(_PERSIAN_DIGITS)
    for kind, column in (("wide_age", "age"), ("report_date", "date_of_death")):
        if not row[column]:  # the cell the kind changed is not written
            kinds.discard(kind)
    return row, kinds, wrong


#: Columns of every list, in the interchange format's order.
COLUMNS = (
    "record_id",
    "source",
    "full_name",
    "given_name",
    "family_name",
    "sex",
    "age",
    "date_of_death",
    "city",
)


def _listed(persons: int, rng: random.Random) -> list[tuple[Person, list[int]]]:
    """Persons with the lists that name them, until ``persons`` are named."""
    found: list[tuple[Person, list[int]]] = []
    while len(found) < persons:
        batch = draw_persons(persons, rng)
        for person in batch:
            chances = [
                1 / (1 + math.exp(-(spec.reach + person.visibility))) for spec in LISTS
            ]
            named = [i for i, p in enumerate(chances) if rng.random() < p]
            if named and len(found) < persons:
                pid = f"X{len(found) + 1:07d}"
                found.append((replace(person, pid=pid), named))
    return found


def _write(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_lists(folder: Path, persons: int, seed: int) -> dict[str, object]:
    """Write the outside lists of ``persons`` named persons into ``folder``.

    Args:
        folder: Where ``sources/``, ``truth/records.csv`` and ``lists.json`` go.
        persons: Persons named by at least one list.
        seed: Seed of the one random generator (the same seed, the same files).

    Returns:
        The content of ``lists.json``: settings and counts.
    """
    rng = random.Random(seed)
    listed = _listed(persons, rng)
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    (folder / "truth").mkdir(exist_ok=True)
    truth: list[tuple[str, ...]] = []
    counts: dict[str, int] = {}
    for number, spec in enumerate(LISTS):
        named = [p for p, lists in listed if number in lists]
        twice = [p for p in named if rng.random() < spec.twice]
        entries = [(p, "0") for p in named] + [(p, "1") for p in twice]
        rng.shuffle(entries)
        rows = []
        for i, (person, duplicate) in enumerate(entries, start=1):
            rid = f"{spec.name[:2].upper()}{i:06d}"
            row, kinds, wrong = _record(spec, person, rid, rng)
            rows.append(tuple(row[c] for c in COLUMNS))
            label = ";".join(sorted(kinds))
            truth.append((rid, spec.name, person.pid, wrong, duplicate, label))
        _write(folder / "sources" / f"{spec.name}.csv", COLUMNS, rows)
        counts[spec.name] = len(rows)
    header = ("record_id", "source", "person_id", "contradiction", "duplicate", "noise")
    _write(folder / "truth" / "records.csv", header, truth)
    kinds = sorted({k for row in truth for k in row[5].split(";") if k})
    info: dict[str, object] = {
        "format": "outside-lists/1",
        "persons": persons,
        "seed": seed,
        "records": len(truth),
        "records_by_list": counts,
        "records_by_noise": {
            k: sum(k in row[5].split(";") for row in truth) for k in kinds
        },
    }
    text = json.dumps(info, ensure_ascii=False, indent=2)
    (folder / "lists.json").write_text(text + "\n", encoding="utf-8")
    return info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    info = write_lists(args.out, args.persons, args.seed)
    print(json.dumps(info, ensure_ascii=False))  # noqa: T201


if __name__ == "__main__":
    main()
