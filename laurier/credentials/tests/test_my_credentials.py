"""A member's page of their own badges and certificates: each with its status and its
downloads, verification and LinkedIn links; nobody else's."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from laurier.credentials.models import Credential
from laurier.credentials.services import awarding
from laurier.testing import factories

from .holders import (  # noqa: F401 (fixtures)
    award_credential_fixture,
    badge_credential_fixture,
    badge_fixture,
    holder_fixture,
    make_badge,
    training_credential_fixture,
)

MY_BADGES = reverse("credentials:my_credentials", args=["hydro"])


def page_of(client):
    response = client.get(MY_BADGES)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_lists_my_badges_and_certificates(
    login, mentor_user, badge_credential, award_credential, training_credential
):
    html = page_of(login(mentor_user))

    assert html.count("<h1") == 1
    assert "Mentor 100 heures" in html
    assert "Dîner avec la PDG" in html
    assert "Training hours 2025" in html or "Heures de formation 2025" in html


def test_each_card_offers_every_download(login, mentor_user, badge_credential):
    html = page_of(login(mentor_user))

    for name in (
        "credential",
        "credential_pdf",
        "credential_png",
        "credential_svg",
        "credential_json",
        "credential_jwt",
    ):
        assert reverse(f"credentials:{name}", args=[badge_credential.public_id]) in html


def test_a_card_offers_the_certificate_in_the_other_language(login, mentor_user, badge_credential):
    html = page_of(login(mentor_user))

    pdf = reverse("credentials:credential_pdf", args=[badge_credential.public_id])
    assert f"{pdf}?lang=en" in html


def test_an_english_speaking_holder_is_offered_the_french_certificate(
    login, mentor_user, holder, badge_credential
):
    holder.language = "en"
    holder.save()

    html = page_of(login(mentor_user))

    pdf = reverse("credentials:credential_pdf", args=[badge_credential.public_id])
    assert f"{pdf}?lang=fr" in html


def test_a_card_offers_to_add_it_to_linkedin(login, mentor_user, badge_credential):
    html = page_of(login(mentor_user))

    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&amp;" in html


def test_the_page_links_the_public_verification_page(login, mentor_user, badge_credential):
    assert reverse("credentials:verify") in page_of(login(mentor_user))


def test_the_page_says_each_status_in_english(
    login, mentor_user, organisation, holder, badge_credential
):
    awarding.revoke(badge_credential, reason="Awarded by mistake", actor=None)
    old = make_badge(organisation, name_en="First aid 2019", name_fr="Secourisme 2019")
    expired, _ = awarding.award_badge(old, holder, actor=None)
    Credential.objects.filter(pk=expired.pk).update(
        valid_until=timezone.now() - datetime.timedelta(days=1)
    )
    current = make_badge(organisation, name_en="Listener", name_fr="À l'écoute")
    awarding.award_badge(current, holder, actor=None)
    client = login(mentor_user)
    client.cookies["django_language"] = "en"

    html = page_of(client)

    with translation.override("en"):
        assert "Revoked" in html and "Awarded by mistake" in html
        assert "Expired" in html
        assert "Valid" in html


def test_a_revoked_credential_is_not_offered_to_linkedin(login, mentor_user, badge_credential):
    awarding.revoke(badge_credential, reason="Awarded by mistake", actor=None)

    assert "linkedin.com" not in page_of(login(mentor_user))


def test_the_page_is_in_french_by_default(login, mentor_user, badge_credential):
    html = page_of(login(mentor_user))

    assert "Ajouter à LinkedIn" in html or "Add to LinkedIn" in html
    assert 'lang="fr' in html


def test_without_credentials_the_page_says_what_will_come(login, mentor_user):
    client = login(mentor_user)
    client.cookies["django_language"] = "en"

    with translation.override("en"):
        assert "will gather here" in page_of(client)


def test_someone_elses_credentials_never_show(login, mentor_user, organisation, badge):
    other = factories.PersonFactory(organisation=organisation, first_name="Autre")
    theirs, _ = awarding.award_badge(badge, other, actor=None)

    assert str(theirs.public_id) not in page_of(login(mentor_user))


def test_another_organisations_member_gets_404(login, other_admin_user, badge_credential):
    assert login(other_admin_user).get(MY_BADGES).status_code == 404


def test_the_same_person_record_elsewhere_shows_nothing_of_here(
    login, mentor_user, other_organisation, badge_credential
):
    # The mentor is also a member of another organisation: its page shows that one's only.
    factories.MembershipFactory(organisation=other_organisation, user=mentor_user, role="mentor")
    factories.PersonFactory(organisation=other_organisation, user=mentor_user)

    response = login(mentor_user).get(reverse("credentials:my_credentials", args=["other"]))

    assert response.status_code == 200
    assert str(badge_credential.public_id) not in response.content.decode()


def test_a_member_without_a_person_record_is_told_so(login, admin_user):
    client = login(admin_user)
    client.cookies["django_language"] = "en"

    with translation.override("en"):
        assert "You are not listed" in page_of(client)


def test_the_page_needs_a_login(client, db):
    response = client.get(MY_BADGES)

    assert response.status_code == 302


def test_my_space_links_to_the_page(login, mentor_user):
    html = login(mentor_user).get(reverse("hours:my_space", args=["hydro"])).content.decode()

    assert MY_BADGES in html


@pytest.mark.parametrize("count", [1, 6])
def test_the_queries_stay_constant(
    login, mentor_user, organisation, holder, count, django_assert_max_num_queries
):
    for index in range(count):
        badge = make_badge(organisation, name_fr=f"Badge {index}", name_en=f"Badge {index}")
        awarding.award_badge(badge, holder, actor=None)
    client = login(mentor_user)

    with django_assert_max_num_queries(7):
        page_of(client)
