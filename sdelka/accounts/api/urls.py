from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import TeamViewSet, TokenView, UserViewSet

router = SimpleRouter()
router.register("users", UserViewSet, basename="users")
router.register("teams", TeamViewSet, basename="teams")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    *router.urls,
]
