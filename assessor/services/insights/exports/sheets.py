"""An insights report laid out as tables, one per view: what the workbook's sheets and the
CSV files hold. Every table has the codes of its columns and their names in the reader's
language; every label column has its code column beside it; the last column, ``hidden``,
names the figures of the row that are hidden (left empty, never 0)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime

from flask_babel import format_datetime, pgettext
from flask_babel import gettext as _

from assessor.domain.rounding import rounded
from assessor.services.insights.exports.labels import (
    DMA_DIMENSIONS,
    FILTER_NAMES,
    READINESS_STATES,
    SERVICE_SOURCES,
    Labels,
    dma_disclaimer,
    hidden_note,
    suppression_text,
)
from assessor.services.insights.figures import (
    ActionCount,
    ClusterRow,
    InsightsReport,
    ReadinessState,
)
from assessor.services.insights.filters import InsightFilters

Cell = str | float | int | None


class _Hidden:
    """A figure the report hides: an empty cell, named in the row's ``hidden`` column."""

    def __repr__(self) -> str:
        return "HIDDEN"


HIDDEN = _Hidden()
Value = Cell | _Hidden

HIDDEN_COLUMN = "hidden"


@dataclass(frozen=True)
class Sheet:
    """One view as a table: ``codes`` and ``labels`` of the columns, then the rows."""

    view: str  # its code: the CSV's ``view`` and the file's name
    title: str  # in the reader's language
    codes: list[str]
    labels: list[str]
    rows: list[list[Cell]]

    @property
    def share_columns(self) -> list[int]:
        """Columns holding a share from 0 to 1 (shown as a percentage in the workbook)."""
        return [i for i, code in enumerate(self.codes) if code.endswith("share")]


@dataclass(frozen=True)
class Context:
    """What a report is about, beyond its figures: who, when, and in which words."""

    cluster_code: str  # the cluster's slug; "platform" for every cluster
    cluster_name: str
    generated_at: datetime
    labels: Labels


def _figure(value: float | int | None, decimals: int | None = None) -> Value:
    if value is None:
        return HIDDEN
    if decimals is not None and isinstance(value, float):
        return rounded(value, decimals)
    return value


def _share(count: int | None, share: float | None) -> Value:
    """A share of a hidden count is hidden too; a share without a base is only empty."""
    if count is None:
        return HIDDEN
    return rounded(share, 4) if share is not None else ""


class _Table:
    """Columns declared with their codes and names, rows given as {code: value}."""

    def __init__(self, view: str, title: str, minimum: int) -> None:
        self.view, self.title, self.minimum = view, title, minimum
        self.columns: list[tuple[str, str]] = []
        self.rows: list[dict[str, Value]] = []

    def column(self, code: str, label: str) -> None:
        self.columns.append((code, label))

    def labelled(self, code: str, label: str) -> None:
        """A code column and its label column beside it (``<code>:label``)."""
        self.columns.append((code, _("%(name)s (code)", name=label)))
        self.columns.append((f"{code}:label", label))

    def sheet(self) -> Sheet:
        codes = [code for code, _label in self.columns] + [HIDDEN_COLUMN]
        labels = [label for _code, label in self.columns] + [
            _(
                "Hidden (fewer than %(minimum)s companies, or giving such a figure away)",
                minimum=self.minimum,
            )
        ]
        rows: list[list[Cell]] = []
        for values in self.rows:
            row: list[Cell] = []
            hidden: list[str] = []
            for code, _label in self.columns:
                value = values.get(code, "")
                if isinstance(value, _Hidden):
                    hidden.append(code)
                    row.append("")
                else:
                    row.append(value)
            row.append(";".join(hidden))
            rows.append(row)
        return Sheet(self.view, self.title, codes, labels, rows)


def _companies_label() -> str:
    return str(_("Companies"))


def _share_label() -> str:
    return str(_("Share"))


# The views in the order of the insights page; ``about`` comes first in the workbook.
VIEWS = (
    "about",
    "companies",
    "levels",
    "gaps",
    "actions",
    "services",
    "unserved",
    "readiness",
    "progress",
    "dma",
)
PLATFORM_VIEWS = (*VIEWS, "clusters")


