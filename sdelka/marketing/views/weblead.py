"""Pages of the web-to-lead form: the public form itself (no login, embeddable in a frame), and the
settings pages where marketers keep forms and UTM mappings and read the log of submissions."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from sdelka.accounts.permissions import role_can
from sdelka.core.forms import add_service_errors
from sdelka.core.views import apply_sort, ensure_role, form_page, paginate
from sdelka.marketing import weblead as services
from sdelka.marketing import weblead_selectors as selectors
from sdelka.marketing.weblead_forms import LeadFormSettingsForm, LeadPublicForm, UtmMappingForm
from sdelka.marketing.weblead_models import UTM_FIELDS, LeadForm, LeadOutcome, UtmMapping

logger = logging.getLogger(__name__)
RESOURCE = services.RESOURCE
#: requests one client address may send in ``RATE_WINDOW_MINUTES``, to all forms together
RATE_LIMIT = getattr(settings, "LEAD_FORM_RATE_LIMIT", 5)
RATE_WINDOW_MINUTES = 10
FORM_SORTS = {"name": ("name",), "submissions": ("submission_count",), "created": ("created_at",)}


# --- the public form ------------------------------------------------------------------------------------------


def client_address(request) -> str | None:
    """The address the request came from. Behind a proxy, the proxy must put the client's in REMOTE_ADDR
    (a forwarded header is whatever the client wants it to be, so it is not trusted here)."""
    return request.META.get("REMOTE_ADDR") or None


def _framed(response, lead_form: LeadForm):
    """Let the sites the form names (or any site) show the page in a frame."""
    origins = lead_form.origins
    if origins:
        response["Content-Security-Policy"] = "frame-ancestors 'self' " + " ".join(origins)
    return response


def _public_form_or_404(token: str) -> LeadForm:
    lead_form = selectors.lead_form_by_token(token)
    if lead_form is None:
        raise Http404
    return lead_form


@csrf_exempt  # the signed form token takes its place: see sdelka.marketing.weblead_forms
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def lead_public(request, token: str):
    lead_form = _public_form_or_404(token)
    context = {"lead_form": lead_form}
    if selectors.lead_form_problem(lead_form):
        return _framed(render(request, "marketing/lead_public.html", {**context, "closed": True}), lead_form)
    if request.method != "POST":
        initial = {field: request.GET.get(field, "")[:100] for field in UTM_FIELDS}
        form = LeadPublicForm(initial=initial, lead_form=lead_form)
        return _framed(render(request, "marketing/lead_public.html", {**context, "form": form}), lead_form)

    ip = client_address(request)
    if selectors.recent_submission_count(ip=ip, minutes=RATE_WINDOW_MINUTES) >= RATE_LIMIT:
        page = render(request, "marketing/lead_public.html", {**context, "rate_limited": True}, status=429)
        page["Retry-After"] = str(RATE_WINDOW_MINUTES * 60)
        return _framed(page, lead_form)
    form = LeadPublicForm(request.POST, lead_form=lead_form)
    if form.is_spam:
        # Answered as if accepted, so that the bot learns nothing; only the log keeps it.
        services.lead_spam_record(form=lead_form, data=request.POST, ip=ip, utm=request.POST)
        return redirect("lead:thanks", token=lead_form.token)
    if form.is_valid():
        try:
            services.lead_submit(form=lead_form, data=form.lead_data(), ip=ip, utm=form.utm())
        except ValidationError as error:
            if hasattr(error, "error_dict") and set(error.error_dict) <= set(form.fields):
                add_service_errors(form, error)
            else:
                # A settings problem (a deal kind out of use…): the visitor is told to call instead.
                logger.warning("Web form %s refused a request: %s", lead_form.pk, "; ".join(error.messages))
                form.add_error(
                    None, _("We could not accept the request just now. Please contact us by phone or e-mail.")
                )
        else:
            return redirect("lead:thanks", token=lead_form.token)
    page = render(request, "marketing/lead_public.html", {**context, "form": form}, status=400)
    return _framed(page, lead_form)


@xframe_options_exempt
def lead_thanks(request, token: str):
    lead_form = _public_form_or_404(token)
    return _framed(
        render(request, "marketing/lead_public.html", {"lead_form": lead_form, "sent": True}), lead_form
    )


# --- settings: forms --------------------------------------------------------------------------------------------


def _lead_form_or_404(pk) -> LeadForm:
    try:
        return selectors.lead_form_list().get(pk=pk)
    except LeadForm.DoesNotExist as error:
        raise Http404 from error


@login_required
def lead_form_list(request):
    ensure_role(request.user, "view", RESOURCE)
    forms, sort = apply_sort(selectors.lead_form_list(), request.GET.get("sort"), FORM_SORTS, "name")
    rows = [{"form": form, "problem": selectors.lead_form_problem(form)} for form in forms]
    return render(
        request,
        "marketing/lead_form_list.html",
        {"rows": rows, "sort": sort, "can_add": role_can(request.user, "add", RESOURCE)},
    )


@login_required
def lead_form_create(request):
    ensure_role(request.user, "add", RESOURCE)
    return form_page(
        request,
        LeadFormSettingsForm(request.POST or None),
        save=lambda data: services.lead_form_create(actor=request.user, data=data),
        template="marketing/lead_form_form.html",
        context={"lead_form": None},
        success=lambda saved: _("Web form “%(name)s” created.") % {"name": saved.name},
        next_url=lambda saved: reverse("marketing:lead_form_detail", args=[saved.pk]),
    )


@login_required
def lead_form_edit(request, pk: int):
    ensure_role(request.user, "change", RESOURCE)
    lead_form = _lead_form_or_404(pk)
    return form_page(
        request,
        LeadFormSettingsForm(request.POST or None, instance=lead_form),
        save=lambda data: services.lead_form_update(actor=request.user, form=lead_form, data=data),
        template="marketing/lead_form_form.html",
        context={"lead_form": lead_form},
        success=lambda saved: _("Web form “%(name)s” saved.") % {"name": saved.name},
        next_url=lambda saved: reverse("marketing:lead_form_detail", args=[saved.pk]),
        instance=lead_form,
    )


@login_required
def lead_form_detail(request, pk: int):
    """The form's settings, its public link and embed snippet, its UTM mappings and its latest requests."""
    ensure_role(request.user, "view", RESOURCE)
    lead_form = _lead_form_or_404(pk)
    url = request.build_absolute_uri(reverse("lead:form", args=[lead_form.token]))
    snippet = (
        f'<iframe src="{escape(url)}" title="{escape(lead_form.name)}" width="100%" height="720" '
        'style="border:0;max-width:560px" loading="lazy"></iframe>'
    )
    return render(
        request,
        "marketing/lead_form_detail.html",
        {
            "lead_form": lead_form,
            "problem": selectors.lead_form_problem(lead_form),
            "public_url": url,
            "snippet": snippet,
            "mappings": selectors.utm_mapping_list().filter(form=lead_form),
            "global_mappings": selectors.utm_mapping_list().filter(form__isnull=True),
            "submissions": selectors.lead_submission_list().filter(form=lead_form)[:20],
            "can_change": role_can(request.user, "change", RESOURCE),
            "can_delete": role_can(request.user, "delete", RESOURCE),
        },
    )


