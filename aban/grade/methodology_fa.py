"""The methodology text in Persian, written from the same rules as the English.

:func:`methodology_fa` follows :func:`aban.grade.methodology.methodology`
section by section, so the two languages describe the same configuration: a
change in aban.toml changes both. Vocabulary values (source kinds, statuses,
fields) are given in Persian words; a value the vocabulary does not know (an
evidence kind a team added) is shown as written, as code. Setting names stay
as they are written in aban.toml, as code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aban.grade.methodology import ESTIMATION_KEYS, setting_rows
from aban.grade.rules import GradingRules
from aban.text.digits import persian_digits

__all__ = ["WORDS_FA", "methodology_fa"]

#: Persian words for the vocabulary values the methodology names.
WORDS_FA: dict[str, str] = {
    # Source kinds.
    "ngo_list": "فهرست سازمان‌های مردم‌نهاد",
    "family": "خانواده",
    "witness": "شاهد",
    "journalist": "روزنامه‌نگار",
    "media": "رسانه",
    "official": "منبع رسمی",
    "social_media": "شبکه‌های اجتماعی",
    "document": "سند",
    # Statuses.
    "killed": "کشته",
    "injured": "زخمی",
    "detained": "بازداشت‌شده",
    "disappeared": "ناپدیدشده",
    "executed": "اعدام‌شده",
    "died_in_custody": "مرگ در بازداشت",
    # Evidence kinds.
    "death_certificate": "گواهی فوت",
    "burial_certificate": "جواز دفن",
    "verified_video": "ویدیوی راستی‌آزمایی‌شده",
    # Identity fields.
    "sex": "جنس",
    "national_id": "کد ملی",
    "age": "سن",
    "birth_date": "تاریخ تولد",
    "full_name": "نام کامل",
    "given_name": "نام",
    "family_name": "نام خانوادگی",
    "father_name": "نام پدر",
}
_RELIABILITY_FA = {
    "A": "کاملاً قابل اعتماد",
    "B": "معمولاً قابل اعتماد",
    "C": "نسبتاً قابل اعتماد",
    "D": "معمولاً نه چندان قابل اعتماد",
    "E": "اعتبار آن را نمی‌توان سنجید",
}
_MODELS_FA = {
    "lcmcr": (
        "مدل ناپارامتری بیزی کلاس‌های پنهان مانریکه-والیه (LCMCR)، که اجازه "
        "می‌دهد احتمال ثبت هر فرد در فهرست‌ها میان کلاس‌های مشاهده‌نشده‌ای از افراد "
        "تفاوت کند؛ برآورد، میانه توزیع پسین است با بازه باور ۹۵ درصد"
    ),
    "loglinear": (
        "مدل‌های لگ-خطی هم‌پوشانی فهرست‌ها (با برهم‌کنش میان فهرست‌ها، و گزینش "
        "مدل با یک معیار اطلاعاتی)؛ بازه، بازه اطمینان ۹۵ درصد است"
    ),
}
_SEP = "، "


def _word(value: str) -> str:
    found = WORDS_FA.get(value)
    return f"*{found}*" if found else f"`{value}`"


def _words(values: Sequence[str], last: str = "یا") -> str:
    shown = [_word(v) for v in values]
    if not shown:
        return "هیچ"
    if len(shown) == 1:
        return shown[0]
    return f"{_SEP.join(shown[:-1])} {last} {shown[-1]}"


def _n(value: object) -> str:
    return persian_digits(str(value))


def _value(value: object) -> str:
    """A setting's value: a number in Persian digits, other values as code."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _n(value)
    return f"`{value}`"


def _sources(rules: GradingRules) -> list[str]:
    lines = [
        "## منابع",
        "",
        "هر منبع یک سازمان، یک فرد یا مجموعه‌ای از اسناد است که قربانیان را گزارش "
        "می‌کند. منابع بر پایه استقلال گروه‌بندی می‌شوند: دو منبع در یک گروه "
        "استقلال (برای نمونه یک فهرست و کارزاری که آن را گرد آورده) یک منبع به شمار "
        "می‌آیند، و منبعی که گروهی ندارد به تنهایی شمرده می‌شود.",
        "",
        f"منابع دست‌اول منابعی از این نوع‌اند: {_words(rules.primary_kinds)}.",
    ]
    if rules.min_reliability:
        level = rules.min_reliability
        lines.append(
            f"منابعی که در مقیاس اعتبار هیوریداکس (HURIDOCS) پایین‌تر از {level} "
            f"({_RELIABILITY_FA.get(level, level)}) ارزیابی شده‌اند در درجه‌بندی "
            "هیچ وزنی ندارند؛ منابعی که هنوز ارزیابی نشده‌اند به شمار می‌آیند."
        )
    else:
        lines.append("هر منبعی، با هر درجه اعتباری، به شمار می‌آید.")
    return lines


