"""The shipped example catalogues: valid, clearly examples, and serving every action."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessor.domain.catalogue import questionnaire_files
from assessor.domain.cluster_files import ClusterProfile, load_cluster_file
from assessor.domain.loading import load_questionnaire
from assessor.domain.offerings import ServiceCategory
from assessor.domain.planning import match_services
from tests.conftest import PROJECT_ROOT, SHIPPED

CLUSTERS = PROJECT_ROOT / "clusters"


def profiles() -> list[ClusterProfile]:
    loads = [load_cluster_file(path) for path in sorted(CLUSTERS.glob("*.yaml"))]
    assert [str(e) for load in loads for e in load.errors] == []
    return [load.cluster for load in loads if load.cluster is not None]


def test_three_example_clusters_and_a_network_catalogue() -> None:
    found = profiles()
    regional = [p for p in found if not p.is_network]
    assert len(regional) >= 3
    assert all(p.is_example and "example" in p.name.lower() for p in found)
    assert len([p for p in found if p.is_network]) == 1
    categories = {s.category for p in regional for s in p.services}
    assert categories == set(ServiceCategory)
    for profile in found:
        assert profile.logo is not None, profile.slug
        assert profile.logo_type == "image/svg+xml"
        assert b"<script" not in profile.logo.lower()


@pytest.mark.parametrize("questionnaire", ["logistics-maturity.yaml", "quick-check.yaml"])
def test_every_action_topic_is_served_by_an_example_service(questionnaire: str) -> None:
    loaded = load_questionnaire(SHIPPED / questionnaire).questionnaire
    assert loaded is not None
    offered = {topic for p in profiles() for s in p.services for topic in s.topics}
    wanted = {topic for action in loaded.actions for topic in action.topics}
    assert wanted - offered == set()
    levels = {level.id for level in loaded.levels}
    for profile in profiles():
        for service in profile.services:
            assert set(service.levels) <= levels, f"{profile.slug}/{service.id}"


@pytest.mark.parametrize("path", questionnaire_files(SHIPPED), ids=lambda path: path.name)
def test_every_action_finds_a_service_covering_its_main_topic(path: Path) -> None:
    """Under the matching rule (docs/action-plans.md, section 6) a service is shown only
    for an action whose main topic (its first) it covers: each action of every shipped
    questionnaire must find one in an example cluster or the network catalogue."""
    loaded = load_questionnaire(path).questionnaire
    assert loaded is not None
    offered: dict[str, list[str]] = {}
    for profile in profiles():
        for service in profile.services:
            for topic in service.topics:
                offered.setdefault(topic, []).append(f"{profile.slug}/{service.id}")
    lacking = [
        f"action {action.id} lacks a service for its main topic "
        f"{action.topics[0] if action.topics else '(no topics)'}"
        for action in loaded.actions
        if not action.topics or action.topics[0] not in offered
    ]
    assert lacking == []


def test_a_service_never_fits_an_action_by_a_side_topic_alone() -> None:
    """The review's mismatches are gone: an eFTI workshop is not offered for the carbon-price
    action (main topic regulation), nor a funding desk before the fleet-transition advice."""
    loaded = load_questionnaire(SHIPPED / "logistics-maturity.yaml").questionnaire
    assert loaded is not None
    by_slug = {p.slug: p for p in profiles()}
    fuel_clauses = loaded.actions_by_id["fuel-clauses"]
    baltic = match_services(fuel_clauses.topics, None, by_slug["example-baltic-freight"].services)
    assert baltic == ()  # so the network's regulatory radar is shown, not its eFTI workshop
    network = match_services(fuel_clauses.topics, None, by_slug["example-eu-network"].services)
    assert [s.id for s in network] == ["eu-regulatory-radar"]
    fleet = loaded.actions_by_id["fleet-transition"]
    iberian = match_services(fleet.topics, None, by_slug["example-iberian-green"].services)
    assert iberian[0].id == "fleet-transition-tco"
    assert "green-digital-funding-desk" not in [s.id for s in iberian]


def test_every_service_speaks_english_and_its_clusters_language() -> None:
    for profile in profiles():
        for service in profile.services:
            for text in (service.title, service.description):
                assert "en" in text.texts, f"{profile.slug}/{service.id}"
                assert profile.default_language in text.texts, f"{profile.slug}/{service.id}"


def test_import_then_export_gives_the_same_catalogue(shipped_app, tmp_path: Path) -> None:
    runner = shipped_app.test_cli_runner()
    files = [str(p) for p in sorted(CLUSTERS.glob("*.yaml"))]
    imported = runner.invoke(args=["clusters", "import", *files])
    assert imported.exit_code == 0, imported.output
    exported = runner.invoke(args=["clusters", "export", "--output", str(tmp_path)])
    assert exported.exit_code == 0, exported.output
    for original in profiles():
        again = load_cluster_file(tmp_path / f"{original.slug}.yaml")
        assert again.errors == ()
        assert again.cluster == original
