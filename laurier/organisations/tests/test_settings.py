import pytest
from django.urls import reverse

from laurier.organisations.models import AuditEvent, Organisation
from laurier.testing import factories

pytestmark = pytest.mark.django_db


def settings_url(organisation):
    return reverse("organisations:settings", args=[organisation.slug])


def valid_data(**changes):
    data = {
        "name": "Hydro Laurentides inc.",
        "language": "en",
        "time_zone": "America/Vancouver",
        "currency": "USD",
        "fiscal_year_start_month": "1",
        "anonymity_threshold": "5",
        "feedback_delay_days": "14",
    }
    return {**data, **changes}


def test_a_new_organisation_uses_toronto_time_and_canadian_dollars(db):
    organisation = Organisation.objects.create(name="New", slug="new")

    assert (organisation.time_zone, organisation.currency) == ("America/Toronto", "CAD")


def test_admin_sees_the_current_settings(login, admin_user, organisation):
    response = login(admin_user).get(settings_url(organisation))

    assert response.status_code == 200
    assert response.context["form"].initial["name"] == "Hydro Laurentides"


def test_admin_saves_the_settings(login, admin_user, organisation):
    response = login(admin_user).post(settings_url(organisation), valid_data())

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (
        organisation.name,
        organisation.language,
        organisation.time_zone,
        organisation.currency,
        organisation.fiscal_year_start_month,
    ) == ("Hydro Laurentides inc.", "en", "America/Vancouver", "USD", 1)


def test_anonymous_results_never_show_groups_smaller_than_three(login, admin_user, organisation):
    response = login(admin_user).post(
        settings_url(organisation), valid_data(anonymity_threshold="2")
    )

    assert response.status_code == 200
    organisation.refresh_from_db()
    assert organisation.anonymity_threshold == 5


def test_saving_the_settings_is_audited(login, admin_user, organisation):
    login(admin_user).post(settings_url(organisation), valid_data(language="fr-ca"))

    event = AuditEvent.objects.get(organisation=organisation)
    assert event.action == AuditEvent.Action.UPDATE
    assert event.actor == admin_user
    assert event.changes["currency"] == ["CAD", "USD"]
    assert "language" not in event.changes


def test_an_unknown_time_zone_is_refused_and_changes_nothing(login, admin_user, organisation):
    response = login(admin_user).post(
        settings_url(organisation), valid_data(time_zone="Mars/Olympus")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["time_zone"]
    organisation.refresh_from_db()
    assert organisation.time_zone == "America/Toronto"
    assert not AuditEvent.objects.exists()


def test_manager_cannot_change_the_settings(login, manager_user, organisation):
    assert login(manager_user).get(settings_url(organisation)).status_code == 403


def test_mentee_cannot_change_the_settings(login, mentee_user, organisation):
    assert login(mentee_user).post(settings_url(organisation), valid_data()).status_code == 403


def test_admin_of_another_organisation_gets_404(login, other_admin_user, organisation):
    assert login(other_admin_user).get(settings_url(organisation)).status_code == 404


def test_settings_of_an_organisation_never_touch_another(login, admin_user, organisation):
    other = factories.OrganisationFactory(currency="EUR")

    login(admin_user).post(settings_url(organisation), valid_data())

    other.refresh_from_db()
    assert other.currency == "EUR"


def test_admin_sets_how_long_before_mentors_are_asked_about_a_recognition(
    login, admin_user, organisation
):
    login(admin_user).post(settings_url(organisation), valid_data(feedback_delay_days="30"))

    organisation.refresh_from_db()
    assert organisation.feedback_delay_days == 30


def test_a_feedback_delay_beyond_three_months_is_refused(login, admin_user, organisation):
    response = login(admin_user).post(
        settings_url(organisation), valid_data(feedback_delay_days="91")
    )

    assert response.status_code == 200
    organisation.refresh_from_db()
    assert organisation.feedback_delay_days == 14
