"""Importing years of sales history from 1C or Excel: a CSV or XLSX of sale lines becomes posted sales.

Columns: ``date, document, client_id, client_name, client_inn, product_sku, product_name, quantity, revenue,
cost, manager`` (revenue net of VAT; ``client_inn``, ``cost`` and ``manager`` may be empty).

Two passes. The first reads the file, checks every row and reports each bad one with its row number and the
reason, keeping the good rows parsed in a temporary file; unless bad rows are to be skipped, nothing is
written when there is a bad one. The second goes over the kept rows a batch of whole documents at a time:
partners missing are created (found by ``client_id``, then INN/BIN, then name) and products by SKU, then the
sales, their lines, their sales facts and their share of the monthly aggregates are written in bulk, one
transaction per batch with the job's progress — exactly what posting a sale writes. On PostgreSQL the
batches are written by threads of their own while the next ones are prepared (``_Writer``). A document
already imported (same number, same client) is skipped, so importing a file again adds nothing, and an
import stopped half-way (marked failed, with the reason) can be run again.
"""

from __future__ import annotations

import csv
import functools
import io
import marshal
import operator
import queue
import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sdelka.accounts.choices import Role
from sdelka.accounts.models import User
from sdelka.catalog.choices import VatRate
from sdelka.catalog.models import Product
from sdelka.documents.amounts import to_kopecks
from sdelka.documents.bulk import (
    FACT_COLUMNS,
    LINE_COLUMNS,
    copy_escape,
    copy_into,
    copy_text_of_numbers,
    insert_rows,
    number_sales,
)
from sdelka.documents.choices import SaleStatus
from sdelka.documents.models import (
    ImportedClientCode,
    ImportStatus,
    Sale,
    SaleLine,
    SalesFact,
    SalesImport,
)
from sdelka.partners.choices import Country, LegalForm
from sdelka.partners.models import Counterparty, Partner
from sdelka.partners.taxids import validate_bin, validate_inn

COLUMNS = (
    "date",
    "document",
    "client_id",
    "client_name",
    "client_inn",
    "product_sku",
    "product_name",
    "quantity",
    "revenue",
    "cost",
    "manager",
)
# The first bad rows kept to show; all of them are counted.
KEPT_ERRORS = 1000
# Lines written per transaction (whole documents, so a batch may be a little larger).
BATCH_LINES = 20_000
XLSX_MAGIC = b"PK\x03\x04"


class ImportFileError(ValueError):
    """The file as a whole cannot be read: not a table, an unknown encoding, columns missing."""


# --- reading -----------------------------------------------------------------------------------------------


def _normalize_header(cells) -> list[str]:
    return [str(cell or "").strip().lstrip("\ufeff").lower() for cell in cells]


def _check_header(header: list[str]) -> dict[str, int]:
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise ImportFileError(
            _("The first row must name the columns; missing: %(missing)s. Expected: %(expected)s.")
            % {"missing": ", ".join(missing), "expected": ", ".join(COLUMNS)}
        )
    return {name: header.index(name) for name in COLUMNS}


