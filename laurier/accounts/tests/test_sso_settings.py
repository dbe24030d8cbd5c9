"""The organisation admin's single sign-on settings, and the rules behind them."""

import pytest
from allauth.socialaccount.models import SocialApp
from django.urls import reverse
from django.utils import timezone, translation

from laurier.accounts import sso
from laurier.accounts.models import SingleSignOn
from laurier.organisations.models import AuditEvent, Role
from laurier.testing import factories

pytestmark = pytest.mark.django_db

SETTINGS = {
    "server_url": "https://login.hydro.example/realms/staff",
    "client_id": "laurier",
    "client_secret": "s3cret-value-1234",
    "button_label": "Hydro account",
    "allowed_domains": "hydro.example\n@HQ.Hydro.example, hydro.example",
    "mode": "sso_or_password",
}


def settings_url(organisation):
    return reverse("sso_settings", args=[organisation.slug])


def test_an_admin_configures_single_sign_on(login, admin_user, organisation):
    client = login(admin_user)

    response = client.post(settings_url(organisation), SETTINGS)

    assert response.status_code == 302
    single_sign_on = SingleSignOn.objects.select_related("app").get(organisation=organisation)
    app = single_sign_on.app
    assert (app.provider, app.provider_id) == ("openid_connect", "org-hydro")
    assert (app.client_id, app.secret) == ("laurier", "s3cret-value-1234")
    assert app.name == "Hydro account"
    assert app.settings == {
        "server_url": "https://login.hydro.example/realms/staff",
        "oauth_pkce_enabled": True,
    }
    assert single_sign_on.allowed_domains == ["hydro.example", "hq.hydro.example"]


def test_the_page_shows_the_redirect_address_and_never_the_whole_secret(
    login, admin_user, organisation
):
    client = login(admin_user)
    client.post(settings_url(organisation), SETTINGS)

    page = client.get(settings_url(organisation)).content.decode()

    assert "/accounts/oidc/org-hydro/login/callback/" in page
    assert "s3cret-value-1234" not in page
    assert "1234" in page


def test_an_empty_secret_keeps_the_stored_one(login, admin_user, organisation):
    client = login(admin_user)
    client.post(settings_url(organisation), SETTINGS)

    client.post(settings_url(organisation), {**SETTINGS, "client_secret": "", "client_id": "new"})

    app = SocialApp.objects.get()
    assert (app.client_id, app.secret) == ("new", "s3cret-value-1234")


def test_the_audit_trail_says_the_secret_changed_without_holding_it(
    login, admin_user, organisation
):
    client = login(admin_user)
    client.post(settings_url(organisation), SETTINGS)
    client.post(settings_url(organisation), {**SETTINGS, "client_secret": "another-secret"})

    events = AuditEvent.objects.filter(object_type="accounts.singlesignon")

    assert events.count() == 2
    assert "client_secret" in events.order_by("pk").last().changes
    assert "s3cret-value-1234" not in str([event.changes for event in events])
    assert "another-secret" not in str([event.changes for event in events])


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"server_url": "http://login.hydro.example"}, "server_url"),
        ({"allowed_domains": "not a domain!"}, "allowed_domains"),
        ({"client_secret": ""}, "client_secret"),
        ({"button_label": "x" * 41}, "button_label"),
    ],
)
def test_invalid_settings_are_refused_beside_their_field(
    login, admin_user, organisation, changes, field
):
    client = login(admin_user)

    response = client.post(settings_url(organisation), {**SETTINGS, **changes})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not SingleSignOn.objects.exists()


