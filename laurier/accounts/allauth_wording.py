"""Messages of django-allauth that Laurier words its own way.

allauth ships European French ("adresse e-mail", "déconnecté(e)"); listing its
messages here puts them in Laurier's catalogue, which takes precedence, so that
people read the same Québec French on every page.
"""

from django.utils.translation import gettext_noop

ALLAUTH_MESSAGES = [
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("The email address is not assigned to any user account."),
    gettext_noop("A user is already registered with this email address."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("Invalid or expired key."),
    gettext_noop("The password reset token was invalid."),
    gettext_noop("Email"),
    gettext_noop("Email address"),
    gettext_noop("Remember Me"),
    gettext_noop("Forgot your password?"),
    gettext_noop("Successfully signed in as %(name)s."),
    gettext_noop("You have signed out."),
    gettext_noop("Password successfully changed."),
    gettext_noop("Password successfully set."),
    gettext_noop("You must type the same password each time."),
    gettext_noop("Be patient, you are sending too many requests."),
]
