"""How the templates show a person and a table row in each language.

Functions here are the Jinja globals the templates call: a person's name (or
"name unknown"), a one-line description, the details list of a person page,
and the labels of the report's table rows (places in either script).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from aban.site.i18n import Locale
from aban.site.people import Place, PublishedPerson
from aban.site.policy import PUBLISHABLE_FIELDS
from aban.text.forces import FORCE_SEPARATOR
from aban.text.gazetteer import find_city, find_province

__all__ = [
    "PersonView",
    "descriptors",
    "details",
    "force_text",
    "index_line",
    "name_of",
    "person_view",
    "row_label",
    "signed",
]

_PERSIAN = re.compile("[\u0600-\u06ff]")
_LATIN = re.compile("[A-Za-z]")
_PLACES = ("city", "province")
_DATES = ("date_of_death", "birth_date")
#: Fields published as a source wrote them, in the source's own script.
_WRITTEN = ("cause", "occupation")
_WHY = ("policy", "family", "fields")
_PREFERRED = {"en": ("latin", "persian"), "fa": ("persian", "latin")}
#: Fields of a person page, in order (names first, then descriptors).
_DETAILS = PUBLISHABLE_FIELDS[PUBLISHABLE_FIELDS.index("age") :]
#: A person page's row: field, text, its language when not the page's ("" when
#: it is), and whether it is a transliteration.
_Row = tuple[str, str, str, bool]
_LABEL_KIND = {
    "sex": "sex",
    "injury_location": "injury",
    "identification": "level",
    "grade": "grade",
}


def _pick(loc: Locale, names: dict[str, str]) -> tuple[str, str]:
    first, second = _PREFERRED[loc.lang]
    shown = names.get(first) or names.get(second, "")
    other = names.get(second, "") if names.get(first) else ""
    return shown, other


def name_of(loc: Locale, person: PublishedPerson) -> str:
    """The person's name in the page's script if known, else "name unknown", or
    "name not published" when the register knows a name the site does not show."""
    shown, _ = _pick(loc, person.names)
    if shown:
        return shown
    return loc.t("name_unknown" if person.unnamed in ("", "unknown") else "name_hidden")


def marked_name(loc: Locale, person: PublishedPerson, mark: bool = False) -> Markup:
    """:func:`name_of`, a name marked as one (:meth:`Locale.name`), with its
    language when it is not the page's; with ``mark``, followed by the
    "transliterated" mark when no source wrote it in the page's script."""
    if not person.named:
        return escape(name_of(loc, person))
    first = _PREFERRED[loc.lang][0]
    lang = "" if first in person.names or not person.names else _other_lang(loc)
    made = mark and person.transliterated.get("name") == first
    return _name_markup(loc, name_of(loc, person), lang, made)


def value_text(loc: Locale, key: str, value: object) -> str:
    """One published value as the page shows it."""
    if isinstance(value, Place):
        return value.fa if loc.lang == "fa" else value.en
    if key in ("date_of_death", "birth_date"):
        return loc.date(str(value))
    if key == "age" and isinstance(value, int):
        return loc.num(value)
    if key == "alleged_force":
        return force_text(loc, str(value))
    if key in _LABEL_KIND:
        return loc.label(_LABEL_KIND[key], str(value))
    return str(value)


def force_text(loc: Locale, keys: str) -> str:
    """Alleged forces published as keys (``irgc;basij``) in words of this language
    (``IRGC + Basij``)."""
    return " + ".join(loc.label("force", key) for key in keys.split(FORCE_SEPARATOR))


def text_lang(loc: Locale, text: str) -> str:
    """The language of a value written in the other script than the page's (a
    place the gazetteer does not know, as a source wrote it), else ``""``."""
    if loc.lang == "en":
        return "fa" if _PERSIAN.search(text) else ""
    return "en" if _LATIN.search(text) and not _PERSIAN.search(text) else ""


def in_lang(text: str, lang: str) -> Markup:
    """``text`` escaped, in a span that says its language and direction."""
    direction = "rtl" if lang == "fa" else "ltr"
    return Markup(f'<span lang="{lang}" dir="{direction}">{escape(text)}</span>')


