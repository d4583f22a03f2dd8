"""Resident ID and certificate numbers: known-valid, corrupted, vectorised = scalar."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jhmatch.data.ids import (
    MaskingFilter,
    check_character,
    mask_id,
    parse_certificate,
    parse_id_column,
    parse_resident_id,
    scrub,
)
from jhmatch.errors import IdNumberError
from jhmatch.taxonomy import DisabilityCategory, Grade

VALID = "11010519491231002X"  # GB 11643's own example (domain.md §1)


def make_id(address: str, birth: str, seq: int) -> str:
    first17 = f"{address}{birth}{seq:03d}"
    return first17 + check_character(first17)


def test_known_valid_number_parses():
    rid = parse_resident_id(VALID)
    assert rid.address_code == "110105"
    assert str(rid.birth_date) == "1949-12-31"
    assert rid.sex == "F"  # sequence 002 is even


def test_lower_case_x_is_accepted():
    assert parse_resident_id(VALID.lower()).number == VALID


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("110105194912310021", "check character is 1, expected X"),
        ("11010519491231002", "has 17 characters, expected 18"),
        ("1101051949123100XX", "expected 17 digits and a digit or X"),
        ("110105194913310028", "birth date digits are not a valid date"),
        ("110105194902300021", "birth date digits are not a valid date"),
    ],
)
def test_corrupted_numbers_raise_with_reason_and_mask(number, reason):
    with pytest.raises(IdNumberError) as info:
        parse_resident_id(number)
    assert reason in str(info.value)
    assert number not in str(info.value)
    assert mask_id(number) in str(info.value)


@settings(max_examples=200, deadline=None)
@given(pos=st.integers(0, 16), delta=st.integers(1, 9))
def test_any_single_digit_change_is_detected(pos, delta):
    digits = list(VALID)
    digits[pos] = str((int(digits[pos]) + delta) % 10)
    table = parse_id_column(pd.Series(["".join(digits)]))
    assert table["error"].iloc[0] != ""


def test_certificate_parses_category_and_grade():
    cert = parse_certificate(VALID + "12")
    assert cert.category is DisabilityCategory.VISUAL
    assert cert.grade is Grade.TWO
    assert cert.resident_id.number == VALID
    assert VALID not in repr(cert)


@pytest.mark.parametrize("suffix", ["82", "05", "15", "1"])
def test_certificate_with_bad_digits_raises(suffix):
    with pytest.raises(IdNumberError):
        parse_certificate(VALID + suffix)


@settings(max_examples=60, deadline=None)
@given(
    address=st.sampled_from(["330702", "330782", "330727"]),
    birth=st.dates(min_value=pd.Timestamp("1930-01-01").date(), max_value=pd.Timestamp("2020-12-31").date()),
    seq=st.integers(0, 999),
)
def test_generated_numbers_round_trip(address, birth, seq):
    number = make_id(address, birth.strftime("%Y%m%d"), seq)
    rid = parse_resident_id(number)
    assert (rid.address_code, rid.birth_date) == (address, birth)
    assert rid.sex == ("M" if seq % 2 else "F")


def test_column_parser_matches_scalar_parser():
    rng = np.random.default_rng(0)
    good = [make_id("330782", f"19{rng.integers(50, 99)}0{rng.integers(1, 9)}1{rng.integers(0, 9)}", int(s))
            for s in rng.integers(0, 999, 30)]
    bad = [g[:-1] + ("0" if g[-1] != "0" else "1") for g in good[:10]]
    table = parse_id_column(pd.Series(good + bad + [None, ""]))
    assert (table["error"].iloc[:30] == "").all()
    assert (table["error"].iloc[30:40] != "").all()
    assert (table["error"].iloc[40:] == "").all() and table["number"].iloc[40:].isna().all()
    for number, sex in zip(good, table["sex"].iloc[:30]):
        assert parse_resident_id(number).sex == sex


def test_mask_and_scrub_hide_the_middle():
    assert mask_id(VALID) == "110*************2X"
    assert mask_id("12345") == "*****"
    text = scrub(f"person {VALID} and certificate {VALID}42 failed")
    assert VALID not in text
    assert "110*************2X" in text and "110***************42" in text


def test_logging_filter_masks(caplog):
    logger = logging.getLogger("jhmatch.test")
    logger.addFilter(MaskingFilter())
    with caplog.at_level(logging.INFO, logger="jhmatch.test"):
        logger.info("placed %s", VALID)
    assert VALID not in caplog.text and "110*" in caplog.text


def test_scrub_leaves_decimals_alone():
    assert scrub("share 0.13621861561936469 of 5") == "share 0.13621861561936469 of 5"
