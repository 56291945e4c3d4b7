"""A cluster's insights and the platform's: every figure of ``figures.InsightsReport``,
counted in the database from the facets of the population (``population``), protected by
``suppression``.

The statements of one report do not grow with the number of companies (about a dozen,
tests/insights counts them): the population's questionnaire, size and contents, then one
or two per figure family (counts by facet, medians and quartiles, service demand,
progress), and the cluster's services. Nothing is computed per company in Python. Labels are the readers' business: a report holds
codes, and the questionnaire content it was built on is ``report_questionnaire``.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from flask import current_app
from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    text,
    union_all,
)

from assessor.domain.comparability import compare
from assessor.domain.model import DmaDimension, Level, Questionnaire
from assessor.domain.offerings import Service
from assessor.domain.planning import ServiceSource as PlanSource
from assessor.domain.planning import services_for
from assessor.services.clusters import all_clusters, network_services, services_of
from assessor.services.insights.figures import (
    ActionCount,
    Breakdown,
    ClusterRow,
    CountRow,
    Distribution,
    DmaFigure,
    InsightsReport,
    PlatformInsights,
    Progress,
    ReadinessState,
    RuleReadiness,
    ServiceDemand,
    ServiceSource,
    Suppressed,
    UnservedAction,
)
from assessor.services.insights.filters import PROFILE_FILTERS, InsightFilters
from assessor.services.insights.population import (
    Population,
    all_but,
    population,
    visible_conditions,
)
from assessor.services.insights.quantiles import Spread, spreads
from assessor.services.insights.suppression import (
    differencing_filter,
    hidden,
    protect_row,
    report_hidden,
    share,
)
from assessor.services.questionnaires.catalogue import served
from assessor.services.questionnaires.versions import questionnaire_by_hash
from assessor.services.settings import current_settings
from assessor.storage.db import db
from assessor.storage.models import Assessment, Cluster, ResultFacet

OVERALL = "overall"


def questionnaires_answered(cluster: Cluster | None) -> list[tuple[str, tuple[int, ...]]]:
    """The questionnaires (id, versions ascending) of the assessments ``cluster`` may see
    (None: every cluster's), the most answered first."""
    rows = db.session.execute(
        select(Assessment.questionnaire_id, Assessment.questionnaire_version, func.count())
        .where(*visible_conditions(cluster.id if cluster is not None else None))
        .group_by(Assessment.questionnaire_id, Assessment.questionnaire_version)
    ).all()
    totals: Counter[str] = Counter()
    versions: dict[str, set[int]] = {}
    for questionnaire_id, version, count in rows:
        totals[questionnaire_id] += int(count)
        versions.setdefault(questionnaire_id, set()).add(int(version))
    ranked = sorted(totals, key=lambda q: (-totals[q], q))
    return [(q, tuple(sorted(versions[q]))) for q in ranked]


def cluster_report(cluster: Cluster, filters: InsightFilters) -> InsightsReport:
    """The insights of the assessments ``cluster`` may see, with ``filters``."""
    return _compute(cluster, filters).report


def platform_insights(filters: InsightFilters) -> PlatformInsights:
    """Every cluster together, and one row of aggregates per cluster (the networks'
    catalogues are no cluster), with the same protection.

    Over every company of the platform this takes seconds (bench/insights.py: about 7 s at
    100,000 assessments on PostgreSQL), so the app keeps the last ones computed for as long
    as no assessment was submitted, shared, withdrawn or deleted, and at most
    ``PLATFORM_INSIGHTS_SECONDS``: a facet refresh or a cluster renamed shows by then."""
    stamp = _platform_stamp()
    cache = _platform_cache()
    key = (filters, stamp)
    now = time.monotonic()
    with cache.lock:
        found = cache.entries.get(key)
        if found is not None and now - found[0] < PLATFORM_INSIGHTS_SECONDS:
            return found[1]
    computed = _compute(None, filters)
    figures = PlatformInsights(computed.report, _cluster_rows(computed))
    with cache.lock:
        cache.entries[key] = (now, figures)
        while len(cache.entries) > _PLATFORM_CACHE_SIZE:
            cache.entries.pop(next(iter(cache.entries)))
    return figures


PLATFORM_INSIGHTS_SECONDS = 300.0
_PLATFORM_CACHE_SIZE = 32


@dataclass
class _PlatformCache:
    lock: threading.Lock = field(default_factory=threading.Lock)
    entries: dict[tuple[InsightFilters, tuple[Any, ...]], tuple[float, PlatformInsights]] = field(
        default_factory=dict
    )


def _platform_cache() -> _PlatformCache:
    cache: _PlatformCache = current_app.extensions.setdefault(
        "assessor.platform_insights", _PlatformCache()
    )
    return cache


def _platform_stamp() -> tuple[Any, ...]:
    """What changes whenever an assessment enters or leaves the figures: their number, the
    last submission and the last change (sharing, withdrawing)."""
    row = db.session.execute(
        select(
            func.count(Assessment.id),
            func.max(Assessment.submitted_at),
            func.max(Assessment.updated_at),
        ).where(Assessment.submitted_at.is_not(None), Assessment.is_preview.is_(False))
    ).one()
    return tuple(row)


def report_questionnaire(report: InsightsReport) -> Questionnaire | None:
    """The questionnaire content a report's codes belong to (the newest content in its
    population, else the one served now), to label them with."""
    if report.questionnaire_sha256 is not None:
        found = _content(report.questionnaire_sha256)
        if found is not None:
            return found
    if report.questionnaire_id is None:
        return None
    entry = served().entries.get(report.questionnaire_id)
    return entry.questionnaire if entry is not None else None


# -- the report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Computed:
    report: InsightsReport
    population: Population | None = None
    questionnaire: Questionnaire | None = None
    # Per cluster: companies, and the filter whose unsetting would reveal a few (or None).
    per_cluster: Mapping[int, tuple[int, str | None]] | None = None


def _compute(cluster: Cluster | None, filters: InsightFilters) -> _Computed:
    minimum = current_settings().peer_group_minimum
    _report_settings()
    cluster_id = cluster.id if cluster is not None else None
    questionnaire_id = filters.questionnaire_id
    if questionnaire_id is None:
        answered = questionnaires_answered(cluster)
        if not answered:
            return _Computed(
                InsightsReport(cluster_id, filters, None, (), minimum, 0, Suppressed.TOO_FEW)
            )
        questionnaire_id = answered[0][0]
    filters = replace(filters, questionnaire_id=questionnaire_id)
    pop = population(cluster_id, questionnaire_id, filters)
    per_cluster = _headline(pop)
    companies = sum(count for count, _ in per_cluster.values())
    widened = [
        (name, sum(int(getattr(row, f"without_{name}")) for _, row in per_cluster.values()))
        for name in pop.conditions
    ]
    versions, newest = _contents(pop)
    report = InsightsReport(
        cluster_id,
        filters,
        questionnaire_id,
        versions,
        minimum,
        companies,
        questionnaire_sha256=newest,
    )
    revealing = differencing_filter(companies, widened, minimum)
    # A report of 1 to minimum - 1 companies shows nothing anyway; one of none shows its
    # zero, which must not tell that the few companies a filter leaves out have the value.
    if report_hidden(companies, minimum) and (companies or revealing is None):
        report = replace(
            report, companies=hidden(companies, minimum), suppressed=Suppressed.TOO_FEW
        )
        return _Computed(report, pop, None, _per_cluster_verdicts(per_cluster, pop, minimum))
    if revealing is not None:
        report = replace(
            report,
            companies=None,
            suppressed=Suppressed.DIFFERENCING,
            suppressed_by=revealing,
        )
        return _Computed(report, pop, None, _per_cluster_verdicts(per_cluster, pop, minimum))
    questionnaire = report_questionnaire(report)
    verdicts = _per_cluster_verdicts(per_cluster, pop, minimum)
    if questionnaire is None:  # its content is gone: only the count can be given
        return _Computed(report, pop, None, verdicts)
    figures = _Figures(pop, questionnaire, minimum, companies)
    own, network = _services(cluster)
    report = replace(
        report,
        breakdowns=figures.breakdowns(),
        distributions=figures.distributions(),
        gaps=figures.gaps(),
        focus_actions=figures.action_counts("focus"),
        triggered_actions=figures.action_counts("action"),
        service_demand=figures.service_demand(own, network) if cluster is not None else (),
        unserved=figures.unserved(own, network) if cluster is not None else (),
        readiness=figures.readiness(),
        dma=figures.dma(),
        **figures.progress(),
    )
    return _Computed(report, pop, questionnaire, verdicts)


def _report_settings() -> None:
    """PostgreSQL settings for the rest of this transaction only. It compiles a statement
    it expects to be costly (``jit_above_cost``): the recursive walk up the follow-up
    chains is costed far above what it does, and compiling took 150 ms of a 25 ms
    statement. And the sort behind the quartiles of a cluster's 40,000 scores spilled to
    disk with the default 4 MB of ``work_mem`` (40 ms of 90)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))
        db.session.execute(text("SET LOCAL work_mem = '32MB'"))


# The per-cluster counts of the population, with every narrowing filter unset in turn, are
# kept on the rows of ``_headline`` under these labels.
_COMPANIES = "companies"


def _headline(pop: Population) -> dict[int, Any]:
    """Per cluster, companies in the population and (in the row, ``without_<filter>``) the
    companies plus those that unsetting each narrowing filter would **change**: add, or
    show by another latest (or first) assessment. A period or a version may keep every
    company and still swap one company's latest assessment for an earlier one; comparing
    the two reports would then give that company's scores. Two grouped statements (per
    company, then per cluster) whatever the number of filters."""
    chained = pop.chained
    kept = all_but(pop.conditions, "")
    when = chained.c.submitted_at
    columns = [
        func.max(case((kept, when))).label("last"),
        func.min(case((kept, when))).label("first"),
    ]
    for name in pop.conditions:
        wider = all_but(pop.conditions, name)
        columns.append(func.max(case((wider, when))).label(f"last_{name}"))
        columns.append(func.min(case((wider, when))).label(f"first_{name}"))
    companies = (
        select(chained.c.cluster_id, chained.c.root, *columns)
        .group_by(chained.c.cluster_id, chained.c.root)
        .subquery("companies")
    )
    totals = [func.count(companies.c["last"]).label(_COMPANIES)]
    for name in pop.conditions:
        last, first = companies.c[f"last_{name}"], companies.c[f"first_{name}"]
        changed = and_(
            last.is_not(None),
            or_(
                companies.c["last"].is_(None),
                companies.c["last"] != last,
                companies.c["first"] != first,
            ),
        )
        totals.append(
            (func.count(companies.c["last"]) + func.sum(case((changed, 1), else_=0))).label(
                f"without_{name}"
            )
        )
    rows = db.session.execute(
        select(companies.c.cluster_id, *totals).group_by(companies.c.cluster_id)
    )
    found: dict[int, Any] = {}
    for row in rows:
        found[row.cluster_id] = (int(row.companies), row)
    return found


def _per_cluster_verdicts(
    per_cluster: Mapping[int, Any], pop: Population, minimum: int
) -> dict[int, tuple[int, str | None]]:
    verdicts: dict[int, tuple[int, str | None]] = {}
    for cluster_id, (companies, row) in per_cluster.items():
        widened = [(name, int(getattr(row, f"without_{name}"))) for name in pop.conditions]
        verdicts[cluster_id] = (companies, differencing_filter(companies, widened, minimum))
    return verdicts


def _contents(pop: Population) -> tuple[tuple[int, ...], str | None]:
    """The versions among the companies' latest assessments, and the content of the most
    recently submitted one."""
    latest = pop.latest
    rows = db.session.execute(
        select(latest.c.version, latest.c.sha256, func.max(latest.c.submitted_at).label("last"))
        .group_by(latest.c.version, latest.c.sha256)
        .order_by(func.max(latest.c.submitted_at).desc(), latest.c.version.desc())
    ).all()
    versions = tuple(sorted({int(row.version) for row in rows}))
    return versions, (rows[0].sha256 if rows else None)


def _content(sha256: str) -> Questionnaire | None:
    return served().by_hash.get(sha256) or questionnaire_by_hash(sha256)


def _services(cluster: Cluster | None) -> tuple[list[Service], list[Service]]:
    if cluster is None:
        return [], []
    return services_of(cluster), [] if cluster.is_network else network_services()


def _ranked(rows: Iterable[Any], order: Sequence[str], key: str = "action_id") -> tuple[Any, ...]:
    """Most first; hidden counts after the shown ones; ties in the questionnaire's order."""
    position = {code: index for index, code in enumerate(order)}
    return tuple(
        sorted(
            rows,
            key=lambda row: (
                row.count is None,
                -(row.count or 0),
                position.get(getattr(row, key), len(position)),
            ),
        )
    )


