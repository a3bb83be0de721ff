"""A gazetteer of Iran: the 31 provinces and the main cities, in both scripts.

Populations are approximate (mostly the 2016 census, rounded for small towns);
coordinates are approximate city centres in decimal degrees (WGS 84). Latin names
follow the common English spelling, with the alternative spellings people write in
``variants_en`` (``Esfahan``/``Isfahan``, ``Ahvaz``/``Ahwaz``).

Lookups ignore case, accents, hyphens, spaces, ZWNJ, the ezafe ``-e`` and Arabic
letter forms (``ي``/``ك`` match ``ی``/``ک``), so ``find_city("bandar mahshahr")``,
``find_city("Bandar-e Mahshahr")`` and ``find_city("بندر ماهشهر")`` agree.

Record linkage also reads places by sound (:func:`sound_city`,
:func:`sound_province`): the name's consonant skeleton, with the French ``ch``
for ``ش`` and ``g`` for ``ق``/``غ`` folded, so that ``Kermanchah``,
``Kermaanshaah``, ``Tehraan`` and ``Jawanroud`` find their cities.

Example:
    >>> find_city("Ahwaz").name_en
    'Ahvaz'
    >>> find_province("استان خوزستان").name_en
    'Khuzestan'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from aban.text.keys import skeleton
from aban.text.normalise import normalise_name


@dataclass(frozen=True)
class Province:
    """One of Iran's 31 provinces (ostan)."""

    name_en: str
    name_fa: str
    variants_en: tuple[str, ...] = ()


@dataclass(frozen=True)
class City:
    """A city: names in both scripts, province, population and location."""

    name_en: str
    name_fa: str
    province_en: str
    population: int
    variants_en: tuple[str, ...]
    lat: float
    lon: float
    variants_fa: tuple[str, ...] = ()


def _p(name_en: str, name_fa: str, *variants: str) -> Province:
    return Province(name_en, name_fa, variants)


def _c(
    name_en: str,
    name_fa: str,
    province_en: str,
    population: int,
    lat: float,
    lon: float,
    variants_en: tuple[str, ...],
    variants_fa: tuple[str, ...] = (),
) -> City:
    return City(
        name_en, name_fa, province_en, population, variants_en, lat, lon, variants_fa
    )


# fmt: off
PROVINCES: tuple[Province, ...] = (
    _p("Alborz", "البرز"),
    _p("Ardabil", "اردبیل", "Ardebil"),
    _p("Bushehr", "بوشهر", "Bushire", "Booshehr"),
    _p(
        "Chaharmahal and Bakhtiari", "چهارمحال و بختیاری", "Chaharmahal va Bakhtiari",
        "Chahar Mahaal and Bakhtiari", "Chaharmahal-Bakhtiari",
    ),
    _p(
        "East Azerbaijan", "آذربایجان شرقی", "East Azarbaijan", "Azerbaijan-e Sharqi",
        "Azarbayjan-e Sharqi", "Eastern Azerbaijan",
    ),
    _p("Fars", "فارس", "Pars"),
    _p("Gilan", "گیلان", "Guilan"),
    _p("Golestan", "گلستان"),
    _p("Hamadan", "همدان", "Hamedan"),
    _p("Hormozgan", "هرمزگان"),
    _p("Ilam", "ایلام"),
    _p("Isfahan", "اصفهان", "Esfahan", "Ispahan"),
    _p("Kerman", "کرمان"),
    _p("Kermanshah", "کرمانشاه", "Kermanshahan", "Bakhtaran"),
    _p("Khuzestan", "خوزستان", "Khouzestan", "Khuzistan"),
    _p(
        "Kohgiluyeh and Boyer-Ahmad", "کهگیلویه و بویراحمد",
        "Kohgiluyeh va Boyer-Ahmad", "Kohkiluyeh and Buyer Ahmad",
        "Kohgiluyeh and Boyer Ahmad",
    ),
    _p("Kurdistan", "کردستان", "Kordestan", "Kurdestan"),
    _p("Lorestan", "لرستان", "Luristan"),
    _p("Markazi", "مرکزی", "Central"),
    _p("Mazandaran", "مازندران", "Mazanderan"),
    _p("North Khorasan", "خراسان شمالی", "Khorasan-e Shomali", "Northern Khorasan"),
    _p("Qazvin", "قزوین", "Ghazvin", "Kazvin"),
    _p("Qom", "قم", "Ghom", "Qum"),
    _p(
        "Razavi Khorasan", "خراسان رضوی", "Khorasan Razavi", "Khorasan-e Razavi",
        "Khorasan",
    ),
    _p("Semnan", "سمنان"),
    _p(
        "Sistan and Baluchestan", "سیستان و بلوچستان", "Sistan va Baluchestan",
        "Sistan-Baluchestan", "Sistan and Baluchistan",
    ),
    _p("South Khorasan", "خراسان جنوبی", "Khorasan-e Jonubi", "Southern Khorasan"),
    _p("Tehran", "تهران", "Teheran"),
    _p(
        "West Azerbaijan", "آذربایجان غربی", "West Azarbaijan", "Azerbaijan-e Gharbi",
        "Azarbayjan-e Gharbi", "Western Azerbaijan",
    ),
    _p("Yazd", "یزد", "Yezd"),
    _p("Zanjan", "زنجان"),
)
# fmt: on

