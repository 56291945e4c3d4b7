"""How insights protect the companies they are about: no figure singles one out.

The rules (docs/advisers.md, "How figures are protected"), with ``minimum`` the group
minimum (``PEER_GROUP_MINIMUM``, 5 by default):

1. **Too few.** A report about fewer companies than the minimum shows no figure at all
   (``Suppressed.TOO_FEW``); its count of companies is hidden too, unless it is zero.
2. **Small cells.** A count from 1 to ``minimum - 1`` is hidden (``None``). A zero is
   shown: it tells nothing about any company, and hiding it would not help when the
   other cells add up to the total anyway.
3. **Totals cannot reveal a hidden cell.** When exactly one cell of a row (the levels of
   one score, the companies by size, ...) is hidden, the next smallest cell that is not
   zero is hidden too, so that subtracting the others from the row's total gives no
   single company's count. Two hidden cells or more already protect each other.
4. **Medians and quartiles** are given only for a score at least ``minimum`` companies
   have, and a share only beside a count that is shown.
5. **Differencing.** Two reports that differ by one filter must not differ by a handful
   of companies: for each filter that narrows the population (period, version, activity,
   size, country), the population with that filter unset must show every company as
   it does or at least ``minimum`` of them differently: added, or shown by another
   latest (or first) assessment (report._headline counts both). Otherwise the whole
   report is hidden
   (``Suppressed.DIFFERENCING``, with the filter that would reveal them), a report of
   no company too: its zero would tell that those few do not have the filter's value.

What these rules do not catch: two narrow reports compared with each other rather than
with the wider one (two periods a day apart, say). Periods are meant for quarters and
years; the API's and exports' readers see the same figures as the page, no finer.

Everything here is pure: the insights service counts in the database and hands the
counts over.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence


def hidden(count: int | None, minimum: int) -> int | None:
    """A count as shown: hidden (None) when it is about 1 to ``minimum - 1`` companies."""
    if count is None or 0 < count < minimum:
        return None
    return count


def protect_row(
    counts: Mapping[str, int], minimum: int, withheld: Collection[str] = ()
) -> dict[str, int | None]:
    """The cells of one row as shown (rules 2 and 3), in the same order. ``withheld``:
    cells hidden for another reason (a cluster's row hidden by rule 5), which count as
    hidden cells for rule 3."""
    shown: dict[str, int | None] = {
        key: None if key in withheld else hidden(count, minimum) for key, count in counts.items()
    }
    if sum(1 for value in shown.values() if value is None) == 1:
        # The smallest shown cell that is not zero (a zero only when no other is left);
        # between equal cells, the first in the row.
        candidates = [
            (count == 0, count, index, key)
            for index, (key, count) in enumerate(counts.items())
            if shown[key] is not None
        ]
        if candidates:
            shown[min(candidates)[3]] = None
    return shown


def share(count: int | None, base: int | None) -> float | None:
    """``count`` as a share of ``base``, only when both are shown."""
    if count is None or not base:
        return None
    return count / base


def quantiles_shown(scored: int, minimum: int) -> bool:
    """Whether a median and quartiles may be given for a score ``scored`` companies have."""
    return scored >= minimum


def report_hidden(companies: int, minimum: int) -> bool:
    """Rule 1: a report about 1 to ``minimum - 1`` companies shows nothing."""
    return companies < minimum


def differencing_filter(
    companies: int, widened: Sequence[tuple[str, int]], minimum: int
) -> str | None:
    """Rule 5: the first filter whose unsetting changes 1 to ``minimum - 1`` companies, or
    None. ``widened``: (filter name, companies plus those it would change when unset)."""
    for name, wider in widened:
        added = wider - companies
        if 0 < added < minimum:
            return name
    return None
