"""Forms of the product pages. They parse input only; the services validate and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sdelka.catalog.models import Product, ProductGroup
from sdelka.core.forms import MoneyField, ServiceModelForm, group_choices


class ProductForm(ServiceModelForm):
    class Meta:
        model = Product
        fields = [
            "sku",
            "name",
            "kind",
            "unit",
            "group",
            "price",
            "cost_price",
            "vat_rate",
            "active",
            "description",
        ]
        # Typed in the user's locale ("1 200,50" in Russian), shown back the same way.
        localized_fields = ["price", "cost_price"]
        field_classes = {"price": MoneyField, "cost_price": MoneyField}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = ProductGroup.objects.all()
        self.fields["group"].queryset = groups
        self.fields["group"].choices = group_choices(groups, empty_label=_("(no group)"))
        for name in ("price", "cost_price"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "class": "num"})


class MoveToGroupForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Move to group"), queryset=ProductGroup.objects.all(), required=False
    )
