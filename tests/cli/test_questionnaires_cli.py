"""``flask --app assessor questionnaires …`` through the app's CLI runner."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from assessor.cli import questionnaires as questionnaires_cli
from tests.conftest import DATA, SHIPPED
from tests.domain.test_loader import BASE


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    """The day references' checked months are measured against: fixed, so that no run
    depends on the clock."""
    day = date(2026, 12, 6)
    monkeypatch.setattr(questionnaires_cli, "today", lambda: day)
    return day


def test_validate_every_shipped_questionnaire(runner) -> None:
    result = runner.invoke(args=["questionnaires", "validate"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    shipped = sorted(p.name for p in SHIPPED.glob("*.yaml"))
    assert len(shipped) >= 2
    assert [line.rsplit("/", 1)[-1] for line in lines] == [f"{name}: ok" for name in shipped]


def test_validate_reports_errors_of_several_files(runner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nid: x\nversion: 1\n", encoding="utf-8")
    good = tmp_path / "good.yaml"
    shutil.copy(DATA / "every-type.yaml", good)
    result = runner.invoke(args=["questionnaires", "validate", str(bad), str(good)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{bad}:1: questionnaire: missing required key 'language'",
        f"{bad}:1: questionnaire: missing required key 'title'",
        f"{bad}:1: questionnaire: missing required key 'levels'",
        f"{bad}:1: questionnaire: missing required key 'dimensions'",
        f"{bad}:1: questionnaire: missing required key 'sections'",
        f"{good}: ok",
    ]


REFERENCES = """\
references:
  - id: fresh
    title: T
    text: X
    source: EUR-Lex
    checked: 2025-12
  - id: stale
    title: T
    text: X
    source: EUR-Lex
    checked: "2025-10"
  - id: bare
    title: T
    text: X