# fmt: off
CITIES: tuple[City, ...] = (
    _c("Tehran", "تهران", "Tehran", 8_693_706, 35.6892, 51.3890, ("Teheran",)),
    _c("Eslamshahr", "اسلامشهر", "Tehran", 448_129, 35.5522, 51.2350,
     ("Islamshahr", "Eslam Shahr", "Islam Shahr")),
    _c("Shahriar", "شهریار", "Tehran", 309_607, 35.6597, 51.0592,
     ("Shahriyar", "Shahryar")),
    _c("Qods", "قدس", "Tehran", 309_605, 35.7214, 51.1089,
     ("Shahr-e Qods", "Ghods", "Quds", "Shahr-e Ghods"), ("شهر قدس",)),
    _c("Malard", "ملارد", "Tehran", 281_027, 35.6658, 50.9767, ()),
    _c("Pakdasht", "پاکدشت", "Tehran", 236_319, 35.4817, 51.6803, ()),
    _c("Varamin", "ورامین", "Tehran", 225_628, 35.3242, 51.6457, ()),
    _c("Nasimshahr", "نسیم‌شهر", "Tehran", 200_393, 35.5640, 51.1647,
     ("Nasim Shahr",)),
    _c("Andisheh", "اندیشه", "Tehran", 116_062, 35.6889, 51.0236, ("Andishe",)),
    _c("Robat Karim", "رباط‌کریم", "Tehran", 105_393, 35.4846, 51.0829,
     ("Robatkarim", "Rabat Karim")),
    _c("Pardis", "پردیس", "Tehran", 73_363, 35.7435, 51.8096, ()),
    _c("Karaj", "کرج", "Alborz", 1_592_492, 35.8400, 50.9391, ("Karadj",)),
    _c("Fardis", "فردیس", "Alborz", 181_174, 35.7233, 50.9861, ()),
    _c("Kamalshahr", "کمال‌شهر", "Alborz", 141_669, 35.8653, 50.8769,
     ("Kamal Shahr",)),
    _c("Nazarabad", "نظرآباد", "Alborz", 119_512, 35.9522, 50.6075, ("Nazar Abad",)),
    _c("Mohammadshahr", "محمدشهر", "Alborz", 119_418, 35.7455, 50.9026,
     ("Mohammad Shahr",)),
    _c("Hashtgerd", "هشتگرد", "Alborz", 55_000, 35.9619, 50.6799, ()),
    _c("Isfahan", "اصفهان", "Isfahan", 1_961_260, 32.6546, 51.6680,
     ("Esfahan", "Ispahan")),
    _c("Kashan", "کاشان", "Isfahan", 304_487, 33.9850, 51.4100, ()),
    _c("Khomeyni Shahr", "خمینی‌شهر", "Isfahan", 247_128, 32.6856, 51.5361,
     ("Khomeini Shahr", "Khomeinishahr")),
    _c("Najafabad", "نجف‌آباد", "Isfahan", 235_281, 32.6344, 51.3668, ("Najaf Abad",)),
    _c("Shahreza", "شهرضا", "Isfahan", 159_797, 32.0089, 51.8668,
     ("Shahr-e Reza", "Qomsheh")),
    _c("Shahin Shahr", "شاهین‌شهر", "Isfahan", 143_308, 32.8628, 51.5553,
     ("Shahinshahr",)),
    _c("Fuladshahr", "فولادشهر", "Isfahan", 88_426, 32.4800, 51.4200,
     ("Fouladshahr", "Foolad Shahr")),
    _c("Zarrin Shahr", "زرین‌شهر", "Isfahan", 59_000, 32.3897, 51.3766,
     ("Zarinshahr",)),
    _c("Ahvaz", "اهواز", "Khuzestan", 1_184_788, 31.3183, 48.6706, ("Ahwaz",)),
    _c("Dezful", "دزفول", "Khuzestan", 264_709, 32.3811, 48.4058, ("Dezfoul",)),
    _c("Abadan", "آبادان", "Khuzestan", 231_476, 30.3392, 48.3043, ()),
    _c("Khorramshahr", "خرمشهر", "Khuzestan", 170_976, 30.4256, 48.1891,
     ("Khoramshahr", "Mohammerah")),
    _c("Bandar-e Mahshahr", "بندر ماهشهر", "Khuzestan", 162_797, 30.5589, 49.1981,
     ("Mahshahr", "Bandar Mahshahr", "Mahshar"), ("ماهشهر",)),
    _c("Andimeshk", "اندیمشک", "Khuzestan", 135_116, 32.4600, 48.3592, ()),
    _c("Behbahan", "بهبهان", "Khuzestan", 122_604, 30.5959, 50.2417, ("Behbehan",)),
    _c("Izeh", "ایذه", "Khuzestan", 119_399, 31.8340, 49.8674, ("Izaj",)),
    _c("Shushtar", "شوشتر", "Khuzestan", 101_878, 32.0455, 48.8567, ("Shooshtar",)),
    _c("Masjed Soleyman", "مسجدسلیمان", "Khuzestan", 100_497, 31.9364, 49.3039,
     ("Masjed-e Soleyman", "Masjed Soleiman", "Masjid Sulaiman")),
    _c("Bandar-e Emam Khomeyni", "بندر امام خمینی", "Khuzestan", 80_000, 30.4285,
     49.0767, ("Bandar Imam Khomeini", "Bandar-e Imam")),
    _c("Ramhormoz", "رامهرمز", "Khuzestan", 76_000, 31.2800, 49.6036, ()),
    _c("Omidiyeh", "امیدیه", "Khuzestan", 60_000, 30.7458, 49.7086, ("Omidieh",)),
    _c("Shadegan", "شادگان", "Khuzestan", 53_000, 30.6497, 48.6647, ()),
    _c("Susangerd", "سوسنگرد", "Khuzestan", 51_000, 31.5608, 48.1831,
     ("Susangard", "Soosangerd")),
    _c("Shiraz", "شیراز", "Fars", 1_565_572, 29.5918, 52.5837, ()),
    _c("Marvdasht", "مرودشت", "Fars", 148_858, 29.8742, 52.8025, ()),
    _c("Jahrom", "جهرم", "Fars", 141_634, 28.5000, 53.5605, ()),
    _c("Fasa", "فسا", "Fars", 110_825, 28.9383, 53.6482, ()),
    _c("Kazerun", "کازرون", "Fars", 96_683, 29.6195, 51.6541, ("Kazeroon",)),
    _c("Sadra", "صدرا", "Fars", 91_000, 29.7925, 52.4950, ()),
    _c("Darab", "داراب", "Fars", 70_000, 28.7519, 54.5444, ()),
    _c("Lar", "لار", "Fars", 60_000, 27.6811, 54.3406, ()),
    _c("Abadeh", "آباده", "Fars", 59_000, 31.1608, 52.6506, ()),
    _c("Kermanshah", "کرمانشاه", "Kermanshah", 946_651, 34.3142, 47.0650,
     ("Kermanshahan", "Bakhtaran")),
    _c("Eslamabad-e Gharb", "اسلام‌آباد غرب", "Kermanshah", 90_000, 34.1094, 46.5275,
     ("Islamabad-e Gharb", "Eslamabad Gharb")),
    _c("Javanrud", "جوانرود", "Kermanshah", 53_000, 34.8067, 46.4886,
     ("Javanroud", "Javanrood")),
    _c("Kangavar", "کنگاور", "Kermanshah", 53_000, 34.5043, 47.9653, ()),
    _c("Sarpol-e Zahab", "سرپل ذهاب", "Kermanshah", 45_000, 34.4611, 45.8628,
     ("Sar-e Pol-e Zahab", "Sarpol Zahab")),
    _c("Paveh", "پاوه", "Kermanshah", 25_000, 35.0434, 46.3564, ("Pave",)),
    _c("Sanandaj", "سنندج", "Kurdistan", 412_767, 35.3219, 46.9862, ("Sinneh",)),
    _c("Saqqez", "سقز", "Kurdistan", 165_258, 36.2497, 46.2735, ("Saqez", "Saghez")),
    _c("Marivan", "مریوان", "Kurdistan", 136_654, 35.5183, 46.1761, ()),
    _c("Baneh", "بانه", "Kurdistan", 110_218, 35.9975, 45.8853, ("Bane",)),
    _c("Qorveh", "قروه", "Kurdistan", 88_000, 35.1679, 47.8038, ("Ghorveh",)),
    _c("Kamyaran", "کامیاران", "Kurdistan", 57_000, 34.7956, 46.9355, ()),
    _c("Mashhad", "مشهد", "Razavi Khorasan", 3_001_184, 36.2605, 59.6168,
     ("Mashad", "Meshed", "Meshhed")),
    _c("Nishapur", "نیشابور", "Razavi Khorasan", 264_375, 36.2133, 58.7958,
     ("Neyshabur", "Nishabur", "Neishabour")),
    _c("Sabzevar", "سبزوار", "Razavi Khorasan", 243_700, 36.2126, 57.6819, ()),
    _c("Torbat-e Heydarieh", "تربت حیدریه", "Razavi Khorasan", 140_000, 35.2740,
     59.2195, ("Torbat-e Heydariyeh", "Torbat Heydarieh")),
    _c("Quchan", "قوچان", "Razavi Khorasan", 101_000, 37.1060, 58.5095, ("Ghuchan",)),
    _c("Kashmar", "کاشمر", "Razavi Khorasan", 90_000, 35.2383, 58.4656, ()),
    _c("Tabriz", "تبریز", "East Azerbaijan", 1_558_693, 38.0800, 46.2919, ("Tebriz",)),
    _c("Maragheh", "مراغه", "East Azerbaijan", 175_255, 37.3917, 46.2398,
     ("Maragha",)),
    _c("Marand", "مرند", "East Azerbaijan", 130_825, 38.4329, 45.7749, ()),
    _c("Ahar", "اهر", "East Azerbaijan", 100_641, 38.4774, 47.0699, ()),
    _c("Mianeh", "میانه", "East Azerbaijan", 98_000, 37.4211, 47.7150, ("Miyaneh",)),
    _c("Bonab", "بناب", "East Azerbaijan", 85_000, 37.3404, 46.0561, ()),
    _c("Urmia", "ارومیه", "West Azerbaijan", 736_224, 37.5527, 45.0761,
     ("Orumiyeh", "Urumieh", "Oroumieh", "Urumia")),
    _c("Khoy", "خوی", "West Azerbaijan", 198_845, 38.5503, 44.9521, ("Khoi",)),
    _c("Bukan", "بوکان", "West Azerbaijan", 193_501, 36.5210, 46.2089, ("Boukan",)),
    _c("Mahabad", "مهاباد", "West Azerbaijan", 168_393, 36.7631, 45.7222, ()),
    _c("Miandoab", "میاندوآب", "West Azerbaijan", 132_819, 36.9694, 46.1027, ()),
    _c("Salmas", "سلماس", "West Azerbaijan", 92_000, 38.1973, 44.7653, ()),
    _c("Piranshahr", "پیرانشهر", "West Azerbaijan", 91_000, 36.6940, 45.1413, ()),
    _c("Sardasht", "سردشت", "West Azerbaijan", 46_000, 36.1552, 45.4788, ()),
    _c("Oshnavieh", "اشنویه", "West Azerbaijan", 40_000, 37.0397, 45.0983,
     ("Oshnaviyeh",)),
    _c("Qom", "قم", "Qom", 1_201_158, 34.6399, 50.8759, ("Ghom", "Qum")),
    _c("Rasht", "رشت", "Gilan", 679_995, 37.2808, 49.5832, ("Resht",)),
    _c("Bandar-e Anzali", "بندر انزلی", "Gilan", 118_564, 37.4727, 49.4622,
     ("Anzali", "Bandar Anzali"), ("انزلی",)),
    _c("Lahijan", "لاهیجان", "Gilan", 101_073, 37.2072, 50.0039, ()),
    _c("Langarud", "لنگرود", "Gilan", 80_000, 37.1970, 50.1536, ("Langroud",)),
    _c("Zahedan", "زاهدان", "Sistan and Baluchestan", 587_730, 29.4963, 60.8629, ()),
    _c("Zabol", "زابل", "Sistan and Baluchestan", 134_950, 31.0287, 61.5012, ()),
    _c("Iranshahr", "ایرانشهر", "Sistan and Baluchestan", 113_750, 27.2025, 60.6848,
     ()),
    _c("Chabahar", "چابهار", "Sistan and Baluchestan", 106_739, 25.2919, 60.6430, ()),
    _c("Saravan", "سراوان", "Sistan and Baluchestan", 60_000, 27.3709, 62.3342, ()),
    _c("Khash", "خاش", "Sistan and Baluchestan", 56_000, 28.2211, 61.2158, ()),
    _c("Kerman", "کرمان", "Kerman", 537_718, 30.2839, 57.0834, ()),
    _c("Sirjan", "سیرجان", "Kerman", 199_704, 29.4520, 55.6814, ()),
    _c("Rafsanjan", "رفسنجان", "Kerman", 161_909, 30.4067, 55.9939, ()),
    _c("Jiroft", "جیرفت", "Kerman", 130_429, 28.6751, 57.7372, ()),
    _c("Bam", "بم", "Kerman", 127_396, 29.1060, 58.3570, ()),
    _c("Zarand", "زرند", "Kerman", 60_000, 30.8127, 56.5639, ()),
    _c("Hamadan", "همدان", "Hamadan", 554_406, 34.7988, 48.5146, ("Hamedan",)),
    _c("Malayer", "ملایر", "Hamadan", 170_237, 34.2969, 48.8235, ()),
    _c("Nahavand", "نهاوند", "Hamadan", 76_000, 34.1885, 48.3769, ()),
    _c("Yazd", "یزد", "Yazd", 529_673, 31.8974, 54.3569, ("Yezd",)),
    _c("Meybod", "میبد", "Yazd", 80_000, 32.2501, 54.0166, ("Maybod",)),
    _c("Ardakan", "اردکان", "Yazd", 80_000, 32.3100, 54.0175, ()),
    _c("Arak", "اراک", "Markazi", 520_944, 34.0917, 49.6892, ()),
    _c("Saveh", "ساوه", "Markazi", 220_762, 35.0213, 50.3566, ()),
    _c("Khomeyn", "خمین", "Markazi", 73_000, 33.6387, 50.0789, ("Khomein",)),
    _c("Ardabil", "اردبیل", "Ardabil", 529_374, 38.2498, 48.2933, ("Ardebil",)),
    _c("Parsabad", "پارس‌آباد", "Ardabil", 93_000, 39.6482, 47.9174, ("Pars Abad",)),
    _c("Meshginshahr", "مشگین‌شهر", "Ardabil", 62_000, 38.3989, 47.6819,
     ("Meshkinshahr", "Meshgin Shahr")),
    _c("Bandar Abbas", "بندرعباس", "Hormozgan", 526_648, 27.1832, 56.2666,
     ("Bandar-e Abbas", "Bandarabbas")),
    _c("Minab", "میناب", "Hormozgan", 73_000, 27.1467, 57.0801, ()),
    _c("Qeshm", "قشم", "Hormozgan", 40_000, 26.9581, 56.2719, ("Gheshm",)),
    _c("Zanjan", "زنجان", "Zanjan", 430_871, 36.6736, 48.4787, ()),
    _c("Abhar", "ابهر", "Zanjan", 83_000, 36.1468, 49.2180, ()),
    _c("Sari", "ساری", "Mazandaran", 309_820, 36.5633, 53.0601, ()),
    _c("Babol", "بابل", "Mazandaran", 250_217, 36.5513, 52.6790, ()),
    _c("Amol", "آمل", "Mazandaran", 237_528, 36.4696, 52.3507, ()),
    _c("Qaem Shahr", "قائم‌شهر", "Mazandaran", 204_953, 36.4631, 52.8601,
     ("Qaemshahr", "Ghaemshahr")),
    _c("Behshahr", "بهشهر", "Mazandaran", 94_000, 36.6923, 53.5526, ()),
    _c("Chalus", "چالوس", "Mazandaran", 50_000, 36.6550, 51.4204, ("Chaloos",)),
    _c("Gorgan", "گرگان", "Golestan", 350_676, 36.8456, 54.4393, ()),
    _c("Gonbad-e Kavus", "گنبد کاووس", "Golestan", 151_910, 37.2500, 55.1672,
     ("Gonbad Kavus", "Gonbad-e Qabus")),
    _c("Bandar Torkaman", "بندر ترکمن", "Golestan", 53_000, 36.9016, 54.0707,
     ("Bandar-e Torkaman",)),
    _c("Aliabad-e Katul", "علی‌آباد کتول", "Golestan", 52_000, 36.9083, 54.8681,
     ("Aliabad Katul",)),
    _c("Khorramabad", "خرم‌آباد", "Lorestan", 373_416, 33.4878, 48.3558,
     ("Khoramabad",)),
    _c("Borujerd", "بروجرد", "Lorestan", 234_997, 33.8973, 48.7516, ("Boroujerd",)),
    _c("Dorud", "دورود", "Lorestan", 121_638, 33.4955, 49.0578, ("Doroud",)),
    _c("Aligudarz", "الیگودرز", "Lorestan", 90_000, 33.4006, 49.6949, ()),
    _c("Kuhdasht", "کوهدشت", "Lorestan", 89_000, 33.5350, 47.6061, ("Koohdasht",)),
    _c("Qazvin", "قزوین", "Qazvin", 402_748, 36.2688, 50.0041, ("Ghazvin", "Kazvin")),
    _c("Takestan", "تاکستان", "Qazvin", 80_000, 36.0696, 49.6959, ()),
    _c("Bushehr", "بوشهر", "Bushehr", 223_504, 28.9234, 50.8203,
     ("Bushire", "Booshehr")),
    _c("Borazjan", "برازجان", "Bushehr", 117_000, 29.2666, 51.2159, ()),
    _c("Bandar-e Genaveh", "بندر گناوه", "Bushehr", 70_000, 29.5791, 50.5170,
     ("Genaveh", "Ganaveh", "Bandar Ganaveh"), ("گناوه",)),
    _c("Semnan", "سمنان", "Semnan", 185_129, 35.5729, 53.3971, ()),
    _c("Shahrud", "شاهرود", "Semnan", 150_129, 36.4182, 54.9763, ("Shahroud",)),
    _c("Damghan", "دامغان", "Semnan", 60_000, 36.1683, 54.3481, ()),
    _c("Garmsar", "گرمسار", "Semnan", 48_000, 35.2182, 52.3409, ()),
    _c("Ilam", "ایلام", "Ilam", 194_030, 33.6374, 46.4227, ()),
    _c("Dehloran", "دهلران", "Ilam", 36_000, 32.6941, 47.2679, ()),
    _c("Yasuj", "یاسوج", "Kohgiluyeh and Boyer-Ahmad", 134_532, 30.6682, 51.5880,
     ("Yasouj",)),
    _c("Dogonbadan", "دوگنبدان", "Kohgiluyeh and Boyer-Ahmad", 100_000, 30.3586,
     50.7981, ("Gachsaran",), ("گچساران",)),
    _c("Dehdasht", "دهدشت", "Kohgiluyeh and Boyer-Ahmad", 59_000, 30.7949, 50.5646,
     ()),
    _c("Shahrekord", "شهرکرد", "Chaharmahal and Bakhtiari", 190_441, 32.3256, 50.8644,
     ("Shahr-e Kord",)),
    _c("Borujen", "بروجن", "Chaharmahal and Bakhtiari", 57_000, 31.9652, 51.2873,
     ("Boroujen",)),
    _c("Bojnurd", "بجنورد", "North Khorasan", 228_931, 37.4747, 57.3290,
     ("Bojnourd",)),
    _c("Shirvan", "شیروان", "North Khorasan", 90_000, 37.4092, 57.9276, ()),
    _c("Birjand", "بیرجند", "South Khorasan", 203_636, 32.8663, 59.2211, ()),
    _c("Qaen", "قائن", "South Khorasan", 40_000, 33.7265, 59.1844,
     ("Ghaen", "Qayen")),
    _c("Tabas", "طبس", "South Khorasan", 40_000, 33.5959, 56.9244, ()),
)
# fmt: on


