"""Policy rules and plan progress: quota, fund, rewards, VAT refund, dibao, targets, the ledger.

Every rule takes a table (pandas), is vectorised over its rows, and returns a
:class:`PolicyResult` whose table carries an ``explanation`` column and whose
``parameters`` list each value used with its period, status (PLAN / CONFIRMED /
PARAM / OVERRIDE) and source. Parameters are dated: :meth:`PolicyParameters.for_date`
picks what was in force and refuses dates outside every period.

Examples
--------
>>> import pandas as pd
>>> from jhmatch.policy import PolicyParameters, fund_due
>>> params = PolicyParameters.for_year(2025)
>>> emp = pd.DataFrame({"employer_id": ["e1"], "county": ["东阳"], "staff": [100], "average_wage": [90000]})
>>> float(fund_due(emp, params).table.loc[0, "fund_due"])
121500.0
"""

from jhmatch.policy.dibao import DIBAO_PERSONS, dibao_disregard
from jhmatch.policy.fourones import FOUR_ONES, FourOnesLedger, four_ones_ledger
from jhmatch.policy.fund import fund_due
from jhmatch.policy.labels import (
    assumed_parameters,
    basis_label,
    column_label,
    parameter_label,
    phase_label,
    status_label,
    target_label,
)
from jhmatch.policy.ledger import LEDGER_MEASURES, PlanLedger, plan_ledger
from jhmatch.policy.parameters import ParameterBook, ParameterValue, PolicyParameters, load_parameters
from jhmatch.policy.progress import PlanProgress, assignments_of, progress
from jhmatch.policy.quota import employer_counts, merge_counts, qualify_employees, quota_employment
from jhmatch.policy.results import PolicyResult
from jhmatch.policy.reward import concentrated_employment, over_quota_reward
from jhmatch.policy.tables import (
    POLICY_EMPLOYEES,
    POLICY_EMPLOYERS,
    VAT_MONTHS,
    validate_policy_employees,
    validate_policy_employers,
    validate_vat_months,
)
from jhmatch.policy.targetfile import TARGETS_TABLE
from jhmatch.policy.targets import ExtraTarget, PlanTargets
from jhmatch.policy.tax import vat_refund
from jhmatch.policy.workingage import EmploymentRate, employment_rate, working_age

__all__ = [
    "DIBAO_PERSONS",
    "FOUR_ONES",
    "LEDGER_MEASURES",
    "POLICY_EMPLOYEES",
    "POLICY_EMPLOYERS",
    "TARGETS_TABLE",
    "VAT_MONTHS",
    "EmploymentRate",
    "ExtraTarget",
    "FourOnesLedger",
    "ParameterBook",
    "ParameterValue",
    "PlanLedger",
    "PlanProgress",
    "PlanTargets",
    "PolicyParameters",
    "PolicyResult",
    "assignments_of",
    "assumed_parameters",
    "basis_label",
    "column_label",
    "concentrated_employment",
    "dibao_disregard",
    "employer_counts",
    "employment_rate",
    "four_ones_ledger",
    "fund_due",
    "load_parameters",
    "merge_counts",
    "over_quota_reward",
    "parameter_label",
    "phase_label",
    "plan_ledger",
    "progress",
    "qualify_employees",
    "quota_employment",
    "status_label",
    "target_label",
    "validate_policy_employees",
    "validate_policy_employers",
    "validate_vat_months",
    "vat_refund",
    "working_age",
]
