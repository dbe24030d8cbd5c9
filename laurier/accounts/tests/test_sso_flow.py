"""Single sign-on end to end: Laurier (the Django test client) against a real OpenID Connect
provider on 127.0.0.1 (django-oauth-toolkit in a subprocess), driven like a browser."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from laurier.accounts.models import SingleSignOn, User
from laurier.organisations.models import Membership, Role
from laurier.testing import factories

pytestmark = pytest.mark.django_db


def logged_in_user(client):
    return client.get(reverse("home")).wsgi_request.user


def test_an_existing_member_is_signed_in_to_their_account(
    client, organisation, configure_sso, sign_in_through_sso
):
    marie = factories.UserFactory(email="Marie@Hydro.example")
    factories.MembershipFactory(organisation=organisation, user=marie, role=Role.MENTOR)
    configure_sso(organisation)

    response = sign_in_through_sso("marie@hydro.example")

    assert response.status_code == 302
    assert logged_in_user(client) == marie
    assert User.objects.filter(email__iexact="marie@hydro.example").count() == 1
    assert SocialAccount.objects.get(provider="org-hydro").user == marie
    assert SingleSignOn.objects.get().last_sign_in_at is not None


def test_a_second_sign_in_uses_the_same_account_link(
    client, organisation, configure_sso, sign_in_through_sso
):
    marie = factories.UserFactory(email="marie@hydro.example")
    factories.MembershipFactory(organisation=organisation, user=marie, role=Role.MENTOR)
    configure_sso(organisation)
    sign_in_through_sso("marie@hydro.example")
    client.logout()

    sign_in_through_sso("marie@hydro.example")

    assert logged_in_user(client) == marie
    assert SocialAccount.objects.filter(user=marie).count() == 1


def test_a_person_without_an_account_gets_one_with_the_role_their_enrolments_imply(
    client, organisation, program, configure_sso, sign_in_through_sso
):
    person = factories.PersonFactory(organisation=organisation, email="Paul@hydro.example")
    factories.MentorEnrolmentFactory(program=program, person=person)
    configure_sso(organisation)

    response = sign_in_through_sso("paul@hydro.example")

    assert response.status_code == 302
    paul = User.objects.get(email__iexact="paul@hydro.example")
    assert logged_in_user(client) == paul
    assert not paul.has_usable_password()
    assert Membership.objects.get(organisation=organisation, user=paul).role == Role.MENTOR
    person.refresh_from_db()
    assert person.user == paul


def test_an_invited_person_signing_in_accepts_the_invitation(
    client, organisation, admin_user, configure_sso, sign_in_through_sso
):
    invitation = factories.InvitationFactory(
        organisation=organisation, email="ines@hydro.example", role=Role.MANAGER
    )
    configure_sso(organisation)

    sign_in_through_sso("ines@hydro.example")

    ines = logged_in_user(client)
    assert ines.email == "ines@hydro.example"
    assert ines.first_name == "Inès"
    assert Membership.objects.get(organisation=organisation, user=ines).role == Role.MANAGER
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_a_stranger_is_refused_and_gets_no_account(
    client, settings, organisation, configure_sso, sign_in_through_sso
):
    configure_sso(organisation)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = sign_in_through_sso("stranger@hydro.example")

    assert response.status_code == 403
    assert not logged_in_user(client).is_authenticated
    assert response.context["reason"] == "stranger"
    with translation.override("en"):
        assert "cannot open Laurier for Hydro" in response.content.decode()
    assert not User.objects.filter(email__iexact="stranger@hydro.example").exists()
    assert not SocialAccount.objects.exists()


def test_an_address_outside_the_allowed_domains_is_refused(
    client, organisation, configure_sso, sign_in_through_sso
):
    # Known to the organisation, but at a domain its settings do not accept.
    factories.PersonFactory(organisation=organisation, email="guest@elsewhere.example")
    configure_sso(organisation)

    response = sign_in_through_sso("guest@elsewhere.example")

    assert response.status_code == 403
    assert response.context["reason"] == "domain"
    assert not logged_in_user(client).is_authenticated
    assert not User.objects.filter(email="guest@elsewhere.example").exists()


def test_a_member_of_another_organisation_cannot_come_in_through_this_ones_provider(
    client, organisation, other_organisation, configure_sso, sign_in_through_sso
):
    olivia = factories.UserFactory(email="olivia@hydro.example")
    factories.MembershipFactory(organisation=other_organisation, user=olivia, role=Role.ADMIN)
    configure_sso(organisation)

    response = sign_in_through_sso("olivia@hydro.example", "hydro")

    assert response.status_code == 403
    assert response.context["reason"] == "other_organisation"
    # The same words as for a stranger (the page speaks French to this visitor): the
    # provider learns nothing of accounts elsewhere.
    page = response.content.decode()
    assert "ne donne pas accès à Laurier pour Hydro" in page
    assert "autre organisation" not in page
    assert not logged_in_user(client).is_authenticated
    assert not Membership.objects.filter(organisation=organisation, user=olivia).exists()


def test_an_organisations_provider_is_not_trusted_for_another_organisations_member(
    client, organisation, other_organisation, configure_sso, sign_in_through_sso
):
    # The other organisation's admin records Hydro's admin as one of its people, invites
    # her, and has its provider vouch for her address: still no way into her account.
    marie = factories.UserFactory(email="olivia@other.example")
    factories.MembershipFactory(organisation=organisation, user=marie, role=Role.ADMIN)
    factories.PersonFactory(organisation=other_organisation, email=marie.email)
    factories.InvitationFactory(organisation=other_organisation, email=marie.email)
    configure_sso(other_organisation)

    response = sign_in_through_sso("olivia@other.example", "other")

    assert response.status_code == 403
    assert response.context["reason"] == "other_organisation"
    assert not logged_in_user(client).is_authenticated
    assert not Membership.objects.filter(organisation=other_organisation, user=marie).exists()


def test_an_address_the_provider_does_not_vouch_for_is_refused(
    client, organisation, configure_sso, sign_in_through_sso
):
    nora = factories.UserFactory(email="nora@hydro.example")
    factories.MembershipFactory(organisation=organisation, user=nora, role=Role.MENTOR)
    configure_sso(organisation)

    response = sign_in_through_sso("nora@hydro.example")

    assert response.status_code == 403
    assert response.context["reason"] == "no_verified_email"
    assert not logged_in_user(client).is_authenticated


def test_a_platform_operator_account_is_never_signed_in_by_an_organisations_provider(
    client, organisation, configure_sso, sign_in_through_sso
):
    root = factories.UserFactory(email="root@hydro.example", is_superuser=True, is_staff=True)
    factories.MembershipFactory(organisation=organisation, user=root, role=Role.ADMIN)
    configure_sso(organisation)

    response = sign_in_through_sso("root@hydro.example")

    assert response.status_code == 403
    assert response.context["reason"] == "platform_account"
    assert not logged_in_user(client).is_authenticated


def test_a_tampered_state_is_refused(client, organisation, configure_sso, sign_in_through_sso):
    marie = factories.UserFactory(email="marie@hydro.example")
    factories.MembershipFactory(organisation=organisation, user=marie, role=Role.MENTOR)
    configure_sso(organisation)

    response = sign_in_through_sso("marie@hydro.example", tamper_state=True)

    assert response.status_code == 400
    assert not logged_in_user(client).is_authenticated
    assert not SocialAccount.objects.exists()


def test_the_e_mail_on_the_login_page_leads_a_member_to_the_organisations_provider(
    client, organisation, configure_sso, oidc_provider
):
    someone = factories.UserFactory(email="someone@hydro.example")
    factories.MembershipFactory(organisation=organisation, user=someone, role=Role.MENTOR)
    configure_sso(organisation)

    response = client.post(reverse("sso_start"), {"email": "Someone@HYDRO.example"})

    provider_url = response.context["provider_url"]
    assert provider_url.startswith(oidc_provider.issuer + "/authorize/")
    assert "code_challenge=" in provider_url
    assert "client_id=laurier-hydro" in provider_url
    assert f'http-equiv="refresh" content="0; url={escape(provider_url)}"' in response.text


def test_an_e_mail_at_a_domain_no_organisation_claims_gets_an_explanation(
    client, organisation, configure_sso
):
    configure_sso(organisation)

    response = client.post(reverse("sso_start"), {"email": "someone@nowhere.example"})

    assert response.status_code == 200
    assert response.context["form"].errors["email"]


# --- Organisations that allow only their own account ---------------------------------------


@pytest.fixture
def sso_only(organisation, admin_user, configure_sso):
    """Hydro with single sign-on proven by one sign-in, then limited to it."""
    from django.utils import timezone

    configure_sso(organisation)
    SingleSignOn.objects.update(last_sign_in_at=timezone.now())
    return configure_sso(organisation, mode="sso_only", recovery_admin=admin_user)


def password_login(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": factories.PASSWORD})


def test_sso_only_refuses_a_members_password_and_points_to_the_organisations_sign_in(
    client, organisation, sso_only
):
    marie = factories.UserFactory(email="marie@hydro.example")
    factories.MembershipFactory(organisation=organisation, user=marie, role=Role.MENTOR)

    response = password_login(client, "marie@hydro.example")

    assert response.status_code == 302
    assert response["Location"] == reverse("sso_organisation", args=["hydro"])
    assert not logged_in_user(client).is_authenticated


def test_sso_only_still_signs_members_in_through_the_provider(
    client, organisation, sso_only, sign_in_through_sso
):
    marie = factories.UserFactory(email="marie@hydro.example")
    factories.MembershipFactory(organisation=organisation, user=marie, role=Role.MENTOR)

    sign_in_through_sso("marie@hydro.example")

    assert logged_in_user(client) == marie


@pytest.mark.parametrize("who", ["recovery admin", "superuser"])
def test_sso_only_keeps_a_password_for_the_recovery_admin_and_superusers(
    client, organisation, admin_user, sso_only, who
):
    if who == "superuser":
        user = factories.UserFactory(email="root@laurier.example", is_superuser=True)
        factories.MembershipFactory(organisation=organisation, user=user, role=Role.ADMIN)
    else:
        user = admin_user

    password_login(client, user.email)

    assert logged_in_user(client) == user


def test_sso_only_of_one_organisation_applies_to_its_members_in_others_too(
    client, organisation, other_organisation, sso_only
):
    # A session reaches every organisation of the account: Hydro's rule cannot be bypassed
    # by logging in "for" the other organisation.
    user = factories.UserFactory(email="both@hydro.example")
    factories.MembershipFactory(organisation=organisation, user=user, role=Role.MENTOR)
    factories.MembershipFactory(organisation=other_organisation, user=user, role=Role.ADMIN)

    password_login(client, user.email)

    assert not logged_in_user(client).is_authenticated


def test_sso_or_password_leaves_password_login_alone(client, organisation, configure_sso):
    configure_sso(organisation)
    marie = factories.UserFactory(email="marie@hydro.example")
    factories.MembershipFactory(organisation=organisation, user=marie, role=Role.MENTOR)

    password_login(client, marie.email)

    assert logged_in_user(client) == marie


def test_a_recovery_admin_who_is_no_longer_admin_loses_the_password_exemption(
    client, organisation, admin_user, sso_only
):
    from laurier.organisations.models import Membership

    Membership.objects.filter(user=admin_user).update(role=Role.MANAGER)

    password_login(client, admin_user.email)

    assert not logged_in_user(client).is_authenticated


def test_the_page_asked_for_before_signing_in_opens_after_it(
    client, organisation, configure_sso, sign_in_through_sso
):
    marie = factories.UserFactory(email="marie@hydro.example")
    factories.MembershipFactory(organisation=organisation, user=marie, role=Role.MENTOR)
    configure_sso(organisation)
    wanted = reverse("organisations:home", args=["hydro"])

    response = sign_in_through_sso("marie@hydro.example", next_url=wanted)

    assert response["Location"] == wanted


def test_the_login_page_hands_the_asked_page_to_the_organisations_sign_in(client):
    page = client.get(reverse("account_login"), {"next": "/o/hydro/"}).content.decode()

    assert f'href="{reverse("sso_start")}?next=/o/hydro/"' in page


def test_the_session_remembers_which_organisations_provider_signed_it_in(
    client, organisation, configure_sso, sign_in_through_sso
):
    from laurier.accounts.sso import organisation_signed_in_through

    marie = factories.UserFactory(email="marie@hydro.example")
    factories.MembershipFactory(organisation=organisation, user=marie, role=Role.MENTOR)
    configure_sso(organisation)

    sign_in_through_sso("marie@hydro.example")

    request = client.get(reverse("home")).wsgi_request
    assert organisation_signed_in_through(request) == organisation.pk


def test_a_password_session_was_signed_in_by_no_organisations_provider(client, admin_user):
    from laurier.accounts.sso import organisation_signed_in_through

    password_login(client, admin_user.email)

    request = client.get(reverse("home")).wsgi_request
    assert request.user == admin_user
    assert organisation_signed_in_through(request) is None


@pytest.fixture
def signed_in_through_other(organisation, other_organisation, configure_sso, sign_in_through_sso):
    """Marie, admin of Hydro and mentor of the other organisation, signed in through the other
    organisation's provider (which its admin controls)."""
    marie = factories.UserFactory(email="marie@hydro.example", language="en")
    factories.MembershipFactory(organisation=organisation, user=marie, role=Role.ADMIN)
    factories.MembershipFactory(organisation=other_organisation, user=marie, role=Role.MENTOR)
    configure_sso(organisation)
    configure_sso(other_organisation, allowed_domains=[])
    sign_in_through_sso("marie@hydro.example", "other")
    return marie


