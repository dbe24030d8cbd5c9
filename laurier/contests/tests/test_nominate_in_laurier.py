"""Nominating in Laurier: the organisation's members who can see an edition nominate with
their account, see the nominations they made and change them while nominations are open; the
member's space shows the way there."""

# ruff: noqa: F811

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from laurier.contests.models import Nomination, Relation
from laurier.organisations.models import Role
from laurier.testing import factories

from .test_nominations_support import (
    _files_in_tmp,  # noqa: F401
    _fresh_rate_limits,  # noqa: F401
    enrol,
    open_edition,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(program):
    return open_edition(program)


@pytest.fixture
def category(edition):
    return factories.CategoryFactory(edition=edition)


@pytest.fixture
def helene(program):
    return enrol(program, "Hélène", "Tremblay", email="helene@example.org")


@pytest.fixture
def mentee(mentee_user, program):
    person = mentee_user.people.get()
    factories.MenteeEnrolmentFactory(program=program, person=person)
    return person


def page(edition):
    return reverse("contests:nominate", args=[edition.organisation.slug, edition.pk])


def mine(organisation):
    return reverse("contests:my_nominations", args=[organisation.slug])


def data(category, person, **fields):
    return {
        "category": category.pk,
        "nominee": person.pk,
        "relation": "mentee",
        "story": "Toujours là.",
        **fields,
    }


def test_a_mentee_nominates_with_their_account(
    login, mentee_user, mentee, edition, category, helene
):
    client = login(mentee_user)

    response = client.post(page(edition), data(category, helene))

    assert response.status_code == 302
    assert response["Location"] == mine(edition.organisation)
    nomination = Nomination.objects.get()
    assert nomination.source == Nomination.Source.LAURIER
    assert nomination.nominator_user == mentee_user
    assert nomination.nominator_person == mentee
    assert nomination.nominator_email == mentee.email
    assert nomination.nominator_name == mentee.full_name


def test_the_form_asks_no_name_nor_address_and_preselects_the_relation(
    login, mentee_user, mentee, edition, category, helene
):
    html = login(mentee_user).get(page(edition)).content.decode()

    assert 'name="nominator_email"' not in html
    assert '<option value="mentee" selected>' in html


@pytest.mark.parametrize(
    ("fixture", "relation"),
    [("mentor_user", Relation.PEER), ("manager_user", Relation.PROGRAM_MANAGER)],
)
def test_the_relation_follows_the_members_role(
    request, login, program, edition, category, helene, fixture, relation
):
    user = request.getfixturevalue(fixture)
    if fixture == "mentor_user":
        factories.MentorEnrolmentFactory(program=program, person=user.people.get())

    html = login(user).get(page(edition)).content.decode()

    assert f'<option value="{relation}" selected>' in html


def test_an_admin_may_nominate_in_any_edition(login, admin_user, edition, category):
    assert login(admin_user).get(page(edition)).status_code == 200


def test_a_member_outside_the_program_gets_404(login, organisation, edition, category):
    outsider = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=outsider, role=Role.MENTOR)
    factories.PersonFactory(organisation=organisation, user=outsider, email=outsider.email)

    assert login(outsider).get(page(edition)).status_code == 404


def test_every_member_may_nominate_in_an_organisation_wide_edition(login, organisation):
    edition = open_edition(organisation=organisation)
    factories.CategoryFactory(edition=edition)
    outsider = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=outsider, role=Role.PARTICIPANT)

    assert login(outsider).get(page(edition)).status_code == 200


def test_another_organisations_edition_answers_404(login, other_admin_user, edition, category):
    assert login(other_admin_user).get(page(edition)).status_code == 404


def test_another_organisations_member_cannot_use_this_organisation_in_the_address(
    login, other_admin_user, edition
):
    assert login(other_admin_user).get(mine(edition.organisation)).status_code == 404


def test_a_late_nomination_in_laurier_is_refused(
    login, mentee_user, mentee, edition, category, helene
):
    today = timezone.localdate()
    edition.nominations_open_on = today - datetime.timedelta(days=20)
    edition.nominations_close_on = today - datetime.timedelta(days=1)
    edition.save()

    client = login(mentee_user)
    client.post(page(edition), data(category, helene))

    assert not Nomination.objects.exists()


