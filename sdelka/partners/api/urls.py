from rest_framework.routers import SimpleRouter

from .views import (
    ContactPersonViewSet,
    CounterpartyViewSet,
    IndividualViewSet,
    PartnerGroupViewSet,
    PartnerViewSet,
)

router = SimpleRouter()
router.register("partners", PartnerViewSet, basename="partners")
router.register("counterparties", CounterpartyViewSet, basename="counterparties")
router.register("contacts", ContactPersonViewSet, basename="contacts")
router.register("individuals", IndividualViewSet, basename="individuals")
router.register("partner-groups", PartnerGroupViewSet, basename="partner-groups")

urlpatterns = router.urls
