from rest_framework.routers import SimpleRouter

from .email_templates import EmailTemplateViewSet
from .views import InteractionViewSet

router = SimpleRouter()
router.register("interactions", InteractionViewSet, basename="interaction")
router.register("email-templates", EmailTemplateViewSet, basename="email-template")

urlpatterns = [*router.urls]
