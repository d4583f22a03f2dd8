"""A synthetic cross-county quota-employment network for Jinhua (for demos and benchmarks).

The plan's regional-balance measure places persons from mountain counties with
employers short of their 1.5% quota, through labour-dispatch intermediaries and
employment bases in mountain villages. No public list of Jinhua's intermediaries
or bases exists in the project's sources, so this network is an **assumption**:
three intermediaries (capacities 40/25/15 per 10,000 seekers) and one employment
base in each county, with a larger one in the two mountain counties (武义, 磐安),
capacities proportional to the county's seekers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jhmatch.taxonomy import REGIONS

__all__ = ["make_chain_network"]


def make_chain_network(persons: pd.DataFrame, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Intermediaries and employment bases sized to the seekers in ``persons``.

    Returns
    -------
    intermediaries : DataFrame
        ``intermediary_id, name, capacity, fee`` (fee per placement, yuan).
    bases : DataFrame
        ``base_id, county, capacity``.

    Examples
    --------
    >>> persons = pd.DataFrame({"person_id": ["a", "b"], "county": ["330727", "330782"]})
    >>> mids, bases = make_chain_network(persons)
    >>> list(mids["intermediary_id"]), len(bases)
    (['D1', 'D2', 'D3'], 9)
    """
    rng = np.random.default_rng(seed)
    n = len(persons)
    scale = max(n / 10_000, 0.01)
    mids = pd.DataFrame({
        "intermediary_id": ["D1", "D2", "D3"],
        "name": ["劳务派遣机构一", "劳务派遣机构二", "劳务派遣机构三"],
        "capacity": np.maximum(1, np.round(np.array([40, 25, 15]) * scale)).astype(np.int64),
        "fee": np.round(rng.uniform(800, 1500, 3), -1),
    })
    counts = persons["county"].astype("object").value_counts()
    rows = []
    for r in REGIONS:
        share = counts.get(r.code, 0) / max(n, 1)
        capacity = max(1, round((0.03 if r.mountain else 0.008) * share * n))
        rows.append({"base_id": f"B{r.code}", "county": r.code, "capacity": capacity})
    return mids, pd.DataFrame(rows)