def _contest_text(rules: GradingRules) -> list[str]:
    parts = []
    if "status" in rules.contest_on:
        pairs = "؛ ".join(
            f"{_word(a)} در برابر {_word(b)}" for a, b in rules.status_conflicts
        )
        parts.append(f"   - بر سر مرگ یا وضعیت: {pairs or 'هیچ جفت وضعیتی'}")
    if "identity" in rules.contest_on:
        text = f"   - بر سر هویت: {_words(rules.identity_fields)} متفاوت"
        if "age" in rules.identity_fields:
            text += f" (سن‌هایی با بیش از {_n(rules.age_tolerance)} سال فاصله)"
        parts.append(text)
    if "cause" in rules.contest_on:
        parts.append("   - بر سر علت مرگ: دو علت متفاوت که به یک خط نوشته شده‌اند")
    return parts


def _grades(rules: GradingRules) -> list[str]:
    n = _n(rules.independent_sources)
    contest = _contest_text(rules)
    lines = [
        "## درجه‌های تأیید",
        "",
        "هر فرد (سوابقی که منابع درباره یک انسان می‌دهند، به هم پیوند داده‌شده) "
        "دقیقاً یک درجه می‌گیرد: نخستین درجه از فهرست زیر که درباره او صدق کند.",
        "",
        "1. **کنارگذاشته**: یک بازبین تشخیص داده که این فرد تکراری است، زنده پیدا "
        "شده یا به این رویداد ربطی ندارد. افراد کنارگذاشته در دفتر می‌مانند و هرگز "
        "شمرده نمی‌شوند.",
    ]
    if contest:
        lines += [
            "2. **مورد مناقشه**: دو سابقه از دو منبع متفاوت با هم نمی‌خوانند "
            "(واژه‌هایی به معنای *نامعلوم* نادیده گرفته می‌شوند، و منبعی که با خودش "
            "تناقض دارد مناقشه‌ای نمی‌سازد)؛ هر دو روایت، هر یک با منابعی که آن را "
            "می‌دهند، نگه داشته می‌شوند. این اختلاف‌ها مناقشه به شمار می‌آیند:",
            *contest,
        ]
    else:
        lines.append(
            "2. **مورد مناقشه**: به کار نمی‌رود؛ اختلاف‌ها درجه را تغییر نمی‌دهند."
        )
    lines += [
        f"3. **تأییدشده**: سندی ({_words(rules.evidence_kinds)}) به این فرد پیوند "
        f"داده شده، یا دست‌کم {n} منبع مستقل او را گزارش کرده‌اند و یکی از آن‌ها "
        "دست‌اول است.",
        f"4. **پشتیبانی‌شده**: دست‌کم {n} منبع مستقل این فرد را گزارش کرده‌اند.",
        f"5. **تک‌منبعی**: کمتر از {n} منبع مستقل این فرد را گزارش کرده‌اند.",
    ]
    return lines


def _headline(rules: GradingRules) -> list[str]:
    scope = f"دست‌کم یک سابقه وضعیت {_words(rules.counted_statuses)} را می‌دهد"
    if rules.count_missing_status:
        scope += "، یا هیچ سابقه‌ای وضعیتی نمی‌دهد"
    return [
        "## ارقام اصلی",
        "",
        f"آمار کشته‌ها افرادی را می‌شمارد که درباره آنان {scope}؛ دیگران (برای "
        "نمونه کسانی که تنها بازداشتشان گزارش شده) جداگانه شمرده می‌شوند.",
        "",
        "- **حداقل شمارش‌شده** افراد تأییدشده و پشتیبانی‌شده است.",
        "- **حد بالا** افراد تک‌منبعی را هم می‌افزاید: رقم منتشرشده بازه‌ای از "
        "حداقل تا حد بالاست.",
        "- افراد مورد مناقشه و کنارگذاشته جداگانه نشان داده می‌شوند و هرگز شمرده "
        "نمی‌شوند.",
        "- هر رقم بر پایه سطح شناسایی هم داده می‌شود، همان‌گونه که عفو بین‌الملل و "
        "ایرورز آمارشان را گزارش می‌کنند: *نام کامل* (نام و نام "
        "خانوادگی)، *نام ناقص* (تنها نام یا تنها نام خانوادگی)، *فقط مشخصات* (بی‌نام، "
        "اما با مشخصاتی چون سن، جنس، مکان، محل جراحت یا نام پدر) و *شناسایی‌نشده*.",
    ]


