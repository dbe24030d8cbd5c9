"""The menus are rendered once per process for what they show: each variation shows its own."""

from django.urls import reverse

from laurier.programs import services


def menu_links(html):
    return html[html.index("<header") : html.index("</header>")]


def test_each_role_sees_its_own_menu_on_the_same_page(
    login, admin_user, manager_user, organisation, program
):
    url = reverse("programs:dashboard", args=[organisation.slug, program.slug])
    members = reverse("organisations:members", args=[organisation.slug])
    assert members in menu_links(login(admin_user).get(url).text)
    assert members not in menu_links(login(manager_user).get(url).text)


def test_the_current_page_is_marked_on_each_page(login, manager_user, organisation, program):
    client = login(manager_user)
    for name in ("programs:dashboard", "programs:mentors"):
        url = reverse(name, args=[organisation.slug, program.slug])
        assert f'<a href="{url}" aria-current="page">' in client.get(url).text


def test_the_program_menu_follows_a_renamed_program(login, admin_user, organisation, program):
    client = login(admin_user)
    url = reverse("programs:dashboard", args=[organisation.slug, program.slug])
    client.get(url)
    services.update_program(program, actor=admin_user, name="Relève 2027")
    assert "<strong>Relève 2027</strong>" in menu_links(client.get(url).text)


def test_each_language_gets_its_menu(login, manager_user, organisation, program):
    client = login(manager_user)
    url = reverse("programs:dashboard", args=[organisation.slug, program.slug])
    for language, mentees in (("fr-ca", "Mentorés"), ("en", "Mentees")):
        manager_user.language = language
        manager_user.save(update_fields=["language"])
        assert mentees in menu_links(client.get(url).text)
