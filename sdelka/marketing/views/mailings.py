"""Pages of mass mailings: the list, the draft's form, and the mailing page with the preview, the test
letter, sending (after a confirmation), the progress (polled by htmx while sending), the recipients'
results and cancelling.

Everyone reads mailings; marketers and administrators edit, test, send and cancel them (403 for others).
The recipients and the preview show only the partners the user sees.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sdelka.accounts.permissions import role_can
from sdelka.core.forms import ServiceModelForm
from sdelka.core.htmx import render_page_or_fragment
from sdelka.core.views import apply_sort, ensure_role, form_page, paginate
from sdelka.interactions.models import EmailTemplate
from sdelka.marketing import mailing_selectors as selectors
from sdelka.marketing import mailings as services
from sdelka.marketing.mailing_models import Mailing, MailingRecipientStatus, MailingStatus
from sdelka.partners.models import ContactPerson, Segment

MAILING_SORTS = {
    "name": ("name",),
    "created": ("created_at",),
    "status": ("status",),
    "started": ("started_at",),
    "recipients": ("total_count",),
}
RECIPIENTS_PER_PAGE = 50


class MailingForm(ServiceModelForm):
    class Meta:
        model = Mailing
        fields = ["name", "email_template", "segment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mailing = self.instance if self.instance.pk else None
        templates = EmailTemplate.objects.filter(is_active=True)
        if mailing is not None:
            templates = templates | EmailTemplate.objects.filter(pk=mailing.email_template_id)
        self.fields["email_template"].queryset = templates.order_by("name")
        self.fields["segment"].queryset = Segment.objects.order_by("name")
        self.fields["email_template"].help_text = gettext_lazy(
            "The template may use the partner, contact person, manager and company placeholders."
        )


class MailingListFilterForm(forms.Form):
    q = forms.CharField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", ""), *MailingStatus.choices])


def mailing_or_404(pk) -> Mailing:
    try:
        return selectors.mailing_get(pk=pk)
    except Mailing.DoesNotExist as error:
        raise Http404 from error


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def mailing_list(request):
    query = request.GET
    form = MailingListFilterForm(query)
    cleaned = form.cleaned_data if form.is_valid() else {}
    mailings = selectors.mailing_list()
    if (cleaned.get("q") or "").strip():
        mailings = mailings.filter(name__icontains=cleaned["q"].strip())
    if cleaned.get("status"):
        mailings = mailings.filter(status=cleaned["status"])
    mailings, sort = apply_sort(mailings, query.get("sort"), MAILING_SORTS, "-created")
    return render(
        request,
        "marketing/mailing_list.html",
        {
            "query": query,
            "page": paginate(mailings, query.get("page")),
            "sort": sort,
            "statuses": MailingStatus.choices,
            "can_add": role_can(request.user, "add", "mailing"),
        },
    )


@login_required
def mailing_create(request):
    ensure_role(request.user, "add", "mailing")
    return form_page(
        request,
        MailingForm(request.POST or None),
        save=lambda data: services.mailing_create(actor=request.user, data=data),
        template="marketing/mailing_form.html",
        context={"mailing": None},
        success=lambda mailing: _("Mailing “%(name)s” created.") % {"name": mailing.name},
        next_url=lambda mailing: reverse("marketing:mailing_detail", args=[mailing.pk]),
    )


@login_required
def mailing_edit(request, pk: int):
    mailing = mailing_or_404(pk)
    ensure_role(request.user, "change", "mailing")
    if not mailing.is_draft:
        messages.error(request, _("The mailing has been started; only a draft can be changed."))
        return redirect("marketing:mailing_detail", pk=pk)
    return form_page(
        request,
        MailingForm(request.POST or None, instance=mailing),
        save=lambda data: services.mailing_update(actor=request.user, mailing=mailing, data=data),
        template="marketing/mailing_form.html",
        context={"mailing": mailing},
        success=lambda saved: _("Mailing “%(name)s” saved.") % {"name": saved.name},
        next_url=lambda saved: reverse("marketing:mailing_detail", args=[saved.pk]),
        instance=mailing,
    )


@require_POST
@login_required
def mailing_delete(request, pk: int):
    mailing = mailing_or_404(pk)
    ensure_role(request.user, "delete", "mailing")
    name = mailing.name
    try:
        services.mailing_delete(actor=request.user, mailing=mailing)
    except ValidationError as error:
        _errors(request, error)
        return redirect("marketing:mailing_detail", pk=pk)
    messages.success(request, _("Mailing “%(name)s” deleted.") % {"name": name})
    return redirect("marketing:mailing_list")


# --- the mailing page -------------------------------------------------------------------------------------


def _chosen_contact(request, mailing: Mailing) -> ContactPerson | None:
    """The recipient chosen for the preview, among those the user sees (404 for another one)."""
    value = request.GET.get("contact") or request.POST.get("contact") or ""
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    from sdelka.partners.selectors import contact_person_get

    try:
        return contact_person_get(user=request.user, pk=int(value))
    except ContactPerson.DoesNotExist as error:
        raise Http404 from error


def _preview_context(request, mailing: Mailing) -> dict:
    options = services.segment_contacts(mailing.segment, user=request.user)
    contact = _chosen_contact(request, mailing)
    error = ""
    try:
        preview = services.mailing_preview(mailing=mailing, contact=contact, user=request.user)
    except ValidationError as problem:
        preview, error = None, " ".join(problem.messages)
    return {"mailing": mailing, "preview": preview, "preview_error": error, "preview_options": options}


def _recipients_context(request, mailing: Mailing) -> dict:
    status = request.GET.get("status", "")
    if status not in MailingRecipientStatus.values:
        status = ""
    rows = selectors.mailing_recipient_list(user=request.user, mailing=mailing, status=status)
    query = request.GET.copy()
    query.pop("contact", None)
    return {
        "mailing": mailing,
        "recipients": paginate(rows, request.GET.get("page"), per_page=RECIPIENTS_PER_PAGE),
        "recipient_status": status,
        "recipient_statuses": MailingRecipientStatus.choices,
        "query": query,
    }


@login_required
def mailing_detail(request, pk: int):
    mailing = mailing_or_404(pk)
    can_change = role_can(request.user, "change", "mailing")
    context = {
        **_preview_context(request, mailing),
        **_recipients_context(request, mailing),
        "can_change": can_change,
        "can_delete": role_can(request.user, "delete", "mailing"),
    }
    return render(request, "marketing/mailing_detail.html", context)


@login_required
def mailing_preview(request, pk: int):
    mailing = mailing_or_404(pk)
    return render_page_or_fragment(
        request,
        "marketing/mailing_preview.html",
        "marketing/partials/_mailing_preview.html",
        _preview_context(request, mailing),
    )


@login_required
def mailing_recipients(request, pk: int):
    mailing = mailing_or_404(pk)
    return render_page_or_fragment(
        request,
        "marketing/mailing_recipients.html",
        "marketing/partials/_mailing_recipients.html",
        _recipients_context(request, mailing),
    )


@login_required
def mailing_progress(request, pk: int):
    """The counts and the bar; while the mailing is sending the fragment asks for itself every 2 s."""
    mailing = mailing_or_404(pk)
    return render_page_or_fragment(
        request,
        "marketing/mailing_progress.html",
        "marketing/partials/_mailing_progress.html",
        {"mailing": mailing},
    )


@require_POST
@login_required
def mailing_test(request, pk: int):
    mailing = mailing_or_404(pk)
    ensure_role(request.user, "change", "mailing")
    contact = _chosen_contact(request, mailing)
    try:
        address = services.mailing_test_send(actor=request.user, mailing=mailing, contact=contact)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("A test letter was sent to %(email)s.") % {"email": address})
    url = reverse("marketing:mailing_detail", args=[pk])
    return redirect(f"{url}?contact={contact.pk}" if contact else url)


@login_required
def mailing_send(request, pk: int):
    """GET: what is about to happen, with the number of recipients; POST: start sending."""
    mailing = mailing_or_404(pk)
    ensure_role(request.user, "change", "mailing")
    if not mailing.is_draft:
        messages.error(request, _("The mailing has already been started."))
        return redirect("marketing:mailing_detail", pk=pk)
    if request.method == "POST":
        try:
            services.mailing_start(actor=request.user, mailing=mailing)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("The mailing is being sent."))
        return redirect("marketing:mailing_detail", pk=pk)
    candidates = services.segment_contacts(mailing.segment)
    return render(
        request,
        "marketing/mailing_confirm_send.html",
        {"mailing": mailing, "recipient_count": len(candidates)},
    )


@require_POST
@login_required
def mailing_cancel(request, pk: int):
    mailing = mailing_or_404(pk)
    ensure_role(request.user, "change", "mailing")
    try:
        services.mailing_cancel(actor=request.user, mailing=mailing)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The mailing was cancelled; the letters not yet sent will not be."))
    return redirect("marketing:mailing_detail", pk=pk)
