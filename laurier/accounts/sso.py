"""Single sign-on per organisation through OpenID Connect (django-allauth's generic provider).

An organisation's admin configures its identity provider; the settings live in an allauth
`SocialApp` (one `provider_id` per organisation) tied to the organisation by `SingleSignOn`.
The identity provider's answer is trusted only for the organisation whose application it is,
and only to identify people that organisation already knows: its members, its people (the
person records of its programs) and its pending invitations. Nobody else gets an account.
"""

from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialAccount, SocialApp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laurier.organisations.audit import record_change, record_event, snapshot
from laurier.organisations.models import AuditEvent, Invitation, Membership, Role
from laurier.organisations.selectors import invitee_language
from laurier.organisations.services import (
    InvitationUnusable,
    _link_person,
    accept_invitation_as_user,
    accept_invitation_with_new_account,
)
from laurier.programs.models import EnrolmentStatus, Person

from .models import SingleSignOn

PROVIDER = "openid_connect"
SECRET_HINT_LENGTH = 4


# --- Settings ----------------------------------------------------------------------------------


def provider_id_for(organisation):
    """The allauth provider id of an organisation's application, part of its callback address.

    Fixed when the sign-on is first configured, so renaming the organisation's short name does
    not break the address registered at the identity provider."""
    return f"org-{organisation.slug}"


def callback_url(single_sign_on=None, *, organisation=None):
    """The redirect address the admin registers at their identity provider."""
    provider_id = (
        single_sign_on.app.provider_id if single_sign_on else provider_id_for(organisation)
    )
    path = reverse("openid_connect_callback", kwargs={"provider_id": provider_id})
    return settings.SITE_URL.rstrip("/") + path


def secret_hint(secret):
    """Enough of a client secret to recognise it, never enough to use it."""
    if not secret:
        return ""
    return "•" * 8 + secret[-SECRET_HINT_LENGTH:]


def parse_domains(text):
    """E-mail domains typed one per line or separated by commas or spaces, lowercased."""
    domains = []
    for word in text.replace(",", " ").split():
        domain = word.strip().lstrip("@").lower()
        if domain and domain not in domains:
            try:
                validate_email(f"someone@{domain}")
            except ValidationError as error:
                raise ValidationError(
                    _("“%(domain)s” is not an e-mail domain."),
                    code="invalid_domain",
                    params={"domain": domain},
                ) from error
            domains.append(domain)
    return domains


def validate_server_url(url):
    """The provider's address: https, except on a developer's machine (DEBUG), where a local
    test provider answers in plain HTTP. Laurier fetches it from the server, so it must be the
    provider's public address, not one that reaches into Laurier's own network."""
    if not url.lower().startswith("https://") and not settings.DEBUG:
        raise ValidationError(
            _("Use the https:// address of your identity provider."), code="https_only"
        )
    if urlsplit(url).query or urlsplit(url).fragment:
        raise ValidationError(
            _("Give the provider's address without a query (?…) or fragment (#…)."),
            code="invalid_server_url",
        )
    _check_public_address(url)


def _check_public_address(url):
    """The rule webhooks follow (no host of the server's own network outside development),
    in the wording of this field."""
    from laurier.api.webhooks import check_endpoint_url

    try:
        check_endpoint_url(url)
    except ValidationError as error:
        raise ValidationError(
            _(
                "Use the public address of your identity provider: Laurier cannot reach "
                "inside its own network."
            ),
            code="private_address",
        ) from error


def single_sign_on_of(organisation):
    """The organisation's single sign-on settings, or None."""
    return (
        SingleSignOn.objects.select_related("app", "organisation", "recovery_admin")
        .filter(organisation=organisation)
        .first()
    )


