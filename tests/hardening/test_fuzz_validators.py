"""Fuzzing: arbitrary tables never crash the validators with anything but a jhmatch error."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jhmatch.data.ids import has_id
from jhmatch.data.schema import EMPLOYERS, HOUSEHOLDS, PERSONS, POSTS
from jhmatch.errors import SchemaError
from jhmatch.i18n import language

SCHEMAS = {"persons": PERSONS, "posts": POSTS, "employers": EMPLOYERS, "households": HOUSEHOLDS}

CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10**12, 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=25),
    st.sampled_from(["视力", "一级", "义乌", "kiosk", "是", "2024-02-30", "=1+1", " ", "nan", "11010519491231002X",
                     "11010519491231002X42", "4100402", "手语", "1e999", "-0", "0x10", "１２", "a\x00b", "\x1b[31m",
                     "1e308", "-1e308", "ID11010519491231002Xabc", "2091-01-01", "x" * 6000]),
    st.datetimes().map(pd.Timestamp),
)


@st.composite
def tables(draw, schema):
    headers = [c.name for c in schema.columns] + [a for c in schema.columns for a in c.aliases[:1]] + ["junk", ""]
    cols = draw(st.lists(st.sampled_from(headers), min_size=0, max_size=8))  # a header may repeat
    n = draw(st.integers(0, 6))
    rows = [[draw(CELLS) for _ in cols] for _ in range(n)]
    return pd.DataFrame(rows, columns=cols, dtype=object) if cols else pd.DataFrame(index=range(n))


def check(schema, frame):
    try:
        out = schema.validate(frame)
    except SchemaError as exc:
        assert exc.problems and str(exc)
        for p in exc.problems:
            assert p.row is None or 1 <= p.row <= len(frame)
        for lang in ("en", "zh"):
            with language(lang):
                text = str(exc)
            assert not has_id(pd.Series([text]))[0], text  # no raw ID number in any message
            assert len(text) < 2_000 * (len(exc.problems[:50]) + 1)  # no huge value echoed
        return
    assert len(out) == len(frame)
    assert [c.name for c in schema.columns] == list(out.columns[: len(schema.columns)])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), name=st.sampled_from(sorted(SCHEMAS)))
def test_validators_only_raise_schema_errors(data, name):
    schema = SCHEMAS[name]
    check(schema, data.draw(tables(schema)))


@settings(max_examples=60, deadline=None)
@given(values=st.lists(CELLS, min_size=1, max_size=5), column=st.sampled_from([c.name for c in PERSONS.columns]))
def test_any_value_in_any_person_column(values, column):
    frame = pd.DataFrame({"person_id": [f"p{i}" for i in range(len(values))], "category": "visual", "grade": 1,
                          "county": "义乌"})
    frame[column] = pd.Series(values, dtype=object)
    check(PERSONS, frame)


def test_numeric_numpy_columns():
    frame = pd.DataFrame({"post_id": np.arange(3), "kind": "kiosk", "county": 330782, "capacity": np.array([1, 2, 3])})
    out = POSTS.validate(frame)
    assert out["post_id"].tolist() == ["0", "1", "2"] and out["county"].tolist() == ["330782"] * 3
