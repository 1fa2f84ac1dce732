"""Pages in salary or level order: what the window shows page after page is the whole ordered
list cut in slices — fiches with a figure first in its order (ties by name), those without last
by name — whatever other criteria apply (SQLite reads such a page as two index walks)."""
from __future__ import annotations

import pytest

from db.catalogue.search import Criteria, count, search
from db.storage.opening import open_database

PAGE = 7  # small pages: the fiches without a figure span several of them
CASES = [Criteria(sort=sort, descending=descending, **extra)
         for sort in ("salary", "level") for descending in (False, True)
         for extra in ({}, {"max_bac_plus": 3}, {"text": "technicien"},
                       {"min_salary": 1900, "include_no_salary": True})]


@pytest.fixture(scope="module")
def starter(starter_file):  # type: ignore[no-untyped-def]
    database = open_database(starter_file, backups=False)
    yield database
    database.close()


@pytest.mark.parametrize("criteria", CASES, ids=lambda c: f"{c.sort}-{'desc' if c.descending else 'asc'}-"
                         f"{c.text or c.max_bac_plus or c.min_salary or 'tout'}")
def test_every_page_is_a_slice_of_the_whole_order(starter, criteria: Criteria) -> None:
    with starter.read() as session:
        whole = [row.id for row in search(session, criteria)]
        total = count(session, criteria)
        pages = [[row.id for row in search(session, criteria, limit=PAGE, offset=start, total=total)]
                 for start in range(0, total, PAGE)]
        key = "salary_min" if criteria.sort == "salary" else "bac_plus"
        values = [getattr(row, key) for row in search(session, criteria)]
    assert total == len(whole) > PAGE  # several pages, so the slices are tested
    assert [metier for page in pages for metier in page] == whole
    known = [value for value in values if value is not None]
    assert values == known + [None] * (len(values) - len(known)), "fiches without a figure come last"
    assert known == sorted(known, reverse=criteria.descending)
    if criteria.min_salary is None and criteria.text is None and criteria.sort == "salary":
        assert None in values  # the starter catalogue has fiches without a salary: the case is tested