# fmt: off
_ARABIC_FOLDS = str.maketrans(
    {
        "ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه",
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و",
    }
)
# fmt: on
_STRIP_FA = re.compile("[\u064b-\u065f\u0670\u0640\u200c\u200d\u200e\u200f\\s]")
_EZAFE = re.compile(r"(?<=[a-z])(?:-e-|-e\s+|\s+e\s+|-ye\s+|-ye-)")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_AFFIXES = re.compile(r"^(?:ostan-?e?|province of|استان)\s*|\s+(?:province|ostan)$")


def place_key(name: str) -> str:
    """The matching key of a place name in either script.

    Folds Arabic letter forms to Persian, drops vowel marks, tatweel, ZWNJ, spaces,
    accents, hyphens, case and the ezafe (``-e``) between Latin words.

    Example:
        >>> place_key("Bandar-e Mahshahr") == place_key("bandar mahshahr")
        True
    """
    text = unicodedata.normalize("NFKD", name.strip().lower())
    text = "".join(c for c in text if not unicodedata.combining(c) or "\u0600" <= c)
    text = _AFFIXES.sub("", text.translate(_ARABIC_FOLDS)).strip()
    text = _EZAFE.sub(" ", text).replace("&", " and ")
    text = re.sub(r"\bva\b", "and", text)
    text = _STRIP_FA.sub("", text)
    if text.isascii():
        return _NOT_ALNUM.sub("", text)
    return re.sub(r"[-_.'’]", "", text)