def report_sheets(
    report: InsightsReport,
    context: Context,
    clusters: Sequence[ClusterRow] | None = None,
) -> list[Sheet]:
    """Every view of ``report``, ``about`` first; with ``clusters`` (the platform
    administrator's), a last sheet with a row per cluster."""
    sheets = [
        about_sheet(report, context),
        _companies(report, context.labels),
        _levels(report, context.labels),
        _gaps(report, context.labels),
        _actions(report, context.labels),
        _services(report, context.labels),
        _unserved(report, context.labels),
        _readiness(report, context.labels),
        _progress(report, context.labels),
        dma_sheet(report, context.labels),
    ]
    if clusters is not None:
        sheets.append(_clusters(report, clusters, context.labels))
    return sheets


def view_sheet(
    view: str,
    report: InsightsReport,
    context: Context,
    clusters: Sequence[ClusterRow] | None = None,
) -> Sheet | None:
    """One view (None: no such view)."""
    allowed = PLATFORM_VIEWS if clusters is not None else VIEWS
    if view not in allowed:
        return None
    for sheet in report_sheets(report, context, clusters):
        if sheet.view == view:
            return sheet
    return None  # pragma: no cover - every allowed view has its sheet


def about_sheet(report: InsightsReport, context: Context) -> Sheet:
    labels = context.labels
    table = _Table(
        "about", pgettext("the first sheet of a workbook: what it holds", "About"), report.minimum
    )
    table.labelled("item", _("Item"))
    table.labelled("value", _("Value"))

    def item(code: str, name: str, value: Value, value_label: Value = "") -> None:
        table.rows.append(
            {"item": code, "item:label": name, "value": value, "value:label": value_label}
        )

    item("title", _("Title"), "", _("Cluster insights"))
    item("cluster", _("Cluster"), context.cluster_code, context.cluster_name)
    item("questionnaire", _("Questionnaire"), report.questionnaire_id or "", labels.title)
    item(
        "versions",
        _("Questionnaire versions"),
        ";".join(str(v) for v in report.versions),
        ", ".join(str(v) for v in report.versions),
    )
    for f in fields(InsightFilters):
        if f.name == "questionnaire_id":
            continue
        value = getattr(report.filters, f.name)
        code = value.isoformat() if hasattr(value, "isoformat") else value
        shown = labels.filter_value(f.name, report.filters) if value is not None else ""
        item(
            f"filter:{f.name}",
            str(FILTER_NAMES[f.name]),
            "" if code is None else code,
            shown or _("Not filtered"),
        )
    item(
        "generated",
        _("Generated"),
        context.generated_at.isoformat(timespec="seconds"),
        format_datetime(context.generated_at, "medium"),
    )
    item("minimum", _("Group minimum"), report.minimum, hidden_note(report.minimum))
    item("companies", _("Companies"), _figure(report.companies))
    item("follow_ups", _("Companies with a follow-up"), _figure(report.follow_ups))
    if report.suppressed is not None:
        item(
            "suppressed",
            _("No figure shown"),
            report.suppressed.value,
            suppression_text(report.suppressed, report.suppressed_by, report.minimum),
        )
    item("dma", _("EU DMA correspondence"), "", dma_disclaimer())
    return table.sheet()


def _companies(report: InsightsReport, labels: Labels) -> Sheet:
    table = _Table("companies", _("Companies by profile"), report.minimum)
    table.labelled("profile", _("Profile"))
    table.labelled("option", _("Answer"))
    table.column("companies", _companies_label())
    table.column("share", _share_label())
    table.column("answered", _("Companies with an answer"))
    for breakdown in report.breakdowns:
        for row in breakdown.rows:
            table.rows.append(
                {
                    "profile": breakdown.key,
                    "profile:label": labels.profile(breakdown.key),
                    "option": row.key,
                    "option:label": labels.option(breakdown.key, row.key),
                    "companies": _figure(row.count),
                    "share": _share(row.count, row.share),
                    "answered": _figure(breakdown.answered),
                }
            )
    return table.sheet()


def _level_ids(report: InsightsReport, labels: Labels) -> list[str]:
    """The questionnaire's levels in order, then any level only the report names."""
    ids = list(labels.level_ids())
    for distribution in report.distributions:
        ids += [row.key for row in distribution.levels if row.key not in ids]
    return ids