@pytest.mark.parametrize(
    "server_url",
    [
        "https://127.0.0.1/realms/staff",
        "https://169.254.169.254",
        "https://10.0.0.5:8443/realms/staff",
        "https://localhost/realms/staff",
    ],
)
def test_an_issuer_inside_laurier_s_own_network_is_refused_like_a_webhook(
    login, settings, admin_user, organisation, server_url
):
    settings.WEBHOOK_PRIVATE_ADDRESSES = False
    client = login(admin_user)

    response = client.post(settings_url(organisation), {**SETTINGS, "server_url": server_url})

    assert response.status_code == 200
    with translation.override("en"):
        assert "cannot reach inside its own network" in str(
            response.context["form"].errors["server_url"]
        )
    assert not SingleSignOn.objects.exists()


def test_an_issuer_saved_inside_laurier_s_network_is_not_fetched_at_sign_in(
    client, settings, organisation, admin_user
):
    single_sign_on = sso.configure_single_sign_on(
        organisation=organisation, actor=admin_user, **{**SETTINGS, "allowed_domains": []}
    )
    app = single_sign_on.app
    app.settings = {**app.settings, "server_url": "https://169.254.169.254/latest"}
    app.save()
    settings.WEBHOOK_PRIVATE_ADDRESSES = False

    response = client.post(reverse("sso_organisation", args=["hydro"]))

    assert response.status_code == 503
    assert response.context["unreachable"]


def test_sso_only_waits_until_someone_has_signed_in_through_the_provider(
    login, admin_user, organisation
):
    client = login(admin_user)
    client.post(settings_url(organisation), SETTINGS)

    response = client.post(
        settings_url(organisation),
        {**SETTINGS, "mode": "sso_only", "recovery_admin": admin_user.pk},
    )

    assert "mode" in response.context["form"].errors
    assert SingleSignOn.objects.get().mode == "sso_or_password"


def test_sso_only_needs_an_admin_who_keeps_a_password(login, admin_user, organisation):
    client = login(admin_user)
    client.post(settings_url(organisation), SETTINGS)
    SingleSignOn.objects.update(last_sign_in_at=timezone.now())

    refused = client.post(settings_url(organisation), {**SETTINGS, "mode": "sso_only"})
    accepted = client.post(
        settings_url(organisation),
        {**SETTINGS, "mode": "sso_only", "recovery_admin": admin_user.pk},
    )

    assert "recovery_admin" in refused.context["form"].errors
    assert accepted.status_code == 302
    assert SingleSignOn.objects.get().is_sso_only


def test_only_the_organisations_admins_are_offered_as_recovery_admin(
    login, admin_user, manager_user, other_admin_user, organisation
):
    client = login(admin_user)

    response = client.get(settings_url(organisation))

    assert list(response.context["form"].fields["recovery_admin"].queryset) == [admin_user]


def test_changing_the_provider_needs_a_new_proof_before_sso_only(login, admin_user, organisation):
    client = login(admin_user)
    client.post(settings_url(organisation), SETTINGS)
    SingleSignOn.objects.update(last_sign_in_at=timezone.now())

    client.post(settings_url(organisation), {**SETTINGS, "server_url": "https://idp.example"})

    assert SingleSignOn.objects.get().last_sign_in_at is None


def test_turning_single_sign_on_off_removes_the_application(login, admin_user, organisation):
    client = login(admin_user)
    client.post(settings_url(organisation), SETTINGS)

    response = client.post(reverse("sso_remove", args=[organisation.slug]))

    assert response.status_code == 302
    assert not SingleSignOn.objects.exists()
    assert not SocialApp.objects.exists()


@pytest.mark.parametrize("user_fixture, status", [("manager_user", 403), ("other_admin_user", 404)])
def test_only_the_organisations_admins_reach_the_settings(
    request, login, organisation, user_fixture, status
):
    client = login(request.getfixturevalue(user_fixture))

    assert client.get(settings_url(organisation)).status_code == status
    assert client.post(settings_url(organisation), SETTINGS).status_code == status
    assert client.post(reverse("sso_remove", args=[organisation.slug])).status_code == status
    assert not SingleSignOn.objects.exists()