def _names(place: City | Province) -> tuple[str, ...]:
    extra = place.variants_fa if isinstance(place, City) else ()
    return (place.name_en, place.name_fa, *place.variants_en, *extra)


@cache
def _index(kind: str) -> dict[str, City | Province]:
    places: tuple[City | Province, ...] = CITIES if kind == "city" else PROVINCES
    index: dict[str, City | Province] = {}
    for place in places:
        for name in _names(place):
            index.setdefault(place_key(name), place)
    return index


def find_city(name: str) -> City | None:
    """The city called ``name`` in either script or a known spelling, or None.

    Args:
        name: A city name such as ``Ahwaz``, ``اهواز`` or ``Bandar-e-Mahshahr``.

    Returns:
        The :class:`City`, or ``None`` if the gazetteer does not know the name.
    """
    place = _index("city").get(place_key(name))
    return place if isinstance(place, City) else None


def find_province(name: str) -> Province | None:
    """The province called ``name`` in either script or a known spelling, or None.

    ``Province``/``Ostan``/``استان`` around the name are ignored.

    Args:
        name: A province name such as ``Khuzestan``, ``خوزستان`` or
            ``Sistan va Baluchestan``.

    Returns:
        The :class:`Province`, or ``None`` if the name is unknown.
    """
    place = _index("province").get(place_key(name))
    return place if isinstance(place, Province) else None


