import datetime

import pytest
from django.urls import reverse

from laurier.organisations import services
from laurier.organisations.audit import record_change, snapshot
from laurier.organisations.models import AuditEvent, Membership, Role
from laurier.testing import factories

pytestmark = pytest.mark.django_db


def audit_url(organisation, query=""):
    return reverse("organisations:audit", args=[organisation.slug]) + query


@pytest.fixture
def role_change(organisation, admin_user, mentor_user):
    membership = Membership.objects.get(user=mentor_user)
    services.change_membership(membership=membership, actor=admin_user, role=Role.MANAGER)
    return AuditEvent.objects.get(object_type="organisations.membership")


@pytest.fixture
def invitation_event(organisation, admin_user):
    services.invite(
        organisation=organisation, actor=admin_user, email="zoe@example.org", role=Role.MENTEE
    )
    return AuditEvent.objects.get(object_type="organisations.invitation")


def test_admin_reads_who_did_what(login, admin_user, organisation, role_change):
    response = login(admin_user).get(audit_url(organisation))

    assert response.status_code == 200
    assert list(response.context["page"]) == [role_change]
    page = response.content.decode()
    assert str(admin_user) in page
    assert "Membership" in page


def test_changes_are_shown_with_readable_labels_and_values(
    login, admin_user, organisation, role_change
):
    response = login(admin_user).get(audit_url(organisation))

    [event] = response.context["page"]
    assert ("Role", "Mentor", "Program manager") in event.readable_changes


def test_a_creation_shows_the_recorded_values(login, admin_user, organisation, invitation_event):
    response = login(admin_user).get(audit_url(organisation))

    [event] = response.context["page"]
    assert ("Role", None, "Mentee") in event.readable_changes
    assert ("E-mail address", None, "zoe@example.org") in event.readable_changes


def test_related_objects_and_moments_read_as_names_and_local_dates(
    login, admin_user, organisation, program
):
    pairing = factories.PairingFactory(program=program, mentor__first_name="Réjean")
    record_change(
        organisation=organisation,
        actor=admin_user,
        action=AuditEvent.Action.CREATE,
        instance=pairing,
    )
    session = factories.MentoringSessionFactory(pairing=pairing)
    before = snapshot(session)
    session.confirmed_at = datetime.datetime(2026, 3, 5, 18, 30, tzinfo=datetime.UTC)
    record_change(
        organisation=organisation,
        actor=admin_user,
        action=AuditEvent.Action.UPDATE,
        instance=session,
        before=before,
    )
    response = login(admin_user).get(audit_url(organisation))
    confirmation, creation = response.context["page"]
    assert ("Mentor", None, str(pairing.mentor)) in creation.readable_changes
    assert all(label != "ID" for label, _before, _after in creation.readable_changes)
    assert ("Confirmed", "—", "2026-03-05 13:30") in confirmation.readable_changes


def test_filter_by_action(login, admin_user, organisation, role_change, invitation_event):
    response = login(admin_user).get(audit_url(organisation, "?action=create"))

    assert list(response.context["page"]) == [invitation_event]


def test_filter_by_kind(login, admin_user, organisation, role_change, invitation_event):
    response = login(admin_user).get(audit_url(organisation, "?kind=organisations.membership"))

    assert list(response.context["page"]) == [role_change]


def test_the_kind_filter_offers_the_kinds_present(login, admin_user, organisation, role_change):
    response = login(admin_user).get(audit_url(organisation))

    assert ("organisations.membership", "membership") in response.context["form"].fields[
        "kind"
    ].choices


def test_search_by_object(login, admin_user, organisation, role_change, invitation_event):
    response = login(admin_user).get(audit_url(organisation, "?q=zoe"))

    assert list(response.context["page"]) == [invitation_event]


def test_events_of_another_organisation_are_not_shown(
    login, admin_user, organisation, other_organisation, other_admin_user
):
    record_change(
        organisation=other_organisation,
        actor=other_admin_user,
        action=AuditEvent.Action.CREATE,
        instance=other_organisation,
    )

    response = login(admin_user).get(audit_url(organisation))

    assert not response.context["page"].object_list


def test_export_as_csv(login, admin_user, organisation, role_change):
    response = login(admin_user).get(audit_url(organisation, "?export=csv"))

    content = response.content.decode("utf-8-sig")
    assert response["Content-Disposition"].endswith('.csv"')
    assert "Mentor → Program manager" in content


def test_export_as_xlsx_keeps_the_filters(
    login, admin_user, organisation, role_change, invitation_event
):
    from io import BytesIO

    from openpyxl import load_workbook

    response = login(admin_user).get(audit_url(organisation, "?export=xlsx&action=create"))

    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][4] == "zoe@example.org"


@pytest.mark.parametrize("events", [3, 40])
def test_audit_trail_needs_a_constant_number_of_queries(
    login, admin_user, organisation, events, django_assert_max_num_queries
):
    for _ in range(events):
        actor = factories.UserFactory()
        person = factories.PersonFactory(organisation=organisation)
        record_change(
            organisation=organisation, actor=actor, action=AuditEvent.Action.CREATE, instance=person
        )
    client = login(admin_user)

    with django_assert_max_num_queries(8):
        response = client.get(audit_url(organisation))

    assert response.status_code == 200


@pytest.mark.parametrize("fixture", ["manager_user", "mentor_user", "mentee_user"])
def test_only_admins_read_the_audit_trail(request, login, organisation, fixture):
    user = request.getfixturevalue(fixture)

    assert login(user).get(audit_url(organisation)).status_code == 403


def test_admin_of_another_organisation_gets_404(login, other_admin_user, organisation):
    assert login(other_admin_user).get(audit_url(organisation)).status_code == 404


def test_french_labels_take_a_space_before_the_colon(login, admin_user, organisation, role_change):
    admin_user.language = "fr-ca"
    admin_user.save()
    html = login(admin_user).get(audit_url(organisation)).content.decode()
    assert "<strong>Rôle</strong> : " in html


def test_a_change_that_counts_related_rows_reads_as_their_name(
    login, admin_user, organisation, program
):
    """Moderating notes records how many notes of the campaign changed: "notes" is a reverse
    relation of the campaign, no column of it (the page once failed on it)."""
    from laurier.organisations.audit import record_event
    from laurier.recognition.models import NoteCampaign

    campaign = NoteCampaign.objects.create(
        organisation=organisation,
        program=program,
        mentor=factories.PersonFactory(organisation=organisation),
        closes_on=datetime.date(2026, 5, 1),
    )
    record_event(
        organisation=organisation.pk,
        actor=admin_user,
        action=AuditEvent.Action.UPDATE,
        instance=campaign,
        changes={"notes": 3},
    )

    response = login(admin_user).get(audit_url(organisation) + "?lang=en")

    assert response.status_code == 200
    [event] = response.context["page"]
    assert event.readable_changes[0][0].lower().startswith("thank")
