"""What the interaction tabs of a partner's and a deal's page show (the pages of those apps call these)."""

from __future__ import annotations

from django.urls import reverse

from sdelka.accounts.permissions import role_can
from sdelka.interactions import selectors, timeline

PARTNER_TAB_LIMIT = 100


def partner_timeline_context(request, partner) -> dict:
    limit = timeline.clamp_limit(request.GET.get("limit"))
    return {
        "timeline": timeline.partner_timeline(user=request.user, partner=partner, limit=limit),
        "more_url": f"{reverse('partners:partner_detail', args=[partner.pk])}?tab=timeline",
        "can_add_interaction": role_can(request.user, "add", "interaction"),
    }


def partner_interactions_context(request, partner) -> dict:
    interactions = selectors.interaction_list(user=request.user).filter(partner=partner)
    return {
        "interactions": interactions.order_by("-starts_at", "-id")[:PARTNER_TAB_LIMIT],
        "can_add_interaction": role_can(request.user, "add", "interaction"),
    }


def deal_timeline_context(request, deal) -> dict:
    limit = timeline.clamp_limit(request.GET.get("limit"))
    return {
        "timeline": timeline.deal_timeline(user=request.user, deal=deal, limit=limit),
        "more_url": f"{reverse('deals:deal_detail', args=[deal.pk])}?tab=timeline",
        "can_add_interaction": role_can(request.user, "add", "interaction"),
    }
