"""Tables a planner can act on, in the planner's language, and a run's folder written as a whole.

The solver's tables hold codes and ids (``P000001``, ``330782``, ``tobacco_outlet``).
The tables built here add what a planner looks up by hand otherwise: the person's
name and masked ID number, the post's title, employer, county name and kind label,
the reason a person was not placed, and headers in the current language
(:func:`jhmatch.i18n.language`): ``姓名``, ``岗位名称``, ``用人单位``, ``所在县区`` ...
Every ID-shaped value is masked, in every text column (:func:`jhmatch.data.ids.scrub`).

:class:`OutputFolder` writes a run's files into a fresh hidden folder beside the
target and moves them in only when all are written, then records them in a
completion marker (``.jhmatch-run.json``); files a previous run listed there and this
run did not write are removed, so a folder never mixes two runs' results. With
``format="xlsx"`` the tables go into one workbook, one sheet per table.

Examples
--------
>>> import pandas as pd
>>> from jhmatch.i18n import language
>>> persons = pd.DataFrame({"person_id": ["p1"], "name": ["张三"], "county": ["330782"]})
>>> posts = pd.DataFrame({"post_id": ["q1"], "title": ["保洁员"], "kind": ["welfare_cleaning"],
...                       "county": ["330782"], "employer_id": ["e1"]})
>>> a = pd.DataFrame({"person_id": ["p1"], "post_id": ["q1"], "score": [0.8]})
>>> with language("zh"):
...     table = allocation_table(a, persons, posts)
>>> table.loc[0, ["姓名", "岗位名称", "所在县区", "岗位类型"]].tolist()
['张三', '保洁员', '义乌市', '保洁公益性岗位']
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from jhmatch._output_labels import (
    COLUMN_LABELS,
    county_name,
    display_table,
    kind_label,
    masked_text,
    priority_text,
    status_label,
    target_label,
)
from jhmatch._workbook import excel_module, read_pairs, write_output, write_workbook
from jhmatch.data.ids import mask_ids
from jhmatch.i18n import N_, get_language
from jhmatch.i18n import gettext as _

__all__ = [
    "COLUMN_LABELS",
    "OutputFolder",
    "allocation_table",
    "chain_tables",
    "constraints_table",
    "county_name",
    "display_table",
    "kind_label",
    "policy_table",
    "read_pairs",
    "recommendation_table",
    "reserved_tables",
    "status_label",
    "target_label",
    "targets_table",
    "unplaced_table",
    "write_output",
    "write_workbook",
]

SHEETS = {"allocation": N_("placements"), "unplaced": N_("not placed"), "counties": N_("by county"),
          "targets": N_("plan targets"), "constraints": N_("rules"), "reserved_posts": N_("reserved posts"),
          "reserved_sites": N_("reserved sites"), "reserved_targets": N_("reserved-post targets"),
          "reserved_candidates": N_("reserved-post candidates"), "quota_chain": N_("cross-county placements"),
          "quota_chain_employers": N_("cross-county employers"), "recommendations": N_("recommendations"),
          "policy": N_("employer policy"), "progress": N_("plan progress")}
"""Sheet names of the tables in a workbook (translated where shown)."""

MANIFEST = ".jhmatch-run.json"
"""The completion marker of a run's folder: the files of the last complete run (``run`` replaced by
the kind of run, see :class:`OutputFolder`)."""


# ----------------------------------------------------------------------------- lookups

def _persons_view(persons: pd.DataFrame | None) -> pd.DataFrame:
    """Per person id: name, masked ID number, county name and priority groups (the columns that exist)."""
    if persons is None or "person_id" not in persons:
        return pd.DataFrame(index=pd.Index([], dtype=object, name="person_id"))
    p = persons.drop_duplicates("person_id")
    view = pd.DataFrame(index=pd.Index(p["person_id"].astype("object").to_numpy(), name="person_id"))
    if "name" in p and p["name"].notna().any():
        view["name"] = masked_text(p["name"]).to_numpy()
    if "id_number" in p and p["id_number"].notna().any():
        view["id_number"] = mask_ids(p["id_number"]).to_numpy()
    if "county" in p:
        view["person_county"] = p["county"].map(county_name).to_numpy()
    view["priority"] = priority_text(p).to_numpy()
    return view


def _posts_view(posts: pd.DataFrame | None, employers: pd.DataFrame | None) -> pd.DataFrame:
    """Per post id: title, employer (name when known), county name and kind label."""
    if posts is None or "post_id" not in posts:
        return pd.DataFrame(index=pd.Index([], dtype=object, name="post_id"))
    q = posts.drop_duplicates("post_id")
    view = pd.DataFrame(index=pd.Index(q["post_id"].astype("object").to_numpy(), name="post_id"))
    if "title" in q:
        view["title"] = masked_text(q["title"]).to_numpy()
    employer = pd.Series([None] * len(q), index=q.index, dtype=object)
    if "employer_name" in q:
        employer = q["employer_name"].astype("object").where(q["employer_name"].notna(), None)
    if "employer_id" in q:
        ids = q["employer_id"].astype("object")
        if employers is not None and {"employer_id", "name"} <= set(employers.columns):
            names = employers.drop_duplicates("employer_id").set_index("employer_id")["name"].astype("object")
            names = names[names.notna() & (names.astype(str).str.strip() != "")]
            employer = employer.where(employer.notna(), ids.map(names))
        employer = employer.where(employer.notna(), ids)
    if employer.notna().any():
        view["employer"] = masked_text(employer).to_numpy()
    if "county" in q:
        view["county"] = q["county"].map(county_name).to_numpy()
    if "kind" in q:
        view["kind"] = q["kind"].map(kind_label).to_numpy()
    return view


def _join(frame: pd.DataFrame, view: pd.DataFrame, key: str) -> pd.DataFrame:
    cols = [c for c in view.columns if c not in frame.columns]
    if not cols:
        return frame
    extra = view[cols].reindex(frame[key].astype("object").to_numpy())
    extra.index = frame.index
    return pd.concat([frame, extra], axis=1)


def _ordered(frame: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    cols = [c for c in order if c in frame.columns] + [c for c in frame.columns if c not in order]
    return frame[cols]


_PERSON_COLS = ["person_id", "name", "id_number", "person_county", "priority"]
_POST_COLS = ["post_id", "title", "employer", "county", "kind"]


# ----------------------------------------------------------------------------- tables

def allocation_table(assignments: pd.DataFrame, persons: pd.DataFrame | None, posts: pd.DataFrame | None,
                     employers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Who goes where, with names, masked ID numbers, titles, employers, counties and kinds.

    Parameters
    ----------
    assignments : DataFrame
        ``person_id, post_id`` (and ``score``) of an allocation.
    persons, posts : DataFrame, optional
        The validated tables the allocation was made from.
    employers : DataFrame, optional
        ``employer_id, name``: employer names for posts without an ``employer_name``.

    Returns
    -------
    DataFrame
        One row a placement, headers in the current language (:func:`display_table`).

    Examples
    --------
    >>> a = pd.DataFrame({"person_id": ["p1"], "post_id": ["q1"], "score": [0.81234]})
    >>> allocation_table(a, None, None).columns.tolist()
    ['person_id', 'post_id', 'score']
    """
    out = assignments[[c for c in ("person_id", "post_id", "score") if c in assignments]].copy()
    out = _join(_join(out, _persons_view(persons), "person_id"), _posts_view(posts, employers), "post_id")
    if "score" in out:
        out["score"] = out["score"].astype(float).round(3)
    return display_table(_ordered(out, _PERSON_COLS + _POST_COLS + ["score"]))


