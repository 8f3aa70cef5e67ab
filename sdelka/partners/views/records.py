"""Pages of a partner's counterparties and contact persons (shown in the partner's tabs)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdelka.accounts.permissions import role_can
from sdelka.core.forms import add_service_errors
from sdelka.core.history import history_for
from sdelka.core.htmx import wants_fragment
from sdelka.core.views import ensure_role
from sdelka.partners import selectors, services
from sdelka.partners.forms import (
    ContactPersonForm,
    CounterpartyForm,
)
from sdelka.partners.models import ContactPerson, Counterparty
from sdelka.partners.views.partners import (
    _describe_duplicates,
    _error_status,
    _partner_or_404,
    _render_tab,
    _tab_url,
)

# --- counterparties -------------------------------------------------------------------------------------------


def _counterparty_or_404(user, pk) -> Counterparty:
    try:
        return selectors.counterparty_get(user=user, pk=pk)
    except Counterparty.DoesNotExist as error:
        raise Http404 from error


@login_required
def counterparty_create(request, pk: int):
    """Add a counterparty on the partner's page; a tax id already on file asks to confirm first."""
    partner = _partner_or_404(request.user, pk)
    ensure_role(request.user, "add", "counterparty")
    if request.method != "POST":
        return _render_tab(request, partner, "counterparties", counterparty_form_open=True)
    form = CounterpartyForm(request.POST)
    duplicates = None
    if form.is_valid():
        try:
            counterparty = services.counterparty_create(
                actor=request.user,
                data={**form.service_data(), "partner": partner},
                allow_duplicate=form.cleaned_data["allow_duplicate"],
            )
        except services.DuplicateCounterparty as error:
            duplicates = _describe_duplicates(request.user, error.existing)
            add_service_errors(form, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Counterparty “%(name)s” added.") % {"name": counterparty.name})
            if wants_fragment(request):
                return _render_tab(request, partner, "counterparties")
            return redirect(_tab_url(partner.pk, "counterparties"))
    return _render_tab(
        request,
        partner,
        "counterparties",
        status=_error_status(request),
        counterparty_form=form,
        counterparty_form_open=True,
        duplicates=duplicates,
    )


@login_required
def counterparty_edit(request, pk: int):
    """The counterparty's own page: its form (read-only for roles that may not change it) and its history."""
    counterparty = _counterparty_or_404(request.user, pk)
    can_change = role_can(request.user, "change", "counterparty")
    if request.method == "POST":
        ensure_role(request.user, "change", "counterparty")
    form = CounterpartyForm(request.POST or None, instance=counterparty)
    if not can_change:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.counterparty_update(
                actor=request.user, counterparty=counterparty, data=form.service_data()
            )
        except ValidationError as error:
            counterparty.refresh_from_db()
            add_service_errors(form, error)
        else:
            messages.success(request, _("Counterparty “%(name)s” saved.") % {"name": counterparty.name})
            return redirect(_tab_url(counterparty.partner_id, "counterparties"))
    context = {
        "form": form,
        "counterparty": counterparty,
        "partner": counterparty.partner,
        "can_change": can_change,
        "can_delete": role_can(request.user, "delete", "counterparty"),
        "history": history_for(counterparty),
        "contracts": counterparty.contracts.order_by("-date", "-id"),
        "can_add_contract": role_can(request.user, "add", "contract"),
    }
    return render(request, "partners/counterparty_form.html", context)


@require_POST
@login_required
def counterparty_delete(request, pk: int):
    counterparty = _counterparty_or_404(request.user, pk)
    ensure_role(request.user, "delete", "counterparty")
    partner_pk, name = counterparty.partner_id, counterparty.name
    try:
        services.counterparty_delete(actor=request.user, counterparty=counterparty)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("partners:counterparty_edit", pk=pk)
    messages.success(request, _("Counterparty “%(name)s” deleted.") % {"name": name})
    return redirect(_tab_url(partner_pk, "counterparties"))


# --- contact persons ------------------------------------------------------------------------------------------


def _contact_or_404(user, pk) -> ContactPerson:
    try:
        return selectors.contact_person_get(user=user, pk=pk)
    except ContactPerson.DoesNotExist as error:
        raise Http404 from error


@login_required
def contact_create(request, pk: int):
    """Add a contact person inline on the partner's contacts tab."""
    partner = _partner_or_404(request.user, pk)
    ensure_role(request.user, "add", "contact")
    if request.method != "POST":
        return _render_tab(request, partner, "contacts")
    form = ContactPersonForm(request.POST)
    if form.is_valid():
        try:
            contact = services.contact_person_create(
                actor=request.user, data={**form.service_data(), "partner": partner}
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Contact person “%(name)s” added.") % {"name": contact.name})
            if wants_fragment(request):
                return _render_tab(request, partner, "contacts")
            return redirect(_tab_url(partner.pk, "contacts"))
    return _render_tab(request, partner, "contacts", status=_error_status(request), contact_form=form)


@login_required
def contact_edit(request, pk: int):
    contact = _contact_or_404(request.user, pk)
    can_change = role_can(request.user, "change", "contact")
    if request.method == "POST":
        ensure_role(request.user, "change", "contact")
    form = ContactPersonForm(request.POST or None, instance=contact)
    if not can_change:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_person_update(actor=request.user, contact=contact, data=form.service_data())
        except ValidationError as error:
            contact.refresh_from_db()
            add_service_errors(form, error)
        else:
            messages.success(request, _("Contact person “%(name)s” saved.") % {"name": contact.name})
            return redirect(_tab_url(contact.partner_id, "contacts"))
    context = {
        "form": form,
        "contact": contact,
        "partner": contact.partner,
        "can_change": can_change,
        "can_delete": role_can(request.user, "delete", "contact"),
        "history": history_for(contact),
    }
    return render(request, "partners/contact_form.html", context)


@require_POST
@login_required
def contact_delete(request, pk: int):
    contact = _contact_or_404(request.user, pk)
    ensure_role(request.user, "delete", "contact")
    partner = contact.partner
    name = contact.name
    services.contact_person_delete(actor=request.user, contact=contact)
    messages.success(request, _("Contact person “%(name)s” deleted.") % {"name": name})
    if wants_fragment(request):
        return _render_tab(request, partner, "contacts")
    return redirect(_tab_url(partner.pk, "contacts"))