def _levels(report: InsightsReport, labels: Labels) -> Sheet:
    table = _Table("levels", _("Levels"), report.minimum)
    table.labelled("score", _("Score"))
    table.column("scored", _("Companies with a score"))
    table.column("median", _("Median"))
    table.column("lower_quartile", _("Lower quartile"))
    table.column("upper_quartile", _("Upper quartile"))
    level_ids = _level_ids(report, labels)
    for level_id in level_ids:
        name = labels.level(level_id)
        table.column(f"level:{level_id}", _("%(level)s: companies", level=name))
        table.column(f"level:{level_id}:share", _("%(level)s: share", level=name))
    for distribution in report.distributions:
        values: dict[str, Value] = {
            "score": distribution.key,
            "score:label": labels.score(distribution.key),
            "scored": _figure(distribution.scored),
            "median": _figure(distribution.median, 1),
            "lower_quartile": _figure(distribution.lower_quartile, 1),
            "upper_quartile": _figure(distribution.upper_quartile, 1),
        }
        for row in distribution.levels:
            values[f"level:{row.key}"] = _figure(row.count)
            values[f"level:{row.key}:share"] = _share(row.count, row.share)
        table.rows.append(values)
    return table.sheet()


def _gaps(report: InsightsReport, labels: Labels) -> Sheet:
    first_level = labels.level_ids()[:1]
    name = labels.level(first_level[0]) if first_level else ""
    table = _Table("gaps", _("Gaps"), report.minimum)
    table.labelled("theme", _("Theme"))
    table.labelled("dimension", _("Dimension"))
    table.column("companies", _("Companies at the first level (%(level)s)", level=name))
    table.column("share", _share_label())
    for row in report.gaps:
        dimension = labels.dimension_of_theme(row.key) or ""
        table.rows.append(
            {
                "theme": row.key,
                "theme:label": labels.theme(row.key),
                "dimension": dimension,
                "dimension:label": labels.score(f"dimension:{dimension}") if dimension else "",
                "companies": _figure(row.count),
                "share": _share(row.count, row.share),
            }
        )
    return table.sheet()


def _actions(report: InsightsReport, labels: Labels) -> Sheet:
    """The focus actions most often recommended, then the actions plans have beyond their
    focus: one row per action, with both counts."""
    table = _Table("actions", _("Focus actions"), report.minimum)
    table.labelled("action", pgettext("a plan's recommendation", "Action"))
    table.column("focus", _("Plans with it in their focus"))
    table.column("focus_share", _("In the focus: share"))
    table.column("triggered", _("Plans recommending it"))
    table.column("triggered_share", _("Recommended: share"))
    focus = {a.action_id: a for a in report.focus_actions}
    triggered = {a.action_id: a for a in report.triggered_actions}
    for action_id in [*focus, *(a for a in triggered if a not in focus)]:
        in_focus: ActionCount | None = focus.get(action_id)
        recommended: ActionCount | None = triggered.get(action_id)
        table.rows.append(
            {
                "action": action_id,
                "action:label": labels.action(action_id),
                "focus": _figure(in_focus.count) if in_focus else "",
                "focus_share": _share(in_focus.count, in_focus.share) if in_focus else "",
                "triggered": _figure(recommended.count) if recommended else "",
                "triggered_share": (
                    _share(recommended.count, recommended.share) if recommended else ""
                ),
            }
        )
    return table.sheet()


def _services(report: InsightsReport, labels: Labels) -> Sheet:
    table = _Table("services", _("Service demand"), report.minimum)
    table.labelled("service", _("Service"))
    table.column("plans", _("Plans recommending it"))
    table.column("share", _share_label())
    for demand in report.service_demand:
        table.rows.append(
            {
                "service": demand.service_key,
                "service:label": labels.service(demand.service_key),
                "plans": _figure(demand.count),
                "share": _share(demand.count, demand.share),
            }
        )
    return table.sheet()


def _unserved(report: InsightsReport, labels: Labels) -> Sheet:
    table = _Table("unserved", _("Actions without a service"), report.minimum)
    table.labelled("action", pgettext("a plan's recommendation", "Action"))
    table.labelled("source", _("Who serves it"))
    table.column("plans", _("Plans recommending it"))
    table.column("share", _share_label())
    for action in report.unserved:
        table.rows.append(
            {
                "action": action.action_id,
                "action:label": labels.action(action.action_id),
                "source": action.source.value,
                "source:label": str(SERVICE_SOURCES[action.source.value]),
                "plans": _figure(action.count),
                "share": _share(action.count, action.share),
            }
        )
    return table.sheet()


