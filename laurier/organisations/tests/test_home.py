import pytest
from django.urls import reverse

from laurier.organisations.models import Role
from laurier.programs.models import EnrolmentStatus
from laurier.testing import factories

pytestmark = pytest.mark.django_db


def home_url(organisation):
    return reverse("organisations:home", args=[organisation.slug])


def test_admin_sees_every_program_with_active_counts(login, admin_user, organisation, program):
    factories.MentorEnrolmentFactory.create_batch(2, program=program)
    factories.MentorEnrolmentFactory(program=program, status=EnrolmentStatus.LEFT)
    factories.MenteeEnrolmentFactory.create_batch(3, program=program)
    factories.ProgramFactory(organisation=organisation, name="Accueil")

    response = login(admin_user).get(home_url(organisation))

    assert response.status_code == 200
    rows = {p.name: (p.active_mentors, p.active_mentees) for p in response.context["programs"]}
    assert rows == {"Relève": (2, 3), "Accueil": (0, 0)}
    assert reverse("programs:dashboard", args=["hydro", "releve"]) in response.content.decode()


def test_admin_gets_a_new_program_link(login, admin_user, organisation):
    response = login(admin_user).get(home_url(organisation))

    assert reverse("programs:create", args=[organisation.slug]) in response.content.decode()


def test_manager_sees_only_the_programs_they_manage(login, manager_user, organisation, program):
    factories.ProgramFactory(organisation=organisation, name="Not mine")

    response = login(manager_user).get(home_url(organisation))

    assert [p.name for p in response.context["programs"]] == ["Relève"]
    assert reverse("programs:create", args=[organisation.slug]) not in response.content.decode()


@pytest.mark.parametrize("role", [Role.MENTOR, Role.MENTEE, Role.PARTICIPANT])
def test_participants_are_sent_to_their_own_space(login, organisation, role):
    user = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=user, role=role)

    response = login(user).get(home_url(organisation))

    assert response.status_code == 302
    assert response.url == reverse("hours:my_space", args=[organisation.slug])


def test_user_of_another_organisation_gets_404(login, other_admin_user, organisation):
    assert login(other_admin_user).get(home_url(organisation)).status_code == 404


def test_anonymous_visitor_is_asked_to_log_in(client, organisation):
    response = client.get(home_url(organisation))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("programs", [1, 6])
def test_home_needs_a_constant_number_of_queries(
    login, admin_user, organisation, programs, django_assert_max_num_queries
):
    for _ in range(programs):
        program = factories.ProgramFactory(organisation=organisation)
        factories.MentorEnrolmentFactory.create_batch(2, program=program)
        factories.MenteeEnrolmentFactory(program=program)
    client = login(admin_user)

    with django_assert_max_num_queries(6):
        response = client.get(home_url(organisation))

    assert len(response.context["programs"]) == programs
