"""The "New clients" page (1C "Первичные продажи → Клиенты") and the source select that follows a channel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sdelka.core.forms import add_service_errors
from sdelka.core.views import ensure_role
from sdelka.marketing import services
from sdelka.marketing.forms import NewClientForm, SourceOptionsForm

#: how many of the latest clients the page lists under the form
RECENT = 20


@login_required
def new_client(request):
    """A potential client, its contact person and its primary interest in one form, through the partner
    services; a refusal of any part stores nothing and shows the reasons beside the fields."""
    ensure_role(request.user, "add", "partner")
    form = NewClientForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.new_client_register(
                actor=request.user, partner_data=form.partner_data(), contact_data=form.contact_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Client “%(name)s” registered.") % {"name": created["partner"].name})
            return redirect("partners:partner_detail", pk=created["partner"].pk)
    from sdelka.partners.selectors import partner_list

    recent = (
        partner_list(user=request.user)
        .filter(is_client=True)
        .select_related("primary_interest_channel")
        .order_by("-created_at", "-pk")[:RECENT]
    )
    return render(request, "marketing/new_client.html", {"form": form, "recent": recent})


@login_required
def primary_interest_source_options(request):
    """The source select for the channel chosen in a form (htmx); ``q`` narrows long lists."""
    query = request.GET
    form = SourceOptionsForm(
        initial={
            "primary_interest_channel": query.get("primary_interest_channel"),
            "primary_interest_source": query.get("primary_interest_source", ""),
        },
        actor=request.user,
        search=query.get("q", ""),
    )
    return render(
        request,
        "marketing/partials/_primary_interest_source.html",
        {"form": form, "search": query.get("q", "")},
    )