@pytest.mark.parametrize("mode", ["sso_or_password", "sso_only"])
def test_a_session_opened_by_another_organisations_provider_does_not_enter(
    client, signed_in_through_other, mode
):
    assert logged_in_user(client) == signed_in_through_other
    SingleSignOn.objects.filter(organisation__slug="hydro").update(mode=mode)

    response = client.get("/o/hydro/programs/?page=2")

    assert response.status_code == 403
    page = response.content.decode()
    with translation.override("en"):
        assert "with your Other Org account" in page
        assert "Sign out and sign in again" in page
    assert f'action="{reverse("account_logout")}"' in page
    sign_in = "account_login" if mode == "sso_or_password" else "sso_organisation"
    sign_in_url = reverse(sign_in, args=["hydro"] if mode == "sso_only" else [])
    expected_next = f"{sign_in_url}?next=%2Fo%2Fhydro%2Fprograms%2F%3Fpage%3D2"
    assert f'name="next" value="{expected_next}"' in page
    assert client.get("/o/other/me/").status_code == 200


def test_signing_out_from_the_refusal_leads_to_the_login_with_the_asked_page(
    client, signed_in_through_other
):
    next_url = f"{reverse('account_login')}?next=%2Fo%2Fhydro%2F"

    response = client.post(reverse("account_logout"), {"next": next_url})

    assert response.status_code == 302
    assert response["Location"] == next_url
    assert not logged_in_user(client).is_authenticated