def configure_single_sign_on(
    *,
    organisation,
    actor,
    server_url,
    client_id,
    client_secret,
    button_label,
    allowed_domains,
    mode,
    recovery_admin=None,
):
    """Create or change an organisation's OpenID Connect sign-in.

    An empty `client_secret` keeps the stored one. Changing the provider's address or client
    id makes the settings unproven again: members may only be limited to single sign-on once
    someone has signed in through it, so that a mistyped setting cannot lock everyone out.
    """
    server_url = server_url.strip().rstrip("/")
    validate_server_url(server_url)
    if mode not in SingleSignOn.Mode.values:
        raise ValidationError(_("Choose how members sign in."), code="invalid_mode")
    with transaction.atomic():
        single_sign_on = (
            SingleSignOn.objects.select_for_update()
            .select_related("app")
            .filter(organisation=organisation)
            .first()
        )
        creating = single_sign_on is None
        if creating and not client_secret:
            raise ValidationError(
                {"client_secret": _("Give the client secret your identity provider shows.")},
                code="required",
            )
        if creating:
            _forget_orphans(provider_id_for(organisation))
        app = SocialApp(provider=PROVIDER, provider_id=provider_id_for(organisation))
        if not creating:
            app = single_sign_on.app
            single_sign_on_before = snapshot(single_sign_on)
        else:
            single_sign_on = SingleSignOn(organisation=organisation)
            single_sign_on_before = {}
        app_before = _app_snapshot(app)
        app.name = button_label.strip()
        app.client_id = client_id.strip()
        if client_secret:
            app.secret = client_secret.strip()
        app.settings = {**app.settings, "server_url": server_url, "oauth_pkce_enabled": True}
        provider_changed = not creating and (
            app_before["server_url"] != server_url or app_before["client_id"] != app.client_id
        )
        if provider_changed:
            single_sign_on.last_sign_in_at = None
        single_sign_on.allowed_domains = list(allowed_domains)
        _check_domains_unclaimed(single_sign_on)
        single_sign_on.mode = mode
        single_sign_on.recovery_admin = recovery_admin
        _validate_sso_only(single_sign_on)
        app.save()
        single_sign_on.app = app
        single_sign_on.save()
        _record_settings_change(
            single_sign_on, actor, creating, single_sign_on_before, app_before, client_secret
        )
    return single_sign_on


def _check_domains_unclaimed(single_sign_on):
    """An e-mail domain belongs to one organisation: the login page sends its addresses to
    that organisation's provider, so a second claim could lure another's people away."""
    claimed = set(single_sign_on.allowed_domains)
    if not claimed:
        return
    others = SingleSignOn.objects.exclude(organisation=single_sign_on.organisation).values_list(
        "allowed_domains", flat=True
    )
    taken = sorted({domain for domains in others for domain in domains or [] if domain in claimed})
    if taken:
        raise ValidationError(
            {
                "allowed_domains": _(
                    "Another organisation already signs in with addresses at %(domains)s. "
                    "Remove it from the list, or ask Laurier's support if the domain is yours."
                )
                % {"domains": ", ".join(taken)}
            },
            code="domain_taken",
        )


def _forget_orphans(provider_id):
    """An application and links left by a deleted organisation that had the same short name:
    they must not answer for the new one."""
    SocialApp.objects.filter(provider_id=provider_id, single_sign_on__isnull=True).delete()
    SocialAccount.objects.filter(provider=provider_id).delete()


def _validate_sso_only(single_sign_on):
    if not single_sign_on.is_sso_only:
        return
    if single_sign_on.last_sign_in_at is None:
        raise ValidationError(
            {
                "mode": _(
                    "Keep “organisation account or Laurier password” until someone has signed "
                    "in through this identity provider: it proves the settings work."
                )
            },
            code="unproven",
        )
    admin = single_sign_on.recovery_admin
    is_admin = (
        admin is not None
        and Membership.objects.filter(
            organisation=single_sign_on.organisation, user=admin, role=Role.ADMIN
        ).exists()
    )
    if not is_admin:
        raise ValidationError(
            {
                "recovery_admin": _(
                    "Choose an admin of the organisation who keeps a password, in case the "
                    "identity provider fails."
                )
            },
            code="recovery_admin_required",
        )


def _app_snapshot(app):
    return {
        "name": app.name,
        "client_id": app.client_id,
        "server_url": (app.settings or {}).get("server_url"),
    }


