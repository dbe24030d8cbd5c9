from decimal import Decimal

from laurier.organisations.models import AuditEvent, Role
from laurier.programs.models import Program
from laurier.testing import factories


def program_form(**overrides):
    data = {
        "name": "Leaders of tomorrow",
        "slug": "",
        "objectives": "Grow leaders.",
        "expectations": "Two hours a month.",
        "expected_hours_per_month": "2.5",
        "commitment_months": "12",
        "status": "active",
    }
    return data | overrides


def test_program_list_shows_only_the_programs_a_manager_manages(
    manager_client, organisation, program, org_url
):
    factories.ProgramFactory(organisation=organisation, name="Not mine")
    response = manager_client.get(org_url("list"))
    assert program.name in response.text
    assert "Not mine" not in response.text


def test_program_list_counts_active_people(admin_client, program, org_url):
    factories.PairingFactory(program=program)
    response = admin_client.get(org_url("list"))
    row = next(p for p in response.context["programs"] if p.pk == program.pk)
    assert (row.active_mentors, row.active_mentees, row.active_pairings) == (1, 1, 1)


def test_admin_creates_a_program_with_a_slug_from_its_name(
    admin_client, organisation, manager_user, org_url
):
    response = admin_client.post(org_url("create"), program_form(managers=[manager_user.pk]))
    program = Program.objects.get(name="Leaders of tomorrow")
    assert program.slug == "leaders-of-tomorrow"
    assert program.expected_hours_per_month == Decimal("2.5")
    assert list(program.managers.all()) == [manager_user]
    assert response.status_code == 302
    assert AuditEvent.objects.filter(object_type="programs.program", action="create").exists()


def test_program_managers_can_only_be_managers_or_admins(
    admin_client, organisation, mentor_user, org_url
):
    response = admin_client.post(org_url("create"), program_form(managers=[mentor_user.pk]))
    assert response.status_code == 200
    assert "managers" in response.context["form"].errors
    assert not Program.objects.filter(name="Leaders of tomorrow").exists()


def test_manager_choices_list_only_this_orgs_managers_and_admins(
    admin_client, manager_user, mentor_user, other_admin_user, org_url
):
    form = admin_client.get(org_url("create")).context["form"]
    assert set(form.fields["managers"].queryset) >= {manager_user}
    assert mentor_user not in form.fields["managers"].queryset
    assert other_admin_user not in form.fields["managers"].queryset


def test_a_taken_slug_gets_a_clear_message(admin_client, program, org_url):
    response = admin_client.post(org_url("create"), program_form(slug=program.slug))
    assert "already uses this short name" in response.text
    assert Program.objects.count() == 1


def test_double_submit_of_a_new_program_with_a_slug_creates_one(admin_client, org_url):
    admin_client.post(org_url("create"), program_form(slug="leaders"))
    admin_client.post(org_url("create"), program_form(slug="leaders"))
    assert Program.objects.filter(slug="leaders").count() == 1


def test_manager_edits_their_program_without_seeing_managers(manager_client, program, program_url):
    response = manager_client.get(program_url("edit"))
    assert "managers" not in response.context["form"].fields
    response = manager_client.post(
        program_url("edit"), program_form(name="Relève 2027", slug=program.slug)
    )
    program.refresh_from_db()
    assert program.name == "Relève 2027"
    assert program.managers.exists()
    assert AuditEvent.objects.filter(object_type="programs.program", action="update").exists()


def test_admin_changes_the_managers_of_a_program(
    admin_client, organisation, program, manager_user, program_url
):
    other = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=other, role=Role.MANAGER)
    admin_client.post(program_url("edit"), program_form(slug=program.slug, managers=[other.pk]))
    assert list(program.managers.all()) == [other]


def test_an_invalid_edit_with_an_empty_slug_still_renders(manager_client, program, program_url):
    response = manager_client.post(program_url("edit"), program_form(slug="", name=""))
    assert response.status_code == 200
    program.refresh_from_db()
    assert program.slug == "releve"


def test_an_empty_slug_on_edit_is_made_from_the_name(manager_client, program, program_url):
    manager_client.post(program_url("edit"), program_form(slug="", name="New name"))
    program.refresh_from_db()
    assert program.slug == "new-name"


def test_double_submit_of_a_new_program_without_slug_creates_one(admin_client, org_url):
    admin_client.post(org_url("create"), program_form())
    response = admin_client.post(org_url("create"), program_form())
    assert "has this name" in response.text
    assert Program.objects.filter(name="Leaders of tomorrow").count() == 1
