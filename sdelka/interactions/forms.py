"""Forms of the interaction pages: one form whose fields follow the kind, and the e-mail written on a page."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sdelka.accounts.models import User
from sdelka.core.forms import CommaSeparatedField, ServiceModelForm
from sdelka.interactions import subjects
from sdelka.interactions.choices import InteractionKind
from sdelka.interactions.models import Interaction
from sdelka.partners import selectors as partner_selectors

COMMON_FIELDS = [
    "starts_at",
    "topic",
    "text",
    "partner",
    "contacts",
    "responsible",
    "subject",
    "reviewed",
    "review_after",
]
KIND_FIELDS = {
    InteractionKind.CALL: ["direction", "duration_seconds"],
    InteractionKind.EMAIL: ["direction", "email_from", "email_to", "email_cc"],
    InteractionKind.MEETING: ["ends_at", "place"],
    InteractionKind.PLANNED: ["status"],
    InteractionKind.SMS: ["direction"],
}
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SubjectField(forms.CharField):
    """A subject as "deal:12"; resolved through the user's scope, an unknown or foreign one is "not found"."""

    def __init__(self, *, user=None, **kwargs):
        self.user = user
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, models_base()):
            return f"{subjects.key_of(value)}:{value.pk}"
        return value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        key, _sep, pk = value.partition(":")
        found = subjects.find_subject(user=self.user, key=key, pk=pk)
        if found is None:
            raise ValidationError(_("The subject is not found."))
        return found


def models_base():
    from django.db.models import Model

    return Model


class InteractionForm(ServiceModelForm):
    """Common fields plus those of the kind (``KIND_FIELDS``); the kind itself is chosen before the form."""

    subject = SubjectField(
        label=_("Subject"), help_text=_("What it is about: a deal, a document, an interaction.")
    )
    email_to = CommaSeparatedField(label=_("To"))
    email_cc = CommaSeparatedField(label=_("Copy to"))

    class Meta:
        model = Interaction
        # The subject is a declared field (a generic reference), not a model field of the form.
        fields = [
            *(name for name in COMMON_FIELDS if name != "subject"),
            "direction",
            "duration_seconds",
            "ends_at",
            "place",
            "status",
            "email_from",
            "email_to",
            "email_cc",
        ]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "review_after": forms.DateInput(attrs={"type": "date"}),
            "text": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, kind: str, user, subject_options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        keep = set(COMMON_FIELDS) | set(KIND_FIELDS[kind])
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.fields["partner"].queryset = partner_selectors.partner_list(user=user)
        self.fields["partner"].required = False
        self.fields["partner"].help_text = _("May be left empty when the subject has a partner.")
        self.fields["contacts"].queryset = partner_selectors.contact_person_list(user=user)
        self.fields["responsible"].queryset = User.objects.filter(is_active=True).order_by(
            "last_name", "first_name", "username"
        )
        self.fields["responsible"].required = False
        self.fields["subject"].user = user
        if subject_options:
            self.fields["subject"].widget = forms.Select(choices=[("", "—"), *subject_options])
        for name in ("starts_at", "ends_at"):
            if name in self.fields:
                self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", *settings.DATETIME_INPUT_FORMATS]
        if "direction" in self.fields:
            self.fields["direction"].required = True

    def service_data(self) -> dict:
        data = super().service_data()
        data["kind"] = self.kind
        if data.get("contacts") is not None:
            data["contacts"] = list(data["contacts"])
        for name in ("partner", "responsible"):
            if name in data and data[name] is None:
                data.pop(name)
        return data


class EmailForm(forms.Form):
    """An e-mail written on a partner's or deal's page to its contact persons and/or any addresses."""

    recipients = forms.MultipleChoiceField(
        label=_("Contact persons"), required=False, widget=forms.CheckboxSelectMultiple
    )
    other_addresses = CommaSeparatedField(label=_("Other addresses"))
    email_cc = CommaSeparatedField(label=_("Copy to"))
    topic = forms.CharField(label=_("Subject"), max_length=255)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))
    attached_quote = forms.ModelChoiceField(
        label=_("Attach a commercial proposal"), queryset=None, required=False
    )
    attachment_language = forms.ChoiceField(label=_("Language of the attachment"), choices=settings.LANGUAGES)

    def __init__(self, *args, contacts, quotes, **kwargs):
        super().__init__(*args, **kwargs)
        # One choice per address: "contact id|address", so a contact with two e-mails can get either.
        self.contacts = {contact.pk: contact for contact in contacts}
        self.fields["recipients"].choices = [
            (f"{contact.pk}|{email}", f"{contact.name} <{email}>")
            for contact in contacts
            for email in contact.emails
        ]
        self.fields["attached_quote"].queryset = quotes

    def clean(self):
        cleaned = super().clean()
        from sdelka.core.validators import validate_email_list

        for name in ("other_addresses", "email_cc"):
            try:
                validate_email_list(cleaned.get(name) or [])
            except ValidationError as error:
                self.add_error(name, error)
        if not cleaned.get("recipients") and not cleaned.get("other_addresses") and not self.errors:
            raise ValidationError(_("Choose a contact person or type an address."))
        return cleaned

    def service_data(self) -> dict:
        cleaned = self.cleaned_data
        contact_ids, to = [], []
        for value in cleaned["recipients"]:
            pk, _sep, email = value.partition("|")
            contact_ids.append(int(pk))
            to.append(email)
        return {
            "email_to": [*to, *cleaned["other_addresses"]],
            "email_cc": cleaned["email_cc"],
            "contacts": [self.contacts[pk] for pk in dict.fromkeys(contact_ids)],
            "topic": cleaned["topic"],
            "text": cleaned["text"],
            "attached_quote": cleaned["attached_quote"],
            "attachment_language": cleaned["attachment_language"],
        }
