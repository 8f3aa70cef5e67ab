from rest_framework.routers import SimpleRouter

from .segments import SegmentViewSet
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
router.register("segments", SegmentViewSet, basename="segments")

urlpatterns = router.urls
