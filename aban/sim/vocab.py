"""Vocabularies of the simulator: labels in English and Persian with their frequencies.

Each vocabulary is a tuple of :class:`Label` (English, Persian, probability). The
frequencies follow the pattern reported for the model case (most victims shot with
live ammunition in the head or torso; security forces, the IRGC, the Basij and the
police alleged responsible); they are illustrative, not estimates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import jdatetime
import numpy as np
import numpy.typing as npt

from aban.text.digits import persian_digits

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Label:
    """One value of a vocabulary: English and Persian wording and its frequency."""

    en: str
    fa: str
    p: float


#: Status of a simulated person (snake_case as in the records format).
STATUS: tuple[Label, ...] = (
    Label("killed", "جان‌باخته", 0.86),
    Label("detained", "بازداشت", 0.095),
    Label("disappeared", "ناپدید شده", 0.03),
    Label("died_in_custody", "مرگ در بازداشت", 0.015),
)
KILLED, DETAINED, DISAPPEARED, DIED_IN_CUSTODY = range(4)
#: Other accepted spellings a source may write, by status index.
STATUS_SYNONYMS_EN: tuple[tuple[str, ...], ...] = (
    ("killed", "shot dead", "dead"),
    ("detained", "arrested"),
    ("disappeared", "missing"),
    ("died in custody", "died_in_custody"),
)
STATUS_SYNONYMS_FA: tuple[tuple[str, ...], ...] = (
    ("جان‌باخته", "کشته شده", "کشته"),
    ("بازداشت", "بازداشت شده"),
    ("ناپدید شده", "مفقود"),
    ("مرگ در بازداشت", "جان باخته در بازداشت"),
)

INJURY: tuple[Label, ...] = (
    Label("head", "سر", 0.40),
    Label("chest", "سینه", 0.17),
    Label("torso", "بالاتنه", 0.10),
    Label("neck", "گردن", 0.06),
    Label("abdomen", "شکم", 0.08),
    Label("back", "کمر", 0.07),
    Label("legs", "پا", 0.07),
    Label("arms", "دست", 0.03),
    Label("multiple", "چند نقطه از بدن", 0.02),
)

CAUSE: tuple[Label, ...] = (
    Label("live ammunition", "گلوله جنگی", 0.88),
    Label("shotgun pellets", "ساچمه", 0.04),
    Label("beating", "ضرب و شتم", 0.03),
    Label("tear gas", "گاز اشک‌آور", 0.01),
    Label("unknown", "نامعلوم", 0.04),
)
#: Causes of death in custody.
CUSTODY_CAUSE: tuple[Label, ...] = (
    Label("torture", "شکنجه", 0.4),
    Label("unknown", "نامعلوم", 0.4),
    Label("denial of medical care", "محرومیت از درمان", 0.2),
)

FORCE: tuple[Label, ...] = (
    Label("security forces", "نیروهای امنیتی", 0.32),
    Label("IRGC", "سپاه پاسداران", 0.22),
    Label("Basij", "بسیج", 0.14),
    Label("police", "نیروی انتظامی", 0.17),
    Label("unknown", "نامعلوم", 0.15),
)

OCCUPATION: tuple[Label, ...] = (
    Label("worker", "کارگر", 0.19),
    Label("university student", "دانشجو", 0.12),
    Label("unemployed", "بیکار", 0.10),
    Label("construction worker", "کارگر ساختمانی", 0.08),
    Label("shopkeeper", "مغازه‌دار", 0.08),
    Label("self-employed", "شغل آزاد", 0.08),
    Label("driver", "راننده", 0.07),
    Label("employee", "کارمند", 0.07),
    Label("street vendor", "دستفروش", 0.05),
    Label("farmer", "کشاورز", 0.04),
    Label("teacher", "معلم", 0.03),
    Label("engineer", "مهندس", 0.02),
    Label("nurse", "پرستار", 0.01),
    Label("athlete", "ورزشکار", 0.06),
)
#: Occupations given to children and to people over 60, outside OCCUPATION.
SCHOOL_STUDENT = Label("school student", "دانش‌آموز", 0.0)
RETIRED = Label("retired", "بازنشسته", 0.0)
OCCUPATION_LABELS: tuple[Label, ...] = (*OCCUPATION, SCHOOL_STUDENT, RETIRED)

#: Circumstances by status; ``{force}`` is the alleged force, in the row's language.
CIRCUMSTANCES: dict[int, tuple[tuple[str, str], ...]] = {
    KILLED: (
        ("Shot by {force} during protests", "هدف گلوله {force} در جریان اعتراضات"),
        ("Shot by {force} near a protest", "با شلیک {force} نزدیک محل تجمع کشته شد"),
        ("{force} fired from rooftops", "شلیک {force} از پشت‌بام"),
    ),
    DETAINED: (
        ("Arrested by {force} during protests", "بازداشت توسط {force} در اعتراضات"),
        ("Arrested by {force} in hospital", "بازداشت توسط {force} در بیمارستان"),
    ),
    DISAPPEARED: (
        (
            "Arrested by {force}; whereabouts unknown",
            "بازداشت توسط {force}؛ محل نگهداری نامعلوم",
        ),
    ),
    DIED_IN_CUSTODY: (
        (
            "Died in custody after arrest by {force}",
            "پس از بازداشت توسط {force} در بازداشت جان باخت",
        ),
    ),
}
UNKNOWN_FORCE = {"en": "unidentified forces", "fa": "نیروهای ناشناس"}

#: Informants of family and witness sources (protected).
INFORMANT: tuple[Label, ...] = (
    Label("brother", "برادر", 0.25),
    Label("mother", "مادر", 0.15),
    Label("father", "پدر", 0.15),
    Label("sister", "خواهر", 0.12),
    Label("spouse", "همسر", 0.10),
    Label("cousin", "پسرعمو", 0.08),
    Label("neighbor (witness)", "همسایه (شاهد)", 0.08),
    Label("friend (witness)", "دوست (شاهد)", 0.07),
)
NOTES_PRIVATE: tuple[Label, ...] = (
    Label("family asked not to publish the name", "خانواده خواسته نام فاش نشود", 0.25),
    Label("family pressured to stay silent", "خانواده برای سکوت تحت فشار است", 0.25),
    Label("burial under security presence", "خاکسپاری با حضور نیروهای امنیتی", 0.2),
    Label("witness fears reprisals", "شاهد از تلافی می‌ترسد", 0.15),
    Label("body returned after a delay", "پیکر با تأخیر تحویل داده شد", 0.15),
)

# fmt: off
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)
# fmt: on
_ARABIC_LETTERS = str.maketrans("یک", "يك")


def probabilities(labels: tuple[Label, ...]) -> npt.NDArray[np.float64]:
    """The frequencies of ``labels`` as probabilities that sum to one."""
    p = np.array([label.p for label in labels], dtype=np.float64)
    return np.asarray(p / p.sum(), dtype=np.float64)


def draw(rng: np.random.Generator, p: npt.NDArray[np.float64], n: int) -> Ints:
    """``n`` indices drawn independently with probabilities ``p``."""
    return np.asarray(rng.choice(len(p), size=n, p=p), dtype=np.int64)


def arabic_letters(text: str) -> str:
    """``text`` with Persian yeh and kaf written in their Arabic forms (ي, ك)."""
    return text.translate(_ARABIC_LETTERS)


def format_date(day: dt.date, fmt: str) -> str:
    """Write ``day`` in one of the layouts sources use.

    Args:
        day: The date.
        fmt: ``iso`` (2019-11-16), ``day_first`` (16/11/2019), ``text``
            (16 November 2019), ``solar_hijri`` (1398/08/25) or ``solar_short``
            (1398/8/25).
    """
    if fmt == "iso":
        return day.isoformat()
    if fmt == "day_first":
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    if fmt == "text":
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    solar = jdatetime.date.fromgregorian(date=day)
    if fmt == "solar_short":
        return f"{solar.year}/{solar.month}/{solar.day}"
    return f"{solar.year}/{solar.month:02d}/{solar.day:02d}"


def format_ordinals(
    ordinals: npt.NDArray[np.int64], fmt: str, persian: bool = False
) -> npt.NDArray[np.object_]:
    """Format many dates (proleptic Gregorian ordinals) at once, each distinct once."""
    unique, inverse = np.unique(ordinals, return_inverse=True)
    texts = [format_date(dt.date.fromordinal(int(o)), fmt) for o in unique]
    if persian:
        texts = [persian_digits(t) for t in texts]
    return np.array(texts, dtype=object)[inverse.reshape(-1)]
