from rest_framework.routers import SimpleRouter

from .views import DealKindViewSet, DealViewSet, LostReasonViewSet, StageViewSet

router = SimpleRouter()
router.register("deals", DealViewSet, basename="deals")
router.register("deal-kinds", DealKindViewSet, basename="deal-kinds")
router.register("deal-stages", StageViewSet, basename="deal-stages")
router.register("lost-reasons", LostReasonViewSet, basename="lost-reasons")

urlpatterns = router.urls