class _Figures:
    """The figures of one population that passed rules 1 and 5 (see ``suppression``)."""

    def __init__(
        self, pop: Population, questionnaire: Questionnaire, minimum: int, companies: int
    ) -> None:
        self.pop = pop
        self.questionnaire = questionnaire
        self.minimum = minimum
        self.companies = companies
        self._distributions: tuple[Distribution, ...] | None = None
        self.by_value, self.by_key = self._counts()
        self.spread = self._spreads()

    # -- statements --

    def _counts(self) -> tuple[dict[tuple[str, str, str | None], int], dict[tuple[str, str], int]]:
        """Companies per facet value, and per facet key (with any value): two statements.
        A submission writes each (kind, key, value) of an assessment once, and one value
        per key except for a profile question with several answers: only those need a
        count of distinct assessments."""
        latest = self.pop.latest
        facet = ResultFacet
        joined = facet.__table__.join(latest, latest.c.id == facet.assessment_id)
        per_value = (
            select(facet.kind, facet.key, facet.value, func.count().label("companies"))
            .select_from(joined)
            .where(facet.kind.in_(("profile", "score", "action", "focus", "readiness")))
            .group_by(facet.kind, facet.key, facet.value)
        )
        per_profile_key = (
            select(facet.key, func.count(func.distinct(facet.assessment_id)).label("companies"))
            .select_from(joined)
            .where(facet.kind == "profile")
            .group_by(facet.key)
        )
        by_value: dict[tuple[str, str, str | None], int] = {}
        by_key: Counter[tuple[str, str]] = Counter()
        rows: Iterable[Any] = db.session.execute(per_value)
        for row in rows:
            by_value[(row.kind, row.key, row.value)] = int(row.companies)
            if row.kind != "profile":
                by_key[(row.kind, row.key)] += int(row.companies)
        for key, companies in db.session.execute(per_profile_key):
            by_key[("profile", key)] = int(companies)
        return by_value, dict(by_key)

    def _spreads(self) -> dict[tuple[Any, ...], Spread]:
        """Medians and quartiles of every score and DMA dimension: one statement."""
        latest = self.pop.latest
        source = (
            select(ResultFacet.kind, ResultFacet.key, ResultFacet.score.label("score"))
            .join(latest, latest.c.id == ResultFacet.assessment_id)
            .where(ResultFacet.kind.in_(("score", "dma")))
        )
        return spreads(source, 2, self.minimum)

    # -- figures --

    def breakdowns(self) -> tuple[Breakdown, ...]:
        found = []
        for key in PROFILE_FILTERS:
            options: dict[str, None] = {}
            for question in self.questionnaire.questions:
                if question.profile == key:
                    options.update((option.id, None) for option in question.options)
            if not options:
                continue
            counts = {option: self.by_value.get(("profile", key, option), 0) for option in options}
            others = sorted(
                (
                    (value, count)
                    for (kind, k, value), count in self.by_value.items()
                    if kind == "profile" and k == key and value is not None and value not in counts
                ),
                key=lambda item: (-item[1], item[0]),
            )
            counts.update(others)  # answers to options an older version had
            answered = hidden(self.by_key.get(("profile", key), 0), self.minimum)
            shown = self._row(counts, answered)
            found.append(
                Breakdown(
                    key,
                    tuple(CountRow(k, c, share(c, answered)) for k, c in shown.items()),
                    answered,
                )
            )
        return tuple(found)

    def _row(self, counts: Mapping[str, int], base: int | None) -> dict[str, int | None]:
        """A row's cells as shown; all hidden when its base is."""
        if base is None:
            return dict.fromkeys(counts)
        return protect_row(counts, self.minimum)

    def distributions(self) -> tuple[Distribution, ...]:
        if self._distributions is None:
            keys = [OVERALL]
            for dimension in self.questionnaire.dimensions:
                keys.append(f"dimension:{dimension.id}")
                keys.extend(f"theme:{theme.id}" for theme in dimension.themes)
            self._distributions = tuple(self._distribution(key) for key in keys)
        return self._distributions

    def _distribution(self, key: str) -> Distribution:
        levels = self.questionnaire.levels
        counts = {level.id: self.by_value.get(("score", key, level.id), 0) for level in levels}
        spread = self.spread.get(("score", key), Spread(0))
        scored = hidden(spread.count, self.minimum)
        shown = self._row(counts, scored)
        return Distribution(
            key,
            scored,
            tuple(CountRow(k, c, share(c, scored)) for k, c in shown.items()),
            spread.median if scored else None,
            spread.lower if scored else None,
            spread.upper if scored else None,
        )

    def gaps(self) -> tuple[CountRow, ...]:
        first: Level = self.questionnaire.levels[0]
        gaps = []
        for distribution in self.distributions():
            if not distribution.key.startswith("theme:") or distribution.scored is None:
                continue
            cell = next(row for row in distribution.levels if row.key == first.id)
            raw = self.by_value.get(("score", distribution.key, first.id), 0)
            if raw:
                theme_id = distribution.key.removeprefix("theme:")
                gaps.append(CountRow(theme_id, cell.count, cell.share))
        order = [theme.id for theme in self.questionnaire.themes]
        return _ranked(gaps, order, key="key")

    def action_counts(self, kind: str) -> tuple[ActionCount, ...]:
        known = self.questionnaire.actions_by_id
        rows = []
        for (facet_kind, action_id), count in self.by_key.items():
            if facet_kind != kind or action_id not in known or not count:
                continue
            shown = hidden(count, self.minimum)
            rows.append(ActionCount(action_id, shown, share(shown, self.companies)))
        return _ranked(rows, list(known))

    def _pairs(self) -> dict[tuple[str, str | None], int]:
        """Plans per (action id, level id it is about), of the questionnaire's actions."""
        known = self.questionnaire.actions_by_id
        return {
            (key, value): count
            for (kind, key, value), count in self.by_value.items()
            if kind == "action" and key in known and count
        }

    def _level(self, level_id: str | None) -> Level | None:
        return next((lv for lv in self.questionnaire.levels if lv.id == level_id), None)

    def service_demand(
        self, own: Sequence[Service], network: Sequence[Service]
    ) -> tuple[ServiceDemand, ...]:
        """Per service of the cluster, the plans that list it: each (action, level) of the
        population matched as a plan matches it today (planning.services_for), then the
        plans counted in the database, a plan once per service however many of its
        actions list it."""
        if not own:
            return ()
        listed_by: dict[str, dict[str | None, set[str]]] = {s.id: {} for s in own}
        for action_id, level_id in self._pairs():
            action = self.questionnaire.actions_by_id[action_id]
            services, source = services_for(action, self._level(level_id), own, network)
            if source is not PlanSource.CLUSTER:
                continue
            for service in services:
                listed_by[service.id].setdefault(level_id, set()).add(action_id)
        service_ids = [s.id for s in own]
        if not any(listed_by.values()):  # no plan lists any: nothing to count
            return tuple(ServiceDemand(service_id, 0, 0.0) for service_id in service_ids)
        facet = ResultFacet
        columns = []
        for index, service_id in enumerate(service_ids):
            matches = [
                and_(
                    facet.value.is_(None) if level_id is None else facet.value == level_id,
                    facet.key.in_(sorted(actions)),
                )
                for level_id, actions in listed_by[service_id].items()
            ]
            if matches:
                condition = or_(*matches)
                columns.append(
                    func.count(func.distinct(case((condition, facet.assessment_id)))).label(
                        f"s{index}"
                    )
                )
            else:
                columns.append(literal(0).label(f"s{index}"))
        latest = self.pop.latest
        row = db.session.execute(
            select(*columns)
            .select_from(facet)
            .join(latest, latest.c.id == facet.assessment_id)
            .where(facet.kind == "action")
        ).one()
        rows = []
        for index, service_id in enumerate(service_ids):
            shown = hidden(int(row[index] or 0), self.minimum)
            rows.append(ServiceDemand(service_id, shown, share(shown, self.companies)))
        return _ranked(rows, service_ids, key="service_key")

    def unserved(
        self, own: Sequence[Service], network: Sequence[Service]
    ) -> tuple[UnservedAction, ...]:
        """The actions of the population's plans that no service of the cluster matches,
        by who serves them instead (a plan has an action once, so its counts per level add
        up)."""
        plans: Counter[tuple[str, ServiceSource]] = Counter()
        for (action_id, level_id), count in self._pairs().items():
            action = self.questionnaire.actions_by_id[action_id]
            _, matched = services_for(action, self._level(level_id), own, network)
            if matched is not PlanSource.CLUSTER:
                plans[(action_id, ServiceSource(matched.value))] += count
        rows = []
        for (action_id, source), count in plans.items():
            shown = hidden(count, self.minimum)
            rows.append(UnservedAction(action_id, source, shown, share(shown, self.companies)))
        return _ranked(rows, list(self.questionnaire.actions_by_id))

    def readiness(self) -> tuple[RuleReadiness, ...]:
        found = []
        for question in self.questionnaire.questions:
            # The ``rule:`` key comes with the facets work; a questionnaire without it has
            # no rule to report on.
            rule = getattr(question, "rule", None)
            if not rule:
                continue
            answered = hidden(self.by_key.get(("readiness", question.id), 0), self.minimum)
            counts = {
                state.value: self.by_value.get(("readiness", question.id, state.value), 0)
                for state in ReadinessState
            }
            shown = self._row(counts, answered)
            found.append(
                RuleReadiness(
                    str(rule),
                    question.id,
                    answered,
                    tuple(CountRow(k, c, share(c, answered)) for k, c in shown.items()),
                )
            )
        return tuple(found)

    def dma(self) -> tuple[DmaFigure, ...]:
        tagged = Counter(q.dma for q in self.questionnaire.questions if q.dma is not None)
        if not tagged:
            return ()
        found = []
        for dimension in DmaDimension:
            spread = self.spread.get(("dma", dimension.value), Spread(0))
            scored = hidden(spread.count, self.minimum)
            found.append(
                DmaFigure(
                    dimension.value,
                    tagged[dimension],
                    scored,
                    spread.median if scored else None,
                    spread.lower if scored else None,
                    spread.upper if scored else None,
                )
            )
        return tuple(found)

    def progress(self) -> dict[str, Any]:
        """``progress`` and ``follow_ups``: each company's first and latest assessment in
        the population, compared where their contents compute a score alike."""
        members = self.pop.members
        ends = and_(
            members.c.assessments >= 2, or_(members.c.seniority == 1, members.c.recency == 1)
        )
        first, last = members.c.seniority == 1, members.c.recency == 1
        # One row per company with a follow-up: the contents of its two ends. Grouping one
        # pass over the members, rather than joining two derived tables, keeps SQLite from
        # recomputing one of them for every row of the other.
        companies = (
            select(
                func.max(case((first, members.c.sha256))).label("earlier"),
                func.max(case((last, members.c.sha256))).label("later"),
            )
            .where(ends)
            .group_by(members.c.root)
            .subquery()
        )
        pairs = db.session.execute(
            select(companies.c.earlier, companies.c.later, func.count()).group_by(
                companies.c.earlier, companies.c.later
            )
        ).all()
        follow_ups = sum(int(count) for _, _, count in pairs)
        keys = [OVERALL] + [f"dimension:{d.id}" for d in self.questionnaire.dimensions]
        comparable = []
        for earlier_sha, later_sha, _ in pairs:
            earlier, later = _content(earlier_sha), _content(later_sha)
            if earlier is None or later is None or earlier.id != later.id:
                continue
            allowed = [k for k in keys if compare(earlier, later).allows(k)]
            if allowed:
                comparable.append((earlier_sha, later_sha, allowed))
        spread: dict[tuple[Any, ...], Spread] = {}
        directions: dict[str, tuple[int, int, int]] = {}
        if comparable:
            spread, directions = self._changes(ends, keys, comparable)
        progress = []
        for key in keys:
            change = spread.get(("change", key), Spread(0))
            counted = hidden(change.count, self.minimum)
            up, down, same = directions.get(key, (0, 0, 0))
            shown = self._row({"up": up, "down": down, "same": same}, counted)
            progress.append(
                Progress(
                    key,
                    counted,
                    spread.get(("first", key), Spread(0)).median if counted else None,
                    spread.get(("latest", key), Spread(0)).median if counted else None,
                    change.median if counted else None,
                    shown["up"],
                    shown["down"],
                )
            )
        return {"progress": tuple(progress), "follow_ups": hidden(follow_ups, self.minimum)}

    def _changes(
        self,
        ends: ColumnElement[bool],
        keys: Sequence[str],
        comparable: list[tuple[str, str, list[str]]],
    ) -> tuple[dict[tuple[Any, ...], Spread], dict[str, tuple[int, int, int]]]:
        """Quartiles of the first scores, the latest and the changes, and how many went up
        and down, per key: two statements over one grouped pass."""
        members = self.pop.members
        first, last = members.c.seniority == 1, members.c.recency == 1
        facet = ResultFacet
        per_company = (
            select(
                facet.key.label("key"),
                func.max(case((first, facet.score))).label("first"),
                func.max(case((last, facet.score))).label("latest"),
                func.max(case((first, members.c.sha256))).label("earlier"),
                func.max(case((last, members.c.sha256))).label("later"),
            )
            .select_from(members)
            .join(facet, facet.assessment_id == members.c.id)
            .where(ends, facet.kind == "score", facet.key.in_(keys))
            .group_by(members.c.root, facet.key)
            .subquery()
        )
        changes = (
            select(
                per_company.c.key,
                per_company.c.first,
                per_company.c.latest,
                (per_company.c.latest - per_company.c.first).label("change"),
            )
            .where(
                per_company.c.first.is_not(None),
                per_company.c.latest.is_not(None),
                or_(
                    *(
                        and_(
                            per_company.c.earlier == earlier,
                            per_company.c.later == later,
                            per_company.c.key.in_(allowed),
                        )
                        for earlier, later, allowed in comparable
                    )
                ),
            )
            .cte("changes")
        )
        source = union_all(
            *(
                select(literal(measure).label("measure"), changes.c.key, column.label("score"))
                for measure, column in (
                    ("first", changes.c.first),
                    ("latest", changes.c.latest),
                    ("change", changes.c.change),
                )
            )
        )
        spread = spreads(select(*source.subquery().c), 2, self.minimum)
        directions = {
            key: (int(up), int(down), int(total) - int(up) - int(down))
            for key, up, down, total in db.session.execute(
                select(
                    changes.c.key,
                    func.count(case((changes.c.change > 0, 1))),
                    func.count(case((changes.c.change < 0, 1))),
                    func.count(),
                ).group_by(changes.c.key)
            )
        }
        return spread, directions


