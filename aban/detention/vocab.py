"""The words of a detention history: statuses, facts and their synonyms.

A *status* is where the detainee stands (a transition of the case: ``arrested``,
``held_incommunicado``, ..., ``executed``); a *fact* is a dated observation that
does not move the case (whereabouts acknowledged, denied or unknown, family or lawyer
access given or refused). Both are written snake_case in the register; the detention
events CSV may use the synonyms below in English or Persian (case, spaces, hyphens,
underscores and ZWNJ do not matter).

Detainee lists write a person's status as free text, often with its detail ("sentenced
to 5 years", "transferred to Evin", "in detention, no family visits", "۵ سال حبس",
"آزاد با وثیقه"): :func:`read_status_text` reads such text into its parts, each a status
or a fact with the term of a sentence or the facility of a transfer or detention.
"Whereabouts unknown" (the family does not know where the person is held) and
"whereabouts denied" (the authorities deny holding the person) are different facts.

Statuses fall into *outcomes*: ``custody`` (arrested to death_sentence),
``disappeared``, ``free`` (released, released_on_bail) and the two terminal outcomes
``executed`` and ``died_in_custody``. Two statuses *contradict* each other when their
outcomes differ, or when one is ``sentenced`` and the other ``death_sentence``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from aban.text.normalise import clean_text, fold_persian
from aban.text.vocab import is_unknown, vocabulary_key

#: Statuses, in the order of a typical history.
STATUSES: tuple[str, ...] = (
    "arrested",
    "detained",
    "held_incommunicado",
    "transferred",
    "charged",
    "tried",
    "sentenced",
    "death_sentence",
    "disappeared",
    "released_on_bail",
    "released",
    "executed",
    "died_in_custody",
)
#: Facts: dated observations that do not change the status.
FACTS: tuple[str, ...] = (
    "whereabouts_acknowledged",
    "whereabouts_denied",
    "whereabouts_unknown",
    "family_access",
    "family_access_denied",
    "lawyer_access",
    "lawyer_access_denied",
)
#: Statuses after which a person is dead: a case ends there.
TERMINAL = frozenset({"executed", "died_in_custody"})
#: Statuses of a person still held.
CUSTODY = frozenset(STATUSES[:8])
#: Statuses of a person out of custody, alive.
FREE = frozenset({"released", "released_on_bail"})
#: Statuses of an open case: the person is held or missing.
OPEN = CUSTODY | {"disappeared"}
#: Record statuses (records format) that make a record part of a detention case.
RECORD_STATUSES: tuple[str, ...] = (
    "detained",
    "disappeared",
    "executed",
    "died_in_custody",
)

# fmt: off
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "arrested": ("arrested", "arrest", "taken into custody", "دستگیر", "دستگیر شده",
                 "دستگیری", "بازداشت", "بازداشت شده"),
    "detained": ("detained", "in custody", "in detention", "held", "imprisoned",
                 "jailed", "in prison", "در بازداشت", "زندانی", "بازداشتی"),
    "held_incommunicado": ("held incommunicado", "incommunicado",
                           "incommunicado detention", "held without contact",
                           "بازداشت بدون ارتباط", "بی‌خبری از بازداشتی"),
    "transferred": ("transferred", "transfer", "moved", "انتقال", "منتقل شد",
                    "منتقل شده"),
    "charged": ("charged", "charge", "indicted", "accused", "اتهام", "تفهیم اتهام",
                "متهم شد"),
    "tried": ("tried", "trial", "on trial", "hearing", "court hearing", "محاکمه",
              "محاکمه شد", "دادگاه"),
    "sentenced": ("sentenced", "sentence", "convicted", "prison sentence",
                  "sentenced to prison", "sentence commuted", "commuted", "محکوم",
                  "محکوم شد", "حکم زندان", "حبس"),
    "death_sentence": ("death sentence", "sentenced to death", "death penalty",
                       "حکم اعدام", "محکوم به اعدام"),
    "disappeared": ("disappeared", "forcibly disappeared", "enforced disappearance",
                    "missing", "ناپدید", "ناپدید شده", "مفقود", "مفقودالاثر"),
    "released_on_bail": ("released on bail", "bail", "bailed", "out on bail",
                         "آزادی با وثیقه", "آزاد با وثیقه", "آزادی موقت با وثیقه",
                         "وثیقه"),
    "released": ("released", "release", "freed", "آزاد", "آزاد شد", "آزاد شده",
                 "آزادی"),
    "executed": ("executed", "execution", "hanged", "اعدام", "اعدام شد",
                 "اعدام شده"),
    "died_in_custody": ("died in custody", "death in custody", "died in detention",
                        "death in detention", "killed in custody",
                        "مرگ در بازداشت", "جان باخته در بازداشت",
                        "کشته در بازداشت"),
    "whereabouts_acknowledged": ("whereabouts acknowledged", "whereabouts known",
                                 "detention acknowledged", "location acknowledged",
                                 "محل نگهداری اعلام شد"),
    "whereabouts_denied": ("whereabouts denied", "detention denied",
                           "location denied", "authorities deny holding",
                           "محل نگهداری اعلام نشد", "انکار بازداشت"),
    "whereabouts_unknown": ("whereabouts unknown", "location unknown",
                            "unknown whereabouts", "whereabouts not known",
                            "محل نگهداری نامعلوم", "محل نگهداری نامشخص",
                            "بی اطلاع از محل نگهداری"),
    "family_access": ("family access", "family visit", "visited by family",
                      "family contact", "ملاقات خانواده", "تماس با خانواده"),
    "family_access_denied": ("family access denied", "no family access",
                             "no family visits", "ممنوع الملاقات",
                             "ملاقات ممنوع"),
    "lawyer_access": ("lawyer access", "access to lawyer", "access to a lawyer",
                      "lawyer visit", "دسترسی به وکیل", "ملاقات با وکیل"),
    "lawyer_access_denied": ("lawyer access denied", "no lawyer",
                             "no access to lawyer", "no access to a lawyer",
                             "denied a lawyer", "بدون وکیل",
                             "محرومیت از وکیل"),
}
# fmt: on
_WORDS: dict[str, str] = {
    vocabulary_key(word): kind for kind, words in _SYNONYMS.items() for word in words
} | {vocabulary_key(kind): kind for kind in (*STATUSES, *FACTS)}


class EventWordError(ValueError):
    """The text names no status or fact (the message never repeats it)."""


def parse_event_word(text: str) -> str | None:
    """Read a status or fact as written in a detention events file.

    Args:
        text: ``held incommunicado``, ``Released on bail``, ``حکم اعدام``, ...

    Returns:
        The snake_case status or fact, or ``None`` for empty text or a word for
        "not known".

    Raises:
        EventWordError: the text is neither a status nor a fact.

    Example:
        >>> parse_event_word("Sentenced to death")
        'death_sentence'
    """
    key = vocabulary_key(text)
    if not key or is_unknown(text):
        return None
    try:
        return _WORDS[key]
    except KeyError:
        raise EventWordError("not a detention status or fact") from None


def outcome(status: str) -> str:
    """The outcome of a status: custody, disappeared, free or the terminal status."""
    if status in CUSTODY:
        return "custody"
    if status in FREE:
        return "free"
    return status


def contradict(a: str, b: str) -> bool:
    """True if statuses ``a`` and ``b`` cannot both describe one day."""
    return outcome(a) != outcome(b) or {a, b} == {"sentenced", "death_sentence"}


# Free-text statuses of detainee lists. Text is matched after fold_persian (Persian
# letter variants, ZWNJ, ASCII digits) and without case; a phrase's spaces match any
# run of spaces, or none (ZWNJ-joined and spaced compounds are one phrase).
_SPLIT = re.compile(r"\s*[,;،؛|+]\s*|\s+-\s+|\s+(?:and|و)\s+(?!\d)", re.IGNORECASE)
_TERM = re.compile(
    r"(\d+(?:\.\d+)?)\s*(years?|yrs?|months?|weeks?|days?|lashes|سال|ماه|هفته|روز"
    r"|ضربه(?:\s*شلاق)?)",
    re.IGNORECASE,
)
_UNITS = {"yr": "year", "yrs": "year", "سال": "year", "ماه": "month", "هفته": "week"}
_UNITS |= {"روز": "day", "lashes": "lash", "ضربه": "lash", "ضربهشلاق": "lash"}
_SENTENCE_WORDS = re.compile(
    r"sentenc|convict|prison|imprison|jail|حبس|زندان|محکوم|حکم", re.IGNORECASE
)


def _phrases(*words: str) -> str:
    return "|".join(re.escape(fold_persian(w)).replace(r"\ ", r"\s*") for w in words)


_FACILITY = r"(?P<facility>\S.*?)"
# fmt: off
#: (pattern, status or fact), tried in order on each part of a free-text status:
#: first the outcomes, then the term of a sentence, then the details; a ``facility``
#: group names the facility of a transfer or a detention.
_OUTCOME_RULES: tuple[tuple[str, str], ...] = (
    (_phrases("sentenced to death", "death sentence", "death penalty",
              "sentenced to execution", "حکم اعدام", "محکوم به اعدام", "حکم قصاص",
              "قصاص"), "death_sentence"),
    (r"^(?:executed|hanged)\b|" + _phrases("اعدام شد", "اعدام شده"), "executed"),
    (r"died\s+in\s+(?:custody|detention|prison)|" + _phrases("جان باخت", "فوت در"),
     "died_in_custody"),
    (r"\b(?:denied|refused|no)\s+bail\b", "detained"),
    (r"\bbail(?:ed)?\b|" + _phrases("وثیقه", "کفالت"), "released_on_bail"),
    (r"^(?:released|freed)\b|^" + _phrases("آزاد شد", "آزادی", "آزاد"), "released"),
    (r"^(?:forcibly\s+)?disappeared\b|" + _phrases("ناپدید"), "disappeared"),
)
_DETAIL_RULES: tuple[tuple[str, str], ...] = (
    (rf"^(?:transferred|moved|taken)\s+to\s+{_FACILITY}$", "transferred"),
    (rf"^(?:منتقل\s*(?:شد(?:ه)?\s*)?|انتقال\s*)به\s+{_FACILITY}"
     r"(?:\s+منتقل\s*شد(?:ه)?)?$", "transferred"),
    (rf"^به\s+{_FACILITY}\s+منتقل\s*شد(?:ه)?$", "transferred"),
    (_phrases("no family visits", "no family visit", "no family access",
              "no family contact", "no contact with family",
              "no contact with his family", "no contact with her family",
              "family visits denied", "family visits banned", "denied family visits",
              "visits banned", "بدون ملاقات", "ممنوع الملاقات", "ملاقات ممنوع",
              "عدم ملاقات", "محروم از ملاقات", "منع ملاقات"), "family_access_denied"),
    (_phrases("no access to a lawyer", "no access to lawyer", "no access to counsel",
              "no lawyer", "denied a lawyer", "denied access to a lawyer",
              "lawyer denied", "without a lawyer", "بدون وکیل", "عدم دسترسی به وکیل",
              "بدون دسترسی به وکیل", "محروم از وکیل", "محرومیت از وکیل"),
     "lawyer_access_denied"),
    (_phrases("family visited", "family visits allowed", "met his family",
              "met her family", "ملاقات با خانواده"), "family_access"),
    (_phrases("has a lawyer", "lawyer visited", "with a lawyer", "met a lawyer",
              "دسترسی به وکیل", "ملاقات با وکیل"), "lawyer_access"),
    (r"incommunicado|" + _phrases("بدون ارتباط", "بی ارتباط", "ممنوع الارتباط",
                                  "قطع ارتباط"), "held_incommunicado"),
    (r"whereabouts\b.*\b(?:unknown|not known)|unknown\s+whereabouts|"
     r"location\b.*\bunknown|" + _phrases("محل نگهداری نامعلوم",
                                          "محل نگهداری نامشخص",
                                          "محل نگهداری معلوم نیست",
                                          "اطلاعی از محل نگهداری",
                                          "بی اطلاع از محل"), "whereabouts_unknown"),
    (r"whereabouts\b.*\bdenied|\bden(?:y|ies|ied)\s+(?:holding|detaining|"
     r"(?:the\s+)?arrest)|" + _phrases("انکار"), "whereabouts_denied"),
    (r"^(?:charged|indicted|accused)\b|" + _phrases("متهم به", "تفهیم اتهام"),
     "charged"),
    (r"^(?:tried|on\s+trial|trial)\b|" + _phrases("محاکمه", "دادگاه"), "tried"),
    (rf"^(?:held|detained|imprisoned|jailed|in\s+(?:detention|custody|prison))\s+"
     rf"(?:in|at)\s+{_FACILITY}$", "detained"),
    (rf"^(?:در\s+)?(?:بازداشت|زندان)\s+(?:در\s+)?{_FACILITY}$", "detained"),
    (r"^(?:held|detained|imprisoned|jailed|in\s+(?:detention|custody|prison))\b|^"
     + _phrases("در بازداشت", "زندانی"), "detained"),
    (r"^arrested\b|^" + _phrases("دستگیر", "بازداشت"), "arrested"),
)
# fmt: on
_OUTCOMES, _DETAILS = (
    tuple((re.compile(p, re.IGNORECASE), kind) for p, kind in rules)
    for rules in (_OUTCOME_RULES, _DETAIL_RULES)
)


@dataclass(frozen=True)
class StatusPart:
    """One part of a free-text status, as read.

    Attributes:
        text: the part as written (cleaned of control characters and extra spaces).
        kind: the status or fact it states; ``None`` if it was not recognised.
        term: the term of a sentence (``5 years 6 months``), if it gives one.
        facility: the facility of a transfer or a detention, if it names one.
        ambiguous: a bare "اعدام" (execution), read as a death sentence, not an
            execution: a list of detainees uses it for either, and reading a death
            sentence as an execution would close an urgent case.
    """

    text: str
    kind: str | None
    term: str | None = None
    facility: str | None = None
    ambiguous: bool = False


def sentence_term(text: str | None) -> str | None:
    """The term a text gives, in English words (``5 years 74 lashes``), or ``None``.

    Example:
        >>> sentence_term("۵ سال و ۶ ماه حبس")
        '5 years 6 months'
    """
    if not text:
        return None
    parts = []
    for number, unit in _TERM.findall(fold_persian(text)):
        key = unit.lower().replace(" ", "")
        word = _UNITS.get(key, key.rstrip("s") if key.isascii() else key)
        parts.append(
            f"{number} {word}{'' if number == '1' else 'es' if word == 'lash' else 's'}"
        )
    return " ".join(parts) or None


def _read_part(text: str) -> StatusPart:
    folded = fold_persian(text).strip(" .")
    if vocabulary_key(folded) == vocabulary_key("اعدام"):
        return StatusPart(text, "death_sentence", ambiguous=True)
    try:
        kind = parse_event_word(folded)
    except EventWordError:
        kind = None
    if kind is not None:
        term = sentence_term(folded) if kind == "sentenced" else None
        return StatusPart(text, kind, term)
    found = _match(_OUTCOMES, text, folded)
    if found is not None:
        return found
    term = sentence_term(folded)
    if term and _SENTENCE_WORDS.search(folded):
        return StatusPart(text, "sentenced", term)
    found = _match(_DETAILS, text, folded)
    if found is not None:
        return found
    if re.match(r"^(?:sentenced|convicted)\b|^" + _phrases("محکوم"), folded, re.I):
        return StatusPart(text, "sentenced")
    return StatusPart(text, None)


def _match(
    rules: tuple[tuple[re.Pattern[str], str], ...], text: str, folded: str
) -> StatusPart | None:
    for pattern, kind in rules:
        found = pattern.search(folded)
        if found:
            facility = found.groupdict().get("facility")
            return StatusPart(text, kind, None, _facility(facility))
    return None


def _facility(text: str | None) -> str | None:
    if not text:
        return None
    text = re.sub(r"^the\s+", "", text.strip(" .,"), flags=re.IGNORECASE)
    return text or None


@functools.lru_cache(4096)
def read_status_text(text: str) -> tuple[StatusPart, ...]:
    """Read a free-text status of a detainee list into its parts.

    The text is split at commas, semicolons (Latin or Persian), ``|``, ``+``, a
    spaced hyphen, and ``and`` / ``و`` not followed by a number (so "5 years and 6
    months" stays one part). Each part is read as a status or fact: first as a word
    of the vocabulary (:func:`parse_event_word`), then by patterns: the term of a
    sentence ("sentenced to 5 years", "۵ سال حبس"), a death sentence ("death
    sentence", "حکم اعدام"; a bare "اعدام" too, flagged
    ``ambiguous``), the facility of a transfer ("transferred to Evin", "منتقل به
    اوین") or a detention ("held in Evin"), family and lawyer access ("no family
    visits", "بدون ملاقات", "no access to a lawyer"), bail ("released on bail", "آزاد
    با وثیقه"), incommunicado, whereabouts unknown or denied.

    Args:
        text: the status as written.

    Returns:
        The parts in the order written; a part not recognised has ``kind`` ``None``.
        Empty text, or a word for "not known", gives no part.

    Example:
        >>> [p.kind for p in read_status_text("in detention, no family visits")]
        ['detained', 'family_access_denied']
    """
    text = clean_text(text)
    if not text or is_unknown(text):
        return ()
    pieces = _SPLIT.split(text.replace("(", " ").replace(")", " "))
    return tuple(_read_part(p.strip()) for p in pieces if p.strip(" .-"))
