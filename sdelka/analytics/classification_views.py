"""Pages of the classification: the ABC/XYZ report with its matrix, class dynamics, settings and exports."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sdelka.analytics.choices import AbcClass, Criterion, PeriodType, Subject
from sdelka.analytics.classification_export import (
    XLSX_CONTENT_TYPE,
    classification_dynamics_xlsx,
    classification_filename,
    classification_xlsx,
)
from sdelka.analytics.classification_forms import ClassificationQueryForm, ClassificationSettingsForm
from sdelka.analytics.models import ClassificationJob, ClassificationSettings
from sdelka.analytics.periods import closed_periods, last_closed
from sdelka.analytics.selectors.classification import first_sale_day
from sdelka.analytics.selectors.classification_reports import (
    classification_dynamics,
    classification_report,
)
from sdelka.analytics.services.classification import classification_all_request
from sdelka.analytics.services.settings import (
    can_change_classification_settings,
    cell_names,
    classification_settings_get,
    classification_settings_update,
)
from sdelka.core.forms import add_service_errors
from sdelka.core.history import history_for
from sdelka.core.htmx import render_page_or_fragment
from sdelka.core.views import ensure_role, paginate

ROWS_PER_PAGE = 100


def _period_choices(period_type: str) -> list:
    """Closed periods of the type, newest first, back to the first sale (at least the last closed one)."""
    today = timezone.localdate()
    first = first_sale_day() or last_closed(period_type, today).start
    periods = closed_periods(period_type, first_day=first, today=today) or [last_closed(period_type, today)]
    return [(period.start.isoformat(), period.label()) for period in reversed(periods)]


def _query_form(request):
    criterion = classification_settings_get().criterion
    # The selects show what the report uses when the address does not say: quarter, clients, the default criterion.
    data = request.GET.copy()
    for name, default in (
        ("period_type", PeriodType.QUARTER),
        ("subject", "clients"),
        ("criterion", criterion),
    ):
        if not data.get(name):
            data[name] = default
    form = ClassificationQueryForm(data, default_criterion=criterion)
    period_type = data["period_type"]
    if period_type in PeriodType.values:
        # The period is chosen from the closed periods of the type rather than typed as a date.
        form.fields["period_start"].widget = forms.Select(
            choices=[("", _("Last closed")), *_period_choices(period_type)],
            attrs={"aria-label": form.fields["period_start"].label},
        )
    return form


@login_required
def classification_report_page(request):
    ensure_role(request.user, "view", "sale")
    form = _query_form(request)
    context = {"form": form, "query": request.GET, "report": None}
    if not form.is_valid():
        return render(request, "analytics/classification_report.html", context, status=400)
    data = form.cleaned_data
    report = classification_report(
        user=request.user, subject=data["subject"], criterion=data["criterion"], period=data["period"]
    )
    rows = report.rows
    cell = data.get("cell")
    if cell:
        rows = rows.in_cell(cell)
    context.update(
        report=report,
        cell=cell,
        cell_name=report.names.get(cell, "") if cell else "",
        page=paginate(rows, request.GET.get("page"), ROWS_PER_PAGE),
        is_clients=report.subject == Subject.CLIENTS,
        money=report.criterion != Criterion.SALES_COUNT,
    )
    return render_page_or_fragment(
        request,
        "analytics/classification_report.html",
        "analytics/partials/classification_results.html",
        context,
    )


@login_required
def classification_export(request):
    ensure_role(request.user, "view", "sale")
    form = _query_form(request)
    if not form.is_valid():
        return render(
            request,
            "analytics/classification_report.html",
            {"form": form, "query": request.GET, "report": None},
            status=400,
        )
    data = form.cleaned_data
    report = classification_report(
        user=request.user, subject=data["subject"], criterion=data["criterion"], period=data["period"]
    )
    response = HttpResponse(classification_xlsx(report), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{classification_filename(report, "xlsx")}"'
    return response


class DynamicsForm(forms.Form):
    subject = forms.ChoiceField(label=gettext_lazy("Subject"), choices=Subject.choices, required=False)
    criterion = forms.ChoiceField(label=gettext_lazy("Criterion"), choices=Criterion.choices, required=False)
    period_type = forms.ChoiceField(label=gettext_lazy("Period"), choices=PeriodType.choices, required=False)
    count = forms.IntegerField(label=gettext_lazy("Periods"), min_value=2, max_value=12, required=False)
    dropped = forms.BooleanField(label=gettext_lazy("Only those that dropped from A"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", field.label)


@login_required
def classification_dynamics_page(request):
    ensure_role(request.user, "view", "sale")
    form = DynamicsForm(request.GET)
    context = {"form": form, "query": request.GET, "periods": None}
    if not form.is_valid():
        return render(request, "analytics/classification_dynamics.html", context, status=400)
    data = form.cleaned_data
    period_type = data["period_type"] or PeriodType.QUARTER
    subject = data["subject"] or Subject.CLIENTS
    periods, rows = classification_dynamics(
        user=request.user,
        subject=subject,
        criterion=data["criterion"] or classification_settings_get().criterion,
        last_period=last_closed(period_type, timezone.localdate()),
        count=data["count"] or 4,
        dropped_only=data["dropped"],
    )
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(classification_dynamics_xlsx(periods, rows), content_type=XLSX_CONTENT_TYPE)
        name = f"classification-dynamics-{subject}-{period_type}-{periods[-1].start:%Y-%m-%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context.update(
        periods=periods,
        page=paginate(rows, request.GET.get("page"), ROWS_PER_PAGE),
        is_clients=subject == Subject.CLIENTS,
        a_class=AbcClass.A,
    )
    return render(request, "analytics/classification_dynamics.html", context)


def _ensure_settings_access(user) -> None:
    # Like our company's page: only administrators know the page is there.
    if not can_change_classification_settings(user):
        raise Http404


@login_required
def classification_settings_page(request):
    _ensure_settings_access(request.user)
    settings = classification_settings_get()
    form = ClassificationSettingsForm(request.POST or None, instance=settings)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                classification_settings_update(actor=request.user, data=form.service_data())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "The classification settings are saved. Run “classify all periods” to apply them to the stored periods."
                    ),
                )
                return redirect("analytics:classification_settings")
        status = 400
    stored = classification_settings_get()
    defaults = cell_names(ClassificationSettings(pk=ClassificationSettings.SETTINGS_PK))
    cell_rows = [
        [(form[f"name_{(abc + xyz).lower()}"], abc + xyz, defaults[abc + xyz]) for xyz in "XYZ"]
        for abc in "ABC"
    ]
    context = {
        "form": form,
        "cell_rows": cell_rows,
        "job": ClassificationJob.objects.first(),
        "history": [] if stored._state.adding else history_for(stored),
    }
    return render(request, "analytics/classification_settings.html", context, status=status)


@require_POST
@login_required
def classification_classify_all(request):
    _ensure_settings_access(request.user)
    classification_all_request(actor=request.user)
    messages.success(request, _("“Classify all periods” is queued: the worker replaces the stored classes."))
    return redirect("analytics:classification_settings")


@login_required
def classification_job_progress(request):
    _ensure_settings_access(request.user)
    return render(
        request, "analytics/partials/classification_job.html", {"job": ClassificationJob.objects.first()}
    )