def test_a_mentor_cannot_nominate_themselves_unless_allowed(
    login, mentor_user, program, edition, category
):
    me = mentor_user.people.get()
    factories.MentorEnrolmentFactory(program=program, person=me)
    client = login(mentor_user)

    client.post(page(edition), data(category, me, relation="peer"))
    assert not Nomination.objects.exists()

    edition.allow_self_nomination = True
    edition.save()
    client.post(page(edition), data(category, me, relation="peer"))
    assert Nomination.objects.get().relation == Relation.SELF


def test_my_nominations_lists_open_editions_and_what_i_nominated(
    login, mentee_user, mentee, edition, category, helene
):
    client = login(mentee_user)
    client.post(page(edition), data(category, helene))

    html = client.get(mine(edition.organisation)).content.decode()

    assert page(edition) in html
    assert "Hélène Tremblay" in html
    assert f"?category={category.pk}&amp;nominee={helene.pk}" in html


def test_a_nomination_is_changed_from_my_nominations(
    login, mentee_user, mentee, edition, category, helene
):
    client = login(mentee_user)
    client.post(page(edition), data(category, helene))

    form = client.get(page(edition), {"category": category.pk, "nominee": helene.pk})
    client.post(page(edition), data(category, helene, story="Encore mieux."))

    assert "Toujours là." in form.content.decode()
    assert Nomination.objects.get().story == "Encore mieux."


def test_a_closed_editions_nominations_can_no_longer_change(
    login, mentee_user, mentee, edition, category, helene
):
    client = login(mentee_user)
    client.post(page(edition), data(category, helene))
    edition.announced_at = timezone.now()
    edition.save()

    html = client.get(mine(edition.organisation)).content.decode()

    assert "?category=" not in html
    assert page(edition) not in html


def test_my_space_shows_the_way_to_nominate_while_open(login, mentee_user, mentee, edition):
    space = reverse("hours:my_space", args=[edition.organisation.slug])
    client = login(mentee_user)

    assert mine(edition.organisation) in client.get(space).content.decode()

    edition.announced_at = timezone.now()
    edition.save()
    assert mine(edition.organisation) not in client.get(space).content.decode()


def test_my_space_does_not_offer_editions_of_other_programs(login, mentor_user, edition):
    space = reverse("hours:my_space", args=[edition.organisation.slug])

    html = login(mentor_user).get(space).content.decode()

    assert mine(edition.organisation) not in html


def test_my_nominations_reads_a_constant_number_of_queries(
    login, mentee_user, mentee, edition, category, program, django_assert_max_num_queries
):
    client = login(mentee_user)
    for n in range(2):
        client.post(page(edition), data(category, enrol(program, f"M{n}", "Mentor")))
    client.get(mine(edition.organisation))
    with django_assert_max_num_queries(12) as first:
        client.get(mine(edition.organisation))
    few = len(first)
    for n in range(10):
        other = factories.CategoryFactory(edition=open_edition(program))
        client.post(page(other.edition), data(other, enrol(program, f"N{n}", "Mentor")))

    with django_assert_max_num_queries(few):
        response = client.get(mine(edition.organisation))

    assert response.content.decode().count("<tr>") == 13


def test_an_anonymous_visitor_is_sent_to_log_in(client, edition):
    response = client.get(page(edition))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_form_in_laurier_reads_a_constant_number_of_queries(
    login, admin_user, organisation, django_assert_max_num_queries
):
    edition = open_edition(organisation=organisation)
    factories.CategoryFactory(edition=edition)
    programs = [factories.ProgramFactory(organisation=organisation) for _ in range(3)]
    for n in range(5):
        enrol(programs[n % 3], f"M{n}", "Mentor")
    client = login(admin_user)
    client.get(page(edition))
    with django_assert_max_num_queries(12) as first:
        client.get(page(edition))
    few = len(first)
    for n in range(45):
        enrol(programs[n % 3], f"N{n}", "Mentor")

    with django_assert_max_num_queries(few):
        response = client.get(page(edition))

    assert response.content.decode().count("<optgroup") == 3
