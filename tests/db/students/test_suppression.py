"""The "< 5" rule: no count from 1 to 4 is printed, and none can be worked out from the totals
— checked by trying every value the hidden figures could take."""
from __future__ import annotations

import random

import pytest

from db.students.suppression import GRAND, PRIMARY, SECONDARY, Counts, protect


def recoverable(protected) -> list:
    """Hidden "< 5" figures that have a single possible value given everything printed: every
    assignment of the hidden figures (1–4 for "< 5", 5 up to the grand total for "n.c.") that
    agrees with the printed sums is tried."""
    counts = protected.counts
    hidden = list(protected.hidden)
    total = protected.shown(GRAND) if counts.additive else None
    top = total if total is not None else counts.value(GRAND) + 10
    def ceiling(key) -> int:  # a figure is at most every printed total it adds into
        totals = [protected.shown(k) for eq in counts.equations() if (1, key) in eq for c, k in eq if c == -1]
        return min([top, *(t for t in totals if t is not None)])

    ranges = [range(1, 5) if protected.hidden[k] == PRIMARY else range(5, ceiling(k) + 1) for k in hidden]
    possible: dict = {k: set() for k in hidden}
    equations = counts.equations()
    # Each sum is checked as soon as its last hidden figure has a value (depth-first search).
    closing = {i: [eq for eq in equations if any(k in protected.hidden for _, k in eq)
                   and max(hidden.index(k) for _, k in eq if k in protected.hidden) == i] for i in range(len(hidden))}
    guess: dict = {}

    def search(i: int) -> None:
        if i == len(hidden):
            for k, v in guess.items():
                possible[k].add(v)
            return
        for value in ranges[i]:
            guess[hidden[i]] = value
            if all(sum(c * guess.get(k, counts.value(k)) for c, k in eq) == 0 for eq in closing[i]):
                search(i + 1)
        del guess[hidden[i]]

    search(0)
    return [k for k in hidden if protected.hidden[k] == PRIMARY and len(possible[k]) < 2]


def one_column(values: list[int]) -> Counts:
    rows = [f"r{i}" for i in range(len(values))]
    return Counts(rows, ["n"], {(r, "n"): v for r, v in zip(rows, values, strict=True)})


def test_no_count_under_five_is_printed():
    protected = protect(one_column([12, 3, 0, 7, 1, 9]))
    printed = [protected.text(k) for k in protected.counts.figures()]
    assert printed.count("< 5") == 2 and "0" in printed
    assert not {"1", "2", "3", "4"} & set(printed)


@pytest.mark.parametrize("values", [[12, 3, 20], [6, 1], [3, 3, 9], [1, 30, 30], [2, 0, 40, 8]])
def test_one_small_count_cannot_be_recovered_from_the_total(values):
    protected = protect(one_column(values))
    assert recoverable(protected) == []
    assert all(protected.text(("cell", f"r{i}", "n")) in (PRIMARY, SECONDARY)
               for i, v in enumerate(values) if 0 < v < 5)


def test_a_lone_small_count_and_its_total_would_give_it_back_so_another_cell_is_hidden():
    protected = protect(one_column([12, 3, 20]))
    assert protected.text(("cell", "r0", "n")) == SECONDARY  # 12, the smallest other count
    assert protected.text(GRAND) == "35"


def test_two_way_tables_with_margins_are_safe_against_every_guess():
    rng = random.Random(5)
    for _ in range(15):
        rows, cols = ["a", "b", "c"], ["x", "y", "z"]
        values = {(r, c): rng.choice((0, 1, 2, 3, 5, 6, 9)) for r in rows for c in cols}
        protected = protect(Counts(rows, cols, values))
        if GRAND in protected.hidden:  # the last resort: every figure but the zeros is hidden
            assert all(k in protected.hidden for k in protected.counts.figures() if protected.counts.value(k))
            continue
        assert recoverable(protected) == [], values
        for key in protected.counts.figures():
            if 0 < protected.counts.value(key) < 5:
                assert key in protected.hidden


def test_tables_without_totals_only_hide_small_counts():
    protected = protect(Counts(["a", "b"], ["n"], {("a", "n"): 3, ("b", "n"): 40}, additive=False))
    assert (protected.text(("cell", "a", "n")), protected.text(("cell", "b", "n"))) == ("< 5", "40")
