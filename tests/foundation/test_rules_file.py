"""Rules files are validated like tables: every problem named with the file, no Python internals."""

from __future__ import annotations

import pytest

from jhmatch.errors import JhmatchError, ParameterError
from jhmatch.rules import load_rules


def _load(tmp_path, text: str, encoding: str = "utf-8"):
    p = tmp_path / "规则.toml"
    p.write_bytes(text.encode(encoding))
    return load_rules(p)


def _problems(tmp_path, text: str) -> str:
    with pytest.raises(ParameterError) as info:
        _load(tmp_path, text)
    msg = str(info.value)
    assert "__init__" not in msg and "unexpected keyword" not in msg and "Traceback" not in msg
    for line in msg.splitlines()[1:]:
        assert "规则.toml" in line  # the file is named in every message
    return msg


def test_percent_written_as_a_whole_number_asks_what_was_meant(tmp_path):
    msg = _problems(tmp_path, '[[constraint]]\ntype = "RegionFloor"\nrate = 30\nhard = false\n')
    assert "rate = 30 is not a rate between 0 and 1" in msg and "did you mean 0.30 (30%)?" in msg


def test_rate_mappings_negative_and_infinite_values(tmp_path):
    msg = _problems(tmp_path, '[[constraint]]\ntype = "CategoryFloor"\nrate = {visual = 45}\n\n'
                              '[[constraint]]\ntype = "RegionFloor"\nrate = -0.1\npenalty = inf\n')
    assert "constraint 1 (CategoryFloor): rate.visual = 45" in msg and "0.45" in msg
    assert "constraint 2 (RegionFloor): rate = -0.1" in msg and "penalty = inf must be a finite number" in msg
    assert msg.startswith("3 problem(s) in rules")


def test_booleans_not_strings(tmp_path):
    msg = _problems(tmp_path, '[[constraint]]\ntype = "GraduateGuarantee"\nhard = "false"\n')
    assert "hard = 'false' must be true or false without quotes" in msg


def test_unknown_keys_and_types_are_named_with_the_accepted_ones(tmp_path):
    msg = _problems(tmp_path, '[priority]\ngraduates = 0.2\n\n[[constraint]]\ntype = "RegionFloors"\n\n'
                              '[[constraint]]\ntype = "RegionFloor"\nminimun = 3\n\n[extra]\na = 1\n')
    assert "unknown key 'graduates'; did you mean 'graduate'?" in msg
    assert "type 'RegionFloors' is not a constraint type" in msg and "did you mean 'RegionFloor'?" in msg
    assert "GraduateGuarantee" in msg
    assert "unknown parameter 'minimun'; did you mean 'minimum'?" in msg and "accepted parameters:" in msg
    assert "unknown section 'extra'" in msg


def test_counts_and_priority_weights(tmp_path):
    msg = _problems(tmp_path, '[priority]\ngraduate = "high"\n\n[[constraint]]\ntype = "RegionFloor"\nminimum = 2.5\n')
    assert "graduate = 'high' must be a finite number" in msg and "minimum = 2.5 is not a whole number" in msg


def test_single_bracket_constraint_is_explained(tmp_path):
    assert "double brackets" in _problems(tmp_path, '[constraint]\ntype = "RegionFloor"\n')


def test_valid_rules_in_gbk_load(tmp_path):
    rules = _load(tmp_path, '# 规则\n[priority]\ngraduate = 0.5\n\n[[constraint]]\ntype = "RegionFloor"\n'
                            'rate = 0.3\nhard = false\npenalty = 20\nname = "县域平衡"\n', encoding="gbk")
    assert rules.priority.graduate == 0.5 and rules.constraints[0].rate == 0.3
    assert rules.constraints[0].label == "县域平衡"


def test_errors_are_jhmatch_errors(tmp_path):
    with pytest.raises(JhmatchError, match="cannot read rules"):
        load_rules(tmp_path / "missing.toml")
    with pytest.raises(JhmatchError, match="cannot read rules: not valid TOML"):
        _load(tmp_path, "rate = [")
