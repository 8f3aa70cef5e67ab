"""Pages of contracts: the list, a contract with its history, create, edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sdelka.accounts.permissions import role_can
from sdelka.core.history import history_for
from sdelka.core.views import apply_sort, ensure_role, form_page, paginate
from sdelka.documents import selectors, services
from sdelka.documents.choices import ContractStatus
from sdelka.documents.filters import ContractFilter
from sdelka.documents.forms import ContractForm
from sdelka.documents.models import Contract

CONTRACT_SORTS = {"date": ("date", "id"), "number": ("number", "id"), "valid_to": ("valid_to", "id")}


def _contract_or_404(user, pk) -> Contract:
    try:
        return selectors.contract_get(user=user, pk=pk)
    except Contract.DoesNotExist as error:
        raise Http404 from error


@login_required
def contract_list(request):
    filterset = ContractFilter(request.GET, queryset=selectors.contract_list(user=request.user))
    contracts, sort = apply_sort(filterset.qs, request.GET.get("sort"), CONTRACT_SORTS, "-date")
    context = {
        "filter": filterset,
        "page": paginate(contracts, request.GET.get("page")),
        "sort": sort,
        "statuses": ContractStatus.choices,
        "can_add": role_can(request.user, "add", "contract"),
    }
    return render(request, "documents/contract_list.html", context)


@login_required
def contract_detail(request, pk: int):
    contract = _contract_or_404(request.user, pk)
    context = {
        "contract": contract,
        "history": history_for(contract),
        "can_change": role_can(request.user, "change", "contract"),
        "can_delete": role_can(request.user, "delete", "contract"),
    }
    return render(request, "documents/contract_detail.html", context)


def _contract_form_page(request, contract: Contract | None, form: ContractForm):
    def save(data: dict) -> Contract:
        if contract is None:
            return services.contract_create(actor=request.user, data=data)
        return services.contract_update(actor=request.user, contract=contract, data=data)

    return form_page(
        request,
        form,
        save=save,
        template="documents/contract_form.html",
        context={"contract": contract},
        success=lambda saved: (
            (
                _("Contract No. %(number)s registered.")
                if contract is None
                else _("Contract No. %(number)s saved.")
            )
            % {"number": saved.number}
        ),
        next_url=lambda saved: reverse("documents:contract_detail", args=[saved.pk]),
        instance=contract,
    )


@login_required
def contract_create(request):
    ensure_role(request.user, "add", "contract")
    initial = {"counterparty": request.GET.get("counterparty")} if request.GET.get("counterparty") else None
    return _contract_form_page(
        request, None, ContractForm(request.POST or None, initial=initial, actor=request.user)
    )


@login_required
def contract_edit(request, pk: int):
    contract = _contract_or_404(request.user, pk)
    ensure_role(request.user, "change", "contract")
    return _contract_form_page(
        request, contract, ContractForm(request.POST or None, instance=contract, actor=request.user)
    )


@login_required
def contract_delete(request, pk: int):
    contract = _contract_or_404(request.user, pk)
    ensure_role(request.user, "delete", "contract")
    if request.method == "POST":
        number = contract.number
        try:
            services.contract_delete(actor=request.user, contract=contract)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("documents:contract_detail", pk=contract.pk)
        messages.success(request, _("Contract No. %(number)s deleted.") % {"number": number})
        return redirect("documents:contract_list")
    return render(request, "documents/contract_confirm_delete.html", {"contract": contract})
