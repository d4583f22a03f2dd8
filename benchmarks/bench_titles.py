"""Accuracy, confidence and speed of post-title normalisation (``jhmatch.matching.titles``).

Run from the repository root::

    PYTHONPATH=src python benchmarks/bench_titles.py [--n-speed 100000] [--out benchmarks/results/titles.json]
    PYTHONPATH=src python benchmarks/bench_titles.py --fit-confidence   # refit CONFIDENCE_COEF, print it

Every title set is scored for (a) the plain baseline named in ``data/csco/README.md``
(scikit-learn ``TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3))`` over name + aliases, raw
titles, cosine) and (b) :class:`~jhmatch.matching.titles.TitleNormalizer` (``ours``; a title it
abstains on counts as wrong; ``ours_no_abstain`` answers every title that has any evidence):

``heldout_titles``
    ``data/titles_heldout.tsv``: 314 realistic noisy titles (job boards, federation notices),
    labelled before any tuning and never used to tune word lists, weights or the confidence model.
    A label that is not a level-4 code (``4-02-07-00``, ``6-25-00-00``) is a group: any
    occupation inside it counts as correct. Also: abstention rate and accuracy among confident
    (>= 0.5) predictions, and a reliability table of the confidence.
``tuning_titles``
    ``data/titles_tuning.tsv``: written the same way, used freely while developing (optimistic).
``junk``
    ``data/titles_junk.tsv``: junk titles; share abstained on (``best`` is NA) and share with
    confidence < 0.5. ``data/titles_junk_tuning.tsv`` (other junk) is only used by the fit.
``heldout_aliases``
    5-fold held-out catalogue aliases. Every distinct alias that differs from all occupation
    names is a test item whose correct answers are all occupations listing it. The alias strings
    are split into 5 folds (seeded); for each fold both models are fitted on a catalogue with
    those alias strings deleted, then predict them. The default weights were chosen by a coarse
    grid on folds 0 and 1, so ``untouched_folds_2_4`` repeats the comparison on the other three.
``handwritten``
    ``HANDWRITTEN`` below: 98 noisy titles (exact-code labels), full catalogue.

The confidence model (``--fit-confidence``) is a logistic regression of "top-1 is right" on the
tuning titles, the 98 hand-labelled titles, ``titles_junk_tuning.tsv`` and the held-out alias folds
(see :func:`fit_confidence`); never on ``titles_heldout.tsv`` or ``titles_junk.tsv``.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from jhmatch.matching.titles import TitleNormalizer, clean_title
from jhmatch.reference import load_occupations

DATA = Path(__file__).resolve().parent / "data"

# Hand-written noisy titles of the kind posted on county job boards. Labels were chosen by
# reading the catalogue (code, name, definition and alias list of load_occupations(level=4))
# BEFORE running any model on these titles: the occupation whose definition covers the work
# the title describes. Where two occupations genuinely both fit, both are accepted.
HANDWRITTEN: list[tuple[str, tuple[str, ...]]] = [
    ("急招保洁阿姨", ("4-09-08-01",)),
    ("商场保洁 包吃住", ("4-09-08-01",)),
    ("写字楼清洁工（早班）", ("4-09-08-01",)),
    ("小区打扫卫生 日结", ("4-09-08-01",)),
    ("住家保姆 照顾老人", ("4-10-01-06", "4-10-01-05")),
    ("金牌月嫂 高薪", ("4-10-01-06",)),
    ("钟点工阿姨 义乌", ("4-10-01-06",)),
    ("养老院护理员", ("4-10-01-05",)),
    ("医院护工 陪护", ("4-14-01-02",)),
    ("快递小哥 派件", ("4-02-07-08",)),
    ("中通快递员 多劳多得", ("4-02-07-08",)),
    ("美团外卖骑手", ("4-10-08-01",)),
    ("饿了么 送餐员 兼职", ("4-10-08-01",)),
    ("桶装水送水工", ("4-10-08-01",)),
    ("淘宝客服（可居家）", ("4-04-05-03",)),
    ("拼多多客服 夜班", ("4-04-05-03",)),
    ("电话客服 坐班", ("4-04-05-03",)),
    ("话务员 五险一金", ("4-04-05-03",)),
    ("拼多多运营", ("4-01-06-01",)),
    ("天猫店铺运营专员", ("4-01-06-01",)),
    ("网店美工 修图", ("4-01-06-01", "4-07-07-02")),
    ("抖音带货主播", ("4-01-06-02",)),
    ("快手直播运营", ("4-01-06-02",)),
    ("超市收银员 包午餐", ("4-01-02-04",)),
    ("收银 早晚班", ("4-01-02-04",)),
    ("服装店导购", ("4-01-02-03",)),
    ("手机店营业员", ("4-01-02-03",)),
    ("电话销售 底薪+提成", ("4-01-02-01",)),
    ("业务员 跑市场", ("4-01-02-01",)),
    ("房产中介 置业顾问", ("4-06-02-01",)),
    ("保险销售 五险", ("4-05-03-01",)),
    ("按摩师 盲人优先", ("4-10-04-02", "2-05-10-00")),
    ("盲人按摩", ("4-10-04-02", "2-05-10-00")),
    ("推拿师傅 足浴店", ("4-10-04-02",)),
    ("足疗技师 包住", ("4-10-03-05",)),
    ("采耳师", ("4-10-04-01",)),
    ("理发店学徒", ("4-10-03-02",)),
    ("美甲美睫 学徒", ("4-10-03-03",)),
    ("美容院美容师", ("4-10-03-01",)),
    ("宠物店美容师", ("4-10-07-03",)),
    ("饭店厨师 炒菜", ("4-03-02-01",)),
    ("食堂帮厨", ("4-03-02-01",)),
    ("面点师 包子馒头", ("4-03-02-02",)),
    ("西点烘焙师", ("4-03-02-04", "6-02-01-01")),
    ("餐厅服务员 包吃住", ("4-03-02-05",)),
    ("洗碗工 阿姨", ("4-03-02-05",)),
    ("酒店前台接待", ("4-03-01-01",)),
    ("宾馆客房阿姨 做房", ("4-03-01-02",)),
    ("奶茶店店员", ("4-03-02-10",)),
    ("咖啡师 可培训", ("4-03-02-08",)),
    ("小区保安 45岁以下", ("4-07-05-01",)),
    ("工厂门卫", ("4-07-05-01",)),
    ("网约车司机", ("4-02-02-01",)),
    ("货车司机 C1", ("4-02-02-02",)),
    ("代驾司机 兼职", ("4-10-08-02",)),
    ("叉车工 持证", ("6-30-05-01",)),
    ("仓库管理员 男女不限", ("4-02-06-01",)),
    ("仓管 熟悉ERP", ("4-02-06-01",)),
    ("电商仓库分拣员", ("4-02-06-02",)),
    ("搬运工 日结", ("4-02-05-01",)),
    ("包装工 计件", ("6-31-05-00",)),
    ("品检 质检员", ("6-31-03-05",)),
    ("服装厂平车工", ("6-05-01-03",)),
    ("持证电工", ("6-31-01-03",)),
    ("电焊工 二保焊", ("6-18-02-04",)),
    ("泥瓦工 贴砖", ("6-29-01-01",)),
    ("洗车工 包吃", ("4-12-01-01",)),
    ("汽修学徒", ("4-12-01-01",)),
    ("手机维修 师傅", ("4-12-02-01",)),
    ("家电维修 空调安装", ("4-12-03-01", "6-29-03-05")),
    ("物业管理员", ("4-06-01-01",)),
    ("停车场收费员", ("4-06-01-03",)),
    ("加油站加油员", ("4-02-02-08",)),
    ("小区绿化工", ("4-09-10-01",)),
    ("干洗店 洗衣工", ("4-10-02-02",)),
    ("行政文员 会电脑", ("3-01-02-02",)),
    ("数据录入员 居家", ("3-01-02-05", "2-10-03-00")),
    ("打字员", ("3-01-02-05",)),
    ("数据标注员 残疾人优先", ("4-04-05-05",)),
    ("出纳 会计 应届", ("2-06-03-00",)),
    ("人事专员", ("4-07-03-04",)),
    ("采购助理", ("4-01-01-00",)),
    ("Java开发工程师", ("2-02-10-03",)),
    ("手语翻译 听障服务中心", ("4-13-01-08",)),
    ("幼儿园保育员", ("4-10-01-03",)),
    ("育婴师 早教", ("4-10-01-03",)),
    ("幼儿园老师", ("2-08-03-00",)),
    ("特教老师 培智学校", ("2-08-04-00",)),
    ("康复治疗师 残联", ("4-14-03-06", "2-05-07-13")),
    ("社工 社区", ("2-07-11-01",)),
    ("社区网格员", ("3-01-04-02",)),
    ("健身教练", ("4-14-05-01",)),
    ("婚纱摄影师", ("4-08-09-01",)),
    ("导游 持证", ("4-07-04-01",)),
    ("图书馆管理员", ("4-13-01-07",)),
    ("验光师 眼镜店", ("4-14-03-03",)),
    ("心理咨询师", ("2-07-11-03",)),
    ("驾校教练", ("4-02-02-07",)),
]


def read_titles(name: str) -> pd.DataFrame:
    """A title set of ``benchmarks/data`` (comment lines start with ``#``)."""
    return pd.read_csv(DATA / name, sep="\t", comment="#", dtype=str, keep_default_na=False)


def label_matcher(codes4: set[str], groups: set[str]):
    """``accepts(labels, code)``: exact match on level-4 codes, prefix match on group codes."""
    def prefix(label: str) -> str:
        if label in codes4:
            return label
        if label not in groups:
            raise ValueError(f"unknown CSCO code in a label: {label}")
        parts = label.split("-")
        while parts and parts[-1] == "00":
            parts.pop()
        return "-".join(parts) + "-"

    def accepts(labels: str, code: object) -> bool:
        if not isinstance(code, str):
            return False
        return any(code == p if p in codes4 else code.startswith(p) for p in map(prefix, labels.split()))
    return accepts


def baseline_fit(cat: pd.DataFrame) -> tuple[TfidfVectorizer, object]:
    docs = (cat["name"] + " " + cat["aliases"].str.replace(",", " ")).tolist()
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3)).fit(docs)
    return vec, vec.transform(docs)


