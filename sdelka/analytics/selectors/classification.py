"""The ABC/XYZ classification, relationship stages and matrix cells of one period, computed in the database.

One SQL statement per report, built from common table expressions that PostgreSQL and SQLite (≥ 3.25, for
the window functions) both run:

- ``sub``: the criterion value of each subject in each sub-period — from the monthly aggregates, or, for
  the weeks of a month period (and for products in a manager's scope, whose aggregates do not know the
  client), from the sales facts of the period with the sub-period chosen by a CASE over date ranges;
- ``tot``: per subject the period value S, the number k of sub-periods with sales and Σx²;
- ``base``: the subjects with their names (clients: also those without sales in the period who bought
  before it or are marked as clients, with the "bought before the period" mark), in three groups: value
  S > 0, sales but S ≤ 0, no sales;
- ``ranked``: one window in the report's order (group, value descending, name, id) gives the running sum of
  the first group (the share of the subjects above one is ``running − S``) — and the final SELECT keeps
  that order, so the rows are sorted once.

Amounts are compared exactly: PostgreSQL sums and squares the stored NUMERICs as they are; SQLite, which keeps
decimals as floats, turns them into whole kopecks (integers) before any arithmetic. Both boundary tests
below are homogeneous, so the unit (roubles or kopecks) does not change them:

- ABC: ``(running − S) · 10 000 < A_bp · total`` → A, the same with B → B, else C (``A_bp`` = A% · 100);
- XYZ over N sub-periods with the empty ones as 0: ``CV = σ / mean = √(N·Σx² − S²) / S``, so
  ``CV ≤ X%`` ⇔ ``10⁸ · (N·Σx² − S²) ≤ X_bp² · S²``. Only subjects with S > 0 get a CV: with a mean of zero
  or below (returns, a loss) the coefficient means nothing.
- stage (clients): sales in the period → one-time if in exactly one sub-period and never before the period,
  else regular; no sales in the period but some before → lost; none ever (up to the period's end) and
  marked as client → potential.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from django.db import connection, transaction

from sdelka.accounts.selectors import covered_user_ids
from sdelka.analytics.choices import Criterion, PeriodType, Stage, Subject
from sdelka.analytics.models import ClassificationSettings, ClientMonth, ProductMonth
from sdelka.analytics.periods import Period
from sdelka.catalog.models import Product
from sdelka.documents.models import SalesFact
from sdelka.partners.models import Partner
from sdelka.partners.selectors import partner_scope

KOPECKS = Decimal("0.01")
FLOAT = "DOUBLE PRECISION"


@dataclass(slots=True)
class ClassificationRow:
    subject_id: int
    name: str
    position: int
    value: Decimal | None
    revenue: Decimal | None
    share: float | None
    cumulative_share: float | None
    abc: str
    cv: float | None
    xyz: str
    stage: str
    cell: str

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label) if self.stage else ""


# ClassificationRow's fields in their order: also the columns of a stored row (ClassificationResult).
ROW_FIELDS = tuple(row_field.name for row_field in fields(ClassificationRow))


@dataclass(frozen=True)
class Boundaries:
    abc_a: Decimal
    abc_b: Decimal
    xyz_x: Decimal
    xyz_y: Decimal

    @classmethod
    def of(cls, settings: ClassificationSettings) -> Boundaries:
        return cls(settings.abc_a, settings.abc_b, settings.xyz_x, settings.xyz_y)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _basis_points(percent: Decimal) -> int:
    return int((Decimal(percent) * 100).to_integral_value())


def _scope_sql(user) -> tuple[str, list] | None:
    """SQL of the ids of the partners ``user`` may see, or None when they see every partner."""
    if user is None or covered_user_ids(user) is None:
        return None
    sql, params = Partner.objects.filter(partner_scope(user)).values("pk").query.sql_with_params()
    return sql, list(params)


def _in_kopecks() -> bool:
    # SQLite keeps decimals as floats: amounts become whole kopecks (exact integers) before any arithmetic.
    # PostgreSQL's NUMERIC is exact as it is, and per-row conversions cost more than the sums themselves.
    return connection.vendor == "sqlite"


def _exact(expression: str) -> str:
    """An amount (or a count) in a form whose sums and products are exact."""
    return f"CAST(ROUND({expression} * 100) AS BIGINT)" if _in_kopecks() else expression


def _whole(column: str, money: bool) -> str:
    """A subject's value as a whole number: kopecks of an amount (already so on SQLite), or the count."""
    if money and not _in_kopecks():
        return f"CAST({column} * 100 AS BIGINT)"
    return column


