"""Tokens, users and teams over the API."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sdelka.accounts import selectors, services
from sdelka.accounts.models import Team, User
from sdelka.core.api.serializers import ErrorSerializer
from sdelka.core.api.viewsets import ServiceViewSet

from .serializers import (
    TeamSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UserCreateSerializer,
    UserSerializer,
)


class TokenView(APIView):
    """Exchange a username and password for a token, or revoke the caller's token."""

    permission_classes = [AllowAny]

    def _logging_in(self) -> bool:
        request = getattr(self, "request", None)
        return request is not None and request.method == "POST"

    def get_authenticators(self):
        # Logging in needs no identity (and no CSRF token from a browser session).
        return [] if self._logging_in() else super().get_authenticators()

    def get_permissions(self):
        return [AllowAny()] if self._logging_in() else [IsAuthenticated()]

    @extend_schema(
        summary="Get a token",
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Missing fields, or wrong username or password."),
            429: OpenApiResponse(ErrorSerializer, description="Too many failed attempts; try later."),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        given = TokenRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        username = given.validated_data["username"]
        address = request.META.get("REMOTE_ADDR") or None
        try:
            services.login_throttle_check(username=username, address=address)
        except services.LoginThrottled as throttled:
            return Response(
                {"detail": str(throttled)},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(throttled.wait_seconds)},
            )
        user = authenticate(request._request, username=username, password=given.validated_data["password"])
        if user is None:
            services.login_failure_record(username=username, address=address)
            return Response(
                {"non_field_errors": [_("Wrong username or password, or the account is deactivated.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        services.login_failures_clear(username=username)
        token, _created = Token.objects.get_or_create(user=user)
        return Response(TokenSerializer({"token": token.key}).data)

    @extend_schema(summary="Revoke the caller's token", request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    create=extend_schema(request=UserCreateSerializer, responses={201: UserSerializer}),
)
class UserViewSet(ServiceViewSet):
    """Users: everyone reads them (to choose a manager); administrators create and change them.

    There is no delete: a user who left is deactivated (``is_active: false``) and keeps their history.
    """

    queryset = User.objects.none()
    serializer_class = UserSerializer
    permission_resource = "user"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_fields = ["role", "team", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering_fields = ["username", "first_name", "last_name", "role", "id"]

    def get_serializer_class(self):
        return UserCreateSerializer if self.action == "create" else UserSerializer

    def select(self, *, user):
        return selectors.user_list()

    def create_record(self, *, actor, data):
        later = {name: data.pop(name) for name in ("phone", "is_active") if name in data}
        with transaction.atomic():
            user = services.user_create(role=data.pop("role", "manager"), **data)
            if later:
                user = services.user_update(user=user, data=later)
        return user

    def update_record(self, instance, *, actor, data):
        return services.user_update(user=instance, data=data)


class TeamViewSet(ServiceViewSet):
    """Teams of sales managers: everyone reads them; administrators create them and choose the head."""

    queryset = Team.objects.none()
    serializer_class = TeamSerializer
    permission_resource = "user"
    filterset_fields = ["head"]
    search_fields = ["name"]
    ordering_fields = ["name", "id"]

    def select(self, *, user):
        return selectors.team_list()

    def create_record(self, *, actor, data):
        return services.team_create(name=data["name"], head=data.get("head"))

    def update_record(self, instance, *, actor, data):
        with transaction.atomic():
            if "name" in data and data["name"] != instance.name:
                instance = services.team_rename(team=instance, name=data["name"])
            if "head" in data and data["head"] != instance.head:
                instance = services.team_set_head(team=instance, head=data["head"])
        return instance

    def delete_record(self, instance, *, actor):
        services.team_delete(team=instance)
