"""The classification pages: the report with its matrix and drill-down, the Excel file, class dynamics, the
settings page with "classify all periods", and the current classes shown on partner and product pages."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sdelka.analytics.choices import JobStatus, PeriodType
from sdelka.analytics.models import ClassificationJob, ClassificationSettings, ClassifiedPeriod
from sdelka.analytics.periods import Period, closed_periods, last_closed
from sdelka.analytics.services.classification import classification_job_run, classification_store
from sdelka.analytics.tests.classification_data import sell
from sdelka.catalog.tests.factories import ProductFactory
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

REPORT = reverse("analytics:classification")
QUERY = {"subject": "clients", "criterion": "revenue", "period_type": "year", "period_start": "2025-01-01"}


@pytest.fixture
def year_of_sales(manager, outsider):
    steady = PartnerFactory(name="Steady Ltd", manager=manager)
    burst = PartnerFactory(name="Burst Ltd", manager=manager)
    foreign = PartnerFactory(name="Foreign Ltd", manager=outsider)
    for month in range(1, 13):
        sell(steady, date(2025, month, 10), (None, "1000"))
    sell(burst, date(2025, 6, 1), (None, "50"))
    sell(foreign, date(2025, 6, 1), (None, "20000"))
    for index in range(5):
        sell(PartnerFactory(name=f"Small {index}", manager=manager), date(2025, 6, 2), (None, "10"))
    return steady, burst, foreign


def test_the_report_shows_the_table_and_the_matrix(
    page_client_for, admin_user, year_of_sales, django_assert_max_num_queries
):
    client = page_client_for(admin_user)
    # A constant number: the page's, and one statement for the classification (two on PostgreSQL, which
    # sets its memory first) — never one per row.
    with django_assert_max_num_queries(13):
        response = client.get(REPORT, QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Foreign Ltd" in html and "Steady Ltd" in html
    matrix = response.context["report"].matrix
    cells = {item.cell: item for row in matrix for item in row}
    assert cells["AZ"].count == 1 and cells["AZ"].name == "Stars"
    # Steady: 12 000 after 20 000 of 32 100 (62 % before it), the same every month.
    assert cells["AX"].name == "Cash cows" and cells["AX"].count == 1
    assert cells["CZ"].count == 6 and cells["BX"].count == 0
    assert str(cells["AZ"].revenue) == "20000.00"
    assert 'data-cell="CZ"' in html


def test_a_cell_drills_down_to_its_list(page_client_for, admin_user, year_of_sales):
    client = page_client_for(admin_user)
    response = client.get(REPORT, {**QUERY, "cell": "CZ"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.templates[0].name == "analytics/partials/classification_results.html"
    names = [row.name for row in response.context["page"].object_list]
    assert names == ["Burst Ltd", "Small 0", "Small 1", "Small 2", "Small 3", "Small 4"]


def test_the_report_of_a_manager_shows_only_their_clients(page_client_for, manager, year_of_sales):
    html = page_client_for(manager).get(REPORT, QUERY).content.decode()
    assert "Steady Ltd" in html and "Foreign Ltd" not in html


def test_the_report_defaults_to_the_last_closed_quarter(page_client_for, manager):
    response = page_client_for(manager).get(REPORT)
    assert response.status_code == 200
    assert response.context["report"].period == last_closed("quarter", timezone.localdate())


def test_an_open_period_is_explained_on_the_page(page_client_for, manager):
    current = last_closed("month", timezone.localdate()).following()
    response = page_client_for(manager).get(
        REPORT, {**QUERY, "period_type": "month", "period_start": current.start.isoformat()}
    )
    assert response.status_code == 400
    assert "not closed yet" in response.content.decode()


def test_the_excel_file_has_every_row(page_client_for, admin_user, year_of_sales):
    response = page_client_for(admin_user).get(reverse("analytics:classification_export"), QUERY)
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.cell(row=4, column=2).value == "Foreign Ltd"
    assert sheet.max_row == 3 + 8


def test_dynamics_show_who_dropped_from_a(page_client_for, admin_user, django_assert_max_num_queries):
    today = timezone.localdate()
    last = last_closed("quarter", today)
    first = last.previous()
    dropped = PartnerFactory(name="Dropped Co")
    stays = PartnerFactory(name="Stays Co")
    sell(dropped, first.start, (None, "9000"))
    sell(stays, first.start, (None, "1000"))
    sell(stays, last.start, (None, "5000"))
    sell(dropped, last.start, (None, "10"))
    client = page_client_for(admin_user)
    url = reverse("analytics:classification_dynamics")
    with django_assert_max_num_queries(17):  # one or two statements per period, none per row
        response = client.get(url, {"period_type": "quarter", "count": 2})
    assert response.status_code == 200
    assert [period.start for period in response.context["periods"]] == [first.start, last.start]
    rows = {row.name: row for row in response.context["page"].object_list}
    assert [found.abc for found in rows["Dropped Co"].classes] == ["A", "C"]
    response = client.get(url, {"period_type": "quarter", "count": 2, "dropped": "on"})
    assert [row.name for row in response.context["page"].object_list] == ["Dropped Co"]
    potential = PartnerFactory(name="Never bought")
    response = client.get(url, {"period_type": "quarter", "count": 2})
    assert potential.name not in response.content.decode()  # no sales in any of the periods
    response = client.get(url, {"period_type": "quarter", "count": 2, "dropped": "on", "format": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    assert [cell.value for cell in sheet[4]][1:] == ["Dropped Co", "AZ", "CZ", "yes"]


def test_the_settings_page_is_for_administrators_only(page_client_for, manager, head):
    for user in (manager, head):
        assert page_client_for(user).get(reverse("analytics:classification_settings")).status_code == 404


def test_administrators_save_the_settings_on_the_page(page_client_for, admin_user):
    client = page_client_for(admin_user)
    url = reverse("analytics:classification_settings")
    page = client.get(url)
    assert page.status_code == 200 and 'placeholder="Cash cows"' in page.content.decode()
    data = {
        "abc_a": "75",
        "abc_b": "90",
        "xyz_x": "12",
        "xyz_y": "30",
        "criterion": "sales_count",
        "name_bx": "Steady middle",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    stored = ClassificationSettings.objects.get()
    assert (stored.criterion, stored.name_bx) == ("sales_count", "Steady middle")


def test_bad_settings_on_the_page_are_shown_and_not_stored(page_client_for, admin_user):
    response = page_client_for(admin_user).post(
        reverse("analytics:classification_settings"),
        {"abc_a": "96", "abc_b": "95", "xyz_x": "10", "xyz_y": "25", "criterion": "revenue"},
    )
    assert response.status_code == 400
    assert "The B boundary must be above the A boundary." in response.content.decode()
    assert not ClassificationSettings.objects.exists()


def test_classify_all_periods_is_queued_and_replaces_every_stored_period(
    page_client_for, admin_user, django_capture_on_commit_callbacks
):
    client_partner = PartnerFactory()
    sell(client_partner, date(2025, 11, 3))
    stale = ClassifiedPeriod.objects.create(
        subject="clients",
        criterion="revenue",
        period_type="year",
        period_start=date(2019, 1, 1),
        classified_at=timezone.now(),
    )
    client = page_client_for(admin_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("analytics:classification_classify_all"))
    assert response.status_code == 302 and len(callbacks) == 1
    job = ClassificationJob.objects.get()
    assert job.status == JobStatus.QUEUED
    progress = client.get(reverse("analytics:classification_job_progress")).content.decode()
    assert 'hx-trigger="every 2s"' in progress

    classification_job_run(job_id=job.pk, today=date(2026, 1, 15))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.done == job.total > 0
    assert not ClassifiedPeriod.objects.filter(pk=stale.pk).exists()
    # Nov 2025 … Dec 2025 months, Q4 2025, H2 2025 and 2025 — for 2 subjects × 3 criteria.
    assert ClassifiedPeriod.objects.count() == job.total == (2 + 1 + 1 + 1) * 6
    assert "every 2s" not in client.get(reverse("analytics:classification_job_progress")).content.decode()


def test_only_administrators_classify_all_periods(page_client_for, manager):
    assert page_client_for(manager).post(reverse("analytics:classification_classify_all")).status_code == 404
    assert not ClassificationJob.objects.exists()


def test_stored_classes_are_read_back_and_the_periodic_job_stores_the_last_closed(
    admin_user, page_client_for
):
    from sdelka.analytics.jobs import classify_last_closed_periods

    partner = PartnerFactory(name="Stored Co")
    quarter = last_closed("quarter", timezone.localdate())
    sell(partner, quarter.start, (None, "10"))
    classify_last_closed_periods(timezone.now())
    assert ClassifiedPeriod.objects.count() == 4 * 6
    response = page_client_for(admin_user).get(
        REPORT, {**QUERY, "period_type": "quarter", "period_start": quarter.start.isoformat()}
    )
    assert response.context["report"].stored is not None
    assert [row.name for row in response.context["report"].rows] == ["Stored Co"]
    # The note names when they were stored; a time such as "2:08 p.m." gets no second full stop.
    note = next(
        line
        for line in response.content.decode().splitlines()
        if "Stored classes of" in line or "Сохраненные классы от" in line
    )
    assert ".." not in note


def test_current_classes_on_partner_and_product_pages(django_assert_max_num_queries):
    partner = PartnerFactory(name="Current Co")
    product = ProductFactory(name="Current product")
    quarter = last_closed("quarter", timezone.localdate())
    sell(partner, quarter.start, (product, "10"))
    classification_store(subject="clients", criterion="revenue", period=quarter)
    classification_store(subject="products", criterion="revenue", period=quarter)
    template = Template("{% load classification_tags %}{% classification_current partner=partner %}")
    with django_assert_max_num_queries(2):
        html = template.render(Context({"partner": partner}))
    assert 'data-period-type="quarter"' in html and "<strong>AZ</strong>" in html
    assert "not classified yet" in html  # the month, half-year and year are not stored
    html = Template("{% load classification_tags %}{% classification_current product=product %}").render(
        Context({"product": product})
    )
    assert "<strong>A" in html


def test_a_stored_period_is_replaced_not_duplicated():
    partner = PartnerFactory()
    sell(partner, date(2025, 1, 1))
    period = Period("month", date(2025, 1, 1))
    classification_store(subject="clients", criterion="revenue", period=period)
    classification_store(subject="clients", criterion="revenue", period=period)
    assert ClassifiedPeriod.objects.get().results.count() == 1


def test_segment_rules_can_select_partners_by_their_stored_class():
    from sdelka.analytics.selectors.classification_reports import subjects_with_class
    from sdelka.partners.models import Partner

    quarter = last_closed("quarter", timezone.localdate())
    key, small = PartnerFactory(name="Key"), PartnerFactory(name="Small")
    lost = PartnerFactory(name="Lost")
    sell(lost, quarter.previous().start)
    sell(key, quarter.start, (None, "1000"))
    sell(small, quarter.start, (None, "10"))
    today = timezone.localdate()
    assert not subjects_with_class(subject="clients", today=today, abc=("A",)).exists()  # not stored yet
    classification_store(subject="clients", criterion="revenue", period=quarter)
    selected = Partner.objects.filter(pk__in=subjects_with_class(subject="clients", today=today, abc=("A",)))
    assert list(selected) == [key]
    lost_ones = subjects_with_class(subject="clients", today=today, stages=("lost",))
    assert list(Partner.objects.filter(pk__in=lost_ones)) == [lost]


def test_the_queued_task_runs_the_job(admin_user, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from sdelka.analytics.services.classification import classification_all_request
    from sdelka.analytics.tasks import classify_all_periods

    today = timezone.localdate()
    sold_on = last_closed("month", today).start
    sell(PartnerFactory(), sold_on)
    periods = sum(len(closed_periods(kind, first_day=sold_on, today=today)) for kind in PeriodType.values)
    with django_capture_on_commit_callbacks(execute=True):
        job = classification_all_request(actor=admin_user)
        assert classification_all_request(actor=admin_user) == job  # a waiting run is reused
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "sdelka.analytics.tasks.classify_all_periods"
    assert queued.args_kwargs["kwargs"] == {"job_id": job.pk}
    assert classify_all_periods.call(job_id=job.pk) == periods * 6 == ClassifiedPeriod.objects.count()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_the_selects_show_the_defaults_the_report_uses(page_client_for, admin_user):
    from django.urls import reverse

    form = page_client_for(admin_user).get(reverse("analytics:classification")).context["form"]
    assert (form["period_type"].value(), form["subject"].value()) == ("quarter", "clients")
