"""Pages of e-mail templates (list, create/edit with a live preview, delete) and of unsubscribed addresses."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sdelka.accounts.permissions import role_can
from sdelka.core.forms import ServiceModelForm
from sdelka.core.history import history_for
from sdelka.core.views import ensure_role, form_page, paginate
from sdelka.interactions import email_templates, letters, optouts
from sdelka.interactions.models import EmailOptOut, EmailTemplate


class EmailTemplateForm(ServiceModelForm):
    class Meta:
        model = EmailTemplate
        fields = ["name", "subject", "body", "language", "is_active"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = self.fields["language"].initial or settings.LANGUAGE_CODE
        self.fields["body"].help_text = gettext_lazy(
            "Plain text. The unsubscribe link is added at the end unless you place {{ unsubscribe_url }} yourself."
        )


class OptOutForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail"))


@login_required
def email_template_list(request):
    ensure_role(request.user, "view", "email_template")
    templates = EmailTemplate.objects.annotate(rule_count=Count("mailing_rules")).order_by("name")
    context = {
        "templates": templates,
        "can_edit": role_can(request.user, "change", "email_template"),
    }
    return render(request, "interactions/email_template_list.html", context)


def _form_context(template=None) -> dict:
    return {"template": template, "placeholders": letters.placeholder_help()}


@login_required
def email_template_create(request):
    ensure_role(request.user, "add", "email_template")
    form = EmailTemplateForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    return form_page(
        request,
        form,
        save=lambda data: email_templates.email_template_create(actor=request.user, data=data),
        template="interactions/email_template_form.html",
        context=_form_context(),
        success=lambda saved: _("Template “%(name)s” saved.") % {"name": saved.name},
        next_url=lambda saved: reverse("interactions:email_template_list"),
    )


@login_required
def email_template_edit(request, pk: int):
    ensure_role(request.user, "view", "email_template")
    template = get_object_or_404(EmailTemplate, pk=pk)
    if request.method == "POST":
        ensure_role(request.user, "change", "email_template")
    form = EmailTemplateForm(request.POST or None, instance=template)
    context = {**_form_context(template), "history": history_for(template)}
    return form_page(
        request,
        form,
        save=lambda data: email_templates.email_template_update(
            actor=request.user, template=template, data=data
        ),
        template="interactions/email_template_form.html",
        context=context,
        success=lambda saved: _("Template “%(name)s” saved.") % {"name": saved.name},
        next_url=lambda saved: reverse("interactions:email_template_list"),
        instance=template,
    )


@require_POST
@login_required
def email_template_delete(request, pk: int):
    ensure_role(request.user, "delete", "email_template")
    template = get_object_or_404(EmailTemplate, pk=pk)
    try:
        email_templates.email_template_delete(actor=request.user, template=template)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("interactions:email_template_edit", pk=template.pk)
    messages.success(request, _("Template “%(name)s” deleted.") % {"name": template.name})
    return redirect("interactions:email_template_list")


@require_POST
@login_required
def email_template_preview(request):
    """The htmx fragment beside the form: the letter filled from the user's latest deal, or the problems."""
    ensure_role(request.user, "view", "email_template")
    language = request.POST.get("language") or request.LANGUAGE_CODE
    subject, body = request.POST.get("subject", ""), request.POST.get("body", "")
    context = email_templates.preview_context(user=request.user, needs=letters.objects_used(subject, body))
    try:
        subject, body = email_templates.email_template_preview(
            subject=subject,
            body=body,
            language=language,
            context=context,
        )
    except ValidationError as error:
        return render(request, "interactions/partials/_template_preview.html", {"problems": error.messages})
    letter = {
        "subject": subject,
        "body": body,
        "source": context.claim or context.quote or context.deal,
        "partner": context.partner,
    }
    return render(request, "interactions/partials/_template_preview.html", {"letter": letter})


@login_required
def opt_out_list(request):
    """Addresses that get no automatic letters; a manager adds one when a client asks by phone."""
    ensure_role(request.user, "view", "email_template")
    can_edit = role_can(request.user, "change", "interaction")
    form = OptOutForm(request.POST or None)
    if request.method == "POST":
        ensure_role(request.user, "change", "interaction")
        if request.POST.get("remove"):
            optouts.email_opt_in(email=request.POST["remove"])
            messages.success(
                request,
                _("%(email)s will receive automatic letters again.") % {"email": request.POST["remove"]},
            )
            return redirect("interactions:opt_out_list")
        if form.is_valid():
            optouts.email_opt_out(email=form.cleaned_data["email"], source="manual")
            messages.success(request, _("%(email)s unsubscribed.") % {"email": form.cleaned_data["email"]})
            return redirect("interactions:opt_out_list")
    query = request.GET.get("q", "").strip()
    addresses = EmailOptOut.objects.all()
    if query:
        addresses = addresses.filter(email__icontains=query)
    page = paginate(addresses, request.GET.get("page"))
    return render(
        request,
        "interactions/opt_out_list.html",
        {"page": page, "form": form, "can_edit": can_edit, "query": query},
        status=400 if request.method == "POST" else 200,
    )