def unplaced_table(unplaced: pd.DataFrame, persons: pd.DataFrame | None) -> pd.DataFrame:
    """Seekers not placed, with names, masked ID numbers, county and the reason in the current language.

    Examples
    --------
    >>> unplaced_table(pd.DataFrame({"person_id": ["p2"], "reason": ["no candidate post"]}), None)["reason"].tolist()
    ['no candidate post']
    """
    out = unplaced.copy()
    if "reason" in out:
        reasons = out["reason"].astype("object")
        out["reason"] = reasons.map({r: _(str(r)) for r in pd.unique(reasons[reasons.notna()])})
    out = _join(out, _persons_view(persons), "person_id")
    return display_table(_ordered(out, [*_PERSON_COLS, "reason"]))


def recommendation_table(table: pd.DataFrame, persons: pd.DataFrame | None, posts: pd.DataFrame | None,
                         employers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Recommendations (per person, or per post when the table starts with ``post_id``) with names and labels.

    Examples
    --------
    >>> rec = pd.DataFrame({"person_id": ["p1"], "rank": [1], "post_id": ["q1"], "score": [0.5]})
    >>> recommendation_table(rec, None, None).columns.tolist()
    ['person_id', 'rank', 'post_id', 'score']
    """
    out = table.drop(columns=[c for c in ("kind",) if c in table and posts is not None])
    out = _join(_join(out, _persons_view(persons), "person_id"), _posts_view(posts, employers), "post_id")
    if "score" in out:
        out["score"] = out["score"].astype(float).round(3)
    if "kind" in out and posts is None:
        out["kind"] = out["kind"].map(kind_label)
    first = [*_POST_COLS, "rank", *_PERSON_COLS] if table.columns[0] == "post_id" else \
        [*_PERSON_COLS, "rank", *_POST_COLS]
    return display_table(_ordered(out, [*first, "score"]))


def targets_table(table: pd.DataFrame) -> pd.DataFrame:
    """Plan targets (:attr:`jhmatch.policy.PlanProgress.table`) with target, scope, basis and status names.

    The columns that only restate others in words (``label``, ``status_label``,
    ``goal_text``, ``explanation``) are left out of the file; the API's table keeps them.

    Examples
    --------
    >>> t = pd.DataFrame({"target": ["new_jobs"], "scope": ["city"], "status": ["not met"]})
    >>> targets_table(t).iloc[0].tolist()
    ['new disabled persons employed', 'city-wide', 'not met']
    """
    from jhmatch.policy.labels import basis_label, target_assumptions

    out = table.drop(columns=[c for c in ("label", "status_label", "goal_text", "explanation") if c in table])
    if "target" in out and "year" in out and len(out):
        assumed = target_assumptions(int(out["year"].iloc[0]))
        out["assumed_parameters"] = [_("; ").join(assumed.get(t, [])) for t in out["target"]]
    if "target" in out:
        out["target"] = out["target"].map(target_label)
    if "scope" in out:
        out["scope"] = out["scope"].map(lambda s: _("city-wide") if s == "city" else county_name(s))
    if "status" in out:
        out["status"] = out["status"].map(status_label)
    for col in ("target_basis", "goal_basis"):
        if col in out:
            out[col] = out[col].map(lambda b: None if b is None or b != b else basis_label(b))
    return display_table(out)


_CONSTRAINTS = {"GraduateGuarantee": N_("graduate guarantee"), "PlacementGuarantee": N_("placement guarantee"),
                "HouseholdCoverage": N_("household coverage"), "RegionFloor": N_("county floor"),
                "RegionCap": N_("county cap"), "CategoryFloor": N_("category floor"), "KindTarget": N_("kind target"),
                "ReservedShare": N_("reserved share"), "LinearRows": N_("custom rule")}


def constraints_table(table: pd.DataFrame) -> pd.DataFrame:
    """The rules' rows (type, what they apply to, bounds, activity) with rule names and masked ids.

    Examples
    --------
    >>> constraints_table(pd.DataFrame({"constraint": ["RegionFloor"], "label": ["330782"]})).iloc[0].tolist()
    ['county floor', 'Yiwu']
    """
    out = table.copy()
    if "constraint" in out:
        out["constraint"] = out["constraint"].astype("object").map(
            lambda c: _(_CONSTRAINTS[c]) if c in _CONSTRAINTS else c)
    if "label" in out:
        label = out["label"].astype("object")
        named = label.map(lambda v: county_name(v) if isinstance(v, str) and v.isdigit() and len(v) == 6 else v)
        out["label"] = masked_text(named)
    return display_table(out)


def reserved_tables(plan: Any, persons: pd.DataFrame | None = None, posts: pd.DataFrame | None = None,
                    employers: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The reserved-post plan's tables: per county and kind, sites, targets and who would fill the sites.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> plan = SimpleNamespace(by_county=pd.DataFrame({"county": ["330782"], "kind": ["tobacco_outlet"],
    ...                        "sites_opened": [1], "posts_filled": [1]}))
    >>> reserved_tables(plan)["reserved_posts"].iloc[0, :2].tolist()
    ['Yiwu', 'Tobacco retail outlet']
    """
    out: dict[str, pd.DataFrame] = {}
    for key, attr in (("reserved_posts", "by_county"), ("reserved_sites", "sites"), ("reserved_targets", "targets")):
        frame = getattr(plan, attr, None)
        if frame is None:
            continue
        frame = frame.copy()
        if "county" in frame:
            frame["county"] = frame["county"].map(county_name)
        if "kind" in frame:
            frame["kind"] = frame["kind"].map(lambda k: _("kiosk reserve (10%)") if k == "kiosk_reserve"
                                              else kind_label(k))
        out[key] = display_table(frame)
    who = getattr(plan, "assignments", None)
    if who is not None:
        frame = who.drop(columns=[c for c in ("county", "kind") if c in who])
        frame = _join(frame, _persons_view(persons), "person_id")
        if posts is not None and "site_id" in frame:
            frame = _join(frame, _posts_view(posts, employers).rename_axis("site_id"), "site_id")
        if "kind" in who and "kind" not in frame:
            frame["kind"] = who["kind"].map(kind_label)
        if "score" in frame:
            frame["score"] = frame["score"].astype(float).round(3)
        out["reserved_candidates"] = display_table(_ordered(frame, [*_PERSON_COLS, "site_id", *_POST_COLS[1:]]))
    return out


def chain_tables(chain: Any, persons: pd.DataFrame | None = None,
                 employers: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The cross-county chain's placements (with names) and per-employer figures (with names and counties).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> chain = SimpleNamespace(placements=pd.DataFrame({"person_id": ["p1"], "employer_id": ["e1"]}),
    ...                         employers=pd.DataFrame({"employer_id": ["e1"], "county": ["330727"]}))
    >>> sorted(chain_tables(chain))
    ['quota_chain', 'quota_chain_employers']
    """
    placements = _join(chain.placements.copy(), _persons_view(persons), "person_id")
    placements = _ordered(placements, [*_PERSON_COLS])
    figures = chain.employers.copy()
    if "explanation" in figures:
        from jhmatch.policy.chain import NOTE_EXEMPT, NOTE_QUOTA_MET

        # the notes are translated; the composed English sentence restates the row's own figures,
        # so a Chinese table leaves it out rather than show English to a planner
        notes = {NOTE_EXEMPT: _(NOTE_EXEMPT), NOTE_QUOTA_MET: _(NOTE_QUOTA_MET)}
        text = figures["explanation"].astype("object")
        figures["explanation"] = text.map(lambda t: notes.get(t, t if get_language() == "en" else None))
    return {"quota_chain": display_table(placements), "quota_chain_employers": policy_table(figures, employers)}


def policy_table(result: pd.DataFrame, employers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per employer policy figures with the employer's name and county name.

    Examples
    --------
    >>> policy_table(pd.DataFrame({"employer_id": ["e1"], "county": ["330727"]}),
    ...              pd.DataFrame({"employer_id": ["e1"], "name": ["磐安茶厂"]})).iloc[0].tolist()
    ['e1', '磐安茶厂', "Pan'an"]
    """
    out = result.copy()
    if employers is not None and {"employer_id", "name"} <= set(employers.columns) and "employer" not in out:
        names = employers.drop_duplicates("employer_id").set_index("employer_id")["name"]
        out.insert(1, "employer", masked_text(out["employer_id"].map(names)).to_numpy())
    if "county" in out:
        out["county"] = out["county"].map(county_name)
    return display_table(out)


# ----------------------------------------------------------------------------- files

class OutputFolder:
    """Write a run's files as a whole: into a fresh hidden folder, then moved in together.

    Use it as a context manager: files go to a temporary folder inside ``folder``
    (a unique name, so runs writing one folder at once do not collide); on leaving
    the block without an error they are moved into ``folder``, the files of the
    previous run that this run did not write are removed, and the completion marker
    :data:`MANIFEST` lists this run's files. On an error nothing in ``folder`` changes.

    Parameters
    ----------
    folder : path-like
    format : {"csv", "xlsx"}
        CSV: one file per table (``<key>.csv``). xlsx: one workbook ``workbook`` with a
        sheet per table, named in the current language.
    workbook : str
        File name of the workbook.
    run : str
        What writes the folder (``allocate``, ``plan-posts`` ...): each kind of run has its own
        marker ``.jhmatch-<run>.json``, so runs of different commands sharing a folder do not
        remove each other's files.

    Attributes
    ----------
    paths : dict of str to Path
        After the block: every written file (a table's path is the workbook's in xlsx).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> with OutputFolder(out) as folder:
    ...     folder.table("counties", pd.DataFrame({"code": ["330782"]}))
    ...     folder.text("summary", "summary.md", "# done")
    >>> sorted(p.name for p in out.iterdir())
    ['.jhmatch-run.json', 'counties.csv', 'summary.md']
    """

    def __init__(self, folder: str | os.PathLike[str], *, format: str = "csv", workbook: str = "results.xlsx",
                 run: str = "run"):
        from jhmatch.errors import ParameterError

        if format not in ("csv", "xlsx"):
            raise ParameterError(_("--format {value}: expected csv or xlsx").format(value=format))
        self.folder = Path(folder)
        self.format = format
        self.workbook = workbook
        self.marker = self.folder / MANIFEST.replace("run", run)
        self.paths: dict[str, Path] = {}
        self._names: dict[str, str] = {}
        self._sheets: dict[str, pd.DataFrame] = {}
        self._tmp: Path | None = None

    def __enter__(self) -> OutputFolder:
        if self.format == "xlsx":
            excel_module()
        self.folder.mkdir(parents=True, exist_ok=True)
        self._tmp = Path(tempfile.mkdtemp(prefix=".jhmatch-", suffix=".tmp", dir=self.folder))
        return self

    def path(self, name: str) -> Path:
        """Where to write ``name`` (a file or folder) inside the temporary folder; register it with :meth:`add`."""
        assert self._tmp is not None, "use OutputFolder in a with block"
        return self._tmp / name

    def add(self, key: str, name: str) -> None:
        """Register ``name``, written by the caller at :meth:`path`, under ``key``."""
        self._names[key] = name

    def table(self, key: str, frame: pd.DataFrame) -> None:
        """Add a table (already in display form, e.g. from :func:`allocation_table`)."""
        if self.format == "xlsx":
            self._sheets[key] = frame
            self._names[key] = self.workbook
        else:
            write_output(frame, self.path(f"{key}.csv"))
            self._names[key] = f"{key}.csv"

    def text(self, key: str, name: str, text: str) -> None:
        """Add a text file (UTF-8)."""
        self.path(name).write_text(text, encoding="utf-8")
        self._names[key] = name

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        tmp = self._tmp
        assert tmp is not None
        try:
            if exc_type is None:
                if self._sheets:
                    write_workbook({_(SHEETS.get(k, k)): f for k, f in self._sheets.items()}, tmp / self.workbook)
                self._commit(tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _commit(self, tmp: Path) -> None:
        marker = self.marker
        previous: list[str] = []
        with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
            previous = [str(n) for n in json.loads(marker.read_text(encoding="utf-8"))["files"]]
        with contextlib.suppress(FileNotFoundError):
            marker.unlink()  # the folder is now incomplete until the new marker is written
        names = sorted(set(self._names.values()))
        trash = tmp / ".previous"
        for name in names:
            target = self.folder / name
            if target.is_dir() and not target.is_symlink():
                trash.mkdir(exist_ok=True)
                os.replace(target, trash / name)
            os.replace(tmp / name, target)
        for name in previous:
            if name not in names and "/" not in name and "\\" not in name and name not in ("", ".", ".."):
                old = self.folder / name
                if old.is_dir() and not old.is_symlink():
                    shutil.rmtree(old, ignore_errors=True)
                else:
                    with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                        old.unlink()
        digest = hashlib.sha256()
        for name in names:
            target = self.folder / name
            if target.is_file():
                digest.update(name.encode() + b"\0" + target.read_bytes())
        fd, part = tempfile.mkstemp(prefix=f"{marker.name}.", suffix=".tmp", dir=self.folder)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"files": names, "run": digest.hexdigest()[:16]}, fh, ensure_ascii=False, indent=1)
        os.replace(part, marker)
        self.paths = {key: self.folder / name for key, name in self._names.items()}
