"""Validators for list-of-strings fields (phones, e-mails) shared by every app."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-.]{3,28}[0-9](\s*(ext\.?|доб\.?)\s*[0-9]{1,6})?$", re.IGNORECASE)
MAX_ITEMS = 20


def _as_list(value, label) -> list:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(
            _("%(label)s must be a list of strings.") % {"label": label}, code="invalid_list"
        )
    if len(value) > MAX_ITEMS:
        raise ValidationError(_("No more than %(n)d items are allowed.") % {"n": MAX_ITEMS}, code="too_many")
    return value


def validate_phone_list(value) -> None:
    for phone in _as_list(value, _("Phones")):
        if len(phone) > 40 or not PHONE_RE.match(phone.strip()):
            raise ValidationError(
                _("“%(phone)s” is not a phone number: use digits, spaces, brackets, dashes and a leading +.")
                % {"phone": phone[:50]},
                code="invalid_phone",
            )


def validate_email_list(value) -> None:
    check = EmailValidator()
    for email in _as_list(value, _("E-mails")):
        try:
            check(email.strip())
        except ValidationError as error:
            raise ValidationError(
                _("“%(email)s” is not an e-mail address.") % {"email": email[:100]}, code="invalid_email"
            ) from error


def clean_string_list(value) -> list[str]:
    """Trim items and drop empty ones and repeats, keeping order."""
    seen: dict[str, None] = {}
    for item in value or []:
        if isinstance(item, str) and item.strip():
            seen.setdefault(item.strip(), None)
    return list(seen)


def digits_only(value: str) -> str:
    return re.sub(r"\D", "", value or "")
