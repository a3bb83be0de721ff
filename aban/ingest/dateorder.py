"""The order of day and month in a list's numeric dates, column by column (issue 15).

``11/12/2019`` is 11 December day first and 12 November month first; a Google Sheet
in US format writes the month first. Before its rows are read, each date column of a
file is looked at whole (:mod:`aban.ingest.firstpass`) and given an order
(:func:`decide_orders`):

- some value can only be month first (``11/16/2019``) and none only day first:
  month first; the reverse: day first;
- values of both kinds: ``mixed``; a cell that can be read either way is left empty
  and its row kept (``date-order-mixed``);
- every value read either way: the order another date column of the file was found
  to have, else day first, with one ``date-order-assumed`` warning for the file
  that says how many dates could be read either way and how to say which.

A mapping's ``date_order: month-first`` (or ``day-first``) gives the order of every
column; a date that cannot be read so is then ``date-impossible``. Dates with their
year first (``2019-11-16``, Solar Hijri ``1398/08/25``) and dates with a month name
have no order to choose and are not counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from aban.ingest.issues import Issue, make_issue
from aban.text.dates import DateOrder

__all__ = ["ColumnOrder", "decide_orders", "order_issues"]

#: How a column's order was chosen: found in its values (or another column's),
#: assumed (every value read either way), or given by the mapping.
How = Literal["found", "other-column", "assumed", "mapping"]
#: A column's order: one of the two, or ``mixed`` (the cells read either way are
#: left empty).
ColumnKind = Literal["day-first", "month-first", "mixed"]


@dataclass(frozen=True)
class ColumnOrder:
    """The order of day and month in one date column of a file.

    Attributes:
        column: the records column (``date_of_death``, ``birth_date``).
        order: ``day-first``, ``month-first`` or ``mixed``.
        how: ``found`` in its values, ``other-column`` (its values are all read
            either way, another date column's are not), ``assumed`` or ``mapping``.
        ambiguous: its cells that can be read either way.
        day_first: its cells that can only be read day first.
        month_first: its cells that can only be read month first.
    """

    column: str
    order: ColumnKind
    how: How
    ambiguous: int = 0
    day_first: int = 0
    month_first: int = 0

    def describe(self) -> str:
        """One line for the preview, e.g. ``month-first (found: 3 only month
        first, 5 either way)``."""
        either = f"{self.ambiguous} either way"
        if self.how == "mapping":
            return f"{self.order} (date_order in the mapping)"
        if self.order == "mixed":
            return (
                f"mixed (found: {self.day_first} only day first, {self.month_first} "
                f"only month first; {either}, left empty)"
            )
        if self.how == "assumed":
            return f"{self.order} (assumed: {either}, none only one way)"
        if self.how == "other-column":
            return f"{self.order} (as the file's other date columns; {either})"
        if self.order == "day-first":
            return f"day-first (found: {self.day_first} only day first, {either})"
        return f"month-first (found: {self.month_first} only month first, {either})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "column": self.column,
            "order": self.order,
            "how": self.how,
            "ambiguous": self.ambiguous,
            "day_first": self.day_first,
            "month_first": self.month_first,
        }


def decide_orders(
    kinds: dict[str, Counter[str]], forced: DateOrder | None = None
) -> dict[str, ColumnOrder]:
    """Each date column's order from its counts (see the module docstring).

    Args:
        kinds: by column, from :func:`aban.ingest.firstpass.scan_columns`.
        forced: the mapping's ``date_order``, if given.
    """
    orders: dict[str, ColumnOrder] = {}
    for column, found in kinds.items():
        counts = found["either"], found["day-first"], found["month-first"]
        if forced is not None:
            orders[column] = ColumnOrder(column, forced, "mapping", *counts)
        elif counts[1] and counts[2]:
            orders[column] = ColumnOrder(column, "mixed", "found", *counts)
        elif counts[1] or counts[2]:
            order: ColumnKind = "month-first" if counts[2] else "day-first"
            orders[column] = ColumnOrder(column, order, "found", *counts)
    known = {o.order for o in orders.values() if o.order != "mixed"}
    for column, found in kinds.items():
        if column in orders:
            continue
        counts = found["either"], found["day-first"], found["month-first"]
        if len(known) == 1:
            other = next(iter(known))
            orders[column] = ColumnOrder(column, other, "other-column", *counts)
        else:
            how: How = "assumed" if counts[0] else "found"
            orders[column] = ColumnOrder(column, "day-first", how, *counts)
    return {column: orders[column] for column in kinds}


def order_issues(file: str, orders: Sequence[ColumnOrder]) -> list[Issue]:
    """The file's ``date-order-assumed`` warning, if a column's order was assumed."""
    assumed = [o for o in orders if o.how == "assumed"]
    if not assumed:
        return []
    count = sum(o.ambiguous for o in assumed)
    columns = ", ".join(o.column for o in assumed)
    column = assumed[0].column if len(assumed) == 1 else None
    return [
        make_issue(
            "date-order-assumed", file, None, column, count=count, columns=columns
        )
    ]