def _record_settings_change(single_sign_on, actor, creating, before, app_before, client_secret):
    """Audit what changed; the client secret is a secret: the trail says it changed, only."""
    organisation = single_sign_on.organisation
    if creating:
        changes = {**snapshot(single_sign_on), **_app_snapshot(single_sign_on.app)}
        changes["client_secret"] = "********"
        record_event(
            organisation=organisation,
            actor=actor,
            action=AuditEvent.Action.CREATE,
            instance=single_sign_on,
            changes=changes,
        )
        return
    after = {**snapshot(single_sign_on), **_app_snapshot(single_sign_on.app)}
    before = {**before, **app_before}
    changes = {
        field: [before.get(field), value]
        for field, value in after.items()
        if field not in ("updated_at", "last_sign_in_at") and before.get(field) != value
    }
    if client_secret:
        changes["client_secret"] = ["********", "********"]
    if changes:
        record_event(
            organisation=organisation,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=single_sign_on,
            changes=changes,
        )


def remove_single_sign_on(*, organisation, actor):
    """Turn single sign-on off: members log in with their Laurier password again (those who
    never had one set it through “Forgot your password?”)."""
    with transaction.atomic():
        single_sign_on = (
            SingleSignOn.objects.select_for_update()
            .select_related("app")
            .filter(organisation=organisation)
            .first()
        )
        if single_sign_on is None:
            return
        app = single_sign_on.app
        record_change(
            organisation=organisation,
            actor=actor,
            action=AuditEvent.Action.DELETE,
            instance=single_sign_on,
        )
        single_sign_on.delete()
        # The accounts linked through it would only let in through an application that no
        # longer exists; a new configuration links people again by e-mail.
        SocialAccount.objects.filter(provider=app.provider_id).delete()
        app.delete()


# --- Finding the organisation ------------------------------------------------------------------


def single_sign_on_for_slug(slug):
    """The sign-on of the organisation with this short name, or None."""
    return (
        SingleSignOn.objects.select_related("app", "organisation")
        .filter(organisation__slug=slug)
        .first()
    )


def single_sign_ons_for_email(email):
    """The sign-ons the login page may send this address to, by organisation name: those of
    organisations the address is already a member of and that claim its domain. A claim
    alone is not enough: the login page is Laurier's, and must not hand a stranger's address
    to whatever provider an organisation configured. Others use their organisation's link."""
    domain = email.rsplit("@", 1)[-1].strip().lower()
    candidates = (
        SingleSignOn.objects.select_related("app", "organisation")
        .filter(organisation__memberships__user__email__iexact=email.strip())
        .distinct()
        .order_by("organisation__name", "pk")
    )
    return [sso for sso in candidates if domain and domain in sso.allowed_domains]


# --- Who may come in ---------------------------------------------------------------------------


