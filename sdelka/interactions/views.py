"""Pages of interactions: the list, one interaction with its chain, the kind-dependent form, "to review",
and the e-mail written on a partner's or deal's page. Records are read through the scope (foreign: 404),
writes check the role (403) and go through the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdelka.accounts.models import User
from sdelka.accounts.permissions import role_can
from sdelka.accounts.selectors import covered_user_ids
from sdelka.core.forms import add_service_errors
from sdelka.core.history import history_for
from sdelka.core.views import apply_sort, ensure_role, form_page, paginate
from sdelka.deals.models import Deal
from sdelka.deals.selectors import deal_get, deal_list
from sdelka.documents.models import Quote, Sale, SalesOrder
from sdelka.documents.selectors import document_list
from sdelka.interactions import selectors, services, subjects
from sdelka.interactions.choices import InteractionKind
from sdelka.interactions.filters import InteractionFilter
from sdelka.interactions.forms import EmailForm, InteractionForm
from sdelka.interactions.models import Interaction
from sdelka.partners.models import Partner
from sdelka.partners.selectors import partner_get

SORTS = {"starts_at": ("starts_at",), "topic": ("topic",), "kind": ("kind",)}
# How many records of each type the subject select offers for a partner.
SUBJECT_OPTIONS = 50


def interaction_or_404(user, pk) -> Interaction:
    try:
        return selectors.interaction_get(user=user, pk=pk)
    except Interaction.DoesNotExist as error:
        raise Http404 from error


def _back(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


def _responsible_choices(user):
    covered = covered_user_ids(user)
    users = User.objects.all() if covered is None else User.objects.filter(pk__in=covered)
    return users.order_by("last_name", "first_name", "username")


@login_required
def interaction_list(request):
    query = request.GET
    filterset = InteractionFilter(
        query, queryset=selectors.interaction_list(user=request.user), request=request
    )
    interactions, sort = apply_sort(filterset.qs, query.get("sort"), SORTS, "-starts_at")
    return render(
        request,
        "interactions/interaction_list.html",
        {
            "page": paginate(interactions, query.get("page")),
            "query": query,
            "sort": sort,
            "form": filterset.form,
            "kinds": InteractionKind.choices,
            "responsibles": _responsible_choices(request.user),
            "can_add": role_can(request.user, "add", "interaction"),
        },
    )


@login_required
def to_review(request):
    page = paginate(
        selectors.to_review_list(user=request.user).order_by("starts_at", "id"), request.GET.get("page")
    )
    return render(
        request,
        "interactions/to_review.html",
        {"page": page, "query": request.GET, "can_change": role_can(request.user, "change", "interaction")},
    )


@login_required
def interaction_detail(request, pk: int):
    interaction = interaction_or_404(request.user, pk)
    user = request.user
    return render(
        request,
        "interactions/interaction_detail.html",
        {
            "interaction": interaction,
            "subject": selectors.subject_of(user=user, interaction=interaction),
            "subject_key": subjects.key_of_content_type(interaction.subject_type_id),
            "chain": selectors.interaction_chain(user=user, interaction=interaction),
            "history": history_for(interaction),
            "can_change": role_can(user, "change", "interaction"),
            "can_add": role_can(user, "add", "interaction"),
            "can_delete": role_can(user, "delete", "interaction"),
        },
    )


def subject_options(user, partner_id) -> list[tuple[str, str]]:
    """What the subject select offers for a partner: its deals, documents and interactions the user sees."""
    if not partner_id:
        return []
    options: list[tuple[str, str]] = []
    for deal in (
        deal_list(user=user).filter(partner_id=partner_id).order_by("-start_date", "-id")[:SUBJECT_OPTIONS]
    ):
        options.append((f"deal:{deal.pk}", f"{subjects.SUBJECT_TYPES['deal'].label} {deal}"))
    for key, model in (("quote", Quote), ("sales_order", SalesOrder), ("sale", Sale)):
        for document in document_list(model, user=user).filter(partner_id=partner_id)[:SUBJECT_OPTIONS]:
            options.append((f"{key}:{document.pk}", str(document)))
    interactions = selectors.interaction_list(user=user).filter(partner_id=partner_id)[:SUBJECT_OPTIONS]
    for interaction in interactions:
        when = timezone.localtime(interaction.starts_at).strftime("%Y-%m-%d %H:%M")
        options.append((f"interaction:{interaction.pk}", f"{interaction} ({when})"))
    return options


def _with_current(options, subject) -> list[tuple[str, str]]:
    if subject is None:
        return options
    value = f"{subjects.key_of(subject)}:{subject.pk}"
    if all(key != value for key, _label in options):
        options = [(value, str(subject)), *options]
    return options


@login_required
def interaction_create(request):
    user = request.user
    ensure_role(user, "add", "interaction")
    kind = request.GET.get("kind", "")
    if kind not in InteractionKind.values:
        return render(
            request,
            "interactions/interaction_kind.html",
            {"kinds": InteractionKind.choices, "query": request.GET},
        )
    initial: dict = {"starts_at": timezone.localtime().replace(second=0, microsecond=0), "responsible": user}
    subject = None
    if request.GET.get("subject"):
        key, _sep, subject_pk = request.GET["subject"].partition(":")
        subject = subjects.find_subject(user=user, key=key, pk=subject_pk)
        if subject is not None:
            initial["subject"] = f"{key}:{subject.pk}"
            initial["partner"] = getattr(subject, "partner_id", None)
            if key == "interaction":
                initial["topic"] = _("Re: %(topic)s") % {"topic": subject.topic}
    if str(request.GET.get("partner", "")).isdigit():
        initial["partner"] = int(request.GET["partner"])
    partner_id = request.POST.get("partner") or initial.get("partner")
    options = _with_current(subject_options(user, partner_id if str(partner_id).isdigit() else None), subject)
    form = InteractionForm(
        request.POST or None, kind=kind, user=user, subject_options=options, initial=initial
    )
    return form_page(
        request,
        form,
        save=lambda data: services.interaction_create(actor=user, data=data),
        template="interactions/interaction_form.html",
        context={"interaction": None, "kind_label": InteractionKind(kind).label},
        success=lambda saved: _("“%(interaction)s” is recorded.") % {"interaction": saved},
        next_url=lambda saved: reverse("interactions:interaction_detail", args=[saved.pk]),
    )


@login_required
def interaction_edit(request, pk: int):
    user = request.user
    interaction = interaction_or_404(user, pk)
    ensure_role(user, "change", "interaction")
    subject = selectors.subject_of(user=user, interaction=interaction)
    partner_id = request.POST.get("partner") or interaction.partner_id
    options = _with_current(subject_options(user, partner_id if str(partner_id).isdigit() else None), subject)
    form = InteractionForm(
        request.POST or None,
        kind=interaction.kind,
        user=user,
        subject_options=options,
        instance=interaction,
        initial={"subject": f"{subjects.key_of(subject)}:{subject.pk}" if subject else ""},
    )
    return form_page(
        request,
        form,
        save=lambda data: services.interaction_update(actor=user, interaction=interaction, data=data),
        template="interactions/interaction_form.html",
        context={"interaction": interaction, "kind_label": interaction.get_kind_display()},
        success=lambda saved: _("“%(interaction)s” is saved.") % {"interaction": saved},
        next_url=lambda saved: reverse("interactions:interaction_detail", args=[saved.pk]),
        instance=interaction,
    )


@require_POST
@login_required
def interaction_delete(request, pk: int):
    interaction = interaction_or_404(request.user, pk)
    ensure_role(request.user, "delete", "interaction")
    name = str(interaction)
    try:
        services.interaction_delete(actor=request.user, interaction=interaction)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("interactions:interaction_detail", pk=pk)
    messages.success(request, _("“%(interaction)s” is deleted.") % {"interaction": name})
    return redirect("interactions:interaction_list")


@require_POST
@login_required
def interaction_reviewed(request, pk: int):
    interaction = interaction_or_404(request.user, pk)
    ensure_role(request.user, "change", "interaction")
    reviewed = request.POST.get("reviewed", "1") != "0"
    services.interaction_mark_reviewed(actor=request.user, interaction=interaction, reviewed=reviewed)
    if reviewed:
        messages.success(request, _("“%(interaction)s” is marked reviewed.") % {"interaction": interaction})
    else:
        messages.success(
            request, _("“%(interaction)s” is back in the list to review.") % {"interaction": interaction}
        )
    return redirect(_back(request, reverse("interactions:interaction_detail", args=[pk])))


@require_POST
@login_required
def interaction_send(request, pk: int):
    """Send a draft e-mail, or retry a failed one: it is queued again and the worker sends it."""
    interaction = interaction_or_404(request.user, pk)
    ensure_role(request.user, "change", "interaction")
    try:
        services.interaction_send(actor=request.user, interaction=interaction)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The e-mail is queued for sending."))
    return redirect(_back(request, reverse("interactions:interaction_detail", args=[pk])))


# --- an e-mail written on a partner's or deal's page ----------------------------------------------------------


def _email_page(request, *, partner: Partner, deal: Deal | None, back_url: str):
    user = request.user
    ensure_role(user, "add", "interaction")
    contacts = list(deal.contacts.all()) if deal is not None else []
    if not contacts:
        contacts = list(partner.contacts.all())
    quotes = document_list(Quote, user=user)
    quotes = quotes.filter(deal=deal) if deal is not None else quotes.filter(partner=partner)
    form = EmailForm(
        request.POST or None,
        contacts=[contact for contact in contacts if contact.emails],
        quotes=quotes.order_by("-date", "-id"),
        initial={"attachment_language": request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        data = {**form.service_data(), "partner": partner, "subject": deal}
        try:
            interaction = services.email_compose(actor=user, data=data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The e-mail “%(topic)s” is queued for sending.") % {"topic": interaction.topic}
            )
            return redirect("interactions:interaction_detail", pk=interaction.pk)
    return render(
        request,
        "interactions/email_form.html",
        {"form": form, "partner": partner, "deal": deal, "back_url": back_url},
    )


@login_required
def email_from_partner(request, pk: int):
    try:
        partner = partner_get(user=request.user, pk=pk)
    except Partner.DoesNotExist as error:
        raise Http404 from error
    back = f"{reverse('partners:partner_detail', args=[pk])}?tab=interactions"
    return _email_page(request, partner=partner, deal=None, back_url=back)


@login_required
def email_from_deal(request, pk: int):
    try:
        deal = deal_get(user=request.user, pk=pk)
    except Deal.DoesNotExist as error:
        raise Http404 from error
    back = f"{reverse('deals:deal_detail', args=[pk])}?tab=timeline"
    return _email_page(request, partner=deal.partner, deal=deal, back_url=back)
