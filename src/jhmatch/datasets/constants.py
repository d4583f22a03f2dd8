"""Documented constants of the synthetic Jinhua scenario.

Every number here is marked **SOURCED** (with its public source) or **ASSUMPTION**
(a plausible value chosen for a realistic synthetic city, to be overridden by real
data where it exists). :func:`jhmatch.datasets.make_jinhua` takes the shares as
parameters, so none of them is hard-wired.

SOURCED
    * County shares: resident population at end-2024 of Jinhua's nine county-level
      divisions (``jhmatch.taxonomy.REGIONS``; Jinhua statistical bulletin, see
      ``domain.md`` §2).
    * Category shares: China's second national sample survey on disability
      (第二次全国残疾人抽样调查主要数据公报, 2006-12-01): visual 12.33 M (14.86 %),
      hearing 20.04 M (24.16 %), speech 1.27 M (1.53 %), physical 24.12 M (29.07 %),
      intellectual 5.54 M (6.68 %), mental 6.14 M (7.40 %), multiple 13.52 M
      (16.30 %) of 82.96 M. These are shares of *all* disabled persons, of every
      age; registers of working-age certificate holders usually hold more physical
      and fewer hearing disabilities, so pass local register shares when known.
    * Severe share: 25.18 M severe (grades 1–2) of 85.02 M disabled persons at
      end-2010 (China Disabled Persons' Federation estimate built on the 2006 survey
      and the 2010 census), i.e. 29.6 %.
    * Sex: 51.55 % male among disabled persons (2006 survey bulletin).
    * Quota 1.5 % and concentrated employment ≥ 25 % (``domain.md`` §5).
    * Zhejiang minimum monthly wage tiers from 2024-01-01: 2490 / 2260 / 2010 yuan.

ASSUMPTION
    * The split of the severe share between grades 1 and 2 and of the rest between
      grades 3 and 4; the age, education, rural, willingness, employment,
      household and low-income shares; the post-kind mix and capacities; the employer
      sizes, wages and disabled-staff ratios; the county bounding boxes (rough,
      hand-drawn from a map, degrees WGS 84).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np

from jhmatch.errors import ParameterError

__all__ = [
    "CATEGORY_SHARES",
    "COUNTY_BOXES",
    "EDUCATION_SHARES",
    "GRADE_SHARES",
    "KIND_SHARES",
    "LIMB_SHARES",
    "MALE_SHARE",
    "MINIMUM_WAGE",
]

CATEGORY_SHARES: Mapping[str, float] = MappingProxyType({
    "visual": 0.1486,
    "hearing": 0.2416,
    "speech": 0.0153,
    "physical": 0.2907,
    "intellectual": 0.0668,
    "mental": 0.0740,
    "multiple": 0.1630,
})
"""SOURCED: category shares of the 2006 national sample survey (sum 1.0)."""

GRADE_SHARES: Mapping[int, float] = MappingProxyType({1: 0.12, 2: 0.176, 3: 0.254, 4: 0.45})
"""Severe (grades 1+2) = 29.6 % is SOURCED (CDPF end-2010); the split 1 vs 2 and
3 vs 4 is an ASSUMPTION."""

MALE_SHARE: float = 0.5155
"""SOURCED: share of men among disabled persons (2006 survey)."""

LIMB_SHARES: Mapping[str, float] = MappingProxyType({"upper": 0.25, "lower": 0.50, "both": 0.18, "unknown": 0.07})
"""ASSUMPTION: affected limbs recorded for a physical disability."""

EDUCATION_SHARES: tuple[float, ...] = (0.06, 0.22, 0.38, 0.20, 0.08, 0.055, 0.005)
"""ASSUMPTION: education levels 0 (none) … 6 (postgraduate) of working-age job seekers."""

MINIMUM_WAGE: Mapping[str, float] = MappingProxyType({
    "330702": 2260.0, "330703": 2260.0, "330723": 2010.0, "330726": 2010.0, "330727": 2010.0,
    "330781": 2260.0, "330782": 2260.0, "330783": 2260.0, "330784": 2260.0,
})
"""Monthly minimum wage by county: the Zhejiang tiers (2024) are SOURCED; which tier
each county uses is a PARAM default (``domain.md`` §5: 武义、浦江、磐安 tier 3)."""

COUNTY_BOXES: Mapping[str, tuple[float, float, float, float]] = MappingProxyType({
    # code: (lat_min, lat_max, lon_min, lon_max) — ASSUMPTION, rough boxes
    "330702": (28.80, 29.18, 119.38, 119.72),
    "330703": (29.02, 29.28, 119.70, 119.95),
    "330723": (28.60, 29.02, 119.55, 120.00),
    "330726": (29.38, 29.62, 119.72, 120.08),
    "330727": (28.90, 29.22, 120.32, 120.72),
    "330781": (29.05, 29.45, 119.25, 119.65),
    "330782": (29.18, 29.48, 119.92, 120.28),
    "330783": (29.08, 29.42, 120.18, 120.60),
    "330784": (28.78, 29.08, 119.92, 120.28),
})
"""ASSUMPTION: rough latitude/longitude bounding box of each county's settled area."""

KIND_SHARES: Mapping[str, float] = MappingProxyType({
    "kiosk": 0.03, "tobacco_outlet": 0.03, "lottery_outlet": 0.02,
    "welfare_liaison": 0.03, "welfare_home_staff": 0.03, "welfare_convenience": 0.03,
    "welfare_cleaning": 0.05, "welfare_greening": 0.04,
    "agency_post": 0.02, "soe_post": 0.03,
    "cloud_customer_service": 0.06, "cloud_review": 0.03, "network_maintenance": 0.02, "ecommerce": 0.05,
    "handicraft": 0.04, "blind_massage": 0.04,
    "rural_planting": 0.03, "rural_breeding": 0.02, "rural_processing": 0.03, "rural_tourism": 0.02,
    "rural_ecommerce": 0.02, "rural_logistics": 0.03,
    "sheltered_work": 0.05, "prosperity_workshop": 0.07, "enterprise_post": 0.30,
})
"""ASSUMPTION: share of posts of each kind before normalisation (kinds users register get 0.02 each);
ordinary enterprise posts (企业一般岗位: drivers, riders, warehouse, line, kitchen, guard, cleaning, office
and customer-service jobs) are about a quarter of all posts."""


def normalized(shares: dict, keys: list) -> np.ndarray:
    """Shares for ``keys`` in order, normalised to sum 1 (missing keys get 0).

    Examples
    --------
    >>> normalized({"a": 1, "b": 3}, ["a", "b"]).tolist()
    [0.25, 0.75]
    """
    p = np.array([float(shares.get(k, 0.0)) for k in keys], dtype=float)
    if not np.all(np.isfinite(p)) or (p < 0).any() or p.sum() <= 0:
        raise ParameterError(f"shares must be non-negative with a positive sum, got {dict(zip(keys, p.tolist()))}")
    return p / p.sum()
