from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """Tells who the user is: e-mail (verified unless the user's last name says otherwise,
    to test a provider that vouches for no address) and names."""

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": user.last_name != "Unverified",
            "given_name": user.first_name,
            "family_name": user.last_name,
        }