def _csv_text(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file is neither UTF-8 nor Windows-1251 text."))


def read_rows(content: bytes, file_name: str) -> Iterator[tuple[int, tuple]]:
    """(row number as a spreadsheet shows it, the raw values in the order of ``COLUMNS``) of every non-empty
    row after the header."""
    if content.startswith(XLSX_MAGIC) or file_name.lower().endswith(".xlsx"):
        yield from _xlsx_rows(content)
    else:
        yield from _csv_rows(content)


def _csv_rows(content: bytes) -> Iterator[tuple[int, tuple]]:
    text = _csv_text(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        raise ImportFileError(_("The file is empty."))
    positions = _check_header(_normalize_header(header))
    pick = operator.itemgetter(*(positions[name] for name in COLUMNS))
    width = max(positions.values()) + 1
    for number, cells in enumerate(reader, start=2):
        if not "".join(cells).strip():
            continue
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        yield number, pick(cells)


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, tuple]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from error
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ImportFileError(_("The file is empty."))
        positions = _check_header(_normalize_header(header))
        for number, cells in enumerate(rows, start=2):
            if not any(cell not in (None, "") and str(cell).strip() for cell in cells):
                continue
            yield (
                number,
                tuple(cells[positions[name]] if positions[name] < len(cells) else None for name in COLUMNS),
            )
    finally:
        workbook.close()


# --- checking one row --------------------------------------------------------------------------------------


@dataclass(slots=True)
class SaleRow:
    row: int
    day: date
    document: str
    client_id: str
    client_name: str
    client_inn: str
    sku: str
    product_name: str
    quantity: Decimal
    revenue: Decimal
    cost: Decimal | None
    manager_id: int | None

    @property
    def client_key(self) -> tuple[str, str]:
        if self.client_id:
            return ("id", self.client_id)
        if self.client_inn:
            return ("inn", self.client_inn)
        return ("name", self.client_name.casefold())

    @property
    def document_key(self) -> tuple:
        return (self.document, self.client_key)


def _text(value) -> str:
    if value.__class__ is str:  # the common case, a CSV cell: no conversions
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed into Excel comes back as 1001.0
    return str(value).strip()


def _name(value) -> str:
    # ``split()`` drops the ends' white space too: a CSV cell needs no ``_text``.
    return " ".join((value if value.__class__ is str else _text(value)).split())


QUANTUM = {2: Decimal("0.01"), 3: Decimal("0.001")}
TOO_LARGE = Decimal(10) ** 12


# A plain number with no more decimals than allowed: the common case, taken without inspecting the Decimal.
PLAIN = {places: re.compile(rf"-?[0-9]{{1,13}}(?:\.[0-9]{{0,{places}}})?").fullmatch for places in QUANTUM}


def _decimal(value, *, places: int) -> Decimal:
    if value.__class__ is str:
        if PLAIN[places](value):  # most cells of an export: nothing to clean
            return Decimal(value)
        text = value.strip()
        if "," in text or " " in text or "\u00a0" in text:
            text = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
        if PLAIN[places](text):
            return Decimal(text)
        if not text:
            raise ValueError("empty")
        number = Decimal(text)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        raise ValueError("not a number")
    if not number.is_finite():
        raise ValueError("not finite")
    if number.as_tuple().exponent < -places:
        quantized = number.quantize(QUANTUM[places])
        if quantized != number:
            raise ValueError("too precise")
        return quantized
    return number


def _day(value) -> date:
    if value.__class__ is str:
        return date.fromisoformat(value.strip())
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise ValueError("not a date")


# Big enough for every client of a large file (which names each many times); emptied after each file.
@functools.lru_cache(maxsize=1_000_000)
def _valid_tax_id(tax_id: str) -> bool:
    """An INN (Russia) or a BIN/IIN (Kazakhstan) with the right check digits."""
    for validate in (validate_inn, validate_bin):
        try:
            validate(tax_id)
        except ValidationError:
            continue
        return True
    return False


def parse_row(number: int, values: tuple, *, today: date, managers: dict[str, int]) -> SaleRow | list[str]:
    """The row (its raw values in the order of ``COLUMNS``) as a ``SaleRow``, or every problem it has."""
    (
        raw_date,
        raw_document,
        raw_client_id,
        raw_client_name,
        raw_client_inn,
        raw_sku,
        raw_product_name,
        raw_quantity,
        raw_revenue,
        raw_cost,
        raw_manager,
    ) = values
    problems: list[str] = []
    day = None
    try:
        day = _day(raw_date)
    except (TypeError, ValueError):
        problems.append(_("date “%(value)s” is not a date as YYYY-MM-DD.") % {"value": _text(raw_date)})
    else:
        if day > today:
            problems.append(_("date %(value)s is in the future.") % {"value": day.isoformat()})
    # A CSV cell is a str: stripped here rather than by a call per cell (a million rows of eleven cells).
    document = raw_document.strip() if raw_document.__class__ is str else _text(raw_document)
    if not document:
        problems.append(_("document (the sale's number) is empty."))
    elif len(document) > 50:
        problems.append(_("document is longer than 50 characters."))
    client_id = raw_client_id.strip() if raw_client_id.__class__ is str else _text(raw_client_id)
    client_name = _name(raw_client_name)
    client_inn = raw_client_inn.strip() if raw_client_inn.__class__ is str else _text(raw_client_inn)
    client_inn = client_inn.replace(" ", "")
    if not (client_id or client_inn or client_name):
        problems.append(_("the client is not given: fill client_id, client_inn or client_name."))
    if len(client_id) > 50:
        problems.append(_("client_id is longer than 50 characters."))
    if len(client_name) > 255:
        problems.append(_("client_name is longer than 255 characters."))
    if client_inn and not _valid_tax_id(client_inn):
        problems.append(_("client_inn “%(inn)s” is not a valid INN or BIN.") % {"inn": client_inn})
    sku = raw_sku.strip() if raw_sku.__class__ is str else _text(raw_sku)
    product_name = _name(raw_product_name)
    if not sku:
        problems.append(_("product_sku is empty."))
    elif len(sku) > 50:
        problems.append(_("product_sku is longer than 50 characters."))
    if len(product_name) > 255:
        problems.append(_("product_name is longer than 255 characters."))
    amounts: dict[str, Decimal | None] = {}
    for name, raw, places, optional in (
        ("quantity", raw_quantity, 3, False),
        ("revenue", raw_revenue, 2, False),
        ("cost", raw_cost, 2, True),
    ):
        if optional and not _text(raw):
            amounts[name] = None
            continue
        try:
            amounts[name] = _decimal(raw, places=places)
        except (ValueError, InvalidOperation):
            problems.append(
                _("%(column)s “%(value)s” is not a number with at most %(places)s decimals.")
                % {"column": name, "value": _text(raw), "places": places}
            )
            continue
        if abs(amounts[name]) >= TOO_LARGE:
            problems.append(_("%(column)s is too large.") % {"column": name})
    quantity, revenue, cost = amounts.get("quantity"), amounts.get("revenue"), amounts.get("cost")
    if quantity is not None and not quantity:
        problems.append(_("quantity is 0."))
    if quantity and revenue and (quantity > 0) != (revenue > 0):
        problems.append(_("revenue and quantity have different signs (a return has both negative)."))
    if quantity and cost and (quantity > 0) != (cost > 0):
        problems.append(_("cost and quantity have different signs (a return has both negative)."))
    manager_text = _name(raw_manager)
    manager_id = None
    if manager_text:
        manager_id = managers.get(manager_text.casefold())
        if manager_id is None:
            problems.append(
                _("manager “%(value)s” is not a user (give the login or the full name).")
                % {"value": manager_text}
            )
    if problems:
        return problems
    return SaleRow(  # positionally: a million rows
        number,
        day,
        document,
        client_id,
        client_name,
        client_inn,
        sku,
        product_name,
        quantity,
        revenue,
        cost,
        manager_id,
    )


def manager_lookup() -> dict[str, int]:
    """Active users by login and by full name in either order, case-insensitive."""
    found: dict[str, int] = {}
    for pk, username, first, last in User.objects.filter(is_active=True).values_list(
        "pk", "username", "first_name", "last_name"
    ):
        for key in (username, f"{first} {last}", f"{last} {first}"):
            key = " ".join(key.split()).casefold()
            if key:
                found.setdefault(key, pk)
    return found


# --- the whole file ----------------------------------------------------------------------------------------


# Good rows kept per chunk of the spill file.
SPILL_CHUNK = 10_000


@dataclass
class CheckedFile:
    """What the first pass learned: bad rows, how many good rows each document has, and the good rows
    themselves, parsed, in a temporary file (so the second pass neither re-reads the file nor holds millions
    of rows in memory)."""

    total_rows: int = 0
    errors: list[list] = field(default_factory=list)
    error_count: int = 0
    bad_documents: set = field(default_factory=set)
    document_rows: dict = field(default_factory=dict)
    spill: tempfile.SpooledTemporaryFile | None = None
    pending: list[tuple] = field(default_factory=list)

    def add_error(self, row: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < KEPT_ERRORS:
            self.errors.append([row, message])

    def keep(self, row: SaleRow) -> None:
        self.pending.append(
            (
                row.row,
                row.day.toordinal(),
                row.document,
                row.client_id,
                row.client_name,
                row.client_inn,
                row.sku,
                row.product_name,
                str(row.quantity),
                str(row.revenue),
                None if row.cost is None else str(row.cost),
                row.manager_id,
            )
        )
        if len(self.pending) >= SPILL_CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self.spill is None:
            # Closed by close(), after the second pass (or when the file is refused).
            self.spill = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115
        # Length-prefixed blocks read back whole: marshal.load on a file object reads value by value, a
        # method call per field of every row.
        block = marshal.dumps(self.pending)
        self.spill.write(len(block).to_bytes(8, "little"))
        self.spill.write(block)
        self.pending = []

    def good_rows(self) -> Iterator[SaleRow]:
        """The good rows in the file's order, as the first pass parsed them."""
        if self.pending:
            self._flush()
        if self.spill is None:
            return
        self.spill.seek(0)
        while size := self.spill.read(8):
            chunk = marshal.loads(self.spill.read(int.from_bytes(size, "little")))
            for number, day, *texts, quantity, revenue, cost, manager_id in chunk:
                yield SaleRow(
                    number,
                    date.fromordinal(day),
                    *texts,
                    Decimal(quantity),
                    Decimal(revenue),
                    None if cost is None else Decimal(cost),
                    manager_id,
                )

    def close(self) -> None:
        if self.spill is not None:
            self.spill.close()
            self.spill = None


def check_file(content: bytes, file_name: str, *, today: date, progress: Callable[[int], None] | None = None):
    """Every bad row with its number and reason; rows of one document must agree on the date and manager."""
    checked = CheckedFile()
    managers = manager_lookup()
    first_of_document: dict[tuple, tuple] = {}
    for number, values in read_rows(content, file_name):
        checked.total_rows += 1
        parsed = parse_row(number, values, today=today, managers=managers)
        if isinstance(parsed, list):
            for problem in parsed:
                checked.add_error(number, problem)
            continue
        key = parsed.document_key
        first = first_of_document.setdefault(key, (parsed.row, parsed.day, parsed.manager_id))
        if first[1] != parsed.day:
            checked.add_error(
                number,
                _("document %(document)s has the date %(date)s in row %(row)s; all its rows need one date.")
                % {"document": parsed.document, "date": first[1].isoformat(), "row": first[0]},
            )
            checked.bad_documents.add(key)
        elif first[2] != parsed.manager_id:
            checked.add_error(
                number,
                _("document %(document)s has another manager in row %(row)s; all its rows need one manager.")
                % {"document": parsed.document, "row": first[0]},
            )
            checked.bad_documents.add(key)
        checked.document_rows[key] = checked.document_rows.get(key, 0) + 1
        checked.keep(parsed)
        if progress and checked.total_rows % 10_000 == 0:
            progress(checked.total_rows)
    _valid_tax_id.cache_clear()
    if checked.total_rows == 0:
        raise ImportFileError(_("The file has no rows after the header."))
    return checked


class _Catalogs:
    """Partners, counterparties and products by the keys rows refer to them with; filled as rows create them."""

    def __init__(self):
        self.by_code = dict(ImportedClientCode.objects.values_list("code", "partner_id"))
        self.by_tax_id: dict[str, int] = {}
        self.counterparty_of: dict[int, int] = {}
        for partner_id, pk, inn, bin_ in Counterparty.objects.order_by("pk").values_list(
            "partner_id", "pk", "inn", "bin"
        ):
            self.counterparty_of.setdefault(partner_id, pk)
            for tax_id in (inn, bin_):
                if tax_id:
                    self.by_tax_id.setdefault(tax_id, partner_id)
        self.by_name: dict[str, int] = {}
        self.manager_of: dict[int, int | None] = {}
        for pk, name, manager_id in Partner.objects.order_by("pk").values_list("pk", "name", "manager_id"):
            self.by_name.setdefault(name.casefold(), pk)
            self.manager_of[pk] = manager_id
        self.products = {
            sku: (pk, vat_rate, cost)
            for sku, pk, vat_rate, cost in Product.objects.values_list("sku", "pk", "vat_rate", "cost_price")
        }
        self.imported = set(
            Sale.objects.exclude(external_number="").values_list("partner_id", "external_number")
        )

    def partner_of(self, row: SaleRow) -> int | None:
        if row.client_id and row.client_id in self.by_code:
            return self.by_code[row.client_id]
        if row.client_inn and row.client_inn in self.by_tax_id:
            return self.by_tax_id[row.client_inn]
        if row.client_name:
            return self.by_name.get(row.client_name.casefold())
        return None


def _vat_fraction(vat_rate: str) -> Decimal:
    return Decimal(0) if vat_rate == VatRate.WITHOUT else Decimal(vat_rate) / 100


@dataclass
class _Counts:
    sales: int = 0
    lines: int = 0
    partners: int = 0
    products: int = 0
    already: int = 0
    rows: int = 0


def _create_missing(catalogs: _Catalogs, documents: list[list[SaleRow]], counts: _Counts) -> None:
    """Partners (with a counterparty for an INN/BIN and the client id remembered) and products the batch
    needs; a partner found by INN or name also gets the client id remembered for the next file."""
    new_partners: dict[tuple, SaleRow] = {}
    codes: list[ImportedClientCode] = []
    for rows in documents:
        first = rows[0]
        partner_id = catalogs.partner_of(first)
        if partner_id is None:
            new_partners.setdefault(first.client_key, first)
        elif first.client_id and first.client_id not in catalogs.by_code:
            catalogs.by_code[first.client_id] = partner_id
            codes.append(ImportedClientCode(code=first.client_id, partner_id=partner_id))
    if new_partners:
        partners = [
            Partner(
                name=row.client_name or row.client_inn or row.client_id,
                is_client=True,
                manager_id=row.manager_id,
                comment=_("Created by the import of sales history."),
            )
            for row in new_partners.values()
        ]
        Partner.objects.bulk_create(partners)
        counterparties = []
        for partner, row in zip(partners, new_partners.values(), strict=True):
            counts.partners += 1
            catalogs.manager_of[partner.pk] = partner.manager_id
            catalogs.by_name.setdefault(partner.name.casefold(), partner.pk)
            if row.client_id:
                catalogs.by_code[row.client_id] = partner.pk
                codes.append(ImportedClientCode(code=row.client_id, partner_id=partner.pk))
            if row.client_inn:
                catalogs.by_tax_id[row.client_inn] = partner.pk
                kazakh = _is_bin(row.client_inn)
                counterparties.append(
                    Counterparty(
                        partner_id=partner.pk,
                        name=partner.name,
                        country=Country.KAZAKHSTAN if kazakh else Country.RUSSIA,
                        legal_form=LegalForm.SOLE_TRADER
                        if len(row.client_inn) == 12 and not kazakh
                        else LegalForm.OTHER,
                        inn="" if kazakh else row.client_inn,
                        bin=row.client_inn if kazakh else "",
                    )
                )
        Counterparty.objects.bulk_create(counterparties)
        for counterparty in counterparties:
            catalogs.counterparty_of.setdefault(counterparty.partner_id, counterparty.pk)
    if codes:
        ImportedClientCode.objects.bulk_create(codes, ignore_conflicts=True)
    new_products: dict[str, SaleRow] = {}
    for rows in documents:
        for row in rows:
            if row.sku not in catalogs.products:
                new_products.setdefault(row.sku, row)
    if new_products:
        products = []
        for sku, row in new_products.items():
            unit_cost = (
                abs(row.cost / row.quantity).quantize(Decimal("0.01")) if row.cost else Decimal("0.00")
            )
            unit_price = abs(row.revenue / row.quantity).quantize(Decimal("0.01"))
            products.append(
                Product(sku=sku, name=row.product_name or sku, price=unit_price, cost_price=unit_cost)
            )
        Product.objects.bulk_create(products)
        for product in products:
            catalogs.products[product.sku] = (product.pk, product.vat_rate, product.cost_price)
            counts.products += 1


def _is_bin(tax_id: str) -> bool:
    try:
        validate_inn(tax_id)
    except ValidationError:
        return True
    return False


@dataclass
class _Batch:
    """A batch of documents made ready to write: its new sales, their lines and facts (each naming its sale,
    whose id is known once the sale is written), what they add to the aggregates, and the job's counts."""

    sales: list[_NewSale]
    line_rows: list[list]
    fact_rows: list[list]
    cells: object
    counts: dict
    # PostgreSQL: the sales already numbered and given ids, and the three tables' rows as COPY text, so the
    # writer only streams them (Python work in the writer thread would wait for the other thread's lock).
    texts: list[tuple] | None = None


def _prepare_batch(
    job: SalesImport,
    catalogs: _Catalogs,
    documents: list[list[SaleRow]],
    counts: _Counts,
    fallback_manager: int,
) -> _Batch:
    """The batch's missing partners and products created (their own transaction: a batch that then fails
    leaves them, and a re-run finds them), then its new sales, lines and facts built in memory."""
    from sdelka.analytics.services.aggregates import NewSalesCells

    with transaction.atomic():
        _create_missing(catalogs, documents, counts)
    sales: list[_NewSale] = []
    kept: list[list[SaleRow]] = []
    for rows in documents:
        first = rows[0]
        partner_id = catalogs.partner_of(first)
        if (partner_id, first.document) in catalogs.imported:
            counts.already += 1
            continue
        catalogs.imported.add((partner_id, first.document))
        manager_id = first.manager_id or catalogs.manager_of.get(partner_id) or fallback_manager
        sales.append(
            _NewSale(
                date=first.day,
                year=first.day.year,
                partner_id=partner_id,
                counterparty_id=catalogs.counterparty_of.get(partner_id),
                manager_id=manager_id,
                external_number=first.document,
            )
        )
        kept.append(rows)
    line_rows, fact_rows = [], []
    cells = NewSalesCells()
    zero, cent = Decimal("0.00"), Decimal("0.01")
    products = catalogs.products
    fractions: dict[str, Decimal] = {}
    for sale, rows in zip(sales, kept, strict=True):
        # The rows of a document have one date (the check refuses others).
        day, partner_id, counterparty_id, manager_id = (
            sale.date,
            sale.partner_id,
            sale.counterparty_id,
            sale.manager_id,
        )
        net_total = vat_total = zero
        sums = []
        for row in rows:
            product_id, vat_rate, unit_cost = products[row.sku]
            fraction = fractions.get(vat_rate)
            if fraction is None:
                fraction = fractions[vat_rate] = _vat_fraction(vat_rate)
            revenue, quantity = row.revenue, row.quantity
            vat = to_kopecks(revenue * fraction)
            price = abs(revenue / quantity).quantize(cent)
            cost = row.cost if row.cost is not None else to_kopecks(unit_cost * quantity)
            gross_profit = revenue - cost
            line_rows.append(
                [sale, product_id, quantity, price, zero, vat_rate, zero, revenue, vat, revenue + vat]
            )
            fact_rows.append(
                [
                    day,
                    sale,
                    partner_id,
                    counterparty_id,
                    product_id,
                    None,
                    manager_id,
                    quantity,
                    revenue,
                    cost,
                    gross_profit,
                ]
            )
            sums.append((product_id, revenue, cost, gross_profit))
            net_total += revenue
            vat_total += vat
        cells.add_sale(sale, day, partner_id, sums)
        sale.amount_net, sale.amount_vat, sale.amount_gross = net_total, vat_total, net_total + vat_total
    counts.sales += len(sales)
    counts.lines += len(line_rows)
    counts.rows += sum(len(rows) for rows in documents)
    progress = {
        "processed_rows": counts.rows,
        "sales_created": counts.sales,
        "lines_created": counts.lines,
        "partners_created": counts.partners,
        "products_created": counts.products,
        "documents_already_imported": counts.already,
    }
    batch = _Batch(sales, line_rows, fact_rows, cells, progress)
    if sales and connection.vendor == "postgresql":
        # Numbers (and ids) are taken in a transaction of their own: a batch that fails after leaves a gap
        # in the numbers, as a deleted draft does.
        with transaction.atomic():
            number_sales(sales)
            _draw_sale_ids(sales)
        _point_at_sales(batch)
        batch.texts = [
            (
                Sale,
                ("id", *SALE_COLUMNS),
                copy_text_of_numbers(_sale_rows(sales, job=job, now=timezone.now(), ids=True, copy=True)),
            ),
            (SaleLine, LINE_COLUMNS, copy_text_of_numbers(batch.line_rows)),
            (SalesFact, FACT_COLUMNS, copy_text_of_numbers(batch.fact_rows)),
        ]
        cells.tables()
    return batch


def _point_at_sales(batch: _Batch) -> None:
    """Lines and facts name their sale by id once the sales have theirs."""
    for line in batch.line_rows:
        line[0] = line[0].pk
    for fact in batch.fact_rows:
        fact[1] = fact[1].pk


def _write_batch(job: SalesImport, batch: _Batch) -> None:
    """One transaction: the batch's sales, their lines, facts and share of the monthly aggregates, and the
    job's progress (so an import stopped half-way leaves the aggregates right)."""
    from sdelka.analytics.services.aggregates import sales_aggregates_add

    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The batch's commit need not wait for its WAL to reach the disk: if the server crashed right
            # after, the batch would be lost and a re-run of the import adds it (documents already imported
            # are skipped). The setting ends with the transaction.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        if batch.texts is not None:
            for model, columns, text in batch.texts:
                copy_into(model, columns, text)
        elif batch.sales:  # SQLite: numbered, written, then their ids looked up by number
            number_sales(batch.sales)
            insert_rows(Sale, SALE_COLUMNS, _sale_rows(batch.sales, job=job, now=timezone.now(), ids=False))
            _look_up_sale_ids(batch.sales)
            _point_at_sales(batch)
            insert_rows(SaleLine, LINE_COLUMNS, [tuple(line) for line in batch.line_rows])
            insert_rows(SalesFact, FACT_COLUMNS, [tuple(fact) for fact in batch.fact_rows])
        if batch.sales:
            sales_aggregates_add(batch.cells)
        # Batches written by two threads may commit out of order: the counts only grow.
        SalesImport.objects.filter(pk=job.pk).update(
            **{name: Greatest(F(name), value) for name, value in batch.counts.items()}
        )


class _Writer:
    """Writes prepared batches. On PostgreSQL in ``THREADS`` threads, each with its own connection, so the
    server writes batches while Python prepares the next ones — the cores busy instead of taking turns.
    Inline on SQLite (one writer at a time) and inside a transaction (a test's, which another connection
    would not see). Batches may commit out of order: each is whole on its own, and the job's counts only
    grow."""

    THREADS = 2

    def __init__(self, write: Callable[[_Batch], None]):
        self.write = write
        self.threaded = connection.vendor == "postgresql" and not connection.in_atomic_block
        self.error: BaseException | None = None
        if self.threaded:
            # A batch waiting per thread at most: memory stays a few batches whatever the file's size.
            self.queue: queue.Queue[_Batch | None] = queue.Queue(maxsize=self.THREADS)
            self.threads = [
                threading.Thread(target=self._run, name=f"sales-import-writer-{n}", daemon=True)
                for n in range(self.THREADS)
            ]
            for thread in self.threads:
                thread.start()

    def _run(self) -> None:
        try:
            while (batch := self.queue.get()) is not None:
                if self.error is not None:
                    continue  # another batch failed: the rest are dropped (the caller stops at the next)
                try:
                    self.write(batch)
                except BaseException as error:  # handed to the caller, which raises it
                    self.error = error
        finally:
            connections.close_all()  # this thread's connections

    def submit(self, batch: _Batch) -> None:
        if not self.threaded:
            self.write(batch)
            return
        if self.error is not None:
            raise self.error
        self.queue.put(batch)

    def finish(self, *, failed: bool = False) -> None:
        """Wait for the batches submitted; raise what stopped a writer (unless the caller failed first)."""
        if not self.threaded:
            return
        for _thread in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join()
        if self.error is not None and not failed:
            raise self.error


SALE_COLUMNS = (
    "created_at",
    "updated_at",
    "number",
    "year",
    "date",
    "partner_id",
    "counterparty_id",
    "manager_id",
    "currency",
    "exchange_rate",
    "prices_include_vat",
    "amount_net",
    "amount_vat",
    "amount_gross",
    "comment",
    "created_by_id",
    "status",
    "posted_at",
    "external_number",
    "sales_import_id",
)


@dataclass(slots=True)
class _NewSale:
    """What differs between the imported sales of a batch (the rest is the same for all of them)."""

    date: date
    year: int
    partner_id: int
    counterparty_id: int | None
    manager_id: int
    external_number: str
    number: str = ""
    amount_net: Decimal = Decimal("0.00")
    amount_vat: Decimal = Decimal("0.00")
    amount_gross: Decimal = Decimal("0.00")
    pk: int | None = None


def _draw_sale_ids(sales: list[_NewSale]) -> None:
    """PostgreSQL: ids for the sales from the table's own sequence, so they are written with them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Sale._meta.db_table, len(sales)],
        )
        for sale, (pk,) in zip(sales, cursor.fetchall(), strict=True):
            sale.pk = pk


def _sale_rows(sales: list[_NewSale], *, job: SalesImport, now, ids: bool, copy: bool = False) -> list[tuple]:
    """The values of ``SALE_COLUMNS`` (after the id, if ``ids``): posted sales in the base currency, prices
    without VAT. ``copy``: texts escaped and the moment written out, so that ``str`` of every value is its
    text for COPY (``copy_text_of_numbers``) — no formatting call per value of ~200 000 sales."""
    operations = connection.ops
    moment = now.isoformat() if copy else operations.adapt_datetimefield_value(now)
    comment = _("Imported from %(file)s.") % {"file": job.file_name}
    if copy:
        comment = copy_escape(comment)
    base = settings.SDELKA_BASE_CURRENCY
    one = Decimal("1")
    posted = SaleStatus.POSTED.value
    created_by, job_id = job.created_by_id, job.pk
    return [
        (
            *((sale.pk,) if ids else ()),
            moment,
            moment,
            sale.number,
            sale.year,
            sale.date if copy else operations.adapt_datefield_value(sale.date),
            sale.partner_id,
            sale.counterparty_id,
            sale.manager_id,
            base,
            one,
            False,
            sale.amount_net,
            sale.amount_vat,
            sale.amount_gross,
            comment,
            created_by,
            posted,
            moment,
            copy_escape(sale.external_number) if copy else sale.external_number,
            job_id,
        )
        for sale in sales
    ]


def _look_up_sale_ids(sales: list[_NewSale]) -> None:
    ids = {}
    numbers = [sale.number for sale in sales]
    for start in range(0, len(numbers), 900):  # SQLite allows about 1000 parameters a query
        chunk = numbers[start : start + 900]
        ids.update(
            ((year, number), pk)
            for year, number, pk in Sale.objects.filter(number__in=chunk).values_list("year", "number", "pk")
        )
    for sale in sales:
        sale.pk = ids[(sale.year, sale.number)]


def _fallback_manager(job: SalesImport) -> int:
    """Who is the manager of a sale whose row and client name none: the uploader, else an administrator."""
    if job.created_by_id:
        return job.created_by_id
    admin = (
        User.objects.filter(is_active=True, role=Role.ADMIN)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if admin is None:
        raise ImportFileError(_("There is no active administrator to be the manager of sales without one."))
    return admin


def sales_import_run(
    job: SalesImport,
    *,
    progress: Callable[[str, int, int], None] | None = None,
    content: bytes | None = None,
) -> SalesImport:
    """Check the job's file, then import it (or refuse it with its bad rows); the worker and the command call
    this. ``progress(stage, done, total)`` is told how far it got. Messages are in the uploader's language.
    ``content``: the file when the job does not keep it (the command reads it from the disk)."""
    with translation.override(job.language or settings.LANGUAGE_CODE):
        return _check_and_import(job, progress, bytes(job.content or b"") if content is None else content)


def _check_and_import(job: SalesImport, progress, content: bytes) -> SalesImport:
    today = timezone.localdate()
    SalesImport.objects.filter(pk=job.pk).update(status=ImportStatus.VALIDATING)
    try:
        checked = check_file(
            content,
            job.file_name,
            today=today,
            progress=(lambda n: progress("check", n, 0)) if progress else None,
        )
        fallback = _fallback_manager(job)
    except ImportFileError as error:
        return _finish(job, status=ImportStatus.REFUSED, message=str(error))
    job.total_rows, job.error_count, job.errors = checked.total_rows, checked.error_count, checked.errors
    SalesImport.objects.filter(pk=job.pk).update(
        total_rows=checked.total_rows, error_count=checked.error_count, errors=checked.errors
    )
    if checked.error_count and not job.skip_bad:
        checked.close()
        return _finish(
            job,
            status=ImportStatus.REFUSED,
            message=_("%(count)s bad rows: nothing was imported. Correct them, or skip bad rows.")
            % {"count": checked.error_count},
        )
    SalesImport.objects.filter(pk=job.pk).update(status=ImportStatus.IMPORTING)
    try:
        counts = _import_checked(job, checked, fallback, progress)
    except Exception as error:
        # The job must not look busy for ever; the error itself goes on to the worker's (or command's) log.
        _finish(
            job,
            status=ImportStatus.FAILED,
            message=_(
                "The import stopped: %(error)s. The sales written before stay; import the file again to add "
                "the rest (documents already imported are skipped)."
            )
            % {"error": error},
        )
        raise
    finally:
        checked.close()
    message = _("%(sales)s sales with %(lines)s lines imported.") % {
        "sales": counts.sales,
        "lines": counts.lines,
    }
    if counts.already:
        message += " " + _("%(count)s documents were imported before and were skipped.") % {
            "count": counts.already
        }
    if checked.error_count:
        message += " " + _("%(count)s bad rows skipped.") % {"count": checked.error_count}
    return _finish(job, status=ImportStatus.DONE, message=message)


def _import_checked(job: SalesImport, checked: CheckedFile, fallback: int, progress) -> _Counts:
    """The second pass: the good rows of whole documents, prepared and written a batch at a time."""
    catalogs = _Catalogs()
    counts = _Counts()
    writer = _Writer(functools.partial(_write_batch, job))
    pending: dict[tuple, list[SaleRow]] = {}
    ready: list[list[SaleRow]] = []
    ready_lines = 0
    try:
        for parsed in checked.good_rows():
            key = parsed.document_key
            if key in checked.bad_documents:
                continue
            rows = pending.setdefault(key, [])
            rows.append(parsed)
            if len(rows) == checked.document_rows[key]:
                ready.append(pending.pop(key))
                ready_lines += len(rows)
                if ready_lines >= BATCH_LINES:
                    writer.submit(_prepare_batch(job, catalogs, ready, counts, fallback))
                    ready, ready_lines = [], 0
                    if progress:
                        progress("import", counts.rows, checked.total_rows - checked.error_count)
        if ready:
            writer.submit(_prepare_batch(job, catalogs, ready, counts, fallback))
    except BaseException:
        writer.finish(failed=True)
        raise
    writer.finish()
    return counts


def _finish(job: SalesImport, *, status: str, message: str) -> SalesImport:
    SalesImport.objects.filter(pk=job.pk).update(
        status=status, message=message, finished_at=timezone.now(), content=None
    )
    job.refresh_from_db()
    return job


def sales_import_create(
    *, actor, file_name: str, content: bytes, skip_bad: bool, keep_content: bool = True
) -> SalesImport:
    """Record an uploaded file as an import job (run by the worker, or at once by the command).

    The worker reads the file from the job, so an upload keeps it there until the import ends;
    ``keep_content=False`` (the command, which runs the job at once from the file on the disk) stores none —
    a database field holds at most 1 GB, and a history file can be bigger."""
    from sdelka.core.services import ensure_role_can

    ensure_role_can(actor, "add", "sale")
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    return SalesImport.objects.create(
        created_by=actor if isinstance(actor, User) else None,
        file_name=file_name[:255],
        content=content if keep_content else None,
        skip_bad=skip_bad,
        language=translation.get_language() or "",
    )