def test_the_organisation_settings_page_links_to_single_sign_on(login, admin_user, organisation):
    client = login(admin_user)

    page = client.get(reverse("organisations:settings", args=[organisation.slug]))

    assert 'id="sso"' in page.content.decode()
    assert settings_url(organisation) in page.content.decode()


def test_the_login_page_offers_the_organisations_sign_in(client):
    page = client.get(reverse("account_login")).content.decode()

    assert 'id="sso"' in page
    assert reverse("sso_start") in page


def test_an_organisation_without_single_sign_on_has_no_sign_in_link(client, organisation):
    assert client.get(reverse("sso_organisation", args=["hydro"])).status_code == 404


def test_the_organisations_sign_in_link_shows_its_button(client, admin_user, organisation):
    sso.configure_single_sign_on(
        organisation=organisation,
        actor=admin_user,
        **{**SETTINGS, "allowed_domains": [], "recovery_admin": None},
    )

    response = client.get(reverse("sso_organisation", args=["hydro"]))

    assert response.status_code == 200
    assert "Hydro account" in response.content.decode()


# --- Who may come in (the service, without a provider) -----------------------------------------


@pytest.mark.parametrize(
    "enrolments, role",
    [
        (("mentor", "mentee"), Role.MENTOR),
        (("mentee",), Role.MENTEE),
        (("left mentor",), Role.PARTICIPANT),
        ((), Role.PARTICIPANT),
    ],
)
def test_the_role_of_a_new_account_comes_from_the_persons_enrolments(
    organisation, program, enrolments, role
):
    person = factories.PersonFactory(organisation=organisation)
    for enrolment in enrolments:
        if enrolment == "mentee":
            factories.MenteeEnrolmentFactory(program=program, person=person)
        else:
            status = "left" if enrolment.startswith("left") else "active"
            factories.MentorEnrolmentFactory(program=program, person=person, status=status)

    assert sso.role_implied_by_enrolments(person) == role


def test_a_person_already_tied_to_another_account_is_refused(organisation, admin_user):
    single_sign_on = sso.configure_single_sign_on(
        organisation=organisation,
        actor=admin_user,
        **{**SETTINGS, "allowed_domains": [], "recovery_admin": None},
    )
    someone_else = factories.UserFactory(email="old@hydro.example")
    factories.PersonFactory(organisation=organisation, email="new@hydro.example", user=someone_else)

    with pytest.raises(sso.SignInRefused) as refusal:
        sso.admit(single_sign_on=single_sign_on, email="new@hydro.example")

    assert refusal.value.reason == sso.Refusal.STRANGER


def test_an_unknown_domain_is_explained_in_the_visitors_language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(reverse("sso_start"), {"email": "someone@nowhere.example"})

    with translation.override("en"):
        assert "does not know which organisation signs you in" in response.content.decode()


def test_a_member_removed_from_the_organisation_does_not_come_back_through_it(
    organisation, admin_user, mentor_user
):
    from laurier.organisations.models import Membership
    from laurier.organisations.services import remove_membership

    single_sign_on = sso.configure_single_sign_on(
        organisation=organisation,
        actor=admin_user,
        **{**SETTINGS, "allowed_domains": [], "recovery_admin": None},
    )
    remove_membership(
        membership=Membership.objects.get(user=mentor_user, organisation=organisation),
        actor=admin_user,
    )

    with pytest.raises(sso.SignInRefused):
        sso.admit(single_sign_on=single_sign_on, email=mentor_user.email)

    assert not Membership.objects.filter(user=mentor_user).exists()


