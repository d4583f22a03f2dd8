"""First-generation 15-digit ID numbers (GB 11643-1989) are masked like 18-digit ones.

The format, from the standard: a 6-digit address code (first digit 1–8 for the regions),
the birth date as YYMMDD, and a 3-digit sequence (odd for men). Old records in county
offices still carry them.
"""

from __future__ import annotations

import pytest

from jhmatch.masking import scrub


@pytest.mark.parametrize("old_id", ["110105491231002", "330782900101123", "330702851130447"])
def test_old_ids_are_masked_in_text(old_id):
    out = scrub(f"持证人 {old_id} 未找到；")
    assert old_id not in out and old_id[:3] + "*" * 10 + old_id[-2:] in out


@pytest.mark.parametrize("other", [
    "123456789012345",     # no birth date inside (month 90)
    "330782901301123",     # month 13
    "930782900101123",     # no region code starts with 9
    "0.330782900101123",   # the digits of a decimal
    "3307829001011234",    # 16 digits: not an ID of either generation
])
def test_other_15_digit_numbers_are_left_alone(other):
    assert scrub(f"x {other} y") == f"x {other} y"


def test_errors_mask_old_ids_too():
    from jhmatch.errors import SchemaError

    msg = str(SchemaError("bad row: 330782900101123"))
    assert "330782900101123" not in msg