@require_POST
@login_required
def lead_form_new_link(request, pk: int):
    ensure_role(request.user, "change", RESOURCE)
    lead_form = _lead_form_or_404(pk)
    services.lead_form_new_token(actor=request.user, form=lead_form)
    messages.success(request, _("The form has a new link; the old one no longer works."))
    return redirect("marketing:lead_form_detail", pk=lead_form.pk)


@login_required
def lead_form_delete(request, pk: int):
    ensure_role(request.user, "delete", RESOURCE)
    lead_form = _lead_form_or_404(pk)
    if request.method == "POST":
        try:
            services.lead_form_delete(actor=request.user, form=lead_form)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("marketing:lead_form_detail", pk=lead_form.pk)
        messages.success(request, _("Web form “%(name)s” deleted.") % {"name": lead_form.name})
        return redirect("marketing:lead_form_list")
    return render(request, "marketing/lead_form_confirm_delete.html", {"lead_form": lead_form})


# --- settings: UTM mappings -------------------------------------------------------------------------------------


def _mapping_or_404(pk) -> UtmMapping:
    try:
        return selectors.utm_mapping_list().get(pk=pk)
    except UtmMapping.DoesNotExist as error:
        raise Http404 from error


def _after_mapping(mapping: UtmMapping) -> str:
    if mapping.form_id:
        return reverse("marketing:lead_form_detail", args=[mapping.form_id])
    return reverse("marketing:lead_form_list")


@login_required
def utm_mapping_create(request):
    ensure_role(request.user, "add", RESOURCE)
    initial = {}
    if str(request.GET.get("form", "")).isdigit():
        initial["form"] = request.GET["form"]
    return form_page(
        request,
        UtmMappingForm(request.POST or None, initial=initial),
        save=lambda data: services.utm_mapping_create(actor=request.user, data=data),
        template="marketing/lead_mapping_form.html",
        context={"mapping": None},
        success=lambda saved: _("UTM mapping saved."),
        next_url=_after_mapping,
    )


@login_required
def utm_mapping_edit(request, pk: int):
    ensure_role(request.user, "change", RESOURCE)
    mapping = _mapping_or_404(pk)
    return form_page(
        request,
        UtmMappingForm(request.POST or None, instance=mapping),
        save=lambda data: services.utm_mapping_update(actor=request.user, mapping=mapping, data=data),
        template="marketing/lead_mapping_form.html",
        context={"mapping": mapping},
        success=lambda saved: _("UTM mapping saved."),
        next_url=_after_mapping,
        instance=mapping,
    )


@require_POST
@login_required
def utm_mapping_delete(request, pk: int):
    ensure_role(request.user, "delete", RESOURCE)
    mapping = _mapping_or_404(pk)
    next_url = _after_mapping(mapping)
    services.utm_mapping_delete(actor=request.user, mapping=mapping)
    messages.success(request, _("UTM mapping deleted."))
    return redirect(next_url)


# --- the log ------------------------------------------------------------------------------------------------------


@login_required
def lead_submission_list(request):
    ensure_role(request.user, "view", RESOURCE)
    submissions = selectors.lead_submission_list()
    form_id = request.GET.get("form", "")
    if form_id.isdigit():
        submissions = submissions.filter(form_id=int(form_id))
    outcome = request.GET.get("outcome", "")
    if outcome in LeadOutcome.values:
        submissions = submissions.filter(outcome=outcome)
    return render(
        request,
        "marketing/lead_submission_list.html",
        {
            "page": paginate(submissions.order_by("-created_at", "-id"), request.GET.get("page")),
            "query": request.GET,
            "forms": LeadForm.objects.order_by("name"),
            "outcomes": LeadOutcome.choices,
            "form_id": form_id,
            "outcome": outcome,
        },
    )
