"""Unsubscribing: a signed link per address, and the list of addresses that get no automatic letters.

The link carries the address signed with the site's secret key, so it works without a login and cannot be
forged to unsubscribe someone else. Opening it only shows a button; the POST of that button unsubscribes,
because mail scanners open links in letters by themselves.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse

from sdelka.interactions.models import EmailOptOut

SALT = "sdelka.interactions.unsubscribe"


def normalized(email: str) -> str:
    return (email or "").strip().lower()


def unsubscribe_token(email: str) -> str:
    return signing.dumps(normalized(email), salt=SALT, compress=True)


def email_from_token(token: str) -> str | None:
    """The address the token was made for, or None when it was altered or is not a token at all."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) and "@" in value else None


def unsubscribe_url(email: str) -> str:
    path = reverse("unsubscribe", args=[unsubscribe_token(email)])
    return settings.SDELKA_SITE_URL.rstrip("/") + path


def email_opt_out(*, email: str, source: str = "link") -> EmailOptOut:
    """Record that ``email`` wants no more automatic letters (again is fine: the first date is kept)."""
    address = normalized(email)
    existing = EmailOptOut.objects.filter(email=address).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return EmailOptOut.objects.create(email=address, source=source)
    except IntegrityError:  # the same link clicked twice at once
        return EmailOptOut.objects.get(email=address)


def email_opt_in(*, email: str) -> None:
    EmailOptOut.objects.filter(email=normalized(email)).delete()


def opted_out(emails) -> set[str]:
    """Which of ``emails`` (any case) unsubscribed, lower-cased; one query."""
    addresses = {normalized(email) for email in emails if email}
    if not addresses:
        return set()
    return set(EmailOptOut.objects.filter(email__in=addresses).values_list("email", flat=True))
