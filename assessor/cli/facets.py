"""``flask --app assessor facets refresh``: compute the derived figures of every submitted
assessment again (docs/deployment.md, upgrade notes)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from assessor.services.assessments import FacetsRefreshed, refresh_facets

facets_cli = AppGroup(
    "facets",
    help="The figures derived from submitted assessments (peers, workshops, insights).",
)


@facets_cli.command("refresh")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1, max=10000),
    default=500,
    show_default=True,
    help="Assessments per transaction.",
)
def refresh(batch_size: int) -> None:
    """Compute the facets of every submitted assessment again from its answers: after an
    upgrade that adds a kind of facet, so that assessments submitted before count in every
    figure. Safe to run again, and while the app serves."""
    progress = FacetsRefreshed(0, 0, 0)
    for progress in refresh_facets(batch_size):
        click.echo(f"{progress.refreshed} of {progress.total} assessments refreshed", err=True)
    click.echo(f"refreshed the facets of {progress.refreshed} submitted assessments")
    if progress.skipped:
        click.echo(
            f"skipped {progress.skipped} assessments: the questionnaire content they were "
            "answered on is not stored (their facets are kept as they were)"
        )
