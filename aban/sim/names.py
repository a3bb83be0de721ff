"""Name bank of the simulator: common Persian given and family names in both scripts.

Ordinary name lists (frequent Iranian given names and surnames, and surnames built
the usual way from a stem and a suffix such as ``-zadeh``, ``-pour``, ``-nejad``),
never a list of victims. Each name has its standard Persian spelling, its common
English spelling and the alternative spellings people write: Latin transliteration
variants (``Mohammad``/``Mohammed``/``Muhammad``, ``-zadeh``/``-zade``, ``-i``/``-ee``/
``-y``) and Persian variants (ZWNJ, space or joined; Arabic ``ي``/``ك`` letters).

The lists are in rough order of frequency; :func:`zipf_weights` turns the rank into
a skewed frequency so that namesakes occur, as they do in real lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from aban.sim.vocab import arabic_letters

ZWNJ = "\u200c"
_NON_JOINING = set("اآأإدذرزژو")

# (Persian, English, other English spellings), most frequent first.
_MALE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("محمد", "Mohammad", ("Mohammed", "Muhammad", "Mohamad", "Mohamed")),
    ("علی", "Ali", ()),
    ("حسین", "Hossein", ("Hosein", "Hussein", "Hossain", "Husain")),
    ("رضا", "Reza", ()),
    ("مهدی", "Mehdi", ("Mahdi",)),
    ("امیر", "Amir", ("Ameer",)),
    ("حسن", "Hassan", ("Hasan",)),
    ("ابوالفضل", "Abolfazl", ("Abolfazel", "Abulfazl", "Abol-Fazl")),
    ("محسن", "Mohsen", ("Mohsin",)),
    ("سعید", "Saeed", ("Saeid", "Said", "Saied")),
    ("مجید", "Majid", ("Majeed",)),
    ("احمد", "Ahmad", ("Ahmed",)),
    ("جواد", "Javad", ("Jawad",)),
    ("حمید", "Hamid", ("Hameed",)),
    ("مصطفی", "Mostafa", ("Mustafa", "Moustafa")),
    ("امید", "Omid", ("Omeed",)),
    ("میلاد", "Milad", ()),
    ("سجاد", "Sajjad", ("Sajad",)),
    ("محمود", "Mahmoud", ("Mahmood", "Mahmud")),
    ("وحید", "Vahid", ()),
    ("مرتضی", "Morteza", ("Murtaza", "Mortaza")),
    ("عباس", "Abbas", ("Abas",)),
    ("اکبر", "Akbar", ()),
    ("یوسف", "Yousef", ("Yusuf", "Yosef", "Yousof")),
    ("کریم", "Karim", ("Kareem",)),
    ("جعفر", "Jafar", ("Jaafar", "Ja'far")),
    ("قاسم", "Ghasem", ("Qassem",)),
    ("هادی", "Hadi", ()),
    ("بهزاد", "Behzad", ()),
    ("پویا", "Pouya", ()),
    ("آرش", "Arash", ()),
    ("بهنام", "Behnam", ()),
    ("فرهاد", "Farhad", ()),
    ("پژمان", "Pejman", ("Pezhman",)),
    ("نوید", "Navid", ("Naveed",)),
    ("مسعود", "Masoud", ()),
    ("کاظم", "Kazem", ("Kazim",)),
    ("ناصر", "Naser", ("Nasser",)),
    ("اسماعیل", "Esmaeil", ("Ismail", "Esmail")),
    ("ابراهیم", "Ebrahim", ("Ibrahim",)),
    ("صادق", "Sadegh", ("Sadiq",)),
    ("یاسر", "Yaser", ("Yasser",)),
    ("عرفان", "Erfan", ()),
    ("امین", "Amin", ("Ameen",)),
    ("ایمان", "Iman", ()),
    ("بابک", "Babak", ()),
    ("سینا", "Sina", ()),
    ("پیمان", "Peyman", ("Payman",)),
    ("رامین", "Ramin", ()),
    ("شهرام", "Shahram", ()),
    ("کیوان", "Keyvan", ("Kayvan", "Kaivan")),
    ("فرشاد", "Farshad", ()),
    ("منوچهر", "Manouchehr", ()),
    ("نادر", "Nader", ()),
    ("اصغر", "Asghar", ("Asgar",)),
    ("داوود", "Davoud", ("Dawood",)),
    ("هومن", "Houman", ()),
    ("سهراب", "Sohrab", ()),
    ("رحیم", "Rahim", ("Raheem",)),
    ("طاها", "Taha", ()),
    ("رسول", "Rasoul", ("Rasool", "Rasul")),
    ("میثم", "Meysam", ("Maysam", "Meisam")),
    ("بهروز", "Behrouz", ("Behrooz",)),
    ("مهرداد", "Mehrdad", ()),
    ("سیاوش", "Siavash", ("Siyavash",)),
    ("کوروش", "Kourosh", ("Kurosh", "Cyrus")),
    ("کامران", "Kamran", ()),
    ("فریدون", "Fereydoun", ("Fereidoun", "Freydoon")),
    ("شاهین", "Shahin", ()),
    ("پرویز", "Parviz", ()),
    ("جمشید", "Jamshid", ()),
    ("منصور", "Mansour", ("Mansur",)),
    ("آرمان", "Arman", ()),
    ("دانیال", "Danial", ("Daniyal",)),
    ("روح‌الله", "Rouhollah", ("Ruhollah", "Rohollah")),
    ("نعمت‌الله", "Nematollah", ("Ne'matollah",)),
    ("حجت", "Hojjat", ("Hojat",)),
    ("ابوذر", "Abouzar", ("Abuzar", "Abozar")),
    ("صابر", "Saber", ()),
    ("ستار", "Sattar", ()),
    ("اسدالله", "Asadollah", ()),
    ("یونس", "Younes", ("Yunes", "Yunus")),
    ("ایوب", "Ayoub", ("Ayyub", "Ayub")),
    ("شهاب", "Shahab", ()),
    ("مسلم", "Moslem", ("Muslim",)),
    ("عماد", "Emad", ()),
    ("نیما", "Nima", ()),
    ("آرین", "Arian", ("Aryan",)),
    ("کمیل", "Komeil", ("Komail",)),
    ("حبیب", "Habib", ()),
    ("خلیل", "Khalil", ()),
    ("یعقوب", "Yaghoub", ("Yaqub", "Yaghoob")),
)

# Parts that occur only inside compounds.
_PARTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (("غلام", "Gholam", ()),)

# Compound given names (about one man in ten), most frequent first.
# fmt: off
_COMPOUNDS: tuple[tuple[str, str], ...] = (
    ("Mohammad", "Reza"), ("Ali", "Reza"), ("Amir", "Hossein"), ("Mohammad", "Ali"),
    ("Mohammad", "Hossein"), ("Mohammad", "Mehdi"), ("Ali", "Akbar"), ("Amir", "Ali"),
    ("Mohammad", "Javad"), ("Hamid", "Reza"), ("Gholam", "Reza"), ("Mohammad", "Amin"),
    ("Ali", "Asghar"), ("Amir", "Mohammad"), ("Mohammad", "Sadegh"),
    ("Mohammad", "Hassan"),
)
# fmt: on

_FEMALE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("فاطمه", "Fatemeh", ("Fatima", "Fatemah")),
    ("زهرا", "Zahra", ()),
    ("مریم", "Maryam", ("Mariam",)),
    ("زینب", "Zeinab", ("Zaynab", "Zainab")),
    ("معصومه", "Masoumeh", ()),
    ("سمیرا", "Samira", ()),
    ("نرگس", "Narges", ()),
    ("سارا", "Sara", ("Sarah",)),
    ("مینا", "Mina", ()),
    ("نسرین", "Nasrin", ("Nasreen",)),
    ("لیلا", "Leila", ("Leyla", "Layla")),
    ("الهام", "Elham", ()),
    ("محبوبه", "Mahboubeh", ()),
    ("سمانه", "Samaneh", ()),
    ("مهسا", "Mahsa", ()),
    ("نگار", "Negar", ()),
    ("شیرین", "Shirin", ("Shireen",)),
    ("آزاده", "Azadeh", ()),
    ("پریسا", "Parisa", ()),
    ("طاهره", "Tahereh", ()),
    ("اعظم", "Azam", ()),
    ("نازنین", "Nazanin", ()),
    ("هانیه", "Haniyeh", ("Hanieh",)),
    ("ریحانه", "Reyhaneh", ("Rayhaneh",)),
    ("کبری", "Kobra", ()),
    ("صدیقه", "Sedigheh", ()),
    ("فرزانه", "Farzaneh", ()),
    ("منیژه", "Manijeh", ("Manizheh",)),
    ("ستاره", "Setareh", ()),
    ("مهتاب", "Mahtab", ()),
)

# fmt: off
_FAMILY: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("محمدی", "Mohammadi", ()), ("حسینی", "Hosseini", ("Husseini",)),
    ("احمدی", "Ahmadi", ()), ("رضایی", "Rezaei", ("Rezaie", "Rezayi")),
    ("موسوی", "Mousavi", ()), ("کریمی", "Karimi", ()), ("جعفری", "Jafari", ()),
    ("رحیمی", "Rahimi", ()), ("حیدری", "Heydari", ("Heidari", "Haidari")),
    ("قاسمی", "Ghasemi", ()), ("صادقی", "Sadeghi", ()), ("هاشمی", "Hashemi", ()),
    ("کاظمی", "Kazemi", ()), ("اکبری", "Akbari", ()), ("عباسی", "Abbasi", ()),
    ("حسنی", "Hassani", ("Hasani",)), ("رستمی", "Rostami", ()),
    ("امیری", "Amiri", ()), ("نجفی", "Najafi", ()), ("ابراهیمی", "Ebrahimi", ()),
    ("محمودی", "Mahmoudi", ()), ("زارعی", "Zarei", ()), ("باقری", "Bagheri", ()),
    ("صالحی", "Salehi", ()), ("میرزایی", "Mirzaei", ()), ("قربانی", "Ghorbani", ()),
    ("سلطانی", "Soltani", ()), ("مرادی", "Moradi", ()), ("علیزاده", "Alizadeh", ()),
    ("حسین‌زاده", "Hosseinzadeh", ()), ("رحمانی", "Rahmani", ()),
    ("عزیزی", "Azizi", ()), ("نوری", "Nouri", ()), ("طاهری", "Taheri", ()),
    ("اسدی", "Asadi", ()), ("جلالی", "Jalali", ()), ("یوسفی", "Yousefi", ()),
    ("صفری", "Safari", ()), ("محمدزاده", "Mohammadzadeh", ()),
    ("حسین‌پور", "Hosseinpour", ()), ("علی‌پور", "Alipour", ()),
    ("کیانی", "Kiani", ()), ("بهرامی", "Bahrami", ()), ("رنجبر", "Ranjbar", ()),
    ("شریفی", "Sharifi", ()), ("کمالی", "Kamali", ()), ("انصاری", "Ansari", ()),
    ("فراهانی", "Farahani", ()), ("تهرانی", "Tehrani", ()),
    ("اصفهانی", "Esfahani", ("Isfahani",)), ("شیرازی", "Shirazi", ()),
    ("تبریزی", "Tabrizi", ()), ("عسگری", "Asgari", ("Askari",)),
    ("ولی‌زاده", "Valizadeh", ()), ("علی‌نژاد", "Alinejad", ()),
    ("زمانی", "Zamani", ()), ("شهبازی", "Shahbazi", ()), ("نادری", "Naderi", ()),
    ("نظری", "Nazari", ()), ("سهرابی", "Sohrabi", ()), ("افشار", "Afshar", ()),
    ("فرهمند", "Farahmand", ()), ("دهقان", "Dehghan", ()), ("دهقانی", "Dehghani", ()),
    ("خسروی", "Khosravi", ()), ("عبدالهی", "Abdollahi", ("Abdolahi",)),
    ("منصوری", "Mansouri", ()), ("غفاری", "Ghaffari", ()), ("رشیدی", "Rashidi", ()),
    ("اسماعیلی", "Esmaeili", ("Esmaili", "Ismaili")), ("یزدانی", "Yazdani", ()),
    ("شکری", "Shokri", ()), ("حقیقی", "Haghighi", ()), ("فلاح", "Fallah", ()),
    ("پرویزی", "Parvizi", ()), ("توکلی", "Tavakoli", ()), ("رجبی", "Rajabi", ()),
    ("فتحی", "Fathi", ()), ("امینی", "Amini", ()), ("غلامی", "Gholami", ()),
    ("داوودی", "Davoudi", ()), ("خلیلی", "Khalili", ()), ("صابری", "Saberi", ()),
    ("خدادادی", "Khodadadi", ()), ("جهانگیری", "Jahangiri", ()),
    ("بختیاری", "Bakhtiari", ()), ("رضازاده", "Rezazadeh", ()), ("عبدی", "Abdi", ()),
    ("پناهی", "Panahi", ()), ("نصیری", "Nasiri", ()), ("حمیدی", "Hamidi", ()),
    ("بیات", "Bayat", ()), ("قنبری", "Ghanbari", ()), ("بابایی", "Babaei", ()),
    ("مهرابی", "Mehrabi", ()), ("مقدم", "Moghaddam", ("Moghadam",)),
    ("طالبی", "Talebi", ()), ("کرمی", "Karami", ()), ("درویشی", "Darvishi", ()),
    ("شفیعی", "Shafiei", ()), ("چراغی", "Cheraghi", ()), ("سالاری", "Salari", ()),
    ("کرد", "Kord", ("Kurd",)), ("لطفی", "Lotfi", ()), ("میری", "Miri", ()),
    ("زنگنه", "Zangeneh", ()), ("کاویانی", "Kaviani", ()), ("کرمانی", "Kermani", ()),
    ("رشتی", "Rashti", ()), ("یزدی", "Yazdi", ()), ("قزوینی", "Ghazvini", ()),
    ("کاشانی", "Kashani", ()), ("اهوازی", "Ahvazi", ()), ("همدانی", "Hamedani", ()),
    ("خراسانی", "Khorasani", ()), ("گیلانی", "Gilani", ()),
)
# fmt: on

# Stems and suffixes that build the long tail of surnames (Ahmadpour, Karimvand...).
# fmt: off
_STEMS: tuple[tuple[str, str], ...] = (
    ("احمد", "Ahmad"), ("حسن", "Hassan"), ("کریم", "Karim"), ("رحیم", "Rahim"),
    ("جعفر", "Jafar"), ("باقر", "Bagher"), ("امیر", "Amir"), ("کاظم", "Kazem"),
    ("یوسف", "Yousef"), ("صادق", "Sadegh"), ("رستم", "Rostam"), ("نصیر", "Nasir"),
    ("حیدر", "Heydar"), ("قاسم", "Ghasem"), ("ابراهیم", "Ebrahim"), ("مراد", "Morad"),
    ("عباس", "Abbas"), ("اسد", "Asad"), ("نجف", "Najaf"), ("رحمان", "Rahman"),
    ("خلیل", "Khalil"), ("شریف", "Sharif"), ("جلیل", "Jalil"), ("حبیب", "Habib"),
    ("فرج", "Faraj"), ("قلی", "Gholi"), ("ولی", "Vali"), ("نبی", "Nabi"),
    ("تقی", "Taghi"), ("مهدی", "Mehdi"), ("بهرام", "Bahram"), ("خداداد", "Khodadad"),
    ("میر", "Mir"), ("مهر", "Mehr"), ("نیک", "Nik"), ("شاه", "Shah"),
    ("علی", "Ali"), ("حسین", "Hossein"), ("محمد", "Mohammad"), ("رضا", "Reza"),
    ("بهمن", "Bahman"), ("کیا", "Kia"), ("فرخ", "Farrokh"), ("رمضان", "Ramezan"),
    ("شعبان", "Shaban"), ("رجب", "Rajab"), ("صفر", "Safar"), ("جمشید", "Jamshid"),
    ("خسرو", "Khosro"), ("منصور", "Mansour"), ("سلیمان", "Soleyman"),
    ("داوود", "Davoud"), ("یعقوب", "Yaghoub"), ("ایزد", "Izad"),
    ("نور", "Nour"), ("سهراب", "Sohrab"), ("گودرز", "Goudarz"), ("زمان", "Zaman"),
    ("عزیز", "Aziz"), ("کمال", "Kamal"), ("جمال", "Jamal"), ("جلال", "Jalal"),
    ("رشید", "Rashid"), ("مجید", "Majid"), ("حمید", "Hamid"), ("وحید", "Vahid"),
    ("فاضل", "Fazel"), ("عادل", "Adel"), ("نادر", "Nader"), ("طاهر", "Taher"),
    ("صالح", "Saleh"), ("شکر", "Shokr"), ("دوست", "Doust"), ("اکبر", "Akbar"),
    ("اصغر", "Asghar"), ("یار", "Yar"),
)
# fmt: on
# fmt: off
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("زاده", "zadeh"), ("پور", "pour"), ("نژاد", "nejad"), ("وند", "vand"),
    ("لو", "lou"), ("فر", "far"), ("خانی", "khani"), ("آبادی", "abadi"),
    ("نیا", "nia"), ("پناه", "panah"), ("بخش", "bakhsh"), ("منش", "manesh"),
    ("ی", "i"),
)
# fmt: on

#: Prefixes of surnames (Pourahmadi, Mirkarimi, Aghajani...); not Haj or Seyed,
#: which are honorifics that lists drop.
# fmt: off
_PREFIXES: tuple[tuple[str, str], ...] = (
    ("پور", "Pour"), ("میر", "Mir"), ("آقا", "Agha"), ("شیخ", "Sheikh"),
    ("ملا", "Molla"), ("غلام", "Gholam"), ("کربلایی", "Karbalaei"),
    ("مشهدی", "Mashhadi"), ("استاد", "Ostad"),
)
# fmt: on
#: The commonest men's names that are also surname stems (Mohsenpour, Saeedi).
_MALE_STEMS = 45
#: Zipf exponent of family names: the three commonest then take 1.1%, 0.7% and 0.6% of
#: persons. Iran's civil registry (Sabt-e Ahval, as reported by the Persian press)
#: counts 960,505 Mohammadi, 661,824 Hosseini and 614,399 Ahmadi among some 85
#: million people (1.1%, 0.8%, 0.7%).
FAMILY_EXPONENT = 0.63

#: Honorifics of descendants of the Prophet: (Persian, English, variants) by sex.
HONORIFICS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "m": ("سید", "Seyed", ("Sayed", "Seyyed", "Sayyid", "Seied")),
    "f": ("سیده", "Seyedeh", ("Sayedeh", "Seyyedeh")),
}

# fmt: off
_LATIN_RULES: tuple[tuple[str, str], ...] = (
    ("ou", "u"), ("ou", "oo"), ("oo", "u"), ("ss", "s"), ("gh", "q"), ("q", "gh"),
    ("eh$", "e"), ("v", "w"), ("ey", "ei"),
)
# fmt: on
# Endings that vary only in family names (-i/-ee/-y, -zadeh/-zade, ...).
# fmt: off
_FAMILY_RULES: tuple[tuple[str, str], ...] = (
    ("aei$", "aee"), ("aei$", "ai"), ("ei$", "ee"), ("ei$", "ie"),
    ("([^ae])i$", r"\1ee"), ("([^ae])i$", r"\1y"), ("zadeh$", "zade"),
    ("pour$", "pur"), ("pour$", "poor"), ("nejad$", "nezhad"),
)
# fmt: on
_SPLIT_SUFFIXES = ("zadeh", "pour", "nejad")


@dataclass(frozen=True)
class Name:
    """One name: standard spellings in both scripts and the variants people write.

    ``fa_variants[0] == fa`` and ``en_variants[0] == en``.
    """

    fa: str
    en: str
    fa_variants: tuple[str, ...]
    en_variants: tuple[str, ...]


def _apply(rule: tuple[str, str], word: str) -> str:
    pattern, replacement = rule
    lowered = re.sub(pattern, replacement, word.lower(), count=1)
    return lowered[:1].upper() + lowered[1:] if word[:1].isupper() else lowered


def latin_variants(
    en: str, extra: tuple[str, ...] = (), *, family: bool = False
) -> tuple[str, ...]:
    """The standard spelling, then known and rule-made alternative Latin spellings.

    Rules: ``ou``/``u``/``oo``, ``ss``/``s``, ``gh``/``q``, ``-eh``/``-e``, ``v``/``w``;
    for family names also final ``-i``/``-ee``/``-y``, ``-ei``/``-ee``,
    ``-zadeh``/``-zade``, ``-pour``/``-pur``, ``-nejad``/``-nezhad`` and suffixes
    written apart (``Ali-zadeh``).

    Example:
        >>> latin_variants("Hosseinzadeh", family=True)[:3]
        ('Hosseinzadeh', 'Hoseinzadeh', 'Hosseinzade')
    """
    found = [en, *extra]
    rules = _LATIN_RULES + _FAMILY_RULES if family else _LATIN_RULES
    found += [_apply(rule, en) for rule in rules]
    for suffix in _SPLIT_SUFFIXES:
        if family and en.lower().endswith(suffix) and len(en) > len(suffix) + 1:
            stem = en[: -len(suffix)]
            found += [f"{stem}-{suffix}", f"{stem} {suffix.capitalize()}"]
    return tuple(dict.fromkeys(found))[:8]


def persian_variants(fa: str) -> tuple[str, ...]:
    """The standard spelling, then spaced/joined forms of ZWNJ and Arabic letters.

    Example:
        >>> persian_variants("علی‌پور")[1:]
        ('علی پور', 'علیپور', 'علي\u200cپور')
    """
    found = [fa]
    if ZWNJ in fa:
        found += [fa.replace(ZWNJ, " "), fa.replace(ZWNJ, "")]
    found.append(arabic_letters(fa))
    return tuple(dict.fromkeys(found))


def _name(fa: str, en: str, extra: tuple[str, ...] = (), family: bool = False) -> Name:
    variants = latin_variants(en, extra, family=family)
    return Name(fa, en, persian_variants(fa), variants)


def _join_fa(first: str, second: str) -> str:
    """Join a stem and a suffix as Persian is written: ZWNJ after a joining letter."""
    return first + second if first[-1] in _NON_JOINING else first + ZWNJ + second


def _compound(first: Name, second: Name) -> Name:
    """A compound given name; Persian joins the parts unless an alef would touch."""
    joined = first.fa + second.fa
    zwnj = first.fa + ZWNJ + second.fa
    fa = zwnj if second.fa[0] in "اآ" and first.fa[-1] not in _NON_JOINING else joined
    fa_forms = (fa, f"{first.fa} {second.fa}", joined, zwnj)
    en = first.en + second.en.lower()
    en_forms = [en, f"{first.en} {second.en}", f"{first.en}-{second.en}"]
    for a in first.en_variants[1:3]:
        en_forms += [a + second.en.lower(), f"{a} {second.en}"]
    for b in second.en_variants[1:2]:
        en_forms.append(f"{first.en} {b}")
    fa_variants = tuple(dict.fromkeys((*fa_forms, arabic_letters(fa))))
    return Name(fa, en, fa_variants, tuple(dict.fromkeys(en_forms)))


@dataclass(frozen=True)
class NameTable:
    """Names with their variants flattened into arrays, for vectorised picking."""

    names: tuple[Name, ...]
    fa_flat: npt.NDArray[np.object_]
    fa_offset: npt.NDArray[np.int64]
    fa_count: npt.NDArray[np.int64]
    en_flat: npt.NDArray[np.object_]
    en_offset: npt.NDArray[np.int64]
    en_count: npt.NDArray[np.int64]

    def standard(
        self, index: npt.NDArray[np.int64], script: str
    ) -> npt.NDArray[np.object_]:
        """The standard spelling of each name ``index`` in ``script`` (fa or en)."""
        if script == "fa":
            return self.fa_flat[self.fa_offset[index]]
        return self.en_flat[self.en_offset[index]]

    def variant(
        self, index: npt.NDArray[np.int64], draw: npt.NDArray[np.int64], script: str
    ) -> npt.NDArray[np.object_]:
        """A non-standard spelling where one exists, chosen by the random ``draw``."""
        if script == "fa":
            flat, offset, count = self.fa_flat, self.fa_offset, self.fa_count
        else:
            flat, offset, count = self.en_flat, self.en_offset, self.en_count
        n = count[index]
        step = np.where(n > 1, 1 + draw % np.maximum(n - 1, 1), 0)
        return flat[offset[index] + step]


def name_table(names: list[Name]) -> NameTable:
    """Flatten ``names`` and their variants into a :class:`NameTable`."""

    def flatten(
        lists: list[tuple[str, ...]],
    ) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        count = np.array([len(v) for v in lists], dtype=np.int64)
        offset = np.concatenate(([0], np.cumsum(count)[:-1])).astype(np.int64)
        flat = np.array([s for v in lists for s in v], dtype=object)
        return flat, offset, count

    fa = flatten([n.fa_variants for n in names])
    en = flatten([n.en_variants for n in names])
    return NameTable(tuple(names), *fa, *en)


@cache
def given_names() -> tuple[NameTable, int, int]:
    """Given names: men's simple names, then compounds, then women's names.

    Returns:
        The table and the number of simple men's names and of compounds: indices
        ``[0, m)`` are simple men's names, ``[m, m + c)`` compounds, the rest women's.
    """
    male = [_name(*row) for row in _MALE]
    by_en = {n.en: n for n in male + [_name(*row) for row in _PARTS]}
    compounds = [_compound(by_en[a], by_en[b]) for a, b in _COMPOUNDS]
    female = [_name(*row) for row in _FEMALE]
    return name_table(male + compounds + female), len(male), len(compounds)


@cache
def family_names() -> NameTable:
    """Family names, most frequent first: the common ones, then stem-and-suffix
    surnames (Ahmadpour, Karimvand), then prefixed ones (Pourkarimi, Mirahmadi).

    Iran has about 600,000 surnames (Forebears), so a bank of a thousand would make
    namesakes far more common than in real lists: here about 13,000, weighted by
    :data:`FAMILY_EXPONENT` so that the commonest are as frequent as in the civil
    registry.
    """
    names = [_name(*row, family=True) for row in _FAMILY]
    seen = {n.en for n in names}
    stems = _STEMS + tuple(
        (fa, en)
        for fa, en, _ in _MALE[:_MALE_STEMS]
        if en not in {e for _, e in _STEMS}
    )
    for prefix_fa, prefix_en in (("", ""), *_PREFIXES):
        for stem_fa, stem_en in stems:
            for suffix_fa, suffix_en in _SUFFIXES:
                en = prefix_en + (stem_en.lower() if prefix_en else stem_en) + suffix_en
                if suffix_en == "i" and stem_en[-1] in "aeiou" or en in seen:
                    continue
                seen.add(en)
                fa = _join_fa(stem_fa, suffix_fa)
                if prefix_fa:
                    fa = _join_fa(prefix_fa, fa)
                names.append(_name(fa, en, family=True))
    return name_table(names)


def zipf_weights(n: int, exponent: float) -> npt.NDArray[np.float64]:
    """Probabilities proportional to ``1 / rank ** exponent`` for ranks 1..n."""
    weights = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** exponent
    return np.asarray(weights / weights.sum(), dtype=np.float64)


_VOWELS = "aeiou"


def typo(text: str, op: float, where: float) -> str:
    """``text`` with one typing error: a swap, a drop, a doubling or a vowel change.

    Args:
        text: A Latin-script name.
        op: A number in [0, 1) that picks the kind of error.
        where: A number in [0, 1) that picks the position (never the first letter).

    Returns:
        The misspelt text (unchanged if shorter than three characters).
    """
    if len(text) < 3:
        return text
    i = 1 + int(where * (len(text) - 2))
    if op < 0.3:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if op < 0.55:
        return text[:i] + text[i + 1 :]
    if op < 0.75:
        return text[:i] + text[i] + text[i:]
    char = text[i].lower()
    if char in _VOWELS:
        other = _VOWELS[(_VOWELS.index(char) + 1 + int(where * 97) % 4) % 5]
        return text[:i] + other + text[i + 1 :]
    return text[:i] + text[i + 1 :]
