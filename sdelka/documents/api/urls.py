from rest_framework.routers import SimpleRouter

from .views import ContractViewSet

router = SimpleRouter()
router.register("contracts", ContractViewSet, basename="contracts")

urlpatterns = router.urls
