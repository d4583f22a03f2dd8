"""Training that unlocks posts (issue 16; measures 七, 八, 九 of the plan).

* :mod:`jhmatch.training.courses` — the courses table (:data:`COURSES`,
  :func:`validate_courses`) and the packaged sample catalogue (:func:`load_sample_courses`).
* :mod:`jhmatch.training.unlock` — what a course's licence unlocks (:func:`course_unlocks`).
* :mod:`jhmatch.training.effects` — what a course changes, licences and skills (:func:`course_effects`).
* :mod:`jhmatch.training.plan` — who to train in which course (:func:`plan_training`, a MILP over the
  allocation model); :mod:`jhmatch.training.greedy` — the "most common gap" baseline
  (:func:`greedy_training`); both return a :class:`TrainingPlan` (:mod:`jhmatch.training.result`).
* :mod:`jhmatch.training.ledger` — the 一人一策 ledger of graduates (:func:`graduate_ledger`).
* :mod:`jhmatch.training.progress` — training counts against targets (:func:`training_progress`).
"""

from jhmatch.training.counterfactual import TrainingPriorities
from jhmatch.training.courses import COURSES, FORMATS, load_sample_courses, validate_courses
from jhmatch.training.effects import CourseEffects, course_effects
from jhmatch.training.greedy import greedy_training
from jhmatch.training.ledger import GraduateLedger, graduate_ledger
from jhmatch.training.plan import plan_training
from jhmatch.training.progress import TRAINED, TrainingProgress, training_progress, training_targets, validate_trained
from jhmatch.training.result import TrainingPlan
from jhmatch.training.unlock import CourseUnlocks, accessible_courses, course_unlocks

__all__ = ["COURSES", "FORMATS", "CourseEffects", "CourseUnlocks", "TrainingPlan", "TrainingPriorities",
           "accessible_courses", "course_effects", "course_unlocks", "greedy_training", "load_sample_courses",
           "plan_training", "validate_courses"]
__all__ += ["TRAINED", "GraduateLedger", "TrainingProgress", "graduate_ledger", "training_progress", "training_targets",
            "validate_trained"]
