"""Which services each action would get, for a cluster: ``questionnaires services``,
``validate --cluster`` and the table partial, against the example clusters."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, render_template

from assessor.domain.answers import check_answers
from assessor.domain.loading import load_questionnaire
from assessor.domain.model import Questionnaire, QuestionType
from assessor.domain.planning import build_plan
from assessor.domain.scoring import evaluate
from assessor.services.action_services import action_services
from assessor.services.clusters import cluster_by_slug, network_services, services_of
from tests.conftest import SHIPPED

QUICK_CHECK = SHIPPED / "quick-check.yaml"
RHINE = "example-rhine-scheldt"


def quick_check() -> Questionnaire:
    result = load_questionnaire(QUICK_CHECK)
    assert result.questionnaire is not None
    return result.questionnaire


def test_validate_with_a_cluster_warns_about_topics_no_service_uses(
    shipped_app: Flask, tmp_path: Path
) -> None:
    lines = QUICK_CHECK.read_text(encoding="utf-8").split("\n")
    at = lines.index("    topics: [energy-data, emissions-accounting]")  # measure-energy's
    lines[at] = "    topics: [energy-dta, emissions-accounting]"
    # A changed content needs a new version number (or validate says so too).
    lines = [
        line.replace("version: 3", "version: 4") if line == "version: 3" else line for line in lines
    ]
    path = tmp_path / "quick-check.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    runner = shipped_app.test_cli_runner()

    plain = runner.invoke(args=["questionnaires", "validate", str(path)])
    assert (plain.exit_code, plain.output) == (0, f"{path}: ok\n")

    checked = runner.invoke(args=["questionnaires", "validate", str(path), "--cluster", RHINE])
    assert checked.exit_code == 0, checked.output  # warnings do not fail the file
    assert checked.output.splitlines() == [
        f"{path}:{at + 1}: warning: action measure-energy: no service of Rhine–Scheldt Logistics "
        "Cluster (example) or European Logistics Cluster Network (example) has the topic "
        "'energy-dta': it is the action's main topic (the first), so the action gets no "
        "service; did you mean 'energy-data'?",
        f"{path}: ok",
    ]


def test_validate_with_an_unknown_cluster_checks_nothing(shipped_app: Flask) -> None:
    result = shipped_app.test_cli_runner().invoke(
        args=["questionnaires", "validate", str(QUICK_CHECK), "--cluster", "nowhere"]
    )
    assert result.exit_code == 2
    assert "Invalid value for --cluster: no cluster 'nowhere' (known: example-baltic-freight," in (
        result.output
    )
    assert ": ok" not in result.output


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_services_command_lists_the_services_of_every_action(make_app: Any, database: str) -> None:
    app = make_app(database=database, questionnaires=SHIPPED)
    runner = app.test_cli_runner()
    args = ["questionnaires", "services", str(QUICK_CHECK), "--cluster", RHINE, "--language", "en"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "quick-check v3 in Rhine–Scheldt Logistics Cluster (example) (example-rhine-scheldt), "
        "any level, texts in en:"
    )
    assert len([line for line in lines if not line.startswith(" ")]) == 1 + len(
        quick_check().actions
    )
    start = lines.index("measure-energy: Measure the fuel and electricity you use")
    assert lines[start : start + 4] == [
        "measure-energy: Measure the fuel and electricity you use",
        "  topics: energy-data (main), emissions-accounting",
        "  services of the network catalogue (the cluster has none for it):",
        "    - Energy starter sessions: from bills to a reduction plan (European Logistics "
        "Cluster Network (example))",
    ]
    start = lines.index("first-footprint: Calculate your first carbon footprint")
    assert lines[start + 2 : start + 4] == [
        "  services of the cluster:",
        "    - CO2 reporting to shippers and sustainability label preparation (Rhine–Scheldt "
        "Logistics Cluster (example))",
    ]

    advanced = runner.invoke(args=[*args, "--level", "advanced"])
    assert advanced.exit_code == 0, advanced.output
    lines = advanced.output.splitlines()
    start = lines.index("measure-energy: Measure the fuel and electricity you use")
    assert lines[start + 2] == "  no service: the plan asks the company to contact the cluster"

    dutch = runner.invoke(args=args[:-2])  # the cluster's default language
    assert "measure-energy: Meet uw brandstof- en elektriciteitsverbruik" in dutch.output
    assert "texts in nl:" in dutch.output

    wrong = runner.invoke(args=[*args, "--level", "expert"])
    assert wrong.exit_code == 2
    assert "quick-check has no level 'expert' (its levels: beginner, developing," in wrong.output


def answers_low_on_everything(questionnaire: Questionnaire) -> dict[str, Any]:
    """The first option of each question (the lowest in these files), every activity."""
    answers: dict[str, Any] = {}
    for section in questionnaire.sections:
        for question in section.questions:
            options = [o.id for o in question.options if not o.exclusive]
            if question.type is QuestionType.CHOICE:
                answers[question.id] = question.options[0].id
            elif question.type is QuestionType.MULTI:
                answers[question.id] = options if question.profile else options[:1]
            elif question.type in (QuestionType.SCALE, QuestionType.NUMBER):
                answers[question.id] = int(question.min or 0)
    return answers


def test_the_services_shown_are_those_a_plan_lists(shipped_app: Flask) -> None:
    questionnaire = quick_check()
    answers, problems = check_answers(questionnaire, answers_low_on_everything(questionnaire))
    assert problems == []
    result = evaluate(questionnaire, answers)
    with shipped_app.app_context():
        cluster = cluster_by_slug(RHINE)
        assert cluster is not None
        plan = build_plan(result, services_of(cluster), network_services(), as_of=date(2026, 12, 6))
        assert len(plan.actions) >= 10
        sources = set()
        for planned in plan.actions:
            level = planned.level.id if planned.level else None
            view = action_services(questionnaire, cluster, level, "en")
            row = next(a for a in view.actions if a.action_id == planned.action_id)
            assert [s.id for s in row.services] == [s.id for s in planned.services]
            assert row.source == planned.source.value
            sources.add(row.source)
        assert sources >= {"cluster", "network"}  # both catalogues' branches are compared


def test_the_partial_shows_the_table(shipped_app: Flask) -> None:
    with shipped_app.test_request_context():
        cluster = cluster_by_slug(RHINE)
        assert cluster is not None
        view = action_services(quick_check(), cluster, "established", "en")
        html = render_template("advisers/_action_services.html", action_services=view)
    assert "for companies at the level Established" in html
    assert {a.source for a in view.actions} == {"cluster", "network", "none"}
    assert html.count('<tr class="action-services-') == len(view.actions)
    assert (
        '<th scope="row">Measure the fuel and electricity you use<br><code>measure-energy</code></th>'
        in html
    )
    assert "<strong>No service</strong>: the plan asks the company to contact the cluster." in html
    assert "Measure the fuel" in next(a.title for a in view.actions if a.source == "none")
    network = next(a for a in view.actions if a.source == "network")
    assert network.services[0].title in html
    assert "From the network catalogue: the cluster has no service for this action." in html
