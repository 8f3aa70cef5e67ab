"""Reads of analytics: classification rows (stored or computed), the matrix, class dynamics, current classes.

Scope: a user who sees every partner (administrators, marketers) reads the stored company-wide classes of a
period when they are there; anyone else gets the classification computed on demand over the partners in
their scope only (for products: the sales to those partners), so a manager's shares and classes are those
of their own clients.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from sdelka.accounts.selectors import covered_user_ids
from sdelka.analytics.choices import CELLS, AbcClass, Subject, XyzClass
from sdelka.analytics.models import ClassificationResult, ClassifiedPeriod
from sdelka.analytics.periods import Period, last_closed
from sdelka.analytics.selectors.classification import (
    ROW_FIELDS,
    Boundaries,
    ClassificationRow,
    ComputedRows,
    classification_compute,
)
from sdelka.analytics.services.settings import cell_names, classification_settings_get

ZERO = Decimal("0.00")

__all__ = [
    "Boundaries",
    "ClassificationReport",
    "ClassificationRow",
    "ComputedRows",
    "MatrixCell",
    "StoredRows",
    "classification_compute",
    "classification_report",
]


@dataclass
class MatrixCell:
    cell: str
    name: str
    count: int = 0
    revenue: Decimal = Decimal("0.00")
    value: Decimal = Decimal("0")


@dataclass
class ClassificationReport:
    subject: str
    criterion: str
    period: Period
    rows: ComputedRows | StoredRows
    stored: ClassifiedPeriod | None
    names: dict[str, str]
    matrix: list[list[MatrixCell]] = field(default_factory=list)


class StoredRows(Sequence):
    """The stored rows of a period (or of one of its cells) in the report's order, read from the database a
    page at a time: a period holds every client, ~100 000 rows at a mid-size company."""

    def __init__(self, stored: ClassifiedPeriod, results=None, count: int | None = None):
        self.stored = stored
        if results is None:
            results = ClassificationResult.objects.filter(period=stored)
            count = stored.rows
        self._results = results.order_by("position")
        self._count = count

    def _rows(self, results) -> list[ClassificationRow]:
        return [ClassificationRow(*values) for values in results.values_list(*ROW_FIELDS)]

    def count(self) -> int:
        if self._count is None:
            self._count = self._results.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self.count())
            if step != 1:
                return self[start:stop][::step]
            if start >= stop:
                return []
            return self._rows(self._results[start:stop])
        found = self[index : index + 1] if index >= 0 else self[index + self.count() :][:1]
        if not found:
            raise IndexError(index)
        return found[0]

    def __iter__(self) -> Iterator[ClassificationRow]:
        values = self._results.values_list(*ROW_FIELDS)
        return (ClassificationRow(*row) for row in values.iterator(chunk_size=5000))

    def in_cell(self, cell: str) -> StoredRows:
        """The rows of one matrix cell (``AX``…), keeping their positions in the whole report."""
        return StoredRows(self.stored, self._results.filter(cell=cell))

    def with_value(self) -> StoredRows:
        """The subjects with sales in the period (not the lost or potential clients)."""
        return StoredRows(self.stored, self._results.filter(value__isnull=False))

    def cell_totals(self) -> dict[str, tuple[int, Decimal, Decimal]]:
        """Per matrix cell: its subjects, their revenue and their criterion value (one grouped query)."""
        grouped = (
            self._results.exclude(cell="")
            .order_by()
            .values("cell")
            .annotate(subjects=Count("pk"), revenue_sum=Sum("revenue"), value_sum=Sum("value"))
        )
        return {
            found["cell"]: (found["subjects"], found["revenue_sum"] or ZERO, found["value_sum"] or ZERO)
            for found in grouped
        }


def classification_matrix(rows, names: dict[str, str]) -> list[list[MatrixCell]]:
    """The 3×3 matrix (rows A, B, C; columns X, Y, Z): subjects, their revenue and value in each cell."""
    cells = {cell: MatrixCell(cell=cell, name=names.get(cell, "")) for cell in CELLS}
    for cell, (count, revenue, value) in rows.cell_totals().items():
        cells[cell].count, cells[cell].revenue, cells[cell].value = count, revenue, value
    return [[cells[abc + xyz] for xyz in XyzClass.values] for abc in AbcClass.values]


def classification_report(*, user, subject: str, criterion: str, period: Period) -> ClassificationReport:
    """The classification of a closed ``period`` as ``user`` may see it (see the module's note on scope)."""
    settings = classification_settings_get()
    stored = None
    if covered_user_ids(user) is None:
        stored = ClassifiedPeriod.objects.filter(
            subject=subject, criterion=criterion, period_type=period.type, period_start=period.start
        ).first()
    if stored is not None:
        rows = StoredRows(stored)
    else:
        rows = classification_compute(
            subject=subject, criterion=criterion, period=period, boundaries=Boundaries.of(settings), user=user
        )
    names = cell_names(settings)
    report = ClassificationReport(subject, criterion, period, rows, stored, names)
    report.matrix = classification_matrix(rows, names)
    return report


@dataclass
class DynamicsRow:
    subject_id: int
    name: str
    classes: list[ClassificationRow | None]

    @property
    def first(self) -> ClassificationRow | None:
        return self.classes[0]

    @property
    def last(self) -> ClassificationRow | None:
        return self.classes[-1]

    @property
    def dropped_from_a(self) -> bool:
        """A in the first period, C or no class at all in the last: a lost key client (or product)."""
        first, last = self.first, self.last
        return bool(first and first.abc == AbcClass.A and (last is None or last.abc in ("", AbcClass.C)))


def classification_dynamics(
    *, user, subject: str, criterion: str, last_period: Period, count: int, dropped_only: bool = False
) -> tuple[list[Period], list[DynamicsRow]]:
    """The classes of each subject over ``count`` consecutive periods ending with ``last_period``.

    Subjects are those with sales in any of the periods, ordered by their position in the first period
    they have a class in; ``dropped_only`` keeps those that were A in the first period and C or nothing in the last.
    """
    periods = [last_period]
    while len(periods) < count:
        periods.insert(0, periods[0].previous())
    by_subject: dict[int, DynamicsRow] = {}
    for index, period in enumerate(periods):
        report = classification_report(user=user, subject=subject, criterion=criterion, period=period)
        # The lost and potential clients, without sales in the period, are shown as a dash.
        for row in report.rows.with_value():
            entry = by_subject.get(row.subject_id)
            if entry is None:
                entry = by_subject[row.subject_id] = DynamicsRow(
                    row.subject_id, row.name, [None] * len(periods)
                )
            entry.classes[index] = row
    rows = list(by_subject.values())
    if dropped_only:
        rows = [row for row in rows if row.dropped_from_a]

    def order(row: DynamicsRow):
        for index, found in enumerate(row.classes):
            if found is not None and found.abc:
                return (index, found.position, row.name, row.subject_id)
        return (len(periods), 0, row.name, row.subject_id)

    return periods, sorted(rows, key=order)


@dataclass
class CurrentClass:
    period: Period
    result: ClassificationResult | None


def current_classes(*, partner=None, product=None, today) -> list[CurrentClass]:
    """The stored classes of a client or a product in the last closed period of each type, by the default
    criterion (one query). A period not stored yet shows no class: the worker stores them daily."""
    from django.db.models import Q

    subject = Subject.CLIENTS if partner is not None else Subject.PRODUCTS
    subject_id = (partner or product).pk
    criterion = classification_settings_get().criterion
    periods = [last_closed(period_type, today) for period_type in ("month", "quarter", "half_year", "year")]
    match = Q()
    for period in periods:
        match |= Q(period__period_type=period.type, period__period_start=period.start)
    found = {
        (result.period.period_type, result.period.period_start): result
        for result in ClassificationResult.objects.filter(
            match, subject_id=subject_id, period__subject=subject, period__criterion=criterion
        ).select_related("period")
    }
    return [CurrentClass(period, found.get((period.type, period.start))) for period in periods]


def subjects_with_class(
    *,
    subject: str,
    today,
    period_type: str = "quarter",
    abc: tuple[str, ...] = (),
    xyz: tuple[str, ...] = (),
    stages: tuple[str, ...] = (),
):
    """Ids of the clients (partners) or products whose stored classes in the last closed period of the type,
    by the default criterion, are among those given (an empty tuple: any) — for segment rules such as
    "clients of class A" or "lost clients": ``Partner.objects.filter(pk__in=subjects_with_class(...))``.

    A subquery (one SQL statement with the caller's); empty until the period is stored.
    """
    period = last_closed(period_type, today)
    results = ClassificationResult.objects.filter(
        period__subject=subject,
        period__criterion=classification_settings_get().criterion,
        period__period_type=period.type,
        period__period_start=period.start,
    )
    if abc:
        results = results.filter(abc__in=abc)
    if xyz:
        results = results.filter(xyz__in=xyz)
    if stages:
        results = results.filter(stage__in=stages)
    return results.values("subject_id")
