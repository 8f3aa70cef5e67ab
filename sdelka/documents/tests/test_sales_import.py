"""Importing sales history: rows become posted sales with facts; bad rows are named; a repeat adds nothing."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from sdelka.analytics.models import ClientMonth
from sdelka.catalog.tests.factories import ProductFactory
from sdelka.documents.models import ImportedClientCode, ImportStatus, Sale, SaleLine, SalesFact, SalesImport
from sdelka.documents.sales_import import COLUMNS, sales_import_create, sales_import_run
from sdelka.partners.models import Counterparty, Partner
from sdelka.partners.tests.factories import CounterpartyFactory, PartnerFactory

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
# A valid INN of a legal entity (10 digits) and of a Kazakh BIN (12 digits).
INN = "7707083893"


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _run(content: bytes, *, name: str = "history.csv", skip_bad: bool = False, actor=None):
    job = sales_import_create(actor=actor, file_name=name, content=content, skip_bad=skip_bad)
    return sales_import_run(job)


def test_rows_become_posted_sales_with_their_facts_and_missing_clients_and_products(admin_user, manager):
    drill = ProductFactory(sku="DR-1", cost_price=Decimal("700.00"), vat_rate="22")
    content = _csv(
        f"2025-03-03,RT-001,C-17,Stroymash LLC,{INN},DR-1,Drill,2,2000.00,,{manager.username}",
        f'2025-03-03,RT-001,C-17,Stroymash LLC,{INN},NEW-9,Safety gloves,10,"150,50",100.00,{manager.username}',
        "2025-04-10,RT-002,C-17,Stroymash LLC,,DR-1,Drill,-1,-1000.00,-700.00,",
    )

    job = _run(content, actor=admin_user)

    assert job.status == ImportStatus.DONE, (job.message, job.errors)
    assert (job.sales_created, job.lines_created, job.partners_created, job.products_created) == (2, 3, 1, 1)
    partner = Partner.objects.get(name="Stroymash LLC")
    assert Counterparty.objects.get(partner=partner).inn == INN
    assert ImportedClientCode.objects.get(code="C-17").partner == partner
    first, ret = Sale.objects.filter(partner=partner).order_by("date")
    assert first.status == "posted" and first.external_number == "RT-001" and first.manager == manager
    assert first.number.startswith("2025-") and first.date == date(2025, 3, 3)
    assert (first.prices_include_vat, first.exchange_rate, first.sales_import_id) == (False, 1, job.pk)
    assert (first.comment, first.created_by) == ("Imported from history.csv.", admin_user)
    assert first.posted_at == first.created_at == first.updated_at
    assert abs((timezone.now() - first.posted_at).total_seconds()) < 60
    assert first.amount_net == Decimal("2150.50")
    assert first.amount_vat == Decimal("440.00") + Decimal("33.11")  # 22% of each line, to kopecks
    assert ret.manager_id == partner.manager_id or ret.manager == admin_user
    facts = SalesFact.objects.filter(sale=first).order_by("product__sku")
    assert [(f.product.sku, f.quantity, f.revenue, f.cost, f.gross_profit) for f in facts] == [
        ("DR-1", Decimal("2.000"), Decimal("2000.00"), Decimal("1400.00"), Decimal("600.00")),
        ("NEW-9", Decimal("10.000"), Decimal("150.50"), Decimal("100.00"), Decimal("50.50")),
    ]
    assert SalesFact.objects.get(sale=ret).gross_profit == Decimal("-300.00")
    assert drill.pk == facts[0].product_id
    # The analytics' monthly aggregates follow.
    march = ClientMonth.objects.get(partner=partner, month=date(2025, 3, 1))
    assert march.revenue == Decimal("2150.50") and march.sales_count == 1


def test_texts_with_backslashes_and_tabs_are_written_as_they_are(admin_user):
    job = _run(
        _csv('2025-03-03,"A\\1\t2",,"Back\\slash\tCo",,SK\\U,"Item\\1",1,10.00,,'),
        name="history \\ 2025.csv",
    )
    assert job.status == ImportStatus.DONE, (job.message, job.errors)
    sale = Sale.objects.get()
    assert sale.external_number == "A\\1\t2"
    assert sale.comment == "Imported from history \\ 2025.csv."
    assert sale.partner.name == "Back\\slash Co"  # names get their white space made plain
    assert SaleLine.objects.get().product.sku == "SK\\U"


def test_importing_the_same_file_again_adds_nothing(admin_user):
    content = _csv(
        "2025-01-15,A-1,,Alpha,,SKU-1,Item,1,100.00,,",
        "2025-01-15,A-2,,Alpha,,SKU-1,Item,2,200.00,,",
    )
    assert _run(content).sales_created == 2
    again = _run(content)
    assert again.status == ImportStatus.DONE
    assert (again.sales_created, again.documents_already_imported) == (0, 2)
    assert Sale.objects.count() == 2 and SaleLine.objects.count() == 2 and Partner.objects.count() == 1


def test_imported_sales_take_their_ids_from_the_table_so_sales_made_after_get_new_ones(admin_user):
    from sdelka.documents.tests.factories import draft_document

    before = draft_document(Sale)
    content = _csv(
        "2025-01-15,A-1,,Alpha,,SKU-1,Item,1,100.00,,",
        "2025-01-15,A-2,,Alpha,,SKU-2,Other,2,200.00,,",
        "2025-01-15,A-2,,Alpha,,SKU-1,Item,1,100.00,,",
    )
    assert _run(content).sales_created == 2
    after = draft_document(Sale)

    imported = list(Sale.objects.filter(external_number__startswith="A-").order_by("external_number"))
    ids = [before.pk, *(sale.pk for sale in imported), after.pk]
    assert ids == sorted(set(ids))
    # Lines and facts point at their own sale.
    for sale, skus in zip(imported, (["SKU-1"], ["SKU-1", "SKU-2"]), strict=True):
        assert sorted(sale.lines.values_list("product__sku", flat=True)) == skus
        assert sorted(SalesFact.objects.filter(sale=sale).values_list("product__sku", flat=True)) == skus


def test_clients_are_found_by_id_then_tax_id_then_name(admin_user):
    by_inn = PartnerFactory(name="Found by INN")
    CounterpartyFactory(partner=by_inn, inn=INN)
    by_name = PartnerFactory(name="Found By Name")
    by_code = PartnerFactory(name="Found by code")
    ImportedClientCode.objects.create(code="X1", partner=by_code)
    content = _csv(
        f"2025-02-01,D-1,X1,Found By Name,{INN},S,Item,1,10.00,,",  # the id wins over INN and name
        "2025-02-01,D-2,,found by name,,S,Item,1,10.00,,",
        f"2025-02-01,D-3,NEW-ID,Other name,{INN},S,Item,1,10.00,,",  # INN wins over the name
    )
    job = _run(content)
    assert job.partners_created == 0
    owners = dict(Sale.objects.values_list("external_number", "partner_id"))
    assert owners == {"D-1": by_code.pk, "D-2": by_name.pk, "D-3": by_inn.pk}
    assert ImportedClientCode.objects.get(code="NEW-ID").partner == by_inn  # remembered for the next file


@pytest.mark.parametrize(
    "row, reason",
    [
        ("2025-13-01,D,,Client,,S,Item,1,10,,", "is not a date as YYYY-MM-DD"),
        ("01.02.2025,D,,Client,,S,Item,1,10,,", "is not a date as YYYY-MM-DD"),
        ("2999-01-01,D,,Client,,S,Item,1,10,,", "is in the future"),
        ("2025-01-01,,,Client,,S,Item,1,10,,", "document (the sale's number) is empty"),
        ("2025-01-01,D,,,,S,Item,1,10,,", "the client is not given"),
        ("2025-01-01,D,,Client,1234567890,S,Item,1,10,,", "is not a valid INN or BIN"),
        ("2025-01-01,D,,Client,,,Item,1,10,,", "product_sku is empty"),
        ("2025-01-01,D,,Client,,S,Item,many,10,,", "quantity “many” is not a number"),
        ("2025-01-01,D,,Client,,S,Item,0,10,,", "quantity is 0"),
        ("2025-01-01,D,,Client,,S,Item,1,10.005,,", "revenue “10.005” is not a number with at most 2"),
        ("2025-01-01,D,,Client,,S,Item,1,-10,,", "revenue and quantity have different signs"),
        ("2025-01-01,D,,Client,,S,Item,1,10,abc,", "cost “abc” is not a number"),
        ("2025-01-01,D,,Client,,S,Item,1,10,,nobody", "manager “nobody” is not a user"),
    ],
)
def test_each_kind_of_bad_row_is_reported_with_its_number_and_nothing_is_imported(row, reason, admin_user):
    content = _csv("2025-01-01,OK-1,,Good client,,S,Item,1,10.00,,", row)
    job = _run(content)
    assert job.status == ImportStatus.REFUSED
    assert job.error_count >= 1
    assert any(number == 3 and reason in message for number, message in job.errors), job.errors
    assert not Sale.objects.exists() and not Partner.objects.exists()


def test_skip_bad_imports_the_good_rows_and_a_document_with_two_dates_is_bad_as_a_whole(admin_user):
    content = _csv(
        "2025-01-01,OK-1,,Client,,S,Item,1,10.00,,",
        "2025-01-01,TWO,,Client,,S,Item,1,10.00,,",
        "2025-01-02,TWO,,Client,,S,Item,1,10.00,,",
        "2025-01-01,BAD,,Client,,S,Item,x,10.00,,",
    )
    refused = _run(content)
    assert refused.status == ImportStatus.REFUSED and refused.error_count == 2
    assert "all its rows need one date" in str(refused.errors)

    job = _run(content, skip_bad=True)
    assert job.status == ImportStatus.DONE
    assert list(Sale.objects.values_list("external_number", flat=True)) == ["OK-1"]
    assert "2 bad rows skipped" in job.message


def test_a_file_without_the_columns_is_refused_naming_them(admin_user):
    job = _run(b"date;document;client\n2025-01-01;D;X\n")
    assert job.status == ImportStatus.REFUSED
    assert "missing: client_id, client_name" in job.message


def test_semicolons_decimal_commas_and_windows_1251_are_read(admin_user):
    header = ";".join(COLUMNS)
    text = f"{header}\n2025-05-05;Р-1;;ООО Ромашка;;С-1;Товар;1,5;1 500,75;;\n"
    job = _run(text.encode("cp1251"))
    assert job.status == ImportStatus.DONE, job.errors
    fact = SalesFact.objects.get()
    assert (fact.quantity, fact.revenue) == (Decimal("1.500"), Decimal("1500.75"))
    assert Partner.objects.get().name == "ООО Ромашка"


def test_xlsx_files_are_read_with_real_dates_and_numbers(admin_user):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    sheet.append([date(2025, 6, 1), "X-1", 1001, "Client", None, "S-1", "Item", 3, 450.5, 300, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = _run(buffer.getvalue(), name="history.xlsx")
    assert job.status == ImportStatus.DONE, job.errors
    assert ImportedClientCode.objects.get().code == "1001"
    assert SalesFact.objects.aggregate(total=Sum("revenue"))["total"] == Decimal("450.50")


def test_the_command_reports_bad_rows_and_imports_good_files(tmp_path, admin_user):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv("2025-01-01,D,,Client,,S,Item,zero,10,,"))
    errors = io.StringIO()
    with pytest.raises(CommandError, match="1 bad rows"):
        call_command("import_sales", str(bad), stdout=io.StringIO(), stderr=errors)
    assert "row 2: quantity “zero” is not a number" in errors.getvalue()

    good = tmp_path / "good.csv"
    good.write_bytes(_csv("2025-01-01,D,,Client,,S,Item,1,10,,"))
    out = io.StringIO()
    call_command("import_sales", str(good), stdout=out)
    assert "1 sales with 1 lines imported" in out.getvalue()
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_sales", str(tmp_path / "missing.csv"))


def test_the_command_imports_from_the_disk_without_storing_the_file_in_the_job(
    tmp_path, admin_user, monkeypatch
):
    # A database field holds at most 1 GB: a history file may be bigger, and the command needs no copy.
    from sdelka.documents import sales_import
    from sdelka.documents.management.commands import import_sales

    stored = []
    run = sales_import.sales_import_run

    def watching(job, **kwargs):
        stored.append(SalesImport.objects.filter(pk=job.pk).values_list("content", flat=True).get())
        return run(job, **kwargs)

    monkeypatch.setattr(import_sales, "sales_import_run", watching)
    good = tmp_path / "good.csv"
    good.write_bytes(_csv("2025-01-01,D,,Client,,S,Item,1,10,,"))
    call_command("import_sales", str(good), stdout=io.StringIO())
    assert stored == [None]
    job = SalesImport.objects.get()
    assert (job.status, job.sales_created, job.content) == (ImportStatus.DONE, 1, None)


def test_the_upload_page_queues_the_file_and_shows_progress_and_bad_rows(
    page_client_for, manager, outsider, django_capture_on_commit_callbacks, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = page_client_for(manager)
    url = reverse("documents:sales_import_upload")
    assert client.get(url).status_code == 200
    assert client.post(url, {"file": SimpleUploadedFile("x.pdf", b"%PDF")}).status_code == 400

    upload = SimpleUploadedFile("bad.csv", _csv("2025-01-01,D,,Client,,S,Item,zero,10,,"))
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"file": upload})
    assert answer.status_code == 302
    page = client.get(answer.url)
    text = page.content.decode()
    assert "quantity “zero” is not a number" in text and "nothing was imported" in text
    fragment = client.get(answer.url, HTTP_HX_REQUEST="true")
    assert (
        'id="import-progress"' in fragment.content.decode() and "hx-trigger" not in fragment.content.decode()
    )

    # Another user's import is not theirs to see.
    assert page_client_for(outsider).get(answer.url).status_code == 404


def test_the_api_takes_a_file_and_reports_the_job(
    api_client_for, manager, marketer, settings, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = api_client_for(manager)
    upload = SimpleUploadedFile("ok.csv", _csv("2025-01-01,D-9,,Client,,S,Item,2,20.00,,"))
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/api/v1/sales-imports/", {"file": upload, "skip_bad": "false"}, format="multipart"
        )
    assert answer.status_code == 201, answer.content
    job = client.get(f"/api/v1/sales-imports/{answer.json()['id']}/").json()
    assert job["status"] == "done" and job["sales_created"] == 1 and job["percent"] == 100
    assert client.post("/api/v1/sales-imports/", {}, format="multipart").status_code == 400
    # A marketer does not make sales.
    refused = api_client_for(marketer).post(
        "/api/v1/sales-imports/", {"file": SimpleUploadedFile("a.csv", b"x")}, format="multipart"
    )
    assert refused.status_code == 403


def test_rows_kept_between_the_passes_come_back_as_parsed_across_chunks(admin_user, monkeypatch):
    from sdelka.documents import sales_import

    monkeypatch.setattr(sales_import, "SPILL_CHUNK", 2)  # every second row starts a new chunk
    content = _csv(
        f"2025-03-03,RT-1,C-1,Alpha LLC,{INN},DR-1,Drill,2,2000.00,,",
        '2025-03-04,RT-2,C-2,Beta LLC,,GL-1,Gloves,-1.5,"-10,25",-7.00,',
        f"2025-03-03,RT-1,C-1,Alpha LLC,{INN},GL-1,Gloves,0.125,99.99,50.01,",
    )

    job = _run(content, actor=admin_user)

    assert job.status == ImportStatus.DONE, (job.message, job.errors)
    alpha = Sale.objects.get(external_number="RT-1")
    assert alpha.date == date(2025, 3, 3) and alpha.amount_net == Decimal("2099.99")
    beta = SalesFact.objects.get(sale__external_number="RT-2")
    assert (beta.quantity, beta.revenue, beta.cost) == (
        Decimal("-1.500"),
        Decimal("-10.25"),
        Decimal("-7.00"),
    )
    assert SaleLine.objects.filter(document=alpha).count() == 2


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="a PostgreSQL setting")
@pytest.mark.django_db(transaction=True)  # the batches are real transactions, as in the worker
def test_the_import_relaxes_commit_durability_only_inside_its_batches(admin_user, monkeypatch):
    from sdelka.documents import sales_import

    inside, after = [], []

    def setting() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    copy_into, write_batch = sales_import.copy_into, sales_import._write_batch

    def spy_copy(*args, **kwargs):
        inside.append(setting())
        return copy_into(*args, **kwargs)

    def spy_write(*args, **kwargs):
        write_batch(*args, **kwargs)
        after.append(setting())  # the same connection (the writer's), after the batch's commit

    monkeypatch.setattr(sales_import, "copy_into", spy_copy)
    monkeypatch.setattr(sales_import, "_write_batch", spy_write)
    name = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        # The test cluster runs with it off; connections opened from now on (the writer's) start with it on.
        cursor.execute(f"ALTER DATABASE {connection.ops.quote_name(name)} SET synchronous_commit TO ON")
    try:
        job = _run(_csv(f"2025-03-03,RT-1,C-1,Alpha LLC,{INN},DR-1,Drill,2,2000.00,,"), actor=admin_user)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER DATABASE {connection.ops.quote_name(name)} RESET synchronous_commit")

    assert job.status == ImportStatus.DONE
    assert (inside, after) == (["off", "off", "off"], ["on"])  # sales, lines, facts


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the writer thread runs on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_batches_are_written_in_threads_of_their_own_and_a_failure_stops_the_import(admin_user, monkeypatch):
    import threading

    from sdelka.documents import sales_import

    monkeypatch.setattr(sales_import, "BATCH_LINES", 1)
    write_batch, writers = sales_import._write_batch, []

    def failing_on_rt2(job, batch):
        writers.append(threading.current_thread())
        if batch.sales[0].external_number == "RT-2":
            raise RuntimeError("the disk is full")
        write_batch(job, batch)

    monkeypatch.setattr(sales_import, "_write_batch", failing_on_rt2)
    rows = [f"2025-03-0{day},RT-{day},,Alpha,,DR-1,Drill,1,100.00,," for day in range(1, 10)]
    job = sales_import_create(actor=admin_user, file_name="h.csv", content=_csv(*rows), skip_bad=False)
    with pytest.raises(RuntimeError, match="the disk is full"):
        sales_import_run(job)

    assert threading.current_thread() not in writers and not any(thread.is_alive() for thread in writers)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "the disk is full" in job.message
    # The batches written before the writers stopped stay whole, the failed one is not there, and the
    # aggregates add up to the facts written.
    written = set(Sale.objects.values_list("external_number", flat=True))
    assert "RT-2" not in written
    assert SalesFact.objects.count() == SaleLine.objects.count() == len(written)
    assert sum(ClientMonth.objects.values_list("revenue", flat=True)) == Decimal("100.00") * len(written)


def test_an_import_stopped_by_an_error_is_marked_failed_with_the_reason(admin_user, monkeypatch):
    from sdelka.documents import sales_import

    def broken(job, batch):
        raise OSError("no space left on device")

    monkeypatch.setattr(sales_import, "_write_batch", broken)
    job = sales_import_create(
        actor=admin_user,
        file_name="h.csv",
        content=_csv("2025-03-03,RT-1,,Alpha,,DR-1,Drill,1,100.00,,"),
        skip_bad=False,
    )
    with pytest.raises(OSError):
        sales_import_run(job)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.is_finished
    assert "no space left on device" in job.message and job.content is None
    assert not Sale.objects.exists()


@pytest.mark.parametrize(
    ("uploader", "worker", "expected"), [("en", "ru", "bad rows"), ("ru", "en", "Ошибочных строк")]
)
def test_the_worker_writes_the_jobs_messages_in_the_uploaders_language(
    admin_user, uploader, worker, expected
):
    from django.utils import translation

    with translation.override(uploader):
        job = sales_import_create(
            actor=admin_user,
            file_name="h.csv",
            content=_csv("2025-03-03,RT-1,,Alpha,,,Drill,1,abc,,"),
            skip_bad=False,
        )
    with translation.override(worker):
        job = sales_import_run(job)

    assert job.language == uploader and job.status == ImportStatus.REFUSED
    assert expected in job.message
    english = uploader == "en"
    assert ("product_sku is empty." in job.errors[0][1]) == english
