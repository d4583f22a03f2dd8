"""Cross-county quota chain (异地按比例就业): money from jhmatch.policy, maximum placements, against networkx."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jhmatch.errors import SchemaError
from jhmatch.policy import PolicyParameters, fund_due
from jhmatch.policy.chain import fund_steps, quota_chain


def _instance(seed: int):
    rng = np.random.default_rng(seed)
    ne, nd, nb, npn = rng.integers(1, 5), rng.integers(1, 4), rng.integers(1, 4), rng.integers(1, 12)
    counties = np.array(["330723", "330727"])
    staff = rng.integers(20, 600, ne)
    employers = pd.DataFrame({"employer_id": [f"e{i}" for i in range(ne)], "county": "330782", "staff": staff,
                              "disabled_staff": np.minimum(rng.integers(0, 6, ne), staff),
                              "is_enterprise": rng.random(ne) < 0.8,
                              "average_wage": rng.choice([50000.0, 60000.0, 250000.0], ne)})
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
    params = PolicyParameters.for_year(2025)
    res = quota_chain(employers, mids, bases, persons, params, employer_intermediary=ed)
    steps = fund_steps(employers, params)
    g = nx.DiGraph()
    g.add_nodes_from(["S", "T"])
    for k, (e, gain) in enumerate(zip(steps["employer_id"], steps["envelope_saving"])):
        g.add_edge("S", ("step", k), capacity=1, weight=-round(gain))
        g.add_edge(("step", k), e, capacity=1, weight=0)
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
    # the chain's own objective (envelope savings of the steps used, minus fees) equals networkx's optimum
    used = steps.groupby("employer_id", sort=False)["envelope_saving"].apply(list)
    placed = res.employers.set_index("employer_id")["placed"]
    modelled = sum(sum(used[e][:n]) for e, n in placed.items() if n)
    assert modelled - res.fees == pytest.approx(-nx.cost_of_flow(g, flow), abs=2.0 * (len(steps) + 1))
    # every placement path is valid and respects every stage
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
    # one rule, one home: the money is fund_due's, and nobody owing nothing gets a placement
    before = fund_due(employers, params).table.set_index("employer_id")["fund_due"]
    assert np.allclose(table["fund_due_before"], before.loc[table.index])
    assert res.fund_saved == pytest.approx(res.fund_before - res.fund_after)
    assert (table.loc[before.loc[table.index].to_numpy() == 0, "placed"] == 0).all()
    assert (table["fund_due_after"] <= table["fund_due_before"] + 1e-6).all()


def _one_placement_chain(employers: pd.DataFrame, n_persons: int = 10, severe: bool = False):
    mids = pd.DataFrame({"intermediary_id": ["d1"], "capacity": [100]})
    bases = pd.DataFrame({"base_id": ["b1"], "county": ["330727"], "capacity": [100]})
    persons = pd.DataFrame({"person_id": [f"p{i}" for i in range(n_persons)], "county": "330727", "severe": severe})
    return quota_chain(employers, mids, bases, persons, year=2025)


def test_exempt_small_enterprise_and_employers_at_quota_get_no_placements() -> None:
    # 财政部公告2019年第98号 / 2023年第8号: enterprises with ≤ 30 staff are exempt from the fund;
    # 残疾人就业条例 art. 8 / Zhejiang 1.5 %: 200 staff × 1.5 % = 3, met by 3 disabled staff.
    emp = pd.DataFrame({"employer_id": ["small", "met", "severe_met"], "county": "330782", "staff": [30, 200, 200],
                        "disabled_staff": [0, 3, 2], "severe_disabled_staff": [0, 0, 1], "average_wage": 80000})
    res = _one_placement_chain(emp)
    assert res.total_placed == 0 and res.fund_before == res.fund_after == 0.0
    t = res.employers.set_index("employer_id")
    assert t.loc["small", "exempt"] and t.loc["small", "steps"] == 0
    assert "exempt" in t.loc["small", "explanation"] and "quota met" in t.loc["met", "explanation"]
    assert t.loc["severe_met", "steps"] == 0  # 1 + 1 severe counted ×2 = 3 (财税〔2015〕72号)


def test_large_employer_with_a_fractional_shortfall_gets_three_placements_not_fourteen() -> None:
    # The case: 2,911 staff with a shortfall of 2.665 (required 2911 × 1.5 % = 43.665, counted 41).
    # Ratio 41 / 2911 = 1.41 % ≥ 1 %: pays 50 % (财政部公告2019年第98号). Wage 80,000 is below the 2 × cap.
    emp = pd.DataFrame({"employer_id": ["big"], "county": "330782", "staff": [2911], "disabled_staff": [41],
                        "average_wage": [80000.0]})
    res = _one_placement_chain(emp)
    row = res.employers.iloc[0]
    assert row["shortfall_before"] == pytest.approx(2.665)
    assert row["fund_due_before"] == pytest.approx(2.665 * 80000 * 0.5)  # 106,600
    # each placement adds 1 to the count and 1 to the staff: the shortfall falls by 1 − 1.5 % = 0.985;
    # ceil(2.665 / 0.985) = ceil(2.706) = 3 placements meet the quota: 44 / 2914 ≥ 1.5 % (43.71).
    assert row["steps"] == 3 and row["placed"] == 3 and res.total_placed == 3
    assert row["fund_due_after"] == 0.0 and res.fund_saved == pytest.approx(106600.0)


def test_tiers_and_wage_cap_price_each_placement() -> None:
    # 200 staff, 1 disabled: required 3, shortfall 2, ratio 0.5 % < 1 % → 90 %: 2 × 80,000 × 0.9 = 144,000.
    # After 1: 201 staff, 2 disabled, required 3.015, shortfall 1.015, ratio 0.995 % < 1 % → 90 % = 73,080.
    # After 2: 202 staff, 3 disabled, shortfall 0.03, ratio 1.485 % ≥ 1 % → 50 % = 1,200. After 3: 0.
    emp = pd.DataFrame({"employer_id": ["e1", "rich"], "county": "330782", "staff": [200, 100],
                        "disabled_staff": [1, 0], "average_wage": [80000.0, 500000.0]})
    steps = fund_steps(emp, year=2025)
    e1 = steps[steps["employer_id"] == "e1"]
    assert e1["fund_due"].round(2).tolist() == [73080.0, 1200.0, 0.0]
    assert e1["saving"].round(2).tolist() == [70920.0, 71880.0, 1200.0]
    # 财税〔2017〕18号 cap, 2 × local average wage (PARAM 100,000) = 200,000 < 500,000:
    # 100 × 1.5 % = 1.5, ratio 0 → 90 %: 1.5 × 200,000 × 0.9 = 270,000; after one: 0.515 × 200,000 × 0.9.
    rich = steps[steps["employer_id"] == "rich"]
    assert rich["fund_due"].round(2).tolist() == [92700.0, 0.0]


def test_severe_placement_counts_twice_in_the_money() -> None:
    # 财税〔2015〕72号: a grade 1–2 employee counts as 2. 200 staff, 0 disabled: shortfall 3 → steps ceil(3/0.985) = 4.
    # Two severe placements: 202 staff, counted 4 ≥ 3.03: fund 0; the chain uses at most the steps it priced.
    emp = pd.DataFrame({"employer_id": ["e"], "county": "330782", "staff": [200], "average_wage": [60000.0]})
    res = _one_placement_chain(emp, n_persons=2, severe=True)
    row = res.employers.iloc[0]
    assert row["placed"] == 2 and row["placed_severe"] == 2
    assert row["fund_due_before"] == pytest.approx(3 * 60000 * 0.9) and row["fund_due_after"] == 0.0
    assert res.placements["severe"].all()


def test_missing_columns_are_named() -> None:
    emp = pd.DataFrame({"employer_id": ["e"], "county": ["330782"], "staff": [100], "average_wage": [1.0]})
    with pytest.raises(SchemaError, match="capacity"):
        quota_chain(emp, pd.DataFrame({"intermediary_id": ["d"]}),
                    pd.DataFrame({"base_id": ["b"], "county": ["330727"], "capacity": [1]}),
                    pd.DataFrame({"person_id": ["p"], "county": ["330727"]}), year=2025)


def test_missing_wage_of_an_employer_owing_the_fund_is_named() -> None:
    emp = pd.DataFrame({"employer_id": ["e"], "county": ["330782"], "staff": [100]})
    with pytest.raises(SchemaError, match="average_wage"):
        _one_placement_chain(emp)
