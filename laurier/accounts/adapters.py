from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """People join Laurier through an organisation's invitation, never by open sign-up."""

    def is_open_for_signup(self, request):
        return False

    def login(self, request, user):
        """Log in, then speak the person's language at once: the welcome message written right
        after must not come in the language of the page they logged in from."""
        super().login(request, user)
        if user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
