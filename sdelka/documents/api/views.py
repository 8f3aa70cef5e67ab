"""Contracts over the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from sdelka.core.api.viewsets import HistoryMixin, ServiceViewSet
from sdelka.documents import selectors, services
from sdelka.documents.filters import ContractFilter
from sdelka.documents.models import Contract
from sdelka.partners import selectors as partner_selectors

from .serializers import ContractSerializer


def _visible_counterparties(request):
    if request is None or not request.user.is_authenticated:
        return Contract.objects.none()
    return partner_selectors.counterparty_list(user=request.user)


class ScopedContractFilter(ContractFilter):
    counterparty = filters.ModelChoiceFilter(queryset=_visible_counterparties, label=_("Counterparty"))


class ContractViewSet(HistoryMixin, ServiceViewSet):
    """Contracts with the counterparties of the caller's partners."""

    queryset = Contract.objects.none()
    serializer_class = ContractSerializer
    permission_resource = "contract"
    filterset_class = ScopedContractFilter
    search_fields = ["number", "subject", "counterparty__name"]
    ordering_fields = ["date", "number", "valid_to", "created_at", "id"]

    def select(self, *, user):
        return selectors.contract_list(user=user)

    def create_record(self, *, actor, data):
        return services.contract_create(actor=actor, data=data)

    def update_record(self, instance, *, actor, data):
        return services.contract_update(actor=actor, contract=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.contract_delete(actor=actor, contract=instance)
