"""Input and output of the contracts API."""

from __future__ import annotations

from sdelka.core.api.fields import ScopedPrimaryKeyField
from sdelka.core.api.serializers import ServiceModelSerializer
from sdelka.documents.models import Contract
from sdelka.partners import selectors as partner_selectors
from sdelka.partners.models import Counterparty


class ContractSerializer(ServiceModelSerializer):
    counterparty = ScopedPrimaryKeyField(
        queryset=Counterparty.objects.all(), select=partner_selectors.counterparty_list
    )

    class Meta:
        model = Contract
        fields = [
            "id",
            "counterparty",
            "number",
            "date",
            "valid_from",
            "valid_to",
            "status",
            "currency",
            "amount_limit",
            "subject",
            "comment",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # Uniqueness is the service's (and the database's) business, with its own message.
        validators: list = []
