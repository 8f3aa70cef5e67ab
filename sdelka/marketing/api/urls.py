from django.urls import path
from rest_framework.routers import SimpleRouter

from . import weblead
from .mailings import MailingViewSet
from .views import (
    AdChannelViewSet,
    EventEffectivenessReportView,
    MarketingEventExpenseViewSet,
    MarketingEventParticipantViewSet,
    MarketingEventViewSet,
    PrimaryInterestReportView,
)

router = SimpleRouter()
router.register("ad-channels", AdChannelViewSet, basename="ad-channels")
router.register("marketing-events", MarketingEventViewSet, basename="marketing-events")
router.register(
    "marketing-event-participants", MarketingEventParticipantViewSet, basename="marketing-event-participants"
)
router.register("marketing-event-expenses", MarketingEventExpenseViewSet, basename="marketing-event-expenses")
weblead.register(router)
router.register("mailings", MailingViewSet, basename="mailings")

urlpatterns = [
    *router.urls,
    path(
        "marketing/reports/primary-interest/",
        PrimaryInterestReportView.as_view(),
        name="marketing-report-primary-interest",
    ),
    path(
        "marketing/reports/event-effectiveness/",
        EventEffectivenessReportView.as_view(),
        name="marketing-report-event-effectiveness",
    ),
]
