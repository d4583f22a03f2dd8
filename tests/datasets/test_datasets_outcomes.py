"""Tests of the hidden outcome model (simulate_outcomes) and the placement history."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import jhmatch.datasets as datasets
from jhmatch.data.schema import validate_persons, validate_posts
from jhmatch.datasets import make_jinhua, simulate_history, simulate_outcomes
from jhmatch.datasets.outcomes import DANGER
from jhmatch.errors import ParameterError

R = 150  # replicates that average out the unobserved pair / person effects


def persons_frame(variants: dict[str, dict], replicates: int = 1) -> pd.DataFrame:
    base = {"category": "physical", "grade": 4, "limbs": "upper", "county": "330702", "lat": 29.0, "lon": 119.6,
            "education": 3, "age": 35, "sex": "M", "skills": "", "preferred_kinds": "", "willing": True,
            "remote_ok": True}
    rows = [{**base, **attrs, "person_id": f"{name}-{r}"} for name, attrs in variants.items() for r in range(replicates)]
    return validate_persons(pd.DataFrame(rows))


def posts_frame(variants: dict[str, dict], replicates: int = 1) -> pd.DataFrame:
    base = {"kind": "enterprise_post", "county": "330702", "capacity": 1, "lat": 29.0, "lon": 119.6,
            "employer_id": "E1"}
    rows = [{**base, **attrs, "post_id": f"{name}-{r}"} for name, attrs in variants.items() for r in range(replicates)]
    return validate_posts(pd.DataFrame(rows))


def probabilities(persons: pd.DataFrame, posts: pd.DataFrame, person_prefix: str, post_prefix: str) -> np.ndarray:
    pid = persons.loc[persons["person_id"].str.startswith(person_prefix + "-"), "person_id"]
    qid = posts.loc[posts["post_id"].str.startswith(post_prefix + "-"), "post_id"]
    pairs = pd.merge(pid.to_frame(), qid.to_frame(), how="cross")
    return simulate_outcomes(persons, posts, pairs, seed=1).probability


def mean_probability(persons: pd.DataFrame, posts: pd.DataFrame, person_prefix: str, post_prefix: str) -> float:
    return float(probabilities(persons, posts, person_prefix, post_prefix).mean())


BLIND = {"category": "visual", "grade": 1, "limbs": None}
DEAF = {"category": "hearing", "grade": 1, "limbs": None, "hearing_aid": "false"}
WHEELCHAIR = {"category": "physical", "grade": 1, "limbs": "lower", "wheelchair": "true"}


@pytest.mark.parametrize(
    ("person", "title"),
    [
        (BLIND, "货车司机"), (BLIND, "网约车司机"), (BLIND, "外卖骑手"), (BLIND, "高空外墙清洗"), (BLIND, "架子工"),
        (BLIND, "电工"), (BLIND, "维修电工"), (BLIND, "焊工"), (BLIND, "叉车司机"),
        (DEAF, "电话客服"), (DEAF, "外呼专员"), (DEAF, "热线客服"), (DEAF, "电话销售"),
        ({**DEAF, "category": "speech"}, "电话客服"),
        (WHEELCHAIR, "保安"), (WHEELCHAIR, "仓库拣货员"), (WHEELCHAIR, "架子工"), (WHEELCHAIR, "搬运工"),
        (WHEELCHAIR, "外卖骑手"),
    ],
)
def test_dangerous_pairs_almost_never_last(person: dict, title: str) -> None:
    # skills, licences, preference, accommodations and good luck cannot rescue them
    persons = persons_frame({"x": {**person, "skills": "电工;焊工;司机;客服;保安;仓库管理员;搬运工",
                                   "certificates": "electrician;welder;height_work;forklift",
                                   "preferred_kinds": "enterprise_post"}}, 40)
    posts = posts_frame({"job": {"title": title, "accommodations": "step_free;job_coach"}}, 40)
    p = probabilities(persons, posts, "x", "job")
    assert p.max() < DANGER, (title, float(p.max()))


@pytest.mark.parametrize(
    ("person", "post"),
    [
        ({**BLIND, "skills": "盲人医疗按摩人员;推拿", "certificates": "blind_medical_massage",
          "preferred_kinds": "blind_massage"}, {"title": "盲人医疗按摩师", "kind": "blind_massage"}),
        ({**DEAF, "skills": "淘宝客服", "preferred_kinds": "ecommerce"},
         {"title": "网店客服（打字）", "kind": "ecommerce", "remote": True}),
        ({**WHEELCHAIR, "skills": "办公软件;行政办事员"}, {"title": "办公室文员", "accommodations": "step_free"}),
        ({"category": "speech", "grade": 1, "limbs": None, "skills": "货运司机", "certificates": "driving_b2"},
         {"title": "货车司机"}),  # a mute truck driver is not unsafe
        ({"category": "speech", "grade": 1, "limbs": None, "skills": "绒线编织拼布工"}, {"title": "手工编织工"}),
        ({"category": "physical", "grade": 3, "limbs": "upper", "skills": "保安员"}, {"title": "门卫"}),
    ],
)
def test_compatible_pairs_usually_last(person: dict, post: dict) -> None:
    persons = persons_frame({"x": person}, R)
    posts = posts_frame({"job": post}, 3)
    assert mean_probability(persons, posts, "x", "job") > 0.6


def test_function_outweighs_the_other_terms() -> None:
    # the best non-functional fit cannot lift a blind driver; the worst cannot sink a fit cleaner to danger
    persons = persons_frame({"blind": {**BLIND, "skills": "货运司机", "preferred_kinds": "enterprise_post"},
                             "fit": {"category": "hearing", "grade": 4, "limbs": None, "preferred_kinds": "kiosk"}}, R)
    posts = posts_frame({"truck": {"title": "货车司机", "wage": 9000},
                         "clean": {"title": "保洁员", "county": "330727", "lat": 29.1, "lon": 120.6, "wage": 2100}}, 3)
    assert mean_probability(persons, posts, "blind", "truck") < 0.01
    assert mean_probability(persons, posts, "fit", "clean") > 0.3


def test_persons_of_one_grade_differ() -> None:
    from jhmatch.datasets._functioning import measures

    persons = persons_frame({"low": {"category": "visual", "grade": 4, "limbs": None},
                             "walk": {"category": "physical", "grade": 3, "limbs": "lower"}}, 200)
    m = measures(persons, seed=1)
    low = persons["person_id"].str.startswith("low-").to_numpy()
    assert m["logmar"][low].std() > 0.1 and ((m["logmar"][low] >= 0.52) & (m["logmar"][low] <= 1.0)).all()
    assert 0.02 < m["wheelchair"][~low].mean() < 0.2
    posts = posts_frame({"qc": {"title": "质检员"}}, 1)
    p = probabilities(persons, posts, "low", "qc")
    assert p.std() > 0.1  # some low-vision persons can inspect, others cannot


def test_recorded_details_override_the_draws() -> None:
    persons = persons_frame({"aided": {**DEAF, "grade": 3, "hearing_aid": "true"},
                             "unaided": {**DEAF, "grade": 3, "hearing_aid": "false"}}, R)
    posts = posts_frame({"phone": {"title": "电话客服"}}, 3)
    assert mean_probability(persons, posts, "aided", "phone") > mean_probability(persons, posts, "unaided", "phone") + 0.3


def test_accommodation_relieves_the_limitation() -> None:
    persons = persons_frame({"blind": BLIND, "wheel": WHEELCHAIR}, R)
    posts = posts_frame({"plain": {"title": "在线客服（文字）", "remote": True},
                         "reader": {"title": "在线客服（文字）", "remote": True, "accommodations": "screen_reader"},
                         "steps": {"title": "办公室文员"},
                         "ramp": {"title": "办公室文员", "accommodations": "step_free"}}, 3)
    assert mean_probability(persons, posts, "blind", "reader") > mean_probability(persons, posts, "blind", "plain") + 0.3
    assert mean_probability(persons, posts, "wheel", "ramp") > mean_probability(persons, posts, "wheel", "steps") + 0.3


def test_licences_and_skills_matter() -> None:
    persons = persons_frame({"licensed": {"category": "hearing", "grade": 4, "limbs": None, "skills": "电工",
                                          "certificates": "电工证"},
                             "novice": {"category": "hearing", "grade": 4, "limbs": None},
                             "driver": {"category": "hearing", "grade": 4, "limbs": None, "certificates": "driving_c1"},
                             "cleaner": {"category": "hearing", "grade": 4, "limbs": None, "skills": "保洁员"}}, R)
    posts = posts_frame({"electrician": {"title": "维修电工"}, "car": {"title": "商务司机"},
                         "same": {"title": "保洁员"}, "other": {"title": "会计"}}, 3)
    assert mean_probability(persons, posts, "licensed", "electrician") > \
        mean_probability(persons, posts, "novice", "electrician") + 0.2
    assert mean_probability(persons, posts, "driver", "car") > mean_probability(persons, posts, "novice", "car") + 0.4
    assert mean_probability(persons, posts, "cleaner", "same") > mean_probability(persons, posts, "cleaner", "other") + 0.2


def test_preference_and_willingness_help() -> None:
    persons = persons_frame({"keen": {"preferred_kinds": "enterprise_post"}, "elsewhere": {"preferred_kinds": "kiosk"},
                             "unwilling": {"willing": False}}, R)
    posts = posts_frame({"job": {"title": "保安"}}, 3)
    keen = mean_probability(persons, posts, "keen", "job")
    elsewhere = mean_probability(persons, posts, "elsewhere", "job")
    unwilling = mean_probability(persons, posts, "unwilling", "job")
    assert keen > elsewhere + 0.05
    assert unwilling < elsewhere - 0.1


def test_distance_education_and_remote_refusal_hurt() -> None:
    persons = persons_frame({"local": {"education": 1}, "homebound": {"remote_ok": False}, "at_home": {}}, R)
    posts = posts_frame({"near": {"title": "保安"}, "far": {"title": "保安", "county": "330727", "lat": 29.1, "lon": 120.6},
                         "degree": {"title": "保安", "min_education": 5},
                         "remote": {"title": "网店客服（打字）", "kind": "ecommerce", "remote": True}}, 3)
    near = mean_probability(persons, posts, "local", "near")
    assert near > mean_probability(persons, posts, "local", "far") + 0.05
    assert near > mean_probability(persons, posts, "local", "degree") + 0.1
    assert mean_probability(persons, posts, "homebound", "remote") < mean_probability(persons, posts, "at_home", "remote") - 0.1


def test_the_kind_alone_says_nothing_about_the_work() -> None:
    # the hidden model reads the title, not the kind: a text job filed as 云客服 is safe for a deaf person
    persons = persons_frame({"deaf": DEAF}, R)
    posts = posts_frame({"text": {"title": "在线客服（文字）", "kind": "cloud_customer_service"},
                         "phone": {"title": "电话客服", "kind": "ecommerce"}}, 3)
    assert mean_probability(persons, posts, "deaf", "text") > 0.3 > DANGER > mean_probability(persons, posts, "deaf", "phone")


@pytest.fixture(scope="module")
def scenario() -> datasets.Scenario:
    return make_jinhua(n_persons=3000, seed=21)


@pytest.fixture(scope="module")
def random_pairs(scenario: datasets.Scenario) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 20_000
    return pd.DataFrame({"person_id": scenario.persons["person_id"].to_numpy()[rng.integers(0, len(scenario.persons), n)],
                         "post_id": scenario.posts["post_id"].to_numpy()[rng.integers(0, len(scenario.posts), n)]})


def test_probabilities_and_draws(scenario: datasets.Scenario, random_pairs: pd.DataFrame) -> None:
    out = simulate_outcomes(scenario, pairs=random_pairs, seed=5)
    p = out.probability
    assert ((p >= 0) & (p <= 1)).all() and p.std() > 0.1
    assert abs(out.success.mean() - p.mean()) < 0.02  # Bernoulli draws follow the probabilities
    high, low = p > 0.8, p < 0.2
    assert out.success[high].mean() > 0.75 and out.success[low].mean() < 0.25
    assert list(out.table.columns) == ["person_id", "post_id", "probability", "success"]
    assert (out.table["person_id"].to_numpy() == random_pairs["person_id"].to_numpy()).all()


def test_same_seed_same_outcomes_and_other_seed_differs(scenario: datasets.Scenario, random_pairs: pd.DataFrame) -> None:
    pairs = random_pairs.head(3000)
    a = simulate_outcomes(scenario, pairs=pairs, seed=5).table
    b = simulate_outcomes(scenario, pairs=pairs, seed=5).table
    c = simulate_outcomes(scenario, pairs=pairs, seed=6).table
    pd.testing.assert_frame_equal(a, b)
    assert (a["success"] != c["success"]).mean() > 0.05


def test_outcome_of_a_pair_does_not_depend_on_the_other_pairs(scenario: datasets.Scenario,
                                                               random_pairs: pd.DataFrame) -> None:
    full = simulate_outcomes(scenario, pairs=random_pairs.head(2000), seed=9).table
    rows = np.arange(1999, -1, -7)
    part = simulate_outcomes(scenario, pairs=random_pairs.head(2000).iloc[rows], seed=9).table
    np.testing.assert_allclose(part["probability"].to_numpy(), full["probability"].to_numpy()[rows])
    assert (part["success"].to_numpy() == full["success"].to_numpy()[rows]).all()


def test_persons_and_posts_tables_give_the_same_result(scenario: datasets.Scenario, random_pairs: pd.DataFrame) -> None:
    pairs = random_pairs.head(500)
    a = simulate_outcomes(scenario, pairs=pairs, seed=2).table
    b = simulate_outcomes(scenario.persons, scenario.posts, pairs, seed=2).table
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: simulate_outcomes(s, pairs=pd.DataFrame({"person_id": ["nobody"], "post_id": [s.posts["post_id"][0]]})),
         "'person_id' has 1 id"),
        (lambda s: simulate_outcomes(s, pairs=pd.DataFrame({"person_id": [s.persons["person_id"][0]], "post_id": ["x"]})),
         "'post_id' has 1 id"),
        (lambda s: simulate_outcomes(s, pairs=pd.DataFrame({"who": ["a"]})), "columns 'person_id' and 'post_id'"),
        (lambda s: simulate_outcomes(s.persons, None, pd.DataFrame()), "needs a Scenario, or a persons and a posts"),
        (lambda s: simulate_history(s.persons, 10), "needs a Scenario"),
        (lambda s: simulate_history(s, -1), "non-negative integer"),
        (lambda s: simulate_history(s, 5, start="2024-01-01", end="2023-01-01"), "before start"),
    ],
)
def test_bad_input_raises(scenario: datasets.Scenario, call, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        call(scenario)


def test_history(scenario: datasets.Scenario) -> None:
    h = simulate_history(scenario, 5000, seed=3, start="2022-01-01", end="2024-06-30")
    pd.testing.assert_frame_equal(h, simulate_history(scenario, 5000, seed=3, start="2022-01-01", end="2024-06-30"))
    assert list(h.columns) == ["person_id", "post_id", "placed", "success"]
    assert h["placed"].between(pd.Timestamp("2022-01-01"), pd.Timestamp("2024-06-30")).all()
    assert h["placed"].is_monotonic_increasing
    assert h["person_id"].isin(scenario.persons["person_id"]).all()
    assert h["post_id"].isin(scenario.posts["post_id"]).all()
    willing = scenario.persons.set_index("person_id")["willing"]
    assert willing[h["person_id"]].all()
    assert 0.3 < h["success"].mean() < 0.95
    # caseworkers place people mostly in their own county or preferred kind
    p = scenario.persons.set_index("person_id")
    q = scenario.posts.set_index("post_id")
    same_county = (p.loc[h["person_id"], "county"].to_numpy() == q.loc[h["post_id"], "county"].to_numpy()).mean()
    assert same_county > 0.45
    outcome = simulate_outcomes(scenario, pairs=h[["person_id", "post_id"]], seed=3).success
    assert (outcome == h["success"].to_numpy()).all()
    assert len(simulate_history(scenario, 0)) == 0


TRUTH_MODULES = ("outcomes.py", "_truth.py", "_functioning.py", "_tasks.py")


def test_outcome_model_shares_no_code_with_the_scorers() -> None:
    folder = Path(datasets.__file__).parent
    for name in TRUTH_MODULES:
        tree = ast.parse((folder / name).read_text(encoding="utf-8"))
        modules = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        modules += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert modules, name
        for module in modules:
            assert not module.startswith(("jhmatch.matching", "jhmatch.taxonomy", "jhmatch.reference")), (name, module)
            if module.startswith("jhmatch.datasets"):  # only other truth modules or plain constants
                assert module.rsplit(".", 1)[-1] + ".py" in (*TRUTH_MODULES, "constants.py", "jinhua.py"), (name, module)


def test_importing_the_outcome_model_never_imports_the_scorer() -> None:
    code = ("import sys; from jhmatch.datasets import make_jinhua, simulate_outcomes, simulate_history; "
            "s = make_jinhua(n_persons=200, seed=1); "
            "import pandas as pd; simulate_history(s, 50, seed=2); "
            "print(sorted(m for m in sys.modules if m.startswith('jhmatch.matching')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ----------------------------------------------------------------------------- plausibility review (issue 12)

def mean_function(persons: pd.DataFrame, posts: pd.DataFrame, person_prefix: str, post_prefix: str) -> float:
    pid = persons.loc[persons["person_id"].str.startswith(person_prefix + "-"), "person_id"]
    qid = posts.loc[posts["post_id"].str.startswith(post_prefix + "-"), "post_id"]
    pairs = pd.merge(pid.to_frame(), qid.to_frame(), how="cross")
    return float(simulate_outcomes(persons, posts, pairs, seed=1, detail=True).table["p_function"].mean())


LITERATE = {"literate": "true"}
LOWER2 = {"category": "physical", "grade": 2, "limbs": "lower", "wheelchair": "false", **LITERATE}


UPPER3 = {"category": "physical", "grade": 3, "limbs": "upper", **LITERATE}


@pytest.mark.parametrize(
    ("person", "post", "floor"),
    [
        # a place or product word is not a second trade: 社区 (community) in 社区保洁, 农产品 in a web shop
        (DEAF, {"title": "社区保洁"}, 0.5),
        ({"category": "mental", "grade": 2, "limbs": None, **LITERATE},
         {"title": "社区保洁", "accommodations": "job_coach;flexible_hours"}, 0.5),
        (UPPER3, {"title": "农产品直播带货", "remote": True}, 0.5),
        # 饰品/来料 加工 is seated handwork, not a food-processing line; 手工组装 is by hand
        (LOWER2, {"title": "饰品串珠加工", "accommodations": "step_free"}, 0.5),
        (LOWER2, {"title": "共富工坊来料加工", "accommodations": "step_free"}, 0.5),
        (LOWER2, {"title": "共富工坊手工组装", "accommodations": "step_free"}, 0.5),
        # 庇护工场 is no care work (护工), 养护工 neither; sheltered work is seated
        ({"category": "intellectual", "grade": 3, "limbs": None},
         {"title": "庇护工场包装", "occupation": "6-05-01-06", "accommodations": "job_coach"}, 0.5),
        (LOWER2, {"title": "辅助性就业简单组装", "accommodations": "step_free"}, 0.5),
        (DEAF, {"title": "绿化养护工"}, 0.5),
        # postal and kiosk counters (CSCO 4-02-07-02, -05) do not ride deliveries; 收银 skills are no checkout
        (LOWER2, {"title": "邮政报刊亭经营", "occupation": "4-02-07-05", "required_skills": "收银",
                  "accommodations": "step_free"}, 0.15),
        (UPPER3, {"title": "快递收发员", "occupation": "4-02-07-02"}, 0.3),
        # a warehouse clerk works at a desk; a room attendant cleans rooms; 便民服务员 is no waiter
        ({**WHEELCHAIR, **LITERATE}, {"title": "仓库文员", "accommodations": "step_free"}, 0.5),
        (DEAF, {"title": "客房服务员"}, 0.5),
        (LOWER2, {"title": "村社便民服务员", "accommodations": "step_free"}, 0.1),
        # a rule's stated level beats the occupation's: 文字客服 filed as 呼叫中心服务员 is no telephone work
        ({**DEAF, **LITERATE}, {"title": "电商客服（文字）", "occupation": "4-04-05-03", "remote": True}, 0.5),
    ],
)
def test_title_qualifiers_do_not_add_work(person: dict, post: dict, floor: float) -> None:
    persons = persons_frame({"x": person}, R)
    posts = posts_frame({"job": post}, 3)
    assert mean_function(persons, posts, "x", "job") > floor


def test_text_work_needs_literacy_not_legs() -> None:
    # the reviewed "grade-4 lower limb at remote e-commerce, p 2e-4" pairs were illiterate persons
    persons = persons_frame({"reads": {"category": "physical", "grade": 4, "limbs": "lower", **LITERATE},
                             "cannot": {"category": "physical", "grade": 4, "limbs": "lower", "literate": "false"}}, R)
    posts = posts_frame({"shop": {"title": "电商运营", "required_skills": "电商运营", "remote": True}}, 3)
    assert mean_function(persons, posts, "reads", "shop") > 0.9
    assert mean_function(persons, posts, "cannot", "shop") < DANGER


def test_fit_hazard_saturates() -> None:
    # unwilling, refusing remote work, over-educated for nothing in common: unlikely to stay, not impossible
    persons = persons_frame({"x": {"category": "hearing", "grade": 4, "limbs": None, "willing": False,
                                   "remote_ok": False, "education": 0, "preferred_kinds": "kiosk", **LITERATE}}, R)
    posts = posts_frame({"job": {"title": "网管", "required_skills": "计算机网络", "min_education": 6, "remote": True,
                                 "wage": 1500}}, 3)
    pid, qid = persons["person_id"], posts["post_id"]
    pairs = pd.merge(pid.to_frame(), qid.to_frame(), how="cross")
    fit = simulate_outcomes(persons, posts, pairs, seed=1, detail=True).table["p_fit"]
    assert fit.min() >= np.exp(-3.0) - 1e-12
    assert fit.mean() < 0.2
