"""Small-count suppression for anonymous tables: no count under 5 can be read or worked out.

A table has rows × columns of counts and, when it is additive, margins (row totals, column
totals, grand total). Every count from 1 to 4 is hidden and shown "< 5" (primary suppression);
zeros are shown (they say nothing about a person). Because the totals could then give a hidden
count back (total − the visible cells), further cells are hidden and shown "n.c." (complementary
suppression) until no hidden count below 5 can be pinned down: an attacker who knows the rule
(a "< 5" is 1–4, a "n.c." is 5 or more) and tightens each hidden count's bounds through every
total, again and again, still has at least two possible values for every "< 5".

Limits: the check is this bound tightening (what a person with a spreadsheet does), not a
full linear-programming audit of every table combination.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

SMALL = 5  # counts from 1 to SMALL - 1 are never shown
PRIMARY, SECONDARY = "< 5", "n.c."
Key = tuple[str, ...]  # ("cell", row, col) | ("row", row) | ("col", col) | ("all",)
GRAND: Key = ("all",)


@dataclass
class Counts:
    """A table of counts. ``additive``: the margins are sums of the cells and are shown.
    With one column, the row totals and column totals are not separate figures (only the grand total)."""

    rows: list[str]
    cols: list[str]
    values: dict[tuple[str, str], int]
    additive: bool = True

    def value(self, key: Key) -> int:
        """The count at ``key`` (a cell, a row or column total, the grand total)."""
        if key[0] == "cell":
            return self.values.get((key[1], key[2]), 0)
        if key[0] == "row":
            return sum(self.values.get((key[1], c), 0) for c in self.cols)
        if key[0] == "col":
            return sum(self.values.get((r, key[1]), 0) for r in self.rows)
        return sum(self.values.values())

    def figures(self) -> list[Key]:
        """Every figure the table shows."""
        keys: list[Key] = [("cell", r, c) for r in self.rows for c in self.cols]
        if self.additive:
            if len(self.cols) > 1:
                keys += [("row", r) for r in self.rows] + [("col", c) for c in self.cols]
            keys.append(GRAND)
        return keys

    def equations(self) -> list[list[tuple[int, Key]]]:
        """The sums an attacker knows, each as coefficients of figures adding to zero."""
        if not self.additive:
            return []
        if len(self.cols) == 1:
            return [[(1, ("cell", r, self.cols[0])) for r in self.rows] + [(-1, GRAND)]]
        eqs: list[list[tuple[int, Key]]] = [[(1, ("cell", r, c)) for c in self.cols] + [(-1, ("row", r))]
                                            for r in self.rows]
        eqs += [[(1, ("cell", r, c)) for r in self.rows] + [(-1, ("col", c))] for c in self.cols]
        margin_rows: list[tuple[int, Key]] = [(1, ("row", r)) for r in self.rows]
        margin_cols: list[tuple[int, Key]] = [(1, ("col", c)) for c in self.cols]
        eqs += [[*margin_rows, (-1, GRAND)], [*margin_cols, (-1, GRAND)]]
        return eqs


@dataclass
class Protected:
    """What a table may show: each figure's text ("< 5", "n.c." or the number)."""

    counts: Counts
    hidden: dict[Key, str] = field(default_factory=dict)

    def text(self, key: Key) -> str:
        """The figure as printed."""
        return self.hidden.get(key) or str(self.counts.value(key))

    def shown(self, key: Key) -> int | None:
        """The number when it is shown, else None."""
        return None if key in self.hidden else self.counts.value(key)


def protect(counts: Counts, *, hide_total: bool = False) -> Protected:
    """Hide the small counts of ``counts`` and enough others (see the module docstring).
    The grand total is hidden only when under 5, when ``hide_total``, or as the last resort."""
    result = Protected(counts)
    for key in counts.figures():
        if 0 < counts.value(key) < SMALL:
            result.hidden[key] = PRIMARY
    if hide_total and GRAND in counts.figures():
        result.hidden.setdefault(GRAND, SECONDARY)
    for _ in range(len(counts.figures()) + 1):
        pinned = _pinned(result)
        if not pinned:
            return result
        if not _hide_one_more(result, pinned):
            break
    for key in counts.figures():  # nothing else helps: hide every figure that is not zero
        if counts.value(key):
            result.hidden.setdefault(key, SECONDARY)
    return result


def bounds(protected: Protected) -> dict[Key, tuple[float, float]]:
    """What someone who knows the rule can tell of each hidden figure: its lowest and highest
    possible value, tightened through every known sum until nothing changes."""
    counts = protected.counts
    grand = protected.shown(GRAND) if protected.counts.additive else None
    top = float(grand) if grand is not None else math.inf
    box: dict[Key, tuple[float, float]] = {
        key: ((1.0, SMALL - 1.0) if mark == PRIMARY else (float(SMALL), top)) for key, mark in protected.hidden.items()}
    equations = counts.equations()
    for _ in range(50):
        changed = False
        for eq in equations:
            for coef, key in eq:
                if key not in box:
                    continue
                low, high = _rest(eq, key, protected, box)
                # coef * x + rest = 0, with rest in [low, high]
                new = sorted((-high / coef, -low / coef))
                lo, hi = max(box[key][0], _ceil(new[0])), min(box[key][1], _floor(new[1]))
                if (lo, hi) != box[key]:
                    box[key], changed = (lo, hi), True
        if not changed:
            break
    return box


def _ceil(x: float) -> float:
    return x if math.isinf(x) else float(math.ceil(x))


def _floor(x: float) -> float:
    return x if math.isinf(x) else float(math.floor(x))


def _rest(eq: list[tuple[int, Key]], skip: Key, protected: Protected,
          box: dict[Key, tuple[float, float]]) -> tuple[float, float]:
    low = high = 0.0
    for coef, key in eq:
        if key == skip:
            continue
        if key in box:
            a, b = coef * box[key][0], coef * box[key][1]
            low, high = low + min(a, b), high + max(a, b)
        else:
            low += coef * protected.counts.value(key)
            high += coef * protected.counts.value(key)
    return low, high


def _pinned(protected: Protected) -> list[Key]:
    box = bounds(protected)
    return [key for key, mark in protected.hidden.items() if mark == PRIMARY and box[key][0] >= box[key][1]]


def _hide_one_more(protected: Protected, pinned: list[Key]) -> bool:
    """Hide the shown non-zero figure (never the grand total), among those sharing a sum with a
    pinned one, that leaves the fewest pinned (then: cells before totals, the smallest count).
    False when there is none."""
    counts = protected.counts
    candidates = {key for eq in counts.equations() if any(k in pinned for _, k in eq) for _, key in eq
                  if key not in protected.hidden and counts.value(key) > 0 and key != GRAND}
    if not candidates:
        return False
    rank = {"cell": 0, "row": 1, "col": 1}

    def cost(key: Key) -> tuple[int, int, int, Key]:
        protected.hidden[key] = SECONDARY
        left = len(_pinned(protected))
        del protected.hidden[key]
        return left, rank[key[0]], counts.value(key), key

    protected.hidden[min(candidates, key=cost)] = SECONDARY
    return True
