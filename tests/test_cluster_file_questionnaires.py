"""A cluster file says which platform questionnaires the cluster offers and which one its
start form selects: checked against the questionnaires, imported, exported back."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from assessor.domain.catalogue import load_catalogue
from assessor.domain.cluster_files import COMPANY_CHOOSES, Vocabulary, load_cluster_file
from assessor.services.clusters import cluster_by_slug
from assessor.services.questionnaires.publishing import check_text, publish
from assessor.storage.db import db
from tests.conftest import SHIPPED

MINIMAL = """slug: example-baltic-freight
name: Baltic Freight Cluster (example)
country: FI
languages: [fi, en]
"""


def cluster_file(tmp_path: Path, keys: str) -> Path:
    path = tmp_path / "cluster.yaml"
    path.write_text(MINIMAL + keys, encoding="utf-8")
    return path


def messages(tmp_path: Path, keys: str, vocabulary: Vocabulary | None = None) -> list[str]:
    load = load_cluster_file(cluster_file(tmp_path, keys), "cluster.yaml", vocabulary)
    return [str(error) for error in load.errors]


def test_the_keys_are_read_and_checked_against_the_questionnaires(tmp_path: Path) -> None:
    vocabulary = Vocabulary.of(load_catalogue(SHIPPED))
    keys = "questionnaires: [quick-check]\ndefault_questionnaire: quick-check\n"
    load = load_cluster_file(cluster_file(tmp_path, keys), "cluster.yaml", vocabulary)
    assert load.errors == ()
    assert load.cluster.questionnaires == ("quick-check",)
    assert load.cluster.default_questionnaire == "quick-check"
    none = load_cluster_file(cluster_file(tmp_path, "default_questionnaire: none\n"))
    assert none.cluster.default_questionnaire == COMPANY_CHOOSES
    assert none.cluster.questionnaires is None  # every one, new ones too
    absent = load_cluster_file(cluster_file(tmp_path, ""))
    assert absent.cluster.default_questionnaire is None

    assert messages(tmp_path, "questionnaires: [quik-check]\n", vocabulary) == [
        "cluster.yaml:5: cluster: 'quik-check' is not a platform questionnaire; "
        "did you mean 'quick-check'?"
    ]
    assert messages(
        tmp_path,
        "questionnaires: [quick-check]\ndefault_questionnaire: logistics-maturity\n",
        vocabulary,
    ) == [
        "cluster.yaml:6: cluster: default_questionnaire 'logistics-maturity' is not offered; "
        "add it to 'questionnaires'"
    ]
    assert messages(tmp_path, "questionnaires:\n  - quick-check\n  - quick-check\n") == [
        "cluster.yaml:7: cluster: questionnaire 'quick-check' is listed twice (line 6)"
    ]
    assert messages(tmp_path, "default_questionnaire: 3\n") == [
        "cluster.yaml:5: cluster: 'default_questionnaire' must be a questionnaire id, or none "
        "(the company chooses), found 3"
    ]
    # Without a database its own questionnaires are not known: not refused by validate.
    assert messages(tmp_path, "default_questionnaire: cold-chain-check\n", vocabulary) == []


def test_import_sets_the_offer_and_export_writes_it_back(
    shipped_app: Flask, tmp_path: Path
) -> None:
    with shipped_app.app_context():
        cluster = cluster_by_slug("example-baltic-freight")
        text = (SHIPPED / "quick-check.yaml").read_text(encoding="utf-8")
        own = text.replace("id: quick-check", "id: cold-chain-check", 1)
        publish(check_text(own, cluster), cluster, None)
    runner = shipped_app.test_cli_runner()
    path = cluster_file(
        tmp_path, "questionnaires: [logistics-maturity]\ndefault_questionnaire: cold-chain-check\n"
    )
    imported = runner.invoke(args=["clusters", "import", str(path)])
    assert imported.exit_code == 0, imported.output
    with shipped_app.app_context():
        cluster = cluster_by_slug("example-baltic-freight")
        assert cluster.offered_questionnaires == ["logistics-maturity"]
        assert cluster.default_questionnaire == "cold-chain-check"
        version = cluster.catalogue_version
        db.session.rollback()
    page = shipped_app.test_client().get("/c/example-baltic-freight").get_data(as_text=True)
    assert 'value="quick-check"' not in page
    assert 'value="cold-chain-check"\n             checked' in page

    exported = runner.invoke(
        args=["clusters", "export", "example-baltic-freight", "--output", str(tmp_path / "out")]
    )
    assert exported.exit_code == 0, exported.output
    written = (tmp_path / "out" / "example-baltic-freight.yaml").read_text(encoding="utf-8")
    assert "questionnaires:\n- logistics-maturity\n" in written
    assert "default_questionnaire: cold-chain-check" in written

    # Another cluster's own questionnaire, or none offered at all: refused, nothing changes.
    other = tmp_path / "other.yaml"
    other.write_text(
        MINIMAL.replace("example-baltic-freight", "example-iberian-green")
        + "questionnaires: []\ndefault_questionnaire: cold-chain-check\n",
        encoding="utf-8",
    )
    refused = runner.invoke(args=["clusters", "import", str(other)])
    assert refused.exit_code == 1
    assert "it would offer no questionnaire" in refused.output
    assert (
        "'cold-chain-check' is neither a platform questionnaire nor one of the cluster's own"
        in (refused.output)
    )
    with shipped_app.app_context():
        assert cluster_by_slug("example-iberian-green").offered_questionnaires is None
    # What a cluster offers is not in its plans: changing it keeps the catalogue version.
    path.write_text(MINIMAL + "default_questionnaire: none\n", encoding="utf-8")
    assert runner.invoke(args=["clusters", "import", str(path)]).exit_code == 0
    with shipped_app.app_context():
        cluster = cluster_by_slug("example-baltic-freight")
        assert (cluster.offered_questionnaires, cluster.default_questionnaire) == (None, "")
        assert cluster.catalogue_version == version
