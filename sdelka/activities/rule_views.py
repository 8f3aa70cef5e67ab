"""Pages of mailing rules: the list, create/edit, a rule's page with what it did, switch on/off, delete."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdelka.accounts.permissions import role_can
from sdelka.activities.models import MailingRule, MailingRuleFiring
from sdelka.activities.services import mailing_rules as services
from sdelka.core.forms import ServiceModelForm
from sdelka.core.history import history_for
from sdelka.core.views import ensure_role, form_page, paginate
from sdelka.deals.models import DealKind, Stage
from sdelka.interactions import letters
from sdelka.interactions.models import EmailTemplate


class StageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, stage) -> str:
        return f"{stage.kind.name} — {stage.name}"


class MailingRuleForm(ServiceModelForm):
    stage = StageChoiceField(queryset=Stage.objects.none(), required=False)

    class Meta:
        model = MailingRule
        fields = [
            "name",
            "is_active",
            "trigger",
            "deal_kind",
            "stage",
            "days",
            "action",
            "email_template",
            "text",
            "task_due_days",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deal_kind"].queryset = DealKind.objects.order_by("name")
        self.fields["stage"].queryset = Stage.objects.select_related("kind").order_by("kind__name", "order")
        self.fields["stage"].label = MailingRule._meta.get_field("stage").verbose_name.capitalize()
        self.fields["email_template"].queryset = EmailTemplate.objects.filter(is_active=True)
        self.fields["days"].help_text = _(
            "N for “idle N days” and “unanswered N days”; for a birthday, how many days ahead (0 — on the day)."
        )


@login_required
def mailing_rule_list(request):
    ensure_role(request.user, "view", "mailing_rule")
    rules = (
        MailingRule.objects.select_related("stage__kind", "deal_kind", "email_template")
        .annotate(firing_count=Count("firings"), last_fired=Max("firings__fired_at"))
        .order_by("name")
    )
    context = {"rules": rules, "can_edit": role_can(request.user, "change", "mailing_rule")}
    return render(request, "activities/mailing_rule_list.html", context)


def _form_context(rule=None) -> dict:
    return {"rule": rule, "placeholders": letters.placeholder_help()}


@login_required
def mailing_rule_create(request):
    ensure_role(request.user, "add", "mailing_rule")
    form = MailingRuleForm(request.POST or None, initial={"is_active": True, "task_due_days": 1})
    return form_page(
        request,
        form,
        save=lambda data: services.mailing_rule_create(actor=request.user, data=data),
        template="activities/mailing_rule_form.html",
        context=_form_context(),
        success=lambda rule: _("Rule “%(name)s” saved.") % {"name": rule.name},
        next_url=lambda rule: reverse("activities:mailing_rule_detail", args=[rule.pk]),
    )


@login_required
def mailing_rule_edit(request, pk: int):
    ensure_role(request.user, "change", "mailing_rule")
    rule = get_object_or_404(MailingRule, pk=pk)
    form = MailingRuleForm(request.POST or None, instance=rule)
    return form_page(
        request,
        form,
        save=lambda data: services.mailing_rule_update(actor=request.user, rule=rule, data=data),
        template="activities/mailing_rule_form.html",
        context=_form_context(rule),
        success=lambda saved: _("Rule “%(name)s” saved.") % {"name": saved.name},
        next_url=lambda saved: reverse("activities:mailing_rule_detail", args=[saved.pk]),
        instance=rule,
    )


@login_required
def mailing_rule_detail(request, pk: int):
    ensure_role(request.user, "view", "mailing_rule")
    rule = get_object_or_404(
        MailingRule.objects.select_related("stage__kind", "deal_kind", "email_template", "created_by"), pk=pk
    )
    firings = (
        MailingRuleFiring.objects.filter(rule=rule)
        .select_related("target_type", "task")
        .prefetch_related("interactions", "target")
        .order_by("-fired_at", "-id")
    )
    page = paginate(firings, request.GET.get("page"))
    context = {
        "rule": rule,
        "page": page,
        "history": history_for(rule),
        "can_edit": role_can(request.user, "change", "mailing_rule"),
    }
    return render(request, "activities/mailing_rule_detail.html", context)


@require_POST
@login_required
def mailing_rule_toggle(request, pk: int):
    ensure_role(request.user, "change", "mailing_rule")
    rule = get_object_or_404(MailingRule, pk=pk)
    try:
        services.mailing_rule_update(actor=request.user, rule=rule, data={"is_active": not rule.is_active})
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        text = _("Rule “%(name)s” is on.") if rule.is_active else _("Rule “%(name)s” is off.")
        messages.success(request, text % {"name": rule.name})
    return redirect("activities:mailing_rule_detail", pk=rule.pk)


@require_POST
@login_required
def mailing_rule_delete(request, pk: int):
    ensure_role(request.user, "delete", "mailing_rule")
    rule = get_object_or_404(MailingRule, pk=pk)
    services.mailing_rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("Rule “%(name)s” deleted.") % {"name": rule.name})
    return redirect("activities:mailing_rule_list")
