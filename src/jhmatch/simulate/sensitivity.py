"""What changes the outcome most: one rate at a time set low and high, everything else as in the scenario.

Each rate of :data:`~jhmatch.simulate.scenario.RATES` marked for sensitivity is multiplied by
``low`` (default 0.5) and ``high`` (1.5; shares capped at 1; a rate by post group scales every
group) and the simulation is run again **on the same model** (same pools, same scores) with
the same seeds — common random numbers, so a difference comes from the rate, not from the
draw. The table gives, per rate and city-wide target, the probability of meeting the target by
the horizon and its mean end value, at the low, base and high value; rows are sorted by the
largest change in probability, then by the largest relative change in the end value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.simulate.engine import run_batches
from jhmatch.simulate.model import SimulationModel
from jhmatch.simulate.result import SIM_TARGETS, SimulationResult
from jhmatch.simulate.scenario import RATES, SimulationScenario

__all__ = ["SensitivityTable", "sensitivity"]


@dataclass(frozen=True)
class SensitivityTable:
    """One-at-a-time sensitivity of the city-wide targets at the horizon.

    Attributes
    ----------
    table : DataFrame
        rate, target, value, low_value, high_value, p_low, p_base, p_high, end_low, end_base,
        end_high, effect (largest change in probability), end_effect (largest relative change
        of the end value); sorted by effect, then end_effect, largest first.
    replications : int
    factors : tuple of float
        The low and high multipliers.
    """

    table: pd.DataFrame
    replications: int
    factors: tuple[float, float]

    def to_frame(self) -> pd.DataFrame:
        """The table."""
        return self.table


def _city_end(result: SimulationResult) -> dict[str, tuple[float, float]]:
    h = result.horizon()
    city = h[h["scope"] == "city"].set_index("target")
    return {t: (float(city.loc[t, "p_meet"]), float(city.loc[t, "mean"])) for t in SIM_TARGETS}


def sensitivity(model: SimulationModel, scenario: SimulationScenario, *, replications: int = 20, seed: int = 0,
                executor: Any = None, client: Any = None, low: float = 0.5, high: float = 1.5,
                rates: tuple[str, ...] | None = None) -> SensitivityTable:
    """Run the scenario with each rate low and high (see the module docstring).

    Parameters
    ----------
    model : SimulationModel
        Built once (:func:`~jhmatch.simulate.build_model`) and shared by every run.
    scenario : SimulationScenario
        The base scenario.
    replications : int, default 20
        Replications per run (2 runs per rate plus the base).
    seed : int
    executor, client : optional
        As in :func:`~jhmatch.simulate.simulate`.
    low, high : float
        Multipliers of each rate.
    rates : tuple of str, optional
        Default: every rate of :data:`RATES` marked for sensitivity.

    Examples
    --------
    >>> from jhmatch.simulate import demo_city, build_model
    >>> city = demo_city(n_persons=200, posts_per_person=0.15, seed=2)
    >>> s = SimulationScenario(end_year=2023)
    >>> t = sensitivity(build_model(city.persons, city.posts, s), s, replications=2, rates=("death_rate",))
    >>> t.table[["rate", "target"]].head(1).to_dict("records")[0]["rate"]
    'death_rate'
    """
    names = rates if rates is not None else tuple(n for n, s in RATES.items() if s.sensitivity)

    def run(s: SimulationScenario) -> dict[str, tuple[float, float]]:
        counts, objective, short = run_batches(model, s, replications, seed, executor, client)
        return _city_end(SimulationResult(s, counts, objective, model.scale, short, seed))

    base = run(scenario)
    rows = []
    for name in names:
        lo, hi = run(scenario.scaled(name, low)), run(scenario.scaled(name, high))
        for target in SIM_TARGETS:
            (pb, eb), (pl, el), (ph, eh) = base[target], lo[target], hi[target]
            effect = np.nanmax([abs(pl - pb), abs(ph - pb), 0.0])
            scale = abs(eb) if eb == eb and eb != 0 else 1.0
            end_effect = np.nanmax([abs(el - eb) / scale, abs(eh - eb) / scale, 0.0])
            rows.append((name, target, _shown(scenario.rate(name)), _shown(scenario.scaled(name, low).rate(name)),
                         _shown(scenario.scaled(name, high).rate(name)), pl, pb, ph, el, eb, eh, effect, end_effect))
    table = pd.DataFrame(rows, columns=["rate", "target", "value", "low_value", "high_value", "p_low", "p_base",
                                        "p_high", "end_low", "end_base", "end_high", "effect", "end_effect"])
    table = table.sort_values(["effect", "end_effect"], ascending=False, kind="stable", ignore_index=True)
    return SensitivityTable(table, int(replications), (float(low), float(high)))


def _shown(value: Any) -> Any:
    """A rate's value for the table: a number, or the mean of a rate by group."""
    if hasattr(value, "values") and callable(value.values):
        vals = list(value.values())
        return float(np.mean(vals)) if vals else float("nan")
    return float(value)
