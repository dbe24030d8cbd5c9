from django.utils.translation import gettext as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import ApiToken
from .scopes import READ, WRITE, allows, scope_name


class HasTokenScope(BasePermission):
    """A call needs its view's family in the token's scopes: read for reading methods, write
    for the others, unless the view says otherwise for an action in `scope_access`
    (verifying a credential is a POST that only reads)."""

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        access = READ if request.method in SAFE_METHODS else WRITE
        access = getattr(view, "scope_access", {}).get(getattr(view, "action", None), access)
        if allows(token.scopes, view.scope_family, access):
            return True
        self.message = _("This token does not have the “%(scope)s” permission.") % {
            "scope": scope_name(view.scope_family, access)
        }
        return False
