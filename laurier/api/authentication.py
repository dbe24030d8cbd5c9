"""Who is calling: an API token in the `Authorization: Bearer …` header."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from laurier.organisations.models import Membership, Role

from .tokens import find_token, note_use


class TokenAuthentication(BaseAuthentication):
    """Authenticates a call by its token; request.auth is the ApiToken, request.user the admin
    who created it (the person the audit trail names for what the token does)."""

    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(
                _("Send the token as “Authorization: Bearer <token>”, with no spaces in it.")
            )
        key = parts[1].decode("latin-1")
        token = find_token(key)
        if token is None:
            raise AuthenticationFailed(_("This API token is not valid."))
        if token.revoked_at is not None:
            raise AuthenticationFailed(_("This API token was revoked."))
        if token.is_expired:
            raise AuthenticationFailed(
                _("This API token expired on %(date)s.")
                % {"date": date_format(token.expires_at, "DATE_FORMAT")}
            )
        if not _creator_is_still_admin(token):
            raise AuthenticationFailed(
                _(
                    "The admin who created this token is no longer an admin of the "
                    "organisation: an admin must create a new one."
                )
            )
        note_use(token)
        return token.created_by, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


def _creator_is_still_admin(token):
    # A token must not outlive its creator's rights: one who leaves, or is made a manager,
    # takes the power to act as an admin with them.
    return Membership.objects.filter(
        organisation_id=token.organisation_id, user_id=token.created_by_id, role=Role.ADMIN
    ).exists()
