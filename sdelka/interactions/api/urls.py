from rest_framework.routers import SimpleRouter

from .views import InteractionViewSet

router = SimpleRouter()
router.register("interactions", InteractionViewSet, basename="interaction")

urlpatterns = [*router.urls]