def baseline_topk(model: tuple[TfidfVectorizer, object], titles: list[str], k: int) -> np.ndarray:
    vec, docs = model
    sims = (vec.transform(titles) @ docs.T).toarray()
    return np.argsort(-sims, axis=1, kind="stable")[:, :k]


def accuracy(top: np.ndarray, codes: np.ndarray, truths: list[set[str]]) -> dict[str, float]:
    """Exact-code top-1/top-5 accuracy; candidate index -1 (no candidate) is never correct."""
    pred = np.where(top >= 0, codes[top], None)
    hit1 = [p[0] in t for p, t in zip(pred, truths)]
    hit5 = [bool(set(p[:5]) & t) for p, t in zip(pred, truths)]
    return {"top1": round(float(np.mean(hit1)), 4), "top5": round(float(np.mean(hit5)), 4), "n": len(truths)}


def group_accuracy(top: np.ndarray, codes: np.ndarray, labels: list[str], accepts) -> dict[str, float]:
    pred = np.where(top >= 0, codes[top], None)
    hit1 = [accepts(lab, p[0]) for p, lab in zip(pred, labels)]
    hit5 = [any(accepts(lab, c) for c in p[:5]) for p, lab in zip(pred, labels)]
    return {"top1": round(float(np.mean(hit1)), 4), "top5": round(float(np.mean(hit5)), 4), "n": len(labels)}


