"""Mass mailings: drafts, the preview and the test letter, starting, sending in batches, cancelling.

Sending is the worker's (``sdelka.marketing.tasks.send_mailing``) and is built so that nobody gets a letter
twice whatever stops it: a batch first claims its rows and marks them ``sending`` in a committed
transaction, then records and sends each letter and writes the row's outcome. A row still ``sending`` when
a later run starts belonged to a worker that stopped mid-batch; its letter may or may not have left, so it
becomes ``unknown`` and is never sent again. Everything else (pending rows) is sent by the next run.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sdelka.accounts.models import User
from sdelka.core.history import save_with_history
from sdelka.core.services import ensure_role_can, model_assign, validate_and_save
from sdelka.interactions import letters
from sdelka.marketing.mailing_models import (
    Mailing,
    MailingRecipient,
    MailingRecipientStatus,
    MailingStatus,
)
from sdelka.partners.models import ContactPerson

logger = logging.getLogger(__name__)

MAILING_FIELDS = ("name", "email_template", "segment")
#: the records a mailing's letter is about; a template needing others (a deal…) cannot be sent to a segment
MAILING_OBJECTS = {"partner", "contact", "manager", "company"}
BATCH_SIZE = 50
#: a sending mailing untouched this long has lost its worker; the periodic job starts it again
STALE_AFTER = datetime.timedelta(minutes=10)


# --- drafts -----------------------------------------------------------------------------------------------


def _check(mailing: Mailing) -> None:
    errors: dict[str, str] = {}
    template = mailing.email_template if mailing.email_template_id else None
    if template is not None:
        problems = letters.check_text(template.subject) + letters.check_text(template.body)
        missing = letters.objects_used(template.subject, template.body) - MAILING_OBJECTS
        if not template.is_active:
            errors["email_template"] = _("The template is not active.")
        elif problems:
            errors["email_template"] = " ".join(problems)
        elif missing:
            names = ", ".join(sorted(str(letters.OBJECTS[name][0]) for name in missing))
            errors["email_template"] = _(
                "A mailing has no %(objects)s to fill the template's placeholders with."
            ) % {"objects": names}
    if errors:
        raise ValidationError(errors)


def _ensure_draft(mailing: Mailing) -> None:
    if not mailing.is_draft:
        raise ValidationError(_("The mailing has been started; only a draft can be changed."))


@transaction.atomic
def mailing_create(*, actor, data: dict) -> Mailing:
    ensure_role_can(actor, "add", "mailing")
    mailing = Mailing(created_by=actor if isinstance(actor, User) else None)
    model_assign(mailing, data, MAILING_FIELDS)
    mailing.full_clean(exclude=["created_by"])
    _check(mailing)
    validate_and_save(mailing, actor=actor)
    return mailing


@transaction.atomic
def mailing_update(*, actor, mailing: Mailing, data: dict) -> Mailing:
    ensure_role_can(actor, "change", "mailing")
    locked = Mailing.objects.select_for_update().get(pk=mailing.pk)
    _ensure_draft(locked)
    changed = model_assign(mailing, data, MAILING_FIELDS)
    mailing.full_clean(exclude=["created_by"])
    _check(mailing)
    if changed:
        validate_and_save(mailing, actor=actor)
    return mailing


@transaction.atomic
def mailing_delete(*, actor, mailing: Mailing) -> None:
    ensure_role_can(actor, "delete", "mailing")
    locked = Mailing.objects.select_for_update().get(pk=mailing.pk)
    if not locked.is_draft:
        raise ValidationError(_("A started mailing is kept with its results; only a draft can be deleted."))
    mailing._history_user = actor
    mailing.delete()


# --- who gets the letter ----------------------------------------------------------------------------------


@dataclass
class Candidate:
    partner: object
    contact: ContactPerson
    email: str


def segment_contacts(segment, *, user=None) -> list[Candidate]:
    """One entry per distinct address (any case) among the first e-mails of the segment's members' contact
    persons, in partner then contact order; one query. With ``user``: only the partners they see."""
    from sdelka.partners.selectors import partner_scope

    contacts = (
        ContactPerson.objects.filter(partner__segment_memberships__segment=segment)
        .filter(partner_scope(user, prefix="partner__") if user is not None else Q())
        .exclude(emails=[])
        .select_related("partner__manager")
        .order_by("partner__name", "partner_id", "name", "id")
    )
    seen: set[str] = set()
    result = []
    for contact in contacts:
        email = (contact.emails[0] or "").strip() if contact.emails else ""
        if not email or email.lower() in seen:
            continue
        seen.add(email.lower())
        result.append(Candidate(partner=contact.partner, contact=contact, email=email))
    return result


def _responsible(partner, mailing: Mailing):
    """Who the letter is from: the partner's manager, or the mailing's author when there is none."""
    for user in (getattr(partner, "manager", None), mailing.created_by):
        if user is not None and user.is_active:
            return user
    return None


def _letter(mailing: Mailing, *, partner, contact, email: str, manager) -> tuple[str, str, str]:
    """(subject, body, unsubscribe link) of the letter for one recipient."""
    from sdelka.core.company import company_get
    from sdelka.interactions.optouts import unsubscribe_url

    link = unsubscribe_url(email)
    context = letters.LetterContext(
        partner=partner, contact=contact, manager=manager, company=company_get(), unsubscribe_url=link
    )
    subject, body = letters.render(mailing.email_template, context)
    return subject, body, link


def mailing_letter(mailing: Mailing, *, partner, contact, email: str):
    """(subject, body, unsubscribe link, who it is from) of one recipient's letter; ``None`` for the last
    when nobody active answers for it."""
    manager = _responsible(partner, mailing)
    subject, body, link = _letter(mailing, partner=partner, contact=contact, email=email, manager=manager)
    return subject, body, link, manager


@dataclass
class Preview:
    partner: object
    contact: ContactPerson | None
    email: str
    subject: str
    body: str


def mailing_preview(*, mailing: Mailing, contact: ContactPerson | None = None, user=None) -> Preview | None:
    """The letter one recipient gets (the first one unless ``contact`` is given); None when the segment has
    nobody with an e-mail. A contact who is not a recipient (that ``user`` sees) is refused."""
    candidates = segment_contacts(mailing.segment, user=user)
    if contact is not None:
        chosen = next((c for c in candidates if c.contact.pk == contact.pk), None)
        if chosen is None:
            raise ValidationError({"contact": _("This contact person is not a recipient of the mailing.")})
    elif candidates:
        chosen = candidates[0]
    else:
        return None
    manager = _responsible(chosen.partner, mailing)
    subject, body, _link = _letter(
        mailing, partner=chosen.partner, contact=chosen.contact, email=chosen.email, manager=manager
    )
    return Preview(
        partner=chosen.partner, contact=chosen.contact, email=chosen.email, subject=subject, body=body
    )


def mailing_test_send(*, actor, mailing: Mailing, contact: ContactPerson | None = None) -> str:
    """Send the preview letter to the actor's own address now; recorded nowhere. Returns the address."""
    ensure_role_can(actor, "change", "mailing")
    if not getattr(actor, "email", ""):
        raise ValidationError(_("Your user has no e-mail address; add it to your profile first."))
    preview = mailing_preview(mailing=mailing, contact=contact)
    if preview is None:
        raise ValidationError(_("Nobody in the segment has an e-mail address: there is no letter to test."))
    message = EmailMessage(
        subject=_("[Test] %(subject)s") % {"subject": preview.subject},
        body=preview.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[actor.email],
    )
    try:
        message.send(fail_silently=False)
    except Exception as error:
        logger.warning("Test letter of mailing %s was not sent: %s", mailing.pk, error)
        raise ValidationError(
            _("The test letter was not sent: %(reason)s") % {"reason": f"{type(error).__name__}: {error}"}
        ) from error
    return actor.email


