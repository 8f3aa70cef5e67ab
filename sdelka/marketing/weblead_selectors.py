"""Reads of the web-to-lead form: the forms and their log, the UTM mapping that applies to a visit, the
existing partner a request belongs to, and the recent submissions of a client address (the rate limit).

Forms and submissions are settings and a log that marketers keep; they are not scoped by manager.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.functions import Cast, Replace
from django.utils import timezone

from sdelka.marketing.weblead_models import UTM_FIELDS, LeadForm, LeadSubmission, UtmMapping

#: separators people type inside phone numbers; stripped in the database before comparing digits
PHONE_SEPARATORS = (" ", "(", ")", "-", ".", "+")
#: the national part of a number: "+7 495 123-45-67" and "8 (495) 123 45 67" are the same phone
SIGNIFICANT_DIGITS = 10
EXTENSION_RE = re.compile(r"(ext\.?|доб\.?).*$", re.IGNORECASE)


def lead_form_list() -> QuerySet[LeadForm]:
    return (
        LeadForm.objects.select_related("deal_kind", "manager", "default_channel")
        .prefetch_related("deal_kind__stages")
        .annotate(submission_count=Count("submissions"))
    )


def lead_form_by_token(token: str) -> LeadForm | None:
    return (
        LeadForm.objects.select_related("deal_kind", "manager", "default_channel").filter(token=token).first()
    )


def utm_mapping_list() -> QuerySet[UtmMapping]:
    return UtmMapping.objects.select_related("form", "channel", "event")


def lead_submission_list() -> QuerySet[LeadSubmission]:
    return LeadSubmission.objects.select_related("form", "partner", "contact", "deal")


def lead_form_problem(form: LeadForm) -> str | None:
    """Why the form cannot take requests now (shown to marketers), or None."""
    from django.utils.translation import gettext as _

    if not form.active:
        return _("The form is switched off.")
    if not form.manager.is_active:
        return _("The responsible manager %(user)s is deactivated.") % {"user": form.manager}
    kind = form.deal_kind
    if not kind.active:
        return _("The deal kind “%(kind)s” is not in use.") % {"kind": kind}
    if kind.has_stages and not list(kind.stages.all()):  # prefetched by the selectors above
        return _("The deal kind “%(kind)s” has no stages yet.") % {"kind": kind}
    return None


def utm_mapping_for(*, form: LeadForm, utm: dict[str, str]) -> UtmMapping | None:
    """The mapping that applies to a visit with these UTM tags: the most specific match (more filled
    patterns; then the form's own before a global one; then the oldest), or None."""
    condition = Q(form=form) | Q(form__isnull=True)
    for field in UTM_FIELDS:
        value = (utm.get(field) or "").strip().lower()
        condition &= (Q(**{field: ""}) | Q(**{field: value})) if value else Q(**{field: ""})
    candidates = list(utm_mapping_list().filter(condition))
    if not candidates:
        return None
    return min(candidates, key=lambda m: (-m.specificity, m.form_id is None, m.pk))


# --- matching an existing partner -----------------------------------------------------------------------------


def phone_digits(phone: str) -> str:
    """The digits that identify a phone, without extension: its last ten (the national number)."""
    digits = re.sub(r"\D", "", EXTENSION_RE.sub("", phone or ""))
    return digits[-SIGNIFICANT_DIGITS:]


def _strip_separators(expression):
    for separator in PHONE_SEPARATORS:
        expression = Replace(expression, Value(separator), Value(""))
    return expression


@dataclass
class Match:
    partner: object
    contact: object | None


def _with_phone(queryset: QuerySet, digits: str) -> QuerySet:
    """Candidates whose phones, separators removed, contain the digits (confirmed exactly in Python)."""
    return queryset.annotate(phone_text=_strip_separators(Cast("phones", output_field=CharField()))).filter(
        phone_text__contains=digits
    )


def lead_match(*, email: str = "", phone: str = "") -> Match | None:
    """The existing partner (and contact person) a request belongs to: by e-mail first, ignoring case,
    then by phone, comparing the national number; a contact person's match beats the partner's own, and
    of several the oldest wins. Every partner is searched: the visitor is nobody's in particular."""
    from sdelka.partners.models import ContactPerson, Partner

    email = (email or "").strip().lower()
    digits = phone_digits(phone)
    if len(digits) < 5:
        digits = ""

    def email_matches(record) -> bool:
        return bool(email) and email in {item.strip().lower() for item in record.emails or []}

    def phone_matches(record) -> bool:
        return bool(digits) and digits in {phone_digits(item) for item in record.phones or []}

    contacts = ContactPerson.objects.select_related("partner").order_by("partner_id", "id")
    partners = Partner.objects.order_by("id")
    if email:
        # The JSON text of the list holds the address in quotes: a narrowing filter, confirmed below.
        for contact in contacts.filter(emails__icontains=f'"{email}"'):
            if email_matches(contact):
                return Match(contact.partner, contact)
        for partner in partners.filter(emails__icontains=f'"{email}"'):
            if email_matches(partner):
                return Match(partner, None)
    if digits:
        for contact in _with_phone(contacts, digits):
            if phone_matches(contact):
                return Match(contact.partner, contact)
        for partner in _with_phone(partners, digits):
            if phone_matches(partner):
                return Match(partner, None)
    return None


# --- the rate limit ---------------------------------------------------------------------------------------------


def recent_submission_count(*, ip: str | None, minutes: int) -> int:
    """How many submissions came from the address in the last ``minutes`` (stored rows, so every worker
    process and a restart see the same count)."""
    if not ip:
        return 0
    since = timezone.now() - timedelta(minutes=minutes)
    return LeadSubmission.objects.filter(ip_address=ip, created_at__gte=since).count()