# -- the platform's table -----------------------------------------------------------------


def _cluster_rows(computed: _Computed) -> tuple[ClusterRow, ...]:
    clusters = all_clusters()
    report, pop = computed.report, computed.population
    minimum = report.minimum
    if pop is None or computed.per_cluster is None:
        return tuple(ClusterRow(c.slug, c.name, 0, 0) for c in clusters)
    verdicts = computed.per_cluster
    counts = {c.slug: verdicts.get(c.id, (0, None))[0] for c in clusters}
    withheld = {c.slug for c in clusters if verdicts.get(c.id, (0, None))[1] is not None}
    companies = protect_row(counts, minimum, withheld)
    latest = pop.latest
    follow_up_counts = {
        cluster_id: int(count)
        for cluster_id, count in db.session.execute(
            select(latest.c.cluster_id, func.count())
            .where(latest.c.assessments >= 2)
            .group_by(latest.c.cluster_id)
        )
    }
    follow_ups = protect_row(
        {c.slug: follow_up_counts.get(c.id, 0) for c in clusters},
        minimum,
        {c.slug for c in clusters if companies[c.slug] is None},
    )
    keys = [OVERALL]
    if computed.questionnaire is not None:
        keys += [f"dimension:{d.id}" for d in computed.questionnaire.dimensions]
    by_cluster: dict[tuple[Any, ...], Spread] = {}
    if any(value for value in companies.values()):
        by_cluster = spreads(
            select(latest.c.cluster_id, ResultFacet.key, ResultFacet.score.label("score"))
            .join(latest, latest.c.id == ResultFacet.assessment_id)
            .where(ResultFacet.kind == "score", ResultFacet.key.in_(keys)),
            2,
            minimum,
        )
    rows = []
    for cluster in clusters:
        shown = companies[cluster.slug]
        medians: dict[str, float | None] = {}
        if shown:
            medians = {k: by_cluster.get((cluster.id, k), Spread(0)).median for k in keys}
        rows.append(
            ClusterRow(cluster.slug, cluster.name, shown, follow_ups[cluster.slug], medians)
        )
    return tuple(rows)
