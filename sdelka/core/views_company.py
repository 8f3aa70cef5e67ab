"""The administrators' page of our company's requisites (the seller on printed documents).

Like the users pages, it answers 404 to everyone but administrators; everyone else reads the requisites
on the documents themselves (and through ``GET /api/v1/company/``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sdelka.accounts.permissions import CHANGE, role_can
from sdelka.core.company import company_get, company_or_blank, company_update
from sdelka.core.forms import add_service_errors
from sdelka.core.forms_company import CompanyForm
from sdelka.core.history import history_for


@login_required
def company_edit(request):
    if not role_can(request.user, CHANGE, "company"):
        raise Http404
    company = company_or_blank()
    form = CompanyForm(request.POST or None, instance=company)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                company_update(actor=request.user, data=form.service_data())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Our company's requisites are saved."))
                return redirect("core:company_edit")
        status = 400
    stored = company_get()
    context = {
        "form": form,
        "company": stored,
        "history": history_for(stored) if stored is not None else [],
    }
    return render(request, "core/company_form.html", context, status=status)