def descriptors(loc: Locale, person: PublishedPerson) -> str:
    """A short line of what is known: age, sex, city, date of death (a place
    written in the other script, as markup, marked with its language)."""
    parts = [
        text
        for key in ("age", "sex", "city", "date_of_death")
        if key in person.values and (text := value_text(loc, key, person.values[key]))
    ]
    langs = [text_lang(loc, p) for p in parts]
    if not any(langs):
        return " · ".join(parts)
    pairs = zip(parts, langs, strict=True)
    shown = [in_lang(p, lang) if lang else escape(p) for p, lang in pairs]
    return Markup(" · ".join(shown))


def _other_lang(loc: Locale) -> str:
    return "en" if loc.lang == "fa" else "fa"


def _name_rows(loc: Locale, person: PublishedPerson) -> list[_Row]:
    """The name in the other script and the father's name, each marked with its
    language when it is not the page's, and as a transliteration when it is one."""
    rows: list[_Row] = []
    first, second = _PREFERRED[loc.lang]
    made = person.transliterated
    _, other = _pick(loc, person.names)
    if other:
        mark = made.get("name") == second
        rows.append(("name_other", other, _other_lang(loc), mark))
    father, father_other = _pick(loc, person.father_names)
    if father:
        mark = made.get("father_name") == first
        lang = "" if person.father_names.get(first) else _other_lang(loc)
        rows.append(("father_name", father, lang, mark))
        if father_other:
            mark = made.get("father_name") == second
            rows.append(("father_name_other", father_other, _other_lang(loc), mark))
    return rows


def details(loc: Locale, person: PublishedPerson) -> list[tuple[str, str]]:
    """The person page's fields as ``(field, text)``, in a fixed order: names marked
    as names (with their language when not the page's, and a mark when they are a
    transliteration), dates in both calendars, a source's words quoted as written."""
    found: list[tuple[str, str]] = [
        (key, _name_markup(loc, text, lang, made))
        for key, text, lang, made in _name_rows(loc, person)
    ]
    for key in _DETAILS:
        if key in person.values:
            value = person.values[key]
            if key in _DATES:
                found.append((key, loc.both_dates(str(value))))
            elif key in _WRITTEN:
                found.append((key, _written(loc, str(value))))
            else:
                text = value_text(loc, key, value)
                lang = text_lang(loc, text) if key in _PLACES else ""
                found.append((key, _marked(loc, text, lang, False)))
    return found


def _written(loc: Locale, text: str) -> Markup:
    """Text as a source wrote it, in its own script: on a page of the other
    language, quoted as written (``class="written"``, its language marked)."""
    persian = bool(_PERSIAN.search(text))
    if persian == (loc.lang == "fa"):
        return escape(text)
    lang, direction = ("fa", "rtl") if persian else ("en", "ltr")
    quoted = escape(text)
    return Markup(f'<q class="written" lang="{lang}" dir="{direction}">{quoted}</q>')


def signed(loc: Locale, number: int) -> str:
    """A change as ``+12``, ``−3`` or ``0``, in the page's digits."""
    sign = "+" if number > 0 else "−" if number < 0 else ""
    return sign + loc.num(abs(number))


def row_label(loc: Locale, kind: str) -> Callable[[str], str]:
    """The function that shows a report table's row labels of ``kind``."""

    def place(label: str) -> str:
        if label in ("unknown", "other"):
            return loc.label("place", label)
        found = find_province(label) if kind == "province" else find_city(label)
        if found is None or loc.lang == "en":
            return label
        return found.name_fa

    if kind in ("province", "city"):
        return place
    if kind == "force":
        return lambda label: force_text(loc, label)
    return lambda label: loc.label(kind, label)


def _marked(loc: Locale, text: str, lang: str, made: bool) -> str:
    """A value as the page shows it: plain text (escaped by the template), or
    markup: in a span with its language when it is not the page's, followed by a
    small "transliterated" mark with a tooltip when it is a transliteration."""
    if not lang and not made:
        return text
    shown = in_lang(text, lang) if lang else escape(text)
    if not made:
        return shown
    help_text, mark = escape(loc.t("transliterated_help")), loc.t("transliterated")
    return Markup(
        f'{shown} <small class="translit" title="{help_text}">({mark})</small>'
    )