def ours_topk(model: TitleNormalizer, titles: list[str], codes: np.ndarray, k: int) -> np.ndarray:
    """Candidate indices (n, k); titles with fewer candidates are padded with -1 -> never correct."""
    pos = {c: i for i, c in enumerate(codes)}
    out = np.full((len(titles), k), -1, dtype=np.int64)
    tab = model.predict(titles, k=k).table
    out[tab["position"].to_numpy(), tab["rank"].to_numpy() - 1] = tab["code"].map(pos).to_numpy()
    return out


def _norm(a: str) -> str:
    return re.sub(r"(?<=[\u4e00-\u9fff])[LS/]+$", "", a.strip()).strip()


def heldout_items(cat: pd.DataFrame) -> pd.DataFrame:
    names = set(cat["name"])
    rows = [(a, code) for code, name, al in zip(cat["code"], cat["name"], cat["aliases"])
            for a in {_norm(x) for x in al.split(",")} if a and a != name and a not in names]
    return pd.DataFrame(rows, columns=["alias", "code"]).groupby("alias")["code"].agg(set).reset_index()


VARIANTS = {
    "ours": {},
    "ours_no_abstain": {"abstain_below": 0.0},
    "ours_no_synonyms": {"synonyms": False, "abstain_below": 0.0},
    "ours_no_cleaning": {"clean": False, "abstain_below": 0.0},
    "ours_no_hit": {"hit_weight": 0.0, "abstain_below": 0.0},
    "ours_no_text": {"text_weight": 0.0, "abstain_below": 0.0},
    "ours_no_prior": {"prior_weight": 0.0, "abstain_below": 0.0},
}


