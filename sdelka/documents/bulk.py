"""Writing many sales at once (the history import, ``manage.py populate``) by the rules the services keep.

Numbers come from the same counters the services use, a block at a time, so they stay unique and the next
document a user makes continues them; lines and facts go in as plain multi-row INSERTs, because for
millions of rows ``bulk_create``'s per-field work is most of the time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from django.db import connection
from django.db.models import F

LINE_COLUMNS = (
    "document_id",
    "product_id",
    "quantity",
    "price",
    "discount_percent",
    "vat_rate",
    "amount_discount",
    "amount_net",
    "amount_vat",
    "amount_gross",
)
FACT_COLUMNS = (
    "date",
    "sale_id",
    "partner_id",
    "counterparty_id",
    "product_id",
    "deal_id",
    "manager_id",
    "quantity",
    "revenue",
    "cost",
    "gross_profit",
)


def reserve_numbers(counter, **key) -> Callable[[int], list[int]]:
    """A function giving ``n`` consecutive numbers from a counter row; call inside a transaction."""

    def take(count: int) -> list[int]:
        counter.objects.get_or_create(**key)
        counter.objects.filter(**key).update(last=F("last") + count)  # locks the row
        last = counter.objects.get(**key).last
        return list(range(last - count + 1, last + 1))

    return take


def number_sales(sales) -> None:
    """Give ``sales`` (anything with ``year`` and ``number``) consecutive numbers of their year, as the
    services number a sale; call inside a transaction."""
    from sdelka.documents.choices import DocumentType
    from sdelka.documents.models import DocumentNumberCounter

    by_year: dict[int, list] = {}
    for sale in sales:
        by_year.setdefault(sale.year, []).append(sale)
    for year, of_year in by_year.items():
        take = reserve_numbers(DocumentNumberCounter, document_type=DocumentType.SALE, year=year)
        for sale, number in zip(of_year, take(len(of_year)), strict=True):
            sale.number = f"{year}-{number:06d}"


def insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Rows of values that are already what the columns hold: PostgreSQL's COPY (one stream, no statement
    per row), or executemany of one INSERT on SQLite, where statements run in-process and are cheap."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        copy_into(model, columns, copy_text(rows))
        return
    quote = connection.ops.quote_name
    table, names = quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def copy_into(model, columns: tuple[str, ...], text: str) -> None:
    """PostgreSQL: rows already in COPY's text format (``copy_text``) into ``model``'s table."""
    quote = connection.ops.quote_name
    table, names = quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        copy.write(text)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_escape(text: str) -> str:
    """``text`` as a value in COPY's text format (backslash, tab and line breaks escaped)."""
    return text.translate(_ESCAPES)


def _copy_value(value) -> str:
    kind = value.__class__
    if kind is int or kind is Decimal:
        return str(value)
    if value is None:
        return "\\N"
    if kind is str:
        return value.translate(_ESCAPES)
    if kind is bool:
        return "t" if value else "f"
    if kind is float:
        return repr(value)  # the shortest text that reads back as the same double
    if kind is date or kind is datetime:
        return value.isoformat()
    # Subclasses: choices (a TextChoices member is a str, its text is its value), other datetimes.
    if isinstance(value, str):
        return str.translate(value, _ESCAPES)
    if isinstance(value, int | Decimal):
        return str(int(value)) if isinstance(value, int) else str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"no COPY text for {kind.__name__}")


def copy_text(rows: list[tuple]) -> str:
    """Rows in the text format of PostgreSQL's COPY (tab-separated, ``\\N`` for NULL, backslash escapes):
    formatted here in one pass, several times faster than psycopg's per-row ``write_row`` for plain values."""
    value = _copy_value
    return "".join("\t".join([value(item) for item in row]) + "\n" for row in rows)


def copy_text_of_numbers(rows: list) -> str:
    """``copy_text`` for rows of numbers, dates, NULLs and text that needs no escaping (codes such as a VAT
    rate): ``str`` of each is already its COPY text, so no function is called per value — the lines and
    facts of a million-line import are twenty million values."""
    null = "\\N"
    return "".join(
        ["\t".join([null if value is None else str(value) for value in row]) + "\n" for row in rows]
    )