def test_an_account_of_another_organisation_is_not_opened_by_this_ones_people_records(
    organisation, other_organisation, program, admin_user, other_admin_user
):
    # Hydro's admin controls both its people and its provider: together they could name the
    # other organisation's admin. Only that admin's own login lets them join Hydro.
    from laurier.organisations.models import Membership

    person = factories.PersonFactory(organisation=organisation, email=other_admin_user.email)
    factories.MenteeEnrolmentFactory(program=program, person=person)
    factories.InvitationFactory(organisation=organisation, email=other_admin_user.email)
    single_sign_on = sso.configure_single_sign_on(
        organisation=organisation,
        actor=admin_user,
        **{**SETTINGS, "allowed_domains": [], "recovery_admin": None},
    )

    with pytest.raises(sso.SignInRefused) as refusal:
        sso.admit(single_sign_on=single_sign_on, email=other_admin_user.email.upper())

    assert refusal.value.reason == sso.Refusal.OTHER_ORGANISATION
    assert not Membership.objects.filter(organisation=organisation, user=other_admin_user).exists()


def test_an_account_without_any_organisation_joins_as_the_person_this_one_enrolled(
    organisation, program, admin_user
):
    from laurier.organisations.models import Membership

    user = factories.UserFactory(email="former@hydro.example")
    person = factories.PersonFactory(organisation=organisation, email="former@hydro.example")
    factories.MenteeEnrolmentFactory(program=program, person=person)
    single_sign_on = sso.configure_single_sign_on(
        organisation=organisation,
        actor=admin_user,
        **{**SETTINGS, "allowed_domains": [], "recovery_admin": None},
    )

    assert sso.admit(single_sign_on=single_sign_on, email="Former@hydro.example") == user
    assert Membership.objects.get(organisation=organisation, user=user).role == Role.MENTEE
    person.refresh_from_db()
    assert person.user == user


def test_a_member_of_an_sso_only_organisation_is_not_signed_in_by_another_ones_provider(
    organisation, other_organisation, admin_user, other_admin_user
):
    both = factories.UserFactory(email="both@example.org")
    factories.MembershipFactory(organisation=organisation, user=both, role=Role.MENTOR)
    factories.MembershipFactory(organisation=other_organisation, user=both, role=Role.MENTOR)
    other = sso.configure_single_sign_on(
        organisation=other_organisation,
        actor=other_admin_user,
        **{**SETTINGS, "allowed_domains": [], "recovery_admin": None},
    )
    other.last_sign_in_at = timezone.now()
    other.mode = SingleSignOn.Mode.SSO_ONLY
    other.save()
    hydro = sso.configure_single_sign_on(
        organisation=organisation,
        actor=admin_user,
        **{**SETTINGS, "allowed_domains": [], "recovery_admin": None},
    )

    with pytest.raises(sso.SignInRefused) as refusal:
        sso.admit(single_sign_on=hydro, email="both@example.org")

    assert refusal.value.reason == sso.Refusal.OTHER_ORGANISATION_SSO_ONLY


def test_a_domain_another_organisation_claims_is_refused(
    login, organisation, other_organisation, admin_user, other_admin_user
):
    sso.configure_single_sign_on(
        organisation=other_organisation,
        actor=other_admin_user,
        **{**SETTINGS, "allowed_domains": ["hydro.example"], "recovery_admin": None},
    )
    client = login(admin_user)

    response = client.post(settings_url(organisation), SETTINGS)

    assert response.status_code == 200
    with translation.override("en"):
        assert "Another organisation already signs in with addresses at hydro.example" in str(
            response.context["form"].errors["allowed_domains"]
        )
    assert not SingleSignOn.objects.filter(organisation=organisation).exists()


def test_an_organisation_may_save_its_own_domains_again(organisation, admin_user):
    settings = {**SETTINGS, "allowed_domains": ["hydro.example"], "recovery_admin": None}
    sso.configure_single_sign_on(organisation=organisation, actor=admin_user, **settings)

    sso.configure_single_sign_on(organisation=organisation, actor=admin_user, **settings)

    assert SingleSignOn.objects.get().allowed_domains == ["hydro.example"]