def _decisions() -> list[str]:
    return [
        "## تصمیم‌های بازبینان",
        "",
        "کنار گذاشتن یک فرد همراه با سوابقی نگه داشته می‌شود که او هنگام این "
        "تصمیم داشت، تا پس از پیوند دوباره سوابق هم بماند. اگر پیوند بعدی سوابقی "
        "بیفزاید که بازبین ندیده است، این تصمیم دیگر درباره آن فرد به کار نمی‌رود و "
        "درجه‌بندی آن را برای بازبینی یادداشت می‌کند. هر تصمیم، و هر بازگرداندن آن، "
        "در دفتر ممیزی ضددستکاری ثبت می‌شود.",
    ]


def _estimation(settings: Mapping[str, Any]) -> list[str]:
    model = str(settings.get("model", ""))
    named = _MODELS_FA.get(model, f"مدل `{model}`" if model else "مدلی بی‌نام")
    lines = [
        "## برآورد کل",
        "",
        "این دفتر تنها قربانیانی را می‌تواند فهرست کند که منبعی گزارششان کرده است. "
        "شمار کل، دیده‌شده و دیده‌نشده، با برآورد چندسیستمی از هم‌پوشانی منابعی "
        f"که فهرست نظام‌مند شمرده می‌شوند برآورد می‌شود، با {named}.",
    ]
    if settings.get("by"):
        lines.append(
            f"هر لایه (`{settings['by']}`) جداگانه برآورد و لایه‌ها با هم جمع "
            "می‌شوند؛ لایه‌هایی که داده‌شان برای برآورد بسیار کم است تنها با افراد "
            "مشاهده‌شده‌شان وارد می‌شوند."
        )
    lines += ["", uncertainty_statement_fa(settings)]
    shown = [f"`{k}` {_value(settings[k])}" for k in ESTIMATION_KEYS if k in settings]
    if shown:
        lines += ["", f"تنظیمات: {_SEP.join(shown)}."]
    return lines


def uncertainty_statement_fa(settings: Mapping[str, Any]) -> str:
    """Which uncertainty the 95% interval carries, in Persian (as
    :func:`aban.grade.methodology.uncertainty_statement`)."""
    drawn = settings.get("linkage_uncertainty")
    if isinstance(drawn, Mapping) and drawn.get("draws"):
        return (
            "بازه ۹۵ درصد هم عدم قطعیت نمونه‌گیری و هم عدم قطعیت پیوند (تشخیص "
            "این‌که کدام سوابق به یک نفر تعلق دارند) را در بر دارد: کل بر پایه "
            f"{_n(drawn['draws'])} خوشه‌بندی از سوابق برآورد شد که از احتمال‌های "
            "تطابق مدل پیوند کشیده شده‌اند، با تصمیم‌های بازبینان همان‌گونه که "
            "هستند، و برآوردها به روش جانهی چندگانه ترکیب شدند (سادینله ۲۰۱۸؛ چن، "
            "شریواستاوا و استیرتس ۲۰۱۸)."
        )
    return (
        "بازه ۹۵ درصد تنها عدم قطعیت نمونه‌گیری را در بر دارد: افراد پیوندیافته را "
        "قطعی می‌گیرد، پس عدم قطعیت تشخیص این‌که کدام سوابق به یک نفر تعلق دارند "
        "در آن نیست."
    )


def _settings_table(rules: GradingRules) -> list[str]:
    lines = [
        "## تنظیمات درجه‌بندی",
        "",
        "قاعده‌های بالا، همان‌گونه که در این دفتر تنظیم شده‌اند (بخش `[grading]` "
        "در `aban.toml`):",
        "",
        "| تنظیم | مقدار |",
        "|---|---|",
    ]
    return lines + setting_rows(rules)


def methodology_fa(
    rules: GradingRules, estimation: Mapping[str, Any] | None = None
) -> str:
    """The methodology in Persian, as Markdown, describing exactly these rules.

    Args:
        rules: the grading rules in force.
        estimation: the settings of an estimate run, or None to leave
            estimation out (as :func:`aban.grade.methodology.methodology`).

    Returns:
        Markdown text ending with a newline.
    """
    sections = [
        [
            "# روش‌شناسی",
            "",
            "هر قربانی از روی همه منابعی که او را گزارش می‌کنند مستند می‌شود؛ سوابق "
            "هر انسان به یک فرد پیوند داده می‌شوند، و هر فرد بر پایه این‌که منابع "
            "تا چه اندازه او را تأیید می‌کنند درجه می‌گیرد. این متن از روی "
            "قاعده‌هایی که دفتر به کار می‌بندد نوشته می‌شود، همان‌گونه که استانداردهای "
            "ثبت تلفات سازمان «اوری کژوآلتی ورلدواید» "
            "از هر ثبت‌کننده‌ای می‌خواهد آن‌ها را منتشر کند.",
        ],
        _sources(rules),
        _grades(rules),
        _headline(rules),
        _decisions(),
    ]
    if estimation is not None:
        sections.append(_estimation(estimation))
    sections.append(_settings_table(rules))
    return "\n\n".join("\n".join(section) for section in sections) + "\n"
