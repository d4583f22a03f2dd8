"""PolicyParameters: dated values, sources and statuses, overrides, refusals."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from jhmatch.errors import ParameterError
from jhmatch.policy import PolicyParameters, load_parameters
from jhmatch.policy.parameters import STATUSES


def test_every_packaged_value_has_status_source_and_period():
    book = load_parameters()
    for name, periods in book.entries.items():
        assert periods, name
        for pv in periods:
            assert pv.status in ("PLAN", "CONFIRMED", "PARAM"), (name, pv.status)
            assert len(pv.source) > 10, name
            assert pv.valid_from <= pv.valid_to


def test_packaged_statuses_follow_domain_digest():
    p = PolicyParameters.for_date("2025-06-30")
    s = {name: pv.status for name, pv in p.sources.items()}
    assert s["quota_ratio"] == "CONFIRMED"
    assert s["minimum_wage_tiers"] == "CONFIRMED"
    assert s["county_wage_tier"] == "PARAM"
    assert s["reward_per_excess_person"] == "PARAM"
    assert s["reward_quota_threshold"] == "PLAN"
    assert s["dibao_disregard_years"] == "PLAN"
    assert s["dibao_phaseout_shape"] == "PARAM"
    assert s["retirement_age_female"] == "PARAM"
    assert set(s.values()) <= set(STATUSES)


@pytest.mark.parametrize(
    ("day", "tiers"),
    [("2021-07-31", None), ("2021-08-01", (2280.0, 2070.0, 1840.0)), ("2023-12-31", (2280.0, 2070.0, 1840.0)),
     ("2024-01-01", (2490.0, 2260.0, 2010.0)), ("2027-12-31", (2490.0, 2260.0, 2010.0)), ("2028-01-01", None)],
)
def test_minimum_wage_changes_on_its_dates_and_dates_outside_are_refused(day, tiers):
    if tiers is None and day > "2027":
        with pytest.raises(ParameterError, match=f"no policy parameters in force on {day}"):
            PolicyParameters.for_date(day)
    elif tiers is None:  # before Zhejiang's 2021 tiers: the minimum wage is outside its horizon, other rules work
        p = PolicyParameters.for_date(day)
        assert p.minimum_wage_tiers is None and "minimum_wage_tiers" in p.out_of_horizon
        with pytest.raises(ParameterError, match="rule 'quota_qualification' has no parameters in force"):
            p.require("quota_qualification", "minimum_wage_tiers")
    else:
        assert PolicyParameters.for_date(day).minimum_wage_tiers == tiers


def test_out_of_range_message_names_parameters_and_coverage():
    with pytest.raises(ParameterError) as info:
        PolicyParameters.for_date("2028-03-01")
    text = str(info.value)
    assert "no policy parameters in force on 2028-03-01" in text and "2021-08-01…2027-12-31" in text


def test_each_rule_has_its_own_horizon():
    # Quota (残疾人就业条例, in force 2008-01-01) for 2019: 200 staff × 1.5 % = 3 required, 1 counted → shortfall 2.
    from jhmatch.policy import fund_due, quota_employment

    emp = pd.DataFrame({"employer_id": ["e1"], "county": ["义乌"], "staff": [200], "disabled_staff": [1],
                        "average_wage": [80000]})
    assert quota_employment(emp, year=2019).table["shortfall"].tolist() == [2.0]
    # the fund's 50 % / 90 % tiers and the exemption start 2020-01-01 (财政部公告2019年第98号): 2019 is refused,
    # naming the rule and each parameter's period
    with pytest.raises(ParameterError) as info:
        fund_due(emp, year=2019)
    text = str(info.value)
    assert "rule 'fund'" in text and "small_enterprise_max_staff (periods: 2020-01-01…2027-12-31)" in text
    assert "quota_ratio" not in text


def test_wage_cap_3x_under_2017_18_and_2x_from_2020():
    # 财税〔2017〕18号: 3 × the local social average wage from 2017-04-01; 财政部公告2019年第98号: 2 × from 2020-01-01.
    assert PolicyParameters.for_date("2019-12-31").fund_wage_cap_multiple == 3.0
    p = PolicyParameters.for_date("2020-01-01")
    assert p.fund_wage_cap_multiple == 2.0 and "2019年第98号" in p.sources["fund_wage_cap_multiple"].source


def test_county_tiers_default_mountain_and_pujiang_tier_3():
    p = PolicyParameters.for_date("2024-06-01")
    assert p.minimum_wage(["330723", "330726", "330727", "330782", "330702"]).tolist() == [2010, 2010, 2010, 2260, 2260]


def test_replace_marks_override_and_validates():
    p = PolicyParameters.for_year(2025).replace(reward_per_excess_person=4500, county_wage_tier={
        r: 1 for r in ("330702", "330703", "330723", "330726", "330727", "330781", "330782", "330783", "330784")})
    assert p.reward_per_excess_person == 4500.0
    assert p.sources["reward_per_excess_person"].status == "OVERRIDE"
    assert p.minimum_wage(["330727"]).tolist() == [2490.0]
    with pytest.raises(ParameterError, match=r"quota_ratio.*between 0.0 and 1.0"):
        p.replace(quota_ratio=1.5)
    with pytest.raises(ParameterError, match="unknown policy parameter 'quota'"):
        p.replace(quota=0.02)
    with pytest.raises(ParameterError, match=r"missing: 330703.*330784"):
        p.replace(county_wage_tier={"330702": 1})
    with pytest.raises(ParameterError, match="one of linear, step, none"):
        p.replace(dibao_phaseout_shape="cubic")


def test_at_keeps_in_code_overrides_across_periods():
    p = PolicyParameters.for_date("2023-06-01").replace(local_average_wage=120000)
    q = p.at("2024-06-01")
    assert q.local_average_wage == 120000.0 and q.minimum_wage_tiers[0] == 2490.0
    assert q.date == dt.date(2024, 6, 1)


def test_override_file_plain_values_and_periods(tmp_path):
    path = tmp_path / "jinhua.json"
    path.write_text(json.dumps({"parameters": {
        "reward_per_excess_person": 8000,
        "minimum_wage_tiers": [
            {"value": [2490, 2260, 2010], "from": "2024-01-01", "to": "2028-12-31", "status": "CONFIRMED", "source": "x"},
            {"value": [2280, 2070, 1840], "from": "2021-08-01", "to": "2023-12-31", "status": "CONFIRMED", "source": "y"}],
    }}), encoding="utf-8")
    p = PolicyParameters.for_date("2025-01-01", overrides=path)
    assert p.reward_per_excess_person == 8000.0
    assert p.sources["reward_per_excess_person"].status == "OVERRIDE"
    assert p.sources["minimum_wage_tiers"].valid_to == dt.date(2028, 12, 31)
    # extending one parameter does not extend the others: the fund is still refused in 2028
    from jhmatch.policy import fund_due

    later = PolicyParameters.for_date("2028-06-01", overrides=path)
    assert later.minimum_wage_tiers[0] == 2490.0
    with pytest.raises(ParameterError, match="fund_pay_share_mid"):
        fund_due(pd.DataFrame({"employer_id": ["e"], "county": ["义乌"], "staff": [100], "average_wage": [1]}), later)


def test_override_toml(tmp_path):
    path = tmp_path / "o.toml"
    path.write_text('dibao_phaseout_shape = "step"\ndibao_phaseout_step_share = 0.25\n', encoding="utf-8")
    p = PolicyParameters.for_date("2025-01-01", overrides=path)
    assert (p.dibao_phaseout_shape, p.dibao_phaseout_step_share) == ("step", 0.25)


def test_override_file_errors(tmp_path):
    with pytest.raises(ParameterError, match="not found"):
        PolicyParameters.for_date("2025-01-01", overrides=tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"quota_ratio": [
        {"value": 0.02, "from": "2024-01-01", "to": "2026-12-31"},
        {"value": 0.03, "from": "2026-01-01", "to": "2027-12-31"}]}), encoding="utf-8")
    with pytest.raises(ParameterError, match="overlap"):
        PolicyParameters.for_date("2025-01-01", overrides=bad)
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ParameterError, match="not valid JSON"):
        PolicyParameters.for_date("2025-01-01", overrides=bad)


def test_bad_date_text():
    with pytest.raises(ParameterError, match="expected a date"):
        PolicyParameters.for_date("soon")


def test_table_lists_every_parameter():
    t = PolicyParameters.for_year(2024).table()
    assert len(t) == 29
    assert set(t["status"]) <= set(STATUSES)
    assert t.set_index("name").loc["vat_min_wage_multiple", "value"] == 4.0


def test_parameters_are_hashable_and_compare_by_value():
    a = PolicyParameters.for_date("2025-03-01")
    b = PolicyParameters.for_date("2025-03-01")
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a.replace(quota_ratio=0.02) != a
