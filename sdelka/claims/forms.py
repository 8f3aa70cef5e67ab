"""Forms of the claim pages; they only parse (ids limited to what the user sees), the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sdelka.accounts.selectors import user_list
from sdelka.catalog.models import Product
from sdelka.claims.choices import ClaimResult
from sdelka.claims.models import Claim
from sdelka.core.forms import MoneyField, ServiceModelForm
from sdelka.deals.selectors import deal_list
from sdelka.documents.models import Sale, SalesOrder
from sdelka.documents.selectors import document_list
from sdelka.partners.selectors import counterparty_list, partner_list


class ClaimForm(ServiceModelForm):
    class Meta:
        model = Claim
        fields = [
            "partner",
            "counterparty",
            "sale",
            "sales_order",
            "deal",
            "products",
            "description",
            "demand",
            "responsible",
            "deadline",
        ]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "demand": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partner_list(user=user)
        self.fields["counterparty"].queryset = counterparty_list(user=user)
        self.fields["sale"].queryset = document_list(Sale, user=user)
        self.fields["sales_order"].queryset = document_list(SalesOrder, user=user)
        self.fields["deal"].queryset = deal_list(user=user)
        self.fields["products"].queryset = Product.objects.all()
        self.fields["responsible"].queryset = user_list(active_only=True)
        for name in ("responsible", "deadline", "products"):
            self.fields[name].required = False
        self.fields["responsible"].help_text = _("You, when left empty.")
        self.fields["deadline"].help_text = _("Ten days after registration when left empty.")

    def service_data(self) -> dict:
        data = super().service_data()
        for name in ("responsible", "deadline"):
            if data.get(name) is None:
                data.pop(name, None)
        data["products"] = list(data.get("products") or [])
        return data


class ClaimSettleForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=[("", "—"), *ClaimResult.choices])
    settlement_comment = forms.CharField(
        label=_("Settlement comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    compensation = MoneyField(
        label=_("Compensation amount"), required=False, max_digits=15, decimal_places=2, min_value=0
    )
