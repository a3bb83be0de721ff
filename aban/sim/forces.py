"""The alleged-force column: how a source names the force it holds responsible.

Sources that keep the column (the NGO list, the media list) name the person's
alleged force (:data:`aban.sim.vocab.FORCE`) in the row's script: mostly in the
standard wording, in a share ``force_synonyms`` of rows with a synonym
(``Revolutionary Guards``, ``یگان ویژه``), in a share ``joint_forces`` of rows
together with another force (the IRGC and the Basij for persons of either,
security forces with plainclothes agents), and in a tenth of Persian rows with
Arabic letter forms (``نيروي انتظامي``). A force not known is left blank, or in
three rows of ten written as a word for unknown. A share
``missing_rate("alleged_force")`` of rows leaves the cell empty. The truth is the
person's drawn force (``alleged_force`` of ``truth/persons.csv``).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from aban.sim.vocab import FORCE, arabic_letters

if TYPE_CHECKING:
    from aban.sim.specs import SourceSpec

Objects = npt.NDArray[np.object_]
Mask = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]

# By FORCE index (security forces, IRGC, Basij, police): the standard wording, then
# synonyms. The last FORCE label, unknown, is written blank or as UNKNOWN_WORDS.
WORDS_EN: tuple[tuple[str, ...], ...] = (
    ("security forces", "state security forces", "security agents"),
    ("IRGC", "Revolutionary Guards", "IRGC forces"),
    ("Basij", "Basij militia", "Basijis"),
    ("police", "riot police", "anti-riot police", "FARAJA"),
)
WORDS_FA: tuple[tuple[str, ...], ...] = (
    ("نیروهای امنیتی", "ماموران امنیتی", "مأموران امنیتی"),
    ("سپاه پاسداران", "سپاه", "پاسداران"),
    ("بسیج", "بسیجی‌ها", "نیروهای بسیج"),
    ("نیروی انتظامی", "یگان ویژه", "پلیس ضد شورش", "ناجا"),
)
#: Two forces named together, by the FORCE index of the person's force.
JOINT_EN = {
    0: "security forces and plainclothes agents",
    1: "IRGC and Basij",
    2: "Basij and IRGC",
}
JOINT_FA = {0: "نیروهای امنیتی و لباس‌شخصی‌ها", 1: "سپاه و بسیج", 2: "بسیج و سپاه"}
UNKNOWN_WORDS = ("unknown", "نامعلوم")
#: Share of unknown forces written as a word rather than left blank.
UNKNOWN_WRITTEN = 0.3
#: Share of Persian rows written with Arabic letter forms.
ARABIC_LETTERS = 0.1
_WIDTH = 4
_DRAW = 1 << 30


def _table(words: tuple[tuple[str, ...], ...], unknown: str) -> Objects:
    """Wordings by (force, column): column 0 standard, the others synonyms cycled;
    the unknown force's row is blank but for its last column, the unknown word."""
    table = np.full((len(FORCE), _WIDTH + 1), "", dtype=object)
    for f, (standard, *synonyms) in enumerate(words):
        table[f, 0] = standard
        for k in range(1, _WIDTH):
            table[f, k] = synonyms[(k - 1) % len(synonyms)]
    table[len(FORCE) - 1, _WIDTH] = unknown
    return table


@cache
def _tables() -> tuple[Objects, Objects]:
    return _table(WORDS_EN, UNKNOWN_WORDS[0]), _table(WORDS_FA, UNKNOWN_WORDS[1])


def force_cells(
    spec: SourceSpec, force: Ints, fa: Mask, rng: np.random.Generator
) -> Objects:
    """The alleged-force cell of each row (``force``: the FORCE index of its person).

    Draws a fixed number of values per row from ``rng`` whatever the source's
    conventions, so the cells depend only on the rows and the stream.
    """
    m = len(force)
    draws = rng.random((5, m))
    pick = rng.integers(0, _DRAW, m)
    column = np.where(draws[1] < spec.force_synonyms, 1 + pick % (_WIDTH - 1), 0)
    unknown = force == len(FORCE) - 1
    column = np.where(unknown & (draws[3] < UNKNOWN_WRITTEN), _WIDTH, column)
    en, fa_words = _tables()
    cells = np.where(fa, fa_words[force, column], en[force, column])
    joint = draws[2] < spec.joint_forces
    for f in JOINT_EN:
        rows = joint & (force == f)
        cells[rows] = np.where(fa[rows], JOINT_FA[f], JOINT_EN[f])
    for i in np.flatnonzero(fa & (draws[4] < ARABIC_LETTERS)).tolist():
        cells[i] = arabic_letters(cells[i])
    present = draws[0] >= spec.missing_rate("alleged_force")
    return np.where(present, cells, "").astype(object)
