from allauth.account.adapter import DefaultAccountAdapter


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """People join Laurier through an organisation's invitation, never by open sign-up."""

    def is_open_for_signup(self, request):
        return False