#: Letters that Latin spellings of places write for one another beyond the
#: skeleton's folds: French ``ch`` for ``ش`` (Machhad, Chiraz, Racht, Kermanchah)
#: and ``g`` for ``ق`` and ``غ`` (Gazvin, Gods).
_SOUND_FOLDS = str.maketrans({"C": "S", "g": "q"})


def place_sound_key(name: str) -> str:
    """A place name's consonant skeleton (:func:`aban.text.keys.skeleton`) with
    ``ch``/``sh`` and ``g``/``gh``/``q`` folded: the same in both scripts and in
    the spellings people write (``Tehraan``, ``Kermanchah``, ``Jawanroud``).

    Example:
        >>> names = ("Kermanchah", "کرمانشاه", "Kermanshah")
        >>> {place_sound_key(n) for n in names}
        {'krmnS'}
    """
    return skeleton(normalise_name(name)).translate(_SOUND_FOLDS)


#: Least length of a sound key that may also meet its city one letter off
#: (``Horramshahr``, a ``kh`` typed ``h``): shorter keys are too near each other.
SOUND_NEAR_MIN = 5


def _forms(key: str) -> set[str]:
    """``key`` and, from :data:`SOUND_NEAR_MIN` letters, its forms one letter short."""
    if len(key) < SOUND_NEAR_MIN:
        return {key}
    return {key, *(key[:i] + key[i + 1 :] for i in range(len(key)))}


