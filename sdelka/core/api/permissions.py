"""The API's role check: a viewset action is mapped to an action of ``sdelka.accounts.permissions.RULES``."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from sdelka.accounts.permissions import ADD, CHANGE, DELETE, VIEW, role_can

# Standard viewset actions; a viewset adds its own in ``action_rights`` ({"move_to_group": CHANGE}).
ACTION_RIGHTS = {
    "list": VIEW,
    "retrieve": VIEW,
    "history": VIEW,
    "metadata": VIEW,
    "create": ADD,
    "update": CHANGE,
    "partial_update": CHANGE,
    "destroy": DELETE,
}


class RolePermission(BasePermission):
    """403 when the caller's role has no right to the action on the view's ``permission_resource``.

    Which records the caller may touch is the selectors' business: a record outside the scope is 404
    whatever the action, so on a single record the role is checked only once the record is found (a 403
    would tell that a record exists there). This class answers only "may this role do this at all",
    from the same table the pages use.
    """

    message = _("Your role does not allow this action.")

    def has_permission(self, request, view) -> bool:
        if view.kwargs.get(view.lookup_url_kwarg or view.lookup_field) is not None:
            # A single record: decided in has_object_permission, after get_object() found it in scope.
            return True
        return self.role_allows(request, view)

    def has_object_permission(self, request, view, obj) -> bool:
        return self.role_allows(request, view)

    def role_allows(self, request, view) -> bool:
        action = getattr(view, "action", None)
        if action is None:
            # No handler for this method: let the view answer 405.
            return True
        right = getattr(view, "action_rights", {}).get(action) or ACTION_RIGHTS.get(action)
        if right is None:
            raise ImproperlyConfigured(f"{type(view).__name__}.{action} has no right in action_rights.")
        return role_can(request.user, right, view.permission_resource)
