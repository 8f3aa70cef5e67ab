"""Pages of the marketing reports: primary interest analysis (with its drill-down to partners) and marketing
event effectiveness; each also as an Excel workbook (``?format=xlsx``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sdelka.core.views import paginate
from sdelka.marketing import exports, report_charts, reports
from sdelka.marketing.choices import SourceType
from sdelka.marketing.forms import ReportPeriodForm
from sdelka.marketing.models import AdChannel


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def primary_interest_report(request):
    form = ReportPeriodForm(request.GET or None)
    date_from, date_to = form.period()
    channel = form.cleaned_data.get("channel") if form.is_bound and form.is_valid() else None
    report = reports.primary_interest_report(
        user=request.user, date_from=date_from, date_to=date_to, channel=channel
    )
    if request.GET.get("format") == "xlsx":
        return _xlsx(exports.primary_interest_xlsx(report), exports.filename("primary-interest"))
    return render(
        request,
        "marketing/report_primary_interest.html",
        {
            "form": form,
            "report": report,
            "chart": report_charts.primary_interest_chart(report),
            "date_from": date_from,
            "date_to": date_to,
            "query": request.GET,
        },
    )


def _key_of(query) -> reports.InterestKey:
    channel = query.get("channel", "")
    source_type = query.get("source_type", "") or None
    source = query.get("source", "")
    if channel == "none":
        channel_id = None
    elif channel.isdigit() and AdChannel.objects.filter(pk=channel).exists():
        channel_id = int(channel)
    else:
        raise Http404
    if source_type is None:
        return reports.InterestKey(channel_id, None, None)
    if source_type not in SourceType.values or not source.isdigit() or int(source) > 2**63 - 1:
        raise Http404
    return reports.InterestKey(channel_id, source_type, int(source))


@login_required
def primary_interest_partners(request):
    """The drill-down of one row of the analysis: its new partners with their revenue in the period."""
    form = ReportPeriodForm(request.GET)
    date_from, date_to = form.period()
    key = _key_of(request.GET)
    partners = reports.primary_interest_partners(
        user=request.user, date_from=date_from, date_to=date_to, key=key
    )
    channel = AdChannel.objects.filter(pk=key.channel_id).first() if key.channel_id else None
    source = None
    if key.source_type:
        source = reports.source_labels([key]).get((key.source_type, key.source_id), "")
    return render(
        request,
        "marketing/report_primary_interest_partners.html",
        {
            "page": paginate(partners, request.GET.get("page")),
            "channel": channel,
            "source": source,
            "source_type_label": reports.source_type_label(key.source_type),
            "date_from": date_from,
            "date_to": date_to,
            "query": request.GET,
            "no_interest": _("No primary interest"),
        },
    )


@login_required
def event_effectiveness_report(request):
    form = ReportPeriodForm(request.GET or None)
    date_from, date_to = form.period()
    rows = reports.event_effectiveness_report(user=request.user, date_from=date_from, date_to=date_to)
    if request.GET.get("format") == "xlsx":
        return _xlsx(
            exports.event_effectiveness_xlsx(rows, date_from=date_from, date_to=date_to),
            exports.filename("event-effectiveness"),
        )
    return render(
        request,
        "marketing/report_event_effectiveness.html",
        {
            "form": form,
            "rows": rows,
            "chart": report_charts.event_effectiveness_chart(rows),
            "date_from": date_from,
            "date_to": date_to,
            "query": request.GET,
        },
    )
