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
    """The person's name in the page's script if known, else "name unknown"."""
    shown, _ = _pick(loc, person.names)
    return shown or loc.t("name_unknown")


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
    """The person page's fields as ``(field, text)``, in a fixed order."""
    found = [(key, text) for key, text, _, _ in _name_rows(loc, person)]
    for key in _DETAILS:
        if key in person.values:
            found.append((key, value_text(loc, key, person.values[key])))
    return found


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


@dataclass(frozen=True)
class PersonView:
    """What a person page shows, in one language, ready for the template.

    Attributes:
        name: the name, or "name unknown" (markup when a name in the other
            script carries its language, or a transliteration its mark).
        rows: the details as ``(label, text)``, in a fixed order (text or
            markup, as the name).
        story: the short story ("" for none).
        portrait: the portrait's file name ("" for none).
        mailto: the "correct this entry" link ("" without a contact).
        quote: the words asking to quote the entry's id.
        portrait_alt: the portrait's alternative text (it names the person).
    """

    name: str
    rows: tuple[tuple[str, str], ...]
    story: str
    portrait: str
    mailto: str
    quote: str
    portrait_alt: str = ""


def person_view(loc: Locale, person: PublishedPerson, contact: str) -> PersonView:
    """A person page's values in ``loc``'s language (labels translated once here,
    so the template does no work per field)."""
    pid = person.person_id
    rows = [
        (loc.t(f"field_{key}"), _marked(loc, text, lang, made))
        for key, text, lang, made in _name_rows(loc, person)
    ]
    for key in _DETAILS:
        if key in person.values:
            text = value_text(loc, key, person.values[key])
            lang = text_lang(loc, text) if key in _PLACES else ""
            rows.append((loc.t(f"field_{key}"), _marked(loc, text, lang, False)))
    mailto = f"mailto:{contact}?subject=Correction%20{pid}" if contact else ""
    first = _PREFERRED[loc.lang][0]
    lang = "" if first in person.names or not person.names else _other_lang(loc)
    made = person.transliterated.get("name") == first
    return PersonView(
        _marked(loc, name_of(loc, person), lang, made),
        tuple(rows),
        person.story,
        person.portrait,
        mailto,
        loc.t("quote_id", id=pid),
        f"{loc.t('portrait')}: {name_of(loc, person)}" if person.portrait else "",
    )


def index_line(loc: Locale, person: PublishedPerson) -> tuple[str, str, str]:
    """A memorial index line: the person id, the name and the description."""
    return person.person_id, name_of(loc, person), descriptors(loc, person)