@cache
def _sound_index(kind: str) -> tuple[dict[str, str], dict[str, City | Province]]:
    """Each place's sound keys, and every form of them one letter short, that one
    place alone has: form -> the key it came from, key -> place."""
    places: tuple[City | Province, ...] = CITIES if kind == "city" else PROVINCES
    owners: dict[str, set[str]] = {}
    place_of: dict[str, set[City | Province]] = {}
    for place in places:
        for name in _names(place):
            key = place_sound_key(name)
            if key:
                place_of.setdefault(key, set()).add(place)
                for form in _forms(key):
                    owners.setdefault(form, set()).add(key)
    unique = {k: next(iter(v)) for k, v in place_of.items() if len(v) == 1}
    forms = {f: next(iter(v)) for f, v in owners.items() if len(v) == 1}
    return forms, unique


def _by_sound(name: str, kind: str) -> City | Province | None:
    """The one place whose sound key is ``name``'s, else one letter from it."""
    forms, places = _sound_index(kind)
    key = place_sound_key(name)
    if key in places:
        return places[key]
    found = {forms[f] for f in _forms(key) if f in forms}
    return places.get(found.pop()) if len(found) == 1 else None


def sound_city(name: str) -> City | None:
    """The city called ``name`` (:func:`find_city`), else the one city whose name
    sounds the same (:func:`place_sound_key`), or one letter off from
    :data:`SOUND_NEAR_MIN` letters, else None.

    For record linkage, which must read ``Mahchahr`` and ``ماهشهر`` as one place;
    a key that two cities share finds neither.

    Example:
        >>> sound_city("Kermaanshaah").name_en, sound_city("Jawanroud").name_en
        ('Kermanshah', 'Javanrud')
        >>> sound_city("Horramshahr").name_en
        'Khorramshahr'
    """
    place = find_city(name) or _by_sound(name, "city")
    return place if isinstance(place, City) else None


def sound_province(name: str) -> Province | None:
    """The province called ``name`` (:func:`find_province`), else the one province
    whose name sounds the same (see :func:`sound_city`), else None."""
    place = find_province(name) or _by_sound(name, "province")
    return place if isinstance(place, Province) else None


def cities_in(province: str) -> tuple[City, ...]:
    """The gazetteer's cities of ``province`` (any known spelling), largest first."""
    found = find_province(province)
    if found is None:
        return ()
    chosen = [c for c in CITIES if c.province_en == found.name_en]
    return tuple(sorted(chosen, key=lambda c: -c.population))
