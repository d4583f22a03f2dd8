"""Hypothesis strategies shared by the test suite."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import strategies as st

from jhmatch.data.ids import check_character
from jhmatch.taxonomy import REGIONS, DisabilityCategory, post_kinds

SINGLE = [c for c in DisabilityCategory if c is not DisabilityCategory.MULTIPLE]
TEXT = st.text(
    alphabet=st.sampled_from(list("abcXYZ 019=+-@'\"，,;:职业按摩客服 é\t")), max_size=12
)


@st.composite
def resident_ids(draw, county: str | None = None) -> str:
    """A valid 18-character resident ID."""
    address = county or draw(st.sampled_from([r.code for r in REGIONS]))
    birth = draw(st.dates(dt.date(1950, 1, 1), dt.date(2008, 12, 31)))
    first17 = f"{address}{birth:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return first17 + check_character(first17)


@st.composite
def person_frames(draw, max_rows: int = 8) -> pd.DataFrame:
    """Raw persons tables that validate (mixed aliases, blanks, optional columns)."""
    n = draw(st.integers(1, max_rows))
    rows = []
    for i in range(n):
        cat = draw(st.sampled_from(list(DisabilityCategory)))
        comps = ""
        if cat is DisabilityCategory.MULTIPLE:
            comps = ";".join(c.value for c in draw(st.lists(st.sampled_from(SINGLE), min_size=2, max_size=3, unique=True)))
        grade = draw(st.integers(1, 4))
        county = draw(st.sampled_from(REGIONS))
        rid = draw(st.one_of(st.none(), resident_ids(county.code)))
        cert = rid + f"{cat.digit}{grade}" if rid is not None and draw(st.booleans()) else None
        rows.append({
            "person_id": f"p{i}",
            "name": draw(st.one_of(st.none(), TEXT)),
            "id_number": rid,
            "certificate_number": cert,
            "category": draw(st.sampled_from([cat.value, cat.zh, str(cat.digit)])),
            "components": comps or None,
            "grade": draw(st.sampled_from([grade, str(grade), "一二三四"[grade - 1] + "级"])),
            "county": draw(st.sampled_from([county.code, county.zh, county.en])),
            "age": draw(st.one_of(st.none(), st.integers(16, 70))),
            "education": draw(st.one_of(st.none(), st.sampled_from(["小学", "bachelor", "4", 3]))),
            "skills": draw(TEXT),
            "preferred_kinds": ";".join(draw(st.lists(st.sampled_from([k.code for k in post_kinds()[:25]]), max_size=2, unique=True))),
            "graduate": draw(st.booleans()),
            "low_income": draw(st.sampled_from(["是", "否", True, False])),
            "cap_vision": draw(st.one_of(st.none(), st.floats(0, 1))),
            "lat": draw(st.one_of(st.none(), st.floats(28.5, 29.7))),
        })
    return pd.DataFrame(rows)


@st.composite
def post_frames(draw, max_rows: int = 8) -> pd.DataFrame:
    """Raw posts tables that validate."""
    n = draw(st.integers(1, max_rows))
    kinds = post_kinds()[:25]
    rows = []
    for i in range(n):
        kind = draw(st.sampled_from(kinds))
        rows.append({
            "post_id": f"q{i}",
            "title": draw(TEXT),
            "kind": draw(st.sampled_from([kind.code, kind.zh])),
            "county": draw(st.sampled_from([r.code for r in REGIONS])),
            "capacity": draw(st.integers(0, 50)),
            "required_skills": draw(TEXT),
            "accommodations": draw(st.sampled_from(["", "手语", "remote;step_free"])),
            "wage": draw(st.one_of(st.none(), st.floats(0, 20000))),
            "occupation": draw(st.one_of(st.none(), st.sampled_from(kind.csco))),
        })
    return pd.DataFrame(rows)
