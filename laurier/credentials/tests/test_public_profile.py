"""A person's public page of badges: published only by them, after being told what shows; it
shows their name, organisation and valid credentials, never their e-mail; taken down at once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from laurier.credentials.models import Credential, PublicProfile
from laurier.credentials.services import awarding, public_profiles
from laurier.organisations.models import AuditEvent
from laurier.testing import factories

from .holders import (  # noqa: F401 (fixtures)
    badge_credential_fixture,
    badge_fixture,
    holder_fixture,
    make_badge,
    training_credential_fixture,
)

MY_PROFILE = reverse("credentials:my_public_profile", args=["hydro"])


def public_url(profile):
    return reverse("credentials:public_profile", args=[profile.public_id])


@pytest.fixture
def published(holder, badge_credential):
    return public_profiles.publish(holder, actor=None)


# Consent


def test_nothing_is_public_until_the_person_publishes(holder, badge_credential):
    assert not PublicProfile.objects.filter(person=holder, published_at__isnull=False).exists()


def test_the_page_says_what_becomes_public_before_publishing(login, mentor_user, badge_credential):
    client = login(mentor_user)
    client.cookies["django_language"] = "en"

    html = client.get(MY_PROFILE).content.decode()

    with translation.override("en"):
        assert "Your page is not public" in html
        assert "Your name, Jeanne Tremblay, and your organisation, Hydro Laurentides." in html
        assert "neither revoked nor expired" in html
        assert "Never your e-mail address" in html
        assert "Mentor 100 heures" in html
        assert 'value="publish"' in html


def test_publishing_makes_the_page_public_and_says_its_address(
    login, mentor_user, holder, badge_credential
):
    client = login(mentor_user)

    response = client.post(MY_PROFILE, {"action": "publish"}, follow=True)

    profile = PublicProfile.objects.get(person=holder)
    assert profile.is_published
    assert public_url(profile) in response.content.decode()


def test_publishing_twice_keeps_the_first_publication(login, mentor_user, holder):
    client = login(mentor_user)
    client.post(MY_PROFILE, {"action": "publish"})
    first = PublicProfile.objects.get(person=holder).published_at

    client.post(MY_PROFILE, {"action": "publish"})

    assert PublicProfile.objects.get(person=holder).published_at == first
    assert PublicProfile.objects.count() == 1


def test_publishing_is_in_the_audit_trail(login, mentor_user, holder):
    login(mentor_user).post(MY_PROFILE, {"action": "publish"})

    event = AuditEvent.objects.get(object_type__icontains="publicprofile")
    assert event.actor == mentor_user


def test_an_unknown_action_changes_nothing_and_says_why(login, mentor_user, holder):
    client = login(mentor_user)
    client.cookies["django_language"] = "en"

    response = client.post(MY_PROFILE, {"action": "everything"}, follow=True)

    assert not PublicProfile.objects.exists()
    with translation.override("en"):
        assert "Choose to publish your page or to take it down." in response.content.decode()


def test_a_member_without_a_person_record_cannot_publish(login, admin_user):
    assert login(admin_user).post(MY_PROFILE, {"action": "publish"}).status_code == 404


def test_another_organisations_member_gets_404(login, other_admin_user):
    assert login(other_admin_user).get(MY_PROFILE).status_code == 404


# The public page


def test_the_public_page_shows_name_organisation_and_badges(client, published, badge_credential):
    response = client.get(public_url(published))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Jeanne Tremblay" in html
    assert "Hydro Laurentides" in html
    assert "Mentor 100 heures" in html
    assert reverse("credentials:credential", args=[badge_credential.public_id]) in html
    assert reverse("credentials:credential_svg", args=[badge_credential.public_id]) in html


def test_the_public_page_never_shows_the_email(client, published, holder):
    assert holder.email not in client.get(public_url(published)).content.decode()


def test_the_public_page_offers_no_downloads(client, published, badge_credential):
    html = client.get(public_url(published)).content.decode()

    assert reverse("credentials:credential_pdf", args=[badge_credential.public_id]) not in html
    assert "linkedin.com" not in html


def test_the_public_page_asks_not_to_be_indexed(client, published):
    response = client.get(public_url(published))

    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"


def test_revoked_and_expired_credentials_are_not_shown(
    client, organisation, holder, published, badge_credential
):
    awarding.revoke(badge_credential, reason="Awarded by mistake", actor=None)
    old = make_badge(organisation, name_fr="Secourisme 2019", name_en="First aid 2019")
    expired, _ = awarding.award_badge(old, holder, actor=None)
    Credential.objects.filter(pk=expired.pk).update(
        valid_until=timezone.now() - datetime.timedelta(days=1)
    )

    html = client.get(public_url(published)).content.decode()

    assert "Mentor 100 heures" not in html
    assert "Secourisme 2019" not in html
    assert "Awarded by mistake" not in html


def test_training_hours_certificates_stay_off_the_public_page(
    client, published, badge_credential, training_credential
):
    html = client.get(public_url(published)).content.decode()

    assert "Mentor 100 heures" in html
    assert training_credential.name not in html
    assert str(training_credential.public_id) not in html


def test_the_publish_page_does_not_list_training_hours_and_says_why(
    login, mentor_user, badge_credential, training_credential
):
    client = login(mentor_user)
    client.cookies["django_language"] = "en"

    html = client.get(MY_PROFILE).content.decode()

    assert "Today it would show 1 badge or certificate" in html
    assert training_credential.name not in html
    assert "your training-hours certificates, which state your hours, stay off the page" in html


def test_an_unpublished_page_is_404(client, holder, badge_credential):
    profile = PublicProfile.objects.create(person=holder)

    assert client.get(public_url(profile)).status_code == 404


def test_taking_the_page_down_makes_it_404_at_once(login, mentor_user, client, published):
    login(mentor_user).post(MY_PROFILE, {"action": "unpublish"})
    client.logout()

    assert client.get(public_url(published)).status_code == 404
    assert not PublicProfile.objects.get(pk=published.pk).is_published


def test_publishing_again_after_a_takedown_gives_a_new_address(login, mentor_user, published):
    client = login(mentor_user)
    client.post(MY_PROFILE, {"action": "unpublish"})
    client.post(MY_PROFILE, {"action": "publish"})

    republished = PublicProfile.objects.get(pk=published.pk)
    assert republished.public_id != published.public_id
    assert client.get(public_url(republished)).status_code == 200


def test_an_address_shared_before_a_takedown_stays_dead_after_republishing(
    login, mentor_user, client, published
):
    mentor = login(mentor_user)
    mentor.post(MY_PROFILE, {"action": "unpublish"})
    mentor.post(MY_PROFILE, {"action": "publish"})

    assert client.get(public_url(published)).status_code == 404


def test_publishing_twice_keeps_the_address(holder, published):
    again = public_profiles.publish(holder, actor=None)

    assert again.public_id == published.public_id


def test_an_unknown_address_is_404(client, db):
    address = reverse("credentials:public_profile", args=["0b0a3c1e-9d0e-4d5f-8b7a-1f2e3d4c5b6a"])

    assert client.get(address).status_code == 404


def test_the_page_shows_only_the_persons_own_organisations_credentials(
    client, other_organisation, holder, published
):
    # A credential of another organisation can never name this person: the page reads this
    # organisation's credentials of this person only.
    other_person = factories.PersonFactory(organisation=other_organisation)
    foreign_badge = make_badge(other_organisation, name_fr="Ailleurs", name_en="Elsewhere")
    awarding.award_badge(foreign_badge, other_person, actor=None)

    assert "Ailleurs" not in client.get(public_url(published)).content.decode()


@pytest.mark.parametrize("count", [1, 6])
def test_the_queries_stay_constant(
    client, organisation, holder, published, count, django_assert_max_num_queries
):
    for index in range(count):
        badge = make_badge(organisation, name_fr=f"Badge {index}", name_en=f"Badge {index}")
        awarding.award_badge(badge, holder, actor=None)

    with django_assert_max_num_queries(3):
        assert client.get(public_url(published)).status_code == 200