def run_heldout_aliases(cat: pd.DataFrame, seed: int = 0, n_folds: int = 5) -> dict[str, dict[str, float]]:
    items = heldout_items(cat)
    fold = np.random.default_rng(seed).permutation(len(items)) % n_folds
    codes = cat["code"].to_numpy()
    tops: dict[str, list[np.ndarray]] = {"baseline": [], **{v: [] for v in VARIANTS}}
    truths: list[set[str]] = []
    folds: list[int] = []
    for f in range(n_folds):
        test = items[fold == f]
        held = set(test["alias"])
        train = cat.copy()
        train["aliases"] = [",".join(a for a in al.split(",") if _norm(a) not in held) for al in cat["aliases"]]
        titles = test["alias"].tolist()
        truths += list(test["code"])
        folds += [f] * len(test)
        tops["baseline"].append(baseline_topk(baseline_fit(train), titles, 5))
        for name, params in VARIANTS.items():
            tops[name].append(ours_topk(TitleNormalizer(**params).fit(train), titles, codes, 5))
    untouched = np.array(folds) >= 2  # default weights were tuned on folds 0 and 1 only
    out = {name: accuracy(np.vstack(t), codes, truths) for name, t in tops.items()}
    out["untouched_folds_2_4"] = {name: accuracy(np.vstack(t)[untouched], codes, list(np.array(truths)[untouched]))
                                  for name, t in tops.items() if name in ("baseline", "ours")}
    return out


def run_handwritten(cat: pd.DataFrame) -> dict[str, dict[str, float]]:
    codes = cat["code"].to_numpy()
    titles = [t for t, _ in HANDWRITTEN]
    truths = [set(c) for _, c in HANDWRITTEN]
    out = {"baseline": accuracy(baseline_topk(baseline_fit(cat), titles, 5), codes, truths)}
    for name, params in VARIANTS.items():
        out[name] = accuracy(ours_topk(TitleNormalizer(**params).fit(cat), titles, codes, 5), codes, truths)
    return out


def confidence_report(model: TitleNormalizer, titles: list[str], labels: list[str], accepts) -> dict[str, object]:
    """Abstention, accuracy among confident predictions and a reliability table."""
    m = model.predict(titles, k=1)
    conf = m.confidence.to_numpy()
    right = np.array([accepts(lab, b) for lab, b in zip(labels, m.best.astype(object).where(m.best.notna(), None))])
    confident = conf >= 0.5
    bins = [(0.0, 0.2), (0.2, 0.5), (0.5, 0.8), (0.8, 1.01)]
    table = []
    for lo, hi in bins:
        sel = (conf >= lo) & (conf < hi)
        table.append({"confidence": f"[{lo:.1f}, {min(hi, 1.0):.1f})", "n": int(sel.sum()),
                      "mean_confidence": round(float(conf[sel].mean()), 3) if sel.any() else None,
                      "top1_right": round(float(right[sel].mean()), 3) if sel.any() else None})
    return {"abstained": round(float(m.abstained.mean()), 4),
            "share_confident": round(float(confident.mean()), 4),
            "top1_among_confident": round(float(right[confident].mean()), 4) if confident.any() else None,
            "n_confident": int(confident.sum()), "n_confident_wrong": int((confident & ~right).sum()),
            "top1_among_not_confident": round(float(right[~confident].mean()), 4) if (~confident).any() else None,
            "brier": round(float(np.mean((conf - right) ** 2)), 4), "reliability": table}