class SignInRefused(Exception):
    """The identity provider vouched for someone Laurier does not let in through it."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class Refusal:
    DOMAIN = "domain"
    NO_VERIFIED_EMAIL = "no_verified_email"
    STRANGER = "stranger"
    PLATFORM_ACCOUNT = "platform_account"
    OTHER_ACCOUNT = "other_account"
    OTHER_ORGANISATION = "other_organisation"
    OTHER_ORGANISATION_SSO_ONLY = "other_organisation_sso_only"
    UNKNOWN_PROVIDER = "unknown_provider"
    NOT_A_LOGIN = "not_a_login"


def admit(*, single_sign_on, email, first_name="", last_name="", linked_user=None):
    """The user that the organisation's identity provider signs in, creating their account and
    membership when the organisation knows them; raises SignInRefused otherwise.

    `email` must be verified by the provider. Matched case-insensitively: an existing account
    with that address is used (never a duplicate); a pending invitation is accepted; a person
    of the organisation without an account gets one, with the role their enrolments imply.
    `linked_user` is the account already linked to this provider identity, if any: it must be
    the account of that address.

    The provider is the organisation's own, and so are its people and invitations: together
    they could name any address. So they never open an account that belongs to another
    organisation and not to this one: such an account joins through the invitation's link,
    logged in as usual.
    """
    email = get_user_model().objects.normalize_email(email).strip().lower()
    if not single_sign_on.allows_domain(email):
        raise SignInRefused(Refusal.DOMAIN)
    organisation = single_sign_on.organisation
    user = get_user_model().objects.filter(email__iexact=email).first()
    if linked_user is not None and linked_user != user:
        raise SignInRefused(Refusal.OTHER_ACCOUNT)
    if user is not None:
        _check_existing_account(user, organisation)
    if _has_left(organisation, email, user):
        # The HR file says they left: their organisation's account is no longer a reason to
        # let them in (their provider account may outlive their departure by days).
        raise SignInRefused(Refusal.STRANGER)
    with transaction.atomic():
        if (
            user is not None
            and Membership.objects.filter(organisation=organisation, user=user).exists()
        ):
            return user
        if user is not None and Membership.objects.filter(user=user).exists():
            raise SignInRefused(Refusal.OTHER_ORGANISATION)
        invitation = _pending_invitation(organisation, email)
        if invitation is not None:
            try:
                return _accept_invitation(invitation, user, first_name, last_name)
            except InvitationUnusable as error:
                # Accepted or revoked by a concurrent request in the meantime.
                raise SignInRefused(Refusal.STRANGER) from error
        person = (
            Person.objects.select_for_update()
            .filter(organisation=organisation, email__iexact=email)
            .first()
        )
        if person is None or person.user_id is not None:
            # A person tied to an account that is not a member was removed from the
            # organisation (or belongs to another account): only an invitation brings them back.
            raise SignInRefused(Refusal.STRANGER)
        return _join_as_person(organisation, person, user, first_name, last_name)


def _check_existing_account(user, organisation):
    if user.is_superuser or user.is_staff:
        # Platform operators keep their own password: an organisation's provider must not be
        # able to vouch for an account that reaches every organisation.
        raise SignInRefused(Refusal.PLATFORM_ACCOUNT)
    stricter = (
        SingleSignOn.objects.filter(
            mode=SingleSignOn.Mode.SSO_ONLY, organisation__memberships__user=user
        )
        .exclude(organisation=organisation)
        .exists()
    )
    if stricter:
        # Another organisation of this account admits its members only through its own
        # provider, and wants its word to be the one that counts for them: a session opened
        # here would not reach it (see session_entry), but it would be an account this
        # provider vouches for.
        raise SignInRefused(Refusal.OTHER_ORGANISATION_SSO_ONLY)


def _has_left(organisation, email, user):
    """Whether the organisation's person of this address (or account) is marked as left."""
    matches = Q(email__iexact=email)
    if user is not None:
        matches |= Q(user=user)
    return Person.objects.filter(matches, organisation=organisation, left_on__isnull=False).exists()


