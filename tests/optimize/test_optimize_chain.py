"""Cross-county quota chain: maximum placements, least fund owed, against networkx."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jhmatch.errors import SchemaError
from jhmatch.optimize.chain import quota_chain


def _instance(seed: int):
    rng = np.random.default_rng(seed)
    ne, nd, nb, npn = rng.integers(1, 5), rng.integers(1, 4), rng.integers(1, 4), rng.integers(1, 12)
    counties = np.array(["330723", "330727"])
    employers = pd.DataFrame({"employer_id": [f"e{i}" for i in range(ne)], "staff": rng.integers(50, 600, ne),
                              "disabled_staff": rng.integers(0, 4, ne),
                              "fund_per_place": rng.choice([50000.0, 60000.0, 70000.0], ne)})
    mids = pd.DataFrame({"intermediary_id": [f"d{i}" for i in range(nd)], "capacity": rng.integers(0, 6, nd),
                         "fee": rng.choice([0.0, 1000.0, 3000.0], nd)})
    bases = pd.DataFrame({"base_id": [f"b{i}" for i in range(nb)], "county": rng.choice(counties, nb),
                          "capacity": rng.integers(0, 5, nb)})
    persons = pd.DataFrame({"person_id": [f"p{i}" for i in range(npn)], "county": rng.choice(counties, npn)})
    ed = pd.DataFrame([(e, d) for e in employers["employer_id"] for d in mids["intermediary_id"] if rng.random() < 0.7],
                      columns=["employer_id", "intermediary_id"])
    return employers, mids, bases, persons, ed


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6))
def test_chain_matches_networkx(seed: int) -> None:
    nx = pytest.importorskip("networkx")
    employers, mids, bases, persons, ed = _instance(seed)
    res = quota_chain(employers, mids, bases, persons, employer_intermediary=ed)
    short = np.maximum(np.ceil(0.015 * employers["staff"] - 1e-9) - employers["disabled_staff"], 0).astype(int)
    g = nx.DiGraph()
    for e, s, f in zip(employers["employer_id"], short, employers["fund_per_place"]):
        g.add_edge("S", e, capacity=int(s), weight=-int(f))
    for e, d in zip(ed["employer_id"], ed["intermediary_id"]):
        g.add_edge(e, ("in", d), capacity=10**6, weight=0)
    for d, c, fee in zip(mids["intermediary_id"], mids["capacity"], mids["fee"]):
        g.add_edge(("in", d), ("out", d), capacity=int(c), weight=int(fee))
        for b in bases["base_id"]:
            g.add_edge(("out", d), ("bin", b), capacity=10**6, weight=0)
    for b, county, c in zip(bases["base_id"], bases["county"], bases["capacity"]):
        g.add_edge(("bin", b), ("bout", b), capacity=int(c), weight=0)
        for p in persons.loc[persons["county"] == county, "person_id"]:
            g.add_edge(("bout", b), p, capacity=1, weight=0)
    for p in persons["person_id"]:
        g.add_edge(p, "T", capacity=1, weight=0)
    flow = nx.max_flow_min_cost(g, "S", "T")
    assert res.total_placed == sum(flow["S"].values())
    assert res.fund_saved - res.fees == pytest.approx(-nx.cost_of_flow(g, flow))
    # the paths are valid and respect every stage
    pl = res.placements
    assert len(pl) == res.total_placed and not pl["person_id"].duplicated().any()
    assert set(map(tuple, pl[["employer_id", "intermediary_id"]].to_numpy())) <= set(map(tuple, ed.to_numpy()))
    county = dict(zip(persons["person_id"], persons["county"]))
    bcounty = dict(zip(bases["base_id"], bases["county"]))
    assert all(county[p] == bcounty[b] for p, b in zip(pl["person_id"], pl["base_id"]))
    for col, frame in (("base_id", bases), ("intermediary_id", mids)):
        cap = frame.set_index(col)["capacity"]
        assert (pl[col].value_counts().reindex(cap.index, fill_value=0) <= cap).all()
    table = res.employers.set_index("employer_id")
    assert (table["placed"] == pl["employer_id"].value_counts().reindex(table.index, fill_value=0)).all()
    assert (table["shortfall_after"] >= 0).all()


def test_missing_columns_are_named() -> None:
    with pytest.raises(SchemaError, match="capacity"):
        quota_chain(pd.DataFrame({"employer_id": ["e"], "shortfall": [1]}), pd.DataFrame({"intermediary_id": ["d"]}),
                    pd.DataFrame({"base_id": ["b"], "county": ["330727"], "capacity": [1]}),
                    pd.DataFrame({"person_id": ["p"], "county": ["330727"]}))
