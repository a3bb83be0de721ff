"""The columns of a detainee list beside the records columns, and their header words.

A detainee list (``aban detentions import``, one row per person) is a records list
with columns of its own. A mapping may name them as targets (``"Arrest date":
arrest_date``) or set one for every row (``set: {facility: Evin}``), and
``aban mapping suggest`` proposes them from the header words below, compared as
records headers are (Persian letter forms, ZWNJ, spaces and case aside). The list's
status column is the records column ``status``: its free text (``sentenced to 5
years``, ``منتقل به اوین``) is read into the person's detention events.
"""

from __future__ import annotations

# fmt: off
#: A detainee list's own columns, in the documented order, each with what it holds.
DETAINEE_COLUMN_HELP: dict[str, str] = {
    "arrest_date": "the day of the arrest (an `arrested` event, at the city)",
    "facility": "the prison or detention centre where the person is held (the "
                "place of the status events)",
    "status_date": "the date of the last news or contact: the date of the status "
                   "events (else `--as-of`, else the arrest date, with a warning)",
    "sentence": "the sentence as written (`5 years`, `۵ سال حبس`, `death sentence`): "
                "a `sentenced` event with its term, or a `death_sentence`",
    "charges": "the charges as written: a `charged` event, the text its note",
    "family_access": "family visits or contact: yes / no (`allowed`, `denied`, "
                     "`ممنوع الملاقات`, ...): `family_access` or "
                     "`family_access_denied`",
    "lawyer_access": "access to a lawyer: yes / no (`no lawyer`, `بدون وکیل`, ...): "
                     "`lawyer_access` or `lawyer_access_denied`",
    "release_date": "the day of the release: a `released` event (`released_on_bail` "
                    "if the status says bail) on that day",
    "source_url": "the address of the report: kept in the record's raw data",
}
#: Header words of each of a detainee list's own columns, and of its status column,
#: most specific first.
DETAINEE_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "arrest_date": ("تاریخ بازداشت", "تاریخ دستگیری", "زمان بازداشت", "arrest date",
                    "date of arrest", "arrested on", "date arrested", "detention date",
                    "date of detention"),
    "facility": ("محل نگهداری", "محل بازداشت", "زندان", "بازداشتگاه", "prison",
                 "facility", "prison/facility", "detention facility",
                 "place of detention", "held at", "held in", "detention centre",
                 "detention center"),
    "status": ("وضعیت", "وضعیت فعلی", "آخرین وضعیت", "سرنوشت", "status",
               "current status", "situation", "fate"),
    "status_date": ("تاریخ آخرین خبر", "آخرین خبر", "تاریخ وضعیت", "آخرین اطلاع",
                    "آخرین تماس", "date of last news", "last news", "last contact",
                    "date of last contact", "last update", "last updated", "as of",
                    "news date"),
    "sentence": ("حکم", "حکم صادره", "محکومیت", "sentence", "verdict", "sentenced to"),
    "charges": ("اتهام", "اتهامات", "charges", "charge", "accused of"),
    "family_access": ("ملاقات", "ملاقات خانواده", "تماس با خانواده", "family visits",
                      "family access", "family visit", "family contact", "visits"),
    "lawyer_access": ("وکیل", "دسترسی به وکیل", "lawyer", "lawyer access",
                      "access to a lawyer", "access to lawyer", "counsel"),
    "release_date": ("تاریخ آزادی", "آزادی", "release date", "date of release",
                     "released on", "date released"),
    "source_url": ("source url", "url", "link", "لینک", "source link"),
}
# fmt: on
#: A detainee list's own columns (``status`` is a records column: not here).
DETAINEE_COLUMNS: tuple[str, ...] = tuple(DETAINEE_COLUMN_HELP)