# --- starting, sending, cancelling ------------------------------------------------------------------------


def _enqueue(mailing_id: int) -> None:
    from sdelka.marketing.tasks import send_mailing

    send_mailing.enqueue(mailing_id=mailing_id)


def mailing_recount(mailing_id: int) -> None:
    """Store the counts of the recipient rows on the mailing (its progress) and touch ``updated_at``."""
    statuses = MailingRecipientStatus
    counts = MailingRecipient.objects.filter(mailing_id=mailing_id).aggregate(
        total=Count("id"),
        sent=Count("id", filter=Q(status=statuses.SENT)),
        failed=Count("id", filter=Q(status__in=(statuses.FAILED, statuses.UNKNOWN))),
        skipped=Count("id", filter=Q(status__in=(statuses.SKIPPED_UNSUBSCRIBED, statuses.CANCELLED))),
    )
    Mailing.objects.filter(pk=mailing_id).update(
        total_count=counts["total"],
        sent_count=counts["sent"],
        failed_count=counts["failed"],
        skipped_count=counts["skipped"],
        updated_at=timezone.now(),
    )


@transaction.atomic
def mailing_start(*, actor, mailing: Mailing) -> Mailing:
    """Take the snapshot of the recipients and hand the mailing to the worker (when this commits).

    Unsubscribed addresses are recorded as skipped, so the results list everyone the segment had.
    """
    from sdelka.interactions.optouts import opted_out

    ensure_role_can(actor, "change", "mailing")
    locked = Mailing.objects.select_for_update().get(pk=mailing.pk)
    if not locked.is_draft:
        raise ValidationError(_("The mailing has already been started."))
    _check(locked)
    candidates = segment_contacts(locked.segment)
    if not candidates:
        raise ValidationError(_("Nobody in the segment has a contact person with an e-mail address."))
    unsubscribed = opted_out(candidate.email for candidate in candidates)
    MailingRecipient.objects.bulk_create(
        MailingRecipient(
            mailing=locked,
            partner=candidate.partner,
            contact=candidate.contact,
            email=candidate.email,
            status=MailingRecipientStatus.SKIPPED_UNSUBSCRIBED
            if candidate.email.lower() in unsubscribed
            else MailingRecipientStatus.PENDING,
        )
        for candidate in candidates
    )
    locked.status = MailingStatus.SENDING
    locked.started_at = timezone.now()
    save_with_history(locked, actor=actor)
    mailing_recount(locked.pk)
    locked.refresh_from_db()
    transaction.on_commit(lambda: _enqueue(locked.pk))
    return locked


