"""Page forms of contracts and of the documents of deals: they parse input; the services validate and save."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sdelka.catalog import selectors as catalog_selectors
from sdelka.catalog.choices import VatRate
from sdelka.core.forms import MoneyField, ServiceModelForm
from sdelka.deals.models import Deal
from sdelka.documents.models import Contract
from sdelka.partners import selectors as partner_selectors
from sdelka.partners.forms import assignable_managers
from sdelka.partners.models import Counterparty, Partner

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContractForm(ServiceModelForm):
    class Meta:
        model = Contract
        fields = [
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
        ]
        field_classes = {"amount_limit": MoneyField}
        widgets = {
            "date": DATE_WIDGET,
            "valid_from": DATE_WIDGET,
            "valid_to": DATE_WIDGET,
            "comment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the counterparties of the actor's partners can be chosen (others are "not found").
        counterparty = self.fields["counterparty"]
        counterparty.queryset = partner_selectors.counterparty_list(user=actor).order_by(
            "partner__name", "name"
        )
        counterparty.label_from_instance = lambda c: f"{c.partner.name} — {c.name}"
        self.fields["amount_limit"].widget.attrs.update({"inputmode": "decimal", "class": "num"})


# --- the documents of a deal ----------------------------------------------------------------------------------


class DocumentForm(ServiceModelForm):
    """The header of a quote, customer order, sale or supplier order (the lines are edited on the detail page).

    The lists offer what the user may choose: partners of the user's scope (clients, or suppliers for a supplier
    order), the chosen partner's counterparties, the chosen counterparty's contracts, the partner's deals. The
    service checks all of it again, so a value typed past the lists is refused with its message.
    """

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        from sdelka.deals.selectors import deal_list

        document = self.instance if self.instance.pk else None
        is_purchase = self._meta.model.document_type == "purchase_order"
        partners = partner_selectors.partner_list(user=actor)
        partners = partners.filter(is_supplier=True) if is_purchase else partners.filter(is_client=True)
        if document is not None:
            # A collaborator of the deal may not see its client; saving other fields must still work.
            partners = partners | Partner.objects.filter(pk=document.partner_id)
        self.fields["partner"].queryset = partners.order_by("name", "pk")
        partner_id = self._chosen("partner", document.partner_id if document else None)
        counterparty_id = self._chosen("counterparty", document.counterparty_id if document else None)
        counterparties = (
            Counterparty.objects.filter(partner_id=partner_id) if partner_id else Counterparty.objects.none()
        )
        self.fields["counterparty"].queryset = counterparties.order_by("name", "pk")
        self.fields["counterparty"].help_text = _("Of the chosen partner.")
        if counterparty_id:
            contracts = Contract.objects.filter(counterparty_id=counterparty_id)
        else:
            contracts = Contract.objects.none()
        self.fields["contract"].queryset = contracts.order_by("-date", "-pk")
        self.fields["contract"].help_text = _("Of the chosen counterparty.")
        deals = deal_list(user=actor)
        if partner_id and not is_purchase:
            deals = deals.filter(partner_id=partner_id)
        if document is not None and document.deal_id:
            deals = deals | Deal.objects.filter(pk=document.deal_id)
        self.fields["deal"].queryset = deals.order_by("-number", "-pk")
        self.fields["manager"].queryset = assignable_managers(
            actor, current=document.manager if document else None
        )
        self.fields["exchange_rate"].widget.attrs.update({"inputmode": "decimal", "class": "num"})
        if document is None and not self.is_bound:
            self.initial.setdefault("manager", actor.pk)
            self.initial.setdefault("date", timezone.localdate())
            if is_purchase:
                self.initial.setdefault("prices_include_vat", False)

    def _chosen(self, name: str, current) -> str | int | None:
        """The id picked in the form (typed in, or as initially shown), to narrow the dependent lists."""
        value = self.data.get(self.add_prefix(name), "") if self.is_bound else self.initial.get(name, current)
        value = getattr(value, "pk", value)
        return value if str(value or "").isdigit() else None


_DOCUMENT_FORMS: dict[type, type[DocumentForm]] = {}


def document_form_class(model) -> type[DocumentForm]:
    """The header form of ``model``: the common fields and the model's own dates (valid until, shipment…)."""
    if model not in _DOCUMENT_FORMS:
        from sdelka.documents.services.documents import EXTRA_FIELDS, HEADER_FIELDS

        extra = EXTRA_FIELDS[model]
        meta = type(
            "Meta",
            (),
            {
                "model": model,
                "fields": [*HEADER_FIELDS[:-1], *extra, "comment"],
                "field_classes": {"exchange_rate": MoneyField},
                "widgets": {
                    "date": DATE_WIDGET,
                    **{name: DATE_WIDGET for name in extra},
                    "comment": forms.Textarea(attrs={"rows": 3}),
                },
            },
        )
        _DOCUMENT_FORMS[model] = type(f"{model.__name__}Form", (DocumentForm,), {"Meta": meta})
    return _DOCUMENT_FORMS[model]


class DocumentLineForm(forms.Form):
    """One line typed in on the detail page; an empty price or VAT rate takes the product's."""

    product = forms.ModelChoiceField(label=_("Product"), queryset=None)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=15, decimal_places=3, localize=True)
    price = MoneyField(
        label=_("Price"),
        max_digits=15,
        decimal_places=2,
        required=False,
        help_text=_("Empty: the product's price."),
    )
    discount_percent = forms.DecimalField(
        label=_("Discount, %"), max_digits=5, decimal_places=2, required=False, localize=True
    )
    vat_rate = forms.ChoiceField(label=_("VAT rate"), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = catalog_selectors.product_list(user=actor).order_by("name", "pk")
        self.fields["vat_rate"].choices = [("", pgettext_lazy("VAT rate", "The product's")), *VatRate.choices]
        for name in ("quantity", "price", "discount_percent"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "class": "num"})
        if self.prefix:
            # The inputs sit in the cells of the lines table; the form element they belong to is outside it.
            for field in self.fields.values():
                field.widget.attrs["form"] = f"line-form-{self.prefix}"


class SupplierForm(forms.Form):
    """The supplier a supplier order is made out to (partners marked supplier, in the user's scope)."""

    # Not required here: the service refuses an order without a supplier and says why.
    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=None, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = (
            partner_selectors.partner_list(user=actor).filter(is_supplier=True).order_by("name", "pk")
        )


class DocumentListFilterForm(forms.Form):
    """The filters above a document list; every field is optional and a wrong value is simply ignored."""

    q = forms.CharField(required=False)
    status = forms.ChoiceField(required=False)
    partner = forms.CharField(required=False)
    manager = forms.ModelChoiceField(queryset=None, required=False)
    deal = forms.CharField(required=False)
    date_from = forms.DateField(required=False)
    date_to = forms.DateField(required=False)

    def __init__(self, *args, model, managers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", ""), *model._meta.get_field("status").choices]
        self.fields["manager"].queryset = managers