def run_title_set(cat: pd.DataFrame, name: str, accepts) -> dict[str, object]:
    df = read_titles(name)
    codes = cat["code"].to_numpy()
    titles, labels = df["title"].tolist(), df["codes"].tolist()
    out: dict[str, object] = {"file": f"benchmarks/data/{name}",
                              "baseline": group_accuracy(baseline_topk(baseline_fit(cat), titles, 5), codes, labels, accepts)}
    for variant, params in VARIANTS.items():
        out[variant] = group_accuracy(ours_topk(TitleNormalizer(**params).fit(cat), titles, codes, 5), codes, labels, accepts)
    out["confidence"] = confidence_report(TitleNormalizer().fit(cat), titles, labels, accepts)
    return out


def run_junk(cat: pd.DataFrame) -> dict[str, object]:
    titles = read_titles("titles_junk.tsv")["title"].tolist()
    m = TitleNormalizer().fit(cat).predict(titles, k=5)
    answered = [t for t, a in zip(titles, m.abstained) if not a]
    return {"file": "benchmarks/data/titles_junk.tsv", "n": len(titles),
            "abstained": round(float(m.abstained.mean()), 4),
            "confidence_below_0_5": round(float((m.confidence < 0.5).mean()), 4),
            "max_confidence": round(float(m.confidence.max()), 4), "answered": answered}