"""


def test_validate_warns_about_references_to_check_again(runner, tmp_path: Path) -> None:
    path = tmp_path / "refs.yaml"
    path.write_text(BASE + REFERENCES, encoding="utf-8")
    result = runner.invoke(args=["questionnaires", "validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{path}:31: warning: reference 'stale' was last checked in 2025-10, more than 12 months ago",
        f"{path}:36: warning: reference 'bare' has no 'source': name what its facts were checked "
        "against",
        f"{path}:36: warning: reference 'bare' has no 'checked' month: say when its facts were "
        "last checked (YYYY-MM)",
        f"{path}: ok",
    ]


def test_validate_measures_against_today(runner, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "refs.yaml"
    path.write_text(BASE + REFERENCES.replace("2025-12", "2027-01"), encoding="utf-8")
    result = runner.invoke(args=["questionnaires", "validate", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:30: reference fresh: 'checked' 2027-01 is in the future (today is 2026-12-06)"
    ]
    monkeypatch.setattr(questionnaires_cli, "today", lambda: date(2028, 2, 1))
    result = runner.invoke(args=["questionnaires", "validate", str(path)])
    assert result.exit_code == 0, result.output
    assert [line.split(": warning: ")[-1] for line in result.output.splitlines()] == [
        "reference 'fresh' was last checked in 2027-01, more than 12 months ago",
        "reference 'stale' was last checked in 2025-10, more than 12 months ago",
        "reference 'bare' has no 'source': name what its facts were checked against",
        "reference 'bare' has no 'checked' month: say when its facts were last checked (YYYY-MM)",
        f"{path}: ok",
    ]


def test_validate_a_folder_and_duplicate_ids(runner, tmp_path: Path) -> None:
    shutil.copy(DATA / "every-type.yaml", tmp_path / "a.yaml")
    shutil.copy(DATA / "every-type.yaml", tmp_path / "b.yaml")
    result = runner.invoke(args=["questionnaires", "validate", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{tmp_path / 'a.yaml'}: ok",
        f"{tmp_path / 'b.yaml'}:1: questionnaire id 'every-type' is already used by "
        f"{tmp_path / 'a.yaml'}",
    ]


def test_score_prints_the_contract_json(runner, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(
        json.dumps({"activities": ["warehouse"], "fuel": "no", "tools": ["tms"], "budget": ["a"]}),
        encoding="utf-8",
    )
    result = runner.invoke(
        args=["questionnaires", "score", str(DATA / "every-type.yaml"), "--answers", str(answers)]
    )
    assert result.exit_code == 0, result.output
    output = json.loads(result.output)
    # green = 0 (fuel no); digital = (tms 1 of 3 = 33.3 + budget 70) / 2 = 51.7
    assert output["overall"] == {"score": 17.2, "level": "beginner"}  # (0 * 2 + 51.7) / 3
    assert output["dimensions"][1]["score"] == 51.7
    assert output["actions"] == ["measure-fuel"]
    # The plan as it opens: one action, so it is the focus; no services on the command line.
    assert output["plan"] == {"focus": [{"id": "measure-fuel", "horizon": "medium"}], "more": []}
    assert "missing" not in output


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            '{"fuel": "maybe", "eco": 9}',
            [
                "question fuel: 'maybe' is not an option (expected one of: no, yes, dk)",
                "question eco: 9 is outside the scale 1 to 5",
            ],
        ),
        ('{"fuel": ', ["1: invalid JSON: Expecting value"]),
        ("[1, 2]", ["1: the answers must be a JSON object {question_id: value}"]),
        ('{"euro6": NaN}', ["1: NaN is not a number"]),
    ],
    ids=["bad-values", "not-json", "not-an-object", "nan"],
)
def test_score_rejects_bad_answers_with_status_2(
    runner, tmp_path: Path, content: str, expected: list[str]
) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(content, encoding="utf-8")
    result = runner.invoke(
        args=["questionnaires", "score", str(DATA / "every-type.yaml"), "--answers", str(answers)]
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    separator = ": " if not expected[0][0].isdigit() else ":"
    assert result.stderr.splitlines() == [f"{answers}{separator}{line}" for line in expected]


def test_score_with_an_invalid_questionnaire_exits_1(runner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- a list\n", encoding="utf-8")
    answers = tmp_path / "a.json"
    answers.write_text("{}", encoding="utf-8")
    result = runner.invoke(args=["questionnaires", "score", str(bad), "--answers", str(answers)])
    assert result.exit_code == 1
    assert result.stderr == f"{bad}:1: expected a questionnaire (a YAML mapping), found a list\n"


def test_describe_gives_the_size(runner) -> None:
    result = runner.invoke(args=["questionnaires", "describe", str(DATA / "every-type.yaml")])
    assert result.exit_code == 0
    assert "every-type v2" in result.output
    assert "10 questions in 3 sections; 7 scored (green 4, digital 3)" in result.output
    assert "2 profile questions; 3 conditional questions" in result.output
    assert "5 actions" in result.output


def test_score_ranks_and_reports_an_applying_deadline(runner, tmp_path: Path) -> None:
    """A deadline already in force adds the largest bonus (100) whatever today is, so the
    order is the same on any day: the faxing action, urgency 0 without it, moves up."""
    answers = tmp_path / "answers.json"
    answers.write_text(
        json.dumps({"activities": ["warehouse"], "fuel": "no", "tools": ["fax"], "budget": ["a"]}),
        encoding="utf-8",
    )
    with_deadline = tmp_path / "every-type.yaml"
    with_deadline.write_text(
        (DATA / "every-type.yaml")
        .read_text(encoding="utf-8")
        .replace("  - id: ask-fax\n", '  - id: ask-fax\n    deadline: {month: "2020-01"}\n'),
        encoding="utf-8",
    )
    outputs = []
    for path in (DATA / "every-type.yaml", with_deadline):
        result = runner.invoke(
            args=["questionnaires", "score", str(path), "--answers", str(answers)]
        )
        assert result.exit_code == 0, result.output
        outputs.append(json.loads(result.output))
    before, after = outputs
    # measure-fuel: (50 − 0) × 1 × 2 = 100; go-digital: 50 − 35 = 15; ask-fax: 0, then
    # 100, level with measure-fuel and first as a quick win (short before medium)
    assert before["actions"] == ["measure-fuel", "go-digital", "ask-fax"]
    assert after["actions"] == ["ask-fax", "measure-fuel", "go-digital"]
    focus = {item["id"]: item for item in after["plan"]["focus"]}
    assert focus["ask-fax"] == {"id": "ask-fax", "horizon": "short", "deadline": "2020-01"}
    assert all("deadline" not in item for item in before["plan"]["focus"])


OPTIONS = DATA / "options" / "options.yaml"


def _score(runner, tmp_path: Path, answers: dict[str, object]):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    return path, runner.invoke(
        args=["questionnaires", "score", str(OPTIONS), "--answers", str(path)]
    )


def test_score_refuses_an_option_hidden_for_these_answers(runner, tmp_path: Path) -> None:
    path, result = _score(
        runner, tmp_path, {"vehicle-types": ["vans"], "measures": ["aero", "tyres"]}
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}: question measures: option 'aero' does not apply to these answers"
    ]


def test_score_counts_only_the_options_offered_and_plans_what_is_open(
    runner, tmp_path: Path
) -> None:
    _, result = _score(
        runner,
        tmp_path,
        {
            "vehicle-types": ["vans"],
            "measures": ["tyres", "telematics"],  # all a van fleet is offered: 100
            "ev-plan": "trial",  # the best a van fleet is offered
            "cyber": ["mfa", "backup"],
            "strategy": "yes",
            "data-owner": 5,
        },
    )
    assert result.exit_code == 0, result.output
    output = json.loads(result.output)
    assert output["dimensions"][0]["themes"][0] == {
        "id": "fleet-energy",
        "score": 75.0,
        "level": "advanced",
    }
    # Aero kits are not offered to vans and the fleet is at the top of what it is offered;
    # of the cyber measures, updates is not ticked.
    assert output["actions"] == ["cyber-basics"]


def test_score_ignores_a_hidden_question_whatever_options_it_names(runner, tmp_path: Path) -> None:
    # Contract: answers to hidden questions are checked, then ignored, not rejected.
    _, result = _score(runner, tmp_path, {"vehicle-types": ["no-vehicles"], "measures": ["aero"]})
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["dimensions"][0]["score"] is None


def test_describe_counts_the_questions_of_each_dma_dimension(runner) -> None:
    result = runner.invoke(
        args=["questionnaires", "describe", str(OPTIONS), str(DATA / "every-type.yaml")]
    )
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("option-visibility v1 (")
    assert lines[1] == (
        "  EU Digital Maturity Assessment correspondence, not a DMA score (questions per DMA"
        " dimension): digital-business-strategy 1, digital-readiness 1,"
        " human-centric-digitalisation 0, data-management 1, automation-ai 0,"
        " green-digitalisation 0"
    )
    # A file without dma keys is described as before: one line.
    assert lines[2].startswith("every-type v2 (")
    assert len(lines) == 3


def test_validate_warns_about_a_version_already_published_with_other_content(
    runner, tmp_path: Path
) -> None:
    """A file that validates must not surprise at deployment: a changed content under a
    version the app already published is named, with the fix (the app would keep serving
    the published content). A comment alone is not a change."""
    original = (SHIPPED / "quick-check.yaml").read_text(encoding="utf-8")
    changed = tmp_path / "quick-check.yaml"
    changed.write_text(original.replace("title: ", "title: Our ", 1), encoding="utf-8")
    commented = tmp_path / "commented.yaml"
    commented.write_text("# Checked again in December.\n" + original, encoding="utf-8")
    result = runner.invoke(args=["questionnaires", "validate", str(changed)])
    assert result.exit_code == 0, result.output
    line = original.splitlines().index("version: 3") + 1
    assert result.output.splitlines() == [
        f"{changed}:{line}: warning: version 3 of 'quick-check' was already published with "
        "other content; set `version` to 4 (assessments keep the version they were answered "
        "on, so a changed text, score or condition needs a new number; comments and layout do "
        "not). The app goes on serving the published content",
        f"{changed}: ok",
    ]
    result = runner.invoke(args=["questionnaires", "validate", str(commented)])
    assert result.output.splitlines() == [f"{commented}: ok"]
