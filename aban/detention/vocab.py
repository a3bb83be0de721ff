"""The words of a detention history: statuses, facts and their synonyms.

A *status* is where the detainee stands (a transition of the case: ``arrested``,
``held_incommunicado``, ..., ``executed``); a *fact* is a dated observation that
does not move the case (whereabouts acknowledged or denied, family or lawyer access
given or refused). Both are written snake_case in the register; the detention events
CSV may use the synonyms below in English or Persian (case, spaces, hyphens,
underscores and ZWNJ do not matter).

Statuses fall into *outcomes*: ``custody`` (arrested to death_sentence),
``disappeared``, ``free`` (released, released_on_bail) and the two terminal outcomes
``executed`` and ``died_in_custody``. Two statuses *contradict* each other when their
outcomes differ, or when one is ``sentenced`` and the other ``death_sentence``.
"""

from __future__ import annotations

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
                           "whereabouts unknown", "location denied",
                           "محل نگهداری اعلام نشد", "انکار بازداشت"),
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
