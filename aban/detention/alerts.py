"""Alerts: when a detention case turns urgent, as of a date.

Five kinds, most urgent first; each has the date it holds since and its age in days
(the as-of date minus that date). Only open cases (the person held or missing) alert.

* ``death_sentence``: a death sentence not yet followed by ``sentenced`` (a new
  sentence, such as a commutation), a release, or a death. Since the first death
  sentence after the last of those.
* ``whereabouts_denied``: the authorities deny holding the person: a
  ``whereabouts_denied`` fact, or a ``disappeared`` status, not yet followed by
  ``whereabouts_acknowledged``. A disappearance (not an explicit denial) also ends
  when a later status shows the person held (charged, transferred, ...).
* ``whereabouts_unknown``: those who report on the person do not know where the
  person is held (a ``whereabouts_unknown`` fact), not yet followed by
  ``whereabouts_acknowledged``, by a denial (which then alerts as
  ``whereabouts_denied``), or by a status dated after it that shows the person held.
  It is a weaker fact than a denial: the authorities have not been asked, or have
  not answered; a later "unknown" does not lift a standing denial.
* ``held_incommunicado``: the current status is ``held_incommunicado`` for more
  than 14 days (since the first of the latest run of that status), with no family
  or lawyer access reported since then.
* ``no_news``: nothing reported (no status, no fact) for more than 30 days.

Both thresholds can be set in the workspace's ``aban.toml``, table ``[detentions]``,
keys ``incommunicado_days`` and ``no_news_days``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aban.detention.history import History
from aban.detention.vocab import CUSTODY, OPEN
from aban.errors import ConfigError

#: Alert kinds, most urgent first.
ALERT_KINDS: tuple[str, ...] = (
    "death_sentence",
    "whereabouts_denied",
    "whereabouts_unknown",
    "held_incommunicado",
    "no_news",
)
#: Statuses after which a death sentence no longer stands.
_ENDS_DEATH_SENTENCE = frozenset(
    {"sentenced", "released", "released_on_bail", "executed", "died_in_custody"}
)

#: Statuses that show a disappeared person held (whereabouts no longer denied).
_SHOWS_HELD = CUSTODY - {"held_incommunicado"}


@dataclass(frozen=True)
class AlertSettings:
    """Alert thresholds in days (an alert needs strictly more days than these)."""

    incommunicado_days: int = 14
    no_news_days: int = 30


def alert_settings(section: Mapping[str, Any]) -> AlertSettings:
    """Alert thresholds from the ``[detentions]`` table of aban.toml.

    Raises:
        ConfigError: an unknown key, or a value that is not a positive integer.
    """
    known = set(AlertSettings.__dataclass_fields__)
    for key, value in section.items():
        if key not in known:
            raise ConfigError(
                f"aban.toml [detentions]: unknown key {key!r}; "
                f"use {' or '.join(sorted(known))}"
            )
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(
                f"aban.toml [detentions]: {key} must be a whole number of days, 1 "
                "or more"
            )
    return AlertSettings(**section)


@dataclass(frozen=True)
class Alert:
    """An urgent situation of a case: its kind, since when, for how many days."""

    kind: str
    since: dt.date
    days: int

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "since": self.since.isoformat(), "days": self.days}


def status_since(history: History) -> dt.date | None:
    """The first date of the run of entries giving the current status."""
    if history.current is None:
        return None
    since: dt.date | None = None
    for _, entry in reversed(
        [(i, e) for i, e in history.statuses if i <= history.current]
    ):
        if entry.kind != history.status:
            break
        since = entry.date or since
    return since


def death_sentence_since(history: History) -> dt.date | None:
    """Since when a death sentence stands, or ``None``."""
    since: dt.date | None = None
    for _, entry in history.statuses:
        if entry.kind == "death_sentence" and since is None:
            since = entry.date
        elif entry.kind in _ENDS_DEATH_SENTENCE:
            since = None
    return since


def whereabouts(history: History) -> tuple[str | None, dt.date | None]:
    """Whereabouts ``acknowledged``, ``denied`` or ``unknown`` (or ``None``), and
    since when (the rules of the module docstring)."""
    value: str | None = None
    since: dt.date | None = None
    implied = False  # the denial rests on a disappearance only
    for entry in history.entries:
        kind = entry.kind
        if kind == "whereabouts_acknowledged":
            if value != "acknowledged":
                value, since = "acknowledged", entry.date
            implied = False
        elif kind in ("whereabouts_denied", "disappeared"):
            if value != "denied":
                value, since = "denied", entry.date
                implied = kind == "disappeared"
            elif kind == "whereabouts_denied":
                implied = False
        elif kind == "whereabouts_unknown":
            if value not in ("denied", "unknown"):
                value, since = "unknown", entry.date
        elif kind in _SHOWS_HELD and _ends(value, implied, since, entry.date):
            value, since, implied = None, None, False
    return value, since


def _ends(
    value: str | None, implied: bool, since: dt.date | None, day: dt.date | None
) -> bool:
    """True if a status showing the person held ends the whereabouts ``value``: a
    denial implied by a disappearance, or whereabouts unknown before ``day``."""
    if value == "denied":
        return implied
    return value == "unknown" and since is not None and day is not None and day > since


def access(history: History, who: str) -> tuple[str | None, dt.date | None]:
    """``granted`` or ``denied`` access for ``family`` or ``lawyer``, and since when.

    ``held_incommunicado`` counts as access denied to both.
    """
    value: str | None = None
    since: dt.date | None = None
    for entry in history.entries:
        now: str | None = None
        if entry.kind == f"{who}_access":
            now = "granted"
        elif entry.kind in (f"{who}_access_denied", "held_incommunicado"):
            now = "denied"
        if now is not None and now != value:
            value, since = now, entry.date
    return value, since


def _incommunicado(history: History) -> dt.date | None:
    since = status_since(history)
    if history.status != "held_incommunicado" or since is None:
        return None
    reached = any(
        e.kind in ("family_access", "lawyer_access")
        and e.date is not None
        and e.date >= since
        for e in history.entries
    )
    return None if reached else since


def case_alerts(
    history: History, as_of: dt.date, settings: AlertSettings | None = None
) -> tuple[Alert, ...]:
    """The alerts of a case as of a date, most urgent first.

    Args:
        history: the case's history as of ``as_of`` (:func:`evaluate`).
        as_of: the day the alerts are for.
        settings: thresholds (14 and 30 days by default).

    Returns:
        One alert per kind that applies, in the order of :data:`ALERT_KINDS`.
    """
    settings = settings or AlertSettings()
    if history.status not in OPEN:
        return ()
    denied = whereabouts(history)
    found = {
        "death_sentence": (death_sentence_since(history), -1),
        "whereabouts_denied": (denied[1] if denied[0] == "denied" else None, -1),
        "whereabouts_unknown": (denied[1] if denied[0] == "unknown" else None, -1),
        "held_incommunicado": (_incommunicado(history), settings.incommunicado_days),
        "no_news": (history.last_event, settings.no_news_days),
    }
    alerts = []
    for kind in ALERT_KINDS:
        since, threshold = found[kind]
        if since is not None and (as_of - since).days > threshold:
            alerts.append(Alert(kind, since, (as_of - since).days))
    return tuple(alerts)
