"""Occupations in English or Persian, reduced to a kind and a group of kinds.

Lists record a victim's occupation in a word or two (``worker``, ``کارگر
ساختمانی``, ``taxi driver``); linkage compares the kind, and kinds of one group
(a worker and a construction worker, a student and a university student) as
closer than two unrelated ones. Text that names no known occupation, or several,
gives ``None``.
"""

from __future__ import annotations

from functools import cache

from aban.text.phrases import PhraseTable

# Kind -> (group, words that name it), English and Persian.
# fmt: off
_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "worker": ("labour", ("worker", "labourer", "laborer", "factory worker",
               "day labourer", "کارگر", "کارگر کارخانه", "کارگر روزمزد")),
    "construction worker": ("labour", ("construction worker", "building worker",
                            "builder", "mason", "کارگر ساختمانی", "بنا")),
    "porter": ("labour", ("porter", "kolbar", "kulbar", "fuel porter", "کولبر",
               "باربر", "سوخت‌بر", "سوختبر")),
    "farmer": ("land", ("farmer", "farm worker", "agricultural worker", "peasant",
               "herder", "shepherd", "کشاورز", "دامدار", "چوپان", "باغدار")),
    "fisherman": ("land", ("fisherman", "fisher", "ماهیگیر", "صیاد")),
    "student": ("student", ("student", "محصل")),
    "university student": ("student", ("university student", "college student",
                           "undergraduate", "postgraduate", "دانشجو")),
    "school student": ("student", ("school student", "pupil", "schoolboy",
                       "schoolgirl", "high school student", "دانش‌آموز")),
    "unemployed": ("not working", ("unemployed", "jobless", "out of work",
                   "بیکار")),
    "retired": ("not working", ("retired", "pensioner", "بازنشسته")),
    "homemaker": ("not working", ("homemaker", "housewife", "خانه‌دار")),
    "shopkeeper": ("trade", ("shopkeeper", "shop owner", "store owner",
                   "shop assistant", "salesperson", "merchant", "مغازه‌دار",
                   "کاسب", "فروشنده", "بازاری")),
    "street vendor": ("trade", ("street vendor", "vendor", "peddler", "hawker",
                      "دستفروش")),
    "self-employed": ("trade", ("self-employed", "self employed", "freelancer",
                      "own business", "شغل آزاد", "آزاد")),
    "driver": ("transport", ("driver", "taxi driver", "truck driver", "bus driver",
               "lorry driver", "courier", "راننده", "راننده تاکسی",
               "راننده کامیون", "پیک")),
    "employee": ("office", ("employee", "clerk", "office worker", "civil servant",
                 "government employee", "کارمند")),
    "teacher": ("education", ("teacher", "معلم", "آموزگار", "دبیر")),
    "engineer": ("professional", ("engineer", "مهندس")),
    "lawyer": ("professional", ("lawyer", "attorney", "وکیل")),
    "journalist": ("professional", ("journalist", "reporter", "خبرنگار",
                   "روزنامه‌نگار")),
    "nurse": ("health", ("nurse", "پرستار")),
    "doctor": ("health", ("doctor", "physician", "پزشک")),
    "athlete": ("sport", ("athlete", "sportsman", "sportswoman", "wrestler",
                "footballer", "boxer", "ورزشکار", "کشتی‌گیر", "فوتبالیست")),
    "soldier": ("security", ("soldier", "conscript", "سرباز")),
    "mechanic": ("craft", ("mechanic", "مکانیک")),
    "baker": ("craft", ("baker", "نانوا")),
    "tailor": ("craft", ("tailor", "خیاط")),
    "barber": ("craft", ("barber", "hairdresser", "آرایشگر")),
    "cook": ("craft", ("cook", "chef", "آشپز")),
    "welder": ("craft", ("welder", "جوشکار")),
    "carpenter": ("craft", ("carpenter", "نجار")),
    "electrician": ("craft", ("electrician", "برقکار")),
    "artist": ("arts", ("artist", "musician", "singer", "actor", "هنرمند",
               "نوازنده", "خواننده", "بازیگر")),
    "cleric": ("religion", ("cleric", "mullah", "روحانی", "طلبه")),
}
# fmt: on


@cache
def _table() -> PhraseTable:
    return PhraseTable({kind: words for kind, (_, words) in _KINDS.items()})


@cache
def occupation_kind(raw: str) -> str | None:
    """The occupation a text names, or None.

    Example:
        >>> occupation_kind("کارگر ساختمانی"), occupation_kind("Taxi driver")
        ('construction worker', 'driver')
    """
    return _table().find(raw)


def occupation_group(kind: str) -> str:
    """The group of an occupation kind (``labour``, ``student``, ``trade``...).

    Raises:
        KeyError: ``kind`` is not one :func:`occupation_kind` returns.
    """
    return _KINDS[kind][0]