def _pending_invitation(organisation, email):
    return (
        Invitation.objects.filter(
            organisation=organisation,
            email__iexact=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at", "pk")
        .first()
    )


def _accept_invitation(invitation, user, first_name, last_name):
    """Sign-in through the provider stands for the invitation's link: same acceptance."""
    if user is not None:
        return accept_invitation_as_user(token=invitation.token, user=user).user
    membership = accept_invitation_with_new_account(
        token=invitation.token, first_name=first_name, last_name=last_name, password=None
    )
    return membership.user


def role_implied_by_enrolments(person):
    """Mentor if they mentor in a program, mentee if they are mentored, participant otherwise;
    enrolments they left count no more."""
    current = {"status__in": [EnrolmentStatus.ACTIVE, EnrolmentStatus.PAUSED]}
    if person.mentor_enrolments.filter(**current).exists():
        return Role.MENTOR
    if person.mentee_enrolments.filter(**current).exists():
        return Role.MENTEE
    return Role.PARTICIPANT


def _join_as_person(organisation, person, user, first_name, last_name):
    if user is None:
        # No usable password: they sign in through their organisation (or set one later
        # through "Forgot your password?", if the organisation allows passwords).
        user = get_user_model().objects.create_user(
            email=person.email,
            password=None,
            first_name=(first_name or person.first_name).strip(),
            last_name=(last_name or person.last_name).strip(),
            language=invitee_language(organisation, person.email),
        )
    membership = Membership.objects.create(
        organisation=organisation, user=user, role=role_implied_by_enrolments(person)
    )
    record_change(
        organisation=organisation, actor=user, action=AuditEvent.Action.CREATE, instance=membership
    )
    _link_person(organisation, user)
    return user


def record_sign_in(single_sign_on):
    """Remember that a sign-in went through: it proves the settings work."""
    SingleSignOn.objects.filter(pk=single_sign_on.pk).update(last_sign_in_at=timezone.now())


# --- Password login ----------------------------------------------------------------------------


def sso_only_organisation_for(user):
    """The sign-on that forbids this user a password login, or None.

    Members of an organisation that allows only its own account must use it, whatever other
    organisation they also belong to (a session reaches all of them). Exempt: superusers (the
    platform's operators) and each organisation's recovery admin, who keep their password to
    repair the settings if the identity provider fails.
    """
    if user.is_superuser:
        return None
    single_sign_ons = (
        SingleSignOn.objects.select_related("organisation")
        .filter(
            mode=SingleSignOn.Mode.SSO_ONLY,
            organisation__memberships__user=user,
        )
        .order_by("organisation__name", "pk")
    )
    for single_sign_on in single_sign_ons:
        if not _is_recovery_admin(single_sign_on, user):
            return single_sign_on
    return None


def _is_recovery_admin(single_sign_on, user):
    """The chosen admin, as long as they stay admin: demoted, they lose the exemption."""
    return (
        single_sign_on.recovery_admin_id == user.pk
        and Membership.objects.filter(
            organisation_id=single_sign_on.organisation_id, user=user, role=Role.ADMIN
        ).exists()
    )


# --- The session -------------------------------------------------------------------------------


def organisation_signed_in_through(request):
    """The id of the organisation through whose provider this session signed in, or None
    (a password login). allauth records each authentication of the session; the latest
    counts. For a tenancy rule such as “a session opened by organisation A's provider reaches
    only A”."""
    from allauth.account.internal.flows.login import get_authentication_records

    records = get_authentication_records(request, request.user)
    if not records or records[-1].get("method") != "socialaccount":
        return None
    return (
        SingleSignOn.objects.filter(app__provider_id=records[-1].get("provider"))
        .values_list("organisation_id", flat=True)
        .first()
    )


class Entry:
    """What a session may do at an organisation's pages (see `session_entry`)."""

    ALLOWED = "allowed"
    SIGN_IN_THROUGH_PROVIDER = "sign_in_through_provider"
    SIGNED_IN_ELSEWHERE = "signed_in_elsewhere"


def session_entry(request, organisation):
    """Whether this session may open the organisation's pages, and if not, what to do.

    A session opened through an organisation's identity provider enters that organisation
    only: the provider is the organisation's own (its admin chooses what it vouches for), so
    its word cannot open the person's other organisations, whatever their role there, nor a
    superuser's. Such a session gets SIGNED_IN_ELSEWHERE elsewhere: sign out and in again.

    An organisation that allows only its own sign-in wants every visit to come through its
    identity provider, so that closing someone's account there closes Laurier too: a password
    session (even from before the rule was set) is sent to sign in through it
    (SIGN_IN_THROUGH_PROVIDER). Superusers and the recovery admin keep their password way in.
    The organisation's sign-on is expected preloaded (`select_related("single_sign_on")`).
    """
    if signed_in_through_provider(request):
        # A provider since removed answers for no organisation any more.
        through = organisation_signed_in_through(request)
        return Entry.ALLOWED if through == organisation.pk else Entry.SIGNED_IN_ELSEWHERE
    if _single_sign_on_admits_password(organisation, request.user):
        return Entry.ALLOWED
    return Entry.SIGN_IN_THROUGH_PROVIDER


def _single_sign_on_admits_password(organisation, user):
    try:
        single_sign_on = organisation.single_sign_on
    except SingleSignOn.DoesNotExist:
        return True
    if not single_sign_on.is_sso_only or user.is_superuser:
        return True
    return _is_recovery_admin(single_sign_on, user)


def session_may_enter(request, organisation):
    """Whether this session may open the organisation's pages as it is."""
    return session_entry(request, organisation) == Entry.ALLOWED


def signed_in_through_provider(request):
    """Whether the session's latest sign-in went through an identity provider (of an
    organisation or of one that no longer exists): such a session must not give itself a
    password or another e-mail address, which would outlive the provider's word."""
    from allauth.account.internal.flows.login import get_authentication_records

    if not request.user.is_authenticated:
        return False
    records = get_authentication_records(request, request.user)
    return bool(records) and records[-1].get("method") == "socialaccount"
