"""Forms of the web-to-lead pages: the public request form, and the settings of forms and UTM mappings.

The public form checks a signed token instead of Django's CSRF cookie: inside a frame on another site the
browser does not send our cookies (SameSite, third-party cookie blocking), and a form without a login has
no session to protect; the token still proves the post came from a page we rendered, within a day.
"""

from __future__ import annotations

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from sdelka.accounts.models import User
from sdelka.core.forms import ServiceModelForm, group_choices
from sdelka.deals.models import DealKind
from sdelka.marketing.models import AdChannel, MarketingEvent
from sdelka.marketing.weblead import LEAD_FORM_FIELDS, MAPPING_FIELDS
from sdelka.marketing.weblead_models import UTM_FIELDS, LeadForm, UtmMapping

TOKEN_SALT = "sdelka.marketing.lead-form"
TOKEN_MAX_AGE = 24 * 3600
#: the honeypot: hidden from people by CSS, filled in by bots that fill in every field
HONEYPOT = "website"


def form_token(lead_form: LeadForm) -> str:
    return signing.TimestampSigner(salt=TOKEN_SALT).sign(lead_form.token)


class LeadPublicForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=255)
    company = forms.CharField(label=_("Company"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    comment = forms.CharField(
        label=_("Your question or request"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data to answer this request."),
        error_messages={"required": _("Tick the consent to send the request.")},
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=255)
    form_token = forms.CharField(widget=forms.HiddenInput)
    utm_source = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    utm_medium = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    utm_campaign = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args, lead_form: LeadForm, **kwargs):
        self.lead_form = lead_form
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "type": "tel"})
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        if lead_form.consent_text:
            self.fields["consent"].label = lead_form.consent_text
        if not self.is_bound:
            self.initial["form_token"] = form_token(lead_form)

    def clean_form_token(self) -> str:
        value = self.cleaned_data["form_token"]
        try:
            token = signing.TimestampSigner(salt=TOKEN_SALT).unsign(value, max_age=TOKEN_MAX_AGE)
        except signing.BadSignature as error:
            raise forms.ValidationError(
                _("The form has expired: reload the page and send it again.")
            ) from error
        if token != self.lead_form.token:
            raise forms.ValidationError(_("The form has expired: reload the page and send it again."))
        return value

    def clean(self):
        cleaned = super().clean()
        given = cleaned.get("phone") or cleaned.get("email")
        if not given and "phone" not in self.errors and "email" not in self.errors:
            self.add_error("phone", _("Give a phone or an e-mail address, so that we can answer you."))
        return cleaned

    @property
    def is_spam(self) -> bool:
        return bool((self.data.get(HONEYPOT) or "").strip())

    def lead_data(self) -> dict:
        return {
            key: self.cleaned_data.get(key, "") for key in ("name", "company", "phone", "email", "comment")
        }

    def utm(self) -> dict:
        return {field: self.cleaned_data.get(field, "") for field in UTM_FIELDS}


class LeadFormSettingsForm(ServiceModelForm):
    class Meta:
        model = LeadForm
        fields = list(LEAD_FORM_FIELDS)
        widgets = {
            "thank_you_text": forms.Textarea(attrs={"rows": 3}),
            "allowed_origins": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.manager_id if self.instance.pk else None
        self.fields["manager"].queryset = User.objects.filter(is_active=True).order_by(
            "last_name", "first_name", "username"
        ) | User.objects.filter(pk=current)
        self.fields["deal_kind"].queryset = DealKind.objects.filter(active=True).order_by("name")
        channels = AdChannel.objects.all()
        self.fields["default_channel"].queryset = channels
        self.fields["default_channel"].choices = group_choices(channels, empty_label=_("(none)"))


class UtmMappingForm(ServiceModelForm):
    class Meta:
        model = UtmMapping
        fields = list(MAPPING_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].empty_label = _("(every form)")
        channels = AdChannel.objects.all()
        self.fields["channel"].queryset = channels
        self.fields["channel"].choices = group_choices(channels, empty_label="---------")
        self.fields["event"].queryset = MarketingEvent.objects.order_by("-start_date", "-pk")
        for field in UTM_FIELDS:
            self.fields[field].help_text = _("Empty: any value. Compared ignoring case.")
