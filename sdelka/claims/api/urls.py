from rest_framework.routers import SimpleRouter

from .views import ClaimViewSet

router = SimpleRouter()
router.register("claims", ClaimViewSet, basename="claims")

urlpatterns = [*router.urls]
