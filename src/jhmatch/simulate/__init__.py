"""Multi-year simulation of the action plan: will the city and each county get there by 2025?

A :class:`SimulationScenario` sets the years and every rate (each with its source or a PARAM
flag; read one from a file with :func:`read_scenario`). :func:`simulate` runs the years —
inflows, exits under the working-age rule, job losses, posts opened and each year's allocation
solved by jhmatch's min-cost-flow kernel — over Monte Carlo replications, and returns a
:class:`SimulationResult`: every plan target per year, city and county, with an interval and
the probability of meeting it. :func:`sensitivity` says which rate changes the outcome most.

Examples
--------
>>> from jhmatch.simulate import SimulationScenario, demo_city, simulate
>>> city = demo_city(n_persons=200, posts_per_person=0.15, seed=1)
>>> result = simulate(city.persons, city.posts, SimulationScenario(end_year=2023), replications=4)
>>> result.horizon().query("scope == 'city'")["target"].tolist()
['new_jobs', 'welfare_posts', 'employment_rate', 'graduate_rate']
"""

from jhmatch.simulate.demo import demo_city, demo_result, simulation_demo
from jhmatch.simulate.engine import FLOWS, run_replication, simulate
from jhmatch.simulate.model import SimulationModel, build_model
from jhmatch.simulate.result import SIM_TARGETS, SimulationResult
from jhmatch.simulate.scenario import JOB_GROUPS, RATES, SimulationScenario
from jhmatch.simulate.scenario_file import read_scenario
from jhmatch.simulate.sensitivity import SensitivityTable, sensitivity

__all__ = [
    "FLOWS",
    "JOB_GROUPS",
    "RATES",
    "SIM_TARGETS",
    "SensitivityTable",
    "SimulationModel",
    "SimulationResult",
    "SimulationScenario",
    "build_model",
    "demo_city",
    "demo_result",
    "read_scenario",
    "run_replication",
    "sensitivity",
    "simulate",
    "simulation_demo",
]
