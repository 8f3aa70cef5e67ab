from rest_framework.routers import SimpleRouter

from .views import ProductGroupViewSet, ProductViewSet

router = SimpleRouter()
router.register("products", ProductViewSet, basename="products")
router.register("product-groups", ProductGroupViewSet, basename="product-groups")

urlpatterns = router.urls
