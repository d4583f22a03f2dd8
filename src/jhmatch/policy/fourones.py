"""The "four ones" service ledger (就业服务"四个一").

Rule (PLAN, 金政办发〔2022〕50号 §二(十)): each year, for every unemployed person of
working age: one basic information check (基础信息核对); and for those who want work
also one vocational-capacity assessment (职业能力评估), one demand registration (就业需求
登记) and one employment service (就业服务).

Each service column of the persons table holds yes/no (done this year) or the date it
was done (done this year when the date falls in the year assessed). Missing means not done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.data.table import Column, TableSchema, parse_bool, parse_date
from jhmatch.errors import ValueFormatError
from jhmatch.policy.parameters import PolicyParameters
from jhmatch.policy.tables import _validate
from jhmatch.policy.workingage import persons_table, working_age
from jhmatch.taxonomy import REGIONS

__all__ = ["FOUR_ONES", "FourOnesLedger", "four_ones_ledger"]

FOUR_ONES = ("info_check", "capacity_assessment", "demand_registration", "employment_service")
"""The four services, in the plan's order."""

_ZH = {"info_check": ("基础信息核对", "信息核对", "information_check"),
       "capacity_assessment": ("职业能力评估", "能力评估", "assessment"),
       "demand_registration": ("就业需求登记", "需求登记", "registration"),
       "employment_service": ("就业服务", "服务", "service")}


def _parse_done(value: Any) -> str:
    try:
        return "yes" if parse_bool(value) else "no"
    except ValueError:
        pass
    try:
        return str(parse_date(value).date())
    except ValueError:
        raise ValueFormatError("yes/no or the date the service was done (e.g. 2025-04-01)") from None


LEDGER_COLUMNS = TableSchema(
    "persons (four ones)",
    (Column("person_id", "id", required=True, unique=True, aliases=("编号", "人员编号", "person")),
     *(Column(name, "label", parser=_parse_done, aliases=_ZH[name],
              description=f"{name.replace('_', ' ')} done this year: yes/no or its date") for name in FOUR_ONES)),
)


@dataclass(frozen=True)
class FourOnesLedger:
    """Who of the unemployed working-age persons got which of the four services in a year.

    Attributes
    ----------
    year : int
        The year assessed.
    table : DataFrame
        One row per person in scope: person_id, county, willing, then one column per
        service with ``done``, ``missing`` or ``not required``, ``missing`` (the missing
        services, ``;``-separated) and ``complete``.
    by_county : DataFrame
        county, persons, complete, and per service the number missing.
    recorded : tuple of str
        The services the persons table has a column for (a service without one is
        ``missing`` for everybody: nothing was recorded).
    """

    year: int
    table: pd.DataFrame
    by_county: pd.DataFrame
    recorded: tuple[str, ...] = ()

    def missing(self) -> pd.DataFrame:
        """Long list of who is missing what: person_id, county, service."""
        rows = []
        for name in FOUR_ONES:
            sel = self.table[self.table[name] == "missing"]
            rows.append(pd.DataFrame({"person_id": sel["person_id"], "county": sel["county"], "service": name}))
        out = pd.concat(rows, ignore_index=True)
        return out.sort_values(["county", "person_id"], kind="stable").reset_index(drop=True)


def four_ones_ledger(persons: pd.DataFrame, year: int, *, params: PolicyParameters | None = None) -> FourOnesLedger:
    """The four-ones ledger of a year for the unemployed working-age persons.

    Parameters
    ----------
    persons : DataFrame
        Persons table (``employed``, ``willing``, ages) plus any of the service columns
        ``info_check``, ``capacity_assessment``, ``demand_registration``,
        ``employment_service`` (Chinese headers accepted).
    year : int
        The year assessed; working age on 31 December.
    params : PolicyParameters, optional
        For the working ages.

    Examples
    --------
    >>> p = pd.DataFrame({"person_id": ["a", "b", "c"], "category": [2] * 3, "grade": [3] * 3,
    ...     "county": ["浦江"] * 3, "sex": ["F"] * 3, "age": [30, 30, 30], "willing": [True, False, True],
    ...     "employed": [False, False, True], "基础信息核对": ["2025-03-01", "是", "是"], "职业能力评估": ["2024-11-02", None, None]})
    >>> led = four_ones_ledger(p, 2025)
    >>> led.table[["person_id", "missing", "complete"]].values.tolist()
    [['a', 'capacity_assessment;demand_registration;employment_service', False], ['b', '', True]]
    """
    year = int(year)
    pdf = persons_table(persons)
    hmap = LEDGER_COLUMNS.header_map()
    from jhmatch.taxonomy import normalize_label

    cols = [c for c in pdf.columns if hmap.get(normalize_label(c)) in FOUR_ONES]
    services = _validate(LEDGER_COLUMNS, pdf[["person_id", *cols]], "person_id", "person")
    wa = working_age(pdf, dt.date(year, 12, 31), params)["working_age"].to_numpy()
    scope = wa & ~pdf["employed"].to_numpy(dtype=bool)
    willing = pdf["willing"].to_numpy(dtype=bool)
    out = pd.DataFrame({"person_id": pdf["person_id"], "county": pdf["county"], "willing": willing})
    missing_lists = np.full(len(pdf), "", dtype=object)
    complete = np.ones(len(pdf), dtype=bool)
    for name in FOUR_ONES:
        raw = services[name].astype("string").fillna("")
        done = ((raw == "yes") | raw.str.startswith(f"{year}-")).to_numpy(dtype=bool)
        required = np.ones(len(pdf), bool) if name == "info_check" else willing
        status = np.where(~required, "not required", np.where(done, "done", "missing"))
        out[name] = pd.array(status.astype(str), dtype="string")
        miss = required & ~done
        complete &= ~miss
        missing_lists = np.where(miss, np.where(missing_lists == "", name, missing_lists + ";" + name), missing_lists)
    out["missing"] = pd.array(missing_lists.astype(str), dtype="string")
    out["complete"] = complete
    table = out[scope].reset_index(drop=True)
    agg = {"persons": ("person_id", "size"), "complete": ("complete", "sum")}
    agg.update({f"missing_{n}": (n, lambda s: int((s == "missing").sum())) for n in FOUR_ONES})
    by = table.groupby("county", sort=True).agg(**agg)
    by = by.astype("int64").reindex([r.code for r in REGIONS], fill_value=0)  # counts, also when no county is known
    by = by.reset_index().rename(columns={"index": "county"})
    recorded = tuple(n for n in FOUR_ONES if any(hmap.get(normalize_label(c)) == n for c in cols))
    return FourOnesLedger(year, table, by, recorded)