def _features(model: TitleNormalizer, titles: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Best code per title and the confidence features of TitleNormalizer._evidence."""
    cleaned = np.array([clean_title(t) for t in titles], dtype=object).astype(str)
    top, _, feats = model._evidence(cleaned, 1)
    return model.codes_[top[:, 0]], feats


def fit_confidence(cat: pd.DataFrame, accepts, seed: int = 0, n_folds: int = 5) -> dict[str, object]:
    """Refit CONFIDENCE_COEF: logistic regression of "top-1 is right" on the confidence features.

    Data: the tuning titles, the 98 hand-labelled titles and the tuning junk (on which the word
    lists were developed, so the model is right there too often), plus the 5-fold held-out aliases
    (each fold predicted by a model fitted without its aliases: honest errors). The two halves get
    equal total weight. The held-out titles are not used.
    """
    tuning = read_titles("titles_tuning.tsv")
    junk = read_titles("titles_junk_tuning.tsv")["title"].tolist()
    titles = tuning["title"].tolist() + [t for t, _ in HANDWRITTEN] + junk
    labels = tuning["codes"].tolist() + [" ".join(c) for _, c in HANDWRITTEN] + [None] * len(junk)
    pred, feats = _features(TitleNormalizer(abstain_below=0.0).fit(cat), titles)
    y = [lab is not None and accepts(lab, p) for lab, p in zip(labels, pred)]
    items = heldout_items(cat)
    fold = np.random.default_rng(seed).permutation(len(items)) % n_folds
    alias_feats, alias_y = [], []
    for f in range(n_folds):
        test = items[fold == f]
        train = cat.copy()
        held = set(test["alias"])
        train["aliases"] = [",".join(a for a in al.split(",") if _norm(a) not in held) for al in cat["aliases"]]
        p, x = _features(TitleNormalizer(abstain_below=0.0).fit(train), test["alias"].tolist())
        alias_feats.append(x)
        alias_y += [c in truth for c, truth in zip(p, test["code"])]
    X = np.vstack([feats, *alias_feats])
    Y = np.array(y + alias_y)
    w = np.r_[np.full(len(y), 1.0), np.full(len(alias_y), len(y) / len(alias_y))]
    use = X[:, 0] > 0
    lr = LogisticRegression(C=10.0).fit(X[use], Y[use], sample_weight=w[use])
    coef = (round(float(lr.intercept_[0]), 3), *(round(float(c), 3) for c in lr.coef_[0]))
    return {"coef": coef, "n_titles": len(y), "n_titles_right": int(sum(y)), "n_aliases": len(alias_y),
            "n_aliases_right": int(sum(alias_y))}


def speed(cat: pd.DataFrame, n: int, seed: int = 0) -> dict[str, object]:
    """Time to normalise n noisy titles: all distinct after cleaning (worst case), and board-like repeats."""
    rng = np.random.default_rng(seed)
    words = sorted({t for t, _ in HANDWRITTEN} | {_norm(a) for al in cat["aliases"] for a in al.split(",")})
    pre = ["", "急招", "诚聘", "高薪", "金华", "义乌", "直招"]
    post = ["", "包吃住", "（可居家）", " 日结", " 五险一金", " 残疾人优先", "5000-8000元/月"]
    pairs = rng.choice(len(words) ** 2, size=n, replace=False)
    distinct = [f"{pre[a]}{words[p // len(words)]} {words[p % len(words)]}{post[b]}" for p, a, b in zip(
        pairs, rng.integers(0, len(pre), n), rng.integers(0, len(post), n))]
    repeats = [f"{pre[a]}{words[w]}{post[b]}" for w, a, b in zip(
        rng.integers(0, len(words), n), rng.integers(0, len(pre), n), rng.integers(0, len(post), n))]
    t0 = time.perf_counter()
    model = TitleNormalizer().fit(cat)
    out: dict[str, object] = {"n_titles": n, "fit_s": round(time.perf_counter() - t0, 2)}
    for name, titles in (("distinct_10k", distinct[:10_000]), ("distinct", distinct), ("board_like", repeats)):
        t0 = time.perf_counter()
        res = model.predict(titles, k=5)
        out[name] = {"n_titles": len(titles), "predict_s": round(time.perf_counter() - t0, 2), "rows": len(res.table),
                     "n_distinct_cleaned": len({clean_title(t) for t in titles})}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n-speed", type=int, default=100_000)
    ap.add_argument("--out", default="benchmarks/results/titles.json")
    ap.add_argument("--fit-confidence", action="store_true", help="refit the confidence coefficients and exit")
    args = ap.parse_args()
    cat = load_occupations(level=4)
    codes4 = set(cat["code"])
    groups = set().union(*(set(load_occupations(level=lv)["code"]) for lv in (1, 2, 3)))
    accepts = label_matcher(codes4, groups)
    if args.fit_confidence:
        print(json.dumps(fit_confidence(cat, accepts)))
        return
    result = {
        "what": "top-1/top-5 accuracy, CSCO 2022 level 4 (1,632 occupations); group labels accept any code inside",
        "baseline": "TfidfVectorizer(analyzer='char_wb', ngram_range=(2,3)) over name+aliases, raw titles",
        "protocol": ("titles_heldout.tsv and titles_tuning.tsv were written and labelled (commits 99896b1, "
                     "1e64f10) before any tuning; word lists, weights and CONFIDENCE_COEF never used the held-out "
                     "titles. The first held-out run (titles_first_heldout_run.json, script of commit ae1f103) "
                     "abstained on 8.9 % of real titles; the abstention rule was then re-chosen on the tuning titles, "
                     "alias folds and tuning junk only (confidence < 0.3), generic worker words (普工, 员工) became "
                     "noise and factory words workplace words, and this file was produced."),
        "heldout_titles": run_title_set(cat, "titles_heldout.tsv", accepts),
        "tuning_titles": run_title_set(cat, "titles_tuning.tsv", accepts),
        "junk": run_junk(cat),
        "handwritten": run_handwritten(cat),
        "heldout_aliases": run_heldout_aliases(cat),
        "speed": speed(cat, args.n_speed),
        "machine": platform.platform(),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
