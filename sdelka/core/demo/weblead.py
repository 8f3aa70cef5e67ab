"""The demo's web-to-lead form: the site's "Request a quote" form with two UTM mappings (context ads of
an advertising campaign; Google to the website) and the requests of the last days through it — new
clients, a known client recognised by e-mail, and a bot caught by the honeypot.

Made through the web-to-lead services (settings by the marketer, requests as the public page sends them),
then the requests and what they made are back-dated to their days, as the other demo steps do.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from sdelka.accounts.choices import Role
from sdelka.accounts.models import User
from sdelka.deals.choices import ProcessType
from sdelka.deals.models import Deal, DealKind
from sdelka.interactions.models import Interaction
from sdelka.marketing import services as marketing_services
from sdelka.marketing import weblead
from sdelka.marketing.choices import SourceType
from sdelka.marketing.models import AdChannel, MarketingEvent
from sdelka.marketing.weblead_models import LeadSubmission
from sdelka.partners.models import ContactPerson, Partner

WEBSITE, ADS = "Сайт компании", "Контекстная реклама"
VISITORS = (
    # name, company, phone, e-mail, comment, utm_source, utm_medium, utm_campaign
    ("Олег Смирнов", "ООО «ТеплоМонтаж»", "+7 916 204-11-87", "o.smirnov@teplomontazh.ru",
     "Нужны шаровые краны DN50, 120 шт. Пришлите КП.", "yandex", "cpc", "spring"),
    ("Марина Кузнецова", "", "+7 903 555-20-14", "", "Перезвоните, пожалуйста, после 15:00.",
     "google", "organic", ""),
    ("Андрей Волков", "АО «СтройРесурс»", "", "volkov@stroyresurs.ru",
     "Интересует поставка насосного оборудования на объект.", "", "", ""),
)  # fmt: skip


def _keeper() -> User | None:
    return (
        User.objects.filter(is_active=True)
        .filter(Q(role=Role.MARKETER) | Q(role=Role.ADMIN))
        .order_by("-role", "pk")
        .first()
    )


def _channel(name: str, source_type: str, keeper) -> AdChannel:
    found = AdChannel.objects.filter(name=name).order_by("pk").first()
    if found is not None:
        return found
    return marketing_services.ad_channel_create(actor=keeper, data={"name": name, "source_type": source_type})


def _back_date(submission: LeadSubmission, moment: datetime) -> None:
    LeadSubmission.objects.filter(pk=submission.pk).update(created_at=moment)
    if submission.deal_id:
        Deal.objects.filter(pk=submission.deal_id).update(start_date=moment.date(), created_at=moment)
        Interaction.objects.filter(deal=submission.deal_id).update(starts_at=moment, created_at=moment)
    if submission.outcome == "created":
        Partner.objects.filter(pk=submission.partner_id).update(created_at=moment)
        ContactPerson.objects.filter(pk=submission.contact_id).update(created_at=moment)


def create_demo_weblead(*, rng: random.Random, today: date | None = None, with_requests: bool = True) -> int:
    """The form, its mappings and (``with_requests``) its requests; returns how many requests were logged
    (0 without a marketer or administrator, a sales manager, or a deal kind with stages).

    ``manage.py demo`` makes the form without requests: a request creates a partner without a legal entity
    and a deal of today, which the demo's two years of history would not explain — try the form instead."""
    today = today or timezone.localdate()
    keeper = _keeper()
    manager = User.objects.filter(role=Role.MANAGER, is_active=True).order_by("pk").first()
    kind = (
        DealKind.objects.filter(active=True, process_type=ProcessType.TYPICAL, stages__isnull=False)
        .order_by("pk")
        .first()
    )
    if keeper is None or manager is None or kind is None:
        return 0
    website = _channel(WEBSITE, "", keeper)
    ads = _channel(ADS, SourceType.EVENT, keeper)
    campaign = MarketingEvent.objects.filter(channel=ads).order_by("-start_date", "-pk").first()
    form = weblead.lead_form_create(
        actor=keeper,
        data={
            "name": "Сайт: запрос коммерческого предложения",
            "title": "Запросить коммерческое предложение",
            "deal_kind": kind,
            "manager": manager,
            "default_channel": website,
            "thank_you_text": "Спасибо! Менеджер свяжется с вами в течение рабочего дня.",
        },
    )
    weblead.utm_mapping_create(
        actor=keeper,
        data={"form": form, "utm_source": "yandex", "utm_medium": "cpc", "channel": ads, "event": campaign},
    )
    weblead.utm_mapping_create(actor=keeper, data={"utm_source": "google", "channel": website})
    if not with_requests:
        return 0

    requests = []
    for name, company, phone, email, comment, source, medium, campaign_tag in VISITORS:
        data = {"name": name, "company": company, "phone": phone, "email": email, "comment": comment}
        utm = {"utm_source": source, "utm_medium": medium, "utm_campaign": campaign_tag}
        requests.append((data, utm))
    known = (
        ContactPerson.objects.filter(partner__is_client=True, partner__manager__isnull=False)
        .exclude(emails=[])
        .order_by("pk")
        .first()
    )
    if known is not None:
        data = {"name": known.name, "email": known.emails[0], "comment": "Повторный заказ: та же позиция."}
        requests.append((data, {}))

    logged = []
    for data, utm in requests:
        ip = f"198.51.100.{rng.randint(2, 250)}"
        logged.append(weblead.lead_submit(form=form, data=data, ip=ip, utm=utm))
    spam = {"name": "Best SEO", "email": "seo@spam.example", "website": "http://spam.example"}
    logged.append(weblead.lead_spam_record(form=form, data=spam, ip="203.0.113.9"))

    for days_ago, submission in zip(range(len(logged), 0, -1), logged, strict=True):
        hour, minute = rng.randint(9, 19), rng.randint(0, 59)
        moment = datetime.combine(today - timedelta(days=days_ago), time(hour, minute))
        _back_date(submission, timezone.make_aware(moment))
    return len(logged)