def test_the_login_page_does_not_send_a_stranger_to_the_organisation_claiming_the_domain(
    client, organisation, admin_user
):
    sso.configure_single_sign_on(
        organisation=organisation,
        actor=admin_user,
        **{**SETTINGS, "allowed_domains": ["bigcorp.example"], "recovery_admin": None},
    )

    response = client.post(reverse("sso_start"), {"email": "someone@bigcorp.example"})

    assert response.status_code == 200
    assert response.context["form"].errors["email"]


def test_the_login_page_offers_every_organisation_of_the_address_claiming_its_domain(
    client, organisation, other_organisation, admin_user, other_admin_user
):
    # Claims made before a domain had to be unique: the member chooses.
    both = factories.UserFactory(email="both@shared.example")
    for org, actor in ((organisation, admin_user), (other_organisation, other_admin_user)):
        factories.MembershipFactory(organisation=org, user=both, role=Role.MENTOR)
        single_sign_on = sso.configure_single_sign_on(
            organisation=org, actor=actor, **{**SETTINGS, "recovery_admin": None}
        )
        SingleSignOn.objects.filter(pk=single_sign_on.pk).update(allowed_domains=["shared.example"])

    response = client.post(reverse("sso_start"), {"email": "Both@shared.example"})

    assert response.status_code == 200
    assert [choice.organisation for choice in response.context["choices"]] == [
        organisation,
        other_organisation,
    ]


@pytest.mark.parametrize("has_account", [False, True])
def test_a_person_marked_as_left_is_refused_like_a_stranger(
    organisation, program, admin_user, has_account
):
    import datetime

    from laurier.organisations.models import Membership

    person = factories.PersonFactory(
        organisation=organisation, email="gone@hydro.example", left_on=datetime.date(2026, 1, 5)
    )
    factories.MentorEnrolmentFactory(program=program, person=person)
    if has_account:
        user = factories.UserFactory(email="gone@hydro.example")
        factories.MembershipFactory(organisation=organisation, user=user, role=Role.MENTOR)
        person.user = user
        person.save()
    single_sign_on = sso.configure_single_sign_on(
        organisation=organisation,
        actor=admin_user,
        **{**SETTINGS, "allowed_domains": [], "recovery_admin": None},
    )

    with pytest.raises(sso.SignInRefused) as refusal:
        sso.admit(single_sign_on=single_sign_on, email="Gone@hydro.example")

    assert refusal.value.reason == sso.Refusal.STRANGER
    assert Membership.objects.filter(user__email="gone@hydro.example").count() == has_account


def test_an_unreachable_provider_gets_an_explanation_not_an_error(
    client, settings, organisation, admin_user
):
    from laurier.testing.network import unused_port

    settings.DEBUG = True
    sso.configure_single_sign_on(
        organisation=organisation,
        actor=admin_user,
        **{
            **SETTINGS,
            "server_url": f"http://127.0.0.1:{unused_port()}/realms/staff",
            "allowed_domains": [],
            "recovery_admin": None,
        },
    )

    response = client.post(reverse("sso_organisation", args=["hydro"]))

    assert response.status_code == 503
    assert response.context["unreachable"]


def test_a_deleted_organisations_sign_on_does_not_answer_for_a_new_one_of_the_same_name(
    organisation, admin_user
):
    from allauth.socialaccount.models import SocialAccount

    from laurier.organisations.models import Organisation

    sso.configure_single_sign_on(
        organisation=organisation,
        actor=None,
        **{**SETTINGS, "allowed_domains": [], "recovery_admin": None},
    )
    SocialAccount.objects.create(user=admin_user, provider="org-hydro", uid="42")
    Organisation.objects.filter(pk=organisation.pk).delete()
    newcomer = factories.OrganisationFactory(slug="hydro")

    sso.configure_single_sign_on(
        organisation=newcomer,
        actor=None,
        **{**SETTINGS, "allowed_domains": [], "recovery_admin": None},
    )

    assert SocialApp.objects.get().single_sign_on.organisation == newcomer
    assert not SocialAccount.objects.exists()
