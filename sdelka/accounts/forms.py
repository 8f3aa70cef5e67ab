"""Forms of the login page and of the administrators' users and teams pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sdelka.accounts.choices import Role
from sdelka.accounts.models import Team, User


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True})
    )
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)


class TeamChoiceMixin(forms.Form):
    """An existing team, or the name of a new team to create with the user."""

    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False, empty_label=_("(no team)")
    )
    new_team = forms.CharField(
        label=_("Or a new team"),
        max_length=150,
        required=False,
        help_text=_("Type a name to create a team and put the user in it."),
    )

    def clean(self):
        data = super().clean()
        data["new_team"] = (data.get("new_team") or "").strip()
        if data.get("team") and data["new_team"]:
            self.add_error("new_team", _("Choose an existing team or type a new one, not both."))
        return data


class UserCreateForm(TeamChoiceMixin):
    field_order = ["username", "first_name", "last_name", "email", "role", "team", "new_team", "password"]

    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MANAGER)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only digits, not a common password."),
    )


class UserEditForm(TeamChoiceMixin):
    field_order = ["first_name", "last_name", "email", "role", "team", "new_team", "is_active", "password"]

    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    is_active = forms.BooleanField(
        label=_("Active"), required=False, help_text=_("A deactivated user cannot log in.")
    )
    password = forms.CharField(
        label=_("New password"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the current password."),
    )

    def __init__(self, *args, user: User, actor: User, **kwargs):
        self.user = user
        self.actor = actor
        kwargs.setdefault(
            "initial",
            {
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "role": user.role,
                "team": user.team_id,
                "is_active": user.is_active,
            },
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        # An administrator who demotes or deactivates themself would lock the users page for good.
        if self.user.pk == self.actor.pk:
            if data.get("role") and data["role"] != Role.ADMIN and not self.user.is_superuser:
                self.add_error("role", _("You cannot take the administrator role from yourself."))
            if "is_active" in data and not data["is_active"]:
                self.add_error("is_active", _("You cannot deactivate yourself."))
        return data


class TeamCreateForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=150)


class TeamHeadForm(forms.Form):
    head = forms.ModelChoiceField(
        label=_("Head"),
        queryset=User.objects.filter(role__in=[Role.HEAD, Role.ADMIN], is_active=True),
        required=False,
        empty_label=_("(nobody)"),
    )
