"""Causes of death in English or Persian, reduced to a kind and a group of kinds.

Lists write the cause as a phrase (``live ammunition``, ``گلوله جنگی``, ``shot in
the head``, ``ضرب و شتم``); linkage compares the kind, and kinds of one group
(live ammunition and pellets are both gunfire) as closer than two unrelated
ones. Text that names no known cause, or several, gives ``None``; so does a word
for "not known".
"""

from __future__ import annotations

from functools import cache

from aban.text.phrases import PhraseTable

# Kind -> (group, words that name it), English and Persian.
# fmt: off
_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "live ammunition": ("gunfire", ("live ammunition", "live fire", "live rounds",
                        "bullet", "bullets", "gunshot", "gunshot wound", "shot",
                        "shooting", "firearm", "sniper", "گلوله", "گلوله جنگی",
                        "تیر جنگی", "تیراندازی", "شلیک", "اصابت گلوله")),
    "pellets": ("gunfire", ("shotgun pellets", "pellets", "pellet", "birdshot",
                "buckshot", "ساچمه", "گلوله ساچمه‌ای", "ساچمه‌ای")),
    "rubber bullets": ("gunfire", ("rubber bullet", "rubber bullets",
                       "plastic bullet", "گلوله پلاستیکی", "گلوله لاستیکی")),
    "beating": ("violence", ("beating", "beaten", "beaten to death", "baton",
                "batons", "blunt force", "ضرب و شتم", "کتک", "باتوم")),
    "stabbing": ("violence", ("stabbing", "stabbed", "knife", "چاقو", "ضربه چاقو")),
    "vehicle": ("violence", ("run over", "hit by a vehicle", "زیر گرفتن",
                "زیر گرفته شد")),
    "tear gas": ("gas", ("tear gas", "teargas", "gas", "gas canister",
                 "گاز اشک‌آور", "گاز", "گاز اشک آور")),
    "torture": ("custody", ("torture", "tortured", "شکنجه")),
    "medical neglect": ("custody", ("denial of medical care", "medical neglect",
                        "lack of medical care", "refused treatment",
                        "محرومیت از درمان", "عدم رسیدگی پزشکی")),
    "execution": ("custody", ("execution", "executed", "hanging", "hanged",
                  "اعدام", "اعدام شد", "به دار آویخته شد")),
}
# fmt: on


@cache
def _table() -> PhraseTable:
    return PhraseTable({kind: words for kind, (_, words) in _KINDS.items()})


@cache
def cause_kind(raw: str) -> str | None:
    """The cause of death a text names, or None.

    Example:
        >>> cause_kind("گلوله جنگی"), cause_kind("Shot with live ammunition")
        ('live ammunition', 'live ammunition')
    """
    return _table().find(raw)


def cause_group(kind: str) -> str:
    """The group of a cause kind (``gunfire``, ``violence``, ``custody``...).

    Raises:
        KeyError: ``kind`` is not one :func:`cause_kind` returns.
    """
    return _KINDS[kind][0]