def mailing_recover(*, mailing: Mailing) -> int:
    """Rows left ``sending`` by a stopped worker become ``unknown`` (never sent again); how many."""
    count = MailingRecipient.objects.filter(mailing=mailing, status=MailingRecipientStatus.SENDING).update(
        status=MailingRecipientStatus.UNKNOWN,
        error=_("The worker stopped while sending this letter; it may have left, so it is not sent again."),
    )
    if count:
        logger.warning("Mailing %s: %s letters of a stopped worker marked unknown", mailing.pk, count)
        mailing_recount(mailing.pk)
    return count


def _claim(mailing: Mailing, size: int) -> list[MailingRecipient]:
    """Mark up to ``size`` pending rows ``sending`` and commit, so no other run takes them."""
    with transaction.atomic():
        pending = MailingRecipient.objects.filter(mailing=mailing, status=MailingRecipientStatus.PENDING)
        if connection.features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True)
        candidates = list(pending.order_by("id").values_list("id", flat=True)[:size])
        # Each row is taken by a conditional update, so a row is claimed by exactly one run even where
        # nothing is locked (SQLite): the run whose update changed it owns it.
        ids = [
            pk
            for pk in candidates
            if MailingRecipient.objects.filter(pk=pk, status=MailingRecipientStatus.PENDING).update(
                status=MailingRecipientStatus.SENDING
            )
        ]
    return list(
        MailingRecipient.objects.filter(pk__in=ids)
        .select_related("partner__manager", "contact")
        .order_by("id")
    )


def _record(mailing: Mailing, row: MailingRecipient):
    """The letter recorded as an outgoing e-mail interaction, queued (the caller delivers it now)."""
    from sdelka.interactions.choices import Direction, EmailStatus, InteractionKind
    from sdelka.interactions.services import interaction_create

    manager = _responsible(row.partner, mailing)
    if manager is None:
        raise ValidationError(_("The partner has no active manager and the mailing's author is inactive."))
    subject, body, link = _letter(
        mailing, partner=row.partner, contact=row.contact, email=row.email, manager=manager
    )
    with transaction.atomic():
        interaction = interaction_create(
            actor=None,
            data={
                "kind": InteractionKind.EMAIL,
                "direction": Direction.OUTGOING,
                "partner": row.partner,
                "contacts": [row.contact] if row.contact else [],
                "responsible": manager,
                "topic": subject[:255],
                "text": body,
                "email_to": [row.email],
                "email_from": manager.email or settings.DEFAULT_FROM_EMAIL,
                "email_status": EmailStatus.DRAFT,
                "reviewed": True,
            },
        )
        interaction.unsubscribe_url = link
        interaction.email_status = EmailStatus.QUEUED
        save_with_history(interaction, actor=None)
        row.interaction = interaction
        row.save(update_fields=["interaction"])
    return interaction