def _name_markup(loc: Locale, text: str, lang: str, made: bool) -> Markup:
    """A name marked as one (:meth:`Locale.name`), with its language when it is
    not the page's, and the "transliterated" mark when it is a transliteration."""
    if lang:
        direction = "rtl" if lang == "fa" else "ltr"
        shown = Markup(
            f'<bdi class="name" lang="{lang}" dir="{direction}">{escape(text)}</bdi>'
        )
    else:
        shown = loc.name(text)
    if not made:
        return shown
    help_text, mark = escape(loc.t("transliterated_help")), loc.t("transliterated")
    return Markup(
        f'{shown} <small class="translit" title="{help_text}">({mark})</small>'
    )


@dataclass(frozen=True)
class PersonView:
    """What a person page shows, in one language, ready for the template.

    Attributes:
        name: the name (marked as one), or "name unknown" / "name not published".
        rows: the details as ``(label, text)``, in a fixed order.
        story: the short story as a source wrote it ("" for none): quoted as
            written on a page of the other language.
        portrait: the portrait's file name ("" for none).
        mailto: the "correct this entry" link ("" without a contact).
        quote: the words asking to quote the entry's id.
        unnamed: why no name is shown, in words ("" when one is, or none known).
        biography: the team's short biography, as paragraphs.
        circumstances: the team's account of the circumstances, as paragraphs.
        documented: how the person was documented, in words ("" when the grade
            is not published).
        portrait_alt: the portrait's alternative text (it names the person).
    """

    name: str
    rows: tuple[tuple[str, str], ...]
    story: str
    portrait: str
    mailto: str
    quote: str
    unnamed: str = ""
    biography: tuple[Markup, ...] = ()
    circumstances: tuple[Markup, ...] = ()
    documented: str = ""
    portrait_alt: str = ""


def person_view(loc: Locale, person: PublishedPerson, contact: str) -> PersonView:
    """A person page's values in ``loc``'s language (labels translated once here,
    so the template does no work per field)."""
    pid = person.person_id
    rows = tuple((loc.t(f"field_{key}"), text) for key, text in details(loc, person))
    mailto = f"mailto:{contact}?subject=Correction%20{pid}" if contact else ""
    unnamed = loc.t(f"unnamed_{person.unnamed}") if person.unnamed in _WHY else ""
    return PersonView(
        marked_name(loc, person, mark=True),
        rows,
        _written(loc, person.story) if person.story else "",
        person.portrait,
        mailto,
        loc.t("quote_id", id=pid),
        unnamed,
        _paragraphs(loc, person.told.get("biography", {})),
        _paragraphs(loc, person.told.get("circumstances", {})),
        documented_text(loc, person),
        f"{loc.t('portrait')}: {name_of(loc, person)}" if person.portrait else "",
    )


def _paragraphs(loc: Locale, texts: dict[str, str]) -> tuple[Markup, ...]:
    """A text the team wrote in both languages, as paragraphs in the page's
    language (the other language's, marked as such, when only it was written)."""
    own, other = texts.get(loc.lang, ""), texts.get(loc.other, "")
    if own:
        return tuple(escape(p) for p in own.split("\n\n"))
    direction = "rtl" if loc.other == "fa" else "ltr"
    return tuple(
        Markup(f'<span lang="{loc.other}" dir="{direction}">{escape(p)}</span>')
        for p in other.split("\n\n")
        if p
    )


def documented_text(loc: Locale, person: PublishedPerson) -> str:
    """How a person was documented: the grade, the number of independent
    sources and whether documentary evidence is linked ("" when unknown)."""
    grade = person.values.get("grade")
    if grade is None or not person.documented:
        return ""
    sources = person.documented.get("sources")
    parts = [loc.label("grade", str(grade))]
    if sources == 1:
        parts.append(loc.t("documented_one"))
    elif sources:
        parts.append(loc.t("documented_sources", n=int(sources)))
    basis = person.documented.get("basis")
    if basis == "evidence":
        parts.append(loc.t("documented_evidence"))
    elif basis == "primary":
        parts.append(loc.t("documented_primary"))
    if len(parts) == 1:
        return parts[0]
    return f"{parts[0]}: {' '.join(parts[1:])}"


def index_line(loc: Locale, person: PublishedPerson) -> tuple[str, Markup, str]:
    """A memorial index line: the person id, the name and the description."""
    return person.person_id, marked_name(loc, person), descriptors(loc, person)
