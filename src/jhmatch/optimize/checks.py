"""Moved to :mod:`jhmatch.checks` (one set of parameter checks for every layer); kept for imports."""

from jhmatch.checks import (  # noqa: F401
    __all__,
    check_options,
    finite_number,
    non_negative_int,
    non_negative_number,
    one_of,
    optional_positive_int,
    positive_int,
    positive_number,
    rate,
)
