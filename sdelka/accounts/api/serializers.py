"""Input and output of the accounts API: tokens, users and teams."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sdelka.accounts.models import Team, User
from sdelka.core.api.fields import StrictCharField
from sdelka.core.api.serializers import ServiceModelSerializer


class TokenRequestSerializer(serializers.Serializer):
    username = StrictCharField(max_length=150)
    password = StrictCharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Send it as `Authorization: Token <token>`."))


class UserSerializer(ServiceModelSerializer):
    """A user as everyone sees them (to choose a manager); administrators change them."""

    full_name = serializers.SerializerMethodField()
    password = StrictCharField(
        write_only=True,
        required=False,
        max_length=128,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text=_("A new password; checked by the password rules."),
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "full_name",
            "email",
            "phone",
            "role",
            "team",
            "is_active",
            "password",
        ]
        extra_kwargs = {"team": {"allow_null": True}}

    def get_full_name(self, user: User) -> str:
        return str(user)


class UserCreateSerializer(UserSerializer):
    password = StrictCharField(
        write_only=True, max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )


class TeamSerializer(ServiceModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "head"]
        extra_kwargs = {"head": {"allow_null": True, "required": False}}