def _sum_of_squares() -> str:
    # On SQLite kopecks squared outgrow a 64-bit integer at tens of millions of roubles a sub-period and SUM
    # would raise; TOTAL sums as a float (exact up to 2**53), which only the XYZ boundary of huge values
    # feels. PostgreSQL squares NUMERICs exactly.
    return "TOTAL(v * v)" if _in_kopecks() else "SUM(v * v)"


def classification_compute(
    *,
    subject: str,
    criterion: str,
    period: Period,
    boundaries: Boundaries,
    user=None,
) -> ComputedRows:
    """Every row of the classification of ``period``; ``user`` limits it to the partners they may see
    (their facts only, for products), ``None`` classifies the whole company."""
    money = criterion != Criterion.SALES_COUNT
    scope = _scope_sql(user)
    clients = subject == Subject.CLIENTS
    subject_column = "partner_id" if clients else "product_id"
    subs = period.sub_periods()
    params: list = []

    use_facts = period.type == PeriodType.MONTH or (scope is not None and not clients)
    if use_facts:
        whens, case_params = [], []
        for index, (_first, last) in enumerate(subs):
            whens.append(f"WHEN {_q('date')} <= %s THEN {index}")
            case_params.extend([last])
        value = (
            _exact(f"SUM({_q(criterion)})") if money else f"CAST(COUNT(DISTINCT {_q('sale_id')}) AS BIGINT)"
        )
        revenue = _exact(f"SUM({_q('revenue')})")
        sub_sql = (
            f"SELECT {_q(subject_column)} AS sid, CASE {' '.join(whens)} END AS sp, {value} AS v, "
            f"{revenue} AS rev "
            f"FROM {_q(SalesFact._meta.db_table)} WHERE {_q('date')} >= %s AND {_q('date')} <= %s"
        )
        params.extend([*case_params, period.start, period.end])
        if scope is not None:
            sub_sql += f" AND {_q('partner_id')} IN ({scope[0]})"
            params.extend(scope[1])
        sub_sql += " GROUP BY 1, 2"
    else:
        table = ClientMonth if clients else ProductMonth
        value = _exact(_q(criterion)) if money else _q("sales_count")
        sub_sql = (
            f"SELECT {_q(subject_column)} AS sid, {_q('month')} AS sp, {value} AS v, "
            f"{_exact(_q('revenue'))} AS rev "
            f"FROM {_q(table._meta.db_table)} WHERE {_q('month')} >= %s AND {_q('month')} <= %s"
        )
        params.extend([period.start, period.end])
        if scope is not None:
            sub_sql += f" AND {_q('partner_id')} IN ({scope[0]})"
            params.extend(scope[1])

    names_table = _q(Partner._meta.db_table if clients else Product._meta.db_table)
    ctes = [
        f"sub AS ({sub_sql})",
        # The spread N·Σx² − S² and S², worked out once per subject for the CV and the XYZ class.
        # ``vk``: the value as a whole number (kopecks, or a count), what the rows are sorted and summed by —
        # exact, and whole numbers sort and add several times faster than NUMERIC.
        "tot AS (SELECT sid, value, rev, k, %s * sq - value * value AS spread, value * value AS square, "
        f"{_whole('value', money)} AS vk FROM "
        "(SELECT sid, SUM(v) AS value, SUM(rev) AS rev, COUNT(*) AS k, "
        f"{_sum_of_squares()} AS sq FROM sub GROUP BY sid) g)",
    ]
    params.append(len(subs))
    if clients:
        prior = (
            f"SELECT DISTINCT {_q('partner_id')} AS sid FROM {_q(ClientMonth._meta.db_table)} "
            f"WHERE {_q('month')} < %s"
        )
        params.append(period.start)
        if scope is not None:
            prior += f" AND {_q('partner_id')} IN ({scope[0]})"
            params.extend(scope[1])
        ctes.append(f"prior AS ({prior})")
        base = (
            "SELECT n.id, n.name, t.value, t.rev, t.k, t.spread, t.square, t.vk, pr.sid AS prior_sid "
            f"FROM {names_table} n LEFT JOIN tot t ON t.sid = n.id LEFT JOIN prior pr ON pr.sid = n.id "
            f"WHERE (t.sid IS NOT NULL OR pr.sid IS NOT NULL OR n.{_q('is_client')} = %s)"
        )
        params.append(True)
        if scope is not None:
            base += f" AND n.id IN ({scope[0]})"
            params.extend(scope[1])
    else:
        base = (
            "SELECT n.id, n.name, t.value, t.rev, t.k, t.spread, t.square, t.vk, NULL AS prior_sid "
            f"FROM tot t JOIN {names_table} n ON n.id = t.sid"
        )
    # One order for the running sum and for the rows: the classified subjects (value > 0) by value, name and
    # id; then those with sales but no positive value; then the clients without sales, by name.
    order = "grp, vk DESC, name, id"
    ctes.append(
        "base AS (SELECT b.*, CASE WHEN b.value > 0 THEN 0 WHEN b.value IS NOT NULL THEN 1 ELSE 2 END AS grp "
        f"FROM ({base}) b)"
    )
    ctes.append(
        "ranked AS (SELECT base.*, "
        f"SUM(CASE WHEN grp = 0 THEN vk END) OVER (ORDER BY {order} "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running, "
        "SUM(CASE WHEN grp = 0 THEN vk END) OVER () AS total FROM base)"
    )

    a, b = _basis_points(boundaries.abc_a), _basis_points(boundaries.abc_b)
    x, y = _basis_points(boundaries.xyz_x), _basis_points(boundaries.xyz_y)
    abc = (
        "CASE WHEN grp <> 0 THEN '' "
        "WHEN (running - vk) * 10000 < %s * total THEN 'A' "
        "WHEN (running - vk) * 10000 < %s * total THEN 'B' ELSE 'C' END"
    )
    xyz = (
        "CASE WHEN grp <> 0 THEN '' "
        "WHEN 100000000 * spread <= %s * square THEN 'X' "
        "WHEN 100000000 * spread <= %s * square THEN 'Y' ELSE 'Z' END"
    )
    cv = (
        "CASE WHEN grp <> 0 THEN NULL WHEN spread <= 0 THEN 0.0 "
        "ELSE 100.0 * SQRT(CAST(spread AS DOUBLE PRECISION)) / CAST(value AS DOUBLE PRECISION) END"
    )
    params.extend([a, b, x * x, y * y])
    if clients:
        stage = (
            ", CASE WHEN k IS NOT NULL THEN "
            "(CASE WHEN k = 1 AND prior_sid IS NULL THEN 'one_time' ELSE 'regular' END) "
            "WHEN prior_sid IS NOT NULL THEN 'lost' ELSE 'potential' END"
        )
    else:
        stage = ", ''"
    sql = (
        f"WITH {', '.join(ctes)} "
        "SELECT id, name, value, rev, "
        f"CASE WHEN grp = 0 THEN 100.0 * CAST(vk AS {FLOAT}) / CAST(total AS {FLOAT}) END, "
        f"CASE WHEN grp = 0 THEN 100.0 * CAST(running AS {FLOAT}) / CAST(total AS {FLOAT}) END, "
        f"{abc}, {xyz}, {cv}{stage} FROM ranked ORDER BY {order}"
    )
    postgresql = connection.vendor == "postgresql"
    # No savepoint: only a transaction for the setting below to end with (the caller's, if there is one).
    with transaction.atomic(savepoint=False) if postgresql else nullcontext(), connection.cursor() as cursor:
        if postgresql:
            # Enough memory for this statement's sort and grouping of ~100 000 subjects to stay off the
            # disk (the default 4 MB spills them to temporary files); no compiling of its expressions (JIT,
            # chosen by the estimated cost), which takes longer than the rows take to evaluate without it.
            # Both for this transaction only (``set_config(…, true)``), in one round trip.
            cursor.execute("SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true)")
        cursor.execute(sql, params)
        raw = cursor.fetchall()
    return ComputedRows(raw, money=money, kopecks=_in_kopecks())


