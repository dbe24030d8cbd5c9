from laurier.core.ordering import natural
from laurier.programs.models import Person
from laurier.testing import factories


def test_names_sort_as_people_expect_whatever_accents_and_case(organisation):
    for last_name in ["Zola", "Émond", "Bouchard", "bernier", "Bédard"]:
        factories.PersonFactory(organisation=organisation, last_name=last_name)
    ordered = Person.objects.order_by(natural("last_name")).values_list("last_name", flat=True)
    assert list(ordered) == ["Bédard", "bernier", "Bouchard", "Émond", "Zola"]


def test_mentor_list_sorts_accented_names_in_place(login, manager_user, program):
    for last_name in ["Morin", "Ménard", "Côté", "Couture"]:
        factories.MentorEnrolmentFactory(program=program, person__last_name=last_name)
    client = login(manager_user)
    page = client.get(f"/o/hydro/p/{program.slug}/mentors/", {"sort": "name"}).context["page"]
    assert [row.person.last_name for row in page] == ["Côté", "Couture", "Ménard", "Morin"]
