"""The action plan: order, horizon groups, service matching and its fallbacks."""

from __future__ import annotations

from dataclasses import replace

from assessor.domain.model import Horizon, Questionnaire
from assessor.domain.offerings import LocalisedText, Service, ServiceCategory
from assessor.domain.planning import ServiceSource, build_plan, match_score, match_services
from assessor.domain.scoring import score_answers


def service(
    sid: str, topics: tuple[str, ...], levels: tuple[str, ...] = (), provider: str = "C"
) -> Service:
    text = LocalisedText({"en": sid})
    return Service(sid, ServiceCategory.TRAINING, text, text, topics, levels, provider=provider)


WAREHOUSE_ZERO = {
    "activities": ["warehouse"],
    "fuel": "no",
    "tools": ["nothing"],
    "budget": ["none"],
}


def test_actions_keep_priority_order_and_group_by_horizon(every_type: Questionnaire) -> None:
    result = score_answers(every_type, WAREHOUSE_ZERO)
    plan = build_plan(result)
    assert [a.action_id for a in plan.actions] == ["measure-fuel", "go-digital"]
    assert [a.action_id for a in plan.next_steps] == ["measure-fuel"]  # horizon medium
    assert [a.action_id for a in plan.quick_wins] == ["go-digital"]  # horizon short
    assert plan.strategic_moves == ()
    assert plan.by_horizon(Horizon.SHORT) == plan.quick_wins


def test_cluster_services_first_then_network_then_ask_the_cluster(
    every_type: Questionnaire,
) -> None:
    result = score_answers(every_type, WAREHOUSE_ZERO)
    cluster = [service("kpi-clinic", ("process-kpi",)), service("data-clinic", ("energy-data",))]
    network = [
        service("edih", ("digital-strategy",), provider="Network"),
        service("other", ("energy-data",)),
    ]
    plan = build_plan(result, cluster, network)
    by_id = {a.action_id: a for a in plan.actions}
    assert by_id["measure-fuel"].source is ServiceSource.CLUSTER
    assert [s.id for s in by_id["measure-fuel"].services] == [
        "data-clinic"
    ]  # the cluster's, not the network's
    assert by_id["go-digital"].source is ServiceSource.NETWORK
    assert [s.id for s in by_id["go-digital"].services] == ["edih"]
    plan = build_plan(result, cluster, [])
    assert plan.actions[1].source is ServiceSource.NONE
    assert plan.actions[1].services == ()


def test_services_must_suit_the_level_of_the_theme(every_type: Questionnaire) -> None:
    result = score_answers(every_type, WAREHOUSE_ZERO)  # data theme: 0, level beginner
    advanced_only = [service("advanced-data", ("energy-data",), levels=("advanced",))]
    beginners = [service("beginner-data", ("energy-data",), levels=("beginner", "developing"))]
    plan = build_plan(result, advanced_only, beginners)
    fuel = plan.actions[0]
    assert fuel.level.id == "beginner"
    assert [s.id for s in fuel.services] == ["beginner-data"]
    assert fuel.source is ServiceSource.NETWORK


def test_only_services_covering_the_main_topic_higher_score_first() -> None:
    """The main topic is the action's first; a match scores 2 for it plus 1 per other
    shared topic (docs/action-plans.md, section 6)."""
    services = [
        service("main", ("x",)),  # 2
        service("main-and-side", ("x", "y")),  # 3
        service("side-only", ("y", "z")),  # never: no main topic
        service("main-and-two", ("z", "y", "x")),  # 4
        service("unrelated", ("w",)),
        service("main-again", ("x", "w")),  # 2: after "main" in catalogue order
    ]
    assert [match_score(("x", "y", "z"), s) for s in services] == [2, 3, 0, 4, 0, 2]
    assert [s.id for s in match_services(("x", "y", "z"), None, services)] == [
        "main-and-two",
        "main-and-side",
        "main",
        "main-again",
    ]
    assert match_services((), None, services) == ()  # no topics, no services


def test_a_service_sharing_only_a_side_topic_falls_back_to_the_network(
    every_type: Questionnaire,
) -> None:
    """The review's case: a carbon-price action must not get an eFTI workshop because both
    name a regulation topic; the network's fitting service is shown instead, and with none
    there, the cluster's contact."""
    questionnaire = replace(
        every_type,
        actions=tuple(
            replace(a, topics=("fuel-costs", "regulation")) if a.id == "measure-fuel" else a
            for a in every_type.actions
        ),
    )
    result = score_answers(questionnaire, WAREHOUSE_ZERO)
    efti_workshop = service("efti-workshop", ("efti", "regulation"))
    fuel_clauses = service("fuel-clauses", ("fuel-costs",), provider="Network")
    plan = build_plan(result, [efti_workshop], [fuel_clauses])
    fuel = next(a for a in plan.actions if a.action_id == "measure-fuel")
    assert (fuel.source, [s.id for s in fuel.services]) == (
        ServiceSource.NETWORK,
        ["fuel-clauses"],
    )
    fuel = next(
        a for a in build_plan(result, [efti_workshop]).actions if a.action_id == "measure-fuel"
    )
    assert (fuel.source, fuel.services) == (ServiceSource.NONE, ())


def test_at_most_three_services_per_action(every_type: Questionnaire) -> None:
    result = score_answers(every_type, WAREHOUSE_ZERO)
    many = [service(f"s{i}", ("energy-data",)) for i in range(6)]
    assert len(build_plan(result, many).actions[0].services) == 3


def test_localised_text_falls_back_to_english_then_the_default_language() -> None:
    text = LocalisedText({"nl": "Klimaatcheck", "en": "Climate check"}, default_language="nl")
    assert text.get("nl") == "Klimaatcheck"
    # A Finnish reader more likely reads English than the cluster's Dutch (issue 15, item 5).
    assert text.get("fi") == "Climate check"
    assert text.get("nl-BE") == "Klimaatcheck"
    assert LocalisedText({"nl": "Klimaatcheck"}, default_language="nl").get("fi") == "Klimaatcheck"
    english_only = LocalisedText({"en": "Climate check", "de": "Klimacheck"}, default_language="nl")
    assert english_only.get("fr") == "Climate check"
    assert english_only.get("de") == "Klimacheck"