class ComputedRows(Sequence):
    """The rows of a computed classification, in the report's order, made into ``ClassificationRow`` only
    when read: a page of the report or of the API reads 50–1 000 of ~100 000 rows, and building every row
    costs more than the page itself."""

    # Positions in a fetched tuple: id, name, value, revenue, share, cumulative share, abc, xyz, cv, stage.
    VALUE, REVENUE, ABC, XYZ = 2, 3, 6, 7

    def __init__(self, raw: list[tuple], *, money: bool, kopecks: bool, positions: list[int] | None = None):
        self._raw = raw
        self._money = money
        self._kopecks = kopecks
        self._positions = positions  # when a selection of the rows: their positions in the whole report

    def _values(self, index: int) -> tuple:
        """Row ``index`` as the values of ``ClassificationRow``'s fields, in their order."""
        subject_id, name, value, revenue, share, cumulative, abc, xyz, cv, stage = self._raw[index]
        position = index + 1 if self._positions is None else self._positions[index]
        if revenue is None:  # a client without sales in the period (most of a report's rows): only a stage
            return (subject_id, name, position, None, None, None, None, "", None, "", stage, "")
        money, kopecks = self._money, self._kopecks
        return (
            subject_id,
            name,
            position,
            _amount(value, money=money, kopecks=kopecks),
            _amount(revenue, money=True, kopecks=kopecks),
            share,
            cumulative,
            abc or "",
            None if cv is None else float(cv),
            xyz or "",
            stage or "",
            f"{abc}{xyz}" if abc and xyz else "",
        )

    def _row(self, index: int) -> ClassificationRow:
        return ClassificationRow(*self._values(index))

    def values(self) -> Iterator[tuple]:
        """Every row as a tuple of ``ClassificationRow``'s fields (storing them needs no row objects)."""
        return (self._values(index) for index in range(len(self._raw)))

    def __len__(self) -> int:
        return len(self._raw)

    def count(self) -> int:
        return len(self._raw)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._row(position) for position in range(*index.indices(len(self._raw)))]
        if index < 0:
            index += len(self._raw)
        if not 0 <= index < len(self._raw):
            raise IndexError(index)
        return self._row(index)

    def __iter__(self) -> Iterator[ClassificationRow]:
        return (self._row(index) for index in range(len(self._raw)))

    def _select(self, keep) -> ComputedRows:
        positions = self._positions
        chosen = [index for index, values in enumerate(self._raw) if keep(values)]
        return ComputedRows(
            [self._raw[index] for index in chosen],
            money=self._money,
            kopecks=self._kopecks,
            positions=[index + 1 if positions is None else positions[index] for index in chosen],
        )

    def in_cell(self, cell: str) -> ComputedRows:
        """The rows of one matrix cell (``AX``…), keeping their positions in the whole report."""
        return self._select(lambda values: values[self.ABC] and values[self.ABC] + values[self.XYZ] == cell)

    def with_value(self) -> ComputedRows:
        """The subjects with sales in the period (not the lost or potential clients)."""
        return self._select(lambda values: values[self.VALUE] is not None)

    def cell_totals(self) -> dict[str, tuple[int, Decimal, Decimal]]:
        """Per matrix cell: its subjects, their revenue and their criterion value."""
        counts: dict[str, int] = {}
        revenue: dict[str, object] = {}
        value: dict[str, object] = {}
        for values in self._raw:
            abc, xyz = values[self.ABC], values[self.XYZ]
            if abc and xyz:
                cell = abc + xyz
                counts[cell] = counts.get(cell, 0) + 1
                revenue[cell] = revenue.get(cell, 0) + (values[self.REVENUE] or 0)
                value[cell] = value.get(cell, 0) + (values[self.VALUE] or 0)
        kopecks, money = self._kopecks, self._money
        return {
            cell: (
                count,
                _amount(revenue[cell], money=True, kopecks=kopecks),
                _amount(value[cell], money=money, kopecks=kopecks),
            )
            for cell, count in counts.items()
        }


def _amount(number, *, money: bool, kopecks: bool) -> Decimal | None:
    if number is None:
        return None
    if not money:
        return Decimal(round(number))
    if kopecks:
        return (Decimal(round(number)) / 100).quantize(KOPECKS)
    return number  # a sum of NUMERIC(…, 2) columns: already in kopecks' precision


def first_sale_day() -> date | None:
    return SalesFact.objects.order_by("date").values_list("date", flat=True).first()