def test_the_home_page_offers_only_the_organisation_signed_in_through(
    client, signed_in_through_other
):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:home", args=["other"])


def test_a_session_whose_provider_was_removed_enters_no_organisation(
    client, other_organisation, signed_in_through_other
):
    from laurier.accounts import sso

    sso.remove_single_sign_on(organisation=other_organisation, actor=None)

    assert client.get("/o/other/").status_code == 403
    assert client.get("/o/hydro/").status_code == 403


def test_a_password_session_of_a_member_of_both_enters_both(
    client, organisation, other_organisation, configure_sso
):
    marie = factories.UserFactory(email="marie@hydro.example")
    factories.MembershipFactory(organisation=organisation, user=marie, role=Role.ADMIN)
    factories.MembershipFactory(organisation=other_organisation, user=marie, role=Role.MENTOR)
    configure_sso(other_organisation, allowed_domains=[])
    password_login(client, marie.email)

    assert client.get("/o/hydro/").status_code == 200
    assert client.get("/o/other/me/").status_code == 200


ACCOUNT_PAGES = ["account_email", "account_change_password", "account_set_password"]


@pytest.mark.parametrize("page", ACCOUNT_PAGES)
def test_a_session_signed_in_through_a_provider_cannot_give_itself_a_password_or_address(
    client, organisation, configure_sso, sign_in_through_sso, page
):
    marie = factories.UserFactory(email="marie@hydro.example")
    factories.MembershipFactory(organisation=organisation, user=marie, role=Role.MENTOR)
    configure_sso(organisation)
    sign_in_through_sso("marie@hydro.example")
    password_before = User.objects.get(pk=marie.pk).password

    get = client.get(reverse(page))
    post = client.post(
        reverse(page),
        {
            "email": "attacker@elsewhere.example",
            "action_add": "",
            "password1": "a brand new pass 123",
            "password2": "a brand new pass 123",
            "oldpassword": factories.PASSWORD,
        },
    )

    assert (get.status_code, post.status_code) == (403, 403)
    assert User.objects.get(pk=marie.pk).password == password_before
    assert User.objects.get(pk=marie.pk).email == "marie@hydro.example"


def test_a_password_session_still_changes_its_password(client, organisation):
    marie = factories.UserFactory(email="marie@hydro.example")
    factories.MembershipFactory(organisation=organisation, user=marie, role=Role.MENTOR)
    password_login(client, marie.email)

    assert client.get(reverse("account_change_password")).status_code == 200


def test_a_session_opened_by_the_organisations_own_provider_enters_its_pages(
    client, organisation, sso_only, sign_in_through_sso
):
    marie = factories.UserFactory(email="marie@hydro.example")
    factories.MembershipFactory(organisation=organisation, user=marie, role=Role.MENTOR)
    sign_in_through_sso("marie@hydro.example")

    response = client.get("/o/hydro/")

    assert "sso" not in response.get("Location", "")


def test_a_password_session_from_before_the_rule_must_sign_in_through_the_provider(
    client, organisation, sso_only
):
    marie = factories.UserFactory(email="marie@hydro.example")
    factories.MembershipFactory(organisation=organisation, user=marie, role=Role.MENTOR)
    client.force_login(marie)

    response = client.get("/o/hydro/")

    assert response["Location"].startswith(reverse("sso_organisation", args=["hydro"]))
