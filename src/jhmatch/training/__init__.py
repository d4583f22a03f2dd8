"""Training that unlocks posts (issue 16; measures 七, 八, 九 of the plan).

* :mod:`jhmatch.training.courses` — the courses table (:data:`COURSES`,
  :func:`validate_courses`) and the packaged sample catalogue (:func:`load_sample_courses`).
* :mod:`jhmatch.training.unlock` — what a course unlocks (:func:`course_unlocks`).
* :mod:`jhmatch.training.ledger` — the 一人一策 ledger of graduates (:func:`graduate_ledger`).
* :mod:`jhmatch.training.progress` — training counts against targets (:func:`training_progress`).
"""

from jhmatch.training.courses import COURSES, FORMATS, load_sample_courses, validate_courses
from jhmatch.training.ledger import GraduateLedger, graduate_ledger
from jhmatch.training.progress import TRAINED, TrainingProgress, training_progress, training_targets, validate_trained
from jhmatch.training.unlock import CourseUnlocks, accessible_courses, course_unlocks

__all__ = ["COURSES", "FORMATS", "CourseUnlocks", "accessible_courses", "course_unlocks", "load_sample_courses",
           "validate_courses"]
__all__ += ["TRAINED", "GraduateLedger", "TrainingProgress", "graduate_ledger", "training_progress", "training_targets",
            "validate_trained"]