def _readiness(report: InsightsReport, labels: Labels) -> Sheet:
    table = _Table("readiness", _("Regulatory readiness"), report.minimum)
    table.labelled("rule", _("EU rule"))
    table.labelled("question", _("Question"))
    table.column("answered", _("Companies with an answer"))
    for state in ReadinessState:
        name = str(READINESS_STATES[state.value])
        table.column(state.value, _("%(state)s: companies", state=name))
        table.column(f"{state.value}:share", _("%(state)s: share", state=name))
    for rule in report.readiness:
        values: dict[str, Value] = {
            "rule": rule.reference_id,
            "rule:label": labels.reference(rule.reference_id),
            "question": rule.question_id,
            "question:label": labels.question(rule.question_id),
            "answered": _figure(rule.answered),
        }
        for row in rule.states:
            values[row.key] = _figure(row.count)
            values[f"{row.key}:share"] = _share(row.count, row.share)
        table.rows.append(values)
    return table.sheet()


def _progress(report: InsightsReport, labels: Labels) -> Sheet:
    table = _Table("progress", _("Progress"), report.minimum)
    table.labelled("score", _("Score"))
    table.column("companies", _("Companies with a follow-up"))
    table.column("first_median", _("Median at the first assessment"))
    table.column("latest_median", _("Median at the latest assessment"))
    table.column("median_change", _("Median change"))
    table.column("improved", _("Companies whose score went up"))
    table.column("declined", _("Companies whose score went down"))
    for progress in report.progress:
        table.rows.append(
            {
                "score": progress.key,
                "score:label": labels.score(progress.key),
                "companies": _figure(progress.companies),
                "first_median": _figure(progress.first_median, 1),
                "latest_median": _figure(progress.latest_median, 1),
                "median_change": _figure(progress.median_change, 1),
                "improved": _figure(progress.improved),
                "declined": _figure(progress.declined),
            }
        )
    return table.sheet()


def dma_sheet(report: InsightsReport, labels: Labels) -> Sheet:
    """The EU DMA correspondence: every row says it is one, not an official DMA score."""
    table = _Table("dma", _("DMA correspondence"), report.minimum)
    table.column("basis", _("Basis"))
    table.labelled("dimension", _("EU DMA dimension"))
    table.column("questions", _("Questions tagged with it"))
    table.column("scored", _("Companies with a score"))
    table.column("median", _("Median (0 to 100)"))
    table.column("lower_quartile", _("Lower quartile"))
    table.column("upper_quartile", _("Upper quartile"))
    basis = _("Correspondence, not an official DMA score")
    for figure in report.dma:
        name = DMA_DIMENSIONS.get(figure.dimension)
        table.rows.append(
            {
                "basis": basis,
                "dimension": figure.dimension,
                "dimension:label": str(name) if name is not None else figure.dimension,
                "questions": figure.questions,
                "scored": _figure(figure.scored),
                "median": _figure(figure.median, 1),
                "lower_quartile": _figure(figure.lower_quartile, 1),
                "upper_quartile": _figure(figure.upper_quartile, 1),
            }
        )
    return table.sheet()


def _clusters(report: InsightsReport, clusters: Sequence[ClusterRow], labels: Labels) -> Sheet:
    table = _Table("clusters", _("Clusters"), report.minimum)
    table.labelled("cluster", _("Cluster"))
    table.column("companies", _companies_label())
    table.column("follow_ups", _("Companies with a follow-up"))
    keys: list[str] = []
    for row in clusters:
        keys += [key for key in row.medians if key not in keys]
    for key in keys:
        table.column(f"median:{key}", _("%(name)s: median", name=labels.score(key)))
    for row in clusters:
        values: dict[str, Value] = {
            "cluster": row.slug,
            "cluster:label": row.name,
            "companies": _figure(row.companies),
            "follow_ups": _figure(row.follow_ups),
        }
        for key in keys:
            values[f"median:{key}"] = _figure(row.medians.get(key), 1)
        table.rows.append(values)
    return table.sheet()