def _send_one(mailing: Mailing, row: MailingRecipient) -> None:
    from sdelka.interactions.choices import EmailStatus
    from sdelka.interactions.models import Interaction
    from sdelka.interactions.services import interaction_email_deliver

    try:
        interaction = _record(mailing, row)
    except ValidationError as error:
        row.status, row.error = MailingRecipientStatus.FAILED, "; ".join(error.messages)[:2000]
        row.save(update_fields=["status", "error"])
        return
    outcome = interaction_email_deliver(interaction_id=interaction.pk)
    if outcome == EmailStatus.SENT:
        row.status, row.error, row.sent_at = MailingRecipientStatus.SENT, "", timezone.now()
    else:
        row.status = MailingRecipientStatus.FAILED
        row.error = (
            Interaction.objects.filter(pk=interaction.pk).values_list("email_error", flat=True).first()
            or outcome
        )
    row.save(update_fields=["status", "error", "sent_at"])


def mailing_send_batch(mailing: Mailing, *, size: int = BATCH_SIZE) -> int:
    """Send up to ``size`` pending letters of a sending mailing; how many rows were taken (0: none left)."""
    if not Mailing.objects.filter(pk=mailing.pk, status=MailingStatus.SENDING).exists():
        return 0
    rows = _claim(mailing, size)
    for row in rows:
        _send_one(mailing, row)
    if rows:
        mailing_recount(mailing.pk)
    return len(rows)


def _finish(mailing: Mailing) -> bool:
    """Mark the mailing done when no row waits or is on its way."""
    with transaction.atomic():
        locked = Mailing.objects.select_for_update().get(pk=mailing.pk)
        busy = MailingRecipient.objects.filter(
            mailing=locked, status__in=(MailingRecipientStatus.PENDING, MailingRecipientStatus.SENDING)
        ).exists()
        if locked.status != MailingStatus.SENDING or busy:
            return False
        locked.status, locked.finished_at = MailingStatus.DONE, timezone.now()
        save_with_history(locked, actor=None)
    mailing_recount(mailing.pk)
    return True


def mailing_run(*, mailing_id: int, size: int = BATCH_SIZE) -> str:
    """The worker's run: recover rows of a stopped worker, send batches until none is pending (or the
    mailing is cancelled), then mark it done. Returns the mailing's status."""
    mailing = (
        Mailing.objects.select_related("email_template", "created_by", "segment")
        .filter(pk=mailing_id)
        .first()
    )
    if mailing is None:
        return "missing"
    if mailing.status != MailingStatus.SENDING:
        return mailing.status
    mailing_recover(mailing=mailing)
    while mailing_send_batch(mailing, size=size):
        pass
    _finish(mailing)
    return Mailing.objects.values_list("status", flat=True).get(pk=mailing_id)


@transaction.atomic
def mailing_cancel(*, actor, mailing: Mailing) -> Mailing:
    """Stop a mailing: the letters not yet taken by the worker are not sent (their rows say cancelled)."""
    ensure_role_can(actor, "change", "mailing")
    locked = Mailing.objects.select_for_update().get(pk=mailing.pk)
    if locked.status not in (MailingStatus.DRAFT, MailingStatus.SENDING):
        raise ValidationError(_("Only a draft or a mailing being sent can be cancelled."))
    MailingRecipient.objects.filter(mailing=locked, status=MailingRecipientStatus.PENDING).update(
        status=MailingRecipientStatus.CANCELLED, error=_("The mailing was cancelled.")
    )
    locked.status, locked.finished_at = MailingStatus.CANCELLED, timezone.now()
    save_with_history(locked, actor=actor)
    mailing_recount(locked.pk)
    locked.refresh_from_db()
    return locked


def mailings_resume(*, now: datetime.datetime | None = None) -> int:
    """Start again the mailings being sent that nobody has touched for a while (their worker stopped);
    the periodic job calls this. How many were handed to the worker."""
    now = now or timezone.now()
    stale = Mailing.objects.filter(status=MailingStatus.SENDING, updated_at__lt=now - STALE_AFTER)
    ids = list(stale.values_list("pk", flat=True))
    for mailing_id in ids:
        Mailing.objects.filter(pk=mailing_id).update(updated_at=now)
        _enqueue(mailing_id)
    return len(ids)
