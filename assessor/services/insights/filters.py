"""The filters of the insights page, its exports and the API: which assessments a figure is
about. Parsed from a query string with a message per field, never an exception."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date

from flask_babel import lazy_gettext as _l

# Profile keys a cluster may filter by (a question's ``profile:``); the same as peer groups.
PROFILE_FILTERS = ("activity", "size", "country")
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


@dataclass(frozen=True)
class InsightFilters:
    """Submitted between ``since`` and ``until`` (both days included), on one questionnaire
    (every version of it unless ``version`` is given), and with the profile answers named.
    ``questionnaire_id`` None: the questionnaire most of the population answered."""

    since: date | None = None
    until: date | None = None
    questionnaire_id: str | None = None
    version: int | None = None
    activity: str | None = None
    size: str | None = None
    country: str | None = None

    @property
    def profile(self) -> dict[str, str]:
        """The profile filters set: {profile key: option id}."""
        return {key: value for key in PROFILE_FILTERS if (value := getattr(self, key))}

    @property
    def narrowing(self) -> tuple[str, ...]:
        """The names of the filters set that narrow the population of one questionnaire (the
        questionnaire itself is the subject, not a narrowing)."""
        return tuple(
            f.name
            for f in fields(self)
            if f.name != "questionnaire_id" and getattr(self, f.name) is not None
        )

    def without(self, name: str) -> InsightFilters:
        """The same filters with ``name`` unset: the population a differencing attack would
        subtract this one from."""
        return replace(self, **{name: None})

    def as_query(self) -> dict[str, str]:
        """Query arguments that give these filters back through ``filters_from``."""
        query: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                query[f.name] = value.isoformat() if isinstance(value, date) else str(value)
        return query


def filters_from(args: Mapping[str, str]) -> tuple[InsightFilters, dict[str, str]]:
    """The filters a query string asks for, and a message per field it got wrong (that field
    is then left unset). Empty values mean "not filtered"."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    for name in ("since", "until"):
        text = (args.get(name) or "").strip()
        if text:
            try:
                day = date.fromisoformat(text)
            except ValueError:
                errors[name] = str(_l("Enter a date as YYYY-MM-DD."))
                continue
            # A period's end is the start of the next day: 9999-12-31 would have none.
            if not EARLIEST <= day <= LATEST:
                errors[name] = str(
                    _l(
                        "Enter a date between %(first)s and %(last)s.",
                        first=EARLIEST.year,
                        last=LATEST.year,
                    )
                )
            else:
                values[name] = day
    text = (args.get("version") or "").strip()
    if text:
        if text.isdigit() and 0 < int(text) < 1_000_000:
            values["version"] = int(text)
        else:
            errors["version"] = str(_l("Enter a version number."))
    for name in ("questionnaire_id", *PROFILE_FILTERS):
        text = (args.get(name) or "").strip()
        if text:
            if len(text) > 120:
                errors[name] = str(_l("This value is too long."))
            else:
                values[name] = text
    since, until = values.get("since"), values.get("until")
    if isinstance(since, date) and isinstance(until, date) and since > until:
        errors["until"] = str(_l("The end of the period is before its start."))
        del values["until"]
    return InsightFilters(**values), errors  # type: ignore[arg-type]  # each value checked above
